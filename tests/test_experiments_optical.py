"""Chapter 05's optical experiment: the digits network on simulated Mach–Zehnder meshes, accuracy and energy."""
import numpy as np
import pytest

from energylab.chips import optical
from energylab.chips.optical.energy import heater_power, mvm_energy
from energylab.experiments import analog, optical as experiment
from energylab.experiments.optical_deployment import OpticalSettings, decompose, deploy

from helpers.experiments import SEEDS, result


@pytest.fixture(scope="module")
def trained():
    data, model, _, _ = analog.digital_network(0)
    return model, data


def test_ideal_optics_reproduce_the_digital_network(trained):
    model, data = trained
    net = deploy(model, OpticalSettings(n=16).ideal(), data.X_train, seed=0)
    agree = np.mean(net.predict(data.X_test) == model.predict(data.X_test))
    assert agree >= 0.99


def test_layers_are_cut_into_padded_tiles(trained):
    model, _ = trained
    tiles = decompose(model, 32)
    assert [(len(layer), len(layer[0])) for layer in tiles] == [(1, 2), (1, 1)]
    mesh, block = tiles[1][0][0]
    assert block.shape == (32, 32) and np.all(block[10:] == 0)      # 10 outputs padded to 32
    assert np.allclose(mesh.matrix().real, block, atol=1e-10)
    assert [(len(layer), len(layer[0])) for layer in decompose(model, 8)] == [(4, 8), (2, 4)]


def test_a_reading_is_reproducible_and_shot_noise_differs_between_readings(trained):
    model, data = trained
    net = deploy(model, OpticalSettings(photons_per_mac=0.3), data.X_train[:256], seed=1)
    a, b = net.predict(data.X_test, reading=0), net.predict(data.X_test, reading=0)
    assert np.array_equal(a, b) and not np.array_equal(a, net.predict(data.X_test, reading=1))


def test_fewer_photons_and_more_loss_cost_accuracy(trained):
    model, data = trained
    calibration = data.X_train[:256]

    def acc(**kw):
        return deploy(model, OpticalSettings(phase_sigma=0.0, **kw), calibration, seed=2).accuracy(data.X_test,
                                                                                                   data.y_test)
    assert acc(photons_per_mac=100) > acc(photons_per_mac=0.3)
    assert acc(loss_db=0.0) > acc(loss_db=0.5)
    assert acc(loss_db=0.3, kind="clements") > acc(loss_db=0.3, kind="reck")


def test_energy_counts_tiles_and_heaters(trained):
    model, data = trained
    cal = data.X_train[:64]
    hot = deploy(model, OpticalSettings(n=16), cal, seed=0)
    cold = deploy(model, OpticalSettings(n=16, phase_shifters="non-volatile"), cal, seed=0)
    assert hot.n_tiles == 4 * 2 + 1 * 2 and cold.energy_parts()["static"] == 0.0
    per_tile = sum(mvm_energy(16).values())
    assert cold.energy_per_inference() == pytest.approx(hot.n_tiles * per_tile)
    assert hot.energy_parts()["static"] == pytest.approx(hot.heater_watts * 1e-9)
    assert hot.energy_per_inference() > 100 * cold.energy_per_inference()     # heaters dominate


def test_heater_power_follows_the_phases():
    mesh = optical.clements(optical.random_unitary(8, seed=0))
    p = heater_power(mesh).to("W").magnitude
    from energylab.units import u
    assert heater_power(mesh, p_pi=50 * u.mW).to("W").magnitude == pytest.approx(2 * p)
    assert 0 < p < 0.025 * 2 * (2 * mesh.n_mzis + mesh.n)        # below 2π of phase on every shifter
    identity = optical.Mesh(4, np.array([0, 2, 1]), np.zeros(3), np.zeros(3), np.zeros(4), "clements")
    assert heater_power(identity).magnitude == 0
    with pytest.raises(TypeError, match="Mesh or an SVDMesh"):
        heater_power(np.eye(4))


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match="kind"):
        OpticalSettings(kind="triangle")
    with pytest.raises(ValueError, match="phase_shifters"):
        OpticalSettings(phase_shifters="magic")
    with pytest.raises(ValueError, match="mesh size"):
        OpticalSettings(n=1)
    with pytest.raises(ValueError, match="photons_per_mac"):
        OpticalSettings(photons_per_mac=0)


def test_identical_designs_share_one_chip():
    r = result("optical", 0)
    reference = experiment.REFERENCE
    assert r.sweeps["size"][reference.n] == r.sweeps["phase"][reference.phase_sigma] \
        == r.sweeps["photons"][reference.photons_per_mac]
    hot, cold = r.sweeps["size"][16], r.sweeps["size_nonvolatile"][16]
    assert (hot.test, hot.validation) == (cold.test, cold.validation) and cold.parts["static"] == 0
    assert cold.energy == pytest.approx(hot.energy - hot.parts["static"])


def test_the_choice_is_made_on_validation_and_saves_energy():
    r = result("optical", 0)
    n, point = experiment.chosen_size(r)
    sizes = r.sweeps["size_nonvolatile"]
    ok = [m for m, p in sizes.items() if p.validation >= r.int8_validation - experiment.EQUAL_ACCURACY]
    assert n == min(ok, key=lambda m: sizes[m].energy)
    assert r.digital_energy / point.energy >= experiment.MIN_SAVING
    energies = [sizes[m].energy for m in experiment.MESH_SIZES]
    assert energies == sorted(energies, reverse=True)        # bigger meshes: fewer conversions per MAC


def test_summary_reports_every_sweep():
    import functools
    summary = experiment.summarise(experiment.OpticalSummary, functools.partial(result, "optical"),
                                   experiment.holds, SEEDS, experiment._conclusion)
    assert summary.holds == [True] * 5 and summary.conclusion.startswith("On all 5 seeds")
    assert set(summary.curve("loss_reck")) == set(experiment.LOSSES_DB)
    assert summary.heater_excess.mean > 1 and summary.saving.n_finite == 5
