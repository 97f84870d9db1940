"""Graded exercises with instant, specific feedback.

In a notebook::

    from energylab import exercises
    ex = exercises.load("00")
    ex.names                       # the exercises, in order
    ex.check("pue_article", 2.2)   # → Result: status, message (displays as HTML in Jupyter)
    ex.hint("pue_article")         # the next hint
    ex.progress()                  # what is done
    ex.reference("pue_article")    # the expected answer, for instructors and tests

A check never raises and never reveals the expected value in a wrong-answer message. Each chapter's
exercises are declared in ``energylab/exercises/chNN.py`` (see :mod:`.spec`).
"""
from __future__ import annotations

import difflib
import importlib
import pkgutil

import numpy as np

from .checking import Slip, _Verdict, slip_table
from .checks import CHECKERS, checker
from .results import STATUSES, Hint, Progress, Result
from .spec import Count, Exercise, Misconception

__all__ = ["load", "chapters", "ExerciseSet", "Exercise", "Misconception", "Count", "Result", "Hint",
           "Progress", "STATUSES", "checker"]


def chapters() -> list[str]:
    """Chapter numbers that have exercises, e.g. ``['00']``."""
    return sorted(m.name[2:] for m in pkgutil.iter_modules(__path__)
                  if len(m.name) == 4 and m.name.startswith("ch") and m.name[2:].isdigit())


def load(chapter) -> ExerciseSet:
    """The exercises of one chapter: ``load("00")`` (also ``0``, ``"0"`` or ``"00_energy_accounting"``)."""
    key = str(chapter).split("_")[0]
    if not key.isdigit():
        raise ValueError(f"chapter must be a chapter number such as '00'; got {chapter!r}.")
    key = f"{int(key):02d}"
    if key not in chapters():
        raise ValueError(f"Chapter {key} has no exercises; chapters with exercises: {', '.join(chapters())}.")
    module = importlib.import_module(f"{__name__}.ch{key}")
    return ExerciseSet(key, module.EXERCISES)


def _readable(name) -> str | None:
    """``name`` as text, or None when it cannot be read as text (its ``__str__`` raises or lies)."""
    try:
        text = str(name)
    except Exception:
        return None
    return text if isinstance(text, str) else None


class ExerciseSet:
    """One chapter's exercises and the student's progress through them (kept in memory)."""

    def __init__(self, chapter: str, exercises):
        self.chapter = chapter
        self._specs = {e.name: e for e in exercises}
        if len(self._specs) != len(exercises):
            raise ValueError(f"chapter {chapter}: exercise names must be unique")
        self._expected: dict = {}
        self._tables: dict = {}
        self._hints = {name: 0 for name in self._specs}
        self._status = {name: "unanswered" for name in self._specs}
        self._solved: set[str] = set()
        self._attempts = {name: 0 for name in self._specs}

    @property
    def names(self) -> list[str]:
        """Exercise names, in the order of the notebook."""
        return list(self._specs)

    def __len__(self):
        return len(self._specs)

    def __repr__(self):
        return f"<Exercises of chapter {self.chapter}: {', '.join(self.names)}>"

    # -- internals ------------------------------------------------------------------------------
    def _spec(self, name) -> Exercise:
        if isinstance(name, str) and name in self._specs:
            return self._specs[name]
        text = _readable(name)
        if text is None:
            raise _Verdict("invalid", f"An exercise is named by its name in quotes, such as "
                           f"{self.names[0]!r}; chapter {self.chapter} has: {', '.join(self.names)}.",
                           "unknown_exercise")
        tokens = [t for t in text.lower().split("_") if t]
        close = [n for n in self.names if tokens and all(t in n for t in tokens)] \
            or difflib.get_close_matches(text, self.names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else f" Exercises: {', '.join(self.names)}."
        shown = repr(name) if isinstance(name, str) else f"{text!r} (of type {type(name).__name__}, not text)"
        raise _Verdict("invalid", f"There is no exercise called {shown:.80} in chapter {self.chapter}.{hint}",
                       "unknown_exercise")

    def _expected_value(self, spec: Exercise):
        if spec.name not in self._expected:
            self._expected[spec.name] = _in_unit(spec.expected(), spec.unit) if spec.kind == "quantity" \
                else spec.expected()
        return self._expected[spec.name]

    def _accepted(self, spec: Exercise) -> list:
        key = ("accepted", spec.name)
        if key not in self._expected:
            self._expected[key] = [_in_unit(other(), spec.unit) for other in spec.also_accepted]
        return self._expected[key]

    def _table(self, spec: Exercise):
        if spec.name not in self._tables:
            expected = self._expected_value(spec)
            self._tables[spec.name] = slip_table(spec, _declared(spec, expected, lambda m: m.wrong()))
        return self._tables[spec.name]

    # -- public API -----------------------------------------------------------------------------
    def check(self, name: str, answer) -> Result:
        """Check an answer. Returns a :class:`Result`; never raises."""
        try:
            spec = self._spec(name)
        except _Verdict as verdict:
            return Result(_readable(name) or "?", verdict.status, verdict.message, verdict.code)
        try:
            result = CHECKERS[spec.kind](self, spec, answer)
        except _Verdict as verdict:
            result = Result(spec.name, verdict.status, verdict.message, verdict.code)
        except Exception as error:  # a defect must not reach the student as a traceback
            result = Result(spec.name, "invalid", f"This answer could not be checked "
                            f"({type(error).__name__}: {error}).", "error")
        if result.status != "unanswered":
            self._attempts[spec.name] += 1
            self._status[spec.name] = result.status
        if result.correct:
            self._solved.add(spec.name)
        return result

    def _function_case(self, spec: Exercise, case: dict):
        """Expected value and slip table of one test case (computed once).

        A function exercise's misconceptions are functions of the case: ``wrong(**case)``.
        """
        key = (spec.name, tuple(map(str, case.values())))
        if key not in self._tables:
            expected = _in_unit(spec.expected(**case), spec.unit)
            self._tables[key] = expected, slip_table(spec, _declared(spec, expected, lambda m: m.wrong(**case)))
        return self._tables[key]

    def hint(self, name: str) -> Hint | Result:
        """The next hint for an exercise (the last one repeats)."""
        try:
            spec = self._spec(name)
        except _Verdict as verdict:
            return Result(_readable(name) or "?", verdict.status, verdict.message, verdict.code)
        self._hints[spec.name] = min(self._hints[spec.name] + 1, len(spec.hints))
        number = self._hints[spec.name]
        return Hint(spec.name, number, len(spec.hints), spec.hint_text(number))

    def progress(self) -> Progress:
        """Status and number of attempts of every exercise. An exercise once solved stays solved; a
        cell re-run with ``...`` does not erase an earlier attempt."""
        rows = tuple((n, s.title, s.objective, "correct" if n in self._solved else self._status[n],
                      self._attempts[n]) for n, s in self._specs.items())
        return Progress(self.chapter, rows)

    def reference(self, name: str):
        """The expected answer: a quantity in the exercise's unit, an option key, or for function
        exercises the reference function. For instructors and tests."""
        if name not in self._specs:
            raise KeyError(f"No exercise {name!r} in chapter {self.chapter}; exercises: {', '.join(self.names)}.")
        spec = self._specs[name]
        if spec.kind in ("function", "task"):
            return spec.expected if spec.kind == "function" else spec.expected()
        value = self._expected_value(spec)
        if spec.kind == "choice":
            return value
        from ..units import Q_
        return Q_(value, spec.unit or "dimensionless")

    def mistakes(self, name: str) -> list[tuple[str, object]]:
        """(code, wrong answer) for each answer a declared misconception of a quantity exercise leads to
        (two for a mistake that goes both ways), as quantities in the statement's unit. For instructors
        and tests: the answers that must be told their mistake."""
        spec = self._specs[name]
        if spec.kind != "quantity":
            return []
        from ..units import Q_
        expected = self._expected_value(spec)
        return [(slip.code, Q_(expected * np.asarray(slip.factor), spec.unit or "dimensionless"))
                for slip in _declared(spec, expected, lambda m: m.wrong())]

    def spec(self, name: str) -> Exercise:
        """The declaration of an exercise (statement unit, hints, misconceptions)."""
        return self._specs[name]


def _declared(spec: Exercise, expected, wrong_value) -> list[Slip]:
    """The exercise's own misconceptions as slips; ``wrong_value(m)`` evaluates a ``wrong`` mistake."""
    from ..units import ureg
    unit = ureg.Unit(spec.unit or "dimensionless")
    scale = float((1 * unit).to("dimensionless").magnitude) if unit.dimensionless else 1.0
    slips = []
    for m in spec.misconceptions:
        value = _in_unit(wrong_value(m), spec.unit) if m.wrong is not None else None
        for ratio in m.ratios(expected, value, scale):
            slips.append(Slip(ratio, m.code, m.message, "", exact=m.factor is not None))
    return slips


def _in_unit(value, unit: str):
    """Magnitude of an expected value in ``unit`` (plain numbers are taken as already in it)."""
    import numpy as np

    from ..units import is_quantity
    if is_quantity(value):
        value = value.to(unit or "dimensionless").magnitude
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)
