"""Tiny numpy neural networks with exact FLOP counting, for the chapters that train, shrink and move models.

Two models, both ending in a softmax over classes and trained with cross-entropy:

* :class:`SoftmaxRegression` — multinomial logistic regression (one dense layer);
* :class:`MLP` — a multi-layer perceptron, e.g. ``MLP([20, 64, 6])``.

Parameters are plain numpy arrays, ``model.params = [(W1, b1), (W2, b2), ...]`` with ``W`` of shape
``(d_in, d_out)``, so later chapters can quantize them or run them on simulated analog hardware.
:func:`train` fits a model with mini-batch SGD or Adam and returns a :class:`History` of held-out
accuracy against the training FLOPs spent so far::

    >>> from energylab import nn
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2)); y = (X[:, 0] > 0).astype(int)
    >>> model = nn.SoftmaxRegression(2, 2, seed=0)
    >>> history = nn.train(model, X, y, epochs=5, batch_size=20, lr=0.1, seed=0, X_val=X, y_val=y)
    >>> history.total_flops == 5 * 10 * nn.train_step_flops(model, 20)
    True

The FLOP convention
-------------------
Every count in this module, and what :func:`train` accumulates, follows one stated convention, so
``History.flops`` is exact under it (not a measurement of what numpy really executes):

* a multiply-add is **2 FLOPs**; every other arithmetic operation, comparison, ``max``, ``exp``,
  ``log``, ``sqrt`` or ``tanh`` on one number is **1 FLOP**; moving or indexing data is 0 FLOPs;
* dense layer, forward, on ``n`` samples: ``2·n·d_in·d_out`` (matrix product) ``+ n·d_out`` (bias);
* hidden activation on ``n·d`` values: ReLU 1 FLOP each forward (a compare) and 1 backward (a
  select); tanh 1 forward and 3 backward (``da·(1 − a²)``);
* softmax + cross-entropy (the loss head), per sample with ``K`` classes: softmax ``5·K`` (max,
  subtract, exp, sum, divide) and cross-entropy 2 (log of the true class's probability, accumulate);
  one more per sample when samples are weighted;
* backward: gradient of the loss with respect to the logits ``2·K`` per sample (subtract the one-hot
  label, scale by 1/n; one more per sample when weighted); then for each dense layer the weight
  gradient ``2·n·d_in·d_out``, the bias gradient ``n·d_out`` and the input gradient
  ``2·n·d_in·d_out`` — **except for the first layer, which needs no input gradient**;
* weight decay (L2 on weights, not biases): 2 FLOPs per weight per step (multiply, add to the gradient);
* optimizer update per parameter per step: SGD 2 (``p −= lr·g``); Adam 12 (3 for the first moment,
  4 for the second, 5 for ``p −= lr_t·m / (√v + ε)``);
* scalar work once per step (the mean of the batch loss, Adam's bias correction) is not counted.

Relation to the 6·N·D rule: a network with ``N`` weights costs about ``2N`` FLOPs per sample forward
(one multiply-add per weight) and about ``4N`` backward (``2N`` for the weight gradients, ``2N`` for the
input gradients), so training on ``D`` samples costs about ``6·N·D`` (Kaplan et al. 2020,
arXiv:2001.08361, with tokens as samples). The exact count here differs by the terms the rule drops:
biases, activations, the loss head, the optimizer update per step, and the first layer's missing
input gradient (a large saving for a small network whose first layer holds most weights, negligible
for a deep one). :func:`six_nd_flops` gives the rule's value for comparison.

Evaluation on a validation set costs :func:`forward_flops` plus :func:`loss_flops`; :func:`train`
records it separately (``History.eval_flops``) and keeps it **out** of ``History.flops``, which
counts training only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Callable

import numpy as np

__all__ = [
    "MLP", "SoftmaxRegression", "History", "train", "forward_flops", "loss_flops", "backward_flops",
    "update_flops", "train_step_flops", "train_flops", "loss_head_flops", "six_nd_flops", "energy_of",
    "Objective", "backprop", "loss_and_gradients", "numerical_gradients", "gradient_check", "softmax", "log_softmax",
    "ACTIVATIONS", "OPTIMIZERS", "SOFTMAX_FLOPS_PER_CLASS", "CROSS_ENTROPY_FLOPS_PER_SAMPLE",
    "LOSS_GRAD_FLOPS_PER_CLASS", "SAMPLE_WEIGHT_FLOPS_PER_SAMPLE", "WEIGHT_DECAY_FLOPS_PER_WEIGHT",
    "OPTIMIZER_FLOPS_PER_PARAM",
    "ACTIVATION_FLOPS",
]

#: Hidden-layer activations the models support.
ACTIVATIONS = ("relu", "tanh")
#: Optimizers :func:`train` supports.
OPTIMIZERS = ("adam", "sgd")

# ---- the FLOP convention (see the module docstring) ------------------------------------------------
#: Softmax per sample and class: max, subtract, exp, sum, divide.
SOFTMAX_FLOPS_PER_CLASS = 5
#: Cross-entropy per sample: log of the true class's probability, accumulate into the batch sum.
CROSS_ENTROPY_FLOPS_PER_SAMPLE = 2
#: Gradient of the loss with respect to the logits, per sample and class: subtract one-hot, scale by 1/n.
LOSS_GRAD_FLOPS_PER_CLASS = 2
#: Extra FLOPs per sample when samples carry weights: one in the loss, one forming w_i/n in the gradient.
SAMPLE_WEIGHT_FLOPS_PER_SAMPLE = 1
#: L2 weight decay per weight and step: multiply by the decay, add to the gradient.
WEIGHT_DECAY_FLOPS_PER_WEIGHT = 2
#: Optimizer update per parameter and step.
OPTIMIZER_FLOPS_PER_PARAM = {"sgd": 2, "adam": 12}
#: (forward, backward) FLOPs per activation value.
ACTIVATION_FLOPS = {"relu": (1, 1), "tanh": (1, 3)}

_ADAM_BETA1, _ADAM_BETA2, _ADAM_EPS = 0.9, 0.999, 1e-8


# --------------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------------

def _positive_int(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a whole number (at least {minimum}); got {type(value).__name__} {value!r}.")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}; got {value}.")
    return int(value)


def _number(value, name: str, *, positive: bool = False, nonnegative: bool = False) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number; got {type(value).__name__} {value!r}.")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value}.")
    if positive and value <= 0:
        raise ValueError(f"{name} must be greater than 0; got {value:g}.")
    if nonnegative and value < 0:
        raise ValueError(f"{name} cannot be negative; got {value:g}.")
    return value


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


def _check_model(model, name: str = "model") -> "MLP":
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
        sizes = tuple(_positive_int(s, "sizes[%d]" % i) for i, s in enumerate(sizes))
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

    def copy(self) -> "MLP":
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
        n_features = _positive_int(n_features, "n_features")
        n_classes = _positive_int(n_classes, "n_classes", minimum=2)
        super().__init__([n_features, n_classes], seed=seed)

    def __repr__(self) -> str:
        return f"SoftmaxRegression(n_features={self.n_features}, n_classes={self.n_classes})"


# --------------------------------------------------------------------------------------------------
# gradients
# --------------------------------------------------------------------------------------------------

def _cross_entropy_head(logits: np.ndarray, y: np.ndarray, scale: np.ndarray | float):
    """Σ scale_i·ℓ_i (cross-entropy ℓ_i, ``scale`` per sample or one number) and its gradient wrt the logits."""
    n = logits.shape[0]
    logp = log_softmax(logits)
    rows = np.arange(n)
    nll = -logp[rows, y]
    loss = float(np.sum(nll * scale))
    delta = np.exp(logp)
    delta[rows, y] -= 1.0
    delta *= scale if np.ndim(scale) == 0 else scale[:, None]
    return loss, delta


def backprop(model, layer_outputs: list, grad_logits: np.ndarray) -> list:
    """Gradients of every parameter, backpropagated from the gradient of an objective wrt the logits.

    The backward pass of every loss in the course: :func:`loss_and_gradients` and :func:`train` feed it
    the cross-entropy's gradient, :mod:`energylab.experiments.distillation` that of its soft targets.

    Parameters
    ----------
    model : MLP or SoftmaxRegression
    layer_outputs : list of ndarray
        The forward pass on the batch, :meth:`MLP.layer_outputs`: ``[X, a1, ..., logits]``.
    grad_logits : ndarray, shape (n_samples, n_classes)
        Gradient of the objective with respect to the logits (already divided by the batch size for a
        mean objective).

    Returns
    -------
    list of (dW, db)
        Gradients with the shapes of ``model.params``.
    """
    delta = grad_logits
    grads = [None] * len(model.params)
    for i in range(len(model.params) - 1, -1, -1):
        W, _ = model.params[i]
        a_in = layer_outputs[i]
        grads[i] = (a_in.T @ delta, delta.sum(axis=0))
        if i > 0:
            da = delta @ W.T
            if model.activation == "relu":
                delta = np.where(a_in > 0, da, 0.0)
            else:
                delta = da * (1.0 - a_in * a_in)
    return grads


def _backprop(model: MLP, outs: list, y: np.ndarray, scale: np.ndarray | float):
    """Loss and gradients of Σ scale_i·ℓ_i, given the forward activations ``outs`` (``scale`` per sample)."""
    loss, delta = _cross_entropy_head(outs[-1], y, scale)
    return loss, backprop(model, outs, delta)


def loss_and_gradients(model, X, y, sample_weight=None):
    """Training objective and its exact gradients by backpropagation.

    The objective is the mean cross-entropy over the batch, (1/n)·Σ w_i·ℓ_i (w_i = 1 without weights).

    Parameters
    ----------
    model : MLP or SoftmaxRegression
    X : array_like, shape (n_samples, n_features)
    y : array_like of int, shape (n_samples,)
    sample_weight : array_like, shape (n_samples,), optional

    Returns
    -------
    loss : float
        The objective, in nats per sample.
    grads : list of (dW, db)
        Gradients with the shapes of ``model.params``.
    """
    model = _check_model(model)
    X = _check_X(X, model.n_features)
    y = _check_y(y, model.n_classes, X.shape[0])
    w = _check_weights(sample_weight, X.shape[0])
    n = X.shape[0]
    scale = 1.0 / n if w is None else w / n
    return _backprop(model, model._forward_all(X), y, scale)


def numerical_gradients(model, X, y, sample_weight=None, eps: float = 1e-6):
    """Gradients of :func:`loss_and_gradients`'s objective by central differences (slow; for tests).

    Each parameter is nudged by ±``eps`` in turn: g ≈ (L(p + ε) − L(p − ε)) / 2ε.

    Returns
    -------
    list of (dW, db)
        Same shapes as ``model.params``.
    """
    model = _check_model(model)
    eps = _number(eps, "eps", positive=True)
    probe = model.copy()
    grads = []
    for W, b in probe.params:
        pair = []
        for p in (W, b):
            g = np.zeros_like(p)
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for j in range(flat.size):
                old = flat[j]
                flat[j] = old + eps
                up = loss_and_gradients(probe, X, y, sample_weight)[0]
                flat[j] = old - eps
                down = loss_and_gradients(probe, X, y, sample_weight)[0]
                flat[j] = old
                gflat[j] = (up - down) / (2 * eps)
            pair.append(g)
        grads.append(tuple(pair))
    return grads


def gradient_check(model, X, y, sample_weight=None, eps: float = 1e-6) -> float:
    """Largest relative difference between backpropagated and numerical gradients.

    Relative difference per array: ‖g_bp − g_num‖ / max(‖g_bp‖ + ‖g_num‖, 1e-12). Values around
    1e-7 or smaller mean the backward pass is right (in float64).
    """
    _, analytic = loss_and_gradients(model, X, y, sample_weight)
    numeric = numerical_gradients(model, X, y, sample_weight, eps)
    worst = 0.0
    for pa, pn in zip(analytic, numeric):
        for a, b in zip(pa, pn):
            worst = max(worst, float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12)))
    return worst


# --------------------------------------------------------------------------------------------------
# FLOP counting
# --------------------------------------------------------------------------------------------------

def _n(n_samples, name: str = "n_samples") -> int:
    return _positive_int(n_samples, name, minimum=0)


def forward_flops(model, n_samples: int) -> int:
    """FLOPs of a forward pass to the logits (no softmax) on ``n_samples`` samples.

    Σ over dense layers of 2·n·d_in·d_out + n·d_out, plus the hidden activations (ReLU: n·d).
    Add :func:`loss_flops` for the softmax and cross-entropy. See the module docstring for the
    convention.

    Returns
    -------
    int
        FLOPs (a multiply-add counts 2).

    Examples
    --------
    >>> forward_flops(MLP([3, 4, 2]), 5)   # (2·5·3·4 + 5·4) + 5·4 + (2·5·4·2 + 5·2)
    250
    """
    model = _check_model(model)
    n = _n(n_samples)
    fwd_act = ACTIVATION_FLOPS[model.activation][0]
    total = 0
    for i, (d_in, d_out) in enumerate(zip(model.sizes[:-1], model.sizes[1:])):
        total += 2 * n * d_in * d_out + n * d_out
        if i < len(model.sizes) - 2:
            total += fwd_act * n * d_out
    return total


def loss_flops(model, n_samples: int, weighted: bool = False) -> int:
    """FLOPs of softmax + cross-entropy on ``n_samples`` samples: n·(5·K + 2), plus n if weighted."""
    model = _check_model(model)
    n = _n(n_samples)
    per = SOFTMAX_FLOPS_PER_CLASS * model.n_classes + CROSS_ENTROPY_FLOPS_PER_SAMPLE
    return n * (per + (SAMPLE_WEIGHT_FLOPS_PER_SAMPLE if weighted else 0))


def loss_head_flops(model, n_samples: int, weighted: bool = False) -> int:
    """FLOPs of the loss head on ``n_samples`` samples: softmax + cross-entropy and their gradient wrt the logits.

    :func:`loss_flops` plus the first term of :func:`backward_flops` (2·n·K, + n if weighted): the part of a
    training step an :class:`Objective` replaces.

    Examples
    --------
    >>> loss_head_flops(MLP([3, 4, 2]), 5)   # 5·(5·2 + 2) + 2·5·2
    80
    """
    model = _check_model(model)
    n = _n(n_samples)
    extra = SAMPLE_WEIGHT_FLOPS_PER_SAMPLE * n if weighted else 0
    return loss_flops(model, n, weighted) + LOSS_GRAD_FLOPS_PER_CLASS * n * model.n_classes + extra


def backward_flops(model, n_samples: int, weighted: bool = False) -> int:
    """FLOPs of the backward pass on ``n_samples`` samples, from the loss to every parameter gradient.

    Loss gradient wrt the logits 2·n·K (+ n if weighted); per dense layer the weight gradient
    2·n·d_in·d_out, the bias gradient n·d_out and, except for the first layer, the input gradient
    2·n·d_in·d_out; per hidden activation its backward cost (ReLU: n·d).

    Examples
    --------
    >>> backward_flops(MLP([3, 4, 2]), 5)   # 20 + (80 + 10 + 80) + 20 + (120 + 20)
    350
    """
    model = _check_model(model)
    n = _n(n_samples)
    bwd_act = ACTIVATION_FLOPS[model.activation][1]
    total = LOSS_GRAD_FLOPS_PER_CLASS * n * model.n_classes
    if weighted:
        total += SAMPLE_WEIGHT_FLOPS_PER_SAMPLE * n
    for i, (d_in, d_out) in enumerate(zip(model.sizes[:-1], model.sizes[1:])):
        total += 2 * n * d_in * d_out + n * d_out  # weight and bias gradients
        if i > 0:
            total += 2 * n * d_in * d_out + bwd_act * n * d_in  # input gradient, then through the activation
    return total


def update_flops(model, optimizer: str = "adam", weight_decay: float = 0.0) -> int:
    """FLOPs of one optimizer step: per parameter 2 (SGD) or 12 (Adam), plus 2 per weight with weight decay."""
    model = _check_model(model)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}; got {optimizer!r}.")
    decay = _number(weight_decay, "weight_decay", nonnegative=True)
    total = OPTIMIZER_FLOPS_PER_PARAM[optimizer] * model.n_params
    if decay > 0:
        total += WEIGHT_DECAY_FLOPS_PER_WEIGHT * model.n_weights
    return total


def train_step_flops(model, batch_size: int, optimizer: str = "adam", weight_decay: float = 0.0,
                     weighted: bool = False) -> int:
    """FLOPs of one training step on a batch: forward + loss + backward + optimizer update.

    Parameters
    ----------
    model : MLP or SoftmaxRegression
    batch_size : int
        Samples in the batch, at least 1.
    optimizer : {"adam", "sgd"}
    weight_decay : float
        L2 weight decay; any value above 0 adds 2 FLOPs per weight.
    weighted : bool
        Whether samples carry weights (``sample_weight`` in :func:`train`).

    Returns
    -------
    int
        FLOPs under the module's convention.

    Examples
    --------
    >>> train_step_flops(MLP([3, 4, 2]), 5)   # 250 + 60 + 350 + 12·26
    972
    """
    n = _positive_int(batch_size, "batch_size")
    return (forward_flops(model, n) + loss_flops(model, n, weighted) + backward_flops(model, n, weighted)
            + update_flops(model, optimizer, weight_decay))


def _batch_sizes(n_samples: int, batch_size: int) -> list:
    full, rest = divmod(n_samples, batch_size)
    return [batch_size] * full + ([rest] if rest else [])


def train_flops(model, n_samples: int, epochs: int, batch_size: int, optimizer: str = "adam",
                weight_decay: float = 0.0, weighted: bool = False) -> int:
    """Total FLOPs :func:`train` spends on ``epochs`` passes over ``n_samples`` samples (last batch may be short).

    Equal to ``History.flops[-1]`` of the matching :func:`train` call.
    """
    n = _positive_int(n_samples, "n_samples")
    epochs = _positive_int(epochs, "epochs")
    b = _positive_int(batch_size, "batch_size")
    per_epoch = sum(train_step_flops(model, s, optimizer, weight_decay, weighted) for s in _batch_sizes(n, b))
    return epochs * per_epoch


def six_nd_flops(model, n_samples) -> float:
    """The 6·N·D rule of thumb: 6 × weights × samples seen (Kaplan et al. 2020, arXiv:2001.08361).

    ``n_samples`` counts samples seen in training (epochs × dataset size), the analogue of tokens.
    """
    model = _check_model(model)
    n = _number(n_samples, "n_samples", nonnegative=True)
    return 6.0 * model.n_weights * n


def energy_of(flops, accelerator: str = "A100", utilisation: float = 0.4):
    """Energy an accelerator would use to perform ``flops`` FLOPs, in joules.

    A thin wrapper over :func:`energylab.models.energy_for_flops` (bf16 tensor throughput, no
    facility overhead: PUE 1). Our numpy training runs in float64 on a CPU; this asks what the same
    arithmetic would cost on a data-centre GPU, at a typical fraction of its peak throughput.

    Parameters
    ----------
    flops : float or array_like or pint.Quantity
        Floating-point operations, at least 0 (plain numbers are FLOP).
    accelerator : str
        Name of an accelerator known to :func:`energylab.models.accelerator`, default ``"A100"``.
    utilisation : float
        Fraction of peak throughput achieved, in (0, 1]; default 0.4.

    Returns
    -------
    pint.Quantity
        Energy in J.
    """
    from energylab import models  # lazy: keeps this module light and decoupled

    return models.energy_for_flops(flops, accelerator, utilisation=utilisation).to("J")


# --------------------------------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------------------------------

@dataclass
class History:
    """What :func:`train` recorded at each evaluation (one row per evaluation, step 0 included).

    Attributes
    ----------
    step : ndarray of int
        Optimizer steps done at the evaluation.
    epoch : ndarray of float
        Passes over the training set done (samples seen / training-set size).
    flops : ndarray of float
        Training FLOPs spent so far (exact under the module's convention; evaluation excluded).
    val_accuracy, val_loss : ndarray of float
        Accuracy and mean cross-entropy on the validation set (NaN without one).
    train_loss : ndarray of float
        Mean training objective over the batches since the previous evaluation (NaN at step 0).
    eval_flops : float
        FLOPs spent on all the evaluations (forward + loss on the validation set), kept out of ``flops``.
    """
    step: np.ndarray
    epoch: np.ndarray
    flops: np.ndarray
    val_accuracy: np.ndarray
    val_loss: np.ndarray
    train_loss: np.ndarray
    eval_flops: float = 0.0
    info: dict = field(default_factory=dict)

    @property
    def total_flops(self) -> float:
        """Training FLOPs of the whole run."""
        return float(self.flops[-1])

    def flops_to_reach(self, accuracy: float) -> float:
        """Training FLOPs at the first evaluation whose validation accuracy is at least ``accuracy``.

        Returns ``inf`` when no evaluation reaches it. Resolution is that of the evaluation schedule.

        Raises
        ------
        ValueError
            If the run had no validation set, or ``accuracy`` is outside [0, 1].
        """
        accuracy = _number(accuracy, "accuracy")
        if not 0 <= accuracy <= 1:
            raise ValueError(f"accuracy must be a fraction between 0 and 1; got {accuracy:g}.")
        if np.all(np.isnan(self.val_accuracy)):
            raise ValueError("this run had no validation set (X_val, y_val), so it has no accuracy to reach.")
        hits = np.flatnonzero(self.val_accuracy >= accuracy)
        return float(self.flops[hits[0]]) if hits.size else math.inf


@dataclass(frozen=True)
class Objective:
    """A training objective on the logits, for :func:`train` in place of the cross-entropy.

    Attributes
    ----------
    loss_and_gradient : callable
        ``loss_and_gradient(logits, y, batch)`` → ``(loss, grad_logits)`` for one batch: ``logits`` and
        labels ``y`` of the batch, ``batch`` the indices of its samples in the training set (to look up
        per-sample targets). ``loss`` is the batch's objective (a float, recorded in
        ``History.train_loss``), ``grad_logits`` its gradient wrt the logits, which :func:`backprop`
        carries through the layers.
    head_flops : callable
        ``head_flops(n)`` → FLOPs of computing the loss and its gradient on a batch of ``n``: it replaces
        :func:`loss_head_flops` in each step's count.
    """
    loss_and_gradient: Callable
    head_flops: Callable


def train(model, X, y, *, epochs: int, batch_size: int, lr: float, optimizer: str = "adam",
          weight_decay: float = 0.0, seed=0, X_val=None, y_val=None, eval_every: int | None = None,
          sample_weight=None, objective: Objective | None = None) -> History:
    """Train ``model`` in place with mini-batch gradient descent on the cross-entropy.

    Each epoch visits the training set in a fresh random order (from ``seed``) in batches of
    ``batch_size`` (the last batch of an epoch may be shorter). The objective per batch is
    (1/n)·Σ w_i·ℓ_i, with sample weights rescaled to mean 1 over the training set (w_i = 1 without
    weights), plus (weight_decay/2)·‖W‖² on the weights (not the biases).

    Parameters
    ----------
    model : MLP or SoftmaxRegression
        Trained in place; pass ``model.copy()`` to keep the original.
    X : array_like, shape (n_samples, n_features)
    y : array_like of int, shape (n_samples,)
        Class labels 0..n_classes-1.
    epochs : int
        Passes over the training set, at least 1.
    batch_size : int
        Samples per step, at least 1.
    lr : float
        Learning rate, greater than 0.
    optimizer : {"adam", "sgd"}
        Adam (Kingma & Ba 2015, arXiv:1412.6980; β1 = 0.9, β2 = 0.999, ε = 1e-8) or plain SGD.
    weight_decay : float
        L2 coefficient, at least 0.
    seed : int or numpy.random.Generator
        Seed of the shuffling; the same seed gives the same run.
    X_val, y_val : array_like, optional
        Held-out data evaluated at step 0, every ``eval_every`` steps and at the end.
    eval_every : int, optional
        Steps between evaluations; default once per epoch.
    sample_weight : array_like, shape (n_samples,), optional
        Non-negative weight of each sample (e.g. to rebalance classes).
    objective : Objective, optional
        Another objective on the logits instead of the cross-entropy (e.g. distillation's soft
        targets); not with ``sample_weight``. Validation is still scored with the cross-entropy.

    Returns
    -------
    History
        ``flops`` counts training FLOPs only and equals the sum of :func:`train_step_flops` over the
        steps taken (with an ``objective``, its ``head_flops`` in place of :func:`loss_head_flops`;
        evaluation FLOPs are in ``eval_flops``).

    Raises
    ------
    TypeError, ValueError
        Wrong shapes, non-integer or out-of-range labels, non-positive ``lr``, ``epochs`` or
        ``batch_size``, an unknown optimizer, or only one of ``X_val``/``y_val``; the message names
        the argument.
    """
    model = _check_model(model)
    X = _check_X(X, model.n_features, "X")
    n = X.shape[0]
    y = _check_y(y, model.n_classes, n, "y")
    epochs = _positive_int(epochs, "epochs")
    batch_size = _positive_int(batch_size, "batch_size")
    lr = _number(lr, "lr", positive=True)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}; got {optimizer!r}.")
    decay = _number(weight_decay, "weight_decay", nonnegative=True)
    rng = _rng(seed)
    w = _check_weights(sample_weight, n)
    if w is not None:
        w = w * (n / w.sum())
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together (or neither).")
    if X_val is not None:
        X_val = _check_X(X_val, model.n_features, "X_val")
        y_val = _check_y(y_val, model.n_classes, X_val.shape[0], "y_val")
    if eval_every is not None:
        eval_every = _positive_int(eval_every, "eval_every")

    weighted = w is not None
    if objective is not None and weighted:
        raise ValueError("objective and sample_weight cannot be combined: weight the samples inside the objective.")

    def step_flops(size: int) -> int:
        total = train_step_flops(model, size, optimizer, decay, weighted)
        return total if objective is None else total - loss_head_flops(model, size) + int(objective.head_flops(size))

    step_cost = {s: step_flops(s) for s in set(_batch_sizes(n, batch_size))}
    eval_cost = 0 if X_val is None else forward_flops(model, X_val.shape[0]) + loss_flops(model, X_val.shape[0])
    adam = optimizer == "adam"
    moments = [(np.zeros_like(W), np.zeros_like(b), np.zeros_like(W), np.zeros_like(b)) for W, b in model.params]

    rows = {"step": [], "epoch": [], "flops": [], "val_accuracy": [], "val_loss": [], "train_loss": []}
    state = {"flops": 0, "eval_flops": 0, "loss_sum": 0.0, "loss_batches": 0}

    def evaluate(step: int, seen: int):
        rows["step"].append(step)
        rows["epoch"].append(seen / n)
        rows["flops"].append(float(state["flops"]))
        if X_val is None:
            acc, val_loss = math.nan, math.nan
        else:
            logits = model._forward_all(X_val)[-1]
            acc = float(np.mean(np.argmax(logits, axis=1) == y_val))
            val_loss = float(-log_softmax(logits)[np.arange(X_val.shape[0]), y_val].mean())
            state["eval_flops"] += eval_cost
        rows["val_accuracy"].append(acc)
        rows["val_loss"].append(val_loss)
        batches = state["loss_batches"]
        rows["train_loss"].append(state["loss_sum"] / batches if batches else math.nan)
        state["loss_sum"], state["loss_batches"] = 0.0, 0

    evaluate(0, 0)
    step = seen = 0
    last_eval = 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            nb = idx.size
            outs = model._forward_all(X[idx])
            if objective is None:
                loss, grads = _backprop(model, outs, y[idx], 1.0 / nb if w is None else w[idx] / nb)
            else:
                loss, grad_logits = objective.loss_and_gradient(outs[-1], y[idx], idx)
                loss, grads = float(loss), backprop(model, outs, grad_logits)
            step += 1
            seen += nb
            if adam:
                lr_t = lr * math.sqrt(1.0 - _ADAM_BETA2 ** step) / (1.0 - _ADAM_BETA1 ** step)
            for (W, b), (gW, gb), (mW, mb, vW, vb) in zip(model.params, grads, moments):
                if decay > 0:
                    gW = gW + decay * W
                if adam:
                    for p, g, m, v in ((W, gW, mW, vW), (b, gb, mb, vb)):
                        m *= _ADAM_BETA1
                        m += (1.0 - _ADAM_BETA1) * g
                        v *= _ADAM_BETA2
                        v += (1.0 - _ADAM_BETA2) * (g * g)
                        p -= lr_t * m / (np.sqrt(v) + _ADAM_EPS)
                else:
                    W -= lr * gW
                    b -= lr * gb
            state["flops"] += step_cost[nb]
            state["loss_sum"] += loss
            state["loss_batches"] += 1
            if eval_every is not None and step % eval_every == 0:
                evaluate(step, seen)
                last_eval = step
        if eval_every is None:
            evaluate(step, seen)
            last_eval = step
    if last_eval != step:
        evaluate(step, seen)

    arrays = {k: np.asarray(v, dtype=np.int64 if k == "step" else np.float64) for k, v in rows.items()}
    return History(**arrays, eval_flops=float(state["eval_flops"]),
                   info={"optimizer": optimizer, "batch_size": batch_size, "lr": lr, "epochs": epochs,
                         "weight_decay": decay, "n_samples": n, "weighted": weighted})
