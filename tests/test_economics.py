"""energylab.economics: cost identities, published figures reproduced, rebound, trends and uncertainty."""
import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from energylab import economics as eco
from energylab import sources
from energylab.units import u


def mag(q, unit=None):
    return np.asarray(q.to(unit).magnitude if unit else q.magnitude)


@pytest.mark.parametrize("module", [eco, eco.ownership, eco.tokens, eco.trends, eco.rebound, eco.scenarios,
                                    eco.uncertainty], ids=lambda m: m.__name__)
def test_doctests_pass(module):
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0


# --- cost of ownership ------------------------------------------------------------------------------------

def test_cost_of_ownership_identity_and_arithmetic():
    tco = eco.cost_of_ownership(40_000, 1.0, price=0.10, utilisation=1.0, pue=1.25, years=4,
                                facility_capex=10e6)
    assert mag(tco.capital, "USD/year") == pytest.approx(10_000)
    assert mag(tco.facility, "USD/year") == pytest.approx(10_000 / 4)
    assert mag(tco.energy, "kWh/year") == pytest.approx(8760 * 1.25)
    assert mag(tco.electricity, "USD/year") == pytest.approx(8760 * 1.25 * 0.10)
    assert mag(tco.total) == pytest.approx(mag(tco.capital) + mag(tco.facility) + mag(tco.electricity))
    capex_share = (mag(tco.capital) + mag(tco.facility)) / mag(tco.total)
    assert capex_share + mag(tco.energy_share) == pytest.approx(1.0)
    assert mag(tco.lifetime, "USD") == pytest.approx(4 * mag(tco.total))
    assert "electricity" in str(tco) and "MWh" in str(tco)
    chain = eco.token_cost(0.3, 1000, 1.0)
    assert "USD/Mtok" in str(chain)


def test_reproduces_energy_share_of_an_h100_five_year_tco():
    """Electricity ≈ 7–10 % of an H100's 5-year cost of ownership at 8 ¢/kWh (and the sheet's 15 ¢ and 30 ¢ rows)."""
    ranges = eco.H100_RANGES | {"facility_capex": tuple(sources.value("facility_capex_per_mw_range", "USD/MW").m)}
    central = eco.H100_CENTRAL | {"facility_capex": sources.number("facility_capex_per_mw", "USD/MW")}
    for cents, fact_id in [(8, "h100_electricity_share_tco_8c"), (15, "h100_electricity_share_tco_15c"),
                           (30, "h100_electricity_share_tco_30c")]:
        def share(cents=cents, **kw):
            return eco.cost_of_ownership(price=cents / 100, years=5, **kw).energy_share
        # The fact sheet's own estimate: 1.0 kW flat, capital and facility in their ranges.
        flat = eco.interval(share, {k: ranges[k] for k in ("capital", "facility_capex")},
                            central | {"it_power": 1.0})
        low, high = sources.value(fact_id, "dimensionless").m
        assert flat.low < high + 0.01 and flat.high > low - 0.01, (cents, flat)
        assert low - 0.01 <= flat.central <= high + 0.01
    central_8 = eco.h100_ownership(8 * u.cent / u.kWh)
    assert 0.07 <= mag(central_8.energy_share) <= 0.10


def test_aiinframap_power_share_is_the_same_order():
    power = sources.number("aiinframap_power_cost", "USD")
    acquisition = sources.number("aiinframap_acquisition_cost", "USD")
    ours = mag(eco.h100_ownership(8 * u.cent / u.kWh).energy_share)
    assert 0.5 < ours / (power / (power + acquisition)) < 2


@settings(max_examples=80, deadline=None)
@given(price=st.floats(0.01, 0.5), price2=st.floats(0.01, 0.5), util=st.floats(0.05, 1.0), util2=st.floats(0.05, 1.0),
       idle=st.floats(0.0, 1.0))
def test_energy_share_rises_with_price_and_cost_per_used_hour_falls_with_utilisation(price, price2, util, util2,
                                                                                     idle):
    lo_p, hi_p = sorted((price, price2))
    lo_u, hi_u = sorted((util, util2))
    a = eco.h100_ownership(lo_p, lo_u, idle_power=idle)
    b = eco.h100_ownership(hi_p, lo_u, idle_power=idle)
    assert mag(b.energy_share) >= mag(a.energy_share) - 1e-12
    c = eco.h100_ownership(lo_p, hi_u, idle_power=idle)
    assert mag(c.per_used_hour) <= mag(a.per_used_hour) * (1 + 1e-12)
    # Busy hours draw at least the idle power, so the energy share cannot fall as utilisation rises.
    assert mag(c.energy_share) >= mag(a.energy_share) - 1e-12


def test_energy_share_with_equal_idle_and_busy_power_does_not_depend_on_utilisation():
    a, b = (eco.h100_ownership(0.08, x, idle_power=1.0) for x in (0.2, 0.9))
    assert mag(a.energy_share) == pytest.approx(mag(b.energy_share))


def test_capital_recovery_factor():
    assert eco.capital_recovery_factor(0.0, 5) == pytest.approx(0.2)
    assert eco.capital_recovery_factor(0.08, 5) == pytest.approx(0.08 / (1 - 1.08 ** -5))
    assert eco.capital_recovery_factor(0.08, 5) > 0.2


def test_longer_facility_life_raises_the_energy_share():
    short, long = (eco.h100_ownership(0.08, facility_years=y) for y in (5, 15))
    assert mag(long.energy_share) > mag(short.energy_share)


@pytest.mark.parametrize("call, error, words", [
    (lambda: eco.cost_of_ownership(-1, 1), ValueError, "capital"),
    (lambda: eco.cost_of_ownership(1000, 1 * u.kg), TypeError, "it_power"),
    (lambda: eco.cost_of_ownership(1000, 1, utilisation=0), ValueError, "utilisation"),
    (lambda: eco.cost_of_ownership(1000, 1, utilisation=1.5), ValueError, "utilisation"),
    (lambda: eco.cost_of_ownership(1000, 1, idle_power=2), ValueError, "idle_power"),
    (lambda: eco.cost_of_ownership(1000, 1, pue=0.9), ValueError, "pue"),
    (lambda: eco.cost_of_ownership(1000, 1, price=1 * u.kWh), TypeError, "price"),
    (lambda: eco.capital_per_hour("tco"), TypeError, "Ownership"),
    (lambda: eco.cost_of_ownership(37_500, 1.0, price=8), ValueError, "8 cents is 0.08"),
    (lambda: eco.cost_of_ownership(37_500, 1000), ValueError, "1,000 W is 1.0"),
    (lambda: eco.cost_of_ownership(37_500, 1.0, facility_capex=11.7), ValueError, "11.7e6"),
    (lambda: eco.token_cost(0.3, 1000, 1.0, idle_fraction=2), ValueError, "idle_fraction"),
])
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


# --- tokens ---------------------------------------------------------------------------------------------

def test_token_cost_chain():
    c = eco.token_cost(0.5 * u.J / u.token, 2000, 1.0, price=0.08, pue=1.2, intensity=400, utilisation=0.5)
    assert mag(c.energy_per_token, "J/token") == pytest.approx(0.6)
    assert mag(c.electricity, "USD/Mtok") == pytest.approx(0.6e6 / 3.6e6 * 0.08)
    assert mag(c.capital, "USD/Mtok") == pytest.approx(1.0 / (2000 * 3600 * 0.5) * 1e6)
    assert mag(c.emissions, "gCO2e/token") == pytest.approx(0.6 / 3.6e6 * 400)
    assert mag(c.total) == pytest.approx(mag(c.electricity) + mag(c.capital))


@settings(max_examples=60, deadline=None)
@given(e1=st.floats(0.01, 10), e2=st.floats(0.01, 10), p1=st.floats(0.01, 0.5), p2=st.floats(0.01, 0.5))
def test_cost_per_mtok_is_monotone_in_energy_and_price(e1, e2, p1, p2):
    (lo_e, hi_e), (lo_p, hi_p) = sorted((e1, e2)), sorted((p1, p2))
    base = mag(eco.token_cost(lo_e, 1000, 2.0, price=lo_p).total)
    assert mag(eco.token_cost(hi_e, 1000, 2.0, price=lo_p).total) >= base
    assert mag(eco.token_cost(lo_e, 1000, 2.0, price=hi_p).total) >= base


def test_idle_hours_electricity_is_charged_to_the_tokens():
    busy_only = eco.token_cost(0.5, 1000, 1.0, pue=1.0, utilisation=0.5)
    with_idle = eco.token_cost(0.5, 1000, 1.0, pue=1.0, utilisation=0.5, idle_fraction=0.3)
    assert mag(with_idle.energy_per_token) == pytest.approx(0.5 * (1 + 0.3))
    assert mag(with_idle.capital) == pytest.approx(mag(busy_only.capital))


def test_arrays_of_cases_print():
    text = str(eco.cost_of_ownership([37_500, 40_000], 1.0))
    assert "2 cases" in text


def test_capital_per_hour_from_ownership():
    tco = eco.h100_ownership(0.08)
    assert mag(eco.capital_per_hour(tco), "USD/h") == pytest.approx(
        (mag(tco.capital) + mag(tco.facility)) / 8760)


# --- trends ---------------------------------------------------------------------------------------------

def test_reproduces_a16z_tenfold_decline_per_year():
    start = sources.value("gpt3_davinci_price_2021", "USD/Mtok")
    end = sources.value("llama32_3b_price_2024", "USD/Mtok")
    assert mag(eco.decline_per_year(start, end, 3)) == pytest.approx(sources.number("llmflation_annual_price_decline"),
                                                                      rel=0.01)


def test_fitted_decline_of_a_pure_exponential():
    years = np.array([2020, 2021, 2022, 2023])
    assert mag(eco.fitted_decline(years, 100 * 4.0 ** -(years - 2020))) == pytest.approx(4.0)


def test_api_prices_are_ordered_and_gpt4o_halved():
    prices = eco.api_prices()
    assert [p.date for p in prices] == sorted(p.date for p in prices)
    by_model = {p.model: p for p in prices}
    assert mag(by_model["GPT-4o (2024-08-06)"].input) == pytest.approx(mag(by_model["GPT-4o"].input) / 2)
    assert all(p.output is None or mag(p.output) >= mag(p.input) for p in prices)


def test_real_prices_are_lower_than_nominal_growth_suggests():
    nominal = 60 * u.USD / u.Mtok
    real = eco.to_real(nominal, 2021, 2024)
    assert mag(real) > 60
    assert mag(eco.to_real(real, 2024, 2021)) == pytest.approx(60)
    with pytest.raises(ValueError, match="year"):
        eco.to_real(nominal, 2019)


# --- rebound ---------------------------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(k=st.floats(1.01, 100), eps=st.floats(0, 5))
def test_total_energy_falls_iff_elasticity_below_one(k, eps):
    r = eco.rebound_effect(k, eps)
    if abs(eps - 1) > 1e-9:
        assert (r.energy < 1) == (eps < 1)
        assert r.backfire == (eps > 1)
    assert r.energy == pytest.approx(k ** (eps - 1))


def test_rebound_share_and_backfire_threshold():
    assert eco.rebound_effect(2, 0).rebound_share == pytest.approx(0)
    assert eco.rebound_effect(2, 1).rebound_share == pytest.approx(1)
    star = eco.backfire_elasticity(2.0, 0.3)
    assert eco.rebound_effect(2.0, star, 0.3).energy == pytest.approx(1.0)
    assert star > 1


# --- scenarios ---------------------------------------------------------------------------------------------

def test_masanet_implied_efficiency_gain():
    growth = sources.number("masanet_compute_instances_growth")
    energy = sources.number("masanet_dc_energy_2018", "TWh") / sources.number("masanet_dc_energy_2010", "TWh")
    assert eco.implied_efficiency_gain(growth, energy, 8) == pytest.approx(0.20, abs=0.01)


def test_scenario_reaches_the_iea_projection_with_its_growth_rate():
    iea = eco.iea_projection()
    rate = sources.number("iea_dc_growth_rate_2024_2030")
    s = eco.energy_scenario(iea[2024], 2024, 2030, rate, 0.0)
    assert mag(s.energy[-1], "TWh") == pytest.approx(mag(iea[2030]), rel=0.03)
    assert s.years.tolist() == list(range(2024, 2031))


# --- uncertainty -----------------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.1, 10), b=st.floats(0.1, 10), w=st.floats(0, 0.9))
def test_interval_contains_central_and_monte_carlo(a, b, w):
    def f(x, y):
        return x / y + x

    ranges = {"x": (a * (1 - w), a * (1 + w)), "y": (b * (1 - w), b * (1 + w))}
    central = {"x": a, "y": b}
    box = eco.interval(f, ranges, central)
    mc = eco.monte_carlo(f, ranges, central, n=500, seed=1)
    assert box.low <= box.central <= box.high
    assert box.low - 1e-9 <= mc.low <= mc.high <= box.high + 1e-9


def test_tornado_ranks_the_h100_inputs():
    def share(**kw):
        return eco.cost_of_ownership(years=5, **kw).energy_share
    ranges = {"price": (0.05, 0.30), "capital": (35_000, 40_000), "pue": (1.1, 1.4)}
    central = {"price": 0.08, "capital": 37_500, "pue": 1.2, "it_power": 1.0}
    bars = eco.tornado(share, ranges, central)
    assert bars[0].name == "price"
    assert all(bar.swing >= 0 for bar in bars)


def test_uncertainty_bad_input():
    with pytest.raises(ValueError, match="central"):
        eco.interval(lambda x: x, {"x": (0, 1)}, {})
    with pytest.raises(ValueError, match="outside"):
        eco.interval(lambda x: x, {"x": (0, 1)}, {"x": 2})
    with pytest.raises(TypeError, match="f must be"):
        eco.tornado(1, {"x": (0, 1)}, {"x": 0.5})
