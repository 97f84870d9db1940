"""CMOS: switching energy, dynamic power, the voltage–frequency coupling, leakage, Dennard scaling.

:func:`switching_energy` (½·C·V²), :func:`dynamic_power` (α·C·V²·f), the voltage–frequency coupling that makes
power grow as f³ (:func:`voltage_for_frequency`, :func:`coupled_power`), leakage (:func:`leakage_share`,
:func:`subthreshold_swing`, :func:`leakage_increase`) and a cartoon of Dennard scaling across process nodes,
flat power density until the voltage stops scaling (:func:`dennard_scaling`, :data:`NODE_YEARS`).

Plain numbers are read in SI units — capacitance in **F** (pass ``2 * u.fF``), voltage in V, frequency in
**Hz** (pass ``3 * u.GHz``), power in W, temperature in K — except process nodes, in **nm**. The Dennard
cartoon's anchors are course assumptions (:data:`energylab.chips.digital.COURSE_ASSUMPTIONS`).
"""
from __future__ import annotations

import math
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pint

from ...units import Q_, as_fraction, as_quantity, converted, ureg
from .landauer import _k_t

__all__ = ["switching_energy", "dynamic_power", "voltage_for_frequency", "coupled_power", "leakage_share",
           "subthreshold_swing", "leakage_increase", "DennardScaling", "dennard_scaling", "NODE_YEARS"]


def switching_energy(capacitance, voltage) -> pint.Quantity:
    """Energy dissipated when a node of capacitance C is charged (or discharged) through V: E = ½·C·V².

    Parameters
    ----------
    capacitance : pint.Quantity or float or array_like
        Switched capacitance, at least 0; plain numbers in **F** (a logic gate is about a femtofarad: pass
        ``1 * u.fF``).
    voltage : pint.Quantity or float or array_like
        Supply voltage, at least 0; plain numbers in V.

    Returns
    -------
    pint.Quantity
        Energy per transition, in fJ.

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. a voltage passed as ``capacitance``).
    ValueError
        Negative values, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(switching_energy(1 * u.fF, 1.0))
    0.5 fJ

    Notes
    -----
    Charging C from 0 to V draws C·V² from the supply: half is stored on the capacitor, half is burned in
    the pull-up transistor; the stored half is burned in the pull-down on the way back. So each transition
    dissipates ½·C·V², and a full 0→1→0 cycle C·V². Textbook CMOS (fact sheet row C11).
    """
    c = as_quantity(capacitance, "F", "capacitance", nonnegative=True)
    v = as_quantity(voltage, "V", "voltage", nonnegative=True)
    return converted(0.5 * c * v ** 2, "fJ")


def dynamic_power(activity, capacitance, voltage, frequency) -> pint.Quantity:
    """Dynamic (switching) power of CMOS logic: P = α·C·V²·f.

    Parameters
    ----------
    activity : pint.Quantity or float or array_like
        α, the fraction of the capacitance charged per clock cycle, in [0, 1] (0.1 is typical of logic).
    capacitance : pint.Quantity or float or array_like
        Total switchable capacitance of the circuit, at least 0; plain numbers in **F** (a chip is tens of
        nF: pass ``50 * u.nF``).
    voltage : pint.Quantity or float or array_like
        Supply voltage, at least 0; plain numbers in V.
    frequency : pint.Quantity or float or array_like
        Clock frequency, at least 0; plain numbers in **Hz** (pass ``3 * u.GHz``).

    Returns
    -------
    pint.Quantity
        Power in W.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Activity outside [0, 1], negative values, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(dynamic_power(0.1, 50 * u.nF, 1.0, 3 * u.GHz))
    15 W

    Notes
    -----
    α·C·V²·f counts the charging energy C·V² drawn from the supply α·f times per second (fact sheet row C11).
    Short-circuit current and leakage (:func:`leakage_share`) come on top. Because the power grows as V²,
    lowering the voltage is the strongest lever — until the transistors get too slow or too leaky.
    """
    a = as_fraction(activity, "activity", allow_zero=True, example=0.1)
    c = as_quantity(capacitance, "F", "capacitance", nonnegative=True)
    v = as_quantity(voltage, "V", "voltage", nonnegative=True)
    f = as_quantity(frequency, "Hz", "frequency", nonnegative=True)
    return converted(a * c * v ** 2 * f, "W")


def voltage_for_frequency(frequency, f0, v0, v_min=0.0) -> pint.Quantity:
    """Supply voltage needed to run at a clock frequency, in a linear V–f model: V = max(v_min, v0·f/f0).

    Parameters
    ----------
    frequency : pint.Quantity or float or array_like
        Clock frequency, at least 0; plain numbers in Hz.
    f0 : pint.Quantity or float
        Reference frequency, greater than 0; plain numbers in Hz.
    v0 : pint.Quantity or float
        Voltage at ``f0``, greater than 0; plain numbers in V.
    v_min : pint.Quantity or float or array_like, optional
        Lowest usable voltage (set by the threshold voltage), at least 0; plain numbers in V. Default 0
        (pure proportionality).

    Returns
    -------
    pint.Quantity
        Voltage in V.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive ``f0`` or ``v0``, negative values, NaN or infinity.

    Examples
    --------
    >>> print(voltage_for_frequency(1.5e9, 3e9, 1.0))
    0.5 V

    Notes
    -----
    Gate delay falls roughly as the supply voltage rises (well above threshold), so the fastest clock a
    circuit supports grows about linearly with V. This is the coupling behind "P ∝ f³" (fact sheet row C11);
    near threshold the voltage cannot follow the frequency down, hence ``v_min``.
    """
    f = as_quantity(frequency, "Hz", "frequency", nonnegative=True)
    reference = as_quantity(f0, "Hz", "f0", positive=True)
    v_ref = as_quantity(v0, "V", "v0", positive=True)
    floor = as_quantity(v_min, "V", "v_min", nonnegative=True)
    ideal = converted(v_ref * (f / reference).to(""), "V").magnitude
    return converted(Q_(np.maximum(ideal, floor.magnitude), "V"), "V")


def coupled_power(frequency, f0, p0, v0=1.0, v_min=0.0) -> pint.Quantity:
    """Dynamic power when the voltage follows the clock: P = p0·(f/f0)·(V(f)/V(f0))², so P ∝ f³.

    Parameters
    ----------
    frequency : pint.Quantity or float or array_like
        Clock frequency, at least 0; plain numbers in Hz.
    f0 : pint.Quantity or float
        Reference frequency, greater than 0; plain numbers in Hz.
    p0 : pint.Quantity or float
        Dynamic power at ``f0``, at least 0; plain numbers in W.
    v0 : pint.Quantity or float, optional
        Voltage at ``f0`` before the floor applies, greater than 0; plain numbers in V. Default 1.0 V. Only
        the ratio ``v_min / v0`` matters.
    v_min : pint.Quantity or float, optional
        Voltage floor (see :func:`voltage_for_frequency`); plain numbers in V. Default 0: P ∝ f³ everywhere.
        Below the frequency where the floor binds, P ∝ f only.

    Returns
    -------
    pint.Quantity
        Power in W.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive ``f0`` or ``v0``, negative values, NaN or infinity.

    Examples
    --------
    >>> print(coupled_power(1.5e9, 3e9, 100))     # half the clock: an eighth of the power
    12.5 W

    Notes
    -----
    P = α·C·V²·f (:func:`dynamic_power`) with V ∝ f (:func:`voltage_for_frequency`) gives P ∝ f³ (fact sheet
    row C11). The reason two slower cores beat one fast core on energy: half the clock at half the voltage
    costs an eighth of the power for half the work.
    """
    f = as_quantity(frequency, "Hz", "frequency", nonnegative=True)
    reference = as_quantity(f0, "Hz", "f0", positive=True)
    power = as_quantity(p0, "W", "p0", nonnegative=True)
    v = voltage_for_frequency(f, reference, v0, v_min)
    v_ref = voltage_for_frequency(reference, reference, v0, v_min)
    ratio = (f / reference).to("") * (v / v_ref).to("") ** 2
    return converted(power * ratio, "W")


def leakage_share(dynamic_power, leakage_power) -> pint.Quantity:
    """Share of a chip's power that leaks (static) rather than switches: P_leak / (P_dyn + P_leak).

    Parameters
    ----------
    dynamic_power : pint.Quantity or float or array_like
        Switching power, at least 0; plain numbers in W.
    leakage_power : pint.Quantity or float or array_like
        Static (leakage) power, at least 0; plain numbers in W.

    Returns
    -------
    pint.Quantity
        A dimensionless fraction (``.to("percent")`` for a percentage).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative values, NaN, infinity, or both powers zero (no share is defined).

    Examples
    --------
    >>> print(leakage_share(60, 40).to("percent"))
    40 %

    Notes
    -----
    Leakage flows whenever the chip is powered, busy or not; it grows steeply as the threshold voltage is
    lowered (:func:`leakage_increase`), which is why supply voltages stopped falling and Dennard scaling ended
    (fact sheet row C12).
    """
    dyn = as_quantity(dynamic_power, "W", "dynamic_power", nonnegative=True)
    leak = as_quantity(leakage_power, "W", "leakage_power", nonnegative=True)
    total = dyn.magnitude + leak.magnitude
    if np.any(np.asarray(total) == 0):
        raise ValueError("dynamic_power and leakage_power (in W) are both 0: the leakage share is undefined.")
    return converted(Q_(leak.magnitude / total, "dimensionless"), "dimensionless")


def subthreshold_swing(temperature=300.0, ideality=1.0) -> pint.Quantity:
    """Gate-voltage change per decade of off-current below threshold: S = n·(k·T/q)·ln 10.

    Parameters
    ----------
    temperature : pint.Quantity or float or array_like, optional
        Temperature, greater than 0; plain numbers in K. Default 300 K.
    ideality : float or array_like, optional
        Body-effect factor n, at least 1 (1 for an ideal MOSFET, ≈1.1–1.5 in practice). Default 1.

    Returns
    -------
    pint.Quantity
        Swing in mV (per decade of current): ≈59.6 mV at 300 K, the thermal limit of a MOSFET.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive temperature, ideality below 1, NaN or infinity.

    Examples
    --------
    >>> print(subthreshold_swing(300))
    59.53 mV

    Notes
    -----
    Boltzmann statistics of the electrons crossing the source barrier; k and q are exact SI constants (pint).
    Because the swing cannot beat ≈60 mV/decade at room temperature, every 60 mV taken off the threshold
    voltage multiplies the leakage by 10 — the physics that stopped voltage scaling (Dennard scaling's end,
    fact sheet row C12).
    """
    n = as_quantity(ideality, "dimensionless", "ideality", minimum=1)
    swing = n * _k_t(temperature) / ureg.elementary_charge * math.log(10)
    return converted(swing, "mV")


def leakage_increase(vth_reduction, temperature=300.0, ideality=1.0) -> pint.Quantity:
    """Factor by which sub-threshold leakage grows when the threshold voltage is lowered: 10^(ΔV/S).

    Parameters
    ----------
    vth_reduction : pint.Quantity or float or array_like
        How much the threshold voltage is lowered; plain numbers in **V** (pass ``100 * u.mV``). Negative
        values (raising the threshold) give factors below 1.
    temperature : pint.Quantity or float, optional
        Temperature, greater than 0; plain numbers in K. Default 300 K.
    ideality : float, optional
        Body-effect factor n ≥ 1 of :func:`subthreshold_swing`. Default 1.

    Returns
    -------
    pint.Quantity
        A dimensionless factor.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive temperature, ideality below 1, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(leakage_increase(100 * u.mV))
    47.85

    Notes
    -----
    I_off ∝ 10^(−V_th/S) with S from :func:`subthreshold_swing`.
    """
    dv = as_quantity(vth_reduction, "V", "vth_reduction")
    swing = subthreshold_swing(temperature, ideality)
    return converted(Q_(10.0 ** converted(dv / swing, "").magnitude, "dimensionless"), "dimensionless")


#: Approximate first-production year of each process node (nm), a course assumption
#: (see ``COURSE_ASSUMPTIONS["node_years"]``).
NODE_YEARS = MappingProxyType({350: 1995, 250: 1997, 180: 1999, 130: 2001, 90: 2003, 65: 2005, 45: 2007,
                               32: 2009, 22: 2011, 14: 2014})


class DennardScaling(NamedTuple):
    """Per-node results of :func:`dennard_scaling` (arrays, one entry per node).

    Attributes
    ----------
    feature_size : pint.Quantity
        Process feature size L, in nm.
    year : numpy.ndarray
        Approximate year of the node (course assumption, interpolated in log L between :data:`NODE_YEARS`).
    relative_density : pint.Quantity
        Transistors per area relative to the largest node (∝ 1/L²), dimensionless.
    frequency : pint.Quantity
        Clock frequency in GHz (∝ 1/L, optionally capped).
    voltage : pint.Quantity
        Supply voltage in V (∝ L down to the floor).
    relative_power_per_transistor : pint.Quantity
        C·V²·f relative to the largest node (C ∝ L), dimensionless.
    relative_power_density : pint.Quantity
        Power per area relative to the largest node, dimensionless: 1 while Dennard scaling holds.
    voltage_scaling : numpy.ndarray
        True where the voltage still scales (above the floor).
    """
    feature_size: pint.Quantity
    year: np.ndarray
    relative_density: pint.Quantity
    frequency: pint.Quantity
    voltage: pint.Quantity
    relative_power_per_transistor: pint.Quantity
    relative_power_density: pint.Quantity
    voltage_scaling: np.ndarray


def _node_year(length_nm: np.ndarray) -> np.ndarray:
    """Year of a node by linear interpolation in log L of :data:`NODE_YEARS` (extrapolated at the ends)."""
    table = sorted(NODE_YEARS.items())  # small nodes first
    log_l = np.log([n for n, _ in table])
    years = np.array([y for _, y in table], dtype=float)
    x = np.log(length_nm)
    inside = np.interp(x, log_l, years)
    low_slope = (years[1] - years[0]) / (log_l[1] - log_l[0])
    high_slope = (years[-1] - years[-2]) / (log_l[-1] - log_l[-2])
    return np.where(x < log_l[0], years[0] + (x - log_l[0]) * low_slope,
                    np.where(x > log_l[-1], years[-1] + (x - log_l[-1]) * high_slope, inside))


def dennard_scaling(nodes=None, vdd_floor=1.0, *, v_ref=1.2, l_ref=90.0, f_ref=3e9, frequency_cap=None
                    ) -> DennardScaling:
    """A cartoon of Dennard (constant-field) scaling across process nodes, until the voltage stops scaling.

    Shrinking every dimension and the voltage by 1/κ (Dennard et al. 1974) gives κ² more transistors per
    area, each switching κ× faster with 1/κ the capacitance at 1/κ the voltage: power per transistor falls
    as 1/κ², so **power density stays constant**. Once the voltage hits a floor (leakage, threshold voltage)
    it no longer falls, and power density rises as (V_floor / V_ideal)².

    Parameters
    ----------
    nodes : pint.Quantity or float or array_like, optional
        Feature sizes, greater than 0; plain numbers in **nm**. Default: the nodes of :data:`NODE_YEARS`,
        350 nm (1995) to 14 nm (2014).
    vdd_floor : pint.Quantity or float, optional
        The lowest supply voltage, at least 0; plain numbers in V. Default 1.0 V (a course assumption: supplies
        have sat near 1 V since the mid-2000s). Set it to 0 to see ideal Dennard scaling continue.
    v_ref : pint.Quantity or float, optional
        Ideal voltage at ``l_ref``, greater than 0; plain numbers in V. Default 1.2 V (course assumption).
    l_ref : pint.Quantity or float, optional
        Node of the anchors, greater than 0; plain numbers in nm. Default 90 nm.
    f_ref : pint.Quantity or float, optional
        Ideal clock at ``l_ref``, greater than 0; plain numbers in Hz. Default 3 GHz (course assumption).
    frequency_cap : pint.Quantity or float, optional
        Highest clock, greater than 0; plain numbers in Hz. Default None (the clock keeps rising as 1/L). Try
        ``sources.value("cpu_clock_plateau")`` (≈4 GHz): capping the clock is what designers did, and power
        density still rises, as 1/L instead of 1/L³.

    Returns
    -------
    DennardScaling
        Feature size, year, relative density, frequency, voltage, relative power per transistor, relative
        power density and whether the voltage still scales — one entry per node, relative values against the
        largest node given.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive nodes or anchors, negative floor, NaN or infinity.

    Examples
    --------
    >>> d = dennard_scaling([130, 90, 65, 45])
    >>> print(d.relative_power_density)
    [1 1 1.331 2.778]
    >>> print(d.year)
    [2001. 2003. 2005. 2007.]

    Notes
    -----
    Dennard, Gaensslen, Yu, Rideout, Bassous, LeBlanc 1974, IEEE JSSC SC-9(5):256–268 (fact
    ``dennard_scaling_proposed_year``). The scaling rules are the paper's; the anchors ``v_ref``, ``f_ref``,
    ``vdd_floor`` and the node years are **course assumptions**
    (:data:`~energylab.chips.digital.COURSE_ASSUMPTIONS`). With the defaults, power density is flat to 90 nm
    (2003) and rises from 65 nm (2005) — the break the literature dates to ≈2005–2006 (fact
    ``dennard_scaling_end_years``, Esmaeilzadeh et al. 2011), after which clocks stalled near 4 GHz
    (``cpu_clock_plateau``) and chips near 100 W (``cpu_tdp_plateau``): dark silicon.
    """
    if nodes is None:
        nodes = sorted(NODE_YEARS, reverse=True)
    length = as_quantity(nodes, "nm", "nodes", positive=True)
    floor = as_quantity(vdd_floor, "V", "vdd_floor", nonnegative=True)
    v0 = as_quantity(v_ref, "V", "v_ref", positive=True)
    l0 = as_quantity(l_ref, "nm", "l_ref", positive=True)
    f0 = as_quantity(f_ref, "Hz", "f_ref", positive=True)
    l_nm = np.atleast_1d(np.asarray(length.magnitude, dtype=float))
    scale = l_nm / l0.magnitude                              # L / L_ref
    ideal_v = v0.magnitude * scale
    voltage = np.maximum(ideal_v, floor.magnitude)
    frequency = f0.magnitude / scale
    if frequency_cap is not None:
        cap = as_quantity(frequency_cap, "Hz", "frequency_cap", positive=True)
        frequency = np.minimum(frequency, cap.magnitude)
    capacitance = scale                                        # C ∝ L (relative)
    per_transistor = capacitance * voltage ** 2 * frequency
    density = 1.0 / l_nm ** 2
    reference = int(np.argmax(l_nm))
    rel_density = density / density[reference]
    rel_power = per_transistor / per_transistor[reference]
    rel_power_density = rel_density * rel_power
    return DennardScaling(
        feature_size=Q_(l_nm, "nm"), year=_node_year(l_nm), relative_density=Q_(rel_density, "dimensionless"),
        frequency=converted(Q_(frequency, "Hz"), "GHz"), voltage=Q_(voltage, "V"),
        relative_power_per_transistor=Q_(rel_power, "dimensionless"),
        relative_power_density=Q_(rel_power_density, "dimensionless"),
        voltage_scaling=ideal_v >= floor.magnitude)

