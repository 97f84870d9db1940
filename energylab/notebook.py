"""The one setup call at the top of every chapter, solutions and exercises notebook."""
from __future__ import annotations

import numpy as np

from . import __version__

DEFAULT_SEED = 2025


def _version_tuple(text: str) -> tuple:
    return tuple(int(part) for part in text.split(".")[:3] if part.isdigit())


def setup(chapter: str, requires: str = "0.1", seed: int = DEFAULT_SEED) -> np.random.Generator:
    """Prepare a notebook: plot style, seeded randomness, a fresh reference list, a version check.

    Parameters
    ----------
    chapter : str
        Chapter number, e.g. ``"00"``; printed so a reader knows what is loaded.
    requires : str
        Oldest ``energylab`` version the notebook was written for.
    seed : int
        Seed for numpy's global generator and for the returned generator.

    Returns
    -------
    numpy.random.Generator
        A seeded generator for the notebook's own random numbers.

    Raises
    ------
    RuntimeError
        When the installed ``energylab`` is older than ``requires`` (with how to update it).
    """
    if _version_tuple(__version__) < _version_tuple(requires):
        raise RuntimeError(f"This notebook needs energylab {requires} or newer; {__version__} is installed. "
                           "Run `pip install -e .` in the course folder (or `make lab`).")
    from . import plotting, sources
    plotting.use_style()
    sources.reset_used()
    np.random.seed(seed)
    print(f"energylab {__version__} ready for chapter {chapter} (random seed {seed}).")
    return np.random.default_rng(seed)
