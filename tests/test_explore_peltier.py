"""energylab.explore.peltier: PeltierExplorer against the cooling library, its curves, limits and legend."""
import numpy as np
import pytest

from energylab import cooling
from energylab.explore import PeltierExplorer
from energylab.units import u

from helpers.explorers import display_points, fact, full_render, inside, pixels


def test_peltier_default_zt_from_sources_and_point_matches_the_library():
    assert PeltierExplorer.controls["zt"].default == pytest.approx(fact("thermoelectric_zt_bi2te3", ""))
    r = PeltierExplorer().compute(zt=0.8, t_cold=10.0, t_hot=40.0)
    c = cooling.peltier_vs_compressor(10 * u.degC, 40 * u.degC, 0.8)
    assert r["peltier"] == pytest.approx(c.peltier_cop_max.magnitude)
    assert r["compressor"] == pytest.approx(c.compressor_cop.magnitude)
    assert r["carnot"] == pytest.approx(283.15 / 30)                   # T_c / ΔT by hand
    assert r["ratio"] == pytest.approx(r["compressor"] / r["peltier"])
    assert r["max_lift"] == pytest.approx(cooling.peltier_max_delta_t(40 * u.degC, 0.8).magnitude)


def test_peltier_curves_and_limits():
    r = PeltierExplorer().compute(zt=1.0, t_cold=15.0, t_hot=35.0)
    assert np.all(r["compressor_curve"] < r["carnot_curve"])
    ok = ~np.isnan(r["peltier_curve"]) & (r["lifts"] >= 8)     # an ideal module wins only at tiny lifts
    assert np.all(r["peltier_curve"][ok] < r["compressor_curve"][ok])
    assert r["peltier_curve"][0] > r["compressor_curve"][0]
    assert np.all(np.diff(r["carnot_curve"]) < 0)                      # a bigger lift costs more work
    # a module cannot hold a lift beyond ΔT_max: the curve is blank there
    low = PeltierExplorer().compute(zt=0.2, t_cold=15.0, t_hot=35.0)
    assert np.isnan(low["peltier_curve"][low["lifts"] > low["max_lift"]]).all()
    free = PeltierExplorer().compute(zt=1.0, t_cold=40.0, t_hot=30.0)
    assert free["free"] and free["compressor"] == np.inf


def test_peltier_set_moves_points_and_text():
    e = PeltierExplorer()
    curve, text = e.pelt.get_ydata().copy(), e.text
    e.set(zt=2.0)
    assert np.nanmin(e.pelt.get_ydata() - curve) > 0                   # higher ZT, higher COP everywhere
    assert e.text != text and "ZT 2.00" in e.text
    e.set(t_cold=5.0)
    assert e.vline.get_xdata()[0] == pytest.approx(30.0)
    e.set(t_cold=40.0)
    assert "free cooling" in e.text and np.isnan(e.marks.get_ydata()).all()
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


@pytest.mark.parametrize("setting", [{}, {"zt": 0.2, "t_cold": -10.0, "t_hot": 20.0},
                                     {"zt": 3.0, "t_cold": -10.0, "t_hot": 70.0}, {"t_cold": 45.0, "t_hot": 20.0}])
def test_peltier_legend_is_clear_of_the_curves(setting):
    # Found by a reviewer: the frameless legend inside the axes was crossed by the Peltier curve (ZT 0.2),
    # the ΔT marker line and the real-modules band; animated curves are drawn over anything inside the axes.
    e = PeltierExplorer(**setting)
    renderer = e.figure.canvas.get_renderer()
    legends = e.figure.legends + [ax.get_legend() for ax in e.figure.axes if ax.get_legend()]
    assert len(legends) == 1
    box, axes_box = legends[0].get_window_extent(renderer), e.ax.get_window_extent(renderer)
    assert box.y1 < axes_box.y0 and not box.overlaps(axes_box)        # below the axes: no artist reaches it
    assert box.y1 < e.ax.xaxis.label.get_window_extent(renderer).y0   # and below the axis label
    assert e.figure.bbox.x0 <= box.x0 and box.x1 <= e.figure.bbox.x1 and box.y0 >= e.figure.bbox.y0
    for line in (e.carnot, e.comp, e.pelt, e.vline, e.marks):
        assert not inside(display_points(line), box).any()
    texts = [t.get_text() for t in legends[0].get_texts()]
    assert texts == ["real modules (ΔT 20–40 K)", "Carnot limit", "compressor chiller", "ideal Peltier at ZT"]
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


def test_peltier_widget_updates_the_figure():
    e = PeltierExplorer()
    widgets = e.widget.children
    image, caption = widgets[len(e.controls)], widgets[len(e.controls) + 1]
    png = image.value
    widgets[list(e.controls).index("t_hot")].value = 50.0
    assert e.values["t_hot"] == 50.0 and e.last_error is None
    assert image.value != png and "50 °C hot side" in caption.value
