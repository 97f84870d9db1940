"""energylab.explore.models_size: ModelSizeExplorer against the right-sizing experiment's grid of choices."""
import numpy as np
import pytest

from energylab import sources
from energylab.experiments import rightsizing
from energylab.explore import ModelSizeExplorer



def test_model_size_compute_matches_the_experiment():
    e = ModelSizeExplorer()
    r = e.compute(width=32, bits=4, batch=8, target=0.75)
    choice = rightsizing.evaluate_choice(32, 4, 8)
    assert r["current"]["accuracy"] == choice.accuracy
    assert r["current"]["energy_nj"] == pytest.approx(choice.energy_per_query * 1e9)
    assert r["current"]["compute_nj"] + r["current"]["memory_nj"] == pytest.approx(r["current"]["energy_nj"])
    every = [rightsizing.evaluate_choice(w, b, 8) for w in rightsizing.WIDTHS for b in rightsizing.GRID_BITS]
    np.testing.assert_allclose(r["grid"]["energy_nj"], [c.energy_per_query * 1e9 for c in every])
    assert r["n_meeting"] == sum(c.accuracy >= 0.75 for c in every) and r["n_choices"] == len(every) == 28


def test_model_size_memory_energy_is_shared_by_the_batch():
    e = ModelSizeExplorer()
    one = e.compute(width=64, bits=32, batch=1, target=0.8)["current"]
    many = e.compute(width=64, bits=32, batch=64, target=0.8)["current"]
    assert many["memory_nj"] == pytest.approx(one["memory_nj"] / 64)
    assert many["compute_nj"] == pytest.approx(one["compute_nj"])
    # fp32 weights: 4 bytes each, read in 64-bit words at the low end of Horowitz's DRAM range
    dram_per_word = min(sources.get("horowitz_dram_read_energy").q.to("nJ").magnitude)
    assert one["memory_nj"] == pytest.approx(rightsizing.evaluate_choice(64).weight_bytes / 8 * dram_per_word)


def test_model_size_set_moves_artists_and_text():
    e = ModelSizeExplorer()
    offsets0 = e.scatters[32].get_offsets().copy()
    text0 = e.text
    e.set(batch=256)
    assert np.all(e.scatters[32].get_offsets()[:, 0] < offsets0[:, 0])      # energies fall
    np.testing.assert_array_equal(e.scatters[32].get_offsets()[:, 1], offsets0[:, 1])   # accuracies stay
    assert e.text != text0
    e.set(target=0.9)
    assert e.target.get_ydata()[0] == pytest.approx(90) and e.below.get_height() == pytest.approx(90)
    assert f"{e.result['n_meeting']} of the 28 choices" in e.text
    e.set(width=256, bits=2)
    assert e.current.get_xdata()[0] == pytest.approx(e.result["current"]["energy_nj"])


def test_model_size_widget_updates_the_figure():
    e = ModelSizeExplorer()
    children = e.widget.children
    names = list(e.controls)
    image, caption = children[len(names)], children[len(names) + 1]
    png0 = image.value
    children[names.index("bits")].value = 8
    assert e.last_error is None and e.values["bits"] == 8 and "int8" in caption.value
    assert image.value != png0
    children[names.index("batch")].value = 32
    assert e.values["batch"] == 32 and "batch 32" in caption.value
