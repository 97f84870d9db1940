"""Per query: the energy of one answer from tokens, from FLOPs, from a fleet, or from the roofline.

* :func:`query_energy`: (output + prefill_factor × input tokens) × energy per token;
* :func:`query_energy_from_flops`: Epoch AI's method, 2·N·tokens ÷ (peak × utilisation) × power;
* :func:`query_energy_from_fleet`: de Vries's method, servers × power × 24 h ÷ queries per day;
* :func:`roofline_query_energy`: prefill plus decode from the roofline model of :mod:`.per_token`.
"""
from __future__ import annotations

import pint

from .. import sources
from ..accounting import check_pue
from ..chips.accelerators import accelerator as _accelerator
from ..units import Q_, as_fraction, as_quantity, converted
from .per_token import _FLOP_PER_PARAM_TOKEN, energy_per_token, inference_flops_per_token

__all__ = ["query_energy", "query_energy_from_flops", "query_energy_from_fleet", "roofline_query_energy"]


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
    out = as_quantity(tokens_out, "token", "tokens_out", nonnegative=True)
    per_token = as_quantity(energy_per_token, "J/token", "energy_per_token", nonnegative=True)
    inp = as_quantity(tokens_in, "token", "tokens_in", nonnegative=True)
    factor = as_quantity(prefill_factor, "dimensionless", "prefill_factor", nonnegative=True)
    extra = as_quantity(overhead, "dimensionless", "overhead", minimum=1)
    return converted((out + factor * inp) * per_token * extra * check_pue(pue), "Wh")


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
    out = as_quantity(tokens_out, "token", "tokens_out", nonnegative=True)
    n = as_quantity(n_params, "param", "n_params", nonnegative=True)
    peak = as_quantity(peak_flops, "FLOP/s", "peak_flops", positive=True)
    util = as_fraction(utilisation, "utilisation")
    p = as_quantity(power, "W", "power", nonnegative=True)
    frac = as_fraction(power_fraction, "power_fraction")
    flops = sources.value(_FLOP_PER_PARAM_TOKEN) * n * out
    return converted(flops / (peak * util) * p * frac * check_pue(pue), "Wh")


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
    servers = as_quantity(n_servers, "dimensionless", "n_servers", positive=True)
    p = as_quantity(server_power, "kW", "server_power", nonnegative=True)
    queries = as_quantity(queries_per_day, "dimensionless", "queries_per_day", positive=True)
    share = as_fraction(load, "load")
    daily = servers * p * share * Q_(24, "h") * check_pue(pue)
    return converted(daily / queries, "Wh")


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
    out = as_quantity(tokens_out, "token", "tokens_out", nonnegative=True)
    inp = as_quantity(tokens_in, "token", "tokens_in", nonnegative=True)
    mean_context = inp + out / 2
    decode = energy_per_token(n_params, batch_size, accelerator, bytes_per_param, mean_context, kv_bytes_per_token,
                              precision, utilisation, power=power, power_fraction=power_fraction, pue=pue,
                              n_layers=n_layers, d_attn=d_attn, bandwidth_utilisation=bandwidth_utilisation,
                              n_accelerators=n_accelerators)
    device = _accelerator(accelerator)
    peak = device.peak(precision)
    p = as_quantity(device.power if power is None else power, "W", "power", nonnegative=True)
    prefill_util = as_fraction(prefill_utilisation, "prefill_utilisation")
    prefill_flops = inference_flops_per_token(n_params, inp / 2, n_layers, d_attn) * inp
    prefill = prefill_flops / (peak * prefill_util) * p * as_fraction(power_fraction, "power_fraction") * check_pue(pue)
    return converted(out * decode + prefill, "Wh")
