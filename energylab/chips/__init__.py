"""Chips: where the energy of computing goes, and how new kinds of hardware try to cut it.

One module per kind of hardware, imported on first use so ``import energylab.chips`` is instant:

* :mod:`energylab.chips.accelerators` — the catalogue of GPUs and TPUs (datasheet peak throughput,
  memory bandwidth and capacity, power), read by the workload models and the roofline;
* :mod:`energylab.chips.digital` — CMOS switching energy (αCV²f), the end of Dennard scaling, energy per
  operation and per memory access (Horowitz 2014), data movement, the roofline model on real GPUs,
  number formats and quantisation, the Landauer limit, interconnect energy per bit.

Sibling modules for analog in-memory, optical and neuromorphic computing live beside it when present.
"""
from __future__ import annotations

import importlib
import importlib.util

_SUBMODULES = {"accelerators", "digital", "analog", "optical", "neuromorphic"}

__all__ = ["accelerators", "digital"]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'energylab.chips' has no attribute {name!r}")


def __dir__():
    return sorted(set(__all__) | {name for name in _SUBMODULES
                                  if importlib.util.find_spec(f"{__name__}.{name}") is not None})
