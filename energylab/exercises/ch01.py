"""Chapter 01 — training and data: the exercises.

Learning objectives (as in the chapter notebook):

1. Estimate a model's training compute with C ≈ 6·N·D and explain where the 6 comes from.
2. Estimate training energy two ways — from hardware-time and from FLOPs at a utilisation — and turn it
   into emissions and an electricity bill.
3. Choose a compute-optimal model size and number of tokens for a budget, and read the fitted loss.
4. Measure, with real small experiments, how curated data changes the compute needed to reach a target.
5. Judge published training footprints by their assumptions (an architecture search in pounds,
   utilisation, PUE, grid).

Every expected value is computed here from :mod:`energylab.models`, :mod:`energylab.accounting`,
:mod:`energylab.experiments` and :mod:`energylab.sources`.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import accounting as acc
from .. import models
from ..sources import number as _count, value as fact
from ..units import fmt, u
from .spec import Count, Exercise, Misconception

OBJ_FLOPS = "1 · training compute (6ND)"
OBJ_ENERGY = "2 · training energy, emissions, cost"
OBJ_OPTIMAL = "3 · compute-optimal size"
OBJ_DATA = "4 · curated data"
OBJ_JUDGE = "5 · judging published footprints"


# --- scenarios -----------------------------------------------------------------------------------------

def gopher_flops(per_param_token: float = 6.0):
    """Training compute of Gopher (Rae et al. 2021) by the 6·N·D rule (or another constant)."""
    flops = models.training_flops(fact("gopher_parameters"), fact("gopher_tokens"))
    return flops * per_param_token / 6.0


def gpt3_hardware_energy(power_id: str = "gpt3_gpu_power"):
    """Patterson et al.'s GPT-3 row: accelerators × duration × power × PUE."""
    return models.training_energy_from_hardware(fact("gpt3_n_gpus"), fact("gpt3_training_days"),
                                                fact(power_id), fact("gpt3_pue"))


def gpt3_utilisation(peak_id: str = "v100_fp16_tensor_flops"):
    """The share of the V100s' peak that GPT-3's published compute and duration imply."""
    hours = fact("gpt3_training_days").to("h")
    return models.implied_utilisation(fact("gpt3_training_compute"), fact("gpt3_n_gpus"), hours,
                                      fact(peak_id)).to("percent")


def chinchilla_run_energy(utilisation=None, peak_id: str = "h100_sxm_bf16_dense_flops"):
    """Chinchilla's compute on H100s at PaLM's model FLOPs utilisation, in a Google-like data centre."""
    return models.training_energy_from_flops(
        fact("chinchilla_training_compute"), fact(peak_id),
        fact("palm_model_flops_utilisation") if utilisation is None else utilisation,
        fact("h100_sxm_power"), fact("google_fleet_pue"))


def gpt3_emissions_two_grids():
    energy = fact("gpt3_training_energy")
    return np.array([acc.emissions(energy, fact(i)).to("tCO2e").magnitude
                     for i in ("us_grid_intensity_patterson", "france_grid_intensity_bloom")]) * u.tCO2e


def gpt3_electricity_cost():
    return acc.cost(fact("gpt3_training_energy"), fact("us_industrial_electricity_price_2023"))


def gpt3_optimal(tokens_per_param=None):
    return models.chinchilla_optimal(fact("gpt3_training_compute"), tokens_per_param)


def loss_gap(fit: str = "hoffmann2022", other: str = "optimal"):
    """Fitted loss of GPT-3 as trained minus that of another allocation of the same compute."""
    n, d = fact("gpt3_parameters"), fact("gpt3_training_tokens")
    if other == "optimal":
        optimal = gpt3_optimal()
        n2, d2 = optimal.n_params, optimal.n_tokens
    else:  # ten times the parameters on a tenth of the tokens
        n2, d2 = 10 * n, d / 10
    return models.chinchilla_loss(n, d, fit=fit) - models.chinchilla_loss(n2, d2, fit=fit)


def strubell_ratio(pounds_as_kg: bool = False):
    """How many times Strubell et al.'s NAS estimate exceeds the emissions of the search as it ran."""
    estimate = fact("strubell_nas_emissions")
    if pounds_as_kg:
        estimate = estimate.magnitude * u.kgCO2e
    return (estimate / fact("evolved_transformer_nas_emissions")).to("dimensionless")


# --- the experiment-based exercises -------------------------------------------------------------------

CURATION_SEED = 2  # the lesson shows seed 0 and the mean over seeds; the exercise asks for another


@lru_cache(maxsize=1)
def _curation_run():
    from ..experiments import curation
    return curation.run(seed=CURATION_SEED)


def curation_saving(include_curation: bool = True):
    """FLOPs to reach the target: everything ÷ curated (curation's own FLOPs included by default)."""
    arms = _curation_run().arms
    curated = arms["curated"].flops_to_target - (0 if include_curation else arms["curated"].overhead_flops)
    return arms["everything"].flops_to_target / curated * u.dimensionless


TASK_SEED = 1                 # the task's corpus differs from the one the lesson's experiment shows
TASK_MIN_ACCURACY = 0.87      # clean-test accuracy to reach (training on everything gets about 0.85)
TASK_MAX_FLOPS_SHARE = 0.45   # training FLOPs allowed, as a share of training on the whole corpus
TASK_MIN_SAMPLES = 200        # fewer than this cannot teach six classes in twenty dimensions


@lru_cache(maxsize=1)
def _task_corpus():
    from ..experiments import curation
    return curation.make_corpus(seed=TASK_SEED)


def task_data():
    """The open exercise's corpus as a crawl gives it: features ``X`` and labels ``y`` (copies), no more."""
    corpus = _task_corpus()
    return corpus.X.copy(), corpus.y.copy()


@lru_cache(maxsize=1)
def task_budget() -> float:
    """Training FLOPs allowed: a share of what training on the whole corpus costs."""
    from ..experiments import curation
    corpus = _task_corpus()
    return TASK_MAX_FLOPS_SHARE * curation.train_selection(corpus, np.arange(corpus.y.size)).total_flops


def task_targets() -> str:
    """The two thresholds, as the statement prints them."""
    return (f"Targets: held-out accuracy at least {TASK_MIN_ACCURACY:.0%}, training at most "
            f"{task_budget() / 1e6:,.0f} MFLOP ({TASK_MAX_FLOPS_SHARE:.0%} of training on everything).")


def _indices(selection, n: int) -> np.ndarray:
    """A student's selection as sorted unique indices, or a plain-language error."""
    if isinstance(selection, (str, bytes, dict)) or selection is None or np.ndim(selection) != 1:
        raise TypeError("Give your selection as a list or array of sample indices, or as a True/False "
                        f"array with one entry per sample ({n}).")
    array = np.asarray(selection)
    if array.size == 0:
        raise ValueError("Your selection is empty: keep at least some samples.")
    if np.issubdtype(array.dtype, np.integer) and array.size == n and set(np.unique(array)) <= {0, 1}:
        array = array.astype(bool)  # a 0/1 mask, one entry per sample
    if array.dtype == bool:
        if array.size != n:
            raise ValueError(f"A True/False selection needs one entry per sample: {n}, not {array.size}.")
        array = np.flatnonzero(array)
    elif not np.issubdtype(array.dtype, np.integer):
        raise TypeError("Sample indices must be whole numbers (or give a True/False array).")
    if array.size == 0:
        raise ValueError("Your selection is empty: keep at least some samples.")
    if array.min() < 0 or array.max() >= n:
        raise ValueError(f"Sample indices must lie between 0 and {n - 1}.")
    return np.unique(array)


def grade_selection(selection):
    """Train on the chosen samples; correct if accurate enough within the FLOP budget."""
    from ..experiments import curation
    corpus = _task_corpus()
    keep = _indices(selection, corpus.y.size)
    if keep.size < TASK_MIN_SAMPLES:
        return ("incorrect", f"You kept {keep.size} samples: too few to learn six classes. Keep at least "
                f"{TASK_MIN_SAMPLES} and remove what misleads the model.", "too_few")
    arm = curation.train_selection(corpus, keep)
    budget = task_budget()
    accurate, cheap = arm.final_accuracy >= TASK_MIN_ACCURACY, arm.total_flops <= budget
    summary = (f"You kept {keep.size:,} of {corpus.y.size:,} samples: held-out accuracy "
               f"{arm.final_accuracy:.1%} (target {TASK_MIN_ACCURACY:.0%}) for {arm.total_flops / 1e6:,.1f} "
               f"MFLOP of training (limit {budget / 1e6:,.1f} MFLOP).")
    if accurate and cheap:
        return "correct", summary, "met"
    if cheap:
        return "incorrect", summary + " Within budget, but not accurate enough: what is still misleading " \
                                      "the model?", "below_accuracy"
    if accurate:
        return "incorrect", summary + " Accurate, but over budget: what else can go without losing " \
                                      "accuracy?", "over_budget"
    return "incorrect", summary + " Neither target is met yet.", "both"


def _reference_selection():
    """A selection that meets both targets: the lesson's curation pipeline, on X and y only."""
    from ..experiments import curation
    X, y = task_data()
    return curation.curate(X, y, seed=TASK_SEED).keep


# --- the exercises --------------------------------------------------------------------------------------

EXERCISES = [
    Exercise(
        name="gopher_flops",
        title="Training compute of Gopher",
        objective=OBJ_FLOPS,
        unit="FLOP",
        expected=gopher_flops,
        misconceptions=(
            Misconception("That is 2·N·D, the compute of a forward pass over the tokens (what inference "
                          "costs). Training also runs the backward pass, about twice the forward: 6·N·D.",
                          wrong=lambda: gopher_flops(2.0), code="used_2nd"),
            Misconception("That is N·D without the factor 6: each token costs about 6 FLOPs per parameter "
                          "in training (2 forward, 4 backward).", wrong=lambda: gopher_flops(1.0),
                          code="forgot_6"),
            Misconception("That is 4·N·D: the backward pass alone. Add the forward pass (2·N·D).",
                          wrong=lambda: gopher_flops(4.0), code="backward_only"),
        ),
        hints=("C ≈ 6 × parameters × training tokens.",
               "With pint: models.training_flops(n_params, n_tokens), or 6 * N * D with both as plain numbers.",
               "Check the exponent: billions × billions is 10¹⁸ × …"),
        takeaway=lambda: "That is {:.1f} times GPT-3's compute, for a model {:.1f} times larger.".format(
            (gopher_flops() / fact("gpt3_training_compute")).to("").magnitude,
            (fact("gopher_parameters") / fact("gpt3_parameters")).to("").magnitude),
    ),
    Exercise(
        name="gpt3_energy_hardware",
        title="GPT-3's training energy from hardware-time",
        objective=OBJ_ENERGY,
        unit="MWh",
        expected=gpt3_hardware_energy,
        rtol=0.005,
        pue=lambda: fact("gpt3_pue"),
        count=Count(lambda: _count("gpt3_n_gpus"), "GPU"),
        misconceptions=(
            Misconception("You used the V100's rated power (TDP) instead of the power Patterson et al. measured.",
                          wrong=lambda: gpt3_hardware_energy("v100_tdp"), code="tdp_not_measured"),
            Misconception("Two slips, it seems: the rated power (TDP) instead of the measured power, and the "
                          "PUE left out.", wrong=lambda: gpt3_hardware_energy("v100_tdp") / fact("gpt3_pue"),
                          code="tdp_and_pue_missing"),
        ),
        hints=("Energy = number of GPUs × duration × power per GPU × PUE.",
               "Use the measured power, and convert days to hours (× 24).",
               "models.training_energy_from_hardware(n, duration, power, pue) does it with units."),
        takeaway=lambda: f"Patterson et al. publish {fmt(fact('gpt3_training_energy'), sig=4)}; your hardware "
                         "route reproduces it.",
    ),
    Exercise(
        name="gpt3_utilisation",
        title="How busy were GPT-3's GPUs?",
        objective=OBJ_ENERGY,
        unit="percent",
        expected=gpt3_utilisation,
        misconceptions=(
            Misconception("You compared with the V100's FP32 peak. GPT-3 was trained in mixed precision on "
                          "the tensor cores: use the FP16 tensor peak.",
                          wrong=lambda: gpt3_utilisation("v100_fp32_flops"), code="fp32_peak"),
            Misconception("Off by 3,600: the duration must be in seconds to match FLOP per second.",
                          factor=3600.0, both_ways=True, code="hours_not_seconds"),
            Misconception("You divided by the peak of one GPU only: the work was shared by all of them.",
                          wrong=lambda: gpt3_utilisation() * _count("gpt3_n_gpus"), code="one_gpu"),
            Misconception("Off by 86,400, the seconds in a day: put the duration in seconds (pint does it if you "
                          "keep the units), and only once.", factor=86400.0, both_ways=True, code="days_not_seconds"),
            Misconception("You divided the other way round: utilisation = FLOPs done ÷ FLOPs possible, at most "
                          "100 %.", inverted=True,
                          code="inverted"),
        ),
        hints=("Utilisation = FLOPs done ÷ (FLOPs the hardware could have done in that time).",
               "Could have done = number of GPUs × peak FLOP/s × duration in seconds.",
               "models.implied_utilisation(flops, n_gpus, hours, peak) returns it as a fraction."),
        takeaway="Large training runs use under half of the chips' peak: communication, memory and "
                 "failures eat the rest, and the energy is paid all the same.",
    ),
    Exercise(
        name="chinchilla_energy",
        title="Training energy from FLOPs",
        objective=OBJ_ENERGY,
        unit="MWh",
        expected=chinchilla_run_energy,
        pue=lambda: fact("google_fleet_pue"),
        misconceptions=(
            Misconception("You left out the utilisation: chips do not run at their peak, so the same work "
                          "takes longer and costs more energy. Divide by the utilisation.",
                          wrong=lambda: chinchilla_run_energy(1.0), code="no_utilisation"),
            Misconception("You used the peak with structured sparsity (twice the dense peak). Dense "
                          "training runs at the dense peak.",
                          wrong=lambda: chinchilla_run_energy(peak_id="h100_sxm_bf16_sparse_flops"),
                          code="sparse_peak"),
            Misconception("You multiplied by the utilisation instead of dividing: a busier chip finishes "
                          "sooner and uses less energy.",
                          wrong=lambda: chinchilla_run_energy(1.0) * fact("palm_model_flops_utilisation").to(""),
                          code="utilisation_multiplied"),
            Misconception("You used the paper's detailed FLOP count; the statement gives the headline budget.",
                          wrong=lambda: chinchilla_run_energy() * (fact("chinchilla_training_compute_detailed")
                                                                   / fact("chinchilla_training_compute")),
                          code="detailed_compute"),
        ),
        hints=("Time on one chip = FLOPs ÷ (peak FLOP/s × utilisation). Energy = that time × power × PUE.",
               "The number of chips does not matter for the energy: more chips, shorter time.",
               "models.training_energy_from_flops(flops, peak, utilisation, power, pue)."),
        takeaway="The FLOP route needs a utilisation you rarely know; the hardware route needs a duration "
                 "and power you rarely get. Published estimates differ mostly in these assumptions.",
    ),
    Exercise(
        name="emissions_two_grids",
        title="The same training on two grids",
        objective=OBJ_ENERGY,
        unit="tCO2e",
        expected=gpt3_emissions_two_grids,
        shape=(2,),
        rtol=0.005,
        misconceptions=(
            Misconception("Right values, wrong order: first the US average, then France.",
                          wrong=lambda: gpt3_emissions_two_grids()[::-1], code="order"),
        ),
        hints=("Emissions = energy × carbon intensity, once for each grid.",
               "Mind the units: one intensity is in kg per kWh, the other in g per kWh. pint converts.",
               "Give [US, France] in tCO2e, as a list."),
        takeaway=lambda: f"The grid alone changes the footprint "
                         f"{float(np.divide(*gpt3_emissions_two_grids().magnitude)):.0f}-fold: where a model is "
                         "trained matters as much as how.",
    ),
    Exercise(
        name="gpt3_cost",
        title="GPT-3's electricity bill",
        objective=OBJ_ENERGY,
        unit="USD",
        expected=gpt3_electricity_cost,
        misconceptions=(
            Misconception("The price is in cents per kWh: 100 cents make a dollar.", factor=100.0,
                          code="cents_as_dollars"),
            Misconception("You multiplied MWh by cents per kWh: convert MWh to kWh (× 1,000) and cents to "
                          "dollars (÷ 100).", factor=0.1, code="mwh_times_cents"),
        ),
        hints=("Cost = energy × price.", "Convert MWh to kWh, and cents to dollars."),
        takeaway="Electricity is a small part of what training costs: the chips, their depreciation and the "
                 "people cost far more (chapter 07).",
    ),
    Exercise(
        name="optimal_params",
        title="A compute-optimal size for GPT-3's budget",
        objective=OBJ_OPTIMAL,
        unit="param",
        expected=lambda: gpt3_optimal().n_params,
        misconceptions=(
            Misconception("That is the number of tokens, not parameters: D = 20 × N.",
                          wrong=lambda: gpt3_optimal().n_tokens.magnitude * u.param, code="tokens_not_params"),
            Misconception("That assumes as many tokens as parameters. The compute-optimal ratio is about 20 "
                          "tokens per parameter.", wrong=lambda: gpt3_optimal(1).n_params, code="one_token_per_param"),
            Misconception("You dropped the 6 of C = 6·N·D: with D = 20·N, C = 120·N².",
                          wrong=lambda: gpt3_optimal().n_params * 6 ** 0.5, code="forgot_6"),
            Misconception("You used C = 2·N·D, the inference rule. Training costs 6·N·D: C = 120·N².",
                          wrong=lambda: gpt3_optimal().n_params * 3 ** 0.5, code="used_2nd"),
        ),
        hints=("Two equations: C = 6·N·D and D = 20·N.",
               "Substitute: C = 120·N², so N = √(C / 120).",
               "models.chinchilla_optimal(compute) returns both N and D."),
        takeaway=lambda: "About {:.0f} % of GPT-3's size, trained on about {:.0f}× its tokens.".format(
            (gpt3_optimal().n_params / fact("gpt3_parameters")).to("percent").magnitude,
            (gpt3_optimal().n_tokens / fact("gpt3_training_tokens")).to("").magnitude),
    ),
    Exercise(
        name="loss_gap",
        title="What a better allocation buys",
        objective=OBJ_OPTIMAL,
        unit="dimensionless",
        expected=lambda: loss_gap(),
        rtol=0.01,
        misconceptions=(
            Misconception("You used Besiroglu et al.'s refit; the statement asks for Hoffmann et al.'s "
                          "constants (the default fit).", wrong=lambda: loss_gap("besiroglu2024"), code="other_fit"),
            Misconception("You compared with ten times the parameters on a tenth of the tokens, not with the "
                          "compute-optimal model.", wrong=lambda: loss_gap(other="ten_times"), code="wrong_model"),
        ),
        hints=("Compute the fitted loss L(N, D) of both allocations with models.chinchilla_loss.",
               "The compute-optimal allocation comes from models.chinchilla_optimal(GPT-3's compute).",
               "Gap = L(GPT-3 as trained) − L(compute-optimal): positive if GPT-3 was not optimal."),
        takeaway="Same compute, same energy, lower loss: choosing the size well is an efficiency gain.",
    ),
    Exercise(
        name="curation_saving",
        title="What curation saves",
        objective=OBJ_DATA,
        unit="dimensionless",
        expected=curation_saving,
        rtol=0.01,
        misconceptions=(
            Misconception("You left out the compute spent on curating (the proxy model and the scoring). "
                          "It belongs to the curated run's bill.",
                          wrong=lambda: curation_saving(include_curation=False), code="curation_free"),
            Misconception("You divided the other way round: the saving is everything ÷ curated, more than "
                          "1 when curation helps.", inverted=True, code="inverted"),
            Misconception("That is the fraction of FLOPs saved (1 − curated ÷ everything). The question asks "
                          "for the ratio everything ÷ curated.", wrong=lambda: 1 - 1 / curation_saving(),
                          code="fraction_saved"),
        ),
        hints=("From the experiment's result, take the FLOPs each arm needed to reach the target accuracy.",
               "For the curated arm add the FLOPs of curation itself.",
               "Saving = FLOPs(everything) ÷ FLOPs(curated, including curation)."),
        takeaway="At this target a cheap filter pays for itself several times over; at a low target, "
                 "training on everything gets there first (the lesson shows where the verdict turns).",
    ),
    Exercise(
        name="curation_task",
        title="Curate a corpus yourself",
        objective=OBJ_DATA,
        kind="task",
        expected=_reference_selection,
        grade=grade_selection,
        hints=("Look at the data first: how many samples are exact or near copies of others? Are some far "
               "from all the rest?",
               "Removing near-duplicates cuts the FLOPs (on its own it does not raise the accuracy); removing "
               "samples far from all the others removes off-task noise.",
               "A quick model trained on the data can flag samples whose label it confidently disagrees with."),
        takeaway="You traded a little compute on curation for a large saving in training: the data's quality "
                 "bought the accuracy, not more FLOPs.",
    ),
    Exercise(
        name="strubell_ratio",
        title="The 'five cars' estimate vs the search as run",
        objective=OBJ_JUDGE,
        unit="dimensionless",
        expected=strubell_ratio,
        misconceptions=(
            Misconception("You read Strubell's pounds as kilograms. 1 lb = 0.454 kg: convert before you "
                          "compare.", wrong=lambda: strubell_ratio(pounds_as_kg=True), code="pounds_as_kg"),
            Misconception("You compared pounds directly with tonnes: convert both to the same unit.",
                          wrong=lambda: (fact("strubell_nas_emissions").magnitude
                                         / fact("evolved_transformer_nas_emissions").magnitude) * u.dimensionless,
                          code="pounds_vs_tonnes"),
            Misconception("You divided the other way round: the question asks how many times larger the "
                          "estimate is.", inverted=True, code="inverted"),
        ),
        hints=("Put both emissions in the same unit (tCO2e) before dividing.",
               "With pint: (strubell / actual).to('dimensionless')."),
        takeaway="An estimate built on older hardware, an average grid and a worst-case search can be "
                 "nearly a hundred times the footprint of the search as actually run.",
    ),
]
