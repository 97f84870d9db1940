"""Landauer's limit: the least energy physics demands to erase a bit, k·T·ln 2.

:func:`landauer_limit` and :func:`orders_above_landauer` (how many decades today's operations sit above it).
Temperatures are read in K, energies in J, bits in bit; k is pint's Boltzmann constant (exact in the SI since
2019). The thermal energy k·T is also the scale of a transistor's sub-threshold swing
(:func:`energylab.chips.digital.subthreshold_swing`).
"""
from __future__ import annotations

import math

import numpy as np
import pint

from ...units import Q_, as_quantity, converted, ureg

__all__ = ["landauer_limit", "orders_above_landauer"]


def _k_t(temperature) -> pint.Quantity:
    """k·T for a temperature checked to be greater than 0 (plain numbers in K)."""
    return ureg.boltzmann_constant * as_quantity(temperature, "K", "temperature", positive=True)


def landauer_limit(temperature=300.0) -> pint.Quantity:
    """Minimum energy to erase one bit of information: k·T·ln 2 (Landauer 1961).

    Parameters
    ----------
    temperature : pint.Quantity or float or array_like, optional
        Temperature of the surroundings, greater than 0; plain numbers in K. Default 300 K.

    Returns
    -------
    pint.Quantity
        Energy per bit erased, in J (≈2.87e-21 J at 300 K).

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. a temperature in °C is converted; a length is not).
    ValueError
        Non-positive temperature, NaN or infinity.

    Examples
    --------
    >>> print(landauer_limit(293).to("zJ"))
    2.804 zJ

    Notes
    -----
    Landauer 1961, IBM J. Res. Dev. 5(3):183–191; confirmed experimentally by Bérut et al. 2012 (facts
    ``landauer_limit_300k``, ``landauer_limit_293k``, C9). k is pint's Boltzmann constant, exact in the SI.
    """
    return converted(_k_t(temperature) * math.log(2), "J")


def orders_above_landauer(energy_per_op, bits_erased=1, temperature=300.0) -> pint.Quantity:
    """How many orders of magnitude an operation's energy sits above Landauer's limit: log10(E / (n·kT ln 2)).

    Parameters
    ----------
    energy_per_op : pint.Quantity or float or array_like
        Energy of the operation, greater than 0; plain numbers in **J** (pass ``0.03 * u.pJ``).
    bits_erased : pint.Quantity or float or array_like, optional
        Bits of information the operation erases, greater than 0; plain numbers in bit. Default 1.
    temperature : pint.Quantity or float, optional
        Temperature, greater than 0; plain numbers in K. Default 300 K.

    Returns
    -------
    pint.Quantity
        Orders of magnitude (dimensionless): 7 means 10⁷ × the limit.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive energy, bits or temperature; NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(orders_above_landauer(0.03 * u.pJ))       # an 8-bit add at 45 nm
    7.019

    Notes
    -----
    An 8-bit add at 45 nm (0.03 pJ, Horowitz 2014) is ≈10⁷ × kT·ln 2 (fact sheet row C10): physics leaves
    room for many more decades of efficiency; the obstacles are engineering (wires, leakage, voltage).
    """
    energy = as_quantity(energy_per_op, "J", "energy_per_op", positive=True)
    n = as_quantity(bits_erased, "bit", "bits_erased", positive=True)
    limit = landauer_limit(temperature) * n.magnitude
    return converted(Q_(np.log10(converted(energy / limit, "").magnitude), "dimensionless"), "dimensionless")
