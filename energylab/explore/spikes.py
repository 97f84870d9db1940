"""Chapter 05's spiking explorers: one leaky integrate-and-fire neuron, and spikes against multiply-accumulates.

* :class:`LIFExplorer` — input current, membrane time constant and refractory time move the membrane trace and the
  simulated rate against the rate formula (:mod:`energylab.chips.neuromorphic.lif`).
* :class:`SpikeEnergyExplorer` — spikes per input neuron per inference against the break-even activity
  s̄* = E_MAC / E_syn, for published prices per synaptic event and two digital baselines, with the spikes a rate
  code needs for 1–4 bits marked.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from .base import Choice, Explorer, LogSlider, Slider

__all__ = ["LIFExplorer", "SpikeEnergyExplorer"]

_CURRENTS = np.linspace(0.0, 4.0, 81)   # nA, the f–I curve's grid
_SHOWN = 0.2           # s of membrane trace shown
_SIMULATED = 0.5       # s simulated for the rate (several intervals even at low rates)
_DT = 1e-4             # s


@cache
def _neuron():
    """The chapter's neuron: lif's defaults for R, V_th, V_rest and V_reset (imported late: no pint at import)."""
    from ..chips.neuromorphic.lif import LIFParams
    return LIFParams()


class LIFExplorer(Explorer):
    """A leaky integrate-and-fire neuron under a constant current: its membrane voltage and its rate.

    Controls: ``current`` (nA), ``tau`` (membrane time constant, ms) and ``t_ref`` (refractory time, ms); R, V_th,
    V_rest and V_reset are :class:`~energylab.chips.neuromorphic.lif.LIFParams`' defaults (the chapter's neuron).
    """

    title = "A leaky integrate-and-fire neuron"
    figsize = (9.0, 3.8)
    tight_layout = False

    controls = {
        "current": Slider("Input current", 0.0, 4.0, 0.05, 2.0, unit="nA", fmt="{:.2f}"),
        "tau": Slider("Membrane time constant τ", 5, 50, 1, 20, unit="ms", fmt="{:.0f}"),
        "t_ref": Slider("Refractory time", 0.0, 5.0, 0.5, 2.0, unit="ms", fmt="{:.1f}"),
    }

    def compute(self, current, tau, t_ref):
        from ..chips import neuromorphic
        from ..units import Q_
        params = {"tau": float(tau) / 1000, "t_ref": float(t_ref) / 1000}
        trace, spikes, rate = neuromorphic.lif_simulate(Q_(float(current), "nA"), _SIMULATED, _DT, **params)
        shown = int(round(_SHOWN / _DT))
        curve = neuromorphic.lif_rate(Q_(_CURRENTS, "nA"), **params).to("Hz").magnitude
        formula = float(neuromorphic.lif_rate(Q_(float(current), "nA"), **params).to("Hz").magnitude)
        return {"current": float(current), "tau": float(tau), "t_ref": float(t_ref),
                "time_ms": np.arange(shown) * _DT * 1000, "trace_mv": trace[:shown] * 1000,
                "spikes_ms": spikes[spikes < _SHOWN] * 1000, "currents": _CURRENTS, "curve": curve,
                "formula": formula, "simulated": float(rate.to("Hz").magnitude),
                "rheobase": float(neuromorphic.rheobase().to("nA").magnitude),
                "settles_mv": (_neuron().v_rest + float(current) * 1e-9 * _neuron().resistance) * 1000,
                "v_th_mv": _neuron().v_th * 1000,
                "ceiling": 1000 / float(t_ref) if t_ref > 0 else float("inf")}

    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        self.ax_v, self.ax_r = fig.subplots(1, 2, gridspec_kw={"width_ratios": (1.3, 1)})
        fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.15, wspace=0.28)
        fig.suptitle(self.title, fontsize=12)
        (self.trace,) = self.ax_v.plot(result["time_ms"], result["trace_mv"], color=PALETTE["blue"], lw=1,
                                       animated=True)
        self.ax_v.axhline(result["v_th_mv"], color=PALETTE["vermillion"], ls="--", lw=1, label="threshold")
        self.ax_v.set_ylim(-1, 20)
        self.ax_v.set(xlabel=axis_label("Time", "ms"), ylabel=axis_label("Membrane voltage", "mV"),
                      title=f"first {_SHOWN * 1000:.0f} ms (reset to 0 after each spike)")
        self.ax_v.legend(fontsize=8, loc="upper right", frameon=False)
        (self.curve,) = self.ax_r.plot(result["currents"], result["curve"], color=PALETTE["orange"],
                                       label="formula", animated=True)
        (self.point,) = self.ax_r.plot([], [], marker="o", ls="none", color=PALETTE["blue"], label="simulation",
                                       animated=True)
        self.ax_r.set_ylim(0, 250)
        self.ax_r.set(xlabel=axis_label("Input current", "nA"), ylabel=axis_label("Firing rate", "Hz"),
                      title="rate against current")
        self.ax_r.legend(fontsize=8, loc="upper left", frameon=False)
        self.update(result)

    def update(self, result):
        self.trace.set_ydata(result["trace_mv"])
        self.curve.set_ydata(result["curve"])
        self.point.set_data([result["current"]], [result["simulated"]])

    def describe(self, result):
        r = result
        ceiling = f"{r['ceiling']:.0f} Hz" if np.isfinite(r["ceiling"]) else "no limit (t_ref = 0)"
        if r["formula"] == 0:
            state = (f"below the rheobase of {r['rheobase']:.2f} nA the neuron never fires: its voltage settles "
                     f"at {r['settles_mv']:.1f} mV, under the {r['v_th_mv']:g} mV threshold")
        else:
            state = (f"the formula gives {r['formula']:.1f} Hz and the simulation {r['simulated']:.1f} Hz "
                     f"(rheobase {r['rheobase']:.2f} nA)")
        return (f"With {r['current']:.2f} nA, τ = {r['tau']:.0f} ms and a refractory time of {r['t_ref']:.1f} ms, "
                f"{state}; the rate can never exceed 1/t_ref: {ceiling}.")


def _prices():
    """Published prices per synaptic event: (label, fact id) pairs."""
    # the labels name the chip and what it counts; the value and the citation come from the registry (caption)
    return [("TrueNorth, all-in per synaptic event", "truenorth_energy_per_synaptic_event"),
            ("Loihi, per synaptic operation (pre-silicon)", "loihi_energy_per_synaptic_op")]


@cache
def _price_pj(fact: str) -> tuple:
    from .. import sources
    f = sources.get(fact)
    return float(f.q.to("pJ").magnitude), f.cite(), f.status


@cache
def _baseline_pj(kind: str) -> float:
    from ..chips import analog
    from ..chips.digital.energy import op_energy
    if kind == "sram":
        return float(analog.digital_mac_energy().to("pJ").magnitude)
    return float(op_energy("fma", "int8", accumulate="int32").to("pJ").magnitude)


_ACTIVITY = np.logspace(-3, 2, 101)


class SpikeEnergyExplorer(Explorer):
    """Energy per input per output neuron: a spiking layer (s̄ · E_syn) against a dense digital one (E_MAC).

    Controls: ``activity`` (spikes per input neuron per inference, s̄), ``price`` (a published energy per synaptic
    event) and ``baseline`` (chapter 04's INT8 MAC with its weight read from SRAM, or the bare INT8 MAC of
    Horowitz 2014). Markers: the spikes a Poisson rate code needs for 1–4 bits (4^B).
    """

    title = "Spikes against multiply-accumulates"
    figsize = (7.6, 4.2)
    tight_layout = False

    controls = {
        "activity": LogSlider("Spikes per input per inference s̄", 0.001, 100.0, 1.0, base=10, step=0.05,
                              fmt="{:.3g}"),
        "price": Choice("Energy per synaptic event", [(label, fact) for label, fact in _prices()],
                        "truenorth_energy_per_synaptic_event"),
        "baseline": Choice("Digital baseline", [("INT8 MAC + 8 KB SRAM read (chapter 04)", "sram"),
                                                ("bare INT8 MAC (Horowitz 2014)", "bare")], "sram"),
    }

    def compute(self, activity, price, baseline):
        from ..chips import neuromorphic
        from ..units import Q_
        e_syn, cite, status = _price_pj(str(price))
        e_mac = _baseline_pj(baseline)
        s_star = neuromorphic.breakeven_spikes(Q_(e_mac, "pJ"), Q_(e_syn, "pJ"))
        snn = float(activity) * e_syn
        return {"activity": float(activity), "price": price, "baseline": baseline, "e_syn": e_syn, "cite": cite,
                "status": status, "e_mac": e_mac, "s_star": s_star, "snn_pj": snn, "ratio": snn / e_mac,
                "curve": _ACTIVITY * e_syn,
                "bits": [(b, float(neuromorphic.spikes_for_bits(b))) for b in (1, 2, 3, 4)]}

    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        ax = self.ax = fig.add_subplot()
        fig.subplots_adjust(left=0.12, right=0.97, top=0.9, bottom=0.14)
        (self.snn,) = ax.plot(_ACTIVITY, result["curve"], color=PALETTE["blue"], label="spiking: s̄ · E_syn",
                              animated=True)
        self.ann = ax.axhline(result["e_mac"], color=PALETTE["black"], lw=1.2, label="digital: E_MAC",
                              animated=True)
        self.star = ax.axvline(result["s_star"], color=PALETTE["vermillion"], ls="--", lw=1,
                               label="break-even s̄*", animated=True)
        for bits, spikes in result["bits"]:
            ax.axvline(spikes, color="0.75", lw=0.8)
            ax.text(spikes, 2e3, f"{bits} bit{'s' * (bits > 1)}", rotation=90, fontsize=7, color="0.4",
                    va="top", ha="right")
        (self.point,) = ax.plot([], [], marker="o", ms=9, ls="none", color=PALETTE["orange"], label="this s̄",
                                animated=True)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(_ACTIVITY[0], _ACTIVITY[-1])
        ax.set_ylim(1e-2, 3e3)
        ax.set(title=self.title, xlabel="Spikes per input neuron per inference s̄",
               ylabel=axis_label("Energy per input per output", "pJ"))
        ax.legend(fontsize=8, loc="lower right", frameon=False)
        self.label = ax.text(0.02, 0.9, "", transform=ax.transAxes, fontsize=8.5, animated=True,
                             bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        self.update(result)

    def update(self, result):
        self.snn.set_ydata(result["curve"])
        self.ann.set_ydata([result["e_mac"], result["e_mac"]])
        self.star.set_xdata([result["s_star"], result["s_star"]])
        self.point.set_data([result["activity"]], [result["snn_pj"]])
        verdict = "spikes win" if result["ratio"] < 1 else "the MAC wins"
        self.label.set_text(f"s̄ = {result['activity']:.3g}: {result['snn_pj']:.3g} pJ vs {result['e_mac']:.3g} pJ "
                            f"({verdict}); s̄* = {result['s_star']:.3g}; E_syn = {result['e_syn']:g} pJ")

    def describe(self, result):
        r = result
        if r["ratio"] < 1:
            verdict = f"the spiking layer costs {1 / r['ratio']:.3g}× less than the digital one"
        else:
            verdict = f"the spiking layer costs {r['ratio']:.3g}× more than the digital one"
        checked = "" if r["status"] != "M" else ", not independently checked"
        (b_lo, n_lo), (b_hi, n_hi) = r["bits"][0], r["bits"][-1]
        return (f"At s̄ = {r['activity']:.3g} spikes per input neuron per inference and {r['e_syn']:g} pJ per "
                f"synaptic event ({r['cite']}{checked}), {verdict} ({r['snn_pj']:.3g} pJ against "
                f"{r['e_mac']:.3g} pJ per MAC); spikes break even below s̄* = {r['s_star']:.3g}, while a rate code "
                f"needs about {n_lo:,.0f} spikes for {b_lo} bit and {n_hi:,.0f} for {b_hi} bits.")
