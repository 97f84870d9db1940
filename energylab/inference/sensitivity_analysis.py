"""One-at-a-time sensitivity: which assumption of a per-query estimate moves the answer most.

:func:`sensitivity` scales each numeric input of a model (by default :func:`roofline_query_energy` in
the course's roofline scenario) down and up by a factor, clipped to its valid range, and ranks the
inputs by the swing of the answer.
"""
from __future__ import annotations

from typing import NamedTuple
from collections.abc import Callable, Mapping

import numpy as np
import pint

from ..units import Q_, as_number, fmt, is_quantity
from .estimates import _scenario_inputs
from .per_query import roofline_query_energy

__all__ = ["SensitivityRow", "Sensitivity", "sensitivity"]


# Valid ranges of the inputs the sensitivity analysis may scale: (low, high), None for unbounded.
_BOUNDS = {
    "utilisation": (None, 1.0), "bandwidth_utilisation": (None, 1.0), "power_fraction": (None, 1.0),
    "prefill_utilisation": (None, 1.0), "load": (None, 1.0), "pue": (1.0, None), "batch_size": (1.0, None),
    "n_accelerators": (1.0, None), "overhead": (1.0, None),
}


class SensitivityRow(NamedTuple):
    """One assumption scaled down and up by the factor, the others held at their base values.

    ``low_value``/``high_value`` are the values used (clipped to the valid range, e.g. a PUE cannot go
    below 1; ``clipped`` says so); ``energy_low``/``energy_high`` the results; ``swing`` the ratio of
    the larger result to the smaller one (1 = no effect).
    """
    name: str
    base_value: object
    low_value: object
    high_value: object
    energy_low: pint.Quantity
    energy_high: pint.Quantity
    swing: float
    clipped: bool


class Sensitivity(NamedTuple):
    """Result of :func:`sensitivity`: the base answer and one row per assumption, largest swing first."""
    base: pint.Quantity
    rows: list
    factor: float

    @property
    def most_influential(self) -> str:
        """Name of the assumption with the largest swing (ties: alphabetical order)."""
        return self.rows[0].name

    def text(self, unit: str = "Wh") -> str:
        """A plain-text table (deterministic, for notebooks)."""
        lines = [f"base: {fmt(self.base, unit)}; each assumption ÷{self.factor:g} and ×{self.factor:g}",
                 f"{'assumption':<24}{'÷ → energy':>16}{'× → energy':>16}{'swing':>9}"]
        for row in self.rows:
            mark = " (clipped)" if row.clipped else ""
            lines.append(f"{row.name:<24}{fmt(row.energy_low, unit):>16}{fmt(row.energy_high, unit):>16}"
                         f"{row.swing:>8.2f}×{mark}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())


def _scaled(value, factor: float, name: str):
    """``value × factor`` clipped to the valid range of ``name``; (scaled value, clipped?)."""
    if is_quantity(value) and value.dimensionless:
        value = value.to("dimensionless")  # 70 percent → 0.7, so the bounds below apply
    magnitude = value.magnitude if is_quantity(value) else value
    scaled = np.asarray(magnitude, dtype=float) * factor
    low, high = _BOUNDS.get(name, (None, None))
    clipped = False
    if low is not None and np.any(scaled < low):
        scaled, clipped = np.maximum(scaled, low), True
    if high is not None and np.any(scaled > high):
        scaled, clipped = np.minimum(scaled, high), True
    scaled = float(scaled) if scaled.ndim == 0 else scaled
    return (Q_(scaled, value.units) if is_quantity(value) else scaled), clipped


def sensitivity(base_assumptions: Mapping | None = None, factor=2, model: Callable | None = None) -> Sensitivity:
    """One-at-a-time sensitivity: scale each numeric assumption by ÷factor and ×factor, see what moves.

    Parameters
    ----------
    base_assumptions : mapping, optional
        Keyword arguments of ``model`` (numbers or quantities; text such as an accelerator's name is
        held fixed). Default: the course's roofline scenario (:func:`roofline_estimate`'s inputs).
    factor : float, optional
        How far to move each assumption, greater than 1. Default 2 (halve and double).
    model : callable, optional
        The function giving the answer from the assumptions. Default :func:`roofline_query_energy`.
        Any of this module's per-query functions works, e.g. :func:`query_energy_from_flops` with
        :func:`epoch_estimate`'s ``inputs``.

    Returns
    -------
    Sensitivity
        ``base`` (the answer at the base values), ``rows`` (a :class:`SensitivityRow` per numeric
        assumption, largest swing first, ties in alphabetical order), ``factor``;
        ``.most_influential`` and ``.text()`` for a table.

    Raises
    ------
    TypeError
        ``base_assumptions`` not a mapping, ``model`` not callable, ``factor`` not a number.
    ValueError
        ``factor`` not greater than 1; the model rejects the base assumptions.

    Examples
    --------
    >>> result = sensitivity()
    >>> result.most_influential, round(result.rows[0].swing, 2)
    ('tokens_out', 4.08)
    >>> [row.name for row in result.rows if row.swing == 1.0]          # no effect while memory-bound
    ['d_attn', 'n_accelerators', 'n_layers', 'prefill_utilisation', 'tokens_in', 'utilisation']

    Notes
    -----
    Values are clipped to their valid range (fractions ≤ 1, PUE ≥ 1, batch ≥ 1), so a 70 % power
    fraction "doubled" becomes 100 %: such rows are marked ``clipped``. For a pure product (Epoch's
    method) every input swings the answer by the same factor²: then what matters is not the swing but
    how uncertain each input is. The roofline scenario is more telling: while decoding is
    memory-bound, the FLOP utilisation and the number of GPUs do not matter, the batch size does.
    """
    if model is None:
        model = roofline_query_energy
    if not callable(model):
        raise TypeError(f"model must be a function of the assumptions; got {type(model).__name__}.")
    if base_assumptions is None:
        base_assumptions = _scenario_inputs()[0]
    if not isinstance(base_assumptions, Mapping):
        raise TypeError(f"base_assumptions must be a mapping of keyword arguments (a dict); "
                        f"got {type(base_assumptions).__name__}.")
    k = as_number(factor, "factor")
    if k <= 1:
        raise ValueError(f"factor must be greater than 1 (a plain number such as 2); got {k:g}.")
    base = dict(base_assumptions)
    base_energy = model(**base)
    rows = []
    for name, value in base.items():
        if isinstance(value, (str, bool)) or value is None:
            continue
        magnitude = value.magnitude if is_quantity(value) else value
        try:
            np.asarray(magnitude, dtype=float)
        except (TypeError, ValueError):
            continue
        low_value, clipped_low = _scaled(value, 1 / k, name)
        high_value, clipped_high = _scaled(value, k, name)
        energy_low = model(**{**base, name: low_value})
        energy_high = model(**{**base, name: high_value})
        values = np.array([np.max(np.asarray(e.to(base_energy.units).magnitude))
                           for e in (energy_low, energy_high, base_energy)])
        smallest, largest = values.min(), values.max()
        swing = float(largest / smallest) if smallest > 0 else (1.0 if largest == 0 else float("inf"))
        swing = round(swing, 12)
        rows.append(SensitivityRow(name, value, low_value, high_value, energy_low, energy_high, swing,
                                   clipped_low or clipped_high))
    rows.sort(key=lambda row: (-row.swing, row.name))
    return Sensitivity(base_energy, rows, k)
