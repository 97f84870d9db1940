"""Phase-change memory (PCM) devices: programming noise, conductance drift and read noise.

The statistical model fitted to IBM's PCM devices by Nandakumar et al. (IEEE ICECS 2019), with the
coefficients as the IBM Analog Hardware Acceleration Kit uses them (Rasch et al. 2021). Every coefficient
comes from :mod:`energylab.sources`. All conductances here are plain arrays in siemens (S) internally; the
public functions accept quantities in any conductance unit (µS is usual) and return quantities.

With x = G_target / g_max:

* programming: G = G_target + σ_prog·N(0, 1), σ_prog = (c0 + c1·x + c2·x²)·g_max / 25 µS, clipped at 0;
* drift: G(t) = G(t0)·(t / t0)^−ν for times t ≥ t0 after programming, ν = |μ_ν + σ_ν·N(0, 1)| per device,
  μ_ν = clip(a·ln x + b, 0.049, 0.1), σ_ν = clip(a'·ln x + b', 0.008, 0.045);
* read noise (1/f): G + |G|·q·√ln((t + t_read) / (2·t_read))·N(0, 1), q = min(k / max(x^p, 0.001), cap).

Times: ``t`` counts from the end of programming; the first read, at t0 = 20 s, is the reference of the
drift law, so :func:`drift` leaves G unchanged at t ≤ t0 (a device read sooner has not been characterised).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ... import sources
from ...units import Q_, as_quantity

__all__ = ["PCMModel", "pcm_model", "programming_sigma", "program", "drift_exponents", "drift", "read_noise_sigma",
           "read", "global_drift_compensation"]


@dataclass(frozen=True)
class PCMModel:
    """The coefficients of the PCM statistical model (plain floats; conductances in S, times in s)."""
    g_max: float
    prog: tuple[float, float, float]
    nu_mean: tuple[float, float]
    nu_mean_bounds: tuple[float, float]
    nu_std: tuple[float, float]
    nu_std_bounds: tuple[float, float]
    t0: float
    read: tuple[float, float, float]
    t_read: float


@lru_cache(maxsize=1)
def pcm_model() -> PCMModel:
    """The model's coefficients from the sources registry (Rasch et al. 2021, fit of Nandakumar et al. 2019)."""
    n = sources.number
    return PCMModel(
        g_max=n("pcm_g_max", "S"),
        prog=tuple(n(f"pcm_programming_noise_c{i}", "S") for i in range(3)),
        nu_mean=(n("pcm_drift_nu_mean_slope"), n("pcm_drift_nu_mean_intercept")),
        nu_mean_bounds=tuple(float(v) for v in sources.value("pcm_drift_nu_mean_bounds").magnitude),
        nu_std=(n("pcm_drift_nu_std_slope"), n("pcm_drift_nu_std_intercept")),
        nu_std_bounds=tuple(float(v) for v in sources.value("pcm_drift_nu_std_bounds").magnitude),
        t0=n("pcm_drift_t0", "s"),
        read=(n("pcm_read_noise_scale"), n("pcm_read_noise_exponent"), n("pcm_read_noise_cap")),
        t_read=n("pcm_read_time", "s"),
    )


def _siemens(g, name: str) -> np.ndarray:
    return np.asarray(as_quantity(g, "S", name, nonnegative=True).magnitude, dtype=float)


def _g_max(g_max) -> float:
    return pcm_model().g_max if g_max is None else float(as_quantity(g_max, "S", "g_max", positive=True,
                                                                          allow_array=False).magnitude)


def _rng(seed) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


# -- the model on plain arrays (siemens, seconds): what the crossbar simulation calls in its loops ----------

def _prog_sigma(g: np.ndarray, g_max: float) -> np.ndarray:
    m = pcm_model()
    x = np.clip(g / g_max, 0.0, 1.0)
    # The fit is in µS at g_max = 25 µS; it scales in proportion to g_max.
    return np.maximum(m.prog[0] + m.prog[1] * x + m.prog[2] * x ** 2, 0.0) * (g_max / m.g_max)


def _nu(g: np.ndarray, g_max: float, rng: np.random.Generator) -> np.ndarray:
    m = pcm_model()
    lnx = np.log(np.clip(g / g_max, 1e-9, None))
    mean = np.clip(m.nu_mean[0] * lnx + m.nu_mean[1], *m.nu_mean_bounds)
    std = np.clip(m.nu_std[0] * lnx + m.nu_std[1], *m.nu_std_bounds)
    return np.abs(mean + std * rng.standard_normal(np.shape(g)))


def _drift(g: np.ndarray, nu: np.ndarray, t: float) -> np.ndarray:
    t0 = pcm_model().t0
    return g * (max(t, t0) / t0) ** (-nu)


def _read_sigma(g: np.ndarray, g_max: float, t: float) -> np.ndarray:
    m = pcm_model()
    k, p, cap = m.read
    x = np.abs(g) / g_max
    q = np.minimum(k / np.maximum(x ** p, 1e-3), cap)
    t = max(t, m.t0)
    return np.abs(g) * q * np.sqrt(np.log((t + m.t_read) / (2 * m.t_read)))


# -- public, unit-aware ------------------------------------------------------------------------------------

def programming_sigma(g_target, g_max=None):
    """Standard deviation of a PCM device's programmed conductance around its target.

    Parameters
    ----------
    g_target : pint.Quantity or array_like
        Target conductances, in S (plain numbers are read in S; pass ``5 * u.uS``), ≥ 0.
    g_max : pint.Quantity, optional
        The largest programmed conductance; default 25 µS (the model's).

    Returns
    -------
    pint.Quantity
        σ_prog in µS: (c0 + c1·x + c2·x²) µS × g_max / 25 µS with x = G_target / g_max.

    Notes
    -----
    Source: Rasch et al. 2021 (aihwkit), fit of Nandakumar et al. 2019. At g_max = 25 µS the model gives
    0.45 µS at x = 0.1 and about 1.05 µS at x = 1: 2–4 % of g_max, largest in the middle of the range.
    """
    return Q_(_prog_sigma(_siemens(g_target, "g_target"), _g_max(g_max)), "S").to("uS")


def program(g_target, g_max=None, seed=None):
    """Programmed conductances: the targets plus programming noise, clipped at 0 S.

    Parameters
    ----------
    g_target : pint.Quantity or array_like
        Target conductances, in S, ≥ 0.
    g_max : pint.Quantity, optional
        Largest conductance, default 25 µS.
    seed : int or numpy.random.Generator, optional
        Randomness (one normal draw per device).

    Returns
    -------
    pint.Quantity
        Conductances in µS, the shape of ``g_target``.
    """
    g = _siemens(g_target, "g_target")
    gm = _g_max(g_max)
    return Q_(np.maximum(g + _prog_sigma(g, gm) * _rng(seed).standard_normal(g.shape), 0.0), "S").to("uS")


def drift_exponents(g_target, g_max=None, seed=None) -> np.ndarray:
    """Drift exponent ν of each device: |μ_ν(x) + σ_ν(x)·N(0, 1)|, ≈ 0.05 for most states, up to 0.1 near 0.

    Parameters as for :func:`program`. Returns a plain array (ν has no unit).
    """
    return _nu(_siemens(g_target, "g_target"), _g_max(g_max), _rng(seed))


def drift(g, nu, t):
    """Conductances ``t`` after programming: G(t) = G(t0)·(t / t0)^−ν, t0 = 20 s.

    Parameters
    ----------
    g : pint.Quantity or array_like
        Conductances at the reference read t0, in S.
    nu : float or array_like
        Drift exponents, ≥ 0 (from :func:`drift_exponents`); broadcast against ``g``.
    t : pint.Quantity or float
        Time since programming, in s (pass ``1 * u.day``); times up to t0 leave G unchanged.

    Returns
    -------
    pint.Quantity
        Conductances in µS. Non-increasing in ``t`` for ν ≥ 0.
    """
    nu = np.asarray(as_quantity(nu, "dimensionless", "nu", nonnegative=True).magnitude, dtype=float)
    seconds = float(as_quantity(t, "s", "t", nonnegative=True, allow_array=False).magnitude)
    return Q_(_drift(_siemens(g, "g"), nu, seconds), "S").to("uS")


def read_noise_sigma(g, t, g_max=None):
    """Standard deviation of one read's 1/f noise on conductances ``g`` at time ``t`` after programming.

    Returns
    -------
    pint.Quantity
        σ_read in µS: |G|·q·√ln((t + t_read)/(2·t_read)), q = min(0.0088/max(x^0.65, 0.001), 0.2).
        At x = 1 about 3.7 % of G at 20 s and 4.5 % after a day; at x = 0.1 about 16–20 %.
    """
    seconds = float(as_quantity(t, "s", "t", nonnegative=True, allow_array=False).magnitude)
    return Q_(_read_sigma(_siemens(g, "g"), _g_max(g_max), seconds), "S").to("uS")


def read(g, t, g_max=None, seed=None):
    """One noisy read of conductances ``g`` at time ``t`` after programming (drift not included)."""
    gs = _siemens(g, "g")
    seconds = float(as_quantity(t, "s", "t", nonnegative=True, allow_array=False).magnitude)
    noise = _read_sigma(gs, _g_max(g_max), seconds) * _rng(seed).standard_normal(gs.shape)
    return Q_(gs + noise, "S").to("uS")


def global_drift_compensation(reference_outputs, drifted_outputs) -> float:
    """The one gain that undoes the average drift of an array: α = mean|y(t0)| / mean|y(t)|.

    Measured on the same calibration inputs right after programming and at time ``t``; multiplying every
    output by α restores their average size. Exact when every device drifts with the same ν (then each
    output shrinks by the same factor (t/t0)^−ν); with a spread of ν it leaves a residual error.

    Parameters
    ----------
    reference_outputs, drifted_outputs : array_like
        Outputs (any consistent unit, or plain numbers) for the calibration inputs, same shape.

    Returns
    -------
    float
        α ≥ 0 (1 when nothing changed).
    """
    ref = np.abs(np.asarray(getattr(reference_outputs, "magnitude", reference_outputs), dtype=float))
    now = np.abs(np.asarray(getattr(drifted_outputs, "magnitude", drifted_outputs), dtype=float))
    if ref.shape != now.shape or ref.size == 0:
        raise ValueError(f"reference_outputs and drifted_outputs must have the same, non-empty shape; got "
                         f"{ref.shape} and {now.shape}.")
    if not (np.all(np.isfinite(ref)) and np.all(np.isfinite(now))):
        raise ValueError("reference_outputs and drifted_outputs must be finite numbers.")
    mean_now = now.mean()
    return float(ref.mean() / mean_now) if mean_now > 0 else 1.0
