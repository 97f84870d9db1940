"""energylab — the helper library of the course *Power-hungry AI*.

Submodules are imported on first use (``energylab.accounting``, ``energylab.sources`` …), so
``import energylab`` itself is instant and pulls in neither pint nor matplotlib. The instructor's
tools (``energylab assign``, ``grade``, ``run``, ``app``) live apart, in :mod:`energylab.instructor`, which
nothing a student's notebook imports ever loads.
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
    "units", "sources", "accounting", "models", "inference", "reasoning", "nn", "experiments", "chips", "cooling",
    "exercises",
    "explore", "plotting",
    "notebook", "instructor",
}

__all__ = sorted(_SUBMODULES) + ["__version__"]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'energylab' has no attribute {name!r}")


def __dir__():
    return __all__
