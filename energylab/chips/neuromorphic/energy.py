"""An energy ledger for spiking hardware, and when spikes beat multiply-accumulates.

A spiking layer pays for what happens, not for what could: E = E_syn·(synaptic events) + E_upd·(neuron updates)
+ P_static·t. A dense layer of fan-in F pays F·E_MAC per output; the spiking one F·s̄·E_syn, with s̄ the spikes
per input neuron per inference, so spikes win only below the break-even activity s̄* = E_MAC / E_syn. Published
energies per event differ in what they include (an "all-in" figure with static power shared out, or one term of
a ledger): never add an all-in figure to the other terms.
"""
from __future__ import annotations

import numpy as np

from ...units import as_quantity

__all__ = ["spike_energy", "breakeven_spikes", "synaptic_power", "rate_code_bits", "spikes_for_bits"]


def spike_energy(synaptic_events, energy_per_event, *, neuron_updates=0, energy_per_update=0.0,
                 static_power=0.0, duration=0.0):
    """Energy of a spiking workload: events × energy per event + updates × energy per update + static × time.

    Parameters
    ----------
    synaptic_events : float or array_like
        Spikes delivered to synapses (a spike reaching 128 synapses is 128 events).
    energy_per_event, energy_per_update : pint.Quantity
        In J (pJ is usual).
    neuron_updates : float
        Neuron state updates (per time step, for a clocked design).
    static_power : pint.Quantity
        In W; ``duration`` in s.

    Returns
    -------
    pint.Quantity
        In nJ. Linear in every count; with no events only the updates and static power remain.
    """
    events = as_quantity(synaptic_events, "dimensionless", "synaptic_events", nonnegative=True)
    updates = as_quantity(neuron_updates, "dimensionless", "neuron_updates", nonnegative=True)
    total = (events * as_quantity(energy_per_event, "J", "energy_per_event", nonnegative=True)
             + updates * as_quantity(energy_per_update, "J", "energy_per_update", nonnegative=True)
             + as_quantity(static_power, "W", "static_power", nonnegative=True)
             * as_quantity(duration, "s", "duration", nonnegative=True))
    return total.to("nJ")


def breakeven_spikes(energy_per_mac, energy_per_event) -> float:
    """s̄* = E_MAC / E_syn: the spikes per input neuron per inference below which a spiking layer costs less."""
    mac = as_quantity(energy_per_mac, "J", "energy_per_mac", positive=True)
    syn = as_quantity(energy_per_event, "J", "energy_per_event", positive=True)
    ratio = (mac / syn).to("dimensionless").magnitude
    return float(ratio) if np.ndim(ratio) == 0 else ratio


def synaptic_power(rate, active_synapses, neurons, energy_per_event):
    """Power of a chip whose neurons fire at ``rate`` (Hz), each spike reaching ``active_synapses`` synapses:
    rate × synapses × neurons × energy per event, in mW (TrueNorth's operating point: 20 Hz, 128, 1,048,576)."""
    r = as_quantity(rate, "Hz", "rate", nonnegative=True)
    syn = as_quantity(active_synapses, "dimensionless", "active_synapses", nonnegative=True)
    n = as_quantity(neurons, "dimensionless", "neurons", nonnegative=True)
    return (r * syn * n * as_quantity(energy_per_event, "J", "energy_per_event", nonnegative=True)).to("mW")



def rate_code_bits(spikes) -> float:
    """Bits of precision a Poisson rate code carries with ``spikes`` expected spikes: ½·log₂(n).

    A count of n Poisson spikes has a standard deviation √n, so it resolves about √n levels: log₂ √n bits. The
    inverse, :func:`spikes_for_bits`, is why rate coding is expensive: each extra bit costs 4× the spikes.
    """
    n = as_quantity(spikes, "dimensionless", "spikes", positive=True).magnitude
    return 0.5 * np.log2(n)


def spikes_for_bits(bits):
    """Expected spikes a Poisson rate code needs for ``bits`` of precision: 4^B (the inverse of
    :func:`rate_code_bits`)."""
    b = as_quantity(bits, "dimensionless", "bits", nonnegative=True).magnitude
    return 4.0 ** b
