"""The accelerator catalogue: datasheet figures of the GPUs and TPUs the course computes with.

Hardware, so it lives with the chips (layer 3); the workload modules (:mod:`energylab.models`,
:mod:`energylab.inference`) and the digital-chip roofline read it from here. Every value is a fact of
:mod:`energylab.sources` with its id, so a notebook can cite it.

    >>> from energylab.chips.accelerators import accelerator
    >>> print(accelerator("H100").peak("bf16"))
    989.4 TFLOP / s
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from collections.abc import Mapping

import pint

from .. import sources

__all__ = ["Accelerator", "accelerator", "accelerators"]


@dataclass(frozen=True)
class Accelerator:
    """Datasheet figures of one accelerator, each a quantity with the id of the fact it comes from.

    Attributes
    ----------
    name : str
        Display name, e.g. ``"A100 (SXM 80 GB)"``.
    peak_flops : Mapping[str, pint.Quantity]
        Peak dense throughput by precision (``"bf16"``, ``"fp16"``, ``"fp32"``, ``"tf32"``, ``"fp8"``,
        ``"fp64"``), in TFLOP/s (a FLOP/s quantity). Only precisions the registry has are listed.
    memory_bandwidth : pint.Quantity or None
        Peak memory (HBM) bandwidth, a B/s quantity.
    memory : pint.Quantity or None
        Memory (HBM) capacity, a B quantity (GB or GiB as the source gives it).
    power : pint.Quantity or None
        Rated power in W: the TDP where the vendor publishes one; see ``power_basis``.
    power_basis : str
        What ``power`` is: ``"TDP"``, or ``"measured maximum"`` where the vendor publishes no TDP
        (TPU v4).
    measured_power : pint.Quantity or None
        A measured average power in W where one is published, else None.
    peak_flops_facts, memory_bandwidth_fact, memory_fact, power_fact, measured_power_fact
        The fact id of each value in :mod:`energylab.sources` (None where the value is None).
    """
    name: str
    peak_flops: Mapping[str, pint.Quantity]
    memory_bandwidth: pint.Quantity | None
    memory: pint.Quantity | None
    power: pint.Quantity | None
    power_basis: str
    measured_power: pint.Quantity | None
    peak_flops_facts: Mapping[str, str]
    memory_bandwidth_fact: str | None
    memory_fact: str | None
    power_fact: str | None
    measured_power_fact: str | None

    def __hash__(self) -> int:  # the mappings are not hashable; the name identifies the device
        return hash(self.name)

    def fact_ids(self) -> list[str]:
        """Every fact id behind this accelerator's values (for :func:`energylab.sources.references`)."""
        ids = list(dict.fromkeys(self.peak_flops_facts.values()))
        ids += [i for i in (self.memory_bandwidth_fact, self.memory_fact, self.power_fact,
                            self.measured_power_fact) if i]
        return ids

    def __str__(self) -> str:
        from ..formatting import fmt
        peaks = ", ".join(f"{p} {fmt(q, 'TFLOP/s', sig=4)}" for p, q in self.peak_flops.items())
        parts = [f"{self.name}: {peaks}"]
        if self.memory is not None:
            parts.append(f"memory {fmt(self.memory, sig=3)}")
        if self.memory_bandwidth is not None:
            parts.append(f"bandwidth {fmt(self.memory_bandwidth, 'GB/s', sig=4)}")
        if self.power is not None:
            parts.append(f"power {fmt(self.power, 'W', sig=3)} ({self.power_basis})")
        return "; ".join(parts)

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))

    def peak(self, precision: str = "bf16") -> pint.Quantity:
        """Peak dense throughput at ``precision`` (case-insensitive), or a ValueError listing the ones known."""
        if not isinstance(precision, str) or precision.lower() not in self.peak_flops:
            raise ValueError(f"precision: the {self.name} has no {precision!r} peak in the sources registry; "
                             f"choose one of {', '.join(map(repr, self.peak_flops))}.")
        return self.peak_flops[precision.lower()]

    def rated_power(self) -> pint.Quantity:
        """``power``, or a ValueError when the registry has no power figure for this device."""
        if self.power is None:
            raise ValueError(f"the {self.name} has no power figure in the sources registry.")
        return self.power

    def bandwidth(self) -> pint.Quantity:
        """``memory_bandwidth``, or a ValueError when the registry has no bandwidth for this device."""
        if self.memory_bandwidth is None:
            raise ValueError(f"the {self.name} has no memory bandwidth in the sources registry.")
        return self.memory_bandwidth

    def capacity(self) -> pint.Quantity:
        """``memory`` (HBM capacity), or a ValueError when the registry has no memory size for this device."""
        if self.memory is None:
            raise ValueError(f"the {self.name} has no memory capacity in the sources registry.")
        return self.memory


# name -> (display name, {precision: fact id}, bandwidth, memory, power, power basis, measured power)
_ACCELERATORS = {
    "V100": ("V100 (SXM2 32 GB)",
             {"fp16": "v100_fp16_tensor_flops", "fp32": "v100_fp32_flops"},
             "v100_memory_bandwidth", "v100_sxm2_memory", "v100_tdp", "TDP", "gpt3_gpu_power"),
    "A100": ("A100 (SXM 80 GB)",
             {"bf16": "a100_bf16_dense_flops", "fp16": "a100_bf16_dense_flops",
              "tf32": "a100_tf32_dense_flops", "fp32": "a100_fp32_flops"},
             "a100_80gb_memory_bandwidth", "a100_80gb_memory", "a100_sxm_power", "TDP", None),
    "H100": ("H100 (SXM5 80 GB)",
             {"bf16": "h100_sxm_bf16_dense_flops", "fp16": "h100_sxm_bf16_dense_flops",
              "fp8": "h100_sxm_fp8_dense_flops", "tf32": "h100_sxm_tf32_dense_flops",
              "fp64": "h100_sxm_fp64_tensor_flops"},
             "h100_sxm_memory_bandwidth", "h100_sxm_memory", "h100_sxm_power", "TDP", None),
    "TPU v3": ("TPU v3", {"bf16": "tpu_v3_bf16_flops"},
               "tpu_v3_memory_bandwidth", "tpu_v3_memory", "tpu_v3_tdp", "TDP", "tpu_v3_measured_mean_power"),
    "TPU v4": ("TPU v4", {"bf16": "tpu_v4_bf16_flops"},
               "tpu_v4_memory_bandwidth", "tpu_v4_memory", "tpu_v4_measured_max_power",
               "measured maximum", "tpu_v4_measured_mean_power"),
}
_ALIASES = {"v100": "V100", "teslav100": "V100", "v100sxm2": "V100",
            "a100": "A100", "a100sxm": "A100", "a10080gb": "A100", "a100sxm80gb": "A100",
            "h100": "H100", "h100sxm": "H100", "h100sxm5": "H100",
            "tpuv3": "TPU v3", "tpuv4": "TPU v4"}


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def _value(fact_id):
    return None if fact_id is None else sources.value(fact_id)


def accelerator(name) -> Accelerator:
    """Datasheet figures of one accelerator, built from the sources registry.

    Parameters
    ----------
    name : str or Accelerator
        ``"V100"`` (SXM2 32 GB), ``"A100"`` (SXM 80 GB), ``"H100"`` (SXM5), ``"TPU v3"`` or
        ``"TPU v4"``; case, spaces and hyphens are ignored (``"tpu-v4"`` works). An
        :class:`Accelerator` is returned unchanged.

    Returns
    -------
    Accelerator
        Peak throughput by precision, memory bandwidth and capacity, power, and each value's fact id.

    Raises
    ------
    ValueError
        Unknown name (the message lists the known ones).
    TypeError
        ``name`` is neither text nor an :class:`Accelerator`.

    Examples
    --------
    >>> print(accelerator("H100").peak_flops["bf16"])
    989.4 TFLOP / s

    Notes
    -----
    NVIDIA datasheets for the V100, A100 and H100 (facts ``v100_*``, ``a100_*``, ``h100_sxm_*``);
    Google Cloud TPU documentation for TPU v3 and v4; TDPs of the V100 and TPU v3 as listed by
    Patterson et al. 2021. Power is the TDP except for the TPU v4, for which Google publishes only
    measured power (90/170/192 W min/mean/max): its ``power`` is the measured maximum, which is not
    comparable with a TDP. Peaks are dense (no 2:4 sparsity), the best case: real training reaches
    a fraction (see :func:`energylab.models.implied_utilisation`).
    """
    if isinstance(name, Accelerator):
        return name
    if not isinstance(name, str):
        raise TypeError(f"name must be an accelerator's name such as 'A100', or an Accelerator; "
                        f"got {type(name).__name__} {name!r}.")
    key = _ALIASES.get(_key(name))
    if key is None:
        raise ValueError(f"name must be one of {', '.join(map(repr, _ACCELERATORS))}; got {name!r}.")
    device = _built(key)
    for fact_id in device.fact_ids():   # a cached device still counts its facts as used (for the references)
        sources.get(fact_id)
    return device


@cache
def _built(key: str) -> Accelerator:
    """The Accelerator of a canonical name, built once: it is immutable, and callers ask for it often."""
    display, peaks, bandwidth, memory, power, basis, measured = _ACCELERATORS[key]
    return Accelerator(
        name=display,
        peak_flops=MappingProxyType({p: sources.value(i) for p, i in peaks.items()}),
        memory_bandwidth=_value(bandwidth), memory=_value(memory), power=_value(power),
        power_basis=basis, measured_power=_value(measured),
        peak_flops_facts=MappingProxyType(dict(peaks)), memory_bandwidth_fact=bandwidth,
        memory_fact=memory, power_fact=power, measured_power_fact=measured,
    )


def accelerators() -> list[Accelerator]:
    """Every accelerator the registry describes, oldest first: V100, A100, H100, TPU v3, TPU v4.

    Returns
    -------
    list of Accelerator
        See :func:`accelerator`.
    """
    return [accelerator(name) for name in _ACCELERATORS]
