"""What AI's energy costs and who pays: cost of ownership, dollars per million tokens, price trends, rebound,
scenarios and their uncertainty.

Submodules, one subject each:

* :mod:`.ownership` — an accelerator's cost of ownership per year (capital, facility, electricity) and energy's
  share of it; :func:`h100_ownership` with the course's central assumptions.
* :mod:`.tokens` — the chain from joules per token to USD per million tokens and gCO2e per token.
* :mod:`.trends` — API list prices from the registry, decline factors per year, nominal vs real dollars.
* :mod:`.rebound` — efficiency gain × price elasticity → total energy (when does efficiency raise use?).
* :mod:`.scenarios` — energy to 2030 from demand growth and efficiency gains, beside the IEA's projection;
  decoupling read backwards (Masanet et al. 2020).
* :mod:`.uncertainty` — interval bounds, Monte Carlo spread and tornado charts for any of these models.

    >>> from energylab import economics
    >>> from energylab.units import u
    >>> print(f"{economics.h100_ownership(8 * u.cent / u.kWh).energy_share.magnitude:.1%}")
    7.9%
"""
from . import ownership, rebound, scenarios, tokens, trends, uncertainty
from .ownership import (H100_CENTRAL, H100_RANGES, IDLE_FRACTION, OWNERSHIP_ASSUMPTIONS, Ownership,
                        capital_recovery_factor, check_price, cost_of_ownership, h100_ownership)
from .rebound import Rebound, backfire_elasticity, rebound_effect
from .scenarios import Scenario, energy_scenario, iea_projection, implied_efficiency_gain
from .tokens import TokenCost, capital_per_hour, token_cost
from .trends import API_PRICES, CPI_YEARS, ApiPrice, api_prices, decline_per_year, fitted_decline, to_real
from .uncertainty import Interval, TornadoBar, interval, monte_carlo, tornado

__all__ = ["ownership", "rebound", "scenarios", "tokens", "trends", "uncertainty",
           "OWNERSHIP_ASSUMPTIONS", "IDLE_FRACTION", "H100_CENTRAL", "H100_RANGES", "Ownership", "check_price",
           "capital_recovery_factor",
           "cost_of_ownership", "h100_ownership", "Rebound", "rebound_effect", "backfire_elasticity", "Scenario",
           "energy_scenario", "implied_efficiency_gain", "iea_projection", "TokenCost", "token_cost",
           "capital_per_hour", "API_PRICES", "ApiPrice", "api_prices", "decline_per_year", "fitted_decline",
           "CPI_YEARS", "to_real", "Interval", "interval", "monte_carlo", "TornadoBar", "tornado"]
