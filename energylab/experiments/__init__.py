"""Small, seeded, real training experiments behind chapter 01's data claims (article claims 2, 3 and 4).

Each module trains tiny numpy networks (:mod:`energylab.nn`) on synthetic data, counts every FLOP, and
turns the numbers into a conclusion that tests check for every seed:

* :mod:`~energylab.experiments.curation` — indiscriminate vs curated training data (claim 2);
* :mod:`~energylab.experiments.synthetic` — label-preserving generated variants vs more real data (claim 4);
* :mod:`~energylab.experiments.simulation` — a simulator that oversamples a rare, safety-critical case (claim 3).

Every module offers the same three functions::

    >>> from energylab.experiments import curation
    >>> result = curation.run(seed=0)          # one seed, every arm; a plain dataclass of numbers
    >>> curation.holds(result)                 # the stated conclusion, for this seed
    True
    >>> summary = curation.run_many(range(5))  # mean ± std per arm and a conclusion from the numbers
    >>> print(summary.conclusion)              # doctest: +SKIP

One seed of every experiment (all arms) runs in a fraction of a second on one core. The modules use
no global random state and print nothing; the same seed always gives the same numbers.
"""
from __future__ import annotations

import importlib
import math
from dataclasses import dataclass

__all__ = ["MeanStd", "mean_std", "joules", "run_seeds", "per_group", "curation", "synthetic", "simulation", "distillation", "quantization",
           "rightsizing"]

_SUBMODULES = {"curation", "synthetic", "simulation", "distillation", "quantization", "rightsizing"}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def run_seeds(run, seeds) -> tuple[list, list]:
    """``(seeds, [run(seed) for seed in seeds])``, with the seeds as ints; at least one seed."""
    seeds = [int(s) for s in seeds]
    if not seeds:
        raise ValueError("seeds must name at least one seed.")
    return seeds, [run(s) for s in seeds]


def per_group(results, groups, attribute: str, field: str = "arms") -> dict:
    """``{group: MeanStd}`` of one attribute of each result's ``arms`` (or another dict field) over seeds."""
    return {g: mean_std([getattr(getattr(r, field)[g], attribute) for r in results]) for g in groups}


@dataclass(frozen=True)
class MeanStd:
    """Mean and sample standard deviation (ddof = 1) of a number over seeds.

    Printed as ``mean ± std`` (just the mean when only one value is finite, or all are equal).

    ``n_finite`` counts the seeds with a finite value; when some are infinite (e.g. a target never
    reached), ``mean`` and ``std`` are over the finite ones and ``n_finite < n``.
    """
    mean: float
    std: float
    n: int
    n_finite: int

    def __str__(self) -> str:
        return self.format()

    def format(self, spec: str = ".3g", scale: float = 1.0, unit: str = "", note: bool = True) -> str:
        """``'0.873 ± 0.012'``; values multiplied by ``scale`` first (e.g. 100 for percent).

        With ``note``, a mean over only some seeds says so: ``'... (in 4 of 5 seeds)'``.
        """
        if self.n_finite == 0:
            return "never"
        spread = f" ± {self.std * scale:{spec}}" if self.n_finite > 1 and self.std > 0 else ""
        text = f"{self.mean * scale:{spec}}{spread}{unit}"
        return text + self._note() if note else text

    def format_si(self, unit: str, sig: int = 2, note: bool = True) -> str:
        """With an SI prefix chosen from the mean: ``'39 ± 3.6 MFLOP'``, ``'0.13 ± 0.011 mJ'``."""
        if self.n_finite == 0:
            return "never"
        scale, prefix = next(((s, p) for s, p in _PREFIXES if abs(self.mean) >= s), _PREFIXES[-1])
        spread = f" ± {_round(self.std / scale, sig)}" if self.n_finite > 1 and self.std > 0 else ""
        text = f"{_round(self.mean / scale, sig)}{spread} {prefix}{unit}"
        return text + self._note() if note else text

    def _note(self) -> str:
        return f" (in {self.n_finite} of {self.n} seeds)" if self.n_finite < self.n else ""


_PREFIXES = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1.0, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n")]


def _round(x: float, sig: int) -> str:
    """``x`` to ``sig`` significant figures, without an exponent: 39.4 → '39', 3.56 → '3.6', 0 → '0'."""
    if x == 0 or not math.isfinite(x):
        return f"{x:g}"
    digits = sig - 1 - math.floor(math.log10(abs(x)))
    return f"{round(x, digits):.{max(digits, 0)}f}"


def mean_std(values) -> MeanStd:
    """:class:`MeanStd` of a sequence of numbers (infinite values left out of the mean and counted)."""
    values = [float(v) for v in values]
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return MeanStd(math.inf, math.nan, len(values), 0)
    mean = sum(finite) / len(finite)
    std = math.sqrt(sum((v - mean) ** 2 for v in finite) / (len(finite) - 1)) if len(finite) > 1 else 0.0
    return MeanStd(mean, std, len(values), len(finite))


def joules(flops, accelerator: str = "A100", utilisation: float = 0.4) -> float:
    """Energy in J to perform ``flops`` FLOPs on ``accelerator`` (bf16, 40 % of peak, PUE 1).

    A float wrapper over :func:`energylab.nn.energy_of`; infinite FLOPs (a target never reached)
    give infinite joules.
    """
    flops = float(flops)
    if math.isinf(flops):
        return math.inf
    from energylab import nn

    return float(nn.energy_of(flops, accelerator, utilisation).to("J").magnitude)
