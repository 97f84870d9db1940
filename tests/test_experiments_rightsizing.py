"""energylab.experiments.rightsizing: the smallest width meeting the target, costs by width, the choice grid."""
import pytest

from energylab import nn
from energylab.experiments import distillation, joules, quantization, rightsizing

from helpers.experiments import SEEDS, result


@pytest.mark.parametrize("seed", SEEDS)
def test_smallest_meeting_really_is_the_smallest_meeting_the_target(seed):
    r = result("rightsizing", seed)
    for target in (0.5, 0.8, rightsizing.TARGET_ACCURACY, 0.9, 0.99):
        chosen = rightsizing.smallest_meeting(target, r)
        meeting = [w for w in rightsizing.WIDTHS if r.sizes[w].accuracy >= target]
        if chosen is None:
            assert not meeting
        else:
            assert r.sizes[chosen].accuracy >= target and chosen == min(meeting)
            assert all(r.sizes[w].accuracy < target for w in rightsizing.WIDTHS if w < chosen)
    assert r.chosen == rightsizing.smallest_meeting(rightsizing.TARGET_ACCURACY, r)
    largest = r.sizes[rightsizing.WIDTHS[-1]]
    assert r.saving == pytest.approx(largest.flops_per_query / r.sizes[r.chosen].flops_per_query)
    assert r.accuracy_given_up == largest.accuracy - r.sizes[r.chosen].accuracy
    best = max(s.accuracy for s in r.sizes.values())
    assert r.sizes[r.most_accurate].accuracy == best
    assert r.sizes[r.near_best].accuracy >= best - rightsizing.NEAR_BEST


def test_rightsizing_costs_grow_with_width():
    r = result("rightsizing", 0)
    flops = [r.sizes[w].flops_per_query for w in rightsizing.WIDTHS]
    assert flops == sorted(flops) and len(set(flops)) == len(flops)
    for w, size in r.sizes.items():
        model = nn.MLP([distillation.N_FEATURES, w, distillation.N_CLASSES])
        assert size.flops_per_query == nn.forward_flops(model, 1) and size.n_params == model.n_params
        assert size.joules_per_query == pytest.approx(joules(size.flops_per_query))


def test_evaluate_choice_is_cached_deterministic_and_consistent():
    grid = result("rightsizing", rightsizing.GRID_SEED)
    for w in rightsizing.WIDTHS:
        assert rightsizing.evaluate_choice(w).accuracy == grid.sizes[w].accuracy
    c = rightsizing.evaluate_choice(32, 8, 1)
    assert c == rightsizing.evaluate_choice(32, 8, 1)
    assert c.macs_per_query == 16 * 32 + 32 * 10 and c.flops_per_query == grid.sizes[32].flops_per_query
    assert c.energy_per_query == pytest.approx(c.compute_energy + c.memory_energy)
    assert c.compute_energy == pytest.approx(c.macs_per_query * quantization.mac_energy(8))
    # batching shares each weight fetch; fewer bits mean fewer bytes and cheaper arithmetic
    c64 = rightsizing.evaluate_choice(32, 8, 64)
    assert c64.memory_energy == pytest.approx(c.memory_energy / 64) and c64.compute_energy == c.compute_energy
    energies = [rightsizing.evaluate_choice(32, b).energy_per_query for b in (32, 8, 4, 2)]
    assert energies == sorted(energies, reverse=True)
    assert rightsizing.smallest_meeting(rightsizing.TARGET_ACCURACY) == grid.chosen
    for bad, error in (((5,), ValueError), ((32, 16), ValueError), ((32, 8, 0), ValueError), (("32",), TypeError),
                       ((32, 8, 1.5), TypeError), ((True,), TypeError)):
        with pytest.raises(error):
            rightsizing.evaluate_choice(*bad)
    with pytest.raises(ValueError, match="target"):
        rightsizing.smallest_meeting(85)


@pytest.mark.parametrize("batch_size", [1, 64])
def test_best_choice_is_the_least_energy_choice_meeting_the_target(batch_size):
    target = rightsizing.TARGET_ACCURACY
    best = rightsizing.best_choice(target, batch_size)
    assert best is not None and best.accuracy >= target and best.batch_size == batch_size
    for w in rightsizing.WIDTHS:
        for b in rightsizing.GRID_BITS:
            c = rightsizing.evaluate_choice(w, b, batch_size)
            if c.accuracy >= target:
                assert c.energy_per_query >= best.energy_per_query
    assert rightsizing.best_choice(1.0) is None
