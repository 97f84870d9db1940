"""A flexible job on a grid day: scheduled on the average carbon intensity or on the marginal one.

:class:`GridDayExplorer` takes three days of a grid's synthetic hourly *average* and *marginal* carbon intensity
(:func:`energylab.grid.carbon_intensity_profile`, :func:`energylab.grid.marginal_intensity_profile`, seed 0), a job
of a few hours at 1 MW that is ready at 18:00 and must finish by a deadline, and moves it with
:func:`energylab.grid.schedule_job` (run now, start later, or pause and resume) following one of the two signals.
The emissions are then judged on *both* signals, as :func:`energylab.grid.shift_job` does::

    from energylab.explore import GridDayExplorer
    GridDayExplorer()                        # last line of a cell: controls + figure
    GridDayExplorer(signal="marginal").result["marginal_saving"]

The lesson: a schedule chosen on the average can save on the average and save nothing, or add emissions, on
the marginal (what running the job actually changes); on France's nuclear grid the marginal kWh, from gas, is
several times the average. The yearly profiles of a region are computed once, on first use, and shared; each
update schedules one job in a window of at most 48 hours.
"""
from __future__ import annotations

import datetime

import numpy as np

from .base import Choice, Explorer, Slider

__all__ = ["GridDayExplorer"]

_REGIONS = [("Germany", "germany"), ("Great Britain", "gb"), ("France", "france"), ("California", "california")]
_MODES = [("Run now", "now"), ("Start later (delay)", "delay"), ("Pause and resume", "pause")]
_SIGNALS = [("Average intensity", "average"), ("Marginal intensity", "marginal")]
_cache: dict = {}


def _profiles(region: str):
    """(average, marginal) gCO2e/kWh over the explorer's 72 hours for ``region``; cached, read-only."""
    if region not in _cache:
        from ..grid import carbon_intensity_profile, marginal_intensity_profile
        span = slice(GridDayExplorer.FIRST_HOUR, GridDayExplorer.FIRST_HOUR + GridDayExplorer.HOURS)
        average = carbon_intensity_profile(region, seed=GridDayExplorer.SEED).magnitude[span].copy()
        marginal = marginal_intensity_profile(region, seed=GridDayExplorer.SEED).magnitude[span].copy()
        average.flags.writeable = marginal.flags.writeable = False
        _cache[region] = (average, marginal)
    return _cache[region]


def _blocks(hours) -> list[tuple[int, int]]:
    """Unbroken runs of ``hours`` (sorted indices) as ``[(first, after_last), …]``."""
    hours = np.asarray(hours, dtype=int)
    breaks = np.flatnonzero(np.diff(hours) != 1) + 1
    return [(int(run[0]), int(run[-1]) + 1) for run in np.split(hours, breaks)]


def _clock(hour: int) -> str:
    """Hour index of the 72 h as a reader sees it: ``'02:00 on 17 April'``."""
    day = datetime.date(2021, 1, 1) + datetime.timedelta(days=(GridDayExplorer.FIRST_HOUR + hour) // 24)
    return f"{hour % 24:02d}:00 on {day.day} {day:%B}"


def _saving(now: float, job: float) -> float:
    """Fraction saved against running now (negative: shifting added emissions), as ShiftResult.saving."""
    return 1.0 - job / now if now > 0 else 0.0


def _saving_words(saving: float) -> str:
    if abs(saving) < 5e-4:
        return "saves nothing"
    return f"saves {saving:.1%}" if saving > 0 else f"adds {-saving:.1%}"


class GridDayExplorer(Explorer):
    """A flexible job on a grid day: when to run it, chosen on the average or the marginal carbon intensity.

    Controls:

    * ``region`` — the grid: Germany, Great Britain, France or California (keys of
      :data:`energylab.grid.GRID_REGIONS`).
    * ``length`` — hours of work, 1 to 24 (default 6).
    * ``deadline`` — hours after the job is ready by which it must be finished, 1 to 48 (default 12). The sliders
      move independently: a deadline shorter than the job is widened to the job's length (it then runs at once)
      and the text says so.
    * ``mode`` — how the job may move: run now, start later in one piece (``"delay"``) or pause and resume
      (``"pause"``), as :func:`energylab.grid.schedule_job`.
    * ``signal`` — which hourly signal the scheduler minimises: the average intensity (``"average"``, the hour's
      whole mix, how emissions are reported) or the marginal one (``"marginal"``, the plant that answers one more
      kWh).

    The job draws :attr:`POWER_KW` for its hours; the three days start at :attr:`FIRST_HOUR` of the year and the
    job is ready :attr:`READY_HOUR` hours later. Emissions and savings against running now are given on both
    signals, whichever one the schedule followed.
    """

    title = "A flexible job on a grid day: average vs marginal"
    figsize = (7.6, 4.6)
    tight_layout = False
    SEED = 0
    FIRST_HOUR = 24 * 105          # 16 April, 00:00 (spring: California's midday surplus is at the margin)
    HOURS = 72                     # three days shown; the latest deadline (READY_HOUR + 48) fits
    READY_HOUR = 18                # the job is ready at 18:00 on 16 April (hours after FIRST_HOUR)
    POWER_KW = 1000.0              # 1 MW for every hour of work

    controls = {
        "region": Choice("Grid", _REGIONS, "germany"),
        "length": Slider("Job length", 1, 24, 1, 6, unit="h"),
        "deadline": Slider("Deadline after ready", 1, 48, 1, 12, unit="h"),
        "mode": Choice("How it may move", _MODES, "delay"),
        "signal": Choice("Scheduler follows", _SIGNALS, "average"),
    }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, region, length, deadline, mode, signal):
        """Schedule the job on the followed signal; emissions and savings judged on both (pure)."""
        from ..grid import schedule_job
        average, marginal = _profiles(region)
        window = max(int(deadline), int(length))
        followed = average if signal == "average" else marginal
        job = schedule_job(followed, length, window, self.READY_HOUR, mode)
        now = schedule_job(followed, length, window, self.READY_HOUR, "now")
        out = {"region": region, "length": int(length), "deadline": int(deadline), "window": window,
               "clipped": window > deadline, "mode": mode, "signal": signal, "ready": self.READY_HOUR,
               "average": average.copy(), "marginal": marginal.copy(),
               "job_hours": job.hours.copy(), "now_hours": now.hours.copy(), "blocks": _blocks(job.hours),
               "first_hour": int(job.hours[0]), "delay": job.delay, "finish": job.finish}
        for name, values in (("average", average), ("marginal", marginal)):
            now_t = self.POWER_KW * float(values[now.hours].sum()) / 1e6     # kW × g/kWh × 1 h → t
            job_t = self.POWER_KW * float(values[job.hours].sum()) / 1e6
            out.update({f"{name}_now_t": now_t, f"{name}_job_t": job_t, f"{name}_saving": _saving(now_t, job_t)})
        return out

    # ---- figure --------------------------------------------------------------------------------
    # Speed: text is the dearest thing to redraw (about 60 µs a glyph), so the label box is a static table
    # (headings, row names, frame) and only its six numbers are animated; the schedule itself is in the figure.
    _COLUMNS = (0.775, 0.885, 0.985)        # right edges of the table's number columns, axes fraction
    _ROWS_TOP = 0.975                       # top of the table, axes fraction

    def draw(self, fig, result):
        from matplotlib.collections import PolyCollection
        from matplotlib.patches import Rectangle

        from ..plotting import PALETTE, axis_label
        ax = self.ax = fig.add_subplot()
        fig.subplots_adjust(left=0.1, right=0.98, top=0.91, bottom=0.12)
        ax.set_title(self.title, fontsize=12)
        x = np.arange(self.HOURS + 1)
        # The job's hours and the run-now block sit under the signals (lower zorder among the animated artists).
        self.job_patches = PolyCollection([], facecolor=PALETTE["orange"], edgecolor="none", alpha=0.45, zorder=1,
                                          animated=True, label="hours the job runs")
        ax.add_collection(self.job_patches)
        self.now_box = Rectangle((result["ready"], 0), result["length"], 1, fill=False, lw=1.2, ls="--",
                                 edgecolor=PALETTE["black"], zorder=1.5, animated=True, label="if run now")
        ax.add_patch(self.now_box)
        (self.average_line,) = ax.plot(x, self._steps(result["average"]), drawstyle="steps-post",
                                       color=PALETTE["blue"], zorder=3, animated=True, label="average intensity")
        (self.marginal_line,) = ax.plot(x, self._steps(result["marginal"]), drawstyle="steps-post",
                                        color=PALETTE["vermillion"], zorder=3, animated=True,
                                        label="marginal intensity")
        (self.job_marks,) = ax.plot([], [], ls="none", marker="o", ms=3.5, color=PALETTE["black"], zorder=4,
                                    animated=True)
        (self.ready_line,) = ax.plot([result["ready"]] * 2, [0, 1], color=PALETTE["black"], lw=1, zorder=2)
        self.ready_text = ax.text(result["ready"], 0, f"ready {self.READY_HOUR % 24:02d}:00 ", fontsize=8,
                                  ha="right", va="bottom", zorder=2)
        (self.deadline_line,) = ax.plot([0, 0], [0, 1], color=PALETTE["bluish_green"], lw=1.6, zorder=4,
                                        animated=True, label="deadline")
        self.deadline_text = ax.text(0, 0, "", fontsize=8, ha="left", va="bottom", color=PALETTE["bluish_green"],
                                     zorder=4, animated=True, linespacing=1.1,
                                     bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 0.5})
        ax.set_xlim(0, self.HOURS)
        ax.set_xticks(np.arange(0, self.HOURS + 1, 6))
        ax.set_xticklabels([f"{h % 24:02d}:00" for h in range(0, self.HOURS + 1, 6)], fontsize=8.5)
        first, last = (_clock(h).split(" on ")[1] for h in (0, self.HOURS - 1))
        ax.set_xlabel(f"Time of day, {first.split()[0]} to {last}")
        ax.set_ylabel(axis_label("Carbon intensity", "gCO2e/kWh"))
        ax.legend(handles=[self.average_line, self.marginal_line, self.job_patches, self.now_box, self.deadline_line],
                  loc="upper left", fontsize=8, ncol=2, frameon=False, columnspacing=1.0, handlelength=1.8)
        self._draw_table(ax)
        self._region = None
        self.update(result)

    def _draw_table(self, ax):
        """The label box: static frame, headings and row names; six animated numbers (emissions and changes)."""
        from matplotlib.patches import FancyBboxPatch
        size, top, (c1, c2, c3) = 8.5, self._ROWS_TOP, self._COLUMNS
        ax.add_patch(FancyBboxPatch((0.555, top - 0.215), 0.43, 0.207, transform=ax.transAxes,
                                    boxstyle="round,pad=0.006", facecolor="white", edgecolor="#bbbbbb", lw=0.8,
                                    alpha=0.9, zorder=5))
        kw = {"transform": ax.transAxes, "fontsize": size, "va": "top", "zorder": 6}
        ax.text(0.565, top - 0.012, "judged on\nthe average\nthe marginal", ha="left", linespacing=1.35, **kw)
        ax.text(c1, top - 0.012, "run now", ha="right", **kw)
        ax.text(c2, top - 0.012, "this job", ha="right", **kw)
        ax.text(c3, top - 0.012, "change", ha="right", **kw)
        ax.text(0.565, top - 0.16, f"tCO2e, a {self.POWER_KW / 1e3:g} MW job; change against running now",
                ha="left", color="#555555", **{**kw, "fontsize": 7.5})
        kw["animated"] = True
        self.table = [ax.text(c, top - 0.012, "", ha="right", linespacing=1.35, **kw) for c in (c1, c2, c3)]

    @staticmethod
    def _steps(values):
        """Hourly values for a ``steps-post`` line over hours 0 … 72 (the last value repeated at the end)."""
        return np.append(values, values[-1])

    def _band(self, result) -> float:
        """Top of the data band (signals, job hours, markers); the legend and the table sit above it."""
        return 1.08 * float(max(result["average"].max(), result["marginal"].max()))

    def update(self, result):
        band = self._band(result)
        if result["region"] != self._region:      # y limits are per region: a full redraw only then
            self._region = result["region"]
            self.average_line.set_ydata(self._steps(result["average"]))
            self.marginal_line.set_ydata(self._steps(result["marginal"]))
            self.ax.set_ylim(0, 1.5 * band)
            self.ready_line.set_ydata([0, band])
            self.ready_text.set_y(0.9 * band)
        follows_average = result["signal"] == "average"
        self.average_line.set_linewidth(2.4 if follows_average else 1.1)
        self.marginal_line.set_linewidth(1.1 if follows_average else 2.4)
        if result["mode"] == "pause":             # may stop at any hour: one bar per hour
            shapes = [(h + 0.08, h + 0.92) for h in result["job_hours"]]
        else:                                     # one unbroken run
            shapes = result["blocks"]
        self.job_patches.set_verts([[(a, 0), (b, 0), (b, band), (a, band)] for a, b in shapes])
        self.now_box.set_x(result["ready"])
        self.now_box.set_width(result["length"])
        self.now_box.set_height(band)
        hours = result["job_hours"]
        self.job_marks.set_data(hours + 0.5, result[result["signal"]][hours])
        end = result["ready"] + result["deadline"]
        self.deadline_line.set_data([end, end], [0, band])
        faded = 0.35 if result["mode"] == "now" else 1.0     # running now, the deadline does not matter
        self.deadline_line.set_alpha(faded)
        self.deadline_text.set_alpha(faded)
        self.deadline_text.set_position((end, 0.97 * band))
        text = f"deadline {end % 24:02d}:00"
        if result["clipped"]:
            text += f":\ntoo soon for {result['length']} h"
        left = end <= 0.8 * self.HOURS
        self.deadline_text.set_text(f" {text}" if left else f"{text} ")
        self.deadline_text.set_ha("left" if left else "right")
        columns = ([""], [""], [""])
        for name in ("average", "marginal"):
            saving = result[f"{name}_saving"]
            columns[0].append(f"{result[f'{name}_now_t']:.2f}")
            columns[1].append(f"{result[f'{name}_job_t']:.2f}")
            columns[2].append("0" if abs(saving) < 5e-4 else f"{-saving:+.1%}".replace("-", "−"))
        for artist, lines in zip(self.table, columns):
            artist.set_text("\n".join(lines))

    def describe(self, result):
        r = result
        grid = self.controls["region"].format(r["region"])
        mode = self.controls["mode"].format(r["mode"]).lower()
        finish = r["ready"] + r["window"]
        text = (f"On {grid}'s grid, a {r['length']} h job at {self.POWER_KW / 1e3:g} MW, ready at "
                f"{_clock(r['ready'])}, must finish within {r['deadline']} h")
        if r["clipped"]:
            text += (f", shorter than the job itself: the window is widened to its length, {r['window']} h, "
                     f"so it must end by {_clock(finish)}")
        else:
            text += f" (by {_clock(finish)})"
        text += f". It may {mode}, and the scheduler follows the {r['signal']} intensity"
        if r["mode"] == "now" or r["window"] == r["length"]:
            text += f": it runs at once, from {_clock(r['first_hour'])}"
            text += " (the deadline does not matter)." if r["mode"] == "now" else ", with no room to move."
        else:
            pieces = f" in {len(r['blocks'])} pieces" if len(r["blocks"]) > 1 else " in one piece"
            text += (f": it runs{pieces} from {_clock(r['first_hour'])}, {r['delay']} h after it is ready, "
                     f"to {_clock(r['finish'])}.")
        for name in ("average", "marginal"):
            text += (f" Judged on the {name} intensity it emits {r[f'{name}_job_t']:.2f} tCO2e against "
                     f"{r[f'{name}_now_t']:.2f} tCO2e run now: it {_saving_words(r[f'{name}_saving'])}.")
        a, m = r["average"], r["marginal"]
        text += (f" Over the three days the average intensity runs from {a.min():.0f} to {a.max():.0f} and the "
                 f"marginal from {m.min():.0f} to {m.max():.0f} gCO2e/kWh")
        text += f"; over them the marginal kWh emits {float(m.mean() / a.mean()):.1f} times as much as the average one."
        return text
