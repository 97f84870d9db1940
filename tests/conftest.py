"""Fixtures for the whole test suite."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def no_pyplot_figures():
    """No test may leave a pyplot figure open (explorers draw on their own Figure objects)."""
    plt.close("all")
    yield
    assert plt.get_fignums() == [], "a test leaked a pyplot figure"


@pytest.fixture(autouse=True)
def fresh_usage():
    """Every test starts and ends with no fact marked as used (what ``sources.references()`` lists)."""
    from energylab import sources
    sources.reset_used()
    yield
    sources.reset_used()
