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
from ..sources import number as _count, value as fact
from ..units import HOURS_PER_YEAR, fmt, u
from .spec import Count, Exercise, Misconception

OBJ_UNITS = "1 · units: power vs energy"
OBJ_PUE = "2 · PUE and facility energy"
OBJ_IMPACT = "3 · emissions and water"
OBJ_SCALE = "4 · scale of demand"
OBJ_QUERY = "5 · energy per query"


# --- the scenarios, each computed once from the sources ------------------------------------------------

def gpu_run_energy():
    """One V100 of the GPT-3 run, at its measured power, for the whole run."""
    return acc.energy(fact("gpt3_gpu_power"), fact("gpt3_training_days"))


def t5_facility_energy(pue=True):
    """An upper bound for T5-11B's training: every TPU v3 at its rated power (TDP) for the whole run,
    times the data centre's PUE (inputs from Patterson et al. 2021)."""
    it = acc.energy(fact("tpu_v3_tdp") * _count("t5_n_chips"), fact("t5_training_days"))
    return acc.facility_energy(it, fact("t5_pue")) if pue else it


def devries_daily_energy():
    """de Vries (2023): ChatGPT's servers at full power for a day."""
    return acc.energy(fact("devries_server_power") * _count("devries_servers"), 24 * u.h)


def devries_energy_per_request(requests_per_day=None):
    """de Vries's energy per request: a day's energy shared over a day's requests."""
    from ..inference import devries_requests_per_day  # on first check: loading a chapter stays light
    return acc.per_unit(devries_daily_energy(), requests_per_day or devries_requests_per_day(), name="requests")


def devries_energy_per_user():
    """de Vries's daily energy shared over the daily users: what one user's day of chatting costs."""
    return acc.per_unit(devries_daily_energy(), _count("devries_daily_users"), name="users")


def share(fact_id: str):
    return fact(fact_id).to("dimensionless")


GEMINI_IT_PARTS = ("gemini_tpu_share", "gemini_host_share", "gemini_idle_share")


def gemini_pue(it_parts=GEMINI_IT_PARTS):
    """PUE implied by Google's breakdown of a median Gemini prompt (Elsworth et al. 2025): the
    machines (accelerators, host, idle capacity) are IT; the data-centre overhead is the rest."""
    it = sum(share(p) for p in it_parts)
    return acc.pue_from_breakdown(it, share("gemini_overhead_share"))


def it_shares():
    """Share of facility energy reaching IT at the 2023 industry-average PUE and at Azure's PUE."""
    import numpy as np
    pues = np.array([fact("uptime_average_pue_2023").to("dimensionless").magnitude,
                     fact("azure_pue").to("dimensionless").magnitude])
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
    """Stargate's capacity after the September 2025 announcement, run at full power for a year."""
    return acc.annual_energy(fact("stargate_capacity_sep2025"), utilisation)


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
        pue=lambda: fact("gpt3_pue"),
        pue_included=False,
        misconceptions=(
            Misconception("You used the V100's rated power (TDP); the statement asks for the power "
                          "Patterson et al. measured.", wrong=lambda: acc.energy(fact("v100_tdp"),
                                                                                 fact("gpt3_training_days")),
                          code="tdp_instead_of_measured"),
        ),
        takeaway=lambda: "That is about {:.0f} days of an average US household's electricity.".format(
            (gpu_run_energy() / fact("us_household_electricity")).to("day").magnitude),
    ),
    Exercise(
        name="t5_energy",
        title="An upper bound for T5-11B's training energy",
        objective=OBJ_PUE,
        unit="MWh",
        expected=t5_facility_energy,
        pue=lambda: fact("t5_pue"),
        count=Count(lambda: _count("t5_n_chips"), "chip"),
        misconceptions=(
            Misconception("That is the published figure, which Patterson et al. built from the chips' "
                          "measured power. The question asks for the upper bound from the rated power.",
                          wrong=lambda: fact("t5_training_energy"), code="published_not_bound"),
        ),
        hints=("Start from one chip: rated power × duration. Then all the chips, then the building.",
               "IT energy = number of chips × rated power × hours; facility energy = IT energy × PUE.",
               lambda: f"{_count('t5_n_chips'):,.0f} × {fmt(fact('tpu_v3_tdp'), 'kW')} × "
                       f"{fmt(fact('t5_training_days'), 'h', sig=4)} × {fmt(fact('t5_pue'))}, then kWh → MWh."),
        takeaway=lambda: "Patterson et al.'s figure from measured power is {:.0%} of this bound: chips rarely "
                         "run at their rated power.".format(
            (fact("t5_training_energy") / t5_facility_energy()).to("dimensionless").magnitude),
    ),
    Exercise(
        name="pue_gemini",
        title="The PUE inside Google's per-prompt breakdown",
        objective=OBJ_PUE,
        unit="dimensionless",
        expected=gemini_pue,
        # The published shares add up to 101 %: 1 / (IT share) and 1 / (1 − overhead share), both taught in
        # the lesson, land 1 % apart; both are right to the precision of the data.
        also_accepted=(lambda: 1 / sum(share(p) for p in GEMINI_IT_PARTS),
                       lambda: 1 / (1 - share("gemini_overhead_share"))),
        rtol=0.005,
        misconceptions=(
            Misconception("That counts only the accelerators as IT. The host CPUs, memory and the idle "
                          "machines kept ready are IT equipment too; only the data-centre overhead is not.",
                          wrong=lambda: gemini_pue(("gemini_tpu_share",)), code="accelerators_only"),
            Misconception("PUE is facility energy ÷ IT energy, so it is never below 1. You divided the "
                          "other way round.", inverted=True, code="pue_inverted"),
            Misconception("That is the overhead relative to IT. PUE counts the IT energy too: add 1.",
                          wrong=lambda: gemini_pue() - 1, code="pue_overhead_only"),
            Misconception("That is the IT share in percent. PUE is its inverse, facility ÷ IT, a plain "
                          "number of at least 1.", wrong=lambda: 100 / gemini_pue(), code="it_share_not_pue"),
        ),
        hints=("PUE = facility energy ÷ IT energy. Which of the four parts are IT equipment?",
               "The accelerators, the host machines and the idle capacity are IT; the data-centre overhead "
               "is not. The four shares add up to the whole (up to rounding).",
               "PUE = (IT parts + overhead) ÷ IT parts."),
        takeaway=lambda: f"Compare Google's fleet PUE, {fmt(fact('google_fleet_pue'))}: the per-prompt "
                         "breakdown and the fleet figure tell the same story.",
    ),
    Exercise(
        name="it_shares",
        title="How much reaches IT: industry average vs a cloud provider",
        objective=OBJ_PUE,
        unit="percent",
        expected=it_shares,
        shape=(2,),
        misconceptions=(
            Misconception("A PUE of 1.x does not mean x tenths of the total are overhead: the overhead is "
                          "measured against the IT energy. The IT share is 1 / PUE.",
                          wrong=lambda: (2 - it_shares().to("dimensionless").magnitude ** -1) * 100 * u.percent,
                          code="overhead_of_total"),
            Misconception("Right values, wrong order: first the industry average, then Azure.",
                          wrong=lambda: it_shares()[::-1], code="order"),
        ),
        hints=("The IT share of facility energy is IT ÷ facility = 1 / PUE.",
               "Give two numbers, in percent, as a list: [share at the industry average, share at Azure]."),
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
        misconceptions=(
            Misconception("Your function returns IT ÷ facility; PUE is facility ÷ IT (at least 1).",
                          wrong=lambda it, cooling, other: it / (it + cooling + other), code="pue_inverted"),
            Misconception("Your function returns only the overhead, (cooling + other) ÷ IT. PUE counts the IT "
                          "energy too: add 1.", wrong=lambda it, cooling, other: (cooling + other) / it,
                          code="pue_overhead_only"),
            Misconception("Your function leaves out the third argument: 'other' loads (lighting, power "
                          "conversion) are part of the facility too.",
                          wrong=lambda it, cooling, other: (it + cooling) / it, code="other_left_out"),
        ),
        hints=("The facility's total is IT + cooling + other.",
               "Return total ÷ it. With pint quantities the units cancel; mixing kW and MW is fine.",
               "Add the three parts, divide the sum by the IT part, and end the function with `return`."),
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
            Misconception("You used France's grid intensity (the BLOOM training). GPT-3 was trained in the "
                          "US: use the US average that Patterson et al. used.",
                          wrong=lambda: gpt3_emissions("france_grid_intensity_bloom"), code="wrong_grid"),
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
        rtol=0.003,
        misconceptions=(
            Misconception("The PUE belongs to the off-site part only: on-site water is defined per kWh of "
                          "IT energy (WUE), so it is not multiplied by the PUE.",
                          wrong=lambda: acc.annual_energy(DC_IT_POWER) * fact("azure_pue")
                          * (fact("azure_wue_onsite") + fact("azure_water_offsite")), code="pue_on_both"),
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
        title="Stargate's revised capacity as energy per year",
        objective=OBJ_SCALE,
        unit="TWh",
        expected=stargate_energy,
        hints=("Power is a rate; energy is power × time. How many hours in a year?",
               f"Assume the full capacity around the clock (an upper bound). A year has {HOURS_PER_YEAR:,} h.",
               "GW × h = GWh; 1 TWh = 1,000 GWh."),
        takeaway=lambda: f"That is "
                         f"{fmt((stargate_energy() / fact('lbnl_us_dc_electricity_2023')).to('percent'), sig=2)} "
                         "of what all US data centres used in 2023, if it all ran flat out all year.",
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
            Misconception("That is a continuous (logarithmic) growth rate, ln(end/start)/years. The question "
                          "asks for the compound annual rate: (end/start)^(1/years) − 1.",
                          wrong=lambda: math.log((fact("iea_dc_electricity_2030") / fact("iea_dc_electricity_2024"))
                                                 .to("dimensionless").magnitude) / IEA_YEARS * u.dimensionless,
                          code="log_rate"),
            Misconception("You have the growth factor per year, 1 + r. Subtract 1 to get the rate r.",
                          wrong=lambda: iea_growth() + 1, code="factor_not_rate"),
            Misconception("You have the growth factor per year, 1 + r, as a plain number. Subtract 1 to get "
                          "the rate r, then give it in percent.",
                          wrong=lambda: (iea_growth() + 1).to("dimensionless").magnitude * u.percent,
                          code="factor_not_rate"),
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
        name="devries_per_user",
        title="A day of chatting, per user, in de Vries's estimate",
        objective=OBJ_QUERY,
        unit="Wh",
        expected=devries_energy_per_user,
        count=Count(lambda: _count("devries_daily_users"), "user"),
        misconceptions=(
            Misconception("That is the energy per request. The question asks per user and day; each user "
                          "makes several requests.", wrong=devries_energy_per_request, code="per_request"),
            Misconception("You divided by the number of servers as well: the daily energy already covers "
                          "all of them, and the users are shared across the whole fleet.",
                          wrong=lambda: devries_energy_per_user() / _count("devries_servers"),
                          code="per_server"),
        ),
        hints=("First the fleet's energy in one day: number of servers × power per server × 24 h.",
               "Then share it over the users of that day.",
               "Give the result in Wh: (energy / users).to(u.Wh)."),
        takeaway=lambda: "About {:.0f} smartphone charges per user per day, if the servers really ran at full "
                         "power.".format((devries_energy_per_user() / fact("smartphone_charge_energy"))
                                         .to("dimensionless").magnitude),
    ),
    Exercise(
        name="query_assumption",
        title="Why the per-query estimates differ",
        objective=OBJ_QUERY,
        kind="choice",
        expected=lambda: "a",
        choices={
            "a": "",
            "b": "None of the per-query energy figures counts water; water is reported separately.",
            "c": "De Vries's figure covers serving requests only; training is not in it.",
            "d": "Energy per query is electricity, before any grid intensity; the grid changes "
                 "emissions, not watt-hours.",
        },
        hints=("Three of the options would change something other than the watt-hours per request, or "
               "are not in de Vries's estimate at all. Which ones?",
               "Look at what de Vries assumes about how hard the servers work.",
               lambda: f"Google's {fmt(fact('gemini_median_prompt_energy'))} is a measured median that "
                       "includes idle machines; de Vries assumes every server at its full rated power, all day."),
        takeaway=lambda: f"Assuming full power around the clock makes de Vries's "
                         f"{fmt(fact('devries_chatgpt_request_energy'))} an upper bound; measured fleets run "
                         "well below their rated power.",
    ),
]
