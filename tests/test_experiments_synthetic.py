"""energylab.experiments.synthetic: arms share training FLOPs, generation is charged, variants keep their class."""
import numpy as np
import pytest

from energylab.experiments import synthetic

from helpers.experiments import result


@pytest.mark.parametrize("seed", [0, 1])
def test_synthetic_arms_share_training_flops_and_charge_generation(seed):
    r = result("synthetic", seed)
    none, aug, wrong, real = (r.arms[a] for a in synthetic.ARMS)
    assert none.training_flops == aug.training_flops == wrong.training_flops == real.training_flops
    n_var = synthetic.N_REAL_PER_CLASS * len(synthetic.CLASS_NAMES) * synthetic.VARIANTS_PER_EXAMPLE
    assert aug.n_generated == n_var and none.n_generated == real.n_generated == 0
    L = synthetic.SIGNAL_LENGTH
    assert aug.generation_flops == n_var * (2 * L + synthetic.RNG_FLOPS_PER_DRAW * (L + 2))
    assert aug.total_flops == aug.training_flops + aug.generation_flops
    assert wrong.n_generated == n_var and wrong.generation_flops == aug.generation_flops + n_var * (
        synthetic.STRETCH_FLOPS_PER_VALUE * L + synthetic.RNG_FLOPS_PER_DRAW + 3)
    assert wrong.total_flops == wrong.training_flops + wrong.generation_flops
    assert r.break_even_generator_params == pytest.approx(aug.training_flops / (2 * n_var * L))


def test_synthetic_variants_keep_the_class():
    rng = np.random.default_rng(0)
    clean = synthetic.templates()  # noise-free shapes: a variant is a shifted, rescaled copy plus small noise
    variants, _ = synthetic.make_variants(rng, clean, 3)
    source = np.tile(clean, (3, 1))
    for v, s in zip(variants, source):
        best = max(np.dot(np.roll(s, k), v) / np.linalg.norm(s) / np.linalg.norm(v) for k in range(len(s)))
        assert best > 0.8


@pytest.mark.parametrize("seed", range(5))
def test_wrong_invariance_arm_does_not_recover_the_gain(seed):
    r = result("synthetic", seed)
    none, aug, wrong, real = (r.arms[a].final_accuracy for a in synthetic.ARMS)
    assert synthetic.holds(r)
    assert r.recovered >= synthetic.MIN_RECOVERED
    assert aug - wrong >= synthetic.MIN_GAIN and r.wrong_recovered < r.recovered
    assert r.wrong_recovered == pytest.approx((wrong - none) / (real - none))


def test_wrong_invariance_recovers_less_than_half_on_average():
    recovered = [result("synthetic", seed).wrong_recovered for seed in range(5)]
    assert np.mean(recovered) < synthetic.MIN_RECOVERED


def test_stretch_changes_the_width_the_class_depends_on():
    narrow, wide = synthetic.templates()[:2]
    rng = np.random.default_rng(0)
    stretched, flops = synthetic.make_stretched(rng, np.tile(narrow, (200, 1)))
    L = synthetic.SIGNAL_LENGTH
    assert flops == 200 * (synthetic.STRETCH_FLOPS_PER_VALUE * L + synthetic.RNG_FLOPS_PER_DRAW + 3)
    width = lambda x: np.sum(x > 0.5 * x.max(axis=-1, keepdims=True), axis=-1)  # noqa: E731
    # some stretched narrow pulses are as wide as a wide pulse: the generator breaks the class
    assert width(stretched).max() >= width(wide) > width(narrow)


@pytest.mark.parametrize("seed", [0, 1])
def test_flops_to_target_on_validation_and_test_read_once(seed, monkeypatch):
    r = result("synthetic", seed)
    target = r.arms[synthetic.TARGET_ARM].final_val_accuracy
    assert r.target_accuracy == target
    for arm in r.arms.values():
        assert arm.flops_to_target == arm.flops_to(target)
        assert arm.flops[0] == arm.generation_flops          # the curve starts after generation
    # scrambling the test set changes only the test accuracies, never the curves or the FLOPs to target
    make = synthetic.make_examples
    calls = []

    def tracked(rng, y):
        calls.append(len(y))
        X = make(rng, y)
        if len(calls) == 3:                                  # the test set is the third draw of the data stream
            X = np.random.default_rng(5).normal(size=X.shape)
        return X

    monkeypatch.setattr(synthetic, "make_examples", tracked)
    again = synthetic.run(seed)
    assert calls[2] == synthetic.N_TEST_PER_CLASS * len(synthetic.CLASS_NAMES)
    for name, arm in again.arms.items():
        np.testing.assert_array_equal(arm.accuracy, r.arms[name].accuracy)
        assert arm.flops_to_target == r.arms[name].flops_to_target
        assert arm.final_accuracy != r.arms[name].final_accuracy


def test_declared_targets_are_module_constants():
    assert synthetic.TARGET_ARM in synthetic.ARMS and synthetic.REFERENCE_ARM in synthetic.ARMS
    assert synthetic.WRONG_STRETCH_RANGE[0] < 1 < synthetic.WRONG_STRETCH_RANGE[1]
