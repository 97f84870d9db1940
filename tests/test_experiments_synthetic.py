"""energylab.experiments.synthetic: arms share training FLOPs, generation is charged, variants keep their class."""
import numpy as np
import pytest

from energylab.experiments import synthetic

from helpers.experiments import result


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
