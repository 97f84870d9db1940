"""Chapter 04's explorers: a network on analog tiles (accuracy and energy together), and a tile's energy.

* :class:`AnalogDeploymentExplorer` — a digits classifier programmed onto simulated PCM tiles
  (:mod:`energylab.experiments.analog_deployment`): programming noise, ADC bits, array rows, time since
  programming, drift compensation and the training (standard or noise-aware) move its point on the
  accuracy–energy plane, against the digital INT8 network and the other converter/array settings.
* :class:`TileEnergyExplorer` — one tile's energy per MAC by part (cells, ADCs, DACs, periphery) and its
  TOPS/W against the published chips, each labelled with what its figure counts.

The networks are trained once, on first use (seed 0, about 0.1 s each); every programmed chip is kept, so moving
only the time or the compensation re-reads the same chip (a few milliseconds).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .base import Choice, Explorer, LogSlider, Slider

__all__ = ["AnalogDeploymentExplorer", "TileEnergyExplorer"]

_TRAINING = [("standard", "standard"), ("noise-aware (σ = 6 % of max|W|)", "noise_aware")]
_NOISE_AWARE_SIGMA = 0.06
_SEED = 0


@lru_cache(maxsize=1)
def _data():
    from ..experiments.analog import digits_split
    return digits_split(_SEED)


@lru_cache(maxsize=2)
def _model(training: str):
    from ..experiments.analog import train_network
    return train_network(_data(), _SEED, weight_noise=_NOISE_AWARE_SIGMA if training == "noise_aware" else 0.0)


@lru_cache(maxsize=64)
def _chip(training: str, noise: float, adc_bits: int, rows: int):
    """A programmed chip and its energy per inference (pJ), kept for every setting tried."""
    from ..experiments.analog import CALIBRATION_SAMPLES
    from ..experiments.analog_deployment import AnalogSettings, deploy
    data = _data()
    chip = deploy(_model(training), AnalogSettings(adc_bits=adc_bits, rows=rows, programming_noise=noise),
                  data.X_train[:CALIBRATION_SAMPLES], seed=_SEED + 1)
    return chip, _energy(training, adc_bits, rows, chip)


_energies: dict = {}


def _energy(training: str, adc_bits: int, rows: int, chip) -> float:
    """Energy per inference, pJ: it depends on the targets and the inputs, not on the device noise."""
    key = (training, adc_bits, rows)
    if key not in _energies:
        _energies[key] = float(chip.energy_per_inference(_data().X_test).to("pJ").magnitude)
    return _energies[key]


@lru_cache(maxsize=4)
def _cloud(training: str):
    """Accuracy and energy of every converter × array setting one day after programming (the background)."""
    from ..experiments.analog import ADC_BITS, ARRAY_ROWS
    from ..experiments.analog_deployment import TIMES
    data = _data()
    points = []
    for bits in ADC_BITS:
        for rows in ARRAY_ROWS:
            chip, energy = _chip(training, 1.0, bits, rows)
            points.append((energy, chip.accuracy(data.X_test, data.y_test, TIMES["1 day"])))
    return np.array(points)


@lru_cache(maxsize=2)
def _reference_logits(training: str) -> np.ndarray:
    return _model(training).forward(_data().X_test)


@lru_cache(maxsize=1)
def _digital():
    """(energy pJ, accuracy) of the int8 digital network on the same test images."""
    from ..chips import analog
    from ..experiments.quantization import quantize_model
    data = _data()
    model = _model("standard")
    q = quantize_model(model, 8, 8, calibration=data.X_train)
    return float((model.n_weights * analog.digital_mac_energy()).to("pJ").magnitude), q.accuracy(data.X_test,
                                                                                                   data.y_test)


class AnalogDeploymentExplorer(Explorer):
    """A trained digits classifier on simulated PCM tiles: accuracy and energy per inference move together.

    Controls: ``noise`` (multiplier of the published PCM programming noise), ``adc_bits``, ``rows`` (array rows
    per tile), ``time`` since programming, ``compensation`` (global drift compensation) and ``training``.
    The grey points are every ADC × array setting one day after programming with the published noise; the
    square is the digital INT8 network (45 nm energies, weights from SRAM). Test set: 359 images (one image is
    0.28 points of accuracy).
    """

    title = "A digits classifier on analog tiles"
    figsize = (7.6, 4.2)
    tight_layout = False

    controls = {
        "noise": Slider("Programming noise × published", 0.0, 4.0, 0.5, 1.0, fmt="{:.1f}×"),
        "adc_bits": Slider("ADC bits", 3, 8, 1, 8, fmt="{:.0f}"),
        "rows": Choice("Rows per tile", [("16", 16), ("32", 32), ("64", 64)], 64),
        "time": Choice("Time since programming", [(t, t) for t in ("1 s", "1 h", "1 day", "1 month", "1 year")],
                       "1 day"),
        "compensation": Choice("Drift compensation", [("on", True), ("off", False)], True),
        "training": Choice("Training", _TRAINING, "standard"),
    }

    def compute(self, noise, adc_bits, rows, time, compensation, training):
        from ..experiments.analog_deployment import TIMES
        data = _data()
        chip, energy = _chip(training, float(noise), int(adc_bits), int(rows))
        logits = chip.logits(data.X_test, TIMES[time], compensate=compensation)
        accuracy = float(np.mean(np.argmax(logits, axis=1) == data.y_test))
        reference = _reference_logits(training)
        # Accuracy moves in steps of one image; the logits' error shows every change of the hardware.
        logit_error = float(np.sqrt(np.mean((logits - reference) ** 2) / np.mean(reference ** 2)))
        digital_energy, digital_accuracy = _digital()
        return {"noise": float(noise), "adc_bits": int(adc_bits), "rows": int(rows), "time": time,
                "compensation": bool(compensation), "training": training, "accuracy": accuracy,
                "logit_error": logit_error,
                "energy_pj": energy, "digital_pj": digital_energy, "digital_accuracy": digital_accuracy,
                "saving": digital_energy / energy, "cloud": _cloud(training)}

    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        ax = self.ax = fig.add_subplot()
        fig.subplots_adjust(left=0.11, right=0.97, top=0.9, bottom=0.14)
        self.cloud = ax.scatter(result["cloud"][:, 0], 100 * result["cloud"][:, 1], s=22, color="0.6",
                                label="ADC × array settings, 1 day")
        self.cloud_training = result["training"]
        ax.scatter([result["digital_pj"]], [100 * result["digital_accuracy"]], marker="s", s=60,
                   color=PALETTE["black"], label="digital INT8")
        (self.point,) = ax.plot([], [], marker="o", ms=10, ls="none", color=PALETTE["vermillion"],
                                label="this setting", animated=True)
        ax.set_xscale("log")
        ax.set_xlim(30, 10000)
        ax.set_ylim(40, 100)
        ax.set(title=self.title, xlabel=axis_label("Energy per inference (macro scale)", "pJ"),
               ylabel=axis_label("Test accuracy", "%"))
        ax.legend(loc="lower right", fontsize=8, frameon=False)
        self.label = ax.text(0.02, 0.04, "", transform=ax.transAxes, fontsize=8.5, animated=True,
                             bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        self.update(result)

    def update(self, result):
        if result["training"] != self.cloud_training:   # rare: a full redraw, the cloud is not animated
            self.cloud.set_offsets(np.column_stack([result["cloud"][:, 0], 100 * result["cloud"][:, 1]]))
            self.cloud_training = result["training"]
        self.point.set_data([result["energy_pj"]], [100 * result["accuracy"]])
        self.label.set_text(f"{result['accuracy']:.1%} at {result['energy_pj']:.0f} pJ, "
                            f"{result['saving']:.0f}× less than digital INT8 ({result['digital_accuracy']:.1%})\n"
                            f"outputs off the digital network's by {result['logit_error']:.1%} (RMS)")

    def describe(self, result):
        r = result
        comp = "with" if r["compensation"] else "without"
        return (f"Test accuracy against energy per inference. With {r['noise']:.1f}× the published programming "
                f"noise, {r['adc_bits']}-bit ADCs and {r['rows']}-row tiles, read {r['time']} after programming "
                f"{comp} drift compensation, the {r['training'].replace('_', '-')} network scores "
                f"{r['accuracy']:.1%} for {r['energy_pj']:.0f} pJ per inference (its outputs {r['logit_error']:.1%} "
                f"RMS off the digital network's); the digital INT8 network scores "
                f"{r['digital_accuracy']:.1%} for {r['digital_pj']:,.0f} pJ ({r['saving']:.0f}× more energy).")


class TileEnergyExplorer(Explorer):
    """One analog tile's energy per MAC by part, and its TOPS/W against the published chips.

    Controls: ``size`` (a square tile of size × size), ``adc_bits``, ``dac_bits`` and ``fom`` (the converters'
    Walden figure of merit, fJ per conversion step: the survey's best are 0.2–1 fJ, not independently
    checked; column ADCs squeezed under a crossbar run well above that).
    """

    title = "Where an analog tile's energy goes"
    figsize = (8.4, 4.0)
    tight_layout = False
    PARTS = ("cells", "adc", "dac", "periphery")

    controls = {
        "size": LogSlider("Array size (rows = columns)", 16, 1024, 256, base=2, step=1, integer=True),
        "adc_bits": Slider("ADC bits", 3, 12, 1, 8, fmt="{:.0f}"),
        "dac_bits": Slider("DAC bits", 1, 8, 1, 8, fmt="{:.0f}"),
        "fom": LogSlider("Converter FOM (Walden)", 0.2, 100.0, 1.0, base=10, step=0.05, unit="fJ/step",
                         fmt="{:.2g}"),
    }

    def compute(self, size, adc_bits, dac_bits, fom):
        from ..chips import analog
        from ..units import Q_
        tile = analog.tile_energy(int(size), int(size), adc_bits=int(adc_bits), dac_bits=int(dac_bits),
                                  fom_walden=Q_(float(fom), "fJ"))
        per_mac = {part: float((getattr(tile, part) / tile.macs).to("fJ").magnitude) for part in self.PARTS}
        chips = _chips()
        return {"size": int(size), "adc_bits": int(adc_bits), "dac_bits": int(dac_bits), "fom": float(fom),
                "per_mac": per_mac, "total_fj": sum(per_mac.values()),
                "tops_per_w": float(tile.tops_per_w.to("TOPS/W").magnitude), "shares": tile.shares(),
                "chips": chips}

    def draw(self, fig, result):
        from ..plotting import PALETTE, axis_label
        self.ax_bar, self.ax_tops = fig.subplots(1, 2, gridspec_kw={"width_ratios": (1, 1.25)})
        fig.subplots_adjust(left=0.09, right=0.98, top=0.86, bottom=0.14, wspace=0.35)
        fig.suptitle(self.title, fontsize=12)
        colours = [PALETTE["bluish_green"], PALETTE["vermillion"], PALETTE["orange"], PALETTE["blue"]]
        self.bars = self.ax_bar.bar(range(4), [result["per_mac"][p] for p in self.PARTS], color=colours,
                                    animated=True)
        self.ax_bar.set_xticks(range(4), ["cells", "ADCs", "DACs", "periphery"])
        self.ax_bar.set_yscale("log")
        self.ax_bar.set_ylim(0.01, 1000)
        self.ax_bar.set_ylabel(axis_label("Energy per MAC", "fJ"))
        self.ax_bar.set_title("by part (one MVM ÷ rows × columns)", fontsize=9)
        ax = self.ax_tops
        for i, chip in enumerate(result["chips"]):
            ax.barh(i, chip[1], color=PALETTE["sky_blue"], alpha=0.6)
            ax.text(chip[1] * 1.1, i, f"{chip[0]} [{chip[2]}]", va="center", fontsize=7)
        n = len(result["chips"])
        self.model_bar = ax.barh(n, result["tops_per_w"], color=PALETTE["vermillion"], animated=True)[0]
        ax.set_yticks([])
        ax.set_xscale("log")
        ax.set_xlim(1, 30000)
        ax.set_ylim(-0.6, n + 0.6)
        ax.set_xlabel(axis_label("Efficiency", "TOPS/W"))
        ax.set_title("this tile (red, macro scale) vs published figures [scope]", fontsize=9)
        self.label = ax.text(0.98, 0.02, "", transform=ax.transAxes, ha="right", fontsize=8, animated=True,
                             bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        self.update(result)

    def update(self, result):
        for bar, part in zip(self.bars, self.PARTS):
            bar.set_height(result["per_mac"][part])
        self.model_bar.set_width(result["tops_per_w"])
        converters = result["shares"]["adc"] + result["shares"]["dac"]
        self.label.set_text(f"{result['total_fj']:.1f} fJ/MAC → {result['tops_per_w']:,.0f} TOPS/W; "
                            f"converters {converters:.0%}")

    def describe(self, result):
        r = result
        s = r["shares"]
        return (f"A {r['size']} × {r['size']} tile with {r['adc_bits']}-bit ADCs, {r['dac_bits']}-bit DACs and "
                f"converters at {r['fom']:.2g} fJ per step spends {r['total_fj']:.1f} fJ per MAC: cells "
                f"{s['cells']:.0%}, ADCs {s['adc']:.0%}, DACs {s['dac']:.0%}, periphery {s['periphery']:.0%}, "
                f"so {r['tops_per_w']:,.0f} TOPS/W at macro scale, against published chips of "
                f"{min(c[1] for c in r['chips']):.3g}–{max(c[1] for c in r['chips']):.3g} TOPS/W at their own scopes.")


@lru_cache(maxsize=1)
def _chips():
    from ..chips import analog
    return tuple((c.name.split(" (")[0], float(c.tops_per_w.to("TOPS/W").magnitude), c.scope)
                 for c in analog.published_chips())
