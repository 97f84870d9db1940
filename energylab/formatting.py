"""Numbers as text: the one home of every number-to-text format the course prints.

* :func:`fmt` — a quantity or number for prose, three significant figures: ``'1,290 MWh'``;
* :func:`significant` — keeps whole digits: ``'1,367'``; :func:`rounded` — rounds them: ``'1,230'``;
* :func:`percent` — a share as a percentage that never reads "0%" or "100%" when it is not;
* :func:`si` — a number with an SI prefix chosen from its size: ``'39 MFLOP'``, ``'0.13 mJ'``
  (:func:`si_scale` gives the prefix alone);
* :func:`in_words` — a large count in short-scale words: ``'32.2 billion'`` (or ``'32.2 B'``).

Pure functions of floats (and pint quantities for :func:`fmt`); no import of pint at module level
beyond the type check, so this module sits with :mod:`energylab.units` in the lowest layer.
"""
from __future__ import annotations

import math

import numpy as np
import pint

__all__ = ["fmt", "significant", "rounded", "percent", "si", "si_scale", "in_words"]


def fmt(q, unit=None, sig: int = 3) -> str:
    """Format a quantity for prose: ``fmt(1.2873e6 * u.kWh, "MWh")`` → ``'1,290 MWh'``.

    Rounds to ``sig`` significant figures, uses thousands separators and avoids scientific
    notation between 1e-4 and 1e9; arrays print as ``'a–b unit'`` when they hold two values (a range).

    Parameters
    ----------
    q : pint.Quantity or float
        What to print. Plain numbers print without a unit.
    unit : str, optional
        Convert to this unit first.
    sig : int
        Significant figures.
    """
    if isinstance(q, pint.Quantity):
        if unit is not None:
            q = q.to(unit)
        magnitude, unit_text = q.magnitude, format(q.units, "~P")
    else:
        magnitude, unit_text = q, ""
    values = np.atleast_1d(np.asarray(magnitude, dtype=float)).ravel()
    parts = [_round_text(v, sig) for v in values]
    number = "–".join(parts) if len(parts) <= 2 else "[" + ", ".join(parts) + "]"
    unit_text = unit_text.replace(" ", "")
    return f"{number} {unit_text}".strip() if unit_text else number


def _round_text(value: float, sig: int) -> str:
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    exponent = math.floor(math.log10(abs(value)))
    if exponent >= 9 or exponent < -4:
        return f"{value:.{sig - 1}e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")
    decimals = sig - 1 - exponent
    rounded = round(value, decimals)
    if decimals <= 0:
        return f"{int(rounded):,}"
    return f"{rounded:,.{decimals}f}".rstrip("0").rstrip(".")


def significant(x: float, digits: int = 3, decimals: int = 0) -> str:
    """``x`` with thousands separators and at least ``digits`` significant figures, never an exponent.

    Whole digits are never rounded away, and at least ``decimals`` decimals are shown::

        >>> significant(1367.2), significant(14.016), significant(0.004381), significant(110.14, decimals=1)
        ('1,367', '14.0', '0.00438', '110.1')
    """
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else f"{x:g}"
    places = max(decimals, digits - 1 - math.floor(math.log10(abs(x))))
    return f"{x:,.{places}f}"


def rounded(x: float, digits: int = 3) -> str:
    """``x`` rounded to ``digits`` significant figures, with thousands separators and no exponent.

    Unlike :func:`significant`, whole digits are rounded too::

        >>> rounded(15), rounded(0.0468), rounded(1234.5), rounded(99.96)
        ('15.0', '0.0468', '1,230', '100')
    """
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    places = digits - 1 - math.floor(math.log10(abs(x)))
    near = round(x, places)
    if near != 0 and math.floor(math.log10(abs(near))) > math.floor(math.log10(abs(x))):
        places -= 1                                  # 99.96 → '100', not '100.0'
    return f"{round(x, places):,.{max(places, 0)}f}"


def percent(share: float) -> str:
    """A share as a percentage a reader can trust: '21%', '3.4%', '0.34%', '99.7%' (not '100%'), '0%'.

    Shares under 10 % keep two significant figures, so a small share never reads "0%"; a share just
    under 1 never reads "100%".
    """
    p = 100 * share
    if p == 0 or not math.isfinite(p):
        return f"{p:.0f}%"
    if abs(p) < 10:
        places = 1 - math.floor(math.log10(abs(p)))
        if abs(round(p, places)) >= 10:    # 9.96 rounds up a decade: one place fewer
            places -= 1
        return f"{p:.{max(places, 0)}f}%"
    text = f"{p:,.0f}"
    if text == "100" and p < 100:
        text = f"{math.floor(p * 10) / 10:.1f}"
    return f"{text}%"


_SI_PREFIXES = {"P": 1e15, "T": 1e12, "G": 1e9, "M": 1e6, "k": 1e3, "": 1.0, "m": 1e-3, "µ": 1e-6, "n": 1e-9}
_DEFAULT_PREFIXES = ("T", "G", "M", "k", "", "m", "µ", "n")


def si_scale(value: float, prefixes=_DEFAULT_PREFIXES) -> tuple[float, str]:
    """The SI prefix for ``value``: the largest of ``prefixes`` whose scale is not above ``|value|``.

    Returns ``(scale, prefix)``, e.g. ``(1e6, "M")`` for 3.9e7; values below the smallest prefix use it.
    ``prefixes`` is any selection of P, T, G, M, k, "" (none), m, µ, n.
    """
    ordered = sorted(prefixes, key=_SI_PREFIXES.__getitem__, reverse=True)
    prefix = next((p for p in ordered if abs(value) >= _SI_PREFIXES[p]), ordered[-1])
    return _SI_PREFIXES[prefix], prefix


def si(value: float, unit: str, sig: int = 2, *, prefixes=_DEFAULT_PREFIXES) -> str:
    """``value`` (in ``unit``) with an SI prefix chosen from its size: ``si(3.94e7, "FLOP")`` → ``'39 MFLOP'``.

    Rounded like :func:`rounded`; a value that rounds up to 1,000 of one prefix takes the next one
    when ``prefixes`` allows it (``si(999.7, "J", 3)`` → ``'1.00 kJ'``, not ``'1,000 J'``).
    """
    scale, prefix = si_scale(value, prefixes)
    larger = [p for p in prefixes if _SI_PREFIXES[p] == scale * 1e3]
    if larger and abs(float(rounded(value / scale, sig).replace(",", ""))) >= 1000:
        scale, prefix = scale * 1e3, larger[0]
    return f"{rounded(value / scale, sig)} {prefix}{unit}"


_WORDS = ((1e12, "trillion", "T"), (1e9, "billion", "B"), (1e6, "million", "M"))


def in_words(value: float, sig: int = 3, *, short: bool = False) -> str:
    """A count in short-scale words: 3.22e10 → ``'32.2 billion'`` (``short``: ``'32.2 B'``).

    Below a million the number is written out (``'700,000'``); tiny values keep their digits
    without an exponent (2e-5 → ``'0.00002'``).
    """
    for scale, word, letter in _WORDS:
        if abs(value) >= scale:
            return f"{fmt(value / scale, sig=sig)} {letter if short else word}"
    if value != 0 and math.isfinite(value) and abs(value) < 1e-4:   # fmt would switch to 2.0e-5
        decimals = sig - 1 - math.floor(math.log10(abs(value)))
        return f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return fmt(value, sig=sig)
