"""Interactive explorers: a pure model, a few controls, and a figure updated in place.

Build every explorer on :class:`Explorer` (see :mod:`energylab.explore.base` for a worked
template). Importing this package does not import matplotlib or ipywidgets; they are loaded when
the first explorer is created and when its widget is first shown.
"""
from .base import Choice, Control, Explorer, Slider

__all__ = ["Explorer", "Slider", "Choice", "Control"]
