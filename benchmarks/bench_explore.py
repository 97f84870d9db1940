"""Explorer update latency vs a naive ``interact`` + pyplot re-plot, measured in the same run.

Budget (DESIGN.md): control change → redrawn figure under 20 ms median kernel-side, and at least
2× faster than the naive re-plot. Run ``python -c "import benchmarks.bench_explore as b; print(b.run())"``
or ``python -m benchmarks.bench_explore`` for a table.

What is timed
-------------
* **explorer (drag)**: ``slider.value = v`` on :class:`~energylab.explore.base.ExampleExplorer`'s
  widget, sweeping a slider back and forth in its steps as a drag with ``continuous_update`` does;
  the call returns after compute → update → render → new PNG in the ``Image`` widget.
* **explorer (jumps)**: the same for random jumps of every control, so the y-axis is rescaled
  (full redraw, no blitting) far more often than in a drag: a pessimistic case.
* **naive**: what ``ipywidgets.interact`` + pyplot does on each change: new ``plt.subplots``,
  re-plot everything, render through the inline backend's path (IPython's ``print_figure`` with
  ``bbox_inches="tight"``), close. Output-widget messaging is left out, which flatters the naive
  baseline, so the ratio is conservative.
* **render variants**: the options tried for the render step on the same figure.
"""
from __future__ import annotations

import io
import statistics
import sys
import time

import numpy as np

BUDGET_MS = 20.0
BUDGET_RATIO = 2.0
N_CHANGES = 50


def _p90(samples):
    return float(np.percentile(samples, 90))


def _ms(seconds):
    return [s * 1e3 for s in seconds]


def _drag_values(control, n):
    steps = np.arange(control.min, control.max + control.step / 2, control.step)
    sweep = np.concatenate([steps, steps[::-1][1:-1]])
    return [float(v) for v in np.resize(sweep, n)]


def _jump_values(explorer, n, seed=0):
    rng = np.random.default_rng(seed)
    changes = []
    names = list(explorer.controls)
    for _ in range(n):
        name = names[rng.integers(len(names))]
        control = explorer.controls[name]
        if hasattr(control, "options"):
            value = control.options[rng.integers(len(control.options))]
        else:
            k = rng.integers(round((control.max - control.min) / control.step) + 1)
            value = control.min + k * control.step
            value = int(value) if control.integer else float(value)
        changes.append((name, value))
    return changes


def _time_widget_changes(explorer, changes):
    """Wall time of each ``widget.value = v``, the explorer's own timing, and the full redraws."""
    widgets = explorer._control_widgets
    canvas = explorer.figure.canvas
    full_draws = [0]
    plain_draw = canvas.draw

    def counting_draw(*args, **kwargs):
        full_draws[0] += 1
        return plain_draw(*args, **kwargs)

    canvas.draw = counting_draw
    outer, inner = [], []
    try:
        for name, value in changes:
            start = time.perf_counter()
            widgets[name].value = value
            outer.append(time.perf_counter() - start)
            if explorer.last_error is not None:
                raise explorer.last_error
            inner.append(explorer.last_update_seconds)
    finally:
        del canvas.draw
    return outer, inner, full_draws[0]


def _naive_update(explorer, values):
    """One change the way ``interact`` + the inline backend handles it."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure

    from energylab.plotting import PALETTE, axis_label, style_rc

    explorer_cls = type(explorer)
    result = explorer.compute(**values)  # the same pure model
    with mpl.rc_context(style_rc()):
        fig, ax = plt.subplots(figsize=explorer_cls.figsize, dpi=explorer_cls.dpi)
        ax.plot(result["hours"], result["kwh"], color=PALETTE["blue"])
        ax.text(0.02, 0.92, f"{result['total_kwh']:,.0f} kWh in 48 h", transform=ax.transAxes)
        ax.set(title=explorer_cls.title, xlabel=axis_label("Time", "h"),
               ylabel=axis_label("Energy", "kWh"), xlim=(0, 48))
        png = print_figure(fig, "png", bbox_inches="tight")
        plt.close(fig)
    return png


def _render_variants(explorer, n=20):
    """Median ms of the render options tried, on the explorer's own figure."""
    fig = explorer.figure
    ax = explorer.ax

    def savefig(**kw):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", **kw)
        return buffer.getvalue()

    def explorer_full(level):  # the explorer's own path when the figure is stale
        explorer.png_compress_level = level
        try:
            return explorer._render()
        finally:
            del explorer.png_compress_level

    def touch():  # make the figure stale, as a change of limits or titles would
        ax.set_ylim(*ax.get_ylim())

    variants = {
        "savefig, bbox_inches='tight', zlib 6 (inline backend)": lambda: savefig(bbox_inches="tight"),
        "savefig, standard bbox, zlib 6": lambda: savefig(),
        "savefig, standard bbox, zlib 1": lambda: savefig(pil_kwargs={"compress_level": 1}),
        "savefig, standard bbox, zlib 1, dpi 72": lambda: savefig(dpi=72, pil_kwargs={"compress_level": 1}),
        "full draw (canvas.draw + animated) + PIL RGB, zlib 1 (explorer slow path)":
            lambda: explorer_full(1),
        "full draw (canvas.draw + animated) + PIL RGB, zlib 6": lambda: explorer_full(6),
        "blit animated artists + PIL RGB, zlib 1 (explorer fast path)": None,
    }
    rows = []
    for name, fn in variants.items():
        samples, size = [], 0
        for _ in range(n):
            if fn is None:  # a change to animated artists only
                explorer.line.set_ydata(explorer.line.get_ydata())
                start = time.perf_counter()
                size = len(explorer._render())
            else:
                touch()
                start = time.perf_counter()
                size = len(fn())
            samples.append(time.perf_counter() - start)
        rows.append(dict(name=f"render: {name}", value=round(statistics.median(_ms(samples)), 2),
                         unit="ms", budget="(informative)", note=f"{size / 1024:.0f} KiB PNG, median of {n}"))
    explorer._background = None  # the variants drew over the cached background
    return rows


def run() -> list[dict]:
    """Measure explorer and naive update latency; return one dict per measurement."""
    if "matplotlib.pyplot" not in sys.modules:
        import matplotlib
        matplotlib.use("Agg")
    from energylab.explore.base import ExampleExplorer

    explorer = ExampleExplorer()
    explorer.widget  # noqa: B018  (build the widgets: the timed path ends in the Image widget)
    # warm-up: caches, font loading, first full draws
    _time_widget_changes(explorer, [("power", v) for v in _drag_values(explorer.controls["power"], 5)])
    for _ in range(3):
        _naive_update(explorer, explorer.values)

    drag = [("power", v) for v in _drag_values(explorer.controls["power"], N_CHANGES)]
    jumps = _jump_values(explorer, N_CHANGES)
    drag_s, drag_inner, drag_full = _time_widget_changes(explorer, drag)
    jump_s, jump_inner, jump_full = _time_widget_changes(explorer, jumps)

    naive_s = []
    values = {name: control.default for name, control in explorer.controls.items()}
    for name, value in drag:
        values[name] = value
        start = time.perf_counter()
        _naive_update(explorer, values)
        naive_s.append(time.perf_counter() - start)

    drag_ms, jump_ms, naive_ms = _ms(drag_s), _ms(jump_s), _ms(naive_s)
    med_drag, med_jump, med_naive = (statistics.median(x) for x in (drag_ms, jump_ms, naive_ms))
    ratio = med_naive / med_drag
    ok = lambda good: "met" if good else "NOT MET"  # noqa: E731
    rows = [
        dict(name="explorer update, slider drag (median)", value=round(med_drag, 2), unit="ms",
             budget=f"< {BUDGET_MS:g} ms median: {ok(med_drag < BUDGET_MS)}",
             note=f"{len(drag)} steps of ExampleExplorer's power slider set on the widget (wall time "
                  f"to new PNG in the Image widget); {drag_full} full redraws, the rest blitted; "
                  f"explorer's own last_update_seconds median "
                  f"{statistics.median(_ms(drag_inner)):.2f} ms"),
        dict(name="explorer update, slider drag (p90)", value=round(_p90(drag_ms), 2), unit="ms",
             budget="(informative)", note="p90 includes the full redraws when the y-axis rescales"),
        dict(name="explorer update, random jumps (median)", value=round(med_jump, 2), unit="ms",
             budget=f"< {BUDGET_MS:g} ms median: {ok(med_jump < BUDGET_MS)}",
             note=f"{len(jumps)} random changes of every control; {jump_full} full redraws "
                  f"(y-axis rescales), the rest blitted; last_update_seconds median "
                  f"{statistics.median(_ms(jump_inner)):.2f} ms"),
        dict(name="explorer update, random jumps (p90)", value=round(_p90(jump_ms), 2), unit="ms",
             budget="(informative)", note="full redraw + PNG encode"),
        dict(name="naive interact + pyplot re-plot (median)", value=round(med_naive, 2), unit="ms",
             budget="(baseline)", note="plt.subplots, plot, print_figure(bbox_inches='tight'), close; "
                                       "same values as the drag"),
        dict(name="naive interact + pyplot re-plot (p90)", value=round(_p90(naive_ms), 2), unit="ms",
             budget="(baseline)", note=""),
        dict(name="speed-up vs naive (drag medians)", value=round(ratio, 2), unit="x",
             budget=f">= {BUDGET_RATIO:g}x: {ok(ratio >= BUDGET_RATIO)}", note="naive median / explorer median"),
        dict(name="speed-up vs naive (jump medians)", value=round(med_naive / med_jump, 2), unit="x",
             budget=f">= {BUDGET_RATIO:g}x: {ok(med_naive / med_jump >= BUDGET_RATIO)}",
             note="naive median / explorer random-jump median"),
    ]
    rows += _render_variants(explorer)
    rows += _chapter_explorers()
    return rows


def _naive_replot(explorer, values):
    """A naive re-plot of any explorer: a fresh figure with all its artists, saved the inline way."""
    from IPython.core.pylabtools import print_figure
    fresh = type(explorer)(**values)
    return print_figure(fresh.figure, "png", bbox_inches="tight")


def _chapter_explorers(n=30) -> list[dict]:
    """Every chapter explorer: random control changes through the widgets, against a naive re-plot."""
    from energylab import explore
    rows = []
    for name in explore.EXPLORERS:
        explorer = getattr(explore, name)()
        explorer.widget  # noqa: B018
        _time_widget_changes(explorer, _jump_values(explorer, 5, seed=1))  # warm-up
        changes = _jump_values(explorer, n, seed=2)
        outer, _, full = _time_widget_changes(explorer, changes)
        values = {k: c.default for k, c in explorer.controls.items()}
        naive = []
        for key, value in changes[:10]:
            values[key] = value
            start = time.perf_counter()
            _naive_replot(explorer, values)
            naive.append(time.perf_counter() - start)
        med, med_naive = statistics.median(_ms(outer)), statistics.median(_ms(naive))
        rows += [
            dict(name=f"{name} update (median)", value=round(med, 2), unit="ms",
                 budget=f"< {BUDGET_MS:g} ms", note=f"{n} random control changes via widgets; {full} full redraws; "
                                                   f"p90 {_p90(_ms(outer)):.1f} ms"),
            dict(name=f"{name} vs naive re-plot", value=round(med_naive / med, 2), unit="x",
                 budget=f">= {BUDGET_RATIO:g}x", note=f"naive median {med_naive:.1f} ms (new figure, all "
                                                      "artists, tight PNG)"),
        ]
    return rows


def _table(rows) -> str:
    width = max(len(r["name"]) for r in rows)
    return "\n".join(f"{r['name']:<{width}}  {r['value']:>8} {r['unit']:<3} {r['budget']:<28} {r['note']}"
                     for r in rows)


if __name__ == "__main__":
    print(_table(run()))
