"""Headless tests of chapter 06's explorers: SiteExplorer, StorageExplorer and PeltierExplorer."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from energylab import cooling  # noqa: E402
from energylab.explore import PeltierExplorer, SiteExplorer, StorageExplorer  # noqa: E402
from energylab.explore.storage import TANK_DELTA_T  # noqa: E402
from energylab.units import u  # noqa: E402

from helpers.explorers import fact, full_render, pixels  # noqa: E402


# ---- SiteExplorer -------------------------------------------------------------------------------

def test_site_matches_simulate_site():
    e = SiteExplorer()
    r = e.compute(climate="cold", design="direct_liquid", setpoint_shift=-2.0, it_mw=5.0)
    ref = cooling.simulate_site("cold", "direct_liquid", it_load=5 * u.MW, setpoint=30 * u.degC, seed=0,
                                capacity=10 * u.MW)
    assert r["setpoint_c"] == pytest.approx(30.0)
    assert r["pue"] == pytest.approx(ref.pue.magnitude)
    assert r["water_m3"] == pytest.approx(ref.water_total.magnitude)
    assert r["wue_consumption"] == pytest.approx(ref.wue_consumption.magnitude)
    assert r["facility_mwh"] == pytest.approx(ref.facility_energy.magnitude)
    assert r["it_mwh"] == pytest.approx(5 * 8760)
    # the daily means average the hours of each day
    day = slice(24 * 100, 24 * 101)
    assert r["outdoor_daily"][100] == pytest.approx(ref.outdoor.magnitude[day].mean())
    assert r["pue_daily"][100] == pytest.approx(ref.facility_power.magnitude[day].sum()
                                                / ref.it_power.magnitude[day].sum())


def test_site_full_hall_matches_the_design_table_and_part_load_is_worse():
    e = SiteExplorer()
    full = e.compute(climate="hot-dry", design="legacy_air_chiller", setpoint_shift=0.0, it_mw=10.0)
    table = cooling.compare_designs(["legacy_air_chiller"], ["hot-dry"])
    assert full["pue"] == pytest.approx(table.pue[0, 0])          # PUE does not depend on scale at full load
    half = e.compute(climate="hot-dry", design="legacy_air_chiller", setpoint_shift=0.0, it_mw=5.0)
    assert half["pue"] > full["pue"]                               # fixed losses in a half-empty hall
    assert full["wue"] == 0 and full["water_m3"] == 0             # air-cooled chillers use no water


def test_site_set_moves_lines_and_text():
    e = SiteExplorer(design="air_chiller", climate="hot-humid")
    pue0, text0, t0 = e.result["pue"], e.text, e.set_line.get_ydata()[0]
    e.set(setpoint_shift=6.0)
    assert e.set_line.get_ydata()[0] == pytest.approx(t0 + 6.0)
    assert e.result["pue"] < pue0                                  # warmer chilled water, better COP
    np.testing.assert_allclose(e.pue_line.get_ydata(), e.result["pue_daily"])
    assert e.text != text0 and f"annual PUE {e.result['pue']:.2f}" in e.text
    e.set(climate="cold")
    np.testing.assert_allclose(e.t_line.get_ydata(), e.result["outdoor_daily"])
    assert "cold climate" in e.text
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


def test_site_widget_updates_the_figure():
    e = SiteExplorer()
    widgets = e.widget.children
    image, caption = widgets[len(e.controls)], widgets[len(e.controls) + 1]
    png = image.value
    widgets[list(e.controls).index("design")].value = "evaporative"
    assert e.values["design"] == "evaporative" and e.last_error is None
    assert image.value != png and "Outside air" in caption.value


# Settings where the daily PUE curve is highest (axis rescaled to PUE > 7) and lowest.
_SITE_EXTREMES = [{}, {"design": "legacy_air_chiller", "it_mw": 1.0},
                  {"design": "legacy_air_chiller", "it_mw": 1.0, "climate": "hot-humid", "setpoint_shift": -6.0},
                  {"design": "direct_liquid", "climate": "cold", "setpoint_shift": 8.0},
                  {"design": "evaporative", "climate": "hot-dry", "it_mw": 1.0}]


def _extent(artist, renderer):
    """Window extent of a text (with its background box, if any) or a legend."""
    patch = getattr(artist, "get_bbox_patch", lambda: None)()
    return patch.get_window_extent(renderer) if patch is not None else artist.get_window_extent(renderer)


def _display_points(line):
    xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
    return xy[np.isfinite(xy).all(axis=1)]


def _inside(points, box, pad=1.0):
    return ((points[:, 0] >= box.x0 - pad) & (points[:, 0] <= box.x1 + pad)
            & (points[:, 1] >= box.y0 - pad) & (points[:, 1] <= box.y1 + pad))


@pytest.mark.parametrize("setting", _SITE_EXTREMES, ids=lambda s: "-".join(map(str, s.values())) or "default")
def test_site_annual_label_is_clear_of_the_curves_and_inside_the_figure(setting):
    # Found by a reviewer: at legacy_air_chiller, 1 MW (PUE 6.58) the label's box hid the curve from day
    # 240 on and the text ran off the right edge.
    e = SiteExplorer(**setting)
    renderer = e.figure.canvas.get_renderer()
    box = _extent(e.label, renderer)
    assert f"annual PUE {e.result['pue']:.2f}" in e.label.get_text()
    assert e.figure.bbox.x0 <= box.x0 and box.x1 <= e.figure.bbox.x1 and box.y1 <= e.figure.bbox.y1
    for line in (e.pue_line, e.annual_line):
        assert not _inside(_display_points(line), box).any()
    # the curve keeps its own axis: nothing above the data cut off either
    assert e.axes[0].get_ylim()[1] >= e.result["pue_daily"].max()


@pytest.mark.parametrize("setting", _SITE_EXTREMES, ids=lambda s: "-".join(map(str, s.values())) or "default")
def test_site_reference_labels_are_readable(setting):
    # Found by a reviewer: the industry-average line struck through "Google fleet 1.10" on the tall
    # legacy axis, and at the default that label sat on the PUE curve and the annual line.
    from helpers.explorers import fact
    e = SiteExplorer(**setting)
    renderer = e.figure.canvas.get_renderer()
    ax = e.axes[0]
    google, industry = e.ref_labels
    assert "Google" in google.get_text() and f"{fact('google_fleet_pue', ''):.2f}" in google.get_text()
    assert f"{fact('uptime_average_pue_2024', ''):.2f}" in industry.get_text()
    g, i = (_extent(t, renderer) for t in (google, industry))
    axes_box, figure_box = ax.get_window_extent(renderer), e.figure.bbox
    for box in (g, i):
        assert box.x0 > axes_box.x1                 # right of the axes: no curve or line reaches them
        assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1
        assert box.y1 < figure_box.y1 and box.y0 > e.axes[1].get_window_extent(renderer).y1
    assert not g.overlaps(i) and g.y1 < i.y0       # apart, in the lines' order
    # each beside its own line: Google's at its height, the industry one at or above its line
    y_google, y_industry = (ax.transData.transform((1, v))[1] for v in e.ref_values)
    assert g.y0 <= y_google <= g.y1 and i.y1 >= y_industry


def test_site_panel_labels_do_not_collide():
    e = SiteExplorer()
    renderer = e.figure.canvas.get_renderer()
    boxes = [ax.yaxis.label.get_window_extent(renderer) for ax in e.axes]
    assert not any(a.overlaps(b) for a, b in zip(boxes, boxes[1:]))
    assert all(b.x0 >= 0 for b in boxes)


def test_site_rescales_and_places_labels_on_the_fast_path():
    # moving into and out of the tall axis keeps the labels where a fresh explorer puts them
    e = SiteExplorer()
    e.set(design="legacy_air_chiller", it_mw=1.0)
    fresh = SiteExplorer(design="legacy_air_chiller", it_mw=1.0)
    assert e.axes[0].get_ylim() == fresh.axes[0].get_ylim()
    assert [t.get_position() for t in e.ref_labels] == [t.get_position() for t in fresh.ref_labels]
    e.set(design="water_chiller_economiser", it_mw=10.0)
    assert [t.get_position() for t in e.ref_labels] == [t.get_position() for t in SiteExplorer().ref_labels]
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


@pytest.mark.parametrize("climate, hours", [("cold", 6892), ("temperate", 4360)])
def test_site_direct_liquid_free_hours_are_set_by_the_air_loop_and_the_text_says_so(climate, hours):
    # Found by a reviewer: the hours of full free cooling never move with the set-point. By design: the
    # shift moves the cold plates' water only, and the room-air loop (fixed air set-point) needs colder
    # weather than the plates at every shift, so it alone decides when everything is free.
    e = SiteExplorer(design="direct_liquid", climate=climate)
    seen = set()
    for shift in (-6.0, 0.0, 8.0):
        e.set(setpoint_shift=shift)
        seen.add(e.result["free_hours"])
    assert seen == {hours}
    air = cooling.DESIGNS["direct_liquid"].air_setpoint
    assert e.result["air_setpoint_c"] == air
    assert f"room-air loop at a fixed {air:.0f} °C supply" in e.text
    assert "room-air loop" not in SiteExplorer().text


# ---- StorageExplorer ----------------------------------------------------------------------------

def test_storage_matches_dispatch_storage_on_the_same_week():
    e = StorageExplorer()
    r = e.compute(tank_mwh=4.0, signal="carbon", region="gb")
    site = cooling.simulate_site("temperate", "air_chiller", it_load=1 * u.MW, seed=0)
    week = slice(24 * 190, 24 * 190 + 168)
    price = cooling.price_profile("gb", seed=0).magnitude[week]
    carbon = cooling.carbon_intensity_profile("gb", seed=0).magnitude[week]
    ref = cooling.dispatch_storage(site.mechanical_load[week], site.chiller_cop[week], price, carbon,
                                   capacity=4000, objective="carbon")
    assert r["shifted_mwh"] == pytest.approx(ref.discharged.magnitude / 1e3)
    assert r["saving"] == pytest.approx(ref.carbon_saved.magnitude / ref.carbon_before.magnitude)
    assert r["volume_m3"] == pytest.approx(cooling.tank_volume(4 * u.MWh, TANK_DELTA_T * u.K).magnitude)
    np.testing.assert_allclose(r["carbon"], carbon)
    assert abs(r["balance_error"]) < 1e-6
    assert r["state"].max() <= 4.0 + 1e-9                          # never more than the tank holds


def test_storage_hand_checks():
    e = StorageExplorer()
    empty = e.compute(tank_mwh=0.0, signal="cost", region="germany")
    assert empty["shifted_mwh"] == 0 and empty["saving"] == pytest.approx(0.0)
    np.testing.assert_allclose(empty["made"], empty["load"])
    # the volume is given at TANK_DELTA_T: 11.6 kWh of cold per m³ at 10 K (fact chilled_water_storage_density)
    # scales with the swing
    r = e.compute(tank_mwh=2.0, signal="cost", region="germany")
    assert TANK_DELTA_T != 10          # not the exercise's swing (tank_volume)
    assert 2000 / r["volume_m3"] == pytest.approx(
        fact("chilled_water_storage_density", "kWh/m**3") * TANK_DELTA_T / 10, rel=0.01)
    assert r["saving"] > 0 and r["cost_after"] < r["cost_before"]
    bigger = e.compute(tank_mwh=8.0, signal="cost", region="germany")
    assert bigger["shifted_mwh"] >= r["shifted_mwh"]


def test_storage_set_changes_artists_and_text():
    e = StorageExplorer()
    made, text = e.made_line.get_ydata().copy(), e.text
    e.set(tank_mwh=8.0)
    assert not np.allclose(e.made_line.get_ydata(), made)
    np.testing.assert_allclose(e.state_line.get_ydata(), e.result["state"])
    assert e.text != text and "8.0 MWh" in e.text
    e.set(signal="carbon")
    assert "gCO2e" in e.axes[0].get_ylabel() and "emissions" in e.text
    np.testing.assert_allclose(e.signal_line.get_ydata(), e.result["carbon"])
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


def test_storage_tank_too_big_to_fill_still_moves_the_figure_and_says_why():
    # Found in the browser: past the size one week can fill, every step of the slider drew the same
    # figure. The capacity line moves with the slider, and the text explains the plateau.
    small, big, bigger = (StorageExplorer(tank_mwh=t) for t in (3.0, 8.0, 8.5))
    assert big.result["peak_stored_mwh"] == pytest.approx(bigger.result["peak_stored_mwh"])
    assert big.result["peak_stored_mwh"] < 0.98 * 8.0 <= 8.0 == big.capacity_line.get_ydata()[0]
    assert big.png != bigger.png
    assert "never holds more than" in big.text and "never holds more than" not in small.text
    assert np.max(small.result["state"]) == pytest.approx(small.result["peak_stored_mwh"])


def test_storage_says_when_the_grid_menu_cannot_change_the_prices():
    # Found in the browser: Germany, Great Britain and France share one synthetic price shape.
    gb, fr = StorageExplorer(region="gb"), StorageExplorer(region="france")
    np.testing.assert_allclose(gb.result["price"], fr.result["price"])
    assert "Great Britain shares with Germany and France: the same prices" in gb.text
    assert "same prices" not in StorageExplorer(region="california").text
    assert "same prices" not in StorageExplorer(region="gb", signal="carbon").text


@pytest.mark.parametrize("region", ["germany", "gb", "france", "california"])
@pytest.mark.parametrize("signal", ["cost", "carbon"])
def test_storage_signal_label_fits_its_panel(signal, region):
    # Found by a reviewer: "Carbon intensity (gCO2e/kWh)" was taller than the top panel, cut at the top
    # edge and running down beside the lower panel.
    e = StorageExplorer(signal=signal, region=region)
    renderer = e.figure.canvas.get_renderer()
    label, panel = e.axes[0].yaxis.label.get_window_extent(renderer), e.axes[0].get_window_extent(renderer)
    assert panel.y0 <= label.y0 and label.y1 <= panel.y1
    assert label.x0 >= e.figure.bbox.x0
    legend = e.axes[1].get_legend().get_window_extent(renderer)
    assert legend.x1 <= e.axes[1].get_window_extent(renderer).x1      # the narrower axes still hold it
    if signal == "carbon":
        assert "Carbon intensity" in e.axes[0].get_ylabel() and "gCO2e/kWh" in e.axes[0].get_ylabel()


def test_storage_widget_updates_the_figure():
    e = StorageExplorer()
    widgets = e.widget.children
    image, caption = widgets[len(e.controls)], widgets[len(e.controls) + 1]
    png = image.value
    widgets[list(e.controls).index("region")].value = "california"
    assert e.values["region"] == "california" and e.last_error is None
    assert image.value != png and "California" in caption.value


# ---- PeltierExplorer ----------------------------------------------------------------------------

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
        assert not _inside(_display_points(line), box).any()
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
