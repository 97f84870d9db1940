"""Heat reuse: a data centre's waste heat, lifted by heat pumps, warms homes (Odense) and pools (Paris).

* :func:`heat_available` — heat captured from the IT load, and at what temperature (liquid cooling gives more
  and warmer heat than air: its cold plates take the course's one cold-plate share of the heat warm,
  :data:`~energylab.cooling.heat.COLD_PLATE_SHARE`, the same share the site model's ``direct_liquid`` design
  uses, and the rest, which reaches the room air, is captured as in an air-cooled hall).
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
from ._common import ZERO_CELSIUS, LazyAssumptions, fact, kelvin
from .heat import COLD_PLATE_SHARE

__all__ = ["REUSE_ASSUMPTIONS", "AIR_CAPTURE", "COLD_PLATE_HEAT_TEMPERATURE", "heat_available", "HeatAvailable",
           "heat_pump_cop", "heat_pump", "HeatPump", "heat_per_home", "homes_heated", "homes_per_mw", "HeatReuse",
           "heat_reuse", "ReuseCase", "ReuseTable", "reuse_case_studies"]

#: Share of the air-borne IT heat that water coils in the hot aisle capture, and its temperature (°C): course
#: assumption ``capture_air``, used for an air-cooled hall and for the air-borne part of a liquid-cooled one.
AIR_CAPTURE = (0.8, 28.0)
#: Temperature (°C) of the heat warm-water cold plates hand over (their return water): course assumption.
COLD_PLATE_HEAT_TEMPERATURE = 45.0


def _streams(kind: str) -> tuple:
    """The captured heat streams of a hall, as (share of the IT heat, °C) pairs."""
    air_share, air_t = AIR_CAPTURE
    if kind == "air":
        return ((air_share, air_t),)
    return ((COLD_PLATE_SHARE, COLD_PLATE_HEAT_TEMPERATURE), ((1.0 - COLD_PLATE_SHARE) * air_share, air_t))


_KINDS = ("liquid", "air")
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
    (f_plates, t_liquid), (f_rest, _) = _streams("liquid")
    f_air, t_air = AIR_CAPTURE
    return {
        "heat_pump_carnot_fraction": (f"{eta:g}", f"Large industrial heat pumps reach roughly half the Carnot heating "
                                                  f"COP; at Equinix PA10's {t_in:g} → {t_out:g} °C lift that gives "
                                                  f"COP ≈ {cop:.1f}."),
        "capture_liquid": (f"{(f_plates + f_rest) * 100:g} % of IT heat: {f_plates * 100:g} % from the cold plates "
                           f"at ≈{t_liquid:g} °C and {f_rest * 100:g} % from the room air at ≈{t_air:g} °C",
                           f"The cold plates take the course's one cold-plate share of the heat "
                           f"(heat.cold_plate_share, {f_plates * 100:g} %, as in the site model's direct_liquid "
                           f"design); their return water is 40–50 °C. The other {(1 - f_plates) * 100:g} % reaches the "
                           f"room air and is captured as in an air-cooled hall ({f_air * 100:g} % of it, "
                           f"capture_air)."),
        "capture_air": (f"{f_air * 100:g} % of IT heat at ≈{t_air:g} °C",
                        f"Hot-aisle air through water coils, as in Odense and at PA10 (captured at {t_in:g} °C, fact "
                        f"equinix_pa10_heat_capture_temperature). The same share of the air-borne heat of a "
                        f"liquid-cooled hall."),
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
    power: pint.Quantity         # kW of heat captured (all streams)
    temperature: pint.Quantity   # °C of the captured heat (heat-weighted mean where there are two streams)
    annual: pint.Quantity        # MWh/yr at that power all year
    streams: tuple = ()          # ((kW, °C), ...): each captured stream, as quantities


def heat_available(it_power, cooling: str = "liquid", capture_fraction=None, temperature=None) -> HeatAvailable:
    """Waste heat captured from an IT load: power = capture share × IT power, at a source temperature.

    An air-cooled hall captures :data:`AIR_CAPTURE` (80 % of the IT heat at ≈28 °C). A liquid-cooled hall captures
    two streams: the cold plates' share of the heat (:data:`~energylab.cooling.heat.COLD_PLATE_SHARE`, 80 %, the
    share the site model's ``direct_liquid`` design uses) at ≈45 °C, and the rest, which reaches the room air, as
    an air-cooled hall does (80 % of the remaining 20 %) at ≈28 °C: 96 % in all.

    Parameters
    ----------
    it_power : pint.Quantity or float or array_like
        IT power, at least 0; plain numbers in W.
    cooling : {"liquid", "air"}
        Sets the defaults above (:data:`REUSE_ASSUMPTIONS`).
    capture_fraction : float, optional
        Share of the IT heat captured, in (0, 1]. Given (or with ``temperature``), the heat is one stream.
    temperature : pint.Quantity or float, optional
        Temperature of the captured heat (plain numbers in K; write ``28 * u.degC``); default the temperature of
        the hall's main stream (45 °C liquid, 28 °C air) when the heat is one stream.

    Returns
    -------
    HeatAvailable
        ``power`` (kW), ``temperature`` (°C; heat-weighted mean of the streams), ``annual`` (MWh/yr if the load
        runs all year) and ``streams`` (each stream's kW and °C).

    Examples
    --------
    >>> from energylab.units import u
    >>> h = heat_available(1 * u.MW, "air")
    >>> print(h.power, h.temperature, h.annual)
    800 kW 28 °C 7008 MWh / yr
    >>> print(heat_available(1 * u.MW, "liquid").power)
    960 kW
    """
    from ..units import as_choice
    kind = as_choice(cooling, "cooling", _KINDS)
    it = np.asarray(as_quantity(it_power, "W", "it_power", nonnegative=True).to("kW").magnitude)
    streams = _streams(kind)
    if capture_fraction is not None or temperature is not None:
        share = sum(f for f, _ in streams) if capture_fraction is None else float(
            as_fraction(capture_fraction, "capture_fraction").magnitude)
        t_c = streams[0][1] if temperature is None else kelvin(temperature, "temperature") - ZERO_CELSIUS
        streams = ((share, t_c),)
    powers = [it * f for f, _ in streams]
    power = sum(powers)
    shares = np.array([f for f, _ in streams])
    mean_t = float(np.sum(shares * np.array([np.mean(t) for _, t in streams])) / shares.sum()) if len(streams) > 1 \
        else streams[0][1]
    return HeatAvailable(plain(power, "kW"), plain(np.asarray(mean_t), "degC"),
                         plain(power * HOURS_PER_YEAR / 1e3, "MWh/yr"),
                         tuple((plain(p_, "kW"), plain(np.asarray(t), "degC")) for p_, (_, t) in zip(powers, streams)))


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
    Facts ``meta_odense_heat_recovered`` and ``meta_odense_homes_heated`` (Meta 2020); the registry also holds
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
    streams: tuple = ()          # ((MWh/yr, °C), ...): the captured heat by stream

    def __str__(self) -> str:
        where = (f"at {fmt(self.temperature)}" if len(self.streams) < 2 else
                 "(" + " + ".join(f"{fmt(q, 'MWh/yr')} at {fmt(t)}" for q, t in self.streams) + ")")
        return (f"captured {fmt(self.captured, 'MWh/yr')} {where} -> {fmt(self.homes, sig=3)} "
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
        ``captured``, ``temperature`` (heat-weighted mean), ``homes``, ``heat_pump_cop`` (delivered ÷ electricity,
        over every stream), ``heat_pump_electricity``, ``delivered`` and ``streams`` (MWh/yr and °C of each).

    Notes
    -----
    A liquid-cooled hall's two streams are lifted separately (each with its own COP): the warm cold-plate heat
    cheaply, the air-borne heat at an air-cooled hall's COP.

    Examples
    --------
    >>> from energylab.units import u
    >>> r = heat_reuse(1 * u.MW, "liquid")
    >>> print(r.homes.round(0), r.heat_pump_cop.round(2), r.heat_pump_electricity.round(0))
    580 7.31 1333 MWh / yr
    """
    available = heat_available(it_power, cooling)
    t_hot = plain(fact("equinix_pa10_heat_delivery_temperature", "K") if t_delivery is None
                  else kelvin(t_delivery, "t_delivery"), "K")
    share = float(as_fraction(heat_used_share, "heat_used_share").magnitude)
    captured = available.annual * share
    streams, electricity = [], 0.0
    for power, t_source in available.streams:
        annual = plain(power.magnitude * HOURS_PER_YEAR / 1e3 * share, "MWh/yr")
        electricity = electricity + heat_pump(annual, t_source, t_hot, carnot_fraction).electricity.magnitude
        streams.append((annual, t_source))
    electricity = plain(electricity, "MWh/yr")
    delivered = captured + electricity
    c = np.asarray(electricity.magnitude, dtype=float)
    cop = plain(np.where(c > 0, delivered.magnitude / np.where(c > 0, c, 1.0), 1.0), "dimensionless")
    return HeatReuse(captured, available.temperature, homes_heated(captured), cop, electricity, delivered,
                     tuple(streams))


def homes_per_mw(it_power=1e6, cooling: str = "liquid", t_delivery=None, heat_used_share: float = 1.0,
                 carnot_fraction: float = _HEAT_PUMP_CARNOT_FRACTION) -> pint.Quantity:
    """Homes one data centre could heat: captured (recovered) heat over a year ÷ Odense's heat per home.

    The boundary is Odense's: heat recovered from the data centre ÷ homes. The heat pump's electricity is not
    counted as heat for homes (see :func:`heat_reuse` for it). So the count scales with the share of IT heat
    captured: liquid cooling (96 %: cold plates 80 %, and 80 % of the air-borne rest) heats more homes than air
    (80 %); the heat's temperature changes only the heat pump's electricity, which ``t_delivery`` and
    ``carnot_fraction`` set.

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
    580 484
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
    Facts ``meta_odense_*`` (Meta 2020; Meaker/Wired 2023; Invest in Denmark 2020; P2H Computing 2025)
    and ``equinix_pa10_*`` (Data Center Knowledge 2024; FacilitiesNet 2024).
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

