"""energylab.explore.spikes: LIFExplorer and SpikeEnergyExplorer against the neuromorphic models."""
import numpy as np
import pytest

from energylab import sources
from energylab.chips import analog, neuromorphic
from energylab.explore import LIFExplorer, SpikeEnergyExplorer
from energylab.units import u

from helpers.explorers import full_render, pixels


def test_lif_numbers_match_the_model():
    r = LIFExplorer().compute(current=3.0, tau=20, t_ref=2.0)
    assert r["formula"] == pytest.approx(neuromorphic.lif_rate(3 * u.nA).magnitude)
    assert r["simulated"] == pytest.approx(r["formula"], rel=0.01)
    assert r["rheobase"] == pytest.approx(1.5) and r["ceiling"] == pytest.approx(500)
    assert r["trace_mv"].max() < 15.0 + 1e-9 and len(r["spikes_ms"]) >= 10
    quiet = LIFExplorer().compute(current=1.0, tau=20, t_ref=2.0)
    assert quiet["formula"] == 0 and quiet["simulated"] == 0 and len(quiet["spikes_ms"]) == 0
    assert "never fires" in LIFExplorer().describe(quiet)


def test_lif_time_constant_and_refractory_time_move_the_rate():
    e = LIFExplorer()
    slow, fast = e.compute(current=2.0, tau=40, t_ref=2.0), e.compute(current=2.0, tau=10, t_ref=2.0)
    assert fast["formula"] > slow["formula"]
    none = e.compute(current=4.0, tau=20, t_ref=0.0)
    assert "no limit" in e.describe(none)
    e.set(current=3.5)
    assert e.point.get_xdata()[0] == 3.5 and "3.50 nA" in e.text
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01


def test_spike_energy_numbers_match_the_ledger():
    r = SpikeEnergyExplorer().compute(activity=0.01, price="truenorth_energy_per_synaptic_event", baseline="sram")
    mac = analog.digital_mac_energy()
    event = sources.get("truenorth_energy_per_synaptic_event").q
    assert r["s_star"] == pytest.approx(neuromorphic.breakeven_spikes(mac, event))
    assert r["snn_pj"] == pytest.approx(0.01 * event.to("pJ").magnitude) and r["ratio"] < 1
    assert "less than the digital one" in SpikeEnergyExplorer().describe(r)
    bare = SpikeEnergyExplorer().compute(activity=0.01, price="loihi_energy_per_synaptic_op", baseline="bare")
    assert bare["e_mac"] < r["e_mac"] and bare["s_star"] < r["s_star"]
    assert [spikes for _, spikes in r["bits"]] == [4, 16, 64, 256]


def test_spike_energy_set_moves_the_point_and_the_break_even():
    e = SpikeEnergyExplorer()
    e.set(activity=10.0)
    assert e.point.get_xdata()[0] == pytest.approx(10.0) and "more than the digital one" in e.text
    before = e.star.get_xdata()[0]
    e.set(baseline="bare")
    assert e.star.get_xdata()[0] < before
    assert np.mean(np.abs(pixels(e.png) - full_render(e)) > 0) < 0.01
