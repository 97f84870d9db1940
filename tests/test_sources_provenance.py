"""Provenance of the cited facts: every fact names a source that resolves and, where known, a place in it.

The ratchet ``NO_LOCATION_YET`` lists the facts whose location in the source (table, figure, section, page)
has not been found yet. It may only shrink: a fact outside it must have a ``where``, and a fact in it that has
gained one must be taken out of the set.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from energylab import sources

ROOT = Path(__file__).resolve().parents[1]
FACTS = sources.all_facts()

# Facts still without a location in their source (may only shrink).
NO_LOCATION_YET = frozenset({
    "o3_low_compute_score",
    "o3_low_compute_total_cost",
    "o3_low_compute_cost_per_task",
    "o3_low_compute_samples",
    "o3_low_compute_tokens",
    "o3_low_compute_time_per_task",
    "o3_low_compute_public_score",
    "o3_low_compute_public_cost_per_task",
    "o3_high_compute_score",
    "o3_high_compute_public_score",
    "o3_high_compute_samples",
    "o3_high_compute_tokens",
    "strubell_pue",
    "strubell_grid_intensity",
    "a16z_gpt4_level_decline",
    "a16z_price_decline_3yr",
    "afcom_mean_rack_density_2016",
    "afcom_mean_rack_density_2024",
    "aiinframap_acquisition_cost",
    "aiinframap_power_cost",
    "arc_agi_public_cost_limit",
    "aws_p5_on_demand_price",
    "aws_p5_price_cut_2025",
    "aws_us_west_2_intensity_paper",
    "b200_purchase_price",
    "b200_volume_price",
    "bernstein_capex_per_gw",
    "bernstein_gpu_share_of_capex",
    "bert_base_parameters",
    "bloom_gpu_hours",
    "bloom_gpu_power",
    "bloom_idle_energy",
    "bloom_training_emissions_idle",
    "bloom_training_energy",
    "california_grid_intensity_time_of_day_range",
    "cpu_clock_plateau",
    "cpu_tdp_plateau",
    "dennard_scaling_end_years",
    "devries_chatgpt_request_energy",
    "devries_daily_energy",
    "devries_daily_users",
    "devries_requests_per_user",
    "devries_server_power",
    "devries_servers",
    "dgx_h100_gpus",
    "distilbert_capability_retained_hf_docs",
    "distilbert_parameters",
    "distillation_temperature_range",
    "dodge_flexible_start_long_saving",
    "dodge_flexible_start_short_saving",
    "dodge_midnight_start_increase",
    "dodge_pause_resume_saving",
    "dodge_region_saving",
    "epoch_gpt4o_long_input_energy_100k",
    "epoch_gpt4o_long_input_energy_10k",
    "epoch_gpt4o_query_energy",
    "epoch_old_query_energy",
    "epoch_price_decline_gpt4_level_science",
    "epoch_price_decline_range",
    "equinix_pa10_annual_heat",
    "equinix_pa10_free_heat_years",
    "equinix_pa10_heat_capture_temperature",
    "equinix_pa10_heat_delivery_temperature",
    "equinix_pa10_heat_export_capacity",
    "equinix_pa10_homes_connected",
    "equinix_pa10_homes_equivalent",
    "flight_passenger_emissions_sf_ny",
    "flight_whole_jet_emissions_sf_ny",
    "gb200_nvl72_all_in",
    "gb200_nvl72_compute",
    "gb200_nvl72_infrastructure",
    "gb200_nvl72_rack_hardware",
    "gemini_host_share",
    "gemini_idle_share",
    "gemini_overhead_share",
    "gemini_tpu_share",
    "google_fleet_pue",
    "google_fleet_pue_2008",
    "google_fleet_pue_2024",
    "google_monthly_tokens_may2025",
    "google_monthly_tokens_oct2025",
    "google_search_energy_2009",
    "google_token_growth_year",
    "google_unit_price_fall",
    "gpt3_davinci_price_2021",
    "gpt3_training_water_onsite",
    "gpt3_training_water_total",
    "gpt4_8k_input_price_2023",
    "gpt4_8k_output_price_2023",
    "gpt4o_input_price_2024_05",
    "gpt4o_input_price_2024_08",
    "gpt4o_mini_input_price_2024",
    "gpt4o_mini_output_price_2024",
    "gpt4o_output_price_2024_05",
    "gpt4o_output_price_2024_08",
    "gpt5_input_price_2025",
    "gpt5_nano_input_price_2025",
    "gpt5_nano_output_price_2025",
    "gpt5_output_price_2025",
    "h100_purchase_price",
    "h100_rental_index_mar2026",
    "h100_rental_index_oct2025",
    "h100_rental_peak_2023",
    "hyperscale_dc_ev_equivalent",
    "hyperscale_dc_power",
    "ibm_cpo_bandwidth_factor",
    "ibm_cpo_homes_saved_per_model",
    "ibm_cpo_power_reduction_factor",
    "ibm_cpo_training_speedup",
    "iea_ai_dc_demand_multiplier_2024_2030",
    "iea_ai_dc_demand_multiplier_2025_2030",
    "iea_ai_dc_growth_2025",
    "iea_china_dc_electricity_2024",
    "iea_china_dc_electricity_2030",
    "iea_cooling_share_of_dc_energy",
    "iea_dc_electricity_2024",
    "iea_dc_electricity_2030",
    "iea_dc_electricity_2035",
    "iea_dc_growth_2025",
    "iea_dc_growth_rate_2017_2024",
    "iea_dc_growth_rate_2024_2030",
    "iea_dc_share_2024",
    "iea_dc_share_2030",
    "iea_europe_dc_electricity_2024",
    "iea_europe_dc_electricity_2030",
    "iea_server_share_of_dc_energy",
    "iea_us_dc_electricity_2024",
    "iea_us_dc_electricity_2030",
    "landauer_limit_293k",
    "landauer_limit_300k",
    "landauer_limit_300k_ev",
    "lbnl2016_us_dc_water_2014",
    "lbnl2016_us_dc_water_2020_projected",
    "lbnl_us_average_pue_2014",
    "lbnl_us_average_pue_2023",
    "lbnl_us_dc_capacity_2028",
    "lbnl_us_dc_direct_water_2023",
    "lbnl_us_dc_electricity_2014",
    "lbnl_us_dc_electricity_2018",
    "lbnl_us_dc_electricity_2023",
    "lbnl_us_dc_electricity_2028",
    "lbnl_us_dc_share_2018",
    "lbnl_us_dc_share_2023",
    "lbnl_us_dc_share_2028",
    "lbnl_us_onsite_wue_2014",
    "lbnl_us_onsite_wue_2023",
    "li_ai_water_withdrawal_2027",
    "li_evaporated_fraction",
    "li_gpt3_bottle_volume",
    "li_gpt3_responses_per_bottle",
    "li_onsite_wue_range",
    "llama32_3b_price_2024",
    "llmflation_annual_price_decline",
    "luccioni2024_study_emissions",
    "luccioni2024_study_gpu_energy",
    "masanet_compute_instances_growth",
    "masanet_dc_energy_2010",
    "masanet_dc_energy_2018",
    "masanet_dc_energy_growth_2010_2018",
    "masanet_dc_share_2018",
    "masanet_energy_per_instance_change",
    "masanet_ip_traffic_growth",
    "masanet_pue_change",
    "masanet_server_growth",
    "masanet_storage_growth",
    "meta_odense_heat_capacity",
    "meta_odense_heat_recovered",
    "meta_odense_homes_after_hall3",
    "meta_odense_homes_heated",
    "meta_odense_homes_heated_wired",
    "mistral_large2_emissions",
    "mistral_large2_resource_depletion",
    "mistral_large2_water",
    "mistral_response_emissions",
    "mistral_response_resource_depletion",
    "mistral_response_water",
    "mistral_training_inference_ghg_share",
    "mistral_training_inference_water_share",
    "nvidia_cpo_port_power",
    "nvidia_network_power_cpo_400k",
    "nvidia_network_power_pluggable_400k",
    "nvidia_photonics_port_bandwidth",
    "nvidia_photonics_power_efficiency_factor",
    "nvidia_photonics_switch_total_bandwidth",
    "nvidia_pluggable_port_power",
    "o3_high_compute_cost_per_task_revised",
    "o3_high_to_low_compute_ratio",
    "palm_hardware_flops_utilisation",
    "paris_olympic_pool_temperature",
    "patterson_nas_overestimate_factor",
    "peltier_cop_practical",
    "power_hungry_task_spread",
    "power_hungry_worst_image_model",
    "power_hungry_worst_image_model_phone_charges",
    "smartphone_charge_energy",
    "specialist_cloud_h100_price",
    "stargate_abilene_capacity",
    "stargate_capacity",
    "stargate_capacity_oct2025",
    "stargate_capacity_sep2025",
    "stargate_investment",
    "stargate_investment_oct2025",
    "stargate_investment_sep2025",
    "stargate_oracle_deal_capacity",
    "stargate_years",
    "strubell_electricity_price",
    "thermoelectric_zt_bi2te3",
    "typical_dc_power",
    "uptime_average_pue_2023",
    "uptime_average_pue_2024",
    "uptime_rack_density_threshold_2023",
    "us_electricity_water_withdrawal",
    "world_grid_intensity_2022",
})

# Facts the provenance review asked to resolve (task list of the review "facts whose provenance does not resolve").
REVIEWED = (
    "oconnor_hbm2_access_energy",
    "oconnor_gddr5_access_energy",
    "keckler_wire_energy_256bit_10mm",
    "nvlink_c2c_energy_per_bit",
    "pcie5_energy_per_bit_lower_bound",
    "oconnor_future_gpu_dram_bandwidth",
    "oconnor_future_gpu_dram_power",
    "palm_model_flops_utilisation",
    "tpu_v3_bf16_flops",
    "tpu_v4_measured_mean_power",
    "chinchilla_training_compute",
    "gemini_narrow_boundary_prompt_energy",
)


@pytest.mark.parametrize("fact_id", sorted(FACTS))
def test_reference_resolves(fact_id):
    ref = FACTS[fact_id].ref
    assert isinstance(ref, sources.Reference) and ref.key.strip()
    assert ref.authors.strip() and ref.title.strip() and ref.short.strip() and ref.url.startswith("http"), ref.key


def test_every_fact_outside_the_ratchet_has_a_location():
    missing = sorted(k for k, f in FACTS.items() if not f.where.strip() and k not in NO_LOCATION_YET)
    assert not missing, f"facts without `where` (give the location, or add them to NO_LOCATION_YET): {missing}"


def test_ratchet_only_shrinks():
    located = sorted(k for k in NO_LOCATION_YET if k in FACTS and FACTS[k].where.strip())
    assert not located, f"these facts now have a location: remove them from NO_LOCATION_YET: {located}"
    unknown = sorted(NO_LOCATION_YET - set(FACTS))
    assert not unknown, f"NO_LOCATION_YET names facts that no longer exist: {unknown}"


@pytest.mark.parametrize("fact_id", REVIEWED)
def test_reviewed_facts_have_location_and_status(fact_id):
    fact = FACTS[fact_id]
    assert fact.where.strip(), fact_id
    assert fact.status in sources.STATUS, fact_id
    if fact.status == "M":
        assert re.search(r"not (verified|checked)", fact.note, re.I), f"{fact_id}: an M fact says so in its note"


_QUOTED = re.compile(r"""["']([a-z][a-z0-9_]*)["']""")


def _ids_used():
    """(fact id, chapter) pairs from chapter notebooks' code cells and energylab/exercises/chNN.py."""
    pairs = set()
    for nb in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        chapter = nb.name[:2]
        for cell in json.loads(nb.read_text("utf-8"))["cells"]:
            if cell.get("cell_type") == "code":
                source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                pairs |= {(m, chapter) for m in _QUOTED.findall(source) if m in FACTS}
    for py in sorted((ROOT / "energylab" / "exercises").glob("ch[0-9][0-9].py")):
        chapter = py.stem[2:]
        pairs |= {(m, chapter) for m in _QUOTED.findall(py.read_text("utf-8")) if m in FACTS}
    return pairs


def test_scan_finds_uses():
    assert len(_ids_used()) > 50


def test_chapters_list_every_chapter_that_uses_a_fact():
    missing = sorted((fid, ch) for fid, ch in _ids_used() if ch not in FACTS[fid].chapters)
    assert not missing, f"(fact, chapter) used but not listed in `chapters`: {missing}"


# --- an unchecked value is never printed as if it were checked ---------------------------------------------------

def _stored_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        text = out.get("text", "")
        parts.append(text if isinstance(text, str) else "".join(text))
        plain = out.get("data", {}).get("text/plain", "")
        parts.append(plain if isinstance(plain, str) else "".join(plain))
    return "".join(parts)


def _bare_texts() -> dict:
    """``{fact id: the texts Fact.text() gives it}`` for unchecked facts, leaving out texts a checked fact shares."""
    checked = {f.text(sig=sig) for f in FACTS.values() if f.status != "M" for sig in (2, 3, 4)}
    return {k: {f.text(sig=sig) for sig in (2, 3, 4)} - checked for k, f in FACTS.items() if f.status == "M"}


@pytest.mark.parametrize("path", sorted(p for folder in ("chapters", "solutions", "exercises")
                                        for p in (ROOT / folder).glob("[0-9][0-9]_*.ipynb")),
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_unchecked_facts_are_printed_with_their_status(path):
    import nbformat
    texts = _bare_texts()
    bare = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        shown = _stored_text(cell)
        for fact_id, variants in texts.items():
            for text in variants:
                at = shown.find(text)
                if at >= 0 and shown[max(0, at - 1):at] != "≈":
                    bare.append((fact_id, text))
    assert not bare, f"unchecked (status M) facts printed without '≈' and their status (use cited()): {bare}"
