"""Chilled-water storage as a battery: make cold when electricity is cheap or clean, use it at the peak.

* :func:`tank_capacity`, :func:`tank_volume` — sensible storage Q = ρc_p·V·ΔT (chilled water at ΔT = 10 K holds
  ≈11.6 kWh of cold per m³, fact ``chilled_water_storage_density``); :func:`ice_mass` for ice (92.8 kWh/t).
* :func:`carbon_intensity_profile`, :func:`price_profile` — seeded synthetic hourly profiles shaped by the
  registry's hourly statistics: German, British and French grids in 2020 (means, ranges, median daily max/min,
  Germany's midday trough and evening peak; Wiesner et al. 2021) and California's time-of-day intensities
  (CARB). Prices: a stated course assumption (peak ≈ 2× off-peak) around a registry mean.
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

from .. import sources
from ..units import HOURS_PER_YEAR, Q_, as_choice, as_fraction, as_quantity, fmt, plain
from ._common import LazyAssumptions, fact, kelvin_difference
from .climate import _ar1, check_seed

__all__ = ["STORAGE_ASSUMPTIONS", "GRID_REGIONS", "tank_capacity", "tank_volume", "ice_mass",
           "carbon_intensity_profile", "price_profile", "StorageResult", "dispatch_storage", "site_storage"]


def _storage_assumptions() -> dict:
    """Course assumptions of this module, quoting registry values from the registry (not marked used)."""
    price = sources.all_facts()["us_industrial_electricity_price_2023"]
    return {
        "standing_loss": ("0.1 % of the stored cold per hour (≈2.4 % a day)",
                          "Heat leaking into an insulated tank; large stratified tanks lose 1–3 % a day."),
        "charge_loss": ("5 % of the cold put in", "Mixing at the thermocline between warm and cold water."),
        "chiller_headroom": ("chiller capacity = 1.2 × peak compressor load",
                             "Spare (redundant) capacity that can charge the tank on top of the load."),
        "shape_hours": ("Germany: lowest at 11:00, highest at 18:00 UTC (registry); GB and France assumed the same; "
                        "California: lowest 13:00, highest 19:30 local (CARB's 12–2 pm and 7–8 pm)",
                        "Only Germany's diurnal profile is in the registry; midday solar and the evening demand peak "
                        "shape the others similarly."),
        "day_to_day": ("log-normal day factor, σ = 0.25, AR(1) with a 2-day memory; 3 % hourly noise",
                       "Wind and weather change the grid from day to day; tuned by eye so the ranges stay inside the "
                       "registry's observed minima and maxima."),
        "price_shape": (f"price peak/off-peak = 2.0 on the grid's daily shape; mean "
                        f"{price.q.to('USD/kWh').magnitude * 100:.2f} ¢/kWh (US industrial, {price.year})",
                        "Time-of-use tariffs and wholesale prices commonly double from night to evening peak; no "
                        "hourly price fact is in the registry, so this is an illustration, not data."),
    }


#: Course assumptions of this module: (value, reason).
STORAGE_ASSUMPTIONS = LazyAssumptions(_storage_assumptions)


class _Region(NamedTuple):
    mean: str | None
    range: str
    ratio: str | None
    hour_low: float
    hour_high: float


#: Grid regions with hourly statistics in the registry (facts ``*_grid_*``).
GRID_REGIONS = {
    "germany": _Region("germany_grid_intensity_mean_2020", "germany_grid_intensity_range_2020",
                       "germany_grid_daily_max_min_ratio_2020", 11.0, 18.0),
    "gb": _Region("gb_grid_intensity_mean_2020", "gb_grid_intensity_range_2020",
                  "gb_grid_daily_max_min_ratio_2020", 11.0, 18.0),
    "france": _Region("france_grid_intensity_mean_2020", "france_grid_intensity_range_2020",
                      "france_grid_daily_max_min_ratio_2020", 11.0, 18.0),
    "california": _Region(None, "california_grid_intensity_time_of_day_range", None, 13.0, 19.5),
}


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
    >>> print(tank_capacity(1).round(1))    # fact sheet D13: ≈11.6 kWh per m³ at 10 K
    11.6 kWh

    Notes
    -----
    ρc_p of water: ``water_volumetric_heat_capacity`` (4.18 MJ/(m³·K), D12).
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


def _shape(hour, h_low: float, h_high: float) -> np.ndarray:
    """Smooth daily shape in [−1, 1]: −1 at ``h_low``, +1 at ``h_high`` (a cosine on a warped clock)."""
    up = (h_high - h_low) % 24.0
    down = 24.0 - up
    since_peak = (hour - h_high) % 24.0
    phase = np.where(since_peak <= down, np.pi * since_peak / down, np.pi + np.pi * (since_peak - down) / up)
    return np.cos(phase)


def _hours(hours) -> int:
    if isinstance(hours, (bool, np.bool_)) or not isinstance(hours, (int, np.integer)) or hours < 24:
        raise ValueError(f"hours must be an integer of at least 24 (e.g. 8760); got {hours!r}.")
    return int(hours)


def _day_factor(seed: int, days: int, sd: float) -> np.ndarray:
    rng = np.random.default_rng([seed, 1])
    return np.exp(_ar1(rng, days, sd, 2.0) - 0.5 * sd ** 2)


def carbon_intensity_profile(region: str = "germany", seed: int = 0, hours: int = HOURS_PER_YEAR) -> pint.Quantity:
    """A seeded synthetic hourly grid carbon intensity, shaped by the registry's statistics for ``region``.

    Germany, Great Britain and France (2020, average intensity, Wiesner et al. 2021): the mean, the lowest and
    highest hours and the median ratio of each day's highest to lowest hour come from the registry; the daily
    shape is lowest at 11:00 and highest at 18:00 (Germany's profile); a day-to-day factor adds weather.
    California: CARB's time-of-day range, 98 g/kWh (midday, Q1) to 516 g/kWh (evening, Q3), with a seasonal and a
    daily cycle (time of day carrying three quarters of the spread: a course assumption).

    Parameters
    ----------
    region : {"germany", "gb", "france", "california"}
        Grid.
    seed : int
        Seed of the day-to-day and hourly noise (a price profile with the same seed shares the day factor).
    hours : int
        Number of hours from 1 January 00:00, at least 24. Default 8,760.

    Returns
    -------
    pint.Quantity
        gCO2e/kWh, one value per hour, within the registry's observed range.

    Examples
    --------
    >>> ci = carbon_intensity_profile("germany")
    >>> print(ci.mean().round(0), ci.min() >= 101 * ci.units, ci.max() <= 593 * ci.units)
    313 gCO2e / kWh True True
    """
    key = as_choice(region, "region", tuple(GRID_REGIONS))
    seed = check_seed(seed)
    n = _hours(hours)
    spec = GRID_REGIONS[key]
    t = np.arange(n)
    hour = t % 24
    day = t // 24
    lo, hi = fact(spec.range, "gCO2e/kWh")
    noise = 1.0 + 0.03 * np.random.default_rng([seed, 2]).standard_normal(n)
    if key == "california":
        season = -np.cos(2 * np.pi * (t / 24.0 - 45.0) / 365.0)     # lowest mid-February, highest mid-August
        half_span = 0.5 * np.log(hi / lo)
        log_ci = np.log(np.sqrt(lo * hi)) + 0.25 * half_span * season + 0.75 * half_span * _shape(hour, 13.0, 19.5)
        ci = np.exp(log_ci) * noise
    else:
        mean = fact(spec.mean, "gCO2e/kWh")
        ratio = fact(spec.ratio)
        amplitude = (ratio - 1.0) / (ratio + 1.0)
        days = int(day.max()) + 1
        ci = _day_factor(seed, days, 0.25)[day] * (1.0 + amplitude * _shape(hour, spec.hour_low, spec.hour_high))
        ci = ci * noise
        ci = np.clip(ci * mean / ci.mean(), lo, hi)
        ci = np.clip(ci * mean / ci.mean(), lo, hi)    # re-centre once after clipping
    return Q_(np.clip(ci, lo, hi), "gCO2e/kWh")


def price_profile(region: str = "germany", mean_price=None, peak_to_offpeak: float = 2.0, seed: int = 0,
                  hours: int = HOURS_PER_YEAR) -> pint.Quantity:
    """A seeded synthetic hourly electricity price with the daily shape of ``region``'s grid (course assumption).

    price = mean × day factor × (1 + a·shape(hour)) with a = (k − 1)/(k + 1), so the daily peak is ``k`` times
    the trough; the day factor is the one :func:`carbon_intensity_profile` uses with the same seed (dirty days
    are dear days), with a smaller spread (σ = 0.15).

    Parameters
    ----------
    region : {"germany", "gb", "france", "california"}
        Which daily shape (hours of trough and peak).
    mean_price : pint.Quantity or float, optional
        Mean price; plain numbers in USD/kWh. Default the US industrial average 2023, 8.06 ¢/kWh
        (``us_industrial_electricity_price_2023``, EIA, E1).
    peak_to_offpeak : float, optional
        Daily peak ÷ trough, at least 1. Default 2.0 (course assumption, :data:`STORAGE_ASSUMPTIONS`).
    seed : int
        Seed.
    hours : int
        Number of hours, at least 24.

    Returns
    -------
    pint.Quantity
        USD/kWh, one value per hour, always positive.

    Examples
    --------
    >>> p = price_profile()
    >>> print(p.mean().to("cent/kWh").round(2))
    8.06 cent / kWh
    """
    key = as_choice(region, "region", tuple(GRID_REGIONS))
    seed = check_seed(seed)
    n = _hours(hours)
    spec = GRID_REGIONS[key]
    mean = (fact("us_industrial_electricity_price_2023", "USD/kWh") if mean_price is None else
            float(as_quantity(mean_price, "USD/kWh", "mean_price", positive=True, allow_array=False).magnitude))
    k = float(as_quantity(peak_to_offpeak, "dimensionless", "peak_to_offpeak", allow_array=False,
                          minimum=1).magnitude)
    t = np.arange(n)
    hour = t % 24
    day = t // 24
    amplitude = (k - 1.0) / (k + 1.0)
    factor = np.exp(0.6 * np.log(_day_factor(seed, int(day.max()) + 1, 0.25)))
    noise = 1.0 + 0.03 * np.random.default_rng([seed, 3]).standard_normal(n)
    price = factor[day] * (1.0 + amplitude * _shape(hour, spec.hour_low, spec.hour_high)) * noise
    price = np.maximum(price, 0.05)
    return Q_(price * mean / price.mean(), "USD/kWh")


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
    Storage densities: ``chilled_water_storage_density`` and ``ice_storage_density`` (D13). Loss and headroom
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
