"""Cooling: heat, chillers, climate, PUE over a year, water, heat reuse, cold storage and thermoelectrics.

Chapter 06 of the course. One module per subject; everything public is also importable from here:

* :mod:`~energylab.cooling.heat` — all electrical power becomes heat; air vs water flows; why a 120 kW AI rack
  needs liquid (:func:`heat_from_power`, :func:`mass_flow`, :func:`volume_flow`, :func:`rack_cooling`,
  :func:`max_air_cooled_rack_power`).
* :mod:`~energylab.cooling.refrigeration` — Carnot COPs, a chiller model derived from rated COPs, economisers
  (:func:`carnot_cop_cooling`, :func:`carnot_cop_heating`, :func:`chiller_efficiency_fraction`,
  :func:`rating_temperatures`, :func:`chiller_cop`, :func:`economiser_fraction`, :func:`free_cooling_hours`;
  approach temperatures in :data:`DEFAULT_APPROACHES`).
* :mod:`~energylab.cooling.climate` — seeded synthetic climates and Stull's wet-bulb formula
  (:data:`CLIMATES`, :func:`synthetic_climate`, :func:`wet_bulb_temperature`).
* :mod:`~energylab.cooling.site` — a data centre over 8,760 hours: PUE and water by design and climate
  (:data:`DESIGNS`, :func:`simulate_site`, :func:`compare_designs`, :func:`it_load_profile`).
* :mod:`~energylab.cooling.water` — water per kWh of heat, WUE, the energy–water trade-off
  (:func:`evaporation_intensity`, :func:`water_evaporated`, :func:`energy_water_tradeoff`).
* :mod:`~energylab.cooling.reuse` — heat pumps and homes heated; Odense and Paris
  (:func:`heat_pump_cop`, :func:`homes_per_mw`, :func:`heat_reuse`, :func:`reuse_case_studies`).
* :mod:`~energylab.cooling.storage` — chilled water as a battery (:func:`tank_capacity`,
  :func:`carbon_intensity_profile`, :func:`price_profile`, :func:`dispatch_storage`, :func:`site_storage`).
* :mod:`~energylab.cooling.thermoelectric` — Peltier coolers and ZT (:func:`peltier_cop_max`,
  :func:`peltier_vs_compressor`, :func:`spot_cooling`).

Units: plain numbers are read in SI units (W, K, m³, kWh where an energy is expected — each docstring says).
Absolute temperatures may be K, °C or °F quantities (``25 * u.degC``); a plain number is read in kelvin, and
one below 150 is refused as a probable °C slip. Temperature differences are K or ``u.delta_degC``.

Every constant comes from :mod:`energylab.sources`; the choices that are **course assumptions** are collected,
with the reason for each, in :data:`COURSE_ASSUMPTIONS` (and, per design, in :data:`DESIGNS`).

    >>> from energylab.units import u
    >>> from energylab import cooling
    >>> print(cooling.simulate_site("cold", "direct_liquid").pue.round(2))
    1.09
"""
from __future__ import annotations

from . import climate, heat, refrigeration, reuse, site, storage, thermoelectric, water
from ._common import LazyAssumptions
from .climate import CLIMATES, Climate, ClimateSpec, synthetic_climate, wet_bulb_temperature
from .heat import (COLD_PLATE_SHARE, COOLANTS, RackCooling, heat_from_power, mass_flow, max_air_cooled_rack_power,
                   rack_cooling, specific_heat, volume_flow, volumetric_heat_capacity)
from .refrigeration import (CHILLER_KINDS, DEFAULT_APPROACHES, FreeCooling, carnot_cop_cooling, carnot_cop_heating,
                            chiller_cop, chiller_efficiency_fraction, economiser_fraction, free_cooling_hours,
                            rating_temperatures)
from .reuse import (HeatAvailable, HeatPump, HeatReuse, ReuseCase, ReuseTable, heat_available, heat_per_home,
                    heat_pump, heat_pump_cop, heat_reuse, homes_heated, homes_per_mw, reuse_case_studies)
from .site import (DESIGNS, CoolingDesign, DesignComparison, SiteResult, compare_designs, it_load_profile,
                   simulate_site)
from .storage import (GRID_REGIONS, StorageResult, carbon_intensity_profile, dispatch_storage, ice_mass,
                      price_profile, site_storage, tank_capacity, tank_volume)
from .thermoelectric import (PeltierComparison, SpotCooling, peltier_cop_max, peltier_max_delta_t,
                             peltier_vs_compressor, spot_cooling)
from .water import (WaterEnergyTradeoff, dry_variant, energy_water_tradeoff, evaporation_intensity, onsite_wue,
                    water_evaporated, water_withdrawn)

def _all_assumptions() -> dict:
    return {
        **{f"heat.{k}": v for k, v in heat.HEAT_ASSUMPTIONS.items()},
        **{f"refrigeration.{k}": v for k, v in refrigeration.REFRIGERATION_ASSUMPTIONS.items()},
        **{f"climate.{name}": (f"{spec.mean:g} °C mean, ±{spec.annual_amplitude:g} K annual, "
                               f"±{spec.daily_amplitude:g} K daily, noise {spec.noise_sd:g} K; RH {spec.rh_mean:g} %",
                               f"A synthetic climate resembling {spec.resembles}, its parameters set by hand; not a "
                               f"weather record (see energylab.cooling.climate for why).")
           for name, spec in CLIMATES.items()},
        **{f"site.{k}": v for k, v in site.SITE_ASSUMPTIONS.items()},
        **{f"design.{name}": (d.description, d.why) for name, d in DESIGNS.items()},
        **{f"reuse.{k}": v for k, v in reuse.REUSE_ASSUMPTIONS.items()},
        **{f"storage.{k}": v for k, v in storage.STORAGE_ASSUMPTIONS.items()},
        **{f"thermoelectric.{k}": v for k, v in thermoelectric.THERMOELECTRIC_ASSUMPTIONS.items()},
    }


#: Every course assumption of the cooling modules, by module and name: (value, reason). Read-only; built on first
#: use, because the strings quote registry values and the registry is not read at import.
COURSE_ASSUMPTIONS = LazyAssumptions(_all_assumptions)

__all__ = [
    "climate", "heat", "refrigeration", "reuse", "site", "storage", "thermoelectric", "water", "COURSE_ASSUMPTIONS",
    # heat
    "COLD_PLATE_SHARE", "COOLANTS", "RackCooling", "heat_from_power", "mass_flow", "max_air_cooled_rack_power",
    "rack_cooling", "specific_heat", "volume_flow", "volumetric_heat_capacity",
    # refrigeration
    "CHILLER_KINDS", "DEFAULT_APPROACHES", "FreeCooling", "carnot_cop_cooling", "carnot_cop_heating", "chiller_cop",
    "chiller_efficiency_fraction", "economiser_fraction", "free_cooling_hours", "rating_temperatures",
    # climate and site
    "CLIMATES", "Climate", "ClimateSpec", "synthetic_climate", "wet_bulb_temperature",
    "DESIGNS", "CoolingDesign", "DesignComparison", "SiteResult", "compare_designs", "it_load_profile",
    "simulate_site",
    # water
    "WaterEnergyTradeoff", "dry_variant", "energy_water_tradeoff", "evaporation_intensity", "onsite_wue",
    "water_evaporated", "water_withdrawn",
    # reuse
    "HeatAvailable", "HeatPump", "HeatReuse", "ReuseCase", "ReuseTable", "heat_available", "heat_per_home", "heat_pump",
    "heat_pump_cop", "heat_reuse", "homes_heated", "homes_per_mw", "reuse_case_studies",
    # storage
    "GRID_REGIONS", "StorageResult", "carbon_intensity_profile", "dispatch_storage", "ice_mass", "price_profile",
    "site_storage", "tank_capacity", "tank_volume",
    # thermoelectric
    "PeltierComparison", "SpotCooling", "peltier_cop_max", "peltier_max_delta_t", "peltier_vs_compressor",
    "spot_cooling",
]
