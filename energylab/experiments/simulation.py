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

Scored on two held-out test sets, each read once per arm: natural road scenarios (overall accuracy,
and the false-alarm rate: the share of ordinary scenarios flagged as hazards) and hazards only
(rare-case recall).

**Matched false alarms.** At each network's own operating point (its most probable class) the arms
raise different numbers of false alarms, and more hazard recall for more false alarms is no gain in
itself. So every arm is also compared at the same, declared false-alarm budget,
``FALSE_ALARM_BUDGET``: a scenario is flagged as a hazard when the network's hazard probability
exceeds a threshold, chosen per arm on a separate natural **validation** set (``N_VAL`` scenarios) so
that it flags that share of the validation set's ordinary scenarios; the threshold is then applied,
once, to the test sets. ``FALSE_ALARM_GRID`` repeats this at several budgets (a recall against
false-alarm curve).

Stated conclusion (:func:`holds`, checked for every seed): at the same training FLOPs and at the
matched false-alarm budget (every arm's test false-alarm rate within ``FALSE_ALARM_TOLERANCE`` of it),
simulated data recognise at least ``MIN_RECALL_GAIN`` more of the held-out hazards than natural data,
at a cost of at most ``MAX_ACCURACY_COST`` in overall accuracy on natural scenarios. The thresholds,
the budget, the tolerance and the required gain are module constants, fixed before the runs; the test
sets play no part in choosing any of them. The generated conclusion also reports each arm's default
operating point (where the simulated arm's extra recall partly came from extra false alarms) and
compares the simulator with the resampling control at the matched budget, saying in how many seeds
each difference goes which way.

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

from .protocol import (
    ASSUMED_UTILISATION,
    MeanStd,
    Summary,
    first_seed,
    from_results,
    joules,
    mean_std,
    over_seeds,
    per_arm,
    per_seed,
    summarise,
)

__all__ = ["Arm", "SimulationResult", "SimulationSummary", "World", "make_world", "simulate", "run", "run_many",
           "holds", "threshold_for", "ARMS", "CLASS_NAMES", "HAZARD_KINDS", "HAZARD", "FALSE_ALARM_BUDGET",
           "FALSE_ALARM_GRID"]

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
N_VAL = 5000                         # natural validation scenarios (choosing each arm's hazard threshold)

# ---- training (all arms) -------------------------------------------------------------------------------
HIDDEN = 32
EPOCHS = 8
BATCH_SIZE = 64
LR = 3e-3                            # Adam learning rate

# ---- the comparison at matched false alarms (declared before the runs) --------------------------------
FALSE_ALARM_BUDGET = 0.02            # share of ordinary scenarios every arm may flag as hazards
FALSE_ALARM_TOLERANCE = 0.01         # the test false-alarm rates must land within ±1 point of the budget
FALSE_ALARM_GRID = (0.005, 0.01, 0.02, 0.05)   # budgets of the recall against false-alarm curve

# ---- the stated conclusion (at the matched false-alarm budget) -----------------------------------------
MIN_RECALL_GAIN = 0.15               # rare-case recall must rise by at least 15 points ...
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
        Overall accuracy on natural road scenarios, at the network's default operating point (its most
        probable class).
    rare_recall : float
        Share of held-out hazards recognised as hazards, at the default operating point.
    false_alarm_rate : float
        Share of ordinary road scenarios wrongly flagged as hazards, at the default operating point.
    threshold : float
        Hazard probability above which the arm flags a hazard at ``FALSE_ALARM_BUDGET``, chosen on the
        validation set.
    val_false_alarm_rate : float
        The validation set's false-alarm rate at ``threshold`` (at most the budget).
    matched_recall, matched_false_alarm_rate, matched_accuracy : float
        Test recall, false-alarm rate and overall accuracy at ``threshold`` (below it, the most probable
        common class).
    recall_at : dict
        Each budget of ``FALSE_ALARM_GRID`` → (test recall, test false-alarm rate), thresholds chosen on
        the validation set.
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
    threshold: float
    val_false_alarm_rate: float
    matched_recall: float
    matched_false_alarm_rate: float
    matched_accuracy: float
    recall_at: dict
    training_flops: float
    simulation_flops: float
    training_joules: float


@dataclass
class SimulationResult:
    """One seed: ``arms`` maps ``"natural"``, ``"resampled"``, ``"simulated"`` to :class:`Arm`."""
    seed: int
    arms: dict


def threshold_for(scores, budget: float) -> float:
    """The hazard-probability threshold that flags at most ``budget`` of ``scores`` (ordinary scenarios).

    A scenario is flagged when its score is strictly above the threshold: the ``1 − budget`` quantile of
    ``scores`` (an observed value, so ties cannot push the rate over the budget).
    """
    return float(np.quantile(np.asarray(scores, dtype=float), 1.0 - float(budget), method="higher"))


def _decide(proba: np.ndarray, threshold: float) -> np.ndarray:
    """Hazard when its probability is above ``threshold``, otherwise the most probable common class."""
    common = np.argmax(proba[:, :HAZARD], axis=1)
    return np.where(proba[:, HAZARD] > threshold, HAZARD, common)


def _train_arm(name, X, y, simulation_flops, init_seed, shuffle_seed, data) -> Arm:
    """Train one arm; choose its thresholds on the validation set; read the test sets once."""
    X_val, y_val, X_test, y_test, X_hazard = data
    model = nn.MLP([N_FEATURES, HIDDEN, len(CLASS_NAMES)], seed=init_seed)
    history = nn.train(model, X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, seed=shuffle_seed)
    # selection: thresholds from the validation set only
    val_scores = model.predict_proba(X_val[y_val != HAZARD])[:, HAZARD]
    thresholds = {b: threshold_for(val_scores, b) for b in sorted({FALSE_ALARM_BUDGET, *FALSE_ALARM_GRID})}
    # the test sets, read once
    proba_test, proba_hazard = model.predict_proba(X_test), model.predict_proba(X_hazard)
    ordinary = y_test != HAZARD
    predicted = np.argmax(proba_test, axis=1)

    def scores(threshold):
        decided = _decide(proba_test, threshold)
        return (float(np.mean(_decide(proba_hazard, threshold) == HAZARD)),
                float(np.mean(decided[ordinary] == HAZARD)), float(np.mean(decided == y_test)))

    matched = scores(thresholds[FALSE_ALARM_BUDGET])
    is_hazard = y == HAZARD
    return Arm(name=name, hazard_share=float(is_hazard.mean()),
               distinct_hazards=int(np.unique(X[is_hazard], axis=0).shape[0]),
               accuracy=float(np.mean(predicted == y_test)),
               rare_recall=float(np.mean(np.argmax(proba_hazard, axis=1) == HAZARD)),
               false_alarm_rate=float(np.mean(predicted[ordinary] == HAZARD)),
               threshold=thresholds[FALSE_ALARM_BUDGET],
               val_false_alarm_rate=float(np.mean(val_scores > thresholds[FALSE_ALARM_BUDGET])),
               matched_recall=matched[0], matched_false_alarm_rate=matched[1], matched_accuracy=matched[2],
               recall_at={b: scores(thresholds[b])[:2] for b in FALSE_ALARM_GRID},
               training_flops=history.total_flops, simulation_flops=float(simulation_flops),
               training_joules=joules(history.total_flops))


def run(seed: int = 0) -> SimulationResult:
    """Run one seed: draw a world, the training, validation and test sets, train three arms.

    Parameters
    ----------
    seed : int
        Seeds the world, the data, the resampling, the (shared) initialisation and the shuffling. The
        validation set has its own random stream, so adding it left every other draw unchanged.

    Returns
    -------
    SimulationResult
    """
    seq = np.random.SeedSequence(int(seed))
    world_rng, road_rng, sim_rng, test_rng, resample_rng, shuffle_rng, val_rng = (np.random.default_rng(s)
                                                                                   for s in seq.spawn(7))
    init_seed = int(seq.generate_state(1)[0])
    world = make_world(world_rng)
    X_nat, y_nat, _ = simulate(world, N_TRAIN, NATURAL_RARE_FRACTION, road_rng)
    X_sim, y_sim, sim_flops = simulate(world, N_TRAIN, SIMULATED_RARE_FRACTION, sim_rng)
    X_test, y_test, _ = simulate(world, N_TEST, NATURAL_RARE_FRACTION, test_rng)
    X_hazard, _, _ = simulate(world, N_HAZARD_TEST, 1.0, test_rng)
    X_val, y_val, _ = simulate(world, N_VAL, NATURAL_RARE_FRACTION, val_rng)

    hazards, ordinary = np.flatnonzero(y_nat == HAZARD), np.flatnonzero(y_nat != HAZARD)
    n_hazard = int(round(SIMULATED_RARE_FRACTION * N_TRAIN))
    picked = np.concatenate([resample_rng.choice(ordinary, size=N_TRAIN - n_hazard, replace=False),
                             resample_rng.choice(hazards, size=n_hazard, replace=True)])
    X_res, y_res = X_nat[picked], y_nat[picked]

    tests = (X_val, y_val, X_test, y_test, X_hazard)
    s1, s2, s3 = shuffle_rng.integers(0, 2**63, size=3)
    arms = {"natural": _train_arm("natural", X_nat, y_nat, 0, init_seed, s1, tests),
            "resampled": _train_arm("resampled", X_res, y_res, 0, init_seed, s2, tests),
            "simulated": _train_arm("simulated", X_sim, y_sim, sim_flops, init_seed, s3, tests)}
    return SimulationResult(seed=int(seed), arms=arms)


def holds(result: SimulationResult) -> bool:
    """The stated conclusion for one seed.

    True when, at the same training FLOPs and at the matched false-alarm budget (both arms' test
    false-alarm rates within ``FALSE_ALARM_TOLERANCE`` of ``FALSE_ALARM_BUDGET``, thresholds chosen on
    the validation set), the simulated arm recognises at least ``MIN_RECALL_GAIN`` more of the held-out
    hazards than the natural one and loses at most ``MAX_ACCURACY_COST`` of overall accuracy on natural
    scenarios.
    """
    nat, sim = result.arms["natural"], result.arms["simulated"]
    matched = all(abs(a.matched_false_alarm_rate - FALSE_ALARM_BUDGET) <= FALSE_ALARM_TOLERANCE for a in (nat, sim))
    return (nat.training_flops == sim.training_flops and matched
            and sim.matched_recall - nat.matched_recall >= MIN_RECALL_GAIN
            and nat.matched_accuracy - sim.matched_accuracy <= MAX_ACCURACY_COST)


@dataclass(kw_only=True)
class SimulationSummary(Summary):
    """Mean ± standard deviation over seeds per arm, and the conclusion the numbers support.

    Dictionaries map arm names (:data:`ARMS`) to :class:`~energylab.experiments.MeanStd`;
    ``training_flops`` and ``training_joules`` are the same on every seed (and every arm). The
    ``matched_*`` fields are at ``FALSE_ALARM_BUDGET``; ``recall_at`` maps each budget of
    ``FALSE_ALARM_GRID`` to ``{arm: (MeanStd recall, MeanStd false-alarm rate)}``; ``matched_gain`` lists
    the simulated arm's matched recall minus the natural arm's, per seed.
    """
    GROUPS = ARMS

    accuracy: dict = per_arm()
    rare_recall: dict = per_arm()
    false_alarm_rate: dict = per_arm()
    matched_recall: dict = per_arm()
    matched_false_alarm_rate: dict = per_arm()
    matched_accuracy: dict = per_arm()
    val_false_alarm_rate: dict = per_arm()
    recall_at: dict = from_results(lambda results: _recall_at(results))
    matched_gain: list = per_seed(lambda r: r.arms["simulated"].matched_recall - r.arms["natural"].matched_recall)
    distinct_hazards: dict = per_arm()
    training_flops: float = first_seed(lambda r: r.arms["natural"].training_flops)
    training_joules: float = first_seed(lambda r: r.arms["natural"].training_joules)
    simulation_flops: MeanStd = over_seeds(lambda r: r.arms["simulated"].simulation_flops)


def _recall_at(results) -> dict:
    """{budget: {arm: (MeanStd test recall, MeanStd test false-alarm rate)}} over the seeds."""
    return {b: {a: (mean_std([r.arms[a].recall_at[b][0] for r in results]),
                    mean_std([r.arms[a].recall_at[b][1] for r in results])) for a in ARMS}
            for b in FALSE_ALARM_GRID}


def run_many(seeds=range(5)) -> SimulationSummary:
    """Run :func:`run` for each seed and summarise (see :class:`SimulationSummary`)."""
    return summarise(SimulationSummary, run, holds, seeds, _conclusion)


def _seeds_where(s: SimulationSummary, attribute: str, better, arm: str = "resampled") -> int:
    """Seeds in which ``better(simulated, arm)`` holds for one score."""
    return sum(bool(better(getattr(r.arms["simulated"], attribute), getattr(r.arms[arm], attribute)))
               for r in s.results)


def _conclusion(s: SimulationSummary) -> str:
    """The conclusion, generated from the numbers of a :class:`SimulationSummary`.

    Simulated vs natural data at the matched false-alarm budget (the stated conclusion), what the default
    operating points had shown instead, simulated vs the resampling control at the budget, and the
    recall at every budget of ``FALSE_ALARM_GRID``; each with the number of seeds in which it goes that way.
    """
    n = len(s.seeds)
    rec = s.percents("matched_recall", ".0f")
    acc = s.percents("matched_accuracy")
    fa = s.percents("matched_false_alarm_rate")
    default_rec = s.percents("rare_recall", ".0f")
    default_fa = s.percents("false_alarm_rate")
    gain = s.rare_recall["simulated"].mean - s.rare_recall["natural"].mean
    matched_gain = mean_std(s.matched_gain)
    budget = f"{FALSE_ALARM_BUDGET:.0%}"
    compute = (f"{si(s.training_flops, 'FLOP')}; {si(s.training_joules, 'J')} if run on an A100 at an assumed "
               f"{ASSUMED_UTILISATION:.0%} of its peak, not a measurement")
    setting = (f"at the same training compute ({compute}) and the same false-alarm budget, {budget} of ordinary "
               f"scenarios (each arm's threshold chosen on validation data; on the test set {fa['natural']} "
               f"natural, {fa['simulated']} simulated)")
    if all(s.holds):
        head = (f"On all {n} seeds, {setting}, the simulator's {SIMULATED_RARE_FRACTION:.0%} hazards raised "
                f"rare-case recall from {rec['natural']} (natural data, {NATURAL_RARE_FRACTION:.1%} hazards) to "
                f"{rec['simulated']}: +{matched_gain.format('.0f', 100)} points, at least "
                f"{min(s.matched_gain) * 100:.0f} in every seed. ")
    else:
        head = (f"The stated conclusion failed on seed(s) {s.failed_seeds}: {setting}, rare-case recall went from "
                f"{rec['natural']} (natural) to {rec['simulated']} (simulated). ")
    cost = s.matched_accuracy["natural"].mean - s.matched_accuracy["simulated"].mean
    price = f"a cost of {cost * 100:.1f} points" if cost > 0 else "no cost"
    head += (f"At that budget overall accuracy on natural scenarios was {acc['natural']} natural and "
             f"{acc['simulated']} simulated ({price}). ")
    default = (f"Each network's default operating point (its most probable class) had shown a larger gap, "
               f"{default_rec['natural']} to {default_rec['simulated']} (+{gain * 100:.0f} points), but with "
               f"{default_fa['natural']} false alarms natural and {default_fa['simulated']} simulated: part of "
               f"that gap was a different trade-off between recall and false alarms, not a better model. ")

    res_rec = s.matched_recall["resampled"].mean
    sim_rec = s.matched_recall["simulated"].mean
    recall_seeds = _seeds_where(s, "matched_recall", lambda a, b: a > b)
    acc_seeds = _seeds_where(s, "matched_accuracy", lambda a, b: a >= b)
    control = (f"Repeating the natural data's few hazards to the same share (about "
               f"{s.distinct_hazards['natural'].mean:.0f} distinct ones) reached {rec['resampled']} recall at the "
               f"same budget, with {acc['resampled']} overall accuracy. ")
    if sim_rec > res_rec:
        control += (f"The simulator's new, varied hazards recognised more hazards than these repeats (higher recall "
                    f"in {recall_seeds} of {n} seeds; overall accuracy at least as high in {acc_seeds} of {n}). ")
    else:
        control += (f"Here, repeats of the few real hazards recognised as many hazards as new simulated ones (the "
                    f"simulator's recall was higher in {recall_seeds} of {n} seeds). ")
    pairs = sum(r.arms["simulated"].recall_at[b][0] > r.arms["natural"].recall_at[b][0]
                for r in s.results for b in FALSE_ALARM_GRID)
    curve = ", ".join(f"{b:.1%}: {s.recall_at[b]['natural'][0].format('.0f', 100)} vs "
                      f"{s.recall_at[b]['simulated'][0].format('.0f', 100, ' %')}" for b in FALSE_ALARM_GRID)
    total = n * len(FALSE_ALARM_GRID)
    lead = ("At every false-alarm budget the recall was higher with simulated data" if pairs == total else
            "Across false-alarm budgets the recall with simulated data was not always higher")
    control += f"{lead} (natural vs simulated, {curve}; higher in {pairs} of {total} seed-budget pairs)."
    return head + default + control
