"""Headless tests of chapter 03's explorers: VoltageFrequencyExplorer and RooflineExplorer."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from energylab.chips import digital as dg  # noqa: E402
from energylab.explore import RooflineExplorer, VoltageFrequencyExplorer  # noqa: E402
from energylab.explore import cmos, roofline  # noqa: E402
from energylab.units import u  # noqa: E402

from helpers.explorers import fact  # noqa: E402


# ---- VoltageFrequencyExplorer -------------------------------------------------------------------

def test_cmos_point_matches_hand_arithmetic():
    r = VoltageFrequencyExplorer().compute(voltage=1.0, frequency=3.0, activity=0.1, capacitance=50.0, v_min=0.6)
    assert r["power"] == pytest.approx(0.1 * 50e-9 * 1.0 ** 2 * 3e9)          # α·C·V²·f = 15 W
    assert r["energy_per_cycle"] == pytest.approx(0.1 * 50e-9 * 1.0 ** 2 * 1e9)  # α·C·V², in nJ: 5
    assert r["double"]["power"] == pytest.approx(8 * r["power"])               # 2× clock, 2× voltage: 8×
    assert r["double"]["voltage"] == pytest.approx(2.0)
    assert r["half"]["voltage"] == pytest.approx(0.6)                          # 0.5 V wanted, floor 0.6 V
    assert r["half"]["power"] == pytest.approx(r["power"] * 0.5 * 0.6 ** 2)
    assert r["clock_plateau"] == fact("cpu_clock_plateau", "GHz")
    assert r["tdp_plateau"] == fact("cpu_tdp_plateau", "W")


def test_cmos_curves_match_the_library():
    r = VoltageFrequencyExplorer().compute(voltage=0.9, frequency=2.0, activity=0.2, capacitance=20.0, v_min=0.5)
    power = dg.dynamic_power(0.2, 20 * u.nF, 0.9, 2e9).to("W").magnitude
    assert r["power"] == pytest.approx(power)
    coupled = dg.coupled_power(cmos.FREQUENCIES * 1e9, 2e9, power, v0=0.9, v_min=0.5).to("W").magnitude
    np.testing.assert_allclose(r["power_coupled"], coupled)
    np.testing.assert_allclose(r["power_fixed"], power * cmos.FREQUENCIES / 2.0)
    np.testing.assert_allclose(r["energy_fixed"], power / 2.0)                 # flat: α·C·V²
    # slope 3 on log–log where the voltage scales, slope 1 where the floor binds
    f = cmos.FREQUENCIES
    above = f > 2.0
    slopes = np.diff(np.log(r["power_coupled"][above])) / np.diff(np.log(f[above]))
    np.testing.assert_allclose(slopes, 3.0, rtol=1e-9)
    below = f < 2.0 * 0.5 / 0.9 * 0.99
    slopes = np.diff(np.log(r["power_coupled"][below])) / np.diff(np.log(f[below]))
    np.testing.assert_allclose(slopes, 1.0, rtol=1e-9)


def test_cmos_voltage_below_the_floor_is_raised_and_said():
    e = VoltageFrequencyExplorer(voltage=0.5, v_min=0.8)
    assert e.result["raised"] and e.result["v_eff"] == 0.8
    assert "raised to 0.80 V" in e.text
    assert "raised" not in VoltageFrequencyExplorer().text


def test_cmos_set_moves_artists_and_text():
    e = VoltageFrequencyExplorer()
    point0 = e.points["power"].get_xdata()[0]
    coupled0 = e.lines["power", "coupled"].get_ydata().copy()
    fixed0 = e.lines["energy", "fixed"].get_ydata().copy()
    text0 = e.text
    e.set(frequency=4.0)
    assert e.points["power"].get_xdata()[0] == 4.0 != point0
    assert e.points["energy"].get_ydata()[0] == pytest.approx(5.0)             # energy per cycle is α·C·V²
    assert not np.allclose(e.lines["power", "coupled"].get_ydata(), coupled0)
    assert e.text != text0 and "4.0 GHz" in e.text
    e.set(voltage=0.7)
    assert not np.allclose(e.lines["energy", "fixed"].get_ydata(), fixed0)
    lo, hi = e.axes[0].get_ylim()
    assert lo < e.result["power"] < hi
    e.set(capacitance=300.0, activity=0.5, voltage=1.3)                         # a decade up: axes follow
    lo, hi = e.axes[0].get_ylim()
    assert lo < e.result["power"] < hi


def test_cmos_describe_gives_the_cube_law():
    text = VoltageFrequencyExplorer(v_min=0.0).text
    assert "8.0× the power for 2× the work rate" in text and "(0.125×)" in text


def test_cmos_widget_updates_the_figure():
    e = VoltageFrequencyExplorer()
    children = e.widget.children
    names = list(e.controls)
    image, caption = children[len(names)], children[len(names) + 1]
    png0, caption0 = image.value, caption.value
    children[names.index("activity")].value = 0.25
    assert e.last_error is None and e.values["activity"] == 0.25
    assert image.value != png0 and caption.value != caption0 and "α = 0.25" in caption.value


# ---- RooflineExplorer ---------------------------------------------------------------------------

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


def _colour_pixels(image, colour, tolerance=40):
    from matplotlib.colors import to_rgb
    target = np.array(to_rgb(colour)) * 255
    return int(np.sum(np.all(np.abs(image - target) < tolerance, axis=-1)))


def test_cmos_plateau_label_stays_readable_over_the_curves():
    from helpers.explorers import pixels
    from energylab.plotting import PALETTE
    e = VoltageFrequencyExplorer(voltage=1.3, frequency=5.0, activity=0.5, capacitance=300.0, v_min=1.2)
    label = e.plateau_label
    lines = [e.lines["power", "fixed"], e.lines["power", "coupled"]]
    # both curves cross the label here; it is blitted after them, on an opaque box
    order = e._animated
    assert all(order.index(label) > order.index(line) for line in lines)
    assert label.get_bbox_patch().get_facecolor()[3] >= 0.8
    box = label.get_window_extent(e.figure.canvas.get_renderer())
    image = pixels(e.png)
    height = image.shape[0]
    inside = image[int(height - box.y1) + 1:int(height - box.y0) - 1, int(box.x0) + 1:int(box.x1) - 1]
    curve_y = lines[0].get_transform().transform([[0.3, 0.3 * e.result["power"] / 5.0]])[0][1]
    assert box.y0 - 20 < curve_y < box.y1 + 20               # the curve does run through the label's row
    assert _colour_pixels(inside, PALETTE["blue"]) + _colour_pixels(inside, PALETTE["vermillion"]) == 0


CMOS_MIN = dict(voltage=0.5, frequency=0.5, activity=0.02, capacitance=1.0, v_min=0.0)


def test_cmos_axes_follow_the_operating_point_not_the_whole_curve():
    # The window of decades is centred on the operating point; widening it to hold the whole f³ curve
    # at extreme settings made most updates full redraws (≈75 ms instead of ≈12 ms median).
    e = VoltageFrequencyExplorer()
    fresh = VoltageFrequencyExplorer(**CMOS_MIN)
    e.set(**CMOS_MIN)
    assert [ax.get_ylim() for ax in e.axes] == [ax.get_ylim() for ax in fresh.axes]
    for ax, value in zip(e.axes, (e.result["power"], e.result["energy_per_cycle"])):
        low, high = ax.get_ylim()
        assert low < value < high
