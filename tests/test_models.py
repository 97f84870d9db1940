"""energylab.models: published training runs reproduced from their inputs, the Chinchilla rule and fit,
the accelerator table, and clear errors on bad input."""
from __future__ import annotations

import math

import numpy as np
import pytest

from energylab import accounting, models, sources
from energylab.units import Q_, u

from helpers import fact_q

FACTS = sources.all_facts()


# --- GPT-3 (Patterson et al. 2021, Table 4) --------------------------------------------------------------

def gpt3_energy(**overrides):
    kwargs = dict(n_accelerators=fact_q("gpt3_n_gpus"), hours=fact_q("gpt3_training_days"),
                  power=fact_q("gpt3_gpu_power"), pue=fact_q("gpt3_pue"))
    kwargs.update(overrides)
    return models.training_energy_from_hardware(**kwargs)


def test_gpt3_energy_reproduced_within_half_a_percent():
    energy = gpt3_energy()
    assert energy.units == u.kWh
    assert energy.to("MWh").magnitude == pytest.approx(fact_q("gpt3_training_energy", "MWh").magnitude, rel=0.005)


def test_gpt3_energy_from_plain_numbers_hours_and_days_agree():
    from_hours = models.training_energy_from_hardware(10_000, 14.8 * 24, 330, 1.10)
    from_days = models.training_energy_from_hardware(10_000, days=14.8, power=330, pue=1.10)
    from_quantity = models.training_energy_from_hardware(10_000, 14.8 * u.day, 0.330 * u.kW, 1.10)
    assert from_hours.magnitude == pytest.approx(10_000 * 355.2 * 0.330 * 1.10)  # kWh, by hand
    assert from_days.magnitude == pytest.approx(from_hours.magnitude)
    assert from_quantity.magnitude == pytest.approx(from_hours.magnitude)


def test_gpt3_emissions_reproduced_within_half_a_percent():
    emissions = accounting.emissions(gpt3_energy(), fact_q("us_grid_intensity_patterson"))
    assert emissions.to("tCO2e").magnitude == pytest.approx(fact_q("gpt3_training_emissions", "tCO2e").magnitude,
                                                            rel=0.005)
    assert emissions.to("tCO2e").magnitude == pytest.approx(552, rel=0.005)


def test_gpt3_compute_is_6nd_within_one_percent():
    compute = models.training_flops(fact_q("gpt3_parameters"), fact_q("gpt3_training_tokens"))
    assert compute.units == u.FLOP
    assert compute.magnitude == pytest.approx(6 * 175e9 * 300e9)
    assert compute.magnitude == pytest.approx(fact_q("gpt3_training_compute", "FLOP").magnitude, rel=0.01)


def test_gpt3_implied_utilisation_on_v100_is_plausible():
    utilisation = models.implied_utilisation(fact_q("gpt3_training_compute"), fact_q("gpt3_n_gpus"),
                                             fact_q("gpt3_training_days"), fact_q("v100_fp16_tensor_flops"))
    assert utilisation.units == u.dimensionless
    assert 0.1 < utilisation.magnitude < 0.5
    # by hand: 3.14e23 / (10,000 × 14.8 × 86,400 s × 125e12 FLOP/s)
    assert utilisation.magnitude == pytest.approx(3.14e23 / (1e4 * 14.8 * 86_400 * 125e12))


def test_energy_routes_agree_at_the_implied_utilisation():
    flops, n = fact_q("gpt3_training_compute"), fact_q("gpt3_n_gpus")
    days, peak = fact_q("gpt3_training_days"), fact_q("v100_fp16_tensor_flops")
    power, pue = fact_q("gpt3_gpu_power"), fact_q("gpt3_pue")
    utilisation = models.implied_utilisation(flops, n, days, peak)
    from_flops = models.training_energy_from_flops(flops, peak, utilisation, power, pue)
    from_hardware = models.training_energy_from_hardware(n, days, power, pue)
    assert from_flops.units == u.kWh
    assert from_flops.magnitude == pytest.approx(from_hardware.magnitude, rel=1e-9)
    duration = models.training_time(flops, n, peak, utilisation)
    assert duration.units == u.h
    assert duration.to("day").magnitude == pytest.approx(14.8, rel=1e-9)


def test_training_energy_from_flops_does_not_depend_on_how_many_accelerators():
    # 1e21 FLOP at 50 % of 1e14 FLOP/s is 2e7 accelerator-seconds = 5,555.6 h; at 400 W, PUE 1.2
    energy = models.training_energy_from_flops(1e21, 1e14, 0.5, 400, pue=1.2)
    assert energy.magnitude == pytest.approx(1e21 / (1e14 * 0.5) / 3600 * 0.400 * 1.2)
    for n in (1, 8, 1000):
        hours = models.training_time(1e21, n, 1e14, 0.5)
        from_hardware = models.training_energy_from_hardware(n, hours, 400, 1.2)
        assert from_hardware.magnitude == pytest.approx(energy.magnitude)


def test_training_time_by_hand_and_vectorised():
    hours = models.training_time(3.6e15, np.array([1, 2, 4]), 1e12 * u.FLOP / u.s, 50 * u.percent)
    assert hours.units == u.h
    np.testing.assert_allclose(hours.magnitude, [2.0, 1.0, 0.5])


def test_training_flops_broadcasts():
    flops = models.training_flops(np.array([1e9, 2e9]), np.array([[1e10], [2e10]]))
    np.testing.assert_allclose(flops.magnitude, 6 * np.array([[1e19, 2e19], [2e19, 4e19]]))


# --- Chinchilla ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("compute_id", ["chinchilla_training_compute", "chinchilla_training_compute_detailed"])
def test_chinchilla_rule_gives_70b_and_1_4t(compute_id):
    best = models.chinchilla_optimal(fact_q(compute_id))
    assert best.n_params.units == u.param and best.n_tokens.units == u.token
    assert best.n_params.magnitude == pytest.approx(fact_q("chinchilla_parameters", "param").magnitude, rel=0.05)
    assert best.n_tokens.magnitude == pytest.approx(fact_q("chinchilla_tokens", "token").magnitude, rel=0.05)


def test_chinchilla_compute_against_6nd():
    six_nd = models.training_flops(fact_q("chinchilla_parameters"), fact_q("chinchilla_tokens"))
    assert six_nd.magnitude == pytest.approx(5.88e23)
    assert six_nd.magnitude == pytest.approx(fact_q("chinchilla_training_compute", "FLOP").magnitude, rel=0.025)


def test_chinchilla_optimal_by_hand_and_custom_ratio():
    best = models.chinchilla_optimal(1.2e21)            # N = sqrt(1.2e21 / 120) = 1e9.5
    assert best.n_params.magnitude == pytest.approx(math.sqrt(1e19))
    assert best.n_tokens.magnitude == pytest.approx(20 * math.sqrt(1e19))
    best = models.chinchilla_optimal(6e20, tokens_per_param=100)   # N = sqrt(6e20 / 600) = 1e9
    assert best.n_params.magnitude == pytest.approx(1e9)
    assert best.n_tokens.magnitude == pytest.approx(1e11)


def test_chinchilla_loss_by_hand():
    # Hoffmann et al. 2022: E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28
    by_hand = 1.69 + 406.4 / math.exp(0.34 * math.log(70e9)) + 410.7 / math.exp(0.28 * math.log(1.4e12))
    loss = models.chinchilla_loss(70e9, 1.4e12)
    assert loss.units == u.dimensionless
    assert loss.magnitude == pytest.approx(by_hand, rel=1e-12)
    assert loss.magnitude == pytest.approx(1.9367, abs=1e-3)
    assert models.chinchilla_loss(1, 1).magnitude == pytest.approx(1.69 + 406.4 + 410.7)
    gopher = models.chinchilla_loss(280e9, 300e9).magnitude
    assert gopher == pytest.approx(1.69 + 406.4 / 280e9 ** 0.34 + 410.7 / 300e9 ** 0.28)
    assert gopher > loss.magnitude                      # same compute, Chinchilla is better


def test_chinchilla_loss_besiroglu_by_hand_and_vectorised():
    loss = models.chinchilla_loss(np.array([1e9, 1e10]), 1e11, fit="besiroglu2024")
    by_hand = [1.8172 + 482.01 / n ** 0.3478 + 2085.43 / 1e11 ** 0.3658 for n in (1e9, 1e10)]
    np.testing.assert_allclose(loss.magnitude, by_hand, rtol=1e-12)


def test_loss_fits_come_from_the_registry():
    for name in models.FITS:
        fit = models.loss_fit(name)
        assert all(fact_id in FACTS for fact_id in fit.fact_ids)
        assert [fit.E, fit.A, fit.B, fit.alpha, fit.beta] == [FACTS[i].value for i in fit.fact_ids]
    assert models.loss_fit().E == 1.69
    assert models.loss_fit("besiroglu2024").B == 2085.43


def test_iso_flop_minimum_is_at_the_closed_form_optimum():
    compute = 5.76e23
    sizes = np.logspace(9, 13, 4001)
    curve = models.iso_flop_curve(compute, sizes)
    np.testing.assert_allclose(6 * sizes * curve.n_tokens.magnitude, compute, rtol=1e-12)
    best = models.fitted_optimal(compute)
    assert sizes[np.argmin(curve.loss.magnitude)] == pytest.approx(best.n_params.magnitude, rel=0.005)
    # the closed form itself, Hoffmann et al. eq. (4)
    alpha, beta, a_, b_ = 0.34, 0.28, 406.4, 410.7
    g = (alpha * a_ / (beta * b_)) ** (1 / (alpha + beta))
    assert best.n_params.magnitude == pytest.approx(g * (compute / 6) ** (beta / (alpha + beta)))
    assert (6 * best.n_params * best.n_tokens).magnitude == pytest.approx(compute)


def test_fitted_optimum_and_the_20_to_1_rule_disagree():
    """The documented disagreement: Hoffmann's fit wants ~90 tokens/param, the refit ~18, the rule 20."""
    compute = fact_q("chinchilla_training_compute")
    hoffmann = models.fitted_optimal(compute)
    besiroglu = models.fitted_optimal(compute, fit="besiroglu2024")
    rule = models.chinchilla_optimal(compute)
    ratio = lambda best: (best.n_tokens / best.n_params).to("token/param").magnitude  # noqa: E731
    assert ratio(rule) == pytest.approx(20)
    assert 80 < ratio(hoffmann) < 100
    assert 15 < ratio(besiroglu) < 22
    assert hoffmann.n_params.to("Gparam").magnitude == pytest.approx(32.2, rel=0.01)
    assert besiroglu.n_params.to("Gparam").magnitude == pytest.approx(72.2, rel=0.01)


def test_iso_flop_curve_shows_over_and_under_sized_models():
    curve = models.iso_flop_curve(5.76e23, [1e9, 3.2e10, 1e12])
    small, best, large = curve.loss.magnitude
    assert small > best < large
    assert curve.n_tokens.units == u.token


# --- accelerators ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["V100", "A100", "H100"])
def test_gpu_table_is_complete(name):
    device = models.accelerator(name)
    assert name in device.name
    assert device.peak_flops and device.memory_bandwidth is not None
    assert device.memory is not None and device.power is not None
    assert device.power_basis == "TDP"


@pytest.mark.parametrize("name", ["V100", "A100", "H100", "TPU v3", "TPU v4"])
def test_accelerator_values_have_existing_fact_ids_and_units(name):
    device = models.accelerator(name)
    assert set(device.peak_flops) == set(device.peak_flops_facts)
    for precision, q in device.peak_flops.items():
        assert device.peak_flops_facts[precision] in FACTS
        assert q.dimensionality == Q_(1, "FLOP/s").dimensionality
        assert q == FACTS[device.peak_flops_facts[precision]].q
    pairs = [(device.memory_bandwidth, device.memory_bandwidth_fact, "GB/s"),
             (device.memory, device.memory_fact, "GB"),
             (device.power, device.power_fact, "W"), (device.measured_power, device.measured_power_fact, "W")]
    for value, fact_id, unit in pairs:
        assert (value is None) == (fact_id is None)
        if value is not None:
            assert fact_id in FACTS
            assert value.dimensionality == Q_(1, unit).dimensionality
            assert value == FACTS[fact_id].q
    assert all(i in FACTS for i in device.fact_ids())


def test_accelerator_datasheet_values():
    assert models.accelerator("V100").peak_flops["fp16"].to("TFLOP/s").magnitude == 125
    assert models.accelerator("V100").peak_flops["fp32"].to("TFLOP/s").magnitude == 15.7
    assert models.accelerator("V100").memory_bandwidth.to("GB/s").magnitude == 900
    assert models.accelerator("V100").power.to("W").magnitude == 300
    assert models.accelerator("A100").peak_flops["bf16"].to("TFLOP/s").magnitude == 312
    assert models.accelerator("A100").memory.to("GB").magnitude == 80
    assert models.accelerator("H100").peak_flops["bf16"].to("TFLOP/s").magnitude == pytest.approx(989.4)
    assert models.accelerator("tpu-v3").peak_flops["bf16"].to("TFLOP/s").magnitude == 123
    assert models.accelerator("TPU v4").peak_flops["bf16"].to("TFLOP/s").magnitude == 275
    assert models.accelerator("TPU v4").memory_bandwidth.to("GB/s").magnitude == 1200
    assert models.accelerator("TPU v4").power_basis == "measured maximum"


def test_accelerators_lists_all_five_and_lookup_is_tolerant():
    names = [device.name for device in models.accelerators()]
    assert len(names) == 5
    assert models.accelerator("h100 sxm5") == models.accelerator("H100")
    device = models.accelerator("A100")
    assert models.accelerator(device) is device
    with pytest.raises(AttributeError):
        device.name = "B200"      # frozen
    assert str(device).startswith("A100")


def test_accelerator_marks_its_facts_as_used():
    models.accelerator("H100")
    assert {ref.key for ref in sources.references().works} == {"nvidia_h100"}


def test_accelerator_is_built_once_and_still_counts_its_facts():
    assert models.accelerator("H100") is models.accelerator("h100-sxm5")         # cached per canonical name
    with pytest.raises(TypeError, match="name"):
        models.accelerator(["H100"])                                            # unhashable: the usual TypeError
    sources.reset_used()
    models.accelerator("A100")                                                  # a cache hit after the reset
    assert {ref.key for ref in sources.references().works} == {"nvidia_a100"}


def test_accelerator_capacity_is_its_memory():
    device = models.accelerator("H100")
    assert device.capacity() is device.memory


def test_energy_for_flops_by_hand():
    energy = models.energy_for_flops(1e12, "H100")                    # bf16, 40 %, 700 W
    assert energy.units == u.J
    assert energy.magnitude == pytest.approx(1e12 / (989.4e12 * 0.4) * 700)
    v100 = models.energy_for_flops(1e15, "V100", precision="fp16", utilisation=0.5, pue=1.5)
    assert v100.magnitude == pytest.approx(1e15 / (125e12 * 0.5) * 300 * 1.5)
    assert models.energy_for_flops(1e15, "A100", "FP32").magnitude == pytest.approx(1e15 / (19.5e12 * 0.4) * 400)


# --- bad input: every function names the argument and its unit ------------------------------------------

BAD = [
    # (function, args, kwargs, exception, words the message must contain)
    (models.training_flops, (-1, 1e9), {}, ValueError, ["n_params", "param"]),
    (models.training_flops, (1e9, "many"), {}, TypeError, ["n_tokens", "token"]),
    (models.training_flops, (3e11 * u.token, 1e9), {}, TypeError, ["n_params", "parameters", "tokens", "swap"]),
    (models.training_flops, (1e9, 1e9 * u.param), {}, TypeError, ["n_tokens", "swap"]),
    (models.training_flops, (None, 1e9), {}, TypeError, ["n_params"]),
    (models.training_flops, (float("nan"), 1e9), {}, ValueError, ["n_params", "finite"]),
    (models.training_time, (-1e20, 8, 1e14, 0.5), {}, ValueError, ["flops", "FLOP"]),
    (models.training_time, (1e20, 0, 1e14, 0.5), {}, ValueError, ["n_accelerators", "greater than 0"]),
    (models.training_time, (1e20, 8, 0, 0.5), {}, ValueError, ["peak_flops", "FLOP / s"]),
    (models.training_time, (1e20, 8, 1e14 * u.FLOP, 0.5), {}, TypeError, ["peak_flops", "computation rate"]),
    (models.training_time, (1e20, 8, 1e14, 1.5), {}, ValueError, ["utilisation", "(0, 1]"]),
    (models.training_time, (1e20, 8, 1e14, 0), {}, ValueError, ["utilisation", "(0, 1]"]),
    (models.training_time, (1e20 * u.J, 8, 1e14, 0.5), {}, TypeError, ["flops", "computation"]),
    (models.training_energy_from_flops, (1e20, 1e14, 0.5, -300), {}, ValueError, ["power", "W"]),
    (models.training_energy_from_flops, (1e20, 1e14, 0.5, 300), {"pue": 0.9}, ValueError, ["pue", "at least 1"]),
    (models.training_energy_from_flops, (1e20, 1e14, 2, 300), {}, ValueError, ["utilisation"]),
    (models.training_energy_from_flops, (1e20, 1e14, 0.5, 300 * u.kWh), {}, TypeError, ["power", "a power"]),
    (models.training_energy_from_hardware, (0, 10, 300), {}, ValueError, ["n_accelerators"]),
    (models.training_energy_from_hardware, (8, 0, 300), {}, ValueError, ["hours", "greater than 0"]),
    (models.training_energy_from_hardware, (8, 10 * u.kg, 300), {}, TypeError, ["hours", "time"]),
    (models.training_energy_from_hardware, (8, 10, 300), {"pue": 0.5}, ValueError, ["pue"]),
    (models.training_energy_from_hardware, (8, 10, 300), {"days": 2}, TypeError, ["hours", "days"]),
    (models.training_energy_from_hardware, (8,), {"power": 300}, TypeError, ["hours"]),
    (models.training_energy_from_hardware, (8, 10), {}, TypeError, ["power", "W"]),
    (models.training_energy_from_hardware, (8,), {"days": -1, "power": 300}, ValueError, ["days"]),
    (models.implied_utilisation, (1e20, 8, 0, 1e14), {}, ValueError, ["hours"]),
    (models.implied_utilisation, (1e20, -8, 10, 1e14), {}, ValueError, ["n_accelerators"]),
    (models.implied_utilisation, (1e20, 8, 10, 1e14 * u.W), {}, TypeError, ["peak_flops"]),
    (models.implied_utilisation, (True, 8, 10, 1e14), {}, TypeError, ["flops"]),
    (models.chinchilla_optimal, (-1e20,), {}, ValueError, ["compute", "FLOP"]),
    (models.chinchilla_optimal, (1e20 * u.FLOP / u.s,), {}, TypeError, ["compute", "amount of computation"]),
    (models.chinchilla_optimal, (1e20,), {"tokens_per_param": 0}, ValueError, ["tokens_per_param"]),
    (models.chinchilla_optimal, (1e20,), {"tokens_per_param": 20 * u.param / u.token}, TypeError,
     ["tokens_per_param"]),
    (models.chinchilla_loss, (0, 1e9), {}, ValueError, ["n_params", "greater than 0"]),
    (models.chinchilla_loss, (1e9, -1), {}, ValueError, ["n_tokens"]),
    (models.chinchilla_loss, (1e9 * u.token, 1e9 * u.param), {}, TypeError, ["n_params", "swap"]),
    (models.chinchilla_loss, (1e9, 1e9), {"fit": "kaplan2020"}, ValueError, ["fit", "hoffmann2022"]),
    (models.loss_fit, ("chinchilla",), {}, ValueError, ["fit", "besiroglu2024"]),
    (models.fitted_optimal, (0,), {}, ValueError, ["compute", "greater than 0"]),
    (models.fitted_optimal, ("1e20",), {}, TypeError, ["compute"]),
    (models.iso_flop_curve, (1e20, 0), {}, ValueError, ["n_params"]),
    (models.iso_flop_curve, (0, 1e9), {}, ValueError, ["compute"]),
    (models.iso_flop_curve, (1e20, 1e9 * u.token), {}, TypeError, ["n_params", "parameters"]),
    (models.accelerator, ("B200",), {}, ValueError, ["name", "V100", "TPU v4"]),
    (models.accelerator, (100,), {}, TypeError, ["name"]),
    (models.energy_for_flops, (1e12, "V100"), {}, ValueError, ["precision", "bf16", "fp16"]),
    (models.energy_for_flops, (1e12, "H100"), {"precision": "int4"}, ValueError, ["precision", "int4"]),
    (models.energy_for_flops, (1e12, "B200"), {}, ValueError, ["name"]),
    (models.energy_for_flops, (-1e12, "H100"), {}, ValueError, ["flops"]),
    (models.energy_for_flops, (1e12, "H100"), {"utilisation": 1.2}, ValueError, ["utilisation"]),
    (models.energy_for_flops, (1e12, "H100"), {"pue": 0.8}, ValueError, ["pue"]),
]


@pytest.mark.parametrize("function, args, kwargs, error, words", BAD,
                         ids=[f"{case[0].__name__}-{i}" for i, case in enumerate(BAD)])
def test_bad_input_raises_a_clear_error(function, args, kwargs, error, words):
    with pytest.raises(error) as info:
        function(*args, **kwargs)
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def test_every_public_function_has_a_bad_input_test():
    tested = {case[0].__name__ for case in BAD}
    public = {name for name in models.__all__ if callable(getattr(models, name))
              and not isinstance(getattr(models, name), type) and name[0].islower()}
    public.discard("accelerators")  # takes no arguments
    assert public <= tested, public - tested


def test_percent_utilisation_is_accepted():
    assert models.training_time(1e18, 1, 1e14, 50 * u.percent).magnitude == pytest.approx(
        models.training_time(1e18, 1, 1e14, 0.5).magnitude)
