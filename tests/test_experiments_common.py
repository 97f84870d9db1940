"""What every experiment promises: its stated conclusion holds for each of five seeds, and a run is
deterministic, leaves numpy's global random state alone and prints nothing."""
import numpy as np
import pytest
from helpers.experiments import MODULES, SEEDS, result, same


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


def test_summaries_share_one_protocol():
    from energylab.experiments import protocol
    for name, module in MODULES.items():
        summary_class = getattr(module, f"{name.capitalize()}Summary")
        assert issubclass(summary_class, protocol.Summary), name
        assert tuple(summary_class.GROUPS) == tuple(module.ARMS), name


def test_summarise_fills_the_declared_fields():
    import dataclasses
    import math
    from types import SimpleNamespace

    from energylab.experiments import protocol

    @dataclasses.dataclass(kw_only=True)
    class Toy(protocol.Summary):
        GROUPS = ("a", "b")
        score: dict = protocol.per_arm()
        gain: protocol.MeanStd = protocol.over_seeds()
        doubled: protocol.MeanStd = protocol.over_seeds(lambda r: 2 * r.gain)
        seeds_seen: list = protocol.per_seed("seed")
        first_gain: float = protocol.first_seed("gain")
        best: float = protocol.from_results(lambda results: max(r.gain for r in results))

    def run(seed):
        return SimpleNamespace(seed=seed, gain=float(seed), arms={"a": SimpleNamespace(score=seed),
                                                                   "b": SimpleNamespace(score=-seed)})

    s = protocol.summarise(Toy, run, lambda r: r.gain > 0, range(3), lambda s: f"failed on {s.failed_seeds}")
    assert s.seeds == [0, 1, 2] and s.holds == [False, True, True] and s.conclusion == "failed on [0]"
    assert s.score["a"] == protocol.mean_std([0, 1, 2]) and s.score["b"].mean == -1.0
    assert (s.gain.mean, s.doubled.mean, s.seeds_seen, s.first_gain, s.best) == (1.0, 2.0, [0, 1, 2], 0.0, 2.0)
    assert protocol.mean_std([3.94e7, 3.5e7]).format_si("FLOP") == "37 ± 3.1 MFLOP"
    assert protocol.mean_std([1.3e-4]).format_si("J") == "130 µJ" and math.isinf(protocol.joules(math.inf))
