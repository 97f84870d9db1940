"""Energy to 2030 as demand grows and efficiency improves, beside the IEA's projection; decoupling in the past.

Energy grows as (1 + g)(1 − e) − 1 per year when the service grows by g and the energy per unit of service falls
by e (:func:`energylab.accounting.net_growth_rate`). Read backwards, two growth factors give the efficiency gain
that must have happened: Masanet et al. (2020) found compute instances up 6.5× from 2010 to 2018 while
data-centre electricity rose 6 %, which takes energy per instance falling about 20 % a year.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from .. import sources
from ..accounting import net_growth_rate, project
from ..units import as_quantity

__all__ = ["Scenario", "energy_scenario", "implied_efficiency_gain", "iea_projection"]


class Scenario(NamedTuple):
    """Energy per year along a scenario (see :func:`energy_scenario`)."""
    years: np.ndarray
    energy: pint.Quantity
    net_growth: float          # per year


def energy_scenario(start, start_year: int, end_year: int, demand_growth, efficiency_gain) -> Scenario:
    """Energy each year from ``start_year`` to ``end_year``: start × ((1 + g)(1 − e))^t.

    Parameters
    ----------
    start : pint.Quantity or float
        Energy in the first year; plain numbers in TWh.
    start_year, end_year : int
        First and last year (end after start).
    demand_growth : float
        g, growth of the service per year (a plain fraction, 0.3 = 30 %).
    efficiency_gain : float
        e, yearly fall of energy per unit of service, in [0, 1).

    Examples
    --------
    >>> s = energy_scenario(415, 2024, 2030, 0.25, 0.08)
    >>> print(s.energy[-1].round(0))
    960 TWh
    """
    e0 = as_quantity(start, "TWh", "start", positive=True, allow_array=False)
    if not all(isinstance(y, (int, np.integer)) and not isinstance(y, bool) for y in (start_year, end_year)) \
            or end_year <= start_year:
        raise ValueError(f"start_year and end_year must be whole years with end after start; got {start_year!r} "
                         f"and {end_year!r}.")
    rate = float(net_growth_rate(demand_growth, efficiency_gain).magnitude)
    years = np.arange(start_year, end_year + 1)
    return Scenario(years, project(e0, rate, years - start_year), rate)


def implied_efficiency_gain(service_growth, energy_growth, years) -> float:
    """Yearly fall in energy per unit of service implied by two growth factors: 1 − (E₁/E₀ ÷ S₁/S₀)^(1/t).

    Parameters
    ----------
    service_growth, energy_growth : float
        Ratios end/start of the service (compute instances, tokens) and of the energy, greater than 0.
    years : float
        Years between start and end.

    Examples
    --------
    >>> round(implied_efficiency_gain(6.5, 205 / 194, 8), 3)     # Masanet et al. 2020, 2010–2018
    0.203
    """
    s = float(as_quantity(service_growth, "dimensionless", "service_growth", positive=True, allow_array=False).m)
    e = float(as_quantity(energy_growth, "dimensionless", "energy_growth", positive=True, allow_array=False).m)
    t = float(as_quantity(years, "year", "years", positive=True, allow_array=False).m)
    return 1.0 - (e / s) ** (1.0 / t)


def iea_projection() -> dict:
    """The IEA's base case for data-centre electricity (TWh): ``{2024: …, 2030: …, 2035: …}`` (IEA 2025)."""
    return {year: sources.value(f"iea_dc_electricity_{year}", "TWh") for year in (2024, 2030, 2035)}
