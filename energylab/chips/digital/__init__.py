"""Digital chips: where the energy of computing goes — switching, arithmetic, memory, wires.

Six modules, each pure, unit-aware and vectorised like the rest of :mod:`energylab`; every public name is
re-exported here, so ``from energylab.chips import digital as dg`` gives them all (``dg.roofline(...)``):

1. :mod:`~energylab.chips.digital.cmos` — :func:`switching_energy` (½·C·V²), :func:`dynamic_power`
   (α·C·V²·f), the voltage–frequency coupling of the alpha-power law, f ∝ (V − V_th)^α / V
   (:func:`frequency_for_voltage`, :func:`voltage_for_frequency`, :func:`coupled_power`; the exponent k of
   P ∝ f^k, 3 only where V ∝ f: :func:`power_frequency_exponent`, :func:`cube_law_voltage`), leakage
   (:func:`leakage_share`, :func:`subthreshold_swing`, :func:`leakage_increase`) and a cartoon of Dennard
   scaling across process nodes, flat power density until the voltage stops scaling (:func:`dennard_scaling`).
2. :mod:`~energylab.chips.digital.energy` — energy per operation and per access (Horowitz 2014, 45 nm):
   :func:`op_energy`, :func:`memory_energy`, :func:`workload_energy` (arithmetic vs each memory level).
3. :mod:`~energylab.chips.digital.roofline_model` — the roofline (Williams, Waterman, Patterson 2009):
   :func:`attainable_flops`, :func:`kernel_time` (the package's one roofline timing), :func:`ridge_point`,
   :func:`matmul_intensity`, :func:`matvec_intensity`, :func:`roofline` on a named accelerator.
4. :mod:`~energylab.chips.digital.formats` — number formats: :data:`FORMATS` (fp32, bf16, fp16, fp8 E4M3,
   int8, int4), :func:`quantize`, :func:`round_float`, :func:`quantize_uniform` (the one integer quantiser),
   :func:`round_int`, :func:`quantization_error`, :func:`dot_product_error`.
5. :mod:`~energylab.chips.digital.landauer` — Landauer's limit: :func:`landauer_limit`,
   :func:`orders_above_landauer`.
6. :mod:`~energylab.chips.digital.interconnect` — :func:`link_power`, :func:`energy_per_bit`,
   :func:`interconnects` (also ``INTERCONNECTS``), :func:`data_rate_ratio`, :func:`article_bandwidth_check`,
   :func:`saving_from_reduction_factor`.

Plain numbers are read in SI units (quantities in any compatible unit are converted):

=============================  ==============================  =========================================
argument                       plain numbers are read in       note
=============================  ==============================  =========================================
``capacitance``                **F** (pass ``2 * u.fF``)        switched capacitance
``voltage``, ``v0``, ``v_min``  V
``v_th``                       V                               threshold voltage (alpha-power law)
``alpha``                      plain number in [1, 2]          alpha-power exponent (not the activity)
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
course** — the threshold voltage and exponent of the alpha-power law, the Dennard cartoon's anchors, "a
multiply-accumulate = one multiply + one add", energy per access proportional to the bits read — are
collected in :data:`COURSE_ASSUMPTIONS` with the reason for each. Invalid input raises a ``TypeError`` or
``ValueError`` naming the argument and its unit.

    >>> from energylab.chips import digital
    >>> print(digital.op_energy("mult", "fp32"))
    3.7 pJ
    >>> print(digital.landauer_limit(300))
    2.871e-21 J
"""
from __future__ import annotations

from types import MappingProxyType

from . import interconnect as _interconnect
from .cmos import (
    ALPHA_POWER,
    NODE_YEARS,
    V_TH,
    DennardScaling,
    coupled_power,
    cube_law_voltage,
    dennard_scaling,
    dynamic_power,
    frequency_for_voltage,
    leakage_increase,
    leakage_share,
    power_frequency_exponent,
    subthreshold_swing,
    switching_energy,
    voltage_for_frequency,
)
from .energy import DTYPES, MEMORY_LEVELS, OPS, WorkloadEnergy, memory_energy, op_energy, workload_energy
from .formats import (
    FORMATS,
    NumberFormat,
    Quantized,
    dot_product_error,
    quantization_error,
    quantize,
    quantize_uniform,
    round_float,
    round_int,
)
from .interconnect import (
    BandwidthCheck,
    Interconnect,
    article_bandwidth_check,
    data_rate_ratio,
    energy_per_bit,
    interconnects,
    link_power,
    saving_from_reduction_factor,
)
from .landauer import landauer_limit, orders_above_landauer
from .roofline_model import (
    KernelTime,
    RooflinePoint,
    attainable_flops,
    kernel_time,
    matmul_flops,
    matmul_intensity,
    matvec_intensity,
    ridge_point,
    roofline,
)

__all__ = [
    # CMOS
    "switching_energy", "dynamic_power", "V_TH", "ALPHA_POWER", "frequency_for_voltage", "voltage_for_frequency",
    "power_frequency_exponent", "cube_law_voltage", "coupled_power", "leakage_share", "subthreshold_swing",
    "leakage_increase", "DennardScaling", "dennard_scaling", "NODE_YEARS",
    # energy per operation and per access
    "OPS", "DTYPES", "MEMORY_LEVELS", "op_energy", "memory_energy", "WorkloadEnergy", "workload_energy",
    # roofline
    "attainable_flops", "KernelTime", "kernel_time", "ridge_point", "matmul_flops", "matmul_intensity",
    "matvec_intensity", "RooflinePoint", "roofline",
    # number formats
    "NumberFormat", "FORMATS", "round_float", "Quantized", "quantize_uniform", "round_int", "quantize",
    "quantization_error", "dot_product_error",
    # Landauer
    "landauer_limit", "orders_above_landauer",
    # interconnect
    "Interconnect", "interconnects", "link_power", "energy_per_bit", "data_rate_ratio", "BandwidthCheck",
    "article_bandwidth_check", "saving_from_reduction_factor",
    "COURSE_ASSUMPTIONS",
]

#: Assumptions of this course (not sourced values), with the reason for each.
COURSE_ASSUMPTIONS = MappingProxyType({
    "threshold_voltage": ("V_th = 0.3 V",
                          "Threshold voltage of the alpha-power V–f model (frequency_for_voltage, "
                          "voltage_for_frequency, coupled_power): a round value for modern logic transistors, "
                          "not a product's. The highest clock falls to zero as the supply approaches it; "
                          "leakage (subthreshold_swing) is what keeps it from being lower. A parameter to change."),
    "alpha_power_exponent": ("exponent 1.3 of the alpha-power law f ∝ (V − V_th)^α / V",
                             "Exponent of Sakurai & Newton's alpha-power law (IEEE JSSC 25(2):584–594, 1990): 2 "
                             "for long-channel transistors (the square law), towards 1 as the carriers' velocity "
                             "saturates in short channels. 1.3 is a short-channel value taken by this course, not a "
                             "fit to any product. Not the activity factor α of α·C·V²·f."),
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


def __getattr__(name: str):
    if name == "INTERCONNECTS":  # built from the sources registry on first use, never at import
        return _interconnect.INTERCONNECTS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
