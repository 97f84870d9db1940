"""energylab.experiments.service: the capstone's service model, its search and its grading."""
import itertools

import numpy as np
import pytest

from energylab import economics, exercises, inference, models, sources
from energylab.experiments import service

BASE = {"params": 8, "precision": "bf16", "batch": 16, "cooling": "air_chiller", "region": "germany", "offline": "now"}


def test_evaluate_follows_the_library_chain():
    o = service.evaluate(BASE)
    assert o.loss == pytest.approx(float(models.chinchilla_loss(8e9, 160e9).magnitude))
    shape = inference.memory.model_shape(8e9)
    kv = shape["kv_bytes_per_token"]
    e_it = inference.energy_per_token(8e9, 16, "H100", 2, context=service.CONTEXT, kv_bytes_per_token=kv,
                                      n_accelerators=o.accelerators, utilisation=0.5, bandwidth_utilisation=0.8,
                                      power=sources.value("epoch_power_per_gpu"),
                                      power_fraction=sources.value("epoch_power_fraction"))
    idle_share = 1 + (1 - service.UTILISATION) / service.UTILISATION * economics.IDLE_FRACTION
    assert o.energy == pytest.approx(float(e_it.magnitude) * o.pue * idle_share)
    assert 1.0 < o.pue < 2.0
    mean_ci = float(np.mean(service._intensities("germany")[0]))
    assert o.intensity == pytest.approx(mean_ci)
    assert o.emissions == pytest.approx(o.energy / 3.6e6 * o.intensity * 1e3)
    electricity = o.energy / 3.6e6 * sources.number("us_industrial_electricity_price_2023", "USD/kWh") * 1e6
    assert o.cost > electricity                                     # plus the capital part


def test_levers_move_what_they_should():
    o = service.evaluate(BASE)
    assert service.evaluate(BASE | {"precision": "int8"}).energy < o.energy
    assert service.evaluate(BASE | {"batch": 64}).energy < o.energy
    assert service.evaluate(BASE | {"batch": 64}).token_latency_ms > o.token_latency_ms
    assert service.evaluate(BASE | {"region": "france"}).emissions < 0.3 * o.emissions
    assert service.evaluate(BASE | {"region": "france"}).energy == pytest.approx(o.energy)
    assert service.evaluate(BASE | {"offline": "cleanest_hours"}).emissions < o.emissions
    assert service.evaluate(BASE | {"cooling": "direct_liquid"}).energy < o.energy
    assert service.evaluate(BASE | {"params": 3}).loss > service.TARGET_LOSS


def test_binding_constraints():
    assert service.binding(service.evaluate(BASE)) == []
    assert service.binding(service.evaluate(BASE | {"params": 1})) == ["loss"]
    assert "memory" in service.binding(service.evaluate(BASE | {"batch": 128}))
    assert service.binding(service.evaluate(BASE | {"params": 70, "batch": 64})) == ["latency"]


def test_vectorised_search_matches_a_brute_force_one():
    designs = [dict(zip(BASE, values)) for values in itertools.product(
        service.PARAMS, service.PRECISIONS, service.BATCHES, ("air_chiller", "direct_liquid", "evaporative"),
        service.REGIONS, service.OFFLINE_MODES)]
    feasible = [o for o in map(service.evaluate, designs) if service.feasible(o)]
    top = service.best()
    for what in ("energy", "cost", "emissions"):
        assert getattr(top[what], what) == pytest.approx(min(getattr(o, what) for o in feasible))
        assert service.feasible(top[what])


def test_several_designs_pass_and_the_reference_is_one():
    ex = exercises.load("07")
    passing = [d for d in (dict(zip(BASE, v)) for v in itertools.product(
        (8,), service.PRECISIONS, (16, 32, 64, 128), ("direct_liquid", "evaporative"), ("france",),
        service.OFFLINE_MODES)) if ex.check("service_design", d).status == "correct"]
    assert len(passing) >= 4
    assert ex.check("service_design", ex.reference("service_design")).status == "correct"


@pytest.mark.parametrize("change, words", [
    ({"params": 1}, "Binding: quality"),
    ({"batch": 128}, "memory"),
    ({"params": 70, "batch": 64}, "Binding: latency"),
    ({"params": 70, "batch": 8, "region": "france"}, "energy per token is"),
    ({"precision": "int8", "batch": 64, "cooling": "evaporative"}, "emissions per token are"),
])
def test_feedback_names_the_binding_constraint(change, words):
    result = exercises.load("07").check("service_design", BASE | change)
    assert result.status == "incorrect" and words in result.message


@pytest.mark.parametrize("design, words", [
    ("a design", "six keys"), (BASE | {"params": 13}, "params must be one of"),
    (BASE | {"batch": True}, "batch"), (BASE | {"region": "mars"}, "region"),
    ({k: v for k, v in BASE.items() if k != "offline"}, "six keys"),
])
def test_bad_designs_are_named(design, words):
    with pytest.raises((TypeError, ValueError), match=words):
        service.evaluate(design)


def test_names_are_read_without_case():
    loose = BASE | {"region": "France", "offline": "cleanest hours", "precision": "BF16"}
    assert service.evaluate(loose).design == BASE | {"region": "france", "offline": "cleanest_hours"}


def test_capital_comes_from_the_ownership_model():
    hourly = service._capital_per_hour(1.2)
    tco = economics.h100_ownership(utilisation=service.UTILISATION, pue=1.2)
    assert hourly == pytest.approx(float(economics.capital_per_hour(tco).magnitude))
