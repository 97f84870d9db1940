"""The sources registry (energylab/data/sources.toml): every fact loads, cites a complete reference,
and the values agree with the consistency checks the course fact sheet gives."""
from __future__ import annotations

import math
import re
import tomllib
from importlib import resources

import numpy as np
import pytest

from energylab import sources
from energylab.units import Q_, ureg

from helpers import fact_mag

FACTS = sources.all_facts()
RAW = tomllib.loads(resources.files("energylab").joinpath("data/sources.toml").read_text("utf-8"))
CHAPTERS = {f"{n:02d}" for n in range(8)}

# Ids other code relies on, with an example unit of the dimension each must have.
REQUIRED = {
    "gpt3_training_energy": "MWh",
    "iea_dc_electricity_2024": "TWh",
    "iea_dc_electricity_2030": "TWh",
    "iea_dc_share_2024": "percent",
    "iea_dc_share_2030": "percent",
    "lbnl_us_dc_electricity_2023": "TWh",
    "lbnl_us_dc_share_2023": "percent",
    "lbnl_us_dc_electricity_2028": "TWh",
    "lbnl_us_dc_share_2028": "percent",
    "lbnl_us_dc_capacity_2028": "GW",
    "uptime_average_pue_2024": "dimensionless",
    "uptime_average_pue_2023": "dimensionless",
    "google_fleet_pue": "dimensionless",
    "azure_pue": "dimensionless",
    "azure_wue_onsite": "L/kWh",
    "azure_water_offsite": "L/kWh",
    "azure_carbon_intensity": "kgCO2e/kWh",
    "article_chips_share": "percent",
    "article_cooling_share": "percent",
    "stargate_investment": "USD",
    "stargate_capacity": "GW",
    "stargate_years": "year",
    "gemini_median_prompt_energy": "Wh",
    "gemini_median_prompt_emissions": "gCO2e",
    "gemini_median_prompt_water": "mL",
    "openai_chatgpt_query_energy": "Wh",
    "epoch_gpt4o_query_energy": "Wh",
    "devries_chatgpt_request_energy": "Wh",
    "devries_servers": "dimensionless",
    "devries_server_power": "kW",
    "devries_daily_users": "dimensionless",
    "devries_requests_per_user": "dimensionless",
    "jegham_gpt4o_short_prompt_energy": "Wh",
    "google_search_energy_2009": "Wh",
    "us_grid_intensity_patterson": "kgCO2e/kWh",
    "world_grid_intensity_2022": "gCO2e/kWh",
    "france_grid_intensity_bloom": "gCO2e/kWh",
    "us_household_electricity": "kWh/yr",
    "smartphone_charge_energy": "kWh",
    "us_industrial_electricity_price_2023": "cent/kWh",
    "typical_dc_power": "MW",
    "hyperscale_dc_power": "MW",
    "gpt3_training_emissions": "tCO2e",
    "gpt3_n_gpus": "dimensionless",
    "gpt3_training_days": "d",
    "gpt3_gpu_power": "W",
    "gpt3_pue": "dimensionless",
    "lbnl_us_onsite_wue_2023": "L/kWh",
    "macknick_water_intensity": "L/kWh",
    "lbnl_electricity_water_intensity": "L/kWh",
    "masanet_dc_energy_2010": "TWh",
    "masanet_dc_energy_2018": "TWh",
    "masanet_compute_instances_growth": "dimensionless",
}
RANGES = {"lbnl_us_dc_electricity_2028", "lbnl_us_dc_share_2028", "lbnl_us_dc_capacity_2028", "typical_dc_power"}

# Pairs the fact sheet lists as disagreements: both must be separate facts, and the first must explain.
DISAGREEMENTS = [
    ("lbnl_us_dc_electricity_2014", "lbnl2016_us_dc_electricity_2014"),
    ("power_hungry_mean_text_generation", "power_hungry_median_text_generation"),
    ("power_hungry_mean_image_generation", "power_hungry_median_image_generation"),
    ("gb200_nvl72_rack_power", "gb200_nvl72_power_shelf_capacity"),
    ("macknick_water_intensity", "lbnl_electricity_water_intensity"),
    ("distilbert_capability_retained", "distilbert_capability_retained_hf_docs"),
    ("smartphone_charge_energy", "smartphone_charge_energy_old"),
    ("aws_us_west_2_intensity_paper", "aws_us_west_2_intensity_logs"),
    ("iea_ai_dc_demand_multiplier_2024_2030", "iea_ai_dc_demand_multiplier_2025_2030"),
    ("meta_odense_homes_heated", "meta_odense_homes_heated_wired"),
    ("google_fleet_pue", "google_fleet_pue_2024"),
    ("o3_high_compute_cost_per_task_implied", "o3_high_compute_cost_per_task_revised"),
]


# --- the file loads and every entry is complete ---------------------------------------------------------

def test_registry_is_not_trivial():
    assert len(FACTS) > 100
    assert len(RAW["references"]) > 20


@pytest.mark.parametrize("fact_id", sorted(FACTS))
def test_fact_builds_a_quantity_in_a_known_unit(fact_id):
    fact = FACTS[fact_id]
    unit = ureg.parse_units(fact.unit)  # raises on an unknown unit
    quantity = fact.q
    assert quantity.units == unit
    magnitude = np.asarray(quantity.magnitude, dtype=float)
    assert np.all(np.isfinite(magnitude))
    if fact.is_range:
        assert magnitude.shape == (2,)
    else:
        assert magnitude.shape == ()
    assert str(fact) and fact.text()  # prints without error


@pytest.mark.parametrize("fact_id", sorted(FACTS))
def test_fact_fields_are_complete(fact_id):
    fact = FACTS[fact_id]
    assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", fact_id), "id must be lower_snake_case"
    assert fact.what.strip()
    assert isinstance(fact.ref, sources.Reference)
    assert fact.status in sources.STATUS
    assert isinstance(fact.year, int) and 1900 <= fact.year <= 2040
    assert fact.chapters and set(fact.chapters) <= CHAPTERS
    assert fact.facts_id.strip()
    assert isinstance(fact.where, str) and isinstance(fact.conditions, str) and isinstance(fact.note, str)
    assert fact.conditions.strip(), "say under which assumptions the value holds"


@pytest.mark.parametrize("fact_id", sorted(f for f in FACTS if FACTS[f].is_range))
def test_ranges_are_ordered(fact_id):
    value = FACTS[fact_id].value
    assert len(value) == 2
    low, high = value
    assert low <= high


@pytest.mark.parametrize("key", sorted(RAW["references"]))
def test_reference_is_complete(key):
    ref = RAW["references"][key]
    assert set(ref) == {"authors", "year", "title", "venue", "url", "short"}
    assert ref["authors"].strip() and ref["title"].strip() and ref["short"].strip()
    assert isinstance(ref["year"], int) and 1900 <= ref["year"] <= 2040
    assert ref["url"].startswith(("http://", "https://"))


def test_every_reference_is_cited_by_a_fact():
    cited = {fact.ref.key for fact in FACTS.values()}
    assert set(RAW["references"]) == cited


def test_economics_and_chips_rows_are_prefixed():
    for fact in FACTS.values():
        assert re.fullmatch(r"[A-F]\d*|econ-A\d|chips-\w+", fact.facts_id), (fact.id, fact.facts_id)


# --- required ids -------------------------------------------------------------------------------------

@pytest.mark.parametrize("fact_id", sorted(REQUIRED))
def test_required_fact_exists_with_the_right_dimension(fact_id):
    fact = sources.get(fact_id)
    assert fact.q.dimensionality == Q_(1, REQUIRED[fact_id]).dimensionality
    assert fact.is_range == (fact_id in RANGES)


def test_required_shares_are_percentages():
    for fact_id in ("iea_dc_share_2024", "iea_dc_share_2030", "lbnl_us_dc_share_2023", "lbnl_us_dc_share_2028",
                    "article_chips_share", "article_cooling_share"):
        assert FACTS[fact_id].unit == "percent"
    assert fact_mag("iea_dc_share_2024", "dimensionless") == pytest.approx(0.015)


@pytest.mark.parametrize("pair", DISAGREEMENTS, ids=lambda pair: pair[0])
def test_disagreements_are_separate_facts_with_a_note(pair):
    first, second = pair
    assert first in FACTS and second in FACTS
    assert FACTS[first].note.strip(), f"{first} should teach the disagreement"
    assert not np.allclose(fact_mag(first), fact_mag(second, FACTS[first].unit))


# --- get() and references() ---------------------------------------------------------------------------

def test_get_unknown_id_names_close_matches():
    with pytest.raises(KeyError) as info:
        sources.get("gpt3_training_enrgy")
    assert "gpt3_training_energy" in str(info.value)


def test_get_non_string_raises_key_error():
    with pytest.raises(KeyError):
        sources.get(None)


def test_references_lists_each_used_work_once():
    ids = ["gpt3_training_energy", "gpt3_pue", "gpt3_n_gpus", "iea_dc_electricity_2024", "iea_dc_share_2030"]
    for fact_id in ids:
        sources.get(fact_id)
    works = sources.references().works
    keys = [ref.key for ref in works]
    assert len(keys) == len(set(keys))
    assert set(keys) == {"patterson2021", "iea2025"}
    assert len(sources.references()) == 2


def test_references_of_explicit_ids_only_those_works():
    keys = [ref.key for ref in sources.references(ids=["devries_servers", "devries_daily_users"]).works]
    assert keys == ["devries2023"]


def test_reset_used_forgets():
    sources.get("azure_pue")
    sources.reset_used()
    assert len(sources.references()) == 0


def test_chapter_references_include_every_tagged_fact():
    listed = {ref.key for ref in sources.references(chapter="00").works}
    tagged = {fact.ref.key for fact in FACTS.values() if "00" in fact.chapters}
    assert listed == tagged
    assert FACTS["gpt3_training_energy"].ref.key in listed
    keys = [ref.key for ref in sources.references(chapter="00").works]
    assert len(keys) == len(set(keys))


def test_every_chapter_in_scope_has_facts():
    for chapter in ("00", "01", "02", "03", "04", "05", "06", "07"):
        assert len(sources.references(chapter=chapter)) > 0


# --- consistency checks from the fact sheet (independent arithmetic) ------------------------------------

def test_gpt3_energy_reconstruction():
    """10,000 × 14.8 d × 24 h × 0.330 kW × 1.10 ≈ 1,287 MWh (A7)."""
    energy = (fact_mag("gpt3_n_gpus") * FACTS["gpt3_training_days"].q * FACTS["gpt3_gpu_power"].q
              * fact_mag("gpt3_pue")).to("MWh").magnitude
    assert energy == pytest.approx(10_000 * 14.8 * 24 * 0.330 * 1.10 / 1000)
    assert energy == pytest.approx(fact_mag("gpt3_training_energy", "MWh"), rel=0.005)


def test_gpt3_emissions_from_energy_and_grid():
    """1,287 MWh × 0.429 kgCO2e/kWh ≈ 552 tCO2e (A6)."""
    emissions = (FACTS["gpt3_training_energy"].q * FACTS["us_grid_intensity_patterson"].q).to("tCO2e").magnitude
    assert emissions == pytest.approx(fact_mag("gpt3_training_emissions", "tCO2e"), rel=0.005)


def test_gpt3_compute_is_6nd():
    """6 × 175e9 × 300e9 = 3.15e23 ≈ 3.14e23 FLOP (A4)."""
    compute = (FACTS["kaplan_training_flop_per_param_token"].q * FACTS["gpt3_parameters"].q
               * FACTS["gpt3_training_tokens"].q).to("FLOP").magnitude
    assert compute == pytest.approx(fact_mag("gpt3_training_compute", "FLOP"), rel=0.005)


def test_chinchilla_tokens_per_parameter():
    ratio = (FACTS["chinchilla_tokens"].q / FACTS["chinchilla_parameters"].q).to("token/param").magnitude
    assert ratio == pytest.approx(fact_mag("chinchilla_tokens_per_param"), rel=1e-9)


def test_devries_request_energy_from_inputs():
    """3,617 servers × 6.5 kW × 24 h / (13 M users × 15 requests) ≈ 2.9 Wh (A37)."""
    daily = fact_mag("devries_servers") * FACTS["devries_server_power"].q * Q_(24, "h")
    assert daily.to("MWh").magnitude == pytest.approx(fact_mag("devries_daily_energy", "MWh"), rel=0.005)
    per_request = daily / (fact_mag("devries_daily_users") * fact_mag("devries_requests_per_user"))
    assert per_request.to("Wh").magnitude == pytest.approx(fact_mag("devries_chatgpt_request_energy", "Wh"), rel=0.05)


def test_bloom_energy_and_french_grid():
    """1,082,990 GPU-h × 0.4 kW = 433,196 kWh; 24.7 t / 433,196 kWh ≈ 57 g/kWh (A19, A20)."""
    energy = (FACTS["bloom_gpu_hours"].q * FACTS["bloom_gpu_power"].q).to("kWh").magnitude
    assert energy == pytest.approx(fact_mag("bloom_training_energy", "kWh"), rel=1e-6)
    intensity = (FACTS["bloom_training_emissions_dynamic"].q / FACTS["bloom_training_energy"].q).to("gCO2e/kWh")
    assert intensity.magnitude == pytest.approx(fact_mag("france_grid_intensity_bloom", "gCO2e/kWh"), rel=0.01)
    days = (FACTS["bloom_gpu_hours"].q / fact_mag("bloom_n_gpus")).to("d").magnitude
    assert days == pytest.approx(fact_mag("bloom_training_days", "d"), rel=0.005)


def test_bloom_total_emissions_add_up():
    parts = sum(fact_mag(f, "tCO2e") for f in ("bloom_training_emissions_dynamic", "bloom_training_emissions_idle",
                                               "bloom_training_emissions_embodied"))
    assert parts == pytest.approx(fact_mag("bloom_training_emissions_total", "tCO2e"), rel=0.005)


def test_strubell_nas_emissions_from_energy():
    """656,347 kWh × 0.954 lbs/kWh = 626,155 lbs (A15)."""
    emissions = (FACTS["strubell_nas_energy"].q * FACTS["strubell_grid_intensity"].q).to("lbCO2e").magnitude
    assert emissions == pytest.approx(fact_mag("strubell_nas_emissions", "lbCO2e"), rel=1e-4)


def test_patterson_nas_overestimate():
    """Strubell's ≈284 t vs the actual 3.2 t: about 88× (A12)."""
    ratio = (FACTS["strubell_nas_emissions"].q / FACTS["evolved_transformer_nas_emissions"].q).to("").magnitude
    assert fact_mag("strubell_nas_emissions", "tCO2e") == pytest.approx(284, rel=0.005)
    assert ratio == pytest.approx(fact_mag("patterson_nas_overestimate_factor"), rel=0.02)


def test_roofline_ridge_points():
    """Ridge = peak / bandwidth: H100 SXM ≈295, A100 80 GB ≈153 FLOP/byte (C17)."""
    h100 = (FACTS["h100_sxm_bf16_dense_flops"].q / FACTS["h100_sxm_memory_bandwidth"].q).to("FLOP/B")
    a100 = (FACTS["a100_bf16_dense_flops"].q / FACTS["a100_80gb_memory_bandwidth"].q).to("FLOP/B")
    assert h100.magnitude == pytest.approx(fact_mag("h100_sxm_ridge_point"), rel=0.005)
    assert a100.magnitude == pytest.approx(fact_mag("a100_80gb_ridge_point"), rel=0.005)


def test_gemini_implied_intensities():
    """0.03 g / 0.24 Wh ≈ 125 g/kWh; 0.26 mL / 0.24 Wh ≈ 1.08 mL/Wh (A34)."""
    carbon = (FACTS["gemini_median_prompt_emissions"].q / FACTS["gemini_median_prompt_energy"].q).to("gCO2e/kWh")
    water = (FACTS["gemini_median_prompt_water"].q / FACTS["gemini_median_prompt_energy"].q).to("mL/Wh")
    assert carbon.magnitude == pytest.approx(fact_mag("gemini_implied_carbon_intensity", "gCO2e/kWh"), rel=0.005)
    assert water.magnitude == pytest.approx(fact_mag("gemini_implied_water_intensity", "mL/Wh"), rel=0.005)


def test_iea_growth_rate():
    """415 → 945 TWh over 2024–2030 is ≈15% per year (B2)."""
    rate = (fact_mag("iea_dc_electricity_2030", "TWh") / fact_mag("iea_dc_electricity_2024", "TWh")) ** (1 / 6) - 1
    assert rate == pytest.approx(fact_mag("iea_dc_growth_rate_2024_2030", "dimensionless"), abs=0.005)


def test_lbnl_capacity_exceeds_average_load():
    """325–580 TWh over 8,760 h is 37–66 GW of average load, below the 74–132 GW of capacity (B7)."""
    load = (FACTS["lbnl_us_dc_electricity_2028"].q / Q_(8760, "h")).to("GW").magnitude
    assert load == pytest.approx([37, 66], abs=0.5)
    assert np.all(load < fact_mag("lbnl_us_dc_capacity_2028", "GW"))


def test_masanet_decoupling():
    growth = fact_mag("masanet_dc_energy_2018", "TWh") / fact_mag("masanet_dc_energy_2010", "TWh") - 1
    assert growth == pytest.approx(fact_mag("masanet_dc_energy_growth_2010_2018", "dimensionless"), abs=0.01)


def test_article_implied_pue():
    """Chips 45%, cooling 40%: IT share 45–60%, so PUE ≈1.67–2.2 (D2)."""
    chips = fact_mag("article_chips_share", "dimensionless")
    cooling = fact_mag("article_cooling_share", "dimensionless")
    bounds = [1 / (1 - cooling), 1 / chips]
    assert bounds == pytest.approx(fact_mag("article_implied_pue"), rel=0.015)  # the sheet rounds 2.22 to 2.2


def test_it_share_at_average_and_hyperscale_pue():
    """IT share = 1/PUE: 1.56 → 64%, 1.10 → 91% (D1)."""
    assert 1 / fact_mag("uptime_average_pue_2024") == pytest.approx(0.64, abs=0.005)
    assert 1 / fact_mag("google_fleet_pue") == pytest.approx(0.91, abs=0.005)


def test_power_hungry_spread_and_phone_charges():
    spread = (fact_mag("power_hungry_mean_image_generation", "Wh")
              / fact_mag("power_hungry_mean_text_classification", "Wh"))
    assert spread >= fact_mag("power_hungry_task_spread")
    charges = (1000 * FACTS["power_hungry_worst_image_model"].q / FACTS["smartphone_charge_energy"].q).to("")
    assert charges.magnitude == pytest.approx(fact_mag("power_hungry_worst_image_model_phone_charges"), rel=0.005)


def test_bloomz_parity():
    one_off = fact_mag("bloomz_7b_training_energy", "kWh") + fact_mag("bloomz_7b_finetuning_energy", "kWh")
    assert one_off / fact_mag("bloomz_7b_inference_energy", "kWh") == pytest.approx(
        fact_mag("bloomz_7b_parity_inferences"), rel=1e-6)


def test_o3_costs():
    assert fact_mag("o3_low_compute_total_cost", "USD") / 100 == pytest.approx(
        fact_mag("o3_low_compute_cost_per_task", "USD"), rel=0.01)
    implied = fact_mag("o3_high_to_low_compute_ratio") * fact_mag("o3_low_compute_cost_per_task", "USD")
    assert implied == pytest.approx(fact_mag("o3_high_compute_cost_per_task_implied", "USD"))


def test_stargate_cost_per_gw():
    per_gw = (FACTS["stargate_investment"].q / FACTS["stargate_capacity"].q).to("USD/GW").magnitude
    assert per_gw == pytest.approx(fact_mag("stargate_cost_per_gw", "USD/GW"))


def test_landauer_limit():
    k_b = 1.380649e-23  # J/K, exact (SI 2019)
    assert k_b * 300 * math.log(2) == pytest.approx(fact_mag("landauer_limit_300k", "J"), rel=0.005)
    assert k_b * 293 * math.log(2) == pytest.approx(fact_mag("landauer_limit_293k", "J"), rel=0.005)
    assert fact_mag("landauer_limit_300k", "eV") == pytest.approx(fact_mag("landauer_limit_300k_ev", "eV"), rel=0.02)


def test_cooling_physics():
    """Evaporation 3.6 MJ / 2.43 MJ/kg ≈ 1.5 L/kWh; ice 92.8 kWh/t; chilled water 11.6 kWh/m³; Carnot COPs."""
    evaporated = (Q_(1, "kWh") / FACTS["water_latent_heat_30c"].q).to("kg").magnitude  # 1 kg of water ≈ 1 L
    assert evaporated == pytest.approx(fact_mag("water_evaporated_per_kwh_heat", "L/kWh"), rel=0.02)
    assert FACTS["ice_latent_heat_fusion"].q.to("kWh/t").magnitude == pytest.approx(fact_mag("ice_storage_density"),
                                                                                    rel=0.005)
    chilled = (FACTS["water_volumetric_heat_capacity"].q * Q_(10, "K")).to("kWh/m**3").magnitude
    assert chilled == pytest.approx(fact_mag("chilled_water_storage_density", "kWh/m**3"), rel=0.005)
    ratio = (FACTS["water_volumetric_heat_capacity"].q / FACTS["air_volumetric_heat_capacity"].q).to("").magnitude
    assert ratio == pytest.approx(fact_mag("water_to_air_volumetric_heat_ratio"), rel=0.02)
    assert 298 / 10 == pytest.approx(fact_mag("carnot_cop_298k_10k_lift"), rel=0.01)
    assert 291 / 22 == pytest.approx(fact_mag("carnot_cop_291k_22k_lift"), rel=0.03)


def test_li_water_per_response():
    bottle = fact_mag("li_gpt3_bottle_volume", "mL")
    low, high = fact_mag("li_gpt3_responses_per_bottle")
    assert [bottle / high, bottle / low] == pytest.approx(fact_mag("li_gpt3_water_per_response", "mL"))


def test_altman_water_in_millilitres():
    assert fact_mag("openai_chatgpt_query_water", "mL") == pytest.approx(0.32, abs=0.005)


def test_number_gives_a_scalar_fact_as_a_float_in_a_unit():
    assert sources.number("gpt3_n_gpus") == 10000.0
    assert sources.number("gpt3_gpu_power", "kW") == pytest.approx(0.33)
