"""Small, seeded, real training experiments behind the course's claims about data and models.

Each module trains tiny numpy networks (:mod:`energylab.nn`) on synthetic data, counts every FLOP, and
turns the numbers into a conclusion that tests check for every seed.

Chapter 01, training and data:

* :mod:`~energylab.experiments.curation` — indiscriminate vs curated training data (article claim 2);
* :mod:`~energylab.experiments.synthetic` — label-preserving generated variants vs more real data (claim 4);
* :mod:`~energylab.experiments.simulation` — a simulator that oversamples a rare, safety-critical case (claim 3).

Chapter 02, inference and small models (claim 8):

* :mod:`~energylab.experiments.distillation` — a small student learning from a big teacher's soft outputs;
* :mod:`~energylab.experiments.quantization` — the same trained network in fewer bits, and the energy of
  its arithmetic;
* :mod:`~energylab.experiments.rightsizing` — the smallest network that meets an accuracy target.

Every module follows one protocol (:mod:`~energylab.experiments.protocol`) and offers the same three
functions::

    >>> from energylab.experiments import curation
    >>> result = curation.run(seed=0)          # one seed, every arm; a plain dataclass of numbers
    >>> curation.holds(result)                 # the stated conclusion, for this seed
    True
    >>> summary = curation.run_many(range(5))  # mean ± std per arm and a conclusion from the numbers
    >>> print(summary.conclusion)              # doctest: +SKIP

``run_many`` returns a :class:`~energylab.experiments.protocol.Summary`: the seeds, their results,
whether the conclusion held on each, every number as :class:`MeanStd` over the seeds and the
conclusion text generated from them. One seed of every experiment (all arms) runs in a fraction of a
second on one core. The modules use no global random state and print nothing; the same seed always
gives the same numbers.
"""
from __future__ import annotations

import importlib

from .protocol import MeanStd, joules, mean_std, per_group, run_seeds

__all__ = ["MeanStd", "mean_std", "joules", "run_seeds", "per_group", "protocol", "curation", "synthetic",
           "simulation", "distillation", "quantization", "rightsizing"]

_SUBMODULES = {"curation", "synthetic", "simulation", "distillation", "quantization", "rightsizing"}


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
