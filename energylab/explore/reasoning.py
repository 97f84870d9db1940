"""Thinking tokens and sampling: accuracy bought against energy spent per task.

:class:`ReasoningExplorer` takes a reasoning model that writes some thinking tokens per attempt, samples
n attempts per task and either votes (majority) or checks them (best-of-n with a perfect verifier).
The figure shows the accuracy of both against the energy per task for n = 1 … :data:`N_MAX`, with the
current n marked::

    from energylab.explore import ReasoningExplorer
    ReasoningExplorer()                           # last line of a cell: controls + figure
    ReasoningExplorer(samples=15).result          # the numbers, without the figure

Energy per token: :func:`energylab.inference.scenario_energy_per_token`, the course's GPT-4o-scale roofline
scenario (:func:`energylab.inference.roofline_estimate`'s inputs: Epoch AI's 100 B active parameters on
8 × H100 at Epoch's power per GPU, power fraction and PUE, plus the course assumptions), at the chosen
batch and at the mean context of one attempt. Accuracies: :func:`energylab.reasoning.sampling_tradeoff`
(independent samples, exact binomial).
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .. import inference as inf
from .. import reasoning as rs
from .. import sources
from ..plotting import rounded as _num  # three significant figures, no exponent
from .base import Choice, Explorer, LogSlider, Slider, SourcedControls

__all__ = ["ReasoningExplorer", "N_MAX", "BATCH_OPTIONS"]

#: Samples per task along the curves: 1 … N_MAX.
N_MAX = 64
#: Serving batch sizes offered (sequences decoded together on the 8-GPU server).
BATCH_OPTIONS = (1, 8, 32, 128)


@lru_cache(maxsize=4096)
def _joules_per_token(batch: int, context: float) -> float:
    """:func:`energylab.inference.scenario_energy_per_token` in J/token, kept while the sliders move."""
    return float(inf.scenario_energy_per_token(batch, context).to("J/token").magnitude)


@lru_cache(maxsize=1)
def _kv_capacity_tokens() -> float:
    """Tokens of KV cache the scenario's accelerators hold next to the bf16 weights."""
    s = inf.roofline_estimate().inputs
    capacity = inf.kv_cache_capacity(s["n_params"], s["accelerator"], s["kv_bytes_per_token"],
                                     n_accelerators=s["n_accelerators"])
    return float(capacity.to("token").magnitude)


def _answer_tokens() -> int:
    """Tokens of the visible answer: Epoch AI's typical ChatGPT answer (``epoch_gpt4o_output_tokens``)."""
    return int(sources.number("epoch_gpt4o_output_tokens", "token"))


class ReasoningExplorer(Explorer):
    """Accuracy (majority vote, best-of-n) against energy per task as the samples per task grow.

    Controls:

    * ``thinking`` — thinking tokens per attempt (sample), 100 to 100,000 (a slider in equal ratios).
      Default 4,000. Each attempt also writes the visible answer: Epoch AI's typical 500-token answer
      (``epoch_gpt4o_output_tokens``).
    * ``samples`` — attempts per task, n, 1 to :data:`N_MAX`. Default 3.
    * ``p`` — chance that one attempt is right, 5–95 %. Default 70 %.
    * ``batch`` — sequences the server decodes together (1, 8, 32, 128). Default 32, the course
      scenario's assumption. Sets the energy per token.

    Model: energy per task = n × (thinking + answer tokens) × energy per token
    (:func:`energylab.reasoning.sampling_tradeoff` with :func:`energylab.reasoning.task_energy`); the
    energy per token from :func:`energylab.inference.scenario_energy_per_token` at the mean context of an
    attempt, (thinking + answer) / 2 tokens. Majority-vote accuracy: more than half of n independent
    attempts right (ties split by a coin); best-of-n: at least one right, which needs a perfect verifier.
    Both assume independent attempts, which real samples of one model are not: the real gains are smaller.
    """

    title = "Reasoning: accuracy vs energy per task as the samples grow"
    figsize = (8.0, 4.3)
    tight_layout = False  # fixed margins: the x-limits move with the settings, the layout must not

    @SourcedControls
    def controls(cls):
        return {
            "thinking": LogSlider("Thinking tokens per attempt", 100, 100_000, 4000, base=10, step=0.05,
                                  integer=True, unit="tokens", fmt="{:,.0f}", readout=",.0f"),
            "samples": Slider("Attempts per task, n", 1, N_MAX, 1, 3),
            "p": Slider("Chance one attempt is right", 0.05, 0.95, 0.01, 0.7, fmt="{:.0%}"),
            "batch": Choice("Serving batch (sequences)", [(f"{b}", b) for b in BATCH_OPTIONS], 32),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, thinking, samples, p, batch):
        """Curves and the current point (pure).

        Returns
        -------
        dict
            ``n`` (1 … N_MAX), ``energy_wh`` (Wh per task), ``majority`` and ``best_of_n`` (fractions)
            along n; ``joules_per_token``, ``context`` (mean, tokens), ``sample_wh`` (one attempt),
            ``answer`` (tokens), ``point`` (the current n's ``energy_wh``, ``majority``, ``best_of_n``),
            ``fits`` (whether the batch's KV cache fits next to the weights) and the inputs.
        """
        answer = _answer_tokens()
        context = (thinking + answer) / 2
        per_token = _joules_per_token(int(batch), float(context))
        sample_wh = float(rs.task_energy(thinking, answer, per_token).to("Wh").magnitude)
        n = np.arange(1, N_MAX + 1)
        trade = rs.sampling_tradeoff(p, n, sample_wh)
        energy = trade.energy.to("Wh").magnitude
        majority, best = trade.majority.magnitude, trade.best_of_n.magnitude
        i = samples - 1
        return {"thinking": thinking, "samples": samples, "p": p, "batch": batch, "answer": answer,
                "context": context, "joules_per_token": per_token, "sample_wh": sample_wh,
                "n": n, "energy_wh": energy, "majority": majority, "best_of_n": best,
                "point": {"energy_wh": float(energy[i]), "majority": float(majority[i]),
                          "best_of_n": float(best[i])},
                "fits": batch * context <= _kv_capacity_tokens()}

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from matplotlib.ticker import FuncFormatter

        from ..plotting import PALETTE, axis_label
        ax = self.ax = fig.add_subplot()
        # Right margin: half of the widest tick label ("1,000,000" Wh at 100,000 tokens, batch 1) sits past the
        # axis end. Bottom: a row under the axis label for the legend and the note, where no data can go.
        fig.subplots_adjust(left=0.09, right=0.94, bottom=0.22, top=0.92)
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
        ax.set_ylim(0, 100)
        ax.set(title=self.title, xlabel=axis_label("Energy per task", "Wh") + ", log scale",
               ylabel=axis_label("Tasks solved", "percent"))
        self.colours = {"majority": PALETTE["blue"], "best_of_n": PALETTE["orange"]}
        names = {"majority": "majority vote", "best_of_n": "best of n (perfect verifier)"}
        self.lines, self.points = {}, {}
        for key in ("best_of_n", "majority"):
            # clip_on=False: at 100 % (many samples) the markers sit on the top spine, whole, not halved.
            (self.lines[key],) = ax.plot([], [], ".-", color=self.colours[key], markersize=4, label=names[key],
                                         clip_on=False, animated=True)
            (self.points[key],) = ax.plot([], [], "o", color=self.colours[key], markersize=10,
                                          markeredgecolor=PALETTE["black"], zorder=5, clip_on=False, animated=True)
        self.single = ax.axhline(0, color=PALETTE["black"], linestyle=":", linewidth=1.2, animated=True,
                                 label="one attempt")
        # Legend and note below the axes: the curves reach every corner inside them at some setting.
        ax.legend(loc="lower left", bbox_to_anchor=(0.075, 0.005), bbox_transform=fig.transFigure, ncol=3,
                  fontsize=9, frameon=False)
        self.note = ax.text(0.96, 0.03, "", transform=fig.transFigure, ha="right", va="bottom", fontsize=9,
                            animated=True)
        self.update(result)

    def update(self, result):
        x = result["energy_wh"]
        for key in ("majority", "best_of_n"):
            self.lines[key].set_data(x, 100 * result[key])
            self.points[key].set_data([result["point"]["energy_wh"]], [100 * result["point"][key]])
        self.single.set_ydata([100 * result["p"]] * 2)
        self.note.set_text(f"n = {result['samples']}: {_num(result['point']['energy_wh'])} Wh per task")
        low = 10.0 ** math.floor(math.log10(x[0]))
        high = 10.0 ** math.ceil(math.log10(x[-1]))
        if self.ax.get_xlim() != (low, high):
            self.ax.set_xlim(low, high)

    def describe(self, result):
        r, pt = result, result["point"]
        fit = "" if r["fits"] else (" At this batch the KV cache of so many long attempts would not fit next to the "
                                    "weights in the 8 GPUs' memory: a real server would decode fewer at once.")
        return (f"{r['samples']} attempt{'s' if r['samples'] != 1 else ''} of {r['thinking']:,} thinking + "
                f"{r['answer']:,} answer tokens at {r['joules_per_token']:.3g} J per token (course roofline "
                f"scenario, batch {r['batch']}) cost {_num(pt['energy_wh'])} Wh per task; with {r['p']:.0%} per "
                f"attempt, a majority vote solves {pt['majority']:.1%} of tasks and best-of-n with a perfect "
                f"verifier {pt['best_of_n']:.1%}. At n = {N_MAX}: {_num(r['energy_wh'][-1])} Wh, "
                f"{r['majority'][-1]:.1%} and {r['best_of_n'][-1]:.1%}.{fit}")
