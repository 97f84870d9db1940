"""The power wall: power and energy per clock cycle of CMOS logic as the clock and the voltage change.

:class:`VoltageFrequencyExplorer` evaluates the dynamic power of a chip, P = α·C·V²·f
(:func:`energylab.chips.digital.dynamic_power`), at one operating point, then follows it along the
clock axis two ways:

* **voltage held** at the operating point's V: P ∝ f, and the energy per clock cycle α·C·V² stays put;
* **voltage following the clock** by the alpha-power law f ∝ (V − V_th)^a / V (Sakurai & Newton 1990;
  :func:`~energylab.chips.digital.voltage_for_frequency`, :func:`~energylab.chips.digital.coupled_power`),
  down to a floor: power rises faster than f, as f^k with k from about 1 near threshold to above 3 at high
  voltage (:func:`~energylab.chips.digital.power_frequency_exponent`).

A dashed line through the operating point shows the textbook cartoon P ∝ f³ (energy per cycle ∝ f²), which
holds only where the voltage rises in proportion to the clock. Both panels are log–log, so power laws are
straight lines. The ≈4 GHz clock and ≈100 W power at which CPUs stalled after Dennard scaling ended
(Esmaeilzadeh et al. 2011, facts ``cpu_clock_plateau``, ``cpu_tdp_plateau``) are drawn for reference::

    from energylab.explore import VoltageFrequencyExplorer
    VoltageFrequencyExplorer()                      # last line of a cell: controls + figure
    VoltageFrequencyExplorer(frequency=4.0).result  # the numbers, without the figure
"""
from __future__ import annotations

import math

import numpy as np

from ..chips import digital as dg
from ..formatting import rounded  # three significant figures, no exponent
from ..sources import number as _number
from ..units import u
from .base import Explorer, LogSlider, Slider, SourcedControls

__all__ = ["VoltageFrequencyExplorer", "FREQUENCIES", "V_MIN_DEFAULT"]

#: Clock frequencies along the curves, GHz (fixed, so an update only moves the curves).
FREQUENCIES = np.geomspace(0.1, 10.0, 121)
#: Default voltage floor of the explorer, V: a **course assumption** for the lowest supply at which
#: logic and its memories still work reliably (a few hundred millivolts above the threshold voltage).
V_MIN_DEFAULT = 0.6
#: Decades shown below and above the operating point (log scales): power, energy per cycle. The limits
#: move in whole decades, so most updates leave the axes alone (and take the fast path).
POWER_DECADES = (3, 3)
ENERGY_DECADES = (2, 2)


def _limits(value: float, decades: tuple) -> tuple:
    exponent = math.floor(math.log10(value))
    return 10.0 ** (exponent - decades[0]), 10.0 ** (exponent + 1 + decades[1])


class VoltageFrequencyExplorer(Explorer):
    """Power and energy per clock cycle against the clock, with the voltage held or following the clock.

    Controls (plain numbers in the units shown):

    * ``voltage`` — supply voltage V at the operating point, 0.5–1.3 V. Default 1.0 V.
    * ``frequency`` — clock f at the operating point, 0.5–5 GHz. Default 3 GHz. Together with ``voltage``
      it fixes how fast this chip's transistors are: every (V, f) pair is a different chip, and along one
      chip's red curve voltage and clock move together.
    * ``activity`` — α, the share of the capacitance switched per cycle, 0.02–0.5. Default 0.1.
    * ``capacitance`` — C, the chip's total switchable capacitance, 1–300 nF (equal ratios). Default
      50 nF.
    * ``v_th`` — the transistors' threshold voltage, 0–0.45 V. Default 0.3 V (course assumption,
      :data:`energylab.chips.digital.V_TH`). The alpha-power exponent is fixed at
      :data:`energylab.chips.digital.ALPHA_POWER` = 1.3 (course assumption, Sakurai & Newton 1990).
    * ``v_min`` — the lowest usable supply voltage, 0.5–1.2 V (always above the highest threshold, so it always
      binds somewhere on the curve). Default 0.6 V (course assumption,
      :data:`V_MIN_DEFAULT`). Below the clock at which V(f) reaches it, the voltage cannot follow the
      clock down, and power falls only in proportion to f. An operating voltage below the floor is
      raised to it (the caption says so).

    The defaults (α = 0.1, C = 50 nF, 1.0 V, 3 GHz → 15 W) are **course assumptions**: a desktop-class
    processor core complex, chosen for round numbers. The laws, not the defaults, are the lesson.
    """

    title = "The power wall: power and energy per cycle vs clock"
    figsize = (9.0, 4.0)
    tight_layout = False  # fixed layout (room for the figure legend below the axes)

    @SourcedControls
    def controls(cls):
        return {
            "voltage": Slider("Supply voltage V", 0.5, 1.3, 0.05, 1.0, unit="V", fmt="{:.2f}"),
            "frequency": Slider("Clock f", 0.5, 5.0, 0.1, 3.0, unit="GHz", fmt="{:.1f}"),
            "activity": Slider("Activity α", 0.02, 0.5, 0.01, 0.1, fmt="{:.2f}"),
            "capacitance": LogSlider("Switched capacitance C", 1.0, 300.0, 50.0, base=10, step=0.02,
                                     unit="nF", fmt="{:.3g}", readout=".3g"),
            "v_th": Slider("Threshold voltage V_th", 0.0, 0.45, 0.05, dg.V_TH, unit="V", fmt="{:.2f}"),
            "v_min": Slider("Voltage floor V_min", 0.5, 1.2, 0.05, V_MIN_DEFAULT, unit="V", fmt="{:.2f}"),
        }

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, voltage, frequency, activity, capacitance, v_th, v_min):
        """Everything the figure shows, for one operating point (pure).

        Returns
        -------
        dict
            ``frequencies`` (GHz, the curves' x); ``power_fixed``, ``power_coupled``, ``power_cube`` (W)
            and ``energy_fixed``, ``energy_coupled``, ``energy_cube`` (nJ per clock cycle) along them (the
            last pair the f³ cartoon through the operating point); the operating point's ``power`` (W),
            ``energy_per_cycle`` (nJ), ``v_eff`` (V, the voltage after the floor), ``raised`` (True when
            the set voltage was below the floor) and ``exponent`` (k of P ∝ f^k just above it, voltage
            following); ``double`` and ``half`` (the coupled power, W, and voltage, V, at 2× and ½× the
            clock); ``alpha_power`` (the alpha-power exponent); ``clock_plateau`` (GHz) and
            ``tdp_plateau`` (W) from the sources; and the inputs.
        """
        v_eff = max(voltage, v_min)
        f_hz = frequency * 1e9
        c = capacitance * u.nF
        law = {"v_th": v_th, "alpha": dg.ALPHA_POWER}
        power = dg.dynamic_power(activity, c, v_eff, f_hz).to("W").magnitude
        grid = FREQUENCIES * 1e9
        coupled = dg.coupled_power(np.append(grid, [2 * f_hz, 0.5 * f_hz]), f_hz, power, v0=v_eff,
                                   v_min=v_min, **law).to("W").magnitude
        volts = dg.voltage_for_frequency(np.array([2 * f_hz, 0.5 * f_hz]), f_hz, v_eff, v_min,
                                         **law).to("V").magnitude
        fixed = dg.dynamic_power(activity, c, v_eff, grid).to("W").magnitude  # voltage held: P ∝ f
        cube = power * (FREQUENCIES / frequency) ** 3                          # the cartoon, V ∝ f
        exponent = float(dg.power_frequency_exponent(v_eff, **law).magnitude)
        return {
            "voltage": voltage, "frequency": frequency, "activity": activity, "capacitance": capacitance,
            "v_th": v_th, "v_min": v_min, "v_eff": v_eff, "raised": voltage < v_min,
            "alpha_power": dg.ALPHA_POWER, "exponent": exponent,
            "frequencies": FREQUENCIES, "power_fixed": fixed, "power_coupled": coupled[:-2], "power_cube": cube,
            "energy_fixed": fixed / FREQUENCIES, "energy_coupled": coupled[:-2] / FREQUENCIES,
            "energy_cube": cube / FREQUENCIES,
            "power": float(power), "energy_per_cycle": float(power / frequency),
            "double": {"power": float(coupled[-2]), "voltage": float(volts[0])},
            "half": {"power": float(coupled[-1]), "voltage": float(volts[1])},
            "clock_plateau": _number("cpu_clock_plateau", "GHz"), "tdp_plateau": _number("cpu_tdp_plateau", "W"),
        }

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from matplotlib.ticker import FuncFormatter

        from ..plotting import PALETTE, axis_label
        self.axes = fig.subplots(1, 2)
        ax_p, ax_e = self.axes
        x = result["frequencies"]
        self.lines, self.points, self.labels = {}, {}, {}
        for ax, key, ylabel in ((ax_p, "power", axis_label("Dynamic power", "W")),
                                (ax_e, "energy", axis_label("Energy per clock cycle", "nJ"))):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlim(x[0], x[-1])
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            ax.set_xlabel(axis_label("Clock frequency", "GHz") + ", log scale")
            ax.set_ylabel(ylabel + ", log")
            ax.axvline(result["clock_plateau"], color="#999999", linestyle=":", linewidth=1.2)
            (self.lines[key, "cube"],) = ax.plot(x, x, color="#555555", linestyle="--", linewidth=1.0,
                                                animated=True, zorder=1.9, label="f³ cartoon")
            (self.lines[key, "fixed"],) = ax.plot(x, x, color=PALETTE["blue"], animated=True,
                                                 label="voltage held")
            (self.lines[key, "coupled"],) = ax.plot(x, x, color=PALETTE["vermillion"], animated=True,
                                                   label="voltage follows clock")
            (self.points[key],) = ax.plot([1], [1], "o", color=PALETTE["black"], markersize=7,
                                          markeredgecolor="white", zorder=5, animated=True)
        ax_p.axhline(result["tdp_plateau"], color="#999999", linestyle="--", linewidth=1.2)
        # Animated, above the curves (which are blitted over every static artist), on a white box: the
        # curves may cross it at any setting.
        self.plateau_label = ax_p.text(0.12, result["tdp_plateau"] * 1.3,
                                       f"≈{result['tdp_plateau']:.0f} W CPU plateau", fontsize=8, color="#666666",
                                       clip_on=True, animated=True, zorder=4,
                                       bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1})
        for ax in self.axes:
            ax.text(result["clock_plateau"] * 0.93, 0.03, f"≈{result['clock_plateau']:.0f} GHz", fontsize=8,
                    color="#666666", ha="right", transform=ax.get_xaxis_transform())
        self.labels["power"] = ax_p.text(0.03, 0.92, "", transform=ax_p.transAxes, fontsize=9, animated=True)
        self.labels["energy"] = ax_e.text(0.03, 0.92, "", transform=ax_e.transAxes, fontsize=9, animated=True)
        ax_p.set_title("Power: slope 1 (V held) vs steeper (V follows f)", fontsize=11)
        ax_e.set_title("Energy per cycle: flat vs rising", fontsize=11)
        from matplotlib.lines import Line2D
        handles = [Line2D([], [], color=PALETTE["blue"], label="voltage held at V"),
                   Line2D([], [], color=PALETTE["vermillion"], label="voltage follows the clock (alpha-power law)"),
                   Line2D([], [], color="#555555", linestyle="--", linewidth=1.0,
                          label="cartoon P ∝ f³ (V ∝ f) through the point"),
                   Line2D([], [], color="#999999", linestyle=":", label="CPU clock plateau")]
        fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=9)
        fig.suptitle(self.title, fontsize=12)
        fig.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.25, wspace=0.28)
        self.update(result)

    def update(self, result):
        for key in ("power", "energy"):
            for kind in ("fixed", "coupled", "cube"):
                self.lines[key, kind].set_ydata(result[f"{key}_{kind}"])
        self.points["power"].set_data([result["frequency"]], [result["power"]])
        self.points["energy"].set_data([result["frequency"]], [result["energy_per_cycle"]])
        volts = (f"{result['voltage']:.2f} V raised to the {result['v_eff']:.2f} V floor" if result["raised"]
                 else f"{result['v_eff']:.2f} V")
        self.labels["power"].set_text(f"{rounded(result['power'])} W at {result['frequency']:.1f} GHz, {volts}")
        self.labels["energy"].set_text(f"{rounded(result['energy_per_cycle'])} nJ per cycle")
        # A fixed window of decades around the operating point: at extreme settings the f³ curve may run
        # off the top at high clocks (that is the point); widening to fit it made most updates full redraws.
        for ax, value, decades in ((self.axes[0], result["power"], POWER_DECADES),
                                   (self.axes[1], result["energy_per_cycle"], ENERGY_DECADES)):
            limits = _limits(value, decades)
            if ax.get_ylim() != limits:
                ax.set_ylim(*limits)

    def describe(self, result):
        r = result
        raised = (f" The set voltage ({r['voltage']:.2f} V) is below the floor, so it is raised to "
                  f"{r['v_eff']:.2f} V." if r["raised"] else "")
        d, h = r["double"], r["half"]
        return (f"α = {r['activity']:.2f}, C = {r['capacitance']:.3g} nF at {r['v_eff']:.2f} V and "
                f"{r['frequency']:.1f} GHz: {rounded(r['power'])} W of dynamic power, "
                f"{rounded(r['energy_per_cycle'])} nJ per clock cycle.{raised} With the voltage following the clock "
                f"(alpha-power law, threshold {r['v_th']:.2f} V, exponent {r['alpha_power']:g}; floor "
                f"{r['v_min']:.2f} V), power grows locally as f^{r['exponent']:.2f} above this point (the f³ "
                f"cartoon holds only where the voltage rises in proportion to the clock); twice "
                f"the clock needs {d['voltage']:.2f} V and {rounded(d['power'])} W "
                f"({d['power'] / r['power']:.3g}× the power for 2× the work rate, against 8× in the cartoon); "
                f"half the clock runs at {h['voltage']:.2f} V and {rounded(h['power'])} W "
                f"({h['power'] / r['power']:.3g}×). With the voltage held, power is proportional to the clock and "
                f"the energy per cycle does not change.")
