"""Energy accounting: the arithmetic that turns power, time and overheads into energy, carbon, water, money.

Every function here is pure, unit-aware and vectorised. Inputs may be :mod:`pint` quantities in any
compatible unit, or plain numbers and numpy arrays read in the unit each docstring names; arrays
broadcast against each other the numpy way. Outputs are quantities in a fixed unit (kWh, kW, kgCO2e,
L, USD, or dimensionless), with a float magnitude for scalar input and a float ndarray otherwise::

    >>> from energylab.units import u
    >>> from energylab.accounting import energy, facility_energy, emissions
    >>> it = energy(10_000 * 330 * u.W, 14.8 * u.day)      # 10,000 GPUs at 330 W for 14.8 days
    >>> print(facility_energy(it, pue=1.10).to("MWh"))      # Patterson et al. 2021: ~1,287 MWh
    1289 MWh

Invalid input (wrong dimension, text, None, booleans, NaN, out-of-range values) raises a
``TypeError`` or ``ValueError`` whose message names the argument and its unit
(see :func:`energylab.units.as_quantity`).

A note on "per year": :func:`annual_energy` and :func:`annualise` return the *energy used in one
365-day year* in kWh (what energy statistics call "kWh per year", e.g. IEA's "415 TWh in 2024"), so
the result can be passed straight to :func:`emissions`, :func:`cost` or :func:`project`.
"""
from __future__ import annotations

from numbers import Real
from typing import NamedTuple

import numpy as np
import pint

from .units import HOURS_PER_YEAR, Q_, as_quantity, describe_dimension, is_quantity
from .units import converted as _result

__all__ = [
    "WaterUse", "energy", "average_power", "facility_energy", "facility_power", "it_energy",
    "pue_from_breakdown", "it_share", "overhead_energy", "emissions", "water_use", "cost",
    "annual_energy", "annualise", "per_unit", "cagr", "project", "net_growth_rate",
]

# --------------------------------------------------------------------------------------------------
# private helpers
# --------------------------------------------------------------------------------------------------

def check_pue(pue) -> pint.Quantity:
    """A PUE (a plain number, facility energy ÷ IT energy) of at least 1, as a dimensionless quantity."""
    return as_quantity(pue, "dimensionless", "pue", minimum=1,
                       hint="A facility cannot use less energy than its IT equipment.")


def _scale_by_pue(amount, unit, name: str, pue, *, inverse: bool = False) -> pint.Quantity:
    amount = as_quantity(amount, unit, name, nonnegative=True)
    pue = check_pue(pue)
    return _result(amount / pue if inverse else amount * pue, unit)


def _is_plain_number(value) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    return isinstance(value, (Real, np.ndarray, list, tuple))


def _common_unit(values: dict, allowed=None, kinds_text: str = "of the same kind"):
    """The unit shared by ``values`` (name -> value): the first quantity's unit, else dimensionless.

    Plain numbers count as pure numbers; a plain scalar 0 counts as zero of any kind. Values that are
    neither numbers nor quantities are left for :func:`as_quantity` to reject with its own message.
    """
    seen = {}
    for name, value in values.items():
        if is_quantity(value):
            seen[name] = (value, value.units)
        elif _is_plain_number(value) and not (isinstance(value, Real) and value == 0):
            seen[name] = (value, Q_(1).units)
    dims = {str(unit.dimensionality) for _, unit in seen.values()}
    listing = ", ".join(f"{name} = {format(value) if is_quantity(value) else str(value)} "
                        f"({describe_dimension(unit)})" for name, (value, unit) in seen.items())
    names = " and ".join([", ".join(list(values)[:-1]), list(values)[-1]])
    if len(dims) > 1:
        raise TypeError(f"{names} must all be {kinds_text}; got {listing}.")
    unit = next(iter(seen.values()))[1] if seen else Q_(1).units
    if allowed is not None and not any(unit.dimensionality == Q_(1, a).dimensionality for a in allowed):
        raise TypeError(f"{names} must all be {kinds_text}; got {listing}.")
    return unit


# --------------------------------------------------------------------------------------------------
# energy and power
# --------------------------------------------------------------------------------------------------

def energy(power, duration) -> pint.Quantity:
    """Energy used by a device drawing ``power`` for ``duration``: E = P × t.

    Parameters
    ----------
    power : pint.Quantity or float or array_like
        Average power, at least 0. Plain numbers are read in **kW** (not W).
    duration : pint.Quantity or float or array_like
        How long, at least 0. Plain numbers are read in **hours**.

    Returns
    -------
    pint.Quantity
        Energy in kWh.

    Raises
    ------
    TypeError
        If an argument is not a number or has the wrong dimension (e.g. an energy passed as power).
    ValueError
        If an argument is negative, NaN or infinite.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(energy(330 * u.W, 24 * u.h))
    7.92 kWh

    Notes
    -----
    Definition of energy as power integrated over time (SI); with a constant or average power the
    integral is the product.
    """
    power = as_quantity(power, "kW", "power", nonnegative=True)
    duration = as_quantity(duration, "h", "duration", nonnegative=True)
    return _result(power * duration, "kWh")


def average_power(energy, duration) -> pint.Quantity:
    """Average power over a period: P = E / t.

    Parameters
    ----------
    energy : pint.Quantity or float or array_like
        Energy used, at least 0. Plain numbers are read in kWh.
    duration : pint.Quantity or float or array_like
        Length of the period, greater than 0. Plain numbers are read in hours.

    Returns
    -------
    pint.Quantity
        Average power in kW.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative energy, duration not greater than 0, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(average_power(8760 * u.kWh, 1 * u.year))
    1 kW

    Notes
    -----
    SI definition of average power, energy divided by time.
    """
    energy = as_quantity(energy, "kWh", "energy", nonnegative=True)
    duration = as_quantity(duration, "h", "duration", positive=True)
    return _result(energy / duration, "kW")


# --------------------------------------------------------------------------------------------------
# facility overheads (PUE)
# --------------------------------------------------------------------------------------------------

def facility_energy(it_energy, pue) -> pint.Quantity:
    """Energy drawn by the whole facility from the energy used by its IT equipment: E_facility = E_IT × PUE.

    Parameters
    ----------
    it_energy : pint.Quantity or float or array_like
        Energy used by the IT equipment (servers, storage, network), at least 0; plain numbers in kWh.
    pue : pint.Quantity or float or array_like
        Power Usage Effectiveness, a plain number at least 1 (1.0 would be a facility with no overhead).

    Returns
    -------
    pint.Quantity
        Facility energy in kWh.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative energy, PUE below 1, NaN or infinity.

    Examples
    --------
    >>> print(facility_energy(1_172_160, 1.10).to("MWh"))    # GPT-3: IT energy in kWh, PUE 1.10
    1289 MWh

    Notes
    -----
    PUE = total facility energy / IT equipment energy, as defined by The Green Grid (2012), White
    Paper #49, "PUE: A Comprehensive Examination of the Metric" (also ISO/IEC 30134-2).
    """
    return _scale_by_pue(it_energy, "kWh", "it_energy", pue)


def facility_power(it_power, pue) -> pint.Quantity:
    """Power drawn by the whole facility from the power drawn by its IT equipment: P_facility = P_IT × PUE.

    Parameters
    ----------
    it_power : pint.Quantity or float or array_like
        Power drawn by the IT equipment, at least 0; plain numbers in kW.
    pue : pint.Quantity or float or array_like
        Power Usage Effectiveness, a plain number at least 1.

    Returns
    -------
    pint.Quantity
        Facility power in kW.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative power, PUE below 1, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(facility_power(100 * u.MW, 1.5).to("MW"))
    150 MW

    Notes
    -----
    The Green Grid (2012), White Paper #49: PUE is defined on annual energy; applied to power it
    gives the facility's draw at a moment with that overhead.
    """
    return _scale_by_pue(it_power, "kW", "it_power", pue)


def it_energy(facility_energy, pue) -> pint.Quantity:
    """Energy reaching the IT equipment from the facility's total: E_IT = E_facility / PUE.

    The inverse of :func:`facility_energy`.

    Parameters
    ----------
    facility_energy : pint.Quantity or float or array_like
        Total energy drawn by the facility, at least 0; plain numbers in kWh.
    pue : pint.Quantity or float or array_like
        Power Usage Effectiveness, a plain number at least 1.

    Returns
    -------
    pint.Quantity
        IT energy in kWh.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative energy, PUE below 1, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(it_energy(1.5 * u.GWh, 1.5).to("GWh"))
    1 GWh

    Notes
    -----
    The Green Grid (2012), White Paper #49.
    """
    return _scale_by_pue(facility_energy, "kWh", "facility_energy", pue, inverse=True)


def pue_from_breakdown(it, cooling, other=0) -> pint.Quantity:
    """Power Usage Effectiveness from a breakdown of where a facility's energy goes.

    PUE = (it + cooling + other) / it.

    Parameters
    ----------
    it : pint.Quantity or float or array_like
        What the IT equipment uses; greater than 0.
    cooling : pint.Quantity or float or array_like
        What cooling uses; at least 0.
    other : pint.Quantity or float or array_like, optional
        Everything else (power conversion losses, lighting, ...); at least 0. Default 0.

    All three must be of one kind: energies (e.g. kWh), powers (e.g. kW), or shares (plain fractions
    such as 0.45, or ``45 * u.percent``). Plain numbers count as shares; since PUE is a ratio, plain
    percentages (45, 40, 15) give the same answer as fractions, but do not mix a ``percent`` quantity
    with plain percentages. A plain 0 matches any kind.

    Returns
    -------
    pint.Quantity
        PUE, dimensionless, at least 1 when cooling and other are non-negative.

    Raises
    ------
    TypeError
        If the arguments are of different kinds (the message names them), or not energies, powers
        or shares, or not numbers.
    ValueError
        If ``it`` is not greater than 0, ``cooling`` or ``other`` is negative, or any is NaN/infinite.

    Examples
    --------
    >>> from energylab.units import u
    >>> # a site whose energy is 45 % chips, 40 % cooling, 15 % other, counting only the chips as IT
    >>> print(pue_from_breakdown(45 * u.percent, 40 * u.percent, 15 * u.percent))
    2.222

    Notes
    -----
    The Green Grid (2012), White Paper #49, "PUE: A Comprehensive Examination of the Metric".
    """
    unit = _common_unit({"it": it, "cooling": cooling, "other": other}, allowed=("kWh", "kW", ""),
                        kinds_text="of the same kind: all energies (kWh), all powers (kW) "
                                   "or all shares (plain fractions or percent)")
    it = as_quantity(it, unit, "it", positive=True)
    cooling = as_quantity(cooling, unit, "cooling", nonnegative=True)
    other = as_quantity(other, unit, "other", nonnegative=True)
    return _result((it + cooling + other) / it, "dimensionless")


def it_share(pue) -> pint.Quantity:
    """Fraction of a facility's energy that reaches the IT equipment: 1 / PUE.

    Parameters
    ----------
    pue : pint.Quantity or float or array_like
        Power Usage Effectiveness, a plain number at least 1.

    Returns
    -------
    pint.Quantity
        Dimensionless fraction in (0, 1]; ``.to("percent")`` for a percentage.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        PUE below 1, NaN or infinity.

    Examples
    --------
    >>> print(it_share(1.25).to("percent"))
    80 %

    Notes
    -----
    The reciprocal of PUE, once published by The Green Grid as DCiE (Data Center infrastructure
    Efficiency); White Paper #49 (2012).
    """
    return _result(1 / check_pue(pue), "dimensionless")


def overhead_energy(it_energy, pue) -> pint.Quantity:
    """Energy a facility uses beyond its IT equipment (cooling, power conversion, ...): E_IT × (PUE − 1).

    Parameters
    ----------
    it_energy : pint.Quantity or float or array_like
        Energy used by the IT equipment, at least 0; plain numbers in kWh.
    pue : pint.Quantity or float or array_like
        Power Usage Effectiveness, a plain number at least 1.

    Returns
    -------
    pint.Quantity
        Non-IT energy in kWh.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative energy, PUE below 1, NaN or infinity.

    Examples
    --------
    >>> print(overhead_energy(1000, 1.2))
    200 kWh

    Notes
    -----
    Follows from the PUE definition, The Green Grid (2012), White Paper #49.
    """
    it = as_quantity(it_energy, "kWh", "it_energy", nonnegative=True)
    return _result(it * (check_pue(pue) - 1), "kWh")


# --------------------------------------------------------------------------------------------------
# carbon, water, money
# --------------------------------------------------------------------------------------------------

def emissions(energy, intensity) -> pint.Quantity:
    """Greenhouse-gas emissions from using electricity: energy × carbon intensity of the grid.

    Parameters
    ----------
    energy : pint.Quantity or float or array_like
        Electricity used, at least 0; plain numbers in kWh.
    intensity : pint.Quantity or float or array_like
        Carbon intensity of the electricity, at least 0; plain numbers in **gCO2e/kWh**.

    Returns
    -------
    pint.Quantity
        Emissions in kgCO2e.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative values, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(emissions(1287 * u.MWh, 429).to("tCO2e"))   # GPT-3 (Patterson et al. 2021)
    552.1 tCO2e

    Notes
    -----
    Activity data × emission factor, the location-based method of the GHG Protocol Scope 2
    Guidance (WRI/WBCSD 2015); used for AI training by Patterson et al. 2021 (arXiv:2104.10350).
    """
    energy = as_quantity(energy, "kWh", "energy", nonnegative=True)
    intensity = as_quantity(intensity, "gCO2e/kWh", "intensity", nonnegative=True)
    return _result(energy * intensity, "kgCO2e")


class WaterUse(NamedTuple):
    """Water consumed for a workload, in litres: on-site (cooling), off-site (electricity) and the total."""
    on_site: pint.Quantity
    off_site: pint.Quantity
    total: pint.Quantity


def water_use(it_energy, wue_onsite, pue=1.0, water_intensity_offsite=0) -> WaterUse:
    """Water consumed on site (by cooling) and off site (by generating the electricity).

    on-site = IT energy × WUE; off-site = facility energy (IT energy × PUE) × water intensity of
    the electricity; total = on-site + off-site.

    Parameters
    ----------
    it_energy : pint.Quantity or float or array_like
        Energy used by the IT equipment, at least 0; plain numbers in kWh.
    wue_onsite : pint.Quantity or float or array_like
        Water Usage Effectiveness of the site, at least 0; plain numbers in L/kWh (of IT energy).
    pue : pint.Quantity or float or array_like, optional
        Power Usage Effectiveness, a plain number at least 1. Default 1.0.
    water_intensity_offsite : pint.Quantity or float or array_like, optional
        Water consumed per unit of electricity generated, at least 0; plain numbers in L/kWh.
        Default 0 (count on-site water only).

    Returns
    -------
    WaterUse
        Named tuple ``(on_site, off_site, total)`` of quantities in litres, broadcast to one shape.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative values, PUE below 1, NaN or infinity.

    Examples
    --------
    >>> w = water_use(1000, wue_onsite=0.5, pue=1.2, water_intensity_offsite=3.0)
    >>> print(w.on_site, w.off_site, w.total)
    500 L 3600 L 4100 L

    Notes
    -----
    WUE = site water / IT equipment energy, The Green Grid (2011), White Paper #35, "Water Usage
    Effectiveness (WUE)". The split into on-site and off-site (scope-2) water follows Li, Yang,
    Islam & Ren (2025), "Making AI Less Thirsty", Communications of the ACM, arXiv:2304.03271.
    """
    it = as_quantity(it_energy, "kWh", "it_energy", nonnegative=True)
    wue = as_quantity(wue_onsite, "L/kWh", "wue_onsite", nonnegative=True)
    pue = check_pue(pue)
    offsite = as_quantity(water_intensity_offsite, "L/kWh", "water_intensity_offsite", nonnegative=True)
    on_site = (it * wue).to("L")
    off_site = (it * pue * offsite).to("L")
    shape = np.broadcast_shapes(np.shape(on_site.magnitude), np.shape(off_site.magnitude))
    if shape:
        on_site = Q_(np.broadcast_to(on_site.magnitude, shape).copy(), "L")
        off_site = Q_(np.broadcast_to(off_site.magnitude, shape).copy(), "L")
    return WaterUse(_result(on_site, "L"), _result(off_site, "L"), _result(on_site + off_site, "L"))


def cost(energy, price) -> pint.Quantity:
    """Cost of electricity: energy × price.

    Parameters
    ----------
    energy : pint.Quantity or float or array_like
        Electricity used, at least 0; plain numbers in kWh.
    price : pint.Quantity or float or array_like
        Price of electricity, at least 0; plain numbers in **USD/kWh** (so 12 cents is 0.12, or
        ``12 * u.cent / u.kWh``).

    Returns
    -------
    pint.Quantity
        Cost in USD.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative values, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(cost(1 * u.MWh, 12 * u.cent / u.kWh))
    120 USD

    Notes
    -----
    Energy charge only (no demand charges or fixed fees), as in IEA (2025), "Energy and AI".
    """
    energy = as_quantity(energy, "kWh", "energy", nonnegative=True)
    price = as_quantity(price, "USD/kWh", "price", nonnegative=True)
    return _result(energy * price, "USD")


# --------------------------------------------------------------------------------------------------
# scaling over time and per unit
# --------------------------------------------------------------------------------------------------

def annual_energy(power, utilisation=1.0) -> pint.Quantity:
    """Energy used in one 365-day year (8,760 h) by a load of constant average ``power``.

    Parameters
    ----------
    power : pint.Quantity or float or array_like
        Power when running, at least 0; plain numbers in kW.
    utilisation : pint.Quantity or float or array_like, optional
        Fraction of the year at that power, in [0, 1] (a plain fraction or a ``percent``
        quantity). Default 1.0.

    Returns
    -------
    pint.Quantity
        Energy per year in kWh (the energy used over one year, not a rate).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative power, utilisation outside [0, 1], NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(annual_energy(1 * u.GW).to("TWh"))
    8.76 TWh

    Notes
    -----
    The 8,760-hour year of energy statistics, as used by IEA (2025), "Energy and AI", to turn
    capacity into demand.
    """
    power = as_quantity(power, "kW", "power", nonnegative=True)
    utilisation = as_quantity(utilisation, "dimensionless", "utilisation", nonnegative=True)
    if np.any(np.asarray(utilisation.magnitude) > 1):
        raise ValueError(f"utilisation must be between 0 and 1 (a plain fraction; 100 % = 1); "
                         f"got {np.max(utilisation.magnitude):.4g}.")
    return _result(power * utilisation * Q_(HOURS_PER_YEAR, "h"), "kWh")


def annualise(energy, duration) -> pint.Quantity:
    """Scale an energy used over ``duration`` to a 365-day year: E × 8,760 h / duration.

    Parameters
    ----------
    energy : pint.Quantity or float or array_like
        Energy used over the period, at least 0; plain numbers in kWh.
    duration : pint.Quantity or float or array_like
        Length of the period, greater than 0; plain numbers in hours.

    Returns
    -------
    pint.Quantity
        Energy per year in kWh (the energy over one year at the same average rate).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative energy, duration not greater than 0, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(annualise(10 * u.kWh, 1 * u.day))
    3650 kWh

    Notes
    -----
    Linear extrapolation to the 365-day year of energy statistics (IEA 2025, "Energy and AI").
    """
    return annual_energy(average_power(energy, duration))


def per_unit(total, count, name: str = "count") -> pint.Quantity:
    """A total divided by a count, e.g. energy per query or per token: total / count.

    Parameters
    ----------
    total : pint.Quantity or float or array_like
        The total, of any unit (plain numbers are pure numbers).
    count : pint.Quantity or float or array_like
        How many, greater than 0: a plain number, or a counting quantity such as ``1e6 * u.token``.
    name : str, optional
        What is counted, used in error messages (e.g. ``"queries"``). Default ``"count"``.

    Returns
    -------
    pint.Quantity
        ``total / count`` in the total's unit divided by the count's unit (just the total's
        unit for a plain count, e.g. MWh for ``per_unit(1 * u.MWh, 10)``); convert with ``.to``.

    Raises
    ------
    TypeError
        Wrong type.
    ValueError
        Count not greater than 0, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(per_unit(1 * u.MWh, 1_000_000, name="queries").to("Wh"))
    1 Wh
    """
    total = as_quantity(total, total.units if is_quantity(total) else "dimensionless", "total")
    count = as_quantity(count, count.units if is_quantity(count) else "dimensionless", name, positive=True)
    return _result(total / count, (total / count).units)


def cagr(start, end, years) -> pint.Quantity:
    """Compound annual growth rate from ``start`` to ``end`` over ``years``: (end / start)^(1/years) − 1.

    Parameters
    ----------
    start, end : pint.Quantity or float or array_like
        Values at the beginning and end, both greater than 0 and of the same dimension (plain
        numbers are pure numbers).
    years : pint.Quantity or float or array_like
        Length of the period, greater than 0; plain numbers in years (365 days).

    Returns
    -------
    pint.Quantity
        Growth rate per year, a dimensionless fraction (``.to("percent")`` for a percentage).

    Raises
    ------
    TypeError
        If ``start`` and ``end`` are of different dimensions (the message names both), or not numbers.
    ValueError
        Values not greater than 0, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(cagr(100 * u.TWh, 121 * u.TWh, 2).to("percent"))
    10 %

    Notes
    -----
    The standard compound-growth definition, as used for data-centre demand by IEA (2025),
    "Energy and AI".
    """
    unit = _common_unit({"start": start, "end": end}, kinds_text="of the same dimension")
    start = as_quantity(start, unit, "start", positive=True)
    end = as_quantity(end, unit, "end", positive=True)
    years = as_quantity(years, "year", "years", positive=True)
    ratio = (end / start).to("dimensionless").magnitude
    return _result(Q_(np.power(ratio, 1 / years.magnitude) - 1, "dimensionless"), "dimensionless")


def project(start, rate, years) -> pint.Quantity:
    """Compound growth: start × (1 + rate)^years, vectorised over ``rate`` and ``years``.

    Parameters
    ----------
    start : pint.Quantity or float or array_like
        Value now, in any unit (plain numbers are pure numbers).
    rate : pint.Quantity or float or array_like
        Growth per year, greater than −1: a plain fraction (0.15) or a percent quantity
        (``15 * u.percent``).
    years : pint.Quantity or float or array_like
        How far ahead; plain numbers in years (365 days). Negative values project backwards.

    Returns
    -------
    pint.Quantity
        Projected value, in the unit of ``start``; arrays broadcast (e.g. rates as a column and
        years as a row give a table).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Rate not greater than −1, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(project(415 * u.TWh, 15 * u.percent, 6).to("TWh"))    # IEA 2025: 2024 -> 2030
    959.9 TWh

    Notes
    -----
    Inverse of :func:`cagr`. IEA (2025), "Energy and AI", projects data-centre electricity demand
    from 415 TWh (2024) to about 945 TWh (2030) in its base case.
    """
    start = as_quantity(start, start.units if is_quantity(start) else "dimensionless", "start")
    rate = as_quantity(rate, "dimensionless", "rate", above=-1.0)
    years = as_quantity(years, "year", "years")
    factor = np.power(1 + rate.magnitude, years.magnitude)
    return _result(start * factor, start.units)


def net_growth_rate(growth, efficiency_gain) -> pint.Quantity:
    """Yearly growth of energy use when demand grows and efficiency improves: (1 + g)(1 − e) − 1.

    Parameters
    ----------
    growth : pint.Quantity or float or array_like
        Growth per year of what is demanded (computing, queries) at constant energy per unit, a plain
        fraction greater than −1 (``0.2`` or ``20 * u.percent``).
    efficiency_gain : pint.Quantity or float or array_like
        Yearly fall in energy per unit, a plain fraction in [0, 1).

    Returns
    -------
    pint.Quantity
        Net growth of energy per year, dimensionless (negative when efficiency wins).

    Examples
    --------
    >>> print(net_growth_rate(0.2, 0.1))
    0.08

    Notes
    -----
    The two effects multiply: a year of 20 % more demand at 10 % less energy per unit is
    1.2 × 0.9 = 1.08 times the energy. Masanet et al. (2020), Science 367:984–986, found that from
    2010 to 2018 the gains almost cancelled the growth of data-centre computing. Feed the result to
    :func:`project`.
    """
    g = as_quantity(growth, "dimensionless", "growth", above=-1.0)
    e = as_quantity(efficiency_gain, "dimensionless", "efficiency_gain", nonnegative=True, below=1.0)
    return _result((1 + g) * (1 - e) - 1, "dimensionless")

