"""How an exercise is declared: what to compute, in which unit, how to explain wrong answers.

A chapter's exercises live in one module (``energylab/exercises/chNN.py``) as a list ``EXERCISES`` of
:class:`Exercise` objects. Expected values are *functions* that compute the answer from ``energylab``
and its sources, evaluated once on first use, so nothing is pasted in as a literal and loading a
chapter stays fast.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable, Sequence


@dataclass(frozen=True)
class Misconception:
    """A mistake specific to one exercise, recognised from the wrong answer it produces.

    Give either ``wrong`` (a function computing the answer this mistake leads to, in any compatible
    unit) or ``factor`` (the ratio answer / expected that the mistake produces).
    """
    message: str
    wrong: Callable[[], Any] | None = None
    factor: float | None = None
    code: str = "specific"

    def __post_init__(self):
        if (self.wrong is None) == (self.factor is None):
            raise ValueError("Misconception needs exactly one of `wrong` or `factor`.")


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
    kind : {"quantity", "choice", "function", "task"}
        ``"quantity"``: a number or pint quantity (or array with ``shape``). ``"choice"``: one option
        key from ``choices``. ``"function"``: a Python function, called on ``cases``. ``"task"``: an
        open-ended answer (a selection, a design) judged by ``grade`` against thresholds.
    rtol : float
        Relative tolerance for a correct answer.
    hints : sequence of str or callable
        Progressive hints, from a nudge to nearly the method. A callable returns the text, so a
        hint can quote sourced numbers without typing them in.
    misconceptions : sequence of Misconception
        Mistakes specific to this exercise, checked before the generic ones.
    pue : callable, optional
        The PUE used in the exercise, so "PUE left out" and "PUE applied twice" can be recognised.
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
    hints: Sequence[str | Callable[[], str]] = ()
    misconceptions: Sequence[Misconception] = ()
    pue: Callable[[], float] | None = None
    count: Count | None = None
    shape: tuple | None = None
    choices: dict = field(default_factory=dict)
    cases: Sequence[dict] = ()
    takeaway: str | Callable[[], str] = ""
    grade: Callable[[Any], tuple] | None = None

    def __post_init__(self):
        if self.kind not in ("quantity", "choice", "function", "task"):
            raise ValueError(f"Exercise {self.name!r}: unknown kind {self.kind!r}")
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

    def hint_text(self, number: int) -> str:
        """Hint ``number`` (1-based) as text."""
        hint = self.hints[number - 1]
        return hint() if callable(hint) else hint

    def takeaway_text(self) -> str:
        return self.takeaway() if callable(self.takeaway) else self.takeaway
