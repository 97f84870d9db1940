"""Neuromorphic (spiking) computing (chapter 05, in progress).

* :mod:`.lif` — the leaky integrate-and-fire neuron: its rate formula and an exact-integrator simulation.

Currents in A (nA is usual), voltages in V, times in s, rates in Hz.
"""
from __future__ import annotations

from .lif import LIFParams, lif_rate, lif_simulate, rheobase

__all__ = ["LIFParams", "lif_rate", "lif_simulate", "rheobase"]
