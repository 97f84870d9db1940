"""The chapter-01 data experiments: each stated conclusion holds for every seed, and runs are deterministic.

No timed assertions here: run times are measured in benchmarks, not tests.
"""
import functools
import math

import numpy as np
import pytest
from helpers.experiments import MODULES as ALL
from helpers.experiments import SEEDS, result

from energylab.experiments import MeanStd, curation, mean_std, simulation, synthetic

MODULES = {name: ALL[name] for name in ("curation", "synthetic", "simulation")}


# ------------------------------------------------------------------------------------------------
# the accounting behind each conclusion
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1])
def test_curation_charges_its_own_flops_and_cleans_the_corpus(seed):
    r = result("curation", seed)
    every, rand, cur = (r.arms[a] for a in curation.ARMS)
    assert cur.overhead_flops == r.curation.total_flops > 0
    assert every.overhead_flops == rand.overhead_flops == 0
    assert cur.flops[0] == cur.overhead_flops and np.all(np.diff(cur.flops) > 0)
    assert cur.total_flops == pytest.approx(cur.flops[-1])
    assert cur.n_train == rand.n_train == r.curation.keep.size < every.n_train == r.corpus["total"]
    assert set(r.curation.flops) == {"hashing", "novelty", "proxy_training", "proxy_scoring"}
    # curation removes most of each fault
    assert r.curation.removed["duplicates"] > 0.9 * r.corpus["duplicates"]
    assert r.kept["off_task"] < 0.1 * r.corpus["off_task"]
    assert r.kept["mislabelled"] / r.kept["total"] < r.corpus["mislabelled"] / r.corpus["total"]
    # the target sits below what the task allows
    assert r.target_accuracy < r.bayes_accuracy
    assert cur.flops_to(r.target_accuracy) == cur.flops_to_target and cur.flops_to(1.01) == math.inf
    assert cur.joules_to_target > 0
    assert math.isinf(every.joules_to_target) or every.joules_to_target > cur.joules_to_target


def test_corpus_has_the_faults_it_claims():
    corpus = curation.make_corpus(0)
    counts = corpus.counts()
    assert counts["total"] == curation.N_ORIGINAL + curation.N_DUPLICATES + curation.N_OFF_TASK
    assert counts["duplicates"] == curation.N_DUPLICATES and counts["off_task"] == curation.N_OFF_TASK
    on_task = counts["total"] - counts["off_task"]
    assert 0.15 < counts["mislabelled"] / on_task < 0.25
    assert np.bincount(corpus.y_test).tolist() == [curation.N_TEST_PER_CLASS] * curation.N_CLASSES


@pytest.mark.parametrize("seed", [0, 1])
def test_synthetic_arms_share_training_flops_and_charge_generation(seed):
    r = result("synthetic", seed)
    none, aug, real = (r.arms[a] for a in synthetic.ARMS)
    assert none.training_flops == aug.training_flops == real.training_flops
    n_var = synthetic.N_REAL_PER_CLASS * len(synthetic.CLASS_NAMES) * synthetic.VARIANTS_PER_EXAMPLE
    assert aug.n_generated == n_var and none.n_generated == real.n_generated == 0
    L = synthetic.SIGNAL_LENGTH
    assert aug.generation_flops == n_var * (2 * L + synthetic.RNG_FLOPS_PER_DRAW * (L + 2))
    assert aug.total_flops == aug.training_flops + aug.generation_flops
    assert r.break_even_generator_params == pytest.approx(aug.training_flops / (2 * n_var * L))


def test_synthetic_variants_keep_the_class():
    rng = np.random.default_rng(0)
    clean = synthetic.templates()  # noise-free shapes: a variant is a shifted, rescaled copy plus small noise
    variants, _ = synthetic.make_variants(rng, clean, 3)
    source = np.tile(clean, (3, 1))
    for v, s in zip(variants, source):
        best = max(np.dot(np.roll(s, k), v) / np.linalg.norm(s) / np.linalg.norm(v) for k in range(len(s)))
        assert best > 0.8


@pytest.mark.parametrize("seed", [0, 1])
def test_simulation_arms_share_training_flops(seed):
    r = result("simulation", seed)
    nat, res, sim = (r.arms[a] for a in simulation.ARMS)
    assert nat.training_flops == res.training_flops == sim.training_flops
    assert nat.hazard_share < 0.03
    assert res.hazard_share == simulation.SIMULATED_RARE_FRACTION
    assert abs(sim.hazard_share - simulation.SIMULATED_RARE_FRACTION) < 0.03
    assert res.distinct_hazards == nat.distinct_hazards < sim.distinct_hazards
    assert sim.simulation_flops > 0 and nat.simulation_flops == 0


def test_simulator_controls_the_rare_fraction_and_checks_input():
    world = simulation.make_world(np.random.default_rng(0))
    _, y, flops = simulation.simulate(world, 20_000, 0.25, np.random.default_rng(1))
    assert abs(np.mean(y == simulation.HAZARD) - 0.25) < 0.01
    assert flops == 20_000 * (3 + 2 * simulation.N_FEATURES)
    with pytest.raises(ValueError, match="rare_fraction"):
        simulation.simulate(world, 10, 1.5, np.random.default_rng(1))
    with pytest.raises(ValueError, match="n must be"):
        simulation.simulate(world, 0, 0.1, np.random.default_rng(1))


# ------------------------------------------------------------------------------------------------
# summaries
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", MODULES)
def test_run_many_summarises_and_concludes_from_the_numbers(name, monkeypatch):
    module = MODULES[name]
    monkeypatch.setattr(module, "run", functools.partial(result, name))  # reuse the cached runs
    summary = module.run_many(SEEDS)
    assert summary.seeds == list(SEEDS) and summary.holds == [True] * 5
    assert summary.conclusion.startswith(("On all 5 seeds", "With 40 real examples"))
    assert "On all 5 seeds" in summary.conclusion and "failed" not in summary.conclusion
    first = next(v for v in vars(summary).values() if isinstance(v, dict))
    assert set(first) == set(module.ARMS) and all(isinstance(v, MeanStd) for v in first.values())
    with pytest.raises(ValueError, match="seeds"):
        module.run_many([])
    if name == "curation":
        assert summary.wins_by_target[curation.TARGET_ACCURACY] == 1.0
        assert set(summary.wins_by_target) == set(curation.TARGET_GRID)


def test_mean_std():
    s = mean_std([1.0, 2.0, 3.0])
    assert (s.mean, s.std, s.n, s.n_finite) == (2.0, 1.0, 3, 3)
    assert str(s) == "2 ± 1"
    partial = mean_std([1.0, math.inf, 3.0])
    assert partial.mean == 2.0 and partial.n_finite == 2 and "in 2 of 3 seeds" in str(partial)
    assert str(mean_std([math.inf])) == "never"
