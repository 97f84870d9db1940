"""Training :mod:`energylab.nn`'s networks: :func:`train` (mini-batch SGD or Adam) and its :class:`History`."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from collections.abc import Callable

import numpy as np

from .flops import OPTIMIZERS, _batch_sizes, forward_flops, loss_flops, loss_head_flops, train_step_flops
from .gradients import _backprop, _cross_entropy_head, backprop
from ..units import as_number, as_whole
from .network import _check_model, _check_weights, _check_X, _check_y, _rng, log_softmax

__all__ = ["History", "Objective", "train"]

_ADAM_BETA1, _ADAM_BETA2, _ADAM_EPS = 0.9, 0.999, 1e-8


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
        Training FLOPs spent so far (exact under the package's convention; evaluation excluded).
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
        accuracy = as_number(accuracy, "accuracy")
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
          sample_weight=None, objective: Objective | None = None, weight_noise: float = 0.0,
          activity_penalty: float = 0.0) -> History:
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
    weight_noise : float
        Noise-injection ("hardware-aware") training: at every step each layer's weights are perturbed by
        Gaussian noise of standard deviation ``weight_noise`` × the layer's largest |weight| for the forward
        and backward pass, and the gradient is applied to the clean weights (Murray & Edwards 1994; Joshi
        et al. 2020 use about 0.03–0.04 for analog hardware). Default 0: no noise. Adds
        :data:`WEIGHT_NOISE_FLOPS_PER_WEIGHT` per weight per step.
    activity_penalty : float
        Adds c·(1/n)·Σ over the batch of the sum of the hidden ReLU activations to the objective (an L1 penalty
        on activity: a spiking network converted from the model then fires less; Rueckauer et al. 2017 discuss
        activity and conversion). Default 0. Only for ReLU networks. Adds
        :data:`ACTIVITY_PENALTY_FLOPS_PER_ACTIVATION` per hidden activation per sample.

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
    epochs = as_whole(epochs, "epochs", exact=True)
    batch_size = as_whole(batch_size, "batch_size", exact=True)
    lr = as_number(lr, "lr", positive=True)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}; got {optimizer!r}.")
    decay = as_number(weight_decay, "weight_decay", nonnegative=True)
    noise = as_number(weight_noise, "weight_noise", minimum=0, maximum=1,
                      hint="It is a fraction of each layer's largest |weight|, e.g. 0.03.")
    activity = as_number(activity_penalty, "activity_penalty", nonnegative=True,
                         hint="It multiplies the mean summed hidden activation, e.g. 0.003.")
    if activity > 0 and (model.activation != "relu" or len(model.params) < 2):
        raise ValueError("activity_penalty needs a ReLU network with at least one hidden layer.")
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
        eval_every = as_whole(eval_every, "eval_every", exact=True)

    weighted = w is not None
    if objective is not None and weighted:
        raise ValueError("objective and sample_weight cannot be combined: weight the samples inside the objective.")

    def step_flops(size: int) -> int:
        total = train_step_flops(model, size, optimizer, decay, weighted, noise, activity)
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
            if noise > 0:   # forward and backward through perturbed weights; update the clean ones
                clean = [W for W, _ in model.params]
                model.params = [(W + (noise * np.abs(W).max()) * rng.standard_normal(W.shape), b)
                                for W, b in model.params]
            outs = model._forward_all(X[idx])
            if objective is None and not activity:
                loss, grads = _backprop(model, outs, y[idx], 1.0 / nb if w is None else w[idx] / nb)
            else:
                if objective is None:
                    loss, grad_logits = _cross_entropy_head(outs[-1], y[idx], 1.0 / nb if w is None else w[idx] / nb)
                else:
                    loss, grad_logits = objective.loss_and_gradient(outs[-1], y[idx], idx)
                loss = float(loss) + activity * sum(float(a.sum()) for a in outs[1:-1]) / nb
                grads = backprop(model, outs, grad_logits, activity / nb)
            if noise > 0:
                model.params = [(W, b) for W, (_, b) in zip(clean, model.params)]
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
                         "weight_decay": decay, "n_samples": n, "weighted": weighted,
                         "weight_noise": noise})
