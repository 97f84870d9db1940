"""Right-sizing: the smallest model that does the job, not the largest ("don't use a sledgehammer to hit a nail").

A family of networks, ``MLP([N_FEATURES, width, N_CLASSES])`` for each width of :data:`WIDTHS`, is
trained on the same task (that of :mod:`~energylab.experiments.distillation`) with the same recipe:
every width sees the same ``N_TRAIN`` labelled samples (``LABEL_NOISE`` of them mislabelled) in the
same order, for ``EPOCHS`` passes in batches of ``BATCH_SIZE`` (Adam). Each is scored on the same
``N_TEST`` held-out samples (true labels) and costed per query (one input): inference FLOPs
(:func:`energylab.nn.forward_flops`), joules on an A100 (bf16 at 40 % of peak) and fp32
multiply–accumulates on Horowitz's 45 nm table.

:func:`smallest_meeting` picks the smallest width whose accuracy meets a target. Stated conclusion
(:func:`holds`, checked for every seed): some width meets ``TARGET_ACCURACY``, and the smallest that
does uses at least ``MIN_SAVING``× less energy per query than always using the largest.

For the chapter's open exercise, :func:`evaluate_choice` answers in milliseconds what a width at a
precision (fp32, or int8/int4/int2 weights with int8 activations, as in
:mod:`~energylab.experiments.quantization`) and a batch size would give: accuracy and energy per query
— its multiply–accumulates plus reading its weights from DRAM once per batch — from a grid trained
once, lazily, for seed ``GRID_SEED``. :func:`best_choice` gives the least-energy choice that meets a
target.

Notes
-----
Accuracy saturates with size on a fixed task; past that, a larger model spends more per query for
nothing (and, trained with the same recipe on noisy labels, may even fit the noise). Claim 8 of the
article (Farhadi; Shim, IBM): choose the smallest model that does the job.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from energylab import nn
from energylab.units import as_fraction, as_whole

from .distillation import LABEL_NOISE, N_CLASSES, N_FEATURES, N_TEST, mac_energy_fp32, make_task
from .protocol import MeanStd, Summary, from_results, joules, mean_std, over_seeds, per_arm, per_seed, summarise

__all__ = ["Size", "RightsizingResult", "RightsizingSummary", "ModelChoice", "run", "run_many", "holds",
           "smallest_meeting", "evaluate_choice", "best_choice", "ARMS", "WIDTHS", "GRID_BITS"]

# ---- the family of models ----------------------------------------------------------------------------
WIDTHS = (4, 8, 16, 32, 64, 128, 256)   # hidden units of MLP([16, width, 10]): 0.2 to 14 kFLOP per query

# ---- training (the same recipe for every width) --------------------------------------------------------
N_TRAIN = 2000            # labelled training samples (LABEL_NOISE of them wrong)
EPOCHS = 6
BATCH_SIZE = 100
LR = 1e-2                 # Adam

# ---- the stated conclusion -----------------------------------------------------------------------------
TARGET_ACCURACY = 0.85    # the job: at least 85 % held-out accuracy
MIN_SAVING = 4.0          # the smallest width meeting it must cost at least 4× less per query than the largest
NEAR_BEST = 0.01          # also reported: the smallest width within 1 point of the most accurate one

# ---- the exercise's grid ---------------------------------------------------------------------------------
GRID_SEED = 0             # the seed of the grid behind evaluate_choice and best_choice
GRID_BITS = (32, 8, 4, 2)  # 32: fp32; 8, 4, 2: integer weights of that width with int8 activations

#: The arms are the widths, smallest first.
ARMS = WIDTHS


# --------------------------------------------------------------------------------------------------
# training the family
# --------------------------------------------------------------------------------------------------

def _train_family(seed: int):
    """Train every width for one seed: returns (models by width, training FLOPs by width, X, X_test, y_test, bayes)."""
    seq = np.random.SeedSequence(int(seed))
    task_rng, data_rng, test_rng, shuffle_rng = (np.random.default_rng(s) for s in seq.spawn(4))
    init = int(seq.generate_state(1)[0])
    shuffle = int(shuffle_rng.integers(0, 2**63))
    task = make_task(task_rng)
    X, y, _ = task.sample(N_TRAIN, data_rng, LABEL_NOISE)
    X_test, _, y_test = task.sample(N_TEST, test_rng)
    models, flops = {}, {}
    for width in WIDTHS:
        model = nn.MLP([N_FEATURES, width, N_CLASSES], seed=init)
        history = nn.train(model, X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, seed=shuffle)
        models[width], flops[width] = model, history.total_flops
    bayes = float(np.mean(task.bayes_predict(X_test) == y_test))
    return models, flops, X, X_test, y_test, bayes


# --------------------------------------------------------------------------------------------------
# the experiment
# --------------------------------------------------------------------------------------------------

@dataclass
class Size:
    """One width of the family.

    Attributes
    ----------
    width : int
        Hidden units.
    n_params : int
    accuracy : float
        Held-out accuracy (true labels).
    training_flops : float
    flops_per_query : int
        Inference FLOPs for one input.
    joules_per_query : float
        Those FLOPs on an A100 (bf16, 40 % of peak, PUE 1), in J.
    mac_energy_per_query : float
        One fp32 multiply–accumulate per weight on Horowitz's 45 nm table, in J.
    """
    width: int
    n_params: int
    accuracy: float
    training_flops: float
    flops_per_query: int
    joules_per_query: float
    mac_energy_per_query: float


@dataclass
class RightsizingResult:
    """One seed.

    Attributes
    ----------
    seed : int
    sizes : dict
        Width → :class:`Size`, smallest first.
    target : float
        The accuracy target (``TARGET_ACCURACY``).
    chosen : int or None
        :func:`smallest_meeting` the target; None if no width meets it.
    near_best : int
        The smallest width within ``NEAR_BEST`` of the most accurate width's accuracy.
    most_accurate : int
        The width of highest held-out accuracy.
    saving : float
        Energy (= FLOPs) per query of the largest width / that of the chosen one (NaN if none chosen).
    accuracy_given_up : float
        Largest width's accuracy − chosen width's (negative when the smaller is more accurate; NaN if none).
    bayes_accuracy : float
        Held-out accuracy of the best possible classifier, the ceiling.
    """
    seed: int
    sizes: dict
    target: float
    chosen: int | None
    near_best: int
    most_accurate: int
    saving: float
    accuracy_given_up: float
    bayes_accuracy: float


def _check_target(target) -> float:
    """An accuracy target in [0, 1] (percent quantities converted), as a float."""
    return float(as_fraction(target, "target", allow_zero=True, what="an accuracy", example=0.85).magnitude)


def smallest_meeting(target: float, result: RightsizingResult | None = None) -> int | None:
    """The smallest width whose held-out accuracy is at least ``target``; None if no width meets it.

    Parameters
    ----------
    target : float
        Accuracy, between 0 and 1.
    result : RightsizingResult, optional
        A run of the experiment; by default the exercise's grid (seed ``GRID_SEED``, full precision).

    Returns
    -------
    int or None
    """
    target = _check_target(target)
    sizes = (result.sizes if result is not None else {w: evaluate_choice(w) for w in WIDTHS})
    meeting = [w for w in sorted(sizes) if sizes[w].accuracy >= target]
    return meeting[0] if meeting else None


def run(seed: int = 0) -> RightsizingResult:
    """Run one seed: train every width of :data:`WIDTHS` on the same data and score it.

    Parameters
    ----------
    seed : int
        Seeds the task, the data, the initialisation (the same seed for every width) and the shuffling
        (the same order for every width).

    Returns
    -------
    RightsizingResult
    """
    models, flops, _, X_test, y_test, bayes = _train_family(seed)
    sizes = {}
    for width in WIDTHS:
        model = models[width]
        per_query = nn.forward_flops(model, 1)
        sizes[width] = Size(width=width, n_params=model.n_params, accuracy=model.accuracy(X_test, y_test),
                            training_flops=float(flops[width]), flops_per_query=int(per_query),
                            joules_per_query=joules(per_query),
                            mac_energy_per_query=model.n_weights * mac_energy_fp32())
    result = RightsizingResult(seed=int(seed), sizes=sizes, target=TARGET_ACCURACY, chosen=None, near_best=0,
                               most_accurate=0, saving=float("nan"), accuracy_given_up=float("nan"),
                               bayes_accuracy=bayes)
    best = max(WIDTHS, key=lambda w: (sizes[w].accuracy, -w))
    result.most_accurate = best
    result.near_best = smallest_meeting(sizes[best].accuracy - NEAR_BEST, result)
    result.chosen = smallest_meeting(TARGET_ACCURACY, result)
    if result.chosen is not None:
        largest, chosen = sizes[WIDTHS[-1]], sizes[result.chosen]
        result.saving = largest.joules_per_query / chosen.joules_per_query
        result.accuracy_given_up = largest.accuracy - chosen.accuracy
    return result


def holds(result: RightsizingResult) -> bool:
    """The stated conclusion for one seed.

    True when some width meets ``TARGET_ACCURACY`` and the smallest that does costs at least
    ``MIN_SAVING``× less energy per query than the largest width.
    """
    return result.chosen is not None and result.saving >= MIN_SAVING


def _over_chosen(attribute: str):
    """MeanStd of a result's number over the seeds where some width met the target (never, if none did)."""
    return from_results(lambda results: mean_std([getattr(r, attribute) for r in results if r.chosen is not None]
                                                 or [float("inf")]))


@dataclass(kw_only=True)
class RightsizingSummary(Summary):
    """Mean ± standard deviation over seeds, per width, and the conclusion the numbers support.

    Dictionaries map widths (:data:`WIDTHS`) to :class:`~energylab.experiments.MeanStd`; ``chosen`` and
    ``near_best`` list the widths picked on each seed; ``saving`` and ``accuracy_given_up`` are over the
    seeds where some width met the target.
    """
    GROUPS = WIDTHS
    GROUPED_BY = "sizes"

    accuracy: dict = per_arm()
    flops_per_query: dict = per_arm()
    joules_per_query: dict = per_arm()
    mac_energy_per_query: dict = per_arm()
    chosen: list = per_seed()
    near_best: list = per_seed()
    saving: MeanStd = _over_chosen("saving")
    accuracy_given_up: MeanStd = _over_chosen("accuracy_given_up")
    bayes_accuracy: MeanStd = over_seeds()
    target: float = TARGET_ACCURACY


def run_many(seeds=range(5)) -> RightsizingSummary:
    """Run :func:`run` for each seed and summarise (see :class:`RightsizingSummary`)."""
    return summarise(RightsizingSummary, run, holds, seeds, _conclusion)


def _widths(values) -> str:
    """'16' when all seeds agree, else '8 to 16'."""
    values = [v for v in values if v is not None]
    if not values:
        return "none"
    return f"{min(values)}" if min(values) == max(values) else f"{min(values)} to {max(values)}"


def _conclusion(s: RightsizingSummary) -> str:
    n = len(s.seeds)
    largest, target = WIDTHS[-1], f"{s.target:.0%}"
    acc = s.percents("accuracy")
    met = [c for c in s.chosen if c is not None]
    if all(s.holds):
        head = (f"On all {n} seeds, the smallest network meeting the {target} target had {_widths(s.chosen)} hidden "
                f"units, against {largest} for the largest: ")
    else:
        head = (f"The stated conclusion failed on seed(s) {s.failed_seeds} (the target was missed, or the saving "
                f"was under "
                f"{MIN_SAVING:.0f}×). Where the {target} target was met ({len(met)} of {n} seeds), the smallest "
                f"network meeting it had {_widths(met)} hidden units, against {largest} for the largest: ")
    if met:
        picked = [r.sizes[c] for r, c in zip(s.results, s.chosen) if c is not None]
        chosen_flops = mean_std([size.flops_per_query for size in picked])
        chosen_joules = mean_std([size.joules_per_query for size in picked])
        head += (f"{chosen_flops.format_si('FLOP', sig=3)} per query instead of "
                 f"{s.flops_per_query[largest].format_si('FLOP', sig=3)}, {s.saving.format('.0f', note=False)}× less "
                 f"energy ({chosen_joules.format_si('J')} vs {s.joules_per_query[largest].format_si('J')} per query on "
                 f"an A100). ")
        given_up = s.accuracy_given_up.mean
        head += (f"The largest network was {abs(given_up) * 100:.1f} points {'more' if given_up > 0 else 'less'} "
                 f"accurate ({acc[largest]}) than the one chosen. ")
    curve = ", ".join(f"{w}: {s.accuracy[w].mean * 100:.1f} %" for w in WIDTHS)
    text = head + (f"Accuracy saturates with size (mean by width — {curve}); the smallest width within "
                   f"{NEAR_BEST * 100:.0f} point of the most accurate was {_widths(s.near_best)}. ")
    best_mean = max(WIDTHS, key=lambda w: s.accuracy[w].mean)
    if best_mean != largest:
        text += (f"The largest was not the most accurate: trained with the same recipe on labels of which "
                 f"{LABEL_NOISE:.0%} are wrong, the extra capacity fits noise. ")
    text += f"No model can beat about {s.bayes_accuracy.mean:.0%} on this task."
    return text


# --------------------------------------------------------------------------------------------------
# the exercise's grid: width × precision × batch size, in milliseconds
# --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ModelChoice:
    """What one choice of size, precision and batch size gives (from the grid of seed ``GRID_SEED``).

    Attributes
    ----------
    width, bits, batch_size : int
        ``bits`` 32 means fp32; 8, 4, 2 mean integer weights of that width with int8 activations.
    accuracy : float
        Held-out accuracy.
    flops_per_query, macs_per_query : int
        Inference FLOPs and multiply–accumulates (one per weight) for one input.
    weight_bytes : float
        Bytes of weights (and their scales).
    compute_energy : float
        The multiply–accumulates at Horowitz's 45 nm energies
        (:func:`energylab.experiments.quantization.mac_energy`), in J per query.
    memory_energy : float
        Reading the weights from DRAM once per batch (low end of Horowitz's range), shared by the
        batch's queries, in J per query.
    energy_per_query : float
        ``compute_energy + memory_energy``, in J.
    """
    width: int
    bits: int
    batch_size: int
    accuracy: float
    flops_per_query: int
    macs_per_query: int
    weight_bytes: float
    compute_energy: float
    memory_energy: float
    energy_per_query: float


@functools.lru_cache(maxsize=1)
def _grid_family():
    """The exercise grid's trained family (seed ``GRID_SEED``), trained once on first use."""
    return _train_family(GRID_SEED)


@functools.cache
def _grid_accuracy(width: int, bits: int) -> float:
    from .quantization import ACTIVATION_BITS, QuantizedMLP

    models, _, X, X_test, y_test, _ = _grid_family()
    model = models[width]
    if bits == 32:
        return model.accuracy(X_test, y_test)
    return QuantizedMLP(model, bits, ACTIVATION_BITS, calibration=X).accuracy(X_test, y_test)


def evaluate_choice(width: int, bits: int = 32, batch_size: int = 1) -> ModelChoice:
    """Accuracy and energy per query of one width at one precision and batch size (fast after the first call).

    The first call trains the grid's family (seed ``GRID_SEED``, a fraction of a second); later calls
    take milliseconds. Deterministic: the same arguments always give the same :class:`ModelChoice`.

    Parameters
    ----------
    width : int
        Hidden units, one of :data:`WIDTHS`.
    bits : int
        32 (fp32) or the integer weight width 8, 4 or 2 (with int8 activations); see :data:`GRID_BITS`.
    batch_size : int
        Queries served together, at least 1: the weights are read from DRAM once per batch.

    Returns
    -------
    ModelChoice

    Raises
    ------
    TypeError, ValueError
        A width or bit width off the grid, or a batch size below 1; the message lists what is allowed.
    """
    from .quantization import ACTIVATION_BITS, dram_energy, mac_energy, weight_bytes

    for name, value, allowed in (("width", width, WIDTHS), ("bits", bits, GRID_BITS)):
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{name} must be a whole number, one of {allowed}; got {value!r}.")
        if int(value) not in allowed:
            raise ValueError(f"{name} must be one of {allowed}; got {value}.")
    batch_size = as_whole(batch_size, "batch_size", exact=True, what="queries")
    width, bits = int(width), int(bits)
    model = _grid_family()[0][width]
    precision = None if bits == 32 else bits
    n_bytes = weight_bytes(model, precision)
    compute = model.n_weights * mac_energy(precision, None if precision is None else ACTIVATION_BITS)
    memory = dram_energy(n_bytes) / batch_size
    return ModelChoice(width=width, bits=bits, batch_size=batch_size, accuracy=_grid_accuracy(width, bits),
                  flops_per_query=int(nn.forward_flops(model, 1)), macs_per_query=int(model.n_weights),
                  weight_bytes=float(n_bytes), compute_energy=float(compute), memory_energy=float(memory),
                  energy_per_query=float(compute + memory))


def best_choice(target: float, batch_size: int = 1) -> ModelChoice | None:
    """The least-energy (width, bits) of the grid whose accuracy meets ``target`` at this batch size.

    Ties go to the smaller width, then the higher precision. None if nothing on the grid meets it.
    """
    target = _check_target(target)
    options = [evaluate_choice(w, b, batch_size) for w in WIDTHS for b in GRID_BITS]
    meeting = [c for c in options if c.accuracy >= target]
    return min(meeting, key=lambda c: (c.energy_per_query, c.width, -c.bits)) if meeting else None
