"""A data centre over a year: climate + IT load + cooling design → hourly cooling power, PUE and water.

* :data:`DESIGNS` — named cooling designs (:class:`CoolingDesign`): ``"air_chiller"`` (room air handlers and an
  air-cooled chiller, no economiser: the typical enterprise site), ``"water_chiller_economiser"`` (warm chilled
  water, cooling towers, a water-side economiser), ``"evaporative"`` (outside air, evaporative pads, a small
  compressor trim), ``"direct_liquid"`` (warm-water cold plates on dry coolers, a little air), and
  ``"legacy_air_chiller"`` (an old, oversized room run cold: constant-speed fans, old UPS, no containment).
* :func:`simulate_site` — 8,760 hours, vectorised (a few milliseconds): returns a :class:`SiteResult` with
  hourly arrays and annual PUE, energy and water.
* :func:`it_load_profile` — a flat or diurnal IT load.
* :func:`compare_designs` — annual PUE and WUE of several designs in several climates.

Every hour: the IT load becomes heat; fans, power distribution losses and lights add heat and power; the
cooling plant removes it all, free (economiser, outside air, dry coolers) when the outdoor air or tower water is
cold enough, by compressors otherwise (:func:`energylab.cooling.refrigeration.chiller_cop`); pumps, tower and
dry-cooler fans add their share; wet towers and evaporative pads evaporate water (≈1.5 L per kWh of heat: the
water *consumed*), and blowdown comes on top (the water *withdrawn*). PUE = facility power / IT power.

The design parameters (fan, pump and distribution fractions, approach temperatures, set-points) are **course
assumptions**, tuned once so that annual PUEs land near published values — about 1.1 for a well-designed site
in a cool climate (Google's fleet 1.10, ``google_fleet_pue``), 1.5–1.6 for air and chillers (Uptime's industry
average 1.56–1.58, ``uptime_average_pue_2024``), above 2 for a poor legacy room in a hot climate — and stated in
:data:`DESIGNS` and :data:`SITE_ASSUMPTIONS`. The chiller efficiency is not tuned: it is derived from the
registry's rated COPs (:func:`~energylab.cooling.refrigeration.chiller_efficiency_fraction`).

A finding to teach: a low set-point alone is not what makes a site poor. Lowering ``air_chiller``'s supply air
from 20 to 14 °C in the hot, dry climate raises its PUE by only ≈0.06 (≈3 % more compressor energy per kelvin;
chapter 06 computes it); a PUE
above 2 takes the whole legacy package — oversized constant-speed fans, an old UPS, a cold set-point and an old
chiller (``legacy_air_chiller``). Raising the set-point pays most where it buys economiser hours.

    >>> from energylab.units import u
    >>> from energylab.cooling import site
    >>> r = site.simulate_site("cold", "direct_liquid", it_load=1 * u.MW, seed=0)
    >>> print(r.pue.round(2))
    1.09
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pint

from ..units import HOURS_PER_YEAR, Q_, as_choice, as_quantity, fmt, plain
from ._common import ZERO_CELSIUS, LazyAssumptions, fact, kelvin
from .climate import _generate, _spec, check_seed
from .heat import COLD_PLATE_SHARE
from .refrigeration import (
    DEFAULT_APPROACHES,
    _air_condenser_approach,
    _cop,
    _free_fraction,
    chiller_efficiency_fraction,
)

__all__ = ["CoolingDesign", "DESIGNS", "SITE_ASSUMPTIONS", "SiteResult", "simulate_site", "it_load_profile",
           "compare_designs", "DesignComparison"]

def _site_assumptions() -> dict:
    """Course assumptions shared by every design, quoting registry values from the registry (not marked used)."""
    from .. import sources
    facts = sources.all_facts()
    lv = float(facts["water_latent_heat_30c"].q.to("kJ/kg").magnitude)
    share = float(facts["li_evaporated_fraction"].q.to("dimensionless").magnitude)
    return {
        "indoor_heat": ("IT + fans + distribution losses + lights, all removed by the cooling plant",
                        "UPS, transformers and room fans sit inside the cooled envelope (a slight overestimate where "
                        "switchgear is outdoors)."),
        "water_per_heat": (f"latent heat of water at 30 °C ({lv:,.0f} kJ/kg): ≈{3600 / lv:.2f} L per kWh of heat "
                           f"evaporated",
                           "All heat a wet tower rejects is taken to leave as latent heat (an upper bound: in cold "
                           "weather towers reject part of it sensibly)."),
        "blowdown": (f"{share * 100:g} % of cooling water withdrawn is evaporated (fact li_evaporated_fraction)",
                     f"The rest is blowdown that keeps dissolved salts in check. Two boundaries: water consumed "
                     f"(evaporated) and water withdrawn = evaporated / {share:g}; the site's water and WUE count "
                     f"withdrawal, its water_consumed and wue_consumption count consumption."),
        "tower_water_floor": ("5 °C", "Towers are kept above freezing (bypass, basin heaters)."),
        "capacity": ("the peak of the IT load unless given",
                     "Fixed losses (constant-speed fans, UPS no-load losses, lights) scale with the installed "
                     "capacity, so a half-empty site has a worse PUE."),
        "fan_affinity": ("variable-speed fan power ∝ (air flow)³ ∝ (air heat load)³",
                         "Fan affinity laws; constant-speed fans draw their full power at any load."),
    }


#: Course assumptions shared by every design: (value, reason).
SITE_ASSUMPTIONS = LazyAssumptions(_site_assumptions)


@dataclass(frozen=True)
class CoolingDesign:
    """The parameters of a cooling design (temperatures in °C, differences in K, fractions of power).

    Fractions: ``fan_fraction`` is room-fan power per unit of air-side heat at full load; ``pump_fraction`` is
    pump power per unit of heat carried by water loops; ``rejection_fan_fraction`` is tower or dry-cooler fan
    power per unit of heat rejected through them (an air-cooled chiller's condenser fans are in its COP);
    ``distribution_fixed`` (× capacity) and ``distribution_proportional`` (× IT) are UPS and transformer losses;
    ``misc_fraction`` (× capacity) is lighting, controls and offices.
    """
    name: str
    kind: str                              # physics branch: one of the four design kinds
    description: str
    setpoint: float                        # °C: supply air to IT (air designs) or liquid to cold plates
    coil_approach: float = 6.0             # K: supply air − chilled-water supply
    loop_delta_t: float = 6.0              # K: chilled-water return − supply
    chiller_kind: str = "air"              # "air" or "water" (its efficiency fraction comes from the registry)
    chiller_rating: str = "central"        # which end of the registry's rated COP range: central, low, high
    economiser: bool = False
    tower_approach: float = DEFAULT_APPROACHES["tower"]             # K above wet-bulb (wet towers)
    dry_cooler_approach: float = DEFAULT_APPROACHES["dry_cooler"]   # K above dry-bulb (dry coolers)
    hx_approach: float = DEFAULT_APPROACHES["economiser_hx"]        # K, economiser heat exchanger
    min_condensing: float = 25.0           # °C, head-pressure control
    evaporative_pads: bool = True          # evaporative design: wet pads (True) or dry outside air only
    evaporative_effectiveness: float = 0.85  # evaporative pads: share of the wet-bulb depression achieved
    air_delta_t: float = 12.0              # K, air temperature rise across the servers
    max_outdoor_wet_bulb: float = 21.0     # °C: outside air (and pads) only below this, else recirculate
    liquid_fraction: float = 0.0           # share of IT heat taken by cold plates
    liquid_delta_t: float = 10.0           # K, cold-plate loop rise
    air_setpoint: float = 25.0             # °C, residual-air supply of a liquid-cooled hall
    fan_fraction: float = 0.05
    variable_speed_fans: bool = True
    pump_fraction: float = 0.02
    rejection_fan_fraction: float = 0.01
    distribution_fixed: float = 0.01
    distribution_proportional: float = 0.03
    misc_fraction: float = 0.01
    why: str = field(default="", compare=False)

    def replace(self, **changes) -> CoolingDesign:
        """A copy with some parameters changed: ``DESIGNS["air_chiller"].replace(setpoint=27)``."""
        return dataclasses.replace(self, **changes)


_KINDS = ("air_chiller", "water_chiller_economiser", "evaporative", "direct_liquid")

#: The named designs. Parameter values are course assumptions (typical published ranges), tuned once.
DESIGNS = {
    "air_chiller": CoolingDesign(
        "air_chiller", "air_chiller",
        "Room air handlers (CRAH) on 7 °C chilled water from an air-cooled chiller; no economiser, no containment",
        setpoint=20.0, coil_approach=13.0, chiller_kind="air", economiser=False,
        fan_fraction=0.13, variable_speed_fans=False, pump_fraction=0.04, rejection_fan_fraction=0.0,
        distribution_fixed=0.04, distribution_proportional=0.07, misc_fraction=0.03,
        why="The typical enterprise or colocation room: without hot/cold-aisle containment, 20 °C air at the "
            "servers needs the classic 7 °C (44 °F) chilled water; constant-speed room fans ≈13 % of IT; UPS and "
            "transformers ≈11 %; lights and offices 3 %; pumps 4 % of the heat."),
    "water_chiller_economiser": CoolingDesign(
        "water_chiller_economiser", "water_chiller_economiser",
        "Contained aisles, warm chilled water (18 °C), water-cooled chiller and cooling towers with a water-side "
        "economiser", setpoint=24.0, coil_approach=6.0, chiller_kind="water", economiser=True,
        fan_fraction=0.03, variable_speed_fans=True, pump_fraction=0.02, rejection_fan_fraction=0.01,
        distribution_fixed=0.01, distribution_proportional=0.025, misc_fraction=0.01,
        why="A well-run hyperscale-style plant: containment lets 24 °C supply air use 18 °C chilled water, so the "
            "towers alone cool it whenever the wet-bulb is below ≈12 °C; efficient UPS (≈3.5 % losses)."),
    "evaporative": CoolingDesign(
        "evaporative", "evaporative",
        "Outside air drawn through evaporative pads (direct evaporative cooling), with a small air-cooled "
        "compressor trim for the most humid hours", setpoint=25.0, chiller_kind="air", coil_approach=6.0,
        fan_fraction=0.05, variable_speed_fans=True, pump_fraction=0.005, rejection_fan_fraction=0.0,
        distribution_fixed=0.01, distribution_proportional=0.025, misc_fraction=0.01,
        why="Like Meta's and others' outside-air halls: no chillers most of the year; larger fans (filters, pads) "
            "≈5 % of IT; pads reach 85 % of the wet-bulb depression."),
    "direct_liquid": CoolingDesign(
        "direct_liquid", "direct_liquid",
        f"Warm-water (32 °C) cold plates take {COLD_PLATE_SHARE * 100:g} % of the IT heat to dry coolers; the rest "
        "goes to air on a 19 °C chilled-water loop with an economiser and an air-cooled trim chiller", setpoint=32.0,
        liquid_fraction=COLD_PLATE_SHARE, liquid_delta_t=10.0, air_setpoint=25.0, coil_approach=6.0,
        chiller_kind="air",
        economiser=True, fan_fraction=0.04, variable_speed_fans=True, pump_fraction=0.02,
        rejection_fan_fraction=0.015, distribution_fixed=0.01, distribution_proportional=0.025, misc_fraction=0.01,
        why="An AI hall of liquid-cooled racks (GB200 NVL72 class): 32 °C supply (ASHRAE W32) is above the outdoor "
            "air most of the year, so dry coolers do the work without water or compressors."),
    "legacy_air_chiller": CoolingDesign(
        "legacy_air_chiller", "air_chiller",
        "An old, oversized room run cold: constant-speed CRAC fans, 16 °C supply air without containment (4 °C "
        "chilled water), an old air-cooled chiller, an old UPS", setpoint=16.0, coil_approach=12.0,
        chiller_kind="air", chiller_rating="low", economiser=False, fan_fraction=0.25, variable_speed_fans=False,
        pump_fraction=0.05, rejection_fan_fraction=0.0, distribution_fixed=0.10, distribution_proportional=0.10,
        misc_fraction=0.06,
        why="Fans sized for twice the load and never slowed (25 % of IT), an old UPS and transformers losing 20 % "
            "of IT (≈10 % of the total), lights, humidity control and "
            "offices 6 %, a chiller at the low end of its rated COP range making 4 °C water for 16 °C air: the "
            "sites behind PUEs above 2 and the article's 'cooling ≈ 40 %'. The low set-point alone costs far "
            "less than this whole package."),
}

_CELSIUS_FIELDS = ("setpoint", "min_condensing", "air_setpoint")


def _design(design) -> CoolingDesign:
    if isinstance(design, CoolingDesign):
        d = design
    else:
        d = DESIGNS[as_choice(design, "design", tuple(DESIGNS))]
    if d.kind not in _KINDS:
        raise ValueError(f"design kind must be one of {', '.join(map(repr, _KINDS))}; got {d.kind!r}.")
    for name in ("fan_fraction", "pump_fraction", "rejection_fan_fraction", "distribution_fixed",
                 "distribution_proportional", "misc_fraction", "liquid_fraction"):
        value = getattr(d, name)
        if not (isinstance(value, (int, float)) and 0 <= value <= 1):
            raise ValueError(f"design.{name} must be a fraction in [0, 1]; got {value!r}.")
    if not 0 < d.evaporative_effectiveness <= 1:
        raise ValueError(f"design.evaporative_effectiveness must be in (0, 1]; got {d.evaporative_effectiveness!r}.")
    for name in ("coil_approach", "tower_approach", "dry_cooler_approach", "hx_approach"):
        if getattr(d, name) < 0:
            raise ValueError(f"design.{name} is a temperature difference in K and cannot be negative.")
    for name in ("loop_delta_t", "air_delta_t", "liquid_delta_t"):
        if getattr(d, name) <= 0:
            raise ValueError(f"design.{name} is a temperature difference in K and must be positive.")
    as_choice(d.chiller_kind, "design.chiller_kind", ("air", "water"))
    as_choice(d.chiller_rating, "design.chiller_rating", ("central", "low", "high"))
    return d


def it_load_profile(peak=1e6, shape: str = "flat", mean_utilisation: float = 1.0, daily_swing: float = 0.0,
                    seed: int = 0, hours: int = HOURS_PER_YEAR) -> pint.Quantity:
    """An hourly IT load: flat (training clusters run near full power) or diurnal (inference follows users).

    Parameters
    ----------
    peak : pint.Quantity or float
        Peak IT power, greater than 0; plain numbers in W. Default 1 MW.
    shape : {"flat", "diurnal"}
        Flat at ``mean_utilisation`` × peak, or a daily cosine (highest at 20:00, lowest at 08:00) with ±
        ``daily_swing`` × peak around the mean, plus 2 % hourly noise.
    mean_utilisation : float
        Mean load as a fraction of peak, in (0, 1]. Default 1.
    daily_swing : float
        Half the daily peak-to-trough range as a fraction of peak (``"diurnal"``), in [0, 1).
    seed : int
        Seed of the noise.
    hours : int
        Number of hours. Default 8,760.

    Returns
    -------
    pint.Quantity
        IT power in kW, one value per hour, never above ``peak`` and always above 0.

    Examples
    --------
    >>> from energylab.units import u
    >>> load = it_load_profile(2 * u.MW, "diurnal", mean_utilisation=0.6, daily_swing=0.2)
    >>> print(load.mean().to("MW").round(2), load.max() <= 2 * u.MW)
    1.2 MW True
    """
    peak_kw = as_quantity(peak, "W", "peak", positive=True, allow_array=False).to("kW").magnitude
    shape = as_choice(shape, "shape", ("flat", "diurnal"))
    mean = float(as_quantity(mean_utilisation, "dimensionless", "mean_utilisation", positive=True,
                             allow_array=False).magnitude)
    swing = float(as_quantity(daily_swing, "dimensionless", "daily_swing", nonnegative=True,
                              allow_array=False).magnitude)
    if mean > 1:
        raise ValueError(f"mean_utilisation must be at most 1 (a fraction of peak); got {mean:.4g}.")
    if swing >= 1:
        raise ValueError(f"daily_swing must be below 1 (a fraction of peak); got {swing:.4g}.")
    seed = check_seed(seed)
    hour = np.arange(hours) % 24
    if shape == "flat":
        u = np.full(hours, mean)
    else:
        rng = np.random.default_rng(seed)
        u = mean + swing * np.cos(2 * np.pi * (hour - 20) / 24) + 0.02 * rng.standard_normal(hours)
    u = np.clip(u, 0.01, 1.0)
    return Q_(u * peak_kw, "kW")


class _Hourly(NamedTuple):
    fans: np.ndarray
    distribution: np.ndarray
    misc: np.ndarray
    pumps: np.ndarray
    compressors: np.ndarray
    heat_rejection: np.ndarray
    water: np.ndarray              # L per hour withdrawn (evaporated / evaporated share)
    free_fraction: np.ndarray      # share of the cooling load met without compressors
    mechanical_load: np.ndarray    # kW of heat moved by compressors
    cop: np.ndarray                # COP the (main) compressor would have in each hour


def _chilled_loop(q, t_supply_c, delta_t, t_free_sink_c, economiser, eta, t_cond_sink_c, d_cond, t_cond_min_c):
    """One chilled-water loop: (compressor power, free fraction) for heat q (kW) in each hour."""
    if economiser:
        free = _free_fraction(t_free_sink_c, t_supply_c, delta_t)
    else:
        free = np.zeros_like(q)
    t_evap = t_supply_c - DEFAULT_APPROACHES["evaporator"] + ZERO_CELSIUS
    t_cond = t_cond_sink_c + d_cond + ZERO_CELSIUS
    cop = _cop(t_evap, t_cond, eta, t_cond_min_c + ZERO_CELSIUS)
    return q * (1.0 - free) / cop, free, cop


def _simulate(d: CoolingDesign, t_db, t_wb, it, capacity, setpoint_c) -> _Hourly:
    """Numpy core of the site model: everything in kW (and L/h), one value per hour."""
    eta = float(chiller_efficiency_fraction(d.chiller_kind, d.chiller_rating).magnitude)
    eta_air = float(chiller_efficiency_fraction("air", d.chiller_rating).magnitude)
    d_cond_air = _air_condenser_approach()
    l_per_kwh = 3600.0 / fact("water_latent_heat_30c", "kJ/kg")      # kg = L of water per kWh of heat
    withdrawn_per_evaporated = 1.0 / fact("li_evaporated_fraction", "dimensionless")
    zeros = np.zeros_like(it)

    liquid_share = d.liquid_fraction if d.kind == "direct_liquid" else 0.0
    it_air = it * (1.0 - liquid_share)
    cap_air = capacity * (1.0 - liquid_share)
    if d.variable_speed_fans:
        fans = d.fan_fraction * cap_air * (it_air / cap_air) ** 3
    else:
        fans = np.full_like(it, d.fan_fraction * cap_air)
    distribution = d.distribution_fixed * capacity + d.distribution_proportional * it
    misc = np.full_like(it, d.misc_fraction * capacity)
    q_air = it_air + fans + distribution + misc          # heat the room air carries to the plant
    water = zeros
    rejection = zeros

    if d.kind == "air_chiller":
        chw = setpoint_c - d.coil_approach
        d_cond = d_cond_air if d.chiller_kind == "air" else DEFAULT_APPROACHES["condenser_water"]
        sink = t_db if d.chiller_kind == "air" else np.maximum(t_wb + d.tower_approach, 5.0)
        compressors, free, cop = _chilled_loop(q_air, chw, d.loop_delta_t, sink, False, eta, sink, d_cond,
                                               d.min_condensing)
        q_mech = q_air * (1.0 - free)
        pumps = d.pump_fraction * q_air
        if d.chiller_kind == "water":
            rejection = d.rejection_fan_fraction * (q_air + compressors)
            water = (q_air + compressors) * l_per_kwh * withdrawn_per_evaporated
    elif d.kind == "water_chiller_economiser":
        chw = setpoint_c - d.coil_approach
        tower = np.maximum(t_wb + d.tower_approach, 5.0)
        if d.chiller_kind == "water":
            free_sink, cond_sink, d_cond = tower + d.hx_approach, tower, DEFAULT_APPROACHES["condenser_water"]
        else:   # dry variant: dry coolers for the economiser, air-cooled chiller
            free_sink, cond_sink, d_cond = t_db + d.dry_cooler_approach + d.hx_approach, t_db, d_cond_air
        compressors, free, cop = _chilled_loop(q_air, chw, d.loop_delta_t, free_sink, d.economiser, eta,
                                               cond_sink, d_cond, d.min_condensing)
        q_mech = q_air * (1.0 - free)
        pumps = d.pump_fraction * q_air
        rejected = q_air + compressors
        rejection = d.rejection_fan_fraction * rejected
        if d.chiller_kind == "water":
            water = rejected * l_per_kwh * withdrawn_per_evaporated
    elif d.kind == "evaporative":
        # Outside air; pads cool it towards the wet-bulb; a compressor trims what is left (or, when even
        # padded outside air is warmer than the return air, the hall recirculates and the compressor does it all).
        m_cp = q_air / d.air_delta_t                                  # kW/K of air flow
        outside_ok = t_wb <= d.max_outdoor_wet_bulb                   # too humid: recirculate instead
        after_pads = t_db - d.evaporative_effectiveness * (t_db - t_wb)
        use_pads = d.evaporative_pads & outside_ok & (t_db > setpoint_c) & (after_pads < setpoint_c + d.air_delta_t)
        target = np.where(use_pads, np.maximum(after_pads, setpoint_c), t_db)
        evaporated_heat = np.where(use_pads, m_cp * (t_db - target), 0.0)
        water = evaporated_heat * l_per_kwh * withdrawn_per_evaporated
        supply_before_trim = np.where(use_pads, after_pads, np.where(outside_ok, t_db, np.inf))
        excess = np.clip(supply_before_trim - setpoint_c, 0.0, d.air_delta_t)
        q_mech = m_cp * excess
        t_evap = setpoint_c - d.coil_approach - DEFAULT_APPROACHES["evaporator"] + ZERO_CELSIUS
        cop = _cop(t_evap, t_db + d_cond_air + ZERO_CELSIUS, eta_air, d.min_condensing + ZERO_CELSIUS)
        compressors = q_mech / cop
        free = 1.0 - q_mech / q_air
        pumps = d.pump_fraction * q_air * use_pads
    else:  # direct_liquid
        q_liquid = it * liquid_share
        dry = t_db + d.dry_cooler_approach
        comp_liquid, free_liquid, _ = _chilled_loop(q_liquid, setpoint_c, d.liquid_delta_t, dry, True, eta_air,
                                                    t_db, d_cond_air, d.min_condensing)
        chw = d.air_setpoint - d.coil_approach
        comp_air, free_air, cop = _chilled_loop(q_air, chw, d.loop_delta_t, dry + d.hx_approach, d.economiser,
                                                eta_air, t_db, d_cond_air, d.min_condensing)
        q_mech = q_liquid * (1.0 - free_liquid) + q_air * (1.0 - free_air)
        compressors = comp_liquid + comp_air
        free = (free_liquid * q_liquid + free_air * q_air) / (q_liquid + q_air)
        pumps = d.pump_fraction * (q_liquid + q_air)
        rejection = d.rejection_fan_fraction * (q_liquid + q_air + compressors)
    return _Hourly(fans, distribution, misc, pumps, compressors, rejection, water, free, q_mech, cop)


_DAYS = HOURS_PER_YEAR // 24


class DailySite(NamedTuple):
    """A simulated year in days (see :meth:`SiteResult.daily`); arrays of 365 values."""
    days: np.ndarray                    # day of the year, 1 … 365
    pue: pint.Quantity                  # facility energy / IT energy, each day
    outdoor: pint.Quantity              # °C, daily mean dry-bulb
    wet_bulb: pint.Quantity             # °C, daily mean wet-bulb
    wue: pint.Quantity                  # L of water withdrawn per kWh of IT, each day


@dataclass(frozen=True, eq=False)
class SiteResult:
    """A simulated year (see :func:`simulate_site`). Hourly fields are arrays of 8,760 quantities."""
    climate: str
    design: CoolingDesign
    seed: int
    setpoint: pint.Quantity             # °C
    outdoor: pint.Quantity              # °C, hourly dry-bulb
    wet_bulb: pint.Quantity             # °C, hourly
    it_power: pint.Quantity             # kW, hourly
    cooling_power: pint.Quantity        # kW: compressors + pumps + tower/dry-cooler fans
    fan_power: pint.Quantity            # kW: room air movement
    distribution_power: pint.Quantity   # kW: UPS/transformer losses + lights and offices
    facility_power: pint.Quantity       # kW: everything
    pue_hourly: pint.Quantity           # facility / IT, each hour
    water: pint.Quantity                # L per hour withdrawn for cooling (evaporated + blowdown)
    free_cooling: pint.Quantity         # share of the cooling load met without compressors, each hour
    mechanical_load: pint.Quantity      # kW of heat moved by compressors, each hour (what storage can shift)
    chiller_cop: pint.Quantity          # COP the compressors have (or would have) in each hour

    @property
    def it_energy(self) -> pint.Quantity:
        """Annual IT energy, MWh."""
        return plain(self.it_power.magnitude.sum() / 1e3, "MWh")

    @property
    def facility_energy(self) -> pint.Quantity:
        """Annual facility energy, MWh."""
        return plain(self.facility_power.magnitude.sum() / 1e3, "MWh")

    @property
    def cooling_energy(self) -> pint.Quantity:
        """Annual energy of cooling: compressors, pumps, tower and dry-cooler fans and room fans, MWh."""
        return plain((self.cooling_power.magnitude.sum() + self.fan_power.magnitude.sum()) / 1e3, "MWh")

    @property
    def pue(self) -> pint.Quantity:
        """Annual PUE: facility energy / IT energy (not the mean of hourly PUEs)."""
        return plain(self.facility_power.magnitude.sum() / self.it_power.magnitude.sum(), "dimensionless")

    @property
    def water_total(self) -> pint.Quantity:
        """Annual site water withdrawn for cooling (evaporated + blowdown), m³."""
        return plain(self.water.magnitude.sum() / 1e3, "m**3")

    @property
    def wue(self) -> pint.Quantity:
        """On-site Water Usage Effectiveness: site water withdrawn / IT energy, L/kWh (The Green Grid).

        A withdrawal figure (evaporation + blowdown); :attr:`wue_consumption` counts only what evaporates.
        """
        return plain(self.water.magnitude.sum() / self.it_power.magnitude.sum(), "L/kWh")

    @property
    def water_consumed(self) -> pint.Quantity:
        """Water consumed (evaporated) each hour, L: the withdrawal ``water`` less blowdown."""
        return plain(self.water.magnitude * fact("li_evaporated_fraction", "dimensionless"), "L")

    @property
    def water_consumed_total(self) -> pint.Quantity:
        """Annual site water consumed (evaporated), m³: the boundary of off-site consumption factors."""
        return plain(self.water_consumed.magnitude.sum() / 1e3, "m**3")

    @property
    def wue_consumption(self) -> pint.Quantity:
        """On-site water consumed (evaporated) per kWh of IT energy, L/kWh; :attr:`wue` counts withdrawal."""
        return plain(self.water_consumed.magnitude.sum() / self.it_power.magnitude.sum(), "L/kWh")

    def daily(self) -> DailySite:
        """The year day by day (365 days): daily PUE, mean outdoor temperatures and water per kWh of IT.

        Each day's PUE and WUE are ratios of that day's energies (not means of hourly ratios).
        """
        def per_day(hourly):
            return hourly[: _DAYS * 24].reshape(_DAYS, 24).mean(axis=1)
        it = per_day(self.it_power.magnitude)
        return DailySite(
            days=np.arange(1, _DAYS + 1), pue=plain(per_day(self.facility_power.magnitude) / it),
            outdoor=plain(per_day(self.outdoor.magnitude), "degC"),
            wet_bulb=plain(per_day(self.wet_bulb.magnitude), "degC"),
            wue=plain(per_day(self.water.magnitude) / it, "L/kWh"))

    def pue_breakdown(self) -> dict:
        """Where the PUE above 1 goes: annual energy of each overhead ÷ IT energy (the values sum to PUE − 1).

        Keys: ``"cooling plant"`` (compressors, pumps, tower and dry-cooler fans), ``"room fans"`` and
        ``"power and lights"`` (UPS and transformer losses, lighting, controls, offices).
        """
        it = self.it_power.magnitude.sum()
        return {"cooling plant": float(self.cooling_power.magnitude.sum() / it),
                "room fans": float(self.fan_power.magnitude.sum() / it),
                "power and lights": float(self.distribution_power.magnitude.sum() / it)}

    @property
    def free_cooling_hours(self) -> int:
        """Hours in which the whole cooling load was met without compressors."""
        return int(np.count_nonzero(self.free_cooling.magnitude >= 1.0 - 1e-12))

    @property
    def cooling_share(self) -> pint.Quantity:
        """Share of facility energy spent on cooling (compare the article's ≈40 %)."""
        return plain(self.cooling_energy.magnitude / self.facility_energy.magnitude, "dimensionless")

    def summary(self) -> str:
        """One line: design, climate, annual PUE, energy and water."""
        return (f"{self.design.name} in a {self.climate} climate (set-point {fmt(self.setpoint)}): PUE "
                f"{self.pue.magnitude:.2f}, IT {fmt(self.it_energy)}, facility {fmt(self.facility_energy)}, "
                f"cooling {self.cooling_share.magnitude:.0%} of the total, water {fmt(self.water_total)} "
                f"(WUE {self.wue.magnitude:.2f} L/kWh), {self.free_cooling_hours:,} h of full free cooling")

    def __str__(self) -> str:
        return self.summary()

    def _repr_pretty_(self, p, cycle):
        p.text(self.summary())


def simulate_site(climate="temperate", design="air_chiller", it_load=1e6, setpoint=None, seed: int = 0,
                  capacity=None) -> SiteResult:
    """Simulate a data centre hour by hour for a year: cooling power, PUE and water.

    Parameters
    ----------
    climate : str or ClimateSpec
        ``"cold"``, ``"temperate"``, ``"hot-dry"`` or ``"hot-humid"`` (:data:`~energylab.cooling.climate.CLIMATES`),
        or your own :class:`~energylab.cooling.climate.ClimateSpec`.
    design : str or CoolingDesign
        A name in :data:`DESIGNS` or a :class:`CoolingDesign` (e.g. ``DESIGNS["air_chiller"].replace(...)``).
    it_load : pint.Quantity or float or array_like
        IT power, greater than 0: one value (flat) or 8,760 hourly values; plain numbers in W. Default 1 MW.
    setpoint : pint.Quantity or float, optional
        Supply temperature to the IT equipment: cold-aisle air for air designs, coolant for ``direct_liquid``
        (a temperature: ``27 * u.degC``; plain numbers in K). Default: the design's own.
    seed : int
        Seed of the synthetic weather. Same seed, same year, same result.
    capacity : pint.Quantity or float, optional
        Installed IT capacity (W); fixed losses scale with it. Default the peak of ``it_load``.

    Returns
    -------
    SiteResult
        Hourly arrays (outdoor and wet-bulb temperature, IT, cooling, fan, distribution and facility power,
        hourly PUE, water, free-cooling share) and annual ``pue``, ``it_energy``, ``facility_energy``,
        ``cooling_energy``, ``water_total``, ``wue``, ``free_cooling_hours``.

    Raises
    ------
    TypeError, ValueError
        Unknown climate or design, a load that is not a power, a set-point that is not a temperature (plain
        numbers below 150 look like °C), a capacity below the peak load, a set-point outside 5–45 °C.

    Examples
    --------
    >>> from energylab.units import u
    >>> cold = simulate_site("cold", "direct_liquid", seed=0)
    >>> print(cold.pue.round(2), cold.wue.round(2))
    1.09 0 L / kWh

    Notes
    -----
    PUE (The Green Grid) = facility energy / IT energy; WUE = site water / IT energy (L/kWh). Ranges to compare:
    Uptime's industry average 1.56–1.58 (``uptime_average_pue_2024``), Google's fleet 1.10
    (``google_fleet_pue``), LBNL's US on-site water (``lbnl_us_onsite_wue_2023``), Li et al.'s 1–9 L/kWh for
    evaporative sites (``li_onsite_wue_range``). Chiller efficiency: derived from ASHRAE 90.1 COPs
    (``chiller_cop_*``) at AHRI 550/590 rating conditions. Wet-bulb: Stull 2011.
    """
    d = _design(design)
    spec = _spec(climate)
    seed = check_seed(seed)
    load = as_quantity(it_load, "W", "it_load", positive=True).to("kW").magnitude
    load = np.asarray(load, dtype=float)
    if load.ndim == 0:
        load = np.full(HOURS_PER_YEAR, float(load))
    elif load.shape != (HOURS_PER_YEAR,):
        raise ValueError(f"it_load must be one power or {HOURS_PER_YEAR:,} hourly powers; got shape {load.shape}.")
    if capacity is None:
        cap = float(load.max())
    else:
        cap = float(as_quantity(capacity, "W", "capacity", positive=True, allow_array=False).to("kW").magnitude)
        if cap < load.max() * (1 - 1e-9):
            raise ValueError(f"capacity must be at least the peak IT load ({fmt(load.max())} kW); got "
                             f"{fmt(cap)} kW.")
    if setpoint is None:
        setpoint_c = d.setpoint
    else:
        setpoint_c = float(kelvin(setpoint, "setpoint")) - ZERO_CELSIUS if np.ndim(
            getattr(setpoint, "magnitude", setpoint)) == 0 else None
        if setpoint_c is None:
            raise TypeError("setpoint must be a single temperature such as 24 * u.degC, not an array.")
    if not 5.0 <= setpoint_c <= 45.0:
        raise ValueError(f"setpoint must be between 5 and 45 °C (a supply temperature to IT equipment); got "
                         f"{setpoint_c:.4g} °C.")
    weather = _generate(spec, seed)
    h = _simulate(d, weather.temperature_c, weather.wet_bulb_c, load, cap, setpoint_c)
    cooling = h.pumps + h.compressors + h.heat_rejection
    other = h.distribution + h.misc
    facility = load + h.fans + other + cooling
    return SiteResult(
        climate=spec.name, design=d, seed=seed, setpoint=Q_(setpoint_c, "degC"),
        outdoor=Q_(weather.temperature_c, "degC"), wet_bulb=Q_(weather.wet_bulb_c, "degC"),
        it_power=Q_(load, "kW"), cooling_power=Q_(cooling, "kW"), fan_power=Q_(h.fans, "kW"),
        distribution_power=Q_(other, "kW"), facility_power=Q_(facility, "kW"),
        pue_hourly=Q_(facility / load, "dimensionless"), water=Q_(h.water, "L"),
        free_cooling=Q_(h.free_fraction, "dimensionless"), mechanical_load=Q_(h.mechanical_load, "kW"),
        chiller_cop=Q_(h.cop, "dimensionless"))


class DesignComparison(NamedTuple):
    """Annual PUE and WUE of designs × climates (see :func:`compare_designs`)."""
    climates: tuple
    designs: tuple
    pue: np.ndarray      # [design, climate]
    wue: np.ndarray      # L/kWh, [design, climate]

    def __str__(self) -> str:
        width = max(len(d) for d in self.designs)
        head = " " * width + "".join(f"  {c:>16}" for c in self.climates)
        lines = [head, " " * width + "".join(f"  {'PUE   WUE L/kWh':>16}" for _ in self.climates)]
        for i, d in enumerate(self.designs):
            cells = "".join(f"  {self.pue[i, j]:>6.2f} {self.wue[i, j]:>9.2f}" for j in range(len(self.climates)))
            lines.append(d.ljust(width) + cells)
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


def compare_designs(designs=None, climates=None, seed: int = 0, it_load=1e6) -> DesignComparison:
    """Annual PUE and on-site WUE of each design in each climate (one seed, same IT load).

    Parameters
    ----------
    designs : iterable of str or CoolingDesign, optional
        Default: every design in :data:`DESIGNS`.
    climates : iterable of str or ClimateSpec, optional
        Default: every climate in :data:`~energylab.cooling.climate.CLIMATES`.
    seed : int
        Weather seed.
    it_load : pint.Quantity or float or array_like
        As in :func:`simulate_site`.

    Returns
    -------
    DesignComparison
        ``pue`` and ``wue`` (L/kWh) arrays indexed [design, climate]; prints as a table.

    Examples
    --------
    >>> table = compare_designs(["air_chiller", "direct_liquid"], ["cold", "hot-dry"])
    >>> bool((table.pue[1] < table.pue[0]).all())
    True
    """
    from .climate import CLIMATES
    designs = list(DESIGNS) if designs is None else list(designs)
    climates = list(CLIMATES) if climates is None else list(climates)
    pue = np.empty((len(designs), len(climates)))
    wue = np.empty_like(pue)
    for i, d in enumerate(designs):
        for j, c in enumerate(climates):
            r = simulate_site(c, d, it_load=it_load, seed=seed)
            pue[i, j] = r.pue.magnitude
            wue[i, j] = r.wue.magnitude
    names = tuple(_design(d).name for d in designs)
    return DesignComparison(tuple(_spec(c).name for c in climates), names, pue, wue)
