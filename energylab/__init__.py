"""energylab — the helper library of the course *Power-hungry AI*.

Submodules are imported on first use (``energylab.accounting``, ``energylab.sources`` …), so
``import energylab`` itself is instant and pulls in neither pint nor matplotlib. The instructor's
tools (``energylab assign``, ``grade``, ``run``, ``app``) live apart, in :mod:`energylab.instructor`, which
nothing a student's notebook imports ever loads.

Layers, lowest first. A module imports only from its own layer or a lower one (lazy imports inside
functions included), and no two modules import each other; ``tests/test_architecture.py`` reads every
module's imports and enforces this list, so a new module must be placed here:

1. units, formatting, sources, datasets, randomness — the one pint registry and validator family, numbers as text,
   cited facts, the small real data sets shipped with the course, seeded noise
2. accounting, plotting, grid — energy arithmetic (PUE, carbon, water, cost), figure style and alt text, hourly
   grid carbon and price profiles and carbon-aware scheduling
3. chips, cooling, economics — hardware (accelerator catalogue, digital chips), data-centre sites, costs and prices
4. models, inference, reasoning, nn — what AI workloads compute, and tiny numpy networks
5. experiments — seeded experiments on layers 1–4 that report accuracy and energy together
6. exercises, explore, meter, notebook — what a student's kernel uses: checks, explorers, energy measurement,
   the setup cell
7. instructor, __main__ — assigning, running, grading and serving notebooks; never imported by layer 6

A new chapter adds its modules in the layer where they belong (an analog or optical chip in ``chips``).
"""
from __future__ import annotations

import importlib
import os

# The course's matrices are tiny (tens to hundreds of rows): a multi-threaded BLAS spends more time
# starting threads than multiplying. One thread, unless the user chose otherwise; this only takes effect
# when energylab is imported before numpy, as the notebooks' setup cell does.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

__version__ = "0.1.0"

_SUBMODULES = {
    "units", "formatting", "sources", "datasets", "randomness", "accounting", "plotting", "grid", "chips", "cooling",
    "economics", "models", "inference", "reasoning", "nn", "experiments", "exercises", "explore", "meter", "notebook",
    "instructor",
}

__all__ = sorted(_SUBMODULES) + ["__version__"]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'energylab' has no attribute {name!r}")


def __dir__():
    return __all__
