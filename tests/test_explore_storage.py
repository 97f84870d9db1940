"""energylab.explore.storage: StorageExplorer against dispatch_storage, tank sizes, grid menu and labels."""
import numpy as np
import pytest

from energylab import cooling
from energylab.explore import StorageExplorer
from energylab.explore.storage import TANK_DELTA_T
from energylab.units import u

from helpers.explorers import fact, full_render, pixels


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
