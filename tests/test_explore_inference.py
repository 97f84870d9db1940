"""energylab.explore.inference: DecodeExplorer's model shape, decode roofline, batching, KV-cache hatch, labels."""
import math

import numpy as np
import pytest

from energylab import inference as inf
from energylab.explore import DecodeExplorer
from energylab.explore import inference as decode_module
from energylab.explore.inference import model_shape

from helpers.explorers import fact, full_render, pixels


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
