"""Chapter 07 — what energy costs, who pays, whether efficiency wins: the exercises and the capstone.

Learning objectives (as in the chapter notebook):

1. Compute an accelerator's cost of ownership and electricity's share of it, and say how the electricity price
   and the utilisation move each.
2. Follow one chain from joules per token to dollars per million tokens and grams of CO₂, and name the lever
   that moves each link.
3. Read price trends correctly: per year, in real dollars, and as list prices rather than costs.
4. Schedule flexible work by carbon intensity, and explain why the average and the marginal signal disagree.
5. Predict when an efficiency gain lowers total energy and when rebound wins, and set scale claims (Stargate)
   beside the IEA's projection.
6. Design a whole AI service that meets a quality and a latency target at the least energy, cost and emissions.

Every expected value is computed here from :mod:`energylab.economics`, :mod:`energylab.grid`,
:mod:`energylab.experiments.service` and :mod:`energylab.sources`. Numbers marked *course assumption* are the
exercises' own scenario.
"""
from __future__ import annotations

from functools import lru_cache

from .. import economics, grid
from ..sources import value as fact
from ..units import Q_, u
from .spec import Exercise, Misconception

OBJ_TCO = "1 · cost of ownership"
OBJ_CHAIN = "2 · joules → dollars → grams"
OBJ_TRENDS = "3 · price trends"
OBJ_GRID = "4 · carbon-aware scheduling"
OBJ_REBOUND = "5 · rebound and scale"
OBJ_CAPSTONE = "6 · the capstone"

# --- course assumptions of the scenarios ----------------------------------------------------------------
SHARE_PRICE = 15 * u.cent / u.kWh        # the energy-share exercise's electricity price
SHARE_YEARS = 5
USED_UTILISATION = 0.4                   # the cost-per-used-hour exercise
TOKEN_ENERGY = 0.3 * u.J / u.token       # IT energy per generated token …
TOKEN_PUE = 1.2
TOKEN_THROUGHPUT = 3000 * u.token / u.s  # … and tokens per second of one busy H100
TOKEN_UTILISATION = 0.6
JOB_HOURS = 4                            # the flexible job …
JOB_WINDOW = 24                          # … finished within a day of being ready …
JOB_READY = 24 * 165 + 18                # … at 18:00 on 15 June (hour of the year) on Germany's grid (seed 0)
REBOUND_GAIN = 10.0                      # energy per token falls tenfold …
REBOUND_ELASTICITY = 1.2                 # … and demand answers with this price elasticity


# --- scenarios -------------------------------------------------------------------------------------------

def gpu_energy_per_year(pue: bool = True):
    """Facility electricity of one H100 at 1.0 kW of IT power, busy all year, PUE 1.2 (course assumption)."""
    central = economics.H100_CENTRAL
    tco = economics.h100_ownership(utilisation=1.0, pue=central["pue"] if pue else 1.0)
    return tco.energy.to("MWh/year") * Q_(1, "year")


def tco_energy_share(variant: str = "depreciated"):
    """Electricity's share of an H100's cost of ownership at SHARE_PRICE (central assumptions, 5 years)."""
    tco = economics.h100_ownership(SHARE_PRICE, years=SHARE_YEARS, **({"pue": 1.0} if variant == "no_pue" else {}))
    if variant == "no_depreciation":       # a whole capital outlay set against one year's electricity
        capital = (tco.capital + tco.facility) * Q_(SHARE_YEARS, "year")
        return (tco.electricity * Q_(1, "year") / (capital + tco.electricity * Q_(1, "year"))).to("percent")
    if variant == "no_facility":
        return (tco.electricity / (tco.capital + tco.electricity)).to("percent")
    return tco.energy_share.to("percent")


def cost_per_used_hour(per_used: bool = True, pue: bool = True, idle: bool = True):
    """Cost of one hour of useful work of an H100 busy USED_UTILISATION of the time (US industrial price)."""
    kwargs = {} if pue else {"pue": 1.0}
    if not idle:
        kwargs["idle_power"] = 0.0
    tco = economics.h100_ownership(utilisation=USED_UTILISATION, **kwargs)
    return (tco.per_used_hour if per_used else tco.per_hour).to("USD/h")


def electricity_per_mtok(pue: bool = True, per: str = "Mtok"):
    """Electricity cost of a million tokens at TOKEN_ENERGY, TOKEN_PUE and the US industrial price."""
    cost = economics.token_cost(TOKEN_ENERGY, TOKEN_THROUGHPUT, 0, pue=TOKEN_PUE if pue else 1.0)
    return cost.electricity.to("USD/Mtok") if per == "Mtok" else Q_(cost.electricity.to("USD/token").magnitude,
                                                                      "USD/Mtok")


def capital_per_mtok(utilisation: bool = True, facility: bool = True):
    """Capital part of the cost per million tokens on an H100 at TOKEN_THROUGHPUT, busy TOKEN_UTILISATION."""
    tco = economics.h100_ownership(utilisation=TOKEN_UTILISATION)
    hourly = economics.capital_per_hour(tco) if facility else (tco.capital / Q_(8760, "h/year")).to("USD/h")
    cost = economics.token_cost(TOKEN_ENERGY, TOKEN_THROUGHPUT, hourly,
                                utilisation=TOKEN_UTILISATION if utilisation else 1.0)
    return cost.capital.to("USD/Mtok")


def _api(model: str):
    return next(p for p in economics.api_prices() if p.model == model)


def api_decline(per_year: bool = True):
    """Yearly factor of the fall in GPT-4-class input prices, GPT-4 8K (Mar 2023) → GPT-4o (Aug 2024)."""
    start, end = _api("GPT-4 8K"), _api("GPT-4o (2024-08-06)")
    years = end.date - start.date
    if not per_year:
        return (start.input / end.input).to("dimensionless")
    return economics.decline_per_year(start.input, end.input, years)


def real_davinci(variant: str = "real"):
    """GPT-3 davinci's 2021 list price in 2024 dollars (US CPI-U)."""
    price = _api("GPT-3 davinci").input
    if variant == "inverted":
        return economics.to_real(price, 2024, 2021).to("USD/Mtok")
    return economics.to_real(price, 2021, 2024).to("USD/Mtok")


@lru_cache(maxsize=1)
def _job():
    hours = JOB_READY + JOB_WINDOW + 24
    average = grid.carbon_intensity_profile("germany", seed=0, hours=hours)
    marginal = grid.marginal_intensity_profile("germany", seed=0, hours=hours)
    on_average = grid.shift_job(marginal, JOB_HOURS, JOB_WINDOW, start=JOB_READY, mode="delay", decide_on=average)
    judged_on_average = grid.shift_job(average, JOB_HOURS, JOB_WINDOW, start=JOB_READY, mode="delay")
    return on_average.saving, judged_on_average.saving


def marginal_saving(judged: str = "marginal"):
    """Saving of the job scheduled on the average signal, judged on the marginal (or on the average)."""
    on_marginal, on_average = _job()
    return Q_(100 * (on_marginal if judged == "marginal" else on_average), "percent")


def rebound_energy(variant: str = "energy"):
    """Total energy after/before when energy per token falls REBOUND_GAIN× and demand has REBOUND_ELASTICITY."""
    r = economics.rebound_effect(REBOUND_GAIN, REBOUND_ELASTICITY)
    return Q_({"energy": r.energy, "demand": r.demand, "no_rebound": 1 / REBOUND_GAIN}[variant], "dimensionless")


def stargate_share(hours: bool = True, as_twh: bool = False):
    """Stargate's announced 10 GW run a whole year, as a share of the IEA's 2030 data-centre electricity."""
    capacity = fact("stargate_capacity")
    if as_twh:                     # "10 GW" read as 10 TWh a year
        return (Q_(capacity.to("GW").magnitude, "TWh") / fact("iea_dc_electricity_2030")).to("percent")
    energy = capacity * Q_(8760 if hours else 1, "h")
    return (energy / fact("iea_dc_electricity_2030")).to("percent")


def claim_energy_share():
    return "a"


# --- the capstone ---------------------------------------------------------------------------------------

def _reference_design() -> dict:
    from ..experiments import service
    return dict(service.best()["emissions"].design)


def _levers(outcome, what: str) -> str:
    """The best single change of each kind that stays feasible and lowers ``what`` (tried, not guessed)."""
    from ..cooling import DESIGNS
    from ..experiments import service
    d = outcome.design
    options = [("precision", "int8 weights", {"precision": "int8"}),
               *[("batch", f"a batch of {b}", {"batch": b}) for b in service.BATCHES],
               *[("params", f"the {p}B model", {"params": p}) for p in service.PARAMS],
               *[("cooling", f"{c} cooling", {"cooling": c}) for c in DESIGNS],
               *[("region", f"a site in {r}", {"region": r}) for r in service.REGIONS],
               ("offline", "the offline tokens in the cleanest hours", {"offline": "cleanest_hours"})]
    best = {}
    for kind, text, change in options:
        if all(d[k] == v for k, v in change.items()):
            continue
        other = service.evaluate(d | change)
        value = getattr(other, what)
        if service.feasible(other) and value < getattr(outcome, what) * (1 - 1e-9) and value < best.get(kind, (
                float("inf"),))[0]:
            best[kind] = (value, text)
    allowance = service.SLACK * getattr(service.best()[what], what)
    ranked = sorted(best.values())[:3]
    texts = [text + (" (enough on its own)" if value <= allowance else "") for value, text in ranked]
    return ", ".join(texts) if texts else "changing two choices at once"


def grade_service_design(answer):
    """A design dict → correct if feasible and within SLACK of the least energy, cost and emissions."""
    from ..experiments import service
    if isinstance(answer, dict):
        keys = {"params", "precision", "batch", "cooling", "region", "offline"}
        extra, missing = sorted(set(map(str, answer)) - keys), sorted(keys - set(map(str, answer)))
        if extra or missing:
            raise TypeError("The design needs exactly the keys params, precision, batch, cooling, region and offline"
                            + (f"; unknown: {', '.join(extra)}" if extra else "")
                            + (f"; missing: {', '.join(missing)}" if missing else "") + ".")
    outcome = service.evaluate(answer)              # TypeError/ValueError name the key and the choices
    d = outcome.design
    text = (f"{d['params']}B parameters in {d['precision']}, batch {d['batch']}, {d['cooling']} cooling in "
            f"{d['region']}, offline tokens {d['offline'].replace('_', ' ')}: loss {outcome.loss:.3f} (target ≤ "
            f"{service.TARGET_LOSS}), {outcome.token_latency_ms:.1f} ms per token (limit "
            f"{service.MAX_TOKEN_LATENCY_MS:g}), {outcome.energy:.3f} J/token, {outcome.cost:.3f} USD/Mtok, "
            f"{outcome.emissions:.3g} gCO2e per 1,000 tokens.")
    missed = service.binding(outcome)
    if missed:
        reasons = []
        if "loss" in missed:
            reasons.append("quality: the loss is above the target, so a larger model is needed")
        if "memory" in missed:
            fitting = [b for b in service.BATCHES if service.evaluate(d | {"batch": b}).fits]
            reasons.append(f"memory: {d['batch']} sequences of {service.CONTEXT:,} tokens of KV cache do not fit "
                           f"beside the weights" + (f" (at most {max(fitting)} do in {d['precision']})" if fitting
                                                     else ""))
        if "latency" in missed:
            smaller = [p for p in service.PARAMS if p < d["params"] and not service.binding(
                service.evaluate(d | {"params": p, "batch": 1}))]
            reasons.append("latency: each decoding step takes too long at this batch; a smaller batch"
                           + (" (or a smaller model that still meets the loss target)" if smaller else "")
                           + " answers faster")
        return ("incorrect", text + " Binding: " + "; ".join(reasons) + ".", missed[0])
    ratios = service.passing(outcome)
    # Energy first: emissions and cost follow from it, so an energy problem is named as one.
    over = [(what, ratios[what]) for what in ("energy", "cost", "emissions") if ratios[what] > service.SLACK]
    if over:
        what, ratio = over[0]
        noun = {"energy": "energy per token", "cost": "cost per token", "emissions": "emissions per token"}[what]
        verb = "are" if what == "emissions" else "is"
        return ("incorrect", text + f" It meets the targets, but its {noun} {verb} {ratio:.1f}× the least a feasible "
                f"design reaches (allowed: {service.SLACK:g}×). Single changes that lower it and still meet the "
                f"targets: {_levers(outcome, what)}.",
                f"wasteful_{what}")
    return "correct", text + " Within " + f"{service.SLACK:g}× of the best on energy, cost and emissions.", "met"


# --- the exercises --------------------------------------------------------------------------------------

EXERCISES = [
    Exercise(
        name="gpu_energy_per_year",
        title="A year of one H100",
        objective=OBJ_TCO,
        unit="MWh",
        expected=gpu_energy_per_year,
        pue=lambda: economics.H100_CENTRAL["pue"],
        hints=("Energy = power × time; a year has 8,760 hours; the site draws PUE × the IT power.",),
        takeaway="About ten megawatt-hours a year per GPU: the electricity bill is this times the price.",
    ),
    Exercise(
        name="tco_energy_share",
        title="Electricity's share of the cost",
        objective=OBJ_TCO,
        unit="percent",
        nature="fraction",
        expected=tco_energy_share,
        misconceptions=(
            Misconception("That sets the whole purchase price against one year's electricity. Capital is spent once "
                          "and used for years: spread it over the depreciation period (or compare five years of "
                          "electricity with it).", wrong=lambda: tco_energy_share("no_depreciation"),
                          code="capex_not_depreciated"),
            Misconception("That leaves out the facility: the building's power and cooling cost about USD 12M per MW "
                          "of IT, and each GPU takes up its share.", wrong=lambda: tco_energy_share("no_facility"),
                          code="facility_forgotten"),
            Misconception("That leaves out the PUE: the site draws 1.2 × the IT power, and the bill is for the site.",
                          wrong=lambda: tco_energy_share("no_pue"), code="pue_forgotten"),
        ),
        hints=("Per year: capital ÷ 5 years, facility capex per MW × 1 kW ÷ 5 years, electricity = MWh/year × price.",
               "economics.h100_ownership(price).energy_share"),
        takeaway="Even at 15 ¢/kWh, electricity is a minority of an accelerator's cost: capital dominates.",
    ),
    Exercise(
        name="cost_per_used_hour",
        title="An hour of useful work",
        objective=OBJ_TCO,
        unit="USD/h",
        expected=cost_per_used_hour,
        rtol=0.002,
        misconceptions=(
            Misconception("That is the cost per hour of the year, busy or idle. The hardware costs the same when it "
                          "idles: divide by the busy hours only (× 1/utilisation).",
                          wrong=lambda: cost_per_used_hour(per_used=False), code="utilisation_forgotten"),
            Misconception("That leaves out the PUE: the site draws 1.2 × the IT power, busy or idle.",
                          wrong=lambda: cost_per_used_hour(pue=False), code="pue_forgotten"),
            Misconception("That leaves out the idle hours' electricity: an idle server still draws 30 % of its busy "
                          "power.", wrong=lambda: cost_per_used_hour(idle=False), code="idle_power_forgotten"),
        ),
        hints=("Total cost per year ÷ (8,760 h × utilisation).",),
        takeaway="Idle hours are paid for: raising utilisation is the cheapest way to cut the cost of each hour "
                 "of work, even though it raises electricity's share.",
    ),
    Exercise(
        name="electricity_per_mtok",
        title="Electricity per million tokens",
        objective=OBJ_CHAIN,
        unit="USD/Mtok",
        expected=electricity_per_mtok,
        pue=lambda: TOKEN_PUE,
        slips={"joule_wh": True},
        misconceptions=(
            Misconception("That is the cost of one token; the question asks for a million tokens.",
                          wrong=lambda: electricity_per_mtok(per="token"), code="per_token_not_per_million"),
        ),
        hints=("0.3 J/token × 1.2 = J at the meter; × 10⁶ tokens; ÷ 3.6 × 10⁶ J/kWh; × USD/kWh.",),
        takeaway="A few tenths of a joule per token is under a cent of electricity per million tokens.",
    ),
    Exercise(
        name="capital_per_mtok",
        title="Capital per million tokens",
        objective=OBJ_CHAIN,
        unit="USD/Mtok",
        expected=capital_per_mtok,
        misconceptions=(
            Misconception("That assumes the GPU is busy every hour. It serves tokens only 60 % of the time, but its "
                          "capital is paid for all of it.", wrong=lambda: capital_per_mtok(utilisation=False),
                          code="utilisation_forgotten"),
            Misconception("That leaves out the facility: the building's power and cooling are capital too, about a "
                          "quarter of it here.", wrong=lambda: capital_per_mtok(facility=False),
                          code="facility_forgotten"),
            Misconception("That is 3,600× too large: the throughput is per second and the capital per hour; a busy "
                          "hour makes 3,600 × 3,000 tokens.", factor=3600.0, code="seconds_not_hours"),
        ),
        hints=("Capital per hour (economics.capital_per_hour) ÷ (tokens/s × 3,600 s/h × utilisation).",),
        takeaway=lambda: (f"Per token, the hardware costs {(capital_per_mtok() / electricity_per_mtok()).m:.0f}× the "
                          "electricity here: the levers are utilisation and throughput, not only joules."),
    ),
    Exercise(
        name="api_decline",
        title="How fast did prices fall?",
        objective=OBJ_TRENDS,
        unit="dimensionless",
        nature="ratio",
        expected=api_decline,
        misconceptions=(
            Misconception("That is the whole fall over the period; the question asks for the factor per year: the "
                          "(1/years)-th power of it.", wrong=lambda: api_decline(per_year=False),
                          code="total_not_per_year"),
            Misconception.inverse("That is new ÷ old, below 1; the factor of a fall is old price ÷ new price.",
                                  code="inverted"),
        ),
        hints=("From March 2023 to August 2024 is 17 months.", "factor per year = (p₀ / p₁)^(1 / years)"),
        takeaway="Several-fold a year, slower than the 10–40× a year the sources find at constant capability: GPT-4o "
                 "is not GPT-4, and list prices are not costs.",
    ),
    Exercise(
        name="real_davinci",
        title="2021 dollars in 2024",
        objective=OBJ_TRENDS,
        unit="USD/Mtok",
        expected=real_davinci,
        misconceptions=(
            Misconception("That is the nominal price, unchanged; in 2024 dollars it is higher, because prices rose "
                          "between 2021 and 2024.", wrong=lambda: _api("GPT-3 davinci").input, code="nominal_not_real"),
            Misconception("That deflates the wrong way: to express a 2021 price in 2024 dollars multiply by "
                          "CPI(2024) / CPI(2021).", wrong=lambda: real_davinci("inverted"), code="deflated_backwards"),
        ),
        hints=("economics.to_real(price, 2021, 2024)",),
        takeaway="Inflation makes old prices look cheaper than they were: a real decline is steeper than the nominal.",
    ),
    Exercise(
        name="marginal_saving",
        title="Shifted on the average, judged on the margin",
        objective=OBJ_GRID,
        unit="percent",
        nature="fraction",
        slips={"sign": True},
        rtol=0.02,
        expected=marginal_saving,
        misconceptions=(
            Misconception("That is the saving judged on the average intensity, the signal the job was scheduled by. "
                          "The question asks what the shift changes in the system: judge it with the marginal "
                          "intensity.", wrong=lambda: marginal_saving("average"), code="average_not_marginal"),
        ),
        hints=("grid.shift_job(marginal, 4, 24, start=…, mode='delay', decide_on=average).saving",),
        takeaway="A schedule that looks clean on the average can save little, or nothing, on the plants that "
                 "actually answer the extra load.",
    ),
    Exercise(
        name="rebound_energy",
        title="Ten times more efficient",
        objective=OBJ_REBOUND,
        unit="dimensionless",
        nature="ratio",
        expected=rebound_energy,
        misconceptions=(
            Misconception("That assumes demand stays the same. The price falls with the energy, and with an "
                          "elasticity of 1.2 demand grows by more than tenfold.",
                          wrong=lambda: rebound_energy("no_rebound"), code="rebound_ignored"),
            Misconception("That is the growth of demand; the energy is demand ÷ the efficiency gain.",
                          wrong=lambda: rebound_energy("demand"), code="demand_not_energy"),
        ),
        hints=("Demand × k^ε when the price falls k-fold; energy = demand ÷ k.",),
        takeaway="With an elasticity above 1, efficiency raises total energy: Jevons' paradox.",
    ),
    Exercise(
        name="stargate_share",
        title="Stargate against the world",
        objective=OBJ_REBOUND,
        unit="percent",
        nature="fraction",
        expected=stargate_share,
        misconceptions=(
            Misconception("That treats gigawatts as gigawatt-hours: a power must run for hours to be an energy "
                          "(8,760 in a year).", wrong=lambda: stargate_share(hours=False), code="power_not_energy"),
            Misconception("That reads 10 GW as 10 TWh a year. A gigawatt for a year is 8,760 GWh = 8.76 TWh, so "
                          "10 GW for a year is 87.6 TWh.", wrong=lambda: stargate_share(as_twh=True),
                          code="gw_as_twh"),
        ),
        hints=("10 GW × 8,760 h = TWh a year; divide by the IEA's 2030 figure.",),
        takeaway="One announced project at full power would be about a tenth of all data-centre electricity the "
                 "IEA expects in 2030; a plan, not demand, and GW rarely says IT or facility power.",
    ),
    Exercise(
        name="claim_energy_share",
        title="“Cutting energy is the best way to cut cost”",
        objective=OBJ_TCO,
        unit="",
        kind="choice",
        expected=claim_energy_share,
        choices={
            "a": "",
            "b": "Electricity is a minority of the cost of ownership at industrial prices; capital is most of it.",
            "c": "Electricity's share rises, not falls, with utilisation: busy hours draw more power while the "
                 "capital is the same.",
            "d": "Energy-saving design does cut cost, but where capital dominates, buying less hardware or using it "
                 "more cuts more; the claim holds only where electricity is dear.",
        },
        hints=("Compare electricity's share at 8, 15 and 30 ¢/kWh with capital's.",),
        takeaway="Energy and cost are aligned but not the same: the biggest cost lever is the hardware's use.",
    ),
    Exercise(
        name="service_design",
        title="Capstone: design an AI service",
        objective=OBJ_CAPSTONE,
        unit="",
        kind="task",
        expected=_reference_design,
        grade=grade_service_design,
        hints=("Start from the smallest model that meets the loss target; then the precision and the batch; then "
               "the site and the grid.",
               "service.evaluate(design) gives every number; service.binding(outcome) names what a design misses.",
               "Several designs pass: within 25 % of the best on energy, cost and emissions at once."),
        takeaway="A service's footprint is set by a chain of choices: model, format, batch, site, grid and hour; "
                 "each lever moves a different link.",
    ),
]
