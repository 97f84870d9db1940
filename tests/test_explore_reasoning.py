"""energylab.explore.reasoning: ReasoningExplorer's energy per task, voting curves, KV-cache warning, layout."""
import numpy as np
import pytest

from energylab import inference as inf
from energylab import reasoning as rs
from energylab.explore import ReasoningExplorer
from energylab.explore import inference as decode_module
from energylab.explore import reasoning as reasoning_module

from helpers.explorers import fact, full_render, pixels


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
