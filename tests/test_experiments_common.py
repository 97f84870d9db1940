"""What every experiment promises: its stated conclusion holds for each of five seeds, and a run is
deterministic, leaves numpy's global random state alone and prints nothing."""
import numpy as np
import pytest

from experiment_helpers import MODULES, SEEDS, result, same


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", MODULES)
def test_conclusion_holds_for_every_seed(name, seed):
    assert MODULES[name].holds(result(name, seed)), f"{name}: the stated conclusion fails for seed {seed}"


@pytest.mark.parametrize("name", MODULES)
def test_runs_are_deterministic_and_leave_global_random_state_alone(name, capsys):
    state = np.random.get_state()
    again = MODULES[name].run(3)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1]) and state[2:] == after[2:]
    assert same(again, result(name, 3))
    assert not same(result(name, 0), result(name, 1))
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""
