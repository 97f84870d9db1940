"""How an exercise is declared: what to compute, in which unit, how to explain wrong answers.

A chapter's exercises live in one module (``energylab/exercises/chNN.py``) as a list ``EXERCISES`` of
:class:`Exercise` objects. Expected values are *functions* that compute the answer from ``energylab``
and its sources, evaluated once on first use, so nothing is pasted in as a literal and loading a
chapter stays fast.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


# Absolute zero on the Celsius scale, in °C: the offset a temperature difference picks up when pint
# reads "10 °C" as the temperature 283.15 K rather than the difference 10 K.
_CELSIUS_OFFSET = 273.15


@dataclass(frozen=True)
class Misconception:
    """A mistake specific to one exercise, recognised from the wrong answer it produces.

    Give exactly one of ``wrong`` (a function computing the answer this mistake leads to, in any
    compatible unit), ``factor`` (the ratio answer / expected that the mistake produces) or
    ``inverted=True`` (the answer is 1 / expected, in the statement's unit: a ratio taken the other
    way round). ``both_ways=True`` also recognises the reciprocal ratio, for a mistake that can go
    either way (×60 or ÷60 for seconds vs minutes), declared once.
    """
    message: str
    wrong: Callable[..., Any] | None = None
    factor: float | None = None
    code: str = "specific"
    inverted: bool = False
    both_ways: bool = False

    def __post_init__(self):
        if sum((self.wrong is not None, self.factor is not None, self.inverted)) != 1:
            raise ValueError("Misconception needs exactly one of `wrong`, `factor` or `inverted=True`.")
        if self.factor is not None and not (isinstance(self.factor, (int, float)) and self.factor > 0):
            raise ValueError(f"Misconception {self.code!r}: `factor` must be a positive number (a ratio "
                             f"answer / expected); got {self.factor!r}.")

    @classmethod
    def inverse(cls, message: str, code: str = "inverted") -> Misconception:
        """The answer is the reciprocal of the right one (divided the other way round)."""
        return cls(message, inverted=True, code=code)

    @classmethod
    def celsius_difference(cls, delta_t, exponent: int = -1, code: str = "degc_difference") -> Misconception:
        """A temperature difference written as a temperature in °C, which pint reads as ΔT + 273.15 K.

        Parameters
        ----------
        delta_t : pint.Quantity
            The statement's temperature difference, in K (or Δ°C).
        exponent : int
            The power of ΔT in the answer: −1 for flows and volumes (∝ 1/ΔT), +1 for heat (∝ ΔT).
        """
        from ..units import as_quantity
        kelvin = as_quantity(delta_t, "K", "delta_t", positive=True).magnitude
        factor = ((kelvin + _CELSIUS_OFFSET) / kelvin) ** exponent
        return cls("You wrote the temperature rise as a temperature (°C): pint reads "
                   f"{kelvin:g} °C as {kelvin + _CELSIUS_OFFSET:g} K. Write differences as u.K "
                   "(or u.delta_degC).", factor=factor, code=code)

    def ratios(self, expected, wrong_value=None, scale: float = 1.0) -> list:
        """The ratios answer / expected this mistake produces.

        Parameters
        ----------
        expected : float or ndarray
            The expected magnitude, in the statement's unit.
        wrong_value : float or ndarray, optional
            For a ``wrong`` mistake, its value in the statement's unit.
        scale : float
            One statement unit as a pure number (0.01 for percent), so that the inverse of 20 % is
            500 %; 1 for units with a dimension, whose inverse is taken of the magnitude.
        """
        if self.inverted:
            ratio = 1 / (np.asarray(expected, dtype=float) * scale) ** 2
        elif self.factor is not None:
            ratio = float(self.factor)
        else:
            ratio = np.asarray(wrong_value, dtype=float) / expected
        ratio = float(ratio) if np.ndim(ratio) == 0 else ratio
        return [ratio, 1 / ratio] if self.both_ways else [ratio]


NATURES = ("", "ratio", "fraction", "log", "count")


def significant_percent(fraction: float) -> str:
    """A tolerance as the course writes it: 0.01 → "1 %", 0.005 → "0.5 %", 0.0025 → "0.25 %"."""
    return f"{fraction * 100:.3g} %"


@dataclass(frozen=True)
class Count:
    """A count in the exercise, for the per-unit vs total check: ``Count(lambda: 10_000, "GPU")``."""
    value: Callable[[], float]
    noun: str
    plural: str = ""

    @property
    def nouns(self) -> str:
        return self.plural or f"{self.noun}s"


@dataclass(frozen=True)
class Exercise:
    """One graded exercise.

    Parameters
    ----------
    name : str
        Identifier used in ``ex.check(name, answer)``; lower_snake_case.
    title : str
        Short title for the progress table.
    objective : str
        The learning objective (by number or short text) the exercise assesses.
    unit : str
        The unit the statement asks for; plain-number answers are read in it. ``"dimensionless"`` or
        ``"percent"`` for ratios. For ``kind="choice"`` leave empty.
    expected : callable
        Returns the expected answer (a quantity, number or array), computed from ``energylab``.
    kind : {"quantity", "choice", "function", "task"} or a registered kind
        ``"quantity"``: a number or pint quantity (or array with ``shape``). ``"choice"``: one option
        key from ``choices``. ``"function"``: a Python function, called on ``cases``. ``"task"``: an
        open-ended answer (a selection, a design) judged by ``grade`` against thresholds. Further
        kinds are added with :func:`energylab.exercises.checks.checker`, never by editing the engine.
    rtol : float
        Relative tolerance for a correct answer (0.01 = 1 %); the statement quotes it through
        :meth:`tolerance_text`, so it is never typed twice.
    nature : {"", "ratio", "fraction", "log", "count"}
        What sort of number a plain-number answer is, which decides the generic slips that can apply
        (see :mod:`.checking`): ``"ratio"`` of two like quantities (the default for a dimensionless
        unit), ``"fraction"`` of a whole (the default for ``"percent"``), a base-10 ``"log"``, or a
        ``"count"`` of things (homes, GPUs). Leave empty for quantities with a unit.
    slips : mapping of str to bool
        Turns a generic slip family on or off for this exercise against its default domain, e.g.
        ``{"joule_wh": True}`` for emissions computed from an energy in joules. Families:
        ``"prefix"``, ``"joule_wh"``, ``"calendar"``, ``"percent"``, ``"sign"``.
    hints : sequence of str or callable
        Progressive hints, from a nudge to nearly the method. A callable returns the text, so a
        hint can quote sourced numbers without typing them in.
    misconceptions : sequence of Misconception
        Mistakes specific to this exercise, checked before the generic ones.
    also_accepted : sequence of callable
        Other right answers, each within ``rtol``: what a formula the lesson teaches gives from the
        rounded inputs it prints (shares that add up to 101 %), computed like ``expected``.
    pue : callable, optional
        The PUE used in the exercise, so "PUE left out" and "PUE applied twice" can be recognised.
    pue_included : bool
        Whether the expected answer includes the PUE (a facility figure, the default) or not (an IT
        figure, where the PUE is a trap): it decides what a factor of PUE in a wrong answer means.
    count : Count, optional
        A count (of GPUs, queries, …) for the per-unit vs total check.
    shape : tuple, optional
        Shape of an array answer; ``None`` for a scalar.
    choices : dict, optional
        For ``kind="choice"``: option key → explanation shown when that option is chosen wrongly.
    cases : sequence of dict, optional
        For ``kind="function"``: keyword arguments to call the student's function with; the expected
        result of each case is ``expected(**case)``.
    takeaway : str or callable
        One sentence shown with a correct answer: why the result matters (a callable returns it).
    grade : callable, optional
        For ``kind="task"``: ``grade(answer) -> (status, message, code)`` with status "correct" or
        "incorrect"; raise ``ValueError``/``TypeError`` with a plain message for an answer of the wrong
        form (it becomes "invalid"). ``expected`` then returns a reference answer that passes.
    """
    name: str
    title: str
    objective: str
    unit: str = ""
    expected: Callable[..., Any] | None = None
    kind: str = "quantity"
    rtol: float = 0.01
    nature: str = ""
    slips: Mapping[str, bool] = field(default_factory=dict)
    hints: Sequence[str | Callable[[], str]] = ()
    misconceptions: Sequence[Misconception] = ()
    also_accepted: Sequence[Callable[..., Any]] = ()
    pue: Callable[[], float] | None = None
    pue_included: bool = True
    count: Count | None = None
    shape: tuple | None = None
    choices: dict = field(default_factory=dict)
    cases: Sequence[dict] = ()
    takeaway: str | Callable[[], str] = ""
    grade: Callable[[Any], tuple] | None = None

    def __post_init__(self):
        from .checks import CHECKERS
        from .checking import SLIP_FAMILIES
        if self.kind not in CHECKERS:
            raise ValueError(f"Exercise {self.name!r}: unknown kind {self.kind!r}; kinds: {', '.join(CHECKERS)}")
        if self.nature not in NATURES:
            raise ValueError(f"Exercise {self.name!r}: nature must be one of {NATURES}; got {self.nature!r}")
        unknown = set(self.slips) - set(SLIP_FAMILIES)
        if unknown:
            raise ValueError(f"Exercise {self.name!r}: unknown slip families {sorted(unknown)}; "
                             f"families: {', '.join(SLIP_FAMILIES)}")
        if not (isinstance(self.rtol, float) and 0 < self.rtol < 0.5):
            raise ValueError(f"Exercise {self.name!r}: rtol must be a fraction between 0 and 0.5; got {self.rtol!r}")
        if self.expected is None:
            raise ValueError(f"Exercise {self.name!r} needs an `expected` function")
        if self.kind == "choice" and not self.choices:
            raise ValueError(f"Exercise {self.name!r}: a choice exercise needs `choices`")
        if self.kind == "function" and not self.cases:
            raise ValueError(f"Exercise {self.name!r}: a function exercise needs `cases`")
        if self.kind == "task" and self.grade is None:
            raise ValueError(f"Exercise {self.name!r}: a task exercise needs `grade`")
        if not self.hints:
            raise ValueError(f"Exercise {self.name!r} needs at least one hint")

    def tolerance_text(self) -> str:
        """How close an answer must be, as the statement says it: "within 1 %" (from ``rtol``)."""
        return f"within {significant_percent(self.rtol)}"

    @property
    def answer_nature(self) -> str:
        """The declared nature, or the default for the unit: fraction for percent, ratio for none."""
        if self.nature:
            return self.nature
        if self.unit == "percent":
            return "fraction"
        return "ratio" if self.unit in ("", "dimensionless") else ""

    def hint_text(self, number: int) -> str:
        """Hint ``number`` (1-based) as text."""
        hint = self.hints[number - 1]
        return hint() if callable(hint) else hint

    def takeaway_text(self) -> str:
        """The takeaway as text; a computed one is computed once (it quotes fixed, sourced numbers)."""
        if not callable(self.takeaway):
            return self.takeaway
        if "_takeaway" not in self.__dict__:
            object.__setattr__(self, "_takeaway", self.takeaway())  # a cache on a frozen dataclass
        return self.__dict__["_takeaway"]
