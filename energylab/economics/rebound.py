"""Rebound: when a service gets cheaper to run, people use more of it. Does total energy fall?

A constant-elasticity demand, Q ∝ p^(−ε), with ε the price elasticity of demand. An efficiency gain divides the
energy per unit of service by k (k = 2: half the joules per token). If electricity is a share s of the price of the
service and the saving is passed on, the price becomes p' = p·(1 − s + s/k), so

    Q'/Q = (1 − s + s/k)^(−ε),        E'/E = (Q'/Q) / k.

With s = 1 (price follows energy), E'/E = k^(ε − 1): total energy falls if and only if ε < 1, and rises (backfire,
Jevons' paradox) if ε > 1. The rebound is the share of the expected saving that demand takes back:
R = 1 − (1 − E'/E) / (1 − 1/k); R > 1 is backfire. Jevons (1865) argued it for coal; Luccioni, Strubell and
Crawford (2025) for AI.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..units import as_fraction, as_quantity

__all__ = ["Rebound", "rebound_effect", "backfire_elasticity"]


class Rebound(NamedTuple):
    """What an efficiency gain does once demand responds (see :func:`rebound_effect`); ratios after/before."""
    efficiency: np.ndarray | float      # k, energy per unit of service before ÷ after
    elasticity: np.ndarray | float      # ε
    price: np.ndarray | float           # p'/p
    demand: np.ndarray | float          # Q'/Q
    energy: np.ndarray | float          # E'/E

    @property
    def rebound_share(self):
        """Share of the engineering saving taken back by extra demand: 0 none, 1 all of it, > 1 backfire."""
        expected = 1.0 - 1.0 / np.asarray(self.efficiency, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = 1.0 - (1.0 - np.asarray(self.energy, dtype=float)) / expected
        return np.where(expected > 0, r, 0.0) if np.ndim(r) else (float(r) if expected > 0 else 0.0)

    @property
    def backfire(self):
        """True where total energy rises despite the efficiency gain."""
        return np.asarray(self.energy) > 1.0 if np.ndim(self.energy) else bool(self.energy > 1.0)


def rebound_effect(efficiency_gain, elasticity, energy_share=1.0) -> Rebound:
    """Total energy after an efficiency gain once demand responds to the lower price.

    Parameters
    ----------
    efficiency_gain : float or array_like
        k ≥ 1: how many times less energy one unit of service needs (2 = half).
    elasticity : float or array_like
        ε ≥ 0: price elasticity of demand (a 1 % lower price raises use by ε %).
    energy_share : float or array_like, optional
        s in (0, 1]: electricity's share of the service's price, the part the gain makes cheaper. Default 1.

    Returns
    -------
    Rebound

    Examples
    --------
    >>> r = rebound_effect(2.0, 1.5)
    >>> round(float(r.energy), 3), r.backfire
    (1.414, True)
    """
    k = as_quantity(efficiency_gain, "dimensionless", "efficiency_gain", minimum=1,
                    hint="It is energy before ÷ after (2 = half the energy per unit of service).").magnitude
    eps = as_quantity(elasticity, "dimensionless", "elasticity", minimum=0, maximum=10).magnitude
    s = as_fraction(energy_share, "energy_share", what="a share of the price", example=0.3).magnitude
    price = 1.0 - s + s / np.asarray(k, dtype=float)
    demand = price ** (-np.asarray(eps, dtype=float))
    energy = demand / k

    def out(x):
        return x if np.ndim(x) else float(x)
    return Rebound(out(np.asarray(k, dtype=float)), out(np.asarray(eps, dtype=float)), out(price), out(demand),
                   out(energy))


def backfire_elasticity(efficiency_gain, energy_share=1.0) -> float:
    """The elasticity above which a gain of ``efficiency_gain`` raises total energy: ε* = ln k / −ln(1 − s + s/k).

    1 when electricity is the whole price (s = 1); larger when it is a small share, because the price then falls
    less than the energy per unit.

    Examples
    --------
    >>> round(backfire_elasticity(2.0), 6), round(backfire_elasticity(2.0, 0.2), 2)
    (1.0, 6.58)
    """
    k = float(as_quantity(efficiency_gain, "dimensionless", "efficiency_gain", above=1,
                          allow_array=False).magnitude)
    s = float(as_fraction(energy_share, "energy_share", what="a share of the price", example=0.3).magnitude)
    return float(np.log(k) / -np.log(1.0 - s + s / k))
