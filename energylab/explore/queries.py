"""Energy per chatbot query from a few assumptions, against the published estimates.

Published figures for the energy of one chatbot query differ by an order of magnitude. Most of the gap
comes from assumptions, not from measurement error: how much power the servers draw, how many
queries each server answers per second, and what is counted (accelerators only, the whole server,
idle machines, the building's overhead). :class:`QueryExplorer` lets a reader set those
assumptions and see where the result lands among the published estimates::

    from energylab.explore import QueryExplorer
    QueryExplorer(load=0.5, pue=1.1)
"""
from __future__ import annotations

import numpy as np

from ..inference import devries_queries_per_second, query_energy_from_fleet
from ..sources import get, number
from .base import Explorer, Slider, SourcedControls

__all__ = ["QueryExplorer", "ESTIMATES"]

#: Published estimates shown as markers: (fact id, what it covers), ordered by value.
ESTIMATES = (
    ("gemini_narrow_boundary_prompt_energy", "Gemini median, accelerators only"),
    ("gemini_median_prompt_energy", "Gemini median, full serving stack"),
    ("epoch_gpt4o_query_energy", "GPT-4o typical query, H100 model"),
    ("google_search_energy_2009", "a web search in 2009 (for scale)"),
    ("openai_chatgpt_query_energy", "ChatGPT mean query, no method given"),
    ("jegham_gpt4o_short_prompt_energy", "GPT-4o short prompt, API speed × power"),
    ("devries_chatgpt_request_energy", "ChatGPT request, servers at full power"),
)
#: Fact holding the ± spread of an estimate, where one is published.
SPREAD = {"jegham_gpt4o_short_prompt_energy": "jegham_gpt4o_short_prompt_energy_sd"}
#: The one estimate that is not a chatbot query (shown for scale only).
SEARCH = "google_search_energy_2009"
#: Estimates on a narrower boundary than a server's (accelerators only): shown, but not used as the lowest or highest
#: comparable figure, since the explorer's model counts the whole server.
NARROW_BOUNDARY = frozenset({"gemini_narrow_boundary_prompt_energy"})
#: Added to the label of an estimate whose registry status is M (not independently checked).
UNCHECKED = " (≈, not checked)"


def _label(fact_id: str, what: str) -> str:
    """Axis label of a published estimate; an unchecked (status M) value says so."""
    fact = get(fact_id)
    return f"{fact.cite()}\n{what}" + (UNCHECKED if fact.status == "M" else "")


class QueryExplorer(Explorer):
    """Energy of one query = server power × share of it drawn × PUE ÷ queries per second.

    Controls:

    * ``server_kw`` — rated power of one inference server, kW. Default: the HGX A100 server of
      de Vries (2023) (``devries_server_power``).
    * ``load`` — share of the rated power the server actually draws on average (0.1–1). Default
      1, de Vries's assumption of full power around the clock (an upper bound).
    * ``qps`` — queries each server answers per second, on average over the day. Default: the
      value implied by de Vries's inputs (``devries_daily_users`` × ``devries_requests_per_user``
      per day, shared by ``devries_servers`` servers).
    * ``pue`` — the building's overhead, 1–2. Default 1: servers only, as de Vries counted.

    Model: E = P × load × PUE / qps, :func:`energylab.inference.query_energy_from_fleet` for one
    server. With the defaults it reproduces de Vries's estimate.

    The figure places the result (a vertical line; the log scale widens by a decade when the result
    leaves it) among the published estimates (``ESTIMATES``): Elsworth et al. 2025 (Google; median,
    full serving stack, and accelerators only), You 2025 (Epoch AI), Altman 2025 (OpenAI), Jegham et
    al. 2025 (with its ± spread), de Vries 2023, and Google's 2009 figure for a web search.

    An estimate whose registry status is M (not independently checked: Google's accelerator-only
    figure) is drawn as a hollow marker, labelled "≈, not checked", and left out of the
    lowest/highest comparison in the caption, so an unchecked value never silently becomes
    "the lowest estimate".
    """

    title = "Energy per chatbot query"
    figsize = (8.0, 4.6)

    @SourcedControls
    def controls(cls):
        return {
            "server_kw": Slider("Server power (rated)", 0.5, 15.0, 0.1,
                                number("devries_server_power", "kW"), unit="kW",
                                fmt="{:.1f}"),
            "load": Slider("Power drawn (share of rated)", 0.1, 1.0, 0.05, 1.0, fmt="{:.0%}"),
            "qps": Slider("Queries per server per second", 0.1, 10.0, 0.05, devries_queries_per_second(),
                          unit="1/s", fmt="{:.2f}"),
            "pue": Slider("PUE (1 = servers only)", 1.0, 2.0, 0.01, 1.0, fmt="{:.2f}"),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, server_kw, load, qps, pue):
        """Energy per query for one set of assumptions (pure).

        Parameters
        ----------
        server_kw : float
            Rated power of a server, kW.
        load : float
            Share of the rated power drawn on average, in (0, 1].
        qps : float
            Queries answered per server per second, > 0.
        pue : float
            Power Usage Effectiveness, at least 1.

        Returns
        -------
        dict
            ``wh`` (Wh per query), ``server_wh`` (the same before PUE), ``estimates`` (list of
            ``(fact id, label, Wh, ± Wh or 0)``, as published), ``nearest`` (label of the closest
            chatbot estimate on a log scale; an unchecked one says so), ``ratio_low``/``ratio_high``
            (``wh`` over the smallest and largest *checked* published chatbot figures, i.e. with a
            status other than M, on a boundary at least a server's wide), ``low``/``high`` (the labels of those two)
            and the inputs.
        """
        per_day = qps * 24 * 3600                                      # queries one server answers in a day
        wh = float(query_energy_from_fleet(1, server_kw, per_day, load=load, pue=pue).to("Wh").magnitude)
        server_wh = float(query_energy_from_fleet(1, server_kw, per_day, load=load).to("Wh").magnitude)
        estimates = [(i, _label(i, what), number(i, "Wh"),
                      number(SPREAD[i], "Wh") if i in SPREAD else 0.0)
                     for i, what in ESTIMATES]
        chatbot = [e for e in estimates if e[0] != SEARCH]
        values = np.array([e[2] for e in chatbot])
        nearest = chatbot[int(np.argmin(np.abs(np.log(values / wh))))][1].replace("\n", ", ")
        checked = [e for e in chatbot if get(e[0]).status != "M" and e[0] not in NARROW_BOUNDARY]
        low = min(checked, key=lambda e: e[2])
        high = max(checked, key=lambda e: e[2])
        return {"server_kw": server_kw, "load": load, "qps": qps, "pue": pue, "wh": wh,
                "server_wh": server_wh, "estimates": estimates, "nearest": nearest,
                "ratio_low": wh / low[2], "ratio_high": wh / high[2],
                "low": low[1].replace("\n", ", "), "high": high[1].replace("\n", ", ")}

    # ---- figure --------------------------------------------------------------------------------
    XLIM = (0.01, 100.0)

    def draw(self, fig, result):
        from matplotlib.lines import Line2D
        from matplotlib.ticker import FuncFormatter

        from ..plotting import PALETTE, axis_label
        ax = self.ax = fig.add_subplot()
        labels = [label for _, label, _, _ in result["estimates"]]
        y = np.arange(len(labels))
        for row, (fact_id, _, wh, spread) in zip(y, result["estimates"]):
            scale = fact_id == SEARCH
            colour = PALETTE["black"] if scale else PALETTE["bluish_green"]
            face = "white" if get(fact_id).status == "M" else colour   # hollow: not checked
            if spread:
                ax.errorbar([wh], [row], xerr=[[spread], [spread]], fmt="o", color=colour, capsize=4,
                            markerfacecolor=face)
            else:
                ax.plot([wh], [row], "s" if scale else "o", color=colour, markersize=7,
                        markerfacecolor=face, markeredgewidth=1.5)
        ax.set_yticks(y, labels, fontsize=8.5)
        ax.set_xscale("log")
        ax.set_xlim(*self.XLIM)
        ax.set_ylim(-0.7, len(labels) - 0.3)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set(title=self.title, xlabel=axis_label("Energy per query", "Wh") + ", log scale")
        ax.grid(axis="y", visible=False)
        self.line = ax.axvline(result["wh"], color=PALETTE["vermillion"], linewidth=2.5, animated=True)
        handles = [Line2D([], [], marker="o", linestyle="", color=PALETTE["bluish_green"], label="published estimate"),
                   Line2D([], [], marker="o", linestyle="", color=PALETTE["bluish_green"], markerfacecolor="white",
                          markeredgewidth=1.5, label="published, not checked"),
                   Line2D([], [], marker="s", linestyle="", color=PALETTE["black"], label="web search (scale)"),
                   Line2D([], [], color=PALETTE["vermillion"], linewidth=2.5, label="your assumptions")]
        # Below the axes: the animated line is drawn over everything inside them, a legend included.
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.17), fontsize=8.5, ncol=2)
        self.note = ax.text(0.99, 0.02, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=9,
                            color=PALETTE["vermillion"], animated=True,
                            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 2})
        self.update(result)

    def update(self, result):
        wh = result["wh"]
        self.line.set_xdata([wh, wh])
        # Off (or on the edge of) the usual scale, widen it to the next decade: the line stays visible at its
        # true value. A static change (full redraw), made only when the limits change.
        limits = (min(self.XLIM[0], 10.0 ** np.floor(np.log10(wh / 1.2))),
                  max(self.XLIM[1], 10.0 ** np.ceil(np.log10(wh * 1.2))))
        if self.ax.get_xlim() != limits:
            self.ax.set_xlim(*limits)
        self.note.set_text(f"Your assumptions: {result['wh']:.3g} Wh per query")

    def describe(self, result):
        r = result
        return (f"A server of {r['server_kw']:.1f} kW drawing {r['load']:.0%} of it, answering "
                f"{r['qps']:.2f} queries per second, at PUE {r['pue']:.2f}, uses {r['wh']:.3g} Wh per query: "
                f"{r['ratio_low']:.3g} times the lowest checked published chatbot estimate ({r['low']}) and "
                f"{r['ratio_high']:.3g} times the highest ({r['high']}); the closest is {r['nearest']}.")
