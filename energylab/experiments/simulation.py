"""Simulation as data: a simulator that shows the model more of the rare, dangerous case (article claim 3).

A self-driving truck must recognise the rare scenario that matters most. :func:`simulate` is a toy
simulator of driving scenarios, each summarised by ``N_FEATURES`` sensor features and labelled with
the right response: four common scenario classes (:data:`CLASS_NAMES`: cruise, follow, lane change,
curve) and one rare, safety-critical class, *hazard*, which comes in four kinds (:data:`HAZARD_KINDS`),
each looking like a common scenario with a difference (a pedestrian in an otherwise ordinary
lane change). Its argument ``rare_fraction`` sets how often hazards appear — the control a simulator
gives and the road does not.

Three arms train the same network (``MLP([N_FEATURES, HIDDEN, 5])``, Adam) on ``N_TRAIN`` scenarios for
``EPOCHS`` epochs in batches of ``BATCH_SIZE``, so **their training FLOPs are identical**:

* ``"natural"`` — scenarios as they occur on the road: hazards ``NATURAL_RARE_FRACTION`` of them;
* ``"resampled"`` — the same natural data with its few hazards repeated until they are
  ``SIMULATED_RARE_FRACTION`` of the set (the usual fix without a simulator: no new hazards);
* ``"simulated"`` — fresh scenarios from the simulator with hazards at ``SIMULATED_RARE_FRACTION``.

Scored on two held-out sets: natural road scenarios (overall accuracy, and the false-alarm rate: the
share of ordinary scenarios flagged as hazards) and hazards only (rare-case recall).

Stated conclusion (:func:`holds`, checked for every seed): at the same training FLOPs, simulated
oversampling raises rare-case recall by at least ``MIN_RECALL_GAIN`` over natural data, at a cost of
at most ``MAX_ACCURACY_COST`` in overall accuracy on natural scenarios (the cost is false alarms).
The generated conclusion also compares the simulator with the resampling control on all three scores
(recall, false alarms, overall accuracy), saying in how many seeds each difference goes which way: a
higher recall can come with more false alarms.

Notes
-----
The simulator's FLOPs are counted (``simulation_flops``) under :mod:`energylab.nn`'s convention —
one FLOP per random number and per add — and are tiny here; a real driving simulator renders sensors
and runs physics, far more per scenario. Waabi trains its trucks in a closed-loop simulator (Waabi
World); oversampling rare classes is classic (Chawla et al. 2002, SMOTE, JAIR 16:321).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from energylab import nn
from energylab.formatting import si
from energylab.units import as_fraction, as_whole

from .protocol import ASSUMED_UTILISATION, MeanStd, Summary, first_seed, joules, over_seeds, per_arm, summarise

__all__ = ["Arm", "SimulationResult", "SimulationSummary", "World", "make_world", "simulate", "run", "run_many",
           "holds", "ARMS", "CLASS_NAMES", "HAZARD_KINDS", "HAZARD"]

# ---- the world -----------------------------------------------------------------------------------------
N_FEATURES = 10               # sensor features per scenario
COMMON_SPREAD = 2.0           # standard deviation of the common classes' centres (features have noise 1)
HAZARD_OFFSET = 3.5           # distance of each hazard kind's centre from the common scenario it resembles

# ---- the data --------------------------------------------------------------------------------------------
N_TRAIN = 3000                       # training scenarios per arm
NATURAL_RARE_FRACTION = 0.015        # hazards on the road: 1.5 % (~45 in the training set)
SIMULATED_RARE_FRACTION = 0.20       # hazards the simulator is asked for: 20 %
N_TEST = 5000                        # natural held-out scenarios (overall accuracy, false alarms)
N_HAZARD_TEST = 2000                 # held-out hazards (rare-case recall)

# ---- training (all arms) -------------------------------------------------------------------------------
HIDDEN = 32
EPOCHS = 8
BATCH_SIZE = 64
LR = 3e-3                            # Adam learning rate

# ---- the stated conclusion -----------------------------------------------------------------------------
MIN_RECALL_GAIN = 0.30               # rare-case recall must rise by at least 30 points ...
MAX_ACCURACY_COST = 0.05             # ... for at most 5 points of overall accuracy

#: Scenario classes, in label order; the last is the rare, safety-critical one.
CLASS_NAMES = ("cruise", "follow", "lane change", "curve", "hazard")
#: Label of the rare class.
HAZARD = len(CLASS_NAMES) - 1
#: The kinds of hazard the simulator produces (all labelled ``HAZARD``).
HAZARD_KINDS = ("pedestrian", "debris", "stalled vehicle", "animal")
#: The arms, in the order they are reported.
ARMS = ("natural", "resampled", "simulated")


# --------------------------------------------------------------------------------------------------
# the simulator
# --------------------------------------------------------------------------------------------------

@dataclass
class World:
    """Where scenarios live in feature space.

    Attributes
    ----------
    common_centres : ndarray, shape (4, N_FEATURES)
        Centre of each common scenario class.
    hazard_centres : ndarray, shape (4, N_FEATURES)
        Centre of each hazard kind, ``HAZARD_OFFSET`` from the common scenario it resembles.
    resembles : ndarray of int, shape (4,)
        Which common class each hazard kind resembles.
    """
    common_centres: np.ndarray
    hazard_centres: np.ndarray
    resembles: np.ndarray


def make_world(rng: np.random.Generator) -> World:
    """Draw the class centres: common ones spread at random, each hazard kind near a random common one."""
    n_common = len(CLASS_NAMES) - 1
    common = rng.normal(0.0, COMMON_SPREAD, size=(n_common, N_FEATURES))
    resembles = rng.integers(0, n_common, size=len(HAZARD_KINDS))
    direction = rng.normal(size=(len(HAZARD_KINDS), N_FEATURES))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    return World(common, common[resembles] + HAZARD_OFFSET * direction, resembles)


def simulate(world: World, n: int, rare_fraction: float, rng: np.random.Generator):
    """Generate ``n`` labelled scenarios, hazards with probability ``rare_fraction``.

    Parameters
    ----------
    world : World
    n : int
        Number of scenarios, at least 1.
    rare_fraction : float
        Probability that a scenario is a hazard, in [0, 1]; its kind is then uniform over
        :data:`HAZARD_KINDS`. Otherwise the scenario is one of the common classes, uniformly.
    rng : numpy.random.Generator

    Returns
    -------
    X : ndarray, shape (n, N_FEATURES)
        Sensor features: the class (or hazard kind) centre plus unit Gaussian noise.
    y : ndarray of int, shape (n,)
        Labels; ``HAZARD`` for hazards.
    flops : int
        The simulator's FLOPs: per scenario 3 random draws (hazard or not, class, kind), N_FEATURES
        noise draws and N_FEATURES adds.
    """
    n = as_whole(n, "n", exact=True, what="scenarios")
    rare_fraction = float(as_fraction(rare_fraction, "rare_fraction", allow_zero=True, what="a probability",
                                      example=0.1).magnitude)
    n_common = len(CLASS_NAMES) - 1
    hazard = rng.random(n) < rare_fraction
    common = rng.integers(0, n_common, size=n)
    kind = rng.integers(0, len(HAZARD_KINDS), size=n)
    centre = np.where(hazard[:, None], world.hazard_centres[kind], world.common_centres[common])
    X = centre + rng.normal(size=(n, N_FEATURES))
    y = np.where(hazard, HAZARD, common)
    return X, y, int(n * (3 + 2 * N_FEATURES))


# --------------------------------------------------------------------------------------------------
# the experiment
# --------------------------------------------------------------------------------------------------

@dataclass
class Arm:
    """One arm's training run and scores.

    Attributes
    ----------
    name : str
    hazard_share : float
        Share of hazards in its training set.
    distinct_hazards : int
        Different hazard scenarios in its training set (repeats counted once).
    accuracy : float
        Overall accuracy on natural road scenarios.
    rare_recall : float
        Share of held-out hazards recognised as hazards.
    false_alarm_rate : float
        Share of ordinary road scenarios wrongly flagged as hazards.
    training_flops, simulation_flops : float
        FLOPs of training and of simulating its data (0 for the natural arms: the road provides it).
    training_joules : float
        ``training_flops`` as energy if run on an A100 (bf16) at an assumed 40 % of its peak
        (:func:`~energylab.experiments.joules`), in J: an illustration, not a measurement.
    """
    name: str
    hazard_share: float
    distinct_hazards: int
    accuracy: float
    rare_recall: float
    false_alarm_rate: float
    training_flops: float
    simulation_flops: float
    training_joules: float


@dataclass
class SimulationResult:
    """One seed: ``arms`` maps ``"natural"``, ``"resampled"``, ``"simulated"`` to :class:`Arm`."""
    seed: int
    arms: dict


def _train_arm(name, X, y, simulation_flops, init_seed, shuffle_seed, tests) -> Arm:
    X_test, y_test, X_hazard = tests
    model = nn.MLP([N_FEATURES, HIDDEN, len(CLASS_NAMES)], seed=init_seed)
    history = nn.train(model, X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, seed=shuffle_seed)
    ordinary = y_test != HAZARD
    predicted = model.predict(X_test)
    is_hazard = y == HAZARD
    return Arm(name=name, hazard_share=float(is_hazard.mean()),
               distinct_hazards=int(np.unique(X[is_hazard], axis=0).shape[0]),
               accuracy=float(np.mean(predicted == y_test)),
               rare_recall=float(np.mean(model.predict(X_hazard) == HAZARD)),
               false_alarm_rate=float(np.mean(predicted[ordinary] == HAZARD)),
               training_flops=history.total_flops, simulation_flops=float(simulation_flops),
               training_joules=joules(history.total_flops))


def run(seed: int = 0) -> SimulationResult:
    """Run one seed: draw a world, the natural and simulated training sets and the test sets, train three arms.

    Parameters
    ----------
    seed : int
        Seeds the world, the data, the resampling, the (shared) initialisation and the shuffling.

    Returns
    -------
    SimulationResult
    """
    seq = np.random.SeedSequence(int(seed))
    world_rng, road_rng, sim_rng, test_rng, resample_rng, shuffle_rng = (np.random.default_rng(s) for s in seq.spawn(6))
    init_seed = int(seq.generate_state(1)[0])
    world = make_world(world_rng)
    X_nat, y_nat, _ = simulate(world, N_TRAIN, NATURAL_RARE_FRACTION, road_rng)
    X_sim, y_sim, sim_flops = simulate(world, N_TRAIN, SIMULATED_RARE_FRACTION, sim_rng)
    X_test, y_test, _ = simulate(world, N_TEST, NATURAL_RARE_FRACTION, test_rng)
    X_hazard, _, _ = simulate(world, N_HAZARD_TEST, 1.0, test_rng)

    hazards, ordinary = np.flatnonzero(y_nat == HAZARD), np.flatnonzero(y_nat != HAZARD)
    n_hazard = int(round(SIMULATED_RARE_FRACTION * N_TRAIN))
    picked = np.concatenate([resample_rng.choice(ordinary, size=N_TRAIN - n_hazard, replace=False),
                             resample_rng.choice(hazards, size=n_hazard, replace=True)])
    X_res, y_res = X_nat[picked], y_nat[picked]

    tests = (X_test, y_test, X_hazard)
    s1, s2, s3 = shuffle_rng.integers(0, 2**63, size=3)
    arms = {"natural": _train_arm("natural", X_nat, y_nat, 0, init_seed, s1, tests),
            "resampled": _train_arm("resampled", X_res, y_res, 0, init_seed, s2, tests),
            "simulated": _train_arm("simulated", X_sim, y_sim, sim_flops, init_seed, s3, tests)}
    return SimulationResult(seed=int(seed), arms=arms)


def holds(result: SimulationResult) -> bool:
    """The stated conclusion for one seed.

    True when the simulated arm, at the same training FLOPs as the natural one, recognises at least
    ``MIN_RECALL_GAIN`` more of the held-out hazards and loses at most ``MAX_ACCURACY_COST`` of overall
    accuracy on natural scenarios.
    """
    nat, sim = result.arms["natural"], result.arms["simulated"]
    return (nat.training_flops == sim.training_flops
            and sim.rare_recall - nat.rare_recall >= MIN_RECALL_GAIN
            and nat.accuracy - sim.accuracy <= MAX_ACCURACY_COST)


@dataclass(kw_only=True)
class SimulationSummary(Summary):
    """Mean ± standard deviation over seeds per arm, and the conclusion the numbers support.

    Dictionaries map arm names (:data:`ARMS`) to :class:`~energylab.experiments.MeanStd`;
    ``training_flops`` and ``training_joules`` are the same on every seed (and every arm).
    """
    GROUPS = ARMS

    accuracy: dict = per_arm()
    rare_recall: dict = per_arm()
    false_alarm_rate: dict = per_arm()
    distinct_hazards: dict = per_arm()
    training_flops: float = first_seed(lambda r: r.arms["natural"].training_flops)
    training_joules: float = first_seed(lambda r: r.arms["natural"].training_joules)
    simulation_flops: MeanStd = over_seeds(lambda r: r.arms["simulated"].simulation_flops)


def run_many(seeds=range(5)) -> SimulationSummary:
    """Run :func:`run` for each seed and summarise (see :class:`SimulationSummary`)."""
    return summarise(SimulationSummary, run, holds, seeds, _conclusion)


def _seeds_where(s: SimulationSummary, attribute: str, better) -> int:
    """Seeds in which ``better(simulated, resampled)`` holds for one score."""
    return sum(bool(better(getattr(r.arms["simulated"], attribute), getattr(r.arms["resampled"], attribute)))
               for r in s.results)


def _conclusion(s: SimulationSummary) -> str:
    """The conclusion, generated from the numbers of a :class:`SimulationSummary`.

    Simulated vs natural data (the stated conclusion and its price in false alarms), then simulated vs
    the resampling control on recall, false alarms and overall accuracy, each with the number of seeds
    in which the difference goes that way.
    """
    n = len(s.seeds)
    rec = s.percents("rare_recall", ".0f")
    acc = s.percents("accuracy")
    fa = s.percents("false_alarm_rate")
    gain = s.rare_recall["simulated"].mean - s.rare_recall["natural"].mean
    cost = s.accuracy["natural"].mean - s.accuracy["simulated"].mean
    compute = (f"{si(s.training_flops, 'FLOP')}; {si(s.training_joules, 'J')} if run on an A100 at an assumed "
               f"{ASSUMED_UTILISATION:.0%} of its peak, not a measurement")
    if all(s.holds):
        head = (f"On all {n} seeds, at the same training compute ({compute}), the simulator's "
                f"{SIMULATED_RARE_FRACTION:.0%} hazards raised rare-case recall from {rec['natural']} (natural data, "
                f"{NATURAL_RARE_FRACTION:.1%} hazards) to {rec['simulated']}, +{gain * 100:.0f} points. ")
    else:
        head = (f"The stated conclusion failed on seed(s) {s.failed_seeds}: rare-case recall went from "
                f"{rec['natural']} "
                f"(natural) to {rec['simulated']} (simulated) at the same training compute ({compute}). ")
    if cost > 0:
        price = (f"The price is false alarms: {fa['simulated']} of ordinary scenarios flagged as hazards "
                 f"(vs {fa['natural']}), so overall accuracy on natural scenarios fell from {acc['natural']} to "
                 f"{acc['simulated']} ({cost * 100:.1f} points). ")
    else:
        price = (f"Overall accuracy on natural scenarios did not fall ({acc['natural']} natural, "
                 f"{acc['simulated']} simulated). ")
    control = (f"Repeating the natural data's few hazards to the same share (about "
               f"{s.distinct_hazards['natural'].mean:.0f} distinct ones) reached {rec['resampled']} recall with "
               f"{fa['resampled']} false alarms and {acc['resampled']} overall accuracy. ")

    sim_rec, res_rec = s.rare_recall["simulated"].mean, s.rare_recall["resampled"].mean
    sim_fa, res_fa = s.false_alarm_rate["simulated"].mean, s.false_alarm_rate["resampled"].mean
    sim_acc, res_acc = s.accuracy["simulated"].mean, s.accuracy["resampled"].mean

    def degree(difference, spread):  # 'slightly' when the gap is within the seed-to-seed spread
        return "slightly " if abs(difference) <= spread else ""

    fa_spread = max(s.false_alarm_rate["simulated"].std, s.false_alarm_rate["resampled"].std)
    acc_spread = max(s.accuracy["simulated"].std, s.accuracy["resampled"].std)
    if sim_fa > res_fa:
        alarms = (f"at {degree(sim_fa - res_fa, fa_spread)}more false alarms ({fa['simulated']} vs {fa['resampled']}, "
                  f"more in {_seeds_where(s, 'false_alarm_rate', lambda a, b: a > b)} of {n} seeds)")
    else:
        alarms = (f"with {degree(sim_fa - res_fa, fa_spread)}fewer false alarms ({fa['simulated']} vs "
                  f"{fa['resampled']}, fewer in {_seeds_where(s, 'false_alarm_rate', lambda a, b: a <= b)} "
                  f"of {n} seeds)")
    if sim_acc < res_acc:
        accuracy = (f"{degree(sim_acc - res_acc, acc_spread)}lower overall accuracy ({acc['simulated']} vs "
                    f"{acc['resampled']}, lower in {_seeds_where(s, 'accuracy', lambda a, b: a < b)} of {n} seeds)")
    else:
        accuracy = (f"{degree(sim_acc - res_acc, acc_spread)}higher overall accuracy ({acc['simulated']} vs "
                    f"{acc['resampled']}, at least as high in {_seeds_where(s, 'accuracy', lambda a, b: a >= b)} "
                    f"of {n} seeds)")
    recall_seeds = _seeds_where(s, "rare_recall", lambda a, b: a > b)
    if sim_rec > res_rec:
        control += (f"The simulator's new, varied hazards recognised more hazards than these repeats (higher "
                    f"recall in {recall_seeds} of {n} seeds), {alarms} and {accuracy}: better recall than "
                    f"resampling, not a better model on every score.")
    else:
        control += (f"Here, repeats of the few real hazards recognised as many hazards as new simulated ones "
                    f"(the simulator's recall was higher in {recall_seeds} of {n} seeds), {alarms}.")
    return head + price + control
