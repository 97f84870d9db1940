"""Chapter 04 — analog in-memory computing: the exercises.

Learning objectives (as in the chapter notebook):

1. Compute a crossbar's column current from conductances and voltages (Ohm's and Kirchhoff's laws), with
   signed weights on differential pairs.
2. Quantify what devices do to the stored weights: programming noise, drift over time and its
   compensation, and the IR drop along a line.
3. Estimate a tile's energy per MAC from its cells and converters, and explain why ADC bits and array size
   are the levers.
4. Read a published TOPS/W figure: what it counts (macro, chip, card, system) and how it compares with digital.
5. Choose tile size, ADC bits and drift compensation so a trained network meets an accuracy target a month
   after programming at the least energy per inference.

Every expected value is computed here from :mod:`energylab.chips.analog`, :mod:`energylab.experiments` and
:mod:`energylab.sources`. Numbers marked *course assumption* are the exercises' own scenario.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..chips import analog
from ..sources import value as fact
from ..units import Q_, u
from .spec import Exercise, Misconception

OBJ_CROSSBAR = "1 · the crossbar product"
OBJ_DEVICES = "2 · noise, drift and IR drop"
OBJ_ENERGY = "3 · energy per MAC"
OBJ_FIGURES = "4 · reading TOPS/W"
OBJ_DESIGN = "5 · a design that meets a target"

# --- course assumptions of the scenarios ----------------------------------------------------------------
G_PLUS = np.array([20.0, 5.0, 10.0]) * u.uS       # one column's G⁺ devices
G_MINUS = np.array([2.0, 15.0, 0.0]) * u.uS       # and its G⁻ devices
ROW_VOLTS = np.array([0.20, 0.10, 0.15]) * u.V    # the three row voltages
WEIGHT = 0.3                                      # one weight of a layer …
LAYER_MAX = 1.2                                   # … whose largest |weight| is this
DRIFT_NU = 0.05                                   # drift exponent of a PCM device
DRIFT_TIME = 30 * u.day                           # read a month after programming
LINE_ROWS = 256                                   # devices along one row wire
LINE_R = 0.1 * u.ohm                              # wire resistance between neighbouring devices
LINE_G = 25 * u.uS                                # every device at g_max
ADC_LEVEL_BITS = 6
ADC_FROM, ADC_TO = 8, 10                          # ADC bits before and after an upgrade
TILE_SIDE = 128                                   # a square tile
TILE_ADC_BITS = 8
TILE_FOM = 50 * u.fJ                              # its converters' Walden figure of merit (a small column ADC)
DESIGN_TIME = "1 month"                           # the open task: read a month after programming …
DESIGN_TARGET = 0.92                              # … with at least this validation accuracy …
DESIGN_SLACK = 1.1                               # … for at most this × the least energy that meets it
DESIGN_ROWS = (16, 32, 64)
DESIGN_ADC_BITS = (3, 4, 5, 6, 8)


# --- scenarios ------------------------------------------------------------------------------------------

def column_current(pair: str = "difference"):
    """I = Σ (G⁺ − G⁻)·V; the variants are the slips (G⁺ alone, G⁺ + G⁻)."""
    g = {"difference": G_PLUS - G_MINUS, "plus_only": G_PLUS, "sum": G_PLUS + G_MINUS}[pair]
    return (g * ROW_VOLTS).sum().to("uA")


def summed_voltages():
    """The slip of adding the row voltages and multiplying by the column's total conductance."""
    return ((G_PLUS - G_MINUS).sum() * ROW_VOLTS.sum()).to("uA")


def pair_conductance(inverted: bool = False):
    """G⁺ of a positive weight: w / max|W| × (g_max − g_min), g_min = 0."""
    g_max = fact("pcm_g_max")
    ratio = LAYER_MAX / WEIGHT if inverted else WEIGHT / LAYER_MAX
    return (ratio * g_max).to("uS")


def drift_left(t_unit: str = "s", with_t0: bool = True, lost: bool = False):
    """G(t)/G(t0) = (t/t0)^−ν with t0 = 20 s (both in seconds); ``lost`` gives 1 − that."""
    t0 = fact("pcm_drift_t0").to("s").magnitude
    t = DRIFT_TIME.to(t_unit).magnitude
    left = (t / t0) ** -DRIFT_NU if with_t0 else t ** -DRIFT_NU
    return Q_(1 - left if lost else left, "dimensionless")


def far_end_drop(exponent: int = 2, half: bool = True):
    """r·G·N²/2: the relative voltage lost at the far end of a line (small-drop estimate)."""
    rg = (LINE_R * LINE_G).to("").magnitude
    n = LINE_ROWS
    value = rg * n ** exponent * (0.5 if half else 1.0)
    return Q_(value, "dimensionless")


def far_end_drop_exact_count():
    return Q_(analog.far_end_error_estimate(LINE_G, LINE_R, LINE_ROWS), "dimensionless")


def far_end_drop_ladder():
    """The exact ladder solution (not the estimate the question asks for)."""
    volts, _ = analog.ir_drop_line(np.full(LINE_ROWS, LINE_G.to("S").magnitude), LINE_R)
    return Q_(1 - float(volts.magnitude[-1]), "dimensionless")


def adc_levels():
    return Q_(2 ** ADC_LEVEL_BITS, "dimensionless")


def adc_ratio():
    """E(10 bits) / E(8 bits) with the course's converter model (Walden + Schreier)."""
    return (analog.adc_energy(ADC_TO) / analog.adc_energy(ADC_FROM)).to("dimensionless")


@lru_cache(maxsize=1)
def _tile():
    return analog.tile_energy(TILE_SIDE, TILE_SIDE, adc_bits=TILE_ADC_BITS, fom_walden=TILE_FOM)


def tile_mvm_energy():
    return _tile().total.to("pJ")


def energy_per_mac(divide_by: str = "macs", default_fom: bool = False):
    total = (analog.tile_energy(TILE_SIDE, TILE_SIDE, adc_bits=TILE_ADC_BITS).total if default_fom
             else _tile().total)
    n = {"macs": TILE_SIDE ** 2, "rows": TILE_SIDE, "ops": 2 * TILE_SIDE ** 2}[divide_by]
    return (total / n).to("fJ")


def tops_per_watt(ops_per_mac: int = 2):
    return (ops_per_mac * Q_(1, "op") / energy_per_mac()).to("TOPS/W")


def en100_card(which: str = "derived"):
    if which == "derived":
        return (fact("en100_int8_tops") / fact("en100_card_power")).to("TOPS/W")
    return fact({"claim": "en100_claimed_tops_per_w", "macro": "encharge_macro_tops_per_w"}[which]).to("TOPS/W")


def figure_scope():
    return "a"


# --- the open task: a design a month after programming ----------------------------------------------------

@lru_cache(maxsize=1)
def _design_model():
    """The network the task deploys (seed 0, noise-aware training at the experiment's middle level)."""
    from ..experiments import analog as experiment
    data = experiment.digits_split(0)
    return experiment.train_network(data, 0, weight_noise=experiment.NOISE_LEVELS[1]), data


@lru_cache(maxsize=64)
def design_outcome(rows: int, adc_bits: int, compensate: bool):
    """(validation accuracy, energy per inference in pJ) of one design, a month after programming."""
    from ..experiments.analog import CALIBRATION_SAMPLES
    from ..experiments.analog_deployment import TIMES, AnalogSettings, deploy
    model, data = _design_model()
    chip = deploy(model, AnalogSettings(rows=rows, adc_bits=adc_bits, compensate=compensate),
                  data.X_train[:CALIBRATION_SAMPLES], seed=7)
    return (chip.accuracy(data.X_val, data.y_val, TIMES[DESIGN_TIME]),
            float(chip.energy_per_inference(data.X_val).to("pJ").magnitude))


@lru_cache(maxsize=1)
def _best_design():
    feasible = [(design_outcome(r, b, c)[1], r, b, c) for r in DESIGN_ROWS for b in DESIGN_ADC_BITS
                for c in (True, False) if design_outcome(r, b, c)[0] >= DESIGN_TARGET]
    return min(feasible)


def _reference_design() -> dict:
    _, rows, bits, comp = _best_design()
    return {"rows": rows, "adc_bits": bits, "compensate": comp}


def grade_tile_design(answer):
    """A dict {rows, adc_bits, compensate} → correct if it meets the target within the energy allowance."""
    if not isinstance(answer, dict) or set(answer) != {"rows", "adc_bits", "compensate"}:
        raise TypeError('Give a dict with three keys, e.g. {"rows": 64, "adc_bits": 6, "compensate": True}.')
    rows, bits, comp = answer["rows"], answer["adc_bits"], answer["compensate"]
    if rows not in DESIGN_ROWS or isinstance(rows, bool):
        raise ValueError(f"rows must be one of {DESIGN_ROWS}.")
    if bits not in DESIGN_ADC_BITS or isinstance(bits, bool):
        raise ValueError(f"adc_bits must be one of {DESIGN_ADC_BITS}.")
    if not isinstance(comp, (bool, np.bool_)):
        raise TypeError("compensate must be True or False.")
    rows, bits, comp = int(rows), int(bits), bool(comp)
    accuracy, energy = design_outcome(rows, bits, comp)
    best = _best_design()[0]
    text = (f"{rows}-row tiles, {bits}-bit ADCs, compensation {'on' if comp else 'off'}: validation accuracy "
            f"{accuracy:.1%} {DESIGN_TIME} after programming (target {DESIGN_TARGET:.0%}), "
            f"{energy:.0f} pJ per inference.")
    if accuracy < DESIGN_TARGET:
        levers = "more ADC bits" + ("" if comp else " or drift compensation")
        return "incorrect", text + f" Below the target: {levers} would help.", "below"
    if energy > DESIGN_SLACK * best:
        levers = [lever for lever, applies in (("fewer ADC bits", bits > min(DESIGN_ADC_BITS)),
                                               ("larger tiles", rows < max(DESIGN_ROWS))) if applies]
        return ("incorrect", text + f" It meets the target but spends more than {DESIGN_SLACK:g}× the least energy "
                f"a design here needs: {' or '.join(levers)} would cost less.", "wasteful")
    return "correct", text, "met"


# --- the exercises --------------------------------------------------------------------------------------

EXERCISES = [
    Exercise(
        name="column_current",
        title="One column's current",
        objective=OBJ_CROSSBAR,
        unit="uA",
        expected=column_current,
        nature="",
        misconceptions=(
            Misconception("That uses only the G⁺ devices: each weight is a differential pair, W ∝ G⁺ − G⁻, and the "
                          "column of G⁻ devices is subtracted.", wrong=lambda: column_current("plus_only"),
                          code="forgot_pair"),
            Misconception("That adds the two devices of each pair; the weight is their difference, G⁺ − G⁻.",
                          wrong=lambda: column_current("sum"), code="pair_added"),
            Misconception("That adds the row voltages and multiplies by the column's total conductance. The rows are "
                          "not in series: each device passes its own current G·V, and the column adds the currents "
                          "(Kirchhoff's current law).", wrong=summed_voltages, code="summed_voltages"),
        ),
        hints=("Ohm's law per device: I = G·V; Kirchhoff: the column adds its devices' currents.",
               "A signed weight is a pair: I = Σᵢ (G⁺ᵢ − G⁻ᵢ)·Vᵢ.",
               "µS × V = µA."),
        takeaway="One wire adds the products for free: the multiply-accumulate happens where the weights are.",
    ),
    Exercise(
        name="pair_conductance",
        title="A weight as a conductance",
        objective=OBJ_CROSSBAR,
        unit="uS",
        expected=pair_conductance,
        misconceptions=(
            Misconception.inverse("That is max|W| / w times g_max: the largest weight maps to g_max, so a weight "
                                  "maps to (w / max|W|)·g_max.", code="scale_inverted"),
        ),
        hints=("The layer's largest |weight| maps to g_max (the PCM model's 25 µS); zero maps to g_min = 0.",
               "G⁺ = (w / max|W|)·g_max for a positive weight, and G⁻ stays at g_min."),
        takeaway="The mapping scale is set by the largest weight: one outlier squeezes every other weight into "
                 "a few µS, closer to the noise.",
    ),
    Exercise(
        name="drift_left",
        title="What is left after a month",
        objective=OBJ_DEVICES,
        unit="dimensionless",
        nature="fraction",
        expected=drift_left,
        misconceptions=(
            Misconception("That mixes units: t in days with t₀ in seconds. Put both in seconds (t₀ = 20 s).",
                          wrong=lambda: drift_left("day"), code="days_not_seconds"),
            Misconception("That is t^−ν without t₀: drift is measured from the first read, G(t) = G(t₀)·(t/t₀)^−ν.",
                          wrong=lambda: drift_left(with_t0=False), code="forgot_t0"),
            Misconception("That mixes units: t in hours with t₀ in seconds. Put both in seconds (t₀ = 20 s).",
                          wrong=lambda: drift_left("hour"), code="hours_not_seconds"),
            Misconception("That is the fraction lost; the question asks for the fraction left, (t/t₀)^−ν.",
                          wrong=lambda: drift_left(lost=True), code="fraction_lost"),
        ),
        hints=("G(t)/G(t₀) = (t/t₀)^−ν with t₀ = 20 s.",
               "A month here is 30 days; in seconds that is 30 × 86,400 s."),
        takeaway="About half the conductance is gone in a month, for every device at a slightly different rate: "
                 "one gain restores the average, not the spread.",
    ),
    Exercise(
        name="far_end_drop",
        title="IR drop at the end of a line",
        objective=OBJ_DEVICES,
        unit="percent",
        nature="fraction",
        expected=far_end_drop,
        also_accepted=(far_end_drop_exact_count,),
        misconceptions=(
            Misconception("That grows only in proportion to N: the current in a wire segment is the sum of all the "
                          "devices beyond it, so the loss grows as N², not N.", wrong=lambda: far_end_drop(1),
                          code="linear_in_n"),
            Misconception("That is r·G·N²; the sum of the currents along the line gives r·G·N²/2.",
                          wrong=lambda: far_end_drop(half=False), code="forgot_half"),
            Misconception("That is the exact ladder solution (analog.ir_drop_line); the question asks for the "
                          "small-drop estimate r·G·N²/2, which overshoots at this length: compare the two.",
                          wrong=far_end_drop_ladder, code="ladder_not_estimate"),
        ),
        hints=("Segment j carries the current of the N − j + 1 devices beyond it.",
               "Summing the segments' drops: r·G·N(N + 1)/2 ≈ r·G·N²/2 of V_in."),
        takeaway="The loss grows with the square of the line: double the rows, four times the error. Arrays stay "
                 "at a few hundred rows.",
    ),
    Exercise(
        name="adc_levels",
        title="Bits vs levels",
        objective=OBJ_ENERGY,
        unit="dimensionless",
        nature="count",
        expected=adc_levels,
        rtol=0.001,        # a count: exact
        misconceptions=(
            Misconception("That is the number of bits; an ADC of B bits distinguishes 2^B levels.", factor=6 / 64,
                          code="bits_not_levels"),
            Misconception("That is the number of steps between the levels, 2^B − 1; the question asks for the "
                          "levels, 2^B.", factor=63 / 64, code="steps_not_levels"),
        ),
        hints=("Each bit doubles the number of output codes.",),
        takeaway="Levels double with every bit, and so does the converter's energy at least.",
    ),
    Exercise(
        name="adc_energy_ratio",
        title="Two more ADC bits",
        objective=OBJ_ENERGY,
        unit="dimensionless",
        expected=adc_ratio,
        misconceptions=(
            Misconception("That scales with the bits (10/8); a converter's energy grows with its levels, 2× to 4× "
                          "per bit.", factor=float(1.25 / adc_ratio().magnitude), code="bits_linear"),
            Misconception("That is 2² = 4, the low-resolution (Walden) term alone; at 10 bits the thermal-noise "
                          "term (4× per bit) has started to count. Use analog.adc_energy.",
                          factor=float(4 / adc_ratio().magnitude), code="walden_only"),
            Misconception.inverse("That is E(8 bits)/E(10 bits), the ratio the other way round.", code="inverted"),
        ),
        hints=("analog.adc_energy(bits) gives the energy of one conversion with the course's figures of merit.",),
        takeaway="Two more bits cost about five times the energy per conversion: bits are the strongest lever "
                 "on a tile's converters.",
    ),
    Exercise(
        name="energy_per_mac",
        title="Per MVM or per MAC?",
        objective=OBJ_ENERGY,
        unit="fJ",
        expected=energy_per_mac,
        misconceptions=(
            Misconception("That divides by the rows only: one MVM on an R × C tile performs R·C multiply-"
                          "accumulates.", wrong=lambda: energy_per_mac("rows"), code="per_column"),
            Misconception("That divides by the operations (2 per MAC); the question asks per MAC.",
                          wrong=lambda: energy_per_mac("ops"), code="per_op"),
            Misconception("That is the energy of the whole MVM; divide by the MACs it performs.",
                          wrong=tile_mvm_energy, code="per_mvm"),
            Misconception("That uses analog.tile_energy's default converter figure of merit (1 fJ per step); the "
                          "question gives the tile's own (pass fom_walden=…).",
                          wrong=lambda: energy_per_mac(default_fom=True), code="default_fom"),
        ),
        hints=("analog.tile_energy(rows, cols, adc_bits=…, fom_walden=…).total is one MVM's energy.",
               "One MVM = rows × columns MACs."),
        takeaway="Per MAC, the converters' share falls as the tile grows: their cost is spread over more "
                 "products.",
    ),
    Exercise(
        name="tops_per_watt",
        title="From femtojoules to TOPS/W",
        objective=OBJ_FIGURES,
        unit="TOPS/W",
        expected=tops_per_watt,
        misconceptions=(
            Misconception("That counts one operation per MAC; chips count a multiply and an add, 2 per MAC.",
                          wrong=lambda: tops_per_watt(1), code="one_op_per_mac"),
            Misconception.inverse("That is picojoules per operation, the inverse of TOPS/W (operations per "
                                  "picojoule).", code="inverted"),
        ),
        hints=("TOPS/W = operations per joule / 10¹²; 1 TOPS/W = 1 operation per pJ.",
               "2 operations per MAC."),
        takeaway="TOPS/W is operations per joule: the inverse of energy per operation, whatever the throughput.",
    ),
    Exercise(
        name="en100_card",
        title="EN100: claim vs card",
        objective=OBJ_FIGURES,
        unit="TOPS/W",
        expected=en100_card,
        misconceptions=(
            Misconception("That is the vendor's claim, not what the card's own two figures give (its INT8 TOPS "
                          "divided by its watts).", wrong=lambda: en100_card("claim"), code="used_claim"),
            Misconception("That is EnCharge's earlier 150 TOPS/W figure, likely a compute macro, not the card.",
                          wrong=lambda: en100_card("macro"), code="macro_figure"),
            Misconception.inverse("That is watts per TOPS (energy per operation); efficiency is TOPS ÷ W.",
                                  code="inverted"),
        ),
        hints=("Efficiency = throughput / power: TOPS ÷ W.",),
        takeaway="The card's own published figures give well below the claimed efficiency. Scope (macro, chip, "
                 "card, system) changes the number several-fold.",
    ),
    Exercise(
        name="figure_scope",
        title="What does 150 TOPS/W count?",
        objective=OBJ_FIGURES,
        unit="",
        kind="choice",
        expected=figure_scope,
        choices={
            "a": "",
            "b": "A chip figure would include its digital units and on-chip memory; compare with the IBM chips' "
                 "2.5–12.4 TOPS/W.",
            "c": "The card's own figures (200 TOPS at 8.25 W) give about 24 TOPS/W, far below 150.",
            "d": "A system figure includes the host and memory: it would be lower still than the card's.",
        },
        hints=("Compare 150 TOPS/W with the chip and card figures of section 3.",),
        takeaway="The larger the efficiency, the smaller the part of the system it usually counts.",
    ),
    Exercise(
        name="design_task",
        title="A tile design that lasts a month",
        objective=OBJ_DESIGN,
        unit="",
        kind="task",
        expected=_reference_design,
        grade=grade_tile_design,
        hints=("Try designs with analog_deployment (or the explorer) and compare validation accuracy a month "
               "after programming.",
               "Compensation costs almost nothing per inference; ADC bits and tile rows set the energy.",
               "Several designs pass: the cheapest that meets the target, or one close to it."),
        takeaway="Accuracy and energy are chosen together: the cheapest design that meets the target is not the "
                 "most precise one.",
    ),
]
