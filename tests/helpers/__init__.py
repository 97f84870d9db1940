"""Helpers shared by the test files; the tests folder is on sys.path, so ``from helpers import mag``.

``fact_q`` and ``fact_mag`` read the registry without marking facts as used (``sources.get`` marks them).
"""
import functools

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st

from energylab import sources

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

#: Hypothesis settings of the property tests: 50 examples each, no deadline.
fast = settings(max_examples=50, deadline=None)


@functools.cache
def _facts():
    return sources.all_facts()


def fact_q(fact_id, unit=None):
    """A fact as a quantity, optionally converted to ``unit``."""
    q = _facts()[fact_id].q
    return q.to(unit) if unit else q


def fact_mag(fact_id, unit=None):
    """The magnitude of a fact, optionally converted to ``unit``."""
    return fact_q(fact_id, unit).magnitude


def mag(q, unit=None):
    """Magnitude of ``q`` (in ``unit`` when given) as a float array, for comparing with hand arithmetic."""
    return np.asarray((q.to(unit) if unit else q).magnitude, dtype=float)


def reals(lo, hi):
    """Finite floats from ``lo`` to ``hi``."""
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


def log_reals(lo_exp, hi_exp):
    """Floats spread evenly in log space, 10**lo_exp … 10**hi_exp."""
    return reals(lo_exp, hi_exp).map(lambda e: 10.0 ** e)
