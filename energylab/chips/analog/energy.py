"""Energy of an analog tile: cells, converters and periphery per matrix–vector product (MVM) and per MAC.

One MVM on a tile of R rows × C columns performs R·C multiply-accumulates (MACs, 2 operations each) and costs

    E_MVM = E_cells + C·E_ADC(B_adc) + R·E_DAC(B_dac) + C·E_periphery,
    E_cells = R·C·G_pair·V_read²·t_read·duty          (Joule heating of the devices while they are read),

so per MAC  E_cell + E_ADC/R + E_DAC/C + E_periphery/R: the converters' share falls as the array grows, and
ADC bits cost 2–4× per bit (:func:`~energylab.chips.analog.converters.adc_energy`). Those are the levers.

Course assumptions (stated in :data:`COURSE_ASSUMPTIONS`): a read voltage of 0.2 V, a full-scale read window
of 128 ns (8-bit pulse widths of 0.5 ns), a digital periphery of one 32-bit add and one 16-bit multiply per
column result (accumulate partial sums, apply the scale) at the 45 nm energies of Horowitz 2014 (chapter 03),
and DACs costing FOM_W·2^B. The published chips (:data:`PUBLISHED_CHIPS`) are each labelled with what
their figure counts: a macro (array and converters), a chip, a card or a system.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from ... import sources
from ...units import Q_, as_choice, as_fraction, as_quantity, as_whole
from ..digital.energy import memory_energy, op_energy
from .converters import (
    DEFAULT_SCHREIER_FOM,
    DEFAULT_WALDEN_FOM,
    _adc_joules,
    _dac_joules,
    _energy_bits,
    _schreier_db,
    _walden_joules,
)
from .pcm import pcm_model

__all__ = ["TileEnergy", "tile_energy", "digital_mac_energy", "PublishedChip", "published_chips", "SCOPES",
           "COURSE_ASSUMPTIONS", "V_READ", "T_READ"]

V_READ = Q_(0.2, "V")
T_READ = Q_(128, "ns")

COURSE_ASSUMPTIONS = MappingProxyType({
    "v_read": ("0.2 V", "Low enough not to disturb a PCM cell's state; published chips read at 0.1–0.3 V."),
    "t_read": ("128 ns full-scale read window",
               "8-bit pulse widths with a 0.5 ns step; amplitude inputs are integrated over the same window."),
    "periphery": ("one int32 add + one fp16 multiply per column result (Horowitz 2014, 45 nm)",
                  "Accumulating the partial sums of several tiles and applying the layer's scale; activation "
                  "functions, buffers and data movement between tiles are not counted (macro scope)."),
    "dac": ("E_DAC = FOM_W·2^B", "A DAC is charged as an ADC's low-resolution term; pulse-width row drivers "
            "are counters and cost less."),
    "g_pair": ("a quarter of g_max per weight (G⁺ + G⁻)", "Trained weights are mostly small and only one device of "
               "a pair conducts for each weight. Experiments pass the mapped network's own mean."),
})

SCOPES = {
    "macro": "the array and its converters only",
    "chip": "the whole chip: arrays, converters, digital units, on-chip memory and links",
    "card": "a module or card: chips plus power delivery, memory and interface",
    "system": "a whole system: host, memory and everything it needs to run a model",
}


@dataclass(frozen=True)
class TileEnergy:
    """Energy of one MVM on a tile, by part (quantities in pJ), and what it comes to per MAC."""
    rows: int
    cols: int
    cells: object
    adc: object
    dac: object
    periphery: object

    @property
    def total(self):
        return (self.cells + self.adc + self.dac + self.periphery).to("pJ")

    @property
    def macs(self) -> int:
        return self.rows * self.cols

    @property
    def per_mac(self):
        return (self.total / self.macs).to("fJ")

    @property
    def tops_per_w(self):
        """Operations per joule as chips quote them (2 operations per MAC), in TOPS/W."""
        return (2 * Q_(1, "op") / self.per_mac).to("TOPS/W")

    def shares(self) -> dict:
        """Fraction of the energy in each part."""
        total = self.total.magnitude
        return {part: float(getattr(self, part).to("pJ").magnitude / total)
                for part in ("cells", "adc", "dac", "periphery")}

    @property
    def converter_share(self) -> float:
        s = self.shares()
        return s["adc"] + s["dac"]


def tile_energy(rows: int = 256, cols: int = 256, *, adc_bits: int = 8, dac_bits: int = 8, g_pair=None,
                duty=0.5, v_read=V_READ, t_read=T_READ, fom_walden=DEFAULT_WALDEN_FOM,
                fom_schreier=DEFAULT_SCHREIER_FOM) -> TileEnergy:
    """Energy of one matrix–vector product on an analog tile, by part.

    Parameters
    ----------
    rows, cols : int
        Array size R × C (1–4096 each).
    adc_bits, dac_bits : int
        Converter resolutions (one ADC conversion per column, one DAC conversion per row, per MVM).
    g_pair : pint.Quantity, optional
        Mean conductance of the devices that hold one weight (G⁺ + G⁻, summed over bit slices), in S;
        default a quarter of the PCM model's g_max (25 µS).
    duty : float, optional
        Mean drive of a row as a fraction of full scale: the mean pulse width over t_read (pulse width),
        or the mean of (V/V_read)² (amplitude). Default 0.5.
    v_read, t_read : pint.Quantity, optional
        Read voltage (V) and full-scale read window (s); course assumptions 0.2 V and 128 ns.
    fom_walden : pint.Quantity or str, optional
        ADC/DAC Walden figure of merit, energy per step (default 1 fJ, the survey's best end).
    fom_schreier : float, optional
        ADC Schreier figure of merit in dB (default 185 dB).

    Returns
    -------
    TileEnergy
        ``cells``, ``adc``, ``dac``, ``periphery`` per MVM; ``per_mac``, ``tops_per_w``, ``shares()``.
    """
    r = as_whole(rows, "rows", minimum=1, maximum=4096, exact=True, what="rows")
    c = as_whole(cols, "cols", minimum=1, maximum=4096, exact=True, what="columns")
    g = Q_(pcm_model().g_max / 4, "S") if g_pair is None else as_quantity(g_pair, "S", "g_pair", nonnegative=True,
                                                                          allow_array=False)
    d = as_fraction(duty, "duty", allow_zero=True, what="a fraction of full-scale drive").magnitude
    v = as_quantity(v_read, "V", "v_read", positive=True, allow_array=False)
    t = as_quantity(t_read, "s", "t_read", positive=True, allow_array=False)
    parts = tile_joules(r, c, _energy_bits(adc_bits, "adc_bits"), _energy_bits(dac_bits, "dac_bits"), g.magnitude, d,
                        v.magnitude, t.magnitude, _walden_joules(fom_walden), _schreier_db(fom_schreier))
    cells, adc, dac, periphery = (Q_(parts[k], "J").to("pJ") for k in ("cells", "adc", "dac", "periphery"))
    return TileEnergy(r, c, cells, adc, dac, periphery)


@lru_cache(maxsize=1)
def _periphery_joules() -> float:
    return float((op_energy("add", "int32") + op_energy("mult", "fp16")).to("J").magnitude)


def tile_joules(rows: int, cols: int, adc_bits: int, dac_bits: int, g_pair: float, duty: float, v_read: float,
                t_read: float, fom_walden: float, fom_schreier: float) -> dict:
    """:func:`tile_energy`'s parts in J on checked plain numbers (S, V, s, J/step, dB), for simulations
    that evaluate many tiles; no validation."""
    return {"cells": rows * cols * g_pair * v_read ** 2 * t_read * duty,
            "adc": cols * float(_adc_joules(adc_bits, fom_walden, fom_schreier)),
            "dac": rows * float(_dac_joules(dac_bits, fom_walden)),
            "periphery": cols * _periphery_joules()}


def digital_mac_energy(weight_memory: str = "cache_8kb"):
    """Energy of one INT8 multiply-accumulate on a digital chip, with its weight read from on-chip SRAM.

    The baseline of chapter 03's tables (Horowitz 2014, 45 nm): an 8-bit multiply and a 32-bit add, plus
    reading the 8-bit weight from a cache of the given size (each weight is used once per inference at
    batch 1, so it is read once per MAC). Returns a quantity in pJ.
    """
    level = as_choice(weight_memory, "weight_memory", ("cache_8kb", "cache_32kb", "cache_1mb"))
    return (op_energy("fma", "int8", accumulate="int32") + memory_energy(level, 8)).to("pJ")


@dataclass(frozen=True)
class PublishedChip:
    """A published analog or charge-domain result: its efficiency and what the figure counts."""
    name: str
    tops_per_w: object
    scope: str
    fact_id: str
    how: str

    @property
    def status(self) -> str:
        return sources.get(self.fact_id).status

    def cite(self) -> str:
        return sources.get(self.fact_id).cite()


def published_chips() -> list[PublishedChip]:
    """The published efficiencies chapter 04 compares against, each with its scope and source.

    EN100's card figure is derived here from its two published numbers (200 TOPS at 8.25 W), which is why it
    differs from the vendor's claim of more than 40 TOPS/W.
    """
    v = sources.value
    card = (v("en100_int8_tops") / v("en100_card_power")).to("TOPS/W")
    return [
        PublishedChip("IBM PCM chip (Ambrogio et al. 2023)", v("ambrogio2023_tops_per_w"), "chip",
                      "ambrogio2023_tops_per_w", "chip-sustained, measured"),
        PublishedChip("IBM 64-core PCM chip, one-phase (Le Gallo et al. 2023)", v("legallo2023_tops_per_w_one_phase"),
                      "chip", "legallo2023_tops_per_w_one_phase", "8-bit-input MVM, measured"),
        PublishedChip("IBM 64-core PCM chip, four-phase (Le Gallo et al. 2023)",
                      v("legallo2023_tops_per_w_four_phase"), "chip", "legallo2023_tops_per_w_four_phase",
                      "8-bit-input MVM, more precise mode, measured"),
        PublishedChip("EnCharge EN100 card, 200 TOPS / 8.25 W", card, "card", "en100_card_power",
                      "derived from two vendor figures"),
        PublishedChip("EnCharge EN100, vendor claim", v("en100_claimed_tops_per_w"), "card",
                      "en100_claimed_tops_per_w", "vendor claim, scope not stated"),
        PublishedChip("EnCharge earlier figure", v("encharge_macro_tops_per_w"), "macro",
                      "encharge_macro_tops_per_w", "likely a macro figure"),
    ]
