"""Per generated token: the FLOPs of a forward pass and the roofline of one decoding step.

* :func:`inference_flops_per_token`: ≈ 2·N FLOP plus the attention term (Kaplan et al. 2020);
* :func:`decode_step`: one decoding step of a batch on a named accelerator, timed on the roofline by
  :func:`energylab.chips.digital.kernel_time` (the weights read once for the whole batch, each
  sequence's KV cache read too);
* :func:`energy_per_token`: power × step time ÷ batch × PUE;
* :func:`critical_batch_size`: where the step turns from memory-bound to compute-bound.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from .. import sources
from ..accounting import check_pue
from ..chips.accelerators import accelerator as _accelerator
from ..chips.digital import kernel_time, ridge_point
from ..units import Q_, as_fraction, as_quantity, converted
from .memory import kv_cache_bytes_per_token

__all__ = ["inference_flops_per_token", "DecodeStep", "decode_step", "energy_per_token", "critical_batch_size"]

# Fact ids of the constants used here (see energylab/data/sources.toml).
_FLOP_PER_PARAM_TOKEN = "kaplan_inference_flop_per_param_token"  # the 2 of ≈ 2·N FLOP per token


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
    n = as_quantity(n_params, "param", "n_params", nonnegative=True)
    ctx = as_quantity(context, "token", "context", nonnegative=True)
    two = sources.value(_FLOP_PER_PARAM_TOKEN)
    flops = two * n  # FLOP/token
    if (n_layers is None) != (d_attn is None):
        raise TypeError("give both n_layers and d_attn (plain numbers) for the attention term, or neither.")
    if n_layers is not None:
        layers = as_quantity(n_layers, "dimensionless", "n_layers", positive=True)
        width = as_quantity(d_attn, "dimensionless", "d_attn", positive=True)
        per_mac = float(two.to("FLOP/param/token").magnitude)  # FLOP per multiply-add
        attention = per_mac * layers.magnitude * ctx.magnitude * width.magnitude
        flops = flops + Q_(attention, "FLOP/token")
    return converted(flops, "FLOP/token")


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
        return as_quantity(kv_bytes_per_token, "B/token", "kv_bytes_per_token", nonnegative=True)
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
    step time = max(FLOPs / (peak × utilisation), bytes / (bandwidth × bandwidth_utilisation)), the
    roofline timing of :func:`energylab.chips.digital.kernel_time` (a tie counts as memory-bound).

    Parameters
    ----------
    n_params : pint.Quantity or float or array_like
        Parameters per token, greater than 0; plain numbers in **param**.
    batch_size : float or array_like
        Sequences decoded together, at least 1 (a plain number). Vectorised: pass an array to sweep.
    accelerator : str or Accelerator
        A name accepted by :func:`energylab.chips.accelerators.accelerator`: ``"V100"``, ``"A100"``, ``"H100"``,
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
    n = as_quantity(n_params, "param", "n_params", positive=True)
    batch = as_quantity(batch_size, "dimensionless", "batch_size", minimum=1)
    b = as_quantity(bytes_per_param, "B/param", "bytes_per_param", positive=True)
    ctx = as_quantity(context, "token", "context", nonnegative=True)
    util = as_fraction(utilisation, "utilisation")
    bw_util = as_fraction(bandwidth_utilisation, "bandwidth_utilisation")
    n_acc = as_quantity(n_accelerators, "dimensionless", "n_accelerators", minimum=1)
    device = _accelerator(accelerator)
    peak, bandwidth = device.peak(precision), device.bandwidth()
    per_token = inference_flops_per_token(n, ctx, n_layers, d_attn)
    kv = _kv_per_token(kv_bytes_per_token, n_layers, d_attn, ctx)

    one_token = Q_(1, "token")
    flops = per_token * one_token * batch
    traffic = n * b + kv * ctx * batch
    peak_total = peak * n_acc
    timing = kernel_time(flops, traffic, peak_total * util, bandwidth * n_acc * bw_util)
    step = timing.time
    return DecodeStep(
        compute_time=timing.compute_time, memory_time=timing.memory_time, step_time=step, bound=timing.bound,
        tokens_per_second=converted(batch * one_token / step, "token/s"),
        latency=converted(step / one_token, "s/token"),
        flops=converted(flops, "FLOP"), bytes=converted(traffic, "B"),
        intensity=converted(flops / traffic, "FLOP/B"),
        mfu=converted(flops / (peak_total * step), "dimensionless"),
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
        rated power (TDP, :func:`energylab.chips.accelerators.accelerator`). Pass a server's share per
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
    device = _accelerator(accelerator)
    if power is None:
        if device.power is None:
            raise ValueError(f"the {device.name} has no power figure in the sources registry; pass power=... (W).")
        power = device.power
    p = as_quantity(power, "W", "power", nonnegative=True)
    frac = as_fraction(power_fraction, "power_fraction")
    pue_q = check_pue(pue)
    n_acc = as_quantity(n_accelerators, "dimensionless", "n_accelerators", minimum=1)
    batch = as_quantity(batch_size, "dimensionless", "batch_size", minimum=1)
    energy = p * n_acc * frac * step.step_time / (batch * Q_(1, "token")) * pue_q
    return converted(energy, "J/token")


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
    n = as_quantity(n_params, "param", "n_params", positive=True)
    b = as_quantity(bytes_per_param, "B/param", "bytes_per_param", positive=True)
    ctx = as_quantity(context, "token", "context", nonnegative=True)
    util = as_fraction(utilisation, "utilisation")
    bw_util = as_fraction(bandwidth_utilisation, "bandwidth_utilisation")
    device = _accelerator(accelerator)
    peak, bandwidth = device.peak(precision), device.bandwidth()
    per_sequence_flops = (inference_flops_per_token(n, ctx, n_layers, d_attn) * Q_(1, "token")).to("FLOP")
    kv = _kv_per_token(kv_bytes_per_token, n_layers, d_attn, ctx)
    weights = (n * b).to("B").magnitude
    per_sequence_bytes = (kv * ctx).to("B").magnitude
    ridge = ridge_point(peak=peak * util, bandwidth=bandwidth * bw_util).magnitude   # the effective ridge
    denominator = per_sequence_flops.magnitude / ridge - per_sequence_bytes
    with np.errstate(divide="ignore", invalid="ignore"):
        batch = np.where(denominator > 0, weights / np.where(denominator > 0, denominator, 1.0), np.inf)
    return converted(Q_(batch, "dimensionless"), "dimensionless")
