"""energylab.explore.demand: DemandExplorer's IEA default, projection, LBNL range, slider steps and caption."""
import numpy as np
import pytest

from energylab import accounting as acc
from energylab import sources
from energylab.explore import DemandExplorer

from helpers.explorers import fact


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


# ---- review fixes: labels, steps and unchecked values ---------------------------------------


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


# ---- review fixes: small sites, falling demand, labels that collide -----------------------------


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
