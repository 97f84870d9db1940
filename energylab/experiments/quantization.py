"""Post-training quantization: the same trained network in fewer bits, and the energy of its arithmetic.

One network, ``MLP([N_FEATURES, HIDDEN, N_CLASSES])`` (the task of
:mod:`~energylab.experiments.distillation`), is trained once in full precision on ``N_TRAIN``
labelled samples (``LABEL_NOISE`` of them mislabelled). It is then quantized **after** training, with
no retraining, and every version is scored on the same ``N_TEST`` held-out samples (true labels):

* ``"fp32"`` — the trained network as it is (numpy computes in float64; we cost it as fp32, the
  usual full-precision format: both are far finer than anything below);
* ``"int8"``, ``"int4"``, ``"int2"`` — weights rounded to 8, 4 or 2 bits, activations to
  ``ACTIVATION_BITS`` = 8 bits.

The scheme (:func:`energylab.chips.digital.quantize_uniform`, the package's one quantiser) is
**uniform and symmetric**: a value x becomes the integer
q = round(x / s), clipped to ±(2^(b−1) − 1), and is read back as q·s (so 2 bits give the three levels
−s, 0, +s). Weights use one scale s **per output channel** (per column of W: s = max|W[:, j]| /
(2^(b−1) − 1)); activations use one scale **per tensor**, calibrated once on the training set (the
largest magnitude seen): signed for the inputs, unsigned (0 … 2^b − 1) after a ReLU, which is never
negative. Biases stay in full precision (integer kernels keep them as 32-bit integers, which is
practically exact). The quantized network is simulated in floating point with the rounded values
("fake quantization"), which matches integer arithmetic followed by a rescaling to within float64
rounding.

Energy per query counts the multiply–accumulates (one per weight per input) at Horowitz's 45 nm
energies (:func:`mac_energy`): fp32 multiply + fp32 add; int8 multiply + a 32-bit integer add for the
accumulator (8-bit products summed over many inputs need far more than 8 bits). For widths other than
8 bits Horowitz gives no figure: **as an assumption of this course, not a measured fact**, an integer
multiplier's energy is taken to scale with the product of its operand widths (w·a partial-product
bits, bits² when both are equal), from the int8 figure. Memory traffic is reported as the bytes of
weights each version stores (:attr:`Arm.weight_bytes`).

Stated conclusion (:func:`holds`, checked for every seed): int8 loses at most ``MAX_INT8_LOSS`` of
accuracy against full precision while its multiply–accumulates cost over ``MIN_INT8_MAC_SAVING``×
less energy, and the quantization error (of the weights and of the logits) grows at every step
8 → 4 → 2 bits.

Notes
-----
Jacob et al. (2018), "Quantization and training of neural networks for efficient integer-arithmetic-
only inference", CVPR, arXiv:1712.05877; Nagel et al. (2021), "A white paper on neural network
quantization", arXiv:2106.08295 (per-channel weight scales; 4-bit post-training quantization usually
needs more care than rounding). Energies: Horowitz (2014), "Computing's energy problem", ISSCC, 45 nm.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from energylab import nn
from energylab.chips.digital import quantize_uniform
from energylab.units import as_whole

from .distillation import LABEL_NOISE, N_CLASSES, N_FEATURES, N_TEST, make_task
from .protocol import MeanStd, Summary, first_seed, over_seeds, per_arm, summarise

__all__ = ["QuantizedMLP", "quantize_model", "weight_bytes", "dram_energy", "train_model", "mac_energy",
           "multiplier_energy", "Arm", "QuantizationResult", "QuantizationSummary", "run", "run_many", "holds",
           "ARMS", "BITS"]

# ---- the network and its training ---------------------------------------------------------------------
N_TRAIN = 3000            # labelled training samples (LABEL_NOISE of them wrong)
HIDDEN = 64               # MLP([16, 64, 10]): 1,664 weights, so 1,664 multiply–accumulates per query
EPOCHS = 10
BATCH_SIZE = 64
LR = 3e-3                 # Adam

# ---- the quantization --------------------------------------------------------------------------------------
BITS = (8, 4, 2)          # weight widths tried, in bits
ACTIVATION_BITS = 8       # width of the inputs and hidden activations in every quantized version
PER_CHANNEL = True        # weights: one scale per output channel (False: one per weight matrix)

# ---- energy ------------------------------------------------------------------------------------------------
ACCUMULATOR = "int32"     # integer products are summed in a 32-bit accumulator (Horowitz's 32-bit add)
ASSUMED_REFERENCE_BITS = 8   # the multiplier of known energy (Horowitz's int8); others scaled by w·a / 8²

# ---- the stated conclusion ---------------------------------------------------------------------------------
MAX_INT8_LOSS = 0.01      # int8 may lose at most 1 point of accuracy against full precision ...
MIN_INT8_MAC_SAVING = 10  # ... while a multiply–accumulate costs over 10× less energy

#: The arms, in the order they are reported.
ARMS = ("fp32", "int8", "int4", "int2")
_ARM_BITS = {"fp32": None, "int8": 8, "int4": 4, "int2": 2}


def _check_bits(bits) -> int:
    """The experiment's bit widths: whole numbers from 2 to 16 (2 bits is the fewest a signed scheme allows)."""
    return as_whole(bits, "bits", minimum=2, maximum=16, exact=True, what="bits")


# --------------------------------------------------------------------------------------------------
# a quantized network
# --------------------------------------------------------------------------------------------------

class QuantizedMLP:
    """A trained :class:`~energylab.nn.MLP` with quantized weights and (optionally) activations.

    Parameters
    ----------
    model : energylab.nn.MLP
        The full-precision network (left unchanged).
    weight_bits : int
        Width of the weights.
    activation_bits : int, optional
        Width of the inputs and hidden activations; None keeps them in full precision.
    calibration : ndarray, optional
        Inputs whose largest magnitudes set the activation scales (needed with ``activation_bits``).
    per_channel : bool
        One weight scale per output channel (default) or per matrix.

    Attributes
    ----------
    weights : list of ndarray
        The dequantized weights (q·s), the shapes of the model's.
    codes, weight_scales : list of ndarray
        The integers and scales behind them.
    activation_scales : list of float
        Scale of the input of each layer (empty without activation quantization).
    """

    def __init__(self, model, weight_bits: int, activation_bits: int | None = None, calibration=None,
                 per_channel: bool = PER_CHANNEL):
        self.model = model
        self.weight_bits = _check_bits(weight_bits)
        self.activation_bits = None if activation_bits is None else _check_bits(activation_bits)
        self.per_channel = bool(per_channel)
        self.codes, self.weight_scales, self.weights = [], [], []
        for W, _ in model.params:
            q, s = quantize_uniform(W, self.weight_bits, axis=0 if per_channel else None)
            self.codes.append(q)
            self.weight_scales.append(np.asarray(s, dtype=np.float64))
            self.weights.append(q.astype(np.float64) * s)
        self.activation_scales = []
        if self.activation_bits is not None:
            if calibration is None:
                raise ValueError("calibration inputs are needed to quantize activations.")
            outs = model.layer_outputs(calibration)
            for i in range(len(model.params)):   # one scale per tensor: its largest magnitude on calibration
                scale = quantize_uniform(outs[i], self.activation_bits, signed=self._signed(i)).scale
                self.activation_scales.append(float(scale))

    def _signed(self, layer: int) -> bool:
        """Whether the input of ``layer`` can be negative: the network's inputs can, ReLU outputs cannot."""
        return layer == 0 or self.model.activation != "relu"

    def forward(self, X) -> np.ndarray:
        """Logits, shape (n, n_classes), computed with the quantized weights and activations."""
        a = np.asarray(X, dtype=np.float64)
        last = len(self.weights) - 1
        for i, (W, (_, b)) in enumerate(zip(self.weights, self.model.params)):
            if self.activation_bits is not None:
                a = quantize_uniform(a, self.activation_bits, signed=self._signed(i),
                                     scale=self.activation_scales[i]).values
            z = a @ W + b
            a = z if i == last else self.model._act(z)
        return a

    def predict(self, X) -> np.ndarray:
        return np.argmax(self.forward(X), axis=1)

    def accuracy(self, X, y) -> float:
        return float(np.mean(self.predict(X) == np.asarray(y)))

    def weight_error(self) -> float:
        """Relative squared error of the weights: Σ‖W − Ŵ‖² / Σ‖W‖² over the layers."""
        num = sum(float(np.sum((W - Wq) ** 2)) for (W, _), Wq in zip(self.model.params, self.weights))
        return num / sum(float(np.sum(W ** 2)) for W, _ in self.model.params)

    def weight_bytes(self) -> float:
        """Bytes to store the weights: bits/8 per weight, plus a 4-byte scale per channel (or matrix)."""
        return weight_bytes(self.model, self.weight_bits, self.per_channel)


def weight_bytes(model, bits: int | None = None, per_channel: bool = PER_CHANNEL) -> float:
    """Bytes to store a network's weights (biases left out: they are few).

    Full precision (``bits=None``): 4 bytes (fp32) per weight. Quantized: bits/8 per weight plus one
    4-byte scale per output channel (``per_channel``) or per matrix.
    """
    if bits is None:
        return 4.0 * model.n_weights
    bits = _check_bits(bits)
    scales = sum(W.shape[1] if per_channel else 1 for W, _ in model.params)
    return model.n_weights * bits / 8 + 4.0 * scales


def dram_energy(n_bytes) -> float:
    """Energy to read ``n_bytes`` from DRAM, in J: 64-bit reads at the *low* end of Horowitz's 1.3–2.6 nJ.

    The low end, so that memory's share is if anything understated.
    """
    from energylab import sources

    per_read = float(np.min(sources.value("horowitz_dram_read_energy").to("J").magnitude))
    return float(n_bytes) / 8.0 * per_read


def quantize_model(model, weight_bits: int, activation_bits: int | None = ACTIVATION_BITS, calibration=None,
                   per_channel: bool = PER_CHANNEL) -> QuantizedMLP:
    """Shortcut for :class:`QuantizedMLP` with the experiment's defaults."""
    return QuantizedMLP(model, weight_bits, activation_bits, calibration, per_channel)


# --------------------------------------------------------------------------------------------------
# energy per multiply–accumulate
# --------------------------------------------------------------------------------------------------

def _pj(fact_id: str) -> float:
    from energylab import sources

    return float(sources.value(fact_id).to("pJ").magnitude)


def multiplier_energy(weight_bits: int | None, activation_bits: int | None = None) -> float:
    """Energy of one multiply, in pJ, at 45 nm (Horowitz 2014).

    ``weight_bits=None`` means fp32: 3.7 pJ. Integer: Horowitz's int8 multiply (0.2 pJ) scaled by
    (w·a) / 8² — **an assumption of this course** for widths other than 8 (a multiplier's area and
    energy grow with its partial-product bits); exact for 8 × 8. ``activation_bits`` defaults to
    ``weight_bits``.
    """
    if weight_bits is None:
        return _pj("horowitz_fp32_mult_energy")
    a = weight_bits if activation_bits is None else activation_bits
    w, a = _check_bits(weight_bits), _check_bits(a)
    return _pj("horowitz_int8_mult_energy") * (w * a) / ASSUMED_REFERENCE_BITS ** 2


def mac_energy(weight_bits: int | None, activation_bits: int | None = ACTIVATION_BITS) -> float:
    """Energy of one multiply–accumulate, in J, at 45 nm (Horowitz 2014).

    fp32 (``weight_bits=None``): fp32 multiply + fp32 add = 3.7 + 0.9 pJ. Integer: the multiply of
    :func:`multiplier_energy` + a 32-bit integer add (0.1 pJ) for the accumulator.
    """
    if weight_bits is None:
        return (_pj("horowitz_fp32_mult_energy") + _pj("horowitz_fp32_add_energy")) * 1e-12
    add = _pj("horowitz_int32_add_energy") if ACCUMULATOR == "int32" else _pj("horowitz_int8_add_energy")
    return (multiplier_energy(weight_bits, activation_bits) + add) * 1e-12


# --------------------------------------------------------------------------------------------------
# the experiment
# --------------------------------------------------------------------------------------------------

@dataclass
class Arm:
    """One version of the trained network.

    Attributes
    ----------
    name : str
    weight_bits, activation_bits : int or None
        None for full precision.
    accuracy : float
        Held-out accuracy (true labels).
    agreement : float
        Share of held-out predictions equal to the full-precision network's.
    weight_error : float
        Σ‖W − Ŵ‖² / Σ‖W‖² (0 for full precision).
    logit_error : float
        RMS difference of the held-out logits from full precision, relative to their RMS.
    mac_energy : float
        Energy of one multiply–accumulate (:func:`mac_energy`), in J.
    energy_per_query : float
        One multiply–accumulate per weight for one input, in J.
    weight_bytes : float
        Bytes of weights stored (fp32: 4 per weight; quantized: bits/8 per weight + the scales).
    """
    name: str
    weight_bits: int | None
    activation_bits: int | None
    accuracy: float
    agreement: float
    weight_error: float
    logit_error: float
    mac_energy: float
    energy_per_query: float
    weight_bytes: float


@dataclass
class QuantizationResult:
    """One seed: ``arms`` maps each of :data:`ARMS` to :class:`Arm`.

    ``per_tensor_int4_accuracy`` is the int4 version with one scale per matrix instead of per channel,
    to show what per-channel scales buy. ``macs_per_query`` is the network's number of weights.
    """
    seed: int
    arms: dict
    macs_per_query: int
    per_tensor_int4_accuracy: float


def _arm(name, model, quantized, X_test, y_test, reference_logits) -> Arm:
    bits = _ARM_BITS[name]
    logits = reference_logits if quantized is None else quantized.forward(X_test)
    rms = math.sqrt(float(np.mean(reference_logits ** 2)))
    e_mac = mac_energy(bits, None if bits is None else ACTIVATION_BITS)
    return Arm(name=name, weight_bits=bits, activation_bits=None if bits is None else ACTIVATION_BITS,
               accuracy=float(np.mean(np.argmax(logits, axis=1) == y_test)),
               agreement=float(np.mean(np.argmax(logits, axis=1) == np.argmax(reference_logits, axis=1))),
               weight_error=0.0 if quantized is None else quantized.weight_error(),
               logit_error=math.sqrt(float(np.mean((logits - reference_logits) ** 2))) / rms,
               mac_energy=e_mac, energy_per_query=model.n_weights * e_mac,
               weight_bytes=weight_bytes(model, bits, PER_CHANNEL))


def train_model(seed: int = 0):
    """The experiment's task, trained full-precision network and data, for one seed.

    Returns
    -------
    model : energylab.nn.MLP
    X_train : ndarray
        Its training inputs (also the calibration set of the activation scales).
    X_test, y_test : ndarray
        Held-out inputs and true labels.
    """
    seq = np.random.SeedSequence(int(seed))
    task_rng, data_rng, test_rng, shuffle_rng = (np.random.default_rng(s) for s in seq.spawn(4))
    init = int(seq.generate_state(1)[0])
    task = make_task(task_rng)
    X, y, _ = task.sample(N_TRAIN, data_rng, LABEL_NOISE)
    X_test, _, y_test = task.sample(N_TEST, test_rng)
    model = nn.MLP([N_FEATURES, HIDDEN, N_CLASSES], seed=init)
    nn.train(model, X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, seed=shuffle_rng)
    return model, X, X_test, y_test


def run(seed: int = 0) -> QuantizationResult:
    """Run one seed: train the network in full precision, quantize it to each of :data:`BITS`, score all.

    Parameters
    ----------
    seed : int
        Seeds the task, the data, the initialisation and the shuffling. Quantization itself is
        deterministic (rounding, no randomness).

    Returns
    -------
    QuantizationResult
    """
    model, X, X_test, y_test = train_model(seed)
    reference = model.forward(X_test)
    arms = {"fp32": _arm("fp32", model, None, X_test, y_test, reference)}
    for name in ARMS[1:]:
        q = QuantizedMLP(model, _ARM_BITS[name], ACTIVATION_BITS, calibration=X, per_channel=PER_CHANNEL)
        arms[name] = _arm(name, model, q, X_test, y_test, reference)
    per_tensor = QuantizedMLP(model, 4, ACTIVATION_BITS, calibration=X, per_channel=False)
    return QuantizationResult(seed=int(seed), arms=arms, macs_per_query=model.n_weights,
                              per_tensor_int4_accuracy=per_tensor.accuracy(X_test, y_test))


def _monotone(result: QuantizationResult, attribute: str) -> bool:
    values = [getattr(result.arms[a], attribute) for a in ARMS]   # fp32, int8, int4, int2
    return all(b > a for a, b in zip(values, values[1:]))


def holds(result: QuantizationResult) -> bool:
    """The stated conclusion for one seed.

    True when int8 (weights and activations) loses at most ``MAX_INT8_LOSS`` accuracy against full
    precision, an int8 multiply–accumulate costs over ``MIN_INT8_MAC_SAVING``× less energy than an fp32
    one, and both the weight error and the logit error grow at every step fp32 → 8 → 4 → 2 bits.
    """
    fp, i8 = result.arms["fp32"], result.arms["int8"]
    return (fp.accuracy - i8.accuracy <= MAX_INT8_LOSS
            and fp.mac_energy / i8.mac_energy > MIN_INT8_MAC_SAVING
            and _monotone(result, "weight_error") and _monotone(result, "logit_error"))


@dataclass(kw_only=True)
class QuantizationSummary(Summary):
    """Mean ± standard deviation over seeds, per arm, and the conclusion the numbers support.

    Dictionaries map arm names (:data:`ARMS`) to :class:`~energylab.experiments.MeanStd`; ``mac_energy``
    and ``energy_per_query`` are the same on every seed, and so is ``macs_per_query``.
    """
    GROUPS = ARMS

    accuracy: dict = per_arm()
    agreement: dict = per_arm()
    weight_error: dict = per_arm()
    logit_error: dict = per_arm()
    mac_energy: dict = per_arm()
    energy_per_query: dict = per_arm()
    weight_bytes: dict = per_arm()
    per_tensor_int4_accuracy: MeanStd = over_seeds()
    macs_per_query: int = first_seed()


def run_many(seeds=range(5)) -> QuantizationSummary:
    """Run :func:`run` for each seed and summarise (see :class:`QuantizationSummary`)."""
    return summarise(QuantizationSummary, run, holds, seeds, _conclusion)


def _conclusion(s: QuantizationSummary) -> str:
    n = len(s.seeds)
    acc = s.percents("accuracy")
    pj = {a: f"{s.mac_energy[a].mean * 1e12:.3g} pJ" for a in ARMS}
    saving = {a: s.mac_energy["fp32"].mean / s.mac_energy[a].mean for a in ARMS}
    loss = {a: [r.arms["fp32"].accuracy - r.arms[a].accuracy for r in s.results] for a in ARMS}
    worst8 = max(loss["int8"]) * 100
    if all(s.holds):
        head = (f"On all {n} seeds, rounding the trained network to int8 weights and activations after training "
                f"cost at most {max(worst8, 0):.1f} point{'s' if round(max(worst8, 0), 1) != 1 else ''} of "
                f"accuracy (allowed: {MAX_INT8_LOSS * 100:.0f}; {acc['int8']} vs {acc['fp32']} in full precision, "
                f"{s.agreement['int8'].format('.1f', 100, ' %')} of predictions unchanged), while a "
                f"multiply–accumulate fell from {pj['fp32']} (fp32) to {pj['int8']} (int8 multiply, 32-bit "
                f"accumulate): {saving['int8']:.0f}× less energy on Horowitz's 45 nm table. ")
    else:
        head = (f"The stated conclusion failed on seed(s) {s.failed_seeds}. Int8 reached {acc['int8']} against "
                f"{acc['fp32']} in full precision, at {pj['int8']} per multiply–accumulate instead of {pj['fp32']} "
                f"({saving['int8']:.0f}× less). ")
    lost4 = float(np.mean(loss["int4"])) * 100
    four = (f"With 4-bit weights accuracy was {acc['int4']} ({lost4:.1f} points below full precision) for "
            f"{pj['int4']} per multiply–accumulate under the course's assumption that a multiplier's energy scales "
            f"with its operand widths ({saving['int4']:.0f}× less than fp32); one weight scale per matrix instead of "
            f"per output channel gave {s.per_tensor_int4_accuracy.format('.1f', 100, ' %')}. ")
    two = (f"At 2 bits (three levels per weight) accuracy fell to {acc['int2']}. The logits' error grew from "
           f"{s.logit_error['int8'].format('.1f', 100, ' %')} of their size (int8) to "
           f"{s.logit_error['int4'].format('.0f', 100, ' %')} (int4) and "
           f"{s.logit_error['int2'].format('.0f', 100, ' %')} (int2), while the energy per multiply–accumulate "
           f"fell only to {pj['int2']}: the 32-bit accumulator's add ({_pj('horowitz_int32_add_energy'):.2g} pJ) "
           f"does not shrink with the weights. ")
    fetch = {a: dram_energy(s.weight_bytes[a].mean) for a in ARMS}
    macs = {a: s.energy_per_query[a].mean for a in ARMS}
    memory = (f"The weights shrink with the bits: {s.weight_bytes['fp32'].mean:,.0f} B in fp32, "
              f"{s.weight_bytes['int8'].mean:,.0f} B in int8, {s.weight_bytes['int4'].mean:,.0f} B in int4. Read "
              f"from DRAM (at least {dram_energy(8) * 1e9:.2g} nJ per 64 bits) the int8 weights cost "
              f"{fetch['int8'] * 1e9:,.0f} nJ, against "
              f"{macs['int8'] * 1e9:.2f} nJ for one query's multiply–accumulates: unless many queries share each "
              f"fetch (batching) or the weights stay on chip, moving the weights, not the arithmetic, sets the "
              f"energy — and fewer bits cut that too.")
    return head + four + two + memory
