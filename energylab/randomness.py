"""Seeded randomness shared by the simulations: the seed validator and a stationary AR(1) process.

Synthetic weather (:mod:`energylab.cooling.climate`) and synthetic grid profiles (:mod:`energylab.grid`) both
need day-to-day persistence; one implementation serves both.
"""
from __future__ import annotations

import numpy as np

__all__ = ["check_seed", "ar1"]


def check_seed(seed) -> int:
    """A seed for numpy's generator: a non-negative integer."""
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be a non-negative integer such as 0; got {type(seed).__name__} {seed!r}.")
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed}.")
    return int(seed)


def ar1(rng, n: int, sd: float, e_folding_steps: float, block: int = 128) -> np.ndarray:
    """Stationary AR(1) series x_t = φ·x_{t−1} + ε_t with standard deviation ``sd``, φ = exp(−1/τ).

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of the noise.
    n : int
        Length of the series.
    sd : float
        Standard deviation of the stationary series.
    e_folding_steps : float
        Memory τ in steps (hours for weather, days for a grid's day factor).

    Notes
    -----
    Vectorised in blocks: inside a block the recursion is a scaled cumulative sum; a short loop carries the
    state from block to block (about 70 steps for a year of hours).
    """
    phi = float(np.exp(-1.0 / e_folding_steps))
    x0 = rng.standard_normal() * sd
    eps = rng.standard_normal(n) * sd * np.sqrt(1.0 - phi ** 2)
    n_blocks = -(-n // block)
    padded = np.zeros(n_blocks * block)
    padded[:n] = eps
    e = padded.reshape(n_blocks, block)
    k = np.arange(block)
    inner = phi ** k * np.cumsum(e * phi ** (-k), axis=1)   # each block started from zero
    carry = np.empty(n_blocks)
    state = x0
    for b in range(n_blocks):
        carry[b] = state
        state = phi ** block * state + inner[b, -1]
    x = inner + phi ** (k + 1) * carry[:, None]
    return x.ravel()[:n]
