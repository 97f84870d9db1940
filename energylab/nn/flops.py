"""FLOP counts of :mod:`energylab.nn`'s networks under the package's stated convention (see :mod:`energylab.nn`)."""
from __future__ import annotations

from ..units import as_number, as_whole
from .network import _check_model

__all__ = ["forward_flops", "loss_flops", "loss_head_flops", "backward_flops", "update_flops", "train_step_flops",
           "train_flops", "six_nd_flops", "energy_of", "OPTIMIZERS", "SOFTMAX_FLOPS_PER_CLASS",
           "CROSS_ENTROPY_FLOPS_PER_SAMPLE", "LOSS_GRAD_FLOPS_PER_CLASS", "SAMPLE_WEIGHT_FLOPS_PER_SAMPLE",
           "WEIGHT_DECAY_FLOPS_PER_WEIGHT", "OPTIMIZER_FLOPS_PER_PARAM", "ACTIVATION_FLOPS"]

#: Optimizers :func:`~energylab.nn.train` supports.
OPTIMIZERS = ("adam", "sgd")

# ---- the FLOP convention (see the package docstring) ------------------------------------------------
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
#: Noise injection per weight and step: scale a normal draw by σ, add it to the weight (the draw itself, like
#: moving data, is not counted).
WEIGHT_NOISE_FLOPS_PER_WEIGHT = 2
#: An activity (L1) penalty on the hidden activations: one add into the loss and one into the gradient each.
ACTIVITY_PENALTY_FLOPS_PER_ACTIVATION = 2
#: Optimizer update per parameter and step.
OPTIMIZER_FLOPS_PER_PARAM = {"sgd": 2, "adam": 12}
#: (forward, backward) FLOPs per activation value.
ACTIVATION_FLOPS = {"relu": (1, 1), "tanh": (1, 3)}


# --------------------------------------------------------------------------------------------------
# FLOP counting
# --------------------------------------------------------------------------------------------------

def _n(n_samples, name: str = "n_samples") -> int:
    return as_whole(n_samples, name, minimum=0, exact=True)


def forward_flops(model, n_samples: int) -> int:
    """FLOPs of a forward pass to the logits (no softmax) on ``n_samples`` samples.

    Σ over dense layers of 2·n·d_in·d_out + n·d_out, plus the hidden activations (ReLU: n·d).
    Add :func:`loss_flops` for the softmax and cross-entropy. See the package docstring for the
    convention.

    Returns
    -------
    int
        FLOPs (a multiply-add counts 2).

    Examples
    --------
    >>> from energylab.nn import MLP
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
    >>> from energylab.nn import MLP
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
    >>> from energylab.nn import MLP
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
    decay = as_number(weight_decay, "weight_decay", nonnegative=True)
    total = OPTIMIZER_FLOPS_PER_PARAM[optimizer] * model.n_params
    if decay > 0:
        total += WEIGHT_DECAY_FLOPS_PER_WEIGHT * model.n_weights
    return total


def train_step_flops(model, batch_size: int, optimizer: str = "adam", weight_decay: float = 0.0,
                     weighted: bool = False, weight_noise: float = 0.0, activity_penalty: float = 0.0) -> int:
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
    weight_noise : float
        Noise injection in :func:`train`; any value above 0 adds ``WEIGHT_NOISE_FLOPS_PER_WEIGHT`` per weight.
    activity_penalty : float
        The L1 penalty on hidden activations in :func:`train`; any value above 0 adds
        ``ACTIVITY_PENALTY_FLOPS_PER_ACTIVATION`` per hidden activation per sample.

    Returns
    -------
    int
        FLOPs under the package's convention.

    Examples
    --------
    >>> from energylab.nn import MLP
    >>> train_step_flops(MLP([3, 4, 2]), 5)   # 250 + 60 + 350 + 12·26
    972
    """
    n = as_whole(batch_size, "batch_size", exact=True)
    model = _check_model(model)
    noise = WEIGHT_NOISE_FLOPS_PER_WEIGHT * model.n_weights if weight_noise > 0 else 0
    activity = ACTIVITY_PENALTY_FLOPS_PER_ACTIVATION * n * sum(model.sizes[1:-1]) if activity_penalty > 0 else 0
    return (forward_flops(model, n) + loss_flops(model, n, weighted) + backward_flops(model, n, weighted)
            + update_flops(model, optimizer, weight_decay) + noise + activity)


def _batch_sizes(n_samples: int, batch_size: int) -> list:
    full, rest = divmod(n_samples, batch_size)
    return [batch_size] * full + ([rest] if rest else [])


def train_flops(model, n_samples: int, epochs: int, batch_size: int, optimizer: str = "adam",
                weight_decay: float = 0.0, weighted: bool = False) -> int:
    """Total FLOPs :func:`train` spends on ``epochs`` passes over ``n_samples`` samples (last batch may be short).

    Equal to ``History.flops[-1]`` of the matching :func:`train` call.
    """
    n = as_whole(n_samples, "n_samples", exact=True)
    epochs = as_whole(epochs, "epochs", exact=True)
    b = as_whole(batch_size, "batch_size", exact=True)
    per_epoch = sum(train_step_flops(model, s, optimizer, weight_decay, weighted) for s in _batch_sizes(n, b))
    return epochs * per_epoch


def six_nd_flops(model, n_samples) -> float:
    """The 6·N·D rule of thumb: 6 × weights × samples seen (Kaplan et al. 2020, arXiv:2001.08361).

    ``n_samples`` counts samples seen in training (epochs × dataset size), the analogue of tokens.
    """
    model = _check_model(model)
    n = as_number(n_samples, "n_samples", nonnegative=True)
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
        Name of an accelerator known to :func:`energylab.chips.accelerators.accelerator`, default ``"A100"``.
    utilisation : float
        Fraction of peak throughput achieved, in (0, 1]; default 0.4.

    Returns
    -------
    pint.Quantity
        Energy in J.
    """
    from energylab import models  # lazy: keeps this module light and decoupled

    return models.energy_for_flops(flops, accelerator, utilisation=utilisation).to("J")
