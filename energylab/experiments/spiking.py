"""Does chapter 04's digits network cost less as a spiking network? Accuracy, spikes and energy (claim 12)

Data and model: chapter 04's split (60/20/20 %, stratified, per seed) and ``MLP([64, 32, 10])`` (ReLU, Adam,
``EPOCHS`` epochs of batches of ``BATCH``). Each trained network is **converted** to a rate-coded spiking network
(:func:`convert`): every pixel becomes a Poisson spike train whose probability of a spike per time step is the
pixel's value (0–1); the hidden ReLUs become integrate-and-fire neurons (threshold 1, reset by subtraction) with
the weights rescaled layer by layer by the 99.9th percentile of the ReLU activations on training data (data-based
normalisation, Diehl et al. 2015; Rueckauer et al. 2017); the output neurons integrate without firing and the class
is the largest accumulated potential. Accuracy grows with the number of time steps T, and so does the number of
spikes.

Two arms, the **same tuning budget** (three candidate trainings each, selected by the same rule on the
**validation** part: the candidate with the fewest synaptic events per inference at ``T_REF`` among those within
``SELECT_BAND`` of the arm's best spiking validation accuracy):

* ``"standard"`` — ordinary training, candidates the learning rates of chapter 04;
* ``"penalty"`` — training with an L1 penalty on the hidden activations (``nn.train(activity_penalty=c)``),
  candidates :data:`PENALTIES` at chapter 04's middle learning rate.

Energy per inference counts synaptic events (a spike × its fan-out) at a published price per event, and compares
with the digital INT8 baseline of chapter 04 (one MAC and one 8 KB SRAM read per weight, Horowitz 2014). For each
arm the number of time steps is chosen on validation: the fewest of :data:`TIME_STEPS` within
``EQUAL_ACCURACY`` of the int8 network's validation accuracy.

Targets, declared before the runs (:func:`targets`, checked on every seed):

1. ``converges`` — with ``T_MAX`` steps the spiking network scores within :data:`MAX_CONVERSION_LOSS` of fp32;
2. ``steps_help`` — accuracy at ``T_MAX`` steps is higher than at the fewest steps;
3. ``penalty_fewer_events`` — the penalty arm needs fewer synaptic events at ``T_REF`` than the standard arm;
4. ``snn_costs_more`` — at equal accuracy, the spiking network at TrueNorth's 26 pJ per event costs more energy
   per inference than the digital INT8 baseline, in both arms (claim 12: "none yet competes").
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from energylab import sources
from energylab.chips import analog
from energylab.experiments.analog import HIDDEN, LEARNING_RATES, digits_split, trained_network
from energylab.experiments.protocol import MeanStd, Summary, first_seed, from_results, mean_std, over_seeds, \
    per_arm, summarise
from energylab.experiments.quantization import quantize_model

__all__ = ["ARMS", "PENALTIES", "TIME_STEPS", "T_REF", "SpikingNetwork", "convert", "SpikingResult",
           "SpikingSummary", "run", "targets", "TARGETS", "holds", "run_many", "event_price"]

ARMS = ("standard", "penalty")
PENALTIES = (3e-3, 1e-2, 3e-2)
TIME_STEPS = (4, 8, 16, 32, 64, 128)
T_REF = 32
T_MAX = TIME_STEPS[-1]
PERCENTILE = 99.9
SELECT_BAND = 0.01
EQUAL_ACCURACY = 0.02
MAX_CONVERSION_LOSS = 0.03


def event_price(fact: str = "truenorth_energy_per_synaptic_event") -> float:
    """A published energy per synaptic event, in pJ (a fact of the sources registry)."""
    return float(sources.get(fact).q.to("pJ").magnitude)


class SpikingNetwork:
    """A ReLU MLP converted to integrate-and-fire neurons (:func:`convert`)."""

    def __init__(self, weights: list, biases: list):
        self.weights, self.biases = weights, biases

    def simulate(self, X, steps: int = T_MAX, seed: int = 0, checkpoints=TIME_STEPS) -> dict:
        """Run ``steps`` time steps on ``X`` (pixels 0–1); at each checkpoint T ≤ steps, the predictions and the
        mean counts per inference so far.

        Returns
        -------
        dict
            {T: {"predictions": ndarray, "input_spikes", "hidden_spikes", "events", "updates": float}}, the counts
            averaged over the samples: spikes of the input and hidden layers, synaptic events (each spike times
            its fan-out) and neuron updates (every neuron every step).
        """
        X = np.asarray(X, dtype=float)
        rng = np.random.default_rng([seed, 13])
        (w1, w2), (b1, b2) = self.weights, self.biases
        v = np.zeros((X.shape[0], w1.shape[1]))
        out = np.zeros((X.shape[0], w2.shape[1]))
        counts = np.zeros(2)
        marks, found = set(int(t) for t in checkpoints if t <= steps), {}
        for t in range(1, steps + 1):
            spikes_in = (rng.random(X.shape) < X).astype(float)
            v += spikes_in @ w1 + b1
            spikes_h = (v >= 1.0).astype(float)
            v -= spikes_h                     # reset by subtraction keeps the residue: rates stay unbiased
            out += spikes_h @ w2 + b2
            counts += (spikes_in.sum(), spikes_h.sum())
            if t in marks:
                n = X.shape[0]
                found[t] = {"predictions": np.argmax(out, axis=1), "input_spikes": counts[0] / n,
                            "hidden_spikes": counts[1] / n,
                            "events": (counts[0] * w1.shape[1] + counts[1] * w2.shape[1]) / n,
                            "updates": float(t * (w1.shape[1] + w2.shape[1]))}
        return found


def convert(model, calibration, percentile: float = PERCENTILE) -> SpikingNetwork:
    """Rescale a trained ReLU ``MLP([d, h, k])`` for integrate-and-fire neurons of threshold 1.

    Layer l's weights become W_l·λ_{l−1}/λ_l and its biases b_l/λ_l, where λ_l is the ``percentile`` of layer l's
    ReLU activations on ``calibration`` (λ_0 = 1: pixels are already spike probabilities). A neuron's firing rate
    per step then approximates its activation / λ_l.
    """
    if len(model.params) != 2 or model.activation != "relu":
        raise ValueError("convert needs a ReLU network with one hidden layer, such as MLP([64, 32, 10]).")
    hidden = np.maximum(np.asarray(calibration, dtype=float) @ model.params[0][0] + model.params[0][1], 0.0)
    lam = float(np.percentile(hidden[hidden > 0], percentile)) if np.any(hidden > 0) else 1.0
    (w1, b1), (w2, b2) = model.params
    return SpikingNetwork([w1 / lam, w2 * lam], [b1 / lam, b2])


@dataclass
class SpikingArm:
    """One arm on one seed. Accuracies are fractions (test part); counts are per inference."""
    choice: float
    validation_accuracy: float
    fp32: float
    int8: float
    int8_validation: float
    curve: dict           # {T: accuracy on test}
    events: dict          # {T: synaptic events per inference (test)}
    hidden_spikes: dict   # {T: hidden-layer spikes per inference (test)}
    input_spikes: dict    # {T: input spikes per inference (test)}
    steps: int | None     # T chosen on validation (None: no T within EQUAL_ACCURACY of int8)


@dataclass
class SpikingResult:
    seed: int
    arms: dict
    digital_energy: float    # pJ per inference, INT8
    macs: int
    price: float             # pJ per synaptic event (TrueNorth, all-in)


def _train(seed: int, arm: str, value: float):
    """One candidate: chapter 04's training at a learning rate, or at the middle one with an activity penalty
    (trainings shared with the optical experiment through the cache)."""
    if arm == "standard":
        return trained_network(seed, value)
    return trained_network(seed, LEARNING_RATES[1], activity_penalty=value)


def _arm(arm: str, data, seed: int) -> SpikingArm:
    candidates = []
    for value in LEARNING_RATES if arm == "standard" else PENALTIES:
        model = _train(seed, arm, value)
        snn = convert(model, data.X_train)
        found = snn.simulate(data.X_val, T_REF, seed=100 + seed, checkpoints=(T_REF,))[T_REF]
        candidates.append((float(np.mean(found["predictions"] == data.y_val)), found["events"], value, model, snn))
    best = max(c[0] for c in candidates)
    accuracy, _, choice, model, snn = min((c for c in candidates if c[0] >= best - SELECT_BAND),
                                          key=lambda c: c[1])
    int8 = quantize_model(model, 8, 8, calibration=data.X_train)
    int8_val = int8.accuracy(data.X_val, data.y_val)
    val = snn.simulate(data.X_val, T_MAX, seed=200 + seed)
    ok = [t for t in TIME_STEPS if np.mean(val[t]["predictions"] == data.y_val) >= int8_val - EQUAL_ACCURACY]
    test = snn.simulate(data.X_test, T_MAX, seed=300 + seed)
    return SpikingArm(
        choice=choice, validation_accuracy=accuracy, fp32=model.accuracy(data.X_test, data.y_test),
        int8=int8.accuracy(data.X_test, data.y_test), int8_validation=int8_val,
        curve={t: float(np.mean(f["predictions"] == data.y_test)) for t, f in test.items()},
        events={t: f["events"] for t, f in test.items()},
        hidden_spikes={t: f["hidden_spikes"] for t, f in test.items()},
        input_spikes={t: f["input_spikes"] for t, f in test.items()},
        steps=min(ok) if ok else None)


def run(seed: int = 0) -> SpikingResult:
    """Both arms on one seed (about 0.6 s on one core)."""
    data = digits_split(seed)
    macs = 64 * HIDDEN + HIDDEN * 10
    return SpikingResult(seed, {arm: _arm(arm, data, seed) for arm in ARMS},
                         float((macs * analog.digital_mac_energy()).to("pJ").magnitude), macs, event_price())


def energy_at_chosen_steps(result: SpikingResult, arm: str, price: float | None = None) -> float:
    """Energy per inference (pJ) of an arm at its validation-chosen T: events × price (default TrueNorth's
    all-in 26 pJ); infinite when no T reached equal accuracy."""
    a = result.arms[arm]
    if a.steps is None:
        return float("inf")
    return a.events[a.steps] * (result.price if price is None else price)


TARGETS = ("converges", "steps_help", "penalty_fewer_events", "snn_costs_more")


def targets(result: SpikingResult) -> dict:
    """Each declared target on one seed → bool (see the module's description)."""
    arms = result.arms
    return {
        "converges": all(a.fp32 - a.curve[T_MAX] <= MAX_CONVERSION_LOSS for a in arms.values()),
        "steps_help": all(a.curve[T_MAX] > a.curve[TIME_STEPS[0]] for a in arms.values()),
        "penalty_fewer_events": bool(arms["penalty"].events[T_REF] < arms["standard"].events[T_REF]),
        "snn_costs_more": all(energy_at_chosen_steps(result, arm) > result.digital_energy for arm in ARMS),
    }


def holds(result: SpikingResult) -> bool:
    """All declared targets on one seed."""
    return all(targets(result).values())


def _curve(key: str):
    def build(results):
        return {arm: {t: mean_std([getattr(r.arms[arm], key)[t] for r in results]) for t in TIME_STEPS}
                for arm in ARMS}
    return from_results(build)


@dataclass(kw_only=True)
class SpikingSummary(Summary):
    """Mean ± std over seeds per arm and per number of time steps."""
    GROUPS = ARMS

    fp32: dict = per_arm()
    int8: dict = per_arm()
    accuracy: dict = _curve("curve")
    events: dict = _curve("events")
    hidden_spikes: dict = _curve("hidden_spikes")
    input_spikes: dict = _curve("input_spikes")
    energy: dict = from_results(lambda results: {arm: mean_std([energy_at_chosen_steps(r, arm) for r in results])
                                                 for arm in ARMS})
    steps: dict = from_results(lambda results: {arm: [r.arms[arm].steps for r in results] for arm in ARMS})
    excess: MeanStd = over_seeds(lambda r: min(energy_at_chosen_steps(r, a) for a in ARMS) / r.digital_energy)
    digital_energy: float = first_seed()
    macs: int = first_seed()
    price: float = first_seed()
    targets_met: dict = from_results(lambda results: {t: sum(targets(r)[t] for r in results) for t in TARGETS})


def run_many(seeds=range(5)) -> SpikingSummary:
    """Run :func:`run` for each seed and summarise (see :class:`SpikingSummary`)."""
    return summarise(SpikingSummary, run, holds, seeds, _conclusion)


def _conclusion(s: SpikingSummary) -> str:
    n = len(s.seeds)
    words = {"converges": f"{T_MAX} steps come within {MAX_CONVERSION_LOSS * 100:.0f} points of fp32",
             "steps_help": "more steps help", "penalty_fewer_events": "the penalty cuts events",
             "snn_costs_more": "the spiking network costs more than int8"}
    if all(s.holds):
        head = f"On all {n} seeds the declared targets held. "
    else:
        missed = "; ".join(f"{words[t]}: {k} of {n} seeds" for t, k in s.targets_met.items() if k < n)
        head = f"The declared targets held on {sum(s.holds)} of {n} seeds ({missed}). "
    acc = {arm: s.accuracy[arm] for arm in ARMS}
    pct = lambda m: m.format(".1f", 100, " %")     # noqa: E731
    return (head + f"Digitally the standard network scored {pct(s.fp32['standard'])} (fp32). As a spiking network it "
            f"scored {pct(acc['standard'][TIME_STEPS[0]])} after {TIME_STEPS[0]} time steps, "
            f"{pct(acc['standard'][T_REF])} after {T_REF} and {pct(acc['standard'][T_MAX])} after {T_MAX}; "
            f"at {T_REF} steps it needed {s.events['standard'][T_REF].format('.3g')} synaptic events per inference, "
            f"the activity-penalised network {s.events['penalty'][T_REF].format('.3g')} (at "
            f"{pct(acc['penalty'][T_REF])}). At equal accuracy and {s.price:.0f} pJ per event, the cheaper arm still "
            f"used {s.excess.format('.0f')}× the digital INT8 baseline's {s.digital_energy:,.0f} pJ "
            f"({s.macs:,} MACs per inference).")
