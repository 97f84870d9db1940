"""energylab.reasoning: task energy and cost, the o3 ARC-AGI case from the registry, majority vote and
best-of-n (exact and as properties), and the early-abandonment search (simulation vs closed form)."""
from __future__ import annotations

import doctest
import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from energylab import reasoning, sources
from energylab.units import u

from helpers import fact_mag, fast, mag, reals

FACTS = sources.all_facts()
approx = pytest.approx


# --- task energy and cost ---------------------------------------------------------------------------------

def test_task_energy_and_cost():
    assert mag(reasoning.task_energy(10_000, 500, 2.17), "J") == approx(10_500 * 2.17)
    assert mag(reasoning.task_energy([0, 1000], 500, 1 * u.kJ / u.Mtoken), "J") == approx([0.5, 1.5])
    assert mag(reasoning.task_cost(1e6, 60), "USD") == approx(60)
    assert mag(reasoning.task_cost(2e6 * u.token, 0.06 * u.USD / u.ktoken), "USD") == approx(120)


def test_tokens_and_price_helpers():
    assert mag(reasoning.tokens_per_task(33e6, 100), "token") == approx(330_000)
    assert mag(reasoning.price_per_million_tokens(2012, 33e6), "USD/Mtoken") == approx(2012 / 33)


# --- the o3 ARC-AGI-1 case ---------------------------------------------------------------------------------

def test_o3_low_compute_cost_per_task_is_about_twenty_dollars():
    case = reasoning.o3_arc_agi()
    assert mag(case.low.cost_per_task, "USD") == approx(fact_mag("o3_low_compute_cost_per_task", "USD"), rel=0.01)
    assert mag(case.low.tokens_per_task, "token") == approx(330_000)
    assert mag(case.low.tokens_per_sample, "token") == approx(55_000)
    assert mag(case.low.price_per_million, "USD/Mtoken") == approx(60.97, rel=0.001)
    assert case.low.cost_status == "published"


def test_o3_high_compute_ratios_agree_with_the_stated_172():
    case = reasoning.o3_arc_agi()
    stated = fact_mag("o3_high_to_low_compute_ratio")
    assert mag(case.token_ratio) == approx(stated, rel=0.01)
    assert mag(case.sample_ratio) == approx(stated, rel=0.01)
    assert mag(case.stated_compute_ratio) == approx(stated)
    assert mag(case.high.tokens_per_task, "token") == approx(57e6)


def test_o3_high_compute_cost_is_an_estimate_near_the_implied_3440():
    case = reasoning.o3_arc_agi()
    assert mag(case.high.cost_per_task, "USD") == approx(fact_mag("o3_high_compute_cost_per_task_implied", "USD"),
                                                          rel=0.015)
    assert case.high.cost_status.startswith("estimate")
    assert FACTS["o3_high_compute_cost_per_task_implied"].status == "D"
    assert FACTS["o3_high_compute_cost_per_task_revised"].status == "M"
    assert mag(case.high_cost_revised, "USD") == approx(30_000)
    # the $30k estimate implies a price per token ≈9× the low-compute one, not more tokens
    implied_price = mag(case.high_cost_revised, "USD") / (mag(case.high.tokens_per_task, "token") / 1e6)
    assert implied_price / mag(case.low.price_per_million, "USD/Mtoken") == approx(8.6, rel=0.02)
    assert "status M" in case.text() and "status D" in case.text()
    for fact_id in case.fact_ids:
        assert fact_id in FACTS


# --- majority vote and best-of-n -----------------------------------------------------------------------

def brute_force_majority(p, n):
    """Enumerate every outcome of n samples; ties split evenly."""
    total = 0.0
    for outcome in itertools.product([True, False], repeat=n):
        right = sum(outcome)
        weight = math.prod(p if o else 1 - p for o in outcome)
        total += weight * (1.0 if 2 * right > n else 0.5 if 2 * right == n else 0.0)
    return total


@pytest.mark.parametrize("n", range(1, 9))
@pytest.mark.parametrize("p", [0.0, 0.1, 0.45, 0.5, 0.6, 0.9, 1.0])
def test_majority_vote_matches_brute_force(p, n):
    assert float(mag(reasoning.majority_vote_accuracy(p, n))) == approx(brute_force_majority(p, n), abs=1e-12)


def test_majority_vote_closed_forms_and_vectorisation():
    p = 0.7
    assert float(mag(reasoning.majority_vote_accuracy(p, 3))) == approx(p ** 3 + 3 * p ** 2 * (1 - p))
    grid = reasoning.majority_vote_accuracy(np.array([[0.3], [0.7]]), np.array([1, 3, 5, 1025]))
    assert mag(grid).shape == (2, 4)
    assert float(mag(reasoning.majority_vote_accuracy(0.6, 1001))) > 0.99
    assert float(mag(reasoning.majority_vote_accuracy(60 * u.percent, 1))) == approx(0.6)


@fast
@given(p=reals(0.501, 0.999), k=st.integers(min_value=0, max_value=200))
def test_majority_vote_non_decreasing_in_odd_n_above_one_half(p, k):
    n = 2 * k + 1
    now, then = mag(reasoning.majority_vote_accuracy(p, [n, n + 2]))
    assert then >= now - 1e-12


@fast
@given(p=reals(0.001, 0.499), k=st.integers(min_value=0, max_value=200))
def test_majority_vote_decreasing_in_odd_n_below_one_half(p, k):
    n = 2 * k + 1
    now, then = mag(reasoning.majority_vote_accuracy(p, [n, n + 2]))
    assert then < now or (now < 1e-300)


@fast
@given(p=reals(0, 1), k=st.integers(min_value=1, max_value=300))
def test_even_n_with_random_ties_equals_the_odd_n_below(p, k):
    even, odd = mag(reasoning.majority_vote_accuracy(p, [2 * k, 2 * k - 1]))
    assert even == approx(odd, abs=1e-12)


@fast
@given(p=reals(0, 1), n=st.integers(min_value=1, max_value=500))
def test_best_of_n_bounds(p, n):
    best = float(mag(reasoning.best_of_n_accuracy(p, n)))
    assert best == approx(1 - (1 - p) ** n, abs=1e-12)
    assert best >= float(mag(reasoning.majority_vote_accuracy(p, n))) - 1e-12  # a perfect verifier never hurts
    assert best >= p - 1e-12


def test_half_is_a_fixed_point_and_symmetry():
    assert mag(reasoning.majority_vote_accuracy(0.5, [1, 2, 7, 100])) == approx(0.5)
    a = mag(reasoning.majority_vote_accuracy(0.3, [1, 3, 9]))
    b = mag(reasoning.majority_vote_accuracy(0.7, [1, 3, 9]))
    assert a + b == approx(1.0)


def test_sampling_tradeoff_energy_grows_as_n():
    result = reasoning.sampling_tradeoff(0.6, [1, 5, 25, 125], 0.3 * u.Wh)
    assert mag(result.energy, "Wh") == approx([0.3, 1.5, 7.5, 37.5])
    gains = np.diff(mag(result.majority)) / np.diff(mag(result.energy, "Wh"))
    assert np.all(np.diff(gains) < 0)  # diminishing returns per Wh


# --- search with early abandonment ----------------------------------------------------------------------------

def test_search_without_abandonment_is_geometric():
    tokens, accuracy = reasoning.search_expectation(8, 0.3, 4000)
    reach = (1 - 0.7 ** 8) / 0.3
    assert float(mag(tokens, "token")) == approx(4000 * reach)
    assert float(mag(accuracy)) == approx(1 - 0.7 ** 8)


@fast
@given(n=st.integers(min_value=1, max_value=20), p=reals(0, 1), tokens=reals(100, 10_000), share=reals(0, 1),
       rate=reals(0, 1))
def test_abandonment_without_false_alarms_saves_tokens_and_keeps_accuracy(n, p, tokens, share, rate):
    base_tokens, base_accuracy = reasoning.search_expectation(n, p, tokens)
    cut_tokens, cut_accuracy = reasoning.search_expectation(n, p, tokens, share * tokens, rate)
    assert float(mag(cut_tokens)) <= float(mag(base_tokens)) * (1 + 1e-12)
    assert float(mag(cut_accuracy)) == approx(float(mag(base_accuracy)), abs=1e-12)


@pytest.mark.parametrize("case", [
    dict(n_paths=8, p_correct_path=0.3, tokens_per_path=4000, detect_after_tokens=500, detect_rate=0.8),
    dict(n_paths=5, p_correct_path=0.1, tokens_per_path=2000, detect_after_tokens=200, detect_rate=0.5,
         false_abandon_rate=0.2),
    dict(n_paths=4, p_correct_path=[0.5, 0.3, 0.2, 0.1], tokens_per_path=[1000, 2000, 3000, 4000],
         detect_after_tokens=300, detect_rate=0.9, false_abandon_rate=0.05),
    dict(n_paths=1, p_correct_path=0.6, tokens_per_path=1000, detect_after_tokens=1000, detect_rate=1.0),
])
def test_simulation_matches_the_closed_form(case):
    result = reasoning.early_abandonment_simulation(**case, seed=7, n_trials=40_000)
    for stats in (result.with_abandonment, result.without_abandonment):
        sem = max(float(mag(stats.tokens_sem)), 1e-9)
        assert abs(float(mag(stats.tokens_mean)) - float(mag(stats.expected_tokens))) < 4.5 * sem
        accuracy_sem = max(float(mag(stats.accuracy_sem)), 1e-9)
        assert abs(float(mag(stats.accuracy)) - float(mag(stats.expected_accuracy))) < 4.5 * accuracy_sem
        assert float(mag(stats.tokens_per_success)) == approx(float(mag(stats.tokens_mean))
                                                              / float(mag(stats.accuracy)))
    assert float(mag(result.token_saving)) == approx(float(mag(result.expected_token_saving)), abs=0.02)


def test_simulation_is_reproducible_and_common_random_numbers_pair_the_policies():
    a = reasoning.early_abandonment_simulation(8, 0.3, 4000, 500, 0.8, seed=3, n_trials=5000)
    b = reasoning.early_abandonment_simulation(8, 0.3, 4000, 500, 0.8, seed=3, n_trials=5000)
    assert a.text() == b.text()
    # no false abandons: the same tasks are solved with and without abandonment
    assert mag(a.with_abandonment.accuracy) == mag(a.without_abandonment.accuracy)
    assert float(mag(a.token_saving)) > 0.4


def test_false_abandons_cost_accuracy():
    result = reasoning.early_abandonment_simulation(3, 0.3, 4000, 500, 0.8, seed=0, false_abandon_rate=0.3)
    with_, without = result.with_abandonment, result.without_abandonment
    assert float(mag(with_.expected_accuracy)) < float(mag(without.expected_accuracy))


# --- bad input --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("function, args, kwargs, error, words", [
    (reasoning.task_energy, (1000, 100, 0.3 * u.Wh), {}, TypeError, ["energy_per_token", "J/tok"]),
    (reasoning.task_energy, (-1, 100, 2.0), {}, ValueError, ["thinking_tokens", "negative"]),
    (reasoning.task_cost, (1e6, 60 * u.USD), {}, TypeError, ["price_per_million", "USD/Mtok"]),
    (reasoning.majority_vote_accuracy, (1.2, 3), {}, ValueError, ["p", "[0, 1]"]),
    (reasoning.majority_vote_accuracy, (0.6, 2.5), {}, ValueError, ["n", "whole number"]),
    (reasoning.majority_vote_accuracy, (0.6, 0), {}, ValueError, ["n", "at least 1"]),
    (reasoning.best_of_n_accuracy, ("0.6", 3), {}, TypeError, ["p"]),
    (reasoning.search_expectation, (4, 0.3, 1000, 2000, 0.5), {}, ValueError, ["detect_after_tokens"]),
    (reasoning.search_expectation, (4, [0.3, 0.2], 1000), {}, ValueError, ["p_correct_path", "4 values"]),
    (reasoning.search_expectation, (4, 0.3, 1000 * u.J), {}, TypeError, ["tokens_per_path", "tok"]),
    (reasoning.early_abandonment_simulation, (4, 0.3, 1000, 100, 1.5), {}, ValueError, ["detect_rate"]),
    (reasoning.early_abandonment_simulation, (4, 0.3, 1000, 100, 0.5), {"seed": -1}, ValueError, ["seed"]),
    (reasoning.early_abandonment_simulation, (4, 0.3, 1000, 100, 0.5), {"n_trials": 1}, ValueError, ["n_trials"]),
])
def test_bad_input_raises_a_clear_error(function, args, kwargs, error, words):
    with pytest.raises(error) as info:
        function(*args, **kwargs)
    message = str(info.value)
    for word in words:
        assert word in message, (word, message)


def test_docstring_examples_run():
    result = doctest.testmod(reasoning, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 15 and result.failed == 0
