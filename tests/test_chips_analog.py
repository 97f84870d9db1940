"""Chapter 04's hardware models: the physical invariants the chapter relies on, and the published figures."""
import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from energylab import sources
from energylab.chips import analog
from energylab.chips.analog import charge, converters, crossbar, energy, ir_drop, pcm
from energylab.units import Q_, u

MODULES = [analog, charge, converters, crossbar, energy, ir_drop, pcm]


def test_doctests_pass():
    results = [doctest.testmod(module) for module in MODULES]
    assert sum(r.attempted for r in results) >= 2
    assert all(r.failed == 0 for r in results)


def _weights(seed=0, shape=(20, 7)):
    return np.random.default_rng(seed).normal(size=shape)


# --- crossbar -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["amplitude", "pulse_width"])
def test_noise_free_crossbar_equals_the_matrix_product(encoding):
    w = _weights()
    x = np.random.default_rng(1).uniform(0, 1, size=(9, 20))
    m = analog.to_conductance(w, g_min=1e-6)
    inputs = x * (u.V if encoding == "amplitude" else 1e-7 * u.s)
    out = analog.crossbar_mvm(m.g_plus[0], m.g_minus[0], inputs, encoding=encoding)
    volts = 1.0 if encoding == "amplitude" else 0.2 * 1e-7
    y = out.to_base_units().magnitude * m.weight_per_siemens[0] / volts
    np.testing.assert_allclose(y, x @ w, rtol=0, atol=1e-12 * np.abs(x @ w).max())


def test_conductances_stay_in_range_and_one_device_of_a_pair_is_at_g_min():
    m = analog.to_conductance(_weights(), g_max=25 * u.uS, g_min=2 * u.uS)
    assert m.g_plus.min() >= 2e-6 - 1e-18 and m.g_plus.max() <= 25e-6 + 1e-18
    assert np.all(np.minimum(m.g_plus, m.g_minus) == pytest.approx(2e-6))
    np.testing.assert_allclose(m.weights(), _weights(), atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(a=st.floats(-3, 3), b=st.floats(-3, 3), seed=st.integers(0, 100))
def test_crossbar_is_linear_in_its_input(a, b, seed):
    rng = np.random.default_rng(seed)
    m = analog.to_conductance(rng.normal(size=(6, 4)))
    x1, x2 = rng.normal(size=6), rng.normal(size=6)

    def f(v):
        return analog.crossbar_mvm(m.g_plus, m.g_minus, v * u.V).magnitude

    np.testing.assert_allclose(f(a * x1 + b * x2), a * f(x1) + b * f(x2), atol=1e-15)


def test_bit_slices_rebuild_the_quantised_weights_and_products():
    w = _weights(2)
    m = analog.to_conductance(w, slices=2, bits_per_slice=4)
    assert m.g_plus.shape == (2, 20, 7) and m.devices == 2 * 2 * 20 * 7
    from energylab.chips.digital import quantize_uniform
    np.testing.assert_allclose(m.weights(), quantize_uniform(w, 9).values, atol=1e-12)
    x = np.random.default_rng(3).normal(size=(5, 20))
    currents = analog.crossbar_mvm(m.g_plus, m.g_minus, x * u.V).magnitude
    np.testing.assert_allclose(np.tensordot(m.weight_per_siemens, currents, 1), x @ m.weights(), atol=1e-12)


def test_bad_crossbar_inputs_name_the_argument():
    m = analog.to_conductance(_weights())
    with pytest.raises(ValueError, match="inputs must have 20 values"):
        analog.crossbar_mvm(m.g_plus[0], m.g_minus[0], np.ones(3))
    with pytest.raises(TypeError, match="g_plus"):
        analog.crossbar_mvm(m.g_plus[0] * u.V, m.g_minus[0], np.ones(20))
    with pytest.raises(ValueError, match="encoding"):
        analog.crossbar_mvm(m.g_plus[0], m.g_minus[0], np.ones(20), encoding="light")
    with pytest.raises(ValueError, match="bits_per_slice"):
        analog.to_conductance(_weights(), slices=2)
    with pytest.raises(ValueError, match="g_min"):
        analog.to_conductance(_weights(), g_max=1 * u.uS, g_min=2 * u.uS)


# --- PCM devices --------------------------------------------------------------------------------------

def test_programming_noise_matches_the_published_model():
    sigma = analog.programming_sigma(np.array([2.5, 12.5, 21.0, 25.0]) * u.uS).to("uS").magnitude
    np.testing.assert_allclose(sigma, [0.448, 0.953, 1.086, 1.055], atol=0.002)


def test_drift_is_non_increasing_and_equal_at_the_reference_time():
    g = np.linspace(1, 25, 30) * u.uS
    nu = analog.drift_exponents(g, seed=0)
    assert np.all(nu >= 0)
    times = [0, 20, 60, 3600, 86400, 3.15e7]
    values = np.array([analog.drift(g, nu, t * u.s).magnitude for t in times])
    np.testing.assert_allclose(values[0], g.magnitude) and np.testing.assert_allclose(values[1], g.magnitude)
    assert np.all(np.diff(values, axis=0) <= 1e-15)


def test_drift_at_nu_005_leaves_the_fractions_the_model_implies():
    left = [analog.drift(1.0, 0.05, t).magnitude / 1e6 for t in (3600, 86400, 3.15e7)]
    np.testing.assert_allclose(left, [0.77, 0.66, 0.49], atol=0.01)


def test_read_noise_grows_slowly_with_time_and_is_larger_for_small_conductances():
    at = {t: analog.read_noise_sigma(np.array([25.0, 2.5]) * u.uS, t * u.s).magnitude / [25, 2.5]
          for t in (20, 86400)}
    np.testing.assert_allclose(at[20], [0.037, 0.165], atol=0.002)
    np.testing.assert_allclose(at[86400], [0.045, 0.20], atol=0.002)


def test_global_compensation_is_exact_when_every_device_drifts_alike():
    rng = np.random.default_rng(4)
    m = analog.to_conductance(rng.normal(size=(30, 5)))
    x = rng.uniform(0, 1, size=(50, 30)) * u.V
    ref = analog.crossbar_mvm(m.g_plus, m.g_minus, x).magnitude
    gp, gm = (analog.drift(g * u.S, 0.06, 1 * u.day) for g in (m.g_plus, m.g_minus))
    drifted = analog.crossbar_mvm(gp, gm, x).magnitude
    alpha = analog.global_drift_compensation(ref, drifted)
    np.testing.assert_allclose(alpha * drifted, ref, rtol=1e-12)
    # With a spread of ν the compensation leaves an error, smaller than none at all.
    gp, gm = (analog.drift(g * u.S, analog.drift_exponents(g * u.S, seed=s), 1 * u.day)
              for s, g in ((1, m.g_plus), (2, m.g_minus)))
    drifted = analog.crossbar_mvm(gp, gm, x).magnitude
    alpha = analog.global_drift_compensation(ref, drifted)
    assert np.abs(alpha * drifted - ref).mean() < np.abs(drifted - ref).mean()


def test_iid_weight_noise_gives_an_snr_independent_of_vector_length():
    rng = np.random.default_rng(5)
    snr = []
    for n in (16, 256, 2048):
        w = rng.uniform(-1, 1, size=(n, 64))
        w[0, 0] = 1.0                              # the same max|W|, so the same mapping scale, at every n
        m = analog.to_conductance(w, g_min=10 * u.uS)    # g_min keeps noisy devices above 0 S
        sigma_g = 0.5e-6
        noisy_p = m.g_plus + sigma_g * rng.standard_normal(m.g_plus.shape)
        noisy_m = m.g_minus + sigma_g * rng.standard_normal(m.g_minus.shape)
        x = rng.normal(size=(400, n)) * u.V
        clean = analog.crossbar_mvm(m.g_plus, m.g_minus, x).magnitude
        noisy = analog.crossbar_mvm(noisy_p, noisy_m, x).magnitude
        snr.append(clean.var() / (noisy - clean).var())
        expected = (w.var() / m.weight_per_siemens[0] ** 2) / (2 * sigma_g ** 2 / 1)  # Var(G⁺−G⁻ noise) = 2σ²
        assert snr[-1] == pytest.approx(expected, rel=0.15)
    assert max(snr) / min(snr) < 1.3


def test_pcm_functions_reject_bad_units():
    with pytest.raises(TypeError, match="g_target"):
        analog.programming_sigma(3 * u.V)
    with pytest.raises(ValueError, match="t cannot be negative"):
        analog.drift(1.0, 0.05, -1)
    with pytest.raises(ValueError, match="same, non-empty shape"):
        analog.global_drift_compensation([1, 2], [1])


# --- converters ---------------------------------------------------------------------------------------

def test_adc_energy_per_bit_runs_from_two_to_four():
    e = analog.adc_energy(np.arange(1, 25)).magnitude
    ratio = e[1:] / e[:-1]
    assert np.all((ratio >= 2) & (ratio <= 4))
    assert ratio[0] == pytest.approx(2, abs=0.01) and ratio[-1] == pytest.approx(4, abs=0.01)
    assert np.all(np.diff(ratio) > 0)
    np.testing.assert_allclose([e[b] / e[b - 1] for b in (4, 8, 12, 16)], [2.01, 2.11, 2.98, 3.88], atol=0.01)


@settings(max_examples=40, deadline=None)
@given(bits=st.integers(2, 12), signed=st.booleans(), seed=st.integers(0, 1000))
def test_adc_error_is_at_most_half_a_step_inside_its_range(bits, signed, seed):
    full = 3e-6
    y = np.random.default_rng(seed).uniform(-full if signed else 0, full, 200)
    read = analog.adc(y * u.A, bits, full * u.A, signed=signed).to("A").magnitude
    step = full / (2 ** (bits - 1) - 1 if signed else 2 ** bits - 1)
    assert np.all(np.abs(read - y) <= step / 2 * (1 + 1e-9))


def test_adc_clips_beyond_its_range_and_enob_follows_sndr():
    assert analog.adc([5.0, -5.0], 4, 1.0).tolist() == [1.0, -1.0]
    assert analog.dac([0.5], 3, 1.0, signed=False).tolist() == [pytest.approx(4 / 7)]
    assert analog.enob(49.92) == pytest.approx(8.0, abs=1e-3)


# --- IR drop ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [16, 128, 512])
def test_ir_drop_matches_the_small_r_estimate(n):
    g, r = 25e-6, 1e-3
    volts, currents = analog.ir_drop_line(np.full(n, g), r)
    loss = 1 - volts.magnitude[-1]
    assert loss == pytest.approx(analog.far_end_error_estimate(g, r, n), rel=0.01)
    assert loss == pytest.approx(r * g * n ** 2 / 2, rel=2 / n + 0.01)
    np.testing.assert_allclose(currents.magnitude, g * volts.magnitude)


def test_ir_drop_ladder_solves_kirchhoffs_equations_exactly():
    rng = np.random.default_rng(6)
    g, r = rng.uniform(0, 1e-3, size=(4, 9)), 30.0
    volts = analog.ir_drop_line(g, r, 0.3)[0].magnitude
    v = np.concatenate([np.full((4, 1), 0.3), volts, volts[:, -1:]], axis=1)  # open end: no current beyond N
    residual = (v[:, :-2] - v[:, 1:-1]) / r - (v[:, 1:-1] - v[:, 2:]) / r - g * volts
    assert np.abs(residual).max() < 1e-15
    np.testing.assert_allclose(analog.ir_drop_line(g, 0)[0].magnitude, 1.0)


# --- charge domain ------------------------------------------------------------------------------------

def test_charge_domain_is_exact_without_mismatch_and_degrades_gracefully_with_it():
    from energylab.chips.digital import quantize_uniform
    rng = np.random.default_rng(7)
    w, x = rng.normal(size=(64, 10)), rng.uniform(0, 1, size=(30, 64))
    exact = analog.charge_domain_mvm(w, x, adc_bits=None)
    qx = quantize_uniform(x, 8, scale=x.max() / 255, signed=False)
    np.testing.assert_allclose(exact, qx.values @ quantize_uniform(w, 8).values, atol=1e-10)
    errors = [np.std(analog.charge_domain_mvm(w, x, adc_bits=None, mismatch=s, seed=1) - exact)
              for s in (0.001, 0.01, 0.05)]
    assert errors[0] < errors[1] < errors[2]
    assert errors[1] < 0.02 * np.std(exact)
    with pytest.raises(ValueError, match="inputs cannot be negative"):
        analog.charge_domain_mvm(w, -x)


# --- energy -------------------------------------------------------------------------------------------

def test_energy_per_mac_falls_with_array_size_when_converters_dominate():
    sizes = [16, 32, 64, 128, 256, 512, 1024]
    tiles = [analog.tile_energy(n, n, fom_walden=50 * u.fJ, adc_bits=8) for n in sizes]
    per_mac = [t.per_mac.magnitude for t in tiles]
    assert tiles[0].converter_share > 0.5
    assert all(a >= b for a, b in zip(per_mac, per_mac[1:]))


def test_tile_energy_parts_add_up_and_adc_bits_are_a_lever():
    t = analog.tile_energy(128, 64, adc_bits=6)
    assert sum(t.shares().values()) == pytest.approx(1)
    assert t.total.to("pJ").magnitude == pytest.approx(sum(getattr(t, p).to("pJ").magnitude
                                                            for p in ("cells", "adc", "dac", "periphery")))
    assert analog.tile_energy(128, 64, adc_bits=10).adc > 8 * t.adc
    assert t.tops_per_w.to("TOPS/W").magnitude == pytest.approx(2 / t.per_mac.to("pJ").magnitude)


def test_published_chip_figures_reproduce_from_their_operating_points():
    chips = {c.fact_id: c for c in analog.published_chips()}
    assert (1 / chips["ambrogio2023_tops_per_w"].tops_per_w).to("pJ/op").magnitude == pytest.approx(0.08, abs=0.001)
    # 63.1 TOPS at 9.76 TOPS/W and 16.1 TOPS at 2.48 TOPS/W: about 6.5 W either way, so the mode sets the rate.
    for tops, fact in ((63.1, "legallo2023_tops_per_w_one_phase"), (16.1, "legallo2023_tops_per_w_four_phase")):
        watts = (Q_(tops, "TOPS") / chips[fact].tops_per_w).to("W").magnitude
        assert 6.4 < watts < 6.6
    card = chips["en100_card_power"].tops_per_w.to("TOPS/W").magnitude
    assert card == pytest.approx(24.24, abs=0.01)
    assert card < sources.number("en100_claimed_tops_per_w", "TOPS/W")
    assert {c.scope for c in chips.values()} <= set(analog.SCOPES)
    assert all(c.status in sources.STATUS and c.cite() for c in chips.values())


def test_digital_baseline_is_chapter_03s_int8_mac_with_a_weight_read():
    from energylab.chips import digital
    expected = digital.op_energy("mac", "int8", accumulate="int32") + digital.memory_energy("cache_8kb", 8)
    assert analog.digital_mac_energy().to("pJ").magnitude == pytest.approx(expected.to("pJ").magnitude)
