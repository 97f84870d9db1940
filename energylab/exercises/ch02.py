"""Chapter 02 — inference and small models: the exercises.

Learning objectives (as in the chapter notebook):

1. Estimate the compute of answering: inference FLOPs per token and per query (about 2·N per token,
   prompt and answer tokens alike).
2. Explain with the roofline why batching cuts the energy per token, and where the gain stops.
3. Estimate the energy and cost of reasoning and sampling: thinking tokens, majority voting, early
   abandonment of dead ends, and the ARC-AGI o3 case as an estimate.
4. Decide when parallel inference saves energy and when it only saves time (Amdahl's law, idle power).
5. Cut the energy per query with smaller, distilled and quantized models, choosing the smallest model
   that meets a target.

Every expected value is computed here from :mod:`energylab.inference`, :mod:`energylab.reasoning`,
:mod:`energylab.experiments` and :mod:`energylab.sources`. Numbers marked *course assumption* are the
exercises' own scenario, not sourced facts.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import inference as inf
from .. import models
from .. import reasoning as rs
from ..sources import number as _count, value as fact
from ..units import fmt, u
from .spec import Exercise, Misconception

OBJ_ANSWER = "1 · the compute of answering"
OBJ_BATCH = "2 · batching and the roofline"
OBJ_REASON = "3 · reasoning and sampling"
OBJ_PARALLEL = "4 · parallel vs sequential"
OBJ_SMALL = "5 · small, distilled, quantized"

# --- course assumptions of the scenarios ----------------------------------------------------------------
PROMPT_TOKENS = 10_000        # a long document pasted into the prompt
SAMPLE_ACCURACY = 0.6         # chance that one sampled answer is right
N_SAMPLES = 5                 # samples in a majority vote
SEARCH = dict(n_paths=8, p_correct_path=0.3, tokens_per_path=4000, detect_after_tokens=500)
DETECT_RATE = 0.8             # share of dead ends recognised after `detect_after_tokens`
N_DEVICES = 8
SERIAL_FRACTION = 0.1
IDLE_FRACTION = 0.3           # idle power of a GPU waiting for the serial part, as a share of its rated power
TASK_TARGET = 0.86            # accuracy the right-sizing task must meet (no grid choice sits within 0.5 point of it)
TASK_MAX_BATCH = 64           # the service's latency allows at most this batch
TASK_SLACK = 1.25             # energy allowed, relative to the best choice on the grid


def _h100():
    return models.accelerator("H100")


# --- scenarios ------------------------------------------------------------------------------------------

def flops_per_token(per_param: float = 2.0):
    return inf.inference_flops_per_token(fact("chinchilla_parameters")) * per_param / 2.0


def query_flops(tokens=None, per_param: float = 2.0):
    """FLOPs of one query: prompt and answer tokens both pass through the model (≈2·N each)."""
    tokens = (PROMPT_TOKENS + fact("epoch_gpt4o_output_tokens").to("token").magnitude) if tokens is None else tokens
    per_token = inf.inference_flops_per_token(fact("epoch_gpt4o_active_params")) * per_param / 2.0
    return (per_token * tokens * u.token).to("FLOP")


def weight_read_time(bytes_per_param: float = 2):
    step = inf.decode_step(fact("chinchilla_parameters"), 1, _h100(), bytes_per_param=bytes_per_param)
    return step.memory_time.to("ms")


def batch_energy(per_sequence_weights: bool = False):
    """Energy per token at batch 1 and 64 (70 B parameters, bf16, H100, no context)."""
    energies = inf.energy_per_token(fact("chinchilla_parameters"), np.array([1, 64]), _h100())
    if per_sequence_weights:
        energies = energies[0] * np.ones(2)
    return energies.to("J/token")


def critical_batch(bytes_per_param: float = 1):
    return inf.critical_batch_size(fact("chinchilla_parameters"), _h100(), bytes_per_param=bytes_per_param) \
        * u.dimensionless


def _binomial_exactly(k: int):
    from math import comb
    p, n = SAMPLE_ACCURACY, N_SAMPLES
    return comb(n, k) * p ** k * (1 - p) ** (n - k) * 100 * u.percent


def majority():
    return rs.majority_vote_accuracy(SAMPLE_ACCURACY, N_SAMPLES).to("percent")


def o3_tokens_per_task(per_sample: bool = False):
    tokens = rs.tokens_per_task(fact("o3_low_compute_tokens"), rs.ARC_SEMI_PRIVATE_TASKS)
    return tokens / _count("o3_low_compute_samples") if per_sample else tokens


def o3_high_cost(cost_id: str = "o3_low_compute_cost_per_task"):
    return (fact(cost_id) * fact("o3_high_to_low_compute_ratio")).to("USD")


def search(detect_rate: float):
    tokens, accuracy = rs.search_expectation(**SEARCH, detect_rate=detect_rate)
    return tokens, accuracy


def abandonment_saving(kind: str = "saving"):
    with_, _ = search(DETECT_RATE)
    without, _ = search(0.0)
    ratio = (with_ / without).to("")
    return {"saving": (1 - ratio), "ratio": ratio, "inverted": 1 / ratio}[kind].to("percent")


def speedup():
    return inf.amdahl_speedup(N_DEVICES, SERIAL_FRACTION)


@lru_cache(maxsize=1)
def parallel_energy_ratio() -> float:
    """Energy of the job split over N_DEVICES GPUs ÷ on one, with idle GPUs drawing IDLE_FRACTION of TDP."""
    h100 = _h100()
    run = inf.parallel_run(1e18 * u.FLOP, N_DEVICES, SERIAL_FRACTION, h100.peak_flops["bf16"], h100.power,
                           idle_power=IDLE_FRACTION * h100.power)
    return float(run.energy_ratio.to("").magnitude)


def parallel_answer() -> str:
    ratio = parallel_energy_ratio()
    return "a" if ratio > 1.005 else ("c" if ratio < 0.995 else "b")


def mac_energy_ratio(int8_mult="horowitz_int8_mult_energy", accumulate="horowitz_int32_add_energy",
                     fp32_add="horowitz_fp32_add_energy"):
    """Energy of an FP32 multiply–accumulate ÷ an INT8 one (45 nm, Horowitz 2014)."""
    fp32 = fact("horowitz_fp32_mult_energy") + (fact(fp32_add) if fp32_add else 0 * u.pJ)
    int8 = fact(int8_mult) + (fact(accumulate) if accumulate else 0 * u.pJ)
    return (fp32 / int8).to("dimensionless")


# --- the open task: the smallest model that does the job ---------------------------------------------

def student_saving(kept: bool = False):
    """Share of the teacher's FLOPs per query saved by serving chapter 02's distilled student instead, percent."""
    from .. import nn
    from ..experiments import distillation as d
    student = nn.forward_flops(nn.MLP([d.N_FEATURES, d.STUDENT_HIDDEN, d.N_CLASSES], seed=0), 1)
    teacher = nn.forward_flops(nn.MLP([d.N_FEATURES, d.TEACHER_HIDDEN, d.N_CLASSES], seed=0), 1)
    share = student / teacher
    return (share if kept else 1 - share) * 100 * u.percent


def _rightsizing():
    from ..experiments import rightsizing
    return rightsizing


@lru_cache(maxsize=1)
def task_best():
    return _rightsizing().best_choice(TASK_TARGET, batch_size=TASK_MAX_BATCH)


def task_targets() -> str:
    r = _rightsizing()
    return (f"Choose width from {list(r.WIDTHS)}, bits from {list(r.GRID_BITS)} and a batch size from 1 to "
            f"{TASK_MAX_BATCH}. Target: held-out accuracy at least {TASK_TARGET:.0%}, at no more than "
            f"{TASK_SLACK:.2f}× the least energy per query that meets it.")


def grade_design(answer):
    """(width, bits, batch_size) → correct if accurate enough within TASK_SLACK of the best energy."""
    r = _rightsizing()
    if isinstance(answer, dict):
        try:
            answer = (answer["width"], answer["bits"], answer["batch_size"])
        except KeyError as missing:
            raise ValueError(f"Your dict needs the keys 'width', 'bits' and 'batch_size' (missing {missing}).") \
                from None
    if isinstance(answer, (str, bytes, set, frozenset)) or not hasattr(answer, "__len__") or len(answer) != 3:
        raise TypeError("Give three whole numbers in this order, as a tuple: (width, bits, batch_size), "
                        "e.g. (64, 8, 16).")
    width, bits, batch = (int(v) if isinstance(v, (float, np.floating)) and float(v).is_integer() else v
                          for v in answer)
    if isinstance(batch, (int, np.integer)) and not isinstance(batch, bool) and batch > TASK_MAX_BATCH:
        raise ValueError(f"The service's latency allows a batch of at most {TASK_MAX_BATCH}.")
    choice = r.evaluate_choice(width, bits, batch)  # raises ValueError naming what is allowed
    best = task_best()
    limit = TASK_SLACK * best.energy_per_query
    text = (f"Width {width} at {bits} bits, batch {batch}: accuracy {choice.accuracy:.1%} (target "
            f"{TASK_TARGET:.0%}), {fmt(choice.energy_per_query * u.J, 'nJ', sig=3)} per query (limit "
            f"{fmt(limit * u.J, 'nJ', sig=3)}).")
    accurate, frugal = choice.accuracy >= TASK_TARGET, choice.energy_per_query <= limit
    if accurate and frugal:
        return "correct", text, "met"
    if accurate:
        return "incorrect", text + " Accurate, but it spends more than it needs: a smaller model, fewer bits " \
                                   "or a larger batch?", "too_costly"
    return "incorrect", text + " Not accurate enough: this size or precision is too small for the job.", \
        "too_inaccurate"


def _reference_design():
    best = task_best()
    return (best.width, best.bits, best.batch_size)


# --- the exercises --------------------------------------------------------------------------------------

EXERCISES = [
    Exercise(
        name="inference_flops",
        title="FLOPs to generate one token",
        objective=OBJ_ANSWER,
        unit="FLOP/token",
        expected=flops_per_token,
        misconceptions=(
            Misconception("That is the training cost per token (6·N). Answering runs only the forward pass: "
                          "about 2·N.", wrong=lambda: flops_per_token(6.0), code="used_6n"),
            Misconception("Each parameter takes part in one multiply and one add per token: 2 FLOPs, not 1.",
                          wrong=lambda: flops_per_token(1.0), code="forgot_2"),
        ),
        hints=("A dense model multiplies every weight once per token: one multiply and one add.",
               "FLOPs per token ≈ 2 × parameters (inference.inference_flops_per_token)."),
        takeaway="A third of training's 6·N per token: answering is cheap per token, but it never stops.",
    ),
    Exercise(
        name="query_flops",
        title="FLOPs of one query with a long prompt",
        objective=OBJ_ANSWER,
        unit="FLOP",
        expected=query_flops,
        misconceptions=(
            Misconception("You counted only the answer's tokens. Every prompt token also passes through the "
                          "model (once, in the prefill).",
                          wrong=lambda: query_flops(fact("epoch_gpt4o_output_tokens").to("token").magnitude),
                          code="output_only"),
            Misconception("You counted only the prompt: the answer's tokens cost as much each.",
                          wrong=lambda: query_flops(PROMPT_TOKENS), code="prompt_only"),
            Misconception("That uses 6·N per token, the training rule. Inference is about 2·N.",
                          wrong=lambda: query_flops(per_param=6.0), code="used_6n"),
            Misconception("Each parameter takes part in one multiply and one add per token: 2 FLOPs, not 1.",
                          wrong=lambda: query_flops(per_param=1.0), code="forgot_2"),
        ),
        hints=("FLOPs per token ≈ 2 × parameters; then count the tokens.",
               "Both the prompt tokens and the answer tokens go through the model."),
        takeaway="Long prompts can cost far more than the answer: reading is not free.",
    ),
    Exercise(
        name="weight_read_time",
        title="Reading the weights once",
        objective=OBJ_BATCH,
        unit="ms",
        expected=weight_read_time,
        misconceptions=(
            Misconception("That assumes 4 bytes per parameter (FP32). The model is stored in BF16: 2 bytes.",
                          wrong=lambda: weight_read_time(4), code="fp32_bytes"),
            Misconception("That assumes 1 byte per parameter. BF16 takes 2 bytes.",
                          wrong=lambda: weight_read_time(1), code="one_byte"),
            Misconception("Off by 8: bits vs bytes. Memory bandwidth is in bytes per second.", factor=8.0,
                          code="bits_bytes"),
            Misconception("Off by 8: bits vs bytes. Memory bandwidth is in bytes per second.", factor=1 / 8,
                          code="bits_bytes"),
        ),
        hints=("Time = bytes to read ÷ bandwidth.",
               "Bytes = parameters × bytes per parameter (BF16: 2)."),
        takeaway="At batch 1 this is the time per token: the chip mostly waits for memory.",
    ),
    Exercise(
        name="batch_energy",
        title="Energy per token at batch 1 and 64",
        objective=OBJ_BATCH,
        unit="J/token",
        expected=batch_energy,
        shape=(2,),
        misconceptions=(
            Misconception("You read the weights once per sequence. In a batch they are read once per step "
                          "and shared by every sequence: the energy per token falls with the batch.",
                          wrong=lambda: batch_energy(per_sequence_weights=True), code="weights_per_sequence"),
            Misconception("Right values, wrong order: batch 1 first, then batch 64.",
                          wrong=lambda: batch_energy()[::-1], code="order"),
            Misconception("Both values are off by the same factor of 2: BF16 takes 2 bytes per parameter, and "
                          "the chip draws its rated power.", factor=2.0, code="factor_two"),
            Misconception("Both values are off by the same factor of 2: BF16 takes 2 bytes per parameter, and "
                          "the chip draws its rated power.", factor=0.5, code="factor_two"),
        ),
        hints=("inference.energy_per_token(n_params, batch_size, accelerator) takes an array of batch sizes.",
               "Per step: time = max(compute time, memory time); energy per token = power × time ÷ batch."),
        takeaway="Batching is the biggest lever on the energy per token until the step becomes compute-bound.",
    ),
    Exercise(
        name="critical_batch",
        title="Where batching stops paying",
        objective=OBJ_BATCH,
        unit="dimensionless",
        nature="count",
        expected=critical_batch,
        misconceptions=(
            Misconception("That is the ridge point itself: right for 2-byte weights at the BF16 peak, or for "
                          "1-byte weights at the FP8 peak. Here the weights take 1 byte but the arithmetic runs at "
                          "the BF16 peak: each byte read carries twice the work, so the batch halves.",
                          wrong=lambda: critical_batch(2), code="ridge_directly"),
            Misconception("With fewer bytes per parameter the step becomes compute-bound sooner, not later.",
                          wrong=lambda: critical_batch(4), code="inverted_bytes"),
        ),
        hints=("The step is compute-bound when its FLOPs ÷ bytes reach the ridge point (peak ÷ bandwidth).",
               "FLOPs per step = 2·N·batch; bytes per step ≈ N × bytes per parameter."),
        takeaway="Past this batch, more batching adds latency without saving energy.",
    ),
    Exercise(
        name="majority_vote",
        title="Majority voting over samples",
        objective=OBJ_REASON,
        unit="percent",
        expected=majority,
        misconceptions=(
            Misconception("That is 'at least one of the samples is right' (best-of-n with a perfect judge). A "
                          "majority vote needs more than half of them right.",
                          wrong=lambda: rs.best_of_n_accuracy(SAMPLE_ACCURACY, N_SAMPLES).to("percent"),
                          code="best_of_n"),
            Misconception("That is the chance that all samples are right. A majority needs only more than half.",
                          wrong=lambda: (SAMPLE_ACCURACY ** N_SAMPLES) * 100 * u.percent, code="all_right"),
            Misconception("That is the accuracy of a single sample. The vote combines several.",
                          wrong=lambda: SAMPLE_ACCURACY * 100 * u.percent, code="one_sample"),
            Misconception("That counts exactly a bare majority right; add the cases with more right answers too.",
                          wrong=lambda: _binomial_exactly(N_SAMPLES // 2 + 1), code="exactly_majority"),
        ),
        hints=("Count the ways to get 3, 4 or 5 right answers out of 5: the binomial distribution.",
               "P(k right) = C(5, k) · p^k · (1 − p)^(5 − k); add k = 3, 4, 5."),
        takeaway="Five times the energy for a few points of accuracy: sampling is an expensive way to improve.",
    ),
    Exercise(
        name="o3_tokens",
        title="Tokens per task for a reasoning model",
        objective=OBJ_REASON,
        unit="token",
        expected=o3_tokens_per_task,
        misconceptions=(
            Misconception("That is per sample: each task was attempted several times. The question asks per "
                          "task.", wrong=lambda: o3_tokens_per_task(per_sample=True), code="per_sample"),
            Misconception("That is the total for the whole set: divide by the number of tasks.",
                          wrong=lambda: fact("o3_low_compute_tokens"), code="total_not_per_task"),
            Misconception("You multiplied by the samples: the published total already includes every sample "
                          "of every task.", wrong=lambda: o3_tokens_per_task() * _count("o3_low_compute_samples"),
                          code="times_samples"),
        ),
        hints=("The published total covers all the tasks of the semi-private set, every sample included.",
               "Divide the total by the number of tasks."),
        takeaway="Hundreds of thousands of tokens per puzzle: reasoning spends tokens the user never sees.",
    ),
    Exercise(
        name="o3_high_cost",
        title="An implied cost per task",
        objective=OBJ_REASON,
        unit="USD",
        expected=o3_high_cost,
        misconceptions=(
            Misconception("You scaled the total cost of all tasks, not the cost per task.",
                          wrong=lambda: o3_high_cost("o3_low_compute_total_cost"), code="total_not_per_task"),
            Misconception("That is the revised estimate reported later; the question asks what the published "
                          "figures imply.", wrong=lambda: fact("o3_high_compute_cost_per_task_revised"),
                          code="revised_estimate"),
        ),
        hints=("Assume cost scales with compute.", "Cost per task at low compute × the stated compute ratio."),
        takeaway=lambda: "An implied figure, not a published one: the later revised estimate is about {:.0f} "
                         "times higher. Treat both as estimates.".format(
            (fact("o3_high_compute_cost_per_task_revised") / o3_high_cost()).to("").magnitude),
    ),
    Exercise(
        name="abandon_saving",
        title="Stopping dead ends early",
        objective=OBJ_REASON,
        unit="percent",
        expected=abandonment_saving,
        misconceptions=(
            Misconception("That is the tokens kept (with ÷ without), not the share saved.",
                          wrong=lambda: abandonment_saving("ratio"), code="ratio_not_saving"),
            Misconception("You divided the other way round.", wrong=lambda: abandonment_saving("inverted"),
                          code="inverted"),
        ),
        hints=("reasoning.search_expectation gives the expected tokens per task (and the accuracy).",
               "Compute it with detect_rate = 0 (no abandonment) and with the given rate.",
               "Saving = 1 − tokens with ÷ tokens without, in percent."),
        takeaway="Recognising dead ends early cuts the tokens without losing accuracy, if right paths are "
                 "never abandoned by mistake.",
    ),
    Exercise(
        name="amdahl_speedup",
        title="How much faster on several GPUs",
        objective=OBJ_PARALLEL,
        unit="dimensionless",
        expected=speedup,
        misconceptions=(
            Misconception("That ignores the serial part: only the parallel part gets faster.",
                          wrong=lambda: N_DEVICES * u.dimensionless, code="no_serial"),
            Misconception("That is the limit with infinitely many devices, 1 ÷ serial fraction.",
                          wrong=lambda: (1 / SERIAL_FRACTION) * u.dimensionless, code="limit"),
            Misconception("You added the devices' times; parallel workers run at the same time, so their "
                          "latencies do not add.", wrong=lambda: (1 / N_DEVICES) * u.dimensionless,
                          code="latencies_added"),
            Misconception("That is the time on the devices as a fraction of the time on one; the speed-up is "
                          "its inverse.", inverted=True, code="time_not_speedup"),
        ),
        hints=("Time on n devices = serial part + parallel part ÷ n (as fractions of the one-device time).",
               "Speed-up = 1 ÷ (s + (1 − s) ÷ n)."),
        takeaway="The serial part caps the gain: with a tenth serial, no number of GPUs beats 10×.",
    ),
    Exercise(
        name="parallel_energy",
        title="Does splitting the job save energy?",
        objective=OBJ_PARALLEL,
        kind="choice",
        expected=parallel_answer,
        choices={
            "a": "",
            "b": "The active work is the same, but the other GPUs wait, drawing idle power, while the serial "
                 "part runs: that energy comes on top.",
            "c": "Splitting saves time, not work; the waiting GPUs still draw power. Energy falls only if "
                 "splitting lets the hardware work more efficiently (e.g. larger batches).",
        },
        hints=("What do the other seven GPUs do while the serial part runs?",
               "inference.parallel_run(work, n, serial_fraction, device_flops, power, idle_power=…) compares."),
        takeaway="Parallelism buys time; it saves energy only when it also raises utilisation.",
    ),
    Exercise(
        name="student_saving",
        title="What a distilled student saves",
        objective=OBJ_SMALL,
        unit="percent",
        nature="fraction",
        expected=student_saving,
        misconceptions=(
            Misconception("That is the share of the teacher's work the student still does; the question asks what "
                          "share is saved.", wrong=lambda: student_saving(kept=True), code="kept_not_saved"),
        ),
        hints=("FLOPs per query of an MLP: energylab.nn.forward_flops(model, 1); the teacher and the student differ "
               "only in their hidden width.",),
        takeaway="Every query the student answers costs a small fraction of the teacher's, but the teacher must be "
                 "trained first: distillation pays back over many queries.",
    ),
    Exercise(
        name="mac_energy_ratio",
        title="FP32 vs INT8 multiply–accumulate",
        objective=OBJ_SMALL,
        unit="dimensionless",
        expected=mac_energy_ratio,
        misconceptions=(
            Misconception("That compares the multiplies only; a multiply–accumulate also adds.",
                          wrong=lambda: mac_energy_ratio(accumulate=None, fp32_add=None), code="multiply_only"),
            Misconception("You accumulated in 8 bits. Sums of 8-bit products need a wider (32-bit) adder.",
                          wrong=lambda: mac_energy_ratio(accumulate="horowitz_int8_add_energy"),
                          code="int8_accumulate"),
            Misconception("You divided the other way round: how many times MORE does FP32 take?",
                          inverted=True, code="inverted"),
        ),
        hints=("MAC = one multiply + one add. FP32: both in floating point.",
               "INT8: an 8-bit multiply and a 32-bit integer add (the accumulator)."),
        takeaway="An order of magnitude per operation, on a 2014 process: why quantization pays when accuracy "
                 "survives it.",
    ),
    Exercise(
        name="sledgehammer_task",
        title="The smallest model that does the job",
        objective=OBJ_SMALL,
        kind="task",
        expected=_reference_design,
        grade=grade_design,
        hints=("rightsizing.evaluate_choice(width, bits, batch_size) gives its accuracy and its energy per query "
               "in joules.",
               "Try the smaller widths first: which is the smallest that meets the target?",
               "Then lower the precision while the accuracy holds, and use the largest batch allowed."),
        takeaway="Right-sized, quantized and batched: the same answers for a fraction of the energy.",
    ),
]
