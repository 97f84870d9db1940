"""Headless tests of chapter 00's explorers: DataCentreExplorer, DemandExplorer, QueryExplorer."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from energylab import accounting as acc  # noqa: E402
from energylab import sources  # noqa: E402
from energylab.explore import DataCentreExplorer, DemandExplorer, QueryExplorer  # noqa: E402
from energylab.units import u  # noqa: E402
from helpers.explorers import fact, full_render, pixels  # noqa: E402

EXPLORERS = [DataCentreExplorer, DemandExplorer, QueryExplorer]


# ---- DataCentreExplorer -------------------------------------------------------------------------

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


# ---- DemandExplorer -----------------------------------------------------------------------------

def test_demand_default_is_the_iea_rate_from_the_iea_start():
    e = DemandExplorer()
    growth = fact("iea_dc_growth_rate_2024_2030", "")
    assert e.values == {"region": "World", "growth": pytest.approx(growth), "efficiency": 0.0}
    r = e.result
    assert r["years"][0] == 2024 and r["years"][-1] == 2030
    assert r["start_twh"] == pytest.approx(fact("iea_dc_electricity_2024", "TWh"))
    assert r["end_twh"] == pytest.approx(r["start_twh"] * (1 + growth) ** 6)
    assert r["outlook_twh"] == pytest.approx(fact("iea_dc_electricity_2030", "TWh"))
    stargate = acc.annual_energy(sources.get("stargate_capacity").q).to("TWh").magnitude
    assert r["stargate_twh"] == pytest.approx(stargate)
    np.testing.assert_allclose(e.line.get_ydata(), r["twh"])


def test_demand_compute_matches_project_and_cagr():
    e = DemandExplorer()
    r = e.compute(region="World", growth=0.10, efficiency=0.0)
    assert r["twh"][-1] == pytest.approx(fact("iea_dc_electricity_2024", "TWh") * 1.1 ** 6)
    assert acc.cagr(r["twh"][0], r["twh"][-1], 6).magnitude == pytest.approx(0.10)
    r = e.compute(region="World", growth=0.25, efficiency=0.20)
    assert r["rate"] == pytest.approx(1.25 * 0.8 - 1)      # efficiency exactly offsets growth
    np.testing.assert_allclose(r["twh"], r["start_twh"])


def test_demand_set_changes_line_note_and_text():
    e = DemandExplorer()
    y0, note0, text0 = e.line.get_ydata().copy(), e.note.get_text(), e.text
    e.set(growth=0.25)
    assert e.line.get_ydata()[-1] > y0[-1]
    assert e.note.get_text() != note0 and e.text != text0 and "+25.0% per year" in e.text


def test_demand_region_switch_shows_the_lbnl_range():
    e = DemandExplorer()
    us_range = e.region_artists["US"]["artists"]
    assert not any(a.get_visible() for a in us_range)
    e.set(region="US")
    assert all(a.get_visible() for a in us_range)
    assert not any(a.get_visible() for a in e.region_artists["World"]["artists"])
    lo, hi = sources.get("lbnl_us_dc_electricity_2028").q.to("TWh").magnitude
    assert e.result["years"][0] == 2023 and e.line.get_xdata()[0] == 2023
    bar = [a for a in us_range if hasattr(a, "get_height")][0]
    assert bar.get_y() == pytest.approx(lo) and bar.get_y() + bar.get_height() == pytest.approx(hi)
    assert "LBNL's range" in e.text
    e.set(growth=0.0)
    assert "below LBNL's range" in e.text


def test_demand_widget_dropdown_and_slider():
    e = DemandExplorer()
    region, growth, efficiency, image, caption = e.widget.children
    png0 = image.value
    region.value = "US"
    assert e.values["region"] == "US" and image.value != png0 and "US data-centre" in caption.value
    png1 = image.value
    efficiency.value = 0.1
    assert e.values["efficiency"] == 0.1 and image.value != png1 and e.last_error is None


# ---- QueryExplorer ------------------------------------------------------------------------------

def test_query_defaults_reproduce_de_vries():
    e = QueryExplorer()
    assert e.result["wh"] == pytest.approx(fact("devries_chatgpt_request_energy", "Wh"), rel=0.01)
    assert e.line.get_xdata()[0] == pytest.approx(e.result["wh"])
    assert "de Vries" in e.result["nearest"]


def test_query_compute_matches_hand_arithmetic():
    r = QueryExplorer().compute(server_kw=10.0, load=0.5, qps=2.0, pue=1.2)
    assert r["wh"] == pytest.approx(10_000 * 0.5 * 1.2 / 2 / 3600)      # W / (1/s) = J, J -> Wh
    assert r["server_wh"] == pytest.approx(r["wh"] / 1.2)
    per_hour = acc.facility_energy(acc.energy(5 * u.kW, 1 * u.h), 1.2)
    assert r["wh"] == pytest.approx(acc.per_unit(per_hour, 7200).to("Wh").magnitude)


def test_query_estimates_are_the_published_values():
    r = QueryExplorer().result
    by_id = {i: (wh, spread) for i, _, wh, spread in r["estimates"]}
    assert by_id["gemini_median_prompt_energy"][0] == pytest.approx(fact("gemini_median_prompt_energy", "Wh"))
    assert by_id["jegham_gpt4o_short_prompt_energy"] == pytest.approx(
        (fact("jegham_gpt4o_short_prompt_energy", "Wh"), fact("jegham_gpt4o_short_prompt_energy_sd", "Wh")))
    assert by_id["openai_chatgpt_query_energy"][0] == pytest.approx(fact("openai_chatgpt_query_energy", "Wh"))


def test_query_set_moves_the_line_and_widens_the_axis_for_an_off_scale_value():
    e = QueryExplorer()
    x0, text0 = e.line.get_xdata()[0], e.text
    e.set(load=0.3, pue=1.1)
    assert e.line.get_xdata()[0] == pytest.approx(x0 * 0.3 * 1.1)
    assert e.text != text0 and "30%" in e.text
    assert e.ax.get_xlim() == QueryExplorer.XLIM
    # Found by a reviewer: 0.00139 Wh was clamped to the 0.01 Wh edge and hidden on the left spine.
    e.set(server_kw=0.5, load=0.1, qps=10.0)
    wh = e.result["wh"]
    low, high = e.ax.get_xlim()
    assert wh < QueryExplorer.XLIM[0] and e.line.get_xdata()[0] == pytest.approx(wh)
    assert low < wh / 1.2 and high == QueryExplorer.XLIM[1]       # inside, clear of the spine
    assert (low, high) == QueryExplorer(server_kw=0.5, load=0.1, qps=10.0).ax.get_xlim()
    e.set(server_kw=6.5, load=1.0, qps=0.62)
    assert e.ax.get_xlim() == QueryExplorer.XLIM                 # back to the usual scale


def test_query_legend_is_where_the_line_never_goes():
    # Found by a reviewer: the animated line (drawn over everything in the axes) cut the legend text.
    e = QueryExplorer()
    renderer = e.figure.canvas.get_renderer()
    legend = e.ax.get_legend().get_window_extent(renderer)
    axes = e.ax.get_window_extent(renderer)
    assert legend.y1 < axes.y0                                  # below the axes: the line is clipped to them
    assert e.figure.bbox.x0 <= legend.x0 and legend.x1 <= e.figure.bbox.x1
    assert [t.get_text() for t in e.ax.get_legend().get_texts()][-1] == "your assumptions"


def test_query_widget_updates_the_figure():
    e = QueryExplorer()
    server, load, qps, pue, image, caption = e.widget.children
    png0, caption0 = image.value, caption.value
    qps.value = 5.0
    assert e.values["qps"] == 5.0 and image.value != png0 and caption.value != caption0


# ---- review fixes: labels, steps and unchecked values ---------------------------------------

def test_datacentre_docstring_and_label_say_composite_and_average():
    doc = DataCentreExplorer.__doc__
    assert "composite" in doc and "minimum" in doc and "upper bound" in doc
    assert "average" in DataCentreExplorer.controls["it_mw"].label
    assert "average IT load" in DataCentreExplorer().text


def test_demand_growth_label_matches_its_default_and_step_is_fine():
    growth = DemandExplorer.controls["growth"]
    assert "computing" not in growth.label.lower() and "efficiency" in growth.label.lower()
    assert growth.step == pytest.approx(0.005)
    assert DemandExplorer.controls["efficiency"].step == pytest.approx(0.005)
    assert "before extra efficiency" in DemandExplorer().text


@pytest.mark.parametrize("end", [0, 1])
def test_demand_slider_steps_bracket_each_end_of_the_lbnl_range(end):
    e = DemandExplorer(region="US")
    step = e.controls["growth"].step
    us23 = fact("lbnl_us_dc_electricity_2023", "TWh")
    target = sources.get("lbnl_us_dc_electricity_2028").q.to("TWh").magnitude[end]
    exact = (target / us23) ** (1 / 5) - 1
    below = np.floor(exact / step) * step
    r_below = e.compute(region="US", growth=below, efficiency=0.0)["projected_at_outlook"]
    r_above = e.compute(region="US", growth=below + step, efficiency=0.0)["projected_at_outlook"]
    assert r_below <= target <= r_above
    assert r_above / r_below < 1.03          # one step moves 2028 by under 3 %


def test_demand_caption_qualifies_the_stargate_upper_bound():
    assert "if its capacity is facility power" in DemandExplorer().text


def test_query_unchecked_estimates_are_marked_and_not_the_lowest():
    r = QueryExplorer().result
    unchecked = [(i, label) for i, label, _, _ in r["estimates"] if sources.get(i).status == "M"]
    assert unchecked, "the accelerator-only Gemini figure is status M"
    assert all("not checked" in label for _, label in unchecked)
    assert all("not checked" not in label for i, label, _, _ in r["estimates"]
               if sources.get(i).status != "M")
    # the caption's "lowest" is the lowest CHECKED chatbot figure, named
    assert r["ratio_low"] == pytest.approx(r["wh"] / fact("gemini_median_prompt_energy", "Wh"))
    assert "full serving stack" in r["low"] and "de Vries" in r["high"]
    assert "lowest checked" in QueryExplorer().text


def test_query_nearest_unchecked_estimate_carries_its_caveat():
    e = QueryExplorer(load=0.1, qps=10.0)
    assert "accelerators only" in e.result["nearest"] and "not checked" in e.result["nearest"]


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
    assert ("uses 1,367 GWh a year (876 GWh IT, 491 GWh overhead); at 436 gCO2e/kWh it emits 596 ktCO2e; "
            "it consumes 263 million L of water on site and 5,945 million L off site; the electricity costs "
            "110.1 million USD") in DataCentreExplorer().text


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


def test_demand_negative_rate_says_falls():
    e = DemandExplorer(efficiency=0.3)
    assert e.result["rate"] < 0
    rate = f"{-e.result['rate']:.1%}"
    assert rate == "19.5%"
    assert f"falls from 415 TWh in 2024 by {rate} per year" in e.text and "-" not in rate
    assert "grows" not in e.text
    assert "grows from 415 TWh in 2024 at +15.0% per year" in DemandExplorer().text
    assert "holds steady" in DemandExplorer(growth=0.25, efficiency=0.2).text


@pytest.mark.parametrize("region", ["World", "US"])
def test_demand_fastest_growth_marker_clears_the_note(region):
    # Found by a reviewer: at 30 %/yr the 2030 marker touched the note in the top-right corner.
    e = DemandExplorer(region=region, growth=DemandExplorer.controls["growth"].max)
    renderer = e.figure.canvas.get_renderer()
    note = e.note.get_window_extent(renderer)
    x, y = e.ax.transData.transform((e.result["years"][-1], e.result["end_twh"]))
    radius = e.line.get_markersize() / 72 * e.figure.dpi / 2
    assert note.x0 < x < note.x1                                # the note sits above the last point...
    assert y + radius < note.y0 - 5                              # ...with a gap
