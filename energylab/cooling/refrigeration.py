"""Refrigeration: how much work it takes to pump heat uphill, ideally (Carnot) and in a real chiller.

* :func:`carnot_cop_cooling` T_c/(T_h − T_c) and :func:`carnot_cop_heating` T_h/(T_h − T_c), in kelvin.
* :func:`chiller_efficiency_fraction` — the share of the Carnot COP a real chiller reaches, *derived* from the
  registry's rated COP ranges (ASHRAE 90.1) at AHRI 550/590 standard rating conditions.
* :func:`chiller_cop` — a chiller whose COP is that fraction of the Carnot COP between its evaporating and
  condensing temperatures, which follow the chilled-water set-point and the outdoor (dry- or wet-bulb)
  temperature through approach temperatures.
* :func:`economiser_fraction`, :func:`free_cooling_hours` — when the outdoor air or tower water is cold enough
  to cool the chilled water without a compressor (free cooling).

Absolute temperatures are quantities in K, °C or °F (``7 * u.degC``); plain numbers are read in **kelvin**, and
a plain number below 150 (surely meant in °C) is refused with a hint. Temperature differences are K or
``u.delta_degC``.

    >>> from energylab.units import u
    >>> from energylab.cooling import refrigeration as r
    >>> print(round(r.carnot_cop_cooling(298 * u.K, 308 * u.K), 1))
    29.8
    >>> print(r.chiller_cop(35 * u.degC, 7 * u.degC, kind="air").round(2))
    3.18
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from ..units import as_choice, as_quantity, plain
from ._common import ZERO_CELSIUS, LazyAssumptions, fact, kelvin, kelvin_difference

__all__ = [
    "CHILLER_KINDS", "carnot_cop_cooling", "carnot_cop_heating", "chiller_efficiency_fraction",
    "chiller_cop", "economiser_fraction", "FreeCooling", "free_cooling_hours", "REFRIGERATION_ASSUMPTIONS",
    "DEFAULT_APPROACHES", "rating_temperatures",
]

#: Chiller kinds: "water" (water-cooled, with a cooling tower) and "air" (air-cooled condenser).
CHILLER_KINDS = ("water", "air")

#: Default approach temperatures (K) and limits, by chiller kind. Course assumptions, see below.
DEFAULT_APPROACHES = {
    "evaporator": 3.0,          # refrigerant evaporates this far below the leaving chilled water
    "condenser_water": 7.0,     # refrigerant condenses this far above the entering condenser water
    "tower": 4.0,               # cooling-tower water leaves this far above the outdoor wet-bulb
    "dry_cooler": 6.0,          # a dry cooler's water leaves this far above the outdoor dry-bulb
    "economiser_hx": 2.0,       # the economiser's heat exchanger: loop water leaves this far above the cooling water
    "min_condensing_c": 25.0,   # head-pressure control keeps condensing at or above this (°C)
    "min_lift": 10.0,           # smallest condensing − evaporating difference a compressor runs at
}

def _refrigeration_assumptions() -> dict:
    """Course assumptions of this module, quoting registry values from the registry (not marked used)."""
    from .. import sources
    facts = sources.all_facts()

    def q(fact_id, unit):
        return facts[fact_id].q.to(unit).magnitude

    cond_f, amb_f = q("ahri_air_cooled_condensing_rating", "degF"), q("ahri_air_cooled_ambient_rating", "degF")
    approach_air = float(q("ahri_air_cooled_condensing_rating", "K") - q("ahri_air_cooled_ambient_rating", "K"))
    t_evap = float(q("ahri_chilled_water_leaving_rating", "K")) - DEFAULT_APPROACHES["evaporator"]
    t_cond = {"water": float(q("ahri_condenser_water_entering_rating", "K")) + DEFAULT_APPROACHES["condenser_water"],
              "air": float(q("ahri_air_cooled_condensing_rating", "K"))}
    eta = {}
    for kind, fid in (("water", "chiller_cop_water_cooled"), ("air", "chiller_cop_air_cooled")):
        low, high = (float(x) for x in q(fid, "dimensionless"))
        factor = (t_cond[kind] - t_evap) / t_evap
        eta[kind] = f"{low * factor:.2f}–{high * factor:.2f} ({0.5 * (low + high) * factor:.2f})"
    entering_f = float(q("ahri_condenser_water_entering_rating", "degF"))
    return {
        "evaporator_approach": (f"{DEFAULT_APPROACHES['evaporator']:g} K",
                                "Refrigerant evaporates 2–4 K below the leaving chilled water in a flooded or "
                                "plate evaporator."),
        "condenser_approach_water": (f"{DEFAULT_APPROACHES['condenser_water']:g} K above the entering condenser water",
                                     f"The condenser water warms ≈5 K through the condenser (from {entering_f:g} °F "
                                     f"at AHRI rating) and the refrigerant condenses ≈2 K above the leaving water."),
        "condenser_approach_air": (f"{approach_air:.1f} K above the outdoor air (from the registry)",
                                   f"AHRI 550/590 rates condenserless chillers for air-cooled condensers at a "
                                   f"{float(cond_f):g} °F condensing temperature with {float(amb_f):g} °F outdoor air "
                                   f"(facts ahri_air_cooled_*)."),
        "tower_approach": (f"{DEFAULT_APPROACHES['tower']:g} K above the wet-bulb",
                           "A typical cooling-tower design approach (≈7 °F): 85 °F condenser water at a 78 °F design "
                           "wet-bulb."),
        "dry_cooler_approach": (f"{DEFAULT_APPROACHES['dry_cooler']:g} K above the outdoor dry-bulb",
                                "A dry cooler (a finned air-to-water coil with fans, no evaporation) cannot cool its "
                                "water all the way down to the outdoor air; a bigger coil or more fan power narrows "
                                "the gap. Used by the site model and the free-cooling examples."),
        "economiser_approach": (f"{DEFAULT_APPROACHES['economiser_hx']:g} K across the economiser's heat exchanger",
                                "A plate heat exchanger keeps the outdoor (dry-cooler or tower) water apart from the "
                                "chilled-water loop; the loop leaves it this much warmer than the water that cools "
                                "it. Default of economiser_fraction and free_cooling_hours, and of the site model."),
        "carnot_fraction": ("derived, not assumed",
                            f"η = rated COP × (T_cond − T_evap) / T_evap at AHRI rating conditions, for each end of "
                            f"the registry's COP range; the central value uses the middle of the range. Water-cooled: "
                            f"η ≈ {eta['water']}; air-cooled η ≈ {eta['air']}. These are fractions of the Carnot COP "
                            f"between the refrigerant's evaporating and condensing temperatures (basis "
                            f"'refrigerant'); between the water or air temperatures outside the machine (basis "
                            f"'fluids') the same COPs are smaller fractions. Held constant at other lifts — a "
                            f"simplification (real chillers lose some efficiency far from their design point)."),
        "min_condensing": (f"{DEFAULT_APPROACHES['min_condensing_c']:g} °C",
                           "Without an economiser, head-pressure control keeps the condensing temperature up in cold "
                           "weather, so a chiller's COP stops improving below ≈8 °C outdoors."),
        "min_lift": (f"{DEFAULT_APPROACHES['min_lift']:g} K",
                     "Compressors need a minimum pressure ratio; it also keeps the COP finite at tiny lifts."),
    }


#: Course assumptions of this module: (value, reason).
REFRIGERATION_ASSUMPTIONS = LazyAssumptions(_refrigeration_assumptions)

_RATED_COP = {"water": "chiller_cop_water_cooled", "air": "chiller_cop_air_cooled"}


def carnot_cop_cooling(t_cold, t_hot) -> pint.Quantity:
    """Carnot (ideal) coefficient of performance of a refrigerator: COP = T_c / (T_h − T_c), in kelvin.

    Heat removed from the cold side per unit of work, for a reversible machine: no real chiller does better.

    Parameters
    ----------
    t_cold : pint.Quantity or float or array_like
        Temperature the heat is taken from (K, °C or °F quantity; plain numbers in K).
    t_hot : pint.Quantity or float or array_like
        Temperature the heat is rejected to; must be above ``t_cold`` (else no work is needed: free cooling).

    Returns
    -------
    pint.Quantity
        Dimensionless COP, broadcast over the inputs.

    Raises
    ------
    TypeError
        Not temperatures.
    ValueError
        Plain numbers that look like °C, or ``t_hot`` not above ``t_cold``.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(round(carnot_cop_cooling(291 * u.K, 313 * u.K), 2))   # the registry's 291 / 22 ≈ 13
    13.23
    >>> print(round(carnot_cop_cooling(25 * u.degC, 35 * u.degC), 2))  # °C converted to K first
    29.81

    Notes
    -----
    Thermodynamics textbooks (e.g. Ling et al. 2016, OpenStax University Physics 2, ch. 4); the registry's
    worked examples are ``carnot_cop_298k_10k_lift`` and ``carnot_cop_291k_22k_lift``.
    """
    tc, th = _pair(t_cold, t_hot)
    return plain(tc / (th - tc), "dimensionless")


def carnot_cop_heating(t_cold, t_hot) -> pint.Quantity:
    """Carnot COP of a heat pump: heat delivered at T_h per unit of work, T_h / (T_h − T_c) = 1 + COP_cooling.

    Parameters
    ----------
    t_cold : pint.Quantity or float or array_like
        Source temperature (K, °C or °F quantity; plain numbers in K).
    t_hot : pint.Quantity or float or array_like
        Delivery temperature, above ``t_cold``.

    Returns
    -------
    pint.Quantity
        Dimensionless COP.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(round(carnot_cop_heating(28 * u.degC, 65 * u.degC), 2))   # Equinix PA10's lift
    9.14
    """
    tc, th = _pair(t_cold, t_hot)
    return plain(th / (th - tc), "dimensionless")


def _pair(t_cold, t_hot):
    tc = np.asarray(kelvin(t_cold, "t_cold"))
    th = np.asarray(kelvin(t_hot, "t_hot"))
    if np.any(th <= tc):
        bad = np.broadcast_arrays(tc, th)
        i = np.argmax((bad[1] <= bad[0]).ravel())
        raise ValueError(f"t_hot must be above t_cold; got t_cold = {bad[0].ravel()[i] - ZERO_CELSIUS:.4g} °C and "
                         f"t_hot = {bad[1].ravel()[i] - ZERO_CELSIUS:.4g} °C. When the heat sink is colder than the "
                         "cold side, heat flows by itself: free cooling, no compressor needed.")
    return tc, th


_BASES = ("refrigerant", "fluids")


def _rating_conditions(kind: str, basis: str = "refrigerant"):
    """(T_cold, T_hot) in K at AHRI 550/590 standard rating conditions.

    Basis "refrigerant": evaporating and condensing temperatures (the fluids' temperatures and the course's
    approaches). Basis "fluids": leaving chilled water and entering condenser water (water-cooled) or outdoor
    air (air-cooled), the temperatures outside the machine.
    """
    t_chw = fact("ahri_chilled_water_leaving_rating", "K")
    if basis == "fluids":
        return t_chw, (fact("ahri_condenser_water_entering_rating", "K") if kind == "water"
                       else fact("ahri_air_cooled_ambient_rating", "K"))
    t_evap = t_chw - DEFAULT_APPROACHES["evaporator"]
    if kind == "water":
        t_cond = fact("ahri_condenser_water_entering_rating", "K") + DEFAULT_APPROACHES["condenser_water"]
    else:
        t_cond = fact("ahri_air_cooled_condensing_rating", "K")
    return t_evap, t_cond


def _air_condenser_approach() -> float:
    return fact("ahri_air_cooled_condensing_rating", "K") - fact("ahri_air_cooled_ambient_rating", "K")


def rating_temperatures(kind: str = "water", basis: str = "refrigerant") -> tuple:
    """The two temperatures a chiller's rated COP is compared with Carnot between, at AHRI 550/590 rating.

    Parameters
    ----------
    kind : {"water", "air"}
        Water-cooled or air-cooled chiller.
    basis : {"refrigerant", "fluids"}
        ``"refrigerant"`` (the course's chiller model): the refrigerant's evaporating temperature (leaving
        chilled water − the evaporator approach) and condensing temperature (entering condenser water + the
        condenser approach, or the AHRI condensing rating for air-cooled condensers). ``"fluids"``: the leaving
        chilled water and the entering condenser water or outdoor air, the temperatures outside the machine.

    Returns
    -------
    tuple of pint.Quantity
        (cold, hot) in °C.

    Examples
    --------
    >>> print(*[t.round(1) for t in rating_temperatures("water", "fluids")])
    6.7 °C 29.4 °C
    """
    kind = as_choice(kind, "kind", CHILLER_KINDS)
    basis = as_choice(basis, "basis", _BASES)
    cold, hot = _rating_conditions(kind, basis)
    return plain(cold - ZERO_CELSIUS, "degC"), plain(hot - ZERO_CELSIUS, "degC")


def chiller_efficiency_fraction(kind: str = "water", which: str = "central",
                                basis: str = "refrigerant") -> pint.Quantity:
    """Share of the Carnot COP a real chiller reaches, derived from its rated COP range.

    η = COP_rated × (T_hot − T_cold) / T_cold at AHRI 550/590 standard rating conditions (44 °F leaving chilled
    water; 85 °F entering condenser water, or 95 °F outdoor air). On the default basis, T_cold and T_hot are the
    refrigerant's evaporating and condensing temperatures, a few kelvin beyond the fluids' (the course's approach
    temperatures, :data:`REFRIGERATION_ASSUMPTIONS`): the η the chiller model uses. On the ``"fluids"`` basis they
    are the chilled water and the condenser water or outdoor air: the lift is smaller, so the Carnot COP is larger
    and the same rated COP is a smaller fraction of it (the "third to a half of Carnot" often quoted).

    Parameters
    ----------
    kind : {"water", "air"}
        Water-cooled (rated COP 5.5–7) or air-cooled (2.8–3.5) chiller (facts ``chiller_cop_water_cooled``,
        ``chiller_cop_air_cooled``, ASHRAE 90.1; not independently checked).
    which : {"central", "low", "high", "range"}
        The middle of the rated range, one end, or both (an array of two).
    basis : {"refrigerant", "fluids"}
        Which two temperatures the Carnot COP is taken between (see :func:`rating_temperatures`).

    Returns
    -------
    pint.Quantity
        Dimensionless fraction, below 1.

    Examples
    --------
    >>> print(chiller_efficiency_fraction("water").round(3), chiller_efficiency_fraction("air").round(3))
    0.74 0.546
    >>> print(chiller_efficiency_fraction("water", "range", basis="fluids").round(2))
    [0.45 0.57]
    """
    kind = as_choice(kind, "kind", CHILLER_KINDS)
    which = as_choice(which, "which", ("central", "low", "high", "range"))
    basis = as_choice(basis, "basis", _BASES)
    low, high = fact(_RATED_COP[kind])
    t_cold, t_hot = _rating_conditions(kind, basis)
    factor = (t_hot - t_cold) / t_cold
    values = {"low": low * factor, "high": high * factor, "central": 0.5 * (low + high) * factor,
              "range": np.array([low, high]) * factor}
    return plain(values[which], "dimensionless")


def chiller_cop(outdoor, setpoint, kind: str = "water", *, wet_bulb=None, carnot_fraction=None,
                approach_evaporator=None, approach_condenser=None, approach_tower=None,
                min_condensing=None) -> pint.Quantity:
    """COP of a vapour-compression chiller: a fixed fraction of the Carnot COP between its refrigerant temperatures.

    T_evap = set-point − approach_evaporator; T_cond = max(sink + approach_condenser, min_condensing), where the
    sink is the outdoor dry-bulb for an air-cooled chiller and the cooling-tower water (wet-bulb + approach_tower)
    for a water-cooled one; COP = η · T_evap / max(T_cond − T_evap, 10 K).

    Parameters
    ----------
    outdoor : pint.Quantity or float or array_like
        Outdoor dry-bulb temperature (K, °C or °F quantity; plain numbers in K); hourly arrays welcome.
    setpoint : pint.Quantity or float or array_like
        Chilled-water supply (leaving) temperature.
    kind : {"water", "air"}
        Water-cooled (cooling tower) or air-cooled chiller.
    wet_bulb : pint.Quantity or float or array_like, optional
        Outdoor wet-bulb temperature, used by water-cooled chillers. If omitted the tower sees the dry-bulb
        (saturated air, the worst case).
    carnot_fraction : float, optional
        η in (0, 1]; default :func:`chiller_efficiency_fraction` (central) for ``kind``.
    approach_evaporator, approach_condenser, approach_tower : pint.Quantity or float, optional
        Temperature differences (K); defaults in :data:`DEFAULT_APPROACHES` (air-cooled condenser: 16.7 K,
        from the AHRI rating conditions).
    min_condensing : pint.Quantity or float, optional
        Lowest condensing temperature (head-pressure control); default 25 °C.

    Returns
    -------
    pint.Quantity
        Dimensionless COP (heat removed / electricity), broadcast over the inputs; always below the Carnot COP
        between ``setpoint`` and the sink.

    Raises
    ------
    TypeError, ValueError
        Bad temperatures (plain numbers that look like °C), unknown kind, η outside (0, 1].

    Examples
    --------
    >>> from energylab.units import u
    >>> print(chiller_cop(29.44 * u.degC, 44 * u.degF, "water", wet_bulb=25.44 * u.degC).round(2))
    6.25
    >>> print(chiller_cop([10, 25, 40] * u.degC, 7 * u.degC, "air").round(2))
    [6.68 4.02 2.87]

    Notes
    -----
    At the AHRI rating conditions the model returns the middle of the registry's COP range by construction
    (ASHRAE 90.1 via ``chiller_cop_water_cooled`` / ``chiller_cop_air_cooled``, not independently checked).
    """
    kind = as_choice(kind, "kind", CHILLER_KINDS)
    t_out = np.asarray(kelvin(outdoor, "outdoor"))
    t_set = np.asarray(kelvin(setpoint, "setpoint"))
    t_wb = t_out if wet_bulb is None else np.asarray(kelvin(wet_bulb, "wet_bulb"))
    eta = (chiller_efficiency_fraction(kind).magnitude if carnot_fraction is None
           else float(np.asarray(as_quantity(carnot_fraction, "dimensionless", "carnot_fraction",
                                             positive=True, allow_array=False).magnitude)))
    if eta > 1:
        raise ValueError(f"carnot_fraction must be at most 1 (no machine beats Carnot); got {eta:.4g}.")
    d_evap = _approach(approach_evaporator, DEFAULT_APPROACHES["evaporator"], "approach_evaporator")
    if kind == "water":
        d_cond = _approach(approach_condenser, DEFAULT_APPROACHES["condenser_water"], "approach_condenser")
        sink = t_wb + _approach(approach_tower, DEFAULT_APPROACHES["tower"], "approach_tower")
    else:
        d_cond = _approach(approach_condenser, _air_condenser_approach(), "approach_condenser")
        sink = t_out
    t_min = (DEFAULT_APPROACHES["min_condensing_c"] + ZERO_CELSIUS if min_condensing is None
             else kelvin(min_condensing, "min_condensing"))
    return plain(_cop(t_set - d_evap, sink + d_cond, eta, t_min), "dimensionless")


def _approach(value, default: float, name: str) -> float:
    if value is None:
        return default
    return kelvin_difference(value, name, nonnegative=True)


def _cop(t_evap, t_cond, eta, t_cond_min):
    """Numpy core of the chiller model (kelvin arrays in, COP out)."""
    t_cond = np.maximum(t_cond, t_cond_min)
    lift = np.maximum(t_cond - t_evap, DEFAULT_APPROACHES["min_lift"])
    return eta * t_evap / lift


def _free_fraction(t_sink_water, t_supply, delta_t_loop):
    """Share of a loop's heat removed without a compressor (numpy core of :func:`economiser_fraction`)."""
    t_return = t_supply + delta_t_loop
    return np.clip((t_return - t_sink_water) / delta_t_loop, 0.0, 1.0)


def economiser_fraction(sink, supply, delta_t_loop=6,
                        approach=DEFAULT_APPROACHES["economiser_hx"]) -> pint.Quantity:
    """Share of the cooling load an economiser (free cooling) covers, 0 … 1.

    The loop's water returns at supply + ΔT_loop. Outdoor air or tower water at ``sink`` cools it, through a heat
    exchanger, to sink + approach. If that is at or below the supply temperature the whole load is free; if it
    is above the return temperature, none is; in between the economiser pre-cools the return water and the
    chiller does the rest: fraction = (T_return − (sink + approach)) / ΔT_loop, clipped to [0, 1].

    Parameters
    ----------
    sink : pint.Quantity or float or array_like
        Temperature of what cools the loop: outdoor dry-bulb (dry cooler) or tower water (wet-bulb + tower
        approach); plain numbers in K.
    supply : pint.Quantity or float or array_like
        Chilled-water (or coolant) supply temperature.
    delta_t_loop : pint.Quantity or float, optional
        Return − supply, K. Default 6 K.
    approach : pint.Quantity or float, optional
        Heat-exchanger approach, K. Default 2 K (course assumption ``economiser_approach``).

    Returns
    -------
    pint.Quantity
        Dimensionless fraction, broadcast over the inputs.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(economiser_fraction([10, 18, 25] * u.degC, 18 * u.degC))
    [1 0.6667 0]
    """
    t_sink = np.asarray(kelvin(sink, "sink"))
    t_sup = np.asarray(kelvin(supply, "supply"))
    dt = kelvin_difference(delta_t_loop, "delta_t_loop")
    hx = kelvin_difference(approach, "approach", nonnegative=True)
    return plain(_free_fraction(t_sink + hx, t_sup, dt), "dimensionless")


class FreeCooling(NamedTuple):
    """Hours of free cooling in a temperature series (see :func:`free_cooling_hours`)."""
    full_hours: int               # hours with the whole load free
    partial_hours: int            # hours with part of the load free
    equivalent_hours: float       # Σ free fraction: hours of full load cooled for free
    share: float                  # equivalent_hours / hours

    def __str__(self) -> str:
        return (f"{self.full_hours:,} h fully free, {self.partial_hours:,} h partly free "
                f"({self.share:.0%} of the cooling load free)")


def free_cooling_hours(outdoor, supply, delta_t_loop=6,
                       approach=DEFAULT_APPROACHES["economiser_hx"]) -> FreeCooling:
    """Count the hours of a temperature series in which an economiser covers all or part of the load.

    Parameters
    ----------
    outdoor : pint.Quantity or array_like
        Hourly sink temperatures: the water a dry cooler makes (outdoor dry-bulb + its approach,
        ``DEFAULT_APPROACHES["dry_cooler"]``), outdoor air for an air-side economiser, or tower water (wet-bulb +
        the tower's approach) for a wet economiser; plain numbers in K.
    supply : pint.Quantity or float
        Chilled-water or coolant supply temperature.
    delta_t_loop, approach : pint.Quantity or float, optional
        As in :func:`economiser_fraction` (defaults 6 K and 2 K). The total approach of a wet economiser
        includes the tower's (≈4 K above the wet-bulb).

    Returns
    -------
    FreeCooling
        Full, partial and equivalent free-cooling hours, and the share of the load.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(free_cooling_hours([5, 10, 17, 20, 30] * u.degC, 18 * u.degC))
    2 h fully free, 2 h partly free (63% of the cooling load free)
    """
    fraction = np.atleast_1d(economiser_fraction(outdoor, supply, delta_t_loop, approach).magnitude)
    full = int(np.count_nonzero(fraction >= 1.0))
    partial = int(np.count_nonzero((fraction > 0) & (fraction < 1.0)))
    equivalent = float(fraction.sum())
    return FreeCooling(full, partial, equivalent, equivalent / fraction.size)
