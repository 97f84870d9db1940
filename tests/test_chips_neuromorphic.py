"""Chapter 05's spiking neurons (in progress): the LIF rate formula and its simulation."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from energylab.chips import neuromorphic as nm
from energylab.units import u


def test_the_rate_formula_gives_the_fact_sheets_values():
    """R = 10 MΩ, τ = 20 ms, V_th = 15 mV, t_ref = 2 ms: 17.41, 33.64, 63.04 Hz at 1.6, 2 and 3 nA."""
    rates = nm.lif_rate(np.array([1.6, 2.0, 3.0]) * u.nA).to("Hz").magnitude
    np.testing.assert_allclose(rates, [17.41, 33.64, 63.04], atol=0.01)
    assert nm.rheobase().to("nA").magnitude == pytest.approx(1.5)


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.0, 50.0), b=st.floats(0.0, 50.0))
def test_rate_is_zero_up_to_the_rheobase_then_rises_and_stays_below_one_over_t_ref(a, b):
    lo, hi = sorted((a, b))
    r_lo, r_hi = nm.lif_rate(np.array([lo, hi]) * u.nA).to("Hz").magnitude
    for current, rate in ((lo, r_lo), (hi, r_hi)):
        if abs(current - 1.5) > 1e-9:       # at the rheobase itself, 10 MΩ × 1.5 nA rounds either way
            assert (rate == 0) == (current < 1.5)
        assert rate < 1 / 0.002
    assert r_hi >= r_lo
    if hi > lo > 1.5:
        assert r_hi > r_lo


def test_the_simulation_converges_to_the_formula_as_dt_shrinks():
    for current in (1.6, 2.0, 3.0):
        exact = nm.lif_rate(current * u.nA).to("Hz").magnitude
        errors = [abs(nm.lif_simulate(current * u.nA, 1.0, dt)[2].to("Hz").magnitude - exact) / exact
                  for dt in (1e-3, 1e-4, 1e-5)]
        assert errors[2] < errors[0] and errors[2] < 2e-3


def test_below_rheobase_the_membrane_settles_and_never_fires():
    trace, spikes, rate = nm.lif_simulate(1.4 * u.nA, 0.5, 1e-4)
    assert len(spikes) == 0 and rate.magnitude == 0
    assert trace[-1] == pytest.approx(0.014, rel=1e-3)          # R·I = 14 mV, below the 15 mV threshold


def test_bad_parameters_name_the_argument():
    with pytest.raises(ValueError, match="v_reset must be below v_th"):
        nm.lif_rate(2 * u.nA, v_reset=0.02)
    with pytest.raises(TypeError, match="current"):
        nm.lif_rate(2 * u.V)
    with pytest.raises(ValueError, match="dt must be at most"):
        nm.lif_simulate(2 * u.nA, 0.01, 0.1)


def test_the_ledger_is_additive_and_zero_spikes_leave_updates_and_static_power():
    kw = dict(energy_per_event=26 * u.pJ, neuron_updates=1e6, energy_per_update=1 * u.pJ,
              static_power=10 * u.mW, duration=1e-3 * u.s)
    a, b = nm.spike_energy(1e5, **kw), nm.spike_energy(3e5, **kw)
    zero = nm.spike_energy(0, **kw)
    assert zero.to("nJ").magnitude == pytest.approx(1e6 * 1e-3 + 10e-3 * 1e-3 * 1e9)
    assert (b - zero).to("nJ").magnitude == pytest.approx(3 * (a - zero).to("nJ").magnitude)


def test_truenorths_operating_point_and_the_break_even_activity():
    """20 Hz × 128 synapses × 1,048,576 neurons × 26 pJ ≈ 70 mW; s̄* = 0.2 pJ / 26 pJ ≈ 0.008."""
    power = nm.synaptic_power(20 * u.Hz, 128, 1_048_576, 26 * u.pJ).to("mW").magnitude
    assert power == pytest.approx(69.8, abs=0.1)
    assert nm.breakeven_spikes(0.2 * u.pJ, 26 * u.pJ) == pytest.approx(0.2 / 26)
    with pytest.raises(TypeError, match="energy_per_event"):
        nm.breakeven_spikes(0.2 * u.pJ, 26 * u.W)


def test_truenorths_published_operating_point_from_the_registry():
    from energylab import sources
    power = nm.synaptic_power(20 * u.Hz, 128, sources.number("truenorth_neurons"),
                              sources.value("truenorth_energy_per_synaptic_event")).to("mW").magnitude
    assert 60 < power < 75                          # ≈ 70 mW, near the measured 63–65 mW on video
    assert sources.number("truenorth_video_power", "mW") < power


def test_rate_coding_costs_four_times_the_spikes_per_bit():
    rng = np.random.default_rng(0)
    for bits in (2, 3, 4):
        n = nm.spikes_for_bits(bits)
        assert nm.rate_code_bits(n) == pytest.approx(bits)
        counts = rng.poisson(n, size=20_000)
        # The code's levels are about √n apart: its relative spread is 1/√n = 2^−B.
        assert counts.std() / n == pytest.approx(2.0 ** -bits, rel=0.05)
    assert nm.spikes_for_bits(5) / nm.spikes_for_bits(4) == pytest.approx(4)
