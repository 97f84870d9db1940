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

from .. import accounting as acc
from ..sources import value as fact
from ..units import u
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
    """PUE implied by the article's split (chips 45 %, cooling 40 %, the rest other loads)."""
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
               "330 W is 0.330 kW; 14.8 days is 14.8 × 24 hours.",
               "0.330 kW × (14.8 × 24) h = ? kWh"),
        count=Count(lambda: _count("gpt3_n_gpus"), "GPU"),
        takeaway="A single accelerator uses about as much in two weeks as a household in a few days.",
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
            Misconception("You used the V100's rated power (TDP, 300 W). Patterson et al. measured 330 W "
                          "per accelerator, and the statement asks for the measured figure.",
                          wrong=lambda: gpt3_facility_energy(300 * u.W), code="tdp_instead_of_measured"),
        ),
        hints=("Start from one GPU (your previous answer), then scale to all of them.",
               "Multiply by the number of GPUs, then by the PUE to include cooling and power losses.",
               "10,000 × 0.330 kW × 355.2 h × 1.10, then convert kWh to MWh."),
        takeaway="Patterson et al. report 1,287 MWh; your estimate reconstructs it from four inputs.",
    ),
    Exercise(
        name="pue_article",
        title="The PUE implied by '45 % chips, 40 % cooling'",
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
               "the 40 units of cooling.",
               "PUE = 100 / (100 − 40)."),
        takeaway="Even the generous reading is above the industry average and far above hyperscale "
                 "sites: the article's split describes older data centres.",
    ),
    Exercise(
        name="it_shares",
        title="How much reaches IT at PUE 1.56 and 1.10",
        objective=OBJ_PUE,
        unit="percent",
        expected=it_shares,
        shape=(2,),
        rtol=0.004,
        misconceptions=(
            Misconception("A PUE of 1.10 does not mean 10 % of the total is overhead: the overhead is "
                          "measured against the IT energy. The IT share is 1 / PUE.",
                          wrong=lambda: (2 - it_shares().to("dimensionless").magnitude ** -1) * 100 * u.percent,
                          code="overhead_of_total"),
        ),
        hints=("The IT share of facility energy is IT ÷ facility = 1 / PUE.",
               "Give two numbers, in percent, as a list or array: [share at 1.56, share at 1.10]."),
        takeaway="At the industry average about a third of the electricity never reaches a computer.",
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
               "1,287 MWh = 1,287,000 kWh; the intensity is in kg per kWh.",
               "1,287,000 kWh × 0.429 kgCO2e/kWh, then kg → t (÷ 1,000)."),
        takeaway="On France's low-carbon grid the same run would emit about 7 times less.",
    ),
    Exercise(
        name="datacentre_water",
        title="A year of water for a 10 MW data centre",
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
        hints=("First the energy: 10 MW of IT for a year (8,760 h). Then the facility energy with the PUE.",
               "On-site water = IT energy × WUE (on-site). Off-site water = facility energy × the water "
               "intensity of electricity.",
               "1 m³ = 1,000 L. Add the two parts."),
        takeaway="Most of this site's water footprint is at the power plants, not in its cooling towers.",
    ),
    Exercise(
        name="stargate_energy",
        title="Stargate's 10 GW as energy per year",
        objective=OBJ_SCALE,
        unit="TWh",
        expected=stargate_energy,
        hints=("Power is a rate; energy is power × time. How many hours in a year?",
               "Assume the full 10 GW around the clock (an upper bound). A year has 8,760 h.",
               "10 GW × 8,760 h = ? GWh; 1 TWh = 1,000 GWh."),
        takeaway="About half of what all US data centres used in 2023 — if it ran flat out all year.",
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
               "r = (end / start)^(1 / years) − 1, with 6 years from 2024 to 2030.",
               "(945 / 415)^(1/6) − 1, as a percentage."),
        takeaway="About 15 % a year: demand doubles roughly every five years.",
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
        takeaway="Every input is an assumption: full power all day is an upper bound, which is one reason "
                 "this estimate is ten times others.",
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
               "Google's 0.24 Wh is a measured median that includes idle machines; de Vries assumes every "
               "server at its full rated power, all day."),
        takeaway="Assuming full power around the clock makes de Vries's 2.9 Wh an upper bound; measured "
                 "fleets run well below their rated power.",
    ),
]
