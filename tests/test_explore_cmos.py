"""energylab.explore.cmos: VoltageFrequencyExplorer's α·C·V²·f arithmetic, alpha-power V–f law, voltage floor,
curves, axes, labels."""
import numpy as np
import pytest

from energylab.chips import digital as dg
from energylab.explore import VoltageFrequencyExplorer, cmos
from energylab.units import u

from helpers.explorers import fact, pixels


def _g(v, v_th=0.3, a=1.3):
    return (v - v_th) ** a / v


def test_cmos_point_matches_hand_arithmetic():
    r = VoltageFrequencyExplorer().compute(voltage=1.0, frequency=3.0, activity=0.1, capacitance=50.0, v_th=0.3,
                                           v_min=0.6)
    assert r["power"] == pytest.approx(0.1 * 50e-9 * 1.0 ** 2 * 3e9)          # α·C·V²·f = 15 W
    assert r["energy_per_cycle"] == pytest.approx(0.1 * 50e-9 * 1.0 ** 2 * 1e9)  # α·C·V², in nJ: 5
    v2 = r["double"]["voltage"]                                                # alpha-power law: g(V2) = 2 g(1 V)
    assert _g(v2) == pytest.approx(2 * _g(1.0)) and v2 > 3
    assert r["double"]["power"] == pytest.approx(r["power"] * 2 * v2 ** 2)     # > 8×: steeper than the cartoon
    assert r["half"]["voltage"] == pytest.approx(0.6)                          # ≈0.56 V wanted, floor 0.6 V
    assert r["half"]["power"] == pytest.approx(r["power"] * 0.5 * 0.6 ** 2)
    assert r["exponent"] == pytest.approx(1 + 2 / (1.3 * 1.0 / 0.7 - 1))      # k of P ∝ f^k at 1 V: ≈3.33
    assert r["alpha_power"] == dg.ALPHA_POWER == 1.3
    np.testing.assert_allclose(r["power_cube"], 15.0 * (cmos.FREQUENCIES / 3.0) ** 3)   # the f³ cartoon
    np.testing.assert_allclose(r["energy_cube"], 5.0 * (cmos.FREQUENCIES / 3.0) ** 2)
    assert r["clock_plateau"] == fact("cpu_clock_plateau", "GHz")
    assert r["tdp_plateau"] == fact("cpu_tdp_plateau", "W")


def test_cmos_defaults_are_the_course_assumptions():
    e = VoltageFrequencyExplorer()
    assert e.values["v_th"] == dg.V_TH and e.values["v_min"] == cmos.V_MIN_DEFAULT


def test_cmos_curves_match_the_library():
    r = VoltageFrequencyExplorer().compute(voltage=0.9, frequency=2.0, activity=0.2, capacitance=20.0, v_th=0.25,
                                           v_min=0.5)
    power = dg.dynamic_power(0.2, 20 * u.nF, 0.9, 2e9).to("W").magnitude
    assert r["power"] == pytest.approx(power)
    coupled = dg.coupled_power(cmos.FREQUENCIES * 1e9, 2e9, power, v0=0.9, v_min=0.5, v_th=0.25,
                               alpha=dg.ALPHA_POWER).to("W").magnitude
    np.testing.assert_allclose(r["power_coupled"], coupled)
    np.testing.assert_allclose(r["power_fixed"], power * cmos.FREQUENCIES / 2.0)
    np.testing.assert_allclose(r["energy_fixed"], power / 2.0)                 # flat: α·C·V²
    # above the point the log–log slope is the local exponent k(V) of P ∝ f^k, and it grows with the clock
    f = cmos.FREQUENCIES
    above = f > 2.0
    slopes = np.diff(np.log(r["power_coupled"][above])) / np.diff(np.log(f[above]))
    middle = np.sqrt(f[above][1:] * f[above][:-1]) * 1e9
    volts = dg.voltage_for_frequency(middle, 2e9, 0.9, v_th=0.25)
    np.testing.assert_allclose(slopes, dg.power_frequency_exponent(volts, v_th=0.25).magnitude, rtol=1e-3)
    assert np.all(np.diff(slopes) > 0) and slopes[-1] < 1 + 2 / (dg.ALPHA_POWER - 1)
    # slope 1 where the floor binds
    v_floor_clock = dg.frequency_for_voltage(0.5, 2.0, 0.9, v_th=0.25).magnitude
    below = f < v_floor_clock * 0.99
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


def test_cmos_describe_gives_the_exponent_and_the_cartoon():
    e = VoltageFrequencyExplorer(v_min=0.5)
    r = e.result
    assert f"grows locally as f^{r['exponent']:.2f}" in e.text and "f^3.33" in e.text
    ratio = r["double"]["power"] / r["power"]
    assert f"({ratio:.3g}× the power for 2× the work rate, against 8× in the cartoon)" in e.text
    assert "threshold 0.30 V" in e.text and "exponent 1.3" in e.text


def test_cmos_threshold_moves_only_the_alpha_power_curves():
    e = VoltageFrequencyExplorer()
    coupled0 = e.lines["power", "coupled"].get_ydata().copy()
    fixed0 = e.lines["power", "fixed"].get_ydata().copy()
    cube0 = e.lines["power", "cube"].get_ydata().copy()
    e.set(v_th=0.1)
    assert not np.allclose(e.lines["power", "coupled"].get_ydata(), coupled0)
    np.testing.assert_allclose(e.lines["power", "fixed"].get_ydata(), fixed0)
    np.testing.assert_allclose(e.lines["power", "cube"].get_ydata(), cube0)
    assert "threshold 0.10 V" in e.text


def test_cmos_updates_in_place_without_new_artists():
    e = VoltageFrequencyExplorer()
    def artists():
        return [id(a) for a in e.figure.findobj()]
    before = artists()
    for change in ({"frequency": 4.0}, {"v_th": 0.1}, {"voltage": 0.7}, {"v_min": 0.9}, {"capacitance": 200.0}):
        e.set(**change)
    assert len(artists()) == len(before)
    assert e.lines["power", "coupled"] in e.figure.axes[0].lines


def test_cmos_widget_updates_the_figure():
    e = VoltageFrequencyExplorer()
    children = e.widget.children
    names = list(e.controls)
    image, caption = children[len(names)], children[len(names) + 1]
    png0, caption0 = image.value, caption.value
    children[names.index("activity")].value = 0.25
    assert e.last_error is None and e.values["activity"] == 0.25
    assert image.value != png0 and caption.value != caption0 and "α = 0.25" in caption.value


# ---- review fixes: stale roofs, small shares, labels under curves, curves off the axes ------------


def _colour_pixels(image, colour, tolerance=40):
    from matplotlib.colors import to_rgb
    target = np.array(to_rgb(colour)) * 255
    return int(np.sum(np.all(np.abs(image - target) < tolerance, axis=-1)))


def test_cmos_plateau_label_stays_readable_over_the_curves():
    from energylab.plotting import PALETTE
    e = VoltageFrequencyExplorer(voltage=1.3, frequency=5.0, activity=0.5, capacitance=300.0, v_min=1.2)
    label = e.plateau_label
    lines = [e.lines["power", "fixed"], e.lines["power", "coupled"], e.lines["power", "cube"]]
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


CMOS_MIN = dict(voltage=0.5, frequency=0.5, activity=0.02, capacitance=1.0, v_th=0.0, v_min=0.5)


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
