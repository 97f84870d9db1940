"""How sure is a headline figure? Interval bounds, Monte Carlo spread and a tornado chart of the inputs.

A model ``f(**inputs)`` written with numpy broadcasts over arrays, so every corner of the box of input ranges (2^k
combinations of low and high) is one vectorised call. For a model monotone in each input, as the cost models here
are, the lowest and highest corner bound the output exactly (interval arithmetic). A Monte Carlo draw, each input
uniform over its range, gives a typical spread instead of the worst case; a tornado chart moves one input at a
time from its low to its high with the others central, and ranks the inputs by the swing they cause.
"""
from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from ..randomness import check_seed

__all__ = ["Interval", "interval", "monte_carlo", "TornadoBar", "tornado"]


class Interval(NamedTuple):
    """A central value and the bounds an uncertainty analysis gives it."""
    low: float
    central: float
    high: float

    def __str__(self) -> str:
        return f"{self.central:.4g} ({self.low:.4g}–{self.high:.4g})"


def _check(f, ranges: dict, central: dict) -> None:
    if not callable(f):
        raise TypeError(f"f must be a function of the inputs by keyword; got {type(f).__name__}.")
    if not isinstance(ranges, dict) or not ranges:
        raise TypeError("ranges must be a non-empty dict {input name: (low, high)}.")
    for name, bounds in ranges.items():
        if not (isinstance(bounds, (tuple, list)) and len(bounds) == 2) or not bounds[0] <= bounds[1]:
            raise ValueError(f"ranges[{name!r}] must be (low, high) with low ≤ high; got {bounds!r}.")
        if name in central and not bounds[0] <= central[name] <= bounds[1]:
            raise ValueError(f"central[{name!r}] = {central[name]!r} lies outside its range {tuple(bounds)}.")
    missing = set(ranges) - set(central)
    if missing:
        raise ValueError(f"central must give a value for every input with a range; missing {sorted(missing)}.")


def _value(x) -> np.ndarray:
    return np.asarray(getattr(x, "magnitude", x), dtype=float)


def interval(f, ranges: dict, central: dict) -> Interval:
    """Bounds of ``f`` over every corner of the box of ``ranges`` (exact for a model monotone in each input).

    Parameters
    ----------
    f : callable
        ``f(**inputs)`` → a number or quantity; must broadcast over numpy arrays.
    ranges : dict
        Input name → (low, high), plain numbers in the unit ``f`` reads them in.
    central : dict
        Input name → central value; inputs without a range are held at it.

    Returns
    -------
    Interval
        Magnitudes, in the unit ``f`` returns.

    Examples
    --------
    >>> interval(lambda a, b: a / b, {"a": (1, 2), "b": (1, 4)}, {"a": 1.5, "b": 2})
    Interval(low=0.25, central=0.75, high=2.0)
    """
    _check(f, ranges, central)
    names = list(ranges)
    corners = np.array(list(itertools.product(*(ranges[n] for n in names))), dtype=float)
    values = _value(f(**(central | {n: corners[:, i] for i, n in enumerate(names)})))
    middle = float(_value(f(**central)))
    return Interval(float(values.min()), middle, float(values.max()))


def monte_carlo(f, ranges: dict, central: dict, n: int = 10_000, seed: int = 0, percentiles=(5, 95)) -> Interval:
    """Spread of ``f`` with each ranged input drawn uniformly and independently over its range.

    Returns the ``percentiles`` of the draws around the central value (defaults: the 5th and 95th); the bounds lie
    inside :func:`interval`'s, because all inputs rarely sit at their worst together.
    """
    _check(f, ranges, central)
    seed = check_seed(seed)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 10:
        raise ValueError(f"n (number of draws) must be an integer of at least 10; got {n!r}.")
    rng = np.random.default_rng(seed)
    draws = {name: rng.uniform(lo, hi, n) for name, (lo, hi) in ranges.items()}
    values = _value(f(**(central | draws)))
    lo, hi = np.percentile(values, percentiles)
    return Interval(float(lo), float(_value(f(**central))), float(hi))


class TornadoBar(NamedTuple):
    """One input's effect: ``f`` with the input at its low and at its high end, the others central."""
    name: str
    at_low: float
    at_high: float

    @property
    def swing(self) -> float:
        return abs(self.at_high - self.at_low)


def tornado(f, ranges: dict, central: dict) -> list[TornadoBar]:
    """One bar per input, widest swing first: what matters most for the headline figure.

    Examples
    --------
    >>> [bar.name for bar in tornado(lambda a, b: a + 10 * b, {"a": (0, 1), "b": (0, 1)}, {"a": 0.5, "b": 0.5})]
    ['b', 'a']
    """
    _check(f, ranges, central)
    bars = []
    for name, (lo, hi) in ranges.items():
        at = _value(f(**(central | {name: np.array([lo, hi], dtype=float)})))
        at = np.broadcast_to(at, (2,))
        bars.append(TornadoBar(name, float(at[0]), float(at[1])))
    return sorted(bars, key=lambda bar: -bar.swing)
