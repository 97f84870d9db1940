"""Property tests (hypothesis) of the physical invariants of energylab.chips.digital."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from energylab.chips import digital
from energylab.units import u

from helpers import fast, log_reals, reals

approx = pytest.approx


intensities = log_reals(-3, 5)       # FLOP/B
peaks = log_reals(11, 16)            # FLOP/s
bandwidths = log_reals(10, 14)       # B/s
frequencies = log_reals(7, 10.5)     # Hz
byte_counts = log_reals(0, 12)       # B
levels = st.sampled_from(digital.MEMORY_LEVELS)
seeds = st.integers(min_value=0, max_value=2 ** 32 - 1)
vectors = st.lists(reals(-1e4, 1e4), min_size=1, max_size=64)


# --- roofline -----------------------------------------------------------------------------------------------------

@fast
@given(i=intensities, peak=peaks, bw=bandwidths)
def test_attainable_below_both_roofs(i, peak, bw):
    got = digital.attainable_flops(i, peak, bw).to("FLOP/s").magnitude
    assert got <= peak * (1 + 1e-12)
    assert got <= bw * i * (1 + 1e-12)
    assert got == approx(min(peak, bw * i), rel=1e-12)


@fast
@given(peak=peaks, bw=bandwidths, eps=log_reals(-12, -2))
def test_attainable_continuous_at_the_ridge(peak, bw, eps):
    ridge = digital.ridge_point(peak=peak, bandwidth=bw).magnitude
    assert ridge == approx(peak / bw)
    at = digital.attainable_flops(ridge, peak, bw).to("FLOP/s").magnitude
    below = digital.attainable_flops(ridge * (1 - eps), peak, bw).to("FLOP/s").magnitude
    above = digital.attainable_flops(ridge * (1 + eps), peak, bw).to("FLOP/s").magnitude
    assert at == approx(peak, rel=1e-12)
    assert above == approx(peak, rel=1e-12)
    assert abs(at - below) <= peak * eps * (1 + 1e-6) + peak * 1e-14    # the jump vanishes as eps → 0


@fast
@given(a=intensities, b=intensities, peak=peaks, bw=bandwidths)
def test_attainable_nondecreasing_in_intensity(a, b, peak, bw):
    lo, hi = sorted((a, b))
    values = digital.attainable_flops([lo, hi], peak, bw).magnitude
    assert values[0] <= values[1] * (1 + 1e-12)


@fast
@given(i=intensities, name=st.sampled_from(["H100", "A100", "V100"]), flops=log_reals(6, 18))
def test_roofline_time_and_energy_consistent(i, name, flops):
    precision = "fp16" if name == "V100" else "bf16"
    r = digital.roofline(i, name, precision, flops=flops)
    assert r.attainable.magnitude <= r.peak.magnitude * (1 + 1e-12)
    assert (r.bound == "compute") == (i >= r.ridge.magnitude)
    assert r.time.to("s").magnitude == approx(flops / r.attainable.to("FLOP/s").magnitude)
    assert 0 <= r.energy_memory.magnitude <= r.energy.magnitude * (1 + 1e-12)
    assert r.energy_compute_and_other.magnitude >= -1e-12 * r.energy.magnitude
    assert 0 < r.utilisation.magnitude <= 1 + 1e-12


@fast
@given(m=log_reals(0, 5), n=log_reals(0, 5), k=log_reals(0, 5), b=st.sampled_from([0.5, 1, 2, 4]))
def test_intensity_bounds(m, n, k, b):
    assert digital.matvec_intensity(m, n, b).magnitude <= 2 / b * (1 + 1e-12)
    mm = digital.matmul_intensity(m, n, k, b).magnitude
    assert mm == approx(digital.matmul_intensity(n, m, k, b).magnitude)          # symmetric in m and n
    assert digital.matmul_intensity(m, m, m, b).magnitude == approx(2 * m / (3 * b))


# --- energy per operation and data movement -----------------------------------------------------------------------

@fast
@given(level=levels, a=byte_counts, b=byte_counts, ops=log_reals(0, 12), dram=st.sampled_from(["low", "mid", "high"]))
def test_workload_energy_monotone_in_bytes_moved(level, a, b, ops, dram):
    lo, hi = sorted((a, b))
    small = digital.workload_energy({"fp16_fma": ops}, {level: lo}, dram=dram)
    large = digital.workload_energy({"fp16_fma": ops}, {level: hi}, dram=dram)
    assert small.total.magnitude <= large.total.magnitude * (1 + 1e-12)
    assert small.data_movement.magnitude <= large.data_movement.magnitude * (1 + 1e-12)
    assert small.memory_share.magnitude <= large.memory_share.magnitude + 1e-12
    assert large.total.magnitude == approx(large.arithmetic.magnitude + large.data_movement.magnitude)


@fast
@given(level=levels, bits=log_reals(0, 9), k=reals(0.1, 10))
def test_memory_energy_proportional_to_bits(level, bits, k):
    one = np.asarray(digital.memory_energy(level, bits).magnitude)
    scaled = np.asarray(digital.memory_energy(level, bits * k).magnitude)
    assert scaled == approx(one * k)


def test_every_access_costs_more_than_an_fp32_multiply():
    mult = digital.op_energy("mult", "fp32").magnitude
    for level in digital.MEMORY_LEVELS:
        assert np.all(np.asarray(digital.memory_energy(level).magnitude) > mult)


# --- CMOS ---------------------------------------------------------------------------------------------------------

@fast
@given(f1=frequencies, f2=frequencies, f0=frequencies, p0=reals(0.1, 1000))
def test_coupled_power_is_cubic_in_frequency_in_the_cartoon(f1, f2, f0, p0):
    # V_th = 0 and α = 2 (long channels): V ∝ f exactly, so P ∝ f³ at every clock
    assume(abs(math.log(f2 / f1)) > 1e-3)
    p1 = digital.coupled_power(f1, f0, p0, v_th=0, alpha=2).magnitude
    p2 = digital.coupled_power(f2, f0, p0, v_th=0, alpha=2).magnitude
    slope = math.log(p2 / p1) / math.log(f2 / f1)
    assert slope == approx(3, abs=1e-6)


@fast
@given(f1=frequencies, f2=frequencies, floor=reals(0.0, 0.95), v_th=reals(0.0, 0.5), a=reals(1.05, 2.0))
def test_coupled_power_slope_between_one_and_the_far_above_threshold_limit(f1, f2, floor, v_th, a):
    # P ∝ f^k with 1 ≤ k ≤ 1 + 2 / (α − 1): linear where the floor (or V_th) holds the voltage, steepest far above
    assume(abs(math.log(f2 / f1)) > 1e-3)
    law = dict(v0=1.0, v_min=floor, v_th=v_th, alpha=a)
    p1 = digital.coupled_power(f1, 1e9, 100, **law).magnitude
    p2 = digital.coupled_power(f2, 1e9, 100, **law).magnitude
    slope = math.log(p2 / p1) / math.log(f2 / f1)
    assert 1 - 1e-6 <= slope <= 1 + 2 / (a - 1) + 1e-6


@fast
@given(v1=reals(0.0, 5.0), v2=reals(0.0, 5.0), v_th=reals(0.05, 0.5), a=reals(1.05, 2.0))
def test_alpha_power_clock_is_monotone_and_inverted_by_voltage_for_frequency(v1, v2, v_th, a):
    assume(abs(v1 - v2) > 1e-6)
    lo, hi = sorted((v1, v2))
    f_lo, f_hi = (digital.frequency_for_voltage(v, 1e9, 1.0, v_th=v_th, alpha=a).to("Hz").magnitude for v in (lo, hi))
    if hi <= v_th:
        assert f_lo == f_hi == 0
        return
    assert f_hi > f_lo >= 0
    back = digital.voltage_for_frequency(f_hi, 1e9, 1.0, v_th=v_th, alpha=a).magnitude
    assert back == approx(hi, rel=1e-8)


@fast
@given(alpha=reals(0, 1), c=log_reals(-15, -6), v=reals(0.1, 5), f=frequencies, k=reals(0.1, 10))
def test_dynamic_power_scales_as_v_squared_and_f(alpha, c, v, f, k):
    base = digital.dynamic_power(alpha, c, v, f).magnitude
    assert digital.dynamic_power(alpha, c, k * v, f).magnitude == approx(base * k ** 2)
    assert digital.dynamic_power(alpha, c, v, k * f).magnitude == approx(base * k)
    e = digital.switching_energy(c, v).to("J").magnitude
    assert base == approx(2 * alpha * e * f)       # α C V² f = α f × (2 × ½ C V²)


@fast
@given(nodes=st.lists(reals(5, 1000), min_size=1, max_size=12))
def test_ideal_dennard_keeps_power_density_constant(nodes):
    d = digital.dennard_scaling(nodes, vdd_floor=0)
    assert np.asarray(d.relative_power_density.magnitude) == approx(np.ones(len(nodes)))
    assert np.all(d.voltage_scaling)


@fast
@given(nodes=st.lists(reals(5, 1000), min_size=2, max_size=12, unique=True), floor=reals(0.1, 2),
       cap=st.one_of(st.none(), log_reals(9, 10)))
def test_dennard_power_density_never_falls_as_nodes_shrink(nodes, floor, cap):
    d = digital.dennard_scaling(sorted(nodes, reverse=True), vdd_floor=floor, frequency_cap=cap)
    density = np.asarray(d.relative_power_density.magnitude)
    assert np.all(density >= 1 - 1e-9) if cap is None else np.all(density > 0)
    if cap is None:
        assert np.all(np.diff(density) >= -1e-9 * density[:-1])
    assert np.all(np.diff(d.year) >= 0)             # smaller nodes come later


@fast
@given(dv=reals(-0.3, 0.3), t=reals(200, 400))
def test_leakage_decade_per_swing(dv, t):
    swing = digital.subthreshold_swing(t).to("V").magnitude
    got = digital.leakage_increase(dv, temperature=t).magnitude
    assert math.log10(got) == approx(dv / swing, abs=1e-9)


# --- number formats -----------------------------------------------------------------------------------------------

@fast
@given(x=vectors, m=st.integers(0, 22), extra=st.integers(1, 10))
def test_more_mantissa_bits_never_increase_any_error(x, m, extra):
    x = np.asarray(x)
    coarse = np.abs(digital.round_float(x, m) - x)
    fine = np.abs(digital.round_float(x, min(m + extra, 52)) - x)
    assert np.all(fine <= coarse)


@fast
@given(x=vectors)
def test_format_chains_per_value(x):
    """Every fp8 value is a bf16 and an fp16 value, every bf16 an fp32: finer grids never round worse."""
    x = np.asarray(x)
    err = {name: np.abs(digital.quantize(x, name) - x) for name in ("fp32", "bf16", "fp16", "fp8")}
    assert np.all(err["fp32"] <= err["bf16"]) and np.all(err["bf16"] <= err["fp8"])
    assert np.all(err["fp32"] <= err["fp16"]) and np.all(err["fp16"] <= err["fp8"])


@fast
@given(seed=seeds, n=st.integers(64, 2048), scale=log_reals(-2, 2))
def test_quantization_error_non_increasing_with_more_bits(seed, n, scale):
    x = np.random.default_rng(seed).standard_normal(n) * scale
    e = {name: digital.quantization_error(x, name) for name in digital.FORMATS}
    assert e["fp32"] <= e["fp16"] <= e["fp8"]
    assert e["fp32"] <= e["bf16"] <= e["fp8"]
    assert e["int8"] <= e["int4"]


@fast
@given(x=st.lists(reals(-1e3, 1e3), min_size=1, max_size=64), bits=st.integers(2, 16))
def test_integer_error_within_half_a_step(x, bits):
    x = np.asarray(x)
    largest = np.max(np.abs(x))
    assume(largest > 1e-300)                                  # no subnormal scales
    step = largest / (2 ** (bits - 1) - 1)
    assert np.all(np.abs(digital.round_int(x, bits) - x) <= step / 2 * (1 + 1e-9))


@fast
@given(x=vectors, name=st.sampled_from(sorted(digital.FORMATS)))
def test_quantize_is_idempotent(x, name):
    once = digital.quantize(x, name)
    assume(np.any(once != 0))
    if digital.FORMATS[name].kind == "float":
        assert np.array_equal(digital.quantize(once, name), once)
    else:
        assert digital.quantize(once, name) == approx(once, rel=1e-12, abs=1e-12 * np.max(np.abs(once)))


# --- Landauer and links -------------------------------------------------------------------------------------------

@fast
@given(t=reals(1, 1000), k=reals(0.1, 10))
def test_landauer_linear_in_temperature(t, k):
    assert digital.landauer_limit(k * t).magnitude == approx(k * digital.landauer_limit(t).magnitude)


@fast
@given(e=log_reals(-21, -9), n=log_reals(0, 3))
def test_orders_above_landauer_consistent(e, n):
    orders = digital.orders_above_landauer(e, bits_erased=n).magnitude
    assert 10 ** orders * n * digital.landauer_limit().magnitude == approx(e)


@fast
@given(rate=log_reals(6, 14), e=log_reals(-15, -10))
def test_link_power_and_energy_per_bit_are_inverse(rate, e):
    p = digital.link_power(rate, e)
    back = digital.energy_per_bit(p, rate)
    assert back.to("J/bit").magnitude == approx(e)
    bits_rate = rate * u.bit / u.s                  # the same number read as bits: 8× less power
    assert digital.link_power(bits_rate, e).magnitude == approx(p.magnitude / 8)


@fast
@given(a=log_reals(0, 3), b=log_reals(0, 3))
def test_saving_increases_with_the_factor_and_stays_below_one(a, b):
    lo, hi = sorted((a, b))
    s_lo = digital.saving_from_reduction_factor(lo).magnitude
    s_hi = digital.saving_from_reduction_factor(hi).magnitude
    assert 0 <= s_lo <= s_hi < 1
