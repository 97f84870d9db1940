"""energylab.explore.datacentre: DataCentreExplorer's defaults, arithmetic, bars, axes, labels and caption."""
import numpy as np
import pytest

from energylab import accounting as acc
from energylab.explore import DataCentreExplorer
from energylab.units import u

from helpers.explorers import fact, full_render, pixels


def test_datacentre_defaults_come_from_sources():
    c = DataCentreExplorer.controls
    assert c["pue"].default == pytest.approx(fact("uptime_average_pue_2024", ""))
    assert c["intensity"].default == pytest.approx(fact("world_grid_intensity_2022", "gCO2e/kWh"))
    assert c["wue"].default == pytest.approx(fact("azure_wue_onsite", "L/kWh"))
    assert c["water_offsite"].default == pytest.approx(fact("azure_water_offsite", "L/kWh"))
    assert c["price"].default == pytest.approx(fact("us_industrial_electricity_price_2023", "cent/kWh"))
    assert c["it_mw"].default == pytest.approx(fact("hyperscale_dc_power", "MW"))


def test_datacentre_compute_matches_hand_arithmetic_and_accounting():
    r = DataCentreExplorer().compute(it_mw=10.0, pue=1.5, intensity=400.0, wue=1.0, water_offsite=2.0,
                                     price=10.0)
    # 10 MW x 8,760 h = 87.6 GWh of IT; x 1.5 = 131.4 GWh of facility energy
    assert r["it_gwh"] == pytest.approx(87.6)
    assert r["facility_gwh"] == pytest.approx(131.4)
    assert r["overhead_gwh"] == pytest.approx(43.8)
    assert r["it_share"] == pytest.approx(1 / 1.5)
    assert r["emissions_kt"] == pytest.approx(131.4e6 * 400 / 1e9)       # g -> kt
    assert r["water_onsite_ml"] == pytest.approx(87.6)                    # 87.6e6 kWh x 1 L/kWh
    assert r["water_offsite_ml"] == pytest.approx(262.8)                  # 131.4e6 kWh x 2 L/kWh
    assert r["water_total_ml"] == pytest.approx(350.4)
    assert r["cost_musd"] == pytest.approx(13.14)                         # 131.4e6 kWh x $0.10
    facility = acc.facility_energy(acc.annual_energy(10 * u.MW), 1.5)
    assert r["facility_gwh"] == pytest.approx(facility.to("GWh").magnitude)
    assert r["emissions_kt"] == pytest.approx(acc.emissions(facility, 400).to("ktCO2e").magnitude)


def test_datacentre_set_changes_bars_labels_and_text():
    e = DataCentreExplorer()
    overhead0, text0, label0 = e.bars["overhead"].get_height(), e.text, e.labels[0].get_text()
    e.set(pue=1.1)
    assert e.bars["overhead"].get_height() == pytest.approx(e.result["overhead_gwh"])
    assert e.bars["overhead"].get_height() < overhead0
    assert e.bars["it"].get_height() == pytest.approx(e.result["it_gwh"])
    assert e.labels[0].get_text() != label0 and "IT 91%" in e.labels[0].get_text()
    assert e.text != text0 and "PUE 1.10" in e.text


def test_datacentre_rescales_axes_when_a_bar_leaves_them():
    e = DataCentreExplorer()
    top = e.axes[0].get_ylim()[1]
    e.set(it_mw=1000.0)
    assert e.axes[0].get_ylim()[1] > e.result["facility_gwh"] > top
    e.set(it_mw=5.0)
    assert e.axes[0].get_ylim()[1] < top
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


def test_datacentre_zero_intensity_and_water_are_handled():
    e = DataCentreExplorer(intensity=0.0, wue=0.0, water_offsite=0.0)
    assert e.result["emissions_kt"] == 0 and e.result["water_total_ml"] == 0
    assert e.labels[2].get_text() == "0"


def test_datacentre_widget_updates_the_figure():
    e = DataCentreExplorer()
    widgets = e.widget.children
    names = list(e.controls)
    image, caption = widgets[len(names)], widgets[len(names) + 1]
    png0, caption0, height0 = image.value, caption.value, e.bars["emissions"].get_height()
    widgets[names.index("intensity")].value = 57.0
    assert e.last_error is None and e.values["intensity"] == 57.0
    assert e.bars["emissions"].get_height() < height0
    assert image.value != png0 and caption.value != caption0 and "57 gCO2e/kWh" in caption.value


# ---- review fixes: labels, steps and unchecked values ---------------------------------------


def test_datacentre_docstring_and_label_say_composite_and_average():
    doc = DataCentreExplorer.__doc__
    assert "composite" in doc and "minimum" in doc and "upper bound" in doc
    assert "average" in DataCentreExplorer.controls["it_mw"].label
    assert "average IT load" in DataCentreExplorer().text


# ---- review fixes: small sites, falling demand, labels that collide -----------------------------


SMALL_SITE = dict(it_mw=1.0, pue=1.0, intensity=20.0, wue=0.05, water_offsite=0.0, price=1.0)


def test_datacentre_small_values_keep_their_digits():
    # Found by a reviewer: every tick of three axes, the bar labels and the caption read "0".
    e = DataCentreExplorer(**SMALL_SITE)
    r = e.result
    for ax in e.axes:
        labels = [t.get_text() for t in ax.get_yticklabels()]
        values = [float(t.replace(",", "")) for t in labels]
        assert len(set(labels)) == len(labels) > 2, labels
        np.testing.assert_allclose(values, ax.get_yticks(), atol=1e-12)
    assert r["emissions_kt"] == pytest.approx(0.175, rel=0.01)
    assert [label.get_text().split("\n")[0] for label in e.labels] == ["8.76", "0.175", "0.438", "0.0876"]
    assert "emits 0.175 ktCO2e" in e.text and "0.438 million L of water on site" in e.text
    assert "costs 0.0876 million USD" in e.text
    # the electricity-bill axis at 1 MW read 0, 0, 1, 1, 1, 2, 2
    ticks = [t.get_text() for t in DataCentreExplorer(it_mw=1.0).axes[3].get_yticklabels()]
    assert len(set(ticks)) == len(ticks)


def test_datacentre_default_caption_is_unchanged():
    # the notebooks' saved outputs carry this text
    text = DataCentreExplorer().text
    assert ("uses 1,367 GWh a year (876 GWh IT, 491 GWh overhead); at 436 gCO2e/kWh (the world's 2022 average, CO2 "
            "from combustion only, so a lower bound on CO2e) it emits 596 ktCO2e; it consumes 263 million L of water "
            "on site and 5,945 million L off site; the electricity costs 110.1 million USD") in text
    assert "combustion" not in DataCentreExplorer(intensity=300).text     # the basis is that of the default only


def test_datacentre_zero_totals_get_a_fresh_builds_axes():
    # Found by a reviewer: moving every control to its minimum left the zero bars on the old large scale.
    e = DataCentreExplorer()
    for name, control in e.controls.items():
        e.set(**{name: control.min})
    fresh = DataCentreExplorer(**{n: c.min for n, c in e.controls.items()})
    for ax, ax_fresh, (key, _, _) in zip(e.axes, fresh.axes, DataCentreExplorer._PANELS):
        if e.result[key] == 0:
            assert ax.get_ylim() == ax_fresh.get_ylim() == (0, 1)
        else:
            assert ax.get_ylim()[1] * 0.25 <= e.result[key] <= ax.get_ylim()[1] / 1.25
