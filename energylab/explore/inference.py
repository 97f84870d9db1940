"""One decoding step on the roofline: energy per token and latency against the batch size.

:class:`DecodeExplorer` runs the roofline model of :mod:`energylab.inference` (Williams et al. 2009):
each decoding step reads the model's weights **once for the whole batch** and each sequence's KV
cache, and does 2·N FLOP (plus the attention term) per sequence. Small batches wait for memory;
larger batches share the weight traffic until the arithmetic sets the pace (the *critical batch*).
The figure shows the energy per generated token and the time per token against the batch size::

    from energylab.explore import DecodeExplorer
    DecodeExplorer()                              # last line of a cell: controls + figure
    DecodeExplorer(accelerator="H100").result     # the numbers, without the figure

Every number comes from :func:`energylab.inference.energy_per_token`,
:func:`~energylab.inference.decode_step` and :func:`~energylab.inference.critical_batch_size`, how many
accelerators serve the model and how much KV cache fits beside it from
:func:`~energylab.inference.accelerators_for_weights` and :func:`~energylab.inference.kv_cache_capacity`,
every chip figure from the datasheets in :mod:`energylab.sources`. The model's shape (layers, width, KV
cache) follows from its size under the course assumptions of :func:`energylab.inference.model_shape`.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .. import inference as inf
from ..chips import accelerators as catalogue
from ..formatting import in_words
from ..inference import ASPECT_RATIO, HEAD_DIM, KV_BYTES_PER_VALUE, KV_HEADROOM, KV_HEADS, model_shape
from ..plotting import rounded as _num  # three significant figures, no exponent
from .base import Choice, Explorer, LogSlider, Slider, SourcedControls

# The course's shape assumptions (model_shape and its constants) live with the model in energylab.inference;
# they stay importable from here, where the explorer's readers meet them.
__all__ = ["DecodeExplorer", "LogSlider", "model_shape", "ASPECT_RATIO", "KV_HEADS", "HEAD_DIM",
           "KV_BYTES_PER_VALUE", "KV_HEADROOM", "BATCHES"]

#: Batch sizes along the curves (fixed, so an update only moves the curves).
BATCHES = np.geomspace(1, 1024, 61)
#: The accelerators offered.
ACCELERATORS = ("A100", "H100")


class DecodeExplorer(Explorer):
    """Energy per generated token and time per token against the batch size, on the roofline.

    Controls (plain numbers in the units shown):

    * ``n_params`` — parameters used per token, 1 B to 1 T (a slider in equal ratios). Default 7 B.
    * ``batch`` — sequences decoded together, 1 to 1,024 (powers of two on the slider). Default 16.
    * ``context`` — tokens already in each sequence (prompt plus the answer so far), 0–32,000. Default 500.
    * ``bytes_per_param`` — storage per weight: 2 (bf16), 1 (int8/fp8) or 0.5 (int4). The arithmetic
      stays at the bf16 peak (weight-only quantization: weights are read in fewer bytes, then widened).
    * ``accelerator`` — NVIDIA A100 (SXM 80 GB) or H100 (SXM5), datasheet peak, bandwidth, memory, TDP.

    Model: :func:`energylab.inference.energy_per_token` and :func:`~energylab.inference.decode_step` at
    utilisation 1 (the roofline itself: the best case) on the fewest accelerators whose memory holds the
    weights with :data:`KV_HEADROOM` (20 %) of it left for the KV cache
    (:func:`~energylab.inference.accelerators_for_weights`, a course assumption; tensor parallelism,
    communication ignored), each at its rated power (TDP), PUE 1
    (accelerators only). The layers, width and KV cache follow from the size by :func:`model_shape`
    (course assumptions). :func:`~energylab.inference.critical_batch_size` gives where the step turns
    compute-bound (shaded); where the weights plus every sequence's KV cache no longer fit in the
    accelerators' memory is hatched (the headroom keeps at least a batch of one clear of it).
    """

    title = "Decoding on the roofline: energy and time per token vs batch size"
    figsize = (9.0, 4.1)
    tight_layout = False  # done in draw(), leaving a strip at the bottom for the legend

    @SourcedControls
    def controls(cls):
        return _controls()

    # ---- model ---------------------------------------------------------------------------------
    def compute(self, n_params, batch, context, bytes_per_param, accelerator):
        """Everything the figure shows, for one setting (pure).

        Returns
        -------
        dict
            ``batches`` (the curves' batch sizes), ``energy`` (J/token) and ``latency`` (ms per token)
            along them; ``point`` with the current ``energy``, ``latency``, ``bound``, ``mfu``,
            ``intensity`` (FLOP/B); ``critical`` (batch, ``inf`` if never compute-bound), ``fits_up_to``
            (largest batch whose KV cache fits, ``inf`` without context), ``n_gpus``, ``weights_gb``,
            ``kv_gb`` (the KV cache of the whole batch), ``memory_gb`` (of the accelerators), ``ridge``
            (FLOP/B), ``shape`` (:func:`model_shape`) and the inputs.
        """
        device = catalogue.accelerator(accelerator)
        shape = model_shape(n_params)
        # the fewest accelerators that hold the weights with KV_HEADROOM of their memory left for the KV cache
        n_gpus = inf.accelerators_for_weights(n_params, device, bytes_per_param)
        kv = shape["kv_bytes_per_token"]
        common = dict(kv_bytes_per_token=kv, n_layers=shape["n_layers"], d_attn=shape["d_model"])
        batches = np.append(BATCHES, batch)
        energy = inf.energy_per_token(n_params, batches, device, bytes_per_param, context,
                                      n_accelerators=n_gpus, **common).to("J/token").magnitude
        step = inf.decode_step(n_params, batches, device, bytes_per_param, context, n_accelerators=n_gpus, **common)
        latency = step.step_time.to("ms").magnitude
        critical = float(inf.critical_batch_size(n_params, device, bytes_per_param, context, **common).magnitude)
        capacity = float(inf.kv_cache_capacity(n_params, device, kv, bytes_per_param, n_gpus).to("token").magnitude)
        fits = capacity / context if context > 0 else math.inf
        memory = float(device.memory.to("B").magnitude)
        weights = n_params * bytes_per_param
        return {
            "n_params": n_params, "batch": batch, "context": context, "bytes_per_param": bytes_per_param,
            "accelerator": accelerator, "device": device.name, "shape": shape,
            "batches": BATCHES, "energy": energy[:-1], "latency": latency[:-1],
            "point": {"energy": float(energy[-1]), "latency": float(latency[-1]), "bound": str(step.bound[-1]),
                      "mfu": float(step.mfu.magnitude[-1]), "intensity": float(step.intensity.magnitude[-1])},
            "critical": critical, "fits_up_to": fits, "n_gpus": n_gpus, "weights_gb": weights / 1e9,
            "kv_gb": kv * context * batch / 1e9, "memory_gb": n_gpus * memory / 1e9,
            "ridge": float(inf.ridge_point(device).magnitude),
        }

    # ---- figure --------------------------------------------------------------------------------
    def draw(self, fig, result):
        from matplotlib.ticker import FuncFormatter

        from ..plotting import PALETTE, axis_label
        self.axes = fig.subplots(1, 2)
        colours = {"energy": PALETTE["blue"], "latency": PALETTE["bluish_green"]}
        self.lines, self.points, self.spans, self.full, self.labels = {}, {}, {}, {}, {}
        xlim = (BATCHES[0], BATCHES[-1])
        for ax, key, ylabel in zip(self.axes, ("energy", "latency"),
                                   (axis_label("Energy per token", "J/token"),
                                    axis_label("Time per token", "ms"))):
            ax.set_xscale("log", base=2)
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
            ax.set_yscale("log")
            ax.set_xlim(*xlim)
            ax.set_xlabel(axis_label("Batch size", "sequences") + ", log scale")
            ax.set_ylabel(ylabel)
            self.spans[key] = ax.axvspan(1, 2, color=PALETTE["orange"], alpha=0.18, linewidth=0, animated=True)
            self.full[key] = ax.axvspan(1, 2, facecolor="none", edgecolor="#999999", hatch="///", linewidth=0,
                                        animated=True)
            (self.lines[key],) = ax.plot(BATCHES, result[key], color=colours[key], animated=True)
            # clip_on=False: at batch 1 or 1,024 the point sits on the axis edge, not half cut by it.
            (self.points[key],) = ax.plot([1], [1], "o", color=PALETTE["vermillion"], markersize=8,
                                          markeredgecolor="white", zorder=5, clip_on=False, animated=True)
            # Where the curve never goes (energy falls with the batch, time rises; checked over the controls'
            # grid), in an opaque box drawn after the hatch (both animated) so the hatch cannot strike it.
            corner = (0.97, "right") if key == "energy" else (0.03, "left")
            self.labels[key] = ax.text(corner[0], 0.95, "", transform=ax.transAxes, fontsize=9, animated=True,
                                       ha=corner[1], va="top", color=PALETTE["vermillion"], zorder=6,
                                       bbox=dict(facecolor="white", edgecolor="none", pad=2.0))
        self.axes[0].set_title("Energy per generated token", fontsize=11)
        self.axes[1].set_title("Time between two tokens of a sequence", fontsize=11)
        from matplotlib.patches import Patch
        handles = [Patch(color=PALETTE["orange"], alpha=0.3, label="compute-bound"),
                   Patch(facecolor="none", edgecolor="#999999", hatch="///",
                         label="KV cache does not fit beside the weights")]
        # Below the axes: inside them the (animated, so drawn later) hatch and curves would run over it.
        fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8.5, frameon=False)
        fig.suptitle(self.title, fontsize=12)
        self.update(result)
        fig.tight_layout(rect=(0, 0.07, 1, 1))

    @staticmethod
    def _decades(values) -> tuple:
        values = np.asarray(values, dtype=float)
        low, high = math.floor(math.log10(values.min())), math.ceil(math.log10(values.max()))
        return 10.0 ** low, 10.0 ** max(high, low + 1)

    def update(self, result):
        right = BATCHES[-1]
        critical = result["critical"]
        start = min(max(critical, 1.0), right)
        fits = result["fits_up_to"]
        full = min(max(fits, 1.0), right)
        for ax, key in zip(self.axes, ("energy", "latency")):
            self.lines[key].set_ydata(result[key])
            self.points[key].set_data([result["batch"]], [result["point"][key]])
            _set_span(self.spans[key], start, right, visible=math.isfinite(critical) and critical < right)
            _set_span(self.full[key], full, right, visible=math.isfinite(fits) and fits < right)
            limits = self._decades(np.append(result[key], result["point"][key]))
            if ax.get_ylim() != limits:
                ax.set_ylim(*limits)
        p = result["point"]   # short labels: text is the slowest artist to draw (the caption says the rest)
        self.labels["energy"].set_text(f"{_num(p['energy'])} J/token, {p['bound']}-bound")
        self.labels["latency"].set_text(f"{_num(p['latency'])} ms per token")

    def describe(self, result):
        r, p = result, result["point"]
        bytes_text = {2: "bf16", 1: "8-bit", 0.5: "4-bit"}.get(r["bytes_per_param"], f"{r['bytes_per_param']:g}-byte")
        if math.isfinite(r["critical"]):
            turn = f"the step turns compute-bound at a batch of about {r['critical']:,.0f}"
        else:
            turn = "at this context the step never turns compute-bound (each sequence's KV cache costs more " \
                   "time to read than its arithmetic takes)"
        fit = ""
        if r["kv_gb"] + r["weights_gb"] > r["memory_gb"]:
            fit = (f" Warning: the weights ({r['weights_gb']:,.0f} GB) and this batch's KV cache "
                   f"({r['kv_gb']:,.0f} GB) exceed the {r['memory_gb']:,.0f} GB of memory.")
        return (f"A {in_words(r['n_params'], short=True)}-parameter model with {bytes_text} weights on {r['n_gpus']} × "
                f"{r['accelerator']} (the fewest that hold the weights in {1 - KV_HEADROOM:.0%} of their memory, "
                f"the rest kept for the KV cache), {r['context']:,} tokens of context, batch {r['batch']:,}: "
                f"{_num(p['energy'])} J per token and {_num(p['latency'])} ms per token, {p['bound']}-bound "
                f"({p['mfu']:.0%} of the peak FLOP/s used); {turn}.{fit}")


def _set_span(span, x0: float, x1: float, visible: bool) -> None:
    """Move an ``axvspan`` (a Rectangle in matplotlib ≥ 3.9, a Polygon before) to [x0, x1]."""
    if hasattr(span, "set_x") and hasattr(span, "set_width"):
        span.set_x(x0)
        span.set_width(x1 - x0)
    else:  # pragma: no cover  (older matplotlib)
        span.set_xy([[x0, 0], [x0, 1], [x1, 1], [x1, 0], [x0, 0]])
    span.set_visible(visible)


@lru_cache(maxsize=1)
def _controls() -> dict:
    devices = {name: catalogue.accelerator(name) for name in ACCELERATORS}
    options = [(f"{d.name}: {d.peak_flops['bf16'].to('TFLOP/s').magnitude:,.4g} TFLOP/s, "
                f"{d.memory_bandwidth.to('TB/s').magnitude:.3g} TB/s, "
                f"{d.power.to('W').magnitude:,.0f} W", name) for name, d in devices.items()]
    return {
        "n_params": LogSlider("Parameters", 1e9, 1e12, 7e9, base=10, step=0.05, unit="param", fmt="{:.3g}"),
        "batch": LogSlider("Batch size", 1, 1024, 16, base=2, step=1, integer=True, unit="sequences",
                           fmt="{:,.0f}", readout=",.0f"),
        "context": Slider("Context", 0, 32_000, 500, 500, unit="tokens", fmt="{:,.0f}"),
        "bytes_per_param": Choice("Weights", [("2 bytes (bf16)", 2), ("1 byte (int8/fp8)", 1),
                                              ("0.5 byte (int4)", 0.5)], 2),
        "accelerator": Choice("Accelerator", options, "A100"),
    }
