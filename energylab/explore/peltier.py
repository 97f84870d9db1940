"""Thermoelectric (Peltier) coolers against compressors and the Carnot limit.

:class:`PeltierExplorer` draws, for a hot-side temperature, the cooling COP over the temperature lift
ΔT = T_h − T_c of the Carnot limit, a vapour-compression chiller (a fraction of Carnot derived from rated
chiller COPs, between refrigerant temperatures a few kelvin beyond the two fluids) and an ideal thermoelectric
module of figure of merit ZT
(:func:`energylab.cooling.peltier_vs_compressor`), with the practical range of real modules::

    from energylab.explore import PeltierExplorer
    PeltierExplorer()                 # last line of a cell: controls + figure
    PeltierExplorer(zt=2).result["peltier"]
"""
from __future__ import annotations

import numpy as np

from .base import Explorer, Slider, SourcedControls

__all__ = ["PeltierExplorer"]

#: Temperature lifts of the curves, K.
LIFTS = np.linspace(1.0, 80.0, 158)


class PeltierExplorer(Explorer):
    """COP over the temperature lift: Carnot, compressor, an ideal Peltier module at ZT, real modules.

    Controls:

    * ``zt`` — thermoelectric figure of merit ZT (default: the registry's ≈1 for Bi2Te3, not independently
      checked).
    * ``t_cold`` — cold-side temperature, °C (what is being cooled).
    * ``t_hot`` — hot-side temperature, °C (where the heat goes).

    When the cold side is not below the hot side, no work is needed (free cooling): there is no operating
    point and the text says so. The Peltier curve stops where the module can no longer hold the lift
    (its COP reaches 0 at ΔT_max).
    """

    title = "Peltier vs compressor vs Carnot"
    figsize = (7.2, 4.0)
    tight_layout = False  # done in draw, leaving a strip for the legend

    @SourcedControls
    def controls(cls):
        from ..sources import number
        return {
            "zt": Slider("Figure of merit ZT", 0.2, 3.0, 0.05, number("thermoelectric_zt_bi2te3"),
                         fmt="{:.2f}"),
            "t_cold": Slider("Cold side", -10.0, 45.0, 1.0, 15.0, unit="°C", fmt="{:.0f}"),
            "t_hot": Slider("Hot side", 20.0, 70.0, 1.0, 35.0, unit="°C", fmt="{:.0f}"),
        }

    def compute(self, zt, t_cold, t_hot):
        """COPs over :data:`LIFTS` at this hot side, and at the chosen point (pure)."""
        from ..cooling import peltier_max_delta_t, peltier_vs_compressor
        from ..units import Q_
        th = t_hot + 273.15
        curves = peltier_vs_compressor(Q_(th - LIFTS, "K"), Q_(th, "K"), zt)
        peltier = curves.peltier_cop_max.magnitude.astype(float)
        out = {
            "zt": float(zt), "t_cold": float(t_cold), "t_hot": float(t_hot), "lifts": LIFTS.copy(),
            "carnot_curve": curves.carnot_cop.magnitude.astype(float),
            "compressor_curve": curves.compressor_cop.magnitude.astype(float),
            "peltier_curve": np.where(peltier > 0, peltier, np.nan),
            "max_lift": float(peltier_max_delta_t(Q_(th, "K"), zt).magnitude),
            "practical": tuple(float(x) for x in curves.peltier_cop_practical.magnitude),
            "lift": float(t_hot - t_cold), "free": bool(t_cold >= t_hot),
        }
        if out["free"]:
            out.update(carnot=np.inf, compressor=np.inf, peltier=np.inf, ratio=1.0)
        else:
            point = peltier_vs_compressor(Q_(t_cold + 273.15, "K"), Q_(th, "K"), zt)
            out.update(carnot=float(point.carnot_cop.magnitude), compressor=float(point.compressor_cop.magnitude),
                       peltier=float(point.peltier_cop_max.magnitude), ratio=float(point.ratio.magnitude))
        return out

    def draw(self, fig, result):
        from matplotlib.patches import Rectangle

        from ..plotting import PALETTE, axis_label
        ax = self.ax = fig.add_subplot()
        x = result["lifts"]
        lo, hi = result["practical"]
        ax.add_patch(Rectangle((20, lo), 20, hi - lo, color=PALETTE["orange"], alpha=0.25, lw=0,
                               label="real modules (ΔT 20–40 K)"))
        (self.carnot,) = ax.plot(x, result["carnot_curve"], color=PALETTE["black"], lw=1.2, ls="--",
                                 animated=True, label="Carnot limit")
        (self.comp,) = ax.plot(x, result["compressor_curve"], color=PALETTE["blue"], lw=1.6, animated=True,
                               label="compressor chiller")
        (self.pelt,) = ax.plot(x, result["peltier_curve"], color=PALETTE["vermillion"], lw=1.6, animated=True,
                               label="ideal Peltier at ZT")
        self.marks = ax.plot([np.nan] * 3, [np.nan] * 3, ls="none", marker="o", ms=6, color=PALETTE["black"],
                             animated=True)[0]
        self.vline = ax.axvline(0, color=PALETTE["black"], lw=0.8, ls=":", animated=True)
        self.label = ax.text(0.98, 0.97, "", transform=ax.transAxes, ha="right", va="top", fontsize=8.5,
                             animated=True, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        ax.set_yscale("log")
        ax.set_ylim(0.05, 400)
        ax.set_xlim(0, 80)
        ax.set(title=self.title, xlabel=axis_label("Temperature lift ΔT = T_hot − T_cold", "K"),
               ylabel="COP (heat pumped / electricity)")
        # Below the axes: the animated curves are drawn over anything inside them, a legend included.
        self.legend = fig.legend(*ax.get_legend_handles_labels(), loc="lower center", ncol=4, fontsize=8,
                                 frameon=False)
        self.update(result)
        strip = self.legend.get_window_extent(fig.canvas.get_renderer()).y1 / fig.bbox.height
        fig.tight_layout(rect=(0, strip, 1, 1))

    def update(self, result):
        self.carnot.set_ydata(result["carnot_curve"])
        self.comp.set_ydata(result["compressor_curve"])
        self.pelt.set_ydata(result["peltier_curve"])
        if result["free"]:
            self.marks.set_data([np.nan] * 3, [np.nan] * 3)
            self.vline.set_xdata([np.nan, np.nan])
            self.label.set_text(f"cold side {result['t_cold']:.0f} °C ≥ hot side {result['t_hot']:.0f} °C: "
                                f"free cooling")
            return
        lift = result["lift"]
        pelt = result["peltier"] if result["peltier"] > 0 else np.nan
        self.marks.set_data([lift] * 3, [result["carnot"], result["compressor"], pelt])
        self.vline.set_xdata([lift, lift])
        peltier = f"Peltier {result['peltier']:.2f}" if result["peltier"] > 0 else "Peltier: none"
        self.label.set_text(f"ΔT {lift:.0f} K: Carnot {result['carnot']:.1f}, compressor "
                            f"{result['compressor']:.1f}, {peltier}")

    def describe(self, result):
        r = result
        head = (f"COP against the temperature lift for a {r['t_hot']:.0f} °C hot side: the compressor stays below "
                f"the Carnot limit (its refrigerant must run a few kelvin colder and hotter than the two fluids), "
                f"the ideal Peltier module at ZT {r['zt']:.2f} beats it only at lifts of a few kelvin, falls far "
                f"below at larger lifts and reaches zero at a {r['max_lift']:.0f} K lift; real modules reach "
                f"≈{r['practical'][0]:g}–{r['practical'][1]:g} at 20–40 K (not independently checked).")
        if r["free"]:
            return head + (f" At {r['t_cold']:.0f} °C the cold side is not below the hot side: no work is needed "
                           "(free cooling).")
        if r["peltier"] > 0 and r["ratio"] >= 1:
            point = (f"ideal Peltier {r['peltier']:.2f}: the compressor needs {r['ratio']:.1f} times less "
                     "electricity.")
        elif r["peltier"] > 0:
            point = (f"ideal Peltier {r['peltier']:.2f}: at this small lift the ideal module needs "
                     f"{1 / r['ratio']:.1f} times less electricity than the compressor.")
        else:
            point = "the Peltier module cannot hold this lift at all."
        return head + (f" From {r['t_cold']:.0f} to {r['t_hot']:.0f} °C (ΔT {r['lift']:.0f} K): Carnot "
                       f"{r['carnot']:.1f}, compressor {r['compressor']:.1f}, {point}")
