"""energylab.inference: FLOPs per token, the decode roofline (batching), per-query reproductions of the
published estimates, the sensitivity analysis, Amdahl's law and parallel runs, and clear errors."""
from __future__ import annotations

import doctest
import importlib
import pkgutil

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from energylab import inference, models, sources
from energylab.units import Q_, u

from helpers import fact_q, fast, log_reals, mag, reals

FACTS = sources.all_facts()
approx = pytest.approx


devices = st.sampled_from([("H100", "bf16", 2), ("H100", "fp8", 1), ("A100", "bf16", 2), ("V100", "fp16", 2),
                           ("TPU v4", "bf16", 2)])
params = log_reals(8, 12)            # 100 M … 1 T parameters
contexts = reals(0, 32_000)          # tokens
kv_sizes = log_reals(3, 6.5)         # 1 kB … 3 MB per token


# --- FLOPs per token and KV cache -------------------------------------------------------------------------

def test_flops_per_token_is_two_n_from_the_registry():
    two = fact_q("kaplan_inference_flop_per_param_token", "FLOP/param/token").magnitude
    assert two == 2
    result = inference.inference_flops_per_token(175e9)
    assert result.units == u.FLOP / u.token
    assert result.magnitude == approx(2 * 175e9)


def test_attention_term_added_only_with_layers_and_width():
    n, ctx, layers, width = 175e9, 2048, 96, 12288
    plain = inference.inference_flops_per_token(n, ctx).magnitude
    full = inference.inference_flops_per_token(n, ctx, n_layers=layers, d_attn=width).magnitude
    assert plain == approx(2 * n)
    assert full == approx(2 * n + 2 * layers * ctx * width)
    assert full / plain - 1 == approx(0.0138, abs=0.0005)  # ≈1.4 % for GPT-3 at 2,048 tokens


def test_flops_per_token_vectorised_and_unit_aware():
    result = inference.inference_flops_per_token(np.array([1e9, 7e9]) * u.param, Q_(4, "ktoken"),
                                                  n_layers=32, d_attn=4096)
    assert result.magnitude.shape == (2,)
    assert result.magnitude[1] == approx(2 * 7e9 + 2 * 32 * 4000 * 4096)


def test_kv_cache_bytes_per_token():
    assert mag(inference.kv_cache_bytes_per_token(96, 12288), "B/token") == approx(2 * 96 * 12288 * 2)
    assert mag(inference.kv_cache_bytes_per_token(80, 1024, 1 * u.B), "kB/token") == approx(163.84)


# --- roofline of a decode step ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, fact_id", [("H100", "h100_sxm_ridge_point"), ("A100", "a100_80gb_ridge_point")])
def test_ridge_point_matches_the_registry(name, fact_id):
    assert mag(inference.ridge_point(name), "FLOP/B") == approx(fact_q(fact_id).magnitude, rel=0.005)


@pytest.mark.parametrize("name, fact_id", [("H100", "h100_sxm_ridge_point"), ("A100", "a100_80gb_ridge_point")])
def test_critical_batch_at_zero_context_is_ridge_times_bytes_over_two(name, fact_id):
    """Context 0: intensity = 2·batch / bytes_per_param FLOP/B, so batch* = ridge × bytes / 2 (C17)."""
    ridge = fact_q(fact_id).magnitude
    for n in (1e9, 70e9, 400e9):
        assert mag(inference.critical_batch_size(n, name)) == approx(ridge * 2 / 2, rel=0.005)
        assert mag(inference.critical_batch_size(n, name, bytes_per_param=4)) == approx(ridge * 4 / 2, rel=0.005)


def test_transition_happens_at_the_critical_batch():
    n = 70e9
    critical = float(mag(inference.critical_batch_size(n, "H100")))
    below = inference.decode_step(n, critical * 0.99, "H100")
    above = inference.decode_step(n, critical * 1.01, "H100")
    at = inference.decode_step(n, critical, "H100")
    assert below.bound == "memory" and above.bound == "compute"
    assert mag(at.compute_time) == approx(mag(at.memory_time), rel=1e-9)
    assert mag(at.intensity, "FLOP/B") == approx(mag(inference.ridge_point("H100")), rel=1e-9)


@fast
@given(n=params, ctx=contexts, kv=kv_sizes, device=devices, util=reals(0.05, 1), bw=reals(0.3, 1))
def test_compute_equals_memory_time_at_the_critical_batch(n, ctx, kv, device, util, bw):
    name, precision, bytes_per_param = device
    kwargs = dict(bytes_per_param=bytes_per_param, context=ctx, kv_bytes_per_token=kv, precision=precision,
                  utilisation=util, bandwidth_utilisation=bw)
    critical = float(mag(inference.critical_batch_size(n, name, **kwargs)))
    if np.isinf(critical):
        # never compute-bound: even a huge batch stays memory-bound
        assert inference.decode_step(n, 1e9, name, **kwargs).bound == "memory"
        return
    assume(critical >= 1)
    step = inference.decode_step(n, critical, name, **kwargs)
    assert mag(step.compute_time) == approx(mag(step.memory_time), rel=1e-6)


@fast
@given(n=params, ctx=contexts, kv=kv_sizes, device=devices, util=reals(0.05, 1))
def test_batching_never_costs_energy_per_token_and_never_speeds_up_a_step(n, ctx, kv, device, util):
    """Energy per token non-increasing in batch size (flat once compute-bound); step time non-decreasing."""
    name, precision, bytes_per_param = device
    batches = np.unique(np.round(np.logspace(0, 4, 60)))
    kwargs = dict(bytes_per_param=bytes_per_param, context=ctx, kv_bytes_per_token=kv, precision=precision,
                  utilisation=util)
    energy = mag(inference.energy_per_token(n, batches, name, **kwargs), "J/token")
    step = inference.decode_step(n, batches, name, **kwargs)
    times = mag(step.step_time)
    assert np.all(np.diff(energy) <= 1e-12 * energy[:-1])
    assert np.all(np.diff(times) >= -1e-12 * times[:-1])
    assert np.all(np.diff(mag(step.tokens_per_second)) >= -1e-9 * mag(step.tokens_per_second)[:-1])
    compute = step.bound == "compute"
    if compute.any():  # once compute-bound (and without KV traffic) the energy per token is flat
        first = np.argmax(compute)
        assert np.all(compute[first:])
        if kv * ctx == 0:
            assert np.allclose(energy[first:], energy[first], rtol=1e-9)


def test_energy_per_token_falls_as_one_over_batch_while_memory_bound():
    energy = mag(inference.energy_per_token(70e9, [1, 2, 4, 8], "H100"), "J/token")
    assert energy[1:] / energy[:-1] == approx([0.5, 0.5, 0.5])
    # batch 1: the whole 140 GB of weights read per token at 3.35 TB/s, at 700 W
    assert energy[0] == approx(700 * 140e9 / 3.35e12)


def test_energy_per_token_power_fraction_and_pue_scale_it():
    base = mag(inference.energy_per_token(7e9, 16, "A100"))
    scaled = mag(inference.energy_per_token(7e9, 16, "A100", power=1275 * u.W, power_fraction=0.7, pue=1.2))
    assert scaled / base == approx(1275 / 400 * 0.7 * 1.2)


def test_tensor_parallel_cuts_latency_not_energy():
    one = inference.decode_step(70e9, 8, "H100")
    four = inference.decode_step(70e9, 8, "H100", n_accelerators=4)
    assert mag(four.step_time) == approx(mag(one.step_time) / 4)
    e1 = mag(inference.energy_per_token(70e9, 8, "H100"))
    e4 = mag(inference.energy_per_token(70e9, 8, "H100", n_accelerators=4))
    assert e4 == approx(e1)


def test_decode_step_reports_consistent_fields():
    step = inference.decode_step(70e9, [1, 64, 1024], "H100", context=1000, n_layers=80, d_attn=8192)
    assert list(step.bound) == ["memory", "memory", "memory"] or step.bound.dtype.kind == "U"
    assert mag(step.tokens_per_second, "token/s") == approx(np.array([1, 64, 1024]) / mag(step.step_time, "s"))
    assert mag(step.latency, "s/token") == approx(mag(step.step_time, "s"))
    peak = mag(models.accelerator("H100").peak_flops["bf16"], "FLOP/s")
    assert mag(step.mfu) == approx(mag(step.flops, "FLOP") / (peak * mag(step.step_time, "s")))
    assert np.all(mag(step.mfu) <= 1 + 1e-12)


def test_long_context_can_keep_decoding_memory_bound_forever():
    """Full multi-head KV cache of a 70 B model at 32k tokens: each sequence's cache costs more to read
    than its FLOPs take to compute."""
    critical = inference.critical_batch_size(70e9, "H100", context=32_000, n_layers=80, d_attn=8192)
    assert np.isinf(mag(critical))


# --- per query: the published figures from their own inputs -------------------------------------------------

def test_epoch_reproduced_within_one_percent():
    estimate = inference.epoch_estimate()
    assert mag(estimate.energy, "Wh") == approx(fact_q("epoch_gpt4o_query_energy", "Wh").magnitude, rel=0.01)
    assert mag(estimate.energy, "Wh") == approx(0.3008, rel=0.001)
    # every input is a registry fact
    for name, fact_id in estimate.input_facts.items():
        assert fact_id in FACTS, name
    assert set(estimate.input_facts) == set(estimate.inputs)


def test_epoch_power_per_gpu_is_a_dgx_h100_shared_by_eight():
    assert fact_q("epoch_power_per_gpu", "W").magnitude == approx(fact_q("dgx_h100_power", "W").magnitude / 8)


def test_devries_reproduced_within_one_percent():
    estimate = inference.devries_estimate()
    assert mag(estimate.energy, "Wh") == approx(fact_q("devries_chatgpt_request_energy", "Wh").magnitude, rel=0.01)
    assert mag(inference.query_energy_from_fleet(3617, 6.5 * u.kW, 13e6 * 15) * 13e6 * 15, "MWh") == approx(
        fact_q("devries_daily_energy", "MWh").magnitude, rel=0.005)


def test_gemini_breakdown_adds_up_to_the_published_median():
    parts = inference.gemini_breakdown()
    assert set(parts) == {"accelerators (TPU)", "host CPU and DRAM", "idle capacity", "data-centre overhead"}
    total = sum(mag(e, "Wh") for e in parts.values())
    assert total == approx(0.24, rel=0.011)  # the rounded shares add up to 101 %
    assert mag(parts["accelerators (TPU)"], "Wh") == approx(0.58 * 0.24)
    assert mag(inference.gemini_estimate().energy, "Wh") == approx(total)


def test_course_roofline_scenario_lands_in_the_published_range():
    """The roofline at the course's batch 32 gives the same order as the published 0.24–0.42 Wh, and the
    FLOP utilisation it implies is close to the 10 % Epoch assumed."""
    estimate = inference.roofline_estimate()
    energy = float(mag(estimate.energy, "Wh"))
    assert 0.24 / 2 < energy < 0.42 * 2
    assert estimate.published is None
    inputs = estimate.inputs
    step = inference.decode_step(inputs["n_params"], inputs["batch_size"], "H100", context=250,
                                 kv_bytes_per_token=inputs["kv_bytes_per_token"], utilisation=inputs["utilisation"],
                                 bandwidth_utilisation=inputs["bandwidth_utilisation"],
                                 n_accelerators=inputs["n_accelerators"], n_layers=80, d_attn=8192)
    assert step.bound == "memory"
    assert float(mag(step.mfu)) == approx(fact_q("epoch_h100_flop_utilisation", "dimensionless").magnitude, rel=0.25)
    sweep = mag(inference.roofline_estimate([16, 32, 64, 128]).energy, "Wh")
    assert np.all(np.diff(sweep) < 0)
    assert sweep.min() < 0.24 and sweep.max() > 0.42  # the sweep brackets the published range


def test_course_assumptions_are_labelled_and_not_facts():
    for name, (value, reason) in inference.COURSE_ASSUMPTIONS.items():
        assert reason.strip() and np.isfinite(value), name
    sourced = set(inference.ROOFLINE_SCENARIO)
    assert not sourced & set(inference.COURSE_ASSUMPTIONS)
    for fact_id in inference.ROOFLINE_SCENARIO.values():
        assert fact_id in FACTS


def test_published_estimates_span_the_disagreement():
    estimates = inference.published_estimates()
    values = [float(mag(e.energy, "Wh")) for e in estimates]
    assert max(values) / min(values) > 10  # de Vries vs Gemini: an order of magnitude
    for estimate in estimates:
        assert str(estimate)


def test_query_energy_bookkeeping():
    assert mag(inference.query_energy(500, 2.17), "Wh") == approx(500 * 2.17 / 3600)
    with_prompt = inference.query_energy(500, 2.17 * u.J / u.token, tokens_in=1000, prefill_factor=0.2,
                                         overhead=1.5, pue=1.1)
    assert mag(with_prompt, "J") == approx((500 + 0.2 * 1000) * 2.17 * 1.5 * 1.1)


def test_roofline_query_energy_counts_the_prompt():
    kwargs = dict(kv_bytes_per_token=327_680, n_accelerators=8)
    short = mag(inference.roofline_query_energy(500, 100e9, 32, **kwargs), "Wh")
    long = mag(inference.roofline_query_energy(500, 100e9, 32, tokens_in=10_000, **kwargs), "Wh")
    assert long > short
    # prefill alone: 10k tokens × 2e11 FLOP ÷ (8 × 989.4 TFLOP/s × 0.5) × 8 × 700 W
    prefill = 10_000 * 2e11 / (989.4e12 * 0.5) * 700 / 3600
    decode_long = mag(inference.energy_per_token(100e9, 32, "H100", context=10_250, **kwargs), "J/token") * 500 / 3600
    assert long == approx(prefill + decode_long, rel=1e-6)


# --- sensitivity -------------------------------------------------------------------------------------------

def test_sensitivity_of_the_roofline_scenario():
    result = inference.sensitivity()
    rows = {row.name: row for row in result.rows}
    assert float(mag(result.base, "Wh")) == approx(float(mag(inference.roofline_estimate().energy, "Wh")))
    # memory-bound: FLOP utilisation and the number of GPUs do not matter; the batch size does
    assert rows["utilisation"].swing == approx(1.0)
    assert rows["n_accelerators"].swing == approx(1.0)
    assert rows["batch_size"].swing > 3.5
    assert mag(rows["batch_size"].energy_low) > mag(result.base) > mag(rows["batch_size"].energy_high)
    # ranked, largest first
    swings = [row.swing for row in result.rows]
    assert swings == sorted(swings, reverse=True)
    assert result.most_influential == result.rows[0].name
    assert "accelerator" not in rows  # text is held fixed
    assert result.text().startswith("base:")


def test_sensitivity_clips_to_valid_ranges():
    rows = {row.name: row for row in inference.sensitivity().rows}
    assert rows["pue"].clipped and float(mag(rows["pue"].low_value)) == 1.0      # 1.2 / 2 → 1
    assert rows["power_fraction"].clipped and float(mag(rows["power_fraction"].high_value, "")) == 1.0
    assert not rows["batch_size"].clipped


def test_sensitivity_of_a_product_swings_every_input_by_factor_squared():
    estimate = inference.epoch_estimate()
    result = inference.sensitivity(estimate.inputs, factor=2, model=inference.query_energy_from_flops)
    for row in result.rows:
        if not row.clipped:
            assert row.swing == approx(4.0), row.name


def test_sensitivity_bad_input():
    with pytest.raises(ValueError, match="factor"):
        inference.sensitivity(factor=1)
    with pytest.raises(TypeError, match="base_assumptions"):
        inference.sensitivity(base_assumptions=[1, 2])
    with pytest.raises(TypeError, match="model"):
        inference.sensitivity(model="roofline")


# --- parallel vs sequential -------------------------------------------------------------------------------

def test_amdahl_limits():
    assert mag(inference.amdahl_speedup(1, 0.3)) == approx(1.0)
    assert mag(inference.amdahl_speedup(1e12, 0.05)) == approx(20.0, rel=1e-6)
    assert mag(inference.amdahl_speedup(8, 0)) == approx(8.0)
    assert mag(inference.amdahl_speedup(8, 1)) == approx(1.0)
    assert FACTS["amdahl_law_year"].ref.url.startswith("https://doi.org/10.1145/1465482.1465560")


@fast
@given(n=reals(1, 1000), s=reals(0, 1), w=log_reals(9, 18), util=reals(0.05, 1), busy=reals(1, 1000),
       idle_share=reals(0, 1))
def test_parallel_run_follows_amdahl_and_only_saves_time(n, s, w, util, busy, idle_share):
    """Equal utilisations, no always-on power: parallelism never saves energy; the speedup is Amdahl's."""
    run = inference.parallel_run(w, n, s, 1e14, busy, idle_power=idle_share * busy, utilisation=util)
    assert float(mag(run.speedup)) == approx(float(mag(inference.amdahl_speedup(n, s))), rel=1e-9)
    assert float(mag(run.energy_ratio)) >= 1 - 1e-9
    assert float(mag(run.throughput, "FLOP/s")) == approx(w / float(mag(run.latency, "s")))
    expected_idle = idle_share * busy * (n - 1) * s * w / (1e14 * util)
    assert float(mag(run.idle_energy, "J")) == approx(expected_idle, rel=1e-9, abs=1e-9)


@fast
@given(n=reals(2, 1000), s=reals(0, 0.9), static=reals(1, 1000))
def test_parallel_run_saves_energy_when_always_on_power_runs_for_less_time(n, s, static):
    run = inference.parallel_run(1e15, n, s, 1e14, 700, idle_power=0, static_power=static)
    assert float(mag(run.energy_ratio)) < 1


def test_parallel_run_saves_energy_by_batching_and_loses_it_to_merging():
    batched = inference.parallel_run(1e15, 8, 0.05, 1e14, 700, utilisation=0.1, parallel_utilisation=0.4)
    assert float(mag(batched.energy_ratio)) < 1
    merged = inference.parallel_run(1e15, [2, 8, 64], 0.05, 1e14, 700, idle_power=100, merge_cost_fraction=0.01)
    ratios, speedups = mag(merged.energy_ratio), mag(merged.speedup)
    assert np.all(np.diff(ratios) > 0)                     # more devices: more idle and merge energy
    assert speedups[2] < speedups[1]                        # merging can even undo the speedup
    assert np.all(mag(merged.merge_energy, "J") > 0)


# --- memory: the course's model shape, the accelerators that hold the weights, the KV cache that fits -----------

def test_model_shape_follows_the_course_assumptions():
    shape = inference.model_shape(175e9)                     # GPT-3: 96 layers of width 12,288
    assert shape == {"n_layers": 96, "d_model": 96 * inference.ASPECT_RATIO,
                     "kv_bytes_per_token": 2.0 * 96 * inference.KV_HEADS * inference.HEAD_DIM
                     * inference.KV_BYTES_PER_VALUE}
    assert inference.model_shape(175e9 * u.param) == shape
    assert inference.model_shape(1e3)["n_layers"] == 1        # never fewer than one layer


def test_accelerators_for_weights_keeps_the_headroom_free():
    memory = fact_q("a100_80gb_memory").to("B").magnitude
    assert inference.accelerators_for_weights(7e9, "A100") == 1
    assert inference.accelerators_for_weights(175e9, "A100") == 6       # 350 GB in 64 GB per A100
    assert inference.accelerators_for_weights(175e9, "A100", kv_headroom=0) == 5
    exact = 4 * (1 - inference.KV_HEADROOM) * memory / 2                # parameters filling four exactly
    assert inference.accelerators_for_weights(exact, "A100") == 4
    np.testing.assert_array_equal(inference.accelerators_for_weights([7e9, 1e12], "H100", 1), [1, 16])


def test_kv_cache_capacity_is_the_memory_left_beside_the_weights():
    memory = fact_q("h100_sxm_memory").to("B").magnitude
    tokens = inference.kv_cache_capacity(100e9, "H100", 327_680, n_accelerators=8)
    assert mag(tokens, "token") == approx((8 * memory - 200e9) / 327_680)
    assert mag(inference.kv_cache_capacity(1e12, "H100", 327_680), "token") == 0      # weights alone do not fit


def test_scenario_energy_per_token_is_the_roofline_scenario_at_any_batch_and_context():
    inputs = inference.roofline_estimate().inputs
    keys = ("kv_bytes_per_token", "utilisation", "power", "power_fraction", "pue", "n_layers", "d_attn",
            "bandwidth_utilisation", "n_accelerators")
    for batch, context in [(32, 250), (8, 5000), ([1, 128], 0)]:
        expected = inference.energy_per_token(inputs["n_params"], batch, inputs["accelerator"], context=context,
                                              **{k: inputs[k] for k in keys})
        np.testing.assert_array_equal(mag(inference.scenario_energy_per_token(batch, context), "J/token"),
                                      mag(expected, "J/token"))


# --- bad input: clear errors naming the argument and the unit ---------------------------------------------

@pytest.mark.parametrize("function, args, kwargs, error, words", [
    (inference.inference_flops_per_token, (175e9 * u.token,), {}, TypeError, ["n_params", "param"]),
    (inference.inference_flops_per_token, (175e9,), {"n_layers": 96}, TypeError, ["n_layers", "d_attn"]),
    (inference.inference_flops_per_token, (-1,), {}, ValueError, ["n_params", "negative"]),
    (inference.kv_cache_bytes_per_token, (80, 0), {}, ValueError, ["d_model"]),
    (inference.decode_step, (70e9, 0.5, "H100"), {}, ValueError, ["batch_size", "at least 1"]),
    (inference.decode_step, (70e9, 8, "H200"), {}, ValueError, ["H100"]),
    (inference.decode_step, (70e9, 8, "H100"), {"precision": "int4"}, ValueError, ["precision", "bf16"]),
    (inference.decode_step, (70e9, 8, "H100"), {"context": 1000}, TypeError, ["kv_bytes_per_token"]),
    (inference.decode_step, (70e9, 8, "H100"), {"bytes_per_param": 2 * u.W}, TypeError, ["bytes_per_param"]),
    (inference.decode_step, (70e9, 8, "H100"), {"utilisation": 1.5}, ValueError, ["utilisation", "(0, 1]"]),
    (inference.energy_per_token, (70e9, 8, "H100"), {"power": 0.7 * u.kWh}, TypeError, ["power", "W"]),
    (inference.energy_per_token, (70e9, 8, "H100"), {"pue": 0.9}, ValueError, ["pue", "at least 1"]),
    (inference.energy_per_token, (70e9, "eight", "H100"), {}, TypeError, ["batch_size"]),
    (inference.query_energy, (500, 0.3 * u.Wh), {}, TypeError, ["energy_per_token", "J/tok"]),
    (inference.query_energy, (500 * u.J, 2.0), {}, TypeError, ["tokens_out", "tok"]),
    (inference.query_energy_from_flops, (500, 100e9, 989e12 * u.FLOP, 0.1, 1275), {}, TypeError,
     ["peak_flops", "FLOP/s"]),
    (inference.query_energy_from_fleet, (3617, 6.5 * u.kWh, 1e8), {}, TypeError, ["server_power", "kW"]),
    (inference.amdahl_speedup, (0.5, 0.1), {}, ValueError, ["n_devices"]),
    (inference.amdahl_speedup, (8, 1.2), {}, ValueError, ["serial_fraction", "[0, 1]"]),
    (inference.parallel_run, (1e15, 8, 0.05, 1e14 * u.FLOP, 700), {}, TypeError, ["device_flops", "FLOP/s"]),
    (inference.parallel_run, (1e15, 8, 0.05, 1e14, 700), {"idle_power": -1}, ValueError, ["idle_power"]),
    (inference.parallel_run, (None, 8, 0.05, 1e14, 700), {}, TypeError, ["work_flops"]),
    (inference.model_shape, (0,), {}, ValueError, ["n_params", "greater than 0"]),
    (inference.model_shape, (7e9 * u.token,), {}, TypeError, ["n_params", "param"]),
    (inference.accelerators_for_weights, (7e9, "A100"), {"kv_headroom": 1}, ValueError, ["kv_headroom"]),
    (inference.accelerators_for_weights, (7e9, "B200"), {}, ValueError, ["name", "H100"]),
    (inference.kv_cache_capacity, (7e9, "A100", 0), {}, ValueError, ["kv_bytes_per_token", "greater than 0"]),
    (inference.kv_cache_capacity, (7e9, "A100", 1e5), {"n_accelerators": 0}, ValueError, ["n_accelerators"]),
    (inference.scenario_energy_per_token, (0.5,), {}, ValueError, ["batch_size", "at least 1"]),
    (inference.scenario_energy_per_token, (32, -1), {}, ValueError, ["context"]),
])
def test_bad_input_raises_a_clear_error(function, args, kwargs, error, words):
    with pytest.raises(error) as info:
        function(*args, **kwargs)
    message = str(info.value)
    for word in words:
        assert word in message, (word, message)


def test_docstring_examples_run():
    # doctest only looks at objects defined in the module it is given: walk the package's modules
    modules = [inference] + [importlib.import_module(f"{inference.__name__}.{info.name}")
                             for info in pkgutil.iter_modules(inference.__path__)]
    results = [doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE) for module in modules]
    assert sum(r.attempted for r in results) > 20 and sum(r.failed for r in results) == 0


def test_the_roofline_is_the_one_of_chips_digital():
    from energylab.chips import digital
    assert inference.ridge_point is digital.ridge_point          # re-exported, not a second copy
    assert inference.ridge_point("H100").to("FLOP/B").magnitude == approx(295.3, rel=1e-3)
    h100 = models.accelerator("H100")
    step = inference.decode_step(70e9, [1, 512], "H100")
    timing = digital.kernel_time(step.flops, step.bytes, h100.peak("bf16"), h100.bandwidth())
    np.testing.assert_allclose(step.step_time.to("s").magnitude, timing.time.to("s").magnitude, rtol=1e-12)
    assert list(step.bound) == list(timing.bound) == ["memory", "compute"]
