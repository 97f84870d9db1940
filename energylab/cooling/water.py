"""Water: what evaporative cooling drinks, and the energy–water trade-off against dry cooling.

* :func:`evaporation_intensity` — litres of water evaporated per kWh of heat, from the latent heat
  (3.6 MJ / 2.43 MJ/kg ≈ 1.48 L/kWh, fact ``water_evaporated_per_kwh_heat``).
* :func:`water_evaporated` — water evaporated to reject some heat; :func:`water_withdrawn` adds blowdown.
* :func:`onsite_wue` — on-site WUE (L per kWh of IT energy, The Green Grid) of a simulated site or of totals.
* :func:`energy_water_tradeoff` — the same site wet and dry: the dry one saves water on site but uses more
  electricity, and power stations consume water too (off-site, 3.14 L/kWh in the US per Macknick, used by
  Li et al.; 4.35 per LBNL 2024).

**Two boundaries.** Water *consumed* is what evaporates and leaves the watershed; water *withdrawn* is what is
drawn, including blowdown (on site) or cooling water returned to a river (at power stations). Compare like with
like: on-site consumption with the off-site consumption factors above, on-site withdrawal with the off-site
withdrawal factor (43.8 L/kWh in the US, ``us_electricity_water_withdrawal``). :func:`energy_water_tradeoff`
reports both.

    >>> from energylab.units import u
    >>> from energylab.cooling import water
    >>> print(water.evaporation_intensity().round(2))
    1.48 L / kWh
    >>> print(water.water_evaporated(1 * u.MWh).round(0))
    1481 L
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from ..accounting import water_use
from ..units import as_fraction, as_quantity, fmt, plain
from ._common import fact

__all__ = ["evaporation_intensity", "water_evaporated", "water_withdrawn", "onsite_wue", "WaterEnergyTradeoff",
           "energy_water_tradeoff", "dry_variant"]


def evaporation_intensity(latent_heat=None) -> pint.Quantity:
    """Water evaporated per unit of heat removed by evaporation alone: 1 kWh / L_v, as litres per kWh.

    Parameters
    ----------
    latent_heat : pint.Quantity or float, optional
        Latent heat of vaporisation; plain numbers in J/kg. Default the registry's value at 30 °C
        (``water_latent_heat_30c``, 2,430 kJ/kg, NIST WebBook), typical of cooling towers.

    Returns
    -------
    pint.Quantity
        L/kWh (one kilogram of water is one litre).

    Examples
    --------
    >>> from energylab.units import u
    >>> print(evaporation_intensity(2257 * u.kJ / u.kg).round(2))    # at 100 °C
    1.6 L / kWh
    """
    lv = (fact("water_latent_heat_30c", "J/kg") if latent_heat is None
          else as_quantity(latent_heat, "J/kg", "latent_heat", positive=True).magnitude)
    return plain(3.6e6 / np.asarray(lv), "L/kWh")


def water_evaporated(heat, latent_heat=None) -> pint.Quantity:
    """Water evaporated to reject ``heat`` by evaporation alone (blowdown excluded).

    Parameters
    ----------
    heat : pint.Quantity or float or array_like
        Heat rejected, at least 0; plain numbers in kWh.
    latent_heat : pint.Quantity or float, optional
        As in :func:`evaporation_intensity`.

    Returns
    -------
    pint.Quantity
        Litres.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(water_evaporated(24 * u.kWh).round(1))    # a 1 kW load for a day
    35.6 L
    """
    heat = as_quantity(heat, "kWh", "heat", nonnegative=True).magnitude
    return plain(np.asarray(heat) * evaporation_intensity(latent_heat).magnitude, "L")


def water_withdrawn(evaporated, evaporated_fraction=None) -> pint.Quantity:
    """Water drawn for cooling, given what evaporates: evaporated / (evaporated share of the withdrawal).

    The rest leaves as blowdown (bleed-off that keeps dissolved salts from building up).

    Parameters
    ----------
    evaporated : pint.Quantity or float or array_like
        Water evaporated, at least 0; plain numbers in L.
    evaporated_fraction : float, optional
        Share of the withdrawal that evaporates, in (0, 1]; default 80 % (``li_evaporated_fraction``, Li et al.
        2025).

    Returns
    -------
    pint.Quantity
        Litres.

    Examples
    --------
    >>> print(water_withdrawn(800))
    1000 L
    """
    evaporated = as_quantity(evaporated, "L", "evaporated", nonnegative=True).magnitude
    share = (fact("li_evaporated_fraction", "dimensionless") if evaporated_fraction is None
             else as_fraction(evaporated_fraction, "evaporated_fraction").magnitude)
    return plain(np.asarray(evaporated) / np.asarray(share), "L")


def onsite_wue(site_or_water, it_energy=None) -> pint.Quantity:
    """On-site Water Usage Effectiveness: site water ÷ IT energy, L/kWh (The Green Grid 2011).

    Parameters
    ----------
    site_or_water : SiteResult or pint.Quantity or float
        A :class:`~energylab.cooling.site.SiteResult`, or the annual site water (plain numbers in L).
    it_energy : pint.Quantity or float, optional
        IT energy when water is given; plain numbers in kWh.

    Returns
    -------
    pint.Quantity
        L/kWh.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(onsite_wue(3.0e6 * u.L, 8760 * u.MWh).round(3))
    0.342 L / kWh
    """
    if hasattr(site_or_water, "wue") and hasattr(site_or_water, "it_power"):
        return site_or_water.wue
    if it_energy is None:
        raise TypeError("onsite_wue needs a SiteResult, or the site water and it_energy (e.g. 8760 * u.MWh).")
    w = as_quantity(site_or_water, "L", "water", nonnegative=True).magnitude
    e = as_quantity(it_energy, "kWh", "it_energy", positive=True).magnitude
    return plain(np.asarray(w) / np.asarray(e), "L/kWh")


def dry_variant(design):
    """The waterless version of a design: dry coolers instead of towers, no evaporative pads.

    ``"water_chiller_economiser"`` → dry coolers feed the economiser and an air-cooled chiller does the rest;
    ``"evaporative"`` → outside air without pads, compressors for warm hours. Designs that use no water are
    returned unchanged.

    Parameters
    ----------
    design : str or CoolingDesign
        A name in :data:`~energylab.cooling.site.DESIGNS` or a design.

    Returns
    -------
    CoolingDesign
        The dry design (named ``<name>_dry``), or ``design`` itself if it uses no water.

    Examples
    --------
    >>> dry_variant("water_chiller_economiser").chiller_kind
    'air'
    """
    from .site import _design
    d = _design(design)
    if d.kind == "evaporative":
        return d.replace(name=d.name + "_dry", evaporative_pads=False)
    if d.chiller_kind == "water":
        return d.replace(name=d.name + "_dry", chiller_kind="air",
                         rejection_fan_fraction=max(d.rejection_fan_fraction, 0.015))
    return d


class WaterEnergyTradeoff(NamedTuple):
    """A wet and a dry version of one design in one climate (see :func:`energy_water_tradeoff`).

    The headline fields count **consumption** (water evaporated) on both sides, the boundary of the off-site
    consumption factors; the ``*_withdrawal_*`` fields count withdrawal on both sides, for contrast.
    """
    wet: object                     # SiteResult
    dry: object                     # SiteResult
    extra_energy: pint.Quantity     # MWh/yr the dry site uses on top of the wet one
    onsite_water_saved: pint.Quantity   # m³/yr consumed (evaporated) on site by the wet design
    offsite_water_added: pint.Quantity  # m³/yr consumed by power stations for the extra electricity
    net_water_saved: pint.Quantity      # m³/yr, on-site consumption saved − off-site consumption added
    water_per_energy: pint.Quantity     # L of on-site water consumption saved per extra kWh
    onsite_withdrawal_saved: pint.Quantity   # m³/yr withdrawn on site by the wet design (evaporated + blowdown)
    offsite_withdrawal_added: pint.Quantity  # m³/yr withdrawn by power stations for the extra electricity
    net_withdrawal_saved: pint.Quantity      # m³/yr, on-site withdrawal saved − off-site withdrawal added

    def __str__(self) -> str:
        return (f"{self.wet.design.name} in a {self.wet.climate} climate: going dry saves "
                f"{fmt(self.onsite_water_saved)} of water consumed on site per year for {fmt(self.extra_energy)} "
                f"more electricity (PUE {self.wet.pue.magnitude:.2f} → {self.dry.pue.magnitude:.2f}), which "
                f"consumes {fmt(self.offsite_water_added)} at power stations: net {fmt(self.net_water_saved)} "
                f"consumption saved ({fmt(self.water_per_energy)} of site water per extra kWh). Withdrawal: "
                f"{fmt(self.onsite_withdrawal_saved)} saved on site, {fmt(self.offsite_withdrawal_added)} added off "
                f"site, net {fmt(self.net_withdrawal_saved)}")


def energy_water_tradeoff(climate="temperate", design="water_chiller_economiser", seed: int = 0, it_load=1e6,
                          water_intensity_offsite=None, withdrawal_intensity_offsite=None) -> WaterEnergyTradeoff:
    """Simulate a design wet (towers or pads) and dry (:func:`dry_variant`) and compare energy and water.

    Like is compared with like. The headline net counts **consumption** on both sides: on-site water evaporated
    (the site's withdrawal less blowdown) against the water power stations consume for the extra electricity.
    The withdrawal fields count **withdrawal** on both sides: on-site water drawn (evaporated + blowdown) against
    the water power stations withdraw (most of it returned to its source).

    Parameters
    ----------
    climate : str or ClimateSpec
        As in :func:`~energylab.cooling.site.simulate_site`.
    design : str or CoolingDesign
        A design that uses water: ``"water_chiller_economiser"`` (default) or ``"evaporative"``.
    seed : int
        Weather seed.
    it_load : pint.Quantity or float or array_like
        IT power; plain numbers in W. Default 1 MW.
    water_intensity_offsite : pint.Quantity or float, optional
        Water consumed per kWh of electricity generated; plain numbers in L/kWh. Default 3.14 L/kWh
        (``macknick_water_intensity``, US, used by Li et al.; LBNL 2024 says 4.35).
    withdrawal_intensity_offsite : pint.Quantity or float, optional
        Water withdrawn per kWh of electricity generated; plain numbers in L/kWh. Default 43.8 L/kWh
        (``us_electricity_water_withdrawal``, US, Li et al. 2025).

    Returns
    -------
    WaterEnergyTradeoff
        Both simulations, the extra energy of going dry, and on-site saved, off-site added and net water, as
        consumption and as withdrawal.

    Raises
    ------
    ValueError
        A design that uses no water (nothing to trade).

    Examples
    --------
    >>> t = energy_water_tradeoff("temperate")
    >>> bool(t.extra_energy.magnitude > 0 and t.net_water_saved.magnitude > 0)
    True
    >>> bool(t.net_withdrawal_saved.magnitude < 0)     # power stations withdraw far more than they consume
    True

    Notes
    -----
    Off-site water per Li, Yang, Islam & Ren (2025), via :func:`energylab.accounting.water_use`.
    """
    from .site import _design, simulate_site
    wet_design = _design(design)
    dry_design = dry_variant(wet_design)
    if dry_design == wet_design:
        raise ValueError(f"design {wet_design.name!r} uses no water; choose 'water_chiller_economiser' or "
                         "'evaporative'.")
    ewif = (fact("macknick_water_intensity", "L/kWh") if water_intensity_offsite is None
            else as_quantity(water_intensity_offsite, "L/kWh", "water_intensity_offsite", nonnegative=True,
                             allow_array=False).magnitude)
    withdrawal = (fact("us_electricity_water_withdrawal", "L/kWh") if withdrawal_intensity_offsite is None
                  else as_quantity(withdrawal_intensity_offsite, "L/kWh", "withdrawal_intensity_offsite",
                                   nonnegative=True, allow_array=False).magnitude)
    wet = simulate_site(climate, wet_design, it_load=it_load, seed=seed)
    dry = simulate_site(climate, dry_design, it_load=it_load, seed=seed)
    extra = dry.facility_energy - wet.facility_energy

    def saved_added(wue_wet, wue_dry, factor):
        w_wet = water_use(wet.it_energy, wue_wet, wet.pue, factor)
        w_dry = water_use(dry.it_energy, wue_dry, dry.pue, factor)
        return ((w_wet.on_site - w_dry.on_site).to("m**3").magnitude,
                (w_dry.off_site - w_wet.off_site).to("m**3").magnitude)

    onsite, offsite = saved_added(wet.wue_consumption, dry.wue_consumption, ewif)
    onsite_w, offsite_w = saved_added(wet.wue, dry.wue, withdrawal)
    extra_kwh = extra.to("kWh").magnitude
    per = onsite * 1e3 / extra_kwh if extra_kwh > 0 else float("inf")
    return WaterEnergyTradeoff(wet, dry, plain(extra.magnitude, "MWh"), plain(onsite, "m**3"),
                               plain(offsite, "m**3"), plain(onsite - offsite, "m**3"), plain(per, "L/kWh"),
                               plain(onsite_w, "m**3"), plain(offsite_w, "m**3"),
                               plain(onsite_w - offsite_w, "m**3"))
