"""CMOS: switching energy, dynamic power, the voltage–frequency coupling, leakage, Dennard scaling.

:func:`switching_energy` (½·C·V²), :func:`dynamic_power` (α·C·V²·f), the voltage–frequency coupling of the
alpha-power law, f ∝ (V − V_th)^α / V (Sakurai & Newton 1990: :func:`frequency_for_voltage`,
:func:`voltage_for_frequency`, :func:`coupled_power`, and where it gives the textbook P ∝ f³:
:func:`power_frequency_exponent`, :func:`cube_law_voltage`), leakage (:func:`leakage_share`,
:func:`subthreshold_swing`, :func:`leakage_increase`) and a cartoon of Dennard scaling across process nodes,
flat power density until the voltage stops scaling (:func:`dennard_scaling`, :data:`NODE_YEARS`).

Plain numbers are read in SI units — capacitance in **F** (pass ``2 * u.fF``), voltage in V, frequency in
**Hz** (pass ``3 * u.GHz``), power in W, temperature in K — except process nodes, in **nm**. The threshold
voltage :data:`V_TH`, the alpha-power exponent :data:`ALPHA_POWER` and the Dennard cartoon's anchors are course
assumptions (:data:`energylab.chips.digital.COURSE_ASSUMPTIONS`).
"""
from __future__ import annotations

import math
from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pint

from ...units import Q_, as_fraction, as_quantity, converted, ureg
from .landauer import _k_t

__all__ = ["switching_energy", "dynamic_power", "V_TH", "ALPHA_POWER", "frequency_for_voltage", "voltage_for_frequency",
           "power_frequency_exponent", "cube_law_voltage", "coupled_power", "leakage_share", "subthreshold_swing",
           "leakage_increase", "DennardScaling", "dennard_scaling", "NODE_YEARS"]


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


#: Threshold voltage of the alpha-power V–f model, V: a **course assumption**, a round value for modern logic
#: transistors (see ``COURSE_ASSUMPTIONS["threshold_voltage"]``).
V_TH = 0.3
#: Exponent of the alpha-power law (Sakurai & Newton 1990), between 1 (carriers' velocity fully saturated) and 2
#: (long-channel square law): a **course assumption** for short-channel transistors
#: (see ``COURSE_ASSUMPTIONS["alpha_power_exponent"]``). Not the activity factor of :func:`dynamic_power`.
ALPHA_POWER = 1.3


def _model(v_th, alpha, *, voltage_from_clock: bool = False):
    """Validated threshold voltage (V) and alpha-power exponent, as plain floats."""
    threshold = float(as_quantity(v_th, "V", "v_th", nonnegative=True, allow_array=False).magnitude)
    a = float(as_quantity(alpha, "dimensionless", "alpha", minimum=1, maximum=2, allow_array=False,
                          hint="The alpha-power exponent lies between 1 (velocity-saturated) and 2 "
                               "(long-channel square law).").magnitude)
    if voltage_from_clock and a == 1 and threshold == 0:
        raise ValueError("alpha = 1 with v_th = 0 V: the highest clock (V − V_th)^α / V does not depend on the "
                         "voltage, so no voltage follows from a clock. Give v_th > 0 V or alpha > 1.")
    return threshold, a


def _speed(volts: np.ndarray, v_th: float, alpha: float) -> np.ndarray:
    """g(V) = (V − V_th)^α / V, the alpha-power law's clock up to a constant; 0 at and below V_th."""
    over = np.maximum(volts - v_th, 0.0)
    safe = np.where(volts > 0, volts, 1.0)
    return np.where(volts > v_th, over ** alpha / safe, 0.0)


def _reference(f0, v0, v_th: float):
    reference = as_quantity(f0, "Hz", "f0", positive=True, allow_array=False)
    v_ref = as_quantity(v0, "V", "v0", positive=True, allow_array=False)
    if v_ref.magnitude <= v_th:
        raise ValueError(f"v0 must be above the threshold voltage v_th = {v_th:g} V (in V); got "
                         f"{v_ref.magnitude:g} V: at or below threshold the transistors do not switch.")
    return reference, v_ref


def frequency_for_voltage(voltage, f0, v0, *, v_th=V_TH, alpha=ALPHA_POWER) -> pint.Quantity:
    """Highest clock a circuit supports at a supply voltage, alpha-power law: f = f0 · g(V) / g(v0).

    g(V) = (V − V_th)^α / V (Sakurai & Newton 1990), zero at and below the threshold voltage V_th.

    Parameters
    ----------
    voltage : pint.Quantity or float or array_like
        Supply voltage, at least 0; plain numbers in V.
    f0 : pint.Quantity or float
        Clock of the same circuit at ``v0``, greater than 0; plain numbers in Hz.
    v0 : pint.Quantity or float
        Reference voltage, above ``v_th``; plain numbers in V.
    v_th : pint.Quantity or float, optional
        Threshold voltage, at least 0; plain numbers in V. Default :data:`V_TH` = 0.3 V (course assumption).
    alpha : float, optional
        Exponent of the alpha-power law, in [1, 2]: 2 is the long-channel square law, 1 full velocity
        saturation. Default :data:`ALPHA_POWER` = 1.3 (course assumption). Not the activity factor.

    Returns
    -------
    pint.Quantity
        Clock frequency in GHz; 0 at and below ``v_th``.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive ``f0``, ``v0`` not above ``v_th``, ``alpha`` outside [1, 2], negative values, NaN or infinity.

    Examples
    --------
    >>> print(frequency_for_voltage(1.2, 3e9, 1.0))       # 20 % more voltage, 16 % more clock
    3.466 GHz
    >>> print(frequency_for_voltage(2.0, 3e9, 1.0, v_th=0, alpha=2))  # the cartoon: f ∝ V
    6 GHz

    Notes
    -----
    A gate's delay is the charge C·V it must move divided by the transistor's current, and the current grows as
    (V − V_th)^α: Sakurai & Newton, "Alpha-power law MOSFET model and its applications to CMOS inverter delay
    and other formulas", IEEE J. Solid-State Circuits 25(2):584–594, 1990. So f ∝ (V − V_th)^α / V. Well above
    threshold f grows as V^(α−1): in proportion to V only for α = 2 (long channels), hardly at all as α → 1
    (short channels, whose carriers reach their saturation velocity). V_th and α are course assumptions
    (:data:`energylab.chips.digital.COURSE_ASSUMPTIONS`); below threshold the law does not apply (sub-threshold
    logic is exponentially slow, and is given a clock of 0 here).
    """
    threshold, a = _model(v_th, alpha)
    v = as_quantity(voltage, "V", "voltage", nonnegative=True)
    reference, v_ref = _reference(f0, v0, threshold)
    ratio = _speed(np.asarray(v.magnitude, dtype=float), threshold, a) / _speed(np.float64(v_ref.magnitude),
                                                                                   threshold, a)
    return converted(reference * ratio, "GHz")


def voltage_for_frequency(frequency, f0, v0, v_min=0.0, *, v_th=V_TH, alpha=ALPHA_POWER) -> pint.Quantity:
    """Supply voltage a clock needs, the inverse of :func:`frequency_for_voltage`, floored at ``v_min``.

    Solves (V − V_th)^α / V = (f / f0) · (v0 − V_th)^α / v0 for V > V_th, then V = max(v_min, V).

    Parameters
    ----------
    frequency : pint.Quantity or float or array_like
        Clock frequency, at least 0; plain numbers in Hz.
    f0 : pint.Quantity or float
        Reference frequency, greater than 0; plain numbers in Hz.
    v0 : pint.Quantity or float
        Voltage at ``f0``, above ``v_th``; plain numbers in V.
    v_min : pint.Quantity or float or array_like, optional
        Lowest usable supply voltage (noise margins, memories that must hold their state), at least 0; plain
        numbers in V. Default 0: the voltage falls towards ``v_th`` as the clock falls towards 0.
    v_th : pint.Quantity or float, optional
        Threshold voltage, at least 0; plain numbers in V. Default :data:`V_TH` = 0.3 V (course assumption).
    alpha : float, optional
        Exponent of the alpha-power law, in [1, 2]. Default :data:`ALPHA_POWER` = 1.3 (course assumption).
        ``v_th=0, alpha=2`` gives the linear cartoon V = v0 · f / f0.

    Returns
    -------
    pint.Quantity
        Voltage in V.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive ``f0``, ``v0`` not above ``v_th``, ``alpha`` outside [1, 2], negative values, NaN or
        infinity; with ``alpha = 1`` a clock no voltage reaches (the clock saturates at f0 · v0 / (v0 − V_th)).

    Examples
    --------
    >>> print(voltage_for_frequency(6e9, 3e9, 1.0))       # twice the clock: more than three times the voltage
    3.263 V
    >>> print(voltage_for_frequency(1.5e9, 3e9, 1.0, v_th=0, alpha=2))   # the cartoon: V ∝ f
    0.5 V

    Notes
    -----
    The alpha-power law (Sakurai & Newton 1990, IEEE JSSC 25(2):584–594; see :func:`frequency_for_voltage`).
    Solved by Newton's method in x = ln(V − V_th), where the equation α·x − ln(eˣ + V_th) = ln(target) is
    increasing and concave, so the iteration converges from any start. Only where V ∝ f locally does dynamic
    power grow as f³ (:func:`power_frequency_exponent`).
    """
    threshold, a = _model(v_th, alpha, voltage_from_clock=True)
    f = as_quantity(frequency, "Hz", "frequency", nonnegative=True)
    reference, v_ref = _reference(f0, v0, threshold)
    floor = as_quantity(v_min, "V", "v_min", nonnegative=True)
    ratio = np.asarray(converted(f / reference, "dimensionless").magnitude, dtype=float)
    target = ratio * _speed(np.float64(v_ref.magnitude), threshold, a)      # g(V) the clock needs
    if a == 1 and np.any(target >= 1):
        top = reference.magnitude * v_ref.magnitude / (v_ref.magnitude - threshold)
        raise ValueError(f"frequency: with alpha = 1 no voltage reaches {_hz(ratio.max() * reference.magnitude)}; "
                         f"the clock saturates at f0 · v0 / (v0 − v_th) = {_hz(top)} (in Hz).")
    if threshold == 0:                                                   # g(V) = V^(α−1): closed form
        volts = np.where(target > 0, np.abs(target) ** (1 / (a - 1)), 0.0)
    else:
        volts = _solve(target, threshold, a, start=math.log(v_ref.magnitude - threshold))
    return converted(Q_(np.maximum(volts, floor.magnitude), "V"), "V")


def _hz(value: float) -> str:
    return f"{value / 1e9:.4g} GHz"


def _solve(target: np.ndarray, v_th: float, alpha: float, start: float) -> np.ndarray:
    """V > v_th with (V − v_th)^α / V = target (target ≥ 0; V = v_th where target = 0), vectorised Newton."""
    positive = target > 0
    log_target = np.log(np.where(positive, target, 1.0))
    x = np.full(target.shape, start)
    for _ in range(100 if positive.any() else 0):
        ex = np.exp(x)
        step = (alpha * x - np.log(ex + v_th) - log_target) / (alpha - ex / (ex + v_th))
        x = x - step
        if np.all(np.abs(step[positive]) < 1e-13):
            break
    return np.where(positive, v_th + np.exp(x), v_th)


def power_frequency_exponent(voltage, *, v_th=V_TH, alpha=ALPHA_POWER) -> pint.Quantity:
    """Local exponent k of P ∝ f^k when the voltage follows the clock: k = 1 + 2 / (α·V / (V − V_th) − 1).

    Parameters
    ----------
    voltage : pint.Quantity or float or array_like
        Supply voltage of the operating point, above ``v_th``; plain numbers in V.
    v_th : pint.Quantity or float, optional
        Threshold voltage, at least 0; plain numbers in V. Default :data:`V_TH` = 0.3 V (course assumption).
    alpha : float, optional
        Exponent of the alpha-power law, in [1, 2]. Default :data:`ALPHA_POWER` = 1.3 (course assumption).

    Returns
    -------
    pint.Quantity
        k, dimensionless: 3 where V ∝ f locally (the "f³" cartoon), less below that voltage (towards 1 near
        threshold), more above it (towards 1 + 2 / (α − 1) far above).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        A voltage not above ``v_th``, ``alpha`` outside [1, 2], NaN or infinity.

    Examples
    --------
    >>> print(power_frequency_exponent(1.0))
    3.333
    >>> print(power_frequency_exponent(0.6))
    2.25

    Notes
    -----
    P = α_act·C·V²·f (:func:`dynamic_power`), so d ln P / d ln f = 1 + 2 · d ln V / d ln f, and the alpha-power
    law (:func:`frequency_for_voltage`) gives d ln f / d ln V = α·V / (V − V_th) − 1. With ``alpha=2, v_th=0``
    k = 3 at every voltage: the textbook P ∝ f³ (fact sheet row C11) is that limit, or the one voltage
    :func:`cube_law_voltage` of a short-channel model.
    """
    threshold, a = _model(v_th, alpha, voltage_from_clock=True)
    v = as_quantity(voltage, "V", "voltage", positive=True)
    if np.any(np.asarray(v.magnitude) <= threshold):
        raise ValueError(f"voltage must be above the threshold voltage v_th = {threshold:g} V (in V); got "
                         f"{float(np.min(v.magnitude)):g} V.")
    volts = np.asarray(v.magnitude, dtype=float)
    clock_slope = a * volts / (volts - threshold) - 1                  # d ln f / d ln V
    return converted(Q_(1 + 2 / clock_slope, "dimensionless"), "dimensionless")


def cube_law_voltage(*, v_th=V_TH, alpha=ALPHA_POWER) -> pint.Quantity:
    """The supply voltage at which dynamic power grows exactly as f³ (V ∝ f locally): V = 2·V_th / (2 − α).

    Parameters
    ----------
    v_th : pint.Quantity or float, optional
        Threshold voltage, greater than 0; plain numbers in V. Default :data:`V_TH` = 0.3 V (course assumption).
    alpha : float, optional
        Exponent of the alpha-power law, in [1, 2). Default :data:`ALPHA_POWER` = 1.3 (course assumption).

    Returns
    -------
    pint.Quantity
        Voltage in V. Below it power grows more slowly than f³ as the clock rises, above it faster.

    Raises
    ------
    ValueError
        ``v_th`` not above 0 or ``alpha`` not in [1, 2): with ``alpha = 2`` the exponent only tends to 3 far above
        threshold, and with ``v_th = 0`` it is the same at every voltage.

    Examples
    --------
    >>> print(cube_law_voltage())
    0.8571 V

    Notes
    -----
    Where :func:`power_frequency_exponent` equals 3, i.e. α·V / (V − V_th) = 2 (alpha-power law, Sakurai & Newton
    1990).
    """
    threshold, a = _model(v_th, alpha)
    if threshold <= 0 or a >= 2:
        raise ValueError("cube_law_voltage needs v_th > 0 V and alpha < 2: otherwise the exponent of P ∝ f^k is "
                         "the same at every voltage or reaches 3 only far above threshold "
                         f"(got v_th = {threshold:g} V, alpha = {a:g}).")
    return converted(Q_(2 * threshold / (2 - a), "V"), "V")


def coupled_power(frequency, f0, p0, v0=1.0, v_min=0.0, *, v_th=V_TH, alpha=ALPHA_POWER) -> pint.Quantity:
    """Dynamic power when the voltage follows the clock: P = p0 · (f/f0) · (V(f) / V(f0))².

    Parameters
    ----------
    frequency : pint.Quantity or float or array_like
        Clock frequency, at least 0; plain numbers in Hz.
    f0 : pint.Quantity or float
        Reference frequency, greater than 0; plain numbers in Hz.
    p0 : pint.Quantity or float
        Dynamic power at ``f0``, at least 0; plain numbers in W.
    v0 : pint.Quantity or float, optional
        Voltage at ``f0`` before the floor applies, above ``v_th``; plain numbers in V. Default 1.0 V.
    v_min : pint.Quantity or float, optional
        Voltage floor (see :func:`voltage_for_frequency`); plain numbers in V. Default 0. Below the clock
        where the floor binds, P ∝ f only.
    v_th, alpha : optional
        The alpha-power law's threshold voltage (V) and exponent, as in :func:`voltage_for_frequency`; defaults
        0.3 V and 1.3 (course assumptions). ``v_th=0, alpha=2`` gives the cartoon P ∝ f³ everywhere.

    Returns
    -------
    pint.Quantity
        Power in W.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive ``f0``, ``v0`` not above ``v_th``, negative values, NaN or infinity.

    Examples
    --------
    >>> print(coupled_power(1.5e9, 3e9, 100))                     # half the clock: about a sixth of the power
    15.94 W
    >>> print(coupled_power(1.5e9, 3e9, 100, v_th=0, alpha=2))    # the f³ cartoon: an eighth
    12.5 W

    Notes
    -----
    P = α·C·V²·f (:func:`dynamic_power`) with V(f) from the alpha-power law (:func:`voltage_for_frequency`;
    Sakurai & Newton 1990). Where V ∝ f locally this is the textbook P ∝ f³ (fact sheet row C11); above that
    voltage power climbs faster, below it more slowly (:func:`power_frequency_exponent`). The reason two slower
    cores beat one fast core on energy: half the clock at a lower voltage costs much less than half the power.
    """
    f = as_quantity(frequency, "Hz", "frequency", nonnegative=True)
    reference = as_quantity(f0, "Hz", "f0", positive=True)
    power = as_quantity(p0, "W", "p0", nonnegative=True)
    v = voltage_for_frequency(f, reference, v0, v_min, v_th=v_th, alpha=alpha)
    v_ref = voltage_for_frequency(reference, reference, v0, v_min, v_th=v_th, alpha=alpha)
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

