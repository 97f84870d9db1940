"""Optical computing (chapter 05, in progress): Mach–Zehnder meshes that apply a matrix to light.

* :mod:`.mesh` — the MZI block, Clements (rectangular) and Reck (triangular) decompositions of any unitary into
  N(N−1)/2 blocks, reconstruction with per-block loss and phase errors, the fidelity of an imperfect mesh, and
  any matrix as two meshes and attenuators (SVD);
* :mod:`.energy` — energy per MAC: conversions ÷ N, photons × hc/λ ÷ laser efficiency, static power ÷ N².

Phases in radians, losses in dB.
"""
from __future__ import annotations

from .energy import onn_energy_per_mac, photon_energy
from .mesh import Mesh, SVDMesh, clements, embed, fidelity, mzi, random_unitary, reck, svd_mesh

__all__ = ["mzi", "embed", "Mesh", "clements", "reck", "random_unitary", "fidelity", "SVDMesh", "svd_mesh",
           "onn_energy_per_mac", "photon_energy"]
