"""Synthetic data: can generated variants of a few real examples stand in for more real data? (article claim 4)

The task: recognise which of five pulse shapes (:func:`templates`) a noisy 1-D signal of
``SIGNAL_LENGTH`` samples contains. A real example places its shape at a random (circular) position,
with a random amplitude, plus noise. The class is invariant to position and amplitude, and we know it:
that is what makes label-preserving variants possible — the analogue of rewriting a web page as a
Q&A, which changes the surface form and keeps the content.

Four arms train the same network (``MLP([SIGNAL_LENGTH, HIDDEN, 5])``, Adam) for the **same number of
steps with the same batch size**, so their training FLOPs are identical:

* ``"none"`` — only the ``N_REAL_PER_CLASS`` real examples per class;
* ``"augmented"`` — those, plus ``VARIANTS_PER_EXAMPLE`` generated variants of each (a random
  circular shift, a random rescaling, a little extra noise: exactly the task's own invariances);
* ``"wrong_invariance"`` — the same number of variants from a generator that is wrong about the task:
  before the same shift, rescaling and noise it stretches or squeezes each signal in time by a random
  factor in ``WRONG_STRETCH_RANGE`` (:func:`make_stretched`), as if a pulse's width did not matter —
  but width is what tells a narrow pulse from a wide one (the analogue of a rephraser that changes the
  content as well as the form);
* ``"extra_real"`` — those, plus as many *new real* examples as the augmented arm has variants.

The right generator recovers the gain of extra real data by construction: it applies exactly the
invariances the examples were drawn with. The wrong generator is the control that says how much of
that depends on knowing them.

Each arm's learning curve is read on a validation set of real examples (``N_VAL_PER_CLASS`` per
class); the test set is read once per arm, after its last step. Besides accuracy at equal training
compute, each arm reports its FLOPs to a target fixed by rule before the runs (``TARGET_ARM``): the
validation accuracy that training on the real examples alone ends at, generation included — the "same
quality for less compute" side of the claim, measured.

Total compute = training FLOPs + the FLOPs of generating the variants. Generation counts, under
:mod:`energylab.nn`'s convention, one multiply (rescale) and one add (noise) per value, and
``RNG_FLOPS_PER_DRAW`` per random number drawn; the shift only moves data (0 FLOPs). The stretch adds
``STRETCH_FLOPS_PER_VALUE`` per value (finding the peak, the source coordinate, a linear interpolation)
and three FLOPs for the log-uniform factor.

Stated conclusion (:func:`holds`, checked for every seed): at equal training compute, the variants
raise test accuracy by at least ``MIN_GAIN`` over no augmentation, recovering at least
``MIN_RECOVERED`` of the gain that the same number of extra real examples brings, for a generation
cost below ``MAX_GENERATION_SHARE`` of the training compute; and the wrong generator's variants end at
least ``MIN_GAIN`` less accurate than the right generator's.

The cheap variants here are written by a few arithmetic operations per value. Rephrasing text with a
language model is not cheap: a generator of N_gen parameters spends about 2·N_gen FLOPs per token it
writes (Kaplan et al. 2020, arXiv:2001.08361). ``break_even_generator_params`` in the result is the
generator size at which writing the variants would cost as much as the whole training run.

Notes
-----
Data augmentation with known invariances is classic (e.g. Simard, Steinkraus & Platt 2003, ICDAR);
rephrasing web text into styles such as Q&A to train language models faster is studied by Maini et al.
2024, "Rephrasing the web", arXiv:2401.16380.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from energylab import nn
from energylab.formatting import si

from .protocol import MeanStd, Summary, first_seed, joules, over_seeds, per_arm, summarise

__all__ = ["Arm", "SyntheticResult", "SyntheticSummary", "templates", "make_examples", "make_variants",
           "make_stretched", "run", "run_many", "holds", "ARMS", "CLASS_NAMES", "TARGET_ARM", "REFERENCE_ARM"]

# ---- the task ----------------------------------------------------------------------------------------
SIGNAL_LENGTH = 32            # values per signal (the input features)
AMPLITUDE_RANGE = (0.7, 1.3)  # real examples: amplitude drawn uniformly from this range
NOISE = 0.25                  # real examples: standard deviation of the additive Gaussian noise
N_TEST_PER_CLASS = 400        # held-out real examples per class: 2,000 in all, read once per arm
N_VAL_PER_CLASS = 200         # validation real examples per class: 1,000, for the curves and the target

# ---- the data budget ---------------------------------------------------------------------------------
N_REAL_PER_CLASS = 8          # real examples per class every arm has (40 in all)
VARIANTS_PER_EXAMPLE = 7      # generated variants per real example (augmented); as many new real (extra_real)

# ---- the generator of variants -----------------------------------------------------------------------
VARIANT_AMPLITUDE_RANGE = (0.8, 1.25)  # rescaling factor of a variant
VARIANT_NOISE = 0.1                    # standard deviation of the extra noise of a variant
RNG_FLOPS_PER_DRAW = 1                 # FLOPs charged per random number drawn (a convention)

# ---- the wrong generator -----------------------------------------------------------------------------
WRONG_STRETCH_RANGE = (0.4, 2.5)       # time-stretch factor, log-uniform: spans narrow (width 1.5) ↔ wide (4.0)
STRETCH_FLOPS_PER_VALUE = 6            # 1 peak comparison, 2 for the source coordinate, 3 to interpolate

# ---- training (all arms) -----------------------------------------------------------------------------
HIDDEN = 64
STEPS = 400                   # optimizer steps, the same for every arm (so the same training FLOPs)
LR = 3e-3                     # Adam learning rate
EVAL_EVERY = 10               # steps between validation evaluations (the FLOPs-to-target resolution)
#: The target, fixed by rule before the runs: the final validation accuracy of this arm (real data only).
TARGET_ARM = "none"
#: A second level, also fixed by rule: the final validation accuracy of the gold standard (new real data).
REFERENCE_ARM = "extra_real"

# ---- the stated conclusion ---------------------------------------------------------------------------
MIN_GAIN = 0.10               # accuracy the variants must add over no augmentation (10 points)
MIN_RECOVERED = 0.5           # share of the extra-real-data gain the variants must recover
MAX_GENERATION_SHARE = 0.01   # generation FLOPs / training FLOPs must stay below this
# the wrong generator's variants must end at least MIN_GAIN less accurate than the right generator's

#: Names of the five pulse shapes, in class order.
CLASS_NAMES = ("narrow pulse", "wide pulse", "double pulse", "up-down", "ripple")
#: The arms, in the order they are reported.
ARMS = ("none", "augmented", "wrong_invariance", "extra_real")


# --------------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------------

def templates() -> np.ndarray:
    """The five pulse shapes, centred, shape (5, SIGNAL_LENGTH); row k is class k of :data:`CLASS_NAMES`."""
    t = np.arange(SIGNAL_LENGTH) - SIGNAL_LENGTH // 2

    def bump(centre, width):
        return np.exp(-0.5 * ((t - centre) / width) ** 2)

    return np.array([bump(0, 1.5), bump(0, 4.0), bump(-3, 1.2) + bump(3, 1.2), bump(-2, 1.5) - bump(2, 1.5),
                     np.sin(2 * np.pi * t / 6) * bump(0, 3.0)])


def _shifted(signals: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Each row circularly shifted by its own amount (np.roll per row, vectorised)."""
    cols = (np.arange(signals.shape[1])[None, :] - shifts[:, None]) % signals.shape[1]
    return np.take_along_axis(signals, cols, axis=1)


def make_examples(rng: np.random.Generator, y) -> np.ndarray:
    """Real examples of the classes ``y``: each shape at a random position and amplitude, plus noise."""
    y = np.asarray(y)
    shapes = templates()[y]
    shifts = rng.integers(0, SIGNAL_LENGTH, size=y.size)
    amplitude = rng.uniform(*AMPLITUDE_RANGE, size=y.size)
    return _shifted(shapes, shifts) * amplitude[:, None] + rng.normal(0.0, NOISE, size=shapes.shape)


def make_variants(rng: np.random.Generator, X, n_variants: int):
    """Label-preserving variants of each row of ``X``: random circular shift, rescaling, extra noise.

    Returns
    -------
    variants : ndarray, shape (n_variants · len(X), SIGNAL_LENGTH)
        Variant v of example i is row ``v·len(X) + i``.
    flops : int
        Generation FLOPs: per variant, 2 per value (rescale, add noise) and ``RNG_FLOPS_PER_DRAW`` for each
        of the L + 2 random numbers (L noise values, one shift, one factor).
    """
    X = np.asarray(X, dtype=float)
    source = np.tile(X, (n_variants, 1))
    m, length = source.shape
    shifts = rng.integers(0, length, size=m)
    factor = rng.uniform(*VARIANT_AMPLITUDE_RANGE, size=m)
    variants = _shifted(source, shifts) * factor[:, None] + rng.normal(0.0, VARIANT_NOISE, size=source.shape)
    flops = m * (2 * length + RNG_FLOPS_PER_DRAW * (length + 2))
    return variants, flops


def make_stretched(rng: np.random.Generator, X):
    """Each row of ``X`` stretched in time about its peak by a log-uniform factor in ``WRONG_STRETCH_RANGE``.

    The wrong generator's extra step (a width change: not an invariance of the task). Circular, with
    linear interpolation.

    Returns
    -------
    stretched : ndarray, the shape of ``X``
    flops : int
        Per row ``STRETCH_FLOPS_PER_VALUE`` per value, plus ``RNG_FLOPS_PER_DRAW`` + 3 for the factor
        (a uniform draw, its scaling and an exponential).
    """
    X = np.asarray(X, dtype=float)
    m, length = X.shape
    low, high = np.log(WRONG_STRETCH_RANGE[0]), np.log(WRONG_STRETCH_RANGE[1])
    factor = np.exp(rng.uniform(low, high, size=m))
    centred = _shifted(X, length // 2 - np.argmax(np.abs(X), axis=1))
    source = (np.arange(length)[None, :] - length // 2) / factor[:, None] + length // 2
    i0 = np.floor(source).astype(int)
    frac = source - i0
    a = np.take_along_axis(centred, i0 % length, axis=1)
    b = np.take_along_axis(centred, (i0 + 1) % length, axis=1)
    return a + (b - a) * frac, m * (STRETCH_FLOPS_PER_VALUE * length + RNG_FLOPS_PER_DRAW + 3)


# --------------------------------------------------------------------------------------------------
# the experiment
# --------------------------------------------------------------------------------------------------

@dataclass
class Arm:
    """One arm's training run.

    Attributes
    ----------
    name : str
    n_real, n_generated : int
        Real examples and generated variants in its training set.
    training_flops, generation_flops, total_flops : float
        FLOPs of training, of generating its variants (0 without), and their sum.
    flops : ndarray
        Cumulative FLOPs (generation first, then training) at each validation evaluation.
    accuracy : ndarray
        Validation accuracy at each evaluation (the first before training).
    final_val_accuracy : float
        Validation accuracy after the last step.
    final_accuracy : float
        Test accuracy after the last step (the test set read once).
    flops_to_target : float
        FLOPs, generation included, at the first validation evaluation reaching the seed's target
        (``TARGET_ARM``'s final validation accuracy); inf if none did.
    flops_to_reference : float
        The same for the level of ``REFERENCE_ARM`` (new real data): its final validation accuracy.
    total_joules : float
        ``total_flops`` as energy on an A100 (bf16, 40 % of peak), in J.
    """
    name: str
    n_real: int
    n_generated: int
    training_flops: float
    generation_flops: float
    total_flops: float
    flops: np.ndarray
    accuracy: np.ndarray
    final_val_accuracy: float
    final_accuracy: float
    total_joules: float
    flops_to_target: float = math.inf
    flops_to_reference: float = math.inf

    def flops_to(self, accuracy: float) -> float:
        """FLOPs (generation included) at the first validation evaluation reaching ``accuracy``; inf if none."""
        hits = np.flatnonzero(self.accuracy >= accuracy)
        return float(self.flops[hits[0]]) if hits.size else math.inf


@dataclass
class SyntheticResult:
    """One seed: the three arms and the derived trade-off.

    Attributes
    ----------
    seed : int
    arms : dict
        ``"none"``, ``"augmented"``, ``"wrong_invariance"``, ``"extra_real"`` → :class:`Arm`.
    target_accuracy : float
        The seed's target: ``TARGET_ARM``'s final validation accuracy.
    recovered : float
        (augmented − none) / (extra_real − none) test accuracy: the share of the extra-real-data gain the
        variants recover (NaN if extra real data did not help).
    wrong_recovered : float
        The same share for the wrong generator's variants.
    generation_share : float
        Generation FLOPs / training FLOPs of the augmented arm.
    break_even_generator_params : float
        Parameters of a generator model (2 FLOPs per parameter per value written) that would spend as many
        FLOPs writing the variants as the whole training run: training FLOPs / (2 · variants · L).
    model_params : int
        Parameters of the trained MLP, for comparison.
    """
    seed: int
    arms: dict
    target_accuracy: float
    recovered: float
    wrong_recovered: float
    generation_share: float
    break_even_generator_params: float
    model_params: int


def _train_arm(name, X, y, n_real, n_generated, generation_flops, init_seed, shuffle_seed, data) -> Arm:
    """Train one arm (curve on the validation set), then read the test set once."""
    X_val, y_val, X_test, y_test = data
    model = nn.MLP([SIGNAL_LENGTH, HIDDEN, len(CLASS_NAMES)], seed=init_seed)
    batch = n_real_total = N_REAL_PER_CLASS * len(CLASS_NAMES)
    epochs = STEPS * n_real_total // y.size  # every arm: STEPS steps of `batch` samples
    history = nn.train(model, X, y, epochs=epochs, batch_size=batch, lr=LR, seed=shuffle_seed,
                       X_val=X_val, y_val=y_val, eval_every=EVAL_EVERY)
    total = generation_flops + history.total_flops
    return Arm(name=name, n_real=int(n_real), n_generated=int(n_generated), training_flops=history.total_flops,
               generation_flops=float(generation_flops), total_flops=float(total),
               flops=generation_flops + history.flops, accuracy=history.val_accuracy,
               final_val_accuracy=float(history.val_accuracy[-1]), final_accuracy=model.accuracy(X_test, y_test),
               total_joules=joules(total))


def run(seed: int = 0) -> SyntheticResult:
    """Run one seed of the experiment: draw the data, generate the variants, train the four arms.

    Parameters
    ----------
    seed : int
        Seeds the data, the variants, the (shared) initialisation and the shuffling. The validation set
        and the wrong generator have their own random streams, so adding them left every other draw as it was.

    Returns
    -------
    SyntheticResult
    """
    seq = np.random.SeedSequence(int(seed))
    data_rng, variant_rng, shuffle_rng, val_rng, wrong_rng = (np.random.default_rng(s) for s in seq.spawn(5))
    init_seed = int(seq.generate_state(1)[0])
    k = len(CLASS_NAMES)
    y_real = np.repeat(np.arange(k), N_REAL_PER_CLASS)
    X_real = make_examples(data_rng, y_real)
    y_extra = np.repeat(np.arange(k), N_REAL_PER_CLASS * VARIANTS_PER_EXAMPLE)
    X_extra = make_examples(data_rng, y_extra)
    y_test = np.repeat(np.arange(k), N_TEST_PER_CLASS)
    X_test = make_examples(data_rng, y_test)
    y_val = np.repeat(np.arange(k), N_VAL_PER_CLASS)
    X_val = make_examples(val_rng, y_val)
    X_var, gen_flops = make_variants(variant_rng, X_real, VARIANTS_PER_EXAMPLE)
    y_var = np.tile(y_real, VARIANTS_PER_EXAMPLE)
    stretched, stretch_flops = make_stretched(wrong_rng, np.tile(X_real, (VARIANTS_PER_EXAMPLE, 1)))
    X_wrong, wrong_flops = make_variants(wrong_rng, stretched, 1)
    s1, s2, s3 = shuffle_rng.integers(0, 2**63, size=3)
    s4 = int(np.random.default_rng(wrong_rng.integers(0, 2**63)).integers(0, 2**63))
    n = y_real.size
    data = (X_val, y_val, X_test, y_test)
    with_real = lambda X_more: np.vstack([X_real, X_more])  # noqa: E731
    arms = {
        "none": _train_arm("none", X_real, y_real, n, 0, 0.0, init_seed, s1, data),
        "augmented": _train_arm("augmented", with_real(X_var), np.concatenate([y_real, y_var]), n,
                                y_var.size, float(gen_flops), init_seed, s2, data),
        "wrong_invariance": _train_arm("wrong_invariance", with_real(X_wrong), np.concatenate([y_real, y_var]), n,
                                       y_var.size, float(stretch_flops + wrong_flops), init_seed, s4, data),
        "extra_real": _train_arm("extra_real", with_real(X_extra), np.concatenate([y_real, y_extra]),
                                 n + y_extra.size, 0, 0.0, init_seed, s3, data),
    }
    target, reference = arms[TARGET_ARM].final_val_accuracy, arms[REFERENCE_ARM].final_val_accuracy
    for arm in arms.values():
        arm.flops_to_target, arm.flops_to_reference = arm.flops_to(target), arm.flops_to(reference)
    none, aug, wrong, real = (arms[a].final_accuracy for a in ARMS)
    recovered = (aug - none) / (real - none) if real > none else math.nan
    wrong_recovered = (wrong - none) / (real - none) if real > none else math.nan
    train_flops = arms["augmented"].training_flops
    return SyntheticResult(
        seed=int(seed), arms=arms, target_accuracy=float(target), recovered=float(recovered),
        wrong_recovered=float(wrong_recovered), generation_share=float(gen_flops / train_flops),
        break_even_generator_params=float(train_flops / (2 * y_var.size * SIGNAL_LENGTH)),
        model_params=nn.MLP([SIGNAL_LENGTH, HIDDEN, k]).n_params)


def holds(result: SyntheticResult) -> bool:
    """The stated conclusion for one seed.

    True when, at equal training FLOPs, augmentation adds at least ``MIN_GAIN`` accuracy over no
    augmentation, recovers at least ``MIN_RECOVERED`` of the gain of extra real data, and generating the
    variants costs less than ``MAX_GENERATION_SHARE`` of the training FLOPs; and the wrong generator's
    variants end at least ``MIN_GAIN`` less accurate than the right generator's (its gain is not recovered).
    """
    arms = result.arms
    same_training = len({arms[a].training_flops for a in ARMS}) == 1
    gain = arms["augmented"].final_accuracy - arms["none"].final_accuracy
    return (same_training and gain >= MIN_GAIN and result.recovered >= MIN_RECOVERED
            and result.generation_share < MAX_GENERATION_SHARE
            and arms["augmented"].final_accuracy - arms["wrong_invariance"].final_accuracy >= MIN_GAIN)


@dataclass(kw_only=True)
class SyntheticSummary(Summary):
    """Mean ± standard deviation over seeds, and the conclusion the numbers support.

    ``final_accuracy`` and ``total_flops`` map arm names (:data:`ARMS`) to
    :class:`~energylab.experiments.MeanStd`; ``training_flops`` and ``model_params`` are the same on
    every seed.
    """
    GROUPS = ARMS

    final_accuracy: dict = per_arm()
    total_flops: dict = per_arm()
    flops_to_target: dict = per_arm()
    flops_to_reference: dict = per_arm()
    generation_flops_by_arm: dict = per_arm("generation_flops")
    target_accuracy: MeanStd = over_seeds()
    wrong_recovered: MeanStd = over_seeds()
    training_flops: float = first_seed(lambda r: r.arms["none"].training_flops)
    generation_flops: MeanStd = over_seeds(lambda r: r.arms["augmented"].generation_flops)
    generation_share: MeanStd = over_seeds()
    recovered: MeanStd = over_seeds()
    break_even_generator_params: MeanStd = over_seeds()
    model_params: int = first_seed()


def run_many(seeds=range(5)) -> SyntheticSummary:
    """Run :func:`run` for each seed and summarise (see :class:`SyntheticSummary`)."""
    return summarise(SyntheticSummary, run, holds, seeds, _conclusion)


def _conclusion(s: SyntheticSummary) -> str:
    """The conclusion from the numbers: accuracy at equal training compute (test set, read once), the wrong
    generator, FLOPs to the two levels fixed by rule (validation curves), and the cost of generating."""
    n = len(s.seeds)
    acc = s.percents("final_accuracy")
    n_real = N_REAL_PER_CLASS * len(CLASS_NAMES)
    n_more = n_real * VARIANTS_PER_EXAMPLE
    head = (f"With {n_real} real examples and the same training compute ({si(s.training_flops, 'FLOP')} per arm), "
            f"test accuracy was {acc['none']} without augmentation, {acc['augmented']} with {n_more} generated "
            f"variants, {acc['wrong_invariance']} with {n_more} variants from a generator wrong about the task "
            f"(it also stretches the pulses in time) and {acc['extra_real']} with {n_more} more real examples. ")
    if all(s.holds):
        body = (f"On all {n} seeds the right variants recovered at least {MIN_RECOVERED:.0%} of the gain of extra "
                f"real data ({s.recovered.format('.0f', 100, ' %')} on average) — by construction, since the "
                f"generator applies exactly the invariances the examples were drawn with — ")
    else:
        body = (f"The stated conclusion failed on seed(s) {s.failed_seeds}: the variants recovered "
                f"{s.recovered.format('.0f', 100, ' %')} of the gain of extra real data, ")
    wrong = [r.wrong_recovered for r in s.results]
    body += (f"while the wrong generator's recovered {s.wrong_recovered.format('.0f', 100, ' %')} "
             f"({min(wrong):.0%} to {max(wrong):.0%} across the seeds), ending "
             f"{(s.final_accuracy['augmented'].mean - s.final_accuracy['wrong_invariance'].mean) * 100:.0f} points "
             f"below the right one: the gain depends on knowing the task's invariances. ")

    def to(field, arm):
        value = getattr(s, field)[arm]
        return "never" if value.n_finite == 0 else value.format_si("FLOP")

    level = (f"To reach the accuracy that training on the real examples alone ends at (a target fixed by rule, "
             f"{s.target_accuracy.format('.1f', 100, ' %')} on validation), generation included: "
             + ", ".join(f"{a.replace('_', ' ')} {to('flops_to_target', a)}" for a in ARMS)
             + ". To reach the level of the extra real data: "
             + ", ".join(f"{a.replace('_', ' ')} {to('flops_to_reference', a)}" for a in ARMS) + ". ")
    body += level
    body += (f"Generating the right variants cost {s.generation_flops.format_si('FLOP')}, "
             f"{s.generation_share.mean:.2%} of the training compute: nearly free, because each variant takes a "
             f"few operations per value. A generator model would change that: at 2 FLOPs per parameter per value "
             f"written, one of {s.break_even_generator_params.mean:,.0f} parameters "
             f"({s.break_even_generator_params.mean / s.model_params:.1f}× the {s.model_params:,}-parameter model "
             f"trained here) would spend as much writing the variants as the whole training run.")
    return head + body
