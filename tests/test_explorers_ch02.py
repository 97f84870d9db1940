"""Headless tests of chapter 02's explorers: DecodeExplorer, ReasoningExplorer and ModelSizeExplorer."""
import math

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from energylab import inference as inf  # noqa: E402
from energylab import reasoning as rs  # noqa: E402
from energylab import sources  # noqa: E402
from energylab.experiments import rightsizing  # noqa: E402
from energylab.explore import DecodeExplorer, ModelSizeExplorer, ReasoningExplorer  # noqa: E402
from energylab.explore import inference as decode_module  # noqa: E402
from energylab.explore import reasoning as reasoning_module  # noqa: E402
from energylab.explore.inference import LogSlider, model_shape  # noqa: E402

from helpers.explorers import fact, full_render, pixels  # noqa: E402

EXPLORERS = [DecodeExplorer, ReasoningExplorer, ModelSizeExplorer]


# ---- LogSlider ----------------------------------------------------------------------------------

def test_log_slider_validates_and_builds_a_log_widget():
    s = LogSlider("Batch size", 1, 1024, 16, base=2, step=1, integer=True, unit="sequences")
    assert s.validate("batch", 64.0) == 64 and isinstance(s.validate("batch", 64.0), int)
    assert s.validate("batch", 63.7) == 64                   # the slider's float is rounded
    with pytest.raises(ValueError, match="between"):
        s.validate("batch", 2048)
    with pytest.raises(TypeError, match="number"):
        s.validate("batch", "many")
    with pytest.raises(ValueError):
        LogSlider("bad", 0, 10, 1)                            # a log scale cannot start at 0
    import ipywidgets
    widget = s.make_widget(16, {}, ipywidgets.Layout())
    assert type(widget).__name__ == "FloatLogSlider"
    assert (widget.base, widget.min, widget.max, widget.value) == (2, 0, 10, 16)
    assert "sequences" in widget.description


# ---- DecodeExplorer -----------------------------------------------------------------------------

def test_decode_model_shape_follows_the_stated_assumptions():
    shape = model_shape(175e9)                  # GPT-3: 96 layers of width 12,288
    assert shape["n_layers"] == 96 and shape["d_model"] == 96 * decode_module.ASPECT_RATIO
    assert shape["kv_bytes_per_token"] == 2 * 96 * decode_module.KV_HEADS * decode_module.HEAD_DIM * 2


def test_decode_compute_matches_hand_arithmetic():
    """Context 0, batch 1: the step reads every weight once; energy = TDP × bytes ÷ bandwidth."""
    e = DecodeExplorer()
    r = e.compute(n_params=7e9, batch=1, context=0, bytes_per_param=2, accelerator="A100")
    bandwidth, power, peak = 2039e9, 400.0, 312e12               # A100 SXM 80 GB datasheet
    seconds = 7e9 * 2 / bandwidth
    assert r["point"]["latency"] == pytest.approx(seconds * 1e3)
    assert r["point"]["energy"] == pytest.approx(power * seconds)
    assert r["point"]["bound"] == "memory"
    assert r["critical"] == pytest.approx(peak / bandwidth * 2 / 2)   # ridge × bytes ÷ 2 FLOP
    assert r["ridge"] == pytest.approx(fact("a100_80gb_ridge_point", "FLOP/B"), rel=0.01)
    assert r["n_gpus"] == 1 and math.isinf(r["fits_up_to"])
    # 175 B in bf16 needs 350 GB: five 80 GB accelerators would hold it, but with 20 % of each kept for
    # the KV cache (64 GB of weights per accelerator) it takes six
    assert e.compute(n_params=175e9, batch=1, context=0, bytes_per_param=2, accelerator="A100")["n_gpus"] == 6


def test_decode_compute_matches_the_library():
    e = DecodeExplorer()
    r = e.compute(n_params=3e10, batch=32, context=2000, bytes_per_param=1, accelerator="H100")
    shape = model_shape(3e10)
    kw = dict(kv_bytes_per_token=shape["kv_bytes_per_token"], n_layers=shape["n_layers"], d_attn=shape["d_model"])
    energy = inf.energy_per_token(3e10, decode_module.BATCHES, "H100", 1, 2000, **kw).magnitude
    np.testing.assert_allclose(r["energy"], energy)
    step = inf.decode_step(3e10, 32, "H100", 1, 2000, **kw)
    assert r["point"]["latency"] == pytest.approx(step.step_time.to("ms").magnitude)
    assert r["point"]["bound"] == step.bound
    assert r["critical"] == pytest.approx(inf.critical_batch_size(3e10, "H100", 1, 2000, **kw).magnitude)


def test_decode_long_context_never_turns_compute_bound():
    e = DecodeExplorer(context=32_000)
    assert math.isinf(e.result["critical"]) and not e.spans["energy"].get_visible()
    assert "never turns compute-bound" in e.text


def test_decode_set_moves_artists_and_text():
    e = DecodeExplorer()
    y0 = e.lines["energy"].get_ydata().copy()
    point0, text0 = e.points["latency"].get_xdata()[0], e.text
    span0 = e.spans["energy"].get_x()
    e.set(batch=256)
    assert e.points["latency"].get_xdata()[0] == 256 != point0 and e.text != text0
    np.testing.assert_array_equal(e.lines["energy"].get_ydata(), y0)     # the curve does not depend on batch
    e.set(bytes_per_param=0.5, context=0)                                # 4-bit weights: compute-bound 4× sooner
    assert e.spans["energy"].get_x() < span0 and e.spans["energy"].get_visible()
    assert e.result["critical"] == pytest.approx(e.result["ridge"] * 0.5 / 2)
    e.set(n_params=1e11)
    assert not np.allclose(e.lines["energy"].get_ydata(), y0)
    lo, hi = e.axes[0].get_ylim()
    assert lo <= e.result["energy"].min() and e.result["energy"].max() <= hi


def test_decode_batching_cuts_energy_until_the_critical_batch():
    r = DecodeExplorer(context=0).result
    energy, batches = r["energy"], r["batches"]
    memory_bound = batches < r["critical"] * 0.99
    assert np.all(np.diff(energy[memory_bound]) < 0)
    compute_bound = batches > r["critical"] * 1.01
    np.testing.assert_allclose(energy[compute_bound], energy[compute_bound][0], rtol=1e-9)


def test_decode_warns_when_the_kv_cache_does_not_fit():
    e = DecodeExplorer(context=32_000, batch=1024)
    assert "exceed" in e.text and e.full["energy"].get_visible()


def test_decode_gpu_count_leaves_room_for_the_kv_cache():
    e = DecodeExplorer(n_params=1e12)          # 2,000 GB of bf16 weights: 25 × 80 GB would be full to the brim
    r = e.result
    assert decode_module.KV_HEADROOM == 0.2
    assert r["n_gpus"] == math.ceil(2000 / (0.8 * 80)) == 32
    assert r["memory_gb"] - r["weights_gb"] >= 0.2 * r["memory_gb"] - 1e-6
    assert r["fits_up_to"] > 1024 and not e.full["energy"].get_visible()    # 500 tokens: every batch fits
    assert "Warning" not in e.text and "32 × A100 (the fewest that hold the weights in 80% of their memory" in e.text
    # at the longest context the hatch starts where the KV cache runs out, never at batch 1
    for n_params in np.geomspace(1e9, 1e12, 7):
        for bytes_per_param in (2, 1, 0.5):
            for accelerator in ("A100", "H100"):
                r = e.compute(n_params=n_params, batch=1, context=32_000, bytes_per_param=bytes_per_param,
                              accelerator=accelerator)
                assert r["fits_up_to"] >= 1, (n_params, bytes_per_param, accelerator)
    e.set(context=32_000, batch=1024)
    assert e.full["energy"].get_visible() and e.full["energy"].get_x() == pytest.approx(e.result["fits_up_to"])
    labels = [t.get_text() for t in e.figure.legends[0].get_texts()]
    assert labels == ["compute-bound", "KV cache does not fit beside the weights"]


@pytest.mark.parametrize("settings", [dict(n_params=1e12), dict(n_params=1e12, batch=1024, context=32_000),
                                      dict(n_params=1e9, context=0, bytes_per_param=0.5, accelerator="H100")])
def test_decode_hatch_curves_and_points_leave_the_text_readable(settings):
    e = DecodeExplorer(**settings)
    renderer = e.figure.canvas.get_renderer()
    # the legend is below the axes, where neither the hatch nor a curve can run over it
    assert e.axes[1].get_legend() is None and len(e.figure.legends) == 1
    legend = e.figure.legends[0].get_window_extent(renderer)
    assert all(not legend.overlaps(ax.get_window_extent(renderer)) for ax in e.axes)
    for ax, key in zip(e.axes, ("energy", "latency")):
        label, hatch = e.labels[key], e.full[key]
        box = label.get_bbox_patch()
        assert box is not None and box.get_facecolor()[3] == 1.0                  # opaque
        assert label.get_animated() and label.get_zorder() > hatch.get_zorder()    # drawn after the hatch
        extent = box.get_window_extent(renderer)
        xy = ax.transData.transform(np.column_stack([e.result["batches"], e.result[key]]))
        assert not np.any((xy[:, 0] >= extent.x0) & (xy[:, 0] <= extent.x1)
                          & (xy[:, 1] >= extent.y0) & (xy[:, 1] <= extent.y1)), "a curve runs through the label"
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.005


def test_decode_points_at_the_ends_are_not_clipped():
    for batch in (1, 1024):
        e = DecodeExplorer(batch=batch)
        for ax, key in zip(e.axes, ("energy", "latency")):
            point = e.points[key]
            assert point.get_xdata()[0] in ax.get_xlim() and not point.get_clip_on()


def test_decode_widget_updates_the_figure():
    e = DecodeExplorer()
    children = e.widget.children
    names = list(e.controls)
    image, caption = children[len(names)], children[len(names) + 1]
    png0, caption0 = image.value, caption.value
    children[names.index("batch")].value = 64
    assert e.last_error is None and e.values["batch"] == 64
    assert image.value != png0 and caption.value != caption0 and "batch 64" in caption.value
    children[names.index("accelerator")].value = "H100"
    assert e.values["accelerator"] == "H100" and "H100" in caption.value


# ---- ReasoningExplorer --------------------------------------------------------------------------

def scenario_energy_per_token(batch, context):
    inputs = inf.roofline_estimate(batch).inputs
    keys = ("kv_bytes_per_token", "utilisation", "power", "power_fraction", "pue", "n_layers", "d_attn",
            "bandwidth_utilisation", "n_accelerators")
    return inf.energy_per_token(inputs["n_params"], batch, inputs["accelerator"], context=context,
                                **{k: inputs[k] for k in keys}).to("J/token").magnitude


def test_reasoning_compute_matches_hand_arithmetic_and_the_library():
    e = ReasoningExplorer()
    r = e.compute(thinking=3000, samples=3, p=0.7, batch=8)
    answer = fact("epoch_gpt4o_output_tokens", "token")
    assert r["answer"] == answer
    per_token = scenario_energy_per_token(8, (3000 + answer) / 2)
    assert r["joules_per_token"] == pytest.approx(per_token)
    assert r["point"]["energy_wh"] == pytest.approx(3 * (3000 + answer) * per_token / 3600)
    assert r["point"]["majority"] == pytest.approx(0.7 ** 3 + 3 * 0.7 ** 2 * 0.3)     # 0.784
    assert r["point"]["best_of_n"] == pytest.approx(1 - 0.3 ** 3)                     # 0.973
    np.testing.assert_allclose(r["majority"], rs.majority_vote_accuracy(0.7, np.arange(1, 65)).magnitude)
    np.testing.assert_allclose(r["best_of_n"], rs.best_of_n_accuracy(0.7, np.arange(1, 65)).magnitude)
    np.testing.assert_allclose(r["energy_wh"], np.arange(1, 65) * r["sample_wh"])


def test_reasoning_bigger_batches_cost_less_per_token_and_long_chains_more():
    e = ReasoningExplorer()
    per_batch = [e.compute(thinking=4000, samples=1, p=0.7, batch=b)["joules_per_token"]
                 for b in reasoning_module.BATCH_OPTIONS]
    assert per_batch == sorted(per_batch, reverse=True)
    short, long_ = (e.compute(thinking=t, samples=1, p=0.7, batch=32)["joules_per_token"] for t in (1000, 50_000))
    assert long_ > short


def test_reasoning_set_moves_artists_and_text():
    e = ReasoningExplorer()
    x0 = e.points["majority"].get_xdata()[0]
    y0 = e.lines["majority"].get_ydata().copy()
    text0 = e.text
    e.set(samples=15)
    assert e.points["majority"].get_xdata()[0] == pytest.approx(5 * x0) and e.text != text0
    e.set(p=0.4)                                # below one half, voting makes it worse
    assert not np.allclose(e.lines["majority"].get_ydata(), y0)
    assert e.result["point"]["majority"] < 0.4 < e.result["point"]["best_of_n"]
    assert e.single.get_ydata()[0] == pytest.approx(40)
    e.set(thinking=40_000)
    lo, hi = e.ax.get_xlim()
    assert lo <= e.result["energy_wh"].min() and e.result["energy_wh"].max() <= hi


def test_reasoning_flags_a_kv_cache_that_cannot_fit():
    assert "would not fit" in ReasoningExplorer(thinking=100_000, batch=128).text
    assert "would not fit" not in ReasoningExplorer(thinking=1000, batch=8).text


READING_SETTINGS = [dict(thinking=100_000), dict(thinking=100_000, batch=1), dict(p=0.95), dict(p=0.05),
                    dict(batch=1), dict(samples=64), dict(thinking=100, batch=128)]


@pytest.mark.parametrize("settings", READING_SETTINGS, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()))
def test_reasoning_text_stays_clear_of_the_data_and_inside_the_figure(settings):
    e = ReasoningExplorer()
    e.set(**settings)
    e.figure.canvas.draw()
    renderer = e.figure.canvas.get_renderer()
    figure, axes = e.figure.bbox, e.ax.get_window_extent(renderer)
    lo, hi = e.ax.get_xlim()
    labels = [t for t in e.ax.get_xticklabels() if t.get_text() and lo <= t.get_position()[0] <= hi]
    assert len({t.get_text() for t in labels}) == len(labels) >= 2          # no two ticks read alike
    for t in labels:                                                        # none cut at the figure's edge
        extent = t.get_window_extent(renderer)
        assert figure.x0 <= extent.x0 and extent.x1 <= figure.x1, t.get_text()
    assert labels[-1].get_text() == f"{hi:,.0f}"
    # legend and note sit outside the axes, where no curve, marker or line can run through them
    legend, note = e.ax.get_legend().get_window_extent(renderer), e.note.get_window_extent(renderer)
    assert not legend.overlaps(axes) and not note.overlaps(axes) and not legend.overlaps(note)
    for extent in (legend, note):
        assert figure.x0 <= extent.x0 and extent.x1 <= figure.x1 and figure.y0 <= extent.y0
    assert [t.get_text() for t in e.ax.get_legend().get_texts()] == [
        "best of n (perfect verifier)", "majority vote", "one attempt"]
    energy = decode_module._num(e.result["point"]["energy_wh"])
    assert e.note.get_text() == f"n = {e.values['samples']}: {energy} Wh per task"


def test_reasoning_markers_at_100_percent_are_not_clipped():
    e = ReasoningExplorer(samples=64)
    for key in ("majority", "best_of_n"):
        point = e.points[key]
        assert point.get_ydata()[0] == pytest.approx(100, abs=0.05) and e.ax.get_ylim()[1] == 100
        assert not point.get_clip_on() and not e.lines[key].get_clip_on()
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.005


def test_reasoning_widget_updates_the_figure():
    e = ReasoningExplorer()
    children = e.widget.children
    names = list(e.controls)
    image, caption = children[len(names)], children[len(names) + 1]
    png0 = image.value
    children[names.index("samples")].value = 11
    assert e.last_error is None and e.values["samples"] == 11 and "11 attempts" in caption.value
    assert image.value != png0
    children[names.index("thinking")].value = 10 ** 3.5          # the log slider's float is rounded
    assert e.values["thinking"] == 3162 and "3,162 thinking" in caption.value


# ---- ModelSizeExplorer --------------------------------------------------------------------------

def test_model_size_compute_matches_the_experiment():
    e = ModelSizeExplorer()
    r = e.compute(width=32, bits=4, batch=8, target=0.75)
    choice = rightsizing.evaluate_choice(32, 4, 8)
    assert r["current"]["accuracy"] == choice.accuracy
    assert r["current"]["energy_nj"] == pytest.approx(choice.energy_per_query * 1e9)
    assert r["current"]["compute_nj"] + r["current"]["memory_nj"] == pytest.approx(r["current"]["energy_nj"])
    every = [rightsizing.evaluate_choice(w, b, 8) for w in rightsizing.WIDTHS for b in rightsizing.GRID_BITS]
    np.testing.assert_allclose(r["grid"]["energy_nj"], [c.energy_per_query * 1e9 for c in every])
    assert r["n_meeting"] == sum(c.accuracy >= 0.75 for c in every) and r["n_choices"] == len(every) == 28


def test_model_size_memory_energy_is_shared_by_the_batch():
    e = ModelSizeExplorer()
    one = e.compute(width=64, bits=32, batch=1, target=0.8)["current"]
    many = e.compute(width=64, bits=32, batch=64, target=0.8)["current"]
    assert many["memory_nj"] == pytest.approx(one["memory_nj"] / 64)
    assert many["compute_nj"] == pytest.approx(one["compute_nj"])
    # fp32 weights: 4 bytes each, read in 64-bit words at the low end of Horowitz's DRAM range
    dram_per_word = min(sources.get("horowitz_dram_read_energy").q.to("nJ").magnitude)
    assert one["memory_nj"] == pytest.approx(rightsizing.evaluate_choice(64).weight_bytes / 8 * dram_per_word)


def test_model_size_set_moves_artists_and_text():
    e = ModelSizeExplorer()
    offsets0 = e.scatters[32].get_offsets().copy()
    text0 = e.text
    e.set(batch=256)
    assert np.all(e.scatters[32].get_offsets()[:, 0] < offsets0[:, 0])      # energies fall
    np.testing.assert_array_equal(e.scatters[32].get_offsets()[:, 1], offsets0[:, 1])   # accuracies stay
    assert e.text != text0
    e.set(target=0.9)
    assert e.target.get_ydata()[0] == pytest.approx(90) and e.below.get_height() == pytest.approx(90)
    assert f"{e.result['n_meeting']} of the 28 choices" in e.text
    e.set(width=256, bits=2)
    assert e.current.get_xdata()[0] == pytest.approx(e.result["current"]["energy_nj"])


def test_model_size_widget_updates_the_figure():
    e = ModelSizeExplorer()
    children = e.widget.children
    names = list(e.controls)
    image, caption = children[len(names)], children[len(names) + 1]
    png0 = image.value
    children[names.index("bits")].value = 8
    assert e.last_error is None and e.values["bits"] == 8 and "int8" in caption.value
    assert image.value != png0
    children[names.index("batch")].value = 32
    assert e.values["batch"] == 32 and "batch 32" in caption.value
