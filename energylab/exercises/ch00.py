"""Chapter 00 — energy accounting: the exercises.

Learning objectives (as in the chapter notebook):

1. Convert between units of energy and power, and tell power from energy.
2. Compute a data centre's facility energy from its IT energy and PUE, and a PUE from an energy breakdown.
3. Estimate the emissions and water use behind an amount of electricity.
4. Put data-centre demand in scale: growth rates, and power capacity as annual energy.
5. Explain why published estimates of the energy per chatbot query differ by about ten times.

Every expected value is computed here from :mod:`energylab.accounting` and :mod:`energylab.sources`.
"""
from __future__ import annotations

import math

from .. import accounting as acc
from ..sources import value as fact
from ..units import HOURS_PER_YEAR, fmt, u
from .spec import Count, Exercise, Misconception

OBJ_UNITS = "1 · units: power vs energy"
OBJ_PUE = "2 · PUE and facility energy"
OBJ_IMPACT = "3 · emissions and water"
OBJ_SCALE = "4 · scale of demand"
OBJ_QUERY = "5 · energy per query"


def _count(fact_id: str) -> float:
    return float(fact(fact_id).to("dimensionless").magnitude)


# --- the scenarios, each computed once from the sources ------------------------------------------------

def gpu_run_energy():
    """One V100 of the GPT-3 run, at its measured power, for the whole run."""
    return acc.energy(fact("gpt3_gpu_power"), fact("gpt3_training_days"))


def gpt3_facility_energy(power=None):
    """All of GPT-3's accelerators for the run, times the data centre's PUE (Patterson et al. 2021)."""
    it = acc.energy(power if power is not None else fact("gpt3_gpu_power"), fact("gpt3_training_days"))
    return acc.facility_energy(it * _count("gpt3_n_gpus"), fact("gpt3_pue"))


def devries_requests_per_day():
    return _count("devries_daily_users") * _count("devries_requests_per_user")


def devries_energy_per_request(requests_per_day=None):
    """de Vries (2023): ChatGPT's servers at full power all day, shared over a day's requests."""
    daily = acc.energy(fact("devries_server_power") * _count("devries_servers"), 24 * u.h)
    return acc.per_unit(daily, requests_per_day or devries_requests_per_day(), name="requests")


def article_share(fact_id: str):
    return fact(fact_id).to("dimensionless")


def article_pue(chips_only: bool = False):
    """PUE implied by the article's split of a data centre's power: chips, cooling, the rest other loads."""
    chips, cooling = article_share("article_chips_share"), article_share("article_cooling_share")
    other = 1 - chips - cooling
    if chips_only:
        return acc.pue_from_breakdown(chips, cooling, other)
    return acc.pue_from_breakdown(chips + other, cooling, 0 * u.dimensionless)


def it_shares():
    """Share of facility energy reaching IT at the industry-average and a hyperscale PUE."""
    import numpy as np
    pues = np.array([fact("uptime_average_pue_2024").to("dimensionless").magnitude,
                     fact("google_fleet_pue").to("dimensionless").magnitude])
    return acc.it_share(pues).to("percent")


def gpt3_emissions(intensity_id: str = "us_grid_intensity_patterson"):
    return acc.emissions(fact("gpt3_training_energy"), fact(intensity_id))


DC_IT_POWER = 10 * u.MW  # the exercise's own hypothetical site; not a sourced figure


def datacentre_water(part: str = "total"):
    """One year of a 10 MW (IT) site with Azure's PUE, on-site WUE and off-site water intensity."""
    use = acc.water_use(acc.annual_energy(DC_IT_POWER), fact("azure_wue_onsite"), fact("azure_pue"),
                        fact("azure_water_offsite"))
    return getattr(use, part)


def stargate_energy(utilisation: float = 1.0):
    return acc.annual_energy(fact("stargate_capacity"), utilisation)


IEA_YEARS = 2030 - 2024


def iea_growth():
    return acc.cagr(fact("iea_dc_electricity_2024"), fact("iea_dc_electricity_2030"), IEA_YEARS)


# --- the exercises --------------------------------------------------------------------------------------

EXERCISES = [
    Exercise(
        name="gpu_run_energy",
        title="Energy of one GPU over the GPT-3 run",
        objective=OBJ_UNITS,
        unit="kWh",
        expected=gpu_run_energy,
        hints=("Energy is power × time. Put both in units that multiply to kWh.",
               lambda: f"{fmt(fact('gpt3_gpu_power'))} is {fmt(fact('gpt3_gpu_power'), 'kW')}; "
                       f"{fmt(fact('gpt3_training_days'))} is {fmt(fact('gpt3_training_days'), 'h', sig=4)}.",
               "kW × h gives kWh directly; with pint, (power * time).to(u.kWh) does the conversion."),
        count=Count(lambda: _count("gpt3_n_gpus"), "GPU"),
        takeaway=lambda: "That is about {:.0f} days of an average US household's electricity.".format(
            (gpu_run_energy() / fact("us_household_electricity")).to("day").magnitude),
    ),
    Exercise(
        name="gpt3_energy",
        title="GPT-3 training energy, facility level",
        objective=OBJ_PUE,
        unit="MWh",
        expected=gpt3_facility_energy,
        pue=lambda: fact("gpt3_pue"),
        count=Count(lambda: _count("gpt3_n_gpus"), "GPU"),
        misconceptions=(
            Misconception("Your answer is smaller by a factor of 1.1. Two slips give exactly that here: "
                          "the V100's rated power (TDP) used instead of the measured power per GPU "
                          "(the statement asks for the measured one), or the PUE left out — which is "
                          "also 1.1.", wrong=lambda: gpt3_facility_energy(fact("v100_tdp")),
                          code="tdp_or_pue_missing"),
        ),
        hints=("Start from one GPU (your previous answer), then scale to all of them.",
               "Multiply by the number of GPUs, then by the PUE to include cooling and power losses.",
               lambda: f"{_count('gpt3_n_gpus'):,.0f} × {fmt(fact('gpt3_gpu_power'), 'kW')} × "
                       f"{fmt(fact('gpt3_training_days'), 'h', sig=4)} × {fmt(fact('gpt3_pue'))}, then kWh → MWh."),
        takeaway=lambda: f"Patterson et al. report {fmt(fact('gpt3_training_energy'), sig=4)}: four inputs "
                         "reconstruct it.",
    ),
    Exercise(
        name="pue_article",
        title="The PUE implied by the article's chips/cooling split",
        objective=OBJ_PUE,
        unit="dimensionless",
        expected=article_pue,
        rtol=0.005,
        misconceptions=(
            Misconception("That treats the chips as the only IT equipment; the question asks for the "
                          "generous reading, in which everything except cooling (chips, memory, storage, "
                          "network) counts as IT.", wrong=lambda: article_pue(chips_only=True),
                          code="chips_only"),
            Misconception("PUE is facility energy ÷ IT energy, so it is never below 1. You divided the "
                          "other way round.", wrong=lambda: 1 / article_pue(), code="pue_inverted"),
            Misconception("That is the cooling overhead relative to IT. PUE counts the IT energy too: "
                          "add 1.", wrong=lambda: article_pue() - 1, code="pue_overhead_only"),
        ),
        hints=("PUE = total facility energy ÷ IT energy.",
               "Out of 100 units of facility energy, how many are IT in this reading? Everything except "
               "the cooling units.",
               "PUE = 100 / (100 − cooling percentage)."),
        takeaway=lambda: f"Even the generous reading is above the industry average "
                         f"({fmt(fact('uptime_average_pue_2024'))}) and far above Google's fleet "
                         f"({fmt(fact('google_fleet_pue'))}): the split describes older data centres.",
    ),
    Exercise(
        name="it_shares",
        title="How much reaches IT: industry average vs hyperscale",
        objective=OBJ_PUE,
        unit="percent",
        expected=it_shares,
        shape=(2,),
        rtol=0.004,
        misconceptions=(
            Misconception("A PUE of 1.x does not mean x tenths of the total are overhead: the overhead is "
                          "measured against the IT energy. The IT share is 1 / PUE.",
                          wrong=lambda: (2 - it_shares().to("dimensionless").magnitude ** -1) * 100 * u.percent,
                          code="overhead_of_total"),
        ),
        hints=("The IT share of facility energy is IT ÷ facility = 1 / PUE.",
               "Give two numbers, in percent, as a list: [share at the industry average, share at Google's]."),
        takeaway=lambda: f"At the industry average, {fmt(100 * u.percent - it_shares()[0], sig=2)} of the "
                         "electricity never reaches a computer.",
    ),
    Exercise(
        name="pue_function",
        title="Write a PUE function",
        objective=OBJ_PUE,
        kind="function",
        unit="dimensionless",
        expected=lambda it, cooling, other: acc.pue_from_breakdown(it, cooling, other),
        cases=({"it": 1000 * u.kW, "cooling": 400 * u.kW, "other": 150 * u.kW},
               {"it": 5.0 * u.MW, "cooling": 0.3 * u.MW, "other": 0.2 * u.MW},
               {"it": 800 * u.kW, "cooling": 0.1 * u.MW, "other": 0 * u.kW}),
        hints=("The facility's total is IT + cooling + other.",
               "Return total ÷ it. With pint quantities the units cancel; mixing kW and MW is fine.",
               "def pue(it, cooling, other):\n    return (it + cooling + other) / it"),
        takeaway="The same three lines work for energies over a year or for powers at one instant.",
    ),
    Exercise(
        name="gpt3_emissions",
        title="GPT-3's training emissions",
        objective=OBJ_IMPACT,
        unit="tCO2e",
        expected=gpt3_emissions,
        rtol=0.005,
        misconceptions=(
            Misconception("You used the world-average grid intensity. Patterson et al. used the US average "
                          "of the time, as the statement says.",
                          wrong=lambda: gpt3_emissions("world_grid_intensity_2022"), code="wrong_grid"),
        ),
        hints=("Emissions = electricity × carbon intensity of the grid that supplied it.",
               "Put the energy in kWh to match the intensity's kg per kWh; or let pint do it.",
               "energy × intensity gives kgCO2e; 1 tCO2e = 1,000 kgCO2e."),
        takeaway=lambda: "On France's low-carbon grid the same run would emit about {:.0f} times less.".format(
            (gpt3_emissions() / gpt3_emissions("france_grid_intensity_bloom")).to("dimensionless").magnitude),
    ),
    Exercise(
        name="datacentre_water",
        title="A year of water for a data centre",
        objective=OBJ_IMPACT,
        unit="m**3",
        expected=datacentre_water,
        pue=lambda: fact("azure_pue"),
        misconceptions=(
            Misconception("That is only the water evaporated on site. The question also counts the water "
                          "consumed by power plants to make the electricity (off-site).",
                          wrong=lambda: datacentre_water("on_site"), code="onsite_only"),
            Misconception("That is only the off-site water (power plants). Add the on-site cooling water.",
                          wrong=lambda: datacentre_water("off_site"), code="offsite_only"),
            Misconception("The off-site water follows the facility's electricity (IT × PUE), not the IT "
                          "energy alone: the PUE is missing from the off-site part.",
                          wrong=lambda: acc.annual_energy(DC_IT_POWER) * (fact("azure_wue_onsite")
                                                                          + fact("azure_water_offsite")),
                          code="pue_missing"),
        ),
        hints=(lambda: f"First the energy: {fmt(DC_IT_POWER)} of IT for a year ({HOURS_PER_YEAR:,} h). Then "
                       "the facility energy with the PUE.",
               "On-site water = IT energy × WUE (on-site). Off-site water = facility energy × the water "
               "intensity of electricity.",
               "1 m³ = 1,000 L. Add the two parts."),
        takeaway=lambda: f"{fmt((datacentre_water('off_site') / datacentre_water()).to('percent'), sig=2)} "
                         "of this water is used at the power plants, not in the site's cooling.",
    ),
    Exercise(
        name="stargate_energy",
        title="Stargate's planned capacity as energy per year",
        objective=OBJ_SCALE,
        unit="TWh",
        expected=stargate_energy,
        hints=("Power is a rate; energy is power × time. How many hours in a year?",
               f"Assume the full capacity around the clock (an upper bound). A year has {HOURS_PER_YEAR:,} h.",
               "GW × h = GWh; 1 TWh = 1,000 GWh."),
        takeaway=lambda: f"That is {fmt((stargate_energy() / fact('lbnl_us_dc_electricity_2023')).to('percent'), sig=2)} "
                         "of what all US data centres used in 2023, if it ran flat out all year.",
    ),
    Exercise(
        name="iea_growth",
        title="The growth rate behind the IEA's 2030 projection",
        objective=OBJ_SCALE,
        unit="percent",
        expected=iea_growth,
        rtol=0.01,
        misconceptions=(
            Misconception("That spreads the total growth evenly over the years (simple interest). Growth "
                          "compounds: find r with (1 + r)⁶ = 945 / 415.",
                          wrong=lambda: (fact("iea_dc_electricity_2030") / fact("iea_dc_electricity_2024")
                                         - 1) / IEA_YEARS, code="simple_growth"),
            Misconception("That is the growth over the whole period, not per year.",
                          wrong=lambda: fact("iea_dc_electricity_2030") / fact("iea_dc_electricity_2024") - 1,
                          code="total_growth"),
            Misconception("2024 to 2030 is 6 steps of one year, not 7: count the gaps, not the years.",
                          wrong=lambda: acc.cagr(fact("iea_dc_electricity_2024"),
                                                 fact("iea_dc_electricity_2030"), IEA_YEARS + 1),
                          code="years_inclusive"),
        ),
        hints=("Compound growth: end = start × (1 + r)^years.",
               f"r = (end / start)^(1 / years) − 1, with {IEA_YEARS} years from 2024 to 2030.",
               "In Python: (end / start) ** (1 / years) - 1; multiply by 100 for percent."),
        takeaway=lambda: "At that rate demand doubles every {:.1f} years.".format(
            math.log(2) / math.log(1 + iea_growth().to("dimensionless").magnitude)),
    ),
    Exercise(
        name="devries_query",
        title="Energy per ChatGPT request, de Vries's way",
        objective=OBJ_QUERY,
        unit="Wh",
        expected=devries_energy_per_request,
        count=Count(devries_requests_per_day, "request"),
        misconceptions=(
            Misconception("You shared the energy per user, not per request: each user made several "
                          "requests a day.", wrong=lambda: devries_energy_per_request(_count("devries_daily_users")),
                          code="per_user"),
        ),
        hints=("First the servers' energy in one day: number × power × 24 h.",
               "Then the number of requests in one day: users × requests per user.",
               "Divide the daily energy by the daily requests; give Wh per request."),
        takeaway=lambda: "Every input is an assumption: full power all day is an upper bound, one reason this "
                         "estimate is {:.0f} times Google's measured median.".format(
            (devries_energy_per_request() / fact("gemini_median_prompt_energy")).to("dimensionless").magnitude),
    ),
    Exercise(
        name="query_assumption",
        title="Why the per-query estimates differ",
        objective=OBJ_QUERY,
        kind="choice",
        expected=lambda: "a",
        choices={
            "a": "",
            "b": "No: none of the per-query energy figures counts water; water is reported separately.",
            "c": "No: de Vries's figure covers serving requests only; training is not in it.",
            "d": "No: energy per query is electricity, before any grid intensity; the grid changes "
                 "emissions, not watt-hours.",
        },
        hints=("Look at what de Vries assumes about how hard the servers work.",
               lambda: f"Google's {fmt(fact('gemini_median_prompt_energy'))} is a measured median that "
                       "includes idle machines; de Vries assumes every server at its full rated power, all day."),
        takeaway=lambda: f"Assuming full power around the clock makes de Vries's "
                         f"{fmt(fact('devries_chatgpt_request_energy'))} an upper bound; measured fleets run "
                         "well below their rated power.",
    ),
]
