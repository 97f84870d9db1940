"""A training-budget calculator: compute-optimal size, energy, emissions, cost and time of a training run.

:class:`TrainingBudgetExplorer` takes a compute budget C (FLOP) and shows the **iso-FLOP curve**: the
fitted loss of every model size N trained on the D = C / (6·N) tokens that the budget allows, for
both published fits of the Chinchilla loss (Hoffmann et al. 2022 and the replication of Besiroglu
et al. 2024), with each fit's optimum and the 20-tokens-per-parameter rule of thumb marked. The same
budget, run on a chosen accelerator at a chosen utilisation in a data centre of a chosen PUE, on a
grid of a chosen carbon intensity and at a chosen electricity price, gives the energy, emissions,
electricity bill and wall-clock time that the caption reports::

    from energylab.explore import TrainingBudgetExplorer
    TrainingBudgetExplorer()                          # last line of a cell: controls + figure
    TrainingBudgetExplorer(accelerator="H100").result # the numbers, without the figure

Every number comes from :mod:`energylab.models` and :mod:`energylab.accounting`, every default from
:mod:`energylab.sources`.
"""
from __future__ import annotations

import copy
import math
from functools import lru_cache

import numpy as np

from .. import accounting as acc
from .. import models
from ..chips import accelerators as catalogue
from ..formatting import fmt, in_words
from ..sources import number as _number
from ..units import u
from .base import Choice, Explorer, Slider, SourcedControls

__all__ = ["TrainingBudgetExplorer"]

#: The accelerators offered, by :func:`energylab.chips.accelerators.accelerator` name, oldest first.
ACCELERATORS = ("V100", "A100", "H100", "TPU v3", "TPU v4")
#: Which loss fits the figure shows.
FIT_CHOICES = (("both fits", "both"), ("Hoffmann et al. 2022 only", "hoffmann2022"),
               ("Besiroglu et al. 2024 only", "besiroglu2024"))
_FIT_NAMES = {"hoffmann2022": "Hoffmann et al. 2022", "besiroglu2024": "Besiroglu et al. 2024"}
#: What the caption adds after a fit's name.
_FIT_NOTES = {"hoffmann2022": " (its constants as printed, rounded to two digits)"}


def _precision(device: catalogue.Accelerator) -> str:
    """The precision large models train in: bf16 where the device has it, else fp16 (the V100)."""
    return "bf16" if "bf16" in device.peak_flops else "fp16"


def _tokens_per_param() -> float:
    """Chinchilla's rule-of-thumb ratio, tokens per parameter (fact ``chinchilla_tokens_per_param``)."""
    return _number("chinchilla_tokens_per_param", "token/param")


@lru_cache(maxsize=64)
def _scaling(log_compute: float, n_grid: tuple):
    """The budget-only part of the model (curves, optima, rule), cached: it does not depend on the chip.

    The curves are read-only arrays; :meth:`TrainingBudgetExplorer.compute` hands out deep copies, so
    nothing a caller does can alter the cache.
    """
    compute = 10.0 ** log_compute
    curves, optima = {}, {}
    rule = models.chinchilla_optimal(compute)
    rule_n = float(rule.n_params.to("param").magnitude)
    rule_d = float(rule.n_tokens.to("token").magnitude)
    rule_loss = {}
    for name in models.FITS:
        curve = np.asarray(models.iso_flop_curve(compute, np.asarray(n_grid), fit=name).loss.magnitude)
        curve.setflags(write=False)
        curves[name] = curve
        best = models.fitted_optimal(compute, fit=name)
        n = float(best.n_params.to("param").magnitude)
        d = float(best.n_tokens.to("token").magnitude)
        optima[name] = {"n": n, "d": d, "tokens_per_param": d / n,
                        "loss": float(models.chinchilla_loss(n, d, fit=name).magnitude)}
        rule_loss[name] = float(models.chinchilla_loss(rule_n, rule_d, fit=name).magnitude)
    rule = {"n": rule_n, "d": rule_d, "tokens_per_param": rule_d / rule_n, "loss": rule_loss}
    return curves, optima, rule


class TrainingBudgetExplorer(Explorer):
    """A training run's compute-optimal size, energy, emissions, electricity cost and duration.

    Controls (plain numbers in the units shown):

    * ``log_compute`` — the training budget C as a power of ten, log₁₀ FLOP, 20–26 (10²⁰ to 10²⁶
      FLOP). Default: Chinchilla's (and Gopher's) budget, ``chinchilla_training_compute``
      (Hoffmann et al. 2022).
    * ``accelerator`` — the chip: V100 (fp16 tensor peak), A100, H100, TPU v3, TPU v4 (bf16 peak),
      with the datasheet peak and rated power of :func:`energylab.chips.accelerators.accelerator` (TDP; the
      measured maximum for the TPU v4). Default: the A100, BLOOM's chip.
    * ``utilisation`` — the share of the peak actually achieved (model FLOP utilisation), 5–100 %.
      Default: PaLM's model FLOP utilisation on TPU v4 (``palm_model_flops_utilisation``, Chowdhery
      et al. 2022), a large, carefully tuned run; GPT-3 on V100s reached much less.
    * ``pue`` — Power Usage Effectiveness of the data centre, 1.0–2.0. Default: Google's fleet
      (``google_fleet_pue``).
    * ``intensity`` — carbon intensity of the electricity, gCO2e/kWh, 0–900. Default: the US
      average that Patterson et al. 2021 used for GPT-3 (``us_grid_intensity_patterson``).
    * ``price`` — electricity price, US cents/kWh, 0–40. Default: the US industrial average of 2023
      (``us_industrial_electricity_price_2023``, EIA).
    * ``fit`` — which fitted loss curves to show: both (default), or one of them.

    Model (all from :mod:`energylab.models` and :mod:`energylab.accounting`):

    * iso-FLOP curve: for each size N, D = C / (6·N) tokens and the fitted loss
      L(N, D) = E + A/N^α + B/D^β (:func:`~energylab.models.iso_flop_curve`), for each fit;
    * each fit's optimum in closed form (:func:`~energylab.models.fitted_optimal`), and the rule of
      thumb D = 20·N (:func:`~energylab.models.chinchilla_optimal`); the two disagree, see the
      chapter;
    * energy E = C / (peak × utilisation) × rated power × PUE
      (:func:`~energylab.models.energy_for_flops`): it depends on the budget, the chip, the
      utilisation and the PUE, **not** on how the budget is split between N and D;
    * emissions = E × intensity; electricity cost = E × price (the energy charge only: the hardware
      is not included, see chapter 07);
    * wall-clock time on :attr:`N_ACCELERATORS` chips, C / (n × peak × utilisation)
      (:func:`~energylab.models.training_time`).

    Rated power is an assumption: GPT-3's V100s averaged more than their TDP (Patterson et al.
    2021, ``gpt3_gpu_power``), while the TPU v3's measured mean power is well below its TDP
    (``tpu_v3_measured_mean_power``, ``tpu_v3_tdp``). For the TPU v4 Google publishes no TDP, only
    measured power; the explorer uses its measured maximum (``tpu_v4_measured_max_power``), which is
    not the same kind of number as the GPUs' TDPs, and the caption says which basis each chip's power
    has. The fits were made to models trained on DeepMind's MassiveText, between about 10¹⁸ and
    10²¹ FLOP (Hoffmann et al. 2022): far from that range both are extrapolations. The Hoffmann fit
    uses the constants as the paper prints them, rounded to two digits (``chinchilla_fit_*``); the
    rounding alone moves its optimum (see the facts' notes and chapter 01), and the caption says so.

    The figure shows the loss against N on a logarithmic axis (fixed from 10⁷ to 10¹⁴ parameters;
    the loss axis is fixed too unless a shown curve leaves it, at small budgets, so most updates
    redraw only the curves and the numbers) and, on the right, the numbers and a legend of what is
    drawn.
    """

    title = "A training budget: the best model size, and what the run costs"
    figsize = (8.6, 3.9)
    tight_layout = False  # fixed layout in draw()
    #: Accelerators assumed for the wall-clock time.
    N_ACCELERATORS = 1000
    #: Model sizes along the curves, param (fixed, so that updates only move the curves).
    N_GRID = np.logspace(7, 14, 281)
    #: Loss axis: from the lowest optimum at 10²⁶ FLOP to well above the highest at 10²⁰ FLOP. Kept
    #: while the shown curves fit (an update then only redraws the curves); below about 10²³ FLOP the
    #: curves climb out of it at large N (few tokens each), and the top is raised (:meth:`_loss_top`).
    LOSS_RANGE = (1.7, 3.7)

    @SourcedControls
    def controls(cls):
        names = {name: catalogue.accelerator(name) for name in ACCELERATORS}
        options = [(f"{d.name}: {d.peak_flops[_precision(d)].to('TFLOP/s').magnitude:,.4g} TFLOP/s "
                    f"{_precision(d)}, {d.power.to('W').magnitude:,.0f} W"
                    + ("" if d.power_basis == "TDP" else f" ({d.power_basis})"), name)
                   for name, d in names.items()]
        return {
            "log_compute": Slider("Compute budget", 20.0, 26.0, 0.05,
                                  math.log10(_number("chinchilla_training_compute", "FLOP")),
                                  unit="log₁₀ FLOP", fmt="{:.2f}"),
            "accelerator": Choice("Accelerator", options, "A100"),
            "utilisation": Slider("Utilisation (share of peak)", 0.05, 1.0, 0.005,
                                  _number("palm_model_flops_utilisation", ""), fmt="{:.1%}"),
            "pue": Slider("PUE", 1.0, 2.0, 0.01, _number("google_fleet_pue", ""), fmt="{:.2f}"),
            "intensity": Slider("Grid carbon intensity", 0.0, 900.0, 5.0,
                                _number("us_grid_intensity_patterson", "gCO2e/kWh"), unit="gCO2e/kWh",
                                fmt="{:.0f}"),
            "price": Slider("Electricity price", 0.0, 40.0, 0.1,
                            _number("us_industrial_electricity_price_2023", "cent/kWh"), unit="US¢/kWh",
                            fmt="{:.2f}"),
            "fit": Choice("Loss fits shown", FIT_CHOICES, "both"),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, log_compute, accelerator, utilisation, pue, intensity, price, fit):
        """Everything the figure and caption show, for one setting (pure: no state, no figure).

        Parameters
        ----------
        log_compute : float
            log₁₀ of the training budget in FLOP (23.76 is 5.76e23 FLOP).
        accelerator : str
            A name accepted by :func:`energylab.chips.accelerators.accelerator`.
        utilisation : float
            Share of the accelerator's peak achieved, in (0, 1].
        pue : float
            Power Usage Effectiveness, at least 1.
        intensity : float
            Carbon intensity of the electricity, gCO2e/kWh.
        price : float
            Electricity price, US cents/kWh.
        fit : {"both", "hoffmann2022", "besiroglu2024"}
            Which fits the figure shows (every fit is computed either way).

        Returns
        -------
        dict
            ``compute`` (FLOP); ``n`` (param, the curves' sizes); for each fit name in
            :data:`energylab.models.FITS`, ``curves[fit]`` (loss along ``n``) and ``optima[fit]``, a dict
            of ``n`` (param), ``d`` (token), ``tokens_per_param`` and ``loss``; ``rule`` the same dict for
            the 20:1 rule (its ``loss`` is a dict by fit); ``energy_mwh`` (MWh), ``emissions_t`` (tCO2e),
            ``cost_usd`` (USD), ``days`` (wall-clock days on :attr:`N_ACCELERATORS` chips),
            ``accelerator_hours`` (h), ``peak_tflops`` (TFLOP/s), ``power_w`` (W), ``power_basis``
            (``"TDP"`` or ``"measured maximum"``), ``device`` (display name), ``precision``, and the
            inputs.
        """
        compute = 10.0 ** log_compute
        device = catalogue.accelerator(accelerator)
        precision = _precision(device)
        peak = device.peak_flops[precision]
        curves, optima, rule = copy.deepcopy(_scaling(float(log_compute), tuple(self.N_GRID)))
        energy = models.energy_for_flops(compute, device, precision, utilisation=utilisation, pue=pue)
        emissions = acc.emissions(energy, intensity * u.gCO2e / u.kWh)
        bill = acc.cost(energy, price * u.cent / u.kWh)
        hours = models.training_time(compute, self.N_ACCELERATORS, peak, utilisation)
        return {
            "compute": compute, "n": self.N_GRID, "curves": curves, "optima": optima, "rule": rule,
            "energy_mwh": float(energy.to("MWh").magnitude),
            "emissions_t": float(emissions.to("tCO2e").magnitude),
            "cost_usd": float(bill.to("USD").magnitude),
            "days": float(hours.to("day").magnitude),
            "accelerator_hours": float(hours.to("h").magnitude) * self.N_ACCELERATORS,
            "peak_tflops": float(peak.to("TFLOP/s").magnitude),
            "power_w": float(device.power.to("W").magnitude), "power_basis": device.power_basis,
            "device": device.name, "precision": precision,
            "log_compute": log_compute, "accelerator": accelerator, "utilisation": utilisation, "pue": pue,
            "intensity": intensity, "price": price, "fit": fit,
        }

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from matplotlib.lines import Line2D

        from ..plotting import PALETTE, axis_label
        self.colours = {"hoffmann2022": PALETTE["blue"], "besiroglu2024": PALETTE["orange"],
                        "rule": PALETTE["black"]}
        self.ax = ax = fig.add_axes((0.08, 0.14, 0.47, 0.72))
        panel = fig.add_axes((0.58, 0.02, 0.41, 0.84))
        panel.axis("off")
        fig.suptitle(self.title, fontsize=12)
        n = result["n"]
        self.lines, self.markers = {}, {}
        for name in models.FITS:
            (self.lines[name],) = ax.plot(n, result["curves"][name], color=self.colours[name], animated=True)
            (self.markers[name],) = ax.plot([], [], "o", color=self.colours[name], markersize=7,
                                            markeredgecolor="white", animated=True)
        self.rule_line = ax.axvline(result["rule"]["n"], color=self.colours["rule"], linestyle="--",
                                    linewidth=1.2, animated=True)
        ax.set_xscale("log")
        ax.set_xlim(n[0], n[-1])
        ax.set_ylim(*self.LOSS_RANGE)
        ax.set_xlabel(axis_label("Model size N", "param") + ", log scale")
        ax.set_ylabel("Fitted training loss")
        ax.set_title("Iso-FLOP curve: same compute, different sizes", fontsize=11)
        self.panel = panel
        self.handles = {name: Line2D([], [], color=self.colours[name], marker="o", label=f"{_FIT_NAMES[name]} fit")
                        for name in models.FITS}
        self.handles["rule"] = Line2D([], [], color="black", linestyle="--", linewidth=1.2,
                                      label=f"rule of thumb: {_tokens_per_param():.0f} tokens per parameter")
        self.legend_keys = None   # set by update(): the legend lists only the curves drawn
        # A two-column table: static row labels, animated values (few glyphs to redraw per update).
        rows = [("hoffmann2022", "Hoffmann fit: N, D (D/N)"), ("besiroglu2024", "Besiroglu fit: N, D (D/N)"),
                ("rule", f"{_tokens_per_param():.0f} tokens/param: N, D"), ("energy", "Training energy (MWh)"),
                ("emissions", "Emissions (tCO2e)"), ("cost", "Electricity bill (USD)"),
                ("days", f"Days on {self.N_ACCELERATORS:,} chips")]
        self.values_text = {}
        for i, (key, label) in enumerate(rows):
            y = 0.70 - 0.085 * i
            panel.text(0.0, y, label, va="top", ha="left", fontsize=9, transform=panel.transAxes)
            self.values_text[key] = panel.text(0.55, y, "", va="top", ha="left", fontsize=9,
                                               transform=panel.transAxes, animated=True)
        panel.text(0.0, 0.70 - 0.085 * len(rows), "N in parameters, D in tokens (B = billion, T = trillion).\n"
                   "Energy, emissions, bill and time depend on the budget,\n"
                   "not on how it is split between N and D.", va="top", ha="left", fontsize=8,
                   color="#555555", transform=panel.transAxes)
        self.update(result)

    def update(self, result):
        shown = list(models.FITS) if result["fit"] == "both" else [result["fit"]]
        for name in models.FITS:
            visible = name in shown
            self.lines[name].set_ydata(result["curves"][name])
            self.lines[name].set_visible(visible)
            best = result["optima"][name]
            self.markers[name].set_data([best["n"]], [best["loss"]])
            self.markers[name].set_visible(visible)
        self.rule_line.set_xdata([result["rule"]["n"], result["rule"]["n"]])
        for key, text in self._values(result).items():
            self.values_text[key].set_text(text)
        # Static changes (a full redraw) only when they are needed: a new fit choice, a curve leaving the axis.
        keys = (*shown, "rule")
        if keys != self.legend_keys:
            self.panel.legend(handles=[self.handles[k] for k in keys], loc="upper left", fontsize=9, frameon=False)
            self.legend_keys = keys
        top = self._loss_top(max(float(result["curves"][name].max()) for name in shown))
        if self.ax.get_ylim() != (self.LOSS_RANGE[0], top):
            self.ax.set_ylim(self.LOSS_RANGE[0], top)

    def _loss_top(self, highest: float) -> float:
        """Top of the loss axis: :attr:`LOSS_RANGE` while the curves fit, else the next whole loss (5s above
        10) over them, so a slider drag crosses few steps and most updates keep the axis."""
        if highest <= self.LOSS_RANGE[1]:
            return self.LOSS_RANGE[1]
        step = 1.0 if highest < 10 else 5.0
        return step * math.ceil(highest * 1.02 / step)

    def _values(self, r) -> dict:
        shown = list(models.FITS) if r["fit"] == "both" else [r["fit"]]
        values = {}
        for name in models.FITS:
            best = r["optima"][name]
            values[name] = (f"{in_words(best['n'], short=True)}, {in_words(best['d'], short=True)} "
                            f"({best['tokens_per_param']:.0f})" if name in shown else "(hidden)")
        values["rule"] = f"{in_words(r['rule']['n'], short=True)}, {in_words(r['rule']['d'], short=True)}"
        values["energy"] = in_words(r["energy_mwh"], sig=4)
        values["emissions"] = in_words(r["emissions_t"])
        values["cost"] = in_words(r["cost_usd"])
        values["days"] = in_words(r["days"])
        return values

    def describe(self, result):
        r = result
        shown = list(models.FITS) if r["fit"] == "both" else [r["fit"]]
        optima = "; ".join(
            f"the {_FIT_NAMES[name]} fit{_FIT_NOTES.get(name, '')} puts the lowest loss at "
            f"{in_words(r['optima'][name]['n'])} parameters on {in_words(r['optima'][name]['d'])} tokens "
            f"({r['optima'][name]['tokens_per_param']:.0f} tokens per parameter)" for name in shown)
        return (f"Loss against model size at a budget of {fmt(r['compute'])} FLOP: {optima}; the rule of "
                f"{r['rule']['tokens_per_param']:.0f} tokens per parameter says "
                f"{in_words(r['rule']['n'])} parameters. On the {r['device']} at "
                f"{r['utilisation']:.1%} of its {r['precision']} peak, {r['power_w']:,.0f} W each "
                f"({r['power_basis'] if r['power_basis'] == 'TDP' else r['power_basis'] + ', not a TDP'}) and PUE "
                f"{r['pue']:.2f}, the run uses {in_words(r['energy_mwh'], sig=4)} MWh, emits "
                f"{in_words(r['emissions_t'])} tCO2e at {r['intensity']:.0f} gCO2e/kWh, costs "
                f"{in_words(r['cost_usd'])} USD of electricity at {r['price']:.2f} US cents/kWh, and takes "
                f"{in_words(r['days'])} days on "
                f"{self.N_ACCELERATORS:,} chips.")
