"""The instructor's tools behind the ``energylab`` command; a student's kernel never imports them.

Submodules (imported on first use):

* :mod:`~energylab.instructor.assign` — exercise notebooks from the solutions notebooks (``energylab assign``);
* :mod:`~energylab.instructor.grade` — a folder of submissions into a CSV gradebook (``energylab grade``);
* :mod:`~energylab.instructor.app` — a chapter's explorers as a standalone Voilà page (``energylab app``);
* :mod:`~energylab.instructor.kernels` — running a notebook in a fresh kernel of this Python (``energylab
  run``, and what ``assign`` and ``grade`` share);
* :mod:`~energylab.instructor.cli` — the command line itself (``energylab …`` and ``python -m energylab …``).
"""
from __future__ import annotations

import importlib

_SUBMODULES = {"assign", "grade", "app", "kernels", "cli"}

__all__ = sorted(_SUBMODULES)


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
