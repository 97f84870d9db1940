"""From joules per token to dollars per million tokens and grams of CO₂ per token.

One chain, three links, each with its own lever::

    J/token (IT)  ×  PUE                    → J/token at the meter       (model, batch, chip; cooling)
    J/token at the meter × price            → electricity, USD per 1M tokens
    capital per hour ÷ (tokens/s · 3,600 · u) → capital, USD per 1M tokens   (chip price, utilisation u)
    J/token at the meter × grid intensity   → gCO2e per token             (region, hour)

The electricity and the capital parts add up to the cost; the emissions depend on the energy and the grid only.
"""
from __future__ import annotations

from typing import NamedTuple

import pint

from .. import sources
from ..accounting import check_pue
from ..units import Q_, as_fraction, as_quantity, fmt
from .ownership import Ownership, check_price

__all__ = ["TokenCost", "token_cost", "capital_per_hour"]


def capital_per_hour(tco: Ownership) -> pint.Quantity:
    """The capital and facility part of a cost of ownership per hour of the year (USD/h), electricity left out."""
    if not isinstance(tco, Ownership):
        raise TypeError(f"tco must be an Ownership from economics.ownership; got {type(tco).__name__}.")
    return ((tco.capital + tco.facility) / Q_(8760, "h/year")).to("USD/h")


class TokenCost(NamedTuple):
    """Cost and emissions per token along the chain (see :func:`token_cost`)."""
    energy_per_token: pint.Quantity      # J/token at the meter (IT × PUE, with the idle hours' share)
    electricity: pint.Quantity           # USD/Mtok
    capital: pint.Quantity               # USD/Mtok
    emissions: pint.Quantity             # gCO2e/token

    @property
    def total(self) -> pint.Quantity:
        """Electricity plus capital, USD per million tokens."""
        return self.electricity + self.capital

    @property
    def energy_share(self):
        """Electricity's share of the cost per token (dimensionless)."""
        return (self.electricity / self.total).to("dimensionless")

    def __str__(self) -> str:
        return (f"{fmt(self.energy_per_token)} at the meter → electricity {fmt(self.electricity)} + capital "
                f"{fmt(self.capital)} = {fmt(self.total)}; {fmt(self.emissions, 'mgCO2e/token')}")


def token_cost(energy_per_token, throughput, hourly_capital, price=None, pue=1.2, intensity=None,
               utilisation=1.0, idle_fraction=0.0) -> TokenCost:
    """Dollars per million tokens (electricity and capital) and grams of CO₂ per token.

    Parameters
    ----------
    energy_per_token : pint.Quantity or float or array_like
        IT energy per generated token at the batch served (chapter 02); plain numbers in J/token.
    throughput : pint.Quantity or float or array_like
        Tokens per second one accelerator generates while busy, at that batch; plain numbers in token/s.
    hourly_capital : pint.Quantity or float or array_like
        Capital and facility cost of the accelerator per hour of the year (:func:`capital_per_hour`); plain
        numbers in USD/h.
    price : pint.Quantity or float, optional
        Electricity price; plain numbers in USD/kWh. Default the US industrial average, 2023 (EIA).
    pue : float, optional
        Site PUE, at least 1. Default 1.2.
    intensity : pint.Quantity or float, optional
        Grid carbon intensity; plain numbers in gCO2e/kWh. Default the world average, 2022
        (``world_grid_intensity_2022``).
    utilisation : float, optional
        Fraction of the hours the accelerator serves tokens, in (0, 1]: idle hours still cost capital.
    idle_fraction : float, optional
        Power drawn while idle as a fraction of the busy power, in [0, 1]. Idle hours' electricity is charged to the
        tokens too: the energy per token is multiplied by 1 + (1 − u)/u × idle_fraction. Default 0 (busy hours only).

    Returns
    -------
    TokenCost

    Examples
    --------
    >>> from energylab.units import u
    >>> c = token_cost(0.5 * u.J / u.token, 2000 * u.token / u.s, 1.0 * u.USD / u.h, 0.08, pue=1.2, intensity=400)
    >>> print(f"{c.electricity.magnitude:.4f} + {c.capital.magnitude:.4f} USD/Mtok")
    0.0133 + 0.1389 USD/Mtok
    """
    e_it = as_quantity(energy_per_token, "J/token", "energy_per_token", nonnegative=True).to("J/token")
    rate = as_quantity(throughput, "token/s", "throughput", positive=True).to("token/s")
    capital = as_quantity(hourly_capital, "USD/h", "hourly_capital", nonnegative=True).to("USD/h")
    if price is None:
        price = sources.value("us_industrial_electricity_price_2023")
    tariff = Q_(check_price(price), "USD/kWh")
    if intensity is None:
        intensity = sources.value("world_grid_intensity_2022")
    ci = as_quantity(intensity, "gCO2e/kWh", "intensity", nonnegative=True)
    u = as_fraction(utilisation, "utilisation", what="a fraction of the hours busy", example=0.6).magnitude
    idle = as_quantity(idle_fraction, "dimensionless", "idle_fraction", minimum=0, maximum=1).magnitude
    e_meter = (e_it * check_pue(pue).magnitude * (1.0 + (1.0 - u) / u * idle)).to("J/token")
    electricity = (e_meter * tariff).to("USD/Mtok")
    capital_part = (capital / (rate * u)).to("USD/Mtok")
    emissions = (e_meter * ci).to("gCO2e/token")
    return TokenCost(e_meter, electricity, capital_part, emissions)
