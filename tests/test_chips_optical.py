"""Chapter 05's optical meshes (in progress): decompositions, depth, and what loss and phase errors do."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from energylab.chips import optical


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 12), seed=st.integers(0, 10_000))
def test_any_unitary_is_rebuilt_from_n_n_minus_1_over_2_mzis(n, seed):
    u = optical.random_unitary(n, seed=seed)
    for mesh in (optical.clements(u), optical.reck(u)):
        assert mesh.n_mzis == n * (n - 1) // 2
        assert np.abs(mesh.matrix() - u).max() < 1e-10


@pytest.mark.parametrize("n", [3, 4, 8, 16])
def test_depth_is_n_for_clements_and_2n_minus_3_for_reck(n):
    u = optical.random_unitary(n, seed=n)
    assert optical.clements(u).depth == n
    assert optical.reck(u).depth == 2 * n - 3


def test_the_mzi_is_unitary_and_splits_as_its_internal_phase_says():
    t = optical.mzi(0.3, 1.1)
    np.testing.assert_allclose(t.conj().T @ t, np.eye(2), atol=1e-15)
    assert abs(t[1, 0]) ** 2 == pytest.approx(np.sin(0.3) ** 2)
    big = optical.embed(t, 2, 5)
    np.testing.assert_allclose(big[2:4, 2:4], t) and np.testing.assert_allclose(big[0, 0], 1)


def test_fidelity_falls_with_loss_and_phase_error_and_clements_beats_reck_under_uniform_loss():
    rng = np.random.default_rng(0)
    u = optical.random_unitary(12, seed=1)
    meshes = {"clements": optical.clements(u), "reck": optical.reck(u)}
    for mesh in meshes.values():
        assert optical.fidelity(u, mesh.matrix()) == pytest.approx(1, abs=1e-12)
        losses = [optical.fidelity(u, mesh.matrix(loss_db=db)) for db in (0.05, 0.2, 0.5, 1.0)]
        assert all(a >= b for a, b in zip(losses, losses[1:]))
        draws = rng.standard_normal((2, mesh.n_mzis))
        errors = [optical.fidelity(u, mesh.matrix(theta_error=s * draws[0], phi_error=s * draws[1]))
                  for s in (0.0, 0.01, 0.05, 0.1)]
        assert errors[0] == pytest.approx(1) and all(a > b for a, b in zip(errors, errors[1:]))
    for db in (0.1, 0.2, 0.5):
        assert optical.fidelity(u, meshes["clements"].matrix(loss_db=db)) >= optical.fidelity(
            u, meshes["reck"].matrix(loss_db=db))


def test_published_simulated_fidelities_at_n_16():
    """Mean over 20 Haar unitaries at 0.2 dB per MZI: Clements ≈ 0.9993, Reck ≈ 0.983 (the chips fact sheet's
    simulation of the same model)."""
    fc, fr = [], []
    for seed in range(20):
        u = optical.random_unitary(16, seed=seed)
        fc.append(optical.fidelity(u, optical.clements(u).matrix(loss_db=0.2)))
        fr.append(optical.fidelity(u, optical.reck(u).matrix(loss_db=0.2)))
    assert np.mean(fc) == pytest.approx(0.9993, abs=3e-4)
    assert np.mean(fr) == pytest.approx(0.983, abs=3e-3)


def test_bad_input_is_refused_clearly():
    with pytest.raises(ValueError, match="unitary"):
        optical.clements(np.ones((3, 3)))
    with pytest.raises(ValueError, match="square matrix"):
        optical.reck(np.ones(3))
    with pytest.raises(ValueError, match="loss_db cannot be negative"):
        optical.clements(optical.random_unitary(3, seed=0)).matrix(loss_db=-1)


@pytest.mark.parametrize("kind", ["clements", "reck"])
def test_any_matrix_is_two_meshes_and_attenuators(kind):
    m = np.random.default_rng(3).normal(size=(6, 6))
    mesh = optical.svd_mesh(m, kind)
    np.testing.assert_allclose(mesh.matrix(), m, atol=1e-10)
    assert mesh.n_mzis == 6 ** 2 and np.all(mesh.s <= 1 + 1e-12)
    noisy = mesh.matrix(loss_db=0.1, phase_sigma=0.02, seed=0)
    assert np.abs(noisy - m).max() > 1e-3
    np.testing.assert_array_equal(noisy, mesh.matrix(loss_db=0.1, phase_sigma=0.02, seed=0))


def test_energy_per_mac_falls_with_size_and_the_photon_floor_is_hamerlys():
    from energylab.units import u
    sizes = np.array([2, 4, 16, 64, 256, 1024])
    parts = optical.onn_energy_per_mac(sizes, e_in=1 * u.pJ, e_out=1 * u.pJ, photons_per_mac=3.2,
                                   wavelength=1550 * u.nm, laser_efficiency=0.2, static_power=0.1 * u.W,
                                   mvm_time=1 * u.ns)
    total = parts["total"].magnitude
    assert np.all(np.diff(total) <= 0)
    np.testing.assert_allclose(parts["total"].magnitude,
                               sum(parts[k].magnitude for k in ("conversions", "light", "static")))
    no_static = optical.onn_energy_per_mac(sizes, e_in=1 * u.pJ, e_out=1 * u.pJ, photons_per_mac=0,
                                       wavelength=1550 * u.nm, laser_efficiency=1, static_power=0 * u.W,
                                       mvm_time=1 * u.ns)["total"].magnitude
    np.testing.assert_allclose(sizes * no_static, 2000.0)          # N·E(N) → the conversions alone, 2 pJ
    floor = (0.39 * optical.photon_energy(1550 * u.nm)).to("zJ").magnitude
    assert floor == pytest.approx(50, abs=0.5)                      # "as low as 50 zJ/MAC"
    with pytest.raises(ValueError, match="laser_efficiency"):
        optical.onn_energy_per_mac(4, e_in=1 * u.pJ, e_out=1 * u.pJ, photons_per_mac=1, wavelength=1550 * u.nm,
                               laser_efficiency=0, static_power=0 * u.W, mvm_time=1 * u.ns)


def test_the_registry_figures_follow_from_the_models():
    from energylab import sources
    from energylab.units import u
    u64 = optical.random_unitary(64, seed=0)
    ratio = optical.clements(u64).depth / optical.reck(u64).depth
    assert ratio == pytest.approx(sources.number("clements_depth_vs_reck"), abs=0.02)   # N/(2N − 3) = 64/125 → ½
    photons = (sources.value("hamerly_shot_noise_energy_per_mac") / optical.photon_energy(1550 * u.nm)).to("")
    assert photons.magnitude == pytest.approx(0.39, abs=0.01)
