"""energylab.explore.roofline: RooflineExplorer's kernel point, roofs after any change of chip or precision."""
import numpy as np
import pytest

from energylab.chips import digital as dg
from energylab.explore import RooflineExplorer, roofline

from helpers.explorers import fact


def test_roofline_point_matches_hand_arithmetic():
    r = RooflineExplorer().compute(m=4096, k=4096, n=1, precision="bf16", accelerator="H100")
    flops, moved = 2 * 4096 * 4096, 2 * (4096 * 4096 + 4096 + 4096)            # matrix–vector, 2-byte elements
    assert r["flops"] == flops and r["bytes"] == pytest.approx(moved)
    assert r["intensity"] == pytest.approx(flops / moved)
    assert r["ridge"] == pytest.approx(fact("h100_sxm_ridge_point", "FLOP/B"), rel=0.01)
    assert r["bound"] == "memory"
    bandwidth = fact("h100_sxm_memory_bandwidth", "B/s")
    assert r["time"] == pytest.approx(moved / bandwidth)
    assert r["energy"] == pytest.approx(fact("h100_sxm_power", "W") * moved / bandwidth)
    hbm = fact("oconnor_hbm2_access_energy", "J/bit") * 8 * moved
    assert r["energy_memory"] == pytest.approx(hbm)
    assert r["memory_share"] == pytest.approx(hbm / r["energy"])


def test_roofline_matches_the_library():
    r = RooflineExplorer().compute(m=1024, k=8192, n=2048, precision="tf32", accelerator="A100")
    intensity = dg.matmul_intensity(1024, 2048, 8192, 4)
    point = dg.roofline(intensity, "A100", "tf32", flops=2 * 1024 * 2048 * 8192)
    assert r["intensity"] == pytest.approx(intensity.magnitude)
    assert r["attainable"] == pytest.approx(point.attainable.to("TFLOP/s").magnitude)
    assert r["bound"] == point.bound == "compute"
    assert r["energy"] == pytest.approx(point.energy.to("J").magnitude)
    assert r["ridge"] == pytest.approx(dg.ridge_point("A100", "tf32").magnitude)
    roof = dg.attainable_flops(roofline.INTENSITIES, 156e12, 2039e9).magnitude       # A100 datasheet, TF32
    np.testing.assert_allclose(r["roof"], roof)
    assert r["reach"][0] == pytest.approx(dg.matmul_intensity(1024, 1, 8192, 4).magnitude)


def test_roofline_fp8_on_an_a100_runs_at_the_bf16_peak():
    e = RooflineExplorer(precision="fp8", accelerator="A100")
    assert e.result["peak_key"] == "bf16" and e.result["bytes_per_element"] == 1
    assert e.result["peak"] == pytest.approx(fact("a100_bf16_dense_flops", "TFLOP/s"))
    assert "no FP8 arithmetic" in e.text
    h = RooflineExplorer(precision="fp8")
    assert h.result["peak"] == pytest.approx(fact("h100_sxm_fp8_dense_flops", "TFLOP/s"))
    assert "no FP8" not in h.text


def test_roofline_batching_moves_the_kernel_across_the_ridge():
    e = RooflineExplorer(n=1)
    assert e.result["bound"] == "memory" and "matrix–vector product" in e.text
    x0, y0 = e.point.get_xdata()[0], e.point.get_ydata()[0]
    width0 = e.bars[0].get_width()
    e.set(n=4096)
    assert e.result["bound"] == "compute" and "compute-bound" in e.text
    assert e.point.get_xdata()[0] > x0 and e.point.get_ydata()[0] > y0
    assert e.bars[0].get_width() < width0                   # less of the energy goes to memory traffic
    assert e.result["utilisation"] == pytest.approx(1.0)


def test_roofline_accelerator_change_redraws_roofs_and_ridge():
    e = RooflineExplorer()
    roof0, ridge0 = e.roof.get_ydata().copy(), e.ridge_line.get_xdata()[0]
    e.set(accelerator="A100")
    assert e.ridge_line.get_xdata()[0] == pytest.approx(e.result["ridge"]) and e.ridge_line.get_xdata()[0] < ridge0
    assert not np.allclose(e.roof.get_ydata(), roof0)
    np.testing.assert_allclose(e.other_roof.get_ydata(), roof0)   # the H100 is now the faint roof
    assert "A100" in e.text and "FLOP/B" in e.ridge_text.get_text()


def test_roofline_widget_updates_the_figure():
    e = RooflineExplorer()
    children = e.widget.children
    names = list(e.controls)
    image, caption = children[len(names)], children[len(names) + 1]
    png0, caption0 = image.value, caption.value
    children[names.index("n")].value = 1024
    assert e.last_error is None and e.values["n"] == 1024
    assert image.value != png0 and caption.value != caption0 and "1,024 tokens" in caption.value
    children[names.index("precision")].value = "fp8"
    assert e.values["precision"] == "fp8" and "FP8" in caption.value


# ---- review fixes: stale roofs, small shares, labels under curves, curves off the axes ------------


ROOF_STATES = [{"accelerator": a, "precision": p} for a in roofline.ACCELERATORS for p in roofline.PRECISIONS]


def _every_transition(states):
    """Consecutive pairs of a walk through ``states`` that makes every ordered change once (Euler circuit)."""
    left = {i: [j for j in range(len(states)) if j != i] for i in range(len(states))}
    stack, walk = [0], []
    while stack:
        if left[stack[-1]]:
            stack.append(left[stack[-1]].pop())
        else:
            walk.append(stack.pop())
    walk.reverse()
    assert len(walk) == len(states) * (len(states) - 1) + 1
    return [(states[a], states[b]) for a, b in zip(walk, walk[1:])]


def test_roofline_roofs_after_any_path_match_a_fresh_build():
    # Found by a reviewer: A100 then FP8 left the H100's dashed roof at its BF16 peak (the A100's
    # peak key is 'bf16' for both precisions, so update() skipped the redraw).
    fresh = {}
    for state in ROOF_STATES:
        f = RooflineExplorer(**state)
        fresh[tuple(state.values())] = (f.roof.get_ydata().copy(), f.other_roof.get_ydata().copy(),
                                        f.ridge_line.get_xdata()[0], f.ridge_text.get_text())
    e = RooflineExplorer()
    for before, after in _every_transition(ROOF_STATES):
        e.set(**after)
        roof, other, ridge, text = fresh[tuple(after.values())]
        np.testing.assert_allclose(e.roof.get_ydata(), roof, err_msg=f"{before} → {after}")
        np.testing.assert_allclose(e.other_roof.get_ydata(), other, err_msg=f"{before} → {after}")
        assert e.ridge_line.get_xdata()[0] == ridge and e.ridge_text.get_text() == text
    e.set(accelerator="A100", precision="fp8")
    assert e.other_roof.get_ydata().max() == pytest.approx(fact("h100_sxm_fp8_dense_flops", "TFLOP/s"))


def test_roofline_small_utilisation_keeps_significant_digits():
    e = RooflineExplorer(n=1)
    share = e.result["utilisation"]
    assert f"{100 * share:.2f}" == "0.34"                     # 3.35 of 989 TFLOP/s
    assert "0.34% of peak" in e.label.get_text() and "(0.34% of the 989 TFLOP/s peak)" in e.text
    assert "21% of peak" in RooflineExplorer().label.get_text()   # larger shares: whole percent
    e.set(n=4096)
    assert "100% of peak" in e.label.get_text()
