"""energylab.experiments.quantization: the shared quantiser, error against bits, bytes and Horowitz's ratios."""
import numpy as np
import pytest

from energylab import nn, sources
from energylab.experiments import quantization

from helpers.experiments import SEEDS, result


def test_quantized_network_uses_the_shared_quantiser_per_channel():
    from energylab.chips.digital import quantize_uniform
    model = nn.MLP([quantization.N_FEATURES, 8, quantization.N_CLASSES], seed=0)
    q = quantization.QuantizedMLP(model, 4)
    for (W, _), codes, weights in zip(model.params, q.codes, q.weights):
        expected = quantize_uniform(W, 4, axis=0)
        np.testing.assert_array_equal(codes, expected.codes)
        np.testing.assert_array_equal(weights, expected.values)
    with pytest.raises(ValueError, match="bits must be between 2 and 16"):
        quantization.QuantizedMLP(model, 17)
    with pytest.raises(TypeError, match="bits must be a whole number of bits"):
        quantization.QuantizedMLP(model, 4.0)
    assert not hasattr(quantization, "quantize")    # energylab.chips.digital.quantize is the public one


def test_quantization_error_grows_as_bits_fall():
    rng = np.random.default_rng(0)
    W = rng.normal(size=(40, 30))
    from energylab.chips.digital import quantize_uniform
    errors = [np.mean((quantize_uniform(W, b, axis=0).values - W) ** 2) for b in (8, 4, 2)]
    assert errors[0] < errors[1] < errors[2]
    for seed in SEEDS:
        arms = result("quantization", seed).arms
        for attribute in ("weight_error", "logit_error"):
            values = [getattr(arms[a], attribute) for a in ("fp32", "int8", "int4", "int2")]
            assert values[0] == 0 and values[1] < values[2] < values[3], (seed, attribute, values)
        assert arms["int8"].accuracy >= arms["int2"].accuracy and arms["int8"].agreement > 0.98


def test_quantized_model_keeps_the_original_and_reports_its_bytes():
    model, X, X_test, y_test = quantization.train_model(0)
    before = [W.copy() for W, _ in model.params]
    q8 = quantization.QuantizedMLP(model, 8, 8, calibration=X)
    assert all(np.array_equal(W, Wb) for (W, _), Wb in zip(model.params, before))
    assert len(q8.activation_scales) == len(model.params)
    assert q8.weight_bytes() == model.n_weights + 4 * (quantization.HIDDEN + quantization.N_CLASSES)
    assert quantization.weight_bytes(model) == 4 * model.n_weights
    assert quantization.QuantizedMLP(model, 8).accuracy(X_test, y_test) == pytest.approx(model.accuracy(X_test, y_test),
                                                                                        abs=0.01)
    with pytest.raises(ValueError, match="calibration"):
        quantization.QuantizedMLP(model, 8, 8)


def test_horowitz_ratios_are_the_registrys():
    fp32_mult = sources.value("horowitz_fp32_mult_energy").to("pJ").magnitude
    int8_mult = sources.value("horowitz_int8_mult_energy").to("pJ").magnitude
    assert fp32_mult / int8_mult == pytest.approx(18.5)
    assert quantization.multiplier_energy(None) / quantization.multiplier_energy(8) == pytest.approx(18.5)
    fp32_add = sources.value("horowitz_fp32_add_energy").to("pJ").magnitude
    int32_add = sources.value("horowitz_int32_add_energy").to("pJ").magnitude
    assert quantization.mac_energy(None) == pytest.approx((fp32_mult + fp32_add) * 1e-12)
    assert quantization.mac_energy(8) == pytest.approx((int8_mult + int32_add) * 1e-12)
    # the course's assumption for other widths: multiplier energy ∝ product of operand widths (bits² if equal)
    assert quantization.multiplier_energy(4, 4) == pytest.approx(int8_mult / 4)
    assert quantization.multiplier_energy(4, 8) == pytest.approx(int8_mult / 2)
    assert quantization.mac_energy(4) == pytest.approx((int8_mult / 2 + int32_add) * 1e-12)
    arms = result("quantization", 0).arms
    assert arms["fp32"].mac_energy / arms["int8"].mac_energy == pytest.approx((fp32_mult + fp32_add)
                                                                              / (int8_mult + int32_add))
    macs = result("quantization", 0).macs_per_query
    assert all(arm.energy_per_query == pytest.approx(macs * arm.mac_energy) for arm in arms.values())
    low = float(np.min(sources.value("horowitz_dram_read_energy").to("J").magnitude))
    assert quantization.dram_energy(16) == pytest.approx(2 * low)
