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
:func:`~energylab.inference.decode_step` and :func:`~energylab.inference.critical_batch_size`, every
chip figure from the datasheets in :mod:`energylab.sources`. The model's shape (layers, width, KV cache)
follows from its size under the stated course assumptions below.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .. import inference as inf
from .. import models
from ..plotting import rounded as _num  # three significant figures, no exponent
from .base import Choice, Explorer, LogSlider, Slider, SourcedControls

__all__ = ["DecodeExplorer", "LogSlider", "model_shape", "ASPECT_RATIO", "KV_HEADS", "HEAD_DIM",
           "KV_BYTES_PER_VALUE", "KV_HEADROOM", "BATCHES"]

# ---- course assumptions: the shape of a model of N parameters ----------------------------------------
#: d_model / n_layers. GPT-3 175B has 12,288 / 96 = 128; many 7 B-class models 4,096 / 32 = 128.
ASPECT_RATIO = 128
#: Grouped-query attention: key/value heads per layer and their width (as in many current 7–70 B models;
#: the same assumption as :data:`energylab.inference.COURSE_ASSUMPTIONS` ``kv_bytes_per_token``).
KV_HEADS = 8
HEAD_DIM = 128
#: The KV cache is kept in 16-bit numbers whatever the weights' precision.
KV_BYTES_PER_VALUE = 2
#: Share of the accelerators' memory kept free of weights, for the KV cache, when choosing how many
#: accelerators serve the model. Without it a model whose weights just fill the fewest accelerators
#: (1 T bf16 parameters on 25 × 80 GB) would have no room for even one sequence.
KV_HEADROOM = 0.2

#: Batch sizes along the curves (fixed, so an update only moves the curves).
BATCHES = np.geomspace(1, 1024, 61)
#: The accelerators offered.
ACCELERATORS = ("A100", "H100")


def model_shape(n_params: float) -> dict:
    """Layers, width and KV cache of a dense transformer of ``n_params`` parameters (course assumptions).

    N ≈ 12·n_layers·d_model² (attention 4·d², MLP 8·d² per layer) with d_model = :data:`ASPECT_RATIO` ×
    n_layers, rounded to whole layers; the KV cache holds K and V for :data:`KV_HEADS` heads of
    :data:`HEAD_DIM` values per layer at :data:`KV_BYTES_PER_VALUE` bytes
    (:func:`energylab.inference.kv_cache_bytes_per_token`).

    Returns
    -------
    dict
        ``n_layers``, ``d_model`` (plain numbers) and ``kv_bytes_per_token`` (B/token, a plain float).
    """
    n_layers = max(1, round((float(n_params) / (12 * ASPECT_RATIO ** 2)) ** (1 / 3)))
    d_model = ASPECT_RATIO * n_layers
    kv = inf.kv_cache_bytes_per_token(n_layers, KV_HEADS * HEAD_DIM, KV_BYTES_PER_VALUE)
    return {"n_layers": n_layers, "d_model": d_model, "kv_bytes_per_token": float(kv.to("B/token").magnitude)}


@lru_cache(maxsize=None)
def _device(name: str) -> models.Accelerator:
    return models.accelerator(name)


def _si(value: float) -> str:
    """1.3e10 → '13 B' (billions), 7e8 → '700 M'."""
    for scale, word in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if value >= scale:
            return f"{value / scale:.3g} {word}"
    return f"{value:,.0f}"


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
    weights with :data:`KV_HEADROOM` (20 %) of it left for the KV cache (a course assumption; tensor
    parallelism, communication ignored), each at its rated power (TDP), PUE 1
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
        device = _device(accelerator)
        shape = model_shape(n_params)
        memory = float(device.memory.to("B").magnitude)
        weights = n_params * bytes_per_param
        # The fewest accelerators that hold the weights in (1 - KV_HEADROOM) of their memory (the rest is the
        # KV cache's); the 1e-9 keeps float noise from adding one at an exact multiple.
        n_gpus = max(1, math.ceil(weights / ((1 - KV_HEADROOM) * memory) - 1e-9))
        kv = shape["kv_bytes_per_token"]
        common = dict(kv_bytes_per_token=kv, n_layers=shape["n_layers"], d_attn=shape["d_model"])
        batches = np.append(BATCHES, batch)
        energy = inf.energy_per_token(n_params, batches, device, bytes_per_param, context,
                                      n_accelerators=n_gpus, **common).to("J/token").magnitude
        step = inf.decode_step(n_params, batches, device, bytes_per_param, context, n_accelerators=n_gpus, **common)
        latency = step.step_time.to("ms").magnitude
        critical = float(inf.critical_batch_size(n_params, device, bytes_per_param, context, **common).magnitude)
        kv_per_sequence = kv * context
        free = n_gpus * memory - weights
        fits = free / kv_per_sequence if kv_per_sequence > 0 else math.inf
        return {
            "n_params": n_params, "batch": batch, "context": context, "bytes_per_param": bytes_per_param,
            "accelerator": accelerator, "device": device.name, "shape": shape,
            "batches": BATCHES, "energy": energy[:-1], "latency": latency[:-1],
            "point": {"energy": float(energy[-1]), "latency": float(latency[-1]), "bound": str(step.bound[-1]),
                      "mfu": float(step.mfu.magnitude[-1]), "intensity": float(step.intensity.magnitude[-1])},
            "critical": critical, "fits_up_to": fits, "n_gpus": n_gpus, "weights_gb": weights / 1e9,
            "kv_gb": kv_per_sequence * batch / 1e9, "memory_gb": n_gpus * memory / 1e9,
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
        return (f"A {_si(r['n_params'])}-parameter model with {bytes_text} weights on {r['n_gpus']} × "
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
    options = [(f"{_device(n).name}: {_device(n).peak_flops['bf16'].to('TFLOP/s').magnitude:,.4g} TFLOP/s, "
                f"{_device(n).memory_bandwidth.to('TB/s').magnitude:.3g} TB/s, "
                f"{_device(n).power.to('W').magnitude:,.0f} W", n) for n in ACCELERATORS]
    return {
        "n_params": LogSlider("Parameters", 1e9, 1e12, 7e9, base=10, step=0.05, unit="param", fmt="{:.3g}"),
        "batch": LogSlider("Batch size", 1, 1024, 16, base=2, step=1, integer=True, unit="sequences",
                           fmt="{:,.0f}", readout=",.0f"),
        "context": Slider("Context", 0, 32_000, 500, 500, unit="tokens", fmt="{:,.0f}"),
        "bytes_per_param": Choice("Weights", [("2 bytes (bf16)", 2), ("1 byte (int8/fp8)", 1),
                                              ("0.5 byte (int4)", 0.5)], 2),
        "accelerator": Choice("Accelerator", options, "A100"),
    }
