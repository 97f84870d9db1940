"""Chapter 05's spiking experiment: the digits network converted to integrate-and-fire neurons, spikes and energy."""
import numpy as np
import pytest

from energylab import nn
from energylab.experiments import analog, spiking as experiment

from helpers.experiments import SEEDS, result


@pytest.fixture(scope="module")
def trained():
    data, model, _, _ = analog.digital_network(0)
    return model, data


def test_a_long_spiking_run_agrees_with_the_relu_network(trained):
    model, data = trained
    snn = experiment.convert(model, data.X_train)
    found = snn.simulate(data.X_test, 256, seed=0, checkpoints=(8, 256))
    agree = {t: np.mean(f["predictions"] == model.predict(data.X_test)) for t, f in found.items()}
    assert agree[256] >= 0.97 and agree[256] > agree[8]


def test_the_counts_are_the_ledger(trained):
    model, data = trained
    snn = experiment.convert(model, data.X_train)
    f = snn.simulate(data.X_test, 64, seed=1, checkpoints=(64,))[64]
    assert f["events"] == pytest.approx(f["input_spikes"] * 32 + f["hidden_spikes"] * 10)
    assert f["updates"] == 64 * (32 + 10)
    # Poisson inputs: a pixel of value x fires x spikes per step on average.
    expected = 64 * data.X_test.sum(axis=1).mean()
    assert f["input_spikes"] == pytest.approx(expected, rel=0.02)


def test_a_blank_image_makes_no_input_spikes(trained):
    model, data = trained
    snn = experiment.convert(model, data.X_train)
    f = snn.simulate(np.zeros((3, 64)), 16, checkpoints=(16,))[16]
    assert f["input_spikes"] == 0


def test_convert_rejects_other_networks():
    with pytest.raises(ValueError, match="one hidden layer"):
        experiment.convert(nn.MLP([64, 16, 16, 10]), np.zeros((4, 64)))


def test_the_price_is_truenorths_all_in_figure():
    assert experiment.event_price() == pytest.approx(26.0)


def test_the_penalty_cuts_hidden_spikes_far_more_than_events():
    """Pinned finding: the L1 penalty removes most hidden spikes, but the input layer's spikes × fan-out 32 are most
    of the events, so the events (and the energy) fall by only a few percent. Counting spikes misleads."""
    for seed in SEEDS:
        a = result("spiking", seed).arms
        t = experiment.T_REF
        assert a["penalty"].hidden_spikes[t] < 0.7 * a["standard"].hidden_spikes[t]
        assert a["penalty"].events[t] > 0.85 * a["standard"].events[t]


def test_equal_accuracy_is_chosen_on_validation_and_costs_more_than_int8():
    for seed in SEEDS:
        r = result("spiking", seed)
        for arm in experiment.ARMS:
            a = r.arms[arm]
            assert a.steps in experiment.TIME_STEPS
            energy = experiment.energy_at_chosen_steps(r, arm)
            assert energy == pytest.approx(a.events[a.steps] * 26.0)
            assert energy > 10 * r.digital_energy
