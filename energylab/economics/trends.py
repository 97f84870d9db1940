"""How fast prices fall: factors per year from two points or a fitted line, and nominal vs real dollars.

A price that falls from p₀ to p₁ in t years falls by a factor (p₀/p₁)^(1/t) per year on average (the inverse of a
compound growth rate). Over several points, a straight line through log₁₀(price) against time gives the same
factor as 10^(−slope). Prices in different years are in dollars of different value: dividing by the consumer price
index (CPI) of each year puts them in dollars of one year ("real" prices).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from .. import sources
from ..accounting import cagr
from ..units import Q_, as_quantity

__all__ = ["API_PRICES", "ApiPrice", "api_prices", "decline_per_year", "fitted_decline", "CPI_YEARS", "to_real"]


class ApiPrice(NamedTuple):
    """A model's list price from the registry (USD per million tokens)."""
    model: str
    date: float                 # decimal year of the price
    input: pint.Quantity
    output: pint.Quantity | None

    @property
    def blended(self) -> pint.Quantity:
        """The average of input and output prices (a16z's method); the price itself when only one is quoted."""
        return self.input if self.output is None else (self.input + self.output) / 2


#: Model, decimal year, registry ids of the input and output price (None: one blended price).
API_PRICES = (
    ("GPT-3 davinci", 2021 + 10 / 12, "gpt3_davinci_price_2021", None),
    ("GPT-4 8K", 2023 + 2 / 12, "gpt4_8k_input_price_2023", "gpt4_8k_output_price_2023"),
    ("GPT-4 Turbo", 2023 + 10 / 12, "gpt4_turbo_input_price_2023", "gpt4_turbo_output_price_2023"),
    ("GPT-4o", 2024 + 4 / 12, "gpt4o_input_price_2024_05", "gpt4o_output_price_2024_05"),
    ("GPT-4o (2024-08-06)", 2024 + 7 / 12, "gpt4o_input_price_2024_08", "gpt4o_output_price_2024_08"),
    ("GPT-4o mini", 2024 + 6 / 12, "gpt4o_mini_input_price_2024", "gpt4o_mini_output_price_2024"),
    ("Llama 3.2 3B (Together)", 2024 + 9 / 12, "llama32_3b_price_2024", None),
    ("GPT-5", 2025 + 7 / 12, "gpt5_input_price_2025", "gpt5_output_price_2025"),
    ("GPT-5 nano", 2025 + 7 / 12, "gpt5_nano_input_price_2025", "gpt5_nano_output_price_2025"),
)


def api_prices() -> list[ApiPrice]:
    """The registry's API list prices, oldest first (list prices, not the providers' costs)."""
    out = [ApiPrice(model, date, sources.value(i, "USD/Mtok"), None if o is None else sources.value(o, "USD/Mtok"))
           for model, date, i, o in API_PRICES]
    return sorted(out, key=lambda p: p.date)


def decline_per_year(start, end, years) -> pint.Quantity:
    """Average factor by which a price falls each year: (start / end)^(1/years).

    Parameters
    ----------
    start, end : pint.Quantity or float
        Prices at the beginning and end, same dimension, greater than 0.
    years : pint.Quantity or float
        Time between them; plain numbers in years.

    Returns
    -------
    pint.Quantity
        Dimensionless factor per year (10 = ten times cheaper each year; below 1: the price rose).

    Examples
    --------
    >>> print(f"{decline_per_year(60, 0.06, 3).magnitude:.1f}")    # a16z: USD 60 → 0.06 per Mtok in 3 years
    10.0
    """
    return (1.0 / (1.0 + cagr(start, end, years))).to("dimensionless")


def fitted_decline(dates, prices) -> pint.Quantity:
    """Factor per year of a least-squares line through log₁₀(price) against time: 10^(−slope).

    Parameters
    ----------
    dates : array_like
        Decimal years (2024.5 = July 2024), at least two different ones.
    prices : pint.Quantity or array_like
        Prices, greater than 0, one per date (any unit; the factor does not depend on it).

    Returns
    -------
    pint.Quantity
        Dimensionless factor per year.
    """
    t = np.asarray(dates, dtype=float)
    p = as_quantity(prices, prices.units if isinstance(prices, pint.Quantity) else "dimensionless", "prices",
                    positive=True).magnitude
    p = np.asarray(p, dtype=float)
    if t.ndim != 1 or t.shape != p.shape or np.unique(t).size < 2:
        raise ValueError(f"dates and prices must be 1-D, of the same length, with at least two different dates; "
                         f"got shapes {t.shape} and {p.shape}.")
    slope = np.polyfit(t, np.log10(p), 1)[0]
    return Q_(10.0 ** (-slope), "dimensionless")


#: Years with a US consumer price index in the registry (``cpi_u_YYYY``).
CPI_YEARS = (2021, 2022, 2023, 2024)


def to_real(price, year: int, base_year: int = 2024) -> pint.Quantity:
    """A nominal price of ``year`` in dollars of ``base_year``: price × CPI(base) / CPI(year) (US CPI-U).

    Examples
    --------
    >>> from energylab.units import u
    >>> print(f"{to_real(60 * u.USD / u.Mtok, 2021).magnitude:.1f}")
    69.5
    """
    for name, y in (("year", year), ("base_year", base_year)):
        if y not in CPI_YEARS:
            raise ValueError(f"{name} must be one of {CPI_YEARS} (years with a CPI in the registry); got {y!r}.")
    factor = sources.number(f"cpi_u_{base_year}") / sources.number(f"cpi_u_{year}")
    q = as_quantity(price, price.units if isinstance(price, pint.Quantity) else "USD", "price", nonnegative=True)
    return q * factor
