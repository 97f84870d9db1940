"""A resistive crossbar: weights stored as conductances, a matrix–vector product by Ohm's and Kirchhoff's laws.

Each weight W_ij is held by a *differential pair* of devices, W_ij ∝ G⁺_ij − G⁻_ij, because a conductance
cannot be negative. Input i drives row i; device (i, j) passes a current G_ij·V_i (Ohm's law) into column j,
and the column wire adds the currents of all its devices (Kirchhoff's current law):

    I_j = Σ_i (G⁺_ij − G⁻_ij)·V_i        (amplitude encoding: the input is a voltage)
    Q_j = V_read·Σ_i (G⁺_ij − G⁻_ij)·t_i  (pulse-width encoding: the input is a duration at a fixed voltage)

Pulse widths need only one read voltage, so a device's non-linear current–voltage curve does not bend the
product; amplitudes need a linear device. With *bit slicing*, a weight's integer code is split into digits of a
few bits, each on its own pair of devices, and the digital periphery adds the columns' results shifted by
their significance.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...units import Q_, as_choice, as_quantity, as_whole
from ..digital.formats import quantize_uniform
from .pcm import pcm_model

__all__ = ["ConductanceMap", "to_conductance", "crossbar_mvm", "ENCODINGS"]

ENCODINGS = ("amplitude", "pulse_width")


@dataclass(frozen=True)
class ConductanceMap:
    """Weights mapped onto differential device pairs.

    Attributes
    ----------
    g_plus, g_minus : numpy.ndarray
        Target conductances in S, shape (slices, d_in, d_out).
    weight_per_siemens : numpy.ndarray
        For each slice, the weight one siemens of G⁺ − G⁻ stands for: W = Σ_k w_k·(G⁺_k − G⁻_k).
    g_min, g_max : float
        The device range, in S.
    """
    g_plus: np.ndarray
    g_minus: np.ndarray
    weight_per_siemens: np.ndarray
    g_min: float
    g_max: float

    @property
    def slices(self) -> int:
        return self.g_plus.shape[0]

    @property
    def devices(self) -> int:
        """Number of devices: two per weight per slice."""
        return 2 * self.g_plus.size

    def weights(self) -> np.ndarray:
        """The weights the targets stand for (exactly W without slicing; W on its integer grid with it)."""
        return np.tensordot(self.weight_per_siemens, self.g_plus - self.g_minus, axes=1)

    def quantities(self):
        """(G⁺, G⁻) as quantities in µS."""
        return Q_(self.g_plus, "S").to("uS"), Q_(self.g_minus, "S").to("uS")


def to_conductance(weights, g_max=None, g_min=0.0, slices: int = 1, bits_per_slice: int | None = None
                   ) -> ConductanceMap:
    """Map a weight matrix onto differential pairs of devices in [g_min, g_max].

    Parameters
    ----------
    weights : array_like
        The matrix W, shape (d_in, d_out) (plain numbers), or a vector.
    g_max : pint.Quantity, optional
        Largest device conductance; default the PCM model's 25 µS (Rasch et al. 2021).
    g_min : pint.Quantity or float, optional
        Smallest conductance, in S (plain numbers read in S); default 0. Both devices of a pair sit at g_min
        for a zero weight, so g_min cancels in G⁺ − G⁻.
    slices : int, optional
        Devices pairs per weight (default 1: one pair holds the weight as an analog value).
    bits_per_slice : int, optional
        Required when ``slices`` > 1: bits of the weight's magnitude each pair holds. The weight is first
        quantised to a signed integer of slices·bits_per_slice magnitude bits (the shared quantiser), then
        split into base-2^bits_per_slice digits, least significant first.

    Returns
    -------
    ConductanceMap
        G⁺ = g_min + max(W, 0)·s, G⁻ = g_min + max(−W, 0)·s with s = (g_max − g_min)/max|W| (per slice, the
        digit in place of |W|), and the factor that turns G⁺ − G⁻ back into a weight.

    Notes
    -----
    The largest |weight| uses the full range, the scheme of aihwkit's single-pair converter (Rasch et al.
    2021). Unused range (a layer with one outlier weight) wastes signal against noise, which is why
    weights are often clipped before mapping.
    """
    w = np.atleast_2d(np.asarray(as_quantity(weights, "dimensionless", "weights").magnitude, dtype=float))
    gmax = pcm_model().g_max if g_max is None else float(as_quantity(g_max, "S", "g_max", positive=True,
                                                                      allow_array=False).magnitude)
    gmin = float(as_quantity(g_min, "S", "g_min", nonnegative=True, allow_array=False).magnitude)
    if gmin >= gmax:
        raise ValueError(f"g_min must be below g_max (in S); got g_min = {gmin:.3g} S, g_max = {gmax:.3g} S.")
    k = as_whole(slices, "slices", minimum=1, maximum=8, exact=True, what="device pairs per weight")
    span = gmax - gmin
    peak = float(np.max(np.abs(w))) or 1.0
    if k == 1 and bits_per_slice is None:
        scale = span / peak
        plus, minus = np.maximum(w, 0) * scale + gmin, np.maximum(-w, 0) * scale + gmin
        return ConductanceMap(plus[None], minus[None], np.array([1 / scale]), gmin, gmax)
    if bits_per_slice is None:
        raise ValueError("bits_per_slice is needed when slices > 1: how many bits of each weight one device pair "
                         "holds (e.g. 2 or 4).")
    b = as_whole(bits_per_slice, "bits_per_slice", minimum=1, maximum=8, exact=True, what="bits")
    q = quantize_uniform(w, k * b + 1)          # signed codes with k·b magnitude bits
    magnitude, sign = np.abs(q.codes), np.sign(q.codes)
    base, top = 2 ** b, 2 ** b - 1
    digits = np.stack([(magnitude // base ** j) % base for j in range(k)]).astype(float)   # LSB first
    g = digits / top * span
    plus = np.where(sign > 0, g, 0.0) + gmin
    minus = np.where(sign < 0, g, 0.0) + gmin
    factors = q.scale * base ** np.arange(k) * top / span
    return ConductanceMap(plus, minus, factors, gmin, gmax)


def crossbar_mvm(g_plus, g_minus, inputs, encoding: str = "amplitude", v_read=0.2):
    """Column outputs of a crossbar: currents (amplitude) or charges (pulse width), by Ohm's and Kirchhoff's laws.

    Parameters
    ----------
    g_plus, g_minus : pint.Quantity or array_like
        Device conductances in S (plain numbers read in S), shape (d_in, d_out) or (slices, d_in, d_out).
    inputs : pint.Quantity or array_like
        Amplitude encoding: row voltages in V; pulse width: durations in s. Shape (d_in,) or (n, d_in).
    encoding : {"amplitude", "pulse_width"}
    v_read : pint.Quantity or float, optional
        The read voltage of pulse-width encoding, in V (default 0.2 V, a course assumption: low enough not
        to disturb a PCM device's state).

    Returns
    -------
    pint.Quantity
        I_j = Σ_i (G⁺_ij − G⁻_ij)·V_i in A, or Q_j = V_read·Σ_i (G⁺_ij − G⁻_ij)·t_i in C; shape
        (..., d_out), with a slice axis first when the conductances have one.
    """
    mode = as_choice(encoding, "encoding", ENCODINGS, aliases={"pulse": "pulse_width", "pwm": "pulse_width"})
    gp = np.asarray(as_quantity(g_plus, "S", "g_plus", nonnegative=True).magnitude, dtype=float)
    gm = np.asarray(as_quantity(g_minus, "S", "g_minus", nonnegative=True).magnitude, dtype=float)
    if gp.shape != gm.shape or gp.ndim not in (2, 3):
        raise ValueError(f"g_plus and g_minus must have the same shape, (d_in, d_out) or (slices, d_in, d_out); "
                         f"got {gp.shape} and {gm.shape}.")
    unit = "V" if mode == "amplitude" else "s"
    x = np.asarray(as_quantity(inputs, unit, "inputs", nonnegative=mode == "pulse_width").magnitude, dtype=float)
    if x.shape[-1:] != gp.shape[-2:-1]:
        raise ValueError(f"inputs must have {gp.shape[-2]} values per vector (one per row, {unit}); got shape "
                         f"{x.shape}.")
    out = x @ (gp - gm)                            # the column sums, every slice at once
    if mode == "amplitude":
        return Q_(out, "A")
    volts = float(as_quantity(v_read, "V", "v_read", positive=True, allow_array=False).magnitude)
    return Q_(volts * out, "C")
