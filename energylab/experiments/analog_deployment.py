"""A trained network run on simulated analog in-memory tiles: accuracy and energy per inference together.

Each dense layer (weights W of shape (d_in, d_out), bias b) is deployed as follows, with the models of
:mod:`energylab.chips.analog`:

1. **Mapping.** W onto differential PCM pairs in [0, g_max] (one scale per layer); the rows are cut into tiles
   of ``rows`` inputs (and the columns into tiles of ``cols`` outputs, which changes the energy, not the
   result).
2. **Programming**, once: each device lands at its target plus PCM programming noise (times
   ``programming_noise``) and gets its own drift exponent ν.
3. **Inputs.** The layer's inputs (pixels, ReLU outputs: never negative) are scaled by their largest value
   on calibration data and quantised by a ``dac_bits`` DAC into pulse widths (pulse-width encoding).
4. **Reading** at time t after programming: the devices have drifted, G(t) = G(t0)·(t/t0)^−ν, and every read
   adds 1/f read noise (drawn per inference, as output noise of the exact variance Σ_i u_i²·σ_ij²).
5. **Columns.** Each tile's column charges are read by an ``adc_bits`` ADC whose range was set at programming
   time on the calibration data; the digital periphery adds the tiles' partial sums, undoes the scales,
   applies global drift compensation if asked (one gain per layer, α = mean|y(t0)| / mean|y(t)| on the
   calibration inputs), adds the bias and applies the ReLU.

Energy per inference: every tile's :func:`~energylab.chips.analog.tile_energy` with the deployed layer's own
mean pair conductance and mean input duty, summed. All randomness comes from one seed.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from energylab.chips import analog
from energylab.chips.analog.converters import _walden_joules
from energylab.chips.analog.energy import tile_joules
from energylab.chips.analog.pcm import _drift, _nu, _prog_sigma, _read_sigma
from energylab.chips.digital import quantize_uniform
from energylab.units import Q_, as_number, as_whole

__all__ = ["AnalogSettings", "AnalogNetwork", "deploy", "TIMES"]

#: Times since programming the chapter reads the chip at (s): 1 s, 1 h, 1 day, 1 month (30 days), 1 year.
TIMES = {"1 s": 1.0, "1 h": 3600.0, "1 day": 86400.0, "1 month": 30 * 86400.0, "1 year": 365 * 86400.0}


@dataclass(frozen=True)
class AnalogSettings:
    """What a student can change about the hardware.

    Attributes
    ----------
    rows, cols : int
        Tile (array) size.
    adc_bits, dac_bits : int
        Converter resolutions.
    programming_noise : float
        Multiplier of the PCM model's programming noise (0 = ideal programming, 1 = the published model).
    read_noise : float
        Multiplier of the PCM read noise.
    drift : bool
        Whether conductances drift with time.
    compensate : bool
        Global drift compensation on or off.
    fom_walden : str
        The converters' Walden figure of merit (energy per step), e.g. "1 fJ" or "50 fJ".
    """
    rows: int = 64
    cols: int = 64
    adc_bits: int = 8
    dac_bits: int = 8
    programming_noise: float = 1.0
    read_noise: float = 1.0
    drift: bool = True
    compensate: bool = True
    fom_walden: str = analog.DEFAULT_WALDEN_FOM

    def checked(self) -> AnalogSettings:
        as_whole(self.rows, "rows", minimum=1, maximum=4096, exact=True, what="rows")
        as_whole(self.cols, "cols", minimum=1, maximum=4096, exact=True, what="columns")
        as_whole(self.adc_bits, "adc_bits", minimum=2, maximum=16, exact=True, what="bits")
        as_whole(self.dac_bits, "dac_bits", minimum=2, maximum=16, exact=True, what="bits")
        as_number(self.programming_noise, "programming_noise", minimum=0, maximum=10)
        as_number(self.read_noise, "read_noise", minimum=0, maximum=10)
        return self

    def ideal(self) -> AnalogSettings:
        """The same converters and tiles with perfect devices (no noise, no drift)."""
        return replace(self, programming_noise=0.0, read_noise=0.0, drift=False)


class _Layer:
    """One dense layer programmed onto tiles (plain arrays: siemens, normalised pulse widths)."""

    def __init__(self, W, b, settings: AnalogSettings, x_max: float, rng: np.random.Generator):
        self.b = b
        self.settings = settings
        self.x_max = x_max
        cmap = analog.to_conductance(W)
        self.g_max, self.weight_per_siemens = cmap.g_max, float(cmap.weight_per_siemens[0])
        self.targets = (cmap.g_plus[0], cmap.g_minus[0])
        noise = settings.programming_noise
        self.programmed = tuple(np.maximum(g + noise * _prog_sigma(g, cmap.g_max) * rng.standard_normal(g.shape), 0)
                                for g in self.targets)
        self.nu = tuple(_nu(g, cmap.g_max, rng) for g in self.targets)
        self.tiles = [slice(start, min(start + settings.rows, W.shape[0])) for start in range(0, W.shape[0],
                                                                                           settings.rows)]
        self.full_scale = None       # per tile and column, set by calibrate()
        self.reference = None        # mean |y| at t0 on the calibration inputs, for drift compensation

    def pulses(self, x):
        """DAC: inputs → pulse widths as fractions of the full-scale window."""
        s = self.settings
        q = quantize_uniform(np.clip(x / self.x_max, 0, 1), s.dac_bits, scale=1 / (2 ** s.dac_bits - 1), signed=False)
        return q.values

    def conductances(self, t: float):
        if not self.settings.drift:
            return self.programmed
        return tuple(_drift(g, nu, t) for g, nu in zip(self.programmed, self.nu))

    def charges(self, u, t: float, rng):
        """Column outputs of every tile before the ADC, in units of V_read·t_read·S (shape tiles × n × d_out)."""
        gp, gm = self.conductances(t)
        out = []
        for rows in self.tiles:
            q = u[:, rows] @ (gp[rows] - gm[rows])
            if self.settings.read_noise > 0 and rng is not None:
                var = (u[:, rows] ** 2) @ (_read_sigma(gp[rows], self.g_max, t) ** 2
                                           + _read_sigma(gm[rows], self.g_max, t) ** 2)
                q = q + self.settings.read_noise * np.sqrt(var) * rng.standard_normal(q.shape)
            out.append(q)
        return out

    def calibrate(self, x):
        """Set each tile's ADC range (the largest ideal column output on calibration data) and the drift
        compensation's reference (the programmed chip at t0)."""
        u = self.pulses(x)
        ideal = [u[:, rows] @ (self.targets[0][rows] - self.targets[1][rows]) for rows in self.tiles]
        self.full_scale = [np.maximum(np.abs(q).max(axis=0), 1e-30) for q in ideal]
        self.reference = float(np.abs(self.raw(x, 0.0, None)).mean())

    def raw(self, x, t: float, rng):
        """Digitised, summed and rescaled outputs before compensation and bias."""
        s = self.settings
        u = self.pulses(x)
        total = 0.0
        for q, fs in zip(self.charges(u, t, rng), self.full_scale):
            top = 2 ** (s.adc_bits - 1) - 1
            total = total + quantize_uniform(q, s.adc_bits, scale=fs / top).values     # the column ADCs
        return total * self.weight_per_siemens * self.x_max

    def forward(self, x, t: float, rng, compensation: float = 1.0):
        return self.raw(x, t, rng) * compensation + self.b

    def compensation(self, x_calibration, t: float, rng, compensate: bool) -> float:
        if not compensate:
            return 1.0
        now = float(np.abs(self.raw(x_calibration, t, rng)).mean())
        return self.reference / now if now > 0 else 1.0

    def energy(self, u_mean: float) -> float:
        """Energy of one inference through this layer in J: every tile, with its own pair conductance."""
        s = self.settings
        d_out = self.targets[0].shape[1]
        fom = _walden_joules(s.fom_walden)
        v, t = float(analog.V_READ.to("V").magnitude), float(analog.T_READ.to("s").magnitude)
        total = 0.0
        for rows in self.tiles:
            g_pair = float((self.targets[0][rows] + self.targets[1][rows]).mean())
            for start in range(0, d_out, s.cols):
                parts = tile_joules(rows.stop - rows.start, min(s.cols, d_out - start), s.adc_bits, s.dac_bits,
                                    g_pair, min(u_mean, 1.0), v, t, fom, analog.DEFAULT_SCHREIER_FOM)
                total += sum(parts.values())
        return total


class AnalogNetwork:
    """A ReLU network's dense layers programmed onto analog tiles (see the module's description).

    Build it with :func:`deploy`; then :meth:`accuracy` at a time after programming and
    :meth:`energy_per_inference`.
    """

    def __init__(self, params, settings: AnalogSettings, calibration, seed: int = 0):
        self.settings = settings.checked()
        self.seed = seed
        self.rng = np.random.default_rng(seed)       # programming: drawn once, here
        self.layers = []
        x = np.asarray(calibration, dtype=float)
        for i, (W, b) in enumerate(params):
            layer = _Layer(np.asarray(W, float), np.asarray(b, float), self.settings,
                           float(np.max(x)) or 1.0, self.rng)
            layer.calibrate(x)
            self.layers.append(layer)
            x = x @ W + b
            if i < len(params) - 1:
                x = np.maximum(x, 0.0)
        self.calibration = np.asarray(calibration, dtype=float)

    def logits(self, X, t: float = 0.0, compensate: bool | None = None) -> np.ndarray:
        """Outputs of the deployed network read ``t`` seconds after programming (``compensate`` overrides the
        settings' choice: the same programmed chip read with or without drift compensation)."""
        x, calib = np.asarray(X, dtype=float), self.calibration
        compensate = self.settings.compensate if compensate is None else bool(compensate)
        # Read noise: fresh for every read, but the same for the same read, so results are reproducible.
        reads = np.random.default_rng([self.seed, int(round(float(t))), int(compensate), x.shape[0]])
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            alpha = layer.compensation(calib, t, reads, compensate)
            x = layer.forward(x, t, reads, alpha)
            calib = layer.forward(calib, t, reads, alpha)
            if i < last:
                x, calib = np.maximum(x, 0.0), np.maximum(calib, 0.0)
        return x

    def accuracy(self, X, y, t: float = 0.0, compensate: bool | None = None) -> float:
        """Fraction of samples classified right at time ``t`` (s) after programming."""
        return float(np.mean(np.argmax(self.logits(X, t, compensate), axis=1) == np.asarray(y)))

    def macs(self) -> int:
        return sum(layer.targets[0].size for layer in self.layers)

    def energy_per_inference(self, X):
        """Energy of one inference on the tiles, from each layer's mean input duty on ``X`` (a quantity, pJ)."""
        x = np.asarray(X, dtype=float)
        total = 0.0
        for i, layer in enumerate(self.layers):
            total += layer.energy(float(layer.pulses(x).mean()))
            x = layer.forward(x, 0.0, None)
            if i < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        return Q_(total, "J").to("pJ")


def deploy(model, settings: AnalogSettings | None = None, calibration=None, seed: int = 0) -> AnalogNetwork:
    """Program a trained :class:`~energylab.nn.MLP` (ReLU) onto analog tiles.

    Parameters
    ----------
    model : energylab.nn.MLP
        Trained, with ReLU hidden layers.
    settings : AnalogSettings, optional
        Tiles, converters and devices; default :class:`AnalogSettings()`.
    calibration : array_like, shape (n, n_features)
        Inputs (from the training data) that set the DAC and ADC ranges and the compensation reference.
    seed : int
        Programming noise and drift exponents (drawn once) and read noise (drawn for each read from the seed, the
        time and the inputs' count, so the same read gives the same result).
    """
    if getattr(model, "activation", "relu") != "relu":
        raise ValueError("deploy needs a ReLU network: analog rows take non-negative inputs (pulse widths).")
    if calibration is None:
        raise ValueError("calibration inputs are needed: a few hundred training samples set the converter ranges.")
    return AnalogNetwork(model.params, settings or AnalogSettings(), calibration, seed)
