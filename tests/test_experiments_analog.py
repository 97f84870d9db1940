"""Chapter 04's experiment: a trained network deployed on simulated analog tiles, accuracy and energy together."""
import numpy as np
import pytest

from energylab import datasets, nn
from energylab.chips import analog
from energylab.experiments import analog as experiment
from energylab.experiments.analog_deployment import TIMES, AnalogSettings, deploy

import functools

from helpers.experiments import SEEDS, result


@pytest.fixture(scope="module")
def trained():
    data = datasets.split(*datasets.digits(), seed=0)
    model = nn.MLP([64, 16, 10], seed=0)
    nn.train(model, data.X_train, data.y_train, epochs=10, batch_size=64, lr=3e-3, seed=0)
    return model, data


def test_the_digits_are_the_uci_set_and_split_stratified():
    X, y = datasets.digits()
    assert X.shape == (1797, 64) and X.min() == 0 and X.max() == 1 and set(y) == set(range(10))
    s = datasets.split(X, y, seed=3)
    assert len(s.y_train) + len(s.y_val) + len(s.y_test) == 1797
    for part in (s.y_val, s.y_test):
        counts = np.bincount(part, minlength=10)
        assert counts.max() - counts.min() <= 2
    again = datasets.split(X, y, seed=3)
    assert np.array_equal(again.y_test, s.y_test) and not np.array_equal(datasets.split(X, y, seed=4).y_test, s.y_test)
    with pytest.raises(ValueError, match="validation \\+ test must be below 1"):
        datasets.split(X, y, validation=0.6, test=0.5)


def test_ideal_tiles_with_fine_converters_reproduce_the_digital_network(trained):
    model, data = trained
    # Calibrated on every input it will see, so no converter clips (a fixed range does clip outliers).
    calibration = np.vstack([data.X_train, data.X_test])
    net = deploy(model, AnalogSettings(adc_bits=14, dac_bits=14).ideal(), calibration, seed=0)
    logits = net.logits(data.X_test)
    reference = model.forward(data.X_test)
    assert np.abs(logits - reference).max() < 2e-3 * np.abs(reference).max()
    assert np.mean(np.argmax(logits, 1) == np.argmax(reference, 1)) > 0.99


def test_ideal_devices_do_not_drift_and_compensation_then_changes_nothing(trained):
    model, data = trained
    net = deploy(model, AnalogSettings().ideal(), data.X_train[:256], seed=0)
    early, late = net.logits(data.X_test, 0.0), net.logits(data.X_test, TIMES["1 year"])
    np.testing.assert_allclose(early, late)


def test_drift_without_compensation_shrinks_the_outputs(trained):
    model, data = trained
    settings = AnalogSettings(programming_noise=0, read_noise=0, compensate=False)
    net = deploy(model, settings, data.X_train[:256], seed=0)
    hidden = [np.abs(net.layers[0].raw(data.X_test, t, None)).mean() for t in (20.0, 3600.0, 86400.0, 3.15e7)]
    assert all(a > b for a, b in zip(hidden, hidden[1:]))
    compensated = deploy(model, AnalogSettings(programming_noise=0, read_noise=0), data.X_train[:256], seed=0)
    layer = compensated.layers[0]
    alpha = layer.compensation(data.X_train[:256], 3.15e7, None, True)
    assert alpha > 1.5      # ν ≈ 0.05 over a year: (3.15e7 / 20)^0.05 ≈ 2


def test_deployment_is_seeded(trained):
    model, data = trained
    a = deploy(model, AnalogSettings(), data.X_train[:256], seed=5).logits(data.X_test, 3600.0)
    b = deploy(model, AnalogSettings(), data.X_train[:256], seed=5).logits(data.X_test, 3600.0)
    c = deploy(model, AnalogSettings(), data.X_train[:256], seed=6).logits(data.X_test, 3600.0)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_energy_per_inference_adds_up_the_tiles(trained):
    model, data = trained
    net = deploy(model, AnalogSettings(rows=64, cols=64), data.X_train[:256], seed=0)
    energy = net.energy_per_inference(data.X_test).to("pJ").magnitude
    # Two tiles (64×16 and 16×10): each at most its full-duty energy with all devices at g_max.
    full = sum(analog.tile_energy(r, c, duty=1.0, g_pair=analog.pcm_model().g_max * 2).total.to("pJ").magnitude
               for r, c in ((64, 16), (16, 10)))
    assert 0 < energy < full
    smaller = deploy(model, AnalogSettings(rows=16, cols=64), data.X_train[:256], seed=0)
    assert smaller.energy_per_inference(data.X_test) > net.energy_per_inference(data.X_test)  # more ADC reads
    cheap_adc = deploy(model, AnalogSettings(adc_bits=4), data.X_train[:256], seed=0)
    assert cheap_adc.energy_per_inference(data.X_test) < net.energy_per_inference(data.X_test)


def test_bad_settings_and_models_get_clear_messages(trained):
    model, data = trained
    with pytest.raises(ValueError, match="adc_bits must be"):
        deploy(model, AnalogSettings(adc_bits=1), data.X_train[:10])
    with pytest.raises(ValueError, match="calibration inputs are needed"):
        deploy(model, AnalogSettings())
    with pytest.raises(ValueError, match="ReLU"):
        deploy(nn.MLP([64, 4, 10], activation="tanh"), AnalogSettings(), data.X_train[:10])


def test_noise_injection_training_counts_its_flops_and_checks_its_argument():
    X = np.random.default_rng(0).normal(size=(50, 4))
    y = (X[:, 0] > 0).astype(int)
    model = nn.MLP([4, 6, 2], seed=0)
    history = nn.train(model, X, y, epochs=2, batch_size=10, lr=1e-2, seed=0, weight_noise=0.05)
    steps = 2 * 5
    assert history.total_flops == steps * nn.train_step_flops(model, 10, weight_noise=0.05)
    assert nn.train_step_flops(model, 10, weight_noise=0.05) - nn.train_step_flops(model, 10) == 2 * model.n_weights
    plain, noisy = nn.MLP([4, 6, 2], seed=0), nn.MLP([4, 6, 2], seed=0)
    nn.train(plain, X, y, epochs=2, batch_size=10, lr=1e-2, seed=0)
    nn.train(noisy, X, y, epochs=2, batch_size=10, lr=1e-2, seed=0, weight_noise=0.05)
    assert not np.array_equal(plain.params[0][0], noisy.params[0][0])
    with pytest.raises(ValueError, match="weight_noise must be at most 1"):
        nn.train(model, X, y, epochs=1, batch_size=10, lr=1e-2, weight_noise=2)


@pytest.mark.parametrize("seed", SEEDS)
def test_per_seed_the_measurements_support_the_chapters_reading(seed):
    r = result("analog", seed)
    for arm in r.arms.values():
        # Accuracy is a fraction of a 359-image test set and never above the ideal deployment by chance alone.
        assert all(0 <= acc <= 1 for acc, _ in arm.settings.values())
        # More ADC bits never cost less energy at the same array size.
        for rows in experiment.ARRAY_ROWS:
            energies = [arm.settings[(b, rows)][1] for b in experiment.ADC_BITS]
            assert energies == sorted(energies)
    cheapest = experiment.cheapest_at_equal_accuracy(r)
    assert cheapest is None or r.digital_energy / cheapest[0] > 1
    front = r.pareto
    assert all(a[0] <= b[0] and a[1] < b[1] for a, b in zip(front, front[1:]))


def test_the_declared_targets_and_what_the_seeds_showed(monkeypatch):
    """Declared before the runs; the chapter reports the outcome. Ideal devices match fp32 and 3-bit ADCs lose
    accuracy on every seed; the 10× saving at equal accuracy held on 4 of the 5 seeds (on the fifth no analog
    setting came within 2 points of int8). A change that moves these findings must change the chapter too."""
    per_seed = [experiment.targets(result("analog", seed)) for seed in SEEDS]
    assert all(t["sound"] and t["adc_bits"] for t in per_seed)
    assert [t["saving"] for t in per_seed] == [True, True, True, True, False]
    monkeypatch.setattr(experiment, "run", functools.partial(result, "analog"))
    summary = experiment.run_many(SEEDS)
    assert summary.holds == [True, True, True, True, False]
    assert "held on 4 of 5 seeds" in summary.conclusion and "2.8 points short" in summary.conclusion
    assert summary.saving.n_finite == 4 and summary.saving.mean > experiment.MIN_SAVING
    # Noise-aware training keeps more accuracy at four times the published programming noise on most seeds.
    gains = [r.arms["noise_aware"].over_noise[4.0] - r.arms["standard"].over_noise[4.0]
             for r in (result("analog", seed) for seed in SEEDS)]
    assert sum(g > 0 for g in gains) >= 4 and min(gains) >= 0
