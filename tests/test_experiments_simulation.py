"""energylab.experiments.simulation: arms share training FLOPs; the simulator sets the rare-case fraction."""
import numpy as np
import pytest

from energylab.experiments import simulation

from helpers.experiments import result


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


@pytest.mark.parametrize("seed", [0, 1])
def test_thresholds_are_chosen_on_validation_data_only(seed, monkeypatch):
    """Smaller test sets change the test scores but no threshold: selection never reads the test sets."""
    r = result("simulation", seed)
    chosen = []
    real = simulation.threshold_for

    def spy(scores, budget):
        chosen.append((len(scores), budget))
        return real(scores, budget)

    monkeypatch.setattr(simulation, "threshold_for", spy)
    monkeypatch.setattr(simulation, "N_TEST", 1500)
    monkeypatch.setattr(simulation, "N_HAZARD_TEST", 500)
    again = simulation.run(seed)
    # every threshold comes from the validation set's ordinary scenarios (about N_VAL of them)
    assert chosen and all(abs(n - simulation.N_VAL) < 0.05 * simulation.N_VAL for n, _ in chosen)
    assert {b for _, b in chosen} == {simulation.FALSE_ALARM_BUDGET, *simulation.FALSE_ALARM_GRID}
    for arm in simulation.ARMS:
        assert again.arms[arm].threshold == r.arms[arm].threshold
        assert again.arms[arm].val_false_alarm_rate == r.arms[arm].val_false_alarm_rate
        assert r.arms[arm].val_false_alarm_rate <= simulation.FALSE_ALARM_BUDGET
    assert any(again.arms[a].matched_recall != r.arms[a].matched_recall for a in simulation.ARMS)


@pytest.mark.parametrize("seed", range(5))
def test_arms_compared_at_matched_false_alarm_rates(seed):
    r = result("simulation", seed)
    for arm in simulation.ARMS:
        a = r.arms[arm]
        assert abs(a.matched_false_alarm_rate - simulation.FALSE_ALARM_BUDGET) <= simulation.FALSE_ALARM_TOLERANCE
        for budget, (_, false_alarms) in a.recall_at.items():
            assert abs(false_alarms - budget) <= simulation.FALSE_ALARM_TOLERANCE
        recalls = [a.recall_at[b][0] for b in simulation.FALSE_ALARM_GRID]
        assert recalls == sorted(recalls), "a larger false-alarm budget cannot lower the recall"
    nat, sim = r.arms["natural"], r.arms["simulated"]
    # the per-seed conclusion at the matched budget, and the default operating points it corrects
    assert sim.matched_recall - nat.matched_recall >= simulation.MIN_RECALL_GAIN
    assert simulation.holds(r)
    assert nat.false_alarm_rate < simulation.FALSE_ALARM_BUDGET / 2 < sim.false_alarm_rate


def test_declared_false_alarm_targets_are_module_constants():
    assert 0 < simulation.FALSE_ALARM_BUDGET < 0.1 and simulation.FALSE_ALARM_BUDGET in simulation.FALSE_ALARM_GRID
    assert 0 < simulation.FALSE_ALARM_TOLERANCE < simulation.FALSE_ALARM_BUDGET
    assert tuple(sorted(simulation.FALSE_ALARM_GRID)) == simulation.FALSE_ALARM_GRID
    scores = np.linspace(0, 1, 1001)
    t = simulation.threshold_for(scores, 0.02)
    assert np.mean(scores > t) <= 0.02 and np.mean(scores >= t) > 0.02 - 0.002
