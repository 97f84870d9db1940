"""Models of AI workloads: how much computation training takes, how long, and how much energy.

This module covers **training**; the inference side, energy per token and per query, is
:mod:`energylab.inference`, and the accelerator catalogue is :mod:`energylab.chips.accelerators`
(re-exported here as :func:`accelerator`, :func:`accelerators`, :class:`Accelerator`). Every function
is pure, unit-aware and vectorised like :mod:`energylab.accounting`: inputs may be :mod:`pint`
quantities in any compatible unit, or plain numbers and numpy arrays read in the unit each docstring
names; outputs are quantities in a fixed unit. Plain numbers are read as follows:

==================  ==========================  ==========================================
argument            plain numbers are read in   note
==================  ==========================  ==========================================
``n_params``        param                       e.g. ``175e9``
``n_tokens``        token                       e.g. ``300e9``
``flops``           FLOP                        an amount of computation (not a rate)
``compute``         FLOP                        a training budget
``peak_flops``      FLOP/s                      e.g. ``125e12`` for a V100's tensor cores
``power``           **W** (per accelerator)     :mod:`energylab.accounting` reads plain power in kW
``hours``           h                           or pass ``14.8 * u.day`` (or ``days=14.8``)
``utilisation``     plain fraction in (0, 1]    or a ``percent`` quantity
``pue``             plain number ≥ 1
==================  ==========================  ==========================================

Parameters and tokens have dimensions of their own, so swapping them is an error, not a silent
mistake::

    >>> from energylab.units import u
    >>> from energylab.models import training_flops, training_energy_from_hardware
    >>> print(training_flops(175e9, 300e9))                      # GPT-3: 6·N·D
    3.15e+23 FLOP
    >>> print(training_energy_from_hardware(10_000, 14.8 * u.day, 330, pue=1.10).to("MWh"))
    1289 MWh

Every constant comes from :mod:`energylab.sources` with its citation (the factor 6 of C ≈ 6·N·D,
the 20 tokens per parameter of Chinchilla, the fitted constants of the Chinchilla loss, the
accelerators' datasheet figures). Invalid input raises a ``TypeError`` or ``ValueError`` that names the
argument and its unit.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import NamedTuple

import numpy as np
import pint

from . import accounting, sources
from .chips.accelerators import Accelerator, accelerator, accelerators  # noqa: F401  (re-exported)
from .units import Q_, as_fraction, as_quantity, converted, is_quantity

__all__ = [
    # training compute, time, energy
    "training_flops", "training_time", "training_energy_from_flops", "training_energy_from_hardware",
    "implied_utilisation",
    # compute-optimal size and the Chinchilla loss
    "ComputeOptimal", "LossFit", "IsoFlopCurve", "FITS", "chinchilla_optimal", "loss_fit",
    "chinchilla_loss", "fitted_optimal", "iso_flop_curve",
    # the accelerator catalogue (re-exported from energylab.chips.accelerators) and computation on it
    "Accelerator", "accelerator", "accelerators", "energy_for_flops",
]

# Fact ids of the constants used here (see energylab/data/sources.toml).
_FLOP_PER_PARAM_TOKEN = "kaplan_training_flop_per_param_token"  # the 6 of C ≈ 6·N·D
_TOKENS_PER_PARAM = "chinchilla_tokens_per_param"              # the ≈20 of Chinchilla

#: Available fits of the Chinchilla loss L(N, D) = E + A/N^α + B/D^β, by name: fact-id prefix.
FITS = MappingProxyType({"hoffmann2022": "chinchilla_fit", "besiroglu2024": "besiroglu_fit"})


#: Why utilisation lies in (0, 1], added to its error message.
_UTILISATION_HINT = "Above 1 the accelerators would beat their own peak; at 0 nothing runs."


def _swap_checked(value, unit, name: str, swap: tuple[str, str], *, positive: bool = False) -> pint.Quantity:
    """:func:`as_quantity` (non-negative, or positive) that names a likely swap of two counting arguments.

    ``swap = (other_name, other_unit)``: when the value has the other argument's dimension (tokens passed
    as parameters, say), the message asks whether the two were swapped.
    """
    try:
        return as_quantity(value, unit, name, nonnegative=True, positive=positive)
    except TypeError as error:
        if is_quantity(value) and value.dimensionality == Q_(1, swap[1]).dimensionality:
            raise TypeError(f"{error} Did you swap {name} and {swap[0]}?") from None
        raise


# --------------------------------------------------------------------------------------------------
# training compute, time and energy
# --------------------------------------------------------------------------------------------------

def training_flops(n_params, n_tokens) -> pint.Quantity:
    """Computation to train a dense transformer: C ≈ 6 · N · D.

    Parameters
    ----------
    n_params : pint.Quantity or float or array_like
        N, the number of (non-embedding) parameters, at least 0; plain numbers in **param**.
    n_tokens : pint.Quantity or float or array_like
        D, the number of training tokens, at least 0; plain numbers in **token**.

    Returns
    -------
    pint.Quantity
        Training compute in FLOP (an amount of computation, not a rate).

    Raises
    ------
    TypeError
        Wrong type or dimension, e.g. tokens passed as ``n_params`` (the message says so).
    ValueError
        Negative values, NaN or infinity.

    Examples
    --------
    >>> print(training_flops(175e9, 300e9))   # GPT-3; Patterson et al. 2021 publish 3.14e23 FLOP
    3.15e+23 FLOP

    Notes
    -----
    Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361, Section 2.1
    (fact ``kaplan_training_flop_per_param_token``). Assumptions behind the 6: a dense transformer;
    the forward pass costs ≈ 2·N FLOP per token (one multiply and one add per parameter); the
    backward pass costs ≈ 2 × the forward pass; the attention term (2·n_layer·n_ctx·d_attn per token)
    and the embeddings are neglected, which is fair when d_model ≫ n_ctx/12. Mixture-of-experts
    models use N = the parameters *active* per token.
    """
    n = _swap_checked(n_params, "param", "n_params", ("n_tokens", "token"))
    d = _swap_checked(n_tokens, "token", "n_tokens", ("n_params", "param"))
    return converted(sources.value(_FLOP_PER_PARAM_TOKEN) * n * d, "FLOP")


def training_time(flops, n_accelerators, peak_flops, utilisation) -> pint.Quantity:
    """Wall-clock time of a training run: t = C / (n × peak × utilisation).

    Parameters
    ----------
    flops : pint.Quantity or float or array_like
        Training compute C, at least 0; plain numbers in FLOP.
    n_accelerators : pint.Quantity or float or array_like
        How many accelerators share the work, greater than 0 (a plain number).
    peak_flops : pint.Quantity or float or array_like
        Peak throughput of one accelerator at the precision used, greater than 0; plain numbers in
        FLOP/s (e.g. ``125e12``, or ``125 * u.TFLOP / u.s``).
    utilisation : pint.Quantity or float or array_like
        Fraction of the peak actually achieved (model FLOP utilisation), in (0, 1].

    Returns
    -------
    pint.Quantity
        Duration in hours.

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. FLOP passed as ``peak_flops``, which is a rate).
    ValueError
        Non-positive counts or peaks, negative compute, utilisation outside (0, 1], NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(training_time(3.14e23, 10_000, 125e12, 0.196).to("day"))   # GPT-3 on V100s
    14.83 d

    Notes
    -----
    Definition of throughput (work / rate). Peak figures are datasheet values (see
    :func:`accelerator`); the achieved fraction, model FLOP utilisation, was 46.2 % for PaLM on TPU v4
    (Chowdhery et al. 2022, fact ``palm_model_flops_utilisation``) and ≈20 % for GPT-3 on V100s
    (:func:`implied_utilisation` of Patterson et al. 2021's figures).
    """
    flops = as_quantity(flops, "FLOP", "flops", nonnegative=True)
    n = as_quantity(n_accelerators, "dimensionless", "n_accelerators", positive=True)
    peak = as_quantity(peak_flops, "FLOP/s", "peak_flops", positive=True)
    util = as_fraction(utilisation, "utilisation", hint=_UTILISATION_HINT)
    return converted(flops / (n * peak * util), "h")


def training_energy_from_flops(flops, peak_flops, utilisation, power, pue=1.0) -> pint.Quantity:
    """Energy of a training run from its computation: accelerator-time × power × PUE.

    The accelerator-time is C / (peak × utilisation): the same whether 1 or 10,000 accelerators share
    the work (more accelerators finish sooner but each runs for less time).

    Parameters
    ----------
    flops : pint.Quantity or float or array_like
        Training compute C, at least 0; plain numbers in FLOP.
    peak_flops : pint.Quantity or float or array_like
        Peak throughput of one accelerator, greater than 0; plain numbers in FLOP/s.
    utilisation : pint.Quantity or float or array_like
        Fraction of the peak achieved, in (0, 1].
    power : pint.Quantity or float or array_like
        Average power of one accelerator while training, at least 0; plain numbers in **W** (e.g. 330),
        not kW as in :mod:`energylab.accounting`.
    pue : pint.Quantity or float or array_like, optional
        Power Usage Effectiveness of the data centre, a plain number at least 1. Default 1.0
        (accelerators only, no facility overhead).

    Returns
    -------
    pint.Quantity
        Energy in kWh.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative compute or power, non-positive peak, utilisation outside (0, 1], PUE below 1,
        NaN or infinity.

    Examples
    --------
    >>> print(training_energy_from_flops(3.14e23, 125e12, 0.1964, 330, pue=1.10).to("MWh"))
    1290 MWh

    Notes
    -----
    E = C / (peak × utilisation) × P × PUE: :func:`energylab.accounting.energy` of the accelerator
    time, then :func:`energylab.accounting.facility_energy`. The method is the one of Patterson et al.
    2021, arXiv:2104.10350 (energy = accelerator-hours × average power × PUE), with the
    accelerator-hours derived from the compute instead of read from a log.
    """
    flops = as_quantity(flops, "FLOP", "flops", nonnegative=True)
    peak = as_quantity(peak_flops, "FLOP/s", "peak_flops", positive=True)
    util = as_fraction(utilisation, "utilisation", hint=_UTILISATION_HINT)
    power = as_quantity(power, "W", "power", nonnegative=True)
    accelerator_time = (flops / (peak * util)).to("h")
    it = accounting.energy(power, accelerator_time)
    return accounting.facility_energy(it, pue)


def training_energy_from_hardware(n_accelerators, hours=None, power=None, pue=1.0, *, days=None
                                  ) -> pint.Quantity:
    """Energy of a training run from its hardware log: n × duration × power × PUE.

    Parameters
    ----------
    n_accelerators : pint.Quantity or float or array_like
        How many accelerators ran, greater than 0 (a plain number).
    hours : pint.Quantity or float or array_like
        Wall-clock duration, greater than 0; plain numbers in **hours**; any time quantity such as
        ``14.8 * u.day`` is accepted too.
    power : pint.Quantity or float or array_like
        Average power of one accelerator, at least 0; plain numbers in **W** (e.g. 330).
    pue : pint.Quantity or float or array_like, optional
        Power Usage Effectiveness, a plain number at least 1. Default 1.0.
    days : pint.Quantity or float or array_like, optional
        Keyword-only alternative to ``hours``: plain numbers in days (``days=14.8``).

    Returns
    -------
    pint.Quantity
        Energy in kWh.

    Raises
    ------
    TypeError
        Wrong type or dimension; both or neither of ``hours`` and ``days``; ``power`` missing.
    ValueError
        Non-positive count or duration, negative power, PUE below 1, NaN or infinity.

    Examples
    --------
    >>> print(training_energy_from_hardware(10_000, days=14.8, power=330, pue=1.10).to("MWh"))
    1289 MWh

    Notes
    -----
    Patterson et al. 2021, "Carbon Emissions and Large Neural Network Training", arXiv:2104.10350,
    Table 4: GPT-3 on 10,000 V100s for 14.8 days at 330 W (measured average per accelerator, above
    the 300 W TDP because it includes a share of the server) and PUE 1.10 gives 1,287 MWh in the
    paper (1,289 MWh here; the paper rounds its inputs). Uses :func:`energylab.accounting.energy`
    and :func:`energylab.accounting.facility_energy`.
    """
    n = as_quantity(n_accelerators, "dimensionless", "n_accelerators", positive=True)
    if hours is not None and days is not None:
        raise TypeError("give either hours or days, not both.")
    if days is not None:
        duration = as_quantity(days, "d", "days", positive=True).to("h")
    elif hours is None:
        raise TypeError("hours is required (plain numbers in h, or a quantity such as 14.8 * u.day); "
                        "or pass days=...")
    else:
        duration = as_quantity(hours, "h", "hours", positive=True)
    if power is None:
        raise TypeError("power is required: the average power of one accelerator (plain numbers in W).")
    power = as_quantity(power, "W", "power", nonnegative=True)
    it = accounting.energy(n * power, duration)
    return accounting.facility_energy(it, pue)


def implied_utilisation(flops, n_accelerators, hours, peak_flops) -> pint.Quantity:
    """The fraction of peak a published training run must have achieved: C / (n × t × peak).

    Parameters
    ----------
    flops : pint.Quantity or float or array_like
        Training compute, at least 0; plain numbers in FLOP.
    n_accelerators : pint.Quantity or float or array_like
        How many accelerators, greater than 0 (a plain number).
    hours : pint.Quantity or float or array_like
        Wall-clock duration, greater than 0; plain numbers in hours (``14.8 * u.day`` works too).
    peak_flops : pint.Quantity or float or array_like
        Peak throughput of one accelerator at the precision used, greater than 0; plain numbers
        in FLOP/s.

    Returns
    -------
    pint.Quantity
        Utilisation, a dimensionless fraction (``.to("percent")`` for a percentage). A value above 1
        is not an error here but a finding: the published numbers are inconsistent with that peak
        (wrong precision, a sparse peak, or a wrong duration).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative compute, non-positive count, duration or peak, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(implied_utilisation(3.14e23, 10_000, 14.8 * u.day, 125e12).to("percent"))  # GPT-3
    19.64 %

    Notes
    -----
    Inverts :func:`training_time`. For GPT-3, Patterson et al. 2021 (Table 4) give 3.14e23 FLOP on
    10,000 V100s for 14.8 days; the V100's FP16 tensor peak is 125 TFLOP/s (NVIDIA datasheet, fact
    ``v100_fp16_tensor_flops``), so about a fifth of the peak was used. Compare PaLM's 46.2 % model
    FLOP utilisation on TPU v4 (Chowdhery et al. 2022).
    """
    flops = as_quantity(flops, "FLOP", "flops", nonnegative=True)
    n = as_quantity(n_accelerators, "dimensionless", "n_accelerators", positive=True)
    duration = as_quantity(hours, "h", "hours", positive=True)
    peak = as_quantity(peak_flops, "FLOP/s", "peak_flops", positive=True)
    return converted(flops / (n * duration * peak), "dimensionless")


# --------------------------------------------------------------------------------------------------
# compute-optimal size (Chinchilla) and the fitted loss
# --------------------------------------------------------------------------------------------------

class ComputeOptimal(NamedTuple):
    """A compute-optimal model: its size (param) and its training tokens (token)."""
    n_params: pint.Quantity
    n_tokens: pint.Quantity


class LossFit(NamedTuple):
    """Constants of a fitted loss L(N, D) = E + A/N^α + B/D^β, with the fact ids they come from."""
    E: float
    A: float
    B: float
    alpha: float
    beta: float
    name: str
    fact_ids: tuple


class IsoFlopCurve(NamedTuple):
    """Points along a fixed-compute curve: tokens (token) and fitted loss (dimensionless)."""
    n_tokens: pint.Quantity
    loss: pint.Quantity


def chinchilla_optimal(compute, tokens_per_param=None) -> ComputeOptimal:
    """The compute-optimal size and tokens by the Chinchilla rule of thumb: D = k·N with C = 6·N·D.

    Solving C = 6·N·D with D = k·N gives N = √(C / (6k)) and D = k·N.

    Parameters
    ----------
    compute : pint.Quantity or float or array_like
        Training budget C, at least 0; plain numbers in FLOP.
    tokens_per_param : pint.Quantity or float or array_like, optional
        k, greater than 0; plain numbers in token/param. Default: ≈20 from the registry (fact
        ``chinchilla_tokens_per_param``).

    Returns
    -------
    ComputeOptimal
        Named tuple ``(n_params, n_tokens)`` of quantities in param and token.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative compute, non-positive ``tokens_per_param``, NaN or infinity.

    Examples
    --------
    >>> best = chinchilla_optimal(5.76e23)          # Gopher's and Chinchilla's budget
    >>> print(best.n_params.to("Gparam"), best.n_tokens.to("Ttoken"))
    69.28 Gparam 1.386 Ttok

    Notes
    -----
    Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", arXiv:2203.15556: all
    three of their approaches say parameters and tokens should grow in equal proportion; Chinchilla
    itself (70 B parameters, 1.4 T tokens, 5.76e23 FLOP) fixes k ≈ 20. The ratio is a derived rule
    of thumb, not a law of the paper, and it is not what the paper's own parametric fit gives:
    see :func:`fitted_optimal`. C = 6·N·D is Kaplan et al. 2020.
    """
    compute = as_quantity(compute, "FLOP", "compute", nonnegative=True)
    if tokens_per_param is None:
        k = sources.value(_TOKENS_PER_PARAM)
    else:
        k = as_quantity(tokens_per_param, "token/param", "tokens_per_param", positive=True)
    n = np.sqrt(compute / (sources.value(_FLOP_PER_PARAM_TOKEN) * k))
    return ComputeOptimal(converted(n, "param"), converted(k * n, "token"))


def loss_fit(fit: str = "hoffmann2022") -> LossFit:
    """The constants of a fit of the Chinchilla loss L(N, D) = E + A/N^α + B/D^β.

    Parameters
    ----------
    fit : {"hoffmann2022", "besiroglu2024"}
        ``"hoffmann2022"``: Hoffmann et al. 2022, Approach 3 (E 1.69, A 406.4, B 410.7, α 0.34,
        β 0.28). ``"besiroglu2024"``: Besiroglu et al. 2024's refit of the same data (E 1.8172,
        A 482.01, B 2085.43, α 0.3478, β 0.3658).

    Returns
    -------
    LossFit
        Named tuple ``(E, A, B, alpha, beta, name, fact_ids)`` of plain floats.

    Raises
    ------
    ValueError
        Unknown fit name.

    Notes
    -----
    Values from the sources registry, facts ``chinchilla_fit_*`` and ``besiroglu_fit_*``; their notes
    explain the disagreement.
    """
    if not isinstance(fit, str) or fit not in FITS:
        raise ValueError(f"fit must be one of {', '.join(map(repr, FITS))}; got {fit!r}.")
    ids = tuple(f"{FITS[fit]}_{name}" for name in ("e", "a", "b", "alpha", "beta"))
    values = [sources.number(i) for i in ids]
    return LossFit(*values, name=fit, fact_ids=ids)


def chinchilla_loss(n_params, n_tokens, fit: str = "hoffmann2022") -> pint.Quantity:
    """Predicted training loss of a model with N parameters trained on D tokens: E + A/N^α + B/D^β.

    Parameters
    ----------
    n_params : pint.Quantity or float or array_like
        N, greater than 0; plain numbers in **param**.
    n_tokens : pint.Quantity or float or array_like
        D, greater than 0; plain numbers in **token**. Broadcasts against ``n_params``.
    fit : {"hoffmann2022", "besiroglu2024"}, optional
        Which fitted constants to use (see :func:`loss_fit`). Default ``"hoffmann2022"``.

    Returns
    -------
    pint.Quantity
        The loss, dimensionless (the fits were made to cross-entropy training loss on DeepMind's
        MassiveText corpus; the numbers do not transfer to other data or tokenisers).

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. tokens passed as ``n_params``).
    ValueError
        Values not greater than 0, NaN or infinity, unknown fit.

    Examples
    --------
    >>> print(chinchilla_loss(70e9, 1.4e12))      # Chinchilla
    1.937
    >>> print(chinchilla_loss(280e9, 300e9))      # Gopher: same compute, higher loss
    1.993

    Notes
    -----
    Hoffmann et al. 2022, arXiv:2203.15556, Section 3.3 (Approach 3) and Appendix D.2. The first term
    is the irreducible loss (entropy of text), the second the penalty for a finite model, the third for
    finite data. Besiroglu et al. 2024, "Chinchilla Scaling: A replication attempt", arXiv:2404.10102,
    refit the same form to data read off the paper's figure and found quite different constants
    (``fit="besiroglu2024"``): predictions from either fit are uncertain, especially far from the
    10^18–10^21 FLOP range of the experiments.
    """
    constants = loss_fit(fit)
    n = _swap_checked(n_params, "param", "n_params", ("n_tokens", "token"), positive=True).magnitude
    d = _swap_checked(n_tokens, "token", "n_tokens", ("n_params", "param"), positive=True).magnitude
    loss = constants.E + constants.A / np.power(n, constants.alpha) + constants.B / np.power(d, constants.beta)
    return converted(Q_(loss, "dimensionless"), "dimensionless")


def fitted_optimal(compute, fit: str = "hoffmann2022") -> ComputeOptimal:
    """The size and tokens that minimise the fitted loss at a fixed compute C = 6·N·D (closed form).

    N_opt = G · (C/6)^a and D_opt = G⁻¹ · (C/6)^b, with G = (αA / (βB))^(1/(α+β)),
    a = β/(α+β), b = α/(α+β).

    Parameters
    ----------
    compute : pint.Quantity or float or array_like
        Training budget C, greater than 0; plain numbers in FLOP.
    fit : {"hoffmann2022", "besiroglu2024"}, optional
        Which fitted constants (see :func:`loss_fit`). Default ``"hoffmann2022"``.

    Returns
    -------
    ComputeOptimal
        Named tuple ``(n_params, n_tokens)`` in param and token.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Compute not greater than 0, NaN or infinity, unknown fit.

    Examples
    --------
    >>> best = fitted_optimal(5.76e23)                          # Gopher's budget
    >>> print(best.n_params.to("Gparam"), (best.n_tokens / best.n_params).to("token/param"))
    32.19 Gparam 92.65 tok / param
    >>> best = fitted_optimal(5.76e23, fit="besiroglu2024")
    >>> print(best.n_params.to("Gparam"), (best.n_tokens / best.n_params).to("token/param"))
    72.25 Gparam 18.39 tok / param

    Notes
    -----
    Hoffmann et al. 2022, arXiv:2203.15556, eq. (4), the "efficient frontier" of Approach 3.
    **This optimum and the 20:1 rule of :func:`chinchilla_optimal` disagree**, and the disagreement
    is part of the story: with the paper's rounded constants the optimum at Gopher's budget
    (5.76e23 FLOP) is ≈32 B parameters on ≈93 tokens per parameter (the paper's Figure 4 says 40 B),
    while Chinchilla itself was 70 B on 20 tokens per parameter. Besiroglu et al. 2024 refit the
    constants and get ≈72 B and ≈18 tokens per parameter, close to the rule of thumb and to the
    paper's Approaches 1 and 2. Exponents: a ≈ 0.45 (Hoffmann), ≈ 0.51 (Besiroglu).
    """
    constants = loss_fit(fit)
    compute = as_quantity(compute, "FLOP", "compute", positive=True)
    six = sources.number(_FLOP_PER_PARAM_TOKEN, "FLOP/param/token")
    alpha, beta = constants.alpha, constants.beta
    g = (alpha * constants.A / (beta * constants.B)) ** (1 / (alpha + beta))
    budget = compute.magnitude / six  # C/6, in param·token
    n = g * np.power(budget, beta / (alpha + beta))
    d = np.power(budget, alpha / (alpha + beta)) / g
    return ComputeOptimal(converted(Q_(n, "param"), "param"), converted(Q_(d, "token"), "token"))


def iso_flop_curve(compute, n_params, fit: str = "hoffmann2022") -> IsoFlopCurve:
    """Tokens and fitted loss of models of different sizes trained with the same compute.

    For each N, D = C / (6·N) and the loss is :func:`chinchilla_loss` (N, D): too small a model
    cannot use its many tokens, too large a model sees too few, and the loss has a valley in between.

    Parameters
    ----------
    compute : pint.Quantity or float or array_like
        Training budget C, greater than 0; plain numbers in FLOP. Broadcasts against ``n_params``.
    n_params : pint.Quantity or float or array_like
        Model sizes along the curve, greater than 0; plain numbers in param (e.g.
        ``np.logspace(9, 12, 200)``).
    fit : {"hoffmann2022", "besiroglu2024"}, optional
        Which fitted constants (see :func:`loss_fit`). Default ``"hoffmann2022"``.

    Returns
    -------
    IsoFlopCurve
        Named tuple ``(n_tokens, loss)``: tokens (token) and loss (dimensionless), one per size.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Values not greater than 0, NaN or infinity, unknown fit.

    Examples
    --------
    >>> import numpy as np
    >>> sizes = np.logspace(10, 12, 5)            # 10 B … 1 T parameters
    >>> curve = iso_flop_curve(5.76e23, sizes)
    >>> print(curve.loss)
    [1.947 1.931 1.945 1.99 2.069]

    Notes
    -----
    Hoffmann et al. 2022, arXiv:2203.15556, Figure 4 (right) and Section 3.2 (IsoFLOP profiles).
    The valley's bottom is :func:`fitted_optimal`, which is **not** where the 20:1 rule of
    :func:`chinchilla_optimal` puts it (see there). C = 6·N·D from Kaplan et al. 2020.
    """
    compute = as_quantity(compute, "FLOP", "compute", positive=True)
    n = _swap_checked(n_params, "param", "n_params", ("compute", "FLOP"), positive=True)
    d = converted(compute / (sources.value(_FLOP_PER_PARAM_TOKEN) * n), "token")
    return IsoFlopCurve(d, chinchilla_loss(n, d, fit=fit))


# --------------------------------------------------------------------------------------------------
# energy of computation on an accelerator (the catalogue itself is hardware: energylab.chips.accelerators)
# --------------------------------------------------------------------------------------------------

_accelerator = accelerator  # energy_for_flops has an argument of the same name


def energy_for_flops(flops, accelerator, precision: str = "bf16", utilisation=0.4, pue=1.0
                     ) -> pint.Quantity:
    """Energy to perform some computation on a chosen accelerator: C / (peak × utilisation) × power × PUE.

    A convenience for the course's small numpy experiments: count the FLOPs, pick a device, get joules.

    Parameters
    ----------
    flops : pint.Quantity or float or array_like
        Computation, at least 0; plain numbers in FLOP.
    accelerator : str or Accelerator
        A name accepted by :func:`accelerator` (``"V100"``, ``"A100"``, ``"H100"``, ``"TPU v3"``,
        ``"TPU v4"``) or an :class:`Accelerator`.
    precision : str, optional
        Which peak to use, e.g. ``"bf16"`` (default), ``"fp16"``, ``"fp32"``, ``"tf32"``, ``"fp8"``.
        The V100 has no bf16: use ``"fp16"``.
    utilisation : pint.Quantity or float or array_like, optional
        Fraction of that peak achieved, in (0, 1]. Default 0.4, **an assumption**: a round figure
        between GPT-3's ≈20 % on V100s (:func:`implied_utilisation`) and PaLM's 46.2 % model FLOP
        utilisation on TPU v4 (Chowdhery et al. 2022, fact ``palm_model_flops_utilisation``). Small
        experiments usually reach far less.
    pue : pint.Quantity or float or array_like, optional
        Power Usage Effectiveness, a plain number at least 1. Default 1.0 (device only).

    Returns
    -------
    pint.Quantity
        Energy in J.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Unknown accelerator or precision (the message lists the available ones), utilisation outside
        (0, 1], PUE below 1, negative compute, NaN or infinity.

    Examples
    --------
    >>> print(energy_for_flops(1e12, "H100"))        # a teraFLOP at 40 % of the bf16 peak, 700 W
    1.769 J

    Notes
    -----
    Uses the accelerator's rated ``power`` (TDP; measured maximum for the TPU v4) from the datasheet
    facts, and :func:`training_energy_from_flops`. Real draw differs: GPT-3's V100s averaged 330 W
    against a 300 W TDP (Patterson et al. 2021).
    """
    device = _accelerator(accelerator)
    energy = training_energy_from_flops(flops, device.peak(precision), utilisation, device.rated_power(), pue)
    return converted(energy, "J")
