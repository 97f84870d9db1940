"""energylab.explore.economics: the ownership, token-chain and rebound explorers against energylab.economics."""
import numpy as np
import pytest

from energylab import economics, sources
from energylab.explore import OwnershipExplorer, ReboundExplorer, TokenChainExplorer
from energylab.explore.economics import ELASTICITIES, GRIDS, PRICES
from energylab.inference import COURSE_ASSUMPTIONS, ROOFLINE_SCENARIO, scenario_energy_per_token
from energylab.units import Q_

from helpers.explorers import fact, full_render, pixels


# ---- OwnershipExplorer ------------------------------------------------------------------------------------
def test_ownership_matches_h100_ownership():
    r = OwnershipExplorer().compute(price=15.0, utilisation=0.4, pue=1.5, facility_years=12)
    ref = economics.h100_ownership(Q_(15, "cent/kWh"), utilisation=0.4, pue=1.5, facility_years=12)
    assert r["per_used_hour"] == pytest.approx(ref.per_used_hour.to("USD/h").magnitude)
    assert r["per_hour"] == pytest.approx(ref.per_hour.to("USD/h").magnitude)
    assert sum(r["parts"].values()) == pytest.approx(r["per_used_hour"])
    for part in ("capital", "facility", "electricity"):
        assert r["parts"][part] == pytest.approx(getattr(ref, part).to("USD/year").magnitude / (8760 * 0.4))
    assert r["share"] == pytest.approx(ref.energy_share.to("percent").magnitude)
    curve = economics.h100_ownership(Q_(PRICES, "cent/kWh"), utilisation=0.4, pue=1.5, facility_years=12)
    np.testing.assert_allclose(r["shares"], curve.energy_share.to("percent").magnitude)
    assert r["dominant"] == "capital"


def test_ownership_defaults_come_from_the_registry_and_reproduce_its_shares():
    controls = OwnershipExplorer.controls
    assert controls["price"].default == round(fact("us_industrial_electricity_price_2023", "cent/kWh") / 0.5) * 0.5
    assert controls["pue"].default == economics.H100_CENTRAL["pue"]
    assert controls["facility_years"].default == fact("depreciation_amazon_2025", "year")
    r = OwnershipExplorer().result
    assert [p for p, _, _ in r["registry"]] == [8, 30]       # 15 ¢ is the answer of exercise tco_energy_share
    for price, low, high in r["registry"]:          # busy all year, PUE 1.2, 5 years: the facts' conditions
        share = float(np.interp(price, PRICES, r["shares"]))
        assert low - 1 <= share <= high + 1, (price, share)
    assert r["per_hour"] == pytest.approx(r["per_used_hour"])      # busy all year


def test_ownership_hand_checks():
    e = OwnershipExplorer()
    used = [e.compute(price=8.0, utilisation=u, pue=1.2, facility_years=5)["per_used_hour"]
            for u in np.linspace(0.1, 1.0, 19)]
    assert np.all(np.diff(used) < 0)                 # busier: the capital spread over more used hours
    busy, idle = (e.compute(price=8.0, utilisation=u, pue=1.2, facility_years=5) for u in (1.0, 0.5))
    assert idle["share"] < busy["share"]             # idle hours draw less power, the capital stays
    assert idle["parts"]["capital"] == pytest.approx(2 * busy["parts"]["capital"])
    assert np.all(np.diff(busy["shares"]) > 0)       # dearer electricity, larger share
    long = e.compute(price=8.0, utilisation=1.0, pue=1.2, facility_years=20)
    assert long["parts"]["facility"] == pytest.approx(busy["parts"]["facility"] / 4)
    assert long["share"] > busy["share"]
    assert e.compute(price=40.0, utilisation=1.0, pue=2.0, facility_years=20)["share"] < 50   # inside the axis


def test_ownership_set_moves_the_bars_the_curve_and_the_text():
    e = OwnershipExplorer()
    heights, curve, text = [b.get_height() for b in e.bars["capital"]], e.curve.get_ydata().copy(), e.text
    e.set(utilisation=0.3)
    assert e.bars["capital"][1].get_height() == pytest.approx(e.result["parts"]["capital"])
    assert e.bars["capital"][1].get_height() > heights[1]
    assert e.bars["capital"][0].get_height() == pytest.approx(heights[0])     # per hour of the year: the same
    assert not np.allclose(e.curve.get_ydata(), curve)
    assert e.ax_c.get_ylim()[1] >= 1.15 * e.result["per_used_hour"]
    r = e.result
    assert e.text != text
    for number in (f"{r['per_used_hour']:.2f}", f"{r['share']:.1f}%", f"{r['parts']['capital']:.2f}", "30%"):
        assert number in e.text
    assert "capital dominates" in e.text
    e.set(price=40.0)
    assert e.point.get_xdata()[0] == 40.0 and e.point.get_ydata()[0] == pytest.approx(e.result["share"])
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


# ---- TokenChainExplorer -----------------------------------------------------------------------------------
def test_token_chain_matches_token_cost():
    r = TokenChainExplorer().compute(energy=0.5, throughput=3000.0, utilisation=0.5, price=12.0,
                                     grid="germany_grid_intensity_mean_2020", pue=1.4)
    hourly = economics.capital_per_hour(economics.h100_ownership())
    ref = economics.token_cost(0.5, 3000, hourly, Q_(12, "cent/kWh"), pue=1.4,
                               intensity=sources.value("germany_grid_intensity_mean_2020"), utilisation=0.5)
    assert r["electricity"] == pytest.approx(ref.electricity.to("USD/Mtok").magnitude)
    assert r["capital"] == pytest.approx(ref.capital.to("USD/Mtok").magnitude)
    assert r["total"] == pytest.approx(ref.total.to("USD/Mtok").magnitude)
    assert r["energy_share"] == pytest.approx(ref.energy_share.magnitude)
    assert r["meter"] == pytest.approx(0.7)
    assert r["grams_here"] == pytest.approx(ref.emissions.to("gCO2e/token").magnitude * 1000)
    assert r["grid_names"][r["chosen"]] == "Germany"
    assert r["intensities"] == tuple(fact(f, "gCO2e/kWh") for _, f in GRIDS)


def test_token_chain_defaults_are_the_course_scenario():
    energy, throughput = (TokenChainExplorer.controls[n].default for n in ("energy", "throughput"))
    pue = fact(ROOFLINE_SCENARIO["pue"], "dimensionless")
    meter = scenario_energy_per_token(COURSE_ASSUMPTIONS["batch_size"][0], 250).to("J/token").magnitude
    assert energy * pue == pytest.approx(meter, rel=0.01)
    watts = fact(ROOFLINE_SCENARIO["power"], "W") * fact(ROOFLINE_SCENARIO["power_fraction"], "dimensionless")
    assert energy * throughput == pytest.approx(watts, rel=0.01)      # J/token × token/s = the power drawn


def test_token_chain_levers_move_their_own_parts():
    e = TokenChainExplorer()
    base = dict(e.values)
    r = e.result
    half = e.compute(**(base | {"utilisation": 0.5}))
    assert half["capital"] == pytest.approx(2 * r["capital"]) and half["electricity"] == pytest.approx(r["electricity"])
    assert half["grams_here"] == pytest.approx(r["grams_here"])
    dear = e.compute(**(base | {"price": 2 * base["price"]}))
    assert dear["electricity"] == pytest.approx(2 * r["electricity"]) and dear["capital"] == pytest.approx(r["capital"])
    leaky = e.compute(**(base | {"pue": 1.8}))
    assert leaky["electricity"] == pytest.approx(r["electricity"] * 1.8 / base["pue"])
    assert leaky["grams_here"] == pytest.approx(r["grams_here"] * 1.8 / base["pue"])
    france = e.compute(**(base | {"grid": "france_grid_intensity_mean_2020"}))
    assert france["total"] == pytest.approx(r["total"]) and france["grams_here"] < r["grams_here"] / 5
    np.testing.assert_allclose(france["grams"], r["grams"])          # every grid is shown either way


def test_token_chain_set_moves_the_bars_and_the_text():
    e = TokenChainExplorer()
    widths, text = [b.get_width() for b in e.usd], e.text
    e.set(throughput=10_000.0)
    assert e.usd[1].get_width() < widths[1] and e.usd[0].get_width() == pytest.approx(widths[0])
    assert e.usd_text[1].get_text() == f"{e.result['capital']:.3g}"
    e.set(grid="us_grid_intensity_patterson")
    colours = [tuple(b.get_facecolor()) for b in e.gram_bars]
    assert colours[1] != colours[0] and colours[0] == colours[2]
    assert e.text != text and "10,000 tokens/s" in e.text and "429 gCO2e/kWh" in e.text
    for number in (f"{e.result['total']:.3g}", f"{e.result['electricity']:.3g}", f"{e.result['grams_here']:.3g}"):
        assert number in e.text
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


# ---- ReboundExplorer --------------------------------------------------------------------------------------
def test_rebound_matches_the_library_and_the_formula():
    e = ReboundExplorer()
    r = e.compute(k=4.0, elasticity=1.5, share=1.0)
    assert r["energy"] == pytest.approx(4.0 ** 0.5)                  # k^(ε − 1) at s = 1
    np.testing.assert_allclose(r["curve"], 4.0 ** (ELASTICITIES - 1))
    assert r["threshold"] == pytest.approx(1.0) and r["backfire"]
    partial = e.compute(k=10.0, elasticity=0.8, share=0.3)
    ref = economics.rebound_effect(10.0, 0.8, 0.3)
    assert partial["energy"] == pytest.approx(ref.energy) and partial["demand"] == pytest.approx(ref.demand)
    assert partial["rebound"] == pytest.approx(ref.rebound_share)
    assert partial["threshold"] == pytest.approx(economics.backfire_elasticity(10.0, 0.3))


def test_rebound_shading_starts_at_the_backfire_elasticity():
    e = ReboundExplorer(k=10.0, share=1.0)
    assert e.region.get_x() == pytest.approx(1.0) and e.region.get_width() == pytest.approx(2.0)
    e.set(share=0.8)                                  # the price falls less than the energy: later backfire
    assert e.region.get_x() == pytest.approx(economics.backfire_elasticity(10.0, 0.8))
    assert e.region.get_x() > 1 and "backfire starts at ε = 1.81" in e.text
    e.set(k=2.0, share=0.2)                           # ε* ≈ 6.6: beyond the figure
    assert e.region.get_width() == 0 and "beyond the figure" in e.text
    assert np.all(e.curve.get_ydata() < 1)
    e.set(k=1.0)
    assert "no efficiency gain" in e.text and np.allclose(e.curve.get_ydata(), 1.0)
    assert e.region.get_width() == 0


def test_rebound_set_moves_the_figure_and_says_the_numbers():
    e = ReboundExplorer()
    curve, text = e.curve.get_ydata().copy(), e.text
    e.set(elasticity=0.6)
    r = e.result
    assert np.allclose(e.curve.get_ydata(), curve) and e.point.get_xdata()[0] == 0.6
    assert not r["backfire"] and e.text != text
    for number in (f"{r['demand']:.3g}×", f"{r['energy']:.3g}×", f"{r['rebound']:.0%}", "ε = 1.00"):
        assert number in e.text
    e.set(k=100.0)
    assert not np.allclose(e.curve.get_ydata(), curve)
    low, high = e.ax.get_ylim()
    assert low <= e.curve.get_ydata().min() and high >= e.curve.get_ydata().max()
    assert np.log10(low) == round(np.log10(low)) and np.log10(high) == round(np.log10(high))   # whole decades
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01
