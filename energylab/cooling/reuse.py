"""Heat reuse: a data centre's waste heat, lifted by heat pumps, warms homes (Odense) and pools (Paris).

* :func:`heat_available` — heat captured from the IT load, and at what temperature (liquid cooling gives more
  and warmer heat than air).
* :func:`heat_pump_cop`, :func:`heat_pump` — a heat pump lifting that heat to district-heating temperature, with
  a heating COP that is a fraction of the Carnot heating COP T_h/(T_h − T_c) (course assumption: one half).
* :func:`heat_per_home`, :func:`homes_heated`, :func:`homes_per_mw`, :func:`heat_reuse` — homes heated, using
  the heat per home implied by Meta's Odense figures (heat *recovered* ÷ homes ≈ 14.5 MWh per home per year).

**One boundary throughout: recovered heat.** Odense's per-home figure divides the heat *recovered* from the data
centre by the homes it serves, so every count here divides the heat *captured* from the IT load (before the heat
pump) by that figure; :func:`reuse_case_studies` does the same with each site's published heat. The heat pump's
electricity is reported separately (:func:`heat_reuse`), never counted as data-centre heat. On that boundary a
liquid-cooled site heats more homes than an air-cooled one (it captures a larger share of the heat), and its
warmer heat needs less heat-pump electricity.
* :func:`reuse_case_studies` — Odense and Paris side by side, with what each figure implies: teach the spread
  (6,900 vs 11,000 vs >12,000 homes; 1,000 vs 600 homes for Equinix PA10).

    >>> from energylab.units import u
    >>> from energylab.cooling import reuse
    >>> print(reuse.heat_per_home().round(2))
    14.49 MWh / yr
    >>> print(reuse.heat_pump_cop(28 * u.degC, 65 * u.degC).round(2))
    4.57
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from ..units import HOURS_PER_YEAR, as_fraction, as_quantity, fmt, plain
from ._common import LazyAssumptions, fact, kelvin

__all__ = ["REUSE_ASSUMPTIONS", "heat_available", "HeatAvailable", "heat_pump_cop", "heat_pump", "HeatPump",
           "heat_per_home", "homes_heated", "homes_per_mw", "HeatReuse", "heat_reuse", "ReuseCase", "ReuseTable",
           "reuse_case_studies"]

_CAPTURE = {"liquid": (0.9, 45.0), "air": (0.8, 28.0)}
_HEAT_PUMP_CARNOT_FRACTION = 0.5


def _assumptions() -> dict:
    """The module's course assumptions, quoting registry values from the registry (without marking them used)."""
    from .. import sources
    facts = sources.all_facts()

    def q(fact_id, unit):
        return float(facts[fact_id].q.to(unit).magnitude)

    t_in, t_out = q("equinix_pa10_heat_capture_temperature", "degC"), q("equinix_pa10_heat_delivery_temperature",
                                                                        "degC")
    eta = _HEAT_PUMP_CARNOT_FRACTION
    cop = eta * (t_out + 273.15) / (t_out - t_in)
    heat, homes = q("meta_odense_heat_recovered", "MWh/yr"), q("meta_odense_homes_heated", "dimensionless")
    f_liquid, t_liquid = _CAPTURE["liquid"]
    f_air, t_air = _CAPTURE["air"]
    return {
        "heat_pump_carnot_fraction": (f"{eta:g}", f"Large industrial heat pumps reach roughly half the Carnot heating "
                                                  f"COP; at Equinix PA10's {t_in:g} → {t_out:g} °C lift that gives "
                                                  f"COP ≈ {cop:.1f}."),
        "capture_liquid": (f"{f_liquid * 100:g} % of IT heat at ≈{t_liquid:g} °C",
                           "Warm-water cold plates take most server heat (the rest leaks to air); their return water "
                           "is 40–50 °C."),
        "capture_air": (f"{f_air * 100:g} % of IT heat at ≈{t_air:g} °C",
                        f"Hot-aisle air through water coils, as in Odense and at PA10 (captured at {t_in:g} °C, fact "
                        f"equinix_pa10_heat_capture_temperature)."),
        "heat_per_home": (f"{heat / homes:.1f} MWh/yr of recovered heat (Odense: {heat:,.0f} MWh ÷ {homes:,.0f} "
                          f"homes)",
                          "A Danish home on district heating. Odense's figure counts heat recovered from the data "
                          "centre, so the course divides captured (recovered) heat by it, never heat delivered by the "
                          "heat pump; other figures imply 9–18 MWh (reuse_case_studies)."),
    }


#: Course assumptions of this module: (value, reason).
REUSE_ASSUMPTIONS = LazyAssumptions(_assumptions)



class HeatAvailable(NamedTuple):
    """Heat a data centre can hand over (see :func:`heat_available`)."""
    power: pint.Quantity         # kW of heat captured
    temperature: pint.Quantity   # °C of the captured heat
    annual: pint.Quantity        # MWh/yr at that power all year


def heat_available(it_power, cooling: str = "liquid", capture_fraction=None, temperature=None) -> HeatAvailable:
    """Waste heat captured from an IT load: power = capture fraction × IT power, at a source temperature.

    Parameters
    ----------
    it_power : pint.Quantity or float or array_like
        IT power, at least 0; plain numbers in W.
    cooling : {"liquid", "air"}
        Sets the defaults: liquid 90 % at 45 °C, air 80 % at 28 °C (:data:`REUSE_ASSUMPTIONS`).
    capture_fraction : float, optional
        Share of the IT heat captured, in (0, 1].
    temperature : pint.Quantity or float, optional
        Temperature of the captured heat (plain numbers in K; write ``28 * u.degC``).

    Returns
    -------
    HeatAvailable
        ``power`` (kW), ``temperature`` (°C), ``annual`` (MWh/yr if the load runs all year).

    Examples
    --------
    >>> from energylab.units import u
    >>> h = heat_available(1 * u.MW, "air")
    >>> print(h.power, h.temperature, h.annual)
    800 kW 28 °C 7008 MWh / yr
    """
    from ..units import as_choice
    kind = as_choice(cooling, "cooling", tuple(_CAPTURE))
    default_fraction, default_t = _CAPTURE[kind]
    it = as_quantity(it_power, "W", "it_power", nonnegative=True).to("kW").magnitude
    share = default_fraction if capture_fraction is None else float(
        as_fraction(capture_fraction, "capture_fraction").magnitude)
    t_k = default_t + 273.15 if temperature is None else kelvin(temperature, "temperature")
    power = np.asarray(it) * share
    return HeatAvailable(plain(power, "kW"), plain(np.asarray(t_k) - 273.15, "degC"),
                         plain(power * HOURS_PER_YEAR / 1e3, "MWh/yr"))


def heat_pump_cop(t_source, t_delivery, carnot_fraction: float = 0.5) -> pint.Quantity:
    """Heating COP of a heat pump: a fraction of the Carnot heating COP, η · T_h / (T_h − T_c).

    Parameters
    ----------
    t_source : pint.Quantity or float or array_like
        Temperature of the waste heat (K, °C or °F quantity; plain numbers in K).
    t_delivery : pint.Quantity or float or array_like
        District-heating supply temperature, above ``t_source``.
    carnot_fraction : float, optional
        η in (0, 1]; default 0.5 (course assumption, :data:`REUSE_ASSUMPTIONS`). The result is never below 1.

    Returns
    -------
    pint.Quantity
        Dimensionless heating COP (heat delivered / electricity).

    Examples
    --------
    >>> from energylab.units import u
    >>> print(heat_pump_cop(45 * u.degC, 65 * u.degC).round(2))    # warm liquid-cooling return water
    8.45
    """
    from .refrigeration import carnot_cop_heating
    eta = float(as_fraction(carnot_fraction, "carnot_fraction").magnitude)
    cop = eta * carnot_cop_heating(t_source, t_delivery).magnitude
    return plain(np.maximum(cop, 1.0), "dimensionless")


class HeatPump(NamedTuple):
    """What a heat pump does with some waste heat (see :func:`heat_pump`)."""
    cop: pint.Quantity           # heating COP
    delivered: pint.Quantity     # heat delivered = source + electricity
    electricity: pint.Quantity   # electricity the heat pump draws


def heat_pump(source_heat, t_source, t_delivery, carnot_fraction: float = 0.5) -> HeatPump:
    """Lift waste heat to district-heating temperature: delivered = source × COP/(COP − 1).

    Energy balance: delivered heat = source heat + electricity, and COP = delivered / electricity, so the
    electricity is source / (COP − 1).

    Parameters
    ----------
    source_heat : pint.Quantity or float or array_like
        Waste heat taken in (a power in W, or an energy such as MWh/yr — any unit of power or energy).
    t_source, t_delivery : pint.Quantity or float
        Temperatures, as in :func:`heat_pump_cop`.
    carnot_fraction : float, optional
        As in :func:`heat_pump_cop`.

    Returns
    -------
    HeatPump
        ``cop``, ``delivered`` and ``electricity`` in the unit of ``source_heat``.

    Examples
    --------
    >>> from energylab.units import u
    >>> from energylab.units import fmt
    >>> hp = heat_pump(10000 * u.MWh, 28 * u.degC, 65 * u.degC)
    >>> print(hp.cop.round(2), fmt(hp.delivered), fmt(hp.electricity))
    4.57 12,800 MWh 2,800 MWh
    """
    if isinstance(source_heat, pint.Quantity):
        if not (source_heat.check("[power]") or source_heat.check("[energy]")):
            raise TypeError(f"source_heat must be a power (e.g. 5 * u.MW) or an energy (e.g. 10000 * u.MWh); got "
                            f"{format(source_heat)}.")
        q = as_quantity(source_heat, source_heat.units, "source_heat", nonnegative=True)
    else:
        q = as_quantity(source_heat, "W", "source_heat", nonnegative=True)
    cop = heat_pump_cop(t_source, t_delivery, carnot_fraction)
    c = np.asarray(cop.magnitude)
    electricity = np.asarray(q.magnitude) / np.where(c > 1, c - 1, np.inf)
    unit = format(q.units)
    return HeatPump(cop, plain(np.asarray(q.magnitude) + electricity, unit), plain(electricity, unit))


def heat_per_home() -> pint.Quantity:
    """Annual heat demand per home implied by Meta's Odense figures: 100,000 MWh/yr ÷ 6,900 homes ≈ 14.5 MWh.

    A Danish home on district heating; other published figures imply 9–18 MWh (see :func:`reuse_case_studies`).

    Parameters
    ----------
    None

    Returns
    -------
    pint.Quantity
        MWh/yr per home.

    Notes
    -----
    Facts ``meta_odense_heat_recovered`` and ``meta_odense_homes_heated`` (Meta 2020, D15); the registry also holds
    the quotient as ``meta_odense_heat_per_home`` (status D).

    Examples
    --------
    >>> print(heat_per_home().to("MWh/yr").round(1))
    14.5 MWh / yr
    """
    return plain(fact("meta_odense_heat_recovered", "MWh/yr") / fact("meta_odense_homes_heated"), "MWh/yr")


def homes_heated(annual_heat, heat_per_home_=None) -> pint.Quantity:
    """How many homes an annual amount of recovered heat could warm: heat ÷ heat per home.

    Pass heat *recovered* from the data centre (before any heat pump), the boundary of Odense's per-home
    figure; dividing heat delivered by a heat pump would count the heat pump's electricity as data-centre heat.

    Parameters
    ----------
    annual_heat : pint.Quantity or float or array_like
        Heat recovered per year (MWh/yr; an energy is read as per year); plain numbers in MWh/yr.
    heat_per_home_ : pint.Quantity or float, optional
        Annual heat demand of one home; default :func:`heat_per_home` (Odense, 14.5 MWh/yr).

    Returns
    -------
    pint.Quantity
        Number of homes (dimensionless).

    Examples
    --------
    >>> from energylab.units import u
    >>> print(homes_heated(10000 * u.MWh / u.yr).round(0))    # Equinix PA10's heat
    690
    """
    if isinstance(annual_heat, pint.Quantity) and annual_heat.check("[energy]"):
        annual_heat = annual_heat / (1 * _year())
    heat = as_quantity(annual_heat, "MWh/yr", "annual_heat", nonnegative=True).magnitude
    demand = (heat_per_home().magnitude if heat_per_home_ is None else
              as_quantity(heat_per_home_, "MWh/yr", "heat_per_home_", positive=True).magnitude)
    return plain(np.asarray(heat) / np.asarray(demand), "dimensionless")


def _year():
    from ..units import ureg
    return ureg.year


class HeatReuse(NamedTuple):
    """A site's heat reuse on the recovered-heat boundary (see :func:`heat_reuse`)."""
    captured: pint.Quantity      # MWh/yr of IT heat captured and taken by the network (the recovered heat)
    temperature: pint.Quantity   # °C of the captured heat
    homes: pint.Quantity         # captured ÷ heat per home (Odense's recovered-heat boundary)
    heat_pump_cop: pint.Quantity     # heating COP lifting it to the network's temperature
    heat_pump_electricity: pint.Quantity  # MWh/yr the heat pump draws: reported separately, not homes
    delivered: pint.Quantity     # MWh/yr into the network = captured + heat-pump electricity

    def __str__(self) -> str:
        return (f"captured {fmt(self.captured, 'MWh/yr')} at {fmt(self.temperature)} -> {fmt(self.homes, sig=3)} "
                f"homes (at Odense's recovered heat per home); the heat pump (COP {fmt(self.heat_pump_cop, sig=3)}) "
                f"adds {fmt(self.heat_pump_electricity, 'MWh/yr')} of electricity, delivering "
                f"{fmt(self.delivered, 'MWh/yr')}")


def heat_reuse(it_power=1e6, cooling: str = "liquid", t_delivery=None, heat_used_share: float = 1.0,
               carnot_fraction: float = _HEAT_PUMP_CARNOT_FRACTION) -> HeatReuse:
    """Homes a data centre could heat, and the heat pump's electricity, on the recovered-heat boundary.

    Homes = captured heat over a year (× the share the network takes) ÷ :func:`heat_per_home`. Odense's per-home
    figure is heat *recovered* ÷ homes, so the captured heat — not the heat pump's output — is what is divided.
    The heat pump that lifts it to the network's temperature is reported separately: its COP, its electricity
    and the heat delivered (= captured + electricity).

    Parameters
    ----------
    it_power : pint.Quantity or float
        IT power; plain numbers in W. Default 1 MW.
    cooling : {"liquid", "air"}
        Capture defaults of :func:`heat_available`.
    t_delivery : pint.Quantity or float, optional
        District-heating temperature; default Equinix PA10's (``equinix_pa10_heat_delivery_temperature``).
    heat_used_share : float, optional
        Share of the year's recoverable heat the network actually takes, in (0, 1]. Default 1 (an upper bound;
        see the capacity factors of :func:`reuse_case_studies`).
    carnot_fraction : float, optional
        Heat-pump η, default 0.5 (:data:`REUSE_ASSUMPTIONS`).

    Returns
    -------
    HeatReuse
        ``captured``, ``temperature``, ``homes``, ``heat_pump_cop``, ``heat_pump_electricity``, ``delivered``.

    Examples
    --------
    >>> from energylab.units import u
    >>> r = heat_reuse(1 * u.MW, "liquid")
    >>> print(r.homes.round(0), r.heat_pump_cop.round(2), r.heat_pump_electricity.round(0))
    544 8.45 1058 MWh / yr
    """
    available = heat_available(it_power, cooling)
    t_hot = (fact("equinix_pa10_heat_delivery_temperature", "K") if t_delivery is None
             else kelvin(t_delivery, "t_delivery"))
    share = float(as_fraction(heat_used_share, "heat_used_share").magnitude)
    captured = available.annual * share
    hp = heat_pump(captured, available.temperature, plain(t_hot, "K"), carnot_fraction)
    return HeatReuse(captured, available.temperature, homes_heated(captured), hp.cop, hp.electricity,
                     hp.delivered)


def homes_per_mw(it_power=1e6, cooling: str = "liquid", t_delivery=None, heat_used_share: float = 1.0,
                 carnot_fraction: float = _HEAT_PUMP_CARNOT_FRACTION) -> pint.Quantity:
    """Homes one data centre could heat: captured (recovered) heat over a year ÷ Odense's heat per home.

    The boundary is Odense's: heat recovered from the data centre ÷ homes. The heat pump's electricity is not
    counted as heat for homes (see :func:`heat_reuse` for it). So the count scales with the share of IT heat
    captured: liquid cooling (90 %) heats more homes than air (80 %); the heat's temperature changes only the
    heat pump's electricity, which ``t_delivery`` and ``carnot_fraction`` set.

    Parameters
    ----------
    it_power : pint.Quantity or float
        IT power; plain numbers in W. Default 1 MW.
    cooling : {"liquid", "air"}
        Capture defaults of :func:`heat_available`.
    t_delivery : pint.Quantity or float, optional
        District-heating temperature; default 65 °C (Equinix PA10, ``equinix_pa10_heat_delivery_temperature``).
        Checked, but it does not change the count.
    heat_used_share : float, optional
        Share of the year's recoverable heat the network actually takes, in (0, 1]. Default 1 (an upper bound;
        Odense delivered ≈46 % of its heat-pump capacity over a year, PA10 ≈17 %).
    carnot_fraction : float, optional
        Heat-pump η, default 0.5. Checked, but it does not change the count.

    Returns
    -------
    pint.Quantity
        Number of homes (dimensionless).

    Examples
    --------
    >>> print(homes_per_mw().round(0), homes_per_mw(cooling="air").round(0))
    544 484
    """
    return heat_reuse(it_power, cooling, t_delivery, heat_used_share, carnot_fraction).homes


class ReuseCase(NamedTuple):
    """One published heat-reuse figure and what it implies."""
    site: str
    source: str
    annual_heat: pint.Quantity       # MWh/yr
    homes: pint.Quantity             # as published
    heat_per_home: pint.Quantity     # implied, MWh/yr
    homes_at_odense_demand: pint.Quantity   # annual_heat ÷ Odense's heat per home
    note: str


class ReuseTable(NamedTuple):
    """Published heat-reuse figures side by side (see :func:`reuse_case_studies`)."""
    cases: tuple
    capacity_factors: dict   # site → annual heat ÷ (heat capacity × 8,760 h)

    def __str__(self) -> str:
        per_home = heat_per_home().magnitude
        lines = [f"{'site and source':42} {'heat MWh/yr':>12} {'homes':>7} {'MWh/home':>9} {f'at {per_home:.1f}':>8}"]
        for c in self.cases:
            lines.append(f"{(c.site + ', ' + c.source)[:42]:42} {c.annual_heat.magnitude:>12,.0f} "
                         f"{c.homes.magnitude:>7,.0f} {c.heat_per_home.magnitude:>9.1f} "
                         f"{c.homes_at_odense_demand.magnitude:>8,.0f}")
        lines.append("capacity factors: " + ", ".join(f"{k} {v:.0%}" for k, v in self.capacity_factors.items()))
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


def reuse_case_studies() -> ReuseTable:
    """Meta Odense and Equinix PA10: the published heat and home counts, and what each implies per home.

    Every row divides the site's published heat — heat recovered from the data centre, the boundary of the
    course's per-home figure — by a home count. The figures disagree because they count different things: homes
    the heat *could* warm vs homes connected, households vs all customers, the site before and after it grew.
    Dividing each heat figure by each home count exposes it: 9 to 18 MWh per home. Using Odense's own
    14.5 MWh per home, PA10's 10,000 MWh/yr would warm ≈690 homes — between Equinix's "about 1,000"
    (capacity equivalent) and the ≈600 actually connected (part of the heat also warms the Olympic pool).

    Parameters
    ----------
    None

    Returns
    -------
    ReuseTable
        ``cases`` (:class:`ReuseCase` rows) and ``capacity_factors`` (average heat ÷ maximum heat output).

    Examples
    --------
    >>> table = reuse_case_studies()
    >>> [round(c.heat_per_home.magnitude, 1) for c in table.cases]
    [14.5, 9.1, 17.9, 10.0, 16.7]

    Notes
    -----
    Facts ``meta_odense_*`` (Meta 2020; Meaker/Wired 2023; Invest in Denmark 2020; P2H Computing 2025, D15–D16)
    and ``equinix_pa10_*`` (Data Center Knowledge 2024; FacilitiesNet 2024, D17).
    """
    per_home = heat_per_home().magnitude
    rows = [
        ("Odense", "Meta 2020", "meta_odense_heat_recovered", "meta_odense_homes_heated",
         f"Defines the course's {per_home:.1f} MWh of recovered heat per home."),
        ("Odense", "Wired 2023", "meta_odense_heat_recovered", "meta_odense_homes_heated_wired",
         f"{fact('meta_odense_homes_heated_wired'):,.0f} households with the original "
         f"{fact('meta_odense_heat_recovered', 'MWh/yr'):,.0f} MWh would be only "
         f"{fact('meta_odense_heat_recovered', 'MWh/yr') / fact('meta_odense_homes_heated_wired'):.1f} MWh each: by "
         f"then a third server hall had raised the heat (Invest in Denmark projected "
         f"≈{fact('meta_odense_homes_after_hall3'):,.0f} after hall 3)."),
        ("Odense", "P2H 2025 (expanded)", "meta_odense_heat_expanded", "meta_odense_homes_heated_expanded",
         f"'More than {fact('meta_odense_homes_heated_expanded'):,.0f}' households from "
         f"{fact('meta_odense_heat_expanded', 'MWh/yr'):,.0f} MWh: a lower bound; hospitals and other buildings "
         f"take heat too."),
        ("Paris PA10", "Equinix (equivalent)", "equinix_pa10_annual_heat", "equinix_pa10_homes_equivalent",
         f"Homes the heat could warm (capacity equivalent), at "
         f"{fact('equinix_pa10_annual_heat', 'MWh/yr') / fact('equinix_pa10_homes_equivalent'):.0f} MWh each."),
        ("Paris PA10", "Wired/FacilitiesNet (connected)", "equinix_pa10_annual_heat", "equinix_pa10_homes_connected",
         "Homes actually connected; part of the heat warms the Olympic pool instead."),
    ]
    cases = []
    for site, source, heat_id, homes_id, note in rows:
        heat = fact(heat_id, "MWh/yr")
        homes = fact(homes_id)
        cases.append(ReuseCase(site, source, plain(heat, "MWh/yr"), plain(homes, "dimensionless"),
                               plain(heat / homes, "MWh/yr"), plain(heat / per_home, "dimensionless"), note))
    factors = {
        "Odense 2020": fact("meta_odense_heat_recovered", "MWh/yr") / (fact("meta_odense_heat_capacity", "MW")
                                                                       * HOURS_PER_YEAR),
        "Odense expanded": fact("meta_odense_heat_expanded", "MWh/yr") / (
            fact("meta_odense_heat_capacity_expanded", "MW") * HOURS_PER_YEAR),
        "PA10": fact("equinix_pa10_annual_heat", "MWh/yr") / (fact("equinix_pa10_heat_export_capacity", "MW")
                                                             * HOURS_PER_YEAR),
    }
    return ReuseTable(tuple(cases), factors)

