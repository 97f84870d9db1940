"""energylab.cooling: hand-computed values, reproductions of the registry's figures (Carnot examples D5, storage
densities D13, water per kWh of heat D11, chiller COPs D6, annual PUE ranges B14/B15, Odense and Paris D15–D17),
the site model by design and climate, storage dispatch, Peltier coolers, bad inputs and determinism."""
from __future__ import annotations

import doctest
import subprocess
import sys

import numpy as np
import pytest

from energylab import cooling, sources
from energylab.cooling import climate, heat, refrigeration, reuse, site, storage, thermoelectric, water
from energylab.units import Q_, u

from helpers import fact_mag, mag

FACTS = sources.all_facts()
approx = pytest.approx
MODULES = [cooling, heat, refrigeration, climate, site, water, reuse, storage, thermoelectric]


# --- the package ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_doctests_pass(module):
    result = doctest.testmod(module)
    assert result.failed == 0
    assert result.attempted > 0


def test_import_reads_no_sources_and_is_registered():
    code = ("import energylab.cooling, energylab.sources as s, sys; "
            "assert s._facts is None, 'sources read at import'; "
            "assert 'matplotlib' not in sys.modules; import energylab; print(energylab.cooling.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "energylab.cooling"
    import energylab
    assert "cooling" in energylab.__all__


def test_public_api_is_exported_and_documented():
    for name in cooling.__all__:
        obj = getattr(cooling, name)
        if callable(obj) and not isinstance(obj, type):
            doc = obj.__doc__ or ""
            assert all(k in doc for k in ("Parameters", "Returns", "Examples")), name


def test_course_assumptions_are_documented():
    assert len(cooling.COURSE_ASSUMPTIONS) > 25
    for name, (value, reason) in cooling.COURSE_ASSUMPTIONS.items():
        assert value and len(reason) > 30, name
    for design in site.DESIGNS.values():
        assert len(design.why) > 60 and design.description


def test_functions_mark_their_facts_as_used():
    refrigeration.chiller_cop(35 * u.degC, 7 * u.degC, "air")
    keys = {ref.key for ref in sources.references().works}
    assert {"ashrae901", "ahri550_590"} <= keys


# --- heat transport ---------------------------------------------------------------------------------------------

def test_heat_equals_power():
    assert mag(heat.heat_from_power(120 * u.kW), "kW") == approx(120)
    assert mag(heat.heat_from_power([1, 2] * u.MW), "kW") == approx([1000, 2000])


def test_mass_and_volume_flow_by_hand():
    # ṁ = Q / (c_p ΔT): 120 kW, 10 K, water 4.18 kJ/(kg K) → 2.871 kg/s
    assert mag(heat.mass_flow(120 * u.kW, 10 * u.K, "water"), "kg/s") == approx(120 / (4.18 * 10))
    assert mag(heat.mass_flow(10 * u.kW, 12 * u.delta_degC, "air"), "kg/s") == approx(10 / (1.005 * 12))
    assert mag(heat.volume_flow(120 * u.kW, 12 * u.K, "air"), "m**3/s") == approx(120 / (1.21 * 12))
    assert mag(heat.volume_flow(120 * u.kW, 10 * u.K, "water"), "L/s") == approx(120e3 / (4.18e6 * 10) * 1e3)


def test_water_carries_3500_times_more_heat_per_volume():
    ratio = mag(heat.volumetric_heat_capacity("water") / heat.volumetric_heat_capacity("air"), "")
    assert ratio == approx(fact_mag("water_to_air_volumetric_heat_ratio"), rel=0.02)


def test_air_suffices_for_10_kw_but_not_for_a_gb200_rack():
    gb200 = FACTS["gb200_nvl72_rack_power"].q
    racks = heat.rack_cooling(Q_(np.array([10.0, gb200.to("kW").magnitude]), "kW"))
    assert list(racks.air_ok) == [True, False]
    v10, v120 = mag(racks.air_velocity, "m/s")
    assert v10 == approx(10 / (1.21 * 12 * 1.2), rel=1e-3)
    assert v120 / v10 == approx(12)
    assert mag(racks.fan_power_factor)[1] > 20            # fan power per kW grows as v²
    assert mag(racks.water_flow, "L/s")[1] == approx(2.87, rel=0.01)
    assert "needs liquid" in str(racks)


def test_air_limit_lands_in_the_rule_of_thumb():
    """The air limit sits a little above the racks most operators ran in 2023 (the industry's 20–30 kW/rack
    rule of thumb), and far below a liquid-cooled AI rack."""
    limit = mag(heat.max_air_cooled_rack_power(), "kW")
    assert 20 <= limit <= 30
    assert fact_mag("uptime_rack_density_threshold_2023") < limit < fact_mag("gb200_nvl72_rack_power") / 4
    value, reason = heat.HEAT_ASSUMPTIONS["max_air_velocity"]
    assert value.startswith(f"{heat.MAX_AIR_VELOCITY:g} m/s") and "Uptime Institute 2023" in reason
    assert mag(heat.max_air_cooled_rack_power(delta_t_air=24), "kW") == approx(2 * limit)


# --- refrigeration ----------------------------------------------------------------------------------------------

def test_carnot_examples_reproduce_the_registry():
    """D5: 298 K / 10 K ≈ 30; 291 K / 22 K ≈ 13."""
    assert mag(refrigeration.carnot_cop_cooling(298, 308)) == approx(fact_mag("carnot_cop_298k_10k_lift"), rel=0.01)
    assert mag(refrigeration.carnot_cop_cooling(291 * u.K, 313 * u.K)) == approx(fact_mag("carnot_cop_291k_22k_lift"),
                                                                                rel=0.02)


def test_carnot_converts_celsius_and_fahrenheit():
    assert mag(refrigeration.carnot_cop_cooling(25 * u.degC, 35 * u.degC)) == approx(298.15 / 10)
    assert mag(refrigeration.carnot_cop_cooling(77 * u.degF, 95 * u.degF)) == approx(298.15 / 10, rel=1e-6)
    assert mag(refrigeration.carnot_cop_heating(28 * u.degC, 65 * u.degC)) == approx(338.15 / 37)
    cooling = mag(refrigeration.carnot_cop_cooling(280, 300))
    assert mag(refrigeration.carnot_cop_heating(280, 300)) == approx(1 + cooling)


def test_chiller_reproduces_rated_cops_at_rating_conditions():
    """At AHRI 550/590 conditions the model gives the registry's rated COP range (D6)."""
    chw = 44 * u.degF
    # the tower approach (4 K) turns this wet-bulb into the rated 85 °F condenser water
    cases = (("water", 85 * u.degF, {"wet_bulb": (85 * u.degF).to("K") - 4 * u.K}), ("air", 95 * u.degF, {}))
    for kind, outdoor, kwargs in cases:
        low, high = fact_mag(f"chiller_cop_{kind}_cooled")
        eta_low, eta_high = mag(refrigeration.chiller_efficiency_fraction(kind, "range"))
        cop_low = mag(refrigeration.chiller_cop(outdoor, chw, kind, carnot_fraction=eta_low, **kwargs))
        cop_high = mag(refrigeration.chiller_cop(outdoor, chw, kind, carnot_fraction=eta_high, **kwargs))
        central = mag(refrigeration.chiller_cop(outdoor, chw, kind, **kwargs))
        assert [cop_low, cop_high] == approx([low, high], rel=1e-6)
        assert central == approx((low + high) / 2, rel=1e-6)


def test_chiller_efficiency_fractions_are_plausible():
    water_eta = mag(refrigeration.chiller_efficiency_fraction("water"))
    air_eta = mag(refrigeration.chiller_efficiency_fraction("air"))
    assert 0.5 < air_eta < water_eta < 0.9


def test_the_two_temperature_bases_of_eta():
    """On the fluids' temperatures the rated COPs are "a third to a half of Carnot" (the registry's note); on the
    refrigerant's (larger lift, the chiller model's basis) the same COPs are larger fractions."""
    assert "a third to a half" in FACTS["chiller_cop_water_cooled"].note
    for kind in refrigeration.CHILLER_KINDS:
        rated = fact_mag(f"chiller_cop_{kind}_cooled")
        fluids = mag(refrigeration.chiller_efficiency_fraction(kind, "range", basis="fluids"))
        refrigerant = mag(refrigeration.chiller_efficiency_fraction(kind, "range"))
        assert np.all(fluids < refrigerant)
        assert 0.25 < fluids.min() and fluids.max() < 0.6
        for basis, eta in (("fluids", fluids), ("refrigerant", refrigerant)):
            t_cold, t_hot = refrigeration.rating_temperatures(kind, basis)
            assert eta == approx(rated / mag(refrigeration.carnot_cop_cooling(t_cold, t_hot)))
    chw, cond = (mag(t, "degC") for t in refrigeration.rating_temperatures("water", "fluids"))
    evap, condensing = (mag(t, "degC") for t in refrigeration.rating_temperatures("water"))
    approaches = refrigeration.DEFAULT_APPROACHES
    assert (chw - evap, condensing - cond) == approx((approaches["evaporator"], approaches["condenser_water"]))
    with pytest.raises(ValueError, match="basis"):
        refrigeration.chiller_efficiency_fraction("water", basis="water")


def test_chiller_cop_falls_with_outdoor_temperature_and_rises_with_setpoint():
    hot = mag(refrigeration.chiller_cop([20, 30, 40] * u.degC, 7 * u.degC, "air"))
    assert np.all(np.diff(hot) < 0)
    warm_water = mag(refrigeration.chiller_cop(35 * u.degC, [7, 12, 18] * u.degC, "air"))
    assert np.all(np.diff(warm_water) > 0)


def test_min_condensing_caps_cold_weather_cop():
    cold = mag(refrigeration.chiller_cop([-10, 0, 5] * u.degC, 7 * u.degC, "air"))
    assert cold == approx([cold[0]] * 3)


def test_approach_temperatures_are_one_course_assumption_each():
    """The dry cooler's and the economiser's approaches: one constant each, used by the site model's designs and the
    free-cooling functions' defaults, and printed as course assumptions."""
    approaches = refrigeration.DEFAULT_APPROACHES
    for design in site.DESIGNS.values():
        assert design.dry_cooler_approach == approaches["dry_cooler"]
        assert design.hx_approach == approaches["economiser_hx"]
        assert design.tower_approach == approaches["tower"]
    sink = [10, 16, 19] * u.degC
    assert mag(refrigeration.economiser_fraction(sink, 18 * u.degC)) == approx(
        mag(refrigeration.economiser_fraction(sink, 18 * u.degC, approach=approaches["economiser_hx"] * u.K)))
    for key, name in (("dry_cooler_approach", "dry_cooler"), ("economiser_approach", "economiser_hx")):
        value, _ = cooling.COURSE_ASSUMPTIONS[f"refrigeration.{key}"]
        assert value.startswith(f"{approaches[name]:g} K")


def test_economiser_fraction_by_hand():
    # supply 18 °C, return 24 °C, approach 2 K: free below 16 °C, none above 22 °C, linear between
    fractions = mag(refrigeration.economiser_fraction([10, 16, 19, 22, 30] * u.degC, 18 * u.degC))
    assert fractions == approx([1, 1, 0.5, 0, 0])
    fc = refrigeration.free_cooling_hours([10, 16, 19, 22, 30] * u.degC, 18 * u.degC)
    assert (fc.full_hours, fc.partial_hours) == (2, 1)
    assert fc.equivalent_hours == approx(2.5)


# --- climate ------------------------------------------------------------------------------------------------------

def test_stull_example_and_accuracy_against_psychrometry():
    """Stull's own example (20 °C, 50 % → 13.7 °C) and the registry's error range (−1 to +0.65 K)."""
    assert mag(climate.wet_bulb_temperature(20 * u.degC, 0.5), "degC") == approx(13.7, abs=0.05)

    def es(t):  # Magnus saturation vapour pressure, hPa
        return 6.112 * np.exp(17.62 * t / (243.12 + t))

    def psychrometric(t, rh, p=1013.25):  # e = e_s(T_w) − γ·p·(T − T_w), bisection
        e, lo, hi = rh / 100 * es(t), -40.0, t
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            lo, hi = (lo, mid) if es(mid) - 6.62e-4 * p * (t - mid) > e else (mid, hi)
        return 0.5 * (lo + hi)

    t, rh = np.meshgrid(np.arange(0.0, 46.0, 5.0), [10.0, 20.0, 35.0, 50.0, 65.0, 80.0, 95.0])
    stull = mag(climate.wet_bulb_temperature(Q_(t, "degC"), rh / 100), "degC")
    error = stull - np.vectorize(psychrometric)(t, rh)
    low, high = fact_mag("stull_wet_bulb_error_range", "K")
    slack = 0.25      # the reference psychrometric model is itself approximate
    assert error.min() >= low - slack and error.max() <= high + slack
    assert np.abs(error).mean() < 0.4


def test_wet_bulb_is_below_dry_bulb_and_equal_at_saturation():
    t = [5, 20, 35] * u.degC
    assert np.all(mag(climate.wet_bulb_temperature(t, 0.3), "degC") < [5, 20, 35])
    assert mag(climate.wet_bulb_temperature(t, 0.99), "degC") == approx([5, 20, 35], abs=0.4)


def test_synthetic_climates_resemble_their_specs():
    for name, spec in climate.CLIMATES.items():
        year = climate.synthetic_climate(name, seed=3)
        temp = mag(year.temperature, "degC")
        assert temp.shape == (8760,)
        assert temp.mean() == approx(spec.mean, abs=1.0), name
        july, january = temp[181 * 24:212 * 24].mean(), temp[:31 * 24].mean()
        assert july - january == approx(2 * spec.annual_amplitude, abs=2.5), name
        afternoon = temp.reshape(365, 24)[:, 15].mean() - temp.reshape(365, 24)[:, 3].mean()
        assert afternoon == approx(2 * spec.daily_amplitude, abs=0.6), name
        rh = mag(year.relative_humidity, "percent")
        assert 5 <= rh.min() and rh.max() <= 99
        assert np.all(mag(year.wet_bulb, "degC") <= temp + 1e-9)
    dry = climate.synthetic_climate("hot-dry")
    humid = climate.synthetic_climate("hot-humid")
    depression = lambda c: (mag(c.temperature, "degC") - mag(c.wet_bulb, "degC")).mean()  # noqa: E731
    assert depression(dry) > 3 * depression(humid)


def test_ar1_noise_is_stationary_with_the_right_persistence():
    rng = np.random.default_rng(0)
    x = climate._ar1(rng, 200_000, 3.0, 36.0)
    assert x.std() == approx(3.0, rel=0.05)
    lag1 = np.corrcoef(x[:-1], x[1:])[0, 1]
    assert lag1 == approx(np.exp(-1 / 36), abs=0.005)


def test_climate_is_deterministic_per_seed():
    a, b, c = (climate.synthetic_climate("temperate", seed=s) for s in (5, 5, 6))
    assert np.array_equal(mag(a.temperature), mag(b.temperature))
    assert not np.array_equal(mag(a.temperature), mag(c.temperature))
    assert "temperate climate (seed 5)" in str(a)


# --- the site model ---------------------------------------------------------------------------------------------

WELL_DESIGNED = ("water_chiller_economiser", "evaporative", "direct_liquid")


@pytest.mark.parametrize("design", WELL_DESIGNED)
def test_well_designed_site_in_a_cool_climate_is_near_hyperscale(design):
    """≈1.1 in a cool climate (Google fleet 1.10, B15)."""
    google = fact_mag("google_fleet_pue")
    for name in ("cold", "temperate"):
        pue = mag(site.simulate_site(name, design, seed=0).pue)
        assert abs(pue - google) <= 0.05, (design, name, pue)


@pytest.mark.parametrize("climate_name", ["temperate", "hot-dry", "hot-humid"])
def test_air_and_chillers_land_at_the_industry_average(climate_name):
    """≈1.5–1.6 for air + chillers in a temperate or hot climate (Uptime 1.56–1.58, B14)."""
    uptime = fact_mag("uptime_average_pue_2024")
    pue = mag(site.simulate_site(climate_name, "air_chiller", seed=0).pue)
    assert 1.45 <= pue <= 1.75
    assert abs(pue - uptime) <= 0.12


@pytest.mark.parametrize("climate_name", ["hot-dry", "hot-humid"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_poor_legacy_design_in_a_hot_climate_exceeds_two(climate_name, seed):
    result = site.simulate_site(climate_name, "legacy_air_chiller", seed=seed)
    assert mag(result.pue) > 2.0
    # … and then cooling is ≈40 % of the total, the article's claim 18 (fact article_cooling_share)
    assert mag(result.cooling_share) == approx(fact_mag("article_cooling_share", "dimensionless"), abs=0.05)


def test_low_setpoint_costs_energy_but_less_than_the_legacy_package():
    warm = mag(site.simulate_site("hot-humid", "air_chiller", setpoint=24 * u.degC).pue)
    default = mag(site.simulate_site("hot-humid", "air_chiller").pue)
    cold = mag(site.simulate_site("hot-humid", "air_chiller", setpoint=14 * u.degC).pue)
    legacy = mag(site.simulate_site("hot-humid", "legacy_air_chiller").pue)
    assert warm < default < cold < legacy
    assert cold - default < legacy - cold


def test_designs_rank_as_expected_in_every_climate():
    table = site.compare_designs(seed=0)
    pue = dict(zip(table.designs, table.pue))
    assert np.all(pue["legacy_air_chiller"] > pue["air_chiller"])
    for name in WELL_DESIGNED:
        assert np.all(pue[name] < pue["air_chiller"]), name
    assert "PUE" in str(table) and "hot-humid" in str(table)


def test_evaporative_cooling_fails_in_the_humid_tropics():
    humid = site.simulate_site("hot-humid", "evaporative")
    dry = site.simulate_site("hot-dry", "evaporative")
    assert mag(humid.pue) > mag(dry.pue) + 0.1
    assert mag(dry.wue, "L/kWh") > mag(humid.wue, "L/kWh")


def test_water_use_by_design():
    for name in ("air_chiller", "direct_liquid", "legacy_air_chiller"):
        assert mag(site.simulate_site("hot-dry", name).water).sum() == 0, name
    tower = site.simulate_site("temperate", "water_chiller_economiser")
    # a wet tower evaporates ≈1.48 L per kWh of heat it rejects (never more than the facility's power), and that
    # is 80 % of the water drawn
    bound = mag(tower.facility_power, "kW") * mag(water.evaporation_intensity(), "L/kWh") / 0.8
    assert np.all(mag(tower.water, "L") <= bound)
    # consumption (evaporated) is the withdrawal less blowdown; Li et al.'s 1–9 L/kWh (B19) is consumption
    share = fact_mag("li_evaporated_fraction", "dimensionless")
    assert mag(tower.water_consumed, "L") == approx(share * mag(tower.water, "L"))
    assert mag(tower.wue_consumption, "L/kWh") == approx(share * mag(tower.wue, "L/kWh"))
    assert mag(tower.water_consumed_total, "m**3") == approx(share * mag(tower.water_total, "m**3"))
    low, high = fact_mag("li_onsite_wue_range", "L/kWh")
    assert low <= mag(tower.wue_consumption, "L/kWh") <= min(high, 2.5)


def test_evaporative_pads_on_hot_dry_afternoons_exceed_the_latent_heat_figure():
    """Pre-cooling hot, dry outside air evaporates more than 1.5 L per kWh of IT heat: the physics behind
    on-site WUEs above the latent-heat figure in Arizona summers (facts.md, "Where sources disagree")."""
    r = site.simulate_site("hot-dry", "evaporative")
    per_kwh = mag(r.water, "L") / mag(r.it_power, "kW")
    assert per_kwh.max() > fact_mag("water_evaporated_per_kwh_heat", "L/kWh")
    assert mag(r.wue, "L/kWh") < fact_mag("water_evaporated_per_kwh_heat", "L/kWh")


def test_site_result_fields_and_totals():
    r = site.simulate_site("temperate", "water_chiller_economiser", it_load=2 * u.MW, seed=4)
    assert r.it_power.shape == (8760,) and r.pue_hourly.shape == (8760,)
    assert mag(r.it_energy, "MWh") == approx(2 * 8760)
    total = mag(r.it_power, "kW") + mag(r.cooling_power, "kW") + mag(r.fan_power, "kW") + \
        mag(r.distribution_power, "kW")
    assert total == approx(mag(r.facility_power, "kW"))
    assert mag(r.pue) == approx(mag(r.facility_energy, "MWh") / mag(r.it_energy, "MWh"))
    assert mag(r.wue, "L/kWh") == approx(mag(r.water_total, "L") / mag(r.it_energy, "kWh"))
    assert 0 < r.free_cooling_hours < 8760
    assert np.all((mag(r.free_cooling) >= 0) & (mag(r.free_cooling) <= 1))
    assert "PUE" in r.summary() and "water_chiller_economiser" in str(r)
    assert mag(r.setpoint, "degC") == approx(24)
    daily = r.daily()
    assert daily.days[0] == 1 and daily.days[-1] == 365 and daily.pue.shape == (365,)
    day_one = slice(0, 24)
    first_day_pue = mag(r.facility_power, "kW")[day_one].sum() / mag(r.it_power, "kW")[day_one].sum()
    assert mag(daily.pue)[0] == approx(first_day_pue)
    assert mag(daily.outdoor, "degC")[0] == approx(mag(r.outdoor, "degC")[day_one].mean())
    assert mag(daily.wue, "L/kWh") @ np.full(365, 1 / 365) == approx(mag(r.wue, "L/kWh"))   # flat IT load


def test_custom_design_and_climate():
    design = site.DESIGNS["air_chiller"].replace(economiser=True, chiller_kind="water",
                                                 kind="water_chiller_economiser", name="retrofit")
    arctic = climate.CLIMATES["cold"].replace(mean=-5.0, name="arctic")
    retrofit = site.simulate_site(arctic, design)
    assert retrofit.climate == "arctic" and retrofit.design.name == "retrofit"
    assert mag(retrofit.pue) < mag(site.simulate_site(arctic, "air_chiller").pue)


def test_part_load_raises_pue_through_fixed_losses():
    full = site.simulate_site("temperate", "air_chiller", it_load=1 * u.MW)
    half = site.simulate_site("temperate", "air_chiller", it_load=0.5 * u.MW, capacity=1 * u.MW)
    assert mag(half.pue) > mag(full.pue) + 0.1


def test_it_load_profiles():
    flat = site.it_load_profile(1 * u.MW)
    assert mag(flat, "kW") == approx(np.full(8760, 1000.0))
    daily = site.it_load_profile(1 * u.MW, "diurnal", mean_utilisation=0.6, daily_swing=0.3, seed=2)
    hourly = mag(daily, "kW").reshape(365, 24).mean(axis=0)
    assert hourly.argmax() == 20 and hourly.argmin() == 8
    r = site.simulate_site("temperate", "direct_liquid", it_load=daily)
    assert mag(r.pue) > mag(site.simulate_site("temperate", "direct_liquid").pue)


def test_site_is_deterministic_per_seed():
    a = site.simulate_site("hot-dry", "evaporative", seed=11)
    b = site.simulate_site("hot-dry", "evaporative", seed=11)
    c = site.simulate_site("hot-dry", "evaporative", seed=12)
    for field in ("outdoor", "facility_power", "water", "pue_hourly"):
        assert np.array_equal(mag(getattr(a, field)), mag(getattr(b, field))), field
    assert not np.array_equal(mag(a.outdoor), mag(c.outdoor))
    assert mag(a.pue) == approx(mag(c.pue), abs=0.02)        # a different year, nearly the same annual PUE


# --- water ------------------------------------------------------------------------------------------------------

def test_water_per_kwh_of_heat_reproduces_the_registry():
    """D11: 3.6 MJ / 2.43 MJ/kg ≈ 1.5 L per kWh of heat."""
    assert mag(water.evaporation_intensity(), "L/kWh") == approx(fact_mag("water_evaporated_per_kwh_heat", "L/kWh"),
                                                                 rel=0.02)
    at_100c = mag(water.evaporation_intensity(FACTS["water_latent_heat_100c"].q), "L/kWh")
    assert at_100c == approx(3600 / 2257)
    assert mag(water.water_evaporated(10 * u.MWh), "L") == approx(10_000 * 3600 / 2430)
    assert mag(water.water_withdrawn(800 * u.L), "L") == approx(1000)
    assert mag(water.water_withdrawn(800, 0.5), "L") == approx(1600)


def test_onsite_wue():
    r = site.simulate_site("hot-dry", "evaporative")
    assert mag(water.onsite_wue(r), "L/kWh") == approx(mag(r.wue, "L/kWh"))
    assert mag(water.onsite_wue(5 * u.m**3, 10 * u.MWh), "L/kWh") == approx(0.5)


@pytest.mark.parametrize("climate_name", ["temperate", "hot-dry"])
def test_energy_water_tradeoff(climate_name):
    t = water.energy_water_tradeoff(climate_name, "water_chiller_economiser")
    assert mag(t.dry.wue) == 0 and mag(t.wet.wue) > 1
    assert mag(t.extra_energy, "MWh") > 0                      # dry costs electricity
    expected_offsite = mag(t.extra_energy, "kWh") * fact_mag("macknick_water_intensity", "L/kWh") / 1000
    assert mag(t.offsite_water_added, "m**3") == approx(expected_offsite, rel=1e-6)
    assert mag(t.net_water_saved, "m**3") == approx(mag(t.onsite_water_saved - t.offsite_water_added, "m**3"))
    assert mag(t.net_water_saved, "m**3") > 0
    assert "going dry saves" in str(t)
    # like with like: on-site consumption (evaporated) against off-site consumption ...
    assert mag(t.onsite_water_saved, "m**3") == approx(mag(t.wet.water_consumed_total, "m**3"))
    # ... and on-site withdrawal against off-site withdrawal, for contrast
    assert mag(t.onsite_withdrawal_saved, "m**3") == approx(mag(t.wet.water_total, "m**3"))
    expected_withdrawal = mag(t.extra_energy, "kWh") * fact_mag("us_electricity_water_withdrawal", "L/kWh") / 1000
    assert mag(t.offsite_withdrawal_added, "m**3") == approx(expected_withdrawal, rel=1e-6)
    assert mag(t.net_withdrawal_saved, "m**3") == approx(
        mag(t.onsite_withdrawal_saved - t.offsite_withdrawal_added, "m**3"))


def test_hotter_climates_make_going_dry_cost_more_energy():
    temperate = water.energy_water_tradeoff("temperate")
    hot = water.energy_water_tradeoff("hot-dry")
    assert mag(hot.extra_energy) > mag(temperate.extra_energy)
    assert mag(hot.water_per_energy) < mag(temperate.water_per_energy)


def test_dry_variant_and_waterless_designs():
    assert water.dry_variant("evaporative").evaporative_pads is False
    assert water.dry_variant("water_chiller_economiser").chiller_kind == "air"
    assert water.dry_variant("air_chiller") == site.DESIGNS["air_chiller"]
    with pytest.raises(ValueError, match="uses no water"):
        water.energy_water_tradeoff("temperate", "direct_liquid")


# --- heat reuse -------------------------------------------------------------------------------------------------

def test_heat_per_home_from_odense():
    per_home = mag(reuse.heat_per_home(), "MWh/yr")
    assert per_home == approx(100_000 / 6_900)
    assert per_home == approx(fact_mag("meta_odense_heat_per_home", "MWh/yr"), rel=1e-3)
    assert mag(reuse.homes_heated(FACTS["meta_odense_heat_recovered"].q)) == approx(6900)
    assert mag(reuse.homes_heated(100_000 * u.MWh)) == approx(6900)       # an energy is read as per year


def test_heat_pump_energy_balance_and_cop():
    hp = reuse.heat_pump(5 * u.MW, 28 * u.degC, 65 * u.degC)
    cop = mag(hp.cop)
    assert cop == approx(0.5 * 338.15 / 37)
    assert mag(hp.delivered, "MW") == approx(5 + mag(hp.electricity, "MW"))
    assert mag(hp.delivered / hp.electricity, "") == approx(cop)
    assert mag(reuse.heat_pump_cop(45 * u.degC, 65 * u.degC)) > cop     # liquid cooling's warmer heat lifts easier


def test_equinix_pa10_and_odense_checks():
    """PA10's 10,000 MWh at Odense's 14.5 MWh per home is ≈690 homes, between the 600 connected and the
    1,000 'equivalent'; Odense's later figures imply 9–18 MWh per home."""
    table = reuse.reuse_case_studies()
    by = {(c.site, c.source.split()[0]): c for c in table.cases}
    pa10 = mag(by[("Paris PA10", "Equinix")].homes_at_odense_demand)
    assert fact_mag("equinix_pa10_homes_connected") < pa10 < fact_mag("equinix_pa10_homes_equivalent")
    implied = [mag(c.heat_per_home, "MWh/yr") for c in table.cases]
    assert min(implied) == approx(100_000 / 11_000) and max(implied) == approx(215_000 / 12_000)
    assert table.capacity_factors["Odense 2020"] == approx(100_000 / (25 * 8760))
    assert table.capacity_factors["PA10"] == approx(10_000 / (6.6 * 8760))
    assert "Odense" in str(table) and all(c.note for c in table.cases)


def test_pa10_heat_from_its_own_figures():
    """6.6 MW of heat at full capacity ≈ 57,800 MWh/yr; the 10,000 MWh/yr exported is ≈17 % of it."""
    assert 0.1 < reuse.reuse_case_studies().capacity_factors["PA10"] < 0.25
    hp = reuse.heat_pump(FACTS["equinix_pa10_annual_heat"].q, FACTS["equinix_pa10_heat_capture_temperature"].q,
                         FACTS["equinix_pa10_heat_delivery_temperature"].q)
    assert mag(hp.delivered, "MWh/yr") > 10_000


def test_homes_per_megawatt():
    """Homes = captured (recovered) heat ÷ Odense's recovered heat per home: liquid (cold plates 80 %, plus 80 % of
    the air-borne 20 %: 96 % captured) beats air (80 %)."""
    liquid = mag(reuse.homes_per_mw(1 * u.MW, "liquid"))
    air = mag(reuse.homes_per_mw(1 * u.MW, "air"))
    per_home = mag(reuse.heat_per_home(), "MWh/yr")
    assert liquid == approx(0.96 * 8760 / per_home) and air == approx(0.8 * 8760 / per_home)
    assert liquid > air
    assert round(float(liquid)) == 580 and round(float(air)) == 484
    assert mag(reuse.homes_per_mw(2 * u.MW)) == approx(2 * liquid)
    assert mag(reuse.homes_per_mw(heat_used_share=0.46)) == approx(0.46 * liquid)
    # the heat pump's settings change its electricity, never the count
    assert mag(reuse.homes_per_mw(1 * u.MW, "air", t_delivery=80 * u.degC, carnot_fraction=0.3)) == approx(air)
    avail = reuse.heat_available(1 * u.MW, "air")
    assert mag(avail.power, "kW") == approx(800) and mag(avail.temperature, "degC") == approx(28)


def test_one_cold_plate_share_serves_the_site_model_and_heat_reuse():
    share = heat.COLD_PLATE_SHARE
    assert site.DESIGNS["direct_liquid"].liquid_fraction == share
    assert f"{share * 100:g} %" in site.DESIGNS["direct_liquid"].description
    liquid = reuse.heat_available(1 * u.MW, "liquid")
    (plates, t_plates), (rest, t_rest) = liquid.streams
    air_share, air_t = reuse.AIR_CAPTURE
    assert mag(plates, "kW") == approx(1000 * share) and mag(t_plates, "degC") == approx(45)
    assert mag(rest, "kW") == approx(1000 * (1 - share) * air_share) and mag(t_rest, "degC") == approx(air_t)
    assert mag(liquid.power, "kW") == approx(mag(plates + rest, "kW"))
    assert 28 < mag(liquid.temperature, "degC") < 45
    one = reuse.heat_available(1 * u.MW, "liquid", capture_fraction=0.5)
    assert len(one.streams) == 1 and mag(one.power, "kW") == approx(500) and mag(one.temperature, "degC") == 45
    value, reason = cooling.COURSE_ASSUMPTIONS["reuse.capture_liquid"]
    assert f"{share * 100:g} % from the cold plates" in value and "heat.cold_plate_share" in reason


def test_heat_reuse_reports_heat_pump_electricity_separately():
    for kind in ("liquid", "air"):
        r = reuse.heat_reuse(1 * u.MW, kind)
        assert mag(r.homes) == approx(mag(reuse.homes_heated(r.captured)))
        assert mag(r.delivered, "MWh/yr") == approx(mag(r.captured + r.heat_pump_electricity, "MWh/yr"))
        assert mag(r.delivered / r.heat_pump_electricity, "") == approx(mag(r.heat_pump_cop))
        assert "homes" in str(r)
    liquid, air = reuse.heat_reuse(1 * u.MW, "liquid"), reuse.heat_reuse(1 * u.MW, "air")
    # warmer heat lifts more easily: less heat-pump electricity although more heat is captured
    assert mag(liquid.heat_pump_electricity, "MWh/yr") < mag(air.heat_pump_electricity, "MWh/yr")
    # each stream is lifted with its own COP
    t_hot = FACTS["equinix_pa10_heat_delivery_temperature"].q
    by_stream = sum(mag(reuse.heat_pump(q, t, t_hot).electricity, "MWh/yr") for q, t in liquid.streams)
    assert mag(liquid.heat_pump_electricity, "MWh/yr") == approx(by_stream)
    assert sum(mag(q, "MWh/yr") for q, _ in liquid.streams) == approx(mag(liquid.captured, "MWh/yr"))
    assert "at 45 °C" in str(liquid) and "at 28 °C" in str(liquid)
    half = reuse.heat_reuse(1 * u.MW, "liquid", heat_used_share=0.5)
    assert mag(half.captured, "MWh/yr") == approx(0.5 * mag(liquid.captured, "MWh/yr"))


def test_reuse_case_studies_use_the_recovered_heat_boundary():
    table = reuse.reuse_case_studies()
    per_home = mag(reuse.heat_per_home(), "MWh/yr")
    for c in table.cases:
        assert mag(c.homes_at_odense_demand) == approx(mag(c.annual_heat, "MWh/yr") / per_home)
    meta = table.cases[0]
    assert mag(meta.homes_at_odense_demand) == approx(fact_mag("meta_odense_homes_heated"))


# --- chilled-water storage --------------------------------------------------------------------------------------

def test_storage_densities_reproduce_the_registry():
    """D13: chilled water at ΔT = 10 K ≈ 11.6 kWh/m³; ice ≈ 92.8 kWh/t."""
    assert mag(storage.tank_capacity(1 * u.m**3, 10 * u.K), "kWh") == approx(
        fact_mag("chilled_water_storage_density", "kWh/m**3"), rel=0.005)
    assert mag(storage.ice_mass(FACTS["ice_storage_density"].q * u.t), "t") == approx(1, rel=0.005)
    assert mag(storage.tank_volume(storage.tank_capacity(500, 7), 7), "m**3") == approx(500)
    assert mag(storage.tank_capacity(100, 5 * u.delta_degC), "kWh") == approx(100 * 4180 * 5 / 3600)


@pytest.mark.parametrize("region", ["germany", "gb", "france"])
def test_carbon_profiles_follow_the_registry_statistics(region):
    ci = mag(storage.carbon_intensity_profile(region, seed=0), "gCO2e/kWh")
    low, high = fact_mag(f"{region}_grid_intensity_range_2020", "gCO2e/kWh")
    assert ci.mean() == approx(fact_mag(f"{region}_grid_intensity_mean_2020", "gCO2e/kWh"), rel=0.02)
    assert low <= ci.min() and ci.max() <= high
    days = ci.reshape(365, 24)
    ratio = np.median(days.max(axis=1) / days.min(axis=1))
    assert ratio == approx(fact_mag(f"{region}_grid_daily_max_min_ratio_2020"), rel=0.15)


def test_german_profile_is_lowest_at_midday_and_highest_in_the_evening():
    profile = mag(storage.carbon_intensity_profile("germany"), "gCO2e/kWh").reshape(365, 24).mean(axis=0)
    assert profile.argmin() == 11 and profile.argmax() == 18


def test_california_profile_spans_the_time_of_day_range():
    ci = mag(storage.carbon_intensity_profile("california"), "gCO2e/kWh")
    low, high = fact_mag("california_grid_intensity_time_of_day_range", "gCO2e/kWh")
    assert low <= ci.min() < 1.3 * low and 0.8 * high < ci.max() <= high
    by_hour = ci.reshape(365, 24).mean(axis=0)
    assert by_hour.argmin() in (12, 13, 14) and by_hour.argmax() in (19, 20)


def test_price_profile():
    price = mag(storage.price_profile("germany", seed=1), "USD/kWh")
    assert price.mean() == approx(fact_mag("us_industrial_electricity_price_2023", "USD/kWh"))
    days = price.reshape(365, 24).mean(axis=0)
    assert days.max() / days.min() == approx(2.0, rel=0.1)
    assert np.all(price > 0)
    custom = mag(storage.price_profile(mean_price=0.2, peak_to_offpeak=1.0), "USD/kWh")
    assert custom.mean() == approx(0.2) and custom.std() / custom.mean() < 0.2


def test_dispatch_by_hand_on_two_days():
    price = np.tile(np.r_[np.full(12, 0.05), np.full(12, 0.20)], 2)
    r = storage.dispatch_storage(100e3, 4.0, price, capacity=300, standing_loss=0, charge_loss=0)
    # cheap hours charge up to the 20 kW of chiller headroom; dear hours discharge up to the 100 kW load
    assert mag(r.charged, "kWh") == approx(mag(r.discharged, "kWh") + mag(r.stored_at_end, "kWh"))
    assert mag(r.discharged, "kWh") == approx(2 * 240)          # 12 h × 20 kW each day, limited by headroom
    assert mag(r.cost_saved, "USD") == approx(480 / 4 * (0.20 - 0.05))
    assert mag(r.balance_error, "kWh") == approx(0, abs=1e-9)
    assert mag(r.cold_made, "kW") == approx(100 - mag(r.discharge, "kW") + mag(r.charge, "kW"))
    assert mag(r.electricity_after_total, "kWh") == approx(mag(r.cold_made, "kW").sum() / 4.0)
    assert mag(r.extra_electricity, "kWh") == approx(mag(r.electricity_after_total - r.electricity_before_total))


def test_dispatch_site_load_saves_cost_and_carbon_and_balances():
    s = site.simulate_site("hot-dry", "air_chiller")
    tank = storage.tank_capacity(500 * u.m**3)
    by_cost = storage.site_storage(s, tank, region="germany", objective="cost")
    by_carbon = storage.site_storage(s, tank, region="germany", objective="carbon")
    for r in (by_cost, by_carbon):
        assert mag(r.charged) == approx(mag(r.discharged) + mag(r.lost) + mag(r.stored_at_end), rel=1e-9)
        assert mag(r.cost_saved) > 0 and mag(r.carbon_saved) > 0
        assert np.all(mag(r.state) <= mag(r.capacity) + 1e-9) and np.all(mag(r.state) >= -1e-9)
        assert r.cycles > 100
        assert "cost saved" in str(r)
    assert mag(by_cost.cost_saved) >= mag(by_carbon.cost_saved)
    assert mag(by_carbon.carbon_saved) >= mag(by_cost.carbon_saved)


def test_dispatch_does_nothing_without_a_spread():
    r = storage.dispatch_storage(500e3, 4.0, np.full(48, 0.1), np.full(48, 300.0), capacity=1000)
    assert mag(r.charged) == 0 and mag(r.cost_saved) == 0


# --- thermoelectric -----------------------------------------------------------------------------------------------

def test_peltier_cop_formula_by_hand():
    tc, th, zt = 288.15, 308.15, 1.0
    m = np.sqrt(1 + zt)
    expected = tc / (th - tc) * (m - th / tc) / (m + 1)
    assert mag(thermoelectric.peltier_cop_max(tc, th)) == approx(expected)
    assert mag(thermoelectric.peltier_cop_max(15 * u.degC, 35 * u.degC, zt=1)) == approx(expected)
    # beyond the largest ΔT the module cannot hold the difference
    dt_max = mag(thermoelectric.peltier_max_delta_t(th), "K")
    assert dt_max == approx(th * (1 - 1 / m))
    assert mag(thermoelectric.peltier_cop_max(th - dt_max - 1, th)) == 0


def test_peltier_tends_to_carnot_at_huge_zt():
    assert mag(thermoelectric.peltier_cop_max(290, 300, zt=1e8)) == approx(29.0, rel=0.01)


def test_peltier_practical_range_and_gap_to_compressors():
    """Real modules reach 0.3–0.7 at ΔT 20–40 K (D9); a compressor between the same fluid temperatures, with its
    refrigerant a few kelvin beyond each fluid, needs ≈3× less electricity than even an ideal ZT = 1 module."""
    th = 35 * u.degC
    practical = [mag(thermoelectric.spot_cooling(1, th - dt * u.delta_degC, th).cop) for dt in (20, 40)]
    low, high = fact_mag("peltier_cop_practical")
    assert low - 0.1 <= min(practical) and max(practical) <= high + 0.15
    comparison = thermoelectric.peltier_vs_compressor(15 * u.degC, 35 * u.degC)
    assert mag(comparison.ratio) > 3
    assert mag(comparison.compressor_cop) < mag(comparison.carnot_cop)
    assert mag(comparison.compressor_cop) / high > 9
    assert "compressor needs" in str(comparison)
    # the approach temperatures: refrigerant 3 K below the cold fluid, 7 K above the hot one
    eta = mag(refrigeration.chiller_efficiency_fraction("water"))
    t_evap, t_cond = 288.15 - 3.0, 308.15 + 7.0
    assert mag(comparison.compressor_cop) == approx(eta * t_evap / (t_cond - t_evap))


def test_ideal_peltier_beats_the_compressor_only_at_tiny_lifts():
    tiny = thermoelectric.peltier_vs_compressor(34 * u.degC, 35 * u.degC)
    assert mag(tiny.ratio) < 1 and "ideal Peltier needs" in str(tiny)
    for lift in (10, 20, 40):
        c = thermoelectric.peltier_vs_compressor(35 * u.degC - lift * u.delta_degC, 35 * u.degC)
        assert mag(c.ratio) > 1


def test_spot_cooling_makes_sense_only_for_small_hot_spots():
    small = thermoelectric.spot_cooling(5 * u.W, 60 * u.degC, 65 * u.degC)
    rack = thermoelectric.spot_cooling(120 * u.kW, 15 * u.degC, 35 * u.degC)
    assert small.sensible and not rack.sensible
    assert mag(rack.heat_rejected, "kW") == approx(120 + mag(rack.electricity, "kW"))
    assert mag(rack.electricity, "kW") > 100
    assert "sensible" in str(small) and "poor choice" in str(rack)


# --- bad inputs -------------------------------------------------------------------------------------------------

def test_plain_celsius_numbers_are_refused_with_a_hint():
    with pytest.raises(ValueError, match=r"20 \* u\.degC"):
        refrigeration.carnot_cop_cooling(20, 35)
    with pytest.raises(ValueError, match="kelvin"):
        site.simulate_site("temperate", "air_chiller", setpoint=18)
    with pytest.raises(ValueError, match="degC"):
        thermoelectric.peltier_cop_max(15, 308)


def test_temperature_differences_refuse_absolute_celsius():
    with pytest.raises(TypeError, match="delta_degC"):
        heat.mass_flow(10 * u.kW, 10 * u.degC)
    with pytest.raises(TypeError, match="absolute temperature"):
        refrigeration.carnot_cop_cooling(10 * u.delta_degC, 300)
    with pytest.raises(TypeError, match="delta_degC"):      # pint labels degC − K as a difference
        refrigeration.carnot_cop_cooling(35 * u.degC - 20 * u.K, 35 * u.degC)
    with pytest.raises(ValueError, match="delta_t"):
        heat.volume_flow(10 * u.kW, 0)


@pytest.mark.parametrize("call, exc, words", [
    (lambda: refrigeration.carnot_cop_cooling(300, 290), ValueError, "free cooling"),
    (lambda: refrigeration.carnot_cop_cooling("hot", 300), TypeError, "t_cold"),
    (lambda: refrigeration.chiller_cop(300, 280, kind="ammonia"), ValueError, "'water', 'air'"),
    (lambda: refrigeration.chiller_cop(300, 280, carnot_fraction=1.5), ValueError, "at most 1"),
    (lambda: heat.mass_flow(10 * u.kWh, 10), TypeError, "heat must be a power"),
    (lambda: heat.mass_flow(10, 10, coolant="oil"), ValueError, "coolant"),
    (lambda: heat.rack_cooling(-5), ValueError, "rack_power"),
    (lambda: climate.wet_bulb_temperature(300, 50), ValueError, "relative_humidity"),
    (lambda: climate.wet_bulb_temperature(60 * u.degC, 0.5), ValueError, "strict=False"),
    (lambda: climate.synthetic_climate("tropical"), ValueError, "'hot-humid'"),
    (lambda: climate.synthetic_climate("cold", seed=-1), ValueError, "seed"),
    (lambda: climate.synthetic_climate("cold", seed=1.5), TypeError, "seed"),
    (lambda: climate.synthetic_climate("cold", seed=True), TypeError, "seed"),
    (lambda: site.simulate_site("temperate", "immersion"), ValueError, "'direct_liquid'"),
    (lambda: site.simulate_site("temperate", "air_chiller", it_load=5 * u.MWh), TypeError, "it_load"),
    (lambda: site.simulate_site("temperate", "air_chiller", it_load=np.ones(10)), ValueError, "8,760"),
    (lambda: site.simulate_site("temperate", "air_chiller", it_load=0), ValueError, "it_load"),
    (lambda: site.simulate_site("temperate", "air_chiller", setpoint=60 * u.degC), ValueError, "between 5 and 45"),
    (lambda: site.simulate_site("temperate", "air_chiller", capacity=0.5 * u.MW), ValueError, "capacity"),
    (lambda: site.simulate_site("temperate", site.DESIGNS["air_chiller"].replace(fan_fraction=2)), ValueError,
     "fan_fraction"),
    (lambda: site.it_load_profile(1e6, mean_utilisation=1.5), ValueError, "mean_utilisation"),
    (lambda: water.water_evaporated(-1), ValueError, "heat"),
    (lambda: water.water_withdrawn(10, 0), ValueError, "evaporated_fraction"),
    (lambda: water.onsite_wue(5), TypeError, "it_energy"),
    (lambda: reuse.heat_pump(5 * u.m, 300, 330), TypeError, "source_heat"),
    (lambda: reuse.heat_pump_cop(330, 300), ValueError, "t_hot must be above"),
    (lambda: reuse.homes_heated(1000, heat_per_home_=0), ValueError, "heat_per_home_"),
    (lambda: reuse.heat_available(1e6, "immersion"), ValueError, "cooling"),
    (lambda: storage.tank_capacity(-1), ValueError, "volume"),
    (lambda: storage.tank_capacity(10, 10 * u.degC), TypeError, "delta_t"),
    (lambda: storage.carbon_intensity_profile("mars"), ValueError, "'germany'"),
    (lambda: storage.price_profile(peak_to_offpeak=0.5), ValueError, "peak_to_offpeak"),
    (lambda: storage.dispatch_storage(1e5, 4, np.ones(48), objective="carbon"), ValueError, "carbon"),
    (lambda: storage.dispatch_storage(1e5, 4, np.ones(10)), ValueError, "24"),
    (lambda: storage.dispatch_storage(1e5, 0, np.ones(48)), ValueError, "cop"),
    (lambda: storage.dispatch_storage(np.ones(5), 4, np.ones(48)), ValueError, "cooling_load"),
    (lambda: storage.dispatch_storage(1e5, 4, np.ones(48) * u.kWh), TypeError, "price"),
    (lambda: storage.site_storage("not a site"), TypeError, "SiteResult"),
    (lambda: thermoelectric.peltier_cop_max(280, 300, zt=0), ValueError, "zt"),
    (lambda: thermoelectric.spot_cooling(-1, 280, 300), ValueError, "heat"),
])
def test_bad_inputs_name_the_argument(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    assert words in str(info.value)


def test_default_setpoints_against_the_ashrae_envelope():
    """Modern air designs supply air inside ASHRAE's recommended 18–27 °C; the legacy room runs colder."""
    low, high = FACTS["ashrae_recommended_inlet_range"].q.to("degC").magnitude
    for name in ("air_chiller", "water_chiller_economiser", "evaporative"):
        assert low <= site.DESIGNS[name].setpoint <= high, name
    assert site.DESIGNS["direct_liquid"].air_setpoint <= high
    assert site.DESIGNS["legacy_air_chiller"].setpoint < low
