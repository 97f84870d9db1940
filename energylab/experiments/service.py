"""The capstone: one AI service designed end to end, from the model to the grid.

A chat service generates tokens with a dense language model on H100 servers. A design chooses:

* ``params`` and ``precision`` — the model's size (billions of parameters) and its weights' format, bf16 or int8
  (chapters 01–03): the quality is the Chinchilla loss of a model of that size trained on 20 tokens per parameter
  (Hoffmann et al. 2022, :func:`energylab.models.chinchilla_loss`); 8-bit weights are assumed to keep it;
* ``batch`` — sequences decoded together (chapter 02): the weights are read once per step for the whole batch,
  but every sequence's KV cache must fit in memory and each step takes longer (the roofline of chapter 03);
* ``cooling`` — the site's cooling design, whose annual PUE depends on the region's climate (chapter 06);
* ``region`` — the grid (average carbon intensity, chapter 07) and the climate that come with the site;
* ``offline`` — when the :data:`OFFLINE_SHARE` of tokens nobody waits for (batch jobs: summaries, evaluations)
  are generated: as they arrive (``"now"``) or in each day's cleanest hours (``"cleanest_hours"``).

:func:`evaluate` gives a design's loss, time per output token, energy, cost and emissions per token;
:func:`feasible` checks the loss target, the latency limit and the memory; :func:`best` finds the least energy,
cost and emissions any feasible design reaches. The capstone passes a feasible design within :data:`SLACK` of all
three. The decode model is :func:`energylab.inference.decode_step` and :func:`energylab.inference.energy_per_token`
(one roofline for the whole course); the cost is :func:`energylab.economics.token_cost` with an H100's cost of
ownership.
"""
from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np

__all__ = ["PARAMS", "PRECISIONS", "BATCHES", "REGIONS", "REGION_CLIMATE", "OFFLINE_MODES", "OFFLINE_SHARE",
           "CONTEXT", "UTILISATION", "CLEAN_HOURS", "TARGET_LOSS", "MAX_TOKEN_LATENCY_MS", "SLACK",
           "SERVICE_ASSUMPTIONS", "Outcome", "check_design", "evaluate", "feasible", "binding", "best", "passing"]

# --- the design space ------------------------------------------------------------------------------------
PARAMS = (1, 3, 8, 70)                                   # billions of parameters
PRECISIONS = {"bf16": 2, "int8": 1}                      # bytes per weight
BATCHES = tuple(2 ** k for k in range(10))               # 1 … 512 sequences
REGIONS = ("germany", "gb", "france", "california")
#: The climate of chapter 06 each region's sites have (course assumption).
REGION_CLIMATE = {"germany": "temperate", "gb": "temperate", "france": "temperate", "california": "hot-dry"}
OFFLINE_MODES = ("now", "cleanest_hours")
# --- the service (course assumptions) --------------------------------------------------------------------
OFFLINE_SHARE = 0.3          # of the tokens, the share nobody waits for
CONTEXT = 4000               # mean tokens already in a sequence while it is decoded (long chats, documents)
UTILISATION = 0.6            # share of the hours the servers are busy (traffic is not flat)
CLEAN_HOURS = 8              # the offline tokens fit in this many hours a day
# --- the targets -------------------------------------------------------------------------------------------
TARGET_LOSS = 2.2            # Chinchilla loss (nats per token) at most this
MAX_TOKEN_LATENCY_MS = 25.0  # between two tokens of one answer: 40 tokens/s, ahead of a fast reader with headroom
SLACK = 1.25                 # a pass: within 25 % of the least energy, cost and emissions per token

#: Course assumptions of the capstone: (value, reason).
SERVICE_ASSUMPTIONS = {
    "precision": ("int8 weights keep the bf16 model's loss",
                  "Chapter 02's experiment lost no measurable accuracy at 8 bits; 4-bit weights are not offered "
                  "because what they cost large models depends on the quantisation method."),
    "serving": (f"mean context {CONTEXT:,} tokens; servers busy {UTILISATION:.0%} of the hours; KV cache in bf16; "
                "weights split over as few H100s as hold them with room for the KV cache; an idle server draws 30 % "
                "of its busy power, charged to the tokens",
                "Long conversations and attached documents put thousands of tokens in a chat's context; demand follows "
                "the day, so capacity sized for the peak idles part of the time."),
    "climate": ("Germany, Great Britain and France: the temperate climate; California: the hot, dry one",
                "The synthetic climates of chapter 06 closest to each grid's data centres."),
    "offline": (f"{OFFLINE_SHARE:.0%} of the tokens can wait; scheduled into each day's {CLEAN_HOURS} hours of "
                "lowest average intensity",
                "Batch work (summaries, evaluations, synthetic data) can run at any hour of the day; the rest "
                "is answered as it is asked."),
    "emissions": ("emissions counted with the grid's average intensity, hour by hour",
                  "The attributional measure emission reports use, and what the offline scheduling follows. Judged on "
                  "the course's marginal intensity (section 4 of the chapter), the regions other than Germany tie "
                  "and shifting the offline tokens gains little: the ranking depends on the question asked."),
    "price": ("electricity at the US industrial average in every region",
              "The registry has no comparable industrial prices for the European grids; with one price, cost "
              "differs between regions only through the PUE."),
}


@dataclass(frozen=True)
class Outcome:
    """What one design gives (see :func:`evaluate`); per generated token unless said otherwise."""
    design: dict
    loss: float                      # Chinchilla loss, nats/token
    token_latency_ms: float          # time between two tokens of one answer
    accelerators: int                # H100s holding one copy of the model
    fits: bool                       # the batch's KV cache fits beside the weights
    pue: float
    energy: float                    # J/token at the meter (IT × PUE), idle hours' draw included
    cost: float                      # USD per million tokens (electricity + capital)
    intensity: float                 # gCO2e/kWh, token-weighted over online and offline hours
    emissions: float                 # gCO2e per 1,000 tokens


def check_design(design) -> dict:
    """The design as a clean dict, or a TypeError/ValueError that names the key and the choices."""
    from ..cooling import DESIGNS
    keys = ("params", "precision", "batch", "cooling", "region", "offline")
    if not isinstance(design, dict) or set(design) != set(keys):
        raise TypeError('Give a dict with the six keys params, precision, batch, cooling, region and offline, '
                        'e.g. {"params": 8, "precision": "bf16", "batch": 16, "cooling": "air_chiller", '
                        '"region": "germany", "offline": "now"}.')
    out = {}
    for key, allowed in (("params", PARAMS), ("batch", BATCHES)):
        value = design[key]
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value not in allowed:
            raise ValueError(f"{key} must be one of {allowed}; got {value!r}.")
        out[key] = int(value)
    for key, allowed in (("precision", tuple(PRECISIONS)), ("cooling", tuple(DESIGNS)), ("region", REGIONS),
                         ("offline", OFFLINE_MODES)):
        value = design[key].strip().lower().replace(" ", "_") if isinstance(design[key], str) else design[key]
        if value not in allowed:                                  # "France" and "cleanest hours" are accepted
            raise ValueError(f"{key} must be one of {allowed}; got {design[key]!r}.")
        out[key] = value
    return out


@functools.cache
def _decode(params: int, precision: str, batch: int) -> tuple:
    """(loss, ms per token, accelerators, fits, IT J/token, tokens/s per accelerator) of one model choice."""
    from .. import sources
    from ..inference import decode_step, energy_per_token
    from ..inference.memory import accelerators_for_weights, kv_cache_capacity, model_shape
    from ..models import chinchilla_loss
    n = params * 1e9
    bpp = PRECISIONS[precision]
    shape = model_shape(n)
    kv = shape["kv_bytes_per_token"]                  # grouped-query attention, 16-bit cache (course shape)
    n_acc = int(accelerators_for_weights(n, "H100", bpp))
    fits = batch * CONTEXT <= float(kv_cache_capacity(n, "H100", kv, bpp, n_acc).magnitude)
    kw = dict(context=CONTEXT, kv_bytes_per_token=kv, n_accelerators=n_acc, utilisation=0.5,
              bandwidth_utilisation=0.8)
    step = decode_step(n, batch, "H100", bpp, **kw)
    e_it = energy_per_token(n, batch, "H100", bpp, power=sources.value("epoch_power_per_gpu"),
                            power_fraction=sources.value("epoch_power_fraction"), **kw)
    return (float(chinchilla_loss(n, 20 * n).magnitude), float(step.latency.to("ms/token").magnitude), n_acc, fits,
            float(e_it.to("J/token").magnitude), float(step.tokens_per_second.to("token/s").magnitude) / n_acc)


@functools.lru_cache(maxsize=1)
def _site_pue() -> dict:
    from ..cooling import compare_designs
    table = compare_designs(climates=sorted(set(REGION_CLIMATE.values())), seed=0)
    return {(d, c): float(table.pue[i, j]) for i, d in enumerate(table.designs) for j, c in enumerate(table.climates)}


@functools.lru_cache(maxsize=8)
def _intensities(region: str) -> tuple[float, float]:
    """(mean over all hours, mean over each day's CLEAN_HOURS cleanest hours) of the average intensity, g/kWh."""
    from ..grid import carbon_intensity_profile
    ci = carbon_intensity_profile(region, seed=0).magnitude.reshape(365, 24)
    return float(ci.mean()), float(np.sort(ci, axis=1)[:, :CLEAN_HOURS].mean())


@functools.lru_cache(maxsize=16)
def _capital_per_hour(pue: float) -> float:
    from ..economics import capital_per_hour, h100_ownership
    return float(capital_per_hour(h100_ownership(utilisation=UTILISATION, pue=pue)).magnitude)


def _intensity(region: str, offline: str) -> float:
    """Token-weighted average intensity: online tokens at the mean hour, offline ones as scheduled, g/kWh."""
    mean_ci, clean_ci = _intensities(region)
    return (1 - OFFLINE_SHARE) * mean_ci + OFFLINE_SHARE * (clean_ci if offline == "cleanest_hours" else mean_ci)


class _ModelOnly:
    """The model part of an outcome, enough for :func:`binding`."""
    def __init__(self, loss, latency, fits):
        self.loss, self.token_latency_ms, self.fits = loss, latency, fits


def _model_outcome(d: dict) -> _ModelOnly:
    loss, latency, _, fits, _, _ = _decode(d["params"], d["precision"], d["batch"])
    return _ModelOnly(loss, latency, fits)


def evaluate(design) -> Outcome:
    """Loss, latency, energy, cost and emissions per token of one design (microseconds once cached)."""
    from ..economics import IDLE_FRACTION, token_cost
    d = check_design(design)
    loss, latency, n_acc, fits, e_it, throughput = _decode(d["params"], d["precision"], d["batch"])
    pue = _site_pue()[(d["cooling"], REGION_CLIMATE[d["region"]])]
    ci = _intensity(d["region"], d["offline"])
    cost = token_cost(e_it, throughput, _capital_per_hour(pue), pue=pue, intensity=ci, utilisation=UTILISATION,
                      idle_fraction=IDLE_FRACTION)
    return Outcome(design=d, loss=loss, token_latency_ms=latency, accelerators=n_acc, fits=fits, pue=pue,
                   energy=float(cost.energy_per_token.to("J/token").magnitude),
                   cost=float(cost.total.to("USD/Mtok").magnitude), intensity=ci,
                   emissions=float(cost.emissions.to("gCO2e/token").magnitude) * 1e3)


def binding(outcome: Outcome) -> list[str]:
    """The hard constraints a design misses: ``"loss"``, ``"memory"``, ``"latency"`` (empty when feasible)."""
    return [name for name, missed in (("loss", outcome.loss > TARGET_LOSS), ("memory", not outcome.fits),
                                      ("latency", outcome.token_latency_ms > MAX_TOKEN_LATENCY_MS)) if missed]


def feasible(outcome: Outcome) -> bool:
    """Meets the loss target and the latency limit, with the batch's KV cache in memory."""
    return not binding(outcome)


def _space():
    from ..cooling import DESIGNS
    for p, q, b, c, r, o in itertools.product(PARAMS, PRECISIONS, BATCHES, DESIGNS, REGIONS, OFFLINE_MODES):
        yield {"params": p, "precision": q, "batch": b, "cooling": c, "region": r, "offline": o}


@functools.lru_cache(maxsize=1)
def _all_feasible() -> tuple[list, np.ndarray, np.ndarray, np.ndarray]:
    """Every feasible design with its energy (J/token), cost (USD/Mtok) and emissions (g/1,000 tokens).

    One vectorised :func:`~energylab.economics.token_cost` over all of them (the same formula
    :func:`evaluate` applies to one design), so the search takes milliseconds, not seconds.
    """
    from ..economics import IDLE_FRACTION, token_cost
    designs = [d for d in _space() if not binding(_model_outcome(d))]
    decoded = np.array([_decode(d["params"], d["precision"], d["batch"])[4:] for d in designs])   # J, tok/s
    pue = np.array([_site_pue()[(d["cooling"], REGION_CLIMATE[d["region"]])] for d in designs])
    ci = np.array([_intensity(d["region"], d["offline"]) for d in designs])
    capital = np.array([_capital_per_hour(p) for p in pue])
    cost = token_cost(decoded[:, 0], decoded[:, 1], capital, pue=pue, intensity=ci, utilisation=UTILISATION,
                      idle_fraction=IDLE_FRACTION)
    return (designs, cost.energy_per_token.to("J/token").magnitude, cost.total.to("USD/Mtok").magnitude,
            cost.emissions.to("gCO2e/token").magnitude * 1e3)


def best() -> dict:
    """The least energy, cost and emissions per token of any feasible design: ``{"energy": Outcome, …}``."""
    designs, energy, cost, emissions = _all_feasible()
    return {what: evaluate(designs[int(np.argmin(values))])
            for what, values in (("energy", energy), ("cost", cost), ("emissions", emissions))}


def passing(outcome: Outcome) -> dict:
    """How far a feasible design is from the best on each measure: ``{"energy": ratio, …}`` (1 = the best)."""
    top = best()
    return {what: getattr(outcome, what) / getattr(top[what], what) for what in ("energy", "cost", "emissions")}
