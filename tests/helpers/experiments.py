"""Cached experiment runs and deep equality, shared by the experiment tests."""
import dataclasses
import functools
import math

import numpy as np

from energylab.experiments import analog, curation, distillation, optical, quantization, rightsizing, simulation, \
    spiking, synthetic

MODULES = {"curation": curation, "synthetic": synthetic, "simulation": simulation,
           "distillation": distillation, "quantization": quantization, "rightsizing": rightsizing,
           "analog": analog, "optical": optical, "spiking": spiking}
RUN = {name: module.run for name, module in MODULES.items()}  # the real runs, before any monkeypatch
SEEDS = range(5)


@functools.cache
def result(name, seed):
    """One seed of one experiment, run once per test session."""
    return RUN[name](seed)


def same(a, b) -> bool:
    """Deep equality for result dataclasses: arrays element-wise, NaN equal to NaN."""
    if dataclasses.is_dataclass(a):
        return type(a) is type(b) and all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    return a == b
