"""Meshes of Mach–Zehnder interferometers: any unitary matrix as N(N−1)/2 two-mode blocks.

One Mach–Zehnder interferometer (MZI) acting on modes (m, m+1) applies, in the convention of Clements et al.
(Optica 3, 1460, 2016),

    T(θ, φ) = [[e^{iφ} cos θ, −sin θ],
               [e^{iφ} sin θ,  cos θ]],

θ set by the internal phase shifter (the split ratio) and φ by the external one. Any N × N unitary U factors into
N(N−1)/2 such blocks and a diagonal of output phases D:

* :func:`clements` — the rectangular mesh: optical depth N, every path through about the same number of blocks,
  so uniform loss barely distorts the matrix;
* :func:`reck` — the triangular mesh of Reck et al. (1994): depth 2N − 3, paths of very different lengths.

Both are computed here by nulling the entries of U below the diagonal with one block at a time (Clements
alternates column and row operations along anti-diagonals; Reck uses column operations row by row), from the
equations of the papers. A :class:`Mesh` lists its blocks in the order light meets them; :meth:`Mesh.matrix`
rebuilds U, optionally with per-block loss and phase errors.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ...units import as_quantity, as_whole

__all__ = ["mzi", "embed", "Mesh", "clements", "reck", "random_unitary", "fidelity", "SVDMesh", "svd_mesh"]

_TINY = 1e-15


def mzi(theta, phi) -> np.ndarray:
    """The 2 × 2 transfer matrix T(θ, φ) of one MZI (θ, φ in radians)."""
    c, s, e = np.cos(theta), np.sin(theta), np.exp(1j * phi)
    return np.array([[e * c, -s], [e * s, c]])


def embed(block: np.ndarray, mode: int, n_modes: int) -> np.ndarray:
    """A 2 × 2 block acting on modes (mode, mode + 1) of ``n_modes``, as an N × N matrix."""
    out = np.eye(n_modes, dtype=complex)
    out[mode:mode + 2, mode:mode + 2] = block
    return out


@dataclass(frozen=True)
class Mesh:
    """MZIs in the order light meets them, then output phases.

    Attributes
    ----------
    n : int
        Modes.
    modes : numpy.ndarray of int
        For each block, its first mode m (it acts on m and m + 1).
    theta, phi : numpy.ndarray
        Each block's internal and external phases, rad.
    output_phases : numpy.ndarray
        The phases of the diagonal D applied after the last block, rad.
    kind : str
        "clements" or "reck".
    """
    n: int
    modes: np.ndarray
    theta: np.ndarray
    phi: np.ndarray
    output_phases: np.ndarray
    kind: str

    @property
    def n_mzis(self) -> int:
        return len(self.modes)

    @property
    def depth(self) -> int:
        """Optical depth: the number of columns of blocks (each block placed as early as its two modes allow)."""
        free = np.zeros(self.n, dtype=int)
        for m in self.modes:
            layer = max(free[m], free[m + 1]) + 1
            free[m] = free[m + 1] = layer
        return int(free.max()) if self.n_mzis else 0

    def path_lengths(self) -> np.ndarray:
        """How many blocks each mode passes through."""
        counts = np.zeros(self.n, dtype=int)
        for m in self.modes:
            counts[m] += 1
            counts[m + 1] += 1
        return counts

    def matrix(self, loss_db=0.0, theta_error=None, phi_error=None) -> np.ndarray:
        """The mesh's transfer matrix, D·T_last ⋯ T_first.

        Parameters
        ----------
        loss_db : float
            Insertion loss of every block, in dB (power; each block's amplitude is multiplied by 10^(−dB/20)).
        theta_error, phi_error : array_like, optional
            Phase errors added to each block's θ and φ, rad (e.g. σ·N(0, 1) draws).
        """
        loss = _plain_nonnegative(loss_db, "loss_db")
        amplitude = 10 ** (-loss / 20)
        theta = self.theta if theta_error is None else self.theta + np.asarray(theta_error, dtype=float)
        phi = self.phi if phi_error is None else self.phi + np.asarray(phi_error, dtype=float)
        c, s, e = amplitude * np.cos(theta), amplitude * np.sin(theta), np.exp(1j * phi)
        u = np.eye(self.n, dtype=complex)
        for index in self._columns:      # blocks of one column act on disjoint modes: apply them at once
            m = self.modes[index]
            top, bottom = u[m] * e[index, None], u[m + 1]
            u[m] = c[index, None] * top - s[index, None] * bottom
            u[m + 1] = s[index, None] * top + c[index, None] * bottom
        return np.exp(1j * self.output_phases)[:, None] * u

    @cached_property
    def _columns(self) -> list:
        """Indices of the blocks in each column of the mesh, in the order light meets the columns."""
        free = np.zeros(self.n, dtype=int)
        column = np.empty(self.n_mzis, dtype=int)
        for k, m in enumerate(self.modes):
            column[k] = max(free[m], free[m + 1])
            free[m] = free[m + 1] = column[k] + 1
        order = np.argsort(column, kind="stable")
        return np.split(order, np.cumsum(np.bincount(column))[:-1]) if self.n_mzis else []


def _plain_nonnegative(value, name: str) -> float:
    """A plain number ≥ 0 as it is (the simulations' inner loops); anything else through the validator."""
    if type(value) in (float, int) and value >= 0:
        return float(value)
    return float(as_quantity(value, "dimensionless", name, nonnegative=True, allow_array=False).magnitude)


def _check_unitary(u) -> np.ndarray:
    u = np.asarray(u, dtype=complex)
    if u.ndim != 2 or u.shape[0] != u.shape[1] or u.shape[0] < 2:
        raise ValueError(f"u must be a square matrix of at least 2 × 2; got shape {u.shape}.")
    if not np.allclose(u.conj().T @ u, np.eye(u.shape[0]), atol=1e-8):
        raise ValueError("u must be unitary (U†U = I): a lossless mesh can only implement a unitary matrix; use "
                         "svd_mesh for any other matrix.")
    return u.copy()


def _null_by_column(v, r, c):
    """θ, φ of the block on columns (c, c+1) whose inverse, applied on the right, nulls v[r, c]."""
    a, b = v[r, c], v[r, c + 1]
    if abs(a) < _TINY:
        return 0.0, 0.0
    if abs(b) < _TINY:
        return np.pi / 2, 0.0
    return float(np.arctan(abs(a / b))), float(np.angle(a / b))


def _null_by_row(v, r, c):
    """θ, φ of the block on rows (r−1, r) that, applied on the left, nulls v[r, c]."""
    a, b = v[r, c], v[r - 1, c]
    if abs(a) < _TINY:
        return 0.0, 0.0
    if abs(b) < _TINY:
        return np.pi / 2, 0.0
    return float(np.arctan(abs(a / b))), float(np.angle(-a / b))


def _swap_through_phases(theta, phi, alpha, beta):
    """Write T(θ, φ)⁻¹·diag(e^{iα}, e^{iβ}) as diag(e^{iα'}, e^{iβ'})·T(θ', φ'); returns θ', φ', α', β'."""
    m = np.linalg.inv(mzi(theta, phi)) @ np.diag([np.exp(1j * alpha), np.exp(1j * beta)])
    c, s = abs(m[1, 1]), abs(m[0, 1])
    new_theta = float(np.arctan2(s, c))
    if s < 1e-12:
        a, b, e = m[0, 0] / c, m[1, 1] / c, 1.0
    elif c < 1e-12:
        a, b = -m[0, 1] / s, m[1, 0] / s
        e = 1.0
    else:
        a, b = -m[0, 1] / s, m[1, 1] / c
        e = m[0, 0] / (a * c)
    return new_theta, float(np.angle(e)), float(np.angle(a)), float(np.angle(b))


def clements(u) -> Mesh:
    """The rectangular (Clements) mesh of a unitary matrix: N(N−1)/2 MZIs in N columns.

    Parameters
    ----------
    u : array_like
        An N × N unitary matrix (N ≥ 2).

    Returns
    -------
    Mesh
        ``Mesh.matrix()`` reproduces ``u`` to rounding error.

    Notes
    -----
    Clements, Humphreys, Metcalf, Kolthammer and Walmsley, "Optimal design for universal multiport
    interferometers", Optica 3, 1460 (2016), arXiv:1603.08788: null the lower triangle along anti-diagonals,
    alternately by column operations (blocks applied after U) and row operations (blocks before), then move the
    row operations' blocks through the remaining diagonal so that all blocks precede one phase screen.
    """
    v = _check_unitary(u)
    n = v.shape[0]
    right, left = [], []                                  # (mode, θ, φ)
    for k in range(n - 1):
        if k % 2 == 0:
            for j in range(k + 1):
                r, c = n - 1 - j, k - j
                theta, phi = _null_by_column(v, r, c)
                v[:, c:c + 2] = v[:, c:c + 2] @ np.linalg.inv(mzi(theta, phi))
                right.append((c, theta, phi))
        else:
            for j in range(k + 1):
                r, c = n - 1 - k + j, j
                theta, phi = _null_by_row(v, r, c)
                v[r - 1:r + 1, :] = mzi(theta, phi) @ v[r - 1:r + 1, :]
                left.append((r - 1, theta, phi))
    phases = np.angle(np.diag(v)).astype(float)
    # Now U = L₁⁻¹ ⋯ L_k⁻¹ · D · R_m ⋯ R₁. Move each Lᵢ⁻¹ (innermost first) through D: Lᵢ⁻¹·D = D'·T'.
    moved = []
    for mode, theta, phi in reversed(left):
        t2, p2, a2, b2 = _swap_through_phases(theta, phi, phases[mode], phases[mode + 1])
        phases[mode], phases[mode + 1] = a2, b2
        moved.append((mode, t2, p2))
    # U = D · T'₁ ⋯ T'_k · R_m ⋯ R₁ and `moved` is [T'_k, …, T'₁]: light meets R₁ … R_m, then T'_k … T'₁.
    order = list(right) + moved
    return _mesh(n, order, phases, "clements")


def reck(u) -> Mesh:
    """The triangular (Reck) mesh of a unitary matrix: N(N−1)/2 MZIs, optical depth 2N − 3.

    Reck, Zeilinger, Bernstein and Bertani, Phys. Rev. Lett. 73, 58 (1994): null each row below the diagonal,
    last row first, by column operations only.
    """
    v = _check_unitary(u)
    n = v.shape[0]
    right = []
    for r in range(n - 1, 0, -1):
        for c in range(r):
            theta, phi = _null_by_column(v, r, c)
            v[:, c:c + 2] = v[:, c:c + 2] @ np.linalg.inv(mzi(theta, phi))
            right.append((c, theta, phi))
    return _mesh(n, right, np.angle(np.diag(v)).astype(float), "reck")


def _mesh(n, order, phases, kind) -> Mesh:
    modes = np.array([m for m, _, _ in order], dtype=int)
    theta = np.array([t for _, t, _ in order], dtype=float)
    phi = np.array([p for _, _, p in order], dtype=float)
    return Mesh(n, modes, theta, phi, np.asarray(phases, dtype=float), kind)


def random_unitary(n: int, seed=None) -> np.ndarray:
    """A Haar-random N × N unitary (QR of a complex Gaussian matrix with the phases of R's diagonal fixed;
    Mezzadri 2007)."""
    size = as_whole(n, "n", minimum=2, maximum=512, exact=True, what="modes")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    z = (rng.standard_normal((size, size)) + 1j * rng.standard_normal((size, size))) / np.sqrt(2)
    q, r = np.linalg.qr(z)
    return q * (np.diag(r) / np.abs(np.diag(r)))


def fidelity(target, actual) -> float:
    """How close an imperfect mesh's matrix is to the target, up to a global factor: F = |Tr(U†U_e)|² / (N·Tr(U_e†U_e)).

    1 for a perfect mesh, and also for uniform loss that attenuates every path alike (a global factor); below 1
    when paths are attenuated unequally or phases are off.
    """
    u = np.asarray(target, dtype=complex)
    e = np.asarray(actual, dtype=complex)
    if u.shape != e.shape or u.ndim != 2 or u.shape[0] != u.shape[1]:
        raise ValueError(f"target and actual must be square matrices of one shape; got {u.shape} and {e.shape}.")
    norm = np.real(np.trace(e.conj().T @ e))
    if norm <= 0:
        raise ValueError("actual must not be the zero matrix (no light out).")
    return float(abs(np.trace(u.conj().T @ e)) ** 2 / (u.shape[0] * norm))


@dataclass(frozen=True)
class SVDMesh:
    """Any real or complex N × N matrix as M = σ_max · U · diag(s) · V†: two unitary meshes and N attenuators.

    The attenuators can only pass at most all the light, so the singular values are divided by the largest,
    s = σ/σ_max ≤ 1, and σ_max is applied electronically at the output (the architecture of Shen et al.,
    Nat. Photonics 11, 441, 2017). Block count: 2·N(N−1)/2 MZIs + N attenuators = N².
    """
    v_mesh: Mesh
    u_mesh: Mesh
    s: np.ndarray
    scale: float

    @property
    def n_mzis(self) -> int:
        return self.v_mesh.n_mzis + self.u_mesh.n_mzis + len(self.s)

    def matrix(self, loss_db=0.0, phase_sigma=0.0, seed=None) -> np.ndarray:
        """The implemented matrix, with per-MZI loss (dB, also on each attenuator) and Gaussian phase errors
        of standard deviation ``phase_sigma`` (rad) on every θ and φ."""
        sigma = _plain_nonnegative(phase_sigma, "phase_sigma")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

        def errors(mesh):
            if sigma == 0:
                return None, None
            return sigma * rng.standard_normal(mesh.n_mzis), sigma * rng.standard_normal(mesh.n_mzis)

        v = self.v_mesh.matrix(loss_db, *errors(self.v_mesh))
        u = self.u_mesh.matrix(loss_db, *errors(self.u_mesh))
        attenuators = self.s * 10 ** (-float(loss_db) / 20)
        return self.scale * (u * attenuators[None, :]) @ v


def svd_mesh(m, kind: str = "clements") -> SVDMesh:
    """Decompose any square matrix into two meshes and attenuators (see :class:`SVDMesh`)."""
    a = np.asarray(m, dtype=complex)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 2:
        raise ValueError(f"m must be a square matrix of at least 2 × 2; got shape {a.shape}.")
    if not np.all(np.isfinite(a)):
        raise ValueError("m must hold finite numbers.")
    u, sigma, vh = np.linalg.svd(a)
    # An SVD is unique only up to a phase per singular triple (u_k·e^{iφ}, v_k·e^{iφ}), and LAPACK builds choose
    # differently; fix it (largest entry of each u_k real and positive) so the meshes' phases, hence their heater
    # power and noise, do not depend on the numpy build.
    largest = u[np.argmax(np.abs(u), axis=0), np.arange(u.shape[1])]
    phase = largest / np.abs(largest)
    u, vh = u / phase[None, :], vh * phase[:, None]
    top = float(sigma[0]) or 1.0
    build = {"clements": clements, "reck": reck}[kind]
    return SVDMesh(build(vh), build(u), sigma / top, top)
