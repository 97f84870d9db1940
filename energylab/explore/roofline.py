"""A matrix multiply on a GPU's roofline: intensity, bound, speed and where the energy goes.

:class:`RooflineExplorer` places one matrix multiply, C[M×N] = W[M×K]·X[K×N] — a layer's weights
W applied to the activations X of N tokens — on the roofline of an NVIDIA A100 or H100
(Williams, Waterman, Patterson 2009). N = 1 is a matrix–vector product (decoding one token at
batch 1); large N is the dense matrix multiply of training and prefill::

    from energylab.explore import RooflineExplorer
    RooflineExplorer()                        # last line of a cell: controls + figure
    RooflineExplorer(n=4096).result           # the numbers, without the figure

Every number comes from :mod:`energylab.chips.digital`: the intensity from
:func:`~energylab.chips.digital.matmul_intensity` (each matrix moved once: perfect on-chip reuse,
the best case), the speed, bound, time and energy from :func:`~energylab.chips.digital.roofline`
with the datasheet figures of :func:`energylab.chips.accelerators.accelerator`. The energy is the rated power
(TDP) × time, split into the off-chip memory traffic at HBM2's 3.97 pJ/bit and everything else
(arithmetic, on-chip data movement, control, static power): both are course assumptions stated in
:data:`energylab.chips.digital.COURSE_ASSUMPTIONS`.
"""
from __future__ import annotations

from functools import lru_cache, cache

import numpy as np

from ..chips import accelerators as catalogue
from ..chips import digital as dg
from ..formatting import percent, si
from ..formatting import rounded as _num  # three significant figures, no exponent
from .base import Choice, Explorer, LogSlider, SourcedControls

__all__ = ["RooflineExplorer", "ACCELERATORS", "PRECISIONS", "INTENSITIES"]

#: The accelerators offered.
ACCELERATORS = ("H100", "A100")
#: Precision → (bytes per element, text). The A100 has no FP8 arithmetic: FP8 data is then computed at
#: its BF16 peak (stored in one byte, widened on chip).
PRECISIONS = {"bf16": (2, "BF16"), "fp8": (1, "FP8"), "tf32": (4, "FP32 data, TF32 math")}
#: Operational intensities along the roofs, FLOP/B (fixed, so an update only moves the lines).
INTENSITIES = np.geomspace(0.1, 1e5, 200)
#: Fixed axis limits: intensity (FLOP/B) and throughput (TFLOP/s).
X_LIMITS = (0.1, 1e5)
Y_LIMITS = (0.1, 5000.0)
#: Token counts along the "reachable by batching" band.
_N_RANGE = np.geomspace(1, 65536, 33)


def peak_key(accelerator: str, precision: str) -> str:
    """Which of the accelerator's peaks a precision runs at (FP8 on an A100 runs at the BF16 peak)."""
    return precision if precision in catalogue.accelerator(accelerator).peak_flops else "bf16"


def _duration(seconds: float) -> str:
    return si(seconds, "s", 3, prefixes=("", "m", "µ", "n"))


def _energy(joules: float) -> str:
    return si(joules, "J", 3, prefixes=("", "m", "µ", "n"))


def _flops(flops: float) -> str:
    return si(flops, "FLOP", 3, prefixes=("P", "T", "G", "M", ""))


class RooflineExplorer(Explorer):
    """One matrix multiply on the roofline of an A100 or H100, with its energy split.

    Controls (plain numbers):

    * ``m`` — rows of the weight matrix (the layer's outputs), 16–65,536 (powers of two). Default 8,192.
    * ``k`` — its columns (the layer's inputs, the inner dimension), 16–65,536. Default 8,192.
    * ``n`` — tokens processed together (the batch), 1–65,536. Default 64. N = 1 is a matrix–vector
      product.
    * ``precision`` — BF16 (2 bytes per element), FP8 (1 byte) or FP32 data on TF32 tensor cores
      (4 bytes). Each picks the accelerator's matching dense peak; the A100 has no FP8 arithmetic, so
      FP8 data there runs at the BF16 peak (the caption says so).
    * ``accelerator`` — NVIDIA H100 (SXM5) or A100 (SXM 80 GB), datasheet peak, bandwidth and TDP.

    Model: :func:`energylab.chips.digital.matmul_intensity` (each of W, X, C moved once) and
    :func:`~energylab.chips.digital.roofline` (the best case: the kernel runs *on* the roof). The left
    panel shows the chosen accelerator's roof (solid), the other's (faint), the ridge point, the kernel
    and, as a band along the roof, the intensities this matrix reaches as N runs over the slider's range.
    The right panel splits the kernel's energy at the rated power into off-chip memory traffic and
    everything else.
    """

    title = "A matrix multiply on the roofline"
    figsize = (9.4, 4.0)
    tight_layout = False  # fixed layout (two panels of different widths)

    @SourcedControls
    def controls(cls):
        return _controls()

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, m, k, n, precision, accelerator):
        """Everything the figure shows, for one setting (pure).

        Returns
        -------
        dict
            ``intensity`` (FLOP/B), ``attainable`` and ``peak`` (TFLOP/s), ``bandwidth`` (TB/s), ``ridge``
            (FLOP/B), ``bound``, ``utilisation``, ``flops`` (FLOP), ``bytes`` (B), ``time`` (s), ``energy``,
            ``energy_memory``, ``energy_other`` (J), ``memory_share``, ``pj_per_flop``; the roofs
            (``roof``, ``other_roof``, TFLOP/s along :data:`INTENSITIES`, and ``other_ridge``);
            ``reach`` (the intensities for N from 1 to 65,536); ``peak_key`` and ``other_peak_key`` (the
            peaks used by the two roofs),
            ``bytes_per_element``, ``device`` and ``other`` names, and the inputs.
        """
        device = catalogue.accelerator(accelerator)
        other_name = next(a for a in ACCELERATORS if a != accelerator)
        other = catalogue.accelerator(other_name)
        key = peak_key(accelerator, precision)
        other_key = peak_key(other_name, precision)
        b = PRECISIONS[precision][0]
        intensity = dg.matmul_intensity(m, n, k, b)
        flops = float(dg.matmul_flops(m, n, k).magnitude)
        point = dg.roofline(intensity, device, key, flops=flops)
        roofs = _roofs(accelerator, key, other_name, other_key)
        reach = dg.matmul_intensity(m, _N_RANGE, k, b).to("FLOP/B").magnitude
        energy = point.energy.to("J").magnitude
        memory = point.energy_memory.to("J").magnitude
        return {
            "m": m, "k": k, "n": n, "precision": precision, "accelerator": accelerator,
            "device": device.name, "other": other.name, "peak_key": key, "other_peak_key": other_key,
            "bytes_per_element": b,
            "intensity": float(intensity.magnitude), "attainable": float(point.attainable.magnitude),
            "peak": float(point.peak.magnitude), "bandwidth": float(point.bandwidth.magnitude),
            "ridge": float(point.ridge.to("FLOP/B").magnitude), "bound": str(point.bound),
            "utilisation": float(point.utilisation.magnitude), "flops": flops,
            "bytes": float(point.bytes.to("B").magnitude), "time": float(point.time.to("s").magnitude),
            "energy": float(energy), "energy_memory": float(memory), "energy_other": float(energy - memory),
            "memory_share": float(memory / energy) if energy > 0 else 0.0,
            "pj_per_flop": float(energy / flops * 1e12),
            "roof": roofs[0], "other_roof": roofs[1],
            "other_ridge": float(dg.ridge_point(other, other_key).magnitude),
            "reach": (float(reach.min()), float(reach.max())),
        }

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from matplotlib.lines import Line2D

        from ..plotting import PALETTE, axis_label
        grid = fig.add_gridspec(1, 2, width_ratios=(2.6, 1.0), left=0.08, right=0.97, top=0.86, bottom=0.25,
                                wspace=0.32)
        ax = self.ax = fig.add_subplot(grid[0])
        bar = self.bar_ax = fig.add_subplot(grid[1])
        x = INTENSITIES
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(*X_LIMITS)
        ax.set_ylim(*Y_LIMITS)
        ax.set_xlabel(axis_label("Operational intensity", "FLOP/B") + ", log scale")
        ax.set_ylabel(axis_label("Attainable throughput", "TFLOP/s") + ", log")
        (self.other_roof,) = ax.plot(x, result["other_roof"], color="#aaaaaa", linewidth=1.4, linestyle="--")
        (self.reach,) = ax.plot([1, 2], [1, 2], color=PALETTE["sky_blue"], linewidth=7, alpha=0.45,
                                solid_capstyle="butt", animated=True)
        (self.roof,) = ax.plot(x, result["roof"], color=PALETTE["blue"])
        # The roofs and the ridge change only with the accelerator or the precision: static artists,
        # redrawn in full then (update() touches them only when they change).
        (self.ridge_line,) = ax.plot([1, 1], Y_LIMITS, color=PALETTE["orange"], linestyle=":", linewidth=1.5)
        self.ridge_text = ax.text(1, Y_LIMITS[0] * 1.6, "", color=PALETTE["orange"], fontsize=8.5, ha="left")
        self._shown = None
        (self.point,) = ax.plot([1], [1], "o", color=PALETTE["vermillion"], markersize=9,
                                markeredgecolor="white", zorder=5, animated=True)
        self.label = ax.text(0.02, 0.94, "", transform=ax.transAxes, fontsize=9, va="top", animated=True)
        ax.set_title("Roofline: min(peak, bandwidth × intensity)", fontsize=11)
        handles = [Line2D([], [], color=PALETTE["blue"], label="this accelerator"),
                   Line2D([], [], color="#aaaaaa", linestyle="--", label="the other one"),
                   Line2D([], [], color=PALETTE["sky_blue"], linewidth=6, alpha=0.45,
                          label="reachable by changing N"),
                   Line2D([], [], color=PALETTE["orange"], linestyle=":", label="ridge point")]
        fig.legend(handles=handles, loc="lower center", ncol=4, fontsize=8.5)

        bar.set_xlim(0, 100)
        bar.set_ylim(-0.7, 1.9)
        bar.set_yticks([])
        bar.grid(axis="y", visible=False)
        bar.set_xlabel(axis_label("Share of the energy", "percent"))
        self.bars = bar.barh([1, 0], [50, 50], height=0.45, color=[PALETTE["vermillion"], PALETTE["bluish_green"]],
                             animated=True)
        bar.text(0, 1.33, "off-chip memory traffic", fontsize=8.5)
        bar.text(0, 0.33, "arithmetic, on-chip, static", fontsize=8.5)
        self.bar_texts = [bar.text(2, y, "", fontsize=8.5, va="center", animated=True) for y in (1, 0)]
        self.energy_text = bar.text(0, -0.55, "", fontsize=9, va="center", animated=True)
        bar.set_title("Energy at rated power", fontsize=11)
        fig.suptitle(self.title, fontsize=12)
        self.update(result)

    def update(self, result):
        r = result
        # Both roofs' peaks are in the key: FP8 vs BF16 leaves the A100's roof alone but moves the H100's.
        shown = (r["accelerator"], r["peak_key"], r["other_peak_key"])
        if shown != self._shown:            # static artists: touch them only when they change
            self._shown = shown
            self.roof.set_ydata(r["roof"])
            self.other_roof.set_ydata(r["other_roof"])
            self.ridge_line.set_xdata([r["ridge"], r["ridge"]])
            self.ridge_text.set_position((r["ridge"] * 1.12, Y_LIMITS[0] * 1.6))
            self.ridge_text.set_text(f"ridge {_num(r['ridge'])} FLOP/B")
        low, high = r["reach"]
        xs = np.geomspace(low, high, 40)
        self.reach.set_data(xs, np.minimum(r["peak"], r["bandwidth"] * xs))
        self.point.set_data([r["intensity"]], [r["attainable"]])
        self.label.set_text(f"{r['bound']}-bound, {_num(r['intensity'])} FLOP/B\n"
                            f"{_num(r['attainable'])} TFLOP/s, {percent(r['utilisation'])} of peak")
        shares = (100 * r["memory_share"], 100 * (1 - r["memory_share"]))
        for rect, text, share in zip(self.bars, self.bar_texts, shares):
            rect.set_width(share)
            inside = share > 70                  # a long bar carries its label inside, in white
            text.set_x(share - 2 if inside else share + 2)
            text.set_horizontalalignment("right" if inside else "left")
            text.set_color("white" if inside else "black")
            text.set_text(f"{share:.1f} %")
        self.energy_text.set_text(f"{_energy(r['energy'])}, {_num(r['pj_per_flop'])} pJ/FLOP")

    def describe(self, result):
        r = result
        name = PRECISIONS[r["precision"]][1]
        note = ""
        if r["peak_key"] != r["precision"]:
            note = (f" The {r['accelerator']} has no {name} arithmetic: the data is stored in "
                    f"{r['bytes_per_element']} byte per element and computed at the {r['peak_key'].upper()} peak.")
        kind = "matrix–vector product" if r["n"] == 1 else "matrix multiply"
        side = "below" if r["bound"] == "memory" else "at or above"
        return (f"A {kind} of a {r['m']:,} × {r['k']:,} weight matrix with {r['n']:,} token"
                f"{'s' if r['n'] != 1 else ''} in {name} on the {r['device']}: {_flops(r['flops'])}, intensity "
                f"{_num(r['intensity'])} FLOP/B, {side} the ridge point of {_num(r['ridge'])} FLOP/B, so "
                f"{r['bound']}-bound at {_num(r['attainable'])} TFLOP/s ({percent(r['utilisation'])} of the "
                f"{_num(r['peak'])} TFLOP/s peak) and {_duration(r['time'])}. At the rated power it takes "
                f"{_energy(r['energy'])} ({_num(r['pj_per_flop'])} pJ/FLOP), {r['memory_share']:.1%} of it for "
                f"the off-chip memory traffic (at HBM2's energy per bit). Changing N alone moves the intensity "
                f"between {_num(r['reach'][0])} and {_num(r['reach'][1])} FLOP/B.{note}")


@cache
def _roofs(name: str, key: str, other_name: str, other_key: str) -> np.ndarray:
    """The two roofs along :data:`INTENSITIES`, TFLOP/s (read-only: shared between calls)."""
    devices = [(catalogue.accelerator(name), key), (catalogue.accelerator(other_name), other_key)]
    peaks = np.array([[d.peak_flops[p].to("FLOP/s").magnitude] for d, p in devices])
    bandwidths = np.array([[d.memory_bandwidth.to("B/s").magnitude] for d, _ in devices])
    roofs = dg.attainable_flops(INTENSITIES, peaks, bandwidths).to("TFLOP/s").magnitude
    roofs.setflags(write=False)
    return roofs


@lru_cache(maxsize=1)
def _controls() -> dict:
    devices = {name: catalogue.accelerator(name) for name in ACCELERATORS}
    options = [(f"{d.name}: {d.memory_bandwidth.to('TB/s').magnitude:.3g} TB/s, "
                f"{d.power.to('W').magnitude:,.0f} W", name) for name, d in devices.items()]
    dims = dict(base=2, step=1, integer=True, fmt="{:,.0f}", readout=",.0f")
    return {
        "m": LogSlider("Weight rows M", 16, 65536, 8192, **dims),
        "k": LogSlider("Weight columns K", 16, 65536, 8192, **dims),
        "n": LogSlider("Tokens N", 1, 65536, 64, unit="tokens", **dims),
        "precision": Choice("Precision", [(f"{text} ({b} B per element)", key)
                                          for key, (b, text) in PRECISIONS.items()], "bf16"),
        "accelerator": Choice("Accelerator", options, "H100"),
    }
