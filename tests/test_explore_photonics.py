"""energylab.explore.photonics: MeshExplorer against the optical models (fidelity, depth, energy per MAC)."""
import numpy as np
import pytest

from energylab.chips import analog, optical
from energylab.chips.optical.energy import heater_power, mvm_energy
from energylab.explore import MeshExplorer

from helpers.explorers import full_render, pixels


def test_mesh_numbers_match_the_models():
    r = MeshExplorer().compute(n=8, loss=0.3, sigma=0.0, shifters="thermo-optic")
    target = optical.random_unitary(8, seed=8)
    assert r["fidelity"]["clements"] == pytest.approx(optical.fidelity(target, optical.clements(target).matrix(0.3)))
    assert r["fidelity"]["reck"] == pytest.approx(optical.fidelity(target, optical.reck(target).matrix(0.3)))
    assert r["depths"] == (8, 13) and r["mzis"] == 28
    mesh = optical.svd_mesh(np.random.default_rng(208).standard_normal((8, 8)))
    parts = mvm_energy(8, heater_watts=heater_power(mesh).to("W").magnitude)
    assert r["total_fj"] == pytest.approx(sum(parts.values()) / 64 * 1e15)
    assert r["digital_fj"] == pytest.approx(analog.digital_mac_energy().to("fJ").magnitude)
    assert r["dominant"] == "heaters"


def test_loss_and_shifters_move_the_right_things():
    e = MeshExplorer()
    lossless = e.compute(n=16, loss=0.0, sigma=0.0, shifters="thermo-optic")
    lossy = e.compute(n=16, loss=0.5, sigma=0.0, shifters="thermo-optic")
    assert lossless["fidelity"]["reck"] == pytest.approx(1.0) and lossless["fidelity"]["clements"] == pytest.approx(1.0)
    assert np.all(lossy["clements"] >= lossy["reck"])                   # uniform loss: Clements ≥ Reck
    cold = e.compute(n=16, loss=0.5, sigma=0.0, shifters="non-volatile")
    assert cold["parts"]["heaters"] == 0 and cold["total_fj"] < lossy["total_fj"] / 100
    assert np.all(np.diff(cold["totals"]) < 0)                         # no heaters: cheaper per MAC as N grows
    assert cold["dominant"] == "edges" and cold["ratio"] < 1


def test_set_moves_the_figure_and_the_text():
    e = MeshExplorer()
    reck, text = e.reck.get_ydata().copy(), e.text
    e.set(loss=0.6)
    assert np.all(e.reck.get_ydata() < reck) and e.text != text and "0.60 dB" in e.text
    e.set(n=28)
    assert e.here_f.get_xdata()[0] == 28 and "28 modes" in e.text
    e.set(shifters="non-volatile")
    assert "conversions and periphery" in e.text
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01
