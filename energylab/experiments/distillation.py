"""Knowledge distillation: can a much smaller model learn from a big one's soft outputs? (article claim 8)

The task (:class:`Task`, shared with :mod:`~energylab.experiments.quantization` and
:mod:`~energylab.experiments.rightsizing`): ``N_CLASSES`` classes of points in ``N_FEATURES``
dimensions, grouped in ``N_FAMILIES`` families of look-alike classes (two breeds of dog, two kinds of
truck); each class is a mixture of ``CLUSTERS_PER_CLASS`` clusters, so its boundary is not linear.
``LABEL_NOISE`` of the training labels are wrong, as in any hand-labelled set. Test labels are the
true classes.

What each model saw — six arms per seed:

* ``"teacher"`` — a wide network, ``MLP([N_FEATURES, TEACHER_HIDDEN, N_CLASSES])``, trained with hard
  (one-hot) labels on ``N_TEACHER_TRAIN`` labelled samples: the large, general model;
* ``"hard_label"`` — a small student, ``MLP([N_FEATURES, STUDENT_HIDDEN, N_CLASSES])``, trained on the
  **transfer set** (the first ``N_TRANSFER`` of the teacher's samples: the few labelled examples of a
  specific use) with their hard labels;
* ``"distilled"`` — the same student (same initialisation, same samples in the same order, same
  number of steps) trained on the teacher's **soft targets** on the transfer set (Hinton et al. 2015):
  the loss is ``SOFT_WEIGHT`` · T² · cross-entropy(teacher softmax at T, student softmax at T)
  + (1 − ``SOFT_WEIGHT``) · cross-entropy(label, student softmax at 1), with T = ``TEMPERATURE``;
* ``"small_data_teacher"`` and ``"small_data_distilled"`` — a control: a teacher of the same wide
  architecture trained only on the transfer set (the students' epochs and batch size, the teacher's
  learning rate), and a student distilled from it. Where does the gain come from: from the big
  teacher's knowledge of more data, or from soft targets as such?
* ``"hard_label_full"`` — a reference: the student trained on hard labels on all the teacher's
  ``N_TEACHER_TRAIN`` samples (the teacher's epochs and batch size, the student's learning rate).
  Distillation matters when labelled data for the specific use is scarce; given as many labels as the
  teacher, hard labels do about as well.

The tuning budget (the same for every student trained on the transfer set: ``"hard_label"``,
``"distilled"`` and ``"small_data_distilled"``): one hyperparameter, the weight decay, from the declared
grid :data:`WEIGHT_DECAYS`; every candidate starts from the same initialisation and sees the same samples in
the same order, and everything else (epochs, batch size, learning rate, temperature, soft weight) is
fixed. The candidate chosen is the one of highest accuracy on a **validation split**: ``N_VALIDATION``
fresh labelled samples of the task with the same ``LABEL_NOISE`` as the training labels (a stated
choice: the labels a practitioner of the specific use would hold out), drawn from a random stream of
their own. Ties go to the smaller decay. The test set is read only after the choice, for the chosen
models, and, as a reported reference that no choice depends on, for the untuned (weight decay 0)
students: :attr:`DistillationResult.untuned_gain` is the gain of the comparison without tuning (what the
experiment reported before both arms were tuned). The teachers and ``"hard_label_full"`` are not tuned.

Every model is scored on ``N_TEST`` fresh samples with true labels, and costed per query (one input):
inference FLOPs (:func:`energylab.nn.forward_flops`), joules on an A100 (bf16 at 40 % of peak) and the
energy of its multiply–accumulates at fp32 on Horowitz's 45 nm table (fp32 multiply + fp32 add).

Stated conclusion (:func:`holds`, declared before the runs, checked for every seed): the student needs at
most ``MAX_STUDENT_FLOPS_SHARE`` of the teacher's FLOPs per query, and the distilled student is at least as
accurate as the same student trained on hard labels (same data, same steps, the same tuning budget). With
both students tuned it fails on seed 1 (the tuned hard-label student is the more accurate there), and the
gain that remains is much smaller than the untuned one: most of the untuned gain was regularisation,
which weight decay gives hard labels too (see :class:`DistillationSummary`).

Distillation is not free: the teacher must exist, and it labels the transfer set (forward passes)
before the student trains, and every candidate of the tuning grid is trained.
:attr:`DistillationResult.break_even_queries` is how many queries the student must answer instead of the
teacher to pay that back.

Notes
-----
Hinton, Vinyals & Dean (2015), "Distilling the knowledge in a neural network", arXiv:1503.02531
(soft targets at temperature T, gradients scaled by T²; soft targets as a regulariser when a model
trains on little data). DistilBERT (Sanh et al. 2019, arXiv:1910.01108) kept 97 % of BERT's language
understanding (the paper; "over 95 %" in the Hugging Face docs) with 40 % fewer parameters; they compare
with a student trained without the teacher, not with a hard-label student tuned as carefully. The task is
synthetic: the size of the gain depends on the data budget chosen below, on how well the hard-label
baseline is regularised, and it shrinks when the student has as much labelled data as the teacher (see
:class:`DistillationSummary`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from energylab import nn

from .protocol import (MeanStd, Summary, first_seed, from_results, joules, mean_std, over_seeds, per_arm, per_seed,
                       summarise)

__all__ = ["Task", "make_task", "train_student", "student_step_flops", "distillation_loss_and_gradients",
           "soft_targets", "mac_energy_fp32", "select_weight_decay", "Arm", "DistillationResult",
           "DistillationSummary", "run", "run_many", "holds", "ARMS", "TUNED_ARMS", "WEIGHT_DECAYS"]

# ---- the task (shared with quantization and rightsizing) ---------------------------------------------
N_FEATURES = 16           # features per sample
N_FAMILIES = 5            # families of look-alike classes
CLASSES_PER_FAMILY = 2    # classes per family
N_CLASSES = N_FAMILIES * CLASSES_PER_FAMILY   # 10 classes
CLUSTERS_PER_CLASS = 3    # each class is a mixture of this many Gaussian clusters (unit noise each)
FAMILY_SPREAD = 1.5       # standard deviation of the family centres
CLASS_SPREAD = 0.5        # standard deviation of a class centre around its family's (look-alikes)
CLUSTER_SPREAD = 0.6      # standard deviation of a cluster centre around its class's
LABEL_NOISE = 0.10        # share of training labels replaced by a uniformly random class
N_TEST = 4000             # held-out samples with true labels

# ---- the data each model saw ---------------------------------------------------------------------------
N_TEACHER_TRAIN = 3000    # labelled samples the teacher trains on
N_TRANSFER = 300          # the transfer set: the first 300 of them, all the students see
N_VALIDATION = 500        # fresh labelled samples (same label noise) for choosing the weight decay

# ---- the models ------------------------------------------------------------------------------------------
TEACHER_HIDDEN = 256      # the teacher: MLP([16, 256, 10]), about 14 kFLOP per query
STUDENT_HIDDEN = 16       # the student: MLP([16, 16, 10]), about 0.9 kFLOP per query (16× less)

# ---- training ----------------------------------------------------------------------------------------------
TEACHER_EPOCHS = 10
TEACHER_BATCH_SIZE = 64
TEACHER_LR = 3e-3         # Adam
STUDENT_EPOCHS = 25       # passes over the transfer set, for every student (and the small-data teacher)
STUDENT_BATCH_SIZE = 30   # 10 steps per epoch: 250 optimizer steps
STUDENT_LR = 1e-2         # Adam
TEMPERATURE = 4.0         # softmax temperature of the soft targets (Hinton et al.: 1–10 is typical)
SOFT_WEIGHT = 0.9         # weight of the soft-target term; the hard-label term gets 1 − SOFT_WEIGHT

# ---- the tuning budget, the same for every student trained on the transfer set -----------------------------
#: Weight decays tried (L2 on the weights, :func:`energylab.nn.train`), in half-decade steps from none to
#: strong; 0 is the untuned run. Everything else in the recipe above is fixed.
WEIGHT_DECAYS = (0.0, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)

# ---- the stated conclusion ---------------------------------------------------------------------------------
MAX_STUDENT_FLOPS_SHARE = 0.10   # the student may use at most 10 % of the teacher's FLOPs per query

# ---- FLOP convention for the soft-target head (extends energylab.nn's) ------------------------------------
#: Soft-target loss per sample and class: divide the logit by T (1), softmax (5), log, multiply by the
#: target and accumulate (3).
SOFT_LOSS_FLOPS_PER_CLASS = 1 + nn.SOFTMAX_FLOPS_PER_CLASS + 3
#: Its gradient with respect to the logits, per sample and class: subtract the target, scale by w·T/n.
SOFT_GRAD_FLOPS_PER_CLASS = 2
#: Mixing the two terms, per sample: scale each loss and add them (3), and per class add the two
#: gradients (1, see :func:`student_step_flops`).
MIX_FLOPS_PER_SAMPLE = 3
#: Making a soft target from a teacher logit: divide by T and a softmax, per class.
SOFT_TARGET_FLOPS_PER_CLASS = 1 + nn.SOFTMAX_FLOPS_PER_CLASS

#: The arms, in the order they are reported.
ARMS = ("teacher", "hard_label", "distilled", "small_data_teacher", "small_data_distilled", "hard_label_full")
#: The arms tuned with the same budget (:data:`WEIGHT_DECAYS`, chosen on the validation split).
TUNED_ARMS = ("hard_label", "distilled", "small_data_distilled")


# --------------------------------------------------------------------------------------------------
# the task
# --------------------------------------------------------------------------------------------------

@dataclass
class Task:
    """Where the classes live: ``centres[k, m]`` is the centre of cluster m of class k.

    Classes ``CLASSES_PER_FAMILY·f`` … ``CLASSES_PER_FAMILY·(f+1) − 1`` form family f (look-alikes).
    """
    centres: np.ndarray

    @property
    def n_classes(self) -> int:
        return self.centres.shape[0]

    def sample(self, n: int, rng: np.random.Generator, label_noise: float = 0.0):
        """``n`` samples: a uniform class, a uniform cluster of it, unit Gaussian noise around its centre.

        Returns
        -------
        X : ndarray, shape (n, N_FEATURES)
        y : ndarray of int, shape (n,)
            Labels, of which a share ``label_noise`` (in expectation) replaced by a uniform random class.
        y_true : ndarray of int, shape (n,)
            The true classes.
        """
        k, m, d = self.centres.shape
        y_true = rng.integers(0, k, size=n)
        cluster = rng.integers(0, m, size=n)
        X = self.centres[y_true, cluster] + rng.normal(size=(n, d))
        y = y_true.copy()
        flip = rng.random(n) < label_noise
        y[flip] = rng.integers(0, k, size=int(flip.sum()))
        return X, y, y_true

    def bayes_predict(self, X) -> np.ndarray:
        """The best possible prediction (the class of highest posterior under the true mixture)."""
        d2 = ((np.asarray(X)[:, None, None, :] - self.centres[None]) ** 2).sum(axis=-1)   # (n, k, m)
        low = d2.min(axis=(1, 2), keepdims=True)
        return np.argmax(np.exp(-0.5 * (d2 - low)).sum(axis=2), axis=1)


def make_task(rng) -> Task:
    """Draw the chapter's task: family centres, class centres around them, cluster centres around those."""
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    family = rng.normal(0.0, FAMILY_SPREAD, size=(N_FAMILIES, N_FEATURES))
    classes = (np.repeat(family, CLASSES_PER_FAMILY, axis=0)
               + rng.normal(0.0, CLASS_SPREAD, size=(N_CLASSES, N_FEATURES)))
    clusters = (classes[:, None, :]
                + rng.normal(0.0, CLUSTER_SPREAD, size=(N_CLASSES, CLUSTERS_PER_CLASS, N_FEATURES)))
    return Task(clusters)


# --------------------------------------------------------------------------------------------------
# training on soft targets
# --------------------------------------------------------------------------------------------------

def soft_targets(teacher, X, temperature: float = TEMPERATURE) -> np.ndarray:
    """The teacher's softened class probabilities, softmax(logits / T), shape (n, n_classes)."""
    return nn.softmax(teacher.forward(X) / float(temperature))


def _check_soft(soft_targets, n: int, k: int, soft_weight: float, temperature: float):
    if not 0.0 <= soft_weight <= 1.0:
        raise ValueError(f"soft_weight must be between 0 and 1; got {soft_weight:g}.")
    if not (math.isfinite(temperature) and temperature > 0):
        raise ValueError(f"temperature must be a positive number; got {temperature:g}.")
    if soft_weight == 0:
        return None
    if soft_targets is None:
        raise ValueError("soft_targets are needed when soft_weight > 0.")
    p = np.asarray(soft_targets, dtype=np.float64)
    if p.shape != (n, k):
        raise ValueError(f"soft_targets must have shape ({n}, {k}), one distribution per sample; got {p.shape}.")
    if not np.all(np.isfinite(p)) or np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0):
        raise ValueError("soft_targets must be probabilities: non-negative rows that sum to 1.")
    return p


def _distillation_head(z, y, soft, temperature, soft_weight):
    """The distillation objective on one batch of logits ``z`` and its gradient wrt them."""
    n = z.shape[0]
    rows = np.arange(n)
    loss = 0.0
    delta = np.zeros_like(z)
    if soft_weight < 1.0:                       # hard labels, as in energylab.nn
        logp = nn.log_softmax(z)
        loss += (1.0 - soft_weight) * float(-logp[rows, y].sum() / n)
        hard = np.exp(logp)
        hard[rows, y] -= 1.0
        delta += hard * ((1.0 - soft_weight) / n)
    if soft_weight > 0.0:                       # soft targets at temperature T, scaled by T²
        logq = nn.log_softmax(z / temperature)
        loss += soft_weight * temperature ** 2 * float(-(soft * logq).sum() / n)
        delta += (np.exp(logq) - soft) * (soft_weight * temperature / n)
    return loss, delta


def distillation_loss_and_gradients(model, X, y, soft_targets=None, temperature: float = TEMPERATURE,
                                    soft_weight: float = SOFT_WEIGHT):
    """The distillation objective on a batch and its exact gradients (for checks and teaching).

    Objective = w·T²·(1/n)·Σ CE(p_i, softmax(z_i/T)) + (1 − w)·(1/n)·Σ CE(y_i, softmax(z_i)), with
    w = ``soft_weight``, p_i the soft targets and z_i the student's logits. Its gradient with respect
    to z_i is w·T·(softmax(z_i/T) − p_i)/n + (1 − w)·(softmax(z_i) − onehot(y_i))/n: the T² keeps the
    soft term's gradients the same size whatever T (Hinton et al. 2015).

    Returns
    -------
    loss : float
    grads : list of (dW, db), the shapes of ``model.params``
    """
    outs = model.layer_outputs(X)
    y = np.asarray(y, dtype=np.int64)
    soft = _check_soft(soft_targets, outs[0].shape[0], model.n_classes, float(soft_weight), float(temperature))
    loss, grad_logits = _distillation_head(outs[-1], y, soft, float(temperature), float(soft_weight))
    return loss, nn.backprop(model, outs, grad_logits)


def student_step_flops(model, batch_size: int, soft_weight: float, weight_decay: float = 0.0) -> int:
    """FLOPs of one step of :func:`train_student` (Adam) on a batch, under :mod:`energylab.nn`'s convention.

    Forward, backward through the layers and the Adam update (with ``weight_decay`` > 0, its 2 FLOPs per
    weight) as in :func:`energylab.nn.train_step_flops`; the loss head depends on ``soft_weight`` (w): the
    hard head (softmax, cross-entropy, gradient) when w < 1, the soft head (:data:`SOFT_LOSS_FLOPS_PER_CLASS`
    + :data:`SOFT_GRAD_FLOPS_PER_CLASS` per class) when w > 0, and mixing the two (:data:`MIX_FLOPS_PER_SAMPLE`
    per sample and 1 per class) when both. With w = 0 it equals
    ``nn.train_step_flops(model, batch_size, "adam", weight_decay)``.
    """
    n = int(batch_size)
    hard_step = nn.train_step_flops(model, n, "adam", weight_decay)
    return int(hard_step - nn.loss_head_flops(model, n) + _head_flops(model, n, soft_weight))


def _head_flops(model, n: int, soft_weight: float) -> int:
    """FLOPs of the distillation objective and its gradient wrt the logits on a batch of ``n``."""
    k = model.n_classes
    total = 0
    if soft_weight < 1:
        total += nn.loss_head_flops(model, n)
    if soft_weight > 0:
        total += n * k * (SOFT_LOSS_FLOPS_PER_CLASS + SOFT_GRAD_FLOPS_PER_CLASS)
    if 0 < soft_weight < 1:
        total += n * (MIX_FLOPS_PER_SAMPLE + k)
    return total


@dataclass
class StudentTraining:
    """What :func:`train_student` spent and saw: training ``flops`` and the mean objective per epoch."""
    flops: float
    steps: int
    loss: np.ndarray


def train_student(model, X, y, soft_targets=None, *, temperature: float = TEMPERATURE,
                  soft_weight: float = SOFT_WEIGHT, epochs: int, batch_size: int, lr: float,
                  weight_decay: float = 0.0, seed=0) -> StudentTraining:
    """Train ``model`` in place with Adam on the distillation objective (hard labels when ``soft_weight`` = 0).

    :func:`energylab.nn.train` (its shuffling from ``seed``, its Adam) with the distillation objective as
    an :class:`energylab.nn.Objective`; with ``soft_weight=0`` it gives the same parameters as
    ``nn.train(model, X, y, ...)``.

    Parameters
    ----------
    model : energylab.nn.MLP
    X : ndarray, shape (n, n_features)
    y : ndarray of int, shape (n,)
        Hard labels (used by the (1 − soft_weight) term).
    soft_targets : ndarray, shape (n, n_classes), optional
        Target distributions, e.g. :func:`soft_targets` of a teacher at ``temperature``; needed when
        ``soft_weight`` > 0.
    temperature : float
        T > 0, applied to the student's logits in the soft term.
    soft_weight : float
        w in [0, 1], the weight of the soft term.
    epochs, batch_size : int
    lr : float
        Adam learning rate.
    weight_decay : float
        L2 coefficient on the weights (not the biases), as in :func:`energylab.nn.train`; default 0.
    seed : int or numpy.random.Generator
        Seeds the shuffling.

    Returns
    -------
    StudentTraining
        ``flops`` is the sum of :func:`student_step_flops` (with ``weight_decay``) over the steps.
    """
    y = np.asarray(y, dtype=np.int64)
    temperature, soft_weight = float(temperature), float(soft_weight)
    soft = _check_soft(soft_targets, y.shape[0], model.n_classes, soft_weight, temperature)

    def loss_and_gradient(logits, labels, batch):
        return _distillation_head(logits, labels, None if soft is None else soft[batch], temperature, soft_weight)

    objective = nn.Objective(loss_and_gradient, lambda n: _head_flops(model, n, soft_weight))
    history = nn.train(model, X, y, epochs=epochs, batch_size=batch_size, lr=lr, weight_decay=weight_decay,
                       seed=seed, objective=objective)
    return StudentTraining(history.total_flops, int(history.step[-1]), history.train_loss[1:])


# --------------------------------------------------------------------------------------------------
# energy per query
# --------------------------------------------------------------------------------------------------

def mac_energy_fp32() -> float:
    """Energy of one fp32 multiply–accumulate on Horowitz's 45 nm table (multiply + add), in J."""
    from energylab import sources

    mult = sources.value("horowitz_fp32_mult_energy").to("J").magnitude
    add = sources.value("horowitz_fp32_add_energy").to("J").magnitude
    return float(mult + add)


# --------------------------------------------------------------------------------------------------
# the experiment
# --------------------------------------------------------------------------------------------------

def select_weight_decay(validation_accuracy) -> int:
    """Index of the candidate of highest validation accuracy (the first, i.e. the smallest decay, on a tie).

    ``validation_accuracy[i]`` is the validation accuracy of the student trained with ``WEIGHT_DECAYS[i]``;
    the test set plays no part.
    """
    scores = np.asarray(validation_accuracy, dtype=np.float64)
    if scores.ndim != 1 or scores.size == 0 or not np.all(np.isfinite(scores)):
        raise ValueError("validation_accuracy must be a non-empty sequence of finite numbers, one per candidate.")
    return int(np.argmax(scores))


@dataclass
class Arm:
    """One model: what it saw, how well it does, what a query costs.

    Attributes
    ----------
    name : str
    sizes : tuple of int
        Layer widths of its MLP.
    n_params : int
    n_train : int
        Samples in its training set.
    training_flops : float
        FLOPs of its own training (for a distilled student, not counting its teacher; for a tuned arm, the
        chosen candidate's).
    accuracy : float
        Held-out accuracy (true labels).
    flops_per_query : int
        Inference FLOPs for one input (:func:`energylab.nn.forward_flops`).
    joules_per_query : float
        Those FLOPs on an A100 (bf16, 40 % of peak, PUE 1), in J.
    mac_energy_per_query : float
        Its multiply–accumulates (one per weight) at fp32 on Horowitz's 45 nm table, in J.
    weight_decay : float
        The weight decay it was trained with (chosen on the validation split for :data:`TUNED_ARMS`, else 0).
    validation_accuracy : tuple of float
        For a tuned arm, the validation accuracy of each candidate of :data:`WEIGHT_DECAYS`, in order; empty
        for an arm that was not tuned.
    tuning_flops : float
        Training FLOPs of every candidate tried plus their forward passes over the validation split;
        ``training_flops`` for an arm that was not tuned.
    """
    name: str
    sizes: tuple
    n_params: int
    n_train: int
    training_flops: float
    accuracy: float
    flops_per_query: int
    joules_per_query: float
    mac_energy_per_query: float
    weight_decay: float = 0.0
    validation_accuracy: tuple = ()
    tuning_flops: float = math.nan

    def __post_init__(self):
        if math.isnan(self.tuning_flops):
            self.tuning_flops = float(self.training_flops)


@dataclass
class DistillationResult:
    """One seed: ``arms`` maps each of :data:`ARMS` to :class:`Arm`, and derived numbers.

    Attributes
    ----------
    gain : float
        Accuracy of the distilled student minus that of the hard-label student, both tuned with the same
        budget (weight decay chosen on the validation split).
    small_data_gain : float
        The same for the student distilled from the small-data teacher (the control), also tuned.
    untuned : dict
        For each of :data:`TUNED_ARMS`, the test accuracy of its candidate with weight decay 0 (the
        comparison without tuning; a reported reference, not used for any choice).
    untuned_gain : float
        ``untuned["distilled"] − untuned["hard_label"]``: the gain without tuning.
    untuned_small_data_gain : float
        ``untuned["small_data_distilled"] − untuned["hard_label"]``.
    retained : float
        Distilled student's accuracy / teacher's (DistilBERT kept 97 %).
    flops_share : float
        Student's FLOPs per query / teacher's.
    labelling_flops : float
        The teacher's forward passes and soft targets on the transfer set.
    break_even_queries : float
        (labelling FLOPs + the distilled student's tuning FLOPs, every candidate and its validation) /
        (teacher's − student's FLOPs per query): queries after which distilling has cost less than serving
        the teacher.
    bayes_accuracy : float
        Test accuracy of the best possible classifier (the true mixture), the ceiling.
    """
    seed: int
    arms: dict
    gain: float
    small_data_gain: float
    untuned: dict
    untuned_gain: float
    untuned_small_data_gain: float
    retained: float
    flops_share: float
    labelling_flops: float
    break_even_queries: float
    bayes_accuracy: float


def _arm(name, model, n_train, training_flops, X_test, y_test, **tuning) -> Arm:
    per_query = nn.forward_flops(model, 1)
    return Arm(name=name, sizes=model.sizes, n_params=model.n_params, n_train=int(n_train),
               training_flops=float(training_flops), accuracy=model.accuracy(X_test, y_test),
               flops_per_query=int(per_query), joules_per_query=joules(per_query),
               mac_energy_per_query=model.n_weights * mac_energy_fp32(), **tuning)


def run(seed: int = 0) -> DistillationResult:
    """Run one seed: draw the task and data, train the teacher, tune the students and run the control.

    Parameters
    ----------
    seed : int
        Seeds the task, the data, the validation split, the initialisations and the shuffling. Every
        student candidate starts from the same initialisation and sees the transfer set in the same order.

    Returns
    -------
    DistillationResult
    """
    seq = np.random.SeedSequence(int(seed))
    task_rng, data_rng, test_rng, shuffle_rng, validation_rng = (np.random.default_rng(s) for s in seq.spawn(5))
    teacher_init, student_init = (int(s) for s in seq.generate_state(2))
    task = make_task(task_rng)
    X, y, _ = task.sample(N_TEACHER_TRAIN, data_rng, LABEL_NOISE)
    X_test, _, y_test = task.sample(N_TEST, test_rng)
    X_val, y_val, _ = task.sample(N_VALIDATION, validation_rng, LABEL_NOISE)   # noisy labels, like the training's
    Xs, ys = X[:N_TRANSFER], y[:N_TRANSFER]
    s_teacher, s_student, s_small, s_full = (int(s) for s in shuffle_rng.integers(0, 2**63, size=4))

    teacher = nn.MLP([N_FEATURES, TEACHER_HIDDEN, N_CLASSES], seed=teacher_init)
    history = nn.train(teacher, X, y, epochs=TEACHER_EPOCHS, batch_size=TEACHER_BATCH_SIZE, lr=TEACHER_LR,
                       seed=s_teacher)
    arms = {"teacher": _arm("teacher", teacher, N_TEACHER_TRAIN, history.total_flops, X_test, y_test)}
    untuned = {}

    def train(soft, weight, decay):
        model = nn.MLP([N_FEATURES, STUDENT_HIDDEN, N_CLASSES], seed=student_init)
        trained = train_student(model, Xs, ys, soft, temperature=TEMPERATURE, soft_weight=weight,
                                epochs=STUDENT_EPOCHS, batch_size=STUDENT_BATCH_SIZE, lr=STUDENT_LR,
                                weight_decay=decay, seed=s_student)
        return model, trained.flops

    def student(name, soft, weight):
        """Train every candidate, choose on the validation split, then read the test set."""
        candidates = [train(soft, weight, decay) for decay in WEIGHT_DECAYS]
        scores = tuple(model.accuracy(X_val, y_val) for model, _ in candidates)
        chosen = select_weight_decay(scores)
        spent = sum(flops for _, flops in candidates) + len(candidates) * nn.forward_flops(candidates[0][0],
                                                                                          N_VALIDATION)
        model, flops = candidates[chosen]
        plain = candidates[WEIGHT_DECAYS.index(0.0)][0] if 0.0 in WEIGHT_DECAYS else train(soft, weight, 0.0)[0]
        untuned[name] = plain.accuracy(X_test, y_test)        # reported only; no choice depends on it
        return _arm(name, model, N_TRANSFER, flops, X_test, y_test, weight_decay=float(WEIGHT_DECAYS[chosen]),
                    validation_accuracy=scores, tuning_flops=float(spent))

    arms["hard_label"] = student("hard_label", None, 0.0)
    arms["distilled"] = student("distilled", soft_targets(teacher, Xs), SOFT_WEIGHT)

    small = nn.MLP([N_FEATURES, TEACHER_HIDDEN, N_CLASSES], seed=teacher_init)
    small_history = nn.train(small, Xs, ys, epochs=STUDENT_EPOCHS, batch_size=STUDENT_BATCH_SIZE, lr=TEACHER_LR,
                             seed=s_small)
    arms["small_data_teacher"] = _arm("small_data_teacher", small, N_TRANSFER, small_history.total_flops,
                                      X_test, y_test)
    arms["small_data_distilled"] = student("small_data_distilled", soft_targets(small, Xs), SOFT_WEIGHT)

    full = nn.MLP([N_FEATURES, STUDENT_HIDDEN, N_CLASSES], seed=student_init)
    full_history = nn.train(full, X, y, epochs=TEACHER_EPOCHS, batch_size=TEACHER_BATCH_SIZE, lr=STUDENT_LR,
                            seed=s_full)
    arms["hard_label_full"] = _arm("hard_label_full", full, N_TEACHER_TRAIN, full_history.total_flops, X_test, y_test)

    t, h, d = arms["teacher"], arms["hard_label"], arms["distilled"]
    labelling = nn.forward_flops(teacher, N_TRANSFER) + SOFT_TARGET_FLOPS_PER_CLASS * N_CLASSES * N_TRANSFER
    saving = t.flops_per_query - d.flops_per_query
    return DistillationResult(
        seed=int(seed), arms=arms, gain=d.accuracy - h.accuracy,
        small_data_gain=arms["small_data_distilled"].accuracy - h.accuracy,
        untuned=untuned, untuned_gain=untuned["distilled"] - untuned["hard_label"],
        untuned_small_data_gain=untuned["small_data_distilled"] - untuned["hard_label"],
        retained=d.accuracy / t.accuracy, flops_share=d.flops_per_query / t.flops_per_query,
        labelling_flops=float(labelling), break_even_queries=(labelling + d.tuning_flops) / saving,
        bayes_accuracy=float(np.mean(task.bayes_predict(X_test) == y_test)))


def holds(result: DistillationResult) -> bool:
    """The stated conclusion for one seed (declared before the runs).

    True when the student costs at most ``MAX_STUDENT_FLOPS_SHARE`` of the teacher's FLOPs per query, both
    students had the same tuning budget, and the distilled student is at least as accurate as the
    hard-label student (same data, same steps, weight decay chosen for each on the validation split).
    """
    a = result.arms
    budget = len(WEIGHT_DECAYS)
    return (a["distilled"].flops_per_query == a["hard_label"].flops_per_query
            and a["distilled"].training_flops > 0
            and len(a["distilled"].validation_accuracy) == len(a["hard_label"].validation_accuracy) == budget
            and result.flops_share <= MAX_STUDENT_FLOPS_SHARE
            and a["distilled"].accuracy >= a["hard_label"].accuracy)


def _weight_decays(results) -> dict:
    return {arm: [r.arms[arm].weight_decay for r in results] for arm in TUNED_ARMS}


def _regularisation_share(results) -> float:
    """Share of the mean untuned gain that tuning the weight decay of both arms removed."""
    untuned = float(np.mean([r.untuned_gain for r in results]))
    return (untuned - float(np.mean([r.gain for r in results]))) / untuned if untuned else math.nan


@dataclass(kw_only=True)
class DistillationSummary(Summary):
    """Mean ± standard deviation over seeds, per arm, and the conclusion the numbers support.

    Dictionaries map arm names (:data:`ARMS`) to :class:`~energylab.experiments.MeanStd`; ``flops_per_query``,
    ``joules_per_query`` and ``mac_energy_per_query`` are the same on every seed, and so is ``flops_share``.
    ``gain`` is the tuned comparison, ``untuned_gain`` the same with weight decay 0 for both arms;
    ``regularisation_share`` is the share of the mean untuned gain that tuning removed
    (1 − mean gain / mean untuned gain); ``weight_decays`` lists the chosen decay per seed for each of
    :data:`TUNED_ARMS`, and ``gains`` / ``untuned_gains`` the gains per seed.
    """
    GROUPS = ARMS

    accuracy: dict = per_arm()
    training_flops: dict = per_arm()
    tuning_flops: dict = per_arm()
    flops_per_query: dict = per_arm()
    joules_per_query: dict = per_arm()
    mac_energy_per_query: dict = per_arm()
    gain: MeanStd = over_seeds()
    untuned_gain: MeanStd = over_seeds()
    small_data_gain: MeanStd = over_seeds()
    untuned_small_data_gain: MeanStd = over_seeds()
    untuned_accuracy: dict = from_results(lambda rs: {a: mean_std([r.untuned[a] for r in rs]) for a in TUNED_ARMS})
    gains: list = per_seed("gain")
    untuned_gains: list = per_seed("untuned_gain")
    weight_decays: dict = from_results(_weight_decays)
    regularisation_share: float = from_results(_regularisation_share)
    retained: MeanStd = over_seeds()
    flops_share: float = first_seed()
    break_even_queries: MeanStd = over_seeds()
    bayes_accuracy: MeanStd = over_seeds()


def run_many(seeds=range(5)) -> DistillationSummary:
    """Run :func:`run` for each seed and summarise (see :class:`DistillationSummary`)."""
    return summarise(DistillationSummary, run, holds, seeds, _conclusion)


def _distilbert() -> str:
    """DistilBERT's published trade-off, from the sources registry."""
    from energylab import sources

    kept = sources.get("distilbert_capability_retained")
    fewer = sources.get("distilbert_parameter_reduction")
    return (f"DistilBERT kept {kept.value:g} % of BERT's language understanding with {fewer.value:g} % fewer "
            f"parameters, {kept.cite()}")


def _points(m: MeanStd) -> str:
    """A difference in accuracy as signed points: '+6.9 ± 1.1 points'."""
    spread = f" ± {m.std * 100:.1f}" if m.n_finite > 1 and m.std > 0 else ""
    return f"{m.mean * 100:+.1f}{spread} points"


def _per_seed(values) -> str:
    return f"between {min(values) * 100:+.1f} and {max(values) * 100:+.1f} per seed"


def _decays(values) -> str:
    return ", ".join(f"{v:g}" for v in values)


def _conclusion(s: DistillationSummary) -> str:
    n = len(s.seeds)
    acc = s.percents("accuracy")
    fq = {a: s.flops_per_query[a].format_si("FLOP", sig=3) for a in ARMS}
    mac = {a: s.mac_energy_per_query[a].format_si("J") for a in ARMS}
    budget = (f"weight decay chosen from {{{_decays(WEIGHT_DECAYS)}}} for each on {N_VALIDATION} labelled "
              f"validation samples")
    if all(s.holds):
        head = (f"On all {n} seeds, a student with {s.flops_share:.0%} of the teacher's FLOPs per query "
                f"({fq['distilled']} vs {fq['teacher']}, {1 / s.flops_share:.0f}× fewer; {mac['distilled']} vs "
                f"{mac['teacher']} of fp32 multiply–accumulates at 45 nm) was at least as accurate when distilled "
                f"from the teacher's soft targets as when trained on the {N_TRANSFER} hard labels, with the same "
                f"data, steps and tuning budget ({budget}): ")
    else:
        won = sum(g >= 0 for g in s.gains)
        head = (f"The stated conclusion failed on seed(s) {s.failed_seeds}: with the same data, steps and tuning "
                f"budget ({budget}), the distilled student was at least as accurate as the hard-label student on "
                f"{won} of {n} seeds, not on every seed. With {s.flops_share:.0%} of the teacher's FLOPs per query "
                f"({fq['distilled']} vs {fq['teacher']}), the student reached ")
    text = head + (f"{acc['distilled']} distilled vs {acc['hard_label']} on hard labels ({_points(s.gain)}, "
                   f"{_per_seed(s.gains)}), against {acc['teacher']} for the teacher trained on "
                   f"{N_TEACHER_TRAIN:,} labels. ")
    untuned = s.untuned_accuracy
    text += (f"Without weight decay for either arm the gain was {_points(s.untuned_gain)} "
             f"({untuned['distilled'].format('.1f', 100, ' %')} vs {untuned['hard_label'].format('.1f', 100, ' %')}, "
             f"{_per_seed(s.untuned_gains)}): ")
    if s.regularisation_share > 0.5:
        text += (f"about {s.regularisation_share:.0%} of that gain was ordinary regularisation, which weight decay "
                 f"gives hard labels too. ")
    elif s.regularisation_share > 0:
        text += f"tuning removed about {s.regularisation_share:.0%} of it. "
    else:
        text += "tuning both arms did not shrink it. "
    text += (f"Validation chose a weight decay of {_decays(s.weight_decays['hard_label'])} for the hard-label student "
             f"and {_decays(s.weight_decays['distilled'])} for the distilled one (seeds {s.seeds[0]}–{s.seeds[-1]}). "
             f"The distilled student kept {s.retained.format('.0f', 100, ' %')} of the teacher's accuracy "
             f"({_distilbert()}). ")
    control = (f"A teacher of the same size trained only on the {N_TRANSFER} transfer samples scored "
               f"{acc['small_data_teacher']}, and a student distilled from it {acc['small_data_distilled']} "
               f"({_points(s.small_data_gain)} against the tuned hard labels): ")
    if s.small_data_gain.mean <= 0:
        control += ("soft targets by themselves did not beat tuned hard labels; what is left of the gain comes from "
                    f"what the big teacher learnt from {N_TEACHER_TRAIN // N_TRANSFER}× more data. ")
    elif s.small_data_gain.mean < 0.5 * s.gain.mean:
        control += (f"most of the gain is what the big teacher learnt from {N_TEACHER_TRAIN // N_TRANSFER}× more "
                    f"data, passed on through its soft outputs. ")
    else:
        control += "soft targets help by themselves, not only through the teacher's extra data. "
    full_gap = s.accuracy["teacher"].mean - s.accuracy["hard_label_full"].mean
    control += f"Given all {N_TEACHER_TRAIN:,} labels, the small student alone reached {acc['hard_label_full']}"
    if abs(full_gap) < 0.01:
        control += (", as good as the teacher: for this task the teacher's size buys nothing, and what counts is "
                    "labelled data for the specific use. ")
    else:
        control += (f", {abs(full_gap) * 100:.1f} points {'below' if full_gap > 0 else 'above'} the teacher: "
                    f"distillation pays most where labelled data for the specific use is scarce. ")
    cost = (f"Distilling cost the teacher's passes over the transfer set plus the student's tuning (all "
            f"{len(WEIGHT_DECAYS)} candidates), repaid after about {s.break_even_queries.mean:,.0f} queries answered "
            f"by the student instead of the teacher. No model can beat about {s.bayes_accuracy.mean:.0%} on this task.")
    return text + control + cost
