"""Chapter 03 — digital chips: the exercises.

Learning objectives (as in the chapter notebook):

1. Compute the switching energy and dynamic power of CMOS logic, and explain why power grows faster than
   the clock when the voltage must rise with it (as f³ only where the voltage rises in proportion).
   Separately, explain why supply voltages stopped falling with each new process (the end of Dennard
   scaling).
2. Estimate a workload's energy from energies per operation and per byte moved, and show that moving
   data costs more than computing on it.
3. Use the roofline to find which bound (memory or compute) limits a kernel on a real GPU.
4. Quantify what lower-precision number formats save, and how far today's operations sit above the
   Landauer limit.
5. Turn interconnect bandwidth and energy per bit into watts, and check the article's "1.6 terabytes a
   second" against the published terabits.

Every expected value is computed here from :mod:`energylab.chips.digital`, :mod:`energylab.inference`,
:mod:`energylab.models` and :mod:`energylab.sources`. Numbers marked *course assumption* are the
exercises' own scenario.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .. import models
from ..chips import digital as dg
from ..sources import value as fact
from ..units import fmt, u
from .spec import Exercise, Misconception

OBJ_CMOS = "1 · switching energy and the power wall"
OBJ_MOVE = "2 · data movement vs arithmetic"
OBJ_ROOF = "3 · the roofline"
OBJ_LIMITS = "4 · number formats and Landauer"
OBJ_LINKS = "5 · interconnect watts"

# --- course assumptions of the scenarios ----------------------------------------------------------------
NODE_CAPACITANCE = 1e-15 * u.F      # switched capacitance of one logic node
SUPPLY = 0.8 * u.V                  # supply voltage
CLOCK_RATIO = 1.5                   # a 50 % faster clock, with the voltage rising in proportion (the f³ cartoon)
WORKLOAD_MACS = 1e9                 # FP32 multiply-accumulates of a small layer
WORKLOAD_DRAM_BYTES = 4e8           # bytes it reads from DRAM (each weight once, 4 bytes)
MODEL_PARAMS = 7e9                  # a 7 B model, one multiply-accumulate per parameter per token
LANDAUER_TEMPERATURE = 300 * u.K
TILE_N = 1024                       # the open task: C = A·B with N×N FP32 matrices
TILE_CACHE = 32 * 1024 * u.B        # the on-chip buffer the three tiles must share
TILE_TARGET = 0.05                  # data-movement energy at most this share of the untiled loop's


# --- scenarios ------------------------------------------------------------------------------------------

def switching(half: bool = True, squared: bool = True):
    """½·C·V² for the scenario's node; the variants are the slips (no ½; V instead of V², in number)."""
    energy = dg.switching_energy(NODE_CAPACITANCE, SUPPLY)
    if not half:
        energy = energy * 2
    if not squared:
        energy = energy / SUPPLY.magnitude
    return energy.to("fJ")


def clock_power_ratio(exponent: float = 3.0):
    return (CLOCK_RATIO ** exponent) * u.dimensionless


def workload(level_bytes=WORKLOAD_DRAM_BYTES, include_memory: bool = True):
    ops = {"fp32_mult": WORKLOAD_MACS, "fp32_add": WORKLOAD_MACS}
    moved = {"dram": level_bytes} if include_memory else {}
    return dg.workload_energy(ops, moved).total.to("mJ")


def dram_to_multiply(end: int = 0, per_byte: bool = False):
    """A 64-bit DRAM read at the low (0) or high (1) end of Horowitz's range ÷ an FP32 multiply."""
    dram = dg.memory_energy("dram", bits=8 * u.bit if per_byte else 64 * u.bit)[end]
    return (dram / dg.op_energy("mult", "fp32")).to("dimensionless")


def a100_ridge(precision: str = "bf16"):
    return dg.ridge_point(models.accelerator("A100"), precision).to("FLOP/B")


@lru_cache(maxsize=1)
def decode_bound() -> str:
    """Batch-1 decoding of a 7 B BF16 model on an H100: a matrix–vector product per layer."""
    point = dg.roofline(dg.matvec_intensity(4096, 4096, 2), models.accelerator("H100"), "bf16")
    return {"memory": "a", "compute": "b"}[point.bound]


def int8_saving(multiply_only: bool = False):
    """Energy per token saved by INT8 (32-bit accumulate) instead of FP32 MACs, 7 B parameters."""
    if multiply_only:
        per_mac = dg.op_energy("mult", "fp32") - dg.op_energy("mult", "int8")
    else:
        per_mac = dg.op_energy("mac", "fp32") - dg.op_energy("mac", "int8", accumulate="int32")
    return (per_mac * MODEL_PARAMS).to("mJ")


def landauer_orders(log=math.log10):
    ratio = (dg.op_energy("add", "int8") / dg.landauer_limit(LANDAUER_TEMPERATURE)).to("").magnitude
    return log(ratio) * u.dimensionless


def link_watts(terabytes: bool = False):
    """The largest photonic switch's total bandwidth at co-packaged optics' energy per bit."""
    rate = fact("nvidia_photonics_switch_total_bandwidth")
    if terabytes:
        rate = rate.magnitude * u.TB / u.s
    return dg.link_power(rate, fact("nvidia_cpo_energy_per_bit")).to("W")


# --- the open task: tiling a matrix multiply ----------------------------------------------------------

def tiled_traffic(tile: int, n: int = TILE_N, bytes_per_element: int = 4):
    """Bytes read from DRAM by C = A·B computed in square tiles of side ``tile``.

    Each of the (n / tile)² output tiles streams a row of tiles of A and a column of tiles of B
    (2·n·tile elements) and writes its tile of C once: 2·n³ / tile + n² elements (edge tiles, when
    ``tile`` does not divide n, are ignored in this estimate). ``tile = 1`` is the naive loop that reuses
    nothing.
    """
    return (2 * n ** 3 / tile + n ** 2) * bytes_per_element * u.B


def tile_fits(tile: int, bytes_per_element: int = 4) -> bool:
    return 3 * tile ** 2 * bytes_per_element * u.B <= TILE_CACHE


def tiled_energy(tile: int):
    return (tiled_traffic(tile) * dg.memory_energy("dram", bits=8 * u.bit)[0] / u.B).to("J")


def grade_tiling(answer):
    """A tile side (whole number) → correct if it fits the buffer and cuts DRAM energy below the target."""
    if hasattr(answer, "units") and answer.unitless:
        answer = answer.to("dimensionless").magnitude
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, np.integer)):
        if isinstance(answer, (float, np.floating)) and float(answer).is_integer():
            answer = int(answer)
        else:
            raise TypeError("Give the tile side as a whole number of elements, e.g. 16.")
    if not 1 <= answer <= TILE_N:
        raise ValueError(f"The tile side must be between 1 and the matrix size, {TILE_N}.")
    naive, mine = tiled_energy(1), tiled_energy(answer)
    share = (mine / naive).to("").magnitude
    buffer = 3 * answer ** 2 * 4 * u.B
    text = (f"Tile {answer}: three tiles take {fmt(buffer.to('KiB'), sig=3)} of the {fmt(TILE_CACHE.to('KiB'))} "
            f"buffer; DRAM energy {fmt(mine, 'mJ', sig=3)} = {share:.2%} of the naive loop's (target at most "
            f"{TILE_TARGET:.2%}).")
    if not tile_fits(answer):
        return "incorrect", text + " The tiles do not fit in the buffer: they would spill to DRAM.", "too_big"
    if share > TILE_TARGET:
        return "incorrect", text + " More reuse needed: a larger tile reads each element fewer times.", "too_small"
    return "correct", text, "met"


def _reference_tile() -> int:
    return max(t for t in range(1, TILE_N + 1) if tile_fits(t))


# --- the exercises --------------------------------------------------------------------------------------

EXERCISES = [
    Exercise(
        name="switching_energy",
        title="Energy of one switching event",
        objective=OBJ_CMOS,
        unit="fJ",
        expected=switching,
        misconceptions=(
            Misconception("That is C·V², a full charge–discharge cycle (two transitions). One transition "
                          "dissipates ½·C·V²: charging stores half the energy drawn and loses the other half.",
                          wrong=lambda: switching(half=False), code="forgot_half"),
            Misconception("The energy goes with the voltage squared, not the voltage.",
                          wrong=lambda: switching(squared=False), code="v_not_v2"),
            Misconception("The energy goes with the voltage squared, and with the ½.",
                          wrong=lambda: switching(half=False, squared=False), code="v_not_v2"),
        ),
        hints=("E = ½·C·V², with C in farads and V in volts gives joules.",
               "1 fF = 10⁻¹⁵ F; give the result in femtojoules (1 fJ = 10⁻¹⁵ J)."),
        takeaway="Tiny per event, but a chip switches billions of nodes billions of times a second.",
    ),
    Exercise(
        name="clock_power",
        title="A faster clock, when the voltage must follow",
        objective=OBJ_CMOS,
        unit="dimensionless",
        expected=clock_power_ratio,
        misconceptions=(
            Misconception("That is the frequency alone. To run faster the voltage must rise too, and power "
                          "goes with V²·f.", wrong=lambda: clock_power_ratio(1.0), code="linear"),
            Misconception("That counts the voltage (V²) but not the frequency itself: P = α·C·V²·f.",
                          wrong=lambda: clock_power_ratio(2.0), code="v2_only"),
            Misconception("That is the increase; the question asks for the factor (new ÷ old = 1 + increase).",
                          wrong=lambda: clock_power_ratio() - 1, code="increase_not_factor"),
            Misconception("You divided the other way round: the faster chip uses more power.",
                          inverted=True, code="inverted"),
        ),
        hints=("P = α·C·V²·f. If V rises in proportion to f, how does P grow?",
               "V ∝ f gives P ∝ f³."),
        takeaway="Half again the speed for more than three times the power, and the lesson's short-channel law is "
                 "steeper still above the voltage where V ∝ f: why clocks stopped rising.",
    ),
    Exercise(
        name="workload_energy",
        title="A layer's energy: arithmetic and DRAM",
        objective=OBJ_MOVE,
        unit="mJ",
        expected=workload,
        misconceptions=(
            Misconception("That is the arithmetic alone: the bytes read from DRAM cost energy too, and more.",
                          wrong=lambda: workload(include_memory=False), code="forgot_memory"),
            Misconception("Horowitz's DRAM figure is per 64-bit (8-byte) access: per byte it is an eighth.",
                          wrong=lambda: workload(level_bytes=WORKLOAD_DRAM_BYTES * 8), code="per_access_as_per_byte"),
            Misconception("You used the high end of the DRAM range; the question asks for the low end.",
                          wrong=lambda: workload(level_bytes=WORKLOAD_DRAM_BYTES * 2), code="high_end"),
        ),
        hints=("Energy = MACs × (multiply + add energy) + bytes × DRAM energy per byte.",
               "Use the low end of the DRAM range; per byte it is the 64-bit figure ÷ 8.",
               "chips.digital.workload_energy({'fp32_mult': n, 'fp32_add': n}, {'dram': bytes})."),
        takeaway="Even at DRAM's cheapest, reading the data costs more than computing on it.",
    ),
    Exercise(
        name="dram_vs_multiply",
        title="A DRAM read vs an FP32 multiply",
        objective=OBJ_MOVE,
        unit="dimensionless",
        expected=dram_to_multiply,
        misconceptions=(
            Misconception("You took the high end of the DRAM range; the question asks for the low end.",
                          wrong=lambda: dram_to_multiply(end=1), code="high_end"),
            Misconception("You compared per byte; the question compares a 64-bit DRAM read with one multiply.",
                          wrong=lambda: dram_to_multiply(per_byte=True), code="per_byte"),
            Misconception("You divided the other way round: how many multiplies' worth is one DRAM read?",
                          inverted=True, code="inverted"),
        ),
        hints=("Both energies are in the 45 nm table: a 64-bit DRAM read and a 32-bit FP multiply.",
               "Divide the read by the multiply; mind pJ vs nJ."),
        takeaway="Hundreds of multiplies for one trip to DRAM: keep data close to where it is used.",
    ),
    Exercise(
        name="a100_ridge",
        title="The ridge point of an A100",
        objective=OBJ_ROOF,
        unit="FLOP/B",
        expected=a100_ridge,
        misconceptions=(
            Misconception("That uses the peak with structured sparsity (twice the dense peak).",
                          wrong=lambda: a100_ridge() * 2, code="sparse_peak"),
            Misconception("Off by 8: the bandwidth is in bytes per second, not bits.", factor=8.0,
                          code="bits_bytes"),
            Misconception("Off by 8: the bandwidth is in bytes per second, not bits.", factor=1 / 8,
                          code="bits_bytes"),
            Misconception("That is bandwidth ÷ peak; the ridge is peak ÷ bandwidth.",
                          inverted=True, code="inverted"),
        ),
        hints=("Ridge point = peak FLOP/s ÷ memory bandwidth (B/s).",
               "Use the dense BF16 peak and the 80 GB card's bandwidth."),
        takeaway="A kernel needs this many FLOPs per byte to keep the A100's arithmetic busy.",
    ),
    Exercise(
        name="decode_bound",
        title="What limits batch-1 decoding?",
        objective=OBJ_ROOF,
        kind="choice",
        expected=decode_bound,
        choices={
            "a": "",
            "b": "Compare the arithmetic intensity of a matrix–vector product with the H100's ridge point.",
            "c": "The two bounds are equal only at the ridge point: where does a matrix–vector product sit?",
        },
        hints=("Compute the arithmetic intensity of a matrix–vector product with chips.digital.matvec_intensity.",
               "Compare it with the H100's ridge point."),
        takeaway="At batch 1 the GPU mostly waits for its memory: batching raises the intensity (chapter 02).",
    ),
    Exercise(
        name="int8_saving",
        title="What INT8 saves per token",
        objective=OBJ_LIMITS,
        unit="mJ",
        expected=int8_saving,
        misconceptions=(
            Misconception("That compares the multiplies only; each multiply-accumulate also adds (FP32 add vs "
                          "a 32-bit integer add).", wrong=lambda: int8_saving(multiply_only=True),
                          code="multiply_only"),
            Misconception("That is the INT8 energy per token; the question asks for the saving (FP32 − INT8).",
                          wrong=lambda: (dg.op_energy("mac", "int8", accumulate="int32") * MODEL_PARAMS).to("mJ"),
                          code="int8_not_saving"),
        ),
        hints=("One MAC per parameter per token.",
               "Saving per MAC = (FP32 multiply + FP32 add) − (INT8 multiply + 32-bit add)."),
        takeaway="Arithmetic energy per token falls by an order of magnitude; the bytes moved fall 4× too.",
    ),
    Exercise(
        name="landauer_orders",
        title="How far above the physical limit",
        objective=OBJ_LIMITS,
        unit="dimensionless",
        nature="log",
        expected=landauer_orders,
        rtol=0.005,
        misconceptions=(
            Misconception("That uses the natural logarithm; orders of magnitude are powers of ten (log₁₀).",
                          wrong=lambda: landauer_orders(math.log), code="natural_log"),
            Misconception("That is the ratio itself; the question asks for its order of magnitude (log₁₀).",
                          wrong=lambda: 10 ** landauer_orders().magnitude * u.dimensionless, code="ratio"),
            Misconception("The Landauer limit is k·T·ln 2 per bit, not k·T: the ln 2 is missing.",
                          wrong=lambda: landauer_orders() - math.log10(1 / math.log(2)), code="forgot_ln2"),
            Misconception("That uses log₂; orders of magnitude are powers of ten (log₁₀).",
                          wrong=lambda: landauer_orders(math.log2), code="log2"),
        ),
        hints=("Landauer: k·T·ln 2 per bit erased (chips.digital.landauer_limit).",
               "Orders of magnitude = log₁₀(energy of the add ÷ Landauer's energy)."),
        takeaway="About seven orders of magnitude: physics leaves vast room; engineering sets today's cost.",
    ),
    Exercise(
        name="link_watts",
        title="Watts for a photonic switch",
        objective=OBJ_LINKS,
        unit="W",
        expected=link_watts,
        misconceptions=(
            Misconception("That reads terabits as terabytes: a byte is 8 bits, so the power is 8× too large. "
                          "The article's '1.6 terabytes a second' is probably the same slip.",
                          wrong=lambda: link_watts(terabytes=True), code="terabytes"),
            Misconception("Off by 8: the energy is per bit and the rate is in bits per second; no bytes "
                          "are involved.", factor=1 / 8, code="bits_bytes"),
        ),
        hints=("Power = bits per second × energy per bit.",
               "Tb/s = 10¹² bit/s; pJ × 10¹² /s = W."),
        takeaway="Kilowatts for one switch, and a large cluster has many: networking is a real share of a "
                 "training cluster's power.",
    ),
    Exercise(
        name="tiling_task",
        title="Tile a matrix multiply",
        objective=OBJ_MOVE,
        kind="task",
        expected=_reference_tile,
        grade=grade_tiling,
        hints=("A tile of side b is reused b times before it leaves the buffer: DRAM traffic ≈ 2·N³/b.",
               "Three tiles (of A, B and C) must fit in the buffer together: 3·b²·4 bytes.",
               "Any tile large enough for the target that still fits will do."),
        takeaway="Same arithmetic, a fraction of the data movement: reuse is the cheapest energy saving.",
    ),
]
