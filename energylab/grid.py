"""The grid behind the socket: hourly carbon intensity and price, average vs marginal, and shifting work in time.

* :func:`carbon_intensity_profile`, :func:`price_profile` — seeded synthetic hourly profiles shaped by the
  registry's hourly statistics: German, British and French grids in 2020 (means, ranges, median daily max/min,
  Germany's midday trough and evening peak; Wiesner et al. 2021) and California's time-of-day intensities
  (CARB). Prices: a stated course assumption (peak ≈ 2× off-peak) around a registry mean. These are *average*
  intensities: the emissions of the hour's whole generation mix per kWh.
* :func:`marginal_intensity_profile` — the intensity of the plant that answers one more kWh: gas or coal, or a
  curtailed renewable surplus (IPCC life-cycle medians for gas and coal; which plant is at the margin in which
  hour is a course assumption, :data:`GRID_ASSUMPTIONS`). Flatter than the average, and on a low-carbon grid far
  above it.
* :func:`schedule_job`, :func:`job_emissions`, :func:`shift_job`, :func:`compare_regions` — carbon-aware
  scheduling of a flexible job: start it later (``"delay"``), run it in the cleanest hours of its window
  (``"pause"``, pause and resume), or choose the region; the saving against running now, judged on the signal
  the schedule was chosen by or on another (a schedule chosen on the average can raise marginal emissions).

No hourly grid data set with a licence that allows shipping it was found (the 2020 data of Wiesner et al. have no
licence), so the profiles are synthetic, built to match the published statistics; they are course assumptions.

    >>> ci = carbon_intensity_profile("france", hours=48)
    >>> job = schedule_job(ci, duration=4, window=24, mode="pause")
    >>> len(job.hours)
    4
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from . import sources
from .randomness import ar1, check_seed
from .sources import LazyAssumptions
from .units import HOURS_PER_YEAR, Q_, as_choice, as_quantity, as_whole, fmt

__all__ = ["GRID_ASSUMPTIONS", "GRID_REGIONS", "carbon_intensity_profile", "price_profile",
           "marginal_intensity_profile", "SCHEDULE_MODES", "Schedule", "schedule_job", "job_emissions", "ShiftResult",
           "shift_job", "compare_regions"]


_fact = sources.magnitude


def _grid_assumptions() -> dict:
    """Course assumptions of this module, quoting registry values (read, not marked used)."""
    facts = sources.all_facts()
    price = facts["us_industrial_electricity_price_2023"]
    gas, coal = facts["ipcc_gas_cc_lifecycle_intensity"], facts["ipcc_coal_lifecycle_intensity"]
    return {
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
        "margin": (f"the marginal kWh comes from gas ({gas.q.magnitude:g} g/kWh, life cycle) or coal "
                   f"({coal.q.magnitude:g} g/kWh); coal's share of the margin: Germany 50 % from 22:00 to 06:00 "
                   f"and 20 % otherwise, GB, France and California none; California's margin is a curtailed solar "
                   f"surplus (0 g/kWh) from 10:00 to 15:00 on spring days (March to May)",
                   "Which plant answers extra load is not published hour by hour for these grids; gas sets the "
                   "margin in most hours of most European and US grids, coal-heavy systems put coal on the margin "
                   "at night, and California curtails solar at spring middays. Illustrative, not data."),
    }


#: Course assumptions of this module: (value, reason).
GRID_ASSUMPTIONS = LazyAssumptions(_grid_assumptions)


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
    return np.exp(ar1(rng, days, sd, 2.0) - 0.5 * sd ** 2)


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
    lo, hi = _fact(spec.range, "gCO2e/kWh")
    noise = 1.0 + 0.03 * np.random.default_rng([seed, 2]).standard_normal(n)
    if key == "california":
        season = -np.cos(2 * np.pi * (t / 24.0 - 45.0) / 365.0)     # lowest mid-February, highest mid-August
        half_span = 0.5 * np.log(hi / lo)
        log_ci = np.log(np.sqrt(lo * hi)) + 0.25 * half_span * season + 0.75 * half_span * _shape(hour, 13.0, 19.5)
        ci = np.exp(log_ci) * noise
    else:
        mean = _fact(spec.mean, "gCO2e/kWh")
        ratio = _fact(spec.ratio)
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
        Daily peak ÷ trough, at least 1. Default 2.0 (course assumption, :data:`GRID_ASSUMPTIONS`).
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
    mean = (_fact("us_industrial_electricity_price_2023", "USD/kWh") if mean_price is None else
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


def marginal_intensity_profile(region: str = "germany", seed: int = 0, hours: int = HOURS_PER_YEAR) -> pint.Quantity:
    """A seeded synthetic hourly *marginal* carbon intensity: the emissions of the plant that answers one more kWh.

    m(t) = c(t)·I_coal + (1 − c(t))·I_gas, times a 2 % hourly noise, with c(t) coal's share of the margin; in
    California's spring middays a curtailed solar surplus is at the margin (m = 0). I_gas and I_coal are the IPCC's
    life-cycle medians; c(t) and the surplus hours are course assumptions (:data:`GRID_ASSUMPTIONS` ``"margin"``).

    Average and marginal intensity answer different questions. The average (:func:`carbon_intensity_profile`) shares
    the hour's emissions out over every kWh used, which is how emissions are reported; the marginal says what one
    more kWh adds, which is what a decision to run a job *now* changes. Marginal signals are flatter (the same kind
    of plant is at the margin most hours) and cannot be observed directly: they come from models.

    Parameters
    ----------
    region : {"germany", "gb", "france", "california"}
        Grid.
    seed : int
        Seed of the hourly noise.
    hours : int
        Number of hours from 1 January 00:00, at least 24. Default 8,760.

    Returns
    -------
    pint.Quantity
        gCO2e/kWh, one value per hour.

    Examples
    --------
    >>> m = marginal_intensity_profile("france", hours=24)
    >>> bool(m.min() > carbon_intensity_profile("france", hours=24).max())    # gas at the margin of a nuclear grid
    True
    """
    key = as_choice(region, "region", tuple(GRID_REGIONS))
    seed = check_seed(seed)
    n = _hours(hours)
    gas = _fact("ipcc_gas_cc_lifecycle_intensity", "gCO2e/kWh")
    coal = _fact("ipcc_coal_lifecycle_intensity", "gCO2e/kWh")
    t = np.arange(n)
    hour = t % 24
    coal_share = np.zeros(n)
    if key == "germany":
        coal_share = np.where((hour >= 22) | (hour < 6), 0.5, 0.2)
    noise = 1.0 + 0.02 * np.random.default_rng([seed, 4]).standard_normal(n)
    m = (coal_share * coal + (1.0 - coal_share) * gas) * noise
    if key == "california":
        day_of_year = (t // 24) % 365
        spring = (day_of_year >= 59) & (day_of_year < 151)               # 1 March to 31 May
        m = np.where(spring & (hour >= 10) & (hour < 15), 0.0, m)
    return Q_(np.maximum(m, 0.0), "gCO2e/kWh")


#: How a flexible job may be moved: run now, start later in one piece, or pause and resume hour by hour.
SCHEDULE_MODES = ("now", "delay", "pause")


class Schedule(NamedTuple):
    """When a job runs (see :func:`schedule_job`)."""
    mode: str             # one of SCHEDULE_MODES
    hours: np.ndarray     # indices of the hours the job runs, in time order
    start: int            # the hour the job was ready
    window: int           # hours from ``start`` by which it must be finished

    @property
    def finish(self) -> int:
        """The hour after the job's last hour."""
        return int(self.hours[-1]) + 1

    @property
    def delay(self) -> int:
        """Hours from ready to the first hour of work."""
        return int(self.hours[0]) - self.start


def _signal(signal, name: str = "signal") -> np.ndarray:
    """An hourly signal (intensity, price or anything to minimise) as a 1-D float array, checked."""
    raw = signal.magnitude if isinstance(signal, pint.Quantity) else signal
    if isinstance(raw, (str, bytes)) or raw is None:
        raise TypeError(f"{name} must be hourly values (e.g. grid.carbon_intensity_profile(...)); got "
                        f"{type(raw).__name__} {raw!r}.")
    try:
        arr = np.asarray(raw, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be hourly numbers (e.g. grid.carbon_intensity_profile(...)); got "
                        f"{type(raw).__name__}.") from None
    if arr.ndim != 1 or arr.size < 1:
        raise ValueError(f"{name} must be a 1-D array of hourly values (e.g. carbon_intensity_profile(...)); "
                         f"got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite hourly values; got NaN or infinity.")
    return arr


def _whole_hours(value, name: str) -> int:
    """A whole number of hours, at least 1: plain numbers or quantities in h, through the shared validator."""
    if isinstance(value, pint.Quantity):
        value = as_quantity(value, "h", name, allow_array=False).to("h").magnitude
    return int(as_whole(value, name, allow_array=False, what="hours"))


def _intensity_values(intensity, name: str) -> np.ndarray:
    """An hourly carbon intensity as gCO2e/kWh floats; plain numbers are read in gCO2e/kWh."""
    if isinstance(intensity, pint.Quantity):
        intensity = as_quantity(intensity, "gCO2e/kWh", name, nonnegative=True).to("gCO2e/kWh").magnitude
    values = _signal(intensity, name)
    if np.any(values < 0):
        raise ValueError(f"{name} cannot be negative (gCO2e/kWh); got {values.min():g}.")
    return values


def schedule_job(signal, duration, window=None, start: int = 0, mode: str = "delay") -> Schedule:
    """Choose the hours a flexible job runs so that the sum of ``signal`` over them is least.

    Parameters
    ----------
    signal : pint.Quantity or array_like
        Hourly values to minimise (gCO2e/kWh, USD/kWh, …), hour 0 first.
    duration : int or pint.Quantity
        Hours of work, a whole number (plain numbers in h).
    window : int or pint.Quantity, optional
        The job must be finished within this many hours of ``start`` (its deadline); at least ``duration``.
        Default ``duration`` (no flexibility).
    start : int
        The hour the job is ready.
    mode : {"now", "delay", "pause"}
        ``"now"``: run at once. ``"delay"`` (flexible start): one unbroken run, started at the best hour that still
        meets the deadline. ``"pause"`` (pause and resume): the ``duration`` lowest hours of the window, in any
        order. Every mode can choose to run now, so each is never worse than the one before it.

    Returns
    -------
    Schedule

    Examples
    --------
    >>> job = schedule_job([5, 4, 1, 1, 3, 2], duration=2, window=6)
    >>> job.hours.tolist(), job.delay
    ([2, 3], 2)
    """
    values = _signal(signal)
    mode = as_choice(mode, "mode", SCHEDULE_MODES)
    hours = _whole_hours(duration, "duration")
    window = hours if window is None else _whole_hours(window, "window")
    if window < hours:
        raise ValueError(f"window must be at least the duration ({hours} h): the job cannot finish in {window} h.")
    if isinstance(start, (bool, np.bool_)) or not isinstance(start, (int, np.integer)) or start < 0:
        raise ValueError(f"start must be a non-negative whole hour; got {start!r}.")
    start = int(start)
    if start + window > values.size:
        raise ValueError(f"signal has {values.size:,} hours; the window from hour {start} to {start + window} "
                         f"needs more. Pass a longer profile or a shorter window.")
    span = values[start:start + window]
    if mode == "now" or window == hours:
        chosen = np.arange(hours)
    elif mode == "delay":
        sums = np.convolve(span, np.ones(hours), mode="valid")     # sum of every unbroken run of ``hours``
        first = int(np.argmin(sums))                              # ties: the earliest
        chosen = np.arange(first, first + hours)
    else:
        chosen = np.sort(np.argsort(span, kind="stable")[:hours])
    return Schedule(mode, start + chosen, start, window)


def job_emissions(schedule: Schedule, power, intensity) -> pint.Quantity:
    """Emissions of a job run on ``schedule`` at a constant ``power``: Σ P · 1 h · I(t) over its hours.

    Parameters
    ----------
    schedule : Schedule
        From :func:`schedule_job`.
    power : pint.Quantity or float
        Average (facility) power of the job; plain numbers in kW.
    intensity : pint.Quantity or array_like
        Hourly carbon intensity, gCO2e/kWh (plain numbers in it); average or marginal.

    Returns
    -------
    pint.Quantity
        kgCO2e.
    """
    if not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a Schedule from grid.schedule_job; got {type(schedule).__name__}.")
    p = float(as_quantity(power, "kW", "power", nonnegative=True, allow_array=False).to("kW").magnitude)
    ci = _intensity_values(intensity, "intensity")
    if schedule.hours[-1] >= ci.size:
        raise ValueError(f"intensity has {ci.size:,} hours; the schedule runs until hour {schedule.finish}.")
    return Q_(p * float(ci[schedule.hours].sum()) / 1e3, "kgCO2e")


class ShiftResult(NamedTuple):
    """A job run now and shifted (see :func:`shift_job`)."""
    now: Schedule
    shifted: Schedule
    emissions_now: pint.Quantity        # kgCO2e, judged on ``intensity``
    emissions_shifted: pint.Quantity

    @property
    def saving(self) -> float:
        """Fraction of the emissions saved by shifting (negative: shifting made it worse)."""
        now = self.emissions_now.magnitude
        return float(1.0 - self.emissions_shifted.magnitude / now) if now > 0 else 0.0

    def __str__(self) -> str:
        return (f"{self.shifted.mode}: {fmt(self.emissions_now)} now → {fmt(self.emissions_shifted)} "
                f"({self.saving:+.1%} saved), first hour {self.shifted.delay} h after ready")


def shift_job(intensity, duration, window, power=1.0, start: int = 0, mode: str = "delay",
              decide_on=None) -> ShiftResult:
    """Emissions of a flexible job run now and shifted within its window.

    Parameters
    ----------
    intensity : pint.Quantity or array_like
        The hourly carbon intensity the emissions are counted with (gCO2e/kWh).
    duration, window, start, mode
        As in :func:`schedule_job`.
    power : pint.Quantity or float
        The job's average power; plain numbers in kW. Default 1 kW.
    decide_on : pint.Quantity or array_like, optional
        The signal the schedule is chosen by, when it is not ``intensity`` itself (e.g. choose on the average,
        judge on the marginal). Default ``intensity``: then shifting is never worse than running now.

    Returns
    -------
    ShiftResult
    """
    judged = _intensity_values(intensity, "intensity")
    signal = judged if decide_on is None else _signal(decide_on, "decide_on")
    if signal.size != judged.size:
        raise ValueError(f"decide_on must have one value per hour of intensity ({judged.size:,}); got {signal.size:,}.")
    shifted = schedule_job(signal, duration, window, start, mode)
    now = schedule_job(signal, duration, window, start, "now")
    return ShiftResult(now, shifted, job_emissions(now, power, judged), job_emissions(shifted, power, judged))


def compare_regions(profiles: dict, duration, window=None, power=1.0, start: int = 0,
                    mode: str = "delay") -> dict:
    """Emissions of the same job in each region, each shifted in its own window: ``{region: kgCO2e}``, least first.

    Parameters
    ----------
    profiles : dict of str to pint.Quantity
        Region name → its hourly carbon intensity (gCO2e/kWh), e.g. from :func:`carbon_intensity_profile`.
    duration, window, power, start, mode
        As in :func:`shift_job`.

    Returns
    -------
    dict
        Region → emissions (kgCO2e), sorted from the least.

    Examples
    --------
    >>> regions = {r: carbon_intensity_profile(r, hours=48) for r in ("germany", "france")}
    >>> next(iter(compare_regions(regions, duration=6, window=24)))
    'france'
    """
    if not isinstance(profiles, dict) or not profiles:
        raise TypeError("profiles must be a non-empty dict {region name: hourly intensity in gCO2e/kWh}.")
    out = {}
    for name, profile in profiles.items():
        values = _intensity_values(profile, f"profiles[{name!r}]")
        schedule = schedule_job(values, duration, window, start, mode)
        out[name] = job_emissions(schedule, power, values)
    return dict(sorted(out.items(), key=lambda item: item[1].magnitude))
