"""Neuromorphic (spiking) computing (chapter 05, in progress).

* :mod:`.lif` — the leaky integrate-and-fire neuron: its rate formula and an exact-integrator simulation;
* :mod:`.energy` — the energy ledger of spiking hardware and the break-even activity against a MAC.

Currents in A (nA is usual), voltages in V, times in s, rates in Hz.
"""
from __future__ import annotations

from .energy import breakeven_spikes, rate_code_bits, spike_energy, spikes_for_bits, synaptic_power
from .lif import LIFParams, lif_rate, lif_simulate, rheobase

__all__ = ["LIFParams", "lif_rate", "lif_simulate", "rheobase", "spike_energy", "breakeven_spikes",
           "synaptic_power", "rate_code_bits", "spikes_for_bits"]
