"""energylab.chips.digital: hand-computed values for every function, reproductions of the published figures
(Horowitz ratios, ridge points, Landauer, interconnect energy per bit, the article's 1.6 "terabytes"), and
bad inputs that must name the argument and its unit."""
from __future__ import annotations

import doctest
import importlib
import math
import pkgutil
import subprocess
import sys

import numpy as np
import pytest

from energylab import inference, sources
from energylab.chips import accelerators, digital
from energylab.units import Q_, u

from helpers import fact_mag, mag

FACTS = sources.all_facts()
approx = pytest.approx
K_B = 1.380649e-23        # J/K, exact (SI 2019)
Q_E = 1.602176634e-19     # C, exact (SI 2019)


def test_doctests_pass():
    modules = [digital] + [importlib.import_module(f"{digital.__name__}.{info.name}")
                           for info in pkgutil.iter_modules(digital.__path__)]
    results = [doctest.testmod(module) for module in modules]
    assert sum(r.attempted for r in results) > 30
    assert sum(r.failed for r in results) == 0


def test_import_reads_no_sources_and_package_is_lazy():
    code = ("import energylab.chips.digital, energylab.sources as s, sys; "
            "assert s._facts is None, 'sources read at import'; "
            "assert 'matplotlib' not in sys.modules; import energylab.chips as c; print(c.digital.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "energylab.chips.digital"


def test_course_assumptions_are_documented():
    for name, (value, reason) in digital.COURSE_ASSUMPTIONS.items():
        assert value and len(reason) > 30, name


# --- 1. CMOS ---------------------------------------------------------------------------------------------------

def test_switching_energy_half_cv_squared():
    e = digital.switching_energy(2 * u.fF, 0.9)
    assert e.units == u.fJ
    assert e.magnitude == approx(0.5 * 2 * 0.81)          # 0.81 fJ
    assert mag(digital.switching_energy(1e-12, 1.0), "J") == approx(0.5e-12)   # plain numbers in F


def test_dynamic_power_alpha_c_v2_f():
    p = digital.dynamic_power(0.2, 1 * u.nF, 0.8 * u.V, 2 * u.GHz)
    assert p.units == u.W
    assert p.magnitude == approx(0.2 * 1e-9 * 0.64 * 2e9)   # 0.256 W
    assert digital.dynamic_power(0.1, 50e-9, 1.0, 3e9).magnitude == approx(15)
    assert digital.dynamic_power(10 * u.percent, 50e-9, 1.0, 3e9).magnitude == approx(15)
    vector = digital.dynamic_power(0.1, 50e-9, [0.5, 1.0], 3e9)
    assert mag(vector) == approx([3.75, 15])


def _g(v, v_th=0.3, a=1.3):
    return max(v - v_th, 0) ** a / v


def test_alpha_power_clock_by_hand():
    # f = f0 · g(V) / g(V0), g(V) = (V − V_th)^α / V (Sakurai & Newton 1990), defaults V_th = 0.3 V, α = 1.3
    assert digital.V_TH == 0.3 and digital.ALPHA_POWER == 1.3
    f = digital.frequency_for_voltage(1.2, 3e9, 1.0)
    assert f.units == u.GHz
    assert f.magnitude == approx(3 * _g(1.2) / _g(1.0))
    assert mag(digital.frequency_for_voltage([0.0, 0.2, 0.3], 3 * u.GHz, 1 * u.V)) == approx([0, 0, 0])   # ≤ V_th
    assert mag(digital.frequency_for_voltage(0.8, 3e9, 1.0, v_th=0.4, alpha=1.5)) == approx(
        3 * _g(0.8, 0.4, 1.5) / _g(1.0, 0.4, 1.5))
    assert digital.frequency_for_voltage(1.0, 3e9, 1.0).magnitude == approx(3)             # the reference point


def test_alpha_power_clock_rises_with_voltage_and_is_not_proportional_to_it():
    volts = np.linspace(0.301, 3.0, 200)
    f = mag(digital.frequency_for_voltage(volts, 1e9, 1.0), "Hz")
    assert np.all(np.diff(f) > 0)                                               # rises with V
    assert f[0] / 1e9 < 1e-3                                                    # → 0 at V_th
    # far above threshold f ∝ V^(α−1): doubling V from 100 to 200 V gives 2^0.3, not 2
    far = mag(digital.frequency_for_voltage([100.0, 200.0], 1e9, 1.0), "Hz")
    assert far[1] / far[0] == approx(2 ** 0.3, rel=0.02)


@pytest.mark.parametrize("alpha,ratio", [(2.0, 2.0), (1.5, 2 ** 0.5), (1.3, 2 ** 0.3), (1.0, 1.0)])
def test_far_above_threshold_the_clock_grows_as_v_to_the_alpha_minus_one(alpha, ratio):
    # linear in V only for the long-channel α = 2; saturated (independent of V) as α → 1
    f = mag(digital.frequency_for_voltage([1e3, 2e3], 1e9, 1.0, alpha=alpha), "Hz")
    assert f[1] / f[0] == approx(ratio, rel=1e-3)
    cartoon = mag(digital.frequency_for_voltage([0.5, 1.0, 2.0], 1e9, 1.0, v_th=0, alpha=2), "GHz")
    assert cartoon == approx([0.5, 1.0, 2.0])                                   # V_th = 0, α = 2: exactly f ∝ V


def test_voltage_for_frequency_inverts_the_clock_and_floors():
    f = np.array([0.1e9, 1e9, 2e9, 3e9, 6e9, 12e9])
    v = mag(digital.voltage_for_frequency(f, 3e9, 1.0))
    assert mag(digital.frequency_for_voltage(v, 3e9, 1.0), "Hz") == approx(f, rel=1e-10)
    assert np.all(np.diff(v) > 0) and v[3] == approx(1.0)
    assert digital.voltage_for_frequency(0, 3e9, 1.0).magnitude == approx(0.3)         # f → 0: V → V_th
    assert digital.voltage_for_frequency(1e9, 3e9, 1.0, v_min=0.7).magnitude == approx(0.7)
    assert digital.voltage_for_frequency(6e9, 3e9, 1.0).magnitude == approx(3.263, abs=1e-3)  # 2× clock: >3× V
    # the cartoon: V ∝ f
    assert digital.voltage_for_frequency(1.8e9, 2e9, 1.0, v_th=0, alpha=2).magnitude == approx(0.9)
    assert mag(digital.voltage_for_frequency([0.5e9, 4e9], 2 * u.GHz, 1.0 * u.V, 0.6, v_th=0, alpha=2)) == approx(
        [0.6, 2.0])
    # α = 1, V_th > 0: V = V_th / (1 − t) below the saturated clock, and no voltage reaches that clock
    t = 0.5 * _g(1.0, 0.3, 1.0)
    assert digital.voltage_for_frequency(0.5e9, 1e9, 1.0, alpha=1).magnitude == approx(0.3 / (1 - t))
    with pytest.raises(ValueError, match="saturates"):
        digital.voltage_for_frequency(10e9, 1e9, 1.0, alpha=1)


def test_power_exponent_three_only_where_v_follows_f():
    k = mag(digital.power_frequency_exponent([0.31, 0.6, 1.0, 1000.0]))
    assert k[1] == approx(1 + 2 / (1.3 * 0.6 / 0.3 - 1)) and k[2] == approx(1 + 2 / (1.3 / 0.7 - 1))
    assert k[0] < 1.1 and k[-1] == approx(1 + 2 / 0.3, rel=0.01)                 # ≈1 near V_th, → 1 + 2/(α−1)
    assert np.all(np.diff(k) > 0)
    v3 = digital.cube_law_voltage()
    assert v3.magnitude == approx(2 * 0.3 / 0.7)
    assert digital.power_frequency_exponent(v3).magnitude == approx(3)
    assert mag(digital.power_frequency_exponent([0.2, 1.0, 5.0], v_th=0, alpha=2)) == approx([3, 3, 3])
    # the exponent is the slope of coupled_power on log–log axes
    f = np.array([0.999e9, 1.001e9])
    v0 = 0.9
    p = mag(digital.coupled_power(f, 1e9, 10, v0=v0))
    slope = np.log(p[1] / p[0]) / np.log(f[1] / f[0])
    assert slope == approx(digital.power_frequency_exponent(v0).magnitude, rel=1e-4)
    with pytest.raises(ValueError, match="alpha < 2"):
        digital.cube_law_voltage(alpha=2)


def test_coupled_power_alpha_power_law_cartoon_and_floor():
    v2 = digital.voltage_for_frequency(2e9, 1e9, 1.0).magnitude
    assert digital.coupled_power(2e9, 1e9, 10).magnitude == approx(10 * 2 * v2 ** 2)   # p0 · (f/f0) · (V/V0)²
    assert digital.coupled_power(2e9, 1e9, 10).magnitude > 80                          # steeper than 2³ at 1 V
    cartoon = dict(v_th=0, alpha=2)
    assert digital.coupled_power(2e9, 1e9, 10, **cartoon).magnitude == approx(80)      # 2³ × 10 W
    assert digital.coupled_power(0.5 * u.GHz, 1 * u.GHz, 10 * u.W, **cartoon).magnitude == approx(1.25)
    # floor at the reference voltage: below f0 only the frequency term is left (P ∝ f)
    assert digital.coupled_power(0.5e9, 1e9, 10, v0=1.0, v_min=1.0).magnitude == approx(5)
    assert digital.coupled_power(1e9, 1e9, 10, v0=1.0, v_min=0.5).magnitude == approx(10)
    # no floor: towards f → 0 the voltage settles at V_th and P ∝ f (energy per cycle ∝ V_th²)
    low = mag(digital.coupled_power([1e3, 2e3], 1e9, 10, v0=1.0))
    assert low[1] / low[0] == approx(2, rel=1e-3) and low[0] == approx(10 * 1e-6 * 0.09, rel=1e-3)


def test_leakage_share_and_swing():
    assert digital.leakage_share(30, 10).magnitude == approx(0.25)
    assert mag(digital.leakage_share([1, 3], [1, 1])) == approx([0.5, 0.25])
    swing = K_B * 300 / Q_E * math.log(10) * 1000   # mV per decade
    assert digital.subthreshold_swing(300).magnitude == approx(swing)
    assert swing == approx(59.5, abs=0.1)
    assert digital.subthreshold_swing(300, ideality=1.5).magnitude == approx(1.5 * swing)
    assert digital.leakage_increase(swing * u.mV).magnitude == approx(10)          # one decade per swing
    assert digital.leakage_increase(-swing / 1000).magnitude == approx(0.1)        # plain numbers in V
    assert digital.leakage_increase(0.1).magnitude == approx(10 ** (100 / swing))


def test_dennard_flat_then_rising_after_the_registry_dates():
    d = digital.dennard_scaling()
    density = mag(d.relative_power_density)
    years = d.year
    assert list(mag(d.feature_size, "nm")) == sorted(digital.NODE_YEARS, reverse=True)
    flat = density < 1 + 1e-9
    assert np.all(density[flat] == approx(1.0))
    first_rise = years[~flat][0]
    low, high = fact_mag("dennard_scaling_end_years")
    assert low - 1 <= first_rise <= high + 1                  # 2005 with the defaults
    assert np.all(np.diff(density) >= -1e-12)                 # never falls as nodes shrink
    assert density[-1] > 10                                   # the power wall
    assert list(d.voltage_scaling) == list(flat)


def test_dennard_rules_by_hand():
    d = digital.dennard_scaling([180, 90], vdd_floor=0)
    assert mag(d.relative_density) == approx([1, 4])         # κ² with κ = 2
    assert mag(d.voltage) == approx([2.4, 1.2])              # V ∝ L, anchored 1.2 V at 90 nm
    assert mag(d.frequency, "GHz") == approx([1.5, 3.0])     # f ∝ 1/L, anchored 3 GHz at 90 nm
    assert mag(d.relative_power_per_transistor) == approx([1, 0.25])   # C V² f ∝ 1/κ²
    assert mag(d.relative_power_density) == approx([1, 1])   # Dennard 1974: constant
    floored = digital.dennard_scaling([90, 45], vdd_floor=1.2)
    assert mag(floored.voltage) == approx([1.2, 1.2])
    assert mag(floored.relative_power_density) == approx([1, 4])       # (1.2 / 0.6)²
    capped = digital.dennard_scaling([90, 45], vdd_floor=1.2, frequency_cap=3 * u.GHz)
    assert mag(capped.frequency, "GHz") == approx([3, 3])
    assert mag(capped.relative_power_density) == approx([1, 2])        # rises as 1/L once f is capped


def test_dennard_years_interpolate_and_extrapolate():
    d = digital.dennard_scaling([500, 350, 110, 10])
    assert d.year[1] == approx(1995)
    assert 2001 < d.year[2] < 2003
    assert d.year[0] < 1995 and d.year[3] > 2014


# --- 2. Horowitz: energy per operation and per access ------------------------------------------------------------

@pytest.mark.parametrize("op,dtype,value", [
    ("add", "int8", 0.03), ("add", "int32", 0.1), ("add", "fp16", 0.4), ("add", "fp32", 0.9),
    ("mult", "int8", 0.2), ("mult", "int32", 3.1), ("mult", "fp16", 1.1), ("mult", "fp32", 3.7)])
def test_op_energy_is_the_horowitz_table(op, dtype, value):
    e = digital.op_energy(op, dtype)
    assert e.units == u.pJ
    assert e.magnitude == approx(value)
    assert e.magnitude == approx(fact_mag(f"horowitz_{dtype}_{op}_energy", "pJ"))


def test_fma_is_mult_plus_add_and_aliases():
    assert digital.op_energy("fma", "fp16").magnitude == approx(1.5)         # Dally's HFMA 1.5 pJ
    assert digital.op_energy("mac", "FP32").magnitude == approx(4.6)
    assert digital.op_energy("mac", "int8", accumulate="int32").magnitude == approx(0.3)
    assert digital.op_energy("mul", "float32").magnitude == approx(3.7)


def test_int8_vs_fp32_reproduces_c7():
    mult = digital.op_energy("mult", "fp32") / digital.op_energy("mult", "int8")
    add = digital.op_energy("add", "fp32") / digital.op_energy("add", "int8")
    assert mult.to("").magnitude == approx(18.5)
    assert add.to("").magnitude == approx(30)


def test_dram_read_is_350_to_700_fp32_multiplies():
    dram = digital.memory_energy("dram")
    assert mag(dram, "nJ") == approx([1.3, 2.6])
    ratio = mag(dram / digital.op_energy("mult", "fp32"), "")
    assert ratio == approx([1300 / 3.7, 2600 / 3.7])
    assert 340 < ratio[0] < 360 and 690 < ratio[1] < 710                     # "≈350–700×"
    adds = mag(dram, "pJ") / np.array([0.1, 0.03])                           # int32, int8 adds
    assert 1e4 <= adds[0] and adds[1] <= 1e5                                 # "≈10⁴–10⁵×"


def test_memory_energy_scales_with_bits_and_bounds():
    assert digital.memory_energy("cache_8kb").magnitude == approx(10)
    assert digital.memory_energy("cache_8kb", 1 * u.B).magnitude == approx(1.25)       # per byte
    assert digital.memory_energy("cache_32kb", 32).magnitude == approx(10)
    assert digital.memory_energy("CACHE_1MB", 128).magnitude == approx(200)
    assert digital.memory_energy("dram", bound="mid").magnitude == approx(1950)
    assert digital.memory_energy("dram", 1 * u.B, bound="high").magnitude == approx(2600 / 8)
    assert digital.memory_energy("hbm2").magnitude == approx(64 * 3.97)
    arr = digital.memory_energy("dram", [64, 128])
    assert mag(arr).shape == (2, 2)
    assert mag(arr)[1] == approx([2600, 5200])
    assert mag(digital.memory_energy("cache_8kb", [64, 128])) == approx([10, 20])


def test_workload_energy_by_hand():
    e = digital.workload_energy({"fp32_mult": 1000, ("add", "fp32"): 1000},
                                {"cache_8kb": 800, "dram": 8 * u.B})
    # 1000 × (3.7 + 0.9) pJ = 4.6 nJ; 800 B = 100 words × 10 pJ = 1 nJ; 8 B from DRAM = 1.3 nJ (low)
    assert mag(e.arithmetic, "nJ") == approx(4.6)
    assert mag(e.memory["cache_8kb"], "nJ") == approx(1.0)
    assert mag(e.memory["dram"], "nJ") == approx(1.3)
    assert mag(e.data_movement, "nJ") == approx(2.3)
    assert mag(e.total, "nJ") == approx(6.9)
    assert e.memory_share.magnitude == approx(2.3 / 6.9)
    high = digital.workload_energy(bytes_moved={"dram": 8}, dram="high")
    assert mag(high.total, "nJ") == approx(2.6)
    empty = digital.workload_energy()
    assert empty.total.magnitude == 0 and empty.memory_share.magnitude == 0


def test_workload_vectorised_over_counts():
    e = digital.workload_energy({"int8_mac": [1e6, 2e6]}, {"hbm2": [0, 1e3]})
    assert mag(e.arithmetic, "uJ") == approx([0.23, 0.46])                    # int8 mult 0.2 + add 0.03 pJ
    assert mag(e.memory["hbm2"], "nJ") == approx([0, 8e3 * 3.97e-3])


def test_memory_dominates_a_streaming_workload():
    """A billion FP32 multiply-adds, each fetching one 8-byte word from DRAM (even at its cheapest)."""
    e = digital.workload_energy({"fp32_fma": 1e9}, {"dram": 8e9})
    assert (e.data_movement / e.arithmetic).to("").magnitude == approx(1300 / 4.6)
    assert e.memory_share.magnitude > 0.99


# --- 3. roofline -----------------------------------------------------------------------------------------------

def test_attainable_flops_by_hand():
    peak, bw = 989.4 * u.TFLOP / u.s, 3.35 * u.TB / u.s
    assert digital.attainable_flops(10, peak, bw).magnitude == approx(33.5)
    assert digital.attainable_flops(1000, peak, bw).magnitude == approx(989.4)
    assert mag(digital.attainable_flops([0, 10], 100e12, 1e12)) == approx([0, 10])   # plain SI


def test_ridge_points_reproduce_c17_and_reuse_inference():
    h100 = digital.ridge_point("H100")
    a100 = digital.ridge_point("A100")
    assert h100.magnitude == approx(fact_mag("h100_sxm_ridge_point"), rel=0.005)
    assert a100.magnitude == approx(fact_mag("a100_80gb_ridge_point"), rel=0.005)
    assert h100 == inference.ridge_point("H100")
    raw = digital.ridge_point(peak=FACTS["h100_sxm_bf16_dense_flops"].q,
                              bandwidth=FACTS["h100_sxm_memory_bandwidth"].q)
    assert raw.magnitude == approx(h100.magnitude)
    assert digital.ridge_point("H100", "fp8").magnitude == approx(2 * h100.magnitude, rel=0.01)


def test_attainable_is_continuous_at_the_ridge():
    device = digital.roofline(1, "A100")
    ridge = digital.ridge_point("A100").magnitude
    peak, bw = device.peak, device.bandwidth
    at = digital.attainable_flops(ridge, peak, bw).magnitude
    assert at == approx(peak.magnitude, rel=1e-12)
    below = digital.attainable_flops(ridge * (1 - 1e-9), peak, bw).magnitude
    above = digital.attainable_flops(ridge * (1 + 1e-9), peak, bw).magnitude
    assert below == approx(at, rel=1e-8) and above == approx(at, rel=1e-12)


def test_intensities_by_hand():
    assert digital.matmul_intensity(2, 3, 4, bytes_per_element=1).magnitude == approx(48 / 26)
    assert digital.matmul_intensity(4096, 4096, 4096).magnitude == approx(2 * 4096 / 6)
    assert digital.matvec_intensity(2, 3).magnitude == approx(12 / 22)
    assert digital.matvec_intensity(1e6, 1e6, 1 * u.B).magnitude == approx(2, rel=1e-5)
    assert digital.matvec_intensity(4096, 4096).units == u.FLOP / u.B


def test_roofline_memory_and_compute_bound():
    r = digital.roofline(1.0, "H100", flops=1e12)
    assert r.bound == "memory"
    assert mag(r.attainable, "TFLOP/s") == approx(3.35)
    assert mag(r.time, "s") == approx(1e12 / 3.35e12)
    assert mag(r.bytes, "B") == approx(1e12)
    assert mag(r.energy, "J") == approx(700 * 1e12 / 3.35e12)
    assert mag(r.energy_memory, "J") == approx(1e12 * 8 * 3.97e-12)        # HBM2 per byte
    assert mag(r.energy_memory + r.energy_compute_and_other, "J") == approx(mag(r.energy, "J"))
    c = digital.roofline(digital.matmul_intensity(8192, 8192, 8192), "H100", flops=2 * 8192 ** 3)
    assert c.bound == "compute"
    assert c.utilisation.magnitude == approx(1)
    best_case = (c.energy / c.flops).to("pJ/FLOP").magnitude
    assert best_case == approx(700 / 989.4)                                  # ≈0.71 pJ/FLOP from peak specs
    half = digital.roofline(1.0, "H100", power_fraction=0.5)
    assert mag(half.energy, "J") == approx(mag(r.energy, "J") / 2)


def test_roofline_vectorised_bounds():
    ridge = digital.ridge_point("H100").magnitude
    r = digital.roofline([1, ridge, 1000], "H100")
    assert list(r.bound) == ["memory", "compute", "compute"]                # at the ridge: balanced, "compute"
    assert mag(r.utilisation)[-1] == approx(1)


def test_roofline_times_come_from_kernel_time():
    a100 = accelerators.accelerator("A100")
    r = digital.roofline([0.5, 150, 2000], a100, flops=3e12)
    t = digital.kernel_time(r.flops, r.bytes, a100.peak("bf16"), a100.bandwidth())
    assert np.array_equal(mag(r.time, "s"), mag(t.time, "s"))
    assert list(r.bound) == list(t.bound) == ["memory", "memory", "compute"]
    assert digital.kernel_time(2, 1, 2, 1).bound == "memory"          # a tie is memory-bound in kernel_time,
    ridge = digital.ridge_point(a100).magnitude
    assert digital.roofline(ridge, a100).bound == "compute"             # on the flat roof in the roofline


# --- 4. number formats -----------------------------------------------------------------------------------------

def test_formats_table():
    f = digital.FORMATS
    assert set(f) == {"fp32", "bf16", "fp16", "fp8", "int8", "int4"}
    assert (f["fp32"].exponent_bits, f["fp32"].mantissa_bits, f["fp32"].bits) == (8, 23, 32)
    assert (f["bf16"].exponent_bits, f["bf16"].mantissa_bits) == (8, 7)
    assert (f["fp16"].exponent_bits, f["fp16"].mantissa_bits) == (5, 10)
    assert (f["fp8"].exponent_bits, f["fp8"].mantissa_bits, f["fp8"].bits) == (4, 3, 8)
    assert f["int8"].qmax == 127 and f["int4"].qmax == 7
    for spec in f.values():
        if spec.kind == "float":
            assert 1 + spec.exponent_bits + spec.mantissa_bits == spec.bits
        assert str(spec)


def test_format_ranges_match_numpy_and_the_fp8_paper():
    assert digital.FORMATS["fp16"].max_value == float(np.finfo(np.float16).max)
    assert digital.FORMATS["fp32"].max_value == float(np.finfo(np.float32).max)
    assert digital.FORMATS["fp16"].min_exponent == -14
    assert digital.FORMATS["bf16"].max_value == approx((2 - 2 ** -7) * 2.0 ** 127)
    assert digital.FORMATS["fp8"].max_value == fact_mag("fp8_e4m3_max_value") == 448
    assert digital.FORMATS["fp8"].min_exponent == -6
    assert digital.FORMATS["fp16"].relative_step == float(np.finfo(np.float16).eps)


def test_format_energy_per_operand_where_horowitz_has_it():
    assert digital.FORMATS["int8"].mult_energy().magnitude == approx(0.2)
    assert digital.FORMATS["fp32"].add_energy().magnitude == approx(0.9)
    assert digital.FORMATS["bf16"].mult_energy() is None
    assert digital.FORMATS["int4"].add_energy() is None


def test_fp16_and_fp32_rounding_match_numpy():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(5000) * 10.0 ** rng.uniform(-9, 4, 5000)       # includes fp16 subnormals
    assert np.array_equal(digital.quantize(x, "fp16"), x.astype(np.float16).astype(float))
    y = rng.standard_normal(5000) * 10.0 ** rng.uniform(-40, 30, 5000)
    assert np.array_equal(digital.quantize(y, "fp32"), y.astype(np.float32).astype(float))


def test_bf16_rounding_matches_the_bit_trick():
    rng = np.random.default_rng(2)
    x32 = (rng.standard_normal(5000) * 10.0 ** rng.uniform(-30, 30, 5000)).astype(np.float32)
    bits = x32.view(np.uint32).astype(np.uint64)
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) & 0xFFFF0000).astype(np.uint32).view(np.float32)
    assert np.array_equal(digital.quantize(x32.astype(float), "bf16"), rounded.astype(float))


def test_fp8_values_by_hand():
    got = digital.quantize([0.1, 1000.0, -464.0, 2 ** -9, 0.0009, 0.0, 1.0625, 1.1875], "fp8")
    # 0.1 = 12.8 steps of 2⁻⁷ → 13 × 2⁻⁷; saturation at ±448; smallest subnormal 2⁻⁹;
    # 0.0009 < half of 2⁻⁹ → 0; ties to even: 1.0625 → 1.0, 1.1875 → 1.25
    assert got.tolist() == [0.1015625, 448.0, -448.0, 2 ** -9, 0.0, 0.0, 1.0, 1.25]


def test_round_float_custom_widths():
    assert digital.round_float([1.0, 1.1, 3.14159], 3).tolist() == [1.0, 1.125, 3.25]
    assert digital.round_float(1e6, 2, exponent_bits=4).tolist() == (2 - 2 ** -2) * 2 ** 7   # saturates at 224


def test_int_quantisation_by_hand():
    got = digital.round_int([1.0, 0.5, -0.26], 8)
    assert got == approx(np.array([127, 64, -33]) / 127)          # 63.5 → 64 (ties to even)
    assert digital.quantize([2.0, -1.0, 0.3], "int4") == approx(np.array([7, -4, 1]) * 2 / 7)
    assert digital.quantize([0.0, 0.0], "int8").tolist() == [0.0, 0.0]


def _reference_quantiser(x, bits, axis=None, signed=True, scale=None):
    """The quantization experiment's own integer quantiser, as it was before it moved here."""
    x = np.asarray(x, dtype=np.float64)
    top = 2 ** (bits - 1) - 1 if signed else 2 ** bits - 1
    if scale is None:
        peak = np.max(np.abs(x)) if axis is None else np.max(np.abs(x), axis=axis, keepdims=True)
        scale = np.where(peak > 0, peak / top, 1.0)
        scale = float(scale) if axis is None else scale
    return np.clip(np.round(x / scale), -top if signed else 0, top).astype(np.int64), scale


def test_quantize_uniform_reproduces_the_quantization_experiment():
    reference = _reference_quantiser
    rng = np.random.default_rng(11)
    for bits in range(2, 9):
        for signed in (True, False):
            x = rng.standard_normal((24, 7)) * rng.uniform(0.01, 100)
            for axis in (None, 0, 1):
                q_ref, s_ref = reference(x, bits, axis=axis, signed=signed)
                q, s = digital.quantize_uniform(x, bits, axis=axis, signed=signed)
                assert q.dtype == np.int64 and np.array_equal(q, q_ref), (bits, signed, axis)
                assert np.array_equal(s, s_ref) and np.shape(s) == np.shape(s_ref), (bits, signed, axis)
                assert type(s) is type(s_ref)
            calibrated = float(np.max(np.abs(x))) / 3               # a given scale: values beyond it clip
            q_ref, s_ref = reference(x, bits, signed=signed, scale=calibrated)
            q, s = digital.quantize_uniform(x, bits, signed=signed, scale=calibrated)
            assert np.array_equal(q, q_ref) and s == s_ref
    zeros = digital.quantize_uniform(np.zeros(3), 4)
    assert zeros.scale == reference(np.zeros(3), 4)[1] == 1.0 and zeros.codes.tolist() == [0, 0, 0]


def test_quantize_uniform_ranges_units_and_round_int():
    q = digital.quantize_uniform([-3.0, -2.0, 0.0, 1.0, 3.0], 2)
    assert q.codes.tolist() == [-1, -1, 0, 0, 1] and q.scale == 3.0                 # 2 bits: −1, 0, +1
    u8 = digital.quantize_uniform([-1.0, 0.0, 2.0, 4.0], 4, scale=0.2, signed=False)
    assert u8.codes.tolist() == [0, 0, 10, 15]                                      # clipped to 0 … 15
    assert u8.values == approx([0.0, 0.0, 2.0, 3.0])
    adc = digital.quantize_uniform([0.2, 0.61, 1.3] * u.V, 4, scale=1000 / 15 * u.mV, signed=False)
    assert adc.codes.tolist() == [3, 9, 15]
    assert adc.scale.units == u.V and adc.scale.magnitude == approx(1 / 15)
    assert mag(adc.values, "V") == approx([0.2, 0.6, 1.0])
    x = np.random.default_rng(3).standard_normal(500)
    for bits in (2, 4, 8, 16, 32):
        assert np.array_equal(digital.round_int(x, bits), digital.quantize_uniform(x, bits).values)
    tiny = digital.quantize_uniform([1e-322, -5e-324], 8)       # max|x| / 127 underflows: all codes 0, scale 1
    assert tiny.codes.tolist() == [0, 0] and tiny.scale == 1.0
    assert digital.quantize_uniform([], 8).codes.shape == (0,)


def test_quantization_error_by_hand():
    assert digital.quantization_error([1.0, 0.1], "fp8") == approx(0.0015625 / math.sqrt(1.01))
    dot = digital.quantization_error([1.0, 0.1], "fp8", y=[1.0, 1.0])
    assert dot == approx(0.0015625 / (math.sqrt(1.01) * math.sqrt(2)))
    assert digital.quantization_error([1.0, 0.5, 0.25], "fp32") == 0


def test_dot_product_errors_rank_the_formats():
    errors = {name: digital.dot_product_error(name, n=4096, seed=0) for name in digital.FORMATS}
    assert errors["fp32"] < errors["fp16"] < errors["bf16"] < errors["fp8"]
    assert errors["int8"] < errors["int4"]
    assert digital.dot_product_error("int8", seed=3) == digital.dot_product_error("int8", seed=3)


# --- 5. Landauer -----------------------------------------------------------------------------------------------

def test_landauer_limit_reproduces_c9():
    e = digital.landauer_limit(300)
    assert e.units == u.J
    assert e.magnitude == approx(K_B * 300 * math.log(2))
    assert e.magnitude == approx(2.87e-21, rel=0.002)
    assert e.magnitude == approx(fact_mag("landauer_limit_300k", "J"), rel=0.005)
    assert mag(digital.landauer_limit(293), "zJ") == approx(fact_mag("landauer_limit_293k", "zJ"), rel=0.005)
    assert mag(digital.landauer_limit(300), "eV") == approx(fact_mag("landauer_limit_300k_ev", "eV"), rel=0.02)
    assert digital.landauer_limit(Q_(26.85, "degC")).magnitude == approx(e.magnitude)
    assert mag(digital.landauer_limit([150, 300])) == approx([e.magnitude / 2, e.magnitude])


def test_orders_above_landauer_reproduces_c10():
    orders = digital.orders_above_landauer(fact_mag("horowitz_int8_add_energy", "J"))
    assert orders.magnitude == approx(math.log10(0.03e-12 / (K_B * 300 * math.log(2))))
    assert 6.5 < orders.magnitude < 7.5                                    # ≈10⁷ × kT ln 2
    eight = digital.orders_above_landauer(0.03 * u.pJ, bits_erased=8)
    assert eight.magnitude == approx(orders.magnitude - math.log10(8))


# --- 6. interconnect -----------------------------------------------------------------------------------------------

def test_link_power_and_energy_per_bit_by_hand():
    assert digital.link_power(1.6 * u.Tbit / u.s, 5.625 * u.pJ / u.bit).magnitude == approx(9)
    assert digital.link_power(1e9, 1e-12).magnitude == approx(8e9 * 1e-12)   # plain B/s and J/bit
    e = digital.energy_per_bit(30, 1.6 * u.Tbit / u.s)
    assert e.units == u.pJ / u.bit
    assert e.magnitude == approx(fact_mag("nvidia_pluggable_energy_per_bit", "pJ/bit"))
    cpo = digital.energy_per_bit(FACTS["nvidia_cpo_port_power"].q, FACTS["nvidia_photonics_port_bandwidth"].q)
    assert cpo.magnitude == approx(fact_mag("nvidia_cpo_energy_per_bit", "pJ/bit"))
    pluggable = digital.energy_per_bit(FACTS["nvidia_pluggable_port_power"].q,
                                       FACTS["nvidia_photonics_port_bandwidth"].q)
    assert pluggable.magnitude == approx(18.8, abs=0.06) and cpo.magnitude == approx(5.6, abs=0.06)


def test_oconnor_dram_power_example():
    """4 TB/s at HBM2's 3.97 pJ/bit: "upwards of 120 W" of DRAM power."""
    p = digital.link_power(FACTS["oconnor_future_gpu_dram_bandwidth"].q, FACTS["oconnor_hbm2_access_energy"].q)
    assert p.magnitude == approx(4e12 * 8 * 3.97e-12)
    assert (fact_mag("oconnor_future_gpu_dram_power", "W") <= p.magnitude
            <= 1.1 * fact_mag("oconnor_future_gpu_dram_power", "W"))


def test_derived_interconnect_facts_agree_with_their_inputs():
    wire = FACTS["keckler_wire_energy_256bit_10mm"].q / Q_(256, "bit") / Q_(10, "mm")
    assert wire.to("pJ/bit/mm").magnitude == approx(fact_mag("keckler_wire_energy_per_bit_mm", "pJ/bit/mm"), rel=0.005)
    assert fact_mag("pcie5_energy_per_bit_lower_bound", "pJ/bit") == approx(5 * fact_mag("nvlink_c2c_energy_per_bit",
                                                                                         "pJ/bit"))


def test_interconnect_table():
    table = digital.interconnects()
    assert list(table) == ["on_chip_wire_10mm", "nvlink_c2c", "hbm2", "cpo_optics", "pcie5_lower_bound", "gddr5",
                           "pluggable_optics"]
    values = [link.energy_per_bit.to("pJ/bit").magnitude for link in table.values()]
    assert values == sorted(values)
    assert table["on_chip_wire_10mm"].energy_per_bit.magnitude == approx(310 / 256)
    assert table["hbm2"].energy_per_bit.magnitude == approx(3.97)
    for link in table.values():
        assert link.fact_id in FACTS and link.what
    assert digital.INTERCONNECTS["nvlink_c2c"].energy_per_bit.magnitude == approx(1.3)
    # HBM2 per bit is 5–10× cheaper than Horowitz's off-chip DRAM per bit
    dram_per_bit = mag(digital.memory_energy("dram", 1), "pJ")
    assert dram_per_bit / 3.97 == approx([5.1, 10.2], abs=0.05)


def test_article_terabytes_vs_terabits():
    ratio = digital.data_rate_ratio(FACTS["article_chip_bandwidth_claim"].q, FACTS["nvidia_photonics_port_bandwidth"].q)
    assert ratio.magnitude == approx(8)                                     # a byte is 8 bits
    links = digital.interconnects()
    check = digital.article_bandwidth_check(links["cpo_optics"].energy_per_bit)
    assert check.ratio.magnitude == approx(8)
    assert mag(check.power_per_port, "W") == approx(fact_mag("nvidia_cpo_port_power", "W"))
    assert mag(check.power_as_claimed, "W") == approx(8 * 9)
    pluggable = digital.article_bandwidth_check(links["pluggable_optics"].energy_per_bit)
    assert mag(pluggable.power_per_port, "W") == approx(fact_mag("nvidia_pluggable_port_power", "W"))
    assert mag(pluggable.power_as_claimed, "W") == approx(8 * 30)
    both = digital.article_bandwidth_check([5.625e-12, 18.75e-12])              # plain numbers in J/bit
    assert mag(both.power_per_port, "W") == approx([9, 30]) and mag(both.power_as_claimed, "W") == approx([72, 240])
    assert mag(both.energy_per_bit, "pJ/bit") == approx([5.625, 18.75])
    assert digital.data_rate_ratio(1.6 * u.TB / u.s, 1.6 * u.TB / u.s).magnitude == approx(1)


def test_ibm_80_percent_from_five_times():
    saving = digital.saving_from_reduction_factor(FACTS["ibm_cpo_power_reduction_factor"].q)
    assert saving.magnitude == approx(fact_mag("ibm_cpo_energy_saving", "dimensionless"))
    assert saving.to("percent").magnitude == approx(fact_mag("article_ibm_optics_efficiency_claim", "percent"))
    assert digital.saving_from_reduction_factor(1).magnitude == 0


def test_references_cite_the_sources_used():
    sources.reset_used()
    digital.interconnects()
    digital.op_energy("mult", "fp32")
    keys = {ref.key for ref in sources.references().works}
    assert {"keckler2011", "nvidia_grace_hopper2022", "oconnor2017", "nvidia_photonics2025", "horowitz2014"} <= keys


# --- bad input: the argument and the unit are named ---------------------------------------------------------------

@pytest.mark.parametrize("call,error,words", [
    (lambda: digital.switching_energy("1", 1), TypeError, ["capacitance", "F"]),
    (lambda: digital.switching_energy(1 * u.V, 1), TypeError, ["capacitance", "V"]),
    (lambda: digital.switching_energy(1e-15, -1), ValueError, ["voltage", "V"]),
    (lambda: digital.dynamic_power(1.5, 1e-9, 1, 1e9), ValueError, ["activity", "fraction"]),
    (lambda: digital.dynamic_power(0.1, 1e-9, 1, -1e9), ValueError, ["frequency", "Hz"]),
    (lambda: digital.dynamic_power(0.1, 1e-9, 1, 1 * u.s), TypeError, ["frequency", "frequency"]),
    (lambda: digital.voltage_for_frequency(1e9, 0, 1), ValueError, ["f0", "Hz"]),
    (lambda: digital.voltage_for_frequency(1e9, 1e9, 0.2), ValueError, ["v0", "v_th", "V"]),
    (lambda: digital.voltage_for_frequency(1e9, 1e9, 1, alpha=2.5), ValueError, ["alpha", "2"]),
    (lambda: digital.voltage_for_frequency(1e9, 1e9, 1, v_th=0, alpha=1), ValueError, ["alpha", "v_th"]),
    (lambda: digital.frequency_for_voltage(1 * u.W, 1e9, 1), TypeError, ["voltage", "V"]),
    (lambda: digital.frequency_for_voltage(1, 1e9, 1, v_th=-0.1), ValueError, ["v_th", "V"]),
    (lambda: digital.power_frequency_exponent(0.3), ValueError, ["voltage", "v_th", "V"]),
    (lambda: digital.article_bandwidth_check(1 * u.W), TypeError, ["energy_per_bit", "J"]),
    (lambda: digital.article_bandwidth_check(-1e-12), ValueError, ["energy_per_bit"]),
    (lambda: digital.coupled_power(1e9, 1e9, None), TypeError, ["p0", "W"]),
    (lambda: digital.leakage_share(0, 0), ValueError, ["dynamic_power", "W"]),
    (lambda: digital.subthreshold_swing(0), ValueError, ["temperature", "K"]),
    (lambda: digital.subthreshold_swing(300, ideality=0.5), ValueError, ["ideality"]),
    (lambda: digital.leakage_increase(1 * u.W), TypeError, ["vth_reduction", "V"]),
    (lambda: digital.dennard_scaling([0, 90]), ValueError, ["nodes", "nm"]),
    (lambda: digital.dennard_scaling(vdd_floor=-1), ValueError, ["vdd_floor", "V"]),
    (lambda: digital.dennard_scaling(frequency_cap=0), ValueError, ["frequency_cap", "Hz"]),
    (lambda: digital.op_energy("div", "fp32"), ValueError, ["op", "'add'"]),
    (lambda: digital.op_energy("mult", "bf16"), ValueError, ["dtype", "bf16", "fp32"]),
    (lambda: digital.op_energy("mult", 32), TypeError, ["dtype"]),
    (lambda: digital.op_energy("add", "fp32", accumulate="fp32"), TypeError, ["accumulate", "fma"]),
    (lambda: digital.memory_energy("l2"), ValueError, ["level", "cache_8kb"]),
    (lambda: digital.memory_energy("dram", -1), ValueError, ["bits", "bit"]),
    (lambda: digital.memory_energy("dram", 1 * u.s), TypeError, ["bits"]),
    (lambda: digital.memory_energy("dram", bound="max"), ValueError, ["bound", "'low'"]),
    (lambda: digital.workload_energy(ops=[1]), TypeError, ["ops", "mapping"]),
    (lambda: digital.workload_energy(ops={"fp32_mult": -1}), ValueError, ["fp32_mult", "negative"]),
    (lambda: digital.workload_energy(ops={"fp32": 1}), TypeError, ["ops keys"]),
    (lambda: digital.workload_energy(bytes_moved={"dram": 1 * u.W}), TypeError, ["bytes_moved", "B"]),
    (lambda: digital.workload_energy(bytes_moved={"disk": 1}), ValueError, ["level"]),
    (lambda: digital.workload_energy(dram="typical"), ValueError, ["dram", "'low'"]),
    (lambda: digital.attainable_flops(10, 1 * u.TB / u.s, 1e12), TypeError, ["peak", "FLOP"]),
    (lambda: digital.attainable_flops(-1, 1e12, 1e12), ValueError, ["intensity", "FLOP / B"]),
    (lambda: digital.attainable_flops(1, 1e12, 0), ValueError, ["bandwidth", "B / s"]),
    (lambda: digital.ridge_point(), TypeError, ["accelerator", "peak"]),
    (lambda: digital.ridge_point("H100", peak=1, bandwidth=1), TypeError, ["not both"]),
    (lambda: digital.ridge_point("H100", "int3"), ValueError, ["precision", "bf16"]),
    (lambda: digital.matmul_intensity(0, 1, 1), ValueError, ["m", "greater than 0"]),
    (lambda: digital.matvec_intensity(4, 4, 1 * u.s), TypeError, ["bytes_per_element"]),
    (lambda: digital.roofline(0, "H100"), ValueError, ["kernel_intensity", "FLOP / B"]),
    (lambda: digital.roofline(1, "Z80"), ValueError, ["name", "H100"]),
    (lambda: digital.roofline(1, "H100", power_fraction=1.5), ValueError, ["power_fraction"]),
    (lambda: digital.roofline(1, "H100", flops=1 * u.s), TypeError, ["flops"]),
    (lambda: digital.quantize("abc", "fp8"), TypeError, ["x"]),
    (lambda: digital.quantize([1.0], "fp4"), ValueError, ["fmt", "'fp8'"]),
    (lambda: digital.quantize([1.0, float("nan")], "fp16"), ValueError, ["x", "NaN"]),
    (lambda: digital.quantize(1 * u.m, "fp16"), TypeError, ["x", "plain numbers"]),
    (lambda: digital.round_float([1.0], 2.5), TypeError, ["mantissa_bits"]),
    (lambda: digital.round_float([1.0], 60), ValueError, ["mantissa_bits", "52"]),
    (lambda: digital.round_int([1.0], 1), ValueError, ["bits"]),
    (lambda: digital.quantize_uniform([1.0], 33), ValueError, ["bits", "32"]),
    (lambda: digital.quantize_uniform([1.0], 4.0), TypeError, ["bits"]),
    (lambda: digital.quantize_uniform([1.0], 4, signed="yes"), TypeError, ["signed"]),
    (lambda: digital.quantize_uniform([1.0], 4, scale=0), ValueError, ["scale", "greater than 0"]),
    (lambda: digital.quantize_uniform([1.0] * u.V, 4, scale=1 * u.s), TypeError, ["scale"]),
    (lambda: digital.quantize_uniform([1.0, float("inf")], 4), ValueError, ["x", "infinity"]),
    (lambda: digital.quantization_error([0.0, 0.0], "int8"), ValueError, ["x", "non-zero"]),
    (lambda: digital.quantization_error([1.0, 2.0], "int8", y=[1.0]), ValueError, ["shape"]),
    (lambda: digital.dot_product_error("int8", n=0), ValueError, ["n"]),
    (lambda: digital.dot_product_error("int8", seed=1.5), TypeError, ["seed"]),
    (lambda: digital.landauer_limit(0), ValueError, ["temperature", "K"]),
    (lambda: digital.landauer_limit(1 * u.m), TypeError, ["temperature", "temperature"]),
    (lambda: digital.orders_above_landauer(0), ValueError, ["energy_per_op", "J"]),
    (lambda: digital.orders_above_landauer(1e-12, bits_erased=0), ValueError, ["bits_erased", "bit"]),
    (lambda: digital.link_power(1 * u.W, 1e-12), TypeError, ["bandwidth", "data rate"]),
    (lambda: digital.link_power(1e9, 1 * u.W), TypeError, ["energy_per_bit", "J/bit"]),
    (lambda: digital.energy_per_bit(1, 0), ValueError, ["bandwidth", "B / s"]),
    (lambda: digital.data_rate_ratio(1e9, 0), ValueError, ["b", "B / s"]),
    (lambda: digital.saving_from_reduction_factor(0.5), ValueError, ["factor", "at least 1"]),
])
def test_bad_input_names_argument_and_unit(call, error, words):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, (word, message)


def test_unknown_module_attribute():
    with pytest.raises(AttributeError):
        digital.NOT_A_THING  # noqa: B018


def test_package_re_exports_every_public_name():
    for name in digital.__all__:
        assert getattr(digital, name) is not None, name
    assert callable(digital.roofline) and callable(digital.kernel_time)      # functions, not the submodules
    assert digital.INTERCONNECTS == digital.interconnect.INTERCONNECTS
    with pytest.raises(AttributeError, match="energylab.chips.digital"):
        digital.interconnect.NOT_A_THING  # noqa: B018


def test_matmul_flops_counts_a_multiply_and_an_add_per_term():
    assert mag(digital.matmul_flops(8192, 64, 8192), "FLOP") == 2 * 8192 * 64 * 8192
    assert mag(digital.matmul_flops([1, 2], 3, 4), "FLOP") == approx([24, 48])
    ideal_bytes = 2 * (8192 * 8192 + 8192 * 64 + 8192 * 64)
    assert mag(digital.matmul_intensity(8192, 64, 8192), "FLOP/B") == approx(2 * 8192 * 64 * 8192 / ideal_bytes)
    with pytest.raises(ValueError, match="k must be greater than 0"):
        digital.matmul_flops(2, 2, 0)
