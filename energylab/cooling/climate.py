"""Synthetic climates: a seeded year of hourly outdoor temperature, humidity and wet-bulb temperature.

No weather files are downloaded. Each named climate is an annual cycle plus a daily cycle plus AR(1) "weather"
noise (day-to-day persistence of warm and cold spells), with relative humidity that falls in the afternoon as
the air warms. The wet-bulb temperature — what a cooling tower or an evaporative cooler can reach — comes from
Stull's (2011) empirical formula.

**Why synthetic.** The course ships no hourly weather year: a typical-year file (such as the TMY3 files inside
pvlib's test data) may be shipped only under its licence, which the course has not checked, and Binder must run
without downloads. So each climate's parameters — annual mean, seasonal and daily swings, noise and its
persistence, mean relative humidity and its daily and seasonal swings — are course assumptions, set by hand to
resemble the place named; no weather record was fitted, and the registry holds no climate normals to check them
against. A real weather year would add what the cosines leave out: multi-day heat waves and cold snaps with
their true extremes (the hours that size chillers and set a summer PUE), humidity that moves with weather systems
(the humid spells that stop evaporative cooling), seasons that are not symmetric, and one year differing from the
next.

* :data:`CLIMATES` — ``"cold"``, ``"temperate"``, ``"hot-dry"``, ``"hot-humid"`` (:class:`ClimateSpec`); their
  parameters are **course assumptions** chosen to resemble real places, not measured data.
* :func:`synthetic_climate` — 8,760 hours for a named climate (or your own :class:`ClimateSpec`) and a seed.
* :func:`wet_bulb_temperature` — Stull 2011, vectorised.

    >>> from energylab.units import u
    >>> from energylab.cooling import climate
    >>> print(climate.wet_bulb_temperature(20 * u.degC, 0.5).round(1))   # Stull's own example: 13.7 °C
    13.7 °C
    >>> year = climate.synthetic_climate("temperate", seed=0)
    >>> year.temperature.shape
    (8760,)
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pint

from ..randomness import ar1 as _ar1
from ..randomness import check_seed
from ..units import HOURS_PER_YEAR, Q_, as_choice, as_fraction, plain
from ._common import ZERO_CELSIUS, kelvin

__all__ = ["ClimateSpec", "CLIMATES", "Climate", "synthetic_climate", "wet_bulb_temperature", "check_seed"]


@dataclass(frozen=True)
class ClimateSpec:
    """Parameters of a synthetic climate (temperatures in °C, humidities in %; all course assumptions).

    T(t) = mean − annual_amplitude·cos(2π(day − 15)/365) + daily_amplitude·cos(2π(hour − 15)/24) + noise,
    coldest in mid-January and at 03:00, warmest in mid-July and at 15:00. The noise is AR(1) with standard
    deviation ``noise_sd`` and e-folding time ``noise_hours``. Relative humidity mirrors the daily cycle
    (lowest at 15:00) and the annual cycle (``rh_annual_amplitude`` > 0: more humid in summer), with its own
    AR(1) noise, clipped to Stull's valid range 5–99 %.
    """
    name: str
    resembles: str
    mean: float
    annual_amplitude: float
    daily_amplitude: float
    noise_sd: float
    noise_hours: float
    rh_mean: float
    rh_daily_amplitude: float
    rh_annual_amplitude: float
    rh_noise_sd: float

    def replace(self, **changes) -> ClimateSpec:
        """A copy with some parameters changed, e.g. ``CLIMATES["temperate"].replace(mean=5)``."""
        return dataclasses.replace(self, **changes)


#: The course's named climates. Values are course assumptions chosen to resemble the places named.
CLIMATES = {
    "cold": ClimateSpec("cold", "a Nordic coast (e.g. northern Sweden or Finland)", mean=3.0,
                        annual_amplitude=10.0, daily_amplitude=3.0, noise_sd=3.5, noise_hours=36.0,
                        rh_mean=82.0, rh_daily_amplitude=8.0, rh_annual_amplitude=-5.0, rh_noise_sd=6.0),
    "temperate": ClimateSpec("temperate", "western Europe (e.g. Paris or Frankfurt)", mean=11.0,
                             annual_amplitude=8.0, daily_amplitude=4.5, noise_sd=3.0, noise_hours=36.0,
                             rh_mean=76.0, rh_daily_amplitude=12.0, rh_annual_amplitude=-8.0, rh_noise_sd=8.0),
    "hot-dry": ClimateSpec("hot-dry", "a desert city (e.g. Phoenix, Arizona)", mean=24.0,
                           annual_amplitude=10.0, daily_amplitude=7.5, noise_sd=2.0, noise_hours=48.0,
                           rh_mean=30.0, rh_daily_amplitude=12.0, rh_annual_amplitude=-8.0, rh_noise_sd=6.0),
    "hot-humid": ClimateSpec("hot-humid", "the humid tropics (e.g. Singapore)", mean=27.5,
                             annual_amplitude=1.0, daily_amplitude=3.5, noise_sd=1.0, noise_hours=24.0,
                             rh_mean=80.0, rh_daily_amplitude=12.0, rh_annual_amplitude=0.0, rh_noise_sd=5.0),
}

_STULL_T = (-20.0, 50.0)    # °C, valid range of Stull 2011
_STULL_RH = (5.0, 99.0)     # %


def _stull(t_c, rh_pct):
    """Stull (2011) wet-bulb temperature in °C from air temperature (°C) and relative humidity (%)."""
    return (t_c * np.arctan(0.151977 * np.sqrt(rh_pct + 8.313659)) + np.arctan(t_c + rh_pct)
            - np.arctan(rh_pct - 1.676331) + 0.00391838 * rh_pct ** 1.5 * np.arctan(0.023101 * rh_pct)
            - 4.686035)


def wet_bulb_temperature(t_air, relative_humidity, *, strict: bool = True) -> pint.Quantity:
    """Wet-bulb temperature from air temperature and relative humidity (Stull 2011).

    T_w = T·atan(0.151977·√(RH + 8.313659)) + atan(T + RH) − atan(RH − 1.676331)
    + 0.00391838·RH^1.5·atan(0.023101·RH) − 4.686035, with T in °C and RH in %.

    The wet-bulb temperature is the lowest temperature evaporating water can cool air to: what cooling towers and
    evaporative coolers work against. Dry air (low RH) has a wet-bulb far below its temperature.

    Parameters
    ----------
    t_air : pint.Quantity or float or array_like
        Air (dry-bulb) temperature (K, °C or °F quantity; plain numbers in K).
    relative_humidity : pint.Quantity or float or array_like
        Relative humidity as a fraction in (0, 1] (``0.5``) or a percent quantity (``50 * u.percent``).
    strict : bool, optional
        If True (default), refuse inputs outside the formula's fitted range (RH 5–99 %, −20 to 50 °C); if False,
        clip them into it.

    Returns
    -------
    pint.Quantity
        Wet-bulb temperature in °C, broadcast over the inputs; never above the air temperature (the fit can
        overshoot by up to 0.65 K near saturation and more when air is both cold and dry, so it is capped).

    Raises
    ------
    ValueError
        Outside the valid range with ``strict=True``; humidity outside (0, 1].

    Examples
    --------
    >>> from energylab.units import u
    >>> print(wet_bulb_temperature([30, 40] * u.degC, [0.8, 0.15]).round(1))
    [27.1 20.8] °C

    Notes
    -----
    Stull, R. (2011), J. Appl. Meteor. Climatol. 50:2267–2269 (fact ``stull_wet_bulb_error_range``: errors −1 to
    +0.65 K, mean absolute error 0.28 K, at sea-level pressure).
    """
    t_c = np.asarray(kelvin(t_air, "t_air")) - ZERO_CELSIUS
    rh = np.asarray(as_fraction(relative_humidity, "relative_humidity").magnitude, dtype=float) * 100.0
    if strict:
        if np.any(t_c < _STULL_T[0]) or np.any(t_c > _STULL_T[1]):
            raise ValueError(f"t_air must lie within Stull's valid range, −20 to 50 °C; got "
                             f"{float(np.min(t_c)):.4g} to {float(np.max(t_c)):.4g} °C (pass strict=False to clip).")
        if np.any(rh < _STULL_RH[0]) or np.any(rh > _STULL_RH[1]):
            raise ValueError(f"relative_humidity must lie within Stull's valid range, 5–99 %; got "
                             f"{float(np.min(rh)):.4g} to {float(np.max(rh)):.4g} % (pass strict=False to clip).")
    t_c = np.clip(t_c, *_STULL_T)
    rh = np.clip(rh, *_STULL_RH)
    return plain(np.minimum(_stull(t_c, rh), t_c), "degC")


class _Arrays(NamedTuple):
    temperature_c: np.ndarray
    rh_pct: np.ndarray
    wet_bulb_c: np.ndarray


def _spec(climate) -> ClimateSpec:
    if isinstance(climate, ClimateSpec):
        return climate
    return CLIMATES[as_choice(climate, "climate", tuple(CLIMATES))]


def _generate(spec: ClimateSpec, seed: int, hours: int = HOURS_PER_YEAR) -> _Arrays:
    """Numpy core: hourly °C, %, °C arrays for a climate and a seed (used by the site model)."""
    rng = np.random.default_rng(seed)
    t = np.arange(hours)
    day = t / 24.0
    hour = t % 24
    annual = -np.cos(2 * np.pi * (day - 15.0) / 365.0)
    daily = np.cos(2 * np.pi * (hour - 15.0) / 24.0)
    temp = (spec.mean + spec.annual_amplitude * annual + spec.daily_amplitude * daily
            + _ar1(rng, hours, spec.noise_sd, spec.noise_hours))
    rh = (spec.rh_mean + spec.rh_annual_amplitude * annual - spec.rh_daily_amplitude * daily
          + _ar1(rng, hours, spec.rh_noise_sd, 12.0))
    rh = np.clip(rh, *_STULL_RH)
    wet = _stull(np.clip(temp, *_STULL_T), rh)
    return _Arrays(temp, rh, np.minimum(wet, temp))


class Climate(NamedTuple):
    """A synthetic year: hourly arrays as quantities (see :func:`synthetic_climate`)."""
    name: str
    seed: int
    temperature: pint.Quantity        # °C
    relative_humidity: pint.Quantity  # %
    wet_bulb: pint.Quantity           # °C

    def __str__(self) -> str:
        t = self.temperature.magnitude
        wb = self.wet_bulb.magnitude
        return (f"{self.name} climate (seed {self.seed}): mean {t.mean():.1f} °C, range {t.min():.1f} to "
                f"{t.max():.1f} °C; mean RH {self.relative_humidity.magnitude.mean():.0f} %; wet-bulb mean "
                f"{wb.mean():.1f} °C, max {wb.max():.1f} °C")


def synthetic_climate(climate="temperate", seed: int = 0, hours: int = HOURS_PER_YEAR) -> Climate:
    """A seeded synthetic year of hourly outdoor temperature, relative humidity and wet-bulb temperature.

    Parameters
    ----------
    climate : str or ClimateSpec
        ``"cold"``, ``"temperate"``, ``"hot-dry"``, ``"hot-humid"`` (see :data:`CLIMATES`), or your own
        :class:`ClimateSpec`.
    seed : int
        Seed of the weather noise; the same seed gives the same year.
    hours : int
        Length of the series, from hour 0 = 1 January 00:00. Default 8,760 (a year).

    Returns
    -------
    Climate
        ``temperature`` (°C), ``relative_humidity`` (%), ``wet_bulb`` (°C) arrays of ``hours`` values.

    Examples
    --------
    >>> year = synthetic_climate("hot-dry", seed=1)
    >>> bool(year.wet_bulb.magnitude.mean() < year.temperature.magnitude.mean() - 5)
    True

    Notes
    -----
    A teaching generator, not a weather record: annual and daily cosines plus AR(1) noise. The wet-bulb uses
    Stull 2011 (fact ``stull_wet_bulb_error_range``); inputs are clipped to its valid range.
    """
    spec = _spec(climate)
    seed = check_seed(seed)
    if isinstance(hours, (bool, np.bool_)) or not isinstance(hours, (int, np.integer)) or hours < 1:
        raise ValueError(f"hours must be a positive integer (e.g. 8760); got {hours!r}.")
    arrays = _generate(spec, seed, int(hours))
    return Climate(spec.name, seed, Q_(arrays.temperature_c, "degC"), Q_(arrays.rh_pct, "percent"),
                   Q_(arrays.wet_bulb_c, "degC"))
