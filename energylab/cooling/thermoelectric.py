"""Thermoelectric (Peltier) coolers: solid-state heat pumps, good for hot spots, poor for bulk cooling.

A current through a thermoelectric junction pumps heat from one face to the other (the Peltier effect). Its
quality is the figure of merit ZT (≈1 for commercial Bi2Te3, fact ``thermoelectric_zt_bi2te3``). The best COP an
ideal module reaches between T_c and T_h (the textbook ideal-module result, e.g. Goldsmid):

    COP_max = (T_c / ΔT) · (√(1 + ZT) − T_h/T_c) / (√(1 + ZT) + 1)

* :func:`peltier_cop_max`, :func:`peltier_max_delta_t`.
* :func:`peltier_vs_compressor` — the same fluid temperatures with a vapour-compression chiller (a fraction of
  Carnot derived from rated chiller COPs, between refrigerant temperatures a few kelvin beyond the fluids): at
  data-centre lifts (15–20 K) the compressor wins by ≈3× against an ideal ZT = 1 module and by an order of
  magnitude against the practical range of real modules (fact ``peltier_cop_practical``); only at lifts of a
  few kelvin can an ideal module beat it.
* :func:`spot_cooling` — where Peltiers make sense: a few watts, a few kelvin, switched on in milliseconds.

    >>> from energylab.units import u
    >>> from energylab.cooling import thermoelectric as te
    >>> print(te.peltier_cop_max(15 * u.degC, 35 * u.degC).round(2))
    2.06
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from ..units import as_fraction, as_quantity, fmt, plain
from ._common import LazyAssumptions, fact, kelvin

__all__ = ["peltier_cop_max", "peltier_max_delta_t", "peltier_vs_compressor", "PeltierComparison",
           "spot_cooling", "SpotCooling", "THERMOELECTRIC_ASSUMPTIONS"]

#: Share of the ideal COP_max a real module reaches (course assumption, see :data:`THERMOELECTRIC_ASSUMPTIONS`).
PRACTICAL_FRACTION = 0.4


def _assumptions() -> dict:
    """Course assumptions of this module, quoting registry values from the registry (not marked used)."""
    from .. import sources
    facts = sources.all_facts()
    zt = float(facts["thermoelectric_zt_bi2te3"].q.magnitude)
    low, high = (float(x) for x in facts["peltier_cop_practical"].q.magnitude)
    th = 35.0 + 273.15                                  # a warm hot side, as in the chapter's examples
    m = np.sqrt(1.0 + zt)
    ideal = [((th - dt) / dt) * (m - th / (th - dt)) / (m + 1.0) for dt in (20.0, 40.0)]
    lo, hi = sorted(PRACTICAL_FRACTION * c for c in ideal)
    return {"practical_fraction": (
        f"{PRACTICAL_FRACTION:g} of the ideal COP_max",
        f"Turns the ideal COP at ZT ≈ {zt:g} into ≈{lo:.1f}–{hi:.1f} at ΔT 20–40 K (35 °C hot side), close to the "
        f"practical ≈{low:g}–{high:g} of fact peltier_cop_practical (not independently checked).")}


#: Course assumptions of this module: (value, reason).
THERMOELECTRIC_ASSUMPTIONS = LazyAssumptions(_assumptions)


def _zt(zt) -> np.ndarray:
    value = fact("thermoelectric_zt_bi2te3") if zt is None else as_quantity(zt, "dimensionless", "zt",
                                                                            positive=True).magnitude
    return np.asarray(value, dtype=float)


def peltier_cop_max(t_cold, t_hot, zt=None) -> pint.Quantity:
    """Maximum cooling COP of an ideal thermoelectric module (the textbook ideal-module formula).

    COP_max = (T_c/ΔT)·(√(1+ZT) − T_h/T_c)/(√(1+ZT) + 1), ΔT = T_h − T_c, with ZT taken at the mean temperature.
    It falls as ΔT rises and reaches 0 at :func:`peltier_max_delta_t`; beyond that the module cannot hold the
    difference (0 is returned). As ZT → ∞ it tends to the Carnot COP T_c/ΔT.

    Parameters
    ----------
    t_cold : pint.Quantity or float or array_like
        Cold-face temperature (K, °C or °F quantity; plain numbers in K).
    t_hot : pint.Quantity or float or array_like
        Hot-face temperature, above ``t_cold``.
    zt : float or array_like, optional
        Figure of merit, greater than 0; default 1 (``thermoelectric_zt_bi2te3``, Snyder & Toberer 2008).

    Returns
    -------
    pint.Quantity
        Dimensionless COP (heat pumped / electricity), at least 0.

    Raises
    ------
    ValueError
        ``t_hot`` not above ``t_cold``; plain numbers that look like °C; ZT not positive.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(peltier_cop_max(25 * u.degC, 35 * u.degC, [1, 2]).round(2))
    [4.7 7.62]
    """
    from .refrigeration import _pair
    tc, th = _pair(t_cold, t_hot)
    m = np.sqrt(1.0 + _zt(zt))
    cop = (tc / (th - tc)) * (m - th / tc) / (m + 1.0)
    return plain(np.maximum(cop, 0.0), "dimensionless")


def peltier_max_delta_t(t_hot, zt=None) -> pint.Quantity:
    """Largest temperature difference an ideal module can hold (pumping no heat): T_h·(1 − 1/√(1+ZT)).

    Where the ideal-module formula's COP reaches zero. With ZT at the mean temperature this equals the textbook
    ΔT_max = ½·Z·T_c².

    Parameters
    ----------
    t_hot : pint.Quantity or float or array_like
        Hot-face temperature (plain numbers in K).
    zt : float, optional
        Default 1.

    Returns
    -------
    pint.Quantity
        Temperature difference in K.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(peltier_max_delta_t(35 * u.degC).round(1))
    90.3 K
    """
    th = np.asarray(kelvin(t_hot, "t_hot"))
    return plain(th * (1.0 - 1.0 / np.sqrt(1.0 + _zt(zt))), "K")


class PeltierComparison(NamedTuple):
    """Thermoelectric vs vapour compression between the same fluid temperatures."""
    peltier_cop_max: pint.Quantity      # ideal module at this ZT, faces at the fluid temperatures
    peltier_cop_practical: pint.Quantity  # registry range for real modules (ΔT 20–40 K)
    compressor_cop: pint.Quantity       # η × Carnot between the refrigerant temperatures (approaches applied)
    carnot_cop: pint.Quantity           # Carnot between the fluid temperatures
    ratio: pint.Quantity                # compressor COP / ideal Peltier COP

    def __str__(self) -> str:
        head = (f"Carnot {fmt(self.carnot_cop)}, compressor {fmt(self.compressor_cop)}, ideal Peltier "
                f"{fmt(self.peltier_cop_max)} (real modules ≈{fmt(self.peltier_cop_practical)}, not independently "
                f"checked): ")
        ratio = np.asarray(self.ratio.magnitude)
        if ratio.ndim == 0 and ratio < 1:
            return head + f"the ideal Peltier needs {fmt(1 / self.ratio)}× less electricity"
        return head + f"the compressor needs {fmt(self.ratio)}× less electricity"


def peltier_vs_compressor(t_cold, t_hot, zt=None) -> PeltierComparison:
    """Compare a Peltier module with a vapour-compression chiller working between the same fluid temperatures.

    ``t_cold`` is the fluid being cooled (chilled water), ``t_hot`` the fluid taking the heat away (condenser
    water). A chiller's refrigerant must be colder than the first and hotter than the second, so its COP is
    η·T_evap/(T_cond − T_evap) with T_evap = t_cold − 3 K and T_cond = t_hot + 7 K (the approach temperatures of
    :data:`~energylab.cooling.refrigeration.DEFAULT_APPROACHES`, the same ones that derive η from rated COPs) and a
    lift of at least 10 K; η is the central Carnot fraction of water-cooled chillers
    (:func:`~energylab.cooling.refrigeration.chiller_efficiency_fraction`, ASHRAE 90.1 rated COPs). The
    Peltier module is ideal and its faces are taken at the fluid temperatures (no heat-sink approach), which
    flatters it; real modules reach far less (``peltier_cop_practical``).

    Parameters
    ----------
    t_cold, t_hot : pint.Quantity or float or array_like
        Temperatures (plain numbers in K), ``t_hot`` above ``t_cold``.
    zt : float, optional
        Default 1.

    Returns
    -------
    PeltierComparison
        COPs and the ratio compressor / ideal Peltier (below 1 only at lifts of a few kelvin).

    Examples
    --------
    >>> from energylab.units import u
    >>> c = peltier_vs_compressor(15 * u.degC, 35 * u.degC)     # chilled water to a warm day
    >>> print(c.compressor_cop.round(1), c.peltier_cop_max.round(2), c.ratio.round(1))
    7 2.06 3.4
    """
    from .refrigeration import DEFAULT_APPROACHES, _cop, _pair, chiller_efficiency_fraction
    tc, th = _pair(t_cold, t_hot)
    carnot = tc / (th - tc)
    t_evap = tc - DEFAULT_APPROACHES["evaporator"]
    t_cond = th + DEFAULT_APPROACHES["condenser_water"]
    compressor = _cop(t_evap, t_cond, chiller_efficiency_fraction("water").magnitude, 0.0)
    pelt = peltier_cop_max(t_cold, t_hot, zt).magnitude
    ratio = np.where(pelt > 0, compressor / np.where(pelt > 0, pelt, 1.0), np.inf)
    return PeltierComparison(plain(pelt, "dimensionless"),
                             plain(fact("peltier_cop_practical"), "dimensionless"),
                             plain(compressor, "dimensionless"), plain(carnot, "dimensionless"),
                             plain(ratio, "dimensionless"))


class SpotCooling(NamedTuple):
    """A Peltier module cooling a hot spot (see :func:`spot_cooling`)."""
    heat: pint.Quantity            # W pumped from the hot spot
    cop: pint.Quantity             # COP used
    electricity: pint.Quantity     # W the module draws
    heat_rejected: pint.Quantity   # W its hot face must shed = heat + electricity
    sensible: bool | np.ndarray    # COP ≥ 1 and heat ≤ 100 W: a good use

    def __str__(self) -> str:
        verdict = ("a sensible spot cooler" if np.all(self.sensible) else
                   "a poor choice: the electricity rivals the heat; cool it with liquid or a compressor")
        return (f"pumping {fmt(self.heat)} takes {fmt(self.electricity)} (COP {fmt(self.cop)}), and "
                f"{fmt(self.heat_rejected)} must leave the hot face: {verdict}")


def spot_cooling(heat, t_cold, t_hot, zt=None, practical_fraction: float = PRACTICAL_FRACTION) -> SpotCooling:
    """Electricity and heat of a Peltier module cooling a hot spot.

    A thermoelectric cooler adds its own electricity to the heat its hot side must shed: Q_h = Q_c·(1 + 1/COP).
    That is tolerable for a few watts over a few kelvin (a laser diode, a sensor, one hot spot on a package,
    switched on and off in milliseconds, with no moving parts), never for a 120 kW rack at a 20 K lift.

    Parameters
    ----------
    heat : pint.Quantity or float or array_like
        Heat to pump from the cold face, at least 0; plain numbers in W.
    t_cold, t_hot : pint.Quantity or float or array_like
        Face temperatures (plain numbers in K).
    zt : float, optional
        Default 1.
    practical_fraction : float, optional
        Share of the ideal COP a real module reaches, in (0, 1]; default 0.4 (course assumption: it turns the
        ideal COP at ZT = 1 into ≈0.3–0.8 at ΔT 20–40 K, the practical 0.3–0.7 of fact
        ``peltier_cop_practical``). Use 1 for the ideal module.

    Returns
    -------
    SpotCooling
        Heat, COP, electricity, heat rejected, and ``sensible`` (COP ≥ 1 and heat ≤ 100 W).

    Examples
    --------
    >>> from energylab.units import u
    >>> print(spot_cooling(5 * u.W, 60 * u.degC, 65 * u.degC).sensible,
    ...       spot_cooling(120 * u.kW, 15 * u.degC, 35 * u.degC).sensible)
    True False
    """
    q = as_quantity(heat, "W", "heat", nonnegative=True).magnitude
    share = float(as_fraction(practical_fraction, "practical_fraction").magnitude)
    cop = peltier_cop_max(t_cold, t_hot, zt).magnitude * share
    with np.errstate(divide="ignore"):
        electricity = np.where(cop > 0, np.asarray(q) / np.where(cop > 0, cop, 1.0), np.inf)
    sensible = (np.asarray(cop) >= 1.0) & (np.asarray(q) <= 100.0)
    return SpotCooling(plain(q, "W"), plain(cop, "dimensionless"), plain(electricity, "W"),
                       plain(np.asarray(q) + electricity, "W"),
                       bool(sensible) if np.ndim(sensible) == 0 else sensible)

