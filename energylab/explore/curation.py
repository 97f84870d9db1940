"""Curated vs indiscriminate training data: accuracy against compute, as the corpus gets dirtier.

:class:`CurationExplorer` is built on the chapter-01 experiment :mod:`energylab.experiments.curation`:
the same scraped-looking corpus (near-duplicates, wrong labels, off-task samples, a rare class), the
same curation pipeline and the same network. Three controls dial each fault of the corpus down from
the experiment's level (100 %) to none (0 %); a fourth sets the accuracy target. The figure shows the
validation accuracy of training on **everything** and on the **curated** subset against the FLOPs
spent (curation included; the experiment's learning curves are read on a validation set, never on its
test set), and where each reaches the target::

    from energylab.explore import CurationExplorer
    CurationExplorer()                           # last line of a cell: controls + figure
    CurationExplorer(label_noise=0.0).result     # the numbers, without the figure

**Precomputed, not trained on every move.** Training takes about a tenth of a second per arm, far
over an explorer's 20 ms budget, so the first explorer built in a session trains both arms once on
every corpus of the grid of :data:`LEVELS` (18 corpora: near-duplicates kept or removed; wrong labels
and off-task samples at 0, 50 % or 100 % of the experiment's; seeded, so always the same numbers;
about 2 s on one core) and caches the curves (:func:`energylab.experiments.curation.fault_grid`, which
also does all the arithmetic); every control change then only selects a precomputed curve and reads
the FLOPs to the target off it, with no training. The fault controls therefore accept only the grid's
levels.
"""
from __future__ import annotations

import math

from ..experiments import curation as experiment
from .base import Explorer, Slider, SourcedControls

__all__ = ["CurationExplorer", "LEVELS"]

#: Levels of each fault control: those of the experiment's precomputed grid
#: (:data:`energylab.experiments.curation.FAULT_LEVELS`).
LEVELS = experiment.FAULT_LEVELS
#: Seed of the corpus, the curation and the training (seed 0 of the experiment).
SEED = 0
#: The arms the explorer shows.
ARMS = experiment.GRID_ARMS
#: The target control's default: the experiment's ``TARGET_ACCURACY``, one of its fixed targets
#: (``TARGET_GRID``). The experiment's headline target is a rule instead (the final validation accuracy
#: of training on everything, about 79 % on seed 0).
DEFAULT_TARGET = float(experiment.TARGET_ACCURACY)


class LevelSlider(Slider):
    """A slider that only accepts a few levels (those of a precomputed grid)."""

    def __init__(self, label: str, levels, default, **kw):
        levels = tuple(float(v) for v in levels)
        step = min(b - a for a, b in zip(levels[:-1], levels[1:]))
        super().__init__(label, levels[0], levels[-1], step, float(default), **kw)
        self.levels = levels

    def validate(self, name: str, value):
        value = super().validate(name, value)
        for level in self.levels:
            if abs(value - level) <= 1e-9 * (self.max - self.min):
                return level
        allowed = ", ".join(self.format(v) for v in self.levels)
        raise ValueError(f"{name} ({self.label}) must be one of the precomputed levels {allowed}; "
                         f"got {self.format(value)}.")


class CurationExplorer(Explorer):
    """Accuracy against FLOPs for training on everything vs on a curated subset, as the faults vary.

    Controls:

    * ``duplicates`` — share of the experiment's near-duplicate copies left in the corpus: 0 or
      100 % (:data:`LEVELS`); 100 % is the experiment's corpus.
    * ``label_noise`` — share of the wrongly labelled samples left wrong (the others get their true
      label back): 0, 50 % or 100 %.
    * ``off_task`` — share of the off-task samples left in: 0, 50 % or 100 %.
    * ``target`` — validation accuracy to reach, 50–92 %. Default :data:`DEFAULT_TARGET` (80 %), one
      of the experiment's fixed targets. The experiment's own conclusion reports that for low targets
      training on everything gets there first, so read the verdict at several targets, not at one.

    Model: :mod:`energylab.experiments.curation` (its corpus, curation pipeline, network, optimizer
    and schedule, imported, not copied; FLOPs counted exactly under :mod:`energylab.nn`'s
    convention; the curation's FLOPs — hashing, novelty scoring, a small proxy model — are charged to
    the curated arm, whose curve therefore starts to the right of zero). Seed 0 of the experiment.
    The whole grid (18 corpora × 2 arms) is trained once per session on first use and cached; an
    update only selects curves (see the module docstring).

    The figure shows validation accuracy (%) against cumulative training FLOPs (MFLOP), the target as a
    dashed line, and each arm's FLOPs to the target as a marker; the ceiling is the accuracy of the
    best possible classifier on this task (Bayes accuracy). The panel and caption give each arm's peak
    and final accuracy: on the dirty corpus, training on everything peaks part-way through and ends
    lower, so the marker where it first reaches a target can sit on a passing peak.
    """

    title = "Curated vs everything: accuracy for the compute"
    figsize = (8.0, 3.9)
    tight_layout = False

    @SourcedControls
    def controls(cls):
        return {
            "duplicates": LevelSlider("Near-duplicate copies kept", LEVELS["duplicates"], 1.0, fmt="{:.0%}"),
            "label_noise": LevelSlider("Wrong labels kept", LEVELS["label_noise"], 1.0, fmt="{:.0%}"),
            "off_task": LevelSlider("Off-task samples kept", LEVELS["off_task"], 1.0, fmt="{:.0%}"),
            "target": Slider("Target accuracy", 0.5, 0.92, 0.01, DEFAULT_TARGET, fmt="{:.0%}"),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, duplicates, label_noise, off_task, target):
        """Curves and FLOPs to target for one setting (pure: reads the cached grid, changes nothing).

        Parameters
        ----------
        duplicates, label_noise, off_task : float
            Levels of :data:`LEVELS`: the share of each fault of the experiment's corpus kept.
        target : float
            Validation accuracy to reach, a fraction.

        Returns
        -------
        dict
            ``flops`` and ``accuracy`` (arm → arrays; FLOP and fraction), ``to_target`` (arm → FLOPs to
            reach ``target``, inf if never), ``final`` (arm → last accuracy), ``peak`` (arm → best
            accuracy during the run; on the dirty corpus training on everything peaks part-way and
            ends lower, so reaching a target can be a passing peak), ``n_train`` (arm →
            samples), ``saving`` (everything ÷ curated FLOPs to target; nan if either never gets there),
            ``curation_flops`` (FLOP), ``counts`` (the corpus's samples by kind), ``bayes`` (the
            ceiling), ``max_flops`` (the largest FLOPs on the grid, for the axis), and the inputs.
        """
        points = experiment.fault_grid(SEED)
        point = points[(float(duplicates), float(label_noise), float(off_task))]
        return {
            "flops": {a: point.flops[a] for a in ARMS}, "accuracy": {a: point.accuracy[a] for a in ARMS},
            "to_target": {a: point.flops_to(a, target) for a in ARMS},
            "final": {a: float(point.accuracy[a][-1]) for a in ARMS},
            "peak": {a: float(point.accuracy[a].max()) for a in ARMS},
            "n_train": dict(point.n_train), "saving": point.saving(target), "curation_flops": point.curation_flops,
            "counts": dict(point.counts), "bayes": point.bayes_accuracy,
            "max_flops": max(float(p.flops[a][-1]) for p in points.values() for a in ARMS),
            "experiment_target": DEFAULT_TARGET,
            "duplicates": duplicates, "label_noise": label_noise, "off_task": off_task, "target": target,
        }

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        self.colours = {"everything": PALETTE["vermillion"], "curated": PALETTE["blue"]}
        names = {"everything": "Everything", "curated": "Curated (+ curation)"}
        self.ax = ax = fig.add_axes((0.09, 0.14, 0.62, 0.72))
        fig.suptitle(self.title, fontsize=12)
        self.lines, self.marks = {}, {}
        for arm in ARMS:
            (self.lines[arm],) = ax.plot([], [], color=self.colours[arm], label=names[arm], animated=True)
            (self.marks[arm],) = ax.plot([], [], "o", color=self.colours[arm], markersize=7,
                                         markeredgecolor="white", animated=True)
        self.target_line = ax.axhline(result["target"], color="black", linestyle="--", linewidth=1.0,
                                      animated=True)
        ax.axhline(100 * result["bayes"], color="#777777", linestyle=":", linewidth=1.0)
        ax.text(0.01, 100 * result["bayes"] + 1, "best possible (Bayes)", fontsize=8, color="#555555",
                transform=ax.get_yaxis_transform())
        ax.set_xlim(0, 1.02 * result["max_flops"] / 1e6)
        ax.set_ylim(0, 100)
        ax.set_xlabel(axis_label("Training compute, cumulative", "MFLOP"))
        ax.set_ylabel(axis_label("Validation accuracy", "%"))
        ax.set_title("Seed 0 of the curation experiment", fontsize=10)
        from matplotlib.lines import Line2D
        handles = [Line2D([], [], color=self.colours[a], label=names[a]) for a in ARMS]
        handles.append(Line2D([], [], color="black", linestyle="--", linewidth=1.0, label="target"))
        panel = fig.add_axes((0.72, 0.02, 0.27, 0.84))   # legend and numbers (axes-level, so savefig draws them)
        panel.axis("off")
        panel.legend(handles=handles, loc="upper left", fontsize=8.5, frameon=False)
        self.note = panel.text(0.03, 0.70, "", va="top", ha="left", fontsize=8.5, linespacing=1.5,
                               transform=panel.transAxes, animated=True)
        self.update(result)

    def update(self, result):
        for arm in ARMS:
            self.lines[arm].set_data(result["flops"][arm] / 1e6, 100 * result["accuracy"][arm])
            reach = result["to_target"][arm]
            self.marks[arm].set_data(([reach / 1e6], [100 * result["target"]]) if math.isfinite(reach) else ([], []))
        self.target_line.set_ydata([100 * result["target"]] * 2)
        self.note.set_text(self._note(result))

    @staticmethod
    def _mflop(flops: float) -> str:
        return f"{flops / 1e6:,.0f} MFLOP"

    def _to_target(self, r, arm: str) -> str:
        """The panel's FLOPs to the target, or the whole run it did not reach it in."""
        reach = r["to_target"][arm]
        return self._mflop(reach) if math.isfinite(reach) else f"not within {self._mflop(r['flops'][arm][-1])}"

    def _reaches(self, r, arm: str, what: str) -> str:
        """'reaches 80% after 144 MFLOP' or 'never reaches 92% within its 310 MFLOP' (the whole run)."""
        reach = r["to_target"][arm]
        if math.isfinite(reach):
            return f"reaches {what} after {self._mflop(reach)}"
        return f"never reaches {what} within its {self._mflop(r['flops'][arm][-1])}"

    def _note(self, r) -> str:
        c = r["counts"]
        lines = [f"Corpus: {c['total']:,} samples",
                 f"  {c['duplicates']:,} near-duplicates",
                 f"  {c['mislabelled']:,} wrongly labelled",
                 f"  {c['off_task']:,} off-task",
                 f"Curated: {r['n_train']['curated']:,} kept",
                 f"To {r['target']:.0%}:",
                 f"  everything {self._to_target(r, 'everything')}",
                 f"  curated {self._to_target(r, 'curated')}"]
        if math.isfinite(r["saving"]):
            lines.append(f"  saving {r['saving']:.2g}×" if r["saving"] >= 1
                         else f"  curated costs {1 / r['saving']:.2g}× more")
        lines.append(f"Peak: {r['peak']['everything']:.1%} vs {r['peak']['curated']:.1%}")
        lines.append(f"Final: {r['final']['everything']:.1%} vs {r['final']['curated']:.1%}")
        return "\n".join(lines)

    @staticmethod
    def _peak_note(r, arm: str) -> str:
        """', peaks at 81.5 %' when the arm's accuracy peaks at least a point above where it ends."""
        return f", peaks at {r['peak'][arm]:.1%}" if r["peak"][arm] - r["final"][arm] >= 0.01 else ""

    def describe(self, result):
        r = result
        c = r["counts"]
        every, cured = r["to_target"]["everything"], r["to_target"]["curated"]
        target = f"{r['target']:.0%}"
        if math.isfinite(r["saving"]):
            verdict = (f"curation saves a factor of {r['saving']:.2g}" if r["saving"] > 1 else
                       "training on everything gets there first" if r["saving"] < 1 else "both arms tie")
        elif math.isfinite(cured):
            verdict = "only the curated arm gets there"
        elif math.isfinite(every):
            verdict = "only training on everything gets there"
        else:
            verdict = "neither arm gets there"
        return (f"Validation accuracy against training FLOPs on a corpus of {c['total']:,} samples "
                f"({c['duplicates']:,} near-duplicates, {c['mislabelled']:,} wrongly labelled, {c['off_task']:,} "
                f"off-task). Training on everything {self._reaches(r, 'everything', target)}"
                f"{self._peak_note(r, 'everything')} and ends at "
                f"{r['final']['everything']:.1%}; the curated subset ({r['n_train']['curated']:,} samples) "
                f"{self._reaches(r, 'curated', 'it')}, its {self._mflop(r['curation_flops'])} of curation included, "
                f"and ends at {r['final']['curated']:.1%}: {verdict}. No classifier can beat {r['bayes']:.1%}.")

