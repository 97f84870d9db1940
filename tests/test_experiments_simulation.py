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
