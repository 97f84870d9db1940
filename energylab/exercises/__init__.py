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

from ..units import is_quantity
from .checking import _Verdict, compare, read_answer, slip_table
from .results import STATUSES, Hint, Progress, Result
from .spec import Count, Exercise, Misconception

__all__ = ["load", "chapters", "ExerciseSet", "Exercise", "Misconception", "Count", "Result", "Hint",
           "Progress", "STATUSES"]


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


def _case_text(case: dict) -> str:
    from ..units import fmt, is_quantity
    return ", ".join(f"{k}={fmt(v, sig=4) if is_quantity(v) else repr(v)}" for k, v in case.items())


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
        tokens = [t for t in str(name).lower().split("_") if t]
        close = [n for n in self.names if tokens and all(t in n for t in tokens)] \
            or difflib.get_close_matches(str(name), self.names, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else f" Exercises: {', '.join(self.names)}."
        raise _Verdict("invalid", f"There is no exercise called {name!r} in chapter {self.chapter}.{hint}",
                       "unknown_exercise")

    def _expected_value(self, spec: Exercise):
        if spec.name not in self._expected:
            self._expected[spec.name] = _in_unit(spec.expected(), spec.unit) if spec.kind == "quantity" \
                else spec.expected()
        return self._expected[spec.name]

    def _table(self, spec: Exercise):
        if spec.name not in self._tables:
            expected = self._expected_value(spec)
            specific = []
            for m in spec.misconceptions:
                ratio = m.factor if m.factor is not None else _in_unit(m.wrong(), spec.unit) / expected
                specific.append((ratio, m.code, m.message))
            self._tables[spec.name] = slip_table(spec, specific)
        return self._tables[spec.name]

    # -- public API -----------------------------------------------------------------------------
    def check(self, name: str, answer) -> Result:
        """Check an answer. Returns a :class:`Result`; never raises."""
        try:
            spec = self._spec(name)
        except _Verdict as verdict:
            return Result(str(name), verdict.status, verdict.message, verdict.code)
        try:
            if spec.kind == "choice":
                result = self._check_choice(spec, answer)
            elif spec.kind == "function":
                result = self._check_function(spec, answer)
            elif spec.kind == "task":
                result = self._check_task(spec, answer)
            else:
                given = read_answer(answer, spec)
                result = _unitless_percent(spec, answer, given, self._expected_value(spec))
                if result is None:  # (a Result is falsy unless correct: test for None, not truth)
                    result = compare(given, self._expected_value(spec), spec, self._table(spec),
                                     plain=not is_quantity(answer))
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

    def _check_choice(self, spec: Exercise, answer) -> Result:
        options = ", ".join(repr(k) for k in spec.choices)
        if answer is Ellipsis:
            raise _Verdict("unanswered", f"Replace `...` with one of {options}, then run the cell again.")
        if not isinstance(answer, str) or answer.strip().lower() not in {k.lower() for k in spec.choices}:
            shown = f"{answer!r:.40}" if isinstance(answer, (str, int, float)) else f"a {type(answer).__name__}"
            raise _Verdict("invalid", f"Answer with one of the options {options} (as text, in quotes); "
                           f"got {shown}.", "not_an_option")
        chosen = answer.strip().lower()
        expected = str(self._expected_value(spec)).lower()
        if chosen == expected:
            return Result(spec.name, "correct", spec.takeaway_text() or "That is the one.")
        why = {k.lower(): v for k, v in spec.choices.items()}[chosen]
        return Result(spec.name, "incorrect", f"Not {chosen!r}. {why} Stuck? ex.hint(\"{spec.name}\").",
                      "wrong_option")

    def _check_task(self, spec: Exercise, answer) -> Result:
        if answer is Ellipsis:
            raise _Verdict("unanswered", "Replace `...` with your answer, then run the cell again.")
        try:
            status, message, *code = spec.grade(answer)
        except (TypeError, ValueError) as error:
            raise _Verdict("invalid", str(error), "task_form") from None
        if status not in ("correct", "incorrect"):
            raise RuntimeError(f"grade() of {spec.name!r} returned status {status!r}")
        if status == "correct":
            message = f"{message} {spec.takeaway_text()}".strip()
        else:
            message += f" Stuck? ex.hint(\"{spec.name}\")."
        return Result(spec.name, status, message, code[0] if code else "")

    def _check_function(self, spec: Exercise, function) -> Result:
        if function is Ellipsis:
            raise _Verdict("unanswered", "Write the function, then replace `...` with its name (without "
                           "brackets) and run the cell again.")
        if not callable(function):
            raise _Verdict("invalid", f"Pass your function itself (its name without brackets); got a "
                           f"{type(function).__name__}.", "not_callable")
        if _is_stub(function):
            raise _Verdict("unanswered", "Your function's body is still `...`: write it, then run the cell "
                           "that defines it and this one again.")
        for case in spec.cases:
            try:
                returned = function(*case.values())  # by position: students name parameters freely
            except Exception as error:
                raise _Verdict("invalid", f"Your function raised {type(error).__name__} ({error}) when "
                               f"called with {_case_text(case)}.", "raised") from None
            if returned is None:
                raise _Verdict("invalid", f"Your function returned nothing (None) for {_case_text(case)}: "
                               "end it with `return`, not `print`.", "none")
            expected, table = self._function_case(spec, case)
            result = compare(read_answer(returned, spec), expected, spec, table,
                             plain=not is_quantity(returned))
            if not result.correct:
                return Result(spec.name, "incorrect", f"With {_case_text(case)}: {result.message}",
                              result.misconception)
        return Result(spec.name, "correct", f"Your function gives the right result in all {len(spec.cases)} "
                      f"test cases. {spec.takeaway_text()}".strip())

    def _function_case(self, spec: Exercise, case: dict):
        """Expected value and slip table of one test case (computed once).

        A function exercise's misconceptions are functions of the case: ``wrong(**case)``.
        """
        key = (spec.name, tuple(map(str, case.values())))
        if key not in self._tables:
            expected = _in_unit(spec.expected(**case), spec.unit)
            specific = [(m.factor if m.factor is not None else _in_unit(m.wrong(**case), spec.unit) / expected,
                         m.code, m.message) for m in spec.misconceptions]
            self._tables[key] = expected, slip_table(spec, specific)
        return self._tables[key]

    def hint(self, name: str) -> Hint | Result:
        """The next hint for an exercise (the last one repeats)."""
        try:
            spec = self._spec(name)
        except _Verdict as verdict:
            return Result(str(name), verdict.status, verdict.message, verdict.code)
        self._hints[name] = min(self._hints[name] + 1, len(spec.hints))
        number = self._hints[name]
        return Hint(name, number, len(spec.hints), spec.hint_text(number))

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

    def spec(self, name: str) -> Exercise:
        """The declaration of an exercise (statement unit, hints, misconceptions)."""
        return self._specs[name]


def _unitless_percent(spec: Exercise, answer, given, expected):
    """A unitless pint quantity 100× a percent answer: pint read 49 as 4,900 %, say so plainly."""
    import numpy as np
    if spec.unit != "percent" or not is_quantity(answer) or not answer.unitless:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.atleast_1d(given) / np.atleast_1d(expected)
    if np.all(np.abs(ratio / 100 - 1) <= max(2 * spec.rtol, 0.02)):
        return Result(spec.name, "incorrect", "Your number is right, but it is a quantity without a unit, which "
                      "pint reads as a fraction: 49 becomes 4,900 %. Give the fraction with .to(u.percent), "
                      "or pass the plain number (.magnitude).", "unitless_percent")
    return None


def _empty():
    ...


def _is_stub(function) -> bool:
    """True for a function whose body does nothing (``...`` or ``pass``): not attempted yet."""
    code = getattr(function, "__code__", None)
    return code is not None and code.co_code == _empty.__code__.co_code and not code.co_names


def _in_unit(value, unit: str):
    """Magnitude of an expected value in ``unit`` (plain numbers are taken as already in it)."""
    from ..units import is_quantity
    import numpy as np
    if is_quantity(value):
        value = value.to(unit or "dimensionless").magnitude
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)
