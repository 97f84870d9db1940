"""What an accelerator costs to own: capital spread over its life, the building's share, and electricity.

The cost of ownership per year is the capital recovered each year (straight-line depreciation, or an annuity at a
cost of capital) plus the electricity bill::

    annual cost = C_acc · a(r, n) + C_fac · a(r, n_fac) + E · p,   E = P(u) · 8,760 h · PUE

with C_acc the accelerator's price including its share of the server (USD), C_fac the facility capex it takes up
(capex per MW of critical IT load × its IT power), a(r, n) the capital recovery factor (1/n at r = 0),
P(u) = u·P_busy + (1 − u)·P_idle the average IT power at utilisation u, and p the electricity price.

Utilisation pulls two ways: the energy share of the cost *rises* with utilisation (busy hours draw more power,
while the capital cost is the same whether the chip works or not), and the cost of each hour of *useful* work
*falls*, because the fixed capital is spread over more of them.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from .. import sources
from ..accounting import check_pue
from ..sources import LazyAssumptions
from ..units import HOURS_PER_YEAR, Q_, as_fraction, as_quantity, fmt

__all__ = ["OWNERSHIP_ASSUMPTIONS", "IDLE_FRACTION", "check_price", "H100_CENTRAL", "H100_RANGES",
           "capital_recovery_factor", "Ownership", "cost_of_ownership", "h100_ownership"]


def _ownership_assumptions() -> dict:
    facts = sources.all_facts()
    gpu = facts["h100_purchase_price"].q.magnitude
    dgx = facts["dgx_h100_power"].q.to("kW").magnitude / facts["dgx_h100_gpus"].q.magnitude
    return {
        "h100_capital": ("USD 35,000–40,000 per H100, central 37,500: the GPU plus its share of the server "
                         "(CPUs, memory, network cards, chassis)",
                         f"NVIDIA publishes no price; the GPU alone sells for about USD {gpu[0]:,.0f}–{gpu[1]:,.0f}, "
                         "and an 8-GPU server adds roughly a quarter to a half on top."),
        "h100_it_power": ("1.0 kW of IT power per H100 (range 0.8–1.28 kW), host share included",
                          f"A DGX H100 is rated {dgx * 8:.1f} kW for 8 GPUs, {dgx:.2f} kW per GPU at full load; "
                          "busy training servers average somewhat below their rating."),
        "idle_fraction": ("an idle accelerator server draws 30 % of its busy power",
                          "GPUs idle at about a tenth of their rated power, but the host, memory, fans and network "
                          "keep drawing; measured idle servers sit at a quarter to a half of full power."),
        "pue": ("PUE 1.2 (range 1.1–1.4)", "A modern AI hall (hyperscale fleets report about 1.1, the industry "
                "average is about 1.5)."),
        "facility_life": ("the facility's capex is charged over the accelerator's own depreciation period",
                          "A conservative choice: the power and cooling fitted out for one generation of "
                          "accelerators are often rebuilt for the next. A longer facility life lowers the capital "
                          "per year and raises electricity's share."),
    }


#: Course assumptions of the cost-of-ownership model: (value, reason).
OWNERSHIP_ASSUMPTIONS = LazyAssumptions(_ownership_assumptions)
#: The central H100 of :data:`OWNERSHIP_ASSUMPTIONS`: capital (USD), busy IT power (kW), PUE, and the ranges.
H100_CENTRAL = {"capital": 37_500.0, "it_power": 1.0, "pue": 1.2}
H100_RANGES = {"capital": (35_000.0, 40_000.0), "it_power": (0.8, 1.28), "pue": (1.1, 1.4)}


#: Idle IT power as a fraction of busy power (course assumption ``idle_fraction``).
IDLE_FRACTION = 0.3
_MAX_KW = 50.0          # kW of IT per accelerator: a whole 8-GPU server is about 10
_MIN_CAPEX = 1e5        # USD per MW: real sites cost millions per MW
_MAX_PRICE = 5.0        # USD/kWh: far above any electricity price


def check_price(price) -> np.ndarray | float:
    """An electricity price as USD/kWh floats; plain numbers in USD/kWh, with a bound that catches cents."""
    return as_quantity(price, "USD/kWh", "price", nonnegative=True, maximum=_MAX_PRICE,
                       hint="Plain numbers are read in USD/kWh: 8 cents is 0.08, or write 8 * u.cent / u.kWh."
                       ).to("USD/kWh").magnitude


def capital_recovery_factor(rate, years) -> np.ndarray:
    """Share of a capital sum to recover each year: r / (1 − (1 + r)^−n), and 1/n when r = 0.

    Parameters
    ----------
    rate : float or array_like
        Cost of capital per year (a plain fraction, 0.08 = 8 %); 0 for straight-line depreciation.
    years : float or array_like
        Depreciation period, years, greater than 0.

    Returns
    -------
    numpy.ndarray or float
        Per year (dimensionless).

    Examples
    --------
    >>> float(capital_recovery_factor(0.0, 5))
    0.2
    """
    r = np.asarray(rate, dtype=float)
    n = np.asarray(years, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = r / (1.0 - (1.0 + r) ** (-n))
    return np.where(np.abs(r) < 1e-12, 1.0 / n, annuity)


class Ownership(NamedTuple):
    """Cost of owning one accelerator, per year (USD/year), with what it is made of (see :func:`cost_of_ownership`)."""
    capital: pint.Quantity           # accelerator and server, recovered per year
    facility: pint.Quantity          # its share of the building's power and cooling, per year
    electricity: pint.Quantity       # electricity at the site (IT × PUE) × price, per year
    energy: pint.Quantity            # facility electricity per year, kWh
    utilisation: float
    years: float

    @property
    def total(self) -> pint.Quantity:
        """Total cost per year (USD/year)."""
        return self.capital + self.facility + self.electricity

    @property
    def energy_share(self):
        """Electricity's share of the cost of ownership (dimensionless)."""
        return (self.electricity / self.total).to("dimensionless")

    @property
    def lifetime(self) -> pint.Quantity:
        """Total over the depreciation period (USD)."""
        return (self.total * Q_(self.years, "year")).to("USD")

    @property
    def per_hour(self) -> pint.Quantity:
        """Cost per hour of the year, busy or idle (USD/h)."""
        return (self.total / Q_(HOURS_PER_YEAR, "h/year")).to("USD/h")

    @property
    def per_used_hour(self) -> pint.Quantity:
        """Cost per hour of useful work, the whole cost spread over the busy hours only (USD/h)."""
        return (self.per_hour / self.utilisation).to("USD/h")

    def __str__(self) -> str:
        if np.ndim(self.total.magnitude):
            return (f"cost of ownership of {np.size(self.total.magnitude):,} cases (arrays): per year "
                    f"{np.min(self.total.magnitude):,.0f}–{np.max(self.total.magnitude):,.0f} USD; index the fields "
                    f"(e.g. .total[0]) to see one")
        return (f"per year: capital {fmt(self.capital)}, facility {fmt(self.facility)}, electricity "
                f"{fmt(self.electricity)} ({fmt(self.energy, 'MWh/year')}); electricity "
                f"{self.energy_share.magnitude:.1%} of the total; {fmt(self.per_used_hour)} per used hour")


def cost_of_ownership(capital, it_power, price=None, utilisation=1.0, idle_power=None, pue=1.2, years=None,
              facility_capex=None, facility_years=None, cost_of_capital=0.0) -> Ownership:
    """Cost of owning one accelerator per year: capital, its share of the facility, and electricity.

    Parameters
    ----------
    capital : pint.Quantity or float or array_like
        Purchase price of the accelerator with its share of the server; plain numbers in USD.
    it_power : pint.Quantity or float or array_like
        IT power when busy, host share included; plain numbers in kW. It also sizes the facility share.
    price : pint.Quantity or float or array_like, optional
        Electricity price; plain numbers in USD/kWh. Default the US industrial average, 2023
        (``us_industrial_electricity_price_2023``, EIA).
    utilisation : float or pint.Quantity or array_like, optional
        Fraction of the hours the accelerator is busy, in (0, 1]. Default 1.
    idle_power : pint.Quantity or float or array_like, optional
        IT power when idle; plain numbers in kW. Default 30 % of ``it_power`` (:data:`OWNERSHIP_ASSUMPTIONS`).
    pue : float, optional
        Power usage effectiveness of the site, at least 1. Default 1.2.
    years : float or pint.Quantity or array_like, optional
        Depreciation period of the accelerator; plain numbers in years. Default Amazon's period for servers
        from 2025, 5 years (``depreciation_amazon_2025``); Microsoft and Alphabet use 6.
    facility_capex : pint.Quantity or float or array_like, optional
        Building cost per MW of critical IT load; plain numbers in USD/MW. Default the 19-market US average,
        USD 11.7M per MW (``facility_capex_per_mw``, Cushman & Wakefield 2025).
    facility_years : float, optional
        Period over which the facility's capex is recovered. Default ``years`` (a course assumption).
    cost_of_capital : float, optional
        Interest per year on the capital (0 for straight-line depreciation). Default 0.

    Returns
    -------
    Ownership
        Per year, in USD/year; inputs broadcast as numpy arrays.

    Examples
    --------
    >>> from energylab.units import u
    >>> tco = cost_of_ownership(37_500 * u.USD, 1.0 * u.kW, price=8 * u.cent / u.kWh)
    >>> print(f"{tco.energy_share.magnitude:.1%}")
    7.9%
    """
    cap = as_quantity(capital, "USD", "capital", nonnegative=True).to("USD").magnitude
    # Upper and lower bounds catch plain numbers typed in the wrong unit (watts for kW, cents for USD).
    p_busy = as_quantity(it_power, "kW", "it_power", positive=True, maximum=_MAX_KW,
                         hint="Plain numbers are read in kW per accelerator: 1,000 W is 1.0, or write 1000 * u.W."
                         ).to("kW").magnitude
    if price is None:
        price = sources.value("us_industrial_electricity_price_2023")
    tariff = check_price(price)
    u = as_fraction(utilisation, "utilisation", what="a fraction of the hours busy", example=0.6).magnitude
    p_idle = (IDLE_FRACTION * np.asarray(p_busy) if idle_power is None else
              as_quantity(idle_power, "kW", "idle_power", nonnegative=True).to("kW").magnitude)
    if np.any(np.asarray(p_idle) > np.asarray(p_busy)):
        raise ValueError("idle_power must not exceed it_power (kW): an idle accelerator draws less than a busy one.")
    pue = check_pue(pue).magnitude
    if years is None:
        years = sources.value("depreciation_amazon_2025")
    n = as_quantity(years, "year", "years", positive=True).to("year").magnitude
    capex = (sources.value("facility_capex_per_mw") if facility_capex is None else facility_capex)
    capex = as_quantity(capex, "USD/MW", "facility_capex", nonnegative=True, minimum=_MIN_CAPEX,
                        hint="Plain numbers are read in USD per MW of IT load: 11.7 million is 11.7e6."
                        ).to("USD/kW").magnitude
    n_fac = n if facility_years is None else as_quantity(facility_years, "year", "facility_years",
                                                         positive=True).to("year").magnitude
    r = as_quantity(cost_of_capital, "dimensionless", "cost_of_capital", minimum=0, maximum=1).magnitude
    average_power = u * p_busy + (1.0 - u) * p_idle
    energy = average_power * HOURS_PER_YEAR * pue                                     # kWh per year
    return Ownership(
        capital=Q_(cap * capital_recovery_factor(r, n), "USD/year"),
        facility=Q_(capex * p_busy * capital_recovery_factor(r, n_fac), "USD/year"),
        electricity=Q_(energy * tariff, "USD/year"),
        energy=Q_(energy, "kWh/year"),
        utilisation=u if np.ndim(u) else float(u),
        years=n if np.ndim(n) else float(n),
    )


def h100_ownership(price=None, utilisation=1.0, **kwargs) -> Ownership:
    """:func:`cost_of_ownership` of one H100 with the course's central assumptions (:data:`OWNERSHIP_ASSUMPTIONS`).

    USD 37,500 of capital (GPU and its share of the server), 1.0 kW of IT power, PUE 1.2, 5 years, the registry's
    facility capex; other keywords as in :func:`cost_of_ownership`.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(f"{h100_ownership(8 * u.cent / u.kWh).energy_share.magnitude:.1%}")
    7.9%
    """
    settings = H100_CENTRAL | kwargs
    return cost_of_ownership(price=price, utilisation=utilisation, **settings)
