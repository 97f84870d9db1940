"""Chapter 06 — cooling: the exercises.

Learning objectives (as in the chapter notebook):

1. Size the air or water flow that carries a heat load, and explain why dense AI racks need liquid cooling.
2. Compute refrigeration COPs (Carnot and real chillers), the heat a plant rejects, and the hours in which a
   climate allows free cooling.
3. Simulate a data centre over a year to see how climate and cooling design set its PUE and water use.
4. Quantify the water cooling evaporates per kWh of heat, and weigh water consumed against water withdrawn and
   on-site water against the electricity that saves it.
5. Quantify heat reuse (homes heated) and chilled-water storage (tank size, load shifted, savings).
6. Judge thermoelectric coolers against compressors, and say where each belongs.

Every expected value is computed here from :mod:`energylab.cooling` and :mod:`energylab.sources`. Numbers
marked *course assumption* are the exercises' own scenario.
"""
from __future__ import annotations

from functools import lru_cache

from .. import cooling
from ..sources import value as fact
from ..units import HOURS_PER_YEAR, u
from .spec import Exercise, Misconception

OBJ_FLOW = "1 · heat and coolant flow"
OBJ_COP = "2 · refrigeration, heat rejection, free cooling"
OBJ_SITE = "3 · a site over a year"
OBJ_WATER = "4 · water"
OBJ_REUSE_STORAGE = "5 · heat reuse and storage"
OBJ_PELTIER = "6 · thermoelectric coolers"

# --- course assumptions of the scenarios ----------------------------------------------------------------
RACK_DELTA_T = 10 * u.K
CHILLED = 18 * u.degC
REJECTION = 35 * u.degC
IT_LOAD = 1 * u.MW
SITE = ("temperate", "air_chiller")
REUSE_SITE = 10 * u.MW
SHIFT_HOURS = 4 * u.h
TANK_DELTA_T = 10 * u.K
PELTIER_COLD, PELTIER_HOT, PELTIER_ZT = 20 * u.degC, 35 * u.degC, 1.0
FREE_CLIMATE = "temperate"    # free cooling: climate (seed 0), coolant supply and loop rise
FREE_SUPPLY = 18 * u.degC
FREE_LOOP_DELTA_T = 6 * u.K
TASK_MAX_PUE = 1.15           # the open task's limits
TASK_MAX_WUE = 0.5            # L of on-site water per kWh of IT energy


def rack_flow(coolant: str = "water"):
    return cooling.volume_flow(fact("gb200_nvl72_rack_power"), RACK_DELTA_T, coolant).to("L/min")


def carnot(t_cold=CHILLED, t_hot=REJECTION, heating: bool = False):
    f = cooling.carnot_cop_heating if heating else cooling.carnot_cop_cooling
    return f(t_cold, t_hot)


def heat_rejected(include_work: bool = True):
    """Heat the towers reject for IT_LOAD removed by a water-cooled chiller at the low end of its COP range."""
    cop = fact("chiller_cop_water_cooled")[0]
    heat = IT_LOAD * (1 + 1 / cop) if include_work else IT_LOAD
    return heat.to("MW")


def approach(name: str):
    """A course approach temperature of :mod:`energylab.cooling` (``"dry_cooler"``, ``"economiser_hx"``), in K."""
    return cooling.DEFAULT_APPROACHES[name] * u.K


@lru_cache(maxsize=8)
def _free(dry: bool = True, hx: bool = True):
    year = cooling.synthetic_climate(FREE_CLIMATE, seed=0)
    sink = year.temperature.to("K") + (approach("dry_cooler") if dry else 0 * u.K)
    return cooling.free_cooling_hours(sink, FREE_SUPPLY, FREE_LOOP_DELTA_T,
                                      approach("economiser_hx") if hx else 0 * u.K)


def free_hours(dry: bool = True, hx: bool = True, count: str = "full"):
    """Hours of the year in which dry coolers carry the whole load (``count="full"``), or a wrong count."""
    fc = _free(dry, hx)
    hours = {"full": fc.full_hours, "any": fc.full_hours + fc.partial_hours, "equivalent": fc.equivalent_hours}
    return hours[count] * u.h


@lru_cache(maxsize=1)
def _site():
    return cooling.simulate_site(*SITE, it_load=IT_LOAD, seed=0)


def annual_pue(kind: str = "pue"):
    pue = _site().pue
    pue = float(getattr(pue, "magnitude", pue))
    return {"pue": pue, "overhead": pue - 1, "inverted": 1 / pue}[kind] * u.dimensionless


def water_per_mwh(latent: str = "water_latent_heat_30c"):
    return cooling.water_evaporated(1 * u.MWh, fact(latent)).to("L")


def homes(per_mw: bool = False):
    n = cooling.homes_per_mw(REUSE_SITE if not per_mw else 1 * u.MW)
    return n * u.dimensionless if not hasattr(n, "units") else n.to("dimensionless")


def tank(hours=SHIFT_HOURS, delta_t=TANK_DELTA_T):
    return cooling.tank_volume((IT_LOAD * hours).to("kWh"), delta_t).to("m**3")


def _peltier_celsius():
    """The ideal-module formula evaluated with °C numbers (the slip): a negative 'COP'."""
    tc, th, zt = PELTIER_COLD.magnitude, PELTIER_HOT.magnitude, PELTIER_ZT
    root = (1 + zt) ** 0.5
    return (tc / (th - tc)) * (root - th / tc) / (root + 1) * u.dimensionless


def peltier(zt=PELTIER_ZT, carnot_only: bool = False):
    if carnot_only:
        return cooling.carnot_cop_cooling(PELTIER_COLD, PELTIER_HOT)
    return cooling.peltier_cop_max(PELTIER_COLD, PELTIER_HOT, zt)


# --- the open task ---------------------------------------------------------------------------------------

def task_targets() -> str:
    return (f"Choose a climate from {list(cooling.CLIMATES)} and a design from {list(cooling.DESIGNS)}. "
            f"Limits: annual PUE at most {TASK_MAX_PUE}, on-site water at most {TASK_MAX_WUE} L per kWh of IT "
            f"energy (1 MW of IT, seed 0).")


def grade_site(answer):
    if isinstance(answer, dict):
        try:
            answer = (answer["climate"], answer["design"])
        except KeyError as missing:
            raise ValueError(f"Your dict needs the keys 'climate' and 'design' (missing {missing}).") from None
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__") or len(answer) != 2:
        raise TypeError("Give two names as a tuple: (climate, design), e.g. ('cold', 'air_chiller').")
    climate, design = answer
    if not isinstance(climate, str) or not isinstance(design, str) or climate not in cooling.CLIMATES \
            or design not in cooling.DESIGNS:
        raise ValueError(f"Climate must be one of {list(cooling.CLIMATES)} and design one of "
                         f"{list(cooling.DESIGNS)}; got {climate!r}, {design!r}.")
    result = cooling.simulate_site(climate, design, it_load=IT_LOAD, seed=0)
    pue = float(getattr(result.pue, "magnitude", result.pue))
    wue = float(getattr(result.wue, "magnitude", result.wue))
    good_pue, good_water = pue <= TASK_MAX_PUE, wue <= TASK_MAX_WUE
    # Pass or fail on each limit, without the values: one site is exercise annual_pue's scenario.
    text = (f"{design} in the {climate} climate: annual PUE {'within' if good_pue else 'above'} the limit of "
            f"{TASK_MAX_PUE}; on-site water {'within' if good_water else 'above'} the limit of {TASK_MAX_WUE} "
            "L per kWh of IT energy.")
    if good_pue and good_water:
        return "correct", text, "met"
    if good_pue:
        return "incorrect", text + " Efficient, but it evaporates too much water: which designs reject heat dry?", \
            "too_thirsty"
    if good_water:
        return "incorrect", text + " Dry, but its cooling uses too much energy: where do compressors run least?", \
            "too_hungry"
    return "incorrect", text + " Neither limit is met.", "both"


def _reference_site():
    return ("cold", "direct_liquid")


# --- the exercises --------------------------------------------------------------------------------------

EXERCISES = [
    Exercise(
        name="rack_water_flow",
        title="Water flow for an AI rack",
        objective=OBJ_FLOW,
        unit="L/min",
        expected=rack_flow,
        misconceptions=(
            Misconception("Off by 60: litres per second vs per minute.", factor=60.0, both_ways=True,
                          code="per_second"),
            Misconception("That is the air flow: air carries about 3,500 times less heat per litre.",
                          wrong=lambda: rack_flow("air"), code="air_not_water"),
            Misconception("That looks like m³/s read as L/min: 1 m³/s = 60,000 L/min.", factor=1 / 60000,
                          code="m3s_not_lmin"),
            Misconception.celsius_difference(RACK_DELTA_T),
        ),
        hints=("All the rack's electrical power becomes heat. Heat = flow × volumetric heat capacity × ΔT.",
               "Flow = heat ÷ (volumetric heat capacity of water × ΔT), then convert m³/s to L/min.",
               "cooling.volume_flow(heat, delta_t, 'water')."),
        takeaway="A garden hose of water does what a gale of air could not: why dense AI racks go liquid.",
    ),
    Exercise(
        name="carnot_cop",
        title="The best possible chiller",
        objective=OBJ_COP,
        unit="dimensionless",
        expected=carnot,
        misconceptions=(
            Misconception("Carnot needs absolute temperatures: use kelvin (add 273.15), not °C.",
                          wrong=lambda: (CHILLED.magnitude / (REJECTION.magnitude - CHILLED.magnitude))
                          * u.dimensionless, code="celsius"),
            Misconception("That is the heating COP, T_h / (T_h − T_c). For cooling it is T_c / (T_h − T_c).",
                          wrong=lambda: carnot(heating=True), code="heating_cop"),
            Misconception("You divided the other way round: COP = T_c ÷ (T_h − T_c), more than 1.",
                          inverted=True, code="inverted"),
        ),
        hints=("COP_Carnot = T_c / (T_h − T_c), temperatures in kelvin.",
               "With pint: T_c.to(u.K) converts a °C temperature; the difference is the same in K and °C."),
        takeaway="An upper bound: real chillers reach well under this, and the smaller the lift, the better.",
    ),
    Exercise(
        name="heat_rejected",
        title="Heat the cooling towers must reject",
        objective=OBJ_COP,
        unit="MW",
        expected=heat_rejected,
        misconceptions=(
            Misconception("The chiller's own electricity also ends up as heat: the towers reject the IT heat "
                          "plus the chiller's work.", wrong=lambda: heat_rejected(include_work=False),
                          code="forgot_work"),
            Misconception("That is the chiller's electrical power (heat ÷ COP); the towers reject heat + work.",
                          wrong=lambda: (IT_LOAD / fact("chiller_cop_water_cooled")[0]).to("MW"),
                          code="work_only"),
            Misconception("You used the high end of the COP range; the statement asks for the low end.",
                          wrong=lambda: (IT_LOAD * (1 + 1 / fact("chiller_cop_water_cooled")[1])).to("MW"),
                          code="high_end"),
        ),
        hints=("The chiller moves the IT heat and adds its own work, heat ÷ COP.",
               "Heat rejected = IT heat × (1 + 1 / COP)."),
        takeaway="Cooling adds heat: every watt the chiller draws must be rejected as well.",
    ),
    Exercise(
        name="dry_cooler_hours",
        title="Hours of free cooling with dry coolers",
        objective=OBJ_COP,
        unit="h",
        expected=free_hours,
        misconceptions=(
            Misconception("You left out the heat exchanger's approach: the loop leaves the economiser a few kelvin "
                          "warmer than the dry cooler's water.", wrong=lambda: free_hours(hx=False),
                          code="no_hx_approach"),
            Misconception("You compared the supply with the outdoor air: a dry cooler's water leaves a few kelvin "
                          "warmer than the air that cools it.", wrong=lambda: free_hours(dry=False),
                          code="no_dry_cooler_approach"),
            Misconception("You left out both approaches (dry cooler and heat exchanger): the outdoor air must be "
                          "colder than the supply by both of them.", wrong=lambda: free_hours(dry=False, hx=False),
                          code="no_approach"),
            Misconception("That counts every hour in which the economiser helps at all; the question asks for the "
                          "hours in which it carries the whole load.", wrong=lambda: free_hours(count="any"),
                          code="partly_free_counted"),
            Misconception("That is the free share of the load summed over the year (partly free hours counted pro "
                          "rata); the question asks for the hours that are wholly free.",
                          wrong=lambda: free_hours(count="equivalent"), code="equivalent_hours"),
            Misconception("Every hour of the year came out free: were the outdoor temperatures in °C compared with "
                          "a supply temperature in kelvin? Compare both on one scale.",
                          wrong=lambda: HOURS_PER_YEAR * u.h, code="celsius_vs_kelvin"),
        ),
        hints=("The whole load is free when the dry cooler's water (outdoor air + its approach) plus the heat "
               "exchanger's approach is at or below the supply temperature.",
               "cooling.free_cooling_hours(sink, supply, delta_t_loop, approach) counts them: its .full_hours; the "
               "sink is the outdoor temperature plus the dry cooler's approach."),
        takeaway="Every kelvin of approach costs free hours, and every kelvin of warmer coolant buys them back.",
    ),
    Exercise(
        name="annual_pue",
        title="A year of an air-cooled site",
        objective=OBJ_SITE,
        unit="dimensionless",
        expected=annual_pue,
        misconceptions=(
            Misconception("That is the overhead (PUE − 1). PUE counts the IT energy too.",
                          wrong=lambda: annual_pue("overhead"), code="overhead_only"),
            Misconception("PUE = facility energy ÷ IT energy, at least 1: you divided the other way round.",
                          wrong=lambda: annual_pue("inverted"), code="inverted"),
        ),
        hints=("cooling.simulate_site(climate, design, it_load=…, seed=0) returns a result with .pue.",
               "Use the climate and design the statement names, and seed 0."),
        takeaway="Close to the industry average: air with compressors all year is why averages sit near 1.5.",
    ),
    Exercise(
        name="water_per_mwh",
        title="Water evaporated per MWh of heat",
        objective=OBJ_WATER,
        unit="L",
        expected=water_per_mwh,
        misconceptions=(
            Misconception("You used the latent heat at 100 °C; towers evaporate water at about 30 °C, where it "
                          "takes more energy per kilogram.", wrong=lambda: water_per_mwh("water_latent_heat_100c"),
                          code="latent_100c"),
        ),
        hints=("Mass evaporated = heat ÷ latent heat; 1 kg of water is about 1 L.",
               "1 MWh = 3,600 MJ; latent heat at 30 °C in MJ/kg."),
        takeaway="About 1.5 L per kWh of heat: any figure far above it counts more than evaporation.",
    ),
    Exercise(
        name="homes_heated",
        title="Homes heated by a data centre's heat",
        objective=OBJ_REUSE_STORAGE,
        unit="dimensionless",
        nature="count",
        expected=homes,
        rtol=0.01,
        misconceptions=(
            Misconception("That is per MW of IT load; the site has several.", wrong=lambda: homes(per_mw=True),
                          code="per_mw"),
            Misconception("That is an air-cooled site's figure: air captures less of the heat, at a lower "
                          "temperature. The statement's site is liquid-cooled.",
                          wrong=lambda: cooling.homes_per_mw(REUSE_SITE, cooling="air"), code="air_capture"),
        ),
        hints=("cooling.homes_per_mw(it_power) divides the heat a liquid-cooled site captures by Odense's heat "
               "per home (see its docstring).",
               "Give the number of homes for the whole site."),
        takeaway="Hundreds of homes per megawatt: reuse works where a heat network and a buyer exist.",
    ),
    Exercise(
        name="tank_volume",
        title="A chilled-water tank for a 4-hour shift",
        objective=OBJ_REUSE_STORAGE,
        unit="m**3",
        expected=tank,
        misconceptions=(
            Misconception("You left out the hours: the tank must hold the cooling energy of the whole shift.",
                          wrong=lambda: tank(hours=1 * u.h), code="forgot_hours"),
            Misconception("Off by 3.6: kWh vs MJ (1 kWh = 3.6 MJ).", factor=3.6, both_ways=True, code="kwh_mj"),
            Misconception.celsius_difference(TANK_DELTA_T),
        ),
        hints=("Energy to store = cooling power × hours. Capacity of water = volume × 4.18 MJ/(m³·K) × ΔT.",
               "cooling.tank_volume(energy, delta_t)."),
        takeaway="A few hundred cubic metres shift a megawatt of chiller load by hours: a cheap thermal battery.",
    ),
    Exercise(
        name="peltier_cop",
        title="A thermoelectric cooler's best COP",
        objective=OBJ_PELTIER,
        unit="dimensionless",
        expected=peltier,
        misconceptions=(
            Misconception("That is the Carnot COP; a Peltier module at ZT = 1 reaches only a fraction of it.",
                          wrong=lambda: peltier(carnot_only=True), code="carnot"),
            Misconception("A COP below zero means the temperatures went in as °C: the formula needs kelvin.",
                          wrong=lambda: _peltier_celsius(), code="celsius"),
        ),
        hints=("COP_max = (T_c/ΔT)·(√(1+ZT) − T_h/T_c)/(√(1+ZT) + 1), temperatures in kelvin.",
               "cooling.peltier_cop_max(t_cold, t_hot, zt)."),
        takeaway="Several times below a compressor at the same lift: good for hot spots, not for a building.",
    ),
    Exercise(
        name="site_task",
        title="Design a frugal site",
        objective=OBJ_SITE,
        kind="task",
        expected=_reference_site,
        grade=grade_site,
        hints=("cooling.compare_designs() tabulates PUE and water for every design in every climate.",
               "Evaporation saves energy but costs water; dry coolers need cool outdoor air or warm coolant."),
        takeaway="Climate and design together set both the energy and the water: there is no free lunch in heat.",
    ),
]
