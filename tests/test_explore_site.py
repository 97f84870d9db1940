"""energylab.explore.site: SiteExplorer against simulate_site, its daily curves, labels and free-cooling hours."""
import numpy as np
import pytest

from energylab import cooling
from energylab.explore import SiteExplorer
from energylab.units import u

from helpers.explorers import display_points, fact, full_render, inside, pixels


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
        assert not inside(display_points(line), box).any()
    # the curve keeps its own axis: nothing above the data cut off either
    assert e.axes[0].get_ylim()[1] >= e.result["pue_daily"].max()


@pytest.mark.parametrize("setting", _SITE_EXTREMES, ids=lambda s: "-".join(map(str, s.values())) or "default")
def test_site_reference_labels_are_readable(setting):
    # Found by a reviewer: the industry-average line struck through "Google fleet 1.10" on the tall
    # legacy axis, and at the default that label sat on the PUE curve and the annual line.
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
