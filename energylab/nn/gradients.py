"""Exact gradients of :mod:`energylab.nn`'s networks by backpropagation, and their check by finite differences."""
from __future__ import annotations

import numpy as np

from ..units import as_number
from .network import MLP, _check_model, _check_weights, _check_X, _check_y, log_softmax

__all__ = ["backprop", "loss_and_gradients", "numerical_gradients", "gradient_check"]


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


def backprop(model, layer_outputs: list, grad_logits: np.ndarray, activity_grad: float = 0.0) -> list:
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
    activity_grad : float
        Gradient of an added penalty c·Σ a over the hidden activations a with respect to each of them (c, already
        divided by the batch size); default 0.

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
            if activity_grad:
                da = da + activity_grad
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
    eps = as_number(eps, "eps", positive=True)
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
