"""The energy of answering: inference FLOPs and memory traffic per token, batching, per-query estimates.

Three layers, each pure, unit-aware and vectorised like :mod:`energylab.models`:

1. **Per token.** :func:`inference_flops_per_token` (≈ 2·N FLOP, Kaplan et al. 2020) and a roofline
   model of one decoding step on a named accelerator (:func:`decode_step`, :func:`energy_per_token`,
   :func:`critical_batch_size`): each step reads the weights once for the whole batch and each
   sequence's KV cache, so small batches are limited by memory bandwidth and waste the chip's
   arithmetic; larger batches share the weight traffic until the step becomes compute-bound.
2. **Per query.** :func:`query_energy` (tokens × energy per token), :func:`roofline_query_energy`
   (the same from the roofline model), and reproductions of the published figures from their own
   inputs: :func:`epoch_estimate` (≈0.3 Wh), :func:`devries_estimate` (≈2.9 Wh),
   :func:`gemini_estimate` (0.24 Wh and its breakdown), plus the course's own roofline scenario
   :func:`roofline_estimate`; :func:`sensitivity` shows which assumption moves an answer most.
3. **Parallel vs sequential.** :func:`amdahl_speedup` and :func:`parallel_run`: when spreading work
   over devices saves energy and when it only saves time.

Plain numbers are read as follows (quantities in any compatible unit are converted):

=========================  ==========================  ==========================================
argument                   plain numbers are read in   note
=========================  ==========================  ==========================================
``n_params``               param                       active parameters per token
``context``                token                       tokens already in the sequence
``n_layers``, ``d_attn``   plain numbers               layers; attention width (d_model)
``batch_size``             plain number ≥ 1            sequences decoded together
``bytes_per_param``        B/param                     2 for bf16/fp16, 1 for fp8/int8
``kv_bytes_per_token``     B/token                     see :func:`kv_cache_bytes_per_token`
``utilisation``            fraction in (0, 1]          of the peak FLOP/s (or a percent quantity)
``power``                  **W** per accelerator       default: the accelerator's TDP
``power_fraction``         fraction in (0, 1]          share of ``power`` actually drawn
``pue``                    plain number ≥ 1
``tokens_out/in``          token
``energy_per_token``       J/token
=========================  ==========================  ==========================================

Every constant comes from :mod:`energylab.sources` (the 2 of 2·N, the accelerators' datasheets,
the published estimates and their inputs). Numbers that are **assumptions of this course** (not
sourced) are collected in :data:`COURSE_ASSUMPTIONS` with the reason for each. Invalid input raises
a ``TypeError`` or ``ValueError`` naming the argument and its unit.

    >>> from energylab.inference import energy_per_token
    >>> print(energy_per_token(70e9, [1, 64, 512], "H100"))     # 70 B params, bf16 weights
    [29.25 0.4571 0.09905] J / tok
"""
from __future__ import annotations

from typing import Callable, Mapping, NamedTuple

import numpy as np
import pint

from . import sources
from .chips.accelerators import accelerator as accelerator_
from .sources import number as _count
from .accounting import check_pue as _pue
from .units import Q_, as_fraction as _fraction, as_quantity, converted as _result, fmt, is_quantity

__all__ = [
    # per token
    "inference_flops_per_token", "kv_cache_bytes_per_token", "ridge_point", "DecodeStep", "decode_step",
    "energy_per_token", "critical_batch_size",
    # per query
    "query_energy", "query_energy_from_flops", "query_energy_from_fleet", "roofline_query_energy",
    "QueryEstimate", "epoch_estimate", "devries_estimate", "gemini_breakdown", "gemini_estimate",
    "roofline_estimate", "published_estimates", "COURSE_ASSUMPTIONS", "ROOFLINE_SCENARIO",
    "SensitivityRow", "Sensitivity", "sensitivity",
    # parallel vs sequential
    "amdahl_speedup", "ParallelRun", "parallel_run",
]

# Fact ids of the constants used here (see energylab/data/sources.toml).
_FLOP_PER_PARAM_TOKEN = "kaplan_inference_flop_per_param_token"  # the 2 of ≈ 2·N FLOP per token


# --------------------------------------------------------------------------------------------------
# private helpers
# --------------------------------------------------------------------------------------------------

def _checked(value, unit, name: str, *, positive: bool = False, minimum: float | None = None
             ) -> pint.Quantity:
    """:func:`as_quantity`, non-negative, optionally strictly positive or at least ``minimum``."""
    return as_quantity(value, unit, name, nonnegative=True, positive=positive, minimum=minimum)


def _device(accelerator, precision: str):
    """The accelerator and its peak at ``precision``, with clear errors."""
    device = accelerator_(accelerator)
    peak = device.peak(precision)
    device.bandwidth()
    return device, peak


def _flop_per_param_token() -> pint.Quantity:
    return sources.value(_FLOP_PER_PARAM_TOKEN)


def _fact(fact_id: str, unit=None) -> pint.Quantity:
    q = sources.get(fact_id).q
    return q.to(unit) if unit else q


# --------------------------------------------------------------------------------------------------
# per token: FLOPs, KV cache, roofline of one decoding step
# --------------------------------------------------------------------------------------------------

def inference_flops_per_token(n_params, context=0, n_layers=None, d_attn=None) -> pint.Quantity:
    """Forward-pass computation per generated token: ≈ 2·N + 2·n_layer·n_ctx·d_attn.

    Parameters
    ----------
    n_params : pint.Quantity or float or array_like
        N, the (non-embedding) parameters used per token, at least 0; plain numbers in **param**. For a
        mixture of experts, the *active* parameters.
    context : pint.Quantity or float or array_like, optional
        n_ctx, tokens the new token attends to, at least 0; plain numbers in **token**. Default 0.
    n_layers : float or array_like, optional
        Number of layers, greater than 0 (a plain number). Give it together with ``d_attn`` to add the
        attention term; without both the attention term is left out.
    d_attn : float or array_like, optional
        Attention width (d_model in most models), greater than 0 (a plain number).

    Returns
    -------
    pint.Quantity
        Computation per token, in FLOP/token.

    Raises
    ------
    TypeError
        Wrong type or dimension; only one of ``n_layers`` and ``d_attn`` given.
    ValueError
        Negative values, non-positive layers or width, NaN or infinity.

    Examples
    --------
    >>> print(inference_flops_per_token(175e9))                         # GPT-3, short context
    3.5e+11 FLOP / tok
    >>> print(inference_flops_per_token(175e9, 2048, n_layers=96, d_attn=12288))
    3.548e+11 FLOP / tok

    Notes
    -----
    Kaplan et al. 2020, "Scaling Laws for Neural Language Models", arXiv:2001.08361, Table 1:
    C_forward ≈ 2N + 2·n_layer·n_ctx·d_attn (fact ``kaplan_inference_flop_per_param_token`` for the 2:
    one multiply and one add per weight). The attention term uses the same factor 2 (one multiply-add
    per query–key and per attention–value product). It is small until n_ctx approaches
    d_model·12 (N ≈ 12·n_layer·d_model²): for GPT-3 at 2,048 tokens it adds ≈1.4 %.
    """
    n = _checked(n_params, "param", "n_params")
    ctx = _checked(context, "token", "context")
    two = _flop_per_param_token()
    flops = two * n  # FLOP/token
    if (n_layers is None) != (d_attn is None):
        raise TypeError("give both n_layers and d_attn (plain numbers) for the attention term, or neither.")
    if n_layers is not None:
        layers = _checked(n_layers, "dimensionless", "n_layers", positive=True)
        width = _checked(d_attn, "dimensionless", "d_attn", positive=True)
        per_mac = float(two.to("FLOP/param/token").magnitude)  # FLOP per multiply-add
        attention = per_mac * layers.magnitude * ctx.magnitude * width.magnitude
        flops = flops + Q_(attention, "FLOP/token")
    return _result(flops, "FLOP/token")


def kv_cache_bytes_per_token(n_layers, d_model, bytes_per_value=2) -> pint.Quantity:
    """Memory the KV cache needs per token of context: 2 (K and V) × n_layers × d_model × bytes.

    Parameters
    ----------
    n_layers : float or array_like
        Number of layers, greater than 0 (a plain number).
    d_model : float or array_like
        Width of the keys and values per layer, greater than 0 (a plain number): d_model for
        multi-head attention; n_kv_heads × d_head for grouped-query attention (much smaller).
    bytes_per_value : pint.Quantity or float or array_like, optional
        Storage per value, greater than 0; plain numbers in **B**. Default 2 (bf16/fp16).

    Returns
    -------
    pint.Quantity
        KV-cache size per token of context, in B/token (``.to("kB/token")`` to read it).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive values, NaN or infinity.

    Examples
    --------
    >>> print(kv_cache_bytes_per_token(96, 12288).to("MB/token"))       # GPT-3-like, bf16
    4.719 MB / tok

    Notes
    -----
    Each layer stores one key and one value vector per token of context (the factor 2). The decode
    step reads the whole cache of each sequence once per generated token, which is why long contexts
    and large batches make decoding memory-bound (see :func:`decode_step`).
    """
    layers = _checked(n_layers, "dimensionless", "n_layers", positive=True)
    width = _checked(d_model, "dimensionless", "d_model", positive=True)
    size = _checked(bytes_per_value, "B", "bytes_per_value", positive=True)
    return _result(2 * layers * width * size / Q_(1, "token"), "B/token")


def ridge_point(accelerator, precision: str = "bf16") -> pint.Quantity:
    """The roofline ridge point of an accelerator: peak FLOP/s ÷ memory bandwidth.

    Parameters
    ----------
    accelerator : str or Accelerator
        A name accepted by :func:`energylab.models.accelerator` (``"A100"``, ``"H100"`` …).
    precision : str, optional
        Which peak, default ``"bf16"``.

    Returns
    -------
    pint.Quantity
        Operational intensity in FLOP/B above which a kernel is compute-bound.

    Raises
    ------
    ValueError
        Unknown accelerator or precision.

    Examples
    --------
    >>> print(ridge_point("H100"))
    295.3 FLOP / B

    Notes
    -----
    Williams, Waterman, Patterson 2009, "Roofline", CACM 52(4):65–76. Datasheet figures (facts
    ``h100_sxm_ridge_point`` ≈295 and ``a100_80gb_ridge_point`` ≈153 FLOP/B, C17).
    """
    device, peak = _device(accelerator, precision)
    return _result(peak / device.memory_bandwidth, "FLOP/B")


class DecodeStep(NamedTuple):
    """One decoding step of a batch (every sequence gains one token). Times in s.

    Attributes
    ----------
    compute_time : pint.Quantity
        FLOPs ÷ (peak × utilisation), s.
    memory_time : pint.Quantity
        Bytes read (weights once + each sequence's KV cache) ÷ bandwidth, s.
    step_time : pint.Quantity
        The larger of the two (roofline), s.
    bound : str or numpy.ndarray of str
        ``"memory"`` or ``"compute"``: which limit sets the step time.
    tokens_per_second : pint.Quantity
        Throughput of the whole batch, token/s.
    latency : pint.Quantity
        Time between two tokens of one sequence, s/token (= step time per token).
    flops : pint.Quantity
        Computation of the step, FLOP.
    bytes : pint.Quantity
        Memory traffic of the step, B.
    intensity : pint.Quantity
        Operational intensity flops ÷ bytes, FLOP/B (compare :func:`ridge_point`).
    mfu : pint.Quantity
        Model FLOP utilisation achieved: flops ÷ (peak × step time), a plain fraction.
    """
    compute_time: pint.Quantity
    memory_time: pint.Quantity
    step_time: pint.Quantity
    bound: object
    tokens_per_second: pint.Quantity
    latency: pint.Quantity
    flops: pint.Quantity
    bytes: pint.Quantity
    intensity: pint.Quantity
    mfu: pint.Quantity


def _kv_per_token(kv_bytes_per_token, n_layers, d_attn, ctx) -> pint.Quantity:
    if kv_bytes_per_token is not None:
        return _checked(kv_bytes_per_token, "B/token", "kv_bytes_per_token")
    if n_layers is not None and d_attn is not None:
        return kv_cache_bytes_per_token(n_layers, d_attn, 2)
    if np.any(np.asarray(ctx.magnitude) > 0):
        raise TypeError("context > 0 needs the KV-cache size: pass kv_bytes_per_token (B/token, see "
                        "kv_cache_bytes_per_token) or n_layers and d_attn.")
    return Q_(0.0, "B/token")


def decode_step(n_params, batch_size, accelerator, bytes_per_param=2, context=0, kv_bytes_per_token=None,
                precision: str = "bf16", utilisation=1.0, *, n_layers=None, d_attn=None,
                bandwidth_utilisation=1.0, n_accelerators=1) -> DecodeStep:
    """Roofline model of one decoding step: the slower of computing and reading memory.

    Per step every sequence of the batch produces one token. The weights are read **once** for the
    whole batch (N × bytes_per_param); each sequence's KV cache is read too (kv bytes per token ×
    context × batch). Compute = batch × :func:`inference_flops_per_token`. Then
    step time = max(FLOPs / (peak × utilisation), bytes / (bandwidth × bandwidth_utilisation)).

    Parameters
    ----------
    n_params : pint.Quantity or float or array_like
        Parameters per token, greater than 0; plain numbers in **param**.
    batch_size : float or array_like
        Sequences decoded together, at least 1 (a plain number). Vectorised: pass an array to sweep.
    accelerator : str or Accelerator
        A name accepted by :func:`energylab.models.accelerator`: ``"V100"``, ``"A100"``, ``"H100"``,
        ``"TPU v3"``, ``"TPU v4"``.
    bytes_per_param : pint.Quantity or float or array_like, optional
        Storage per weight, greater than 0; plain numbers in **B/param**. Default 2 (bf16).
    context : pint.Quantity or float or array_like, optional
        Tokens already in each sequence, at least 0; plain numbers in **token**. Default 0 (no KV
        traffic). With context > 0 give ``kv_bytes_per_token`` or ``n_layers`` and ``d_attn``.
    kv_bytes_per_token : pint.Quantity or float or array_like, optional
        KV-cache size per token of context; plain numbers in **B/token**. Default: from ``n_layers`` and
        ``d_attn`` at 2 bytes per value (:func:`kv_cache_bytes_per_token`), else 0 when context is 0.
    precision : str, optional
        Which peak of the accelerator, default ``"bf16"`` (``"fp8"`` on the H100, ``"fp16"`` on the V100).
    utilisation : pint.Quantity or float or array_like, optional
        Fraction of the peak FLOP/s reachable when compute-bound, in (0, 1]. Default 1 (the roofline).
    n_layers, d_attn : float or array_like, optional
        Layers and attention width (plain numbers): add the attention FLOPs and, unless
        ``kv_bytes_per_token`` is given, size the KV cache (multi-head attention).
    bandwidth_utilisation : pint.Quantity or float or array_like, optional
        Fraction of the datasheet memory bandwidth achieved, in (0, 1]. Default 1.
    n_accelerators : float or array_like, optional
        Accelerators sharing the model (tensor parallelism), at least 1. Peak and bandwidth add up;
        communication is ignored. Default 1.

    Returns
    -------
    DecodeStep
        ``compute_time``, ``memory_time``, ``step_time`` (s), ``bound`` (``"memory"``/``"compute"``),
        ``tokens_per_second`` (token/s), ``latency`` (s/token), ``flops`` (FLOP), ``bytes`` (B),
        ``intensity`` (FLOP/B), ``mfu`` (fraction of peak achieved).

    Raises
    ------
    TypeError
        Wrong type or dimension; context > 0 without a KV-cache size.
    ValueError
        Batch below 1, non-positive sizes, fractions outside (0, 1], unknown accelerator or precision.

    Examples
    --------
    >>> step = decode_step(70e9, [1, 64, 512], "H100")
    >>> print(step.bound, step.step_time.to("ms"))
    ['memory' 'memory' 'compute'] [41.79 41.79 72.45] ms

    Notes
    -----
    Roofline model: Williams, Waterman, Patterson 2009, CACM 52(4):65–76. With context 0 the step's
    operational intensity is 2·batch / bytes_per_param FLOP/B, so it turns compute-bound at
    batch ≈ ridge × bytes_per_param / 2 (:func:`critical_batch_size`). Ignored: the time to read
    activations, kernel launch overheads, communication between accelerators, and the fact that a
    mixture-of-experts model reads more weights than it uses per token.
    """
    n = _checked(n_params, "param", "n_params", positive=True)
    batch = _checked(batch_size, "dimensionless", "batch_size", minimum=1)
    b = _checked(bytes_per_param, "B/param", "bytes_per_param", positive=True)
    ctx = _checked(context, "token", "context")
    util = _fraction(utilisation, "utilisation")
    bw_util = _fraction(bandwidth_utilisation, "bandwidth_utilisation")
    n_acc = _checked(n_accelerators, "dimensionless", "n_accelerators", minimum=1)
    device, peak = _device(accelerator, precision)
    per_token = inference_flops_per_token(n, ctx, n_layers, d_attn)
    kv = _kv_per_token(kv_bytes_per_token, n_layers, d_attn, ctx)

    one_token = Q_(1, "token")
    flops = per_token * one_token * batch
    traffic = n * b + kv * ctx * batch
    peak_total = peak * n_acc
    compute_time = _result(flops / (peak_total * util), "s")
    memory_time = _result(traffic / (device.memory_bandwidth * n_acc * bw_util), "s")
    step = _result(np.maximum(compute_time.magnitude, memory_time.magnitude) * Q_(1, "s"), "s")
    bound = np.where(compute_time.magnitude > memory_time.magnitude, "compute", "memory")
    bound = str(bound) if bound.ndim == 0 else bound
    return DecodeStep(
        compute_time=compute_time, memory_time=memory_time, step_time=step, bound=bound,
        tokens_per_second=_result(batch * one_token / step, "token/s"),
        latency=_result(step / one_token, "s/token"),
        flops=_result(flops, "FLOP"), bytes=_result(traffic, "B"),
        intensity=_result(flops / traffic, "FLOP/B"),
        mfu=_result(flops / (peak_total * step), "dimensionless"),
    )


def energy_per_token(n_params, batch_size, accelerator, bytes_per_param=2, context=0, kv_bytes_per_token=None,
                     precision: str = "bf16", utilisation=1.0, *, power=None, power_fraction=1.0, pue=1.0,
                     n_layers=None, d_attn=None, bandwidth_utilisation=1.0, n_accelerators=1
                     ) -> pint.Quantity:
    """Energy to generate one token at a given batch size: power × step time ÷ batch × PUE.

    Parameters
    ----------
    n_params, batch_size, accelerator, bytes_per_param, context, kv_bytes_per_token, precision, utilisation
        As for :func:`decode_step` (plain numbers in param, –, –, B/param, token, B/token, –, fraction).
    power : pint.Quantity or float or array_like, optional
        Power of **one** accelerator while busy, at least 0; plain numbers in **W**. Default: its
        rated power (TDP, :func:`energylab.models.accelerator`). Pass a server's share per
        accelerator (e.g. 10.2 kW / 8 for a DGX H100) to include CPUs, memory and networking.
    power_fraction : pint.Quantity or float or array_like, optional
        Share of ``power`` actually drawn, in (0, 1]. Default 1.
    pue : pint.Quantity or float or array_like, optional
        Power Usage Effectiveness, at least 1. Default 1 (accelerators only).
    n_layers, d_attn, bandwidth_utilisation, n_accelerators
        As for :func:`decode_step`.

    Returns
    -------
    pint.Quantity
        Energy per generated token, in J/token. Vectorised (e.g. over ``batch_size``).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        As for :func:`decode_step`; negative power, ``power_fraction`` outside (0, 1], PUE below 1.

    Examples
    --------
    >>> print(energy_per_token(70e9, [1, 8, 64, 512], "H100"))
    [29.25 3.657 0.4571 0.09905] J / tok

    Notes
    -----
    **Assumption:** the accelerator draws ``power × power_fraction`` during the whole step, whether
    it waits for memory or computes (real chips draw less when memory-bound, so small batches are
    somewhat overstated). While memory-bound the energy per token falls as 1/batch (the weight
    traffic is shared); once compute-bound it stays flat at power × FLOPs per token ÷ (peak ×
    utilisation). Roofline: Williams et al. 2009; FLOPs: Kaplan et al. 2020; datasheets: NVIDIA.
    """
    step = decode_step(n_params, batch_size, accelerator, bytes_per_param, context, kv_bytes_per_token,
                       precision, utilisation, n_layers=n_layers, d_attn=d_attn,
                       bandwidth_utilisation=bandwidth_utilisation, n_accelerators=n_accelerators)
    device = accelerator_(accelerator)
    if power is None:
        if device.power is None:
            raise ValueError(f"the {device.name} has no power figure in the sources registry; pass power=... (W).")
        power = device.power
    p = _checked(power, "W", "power")
    frac = _fraction(power_fraction, "power_fraction")
    pue_q = _pue(pue)
    n_acc = _checked(n_accelerators, "dimensionless", "n_accelerators", minimum=1)
    batch = _checked(batch_size, "dimensionless", "batch_size", minimum=1)
    energy = p * n_acc * frac * step.step_time / (batch * Q_(1, "token")) * pue_q
    return _result(energy, "J/token")


def critical_batch_size(n_params, accelerator, bytes_per_param=2, context=0, kv_bytes_per_token=None,
                        precision: str = "bf16", utilisation=1.0, *, n_layers=None, d_attn=None,
                        bandwidth_utilisation=1.0) -> pint.Quantity:
    """The batch size at which a decoding step turns from memory-bound to compute-bound.

    Solves batch × F / (peak × u) = (W + batch × K) / (BW × u_bw) for batch, with F the FLOPs per
    token, W the weight bytes and K the KV-cache bytes per sequence:
    batch* = W / (F / R − K), where R = (peak × u) / (BW × u_bw) is the (effective) ridge point.

    Parameters
    ----------
    n_params, accelerator, bytes_per_param, context, kv_bytes_per_token, precision, utilisation
        As for :func:`decode_step`.
    n_layers, d_attn, bandwidth_utilisation
        As for :func:`decode_step`.

    Returns
    -------
    pint.Quantity
        The critical batch size (a plain number, not rounded). ``inf`` where the step never becomes
        compute-bound (the KV cache of each added sequence costs more time to read than its FLOPs
        take to compute: long contexts).

    Raises
    ------
    TypeError, ValueError
        As for :func:`decode_step`.

    Examples
    --------
    >>> print(critical_batch_size(70e9, "H100"))                # = ridge × 2 B / 2 FLOP per param
    295.3
    >>> print(critical_batch_size(70e9, "H100", bytes_per_param=1, precision="fp8"))
    295.4

    Notes
    -----
    With context 0 the result is ridge × bytes_per_param / 2 × u / u_bw, independent of the model size:
    an H100 (ridge ≈295 FLOP/B, fact ``h100_sxm_ridge_point``) needs ≈295 sequences in flight at bf16
    before its arithmetic, not its memory, sets the pace. Below that, every extra sequence in the
    batch is almost free. Roofline: Williams et al. 2009.
    """
    n = _checked(n_params, "param", "n_params", positive=True)
    b = _checked(bytes_per_param, "B/param", "bytes_per_param", positive=True)
    ctx = _checked(context, "token", "context")
    util = _fraction(utilisation, "utilisation")
    bw_util = _fraction(bandwidth_utilisation, "bandwidth_utilisation")
    device, peak = _device(accelerator, precision)
    per_sequence_flops = (inference_flops_per_token(n, ctx, n_layers, d_attn) * Q_(1, "token")).to("FLOP")
    kv = _kv_per_token(kv_bytes_per_token, n_layers, d_attn, ctx)
    weights = (n * b).to("B").magnitude
    per_sequence_bytes = (kv * ctx).to("B").magnitude
    ridge = ((peak * util) / (device.memory_bandwidth * bw_util)).to("FLOP/B").magnitude
    denominator = per_sequence_flops.magnitude / ridge - per_sequence_bytes
    with np.errstate(divide="ignore", invalid="ignore"):
        batch = np.where(denominator > 0, weights / np.where(denominator > 0, denominator, 1.0), np.inf)
    return _result(Q_(batch, "dimensionless"), "dimensionless")


# --------------------------------------------------------------------------------------------------
# per query
# --------------------------------------------------------------------------------------------------

def query_energy(tokens_out, energy_per_token, tokens_in=0, prefill_factor=1.0, overhead=1.0, pue=1.0
                 ) -> pint.Quantity:
    """Energy of one query: (output tokens + prefill_factor × input tokens) × energy per token.

    Parameters
    ----------
    tokens_out : pint.Quantity or float or array_like
        Generated tokens, at least 0; plain numbers in **token**.
    energy_per_token : pint.Quantity or float or array_like
        Energy per generated token, at least 0; plain numbers in **J/token** (e.g. from
        :func:`energy_per_token`).
    tokens_in : pint.Quantity or float or array_like, optional
        Prompt tokens, at least 0; plain numbers in token. Default 0.
    prefill_factor : pint.Quantity or float or array_like, optional
        Energy of reading one prompt token relative to generating one token, at least 0. Default 1,
        a **course assumption** and an upper bound for short prompts: prompt tokens are processed
        in parallel (compute-bound), which usually costs less per token than decoding, but attention
        over very long prompts costs more.
    overhead : pint.Quantity or float or array_like, optional
        Multiplier for what the per-token figure leaves out (host CPUs and memory, idle capacity kept
        for peaks), at least 1. Default 1.
    pue : pint.Quantity or float or array_like, optional
        Power Usage Effectiveness, at least 1. Default 1.

    Returns
    -------
    pint.Quantity
        Energy per query, in Wh.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative values, overhead or PUE below 1, NaN or infinity.

    Examples
    --------
    >>> print(query_energy(500, 2.17))                     # Epoch AI's 500 tokens at ≈2.17 J each
    0.3014 Wh

    Notes
    -----
    Bookkeeping only; where the energy per token comes from is the real question (:func:`energy_per_token`,
    :func:`query_energy_from_flops`). Epoch AI (You 2025) count output tokens only in their 0.3 Wh
    baseline and cost long inputs separately (≈2.5 Wh at 10k, ≈40 Wh at 100k input tokens).
    """
    out = _checked(tokens_out, "token", "tokens_out")
    per_token = _checked(energy_per_token, "J/token", "energy_per_token")
    inp = _checked(tokens_in, "token", "tokens_in")
    factor = _checked(prefill_factor, "dimensionless", "prefill_factor")
    extra = _checked(overhead, "dimensionless", "overhead", minimum=1)
    return _result((out + factor * inp) * per_token * extra * _pue(pue), "Wh")


def query_energy_from_flops(tokens_out, n_params, peak_flops, utilisation, power, power_fraction=1.0, pue=1.0
                            ) -> pint.Quantity:
    """Energy of a query from its computation (Epoch AI's method): 2·N·tokens ÷ (peak × u) × power.

    Parameters
    ----------
    tokens_out : pint.Quantity or float or array_like
        Generated tokens, at least 0; plain numbers in **token**.
    n_params : pint.Quantity or float or array_like
        Active parameters per token, at least 0; plain numbers in **param**.
    peak_flops : pint.Quantity or float or array_like
        Peak throughput of one accelerator, greater than 0; plain numbers in **FLOP/s**.
    utilisation : pint.Quantity or float or array_like
        Fraction of that peak achieved on average while serving, in (0, 1].
    power : pint.Quantity or float or array_like
        Power attributed to one accelerator (its share of the server), at least 0; plain numbers in **W**.
    power_fraction : pint.Quantity or float or array_like, optional
        Average share of ``power`` drawn, in (0, 1]. Default 1.
    pue : pint.Quantity or float or array_like, optional
        Power Usage Effectiveness, at least 1. Default 1.

    Returns
    -------
    pint.Quantity
        Energy per query, in Wh.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative values, non-positive peak, fractions outside (0, 1], PUE below 1, NaN or infinity.

    Examples
    --------
    >>> from energylab.units import u
    >>> print(query_energy_from_flops(500, 100e9, 989e12, 0.10, 1275, 0.7, 1.2))
    0.3008 Wh

    Notes
    -----
    The method of You (Epoch AI) 2025, "How much energy does ChatGPT use?": FLOPs per query
    2·N·tokens (Kaplan et al. 2020), accelerator-seconds = FLOPs ÷ (peak × utilisation), times the
    average power. See :func:`epoch_estimate` for their inputs. The utilisation is where the
    roofline hides: decoding at moderate batch sizes is memory-bound, so a low figure is realistic
    (:func:`decode_step` gives the ``mfu`` it implies).
    """
    out = _checked(tokens_out, "token", "tokens_out")
    n = _checked(n_params, "param", "n_params")
    peak = _checked(peak_flops, "FLOP/s", "peak_flops", positive=True)
    util = _fraction(utilisation, "utilisation")
    p = _checked(power, "W", "power")
    frac = _fraction(power_fraction, "power_fraction")
    flops = _flop_per_param_token() * n * out
    return _result(flops / (peak * util) * p * frac * _pue(pue), "Wh")


def query_energy_from_fleet(n_servers, server_power, queries_per_day, load=1.0, pue=1.0) -> pint.Quantity:
    """Energy of a query from a fleet (de Vries's method): servers × power × 24 h ÷ queries per day.

    Parameters
    ----------
    n_servers : float or array_like
        Servers serving the queries, greater than 0 (a plain number).
    server_power : pint.Quantity or float or array_like
        Rated power of one server, at least 0; plain numbers in **kW**.
    queries_per_day : float or array_like
        Queries the fleet answers per day, greater than 0 (a plain number).
    load : pint.Quantity or float or array_like, optional
        Average share of the rated power drawn, in (0, 1]. Default 1 (full power around the clock).
    pue : pint.Quantity or float or array_like, optional
        Power Usage Effectiveness, at least 1. Default 1 (servers only).

    Returns
    -------
    pint.Quantity
        Energy per query, in Wh.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive counts, negative power, ``load`` outside (0, 1], PUE below 1.

    Examples
    --------
    >>> print(query_energy_from_fleet(3617, 6.5, 13e6 * 15))     # de Vries 2023
    2.894 Wh

    Notes
    -----
    de Vries 2023, Joule 7(10): 3,617 HGX A100 servers × 6.5 kW × 24 h ≈ 564 MWh per day, over
    13 M daily users × 15 requests ≈ 2.9 Wh per request. Assumes full power all day: an upper bound.
    """
    servers = _checked(n_servers, "dimensionless", "n_servers", positive=True)
    p = _checked(server_power, "kW", "server_power")
    queries = _checked(queries_per_day, "dimensionless", "queries_per_day", positive=True)
    share = _fraction(load, "load")
    daily = servers * p * share * Q_(24, "h") * _pue(pue)
    return _result(daily / queries, "Wh")


def roofline_query_energy(tokens_out, n_params, batch_size, accelerator="H100", tokens_in=0, bytes_per_param=2,
                          kv_bytes_per_token=None, precision: str = "bf16", utilisation=1.0, *, power=None,
                          power_fraction=1.0, pue=1.0, n_layers=None, d_attn=None, bandwidth_utilisation=1.0,
                          n_accelerators=1, prefill_utilisation=0.5) -> pint.Quantity:
    """Energy of one query from the roofline model: prefill of the prompt plus decoding of the answer.

    * **Decode:** ``tokens_out`` × :func:`energy_per_token` evaluated at the mean context of the
      answer, tokens_in + tokens_out / 2.
    * **Prefill:** the prompt's tokens are processed in parallel, so the step is compute-bound:
      tokens_in × FLOPs per token (at mean context tokens_in / 2) ÷ (peak × prefill_utilisation) ×
      power. Zero when ``tokens_in`` is 0.

    Parameters
    ----------
    tokens_out : pint.Quantity or float or array_like
        Generated tokens, at least 0; plain numbers in **token**.
    n_params, batch_size, accelerator, bytes_per_param, kv_bytes_per_token, precision, utilisation
        As for :func:`decode_step`. ``accelerator`` defaults to ``"H100"``.
    tokens_in : pint.Quantity or float or array_like, optional
        Prompt tokens, at least 0; plain numbers in token. Default 0.
    power, power_fraction, pue, n_layers, d_attn, bandwidth_utilisation, n_accelerators
        As for :func:`energy_per_token`.
    prefill_utilisation : pint.Quantity or float or array_like, optional
        Fraction of peak reached while reading the prompt, in (0, 1]. Default 0.5, a **course
        assumption** (prefill is compute-bound; PaLM's training reached 46 %,
        fact ``palm_model_flops_utilisation``).

    Returns
    -------
    pint.Quantity
        Energy per query, in Wh.

    Raises
    ------
    TypeError, ValueError
        As for :func:`energy_per_token`.

    Examples
    --------
    >>> print(roofline_query_energy(500, 70e9, 32, kv_bytes_per_token=327_680, n_accelerators=4))
    0.1293 Wh

    Notes
    -----
    Evaluating the decode step at the mean context is exact while the step stays in one regime
    (memory- or compute-bound) over the answer, and a close approximation otherwise. Roofline:
    Williams et al. 2009; FLOPs: Kaplan et al. 2020. See :func:`roofline_estimate` for a GPT-4o-scale
    scenario and :data:`COURSE_ASSUMPTIONS` for what is assumed.
    """
    out = _checked(tokens_out, "token", "tokens_out")
    inp = _checked(tokens_in, "token", "tokens_in")
    mean_context = inp + out / 2
    decode = energy_per_token(n_params, batch_size, accelerator, bytes_per_param, mean_context, kv_bytes_per_token,
                              precision, utilisation, power=power, power_fraction=power_fraction, pue=pue,
                              n_layers=n_layers, d_attn=d_attn, bandwidth_utilisation=bandwidth_utilisation,
                              n_accelerators=n_accelerators)
    device, peak = _device(accelerator, precision)
    p = _checked(device.power if power is None else power, "W", "power")
    prefill_util = _fraction(prefill_utilisation, "prefill_utilisation")
    prefill_flops = inference_flops_per_token(n_params, inp / 2, n_layers, d_attn) * inp
    prefill = prefill_flops / (peak * prefill_util) * p * _fraction(power_fraction, "power_fraction") * _pue(pue)
    return _result(out * decode + prefill, "Wh")


class QueryEstimate(NamedTuple):
    """A per-query energy estimate reproduced from its stated inputs.

    Attributes
    ----------
    label : str
        Who and what, e.g. ``"de Vries 2023: ChatGPT request, servers at full power"``.
    energy : pint.Quantity
        The reproduced energy per query, Wh.
    published : pint.Quantity or None
        The published figure, Wh (None for the course's own scenario).
    fact_id : str or None
        The fact of the published figure.
    inputs : Mapping[str, pint.Quantity]
        Every input, by name.
    input_facts : Mapping[str, str]
        For each sourced input, its fact id; inputs not listed here are course assumptions.
    method : str
        One line: how the inputs combine.
    """
    label: str
    energy: pint.Quantity
    published: pint.Quantity | None
    fact_id: str | None
    inputs: Mapping[str, pint.Quantity]
    input_facts: Mapping[str, str]
    method: str

    def __str__(self) -> str:
        published = f" (published: {fmt(self.published, 'Wh')})" if self.published is not None else ""
        return f"{self.label}: {fmt(self.energy, 'Wh')}{published}"

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


def epoch_estimate() -> QueryEstimate:
    """Epoch AI's ≈0.3 Wh for a typical GPT-4o query, reproduced from Epoch's own inputs.

    Returns
    -------
    QueryEstimate
        Energy ≈ 0.301 Wh, with the inputs: 100 B active parameters, 500 output tokens, the H100's
        989 TFLOP/s bf16 peak at 10 % utilisation, 1,275 W per GPU (DGX H100 ÷ 8) at 70 % of rated
        power, PUE 1.2.

    Examples
    --------
    >>> print(epoch_estimate())
    You (Epoch AI) 2025: GPT-4o typical query on H100: 0.301 Wh (published: 0.3 Wh)

    Notes
    -----
    You (Epoch AI) 2025, "How much energy does ChatGPT use?", and its calculation sheet (facts
    ``epoch_gpt4o_active_params``, ``epoch_gpt4o_output_tokens``, ``epoch_h100_flop_utilisation``,
    ``epoch_power_per_gpu``, ``epoch_power_fraction``, ``epoch_pue``, status V-S). Method:
    :func:`query_energy_from_flops`. Every input is an assumption of Epoch's (OpenAI publishes
    none of them); Epoch calls the result "relatively pessimistic".
    """
    facts = {"tokens_out": "epoch_gpt4o_output_tokens", "n_params": "epoch_gpt4o_active_params",
             "peak_flops": "h100_sxm_bf16_dense_flops", "utilisation": "epoch_h100_flop_utilisation",
             "power": "epoch_power_per_gpu", "power_fraction": "epoch_power_fraction", "pue": "epoch_pue"}
    inputs = {name: _fact(fact_id) for name, fact_id in facts.items()}
    energy = query_energy_from_flops(**inputs)
    return QueryEstimate(
        label="You (Epoch AI) 2025: GPT-4o typical query on H100", energy=energy,
        published=_fact("epoch_gpt4o_query_energy", "Wh"), fact_id="epoch_gpt4o_query_energy",
        inputs=inputs, input_facts=facts,
        method="2·N·tokens FLOP ÷ (peak × utilisation) × power per GPU × power fraction × PUE")


def devries_estimate() -> QueryEstimate:
    """de Vries's ≈2.9 Wh per ChatGPT request, reproduced from its inputs.

    Returns
    -------
    QueryEstimate
        Energy ≈ 2.89 Wh: 3,617 HGX A100 servers × 6.5 kW × 24 h ÷ (13 M users × 15 requests).

    Examples
    --------
    >>> print(devries_estimate())
    de Vries 2023: ChatGPT request, servers at full power: 2.89 Wh (published: 2.9 Wh)

    Notes
    -----
    de Vries 2023, Joule 7(10) (facts ``devries_*``, A37). Method: :func:`query_energy_from_fleet`.
    Servers at full rated power around the clock, no PUE, 2023 hardware: an upper-end estimate.
    """
    facts = {"n_servers": "devries_servers", "server_power": "devries_server_power",
             "daily_users": "devries_daily_users", "requests_per_user": "devries_requests_per_user"}
    inputs = {name: _fact(fact_id) for name, fact_id in facts.items()}
    queries = _count("devries_daily_users") * _count("devries_requests_per_user")
    energy = query_energy_from_fleet(inputs["n_servers"], inputs["server_power"], queries)
    return QueryEstimate(
        label="de Vries 2023: ChatGPT request, servers at full power", energy=energy,
        published=_fact("devries_chatgpt_request_energy", "Wh"), fact_id="devries_chatgpt_request_energy",
        inputs=inputs, input_facts=facts,
        method="servers × server power × 24 h ÷ (daily users × requests per user)")


_GEMINI_PARTS = (("accelerators (TPU)", "gemini_tpu_share"), ("host CPU and DRAM", "gemini_host_share"),
                 ("idle capacity", "gemini_idle_share"), ("data-centre overhead", "gemini_overhead_share"))


def gemini_breakdown() -> dict:
    """Google's 0.24 Wh median Gemini prompt split into its published shares.

    Returns
    -------
    dict
        ``{part: energy in Wh}`` for ``"accelerators (TPU)"`` (58 %), ``"host CPU and DRAM"`` (25 %),
        ``"idle capacity"`` (10 %) and ``"data-centre overhead"`` (8 %). The shares are rounded and add
        up to 101 %, so the parts add up to ≈0.242 Wh.

    Examples
    --------
    >>> {part: round(e.magnitude, 4) for part, e in gemini_breakdown().items()}
    {'accelerators (TPU)': 0.1392, 'host CPU and DRAM': 0.06, 'idle capacity': 0.024, 'data-centre overhead': 0.0192}

    Notes
    -----
    Elsworth et al. (Google) 2025, arXiv:2508.15734 (facts ``gemini_median_prompt_energy``, V-S;
    shares ``gemini_*_share``, A31, confidence M). The accelerators are a bit over half of the full
    serving energy: an accelerator-only estimate (like :func:`roofline_query_energy` with the TDP and
    PUE 1) must be multiplied by ≈1.7–2.4 to compare (``gemini_full_to_narrow_boundary_ratio`` = 2.4
    compares with an even narrower "active accelerator only" boundary).
    """
    total = _fact("gemini_median_prompt_energy", "Wh")
    return {part: _result(total * _fact(fact_id).to("dimensionless"), "Wh") for part, fact_id in _GEMINI_PARTS}


def gemini_estimate() -> QueryEstimate:
    """Google's 0.24 Wh median Gemini text prompt as the sum of its breakdown (see :func:`gemini_breakdown`).

    Examples
    --------
    >>> print(gemini_estimate())
    Elsworth et al. 2025: Gemini median text prompt, full serving stack: 0.242 Wh (published: 0.24 Wh)

    Notes
    -----
    Elsworth et al. (Google) 2025. A measured median (May 2025), not a model: the reproduction only
    checks that the parts add up (the rounded shares sum to 101 %).
    """
    parts = gemini_breakdown()
    energy = _result(sum(parts.values(), Q_(0.0, "Wh")), "Wh")
    facts = {part: fact_id for part, fact_id in _GEMINI_PARTS}
    facts["total"] = "gemini_median_prompt_energy"
    inputs = {part: _fact(fact_id) for part, fact_id in facts.items()}
    return QueryEstimate(
        label="Elsworth et al. 2025: Gemini median text prompt, full serving stack", energy=energy,
        published=_fact("gemini_median_prompt_energy", "Wh"), fact_id="gemini_median_prompt_energy",
        inputs=inputs, input_facts=facts, method="sum of TPU, host, idle and overhead shares × 0.24 Wh")


#: Assumptions of this course (not sourced), with the reason for each. Used by :data:`ROOFLINE_SCENARIO`.
COURSE_ASSUMPTIONS = {
    "batch_size": (32, "sequences decoded together on one 8-GPU server; a round figure within the range "
                       "serving systems use (tens to hundreds); the result scales roughly as 1/batch"),
    "n_accelerators": (8, "one 8-GPU server (as in Epoch's DGX H100 power figure), so the 200 GB of bf16 "
                          "weights fit in 8 × 80 GB"),
    "kv_bytes_per_token": (327_680, "KV cache of a 70 B-class dense model with grouped-query attention "
                                    "(80 layers × 8 KV heads × 128 dims × K and V × 2 B = 320 KiB per token)"),
    "n_layers": (80, "a 70 B-class dense model, to add the (small) attention FLOPs"),
    "d_attn": (8192, "a 70 B-class dense model's width, to add the (small) attention FLOPs"),
    "utilisation": (0.5, "fraction of peak FLOP/s reachable when compute-bound; irrelevant while memory-bound"),
    "bandwidth_utilisation": (0.8, "fraction of the datasheet HBM bandwidth reached by decoding kernels"),
    "prefill_utilisation": (0.5, "fraction of peak reached while reading a prompt (compute-bound)"),
    "prefill_factor": (1.0, "default of query_energy: a prompt token costs as much as a generated token "
                            "(an upper bound for short prompts)"),
}

#: The course's GPT-4o-scale roofline scenario: Epoch AI's sourced inputs where they exist (model size,
#: tokens, H100, power per GPU, power fraction, PUE) plus :data:`COURSE_ASSUMPTIONS` for the rest.
ROOFLINE_SCENARIO = {
    "tokens_out": "epoch_gpt4o_output_tokens", "n_params": "epoch_gpt4o_active_params",
    "power": "epoch_power_per_gpu", "power_fraction": "epoch_power_fraction", "pue": "epoch_pue",
}


def _scenario_inputs() -> tuple[dict, dict]:
    inputs = {name: _fact(fact_id) for name, fact_id in ROOFLINE_SCENARIO.items()}
    inputs["accelerator"] = "H100"
    inputs["tokens_in"] = Q_(0, "token")
    for name in ("batch_size", "n_accelerators", "n_layers", "d_attn", "utilisation", "bandwidth_utilisation",
                 "prefill_utilisation"):
        inputs[name] = COURSE_ASSUMPTIONS[name][0]
    inputs["kv_bytes_per_token"] = Q_(COURSE_ASSUMPTIONS["kv_bytes_per_token"][0], "B/token")
    return inputs, dict(ROOFLINE_SCENARIO)


def roofline_estimate(batch_size=None) -> QueryEstimate:
    """The course's own GPT-4o-scale estimate: Epoch's inputs, but the roofline instead of a guessed utilisation.

    Parameters
    ----------
    batch_size : float or array_like, optional
        Sequences decoded together, at least 1. Default 32 (:data:`COURSE_ASSUMPTIONS`).

    Returns
    -------
    QueryEstimate
        Energy per query in Wh (≈0.35 Wh at batch 32, ≈0.18 Wh at batch 64); ``published`` is None.

    Examples
    --------
    >>> print(roofline_estimate())
    Course roofline scenario: 100 B active params on 8 × H100, batch 32: 0.351 Wh
    >>> print(roofline_estimate([16, 32, 64, 128]).energy)
    [0.6983 0.3514 0.178 0.09127] Wh

    Notes
    -----
    Sourced inputs (Epoch AI 2025): 100 B active parameters, 500 output tokens, H100, 1,275 W per GPU
    at 70 %, PUE 1.2. Course assumptions: see :data:`COURSE_ASSUMPTIONS`. At batch 32 the decode step
    is memory-bound with a model FLOP utilisation of ≈9 %, close to the 10 % Epoch assumed, which is
    why the two estimates agree: the roofline explains Epoch's "pessimistic" utilisation. Between
    batch 16 and 128 the estimate spans ≈0.1–0.7 Wh, bracketing the published 0.24–0.42 Wh.
    """
    inputs, facts = _scenario_inputs()
    if batch_size is not None:
        inputs["batch_size"] = batch_size
    energy = roofline_query_energy(**inputs)
    batch = inputs["batch_size"]
    batch_text = f"{batch:g}" if np.ndim(batch) == 0 else "various"
    return QueryEstimate(
        label=f"Course roofline scenario: 100 B active params on 8 × H100, batch {batch_text}", energy=energy,
        published=None, fact_id=None, inputs=inputs, input_facts=facts,
        method="tokens × roofline decode energy per token (power × step time ÷ batch × PUE)")


def published_estimates() -> list[QueryEstimate]:
    """The published per-query figures reproduced from their inputs, plus the course's roofline scenario.

    Returns
    -------
    list of QueryEstimate
        :func:`gemini_estimate`, :func:`epoch_estimate`, :func:`roofline_estimate`,
        :func:`devries_estimate`, in that order (ascending published value).

    Examples
    --------
    >>> for estimate in published_estimates():
    ...     print(estimate)
    Elsworth et al. 2025: Gemini median text prompt, full serving stack: 0.242 Wh (published: 0.24 Wh)
    You (Epoch AI) 2025: GPT-4o typical query on H100: 0.301 Wh (published: 0.3 Wh)
    Course roofline scenario: 100 B active params on 8 × H100, batch 32: 0.351 Wh
    de Vries 2023: ChatGPT request, servers at full power: 2.89 Wh (published: 2.9 Wh)
    """
    return [gemini_estimate(), epoch_estimate(), roofline_estimate(), devries_estimate()]


# --------------------------------------------------------------------------------------------------
# sensitivity: which assumption moves the answer most
# --------------------------------------------------------------------------------------------------

# Valid ranges of the inputs the sensitivity analysis may scale: (low, high), None for unbounded.
_BOUNDS = {
    "utilisation": (None, 1.0), "bandwidth_utilisation": (None, 1.0), "power_fraction": (None, 1.0),
    "prefill_utilisation": (None, 1.0), "load": (None, 1.0), "pue": (1.0, None), "batch_size": (1.0, None),
    "n_accelerators": (1.0, None), "overhead": (1.0, None),
}


class SensitivityRow(NamedTuple):
    """One assumption scaled down and up by the factor, the others held at their base values.

    ``low_value``/``high_value`` are the values used (clipped to the valid range, e.g. a PUE cannot go
    below 1; ``clipped`` says so); ``energy_low``/``energy_high`` the results; ``swing`` the ratio of
    the larger result to the smaller one (1 = no effect).
    """
    name: str
    base_value: object
    low_value: object
    high_value: object
    energy_low: pint.Quantity
    energy_high: pint.Quantity
    swing: float
    clipped: bool


class Sensitivity(NamedTuple):
    """Result of :func:`sensitivity`: the base answer and one row per assumption, largest swing first."""
    base: pint.Quantity
    rows: list
    factor: float

    @property
    def most_influential(self) -> str:
        """Name of the assumption with the largest swing (ties: alphabetical order)."""
        return self.rows[0].name

    def text(self, unit: str = "Wh") -> str:
        """A plain-text table (deterministic, for notebooks)."""
        lines = [f"base: {fmt(self.base, unit)}; each assumption ÷{self.factor:g} and ×{self.factor:g}",
                 f"{'assumption':<24}{'÷ → energy':>16}{'× → energy':>16}{'swing':>9}"]
        for row in self.rows:
            mark = " (clipped)" if row.clipped else ""
            lines.append(f"{row.name:<24}{fmt(row.energy_low, unit):>16}{fmt(row.energy_high, unit):>16}"
                         f"{row.swing:>8.2f}×{mark}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())


def _scaled(value, factor: float, name: str):
    """``value × factor`` clipped to the valid range of ``name``; (scaled value, clipped?)."""
    if is_quantity(value) and value.dimensionless:
        value = value.to("dimensionless")  # 70 percent → 0.7, so the bounds below apply
    magnitude = value.magnitude if is_quantity(value) else value
    scaled = np.asarray(magnitude, dtype=float) * factor
    low, high = _BOUNDS.get(name, (None, None))
    clipped = False
    if low is not None and np.any(scaled < low):
        scaled, clipped = np.maximum(scaled, low), True
    if high is not None and np.any(scaled > high):
        scaled, clipped = np.minimum(scaled, high), True
    scaled = float(scaled) if scaled.ndim == 0 else scaled
    return (Q_(scaled, value.units) if is_quantity(value) else scaled), clipped


def sensitivity(base_assumptions: Mapping | None = None, factor=2, model: Callable | None = None) -> Sensitivity:
    """One-at-a-time sensitivity: scale each numeric assumption by ÷factor and ×factor, see what moves.

    Parameters
    ----------
    base_assumptions : mapping, optional
        Keyword arguments of ``model`` (numbers or quantities; text such as an accelerator's name is
        held fixed). Default: the course's roofline scenario (:func:`roofline_estimate`'s inputs).
    factor : float, optional
        How far to move each assumption, greater than 1. Default 2 (halve and double).
    model : callable, optional
        The function giving the answer from the assumptions. Default :func:`roofline_query_energy`.
        Any of this module's per-query functions works, e.g. :func:`query_energy_from_flops` with
        :func:`epoch_estimate`'s ``inputs``.

    Returns
    -------
    Sensitivity
        ``base`` (the answer at the base values), ``rows`` (a :class:`SensitivityRow` per numeric
        assumption, largest swing first, ties in alphabetical order), ``factor``;
        ``.most_influential`` and ``.text()`` for a table.

    Raises
    ------
    TypeError
        ``base_assumptions`` not a mapping, ``model`` not callable, ``factor`` not a number.
    ValueError
        ``factor`` not greater than 1; the model rejects the base assumptions.

    Examples
    --------
    >>> result = sensitivity()
    >>> result.most_influential, round(result.rows[0].swing, 2)
    ('tokens_out', 4.08)
    >>> [row.name for row in result.rows if row.swing == 1.0]          # no effect while memory-bound
    ['d_attn', 'n_accelerators', 'n_layers', 'prefill_utilisation', 'tokens_in', 'utilisation']

    Notes
    -----
    Values are clipped to their valid range (fractions ≤ 1, PUE ≥ 1, batch ≥ 1), so a 70 % power
    fraction "doubled" becomes 100 %: such rows are marked ``clipped``. For a pure product (Epoch's
    method) every input swings the answer by the same factor²: then what matters is not the swing but
    how uncertain each input is. The roofline scenario is more telling: while decoding is
    memory-bound, the FLOP utilisation and the number of GPUs do not matter, the batch size does.
    """
    if model is None:
        model = roofline_query_energy
    if not callable(model):
        raise TypeError(f"model must be a function of the assumptions; got {type(model).__name__}.")
    if base_assumptions is None:
        base_assumptions = _scenario_inputs()[0]
    if not isinstance(base_assumptions, Mapping):
        raise TypeError(f"base_assumptions must be a mapping of keyword arguments (a dict); "
                        f"got {type(base_assumptions).__name__}.")
    k = float(as_quantity(factor, "dimensionless", "factor", allow_array=False).magnitude)
    if k <= 1:
        raise ValueError(f"factor must be greater than 1 (a plain number such as 2); got {k:g}.")
    base = dict(base_assumptions)
    base_energy = model(**base)
    rows = []
    for name, value in base.items():
        if isinstance(value, (str, bool)) or value is None:
            continue
        magnitude = value.magnitude if is_quantity(value) else value
        try:
            np.asarray(magnitude, dtype=float)
        except (TypeError, ValueError):
            continue
        low_value, clipped_low = _scaled(value, 1 / k, name)
        high_value, clipped_high = _scaled(value, k, name)
        energy_low = model(**{**base, name: low_value})
        energy_high = model(**{**base, name: high_value})
        values = np.array([np.max(np.asarray(e.to(base_energy.units).magnitude))
                           for e in (energy_low, energy_high, base_energy)])
        smallest, largest = values.min(), values.max()
        swing = float(largest / smallest) if smallest > 0 else (1.0 if largest == 0 else float("inf"))
        swing = round(swing, 12)
        rows.append(SensitivityRow(name, value, low_value, high_value, energy_low, energy_high, swing,
                                   clipped_low or clipped_high))
    rows.sort(key=lambda row: (-row.swing, row.name))
    return Sensitivity(base_energy, rows, k)


# --------------------------------------------------------------------------------------------------
# parallel vs sequential
# --------------------------------------------------------------------------------------------------

def amdahl_speedup(n_devices, serial_fraction) -> pint.Quantity:
    """Amdahl's law: the speedup of a fixed job on n devices when a fraction s stays serial.

    speedup = 1 / (s + (1 − s) / n); it can never exceed 1 / s.

    Parameters
    ----------
    n_devices : float or array_like
        Devices sharing the parallel part, at least 1 (a plain number).
    serial_fraction : pint.Quantity or float or array_like
        Share of the single-device run time that cannot be parallelised, in [0, 1].

    Returns
    -------
    pint.Quantity
        The speedup, a plain number (dimensionless quantity).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Fewer than 1 device, ``serial_fraction`` outside [0, 1], NaN or infinity.

    Examples
    --------
    >>> print(amdahl_speedup([1, 8, 64, 1e6], 0.05))
    [1 5.926 15.42 20]

    Notes
    -----
    Amdahl, G. M. 1967, "Validity of the single processor approach to achieving large scale
    computing capabilities", AFIPS Spring Joint Computer Conference 30:483–485 (fact
    ``amdahl_law_year``). Fixed problem size; :func:`parallel_run` adds energy, idle power and the
    cost of merging results.
    """
    n = _checked(n_devices, "dimensionless", "n_devices", minimum=1)
    s = _fraction(serial_fraction, "serial_fraction", allow_zero=True)
    return _result(1 / (s + (1 - s) / n), "dimensionless")


class ParallelRun(NamedTuple):
    """Time and energy of a job spread over devices (see :func:`parallel_run`).

    Attributes
    ----------
    latency : pint.Quantity
        Wall-clock time, s.
    throughput : pint.Quantity
        Useful work (the job's FLOPs, without merging) per second of wall-clock time, FLOP/s.
    energy : pint.Quantity
        Total energy, J: busy devices, idle devices waiting during serial phases, always-on power.
    speedup : pint.Quantity
        Latency of the sequential reference (one device, everything at ``utilisation``) ÷ latency.
    energy_ratio : pint.Quantity
        Energy ÷ energy of the sequential reference (below 1: parallelism saved energy).
    idle_energy : pint.Quantity
        Part of ``energy`` spent by devices idling during serial phases, J.
    merge_energy : pint.Quantity
        Part of ``energy`` spent merging partial results (busy power only), J.
    """
    latency: pint.Quantity
    throughput: pint.Quantity
    energy: pint.Quantity
    speedup: pint.Quantity
    energy_ratio: pint.Quantity
    idle_energy: pint.Quantity
    merge_energy: pint.Quantity


def parallel_run(work_flops, n_devices, serial_fraction, device_flops, device_power, idle_power=0,
                 merge_cost_fraction=0.0, utilisation=1.0, parallel_utilisation=None, static_power=0
                 ) -> ParallelRun:
    """Latency, throughput and energy of a job split over n devices, against running it on one.

    The job has W FLOP. A share s is serial: it runs on one device while the others wait at
    ``idle_power``. The rest is split evenly over the n devices. Each extra device adds merging work
    of ``merge_cost_fraction`` × W, done serially after the parallel part (the others idle again).
    The parallel part runs at ``parallel_utilisation`` of the device's peak, the serial parts at
    ``utilisation``. ``static_power`` (hosts, network, cooling that run regardless) is drawn for the
    whole wall-clock time.

    Parameters
    ----------
    work_flops : pint.Quantity or float or array_like
        The job's computation W, greater than 0; plain numbers in **FLOP**.
    n_devices : float or array_like
        Devices, at least 1 (a plain number).
    serial_fraction : pint.Quantity or float or array_like
        Share s of the work that cannot be split, in [0, 1].
    device_flops : pint.Quantity or float or array_like
        Peak throughput of one device, greater than 0; plain numbers in **FLOP/s**.
    device_power : pint.Quantity or float or array_like
        Power of a busy device, at least 0; plain numbers in **W**.
    idle_power : pint.Quantity or float or array_like, optional
        Power of a waiting device, at least 0; plain numbers in W. Default 0 (an idealisation: real
        accelerators idle at tens of percent of their TDP).
    merge_cost_fraction : pint.Quantity or float or array_like, optional
        Extra serial work per additional device, as a fraction of W, at least 0. Default 0.
    utilisation : pint.Quantity or float or array_like, optional
        Fraction of peak reached by the serial parts and by the sequential reference, in (0, 1].
        Default 1.
    parallel_utilisation : pint.Quantity or float or array_like, optional
        Fraction of peak reached by the parallel part, in (0, 1]. Default: ``utilisation``. Higher
        when the parallel pieces can be batched (e.g. independent samples decoded together share one
        read of the weights, :func:`energy_per_token`).
    static_power : pint.Quantity or float or array_like, optional
        Power drawn for the whole run regardless of the devices' activity, at least 0; plain numbers
        in W. Default 0.

    Returns
    -------
    ParallelRun
        ``latency`` (s), ``throughput`` (FLOP/s), ``energy`` (J), ``speedup`` and ``energy_ratio``
        against one device running everything at ``utilisation``, ``idle_energy`` and
        ``merge_energy`` (J).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Non-positive work or peak, fewer than 1 device, fractions out of range, negative powers.

    Examples
    --------
    >>> run = parallel_run(1e15, [1, 8], 0.05, 1e14, 700, idle_power=100)
    >>> print(run.speedup, run.energy_ratio)                # faster, but not cheaper
    [1 5.926] [1 1.05]
    >>> run = parallel_run(1e15, 8, 0.05, 1e14, 700, utilisation=0.1, parallel_utilisation=0.4)
    >>> print(run.energy_ratio)                             # batching the parallel part: cheaper too
    0.2875

    Notes
    -----
    Amdahl 1967 for the time (with no merging and equal utilisations, ``speedup`` equals
    :func:`amdahl_speedup`). Energy: busy power × busy device-time + idle power × idle device-time +
    static power × wall time. Consequences: with equal utilisations and no static power, spreading
    work **never saves energy** (idle devices and merging only add to it): it saves time. It saves
    energy when it raises utilisation (batching) or when always-on power is paid for less time.
    """
    w = _checked(work_flops, "FLOP", "work_flops", positive=True)
    n = _checked(n_devices, "dimensionless", "n_devices", minimum=1)
    s = _fraction(serial_fraction, "serial_fraction", allow_zero=True)
    peak = _checked(device_flops, "FLOP/s", "device_flops", positive=True)
    busy = _checked(device_power, "W", "device_power")
    idle = _checked(idle_power, "W", "idle_power")
    merge = _checked(merge_cost_fraction, "dimensionless", "merge_cost_fraction")
    util = _fraction(utilisation, "utilisation")
    par_util = util if parallel_utilisation is None else _fraction(parallel_utilisation, "parallel_utilisation")
    static = _checked(static_power, "W", "static_power")

    serial_work = s * w
    merge_work = merge * w * (n - 1)
    t_serial = ((serial_work + merge_work) / (peak * util)).to("s")
    t_merge = (merge_work / (peak * util)).to("s")
    t_parallel = ((1 - s) * w / (n * peak * par_util)).to("s")
    latency = t_serial + t_parallel
    busy_time = t_serial + n * t_parallel
    idle_time = (n - 1) * t_serial
    energy = busy * busy_time + idle * idle_time + static * latency
    t_reference = (w / (peak * util)).to("s")
    reference = (busy + static) * t_reference
    return ParallelRun(
        latency=_result(latency, "s"), throughput=_result(w / latency, "FLOP/s"), energy=_result(energy, "J"),
        speedup=_result(t_reference / latency, "dimensionless"),
        energy_ratio=_result(energy / reference, "dimensionless"),
        idle_energy=_result(idle * idle_time, "J"), merge_energy=_result(busy * t_merge, "J"),
    )
