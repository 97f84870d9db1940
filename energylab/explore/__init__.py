"""Interactive explorers: a pure model, a few controls, and a figure updated in place.

Build every explorer on :class:`Explorer` (see :mod:`energylab.explore.base` for a worked
template). Importing this package does not import matplotlib or ipywidgets; they are loaded when
the first explorer is created and when its widget is first shown.
"""
from types import MappingProxyType

from .base import Choice, Control, Explorer, LogSlider, Slider, SourcedControls

__all__ = ["Explorer", "Slider", "LogSlider", "Choice", "Control", "SourcedControls", "EXPLORERS"]

#: The chapter explorers (read-only): class name → the submodule of :mod:`energylab.explore` defining it.
#: Each is imported on first use (they need pint and the sources registry): ``energylab.explore.SiteExplorer``.
#: The app (``energylab app``), the tests and the benchmarks find every explorer here.
EXPLORERS = MappingProxyType({
    "DataCentreExplorer": "datacentre",  # chapter 00: a data centre's year
    "DemandExplorer": "demand",          # chapter 00: data-centre electricity to 2030
    "QueryExplorer": "queries",          # chapter 00: energy per chatbot query
    "TrainingBudgetExplorer": "training",  # chapter 01: compute-optimal size and a run's footprint
    "CurationExplorer": "curation",      # chapter 01: curated vs indiscriminate data
    "DecodeExplorer": "inference",       # chapter 02: energy and time per token vs batch (roofline)
    "ReasoningExplorer": "reasoning",    # chapter 02: accuracy vs energy as reasoning samples grow
    "ModelSizeExplorer": "models_size",  # chapter 02: the smallest model that meets a target
    "VoltageFrequencyExplorer": "cmos",  # chapter 03: dynamic power and the power wall
    "RooflineExplorer": "roofline",      # chapter 03: a matrix multiply on a GPU's roofline
    "AnalogDeploymentExplorer": "analog",  # chapter 04: a network on PCM tiles, accuracy vs energy
    "TileEnergyExplorer": "analog",      # chapter 04: a tile's energy by part vs the published chips
    "MeshExplorer": "photonics",         # chapter 05: an MZI mesh's fidelity and energy per MAC
    "LIFExplorer": "spikes",             # chapter 05: a leaky integrate-and-fire neuron, trace and rate
    "SpikeEnergyExplorer": "spikes",     # chapter 05: spikes vs MACs, the break-even activity
    "SiteExplorer": "site",              # chapter 06: a data centre's year by climate and cooling design
    "StorageExplorer": "storage",        # chapter 06: a chilled-water tank shifting a week of cooling
    "PeltierExplorer": "peltier",        # chapter 06: thermoelectric vs compressor vs Carnot COP
    "OwnershipExplorer": "economics",    # chapter 07: an H100's cost per used hour and electricity's share
    "TokenChainExplorer": "economics",   # chapter 07: joules per token to USD per million tokens and gCO2e
    "ReboundExplorer": "economics",      # chapter 07: efficiency gain × elasticity → total energy, backfire
    "GridDayExplorer": "carbon",         # chapter 07: a flexible job scheduled on average vs marginal carbon
})
__all__ += list(EXPLORERS)


def __getattr__(name: str):
    if name in EXPLORERS:
        import importlib
        return getattr(importlib.import_module(f"{__name__}.{EXPLORERS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
