"""IR drop: the wires of a crossbar have resistance, so devices far from the driver see less than V_in.

A row wire is driven at one end; between consecutive devices it has a segment of resistance r, and device k
conducts G_k from the wire to the column (held at virtual ground). Kirchhoff's current law at each node k
gives a tridiagonal system (the "ladder"), for V_0 = V_in and an open far end:

    (V_{k−1} − V_k)/r − (V_k − V_{k+1})/r − G_k·V_k = 0,   k = 1 … N,  with no V_{N+1} term at k = N.

For a uniform line with r·G·N² ≪ 1, segment j carries the current of the N − j + 1 devices beyond it, so
the far end sags by a fraction Σ_j r·G·(N − j + 1) = r·G·N(N + 1)/2 ≈ r·G·N²/2: the error grows with the
*square* of the line length, one reason arrays stay at a few hundred rows.
"""
from __future__ import annotations

import numpy as np

from ...units import Q_, as_quantity

__all__ = ["ir_drop_line", "far_end_error_estimate"]


def _solve_tridiagonal(lower, diag, upper, rhs):
    """Thomas algorithm along the last axis, vectorised over the leading ones (a stable LU for these
    diagonally dominant ladders)."""
    n = diag.shape[-1]
    c = np.empty_like(diag)
    d = np.empty_like(rhs)
    c[..., 0] = upper[..., 0] / diag[..., 0]
    d[..., 0] = rhs[..., 0] / diag[..., 0]
    for k in range(1, n):
        denominator = diag[..., k] - lower[..., k] * c[..., k - 1]
        c[..., k] = upper[..., k] / denominator if k < n - 1 else 0.0
        d[..., k] = (rhs[..., k] - lower[..., k] * d[..., k - 1]) / denominator
    x = np.empty_like(rhs)
    x[..., -1] = d[..., -1]
    for k in range(n - 2, -1, -1):
        x[..., k] = d[..., k] - c[..., k] * x[..., k + 1]
    return x


def ir_drop_line(g, r_segment, v_in=1.0):
    """Node voltages and device currents along a resistive line driven at one end.

    Parameters
    ----------
    g : pint.Quantity or array_like
        Device conductances along the line, in S (plain numbers read in S), shape (..., N): the last axis
        runs away from the driver; leading axes are independent lines.
    r_segment : pint.Quantity or float
        Wire resistance between neighbouring devices, in Ω (≥ 0; 0 gives no drop).
    v_in : pint.Quantity or float
        The driver's voltage, in V.

    Returns
    -------
    (pint.Quantity, pint.Quantity)
        The voltage at each device, in V, and each device's current G_k·V_k, in A; same shape as ``g``.
    """
    gs = np.asarray(as_quantity(g, "S", "g", nonnegative=True).magnitude, dtype=float)
    r = float(as_quantity(r_segment, "ohm", "r_segment", nonnegative=True, allow_array=False).magnitude)
    v = float(as_quantity(v_in, "V", "v_in", allow_array=False).magnitude)
    if gs.ndim == 0 or gs.shape[-1] == 0:
        raise ValueError("g must hold at least one conductance per line (shape (..., N), in S).")
    if r == 0:
        volts = np.full_like(gs, v)
    else:
        # Multiply every node equation by r: off-diagonals −1, diagonal 2 + r·G_k (1 + r·G_N at the open end).
        diag = 2.0 + r * gs
        diag[..., -1] -= 1.0
        off = -np.ones_like(gs)
        rhs = np.zeros_like(gs)
        rhs[..., 0] = v                              # V_0 = V_in moves to the right-hand side
        volts = _solve_tridiagonal(off, diag, off, rhs)
    return Q_(volts, "V"), Q_(gs * volts, "A")


def far_end_error_estimate(g, r_segment, n_devices) -> float:
    """The small-drop estimate of the far end's relative voltage loss, r·G·N(N + 1)/2 (≈ r·G·N²/2).

    Parameters
    ----------
    g : pint.Quantity or float
        The (uniform) device conductance, in S.
    r_segment : pint.Quantity or float
        Wire resistance per segment, in Ω.
    n_devices : int
        Devices on the line, N.

    Returns
    -------
    float
        The fraction of V_in lost at the far end; valid while it is much less than 1.
    """
    gs = float(as_quantity(g, "S", "g", nonnegative=True, allow_array=False).magnitude)
    r = float(as_quantity(r_segment, "ohm", "r_segment", nonnegative=True, allow_array=False).magnitude)
    n = float(as_quantity(n_devices, "dimensionless", "n_devices", positive=True, allow_array=False).magnitude)
    return r * gs * n * (n + 1) / 2
