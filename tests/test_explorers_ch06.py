"""Headless tests of chapter 06's explorers: SiteExplorer, StorageExplorer and PeltierExplorer."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from energylab import cooling  # noqa: E402
from energylab.explore import PeltierExplorer, SiteExplorer, StorageExplorer  # noqa: E402
from energylab.explore.storage import TANK_DELTA_T  # noqa: E402
from energylab.units import u  # noqa: E402

from explorer_helpers import fact, full_render, pixels  # noqa: E402


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


def test_peltier_widget_updates_the_figure():
    e = PeltierExplorer()
    widgets = e.widget.children
    image, caption = widgets[len(e.controls)], widgets[len(e.controls) + 1]
    png = image.value
    widgets[list(e.controls).index("t_hot")].value = 50.0
    assert e.values["t_hot"] == 50.0 and e.last_error is None
    assert image.value != png and "50 °C hot side" in caption.value
