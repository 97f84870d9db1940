"""The leaky integrate-and-fire (LIF) neuron: its membrane equation, its firing rate, and a simulation.

    τ dV/dt = −(V − V_rest) + R·I,

with a spike when V reaches V_th, then V = V_reset for a refractory time t_ref. For a constant current the
membrane settles towards D = V_rest + R·I; if D ≤ V_th it never fires, else the time from reset to threshold is
τ·ln((D − V_reset)/(D − V_th)), so the rate is

    r = 1 / (t_ref + τ·ln((D − V_reset)/(D − V_th))),

below 1/t_ref at any current. :func:`lif_simulate` integrates the equation exactly between steps (the membrane
relaxes by e^{−dt/τ} towards D each step), so it converges to the formula as dt → 0.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ...units import Q_, as_quantity

__all__ = ["LIFParams", "lif_rate", "lif_simulate", "rheobase"]


class LIFParams(NamedTuple):
    """A LIF neuron's constants (plain SI numbers: s, Ω, V)."""
    tau: float = 0.020
    resistance: float = 10e6
    v_rest: float = 0.0
    v_reset: float = 0.0
    v_th: float = 0.015
    t_ref: float = 0.002


def _params(tau, resistance, v_rest, v_reset, v_th, t_ref) -> LIFParams:
    p = LIFParams(
        float(as_quantity(tau, "s", "tau", positive=True, allow_array=False).magnitude),
        float(as_quantity(resistance, "ohm", "resistance", positive=True, allow_array=False).magnitude),
        float(as_quantity(v_rest, "V", "v_rest", allow_array=False).magnitude),
        float(as_quantity(v_reset, "V", "v_reset", allow_array=False).magnitude),
        float(as_quantity(v_th, "V", "v_th", allow_array=False).magnitude),
        float(as_quantity(t_ref, "s", "t_ref", nonnegative=True, allow_array=False).magnitude))
    if p.v_reset >= p.v_th:
        raise ValueError(f"v_reset must be below v_th (in V); got {p.v_reset} and {p.v_th}.")
    return p


def rheobase(tau=0.020, resistance=10e6, v_rest=0.0, v_th=0.015):
    """The smallest constant current that makes the neuron fire: (V_th − V_rest)/R, in nA."""
    r = as_quantity(resistance, "ohm", "resistance", positive=True, allow_array=False)
    return ((as_quantity(v_th, "V", "v_th") - as_quantity(v_rest, "V", "v_rest")) / r).to("nA")


def lif_rate(current, *, tau=0.020, resistance=10e6, v_rest=0.0, v_reset=0.0, v_th=0.015, t_ref=0.002):
    """Steady firing rate of a LIF neuron under a constant current.

    Parameters
    ----------
    current : pint.Quantity or array_like
        Input current I, in A (pass ``2 * u.nA``).
    tau, resistance, v_rest, v_reset, v_th, t_ref
        Membrane time constant (s), resistance (Ω), resting, reset and threshold voltages (V), refractory time
        (s). Defaults: 20 ms, 10 MΩ, 0, 0, 15 mV, 2 ms (a course choice; nengo's LIF uses τ = 20 ms and
        t_ref = 2 ms too).

    Returns
    -------
    pint.Quantity
        The rate in Hz: 0 at or below the rheobase, rising with the current, below 1/t_ref.
    """
    p = _params(tau, resistance, v_rest, v_reset, v_th, t_ref)
    i = np.asarray(as_quantity(current, "A", "current").magnitude, dtype=float)
    drive = p.v_rest + p.resistance * i
    with np.errstate(divide="ignore", invalid="ignore"):
        isi = p.t_ref + p.tau * np.log((drive - p.v_reset) / (drive - p.v_th))
        rate = np.where(drive > p.v_th, 1.0 / isi, 0.0)
    return Q_(rate, "Hz")


def lif_simulate(current, duration, dt, *, tau=0.020, resistance=10e6, v_rest=0.0, v_reset=0.0, v_th=0.015,
                 t_ref=0.002):
    """Simulate a LIF neuron under a current (constant, or one value per step) with the exact integrator.

    Parameters
    ----------
    current : pint.Quantity or array_like
        In A: one value, or one per time step.
    duration, dt : pint.Quantity or float
        Simulated time and step, in s.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, pint.Quantity)
        The membrane voltage at each step (V), the spike times (s), and the rate (Hz): one over the mean interval
        between spikes (0 with fewer than two spikes), the steady rate the formula gives.
    """
    p = _params(tau, resistance, v_rest, v_reset, v_th, t_ref)
    total = float(as_quantity(duration, "s", "duration", positive=True, allow_array=False).magnitude)
    step = float(as_quantity(dt, "s", "dt", positive=True, allow_array=False, maximum=total).magnitude)
    n = int(round(total / step))
    i = np.broadcast_to(np.asarray(as_quantity(current, "A", "current").magnitude, dtype=float), (n,))
    decay = np.exp(-step / p.tau)
    v, refractory = p.v_reset, 0.0
    trace, spikes = np.empty(n), []
    for k in range(n):
        if refractory > 0:
            refractory -= step
            v = p.v_reset
        else:
            drive = p.v_rest + p.resistance * i[k]
            v = drive + (v - drive) * decay
            if v >= p.v_th:
                # Time of the crossing within the step, from the exact solution, so rates do not snap to the grid.
                before = trace[k - 1] if k else p.v_reset
                frac = np.log((drive - before) / (drive - p.v_th)) * p.tau / step if drive > p.v_th else 1.0
                t_spike = (k + min(max(frac, 0.0), 1.0)) * step
                spikes.append(t_spike)
                refractory = p.t_ref - ((k + 1) * step - t_spike)
                v = p.v_reset
        trace[k] = v
    times = np.array(spikes)
    rate = 1.0 / float(np.mean(np.diff(times))) if len(times) >= 2 else 0.0
    return trace, times, Q_(rate, "Hz")
