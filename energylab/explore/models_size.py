"""The smallest model that does the job: accuracy against energy per query on a grid of sizes and precisions.

:class:`ModelSizeExplorer` is built on the right-sizing experiment of chapter 02
(:mod:`energylab.experiments.rightsizing`): a family of networks of seven widths, trained once (seed
``GRID_SEED``), each run in full precision or with 8-, 4- or 2-bit weights
(:mod:`energylab.experiments.quantization`). The figure places all 28 choices by held-out accuracy and
energy per query (multiply–accumulates at Horowitz's 45 nm energies plus reading the weights from DRAM
once per batch), marks the current choice and draws the accuracy target. Networks this small would fit in
an on-chip cache, where a read costs far less than from DRAM, so the memory part is an upper end: it is
what weights cost when they must come from DRAM, as a large model's do::

    from energylab.explore import ModelSizeExplorer
    ModelSizeExplorer()                           # last line of a cell: controls + figure
    ModelSizeExplorer(width=16, bits=8).result    # the numbers, without the figure

**Precomputed, not trained on every move.** The first explorer of a session trains the grid's family
once (a fraction of a second, :func:`energylab.experiments.rightsizing.evaluate_choice`); every later
change only looks up cached accuracies and recomputes the energies.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..plotting import rounded as _num  # three significant figures, no exponent
from .base import Choice, Explorer, LogSlider, Slider, SourcedControls

__all__ = ["ModelSizeExplorer", "BIT_NAMES", "grid"]

#: Names of the precisions of the grid (32 means fp32).
BIT_NAMES = {32: "fp32", 8: "int8", 4: "int4", 2: "int2"}
#: Largest batch offered.
MAX_BATCH = 1024


def _rightsizing():
    from ..experiments import rightsizing
    return rightsizing


@lru_cache(maxsize=2048)
def _choice(width: int, bits: int, batch: int):
    """:func:`energylab.experiments.rightsizing.evaluate_choice`, cached (a ModelChoice is immutable)."""
    return _rightsizing().evaluate_choice(width, bits, batch)


@lru_cache(maxsize=256)
def grid(batch: int) -> dict:
    """Every (width, bits) of the grid at one batch size, as read-only arrays.

    Returns
    -------
    dict
        ``width``, ``bits`` (ints), ``accuracy`` (fraction), ``energy_nj`` (nJ per query),
        ``compute_nj`` and ``memory_nj`` (its two parts), one entry per choice, widths outer, bits inner.
    """
    r = _rightsizing()
    choices = [_choice(w, b, batch) for w in r.WIDTHS for b in r.GRID_BITS]
    out = {"width": np.array([c.width for c in choices]), "bits": np.array([c.bits for c in choices]),
           "accuracy": np.array([c.accuracy for c in choices]),
           "energy_nj": np.array([c.energy_per_query for c in choices]) * 1e9,
           "compute_nj": np.array([c.compute_energy for c in choices]) * 1e9,
           "memory_nj": np.array([c.memory_energy for c in choices]) * 1e9}
    for array in out.values():
        array.setflags(write=False)
    return out


@lru_cache(maxsize=1)
def _energy_range() -> tuple:
    """Decade limits holding every choice at every batch (the least at the largest batch, the most at 1)."""
    low = grid(MAX_BATCH)["energy_nj"].min()
    high = grid(1)["energy_nj"].max()
    return 10.0 ** math.floor(math.log10(low)), 10.0 ** math.ceil(math.log10(high))


class ModelSizeExplorer(Explorer):
    """Accuracy against energy per query for every width and precision of the right-sizing grid.

    Controls:

    * ``width`` — hidden units of the network, one of :data:`energylab.experiments.rightsizing.WIDTHS`.
      Default 64.
    * ``bits`` — weight precision: fp32, or int8/int4/int2 weights with int8 activations. Default fp32.
    * ``batch`` — queries served together, 1 to 1,024: the weights are read from DRAM once per batch.
      Default 1.
    * ``target`` — the accuracy the job needs, 50–95 %. Default 80 %.

    Model: :func:`energylab.experiments.rightsizing.evaluate_choice` for each of the 28 choices (cached).
    Energies are Horowitz's 45 nm figures (2014): a multiply–accumulate per weight (fp32, or an integer
    multiply whose energy the course **assumes** scales with its operand widths, plus a 32-bit add) and
    64-bit DRAM reads at the low end of his range, as if the weights did not fit on chip (for networks this
    small, an upper end of the memory cost). Accuracy is held-out accuracy on one seed's task.
    """

    title = "Right-sizing: accuracy vs energy per query"
    figsize = (8.0, 4.2)

    @SourcedControls
    def controls(cls):
        r = _rightsizing()
        return {
            "width": Choice("Width (hidden units)", [(f"{w}", w) for w in r.WIDTHS], 64),
            "bits": Choice("Weights", [(BIT_NAMES[b] + (" (with int8 activations)" if b != 32 else ""), b)
                                       for b in r.GRID_BITS], 32),
            "batch": LogSlider("Batch size", 1, MAX_BATCH, 1, base=2, step=1, integer=True, unit="queries",
                               fmt="{:,.0f}", readout=",.0f"),
            "target": Slider("Accuracy target", 0.50, 0.95, 0.01, 0.80, fmt="{:.0%}"),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, width, bits, batch, target):
        """The grid at this batch size and the current choice (pure).

        Returns
        -------
        dict
            ``grid`` (see :func:`grid`), ``meets`` (bool per choice), ``n_meeting``; ``current`` with the
            current choice's ``accuracy``, ``energy_nj``, ``compute_nj``, ``memory_nj``, ``meets``;
            ``largest_fp32`` (the widest network in fp32 at this batch: ``accuracy``, ``energy_nj``) and
            the inputs.
        """
        g = grid(int(batch))
        c = _choice(int(width), int(bits), int(batch))
        r = _rightsizing()
        big = _choice(max(r.WIDTHS), 32, int(batch))
        meets = g["accuracy"] >= target
        return {"width": width, "bits": bits, "batch": batch, "target": target, "grid": g,
                "meets": meets, "n_meeting": int(meets.sum()), "n_choices": int(meets.size),
                "current": {"accuracy": c.accuracy, "energy_nj": c.energy_per_query * 1e9,
                            "compute_nj": c.compute_energy * 1e9, "memory_nj": c.memory_energy * 1e9,
                            "meets": bool(c.accuracy >= target)},
                "largest_fp32": {"width": big.width, "accuracy": big.accuracy, "energy_nj": big.energy_per_query * 1e9}}

    # ---- figure --------------------------------------------------------------------------------
    MARKERS = {32: "o", 8: "s", 4: "^", 2: "D"}

    def draw(self, fig, result):
        from matplotlib.ticker import FuncFormatter

        from ..plotting import PALETTE, axis_label
        ax = self.ax = fig.add_subplot()
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_xlim(*_energy_range())
        ax.set_ylim(0, 100)
        ax.set(title=self.title, xlabel=axis_label("Energy per query", "nJ") + ", log scale (45 nm)",
               ylabel=axis_label("Held-out accuracy", "percent"))
        colours = {32: PALETTE["blue"], 8: PALETTE["orange"], 4: PALETTE["bluish_green"], 2: PALETTE["reddish_purple"]}
        g = result["grid"]
        sizes = 12 + 9 * np.log2(g["width"])                           # wider networks, bigger markers
        self.scatters = {}
        for bits, name in BIT_NAMES.items():
            mask = g["bits"] == bits
            self.scatters[bits] = ax.scatter(g["energy_nj"][mask], 100 * g["accuracy"][mask], s=sizes[mask],
                                             marker=self.MARKERS[bits], color=colours[bits], alpha=0.85,
                                             label=name, edgecolors="white", linewidths=0.6, animated=True)
        self.masks = {bits: g["bits"] == bits for bits in BIT_NAMES}
        self.below = ax.axhspan(0, 1, color="#999999", alpha=0.12, linewidth=0, animated=True)
        self.target = ax.axhline(0, color=PALETTE["vermillion"], linestyle="--", linewidth=1.5, animated=True)
        (self.current,) = ax.plot([], [], "o", markersize=16, markerfacecolor="none",
                                  markeredgecolor=PALETTE["black"], markeredgewidth=2, zorder=6, animated=True)
        self.note = ax.text(0.98, 0.04, "", transform=ax.transAxes, ha="right", fontsize=9, animated=True)
        ax.legend(loc="lower left", fontsize=9, title="weights (size ∝ width)", title_fontsize=9, ncol=2)
        self.update(result)

    def update(self, result):
        g = result["grid"]
        for bits, scatter in self.scatters.items():
            mask = self.masks[bits]
            scatter.set_offsets(np.column_stack([g["energy_nj"][mask], 100 * g["accuracy"][mask]]))
        target = 100 * result["target"]
        self.target.set_ydata([target, target])
        self.below.set_y(0)
        self.below.set_height(target)
        c = result["current"]
        self.current.set_data([c["energy_nj"]], [100 * c["accuracy"]])
        self.note.set_text(f"{result['n_meeting']} of {result['n_choices']} choices meet {result['target']:.0%}")

    def describe(self, result):
        r, c, big = result, result["current"], result["largest_fp32"]
        verdict = "meets" if c["meets"] else "misses"
        return (f"Width {r['width']} with {BIT_NAMES[r['bits']]} weights at batch {r['batch']:,}: "
                f"{c['accuracy']:.1%} held-out accuracy ({verdict} the {r['target']:.0%} target) for "
                f"{_num(c['energy_nj'])} nJ per query ({_num(c['compute_nj'])} nJ arithmetic, "
                f"{_num(c['memory_nj'])} nJ reading the weights from DRAM, as if they did not fit on chip), against "
                f"{big['accuracy']:.1%} and {_num(big['energy_nj'])} nJ for the "
                f"widest network ({big['width']}) in fp32; {r['n_meeting']} of the {r['n_choices']} choices meet "
                f"the target at this batch.")
