"""Thinking tokens and sampling: what reasoning costs, and how to spend less of it.

Reasoning models write long chains of intermediate tokens before answering, and hard benchmarks are
often attacked by sampling many answers and voting. Both multiply the tokens, and so the energy, of
a task. This module gives the arithmetic and a small simulation, pure and vectorised:

* :func:`task_energy`, :func:`task_cost`, :func:`tokens_per_task`, :func:`price_per_million_tokens`
  and the worked case of OpenAI's o3 on ARC-AGI-1 (:func:`o3_arc_agi`), from the ARC Prize's figures;
* :func:`majority_vote_accuracy` and :func:`best_of_n_accuracy`: what n samples buy, while the energy
  grows as n (:func:`sampling_tradeoff`);
* :func:`search_expectation` and :func:`early_abandonment_simulation`: a search that tries reasoning
  paths one after another and abandons dead ends early, in closed form and simulated.

Plain numbers are read as follows:

======================  =================================  =======================================
argument                plain numbers are read in          note
======================  =================================  =======================================
tokens                  token
``energy_per_token``    J/token                            e.g. from :func:`energylab.inference.energy_per_token`
``price_per_million``   USD per million tokens (USD/Mtoken)
``p``                   probability in [0, 1]              or a ``percent`` quantity
``n``                   whole number ≥ 1                   samples
======================  =================================  =======================================

Invalid input raises a ``TypeError`` or ``ValueError`` naming the argument and its unit.

    >>> from energylab.reasoning import majority_vote_accuracy, best_of_n_accuracy
    >>> print(majority_vote_accuracy(0.6, [1, 5, 25]))
    [0.6 0.6826 0.8462]
    >>> print(best_of_n_accuracy(0.6, [1, 5, 25]))
    [0.6 0.9898 1]
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pint

from . import sources
from .units import Q_, as_fraction, as_number, as_quantity, as_whole, converted, fmt, plain

__all__ = [
    "task_energy", "task_cost", "tokens_per_task", "price_per_million_tokens", "O3Setting", "O3Case",
    "o3_arc_agi", "majority_vote_accuracy", "best_of_n_accuracy", "SamplingTradeoff", "sampling_tradeoff",
    "search_expectation", "SearchStats", "SearchComparison", "early_abandonment_simulation",
]

#: Tasks in the ARC-AGI-1 semi-private evaluation set on which o3 was run (ARC Prize 2024).
ARC_SEMI_PRIVATE_TASKS = 100


#: How :func:`~energylab.units.as_fraction` checks and names a probability: [0, 1], "such as 0.6".
_PROBABILITY = {"allow_zero": True, "what": "a probability", "example": 0.6}


# --------------------------------------------------------------------------------------------------
# energy and cost of a task
# --------------------------------------------------------------------------------------------------

def task_energy(thinking_tokens, answer_tokens, energy_per_token) -> pint.Quantity:
    """Energy of a task: (thinking tokens + answer tokens) × energy per token.

    Parameters
    ----------
    thinking_tokens : pint.Quantity or float or array_like
        Intermediate ("reasoning") tokens generated, at least 0; plain numbers in **token**.
    answer_tokens : pint.Quantity or float or array_like
        Tokens of the visible answer, at least 0; plain numbers in **token**.
    energy_per_token : pint.Quantity or float or array_like
        Energy per generated token, at least 0; plain numbers in **J/token**.

    Returns
    -------
    pint.Quantity
        Energy per task, in Wh.

    Raises
    ------
    TypeError
        Wrong type or dimension (e.g. an energy in Wh passed as ``energy_per_token``).
    ValueError
        Negative values, NaN or infinity.

    Examples
    --------
    >>> print(task_energy(10_000, 500, 2.17))     # a reasoning answer at Epoch's ≈2.17 J/token
    6.329 Wh

    Notes
    -----
    Thinking tokens cost the same per token as answer tokens (they are generated the same way), so a
    reasoning model that thinks for 10,000 tokens uses ≈20× the energy of a 500-token answer. Jegham
    et al. 2025 measured up to ≈65× between models on long prompts (fact ``jegham_long_prompt_spread``).
    The per-token figure grows with context (:func:`energylab.inference.energy_per_token`): long
    chains cost somewhat more per token than this linear estimate.
    """
    thinking = as_quantity(thinking_tokens, "token", "thinking_tokens", nonnegative=True)
    answer = as_quantity(answer_tokens, "token", "answer_tokens", nonnegative=True)
    per_token = as_quantity(energy_per_token, "J/token", "energy_per_token", nonnegative=True)
    return converted((thinking + answer) * per_token, "Wh")


def task_cost(tokens, price_per_million) -> pint.Quantity:
    """Cost of the tokens of a task at a price per million tokens.

    Parameters
    ----------
    tokens : pint.Quantity or float or array_like
        Tokens billed, at least 0; plain numbers in **token**.
    price_per_million : pint.Quantity or float or array_like
        Price, at least 0; plain numbers in **USD per million tokens** (``USD/Mtoken``).

    Returns
    -------
    pint.Quantity
        Cost in USD.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Negative values, NaN or infinity.

    Examples
    --------
    >>> print(task_cost(330_000, 60))            # o3's low-compute tokens per ARC task at $60 per M
    19.8 USD

    Notes
    -----
    A list price is not a cost of energy: it includes the provider's hardware, staff and margin. See
    :mod:`energylab.sources` facts ``gpt4o_output_price_2024_05`` and similar for list prices.
    """
    t = as_quantity(tokens, "token", "tokens", nonnegative=True)
    price = as_quantity(price_per_million, "USD/Mtoken", "price_per_million", nonnegative=True)
    return converted(t * price, "USD")


def tokens_per_task(total_tokens, n_tasks) -> pint.Quantity:
    """Average tokens per task: total tokens ÷ tasks.

    Parameters
    ----------
    total_tokens : pint.Quantity or float or array_like
        Tokens of the whole run, at least 0; plain numbers in **token**.
    n_tasks : float or array_like
        Tasks in the run, greater than 0 (a plain number).

    Returns
    -------
    pint.Quantity
        Tokens per task (token).

    Examples
    --------
    >>> print(tokens_per_task(33e6, 100))
    3.3e+05 tok
    """
    total = as_quantity(total_tokens, "token", "total_tokens", nonnegative=True)
    tasks = as_quantity(n_tasks, "dimensionless", "n_tasks", positive=True)
    return converted(total / tasks, "token")


def price_per_million_tokens(total_cost, total_tokens) -> pint.Quantity:
    """The price per million tokens implied by a total cost and a token count.

    Parameters
    ----------
    total_cost : pint.Quantity or float or array_like
        Cost, at least 0; plain numbers in **USD**.
    total_tokens : pint.Quantity or float or array_like
        Tokens, greater than 0; plain numbers in **token**.

    Returns
    -------
    pint.Quantity
        Price in USD/Mtoken.

    Examples
    --------
    >>> print(price_per_million_tokens(2012, 33e6))       # o3 low compute on ARC-AGI-1
    60.97 USD / Mtok
    """
    cost = as_quantity(total_cost, "USD", "total_cost", nonnegative=True)
    tokens = as_quantity(total_tokens, "token", "total_tokens", positive=True)
    return converted(cost / tokens, "USD/Mtoken")


class O3Setting(NamedTuple):
    """One setting of o3 on the ARC-AGI-1 semi-private set (100 tasks).

    Attributes
    ----------
    name : str
        ``"low compute"`` or ``"high compute"``.
    score : pint.Quantity
        Share of tasks solved, percent.
    samples : int
        Samples per task.
    total_tokens, tokens_per_task, tokens_per_sample : pint.Quantity
        Tokens of the run, per task, per sample (token).
    cost_per_task : pint.Quantity
        USD per task: published for low compute; for high compute the cost implied by the
        low-compute price per token (an **estimate**, ARC Prize did not publish it).
    price_per_million : pint.Quantity
        USD/Mtoken: implied by the published low-compute cost (the same price assumed for high).
    cost_status : str
        ``"published"`` or ``"estimate: tokens × low-compute price per token"``.
    """
    name: str
    score: pint.Quantity
    samples: int
    total_tokens: pint.Quantity
    tokens_per_task: pint.Quantity
    tokens_per_sample: pint.Quantity
    cost_per_task: pint.Quantity
    price_per_million: pint.Quantity
    cost_status: str


class O3Case(NamedTuple):
    """The o3 ARC-AGI-1 worked case (see :func:`o3_arc_agi`)."""
    low: O3Setting
    high: O3Setting
    token_ratio: pint.Quantity
    sample_ratio: pint.Quantity
    stated_compute_ratio: pint.Quantity
    high_cost_implied: pint.Quantity
    high_cost_revised: pint.Quantity
    fact_ids: tuple

    def text(self) -> str:
        """A plain-text summary (deterministic, for notebooks)."""
        lines = []
        for s in (self.low, self.high):
            lines.append(f"{s.name}: {fmt(s.score, sig=3)} solved, {s.samples} samples, "
                         f"{fmt(s.tokens_per_task, sig=3)} per task, {fmt(s.cost_per_task, 'USD', sig=3)} "
                         f"per task ({s.cost_status})")
        lines.append(f"high/low: tokens ×{self.token_ratio.magnitude:.1f}, "
                     f"samples ×{self.sample_ratio.magnitude:.1f}, "
                     f"stated compute ×{self.stated_compute_ratio.magnitude:g}")
        lines.append(f"high compute per task: ≈{fmt(self.high_cost_implied, 'USD', sig=3)} implied (172 × $20, "
                     f"status D); ≈{fmt(self.high_cost_revised, 'USD', sig=3)} revised estimate (status M)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())


def o3_arc_agi(n_tasks=ARC_SEMI_PRIVATE_TASKS) -> O3Case:
    """OpenAI o3 on ARC-AGI-1: tokens, implied price per token, high/low ratios and cost per task.

    Parameters
    ----------
    n_tasks : float, optional
        Tasks in the semi-private set, default 100 (ARC Prize 2024).

    Returns
    -------
    O3Case
        ``low`` and ``high`` (:class:`O3Setting`), ``token_ratio`` (high ÷ low tokens),
        ``sample_ratio`` (1,024 ÷ 6), ``stated_compute_ratio`` (ARC Prize's ≈172×),
        ``high_cost_implied`` (172 × $20 ≈ $3,440, status D) and ``high_cost_revised`` (≈$30,000,
        status M, an unverified later estimate), ``fact_ids``; ``.text()`` for a summary.

    Examples
    --------
    >>> case = o3_arc_agi()
    >>> print(case.low.tokens_per_task, case.low.cost_per_task, case.low.price_per_million)
    3.3e+05 tok 20.12 USD 60.97 USD / Mtok
    >>> print(case.high.tokens_per_task, case.high.cost_per_task)
    5.7e+07 tok 3475 USD
    >>> print(round(case.token_ratio.magnitude, 1), round(case.sample_ratio.magnitude, 1))
    172.7 170.7

    Notes
    -----
    ARC Prize 2024, "OpenAI o3 Breakthrough High Score on ARC-AGI-Pub" (facts ``o3_*``, E6–E8):
    low compute scored 75.7 % for $2,012 (≈$20 per task, 6 samples, 33 M tokens); high compute
    scored 87.5 % with 1,024 samples and 5.7 B tokens, ≈172× the compute, cost not published. Three
    ways to get the ratio agree (tokens ≈173×, samples ≈171×, stated ≈172×), so the cost per task at
    the same price per token is ≈$3.4–3.5k. The "$30,000 per task" in the press is ARC Prize's later
    revised estimate (status M); it implies a price per token ≈9× higher, not more tokens. All high-
    compute costs here are **estimates**.
    """
    tasks = as_quantity(n_tasks, "dimensionless", "n_tasks", positive=True)
    low_tokens = sources.value("o3_low_compute_tokens", "token")
    high_tokens = sources.value("o3_high_compute_tokens", "token")
    low_samples = int(round(sources.number("o3_low_compute_samples")))
    high_samples = int(round(sources.number("o3_high_compute_samples")))
    price = price_per_million_tokens(sources.value("o3_low_compute_total_cost", "USD"), low_tokens)
    low_per_task = tokens_per_task(low_tokens, tasks)
    high_per_task = tokens_per_task(high_tokens, tasks)
    low = O3Setting("low compute", sources.value("o3_low_compute_score"), low_samples, low_tokens, low_per_task,
                    converted(low_per_task / low_samples, "token"),
                    converted(sources.value("o3_low_compute_total_cost", "USD") / tasks, "USD"), price, "published")
    high = O3Setting("high compute", sources.value("o3_high_compute_score"), high_samples, high_tokens, high_per_task,
                     converted(high_per_task / high_samples, "token"), task_cost(high_per_task, price), price,
                     "estimate: tokens × low-compute price per token")
    fact_ids = ("o3_low_compute_score", "o3_low_compute_total_cost", "o3_low_compute_samples",
                "o3_low_compute_tokens", "o3_high_compute_score", "o3_high_compute_samples",
                "o3_high_compute_tokens", "o3_high_to_low_compute_ratio",
                "o3_high_compute_cost_per_task_implied", "o3_high_compute_cost_per_task_revised")
    return O3Case(
        low=low, high=high, token_ratio=converted(high_tokens / low_tokens, "dimensionless"),
        sample_ratio=plain(high_samples / low_samples),
        stated_compute_ratio=sources.value("o3_high_to_low_compute_ratio", "dimensionless"),
        high_cost_implied=sources.value("o3_high_compute_cost_per_task_implied", "USD"),
        high_cost_revised=sources.value("o3_high_compute_cost_per_task_revised", "USD"), fact_ids=fact_ids)


# --------------------------------------------------------------------------------------------------
# sampling: majority vote and best-of-n
# --------------------------------------------------------------------------------------------------

def _binomial_pmf(n: int, p: np.ndarray) -> np.ndarray:
    """P(K = k) for k = 0…n, K ~ Binomial(n, p); shape p.shape + (n + 1,). Exact in log space."""
    k = np.arange(n + 1)
    log_fact = np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, n + 1)))])
    log_comb = log_fact[n] - log_fact[k] - log_fact[n - k]
    p = np.asarray(p, dtype=float)[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p, log_q = np.log(p), np.log1p(-p)
        # 0 · log 0 = 0 (p = 0 or p = 1 exactly): the unused branch of np.where may hold 0 · (−inf)
        success = np.where(k == 0, 0.0, k * log_p)
        failure = np.where(k == n, 0.0, (n - k) * log_q)
    return np.exp(log_comb + success + failure)


def majority_vote_accuracy(p, n) -> pint.Quantity:
    """Probability that a majority vote over n independent samples is correct (exact binomial).

    Each sample is correct with probability p, independently. The vote is right when more than half
    of the samples are right; for even n a tie (exactly n/2) is broken by a fair coin.

    Parameters
    ----------
    p : pint.Quantity or float or array_like
        Accuracy of one sample, in [0, 1] (or a percent quantity).
    n : float or array_like
        Samples, whole numbers at least 1. Broadcasts against ``p``.

    Returns
    -------
    pint.Quantity
        Accuracy of the vote, a plain fraction.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        ``p`` outside [0, 1], ``n`` not a whole number ≥ 1, NaN or infinity.

    Examples
    --------
    >>> print(majority_vote_accuracy(0.6, [1, 2, 3, 11, 101]))
    [0.6 0.6 0.648 0.7535 0.9791]
    >>> print(majority_vote_accuracy(0.4, [1, 3, 11]))       # below 1/2, voting makes it worse
    [0.4 0.352 0.2465]

    Notes
    -----
    Condorcet's jury theorem (1785): for p > 1/2 the vote's accuracy rises with odd n towards 1; for
    p < 1/2 it falls towards 0. With random tie-breaking, n = 2k gives the same accuracy as n = 2k − 1.
    **Assumptions:** samples are independent (real samples of one model are correlated, so the gain
    is smaller) and there are only two outcomes, right or wrong — equivalently, all wrong samples agree
    on the same wrong answer. When wrong answers scatter, a plurality vote does better than this.
    Self-consistency (Wang et al. 2022) is majority voting over sampled reasoning chains.
    """
    prob = as_fraction(p, "p", **_PROBABILITY).magnitude
    count = as_whole(n, "n")
    prob, count = np.broadcast_arrays(prob, count)
    out = np.empty(prob.shape, dtype=float)
    for size in np.unique(count):
        where = count == size
        pmf = _binomial_pmf(int(size), prob[where])
        k = np.arange(size + 1)
        weight = np.where(2 * k > size, 1.0, np.where(2 * k == size, 0.5, 0.0))
        out[where] = np.clip(pmf @ weight, 0.0, 1.0)
    return plain(out)


def best_of_n_accuracy(p, n) -> pint.Quantity:
    """Probability that at least one of n independent samples is correct: 1 − (1 − p)^n.

    This is the accuracy of best-of-n with a **perfect verifier** (something that recognises a correct
    answer when it sees one: unit tests for code, a checker for a puzzle). Without one, use
    :func:`majority_vote_accuracy`.

    Parameters
    ----------
    p : pint.Quantity or float or array_like
        Accuracy of one sample, in [0, 1].
    n : float or array_like
        Samples, whole numbers at least 1. Broadcasts against ``p``.

    Returns
    -------
    pint.Quantity
        Accuracy, a plain fraction.

    Raises
    ------
    TypeError, ValueError
        As for :func:`majority_vote_accuracy`.

    Examples
    --------
    >>> print(best_of_n_accuracy(0.1, [1, 10, 100]))
    [0.1 0.6513 1]

    Notes
    -----
    Independence assumed, as in "pass@k" of code benchmarks (Chen et al. 2021). Energy grows as n
    while the accuracy saturates: the last samples buy little (:func:`sampling_tradeoff`).
    """
    prob = as_fraction(p, "p", **_PROBABILITY).magnitude
    count = as_whole(n, "n")
    return plain(1.0 - np.power(1.0 - prob, count))


class SamplingTradeoff(NamedTuple):
    """Accuracy and energy of n samples per task (see :func:`sampling_tradeoff`)."""
    n: np.ndarray
    majority: pint.Quantity
    best_of_n: pint.Quantity
    energy: pint.Quantity


def sampling_tradeoff(p, n, energy_per_sample) -> SamplingTradeoff:
    """Accuracy (majority vote, best-of-n) against energy (n × energy per sample) for n samples.

    Parameters
    ----------
    p : pint.Quantity or float or array_like
        Accuracy of one sample, in [0, 1].
    n : float or array_like
        Samples per task, whole numbers at least 1.
    energy_per_sample : pint.Quantity or float or array_like
        Energy of one sample, at least 0; plain numbers in **Wh**.

    Returns
    -------
    SamplingTradeoff
        ``n``, ``majority`` and ``best_of_n`` accuracies (fractions), ``energy`` per task (Wh).

    Examples
    --------
    >>> result = sampling_tradeoff(0.6, [1, 5, 25], 0.3)
    >>> print(result.majority, result.energy)
    [0.6 0.6826 0.8462] [0.3 1.5 7.5] Wh

    Notes
    -----
    Energy ∝ n (each sample is generated in full); samples decoded in parallel share the weight
    traffic (:func:`energylab.inference.energy_per_token` falls with batch size), so the energy per
    sample itself falls somewhat when they are batched.
    """
    count = np.asarray(as_whole(n, "n"))
    energy = as_quantity(energy_per_sample, "Wh", "energy_per_sample", nonnegative=True)
    return SamplingTradeoff(count, majority_vote_accuracy(p, count), best_of_n_accuracy(p, count),
                            converted(energy * count, "Wh"))


# --------------------------------------------------------------------------------------------------
# searching reasoning paths, with early abandonment of dead ends
# --------------------------------------------------------------------------------------------------

def _search_inputs(n_paths, p_correct_path, tokens_per_path, detect_after_tokens, detect_rate,
                   false_abandon_rate):
    paths = as_whole(n_paths, "n_paths", allow_array=False)
    p = np.asarray(as_fraction(p_correct_path, "p_correct_path", **_PROBABILITY).magnitude)
    if p.ndim > 1 or (p.ndim == 1 and p.size != paths):
        raise ValueError(f"p_correct_path must be one probability, or one per path in the order tried "
                         f"({paths} values); got shape {p.shape}.")
    tokens = np.asarray(as_quantity(tokens_per_path, "token", "tokens_per_path", positive=True).magnitude)
    if tokens.ndim > 1 or (tokens.ndim == 1 and tokens.size != paths):
        raise ValueError(f"tokens_per_path must be one number, or one per path ({paths} values); "
                         f"got shape {tokens.shape}.")
    detect = as_number(detect_after_tokens, "detect_after_tokens", "token", nonnegative=True)
    if np.any(detect > tokens):
        raise ValueError(f"detect_after_tokens ({detect:g} token) cannot exceed tokens_per_path "
                         f"({np.min(tokens):g} token): a dead end is noticed before the path ends.")
    rate = float(as_fraction(as_number(detect_rate, "detect_rate"), "detect_rate", **_PROBABILITY).magnitude)
    false = float(as_fraction(as_number(false_abandon_rate, "false_abandon_rate"), "false_abandon_rate",
                              **_PROBABILITY).magnitude)
    return paths, np.broadcast_to(p, (paths,)), np.broadcast_to(tokens, (paths,)), detect, rate, false


def _expectation(p, tokens, detect, rate, false):
    """Closed form: expected tokens per task, accuracy, and P(reaching each path)."""
    success = p * (1 - false)                                   # a path ends the search
    cost = p * ((1 - false) * tokens + false * detect) + (1 - p) * (rate * detect + (1 - rate) * tokens)
    reach = np.concatenate([[1.0], np.cumprod(1 - success)[:-1]])
    return float(np.sum(reach * cost)), float(1 - np.prod(1 - success))


def search_expectation(n_paths, p_correct_path, tokens_per_path, detect_after_tokens=0, detect_rate=0.0,
                       false_abandon_rate=0.0) -> tuple[pint.Quantity, pint.Quantity]:
    """Closed-form expected tokens and accuracy of a sequential search over reasoning paths.

    Paths are tried one after another, at most ``n_paths``, until one succeeds. Path i is right with
    probability p_i, independently. A right path runs to the end (T_i tokens) and solves the task,
    unless it is wrongly abandoned at d tokens (probability f). A wrong path is recognised as a dead
    end at d tokens with probability r and abandoned; otherwise it runs to the end and fails.

    With q_i = p_i (1 − f) the chance that path i ends the search and
    c_i = p_i [(1 − f) T_i + f d] + (1 − p_i) [r d + (1 − r) T_i] its expected cost:

    E[tokens] = Σ_i c_i Π_{j<i} (1 − q_j),    accuracy = 1 − Π_i (1 − q_i).

    Parameters
    ----------
    n_paths : int
        The most paths tried per task (the budget), at least 1.
    p_correct_path : pint.Quantity or float or array_like
        Probability that a path is right: one value, or one per path in the order tried.
    tokens_per_path : pint.Quantity or float or array_like
        Tokens of a path run to its end, greater than 0; plain numbers in **token**; one or one per path.
    detect_after_tokens : pint.Quantity or float, optional
        d, tokens after which a dead end can be recognised, at most the path length; plain numbers in
        token. Default 0.
    detect_rate : float, optional
        r, probability that a wrong path is recognised at d, in [0, 1]. Default 0 (no abandonment).
    false_abandon_rate : float, optional
        f, probability that a right path is wrongly abandoned at d, in [0, 1]. Default 0.

    Returns
    -------
    tuple of pint.Quantity
        (expected tokens per task in token, accuracy as a plain fraction).

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        Probabilities outside [0, 1], ``detect_after_tokens`` beyond the path length, shape mismatch.

    Examples
    --------
    >>> tokens, accuracy = search_expectation(8, 0.3, 4000)
    >>> print(tokens, accuracy)
    1.256e+04 tok 0.9424
    >>> tokens, accuracy = search_expectation(8, 0.3, 4000, detect_after_tokens=500, detect_rate=0.8)
    >>> print(tokens, accuracy)
    6408 tok 0.9424

    Notes
    -----
    Linearity of expectation: whether path i is reached depends only on earlier paths, which are
    independent of path i, so E[cost of i | reached] = c_i. The idea that reasoning gets cheaper by
    "stopping a model going down a dead-end path early" is a claim of the article (claim 6); this is
    a model of it, not a measurement.
    """
    _, p, tokens, detect, rate, false = _search_inputs(n_paths, p_correct_path, tokens_per_path,
                                                       detect_after_tokens, detect_rate, false_abandon_rate)
    expected_tokens, accuracy = _expectation(p, tokens, detect, rate, false)
    return Q_(expected_tokens, "token"), Q_(accuracy, "dimensionless")


class SearchStats(NamedTuple):
    """Simulated and closed-form results of one search policy (tokens in token, accuracy a fraction).

    ``tokens_mean`` ± ``tokens_std`` is the mean and spread of tokens per task over the simulated
    tasks, ``tokens_sem`` the standard error of the mean; ``accuracy`` ± ``accuracy_sem`` likewise;
    ``expected_tokens`` and ``expected_accuracy`` the closed form (:func:`search_expectation`);
    ``tokens_per_success`` = tokens_mean ÷ accuracy (tokens spent per solved task).
    """
    tokens_mean: pint.Quantity
    tokens_std: pint.Quantity
    tokens_sem: pint.Quantity
    accuracy: pint.Quantity
    accuracy_sem: pint.Quantity
    expected_tokens: pint.Quantity
    expected_accuracy: pint.Quantity
    tokens_per_success: pint.Quantity


class SearchComparison(NamedTuple):
    """With and without early abandonment, on the same simulated tasks (see :func:`early_abandonment_simulation`)."""
    with_abandonment: SearchStats
    without_abandonment: SearchStats
    token_saving: pint.Quantity
    expected_token_saving: pint.Quantity
    n_trials: int
    seed: int

    def text(self) -> str:
        """A plain-text summary (deterministic for a given seed)."""
        lines = []
        for name, s in (("without abandonment", self.without_abandonment), ("with abandonment", self.with_abandonment)):
            lines.append(f"{name}: {fmt(s.tokens_mean, sig=4)} ± {fmt(s.tokens_sem, sig=2)} per task "
                         f"(closed form {fmt(s.expected_tokens, sig=4)}), accuracy "
                         f"{s.accuracy.magnitude:.3f} ± {s.accuracy_sem.magnitude:.3f} "
                         f"(closed form {s.expected_accuracy.magnitude:.3f})")
        lines.append(f"tokens saved: {self.token_saving.to('percent').magnitude:.1f} % "
                     f"(closed form {self.expected_token_saving.to('percent').magnitude:.1f} %)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_pretty_(self, p, cycle):
        p.text(self.text())


def _simulate(correct, detected, false_abandon, tokens, detect, abandon: bool):
    """Tokens per task and success of each simulated task (rows: tasks, columns: paths in order)."""
    if abandon:
        success = correct & ~false_abandon
        cut = np.where(correct, false_abandon, detected)            # path stopped at d tokens
    else:
        success = correct
        cut = np.zeros_like(correct)
    cost = np.where(cut, detect, tokens[None, :])
    solved = success.any(axis=1)
    first = np.where(solved, success.argmax(axis=1), correct.shape[1] - 1)
    upto = np.arange(correct.shape[1])[None, :] <= first[:, None]
    return (cost * upto).sum(axis=1), solved


def _stats(spent, solved, expected_tokens, expected_accuracy) -> SearchStats:
    trials = spent.size
    mean, std = float(spent.mean()), float(spent.std(ddof=1)) if trials > 1 else 0.0
    accuracy = float(solved.mean())
    accuracy_sem = float(np.sqrt(accuracy * (1 - accuracy) / trials))
    per_success = mean / accuracy if accuracy > 0 else float("inf")
    return SearchStats(Q_(mean, "token"), Q_(std, "token"), Q_(std / np.sqrt(trials), "token"),
                       Q_(accuracy, "dimensionless"), Q_(accuracy_sem, "dimensionless"),
                       Q_(expected_tokens, "token"), Q_(expected_accuracy, "dimensionless"),
                       Q_(per_success, "token"))


def early_abandonment_simulation(n_paths, p_correct_path, tokens_per_path, detect_after_tokens, detect_rate,
                                 seed=0, false_abandon_rate=0.0, n_trials=20_000) -> SearchComparison:
    """Simulate a reasoning search with and without abandoning dead ends early, on the same tasks.

    Each simulated task draws, for every path in order, whether it is right (probability p_i),
    whether a wrong path would be recognised at ``detect_after_tokens`` (probability
    ``detect_rate``) and whether a right one would be wrongly abandoned there (probability
    ``false_abandon_rate``). The same draws are used for both policies (common random numbers), so
    the difference between them is not noise of the sampling. Paths are tried in order until one
    succeeds or ``n_paths`` have been tried.

    Parameters
    ----------
    n_paths : int
        The most paths tried per task (the budget), at least 1.
    p_correct_path : pint.Quantity or float or array_like
        Probability that a path is right: one value, or one per path in the order tried.
    tokens_per_path : pint.Quantity or float or array_like
        Tokens of a path run to its end, greater than 0; plain numbers in **token**.
    detect_after_tokens : pint.Quantity or float
        Tokens after which a dead end can be recognised (at most the path length); plain numbers in token.
    detect_rate : float
        Probability that a wrong path is recognised and abandoned there, in [0, 1].
    seed : int, optional
        Seed of the numpy random generator (results are reproducible). Default 0.
    false_abandon_rate : float, optional
        Probability that a right path is wrongly abandoned, in [0, 1]. Default 0.
    n_trials : int, optional
        Simulated tasks, at least 2. Default 20,000.

    Returns
    -------
    SearchComparison
        ``with_abandonment`` and ``without_abandonment`` (:class:`SearchStats`: mean ± std and standard
        error of tokens per task, accuracy ± standard error, the closed form, tokens per solved task),
        ``token_saving`` (1 − with/without, simulated) and ``expected_token_saving`` (closed form),
        ``n_trials``, ``seed``; ``.text()`` for a summary.

    Raises
    ------
    TypeError
        Wrong type or dimension.
    ValueError
        As for :func:`search_expectation`; ``n_trials`` below 2; a negative or non-whole seed.

    Examples
    --------
    >>> result = early_abandonment_simulation(8, 0.3, 4000, 500, 0.8, seed=1)
    >>> print(result.text())  # doctest: +NORMALIZE_WHITESPACE
    without abandonment: 12,540 tok ± 62 tok per task (closed form 12,560 tok),
    accuracy 0.939 ± 0.002 (closed form 0.942)
    with abandonment: 6,383 tok ± 22 tok per task (closed form 6,408 tok), accuracy 0.939 ± 0.002 (closed form 0.942)
    tokens saved: 49.1 % (closed form 49.0 %)

    Notes
    -----
    A model of claim 6 of the article (stop dead ends early), not a measurement: the detection rate,
    the point of detection and the false-abandon rate are what a real system would have to achieve.
    With no false abandons, abandoning never lowers accuracy and always saves tokens (as long as
    d < T); false abandons trade accuracy for tokens, which the budget of paths may or may not
    recover. The closed form is :func:`search_expectation`; the simulation agrees with it within a few
    standard errors (tested).
    """
    paths, p, tokens, detect, rate, false = _search_inputs(n_paths, p_correct_path, tokens_per_path,
                                                           detect_after_tokens, detect_rate, false_abandon_rate)
    seed_value = as_whole(seed, "seed", minimum=0, allow_array=False)
    trials = as_whole(n_trials, "n_trials", minimum=2, allow_array=False)
    rng = np.random.default_rng(seed_value)
    correct = rng.random((trials, paths)) < p[None, :]
    detected = rng.random((trials, paths)) < rate
    false_abandon = rng.random((trials, paths)) < false
    results = {}
    for abandon in (False, True):
        spent, solved = _simulate(correct, detected, false_abandon, tokens, detect, abandon)
        expected = _expectation(p, tokens, detect, rate if abandon else 0.0, false if abandon else 0.0)
        results[abandon] = _stats(spent, solved, *expected)
    with_, without = results[True], results[False]
    saving = 1 - with_.tokens_mean.magnitude / without.tokens_mean.magnitude
    expected_saving = 1 - with_.expected_tokens.magnitude / without.expected_tokens.magnitude
    return SearchComparison(with_, without, Q_(saving, "dimensionless"), Q_(expected_saving, "dimensionless"),
                            trials, seed_value)
