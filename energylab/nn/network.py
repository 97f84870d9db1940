"""The networks of :mod:`energylab.nn`: :class:`MLP` and :class:`SoftmaxRegression`, their softmax, and the
checks every function of the package applies to its inputs."""
from __future__ import annotations

import math
from numbers import Integral

import numpy as np

from ..units import as_whole

__all__ = ["MLP", "SoftmaxRegression", "softmax", "log_softmax", "ACTIVATIONS"]

#: Hidden-layer activations the models support.
ACTIVATIONS = ("relu", "tanh")


# --------------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------------

def _check_X(X, n_features: int, name: str = "X") -> np.ndarray:
    """``X`` as a float64 array of shape (n_samples, n_features), finite, at least one row."""
    if X is None or isinstance(X, (str, bytes)):
        raise TypeError(f"{name} must be a 2-D array of numbers, shape (n_samples, {n_features}); got {X!r}.")
    try:
        array = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 2-D array of numbers, shape (n_samples, {n_features}); "
                        f"got {type(X).__name__}.") from None
    if array.ndim != 2 or array.shape[1] != n_features:
        raise ValueError(f"{name} must have shape (n_samples, {n_features}) for this model; got shape {array.shape}.")
    if array.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample; got shape {array.shape}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite; it holds NaN or infinity.")
    return array


def _check_y(y, n_classes: int, n_samples: int, name: str = "y") -> np.ndarray:
    """``y`` as an int64 array of class labels in 0..n_classes-1, one per sample."""
    if y is None or isinstance(y, (str, bytes)):
        raise TypeError(f"{name} must be an array of integer class labels 0..{n_classes - 1}; got {y!r}.")
    array = np.asarray(y)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"{name} must be an array of integer class labels 0..{n_classes - 1}; "
                        f"got dtype {array.dtype}.")
    if array.dtype == bool:
        raise TypeError(f"{name} must hold integer class labels 0..{n_classes - 1}, not booleans.")
    if array.ndim != 1 or array.shape[0] != n_samples:
        raise ValueError(f"{name} must be 1-D with one label per sample, shape ({n_samples},); "
                         f"got shape {array.shape}.")
    if not np.issubdtype(array.dtype, np.integer):
        if not np.all(np.isfinite(array)) or np.any(array != np.round(array)):
            bad = array[~np.isfinite(array) | (array != np.round(array))][0]
            raise TypeError(f"{name} must hold integer class labels 0..{n_classes - 1}; "
                            f"got non-integer value {float(bad):g}.")
    array = array.astype(np.int64)
    if array.min() < 0 or array.max() >= n_classes:
        raise ValueError(f"{name} must hold class labels between 0 and {n_classes - 1}; "
                         f"got values from {array.min()} to {array.max()}.")
    return array


def _check_weights(sample_weight, n_samples: int) -> np.ndarray | None:
    if sample_weight is None:
        return None
    try:
        w = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("sample_weight must be an array of non-negative numbers, one per sample.") from None
    if w.shape != (n_samples,):
        raise ValueError(f"sample_weight must have shape ({n_samples},), one weight per sample; got {w.shape}.")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError("sample_weight must be finite and non-negative.")
    if w.sum() <= 0:
        raise ValueError("sample_weight must not be all zero.")
    return w


def _check_model(model, name: str = "model") -> MLP:
    if not isinstance(model, MLP):
        raise TypeError(f"{name} must be an energylab.nn model (MLP or SoftmaxRegression); got {type(model).__name__}.")
    return model


# --------------------------------------------------------------------------------------------------
# softmax
# --------------------------------------------------------------------------------------------------

def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Numerically stable log of the softmax along the last axis: z − max − log Σ exp(z − max)."""
    z = logits - logits.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Numerically stable softmax along the last axis (probabilities that sum to 1)."""
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


# --------------------------------------------------------------------------------------------------
# models
# --------------------------------------------------------------------------------------------------

def _rng(seed) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, Integral) or seed < 0:
        raise TypeError(f"seed must be a non-negative whole number or a numpy Generator; got {seed!r}.")
    return np.random.default_rng(int(seed))


class MLP:
    """A multi-layer perceptron with a softmax output, trained with cross-entropy.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths from input to output, e.g. ``[20, 64, 6]``: 20 features, one hidden layer of 64
        units, 6 classes. At least two entries; the last (the number of classes) at least 2.
    activation : {"relu", "tanh"}
        Activation of the hidden layers. Default ``"relu"``.
    seed : int or numpy.random.Generator
        Seed of the initialisation. Weights are drawn from a normal distribution: He
        (std √(2/d_in)) for layers followed by ReLU, Glorot (std √(2/(d_in + d_out))) otherwise;
        biases start at 0.

    Attributes
    ----------
    params : list of (W, b)
        ``W`` of shape (d_in, d_out) and ``b`` of shape (d_out,), float64 arrays.
    sizes : tuple of int
    n_features, n_classes : int
    activation : str

    Notes
    -----
    He et al. (2015), "Delving deep into rectifiers", arXiv:1502.01852; Glorot & Bengio (2010),
    "Understanding the difficulty of training deep feedforward neural networks", AISTATS.
    """

    def __init__(self, sizes, activation: str = "relu", seed=0):
        if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__"):
            raise TypeError(f"sizes must be a list of layer widths such as [20, 64, 6]; got {sizes!r}.")
        sizes = tuple(as_whole(s, f"sizes[{i}]", exact=True) for i, s in enumerate(sizes))
        if len(sizes) < 2:
            raise ValueError(f"sizes needs at least an input and an output width, e.g. [20, 6]; got {list(sizes)}.")
        if sizes[-1] < 2:
            raise ValueError(f"the last size (the number of classes) must be at least 2; got {sizes[-1]}.")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {ACTIVATIONS}; got {activation!r}.")
        self.sizes = sizes
        self.activation = activation
        rng = _rng(seed)
        self.params = []
        for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            hidden = i < len(sizes) - 2
            std = math.sqrt(2.0 / d_in) if (hidden and activation == "relu") else math.sqrt(2.0 / (d_in + d_out))
            self.params.append((rng.normal(0.0, std, size=(d_in, d_out)), np.zeros(d_out)))

    # ---- shape -------------------------------------------------------------------------------------
    @property
    def n_features(self) -> int:
        """Number of input features."""
        return self.sizes[0]

    @property
    def n_classes(self) -> int:
        """Number of classes (output width)."""
        return self.sizes[-1]

    @property
    def n_params(self) -> int:
        """Number of trainable parameters (weights and biases)."""
        return sum(W.size + b.size for W, b in self.params)

    @property
    def n_weights(self) -> int:
        """Number of weights (without biases): the N of the 6·N·D rule."""
        return sum(W.size for W, _ in self.params)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(sizes={list(self.sizes)}, activation={self.activation!r}, "
                f"n_params={self.n_params})")

    def copy(self) -> MLP:
        """An independent copy (parameters copied, not shared)."""
        new = object.__new__(type(self))
        new.sizes, new.activation = self.sizes, self.activation
        new.params = [(W.copy(), b.copy()) for W, b in self.params]
        return new

    # ---- inference ---------------------------------------------------------------------------------
    def _act(self, z: np.ndarray) -> np.ndarray:
        return np.maximum(z, 0.0) if self.activation == "relu" else np.tanh(z)

    def _forward_all(self, X: np.ndarray) -> list:
        """Activations of every layer: [X, a1, ..., logits]."""
        outs = [X]
        last = len(self.params) - 1
        for i, (W, b) in enumerate(self.params):
            z = outs[-1] @ W + b
            outs.append(z if i == last else self._act(z))
        return outs

    def layer_outputs(self, X) -> list:
        """The forward pass, layer by layer: ``[X, a1, ..., logits]`` (the input of :func:`backprop`).

        Raises
        ------
        TypeError, ValueError
            ``X`` not a finite 2-D array with ``n_features`` columns.
        """
        return self._forward_all(_check_X(X, self.n_features))

    def forward(self, X) -> np.ndarray:
        """Logits (pre-softmax scores), shape (n_samples, n_classes).

        Raises
        ------
        TypeError, ValueError
            ``X`` not a finite 2-D array with ``n_features`` columns.
        """
        return self._forward_all(_check_X(X, self.n_features))[-1]

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (softmax of the logits), shape (n_samples, n_classes)."""
        return softmax(self.forward(X))

    def predict(self, X) -> np.ndarray:
        """Most probable class of each sample, shape (n_samples,), int."""
        return np.argmax(self.forward(X), axis=1)

    def accuracy(self, X, y) -> float:
        """Fraction of samples whose predicted class equals the label ``y``."""
        X = _check_X(X, self.n_features)
        y = _check_y(y, self.n_classes, X.shape[0])
        return float(np.mean(np.argmax(self._forward_all(X)[-1], axis=1) == y))

    def loss(self, X, y, sample_weight=None) -> float:
        """Mean cross-entropy (natural log, nats per sample); weighted mean Σwℓ/Σw when weights are given."""
        X = _check_X(X, self.n_features)
        y = _check_y(y, self.n_classes, X.shape[0])
        w = _check_weights(sample_weight, X.shape[0])
        nll = -log_softmax(self._forward_all(X)[-1])[np.arange(X.shape[0]), y]
        return float(nll.mean() if w is None else (w @ nll) / w.sum())


class SoftmaxRegression(MLP):
    """Multinomial logistic regression: one dense layer and a softmax, ``MLP([n_features, n_classes])``.

    Parameters
    ----------
    n_features : int
        Number of input features, at least 1.
    n_classes : int
        Number of classes, at least 2.
    seed : int or numpy.random.Generator
        Seed of the (Glorot-normal) initialisation.
    """

    def __init__(self, n_features: int, n_classes: int, seed=0):
        n_features = as_whole(n_features, "n_features", exact=True)
        n_classes = as_whole(n_classes, "n_classes", minimum=2, exact=True)
        super().__init__([n_features, n_classes], seed=seed)

    def __repr__(self) -> str:
        return f"SoftmaxRegression(n_features={self.n_features}, n_classes={self.n_classes})"
