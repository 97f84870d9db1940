"""The energy of answering: inference FLOPs and memory traffic per token, batching, per-query estimates.

Three layers, each pure, unit-aware and vectorised like :mod:`energylab.models`:

1. **Per token.** :func:`inference_flops_per_token` (≈ 2·N FLOP, Kaplan et al. 2020) and a roofline
   model of one decoding step on a named accelerator (:func:`decode_step`, :func:`energy_per_token`,
   :func:`critical_batch_size`): each step reads the weights once for the whole batch and each
   sequence's KV cache, so small batches are limited by memory bandwidth and waste the chip's
   arithmetic; larger batches share the weight traffic until the step becomes compute-bound. What the
   model takes in memory: :func:`kv_cache_bytes_per_token`, :func:`model_shape` (layers and width from
   the size, course assumptions), :func:`accelerators_for_weights` and :func:`kv_cache_capacity`.
2. **Per query.** :func:`query_energy` (tokens × energy per token), :func:`roofline_query_energy`
   (the same from the roofline model), and reproductions of the published figures from their own
   inputs: :func:`epoch_estimate` (≈0.3 Wh), :func:`devries_estimate` (≈2.9 Wh),
   :func:`gemini_estimate` (0.24 Wh and its breakdown), plus the course's own roofline scenario
   :func:`roofline_estimate` (and its :func:`scenario_energy_per_token`); :func:`sensitivity` shows
   which assumption moves an answer most.
3. **Parallel vs sequential.** :func:`amdahl_speedup` and :func:`parallel_run`: when spreading work
   over devices saves energy and when it only saves time.

The package's modules follow these sections: :mod:`~energylab.inference.per_token`,
:mod:`~energylab.inference.memory`, :mod:`~energylab.inference.per_query`,
:mod:`~energylab.inference.estimates`, :mod:`~energylab.inference.sensitivity_analysis` and
:mod:`~energylab.inference.parallelism`; every public name is importable from
:mod:`energylab.inference` itself. The roofline's timing is :func:`energylab.chips.digital.kernel_time`
and its ridge point :func:`energylab.chips.digital.ridge_point` (re-exported here as :func:`ridge_point`).

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

from ..chips.digital import ridge_point
from .estimates import (
                        COURSE_ASSUMPTIONS,
                        ROOFLINE_SCENARIO,
                        QueryEstimate,
                        devries_estimate, devries_queries_per_second, devries_requests_per_day,
                        epoch_estimate,
                        gemini_breakdown,
                        gemini_estimate,
                        published_estimates,
                        roofline_estimate,
                        scenario_energy_per_token,
)
from .memory import (
                        ASPECT_RATIO,
                        HEAD_DIM,
                        KV_BYTES_PER_VALUE,
                        KV_HEADROOM,
                        KV_HEADS,
                        accelerators_for_weights,
                        kv_cache_bytes_per_token,
                        kv_cache_capacity,
                        model_shape,
)
from .parallelism import ParallelRun, amdahl_speedup, parallel_run
from .per_query import query_energy, query_energy_from_fleet, query_energy_from_flops, roofline_query_energy
from .per_token import DecodeStep, critical_batch_size, decode_step, energy_per_token, inference_flops_per_token
from .sensitivity_analysis import Sensitivity, SensitivityRow, sensitivity

__all__ = [
    # per token
    "inference_flops_per_token", "ridge_point", "DecodeStep", "decode_step", "energy_per_token",
    "critical_batch_size",
    # memory: KV cache, the course's model shape, what fits
    "kv_cache_bytes_per_token", "model_shape", "accelerators_for_weights", "kv_cache_capacity", "ASPECT_RATIO",
    "KV_HEADS", "HEAD_DIM", "KV_BYTES_PER_VALUE", "KV_HEADROOM",
    # per query
    "query_energy", "query_energy_from_flops", "query_energy_from_fleet", "roofline_query_energy",
    "QueryEstimate", "epoch_estimate", "devries_requests_per_day", "devries_queries_per_second",
    "devries_estimate", "gemini_breakdown", "gemini_estimate",
    "roofline_estimate", "published_estimates", "scenario_energy_per_token", "COURSE_ASSUMPTIONS",
    "ROOFLINE_SCENARIO", "SensitivityRow", "Sensitivity", "sensitivity",
    # parallel vs sequential
    "amdahl_speedup", "ParallelRun", "parallel_run",
]
