"""Charge-domain in-memory computing: products summed as charge on matched capacitors.

Each cell computes a 1-bit product (weight bit AND input bit) and charges its own capacitor C_i to V_dd or
leaves it at 0; shorting the column's capacitors shares the charge, so the column settles at

    V_out = Σ_i C_i·V_i / Σ_i C_i,

the *fraction* of cells whose product is 1. The result depends on capacitance *ratios*, set by lithography:
no programming noise, no drift, no static current, and a mismatch of about 0.1–1 % between neighbouring
capacitors (Jia et al. 2020; status M). Multi-bit weights and inputs are processed one bit plane at a time and
recombined digitally with weights 2^(a+b) — the "bit-scalable" scheme, whose energy grows with the product of
the bit widths.
"""
from __future__ import annotations

import numpy as np

from ...units import as_fraction, as_quantity, as_whole
from ..digital.formats import quantize_uniform
from .converters import adc

__all__ = ["charge_domain_mvm"]


def charge_domain_mvm(weights, inputs, *, weight_bits: int = 8, input_bits: int = 8, adc_bits: int | None = 8,
                      mismatch=0.0, seed=None) -> np.ndarray:
    """Matrix–vector products x @ W computed bit plane by bit plane on charge-sharing capacitor columns.

    Parameters
    ----------
    weights : array_like
        W, shape (d_in, d_out), plain numbers; quantised per tensor to ``weight_bits`` signed (the shared
        quantiser) and held as magnitude bit planes on a positive and a negative column.
    inputs : array_like
        x, shape (d_in,) or (n, d_in), ≥ 0 (activations after a ReLU, pixel intensities); quantised to
        ``input_bits`` unsigned.
    weight_bits, input_bits : int
        Widths, 2–12 and 1–12.
    adc_bits : int or None
        Resolution of the column ADC reading each plane's charge-shared voltage over 0…V_dd; None for an
        ideal readout.
    mismatch : float or pint.Quantity
        Relative standard deviation of each capacitor around its nominal value (0.001–0.01 is typical; a
        fraction or a percentage).
    seed : int or numpy.random.Generator, optional
        Draws the fixed mismatch of every capacitor.

    Returns
    -------
    numpy.ndarray
        The products, shape (..., d_out), in the units of x·W. With ``mismatch=0`` and ``adc_bits=None`` they
        equal the product of the quantised x and W exactly.
    """
    w = np.atleast_2d(np.asarray(as_quantity(weights, "dimensionless", "weights").magnitude, dtype=float))
    x = np.asarray(as_quantity(inputs, "dimensionless", "inputs", nonnegative=True,
                               hint="charge-domain rows take unsigned inputs (apply a ReLU first).").magnitude,
                   dtype=float)
    if x.shape[-1] != w.shape[0]:
        raise ValueError(f"inputs must have {w.shape[0]} values per vector (one per row); got shape {x.shape}.")
    bw = as_whole(weight_bits, "weight_bits", minimum=2, maximum=12, exact=True, what="bits")
    bx = as_whole(input_bits, "input_bits", minimum=1, maximum=12, exact=True, what="bits")
    sigma = float(as_fraction(mismatch, "mismatch", allow_zero=True, what="a relative mismatch").magnitude)
    rng = np.random.default_rng(seed)
    qw = quantize_uniform(w, bw)
    xmax = float(np.max(x)) or 1.0
    # The quantiser's narrowest width is 2 bits; with this step the codes stay within bx bits.
    qx = quantize_uniform(x, max(bx, 2), scale=xmax / (2 ** bx - 1), signed=False)
    n = w.shape[0]
    out = np.zeros(x.shape[:-1] + (w.shape[1],))
    for sign, column in ((1.0, np.maximum(qw.codes, 0)), (-1.0, np.maximum(-qw.codes, 0))):
        # Fixed capacitor values of this column group (one per cell), normalised per column.
        caps = 1.0 + sigma * rng.standard_normal(w.shape)
        share = caps / caps.sum(axis=0)
        for a in range(bw - 1):
            w_plane = (column >> a) & 1
            for b in range(bx):
                x_plane = ((qx.codes >> b) & 1).astype(float)
                fraction = x_plane @ (w_plane * share)          # V_out / V_dd on each column
                if adc_bits is not None:
                    fraction = adc(fraction, adc_bits, 1.0, signed=False)
                out += sign * 2.0 ** (a + b) * n * fraction
    return out * qw.scale * qx.scale
