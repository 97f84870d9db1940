"""Chilled-water storage as a battery: make cold when electricity is cheap or clean, use it at the peak.

* :func:`tank_capacity`, :func:`tank_volume` — sensible storage Q = ρc_p·V·ΔT (chilled water at ΔT = 10 K holds
  ≈11.6 kWh of cold per m³, fact ``chilled_water_storage_density``); :func:`ice_mass` for ice (92.8 kWh/t).
* :func:`carbon_intensity_profile`, :func:`price_profile` — the hourly grid profiles of :mod:`energylab.grid`,
  re-exported here because the tank is dispatched on them.
* :func:`dispatch_storage` — a greedy, LP-free dispatch: each day, charge the tank in the hours where cold is
  cheapest (or cleanest) to make and discharge it in the dearest hours; checks the energy balance
  (charged = discharged + losses + what is left in the tank) and reports cost and carbon saved.
* :func:`site_storage` — the same on a simulated site's compressor load.

    >>> from energylab.units import u
    >>> from energylab.cooling import storage
    >>> print(storage.tank_capacity(1000 * u.m**3, 10 * u.K).to("MWh").round(2))
    11.61 MWh
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from ..grid import GRID_ASSUMPTIONS, GRID_REGIONS, carbon_intensity_profile, price_profile
from ..units import Q_, as_choice, as_fraction, as_quantity, fmt, plain
from ._common import LazyAssumptions, fact, kelvin_difference

__all__ = ["STORAGE_ASSUMPTIONS", "GRID_REGIONS", "tank_capacity", "tank_volume", "ice_mass",
           "carbon_intensity_profile", "price_profile", "StorageResult", "dispatch_storage", "site_storage"]


def _storage_assumptions() -> dict:
    """Course assumptions of this module, quoting registry values from the registry (not marked used)."""
    return {
        "standing_loss": ("0.1 % of the stored cold per hour (≈2.4 % a day)",
                          "Heat leaking into an insulated tank; large stratified tanks lose 1–3 % a day."),
        "charge_loss": ("5 % of the cold put in", "Mixing at the thermocline between warm and cold water."),
        "chiller_headroom": ("chiller capacity = 1.2 × peak compressor load",
                             "Spare (redundant) capacity that can charge the tank on top of the load."),
        # The grid profiles the tank is dispatched on (moved to energylab.grid, listed here as before).
        **{key: GRID_ASSUMPTIONS[key] for key in ("shape_hours", "day_to_day", "price_shape")},
    }


#: Course assumptions of this module: (value, reason).
STORAGE_ASSUMPTIONS = LazyAssumptions(_storage_assumptions)


def tank_capacity(volume, delta_t=10) -> pint.Quantity:
    """Cold stored in a chilled-water tank: Q = ρc_p · V · ΔT.

    Parameters
    ----------
    volume : pint.Quantity or float or array_like
        Water volume, at least 0; plain numbers in m³.
    delta_t : pint.Quantity or float, optional
        Temperature swing between charged (cold) and discharged (warm) water; plain numbers in K. Default 10 K.

    Returns
    -------
    pint.Quantity
        Thermal energy in kWh.

    Examples
    --------
    >>> print(tank_capacity(1).round(1))    # fact chilled_water_storage_density: ≈11.6 kWh per m³ at 10 K
    11.6 kWh

    Notes
    -----
    ρc_p of water: ``water_volumetric_heat_capacity`` (4.18 MJ/(m³·K), NIST WebBook).
    """
    v = as_quantity(volume, "m**3", "volume", nonnegative=True).magnitude
    dt = kelvin_difference(delta_t, "delta_t")
    rho_cp = fact("water_volumetric_heat_capacity", "kJ/(m**3*K)")
    return plain(np.asarray(v) * rho_cp * np.asarray(dt) / 3600.0, "kWh")


def tank_volume(capacity, delta_t=10) -> pint.Quantity:
    """Water volume needed to store ``capacity`` of cold at a temperature swing ``delta_t``: V = Q / (ρc_p·ΔT).

    Parameters
    ----------
    capacity : pint.Quantity or float or array_like
        Thermal energy, at least 0; plain numbers in kWh.
    delta_t : pint.Quantity or float, optional
        Plain numbers in K. Default 10 K.

    Returns
    -------
    pint.Quantity
        m³.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(tank_volume(10 * u.MWh).round(0))    # 1 MW of cooling for 10 hours
    861 m ** 3
    """
    q = as_quantity(capacity, "kWh", "capacity", nonnegative=True).magnitude
    dt = kelvin_difference(delta_t, "delta_t")
    rho_cp = fact("water_volumetric_heat_capacity", "kJ/(m**3*K)")
    return plain(np.asarray(q) * 3600.0 / (rho_cp * np.asarray(dt)), "m**3")


def ice_mass(capacity) -> pint.Quantity:
    """Ice needed to store ``capacity`` of cold in its latent heat of fusion (334 kJ/kg ≈ 92.8 kWh/t).

    Parameters
    ----------
    capacity : pint.Quantity or float or array_like
        Thermal energy, at least 0; plain numbers in kWh.

    Returns
    -------
    pint.Quantity
        Tonnes of ice (about 8× less mass than chilled water at 10 K; but making ice needs a colder, less
        efficient chiller).

    Examples
    --------
    >>> from energylab.units import u
    >>> print(ice_mass(10 * u.MWh).round(0))
    108 t
    """
    q = as_quantity(capacity, "kWh", "capacity", nonnegative=True).magnitude
    return plain(np.asarray(q) / fact("ice_latent_heat_fusion", "kWh/t"), "t")


class StorageResult(NamedTuple):
    """A year of tank dispatch (see :func:`dispatch_storage`). Hourly arrays are kW (= kWh per hour)."""
    capacity: pint.Quantity              # kWh of cold
    charge: pint.Quantity                # kW of cold put into the tank (made by the chiller on top of the load)
    discharge: pint.Quantity             # kW of cold taken out (the chiller makes that much less)
    state: pint.Quantity                 # kWh in the tank at the end of each hour
    losses: pint.Quantity                # kWh lost each hour (mixing on charge + standing loss)
    electricity_before: pint.Quantity    # kW chiller electricity without the tank
    electricity_after: pint.Quantity     # kW with the tank
    cost_before: pint.Quantity           # USD per year
    cost_after: pint.Quantity
    carbon_before: pint.Quantity         # kgCO2e per year
    carbon_after: pint.Quantity
    balance_error: pint.Quantity         # kWh: charged − (discharged + losses + stored at the end); ≈ 0
    cold_made: pint.Quantity             # kW of cold the chiller makes each hour: load − discharge + charge

    @property
    def charged(self) -> pint.Quantity:
        return plain(self.charge.magnitude.sum(), "kWh")

    @property
    def discharged(self) -> pint.Quantity:
        return plain(self.discharge.magnitude.sum(), "kWh")

    @property
    def lost(self) -> pint.Quantity:
        return plain(self.losses.magnitude.sum(), "kWh")

    @property
    def stored_at_end(self) -> pint.Quantity:
        return plain(self.state.magnitude[-1], "kWh")

    @property
    def cost_saved(self) -> pint.Quantity:
        return self.cost_before - self.cost_after

    @property
    def carbon_saved(self) -> pint.Quantity:
        return self.carbon_before - self.carbon_after

    @property
    def electricity_before_total(self) -> pint.Quantity:
        """Chiller electricity over the whole period without the tank, kWh."""
        return plain(self.electricity_before.magnitude.sum(), "kWh")

    @property
    def electricity_after_total(self) -> pint.Quantity:
        """Chiller electricity over the whole period with the tank, kWh."""
        return plain(self.electricity_after.magnitude.sum(), "kWh")

    @property
    def extra_electricity(self) -> pint.Quantity:
        """Electricity the tank adds (its losses must be made up): after − before, kWh."""
        return self.electricity_after_total - self.electricity_before_total

    @property
    def cycles(self) -> float:
        """Equivalent full cycles: discharged ÷ capacity."""
        cap = self.capacity.magnitude
        return float(self.discharged.magnitude / cap) if cap > 0 else 0.0

    def __str__(self) -> str:
        return (f"tank {fmt(self.capacity, 'MWh')}: charged {fmt(self.charged, 'MWh')}, discharged "
                f"{fmt(self.discharged, 'MWh')}, lost {fmt(self.lost, 'MWh')} ({self.cycles:.0f} cycles); "
                f"cost saved {fmt(self.cost_saved)} ({self.cost_saved.magnitude / self.cost_before.magnitude:.1%}), "
                f"carbon saved {fmt(self.carbon_saved.to('tCO2e'))} "
                f"({self.carbon_saved.magnitude / self.carbon_before.magnitude:.1%}), "
                f"extra electricity {fmt(self.extra_electricity, 'MWh')}")


def _hourly(value, unit, name, n, *, positive=False, nonnegative=False):
    q = as_quantity(value, unit, name, positive=positive, nonnegative=nonnegative).magnitude
    arr = np.asarray(q, dtype=float)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if arr.shape != (n,):
        raise ValueError(f"{name} must be one value or {n:,} hourly values; got shape {arr.shape}.")
    return arr


def dispatch_storage(cooling_load, cop, price, carbon=None, capacity=10000.0, objective: str = "cost",
                     chiller_capacity=None, discharge_power=None, standing_loss: float = 0.001,
                     charge_loss: float = 0.05) -> StorageResult:
    """Greedy dispatch of a chilled-water tank over hourly profiles; checks the energy balance.

    Each day (midnight to midnight) the hours are ranked by the cost of making a kWh of cold, signal / COP (the
    signal is the price, or the carbon intensity with ``objective="carbon"``). The dearest hours are marked for
    discharge and the cheapest for charging, pair by pair, while a discharged kWh saves more than its charge
    costs after the charge loss, and until the planned discharge fills the tank. Then the year is run in time
    order: charging is limited by the chiller's spare capacity and the room in the tank, discharging by the load
    and what is stored; a standing loss leaks every hour. No linear programme: a heuristic a student can follow.

    Energy balance, asserted: Σ charged = Σ discharged + Σ losses + stored at the end.

    Parameters
    ----------
    cooling_load : pint.Quantity or float or array_like
        Heat the chiller must remove each hour, at least 0; plain numbers in W (kW quantities welcome). One value
        is used for every hour of ``price``.
    cop : pint.Quantity or float or array_like
        Chiller COP each hour (or one value), greater than 0.
    price : pint.Quantity or array_like
        Electricity price each hour; plain numbers in USD/kWh.
    carbon : pint.Quantity or array_like, optional
        Grid carbon intensity each hour; plain numbers in gCO2e/kWh. Needed for ``objective="carbon"``.
    capacity : pint.Quantity or float
        Tank capacity (cold), at least 0; plain numbers in kWh. Default 10 MWh (≈860 m³ at 10 K).
    objective : {"cost", "carbon"}
        What to minimise.
    chiller_capacity : pint.Quantity or float, optional
        Most cold the chiller can make in an hour (W); default 1.2 × the peak load (course assumption).
    discharge_power : pint.Quantity or float, optional
        Most cold the tank can give in an hour (W); default unlimited (only the load limits it).
    standing_loss : float, optional
        Share of the stored cold lost per hour, in [0, 1]. Default 0.001.
    charge_loss : float, optional
        Share of the cold put in that is lost to mixing, in [0, 1). Default 0.05.

    Returns
    -------
    StorageResult
        Hourly charge, discharge, state, losses and chiller electricity; annual cost and carbon before and after.

    Raises
    ------
    TypeError, ValueError
        Inputs of the wrong dimension or shape, negative values, an objective without its signal.
    RuntimeError
        If the energy balance fails (a bug, never expected).

    Examples
    --------
    >>> p = price_profile("germany")
    >>> ci = carbon_intensity_profile("germany")
    >>> r = dispatch_storage(800e3, 4.0, p, ci, capacity=8000)
    >>> bool(r.cost_saved.magnitude > 0), abs(r.balance_error.magnitude) < 1e-6
    (True, True)

    Notes
    -----
    Storage densities: ``chilled_water_storage_density`` and ``ice_storage_density``. Loss and headroom
    figures are course assumptions (:data:`STORAGE_ASSUMPTIONS`).
    """
    price_arr = np.atleast_1d(as_quantity(price, "USD/kWh", "price", nonnegative=True).magnitude).astype(float)
    n = price_arr.size
    if n < 24:
        raise ValueError(f"price must hold at least 24 hourly values; got {n}.")
    load = _hourly(cooling_load, "W", "cooling_load", n, nonnegative=True) / 1e3          # kW
    cop_arr = _hourly(cop, "dimensionless", "cop", n, positive=True)
    carbon_arr = None if carbon is None else _hourly(carbon, "gCO2e/kWh", "carbon", n, nonnegative=True)
    objective = as_choice(objective, "objective", ("cost", "carbon"))
    if objective == "carbon" and carbon_arr is None:
        raise ValueError("objective='carbon' needs the hourly carbon intensity (carbon=..., in gCO2e/kWh).")
    cap = float(as_quantity(capacity, "kWh", "capacity", nonnegative=True, allow_array=False).magnitude)
    chiller = (1.2 * float(load.max()) if chiller_capacity is None else
               float(as_quantity(chiller_capacity, "W", "chiller_capacity", nonnegative=True,
                                 allow_array=False).to("kW").magnitude))
    d_max = (np.inf if discharge_power is None else
             float(as_quantity(discharge_power, "W", "discharge_power", nonnegative=True,
                               allow_array=False).to("kW").magnitude))
    leak = float(as_fraction(standing_loss, "standing_loss", allow_zero=True).magnitude)
    mix = float(as_fraction(charge_loss, "charge_loss", allow_zero=True).magnitude)
    if mix >= 1:
        raise ValueError("charge_loss must be below 1 (a fraction of the cold put in).")

    signal = price_arr if objective == "cost" else carbon_arr
    cold_cost = signal / cop_arr
    charge_room = np.maximum(chiller - load, 0.0)
    give = np.minimum(load, d_max)
    plan = np.zeros(n, dtype=np.int8)          # +1 charge, −1 discharge
    for start in range(0, n - 23, 24):
        idx = start + np.argsort(cold_cost[start:start + 24], kind="stable")
        i, j = 0, 23
        planned_in = planned_out = 0.0
        while i < j and planned_out < cap:
            cheap, dear = idx[i], idx[j]
            if cold_cost[dear] * (1.0 - mix) <= cold_cost[cheap]:
                break
            if give[dear] <= 0:
                j -= 1
                continue
            plan[dear] = -1
            planned_out += give[dear]
            while i < j and planned_in * (1.0 - mix) < min(planned_out, cap):
                if cold_cost[dear] * (1.0 - mix) <= cold_cost[idx[i]]:
                    break
                if charge_room[idx[i]] > 0:
                    plan[idx[i]] = 1
                    planned_in += charge_room[idx[i]]
                i += 1
            j -= 1

    charge = np.zeros(n)
    discharge = np.zeros(n)
    state = np.zeros(n)
    losses = np.zeros(n)
    soc = 0.0
    plan_list, room_list, give_list = plan.tolist(), charge_room.tolist(), give.tolist()
    for t in range(n):
        lost = 0.0
        if plan_list[t] == 1 and cap > 0:
            x = min(room_list[t], (cap - soc) / (1.0 - mix))
            if x > 0:
                charge[t] = x
                lost += x * mix
                soc += x * (1.0 - mix)
        elif plan_list[t] == -1:
            y = min(give_list[t], soc)
            if y > 0:
                discharge[t] = y
                soc -= y
        leak_t = soc * leak
        soc -= leak_t
        lost += leak_t
        losses[t] = lost
        state[t] = soc
    balance = charge.sum() - (discharge.sum() + losses.sum() + soc)
    if not np.isclose(balance, 0.0, atol=1e-6 * max(1.0, charge.sum())):
        raise RuntimeError(f"energy balance violated by {balance:.6g} kWh (a bug in dispatch_storage).")

    made = load - discharge + charge
    before = load / cop_arr
    after = made / cop_arr
    carbon_use = carbon_arr if carbon_arr is not None else np.zeros(n)
    return StorageResult(
        capacity=plain(cap, "kWh"), charge=Q_(charge, "kW"), discharge=Q_(discharge, "kW"),
        state=Q_(state, "kWh"), losses=Q_(losses, "kWh"), electricity_before=Q_(before, "kW"),
        electricity_after=Q_(after, "kW"), cost_before=plain(float(before @ price_arr), "USD"),
        cost_after=plain(float(after @ price_arr), "USD"),
        carbon_before=plain(float(before @ carbon_use) / 1e3, "kgCO2e"),
        carbon_after=plain(float(after @ carbon_use) / 1e3, "kgCO2e"), balance_error=plain(balance, "kWh"),
        cold_made=Q_(made, "kW"))


def site_storage(site, capacity=10000.0, region: str = "germany", objective: str = "cost", seed: int = 0,
                 **kwargs) -> StorageResult:
    """Dispatch a tank on a simulated site's compressor load, with synthetic price and carbon profiles.

    Parameters
    ----------
    site : SiteResult
        From :func:`~energylab.cooling.site.simulate_site`; its ``mechanical_load`` and ``chiller_cop`` are used
        (free-cooled hours have no load to shift, but the tank can still be charged then).
    capacity : pint.Quantity or float
        Tank capacity; plain numbers in kWh.
    region : str
        Grid of :data:`GRID_REGIONS` for the profiles.
    objective : {"cost", "carbon"}
        What to minimise.
    seed : int
        Seed of the profiles.
    **kwargs
        Passed to :func:`dispatch_storage`.

    Returns
    -------
    StorageResult

    Examples
    --------
    >>> from energylab.cooling.site import simulate_site
    >>> r = site_storage(simulate_site("hot-dry", "air_chiller"), capacity=5000, objective="carbon")
    >>> bool(r.carbon_saved.magnitude > 0)
    True
    """
    if not hasattr(site, "mechanical_load"):
        raise TypeError(f"site must be a SiteResult from simulate_site; got {type(site).__name__}.")
    n = site.mechanical_load.magnitude.size
    return dispatch_storage(site.mechanical_load, site.chiller_cop, price_profile(region, seed=seed, hours=n),
                            carbon_intensity_profile(region, seed=seed, hours=n), capacity=capacity,
                            objective=objective, **kwargs)
