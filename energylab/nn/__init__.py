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
Every count in this package, and what :func:`train` accumulates, follows one stated convention, so
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
* weight-noise injection (``train(..., weight_noise=σ)``): 2 FLOPs per weight per step (scale, add);
* an activity penalty (``train(..., activity_penalty=c)``): 2 FLOPs per hidden activation per sample;
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

from .flops import (
    ACTIVATION_FLOPS,
    CROSS_ENTROPY_FLOPS_PER_SAMPLE,
    LOSS_GRAD_FLOPS_PER_CLASS,
    OPTIMIZER_FLOPS_PER_PARAM,
    OPTIMIZERS,
    SAMPLE_WEIGHT_FLOPS_PER_SAMPLE,
    SOFTMAX_FLOPS_PER_CLASS,
    WEIGHT_DECAY_FLOPS_PER_WEIGHT,
    WEIGHT_NOISE_FLOPS_PER_WEIGHT,
    ACTIVITY_PENALTY_FLOPS_PER_ACTIVATION,
    backward_flops,
    energy_of,
    forward_flops,
    loss_flops,
    loss_head_flops,
    six_nd_flops,
    train_flops,
    train_step_flops,
    update_flops,
)
from .gradients import backprop, gradient_check, loss_and_gradients, numerical_gradients
from .network import ACTIVATIONS, MLP, SoftmaxRegression, log_softmax, softmax
from .training import History, Objective, train

__all__ = [
    "MLP", "SoftmaxRegression", "History", "train", "forward_flops", "loss_flops", "backward_flops",
    "update_flops", "train_step_flops", "train_flops", "loss_head_flops", "six_nd_flops", "energy_of",
    "Objective", "backprop", "loss_and_gradients", "numerical_gradients", "gradient_check", "softmax", "log_softmax",
    "ACTIVATIONS", "OPTIMIZERS", "SOFTMAX_FLOPS_PER_CLASS", "CROSS_ENTROPY_FLOPS_PER_SAMPLE",
    "LOSS_GRAD_FLOPS_PER_CLASS", "SAMPLE_WEIGHT_FLOPS_PER_SAMPLE", "WEIGHT_DECAY_FLOPS_PER_WEIGHT",
    "WEIGHT_NOISE_FLOPS_PER_WEIGHT",
    "ACTIVITY_PENALTY_FLOPS_PER_ACTIVATION",
    "OPTIMIZER_FLOPS_PER_PARAM",
    "ACTIVATION_FLOPS",
]
