"""The published per-query estimates reproduced from their own inputs, and the course's roofline scenario.

* :func:`epoch_estimate` (≈0.3 Wh, You (Epoch AI) 2025), :func:`devries_estimate` (≈2.9 Wh, de Vries
  2023), :func:`gemini_breakdown` and :func:`gemini_estimate` (0.24 Wh, Elsworth et al. 2025);
* :func:`roofline_estimate`: Epoch's inputs with the roofline instead of a guessed utilisation, built
  from :data:`ROOFLINE_SCENARIO` and :data:`COURSE_ASSUMPTIONS`; :func:`scenario_energy_per_token` is
  that scenario's energy per token at any batch and context;
* :func:`published_estimates`: all of them, ascending.
"""
from __future__ import annotations

from typing import NamedTuple
from collections.abc import Mapping

import numpy as np
import pint

from .. import sources
from ..units import Q_, converted, fmt
from .per_query import query_energy_from_fleet, query_energy_from_flops, roofline_query_energy
from .per_token import energy_per_token

__all__ = ["QueryEstimate", "epoch_estimate", "devries_estimate", "gemini_breakdown", "gemini_estimate",
           "COURSE_ASSUMPTIONS", "ROOFLINE_SCENARIO", "roofline_estimate", "scenario_energy_per_token",
           "published_estimates"]


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
    inputs = {name: sources.value(fact_id) for name, fact_id in facts.items()}
    energy = query_energy_from_flops(**inputs)
    return QueryEstimate(
        label="You (Epoch AI) 2025: GPT-4o typical query on H100", energy=energy,
        published=sources.value("epoch_gpt4o_query_energy", "Wh"), fact_id="epoch_gpt4o_query_energy",
        inputs=inputs, input_facts=facts,
        method="2·N·tokens FLOP ÷ (peak × utilisation) × power per GPU × power fraction × PUE")


def devries_requests_per_day() -> float:
    """ChatGPT requests per day in de Vries (2023): 13 million daily users × 15 requests each.

    Facts ``devries_daily_users`` and ``devries_requests_per_user`` (de Vries 2023, Joule 7(10)).
    """
    return sources.number("devries_daily_users") * sources.number("devries_requests_per_user")


def devries_queries_per_second() -> float:
    """Requests each server answers per second in de Vries (2023): requests per day ÷ servers ÷ 86,400 s."""
    return devries_requests_per_day() / sources.number("devries_servers") / (24 * 3600)


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
    inputs = {name: sources.value(fact_id) for name, fact_id in facts.items()}
    energy = query_energy_from_fleet(inputs["n_servers"], inputs["server_power"], devries_requests_per_day())
    return QueryEstimate(
        label="de Vries 2023: ChatGPT request, servers at full power", energy=energy,
        published=sources.value("devries_chatgpt_request_energy", "Wh"), fact_id="devries_chatgpt_request_energy",
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
    total = sources.value("gemini_median_prompt_energy", "Wh")
    return {part: converted(total * sources.value(fact_id, "dimensionless"), "Wh") for part, fact_id in _GEMINI_PARTS}


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
    energy = converted(sum(parts.values(), Q_(0.0, "Wh")), "Wh")
    facts = {part: fact_id for part, fact_id in _GEMINI_PARTS}
    facts["total"] = "gemini_median_prompt_energy"
    inputs = {part: sources.value(fact_id) for part, fact_id in facts.items()}
    return QueryEstimate(
        label="Elsworth et al. 2025: Gemini median text prompt, full serving stack", energy=energy,
        published=sources.value("gemini_median_prompt_energy", "Wh"), fact_id="gemini_median_prompt_energy",
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
    inputs = {name: sources.value(fact_id) for name, fact_id in ROOFLINE_SCENARIO.items()}
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


#: Inputs of :func:`energy_per_token` that :func:`scenario_energy_per_token` takes from the scenario.
_DECODE_INPUTS = ("kv_bytes_per_token", "utilisation", "power", "power_fraction", "pue", "n_layers", "d_attn",
                  "bandwidth_utilisation", "n_accelerators")


def scenario_energy_per_token(batch_size, context=0) -> pint.Quantity:
    """Energy per generated token in the course's roofline scenario, at any batch size and context.

    :func:`energy_per_token` with the inputs of :func:`roofline_estimate` (Epoch AI's 100 B active
    parameters on 8 × H100 at Epoch's power per GPU, power fraction and PUE, plus
    :data:`COURSE_ASSUMPTIONS`), except the batch size and the context, which are given.

    Parameters
    ----------
    batch_size : float or array_like
        Sequences decoded together, at least 1 (a plain number).
    context : pint.Quantity or float or array_like, optional
        Tokens already in each sequence, at least 0; plain numbers in **token**. For a whole answer or
        reasoning chain, its mean context (half its length, plus the prompt). Default 0.

    Returns
    -------
    pint.Quantity
        Energy per generated token, in J/token.

    Raises
    ------
    TypeError, ValueError
        As for :func:`energy_per_token`.

    Examples
    --------
    >>> print(scenario_energy_per_token(32, 250))          # a 500-token answer at batch 32
    2.53 J / tok
    >>> print(scenario_energy_per_token([1, 32, 128], 2250))
    [80.22 2.792 0.9191] J / tok

    Notes
    -----
    The KV cache of a long context is read at every step, so the energy per token grows with the
    context; a larger batch shares the weight traffic. See :func:`roofline_estimate` for the sources.
    """
    inputs = _scenario_inputs()[0]
    return energy_per_token(inputs["n_params"], batch_size, inputs["accelerator"], context=context,
                            **{name: inputs[name] for name in _DECODE_INPUTS})


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
