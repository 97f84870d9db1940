"""Digital chips: where the energy of computing goes — switching, arithmetic, memory, wires.

Six parts, each pure, unit-aware and vectorised like the rest of :mod:`energylab`:

1. **CMOS.** :func:`switching_energy` (½·C·V²), :func:`dynamic_power` (α·C·V²·f), the voltage–frequency
   coupling that makes power grow as f³ (:func:`voltage_for_frequency`, :func:`coupled_power`), leakage
   (:func:`leakage_share`, :func:`subthreshold_swing`, :func:`leakage_increase`) and a cartoon of
   Dennard scaling across process nodes, flat power density until the voltage stops scaling
   (:func:`dennard_scaling`).
2. **Energy per operation and per access** (Horowitz 2014, 45 nm): :func:`op_energy`,
   :func:`memory_energy`, :func:`workload_energy` (arithmetic vs each memory level).
3. **Roofline** (Williams, Waterman, Patterson 2009): :func:`attainable_flops`, :func:`ridge_point`,
   :func:`matmul_intensity`, :func:`matvec_intensity`, :func:`roofline` on a named accelerator.
4. **Number formats:** :data:`FORMATS` (fp32, bf16, fp16, fp8 E4M3, int8, int4), :func:`quantize`,
   :func:`round_float`, :func:`round_int`, :func:`quantization_error`, :func:`dot_product_error`.
5. **Landauer's limit:** :func:`landauer_limit`, :func:`orders_above_landauer`.
6. **Interconnect:** :func:`link_power`, :func:`energy_per_bit`, :func:`interconnects` (also
   ``INTERCONNECTS``), :func:`data_rate_ratio`, :func:`article_bandwidth_check`,
   :func:`saving_from_reduction_factor`.

Plain numbers are read in SI units (quantities in any compatible unit are converted):

=============================  ==============================  =========================================
argument                       plain numbers are read in       note
=============================  ==============================  =========================================
``capacitance``                **F** (pass ``2 * u.fF``)        switched capacitance
``voltage``, ``v0``, ``v_min``  V
``frequency``, ``f0``          **Hz** (pass ``3 * u.GHz``)
``power``, ``p0``              W
``activity``                   fraction in [0, 1]              share of the capacitance switched per cycle
``temperature``                K
``nodes``                      **nm**                          process feature size (the one exception)
``intensity``                  FLOP/B                          operational intensity
``peak``                       FLOP/s
``bandwidth``                  **B/s** (bytes, not bits)       pass ``1.6 * u.Tbit / u.s`` for links
``energy_per_bit``             J/bit (pass ``5.6 * u.pJ/u.bit``)
``energy_per_op``              J
``bits``                       bit                             or a quantity in B
``bytes_moved`` values         B
``ops`` values                 plain counts
=============================  ==============================  =========================================

Every constant comes from :mod:`energylab.sources` with its citation, or from pint's physical constants
(Boltzmann constant, elementary charge; exact in the SI since 2019). Choices that are **assumptions of this
course** — the Dennard cartoon's anchors, "a multiply-accumulate = one multiply + one add", energy per
access proportional to the bits read — are collected in :data:`COURSE_ASSUMPTIONS` with the reason for
each. Invalid input raises a ``TypeError`` or ``ValueError`` naming the argument and its unit.

    >>> from energylab.chips import digital
    >>> print(digital.op_energy("mult", "fp32"))
    3.7 pJ
    >>> print(digital.landauer_limit(300))
    2.871e-21 J
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping, NamedTuple

import numpy as np
import pint

from .. import sources
from . import accelerators as _accelerators
from ..units import Q_, as_quantity, is_quantity, ureg

__all__ = [
    # CMOS
    "switching_energy", "dynamic_power", "voltage_for_frequency", "coupled_power", "leakage_share",
    "subthreshold_swing", "leakage_increase", "DennardScaling", "dennard_scaling", "NODE_YEARS",
    # energy per operation and per access
    "OPS", "DTYPES", "MEMORY_LEVELS", "op_energy", "memory_energy", "WorkloadEnergy", "workload_energy",
    # roofline
    "attainable_flops", "ridge_point", "matmul_intensity", "matvec_intensity", "RooflinePoint", "roofline",
    # number formats
    "NumberFormat", "FORMATS", "round_float", "round_int", "quantize", "quantization_error",
    "dot_product_error",
    # Landauer
    "landauer_limit", "orders_above_landauer",
    # interconnect
    "Interconnect", "interconnects", "link_power", "energy_per_bit", "data_rate_ratio", "BandwidthCheck",
    "article_bandwidth_check", "saving_from_reduction_factor",
    "COURSE_ASSUMPTIONS",
]

#: Assumptions of this course (not sourced values), with the reason for each.
COURSE_ASSUMPTIONS = MappingProxyType({
    "dennard_v_ref": ("1.2 V at 90 nm",
                      "Anchor of the ideal constant-field voltage V ∝ L in dennard_scaling: roughly the core supply "
                      "of 90 nm processors (≈2003–2004). Older nodes come out above their real supplies (which "
                      "stayed at 5 V and 3.3 V standards): the cartoon shows the rule, not history."),
    "dennard_vdd_floor": ("1.0 V",
                          "Supply voltages have stayed near 1 V since the mid-2000s: the threshold voltage cannot "
                          "fall further without leakage exploding (see subthreshold_swing). A parameter to change."),
    "dennard_f_ref": ("3 GHz at 90 nm",
                      "Anchor of the ideal frequency f ∝ 1/L in dennard_scaling: roughly the clock of 90 nm "
                      "desktop processors. Only ratios matter for the power-density curve."),
    "node_years": ("Intel-style two-year cadence, 350 nm (1995) … 14 nm (2014)",
                   "Approximate first-production years of logic processes, used only to place nodes on a time "
                   "axis; not a sourced table."),
    "mac_is_mult_plus_add": ("E(MAC) = E(mult) + E(add)",
                             "Horowitz's table lists multiplies and adds separately; a fused multiply-add is "
                             "counted as one of each (Dally's 45 nm HFMA of 1.5 pJ = 1.1 + 0.4 agrees)."),
    "access_energy_per_bit": ("E(access of b bits) = E(64-bit access) × b / 64",
                              "Horowitz gives 64-bit accesses; the energy is taken proportional to the bits "
                              "moved. Real memories read whole lines, so small accesses cost more than this."),
    "roofline_power": ("the accelerator draws power × power_fraction for the kernel's whole duration",
                       "Datasheets give a TDP, not the draw of one kernel; power_fraction lets you lower it."),
    "roofline_hbm_energy": ("HBM2's 3.97 pJ/bit (O'Connor et al. 2017) for every byte from memory",
                            "No per-bit energy is published for HBM3/HBM3e; the HBM2 figure is the best "
                            "checked value, an approximation (HBM3 is likely lower per bit). Caches and "
                            "on-chip wires come on top."),
    "int_symmetric_scaling": ("per-tensor symmetric scale max|x| / (2^(b−1) − 1), round to nearest",
                              "The simplest integer quantisation; real kernels use per-channel or per-block "
                              "scales and calibrated clipping, which lose less."),
    "float_saturation": ("values beyond a format's largest finite value are clipped to it",
                         "The saturating conversion used in FP8 training recipes; IEEE formats would overflow "
                         "to infinity instead."),
})


# --------------------------------------------------------------------------------------------------
# private helpers
# --------------------------------------------------------------------------------------------------

def _result(q: pint.Quantity, unit) -> pint.Quantity:
    """``q`` in ``unit``, with a float magnitude for scalars and a float ndarray for arrays."""
    magnitude = q.to(unit).magnitude
    magnitude = float(magnitude) if np.ndim(magnitude) == 0 else np.asarray(magnitude, dtype=float)
    return Q_(magnitude, unit)


def _unit_text(unit) -> str:
    text = format(Q_(1, unit).units, "~")
    return f"in {text}" if text else "as a plain number"


def _checked(value, unit, name: str, *, positive: bool = False, nonnegative: bool = True
             ) -> pint.Quantity:
    """:func:`as_quantity` (non-negative by default), optionally strictly positive."""
    q = as_quantity(value, unit, name, nonnegative=nonnegative)
    if positive:
        magnitude = np.asarray(q.magnitude)
        if np.any(magnitude <= 0):
            raise ValueError(f"{name} must be greater than 0 ({_unit_text(unit)}); got {magnitude.min():.4g}.")
    return q


def _fraction(value, name: str) -> pint.Quantity:
    """A plain fraction in [0, 1]; percent quantities are converted."""
    q = as_quantity(value, "dimensionless", name)
    magnitude = np.asarray(q.magnitude)
    if np.any(magnitude < 0) or np.any(magnitude > 1):
        bad = magnitude[(magnitude < 0) | (magnitude > 1)].ravel()[0]
        raise ValueError(f"{name} must be in [0, 1] (a plain fraction such as 0.1, or 10 * u.percent); "
                         f"got {bad:.4g}.")
    return q


def _choice(value, name: str, choices, aliases: Mapping[str, str] | None = None) -> str:
    """A case-insensitive choice among ``choices`` (with aliases), or a clear error."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {', '.join(map(repr, choices))}; got {type(value).__name__} "
                        f"{value!r}.")
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    key = (aliases or {}).get(key, key)
    if key not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}.")
    return key


def _fact(fact_id: str, unit=None) -> pint.Quantity:
    q = sources.get(fact_id).q
    return q.to(unit) if unit else q


def _magnitude(q: pint.Quantity, unit) -> np.ndarray | float:
    m = q.to(unit).magnitude
    return float(m) if np.ndim(m) == 0 else np.asarray(m, dtype=float)


def _k_t(temperature) -> pint.Quantity:
    t = _checked(temperature, "K", "temperature", positive=True)
    return ureg.boltzmann_constant * t


# --------------------------------------------------------------------------------------------------
# 1. CMOS: switching energy, dynamic power, V–f coupling, leakage, Dennard scaling
# --------------------------------------------------------------------------------------------------

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
    c = _checked(capacitance, "F", "capacitance")
    v = _checked(voltage, "V", "voltage")
    return _result(0.5 * c * v ** 2, "fJ")


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
    a = _fraction(activity, "activity")
    c = _checked(capacitance, "F", "capacitance")
    v = _checked(voltage, "V", "voltage")
    f = _checked(frequency, "Hz", "frequency")
    return _result(a * c * v ** 2 * f, "W")


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
    f = _checked(frequency, "Hz", "frequency")
    reference = _checked(f0, "Hz", "f0", positive=True)
    v_ref = _checked(v0, "V", "v0", positive=True)
    floor = _checked(v_min, "V", "v_min")
    ideal = _magnitude(v_ref * (f / reference).to(""), "V")
    return _result(Q_(np.maximum(ideal, _magnitude(floor, "V")), "V"), "V")


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
    f = _checked(frequency, "Hz", "frequency")
    reference = _checked(f0, "Hz", "f0", positive=True)
    power = _checked(p0, "W", "p0")
    v = voltage_for_frequency(f, reference, v0, v_min)
    v_ref = voltage_for_frequency(reference, reference, v0, v_min)
    ratio = (f / reference).to("") * (v / v_ref).to("") ** 2
    return _result(power * ratio, "W")


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
    dyn = _checked(dynamic_power, "W", "dynamic_power")
    leak = _checked(leakage_power, "W", "leakage_power")
    total = _magnitude(dyn, "W") + _magnitude(leak, "W")
    if np.any(np.asarray(total) == 0):
        raise ValueError("dynamic_power and leakage_power (in W) are both 0: the leakage share is undefined.")
    return _result(Q_(_magnitude(leak, "W") / total, "dimensionless"), "dimensionless")


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
    return _result(swing, "mV")


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
    return _result(Q_(10.0 ** _magnitude(dv / swing, ""), "dimensionless"), "dimensionless")


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
    ``vdd_floor`` and the node years are **course assumptions** (:data:`COURSE_ASSUMPTIONS`). With the
    defaults, power density is flat to 90 nm (2003) and rises from 65 nm (2005) — the break the literature
    dates to ≈2005–2006 (fact ``dennard_scaling_end_years``, Esmaeilzadeh et al. 2011), after which clocks
    stalled near 4 GHz (``cpu_clock_plateau``) and chips near 100 W (``cpu_tdp_plateau``): dark silicon.
    """
    if nodes is None:
        nodes = sorted(NODE_YEARS, reverse=True)
    length = _checked(nodes, "nm", "nodes", positive=True)
    floor = _checked(vdd_floor, "V", "vdd_floor")
    v0 = _checked(v_ref, "V", "v_ref", positive=True)
    l0 = _checked(l_ref, "nm", "l_ref", positive=True)
    f0 = _checked(f_ref, "Hz", "f_ref", positive=True)
    l_nm = np.atleast_1d(np.asarray(_magnitude(length, "nm"), dtype=float))
    scale = l_nm / _magnitude(l0, "nm")                      # L / L_ref
    ideal_v = _magnitude(v0, "V") * scale
    voltage = np.maximum(ideal_v, _magnitude(floor, "V"))
    frequency = _magnitude(f0, "Hz") / scale
    if frequency_cap is not None:
        cap = _checked(frequency_cap, "Hz", "frequency_cap", positive=True)
        frequency = np.minimum(frequency, _magnitude(cap, "Hz"))
    capacitance = scale                                        # C ∝ L (relative)
    per_transistor = capacitance * voltage ** 2 * frequency
    density = 1.0 / l_nm ** 2
    reference = int(np.argmax(l_nm))
    rel_density = density / density[reference]
    rel_power = per_transistor / per_transistor[reference]
    rel_power_density = rel_density * rel_power
    return DennardScaling(
        feature_size=Q_(l_nm, "nm"), year=_node_year(l_nm), relative_density=Q_(rel_density, "dimensionless"),
        frequency=_result(Q_(frequency, "Hz"), "GHz"), voltage=Q_(voltage, "V"),
        relative_power_per_transistor=Q_(rel_power, "dimensionless"),
        relative_power_density=Q_(rel_power_density, "dimensionless"),
        voltage_scaling=ideal_v >= _magnitude(floor, "V"))


# --------------------------------------------------------------------------------------------------
# 2. energy per operation and per memory access (Horowitz 2014, 45 nm)
# --------------------------------------------------------------------------------------------------

#: Operations with an energy in Horowitz's table ("fma"/"mac" = one multiply + one add).
OPS = ("add", "mult", "fma")
#: Data types with energies in Horowitz's table. bf16, fp8 and int4 are not in it, so none are given.
DTYPES = ("int8", "int32", "fp16", "fp32")
#: Memory levels: Horowitz's 64-bit reads (45 nm), plus HBM2 (O'Connor et al. 2017).
MEMORY_LEVELS = ("cache_8kb", "cache_32kb", "cache_1mb", "dram", "hbm2")

_OP_ALIASES = {"mul": "mult", "multiply": "mult", "multiplication": "mult", "addition": "add", "mac": "fma",
               "multiply_add": "fma", "multiply_accumulate": "fma"}
_DTYPE_ALIASES = {"float32": "fp32", "float16": "fp16", "half": "fp16", "single": "fp32", "i8": "int8",
                  "i32": "int32"}
_MEMORY_ALIASES = {"8kb": "cache_8kb", "32kb": "cache_32kb", "1mb": "cache_1mb", "sram_8kb": "cache_8kb",
                   "sram_32kb": "cache_32kb", "sram_1mb": "cache_1mb", "hbm": "hbm2"}
_MEMORY_FACTS = {"cache_8kb": "horowitz_cache_8kb_read_energy", "cache_32kb": "horowitz_cache_32kb_read_energy",
                 "cache_1mb": "horowitz_cache_1mb_read_energy", "dram": "horowitz_dram_read_energy"}
_HBM_FACT = "oconnor_hbm2_access_energy"


def _dtype(dtype, name: str = "dtype") -> str:
    if isinstance(dtype, str) and dtype.strip().lower() in ("bf16", "bfloat16", "fp8", "e4m3", "fp8_e4m3", "int4"):
        raise ValueError(f"{name}: Horowitz's 45 nm table has no {dtype!r} energies and the course does not "
                         f"invent them; choose one of {', '.join(map(repr, DTYPES))}.")
    return _choice(dtype, name, DTYPES, _DTYPE_ALIASES)


def op_energy(op: str, dtype: str, *, accumulate: str | None = None) -> pint.Quantity:
    """Energy of one arithmetic operation at 45 nm (Horowitz 2014).

    Parameters
    ----------
    op : str
        ``"add"``, ``"mult"`` (or ``"mul"``), or ``"fma"`` (or ``"mac"``): a multiply-accumulate, counted as
        one multiply plus one add (a course assumption).
    dtype : str
        ``"int8"``, ``"int32"``, ``"fp16"`` or ``"fp32"``. The table has no bf16, fp8 or int4 figures, so none
        are given here.
    accumulate : str, optional
        For ``"fma"`` only: the type of the add (accumulator). Default: the same as ``dtype``. Integer
        hardware accumulates 8-bit products in 32 bits: ``op_energy("mac", "int8", accumulate="int32")``.

    Returns
    -------
    pint.Quantity
        Energy per operation, in pJ.

    Raises
    ------
    TypeError
        ``op`` or ``dtype`` is not text.
    ValueError
        Unknown operation or data type (the message lists the available ones).

    Examples
    --------
    >>> print(op_energy("mult", "int8"))
    0.2 pJ
    >>> print(op_energy("fma", "fp16"))
    1.5 pJ

    Notes
    -----
    Horowitz, "Computing's energy problem (and what we can do about it)", ISSCC 2014 (facts
    ``horowitz_<dtype>_<op>_energy``; 45 nm, ≈0.9 V). Ratios travel better than absolute values: today's
    chips are ≈10× more efficient per operation, but an INT8 multiply still costs ≈18.5× less than an FP32
    one (3.7 / 0.2), and a DRAM access hundreds of times more (:func:`memory_energy`).
    """
    kind = _choice(op, "op", OPS, _OP_ALIASES)
    kind_dtype = _dtype(dtype)
    if kind == "fma":
        acc = kind_dtype if accumulate is None else _dtype(accumulate, "accumulate")
        return _result(op_energy("mult", kind_dtype) + op_energy("add", acc), "pJ")
    if accumulate is not None:
        raise TypeError(f"accumulate only applies to op='fma' (a multiply-accumulate), not {op!r}.")
    return _result(_fact(f"horowitz_{kind_dtype}_{kind}_energy"), "pJ")


def memory_energy(level: str, bits=64, *, bound: str = "range") -> pint.Quantity:
    """Energy of reading ``bits`` bits from one level of the memory hierarchy.

    Parameters
    ----------
    level : str
        ``"cache_8kb"``, ``"cache_32kb"``, ``"cache_1mb"`` (on-chip SRAM), ``"dram"`` (off-chip DRAM) — all
        Horowitz 2014, 45 nm — or ``"hbm2"`` (stacked high-bandwidth memory, O'Connor et al. 2017).
    bits : pint.Quantity or float or array_like, optional
        Amount of data read, at least 0; plain numbers in **bit**; quantities in B work too
        (``1 * u.B`` for the energy per byte). Default 64 bits, the access size of Horowitz's table.
    bound : str, optional
        For ``"dram"``, which the source gives as a range (1.3–2.6 nJ): ``"range"`` (default; a pair
        low, high), ``"low"``, ``"high"`` or ``"mid"``. Other levels ignore it.

    Returns
    -------
    pint.Quantity
        Energy in pJ; for DRAM with ``bound="range"`` an array whose last axis is (low, high).

    Raises
    ------
    TypeError
        Wrong type or dimension of ``bits``; ``level`` not text.
    ValueError
        Unknown level or bound, negative bits, NaN or infinity.

    Examples
    --------
    >>> print(memory_energy("cache_8kb"))
    10 pJ
    >>> print(memory_energy("dram"))
    [1300 2600] pJ
    >>> from energylab.units import u
    >>> print(memory_energy("hbm2", 1 * u.B))
    31.76 pJ

    Notes
    -----
    Horowitz 2014 (facts ``horowitz_cache_8kb_read_energy`` … ``horowitz_dram_read_energy``; the 32 KB and
    1 MB figures are unchecked, status M) gives 64-bit reads; other sizes scale in proportion (a course
    assumption). HBM2: 3.97 pJ/bit (fact ``oconnor_hbm2_access_energy``), a 2017 figure for memory stacked
    beside the processor — 5–10× cheaper per bit than Horowitz's off-chip DRAM, still ≈70× an FP32 multiply
    per 64-bit word.
    """
    name = _choice(level, "level", MEMORY_LEVELS, _MEMORY_ALIASES)
    which = _choice(bound, "bound", ("range", "low", "high", "mid"))
    size = _checked(bits, "bit", "bits")
    if name == "hbm2":
        per_bit = _fact(_HBM_FACT, "pJ/bit")
    else:
        per_bit = (_fact(_MEMORY_FACTS[name]) / Q_(64, "bit")).to("pJ/bit")
    per_bit_m = np.asarray(per_bit.magnitude, dtype=float)
    if per_bit_m.ndim:                                  # a range: DRAM
        if which == "low":
            per_bit_m = per_bit_m[0]
        elif which == "high":
            per_bit_m = per_bit_m[1]
        elif which == "mid":
            per_bit_m = per_bit_m.mean()
    bits_m = np.asarray(_magnitude(size, "bit"), dtype=float)
    energy = np.multiply.outer(bits_m, per_bit_m) if np.ndim(per_bit_m) else bits_m * per_bit_m
    return _result(Q_(energy, "pJ"), "pJ")


class WorkloadEnergy(NamedTuple):
    """Energy of a workload from :func:`workload_energy`, in J.

    Attributes
    ----------
    total : pint.Quantity
        Arithmetic plus data movement.
    arithmetic : pint.Quantity
        All operations.
    data_movement : pint.Quantity
        All memory levels together.
    memory : Mapping[str, pint.Quantity]
        Energy per memory level, by level name.
    memory_share : pint.Quantity
        data_movement / total, dimensionless (0 when the total is 0).
    """
    total: pint.Quantity
    arithmetic: pint.Quantity
    data_movement: pint.Quantity
    memory: Mapping[str, pint.Quantity]
    memory_share: pint.Quantity


def _op_key(key) -> tuple[str, str]:
    if isinstance(key, tuple) and len(key) == 2:
        return key
    if isinstance(key, str):
        parts = key.strip().lower().replace("-", "_").split("_")
        if len(parts) == 2:
            first, second = parts
            return (second, first) if first in DTYPES or first in _DTYPE_ALIASES else (first, second)
    raise TypeError(f"ops keys must be (op, dtype) pairs such as ('mult', 'fp32') or text such as 'fp32_mult'; "
                    f"got {key!r}.")


def workload_energy(ops: Mapping | None = None, bytes_moved: Mapping | None = None, *, dram: str = "low"
                    ) -> WorkloadEnergy:
    """Energy of a workload: its operations (Horowitz per-op energies) plus the data it moves, per level.

    Parameters
    ----------
    ops : mapping, optional
        Operation → count (plain numbers or arrays, at least 0). Keys are ``(op, dtype)`` pairs such as
        ``("mult", "fp32")`` or text such as ``"fp32_mult"``, ``"int8_add"``, ``"fp16_fma"`` (see
        :func:`op_energy`).
    bytes_moved : mapping, optional
        Memory level → data read from it, at least 0; plain numbers in **B** (see :func:`memory_energy` for
        the levels).
    dram : str, optional
        Which end of Horowitz's DRAM range to use: ``"low"`` (default: the conservative choice — even at
        its cheapest, DRAM dominates), ``"high"`` or ``"mid"``.

    Returns
    -------
    WorkloadEnergy
        Total, arithmetic, data movement, per-level energies (J) and the memory share.

    Raises
    ------
    TypeError
        ``ops`` or ``bytes_moved`` not a mapping, bad keys, wrong dimension of a value.
    ValueError
        Unknown operation, type or level; negative counts or bytes; NaN or infinity.

    Examples
    --------
    >>> e = workload_energy({"fp32_mult": 1e9, "fp32_add": 1e9}, {"dram": 8e9})
    >>> print(e.arithmetic, e.data_movement)
    0.0046 J 1.3 J

    Notes
    -----
    Horowitz 2014 (45 nm) for operations and SRAM/DRAM; O'Connor et al. 2017 for HBM2. A billion
    multiply-adds that each fetch one 8-byte word from DRAM spend ≈280× more on the fetches than on the
    arithmetic: the case for keeping data close (caches, reuse, in-memory computing).
    """
    ops = {} if ops is None else ops
    bytes_moved = {} if bytes_moved is None else bytes_moved
    if not isinstance(ops, Mapping):
        raise TypeError(f"ops must be a mapping of operation to count, e.g. {{'fp32_mult': 1e9}}; "
                        f"got {type(ops).__name__}.")
    if not isinstance(bytes_moved, Mapping):
        raise TypeError(f"bytes_moved must be a mapping of memory level to bytes (B), e.g. {{'dram': 8e9}}; "
                        f"got {type(bytes_moved).__name__}.")
    bound = _choice(dram, "dram", ("low", "high", "mid"))
    arithmetic = Q_(0.0, "J")
    for key, count in ops.items():
        op, dtype = _op_key(key)
        n = _checked(count, "dimensionless", f"ops[{key!r}]")
        arithmetic = arithmetic + n * op_energy(op, dtype)
    memory = {}
    for level, amount in bytes_moved.items():
        name = _choice(level, "bytes_moved level", MEMORY_LEVELS, _MEMORY_ALIASES)
        size = _checked(amount, "B", f"bytes_moved[{level!r}]")
        memory[name] = _result(memory_energy(name, size, bound=bound), "J")
    data = sum(memory.values(), Q_(0.0, "J"))
    total = _result(arithmetic + data, "J")
    total_m = np.asarray(total.magnitude, dtype=float)
    data_m = np.broadcast_to(np.asarray(_magnitude(data, "J")), total_m.shape)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total_m > 0, data_m / np.where(total_m > 0, total_m, 1.0), 0.0)
    return WorkloadEnergy(total=total, arithmetic=_result(arithmetic, "J"), data_movement=_result(data, "J"),
                          memory=MappingProxyType(memory),
                          memory_share=_result(Q_(share, "dimensionless"), "dimensionless"))


# --------------------------------------------------------------------------------------------------
# 3. roofline (Williams, Waterman, Patterson 2009)
# --------------------------------------------------------------------------------------------------

def attainable_flops(intensity, peak, bandwidth) -> pint.Quantity:
    """The roofline: attainable throughput = min(peak, bandwidth × operational intensity).

    Parameters
    ----------
    intensity : pint.Quantity or float or array_like
        Operational intensity of the kernel (FLOPs per byte moved from memory), at least 0; plain numbers in
        FLOP/B.
    peak : pint.Quantity or float or array_like
        Peak arithmetic throughput, greater than 0; plain numbers in FLOP/s (``989.4 * u.TFLOP / u.s``).
    bandwidth : pint.Quantity or float or array_like
        Memory bandwidth, greater than 0; plain numbers in **B/s** (``3.35 * u.TB / u.s``).

    Returns
    -------
    pint.Quantity
        Attainable throughput, in TFLOP/s.

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. a bandwidth in FLOP/s).
    ValueError
        Negative intensity, non-positive peak or bandwidth, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(attainable_flops(10, 989.4 * u.TFLOP / u.s, 3.35 * u.TB / u.s))   # memory-bound
    33.5 TFLOP / s

    Notes
    -----
    Williams, Waterman, Patterson 2009, "Roofline: an insightful visual performance model for multicore
    architectures", CACM 52(4):65–76 (fact sheet row C13). Below the ridge point (:func:`ridge_point`) the
    memory cannot feed the arithmetic; above it the arithmetic is the limit.
    """
    i = _checked(intensity, "FLOP/B", "intensity")
    p = _checked(peak, "FLOP/s", "peak", positive=True)
    bw = _checked(bandwidth, "B/s", "bandwidth", positive=True)
    memory_roof = _magnitude(bw * i, "TFLOP/s")
    return _result(Q_(np.minimum(_magnitude(p, "TFLOP/s"), memory_roof), "TFLOP/s"), "TFLOP/s")


class KernelTime(NamedTuple):
    """Time of a kernel on the roofline: the slower of computing and moving its data."""
    compute_time: pint.Quantity
    memory_time: pint.Quantity
    time: pint.Quantity
    bound: str | np.ndarray


def kernel_time(flops, bytes_moved, peak, bandwidth) -> KernelTime:
    """How long a kernel takes on the roofline: max(FLOPs ÷ peak, bytes ÷ bandwidth).

    The same model as :func:`attainable_flops` seen from the time side: a kernel of operational
    intensity I = FLOPs ÷ bytes runs at min(peak, bandwidth × I), so its time is the larger of its
    compute time and its memory time. Every roofline in the package (this module's :func:`roofline`,
    :func:`energylab.inference.decode_step`) goes through this function.

    Parameters
    ----------
    flops : pint.Quantity or float or array_like
        Work, at least 0; plain numbers in FLOP.
    bytes_moved : pint.Quantity or float or array_like
        Data read from or written to memory, at least 0; plain numbers in B.
    peak : pint.Quantity or float or array_like
        Arithmetic throughput reachable, greater than 0; plain numbers in FLOP/s.
    bandwidth : pint.Quantity or float or array_like
        Memory bandwidth reachable, greater than 0; plain numbers in B/s.

    Returns
    -------
    KernelTime
        ``compute_time``, ``memory_time`` and ``time`` in s; ``bound`` is ``"compute"`` where the
        compute time is the longer, else ``"memory"`` (a tie counts as memory-bound).

    Examples
    --------
    >>> from energylab.units import u
    >>> t = kernel_time(1e12, 1e12, 989.4 * u.TFLOP / u.s, 3.35 * u.TB / u.s)
    >>> print(t.bound, t.time.to("ms"))
    memory 298.5 ms

    Notes
    -----
    Williams, Waterman, Patterson 2009, "Roofline: an insightful visual performance model for multicore
    architectures", CACM 52(4):65–76.
    """
    work = _checked(flops, "FLOP", "flops")
    moved = _checked(bytes_moved, "B", "bytes_moved")
    p = _checked(peak, "FLOP/s", "peak", positive=True)
    bw = _checked(bandwidth, "B/s", "bandwidth", positive=True)
    compute = _result(work / p, "s")
    memory = _result(moved / bw, "s")
    time = _result(Q_(np.maximum(compute.magnitude, memory.magnitude), "s"), "s")
    bound = np.where(compute.magnitude > memory.magnitude, "compute", "memory")
    return KernelTime(compute, memory, time, str(bound) if bound.ndim == 0 else bound)


def ridge_point(accelerator=None, precision: str = "bf16", *, peak=None, bandwidth=None) -> pint.Quantity:
    """The ridge point peak ÷ bandwidth: the intensity above which a kernel is compute-bound.

    Parameters
    ----------
    accelerator : str or Accelerator, optional
        A name accepted by :func:`energylab.chips.accelerators.accelerator` (``"H100"``, ``"A100"`` …).
    precision : str, optional
        Which peak of the accelerator, default ``"bf16"``.
    peak, bandwidth : pint.Quantity or float or array_like, optional
        Keyword-only alternative to ``accelerator``: raw figures, greater than 0; plain numbers in FLOP/s and
        B/s.

    Returns
    -------
    pint.Quantity
        Operational intensity in FLOP/B.

    Raises
    ------
    TypeError
        Both or neither of ``accelerator`` and (``peak``, ``bandwidth``); wrong dimension.
    ValueError
        Unknown accelerator or precision; non-positive figures.

    Examples
    --------
    >>> print(ridge_point("H100"))
    295.3 FLOP / B
    >>> print(ridge_point(peak=312e12, bandwidth=2.039e12))
    153 FLOP / B

    Notes
    -----
    Williams et al. 2009. Datasheet figures give H100 SXM ≈295 and A100 80 GB ≈153 FLOP/B (facts
    ``h100_sxm_ridge_point``, ``a100_80gb_ridge_point``, C17).
    """
    raw = peak is not None or bandwidth is not None
    if accelerator is not None and raw:
        raise TypeError("give either accelerator (a name such as 'H100') or peak and bandwidth, not both.")
    if accelerator is not None:
        device = _accelerators.accelerator(accelerator)
        return _result(device.peak(precision) / device.bandwidth(), "FLOP/B")
    if peak is None or bandwidth is None:
        raise TypeError("give an accelerator (a name such as 'H100'), or both peak (FLOP/s) and bandwidth (B/s).")
    p = _checked(peak, "FLOP/s", "peak", positive=True)
    bw = _checked(bandwidth, "B/s", "bandwidth", positive=True)
    return _result(p / bw, "FLOP/B")


def matmul_intensity(m, n, k, bytes_per_element=2) -> pint.Quantity:
    """Operational intensity of a matrix multiply C[m×n] = A[m×k]·B[k×n] with each matrix moved once.

    I = 2·m·n·k / (bytes × (m·k + k·n + m·n)).

    Parameters
    ----------
    m, n, k : float or array_like
        Matrix dimensions, greater than 0 (plain numbers).
    bytes_per_element : pint.Quantity or float or array_like, optional
        Storage per element, greater than 0; plain numbers in B. Default 2 (bf16/fp16).

    Returns
    -------
    pint.Quantity
        Intensity in FLOP/B.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive sizes, NaN or infinity.

    Examples
    --------
    >>> print(matmul_intensity(4096, 4096, 4096))
    1365 FLOP / B

    Notes
    -----
    2·m·n·k FLOPs (a multiply and an add per term); the byte count is the ideal of perfect on-chip reuse
    (read A and B, write C once). Square n×n matrices give I = 2n / (3 × bytes_per_element): large
    multiplies are compute-bound on any GPU (ridge ≈150–300 FLOP/B).
    """
    mm = _checked(m, "dimensionless", "m", positive=True)
    nn = _checked(n, "dimensionless", "n", positive=True)
    kk = _checked(k, "dimensionless", "k", positive=True)
    b = _checked(bytes_per_element, "B", "bytes_per_element", positive=True)
    flops = 2 * mm * nn * kk * Q_(1, "FLOP")
    data = b * (mm * kk + kk * nn + mm * nn)
    return _result(flops / data, "FLOP/B")


def matvec_intensity(m, n, bytes_per_element=2) -> pint.Quantity:
    """Operational intensity of a matrix–vector product y[m] = A[m×n]·x[n]: 2·m·n / (bytes × (m·n + n + m)).

    Parameters
    ----------
    m, n : float or array_like
        Matrix dimensions, greater than 0 (plain numbers).
    bytes_per_element : pint.Quantity or float or array_like, optional
        Storage per element, greater than 0; plain numbers in B. Default 2 (bf16/fp16).

    Returns
    -------
    pint.Quantity
        Intensity in FLOP/B: at most 2 / bytes_per_element, whatever the size.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive sizes, NaN or infinity.

    Examples
    --------
    >>> print(matvec_intensity(4096, 4096))
    0.9995 FLOP / B

    Notes
    -----
    Every weight is used once: this is token-by-token decoding at batch size 1, deep in the memory-bound
    region of every accelerator (compare :func:`ridge_point`).
    """
    mm = _checked(m, "dimensionless", "m", positive=True)
    nn = _checked(n, "dimensionless", "n", positive=True)
    b = _checked(bytes_per_element, "B", "bytes_per_element", positive=True)
    flops = 2 * mm * nn * Q_(1, "FLOP")
    data = b * (mm * nn + nn + mm)
    return _result(flops / data, "FLOP/B")


class RooflinePoint(NamedTuple):
    """A kernel on an accelerator's roofline, from :func:`roofline`.

    Attributes
    ----------
    intensity : pint.Quantity
        The kernel's operational intensity, FLOP/B.
    attainable : pint.Quantity
        Attainable throughput, TFLOP/s.
    peak, bandwidth, ridge : pint.Quantity
        The accelerator's peak (TFLOP/s), memory bandwidth (TB/s) and ridge point (FLOP/B).
    bound : str or numpy.ndarray
        ``"memory"`` below the ridge, ``"compute"`` at or above it.
    utilisation : pint.Quantity
        attainable / peak, dimensionless.
    flops, bytes : pint.Quantity
        Work done (FLOP) and data moved from memory (B = FLOP / intensity).
    time : pint.Quantity
        flops / attainable, in s.
    energy : pint.Quantity
        power × power_fraction × time, in J.
    energy_memory : pint.Quantity
        bytes × HBM2 energy per byte (O'Connor et al. 2017), at most ``energy``, in J: the off-chip
        data movement.
    energy_compute_and_other : pint.Quantity
        energy − energy_memory, in J: arithmetic, on-chip data movement, control and static power.
    """
    intensity: pint.Quantity
    attainable: pint.Quantity
    peak: pint.Quantity
    bandwidth: pint.Quantity
    ridge: pint.Quantity
    bound: object
    utilisation: pint.Quantity
    flops: pint.Quantity
    bytes: pint.Quantity
    time: pint.Quantity
    energy: pint.Quantity
    energy_memory: pint.Quantity
    energy_compute_and_other: pint.Quantity


def roofline(kernel_intensity, accelerator, precision: str = "bf16", flops=1e12, power_fraction=1.0
             ) -> RooflinePoint:
    """Place a kernel on an accelerator's roofline: speed, bound, time and energy for a given amount of work.

    Parameters
    ----------
    kernel_intensity : pint.Quantity or float or array_like
        Operational intensity, greater than 0; plain numbers in FLOP/B (see :func:`matmul_intensity`).
    accelerator : str or Accelerator
        A name accepted by :func:`energylab.models.accelerator` (``"H100"``, ``"A100"`` …).
    precision : str, optional
        Which peak, default ``"bf16"``.
    flops : pint.Quantity or float or array_like, optional
        Work to do, at least 0; plain numbers in FLOP. Default 1e12 (one teraFLOP).
    power_fraction : pint.Quantity or float, optional
        Share of the accelerator's rated power (TDP) drawn while the kernel runs, in (0, 1]. Default 1.0
        (an upper bound; a course assumption).

    Returns
    -------
    RooflinePoint
        Intensity, attainable and peak throughput, bandwidth, ridge, bound, utilisation, FLOPs, bytes, time,
        and the energy split into off-chip memory traffic vs everything else.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Unknown accelerator or precision, non-positive intensity, power_fraction outside (0, 1], NaN or
        infinity.

    Examples
    --------
    >>> r = roofline(1.0, "H100", flops=1e12)          # decoding at batch 1: memory-bound
    >>> print(r.bound, r.time.to("ms"), r.energy)
    memory 298.5 ms 209 J
    >>> print(roofline(1365, "H100").bound)
    compute

    Notes
    -----
    Throughput from :func:`attainable_flops` with datasheet peak and bandwidth (facts of
    :func:`energylab.models.accelerator`). **Energy basis:** the rated power (TDP) × ``power_fraction`` ×
    time, so a memory-bound kernel pays for an idle arithmetic unit; the off-chip share is the bytes moved
    × 3.97 pJ/bit (HBM2, fact ``oconnor_hbm2_access_energy``; no HBM3 figure is published), capped at the
    total. Both are course assumptions (:data:`COURSE_ASSUMPTIONS`). At the compute peak the H100's
    700 W ÷ 989 TFLOP/s is ≈0.71 pJ/FLOP, a best case from peak specs (fact sheet caveat): real kernels run
    below the roof.
    """
    device = _accelerators.accelerator(accelerator)
    ridge = ridge_point(device, precision)
    peak = device.peak(precision)
    device.rated_power()
    intensity = _checked(kernel_intensity, "FLOP/B", "kernel_intensity", positive=True)
    work = _checked(flops, "FLOP", "flops")
    q = as_quantity(power_fraction, "dimensionless", "power_fraction")
    fraction = np.asarray(q.magnitude)
    if np.any(fraction <= 0) or np.any(fraction > 1):
        raise ValueError(f"power_fraction must be in (0, 1] (a plain fraction of the rated power, e.g. 0.7); "
                         f"got {fraction.ravel()[0]:.4g}.")
    attainable = attainable_flops(intensity, peak, device.memory_bandwidth)
    i_m = np.asarray(_magnitude(intensity, "FLOP/B"))
    bound = np.where(i_m >= _magnitude(ridge, "FLOP/B"), "compute", "memory")
    bound = str(bound) if bound.ndim == 0 else bound
    time = _result(work / attainable, "s")
    moved = _result(work / intensity, "B")
    energy = _result(device.power * q * time, "J")
    hbm = _result(moved * _fact(_HBM_FACT), "J")
    hbm = _result(Q_(np.minimum(_magnitude(hbm, "J"), _magnitude(energy, "J")), "J"), "J")
    return RooflinePoint(
        intensity=_result(intensity, "FLOP/B"), attainable=attainable, peak=_result(peak, "TFLOP/s"),
        bandwidth=_result(device.memory_bandwidth, "TB/s"), ridge=ridge, bound=bound,
        utilisation=_result(attainable / peak, "dimensionless"), flops=_result(work, "FLOP"), bytes=moved,
        time=time, energy=energy, energy_memory=hbm, energy_compute_and_other=_result(energy - hbm, "J"))


# --------------------------------------------------------------------------------------------------
# 4. number formats and quantisation
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NumberFormat:
    """A number format: its bits and, for floats, its exponent and mantissa; for integers, its range.

    Attributes
    ----------
    name : str
        ``"fp32"``, ``"bf16"``, ``"fp16"``, ``"fp8"`` (E4M3), ``"int8"`` or ``"int4"``.
    bits : int
        Storage per value.
    kind : str
        ``"float"`` or ``"int"``.
    exponent_bits, mantissa_bits : int
        For floats: exponent field and stored fraction bits (the leading 1 is implicit). 0 for integers.
    qmax : int
        For integers: the largest magnitude used by symmetric quantisation, 2^(bits−1) − 1. 0 for floats.
    max_value_fact : str or None
        Fact id of the largest finite value where it departs from the IEEE rule (FP8 E4M3).
    source : str
        Where the format is defined.
    """
    name: str
    bits: int
    kind: str
    exponent_bits: int = 0
    mantissa_bits: int = 0
    qmax: int = 0
    max_value_fact: str | None = None
    source: str = ""

    @property
    def min_exponent(self) -> int:
        """Smallest normal exponent, 1 − bias = 2 − 2^(exponent_bits − 1) (floats only)."""
        return 2 - 2 ** (self.exponent_bits - 1)

    @property
    def max_value(self) -> float:
        """Largest finite value: (2 − 2^−m)·2^bias for IEEE-style floats, the registry's value for E4M3,
        ``qmax`` for integers (in units of the scale)."""
        if self.kind == "int":
            return float(self.qmax)
        if self.max_value_fact:
            return float(sources.value(self.max_value_fact).to("").magnitude)
        bias = 2 ** (self.exponent_bits - 1) - 1
        return float((2 - 2.0 ** -self.mantissa_bits) * 2.0 ** bias)

    @property
    def relative_step(self) -> float:
        """Spacing of representable values relative to their size, 2^−m (machine epsilon; floats only)."""
        return 2.0 ** -self.mantissa_bits if self.kind == "float" else float("nan")

    def mult_energy(self) -> pint.Quantity | None:
        """Energy of a multiply in this format at 45 nm (Horowitz 2014), or None where the table has none."""
        return op_energy("mult", self.name) if self.name in DTYPES else None

    def add_energy(self) -> pint.Quantity | None:
        """Energy of an add in this format at 45 nm (Horowitz 2014), or None where the table has none."""
        return op_energy("add", self.name) if self.name in DTYPES else None

    def __str__(self) -> str:
        if self.kind == "int":
            return f"{self.name}: {self.bits}-bit integer, symmetric range ±{self.qmax}"
        return (f"{self.name}: {self.bits} bits = 1 sign + {self.exponent_bits} exponent + "
                f"{self.mantissa_bits} mantissa")


#: The number formats of the course, by name. Definitions: IEEE 754-2019 (fp32, fp16); bfloat16 (Google,
#: the top half of an fp32); FP8 E4M3 (Micikevicius et al. 2022, arXiv:2209.05433); symmetric integers.
FORMATS = MappingProxyType({
    "fp32": NumberFormat("fp32", 32, "float", 8, 23, source="IEEE 754-2019 binary32"),
    "bf16": NumberFormat("bf16", 16, "float", 8, 7, source="bfloat16: fp32's exponent, 7 stored mantissa bits"),
    "fp16": NumberFormat("fp16", 16, "float", 5, 10, source="IEEE 754-2019 binary16"),
    "fp8": NumberFormat("fp8", 8, "float", 4, 3, max_value_fact="fp8_e4m3_max_value",
                        source="FP8 E4M3, Micikevicius et al. 2022, Table 1"),
    "int8": NumberFormat("int8", 8, "int", qmax=127, source="symmetric 8-bit integers"),
    "int4": NumberFormat("int4", 4, "int", qmax=7, source="symmetric 4-bit integers"),
})
_FORMAT_ALIASES = {"float32": "fp32", "bfloat16": "bf16", "float16": "fp16", "half": "fp16", "e4m3": "fp8",
                   "fp8_e4m3": "fp8"}


def _format(fmt) -> NumberFormat:
    if isinstance(fmt, NumberFormat):
        return fmt
    return FORMATS[_choice(fmt, "fmt", tuple(FORMATS), _FORMAT_ALIASES)]


def _values(x, name: str = "x") -> np.ndarray:
    """Plain numbers (the values to round) as a float array."""
    if is_quantity(x):
        if x.dimensionality:
            raise TypeError(f"{name} must be plain numbers (the values to round), not a quantity in "
                            f"{format(x.units, '~')}.")
        x = x.to("").magnitude
    q = as_quantity(x, "dimensionless", name)
    return np.asarray(q.magnitude, dtype=float)


def _round_to_float(x: np.ndarray, mantissa_bits: int, min_exponent: int, max_value: float) -> np.ndarray:
    """Round to nearest (ties to even) on the grid of a binary float format, saturating at ±max_value."""
    _, exponent = np.frexp(x)                          # x = f · 2^e with 0.5 ≤ |f| < 1, so ⌊log2|x|⌋ = e − 1
    e = np.maximum(exponent - 1, min_exponent)         # subnormals share the smallest exponent's spacing
    step = np.ldexp(1.0, e - mantissa_bits)
    return np.clip(np.round(x / step) * step, -max_value, max_value)


def round_float(x, mantissa_bits, exponent_bits=8) -> np.ndarray:
    """Round values to a binary floating-point format with the given field widths (IEEE-style).

    Parameters
    ----------
    x : float or array_like
        The values (plain numbers).
    mantissa_bits : int
        Stored fraction bits, 0–52 (fp32: 23, bf16: 7, fp16: 10, fp8 E4M3: 3).
    exponent_bits : int, optional
        Exponent bits, 2–11. Default 8 (the range of fp32 and bf16).

    Returns
    -------
    numpy.ndarray
        The rounded values (float64), round-to-nearest-even, with subnormals; values beyond the largest
        finite value (2 − 2^−m)·2^bias are clipped to it (saturation, a course assumption).

    Raises
    ------
    TypeError
        ``x`` is not numbers; field widths are not integers.
    ValueError
        Field widths out of range; NaN or infinity in ``x``.

    Examples
    --------
    >>> print(round_float([1.0, 1.1, 3.14159], mantissa_bits=3))
    [1.    1.125 3.25 ]

    Notes
    -----
    Emulated with numpy (frexp, then rounding to the spacing 2^(e−m)); matches numpy's float16 and float32
    conversions inside their ranges. Extra mantissa bits never increase the error of any value: every value
    of the coarser grid is on the finer one.
    """
    values = _values(x)
    m = _integer(mantissa_bits, "mantissa_bits", 0, 52)
    e = _integer(exponent_bits, "exponent_bits", 2, 11)
    bias = 2 ** (e - 1) - 1
    return _round_to_float(values, m, 1 - bias, (2 - 2.0 ** -m) * 2.0 ** bias)


def round_int(x, bits) -> np.ndarray:
    """Quantise values to symmetric ``bits``-bit integers with one scale, and back (fake quantisation).

    Parameters
    ----------
    x : float or array_like
        The values (plain numbers).
    bits : int
        Integer width, 2–32 (8 for int8, 4 for int4).

    Returns
    -------
    numpy.ndarray
        q·s with q = round(x/s) in [−(2^(bits−1) − 1), 2^(bits−1) − 1] and s = max|x| / (2^(bits−1) − 1)
        (zeros stay zeros).

    Raises
    ------
    TypeError
        ``x`` is not numbers; ``bits`` not an integer.
    ValueError
        ``bits`` out of range; NaN or infinity in ``x``.

    Examples
    --------
    >>> print(round_int([1.0, 0.5, -0.26], 4))
    [ 1.          0.57142857 -0.28571429]

    Notes
    -----
    Per-tensor symmetric round-to-nearest, the simplest scheme (a course assumption); the error of each value
    is at most s/2.
    """
    values = _values(x)
    b = _integer(bits, "bits", 2, 32)
    qmax = 2 ** (b - 1) - 1
    largest = float(np.max(np.abs(values))) if values.size else 0.0
    if largest == 0:
        return np.zeros_like(values)
    q = np.clip(np.round(values / largest * qmax), -qmax, qmax)     # x / s with s = largest / qmax
    return q / qmax * largest                                        # q · s, without underflow in s


def _integer(value, name: str, low: int, high: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number of bits ({low}–{high}); got {value!r}.")
    if not low <= int(value) <= high:
        raise ValueError(f"{name} must be between {low} and {high} bits; got {value}.")
    return int(value)


def quantize(x, fmt) -> np.ndarray:
    """Round values to one of the course's number formats (and back to float64).

    Parameters
    ----------
    x : float or array_like
        The values (plain numbers).
    fmt : str or NumberFormat
        ``"fp32"``, ``"bf16"``, ``"fp16"``, ``"fp8"`` (E4M3), ``"int8"`` or ``"int4"`` (see :data:`FORMATS`).

    Returns
    -------
    numpy.ndarray
        The values as the format represents them: floats by mantissa rounding (:func:`round_float`, E4M3
        saturating at 448), integers by symmetric per-tensor scaling (:func:`round_int`).

    Raises
    ------
    TypeError
        ``x`` is not numbers; ``fmt`` not text.
    ValueError
        Unknown format; NaN or infinity in ``x``.

    Examples
    --------
    >>> print(quantize([0.1, 1000.0], "fp8").tolist())
    [0.1015625, 448.0]

    Notes
    -----
    See :class:`NumberFormat` for the definitions and sources.
    """
    spec = _format(fmt)
    values = _values(x)
    if spec.kind == "int":
        return round_int(values, spec.bits)
    return _round_to_float(values, spec.mantissa_bits, spec.min_exponent, spec.max_value)


def quantization_error(x, fmt, y=None) -> float:
    """Relative error from storing values in a format: of the values themselves, or of a dot product.

    Parameters
    ----------
    x : array_like
        The values (plain numbers), at least one non-zero.
    fmt : str or NumberFormat
        A format of :data:`FORMATS`.
    y : array_like, optional
        A second vector of the same length: the error is then that of the dot product x·y with both operands
        quantised (products summed exactly, as in a wide accumulator).

    Returns
    -------
    float
        Without ``y``: ‖q(x) − x‖ / ‖x‖. With ``y``: |q(x)·q(y) − x·y| / (‖x‖·‖y‖) — relative to the size of the
        operands, so it does not blow up when x·y happens to be near 0.

    Raises
    ------
    TypeError
        ``x`` or ``y`` not numbers; ``fmt`` not text.
    ValueError
        Unknown format, all-zero input, shapes that differ, NaN or infinity.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal(1000)
    >>> print(f"{quantization_error(x, 'int8'):.4f}  {quantization_error(x, 'int4'):.3f}")
    0.0091  0.167

    Notes
    -----
    Fewer bits per value means less memory traffic and cheaper arithmetic (:func:`op_energy`: INT8 multiply
    0.2 pJ vs FP32 3.7 pJ at 45 nm) at the price of this error.
    """
    spec = _format(fmt)
    a = _values(x)
    if y is None:
        norm = float(np.linalg.norm(a))
        if norm == 0:
            raise ValueError("x must contain at least one non-zero value (plain numbers).")
        return float(np.linalg.norm(quantize(a, spec) - a) / norm)
    b = _values(y, "y")
    if a.shape != b.shape:
        raise ValueError(f"x and y must have the same shape; got {a.shape} and {b.shape}.")
    scale = float(np.linalg.norm(a) * np.linalg.norm(b))
    if scale == 0:
        raise ValueError("x and y must each contain at least one non-zero value (plain numbers).")
    exact = float(np.dot(a.ravel(), b.ravel()))
    approx = float(np.dot(quantize(a, spec).ravel(), quantize(b, spec).ravel()))
    return abs(approx - exact) / scale


def dot_product_error(fmt, n: int = 4096, seed: int = 0) -> float:
    """Error of a dot product of two seeded standard-normal vectors stored in a format.

    Parameters
    ----------
    fmt : str or NumberFormat
        A format of :data:`FORMATS`.
    n : int, optional
        Vector length, at least 1. Default 4,096 (a typical hidden size).
    seed : int, optional
        Seed of numpy's default generator. Default 0.

    Returns
    -------
    float
        :func:`quantization_error` with ``y``.

    Raises
    ------
    TypeError
        ``n`` or ``seed`` not whole numbers.
    ValueError
        Unknown format; ``n`` below 1.

    Examples
    --------
    >>> print(f"{dot_product_error('fp32'):.1e}")
    2.5e-11

    Notes
    -----
    Deterministic for a given seed, so a notebook's output is reproducible.
    """
    size = _integer(n, "n", 1, 10 ** 8)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be a whole number; got {seed!r}.")
    rng = np.random.default_rng(int(seed))
    x, y = rng.standard_normal(size), rng.standard_normal(size)
    return quantization_error(x, fmt, y)


# --------------------------------------------------------------------------------------------------
# 5. Landauer's limit
# --------------------------------------------------------------------------------------------------

def landauer_limit(temperature=300.0) -> pint.Quantity:
    """Minimum energy to erase one bit of information: k·T·ln 2 (Landauer 1961).

    Parameters
    ----------
    temperature : pint.Quantity or float or array_like, optional
        Temperature of the surroundings, greater than 0; plain numbers in K. Default 300 K.

    Returns
    -------
    pint.Quantity
        Energy per bit erased, in J (≈2.87e-21 J at 300 K).

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. a temperature in °C is converted; a length is not).
    ValueError
        Non-positive temperature, NaN or infinity.

    Examples
    --------
    >>> print(landauer_limit(293).to("zJ"))
    2.804 zJ

    Notes
    -----
    Landauer 1961, IBM J. Res. Dev. 5(3):183–191; confirmed experimentally by Bérut et al. 2012 (facts
    ``landauer_limit_300k``, ``landauer_limit_293k``, C9). k is pint's Boltzmann constant, exact in the SI.
    """
    return _result(_k_t(temperature) * math.log(2), "J")


def orders_above_landauer(energy_per_op, bits_erased=1, temperature=300.0) -> pint.Quantity:
    """How many orders of magnitude an operation's energy sits above Landauer's limit: log10(E / (n·kT ln 2)).

    Parameters
    ----------
    energy_per_op : pint.Quantity or float or array_like
        Energy of the operation, greater than 0; plain numbers in **J** (pass ``0.03 * u.pJ``).
    bits_erased : pint.Quantity or float or array_like, optional
        Bits of information the operation erases, greater than 0; plain numbers in bit. Default 1.
    temperature : pint.Quantity or float, optional
        Temperature, greater than 0; plain numbers in K. Default 300 K.

    Returns
    -------
    pint.Quantity
        Orders of magnitude (dimensionless): 7 means 10⁷ × the limit.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive energy, bits or temperature; NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(orders_above_landauer(0.03 * u.pJ))       # an 8-bit add at 45 nm
    7.019

    Notes
    -----
    An 8-bit add at 45 nm (0.03 pJ, Horowitz 2014) is ≈10⁷ × kT·ln 2 (fact sheet row C10): physics leaves
    room for many more decades of efficiency; the obstacles are engineering (wires, leakage, voltage).
    """
    energy = _checked(energy_per_op, "J", "energy_per_op", positive=True)
    n = _checked(bits_erased, "bit", "bits_erased", positive=True)
    limit = landauer_limit(temperature) * _magnitude(n, "bit")
    return _result(Q_(np.log10(_magnitude(energy / limit, "")), "dimensionless"), "dimensionless")


# --------------------------------------------------------------------------------------------------
# 6. interconnect: energy per bit, link power, the article's 1.6 "terabytes"
# --------------------------------------------------------------------------------------------------

class Interconnect(NamedTuple):
    """One kind of link in :func:`interconnects`.

    Attributes
    ----------
    name : str
        Short key, e.g. ``"hbm2"``.
    energy_per_bit : pint.Quantity
        Energy per bit moved, in pJ/bit.
    what : str
        Plain description, with the reach of the link.
    fact_id : str
        The sources-registry fact behind the value.
    """
    name: str
    energy_per_bit: pint.Quantity
    what: str
    fact_id: str


# name -> (fact id, description, conversion to pJ/bit: None, or a length in mm for per-mm facts)
_INTERCONNECTS = {
    "on_chip_wire_10mm": ("keckler_wire_energy_256bit_10mm",
                          "on-chip wire across a large die (10 mm), 40 nm (Keckler et al. 2011)"),
    "nvlink_c2c": ("nvlink_c2c_energy_per_bit",
                   "chip-to-chip link inside a module: NVLink-C2C, Grace ↔ Hopper (NVIDIA 2022)"),
    "hbm2": (_HBM_FACT, "memory stacked beside the processor, HBM2 access (O'Connor et al. 2017)"),
    "cpo_optics": ("nvidia_cpo_energy_per_bit",
                   "co-packaged optics switch port, 9 W per 1.6 Tb/s (NVIDIA 2025, derived)"),
    "pcie5_lower_bound": ("pcie5_energy_per_bit_lower_bound",
                          "board-level SerDes link, PCIe Gen 5: at least 5× NVLink-C2C (NVIDIA 2022, derived)"),
    "gddr5": ("oconnor_gddr5_access_energy", "graphics DRAM on the board, GDDR5 access (O'Connor et al. 2017)"),
    "pluggable_optics": ("nvidia_pluggable_energy_per_bit",
                         "pluggable optical transceiver port, 30 W per 1.6 Tb/s (NVIDIA 2025, derived)"),
}


def interconnects() -> Mapping[str, Interconnect]:
    """Energy per bit of links from on-chip wires to optical ports, only from citable sources.

    Returns
    -------
    Mapping[str, Interconnect]
        By name, cheapest first: ``"on_chip_wire_10mm"`` (≈1.2 pJ/bit), ``"nvlink_c2c"`` (1.3), ``"hbm2"``
        (3.97), ``"cpo_optics"`` (≈5.6), ``"pcie5_lower_bound"`` (≥6.5), ``"gddr5"`` (≈14),
        ``"pluggable_optics"`` (≈18.8). Also available as the module attribute ``INTERCONNECTS``.

    Examples
    --------
    >>> print(interconnects()["hbm2"].energy_per_bit)
    3.97 pJ / bit

    Notes
    -----
    Keckler et al. 2011 (on-chip wires, 310 pJ for 256 bits over 10 mm at 40 nm); NVIDIA 2022 (NVLink-C2C
    1.3 pJ/bit, ">5×" better than PCIe Gen 5); O'Connor et al. 2017 (HBM2, GDDR5); NVIDIA 2025 (≈30 W →
    ≈9 W per 1.6 Tb/s port, so pJ/bit by division, status D). IBM's co-packaged optics (Dec 2024) publishes
    only a ratio (">5× lower power" than electrical, fact ``ibm_cpo_power_reduction_factor``), no pJ/bit,
    so it is not in the table: see :func:`saving_from_reduction_factor`. Values span different years and
    processes; compare orders of magnitude, not decimals.
    """
    table = {}
    for name, (fact_id, what) in _INTERCONNECTS.items():
        q = sources.get(fact_id).q
        if name == "on_chip_wire_10mm":
            q = q / Q_(256, "bit")                          # the fact is 256 bits moved 10 mm
        table[name] = Interconnect(name, _result(q, "pJ/bit"), what, fact_id)
    ordered = sorted(table.values(), key=lambda item: item.energy_per_bit.magnitude)
    return MappingProxyType({item.name: item for item in ordered})


def __getattr__(name: str):
    if name == "INTERCONNECTS":  # built from the sources registry on first use, never at import
        return interconnects()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def link_power(bandwidth, energy_per_bit) -> pint.Quantity:
    """Power to keep a link busy: P = data rate × energy per bit.

    Parameters
    ----------
    bandwidth : pint.Quantity or float or array_like
        Data rate, at least 0; plain numbers in **B/s**. Give links their unit explicitly:
        ``1.6 * u.Tbit / u.s`` is 8× less than ``1.6 * u.TB / u.s``.
    energy_per_bit : pint.Quantity or float or array_like
        Energy per bit, at least 0; plain numbers in **J/bit** (pass ``5.6 * u.pJ / u.bit``, or an
        :class:`Interconnect`'s ``energy_per_bit``).

    Returns
    -------
    pint.Quantity
        Power in W.

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. a power passed as ``energy_per_bit``).
    ValueError
        Negative values, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(link_power(1.6 * u.Tbit / u.s, 5.625 * u.pJ / u.bit))
    9 W

    Notes
    -----
    Definition of power (energy per second) applied to a stream of bits. Every watt of link power is also a
    watt of heat for the cooling to remove (chapter 06).
    """
    rate = _checked(bandwidth, "B/s", "bandwidth")
    per_bit = _checked(energy_per_bit, "J/bit", "energy_per_bit")
    return _result(rate * per_bit, "W")


def energy_per_bit(power, bandwidth) -> pint.Quantity:
    """Energy per bit of a link from its power and data rate: E = P / data rate.

    Parameters
    ----------
    power : pint.Quantity or float or array_like
        Power of the link (both ends, or as the source states), at least 0; plain numbers in W.
    bandwidth : pint.Quantity or float or array_like
        Data rate, greater than 0; plain numbers in **B/s** (``1.6 * u.Tbit / u.s`` for a 1.6 Tb/s port).

    Returns
    -------
    pint.Quantity
        Energy per bit, in pJ/bit.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative power, non-positive bandwidth, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(energy_per_bit(30, 1.6 * u.Tbit / u.s))     # a pluggable optical port (NVIDIA 2025)
    18.75 pJ / bit

    Notes
    -----
    Inverse of :func:`link_power`. NVIDIA's ≈30 W → ≈9 W per 1.6 Tb/s port (facts
    ``nvidia_pluggable_port_power``, ``nvidia_cpo_port_power``) give ≈18.8 and ≈5.6 pJ/bit.
    """
    p = _checked(power, "W", "power")
    rate = _checked(bandwidth, "B/s", "bandwidth", positive=True)
    return _result(p / rate, "pJ/bit")


def data_rate_ratio(a, b) -> pint.Quantity:
    """Ratio of two data rates, whatever their units: ``data_rate_ratio(1.6 TB/s, 1.6 Tb/s)`` is 8.

    Parameters
    ----------
    a, b : pint.Quantity or float or array_like
        Data rates, ``a`` at least 0 and ``b`` greater than 0; plain numbers in B/s.

    Returns
    -------
    pint.Quantity
        a / b, dimensionless.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative ``a``, non-positive ``b``, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(data_rate_ratio(1.6 * u.TB / u.s, 1.6 * u.Tbit / u.s))
    8

    Notes
    -----
    A byte is 8 bits (B vs b): the unit slip that turns a switch port's 1.6 terabits per second into
    "1.6 terabytes".
    """
    first = _checked(a, "B/s", "a")
    second = _checked(b, "B/s", "b", positive=True)
    return _result(first / second, "dimensionless")


class BandwidthCheck(NamedTuple):
    """The article's "1.6 terabytes a second" against NVIDIA's 1.6 terabits per port.

    Attributes
    ----------
    claimed : pint.Quantity
        The article's figure, TB/s.
    port : pint.Quantity
        NVIDIA's photonic switch port, Tbit/s.
    ratio : pint.Quantity
        claimed / port, dimensionless (8 if the numbers are the same and only the unit differs).
    power_as_claimed : pint.Quantity
        Link power at the claimed rate and the co-packaged optics energy per bit, W.
    power_per_port : pint.Quantity
        The same at the port's real rate, W (≈9 W, NVIDIA's figure).
    """
    claimed: pint.Quantity
    port: pint.Quantity
    ratio: pint.Quantity
    power_as_claimed: pint.Quantity
    power_per_port: pint.Quantity


def article_bandwidth_check() -> BandwidthCheck:
    """Check the article's "1.6 terabytes a second" against NVIDIA's 1.6 Tb/s ports, with units.

    Returns
    -------
    BandwidthCheck
        Both figures, their ratio (8) and the link power each implies at co-packaged optics' ≈5.6 pJ/bit.

    Examples
    --------
    >>> c = article_bandwidth_check()
    >>> print(c.ratio, c.power_per_port, c.power_as_claimed)
    8 9 W 72 W

    Notes
    -----
    Facts ``article_chip_bandwidth_claim`` (the article, as quoted), ``nvidia_photonics_port_bandwidth``
    (1.6 Tb/s per port, NVIDIA 2025) and ``nvidia_cpo_energy_per_bit`` (9 W / 1.6 Tb/s). Read in bytes, the
    article's figure would be 8× the port's rate and 8× the heat: probably a unit slip (fact sheet, section F).
    """
    claimed = _result(_fact("article_chip_bandwidth_claim"), "TB/s")
    port = _result(_fact("nvidia_photonics_port_bandwidth"), "Tbit/s")
    per_bit = _fact("nvidia_cpo_energy_per_bit")
    return BandwidthCheck(claimed=claimed, port=port, ratio=data_rate_ratio(claimed, port),
                          power_as_claimed=link_power(claimed, per_bit), power_per_port=link_power(port, per_bit))


def saving_from_reduction_factor(factor) -> pint.Quantity:
    """Energy saved when power falls by a factor: 1 − 1/factor (">5× lower power" = 80% less energy).

    Parameters
    ----------
    factor : pint.Quantity or float or array_like
        How many times lower the new power is, at least 1 (a plain number).

    Returns
    -------
    pint.Quantity
        The saving as a dimensionless fraction (``.to("percent")``).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        A factor below 1, NaN or infinity.

    Examples
    --------
    >>> print(saving_from_reduction_factor(5).to("percent"))
    80 %

    Notes
    -----
    IBM's co-packaged optics: ">5×" lower power than electrical interconnects (fact
    ``ibm_cpo_power_reduction_factor``) ≡ ≥80% less energy — the article's "80% more efficient" only in this
    reading (facts ``ibm_cpo_energy_saving``, ``article_ibm_optics_efficiency_claim``). Note the asymmetry:
    5× more *efficient* is 80% *less* energy, not 400% less.
    """
    f = as_quantity(factor, "dimensionless", "factor", minimum=1)
    return _result(1 - 1 / f, "dimensionless")
