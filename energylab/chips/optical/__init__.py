"""Optical computing (chapter 05, in progress): Mach–Zehnder meshes that apply a matrix to light.

* :mod:`.mesh` — the MZI block, Clements (rectangular) and Reck (triangular) decompositions of any unitary into
  N(N−1)/2 blocks, reconstruction with per-block loss and phase errors, and the fidelity of an imperfect mesh.

Phases in radians, losses in dB.
"""
from __future__ import annotations

from .mesh import Mesh, clements, embed, fidelity, mzi, random_unitary, reck

__all__ = ["mzi", "embed", "Mesh", "clements", "reck", "random_unitary", "fidelity"]
