"""energylab.experiments.curation: the curated arm pays for its own FLOPs; the corpus has the faults it claims."""
import math

import numpy as np
import pytest

from energylab.experiments import curation

from helpers.experiments import result


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
