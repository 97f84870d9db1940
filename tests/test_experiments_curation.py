"""energylab.experiments.curation: the curated arm pays for its FLOPs; the corpus, its variants and the fault grid."""
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


def test_curation_grid_is_cached_and_complete():
    g = curation.fault_grid(0)
    assert curation.fault_grid(0) is g
    levels = curation.FAULT_LEVELS
    assert len(g) == len(levels["duplicates"]) * len(levels["label_noise"]) * len(levels["off_task"])


def test_corpus_variant_removes_faults_as_asked():
    base = curation.make_corpus(3)
    counts = base.counts()
    clean = curation.corpus_variant(base, 0.0, 0.0, 0.0, seed=3)
    assert clean.counts()["duplicates"] == 0 and clean.counts()["off_task"] == 0
    assert clean.counts()["mislabelled"] == 0
    assert clean.y.size == counts["total"] - counts["duplicates"] - counts["off_task"]
    half = curation.corpus_variant(base, 1.0, 0.5, 0.5, seed=3)
    assert half.counts()["duplicates"] == counts["duplicates"]
    assert half.counts()["mislabelled"] == pytest.approx(counts["mislabelled"] / 2, abs=1)
    assert half.counts()["off_task"] == pytest.approx(counts["off_task"] / 2, abs=1)
    same = curation.corpus_variant(base, 1.0, 1.0, 1.0, seed=3)
    np.testing.assert_array_equal(same.X, base.X)
    np.testing.assert_array_equal(same.y, base.y)
    assert base.counts() == counts, "the base corpus is not modified"
    with pytest.raises(ValueError, match="label_noise"):
        curation.corpus_variant(base, 1.0, 1.5, 1.0)
