"""Small real data sets shipped with the course (each with its licence in ``energylab/data``).

* :func:`digits` — the UCI 8×8 handwritten digits (Alpaydin & Kaynak 1998, CC BY 4.0): 1,797 images of the
  digits 0–9 by 13 writers, 64 pixels each. See ``energylab/data/DIGITS.md``.

:func:`split` divides any labelled set into training, validation and test parts, stratified by class and
seeded, so that every experiment chooses on the validation part and reads the test part once.
"""
from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np

from .units import as_fraction

__all__ = ["Split", "digits", "split", "DIGITS_PIXEL_MAX"]

#: Pixel values run 0–16: the number of "on" pixels in a 4×4 block of the original 32×32 bitmap.
DIGITS_PIXEL_MAX = 16


@lru_cache(maxsize=1)
def _digits_raw() -> np.ndarray:
    data = resources.files(__package__).joinpath("data/digits.csv.gz").read_bytes()
    return np.loadtxt(gzip.decompress(data).decode("ascii").splitlines(), delimiter=",", dtype=np.int64)


def digits() -> tuple[np.ndarray, np.ndarray]:
    """The 8×8 handwritten digits: images scaled to [0, 1] and their labels.

    Returns
    -------
    X : numpy.ndarray of float, shape (1797, 64)
        Pixel values / 16, row by row (pixel ``8·r + c`` is row r, column c).
    y : numpy.ndarray of int, shape (1797,)
        The digit, 0–9 (about 180 of each).

    Notes
    -----
    Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of Handwritten Digits. UCI Machine Learning
    Repository, https://doi.org/10.24432/C50P49 (CC BY 4.0); the test part, as packaged by scikit-learn.
    """
    raw = _digits_raw()
    return raw[:, :64] / DIGITS_PIXEL_MAX, raw[:, 64].copy()


class Split(NamedTuple):
    """Training, validation and test parts of a labelled data set."""
    X_train: np.ndarray
    y_train: np.ndarray
    X_val: np.ndarray
    y_val: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def split(X, y, *, validation=0.2, test=0.2, seed: int = 0) -> Split:
    """Stratified, seeded split into training, validation and test parts.

    Parameters
    ----------
    X : array_like, shape (n, ...)
        Inputs.
    y : array_like of int, shape (n,)
        Class labels.
    validation, test : float
        Fractions of each class for the validation and test parts (each in (0, 1), together below 1).
    seed : int
        Which shuffle; the same seed gives the same parts.

    Returns
    -------
    Split
        The six arrays; each part keeps the class proportions of the whole to within one sample per class.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.shape[:1] != y.shape or y.ndim != 1:
        raise ValueError(f"X and y must have the same number of samples (y one label per sample); got X of shape "
                         f"{X.shape} and y of shape {y.shape}.")
    v = float(as_fraction(validation, "validation").magnitude)
    t = float(as_fraction(test, "test").magnitude)
    if v + t >= 1:
        raise ValueError(f"validation + test must be below 1 (fractions of the data); got {v} + {t}.")
    rng = np.random.default_rng(seed)
    parts = ([], [], [])
    for label in np.unique(y):
        index = rng.permutation(np.flatnonzero(y == label))
        n_test, n_val = round(t * index.size), round(v * index.size)
        parts[2].append(index[:n_test])
        parts[1].append(index[n_test:n_test + n_val])
        parts[0].append(index[n_test + n_val:])
    train, val, test_ = (np.sort(np.concatenate(p)) for p in parts)
    return Split(X[train], y[train], X[val], y[val], X[test_], y[test_])
