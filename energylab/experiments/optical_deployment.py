"""A trained network run on simulated Mach–Zehnder meshes: tiles, light, loss, phase errors, shot noise, energy.

Each layer's matrix (outputs × inputs) is cut into N × N tiles (zero-padded at the edges); each tile is an SVD mesh
(:func:`energylab.chips.optical.svd_mesh`: two unitary meshes of Clements or Reck and N attenuators). For one
input vector a tile

1. encodes the tile's inputs with ``dac_bits``-bit DACs as light amplitudes, the laser launching
   ``photons_per_mac`` · N² photons per MVM in all (the vector's norm is restored electronically afterwards);
2. applies the mesh's *actual* matrix: every MZI with the same insertion loss (dB) and with Gaussian errors of
   standard deviation ``phase_sigma`` (rad) on both phases, drawn once per chip;
3. reads each output's field by homodyne detection: its real part plus vacuum (shot) noise of standard deviation
   ½ in units where |amplitude|² counts photons — the standard quantum limit that Hamerly et al. (PRX 9, 021032,
   2019) analyse — then a ``adc_bits``-bit ADC over the tile's calibrated full scale;
4. rescales by one gain per tile, measured on the chip (it undoes the average loss, not its unevenness or the
   phase errors), and adds the partial sums of the tiles of a row digitally; bias and ReLU are digital.

Loss thus costs signal-to-noise (fewer photons reach the detectors) and, where paths pass through unequal numbers
of MZIs (Reck), distorts the matrix; phase errors distort it in both meshes. Energy per inference is
:func:`energylab.chips.optical.energy.mvm_energy` summed over the tiles, with each tile's heater power computed
from its own phases (thermo-optic shifters) or zero (non-volatile shifters).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from energylab.chips.digital import quantize_uniform
from energylab.chips.optical import svd_mesh
from energylab.chips.optical.energy import PHASE_SHIFTERS, heater_power, mvm_energy

__all__ = ["OpticalSettings", "OpticalNetwork", "decompose", "deploy"]

SHOT_NOISE_STD = 0.5    # vacuum noise of one homodyne quadrature, in units of √photons


@dataclass(frozen=True)
class OpticalSettings:
    """One optical chip design (course defaults: N = 32, Clements, 0.2 dB and 0.02 rad per MZI, 10 photons/MAC)."""
    n: int = 32
    kind: str = "clements"
    loss_db: float = 0.2
    phase_sigma: float = 0.02
    photons_per_mac: float = 10.0
    adc_bits: int = 8
    dac_bits: int = 8
    phase_shifters: str = "thermo-optic"

    def __post_init__(self):
        if self.kind not in ("clements", "reck"):
            raise ValueError(f"kind must be 'clements' or 'reck'; got {self.kind!r}.")
        if self.phase_shifters not in PHASE_SHIFTERS:
            raise ValueError(f"phase_shifters must be one of {PHASE_SHIFTERS}; got {self.phase_shifters!r}.")
        if not (isinstance(self.n, (int, np.integer)) and 2 <= self.n <= 128):
            raise ValueError(f"n (mesh size, modes) must be a whole number from 2 to 128; got {self.n!r}.")
        if self.loss_db < 0 or self.phase_sigma < 0 or self.photons_per_mac <= 0:
            raise ValueError("loss_db (dB per MZI) and phase_sigma (rad) must be ≥ 0 and photons_per_mac > 0.")

    def ideal(self) -> OpticalSettings:
        """The same design with lossless, exact MZIs and a million photons per MAC."""
        return replace(self, loss_db=0.0, phase_sigma=0.0, photons_per_mac=1e6)


def decompose(model, n: int, kind: str = "clements") -> list:
    """Each layer of ``model`` as N × N tiles: a list per layer of rows of (:class:`SVDMesh`, target block), None
    for an all-zero block of padding. The slow step (≈0.1 s for N = 64), shared by every setting with the same N
    and mesh kind."""
    layers = []
    for W, _ in model.params:
        m = W.T                                        # outputs × inputs: the matrix the light sees
        rows, cols = -(-m.shape[0] // n), -(-m.shape[1] // n)
        padded = np.zeros((rows * n, cols * n))
        padded[:m.shape[0], :m.shape[1]] = m
        blocks = [[padded[r * n:(r + 1) * n, c * n:(c + 1) * n] for c in range(cols)] for r in range(rows)]
        layers.append([[(svd_mesh(block, kind), block) if np.any(block) else None for block in row]
                       for row in blocks])
    return layers


class OpticalNetwork:
    """A trained MLP on one simulated optical chip (:func:`deploy`)."""

    def __init__(self, model, settings: OpticalSettings, tiles: list, calibration, seed: int):
        self.model, self.settings, self.seed = model, settings, seed
        rng = np.random.default_rng([seed, 7])
        s = settings
        self.layers = []          # per layer: rows of (actual passive matrix, gain, scale) or None
        heaters = 0.0
        for layer in tiles:
            built = []
            for row in layer:
                out = []
                for tile in row:
                    if tile is None:
                        out.append(None)
                        continue
                    mesh, target = tile
                    actual = mesh.matrix(s.loss_db, s.phase_sigma, rng) / mesh.scale
                    re = actual.real
                    gain = float(np.sum(target * re) / (mesh.scale * np.sum(re * re)))   # measured on the chip
                    out.append([actual, gain, mesh.scale])
                    if s.phase_shifters == "thermo-optic":
                        heaters += float(heater_power(mesh).magnitude)
                built.append(out)
            self.layers.append(built)
        self.heater_watts = heaters
        self.n_tiles = sum(len(row) for layer in tiles for row in layer)
        self._full_scale = self._calibrate(np.asarray(calibration, dtype=float))

    # -- light ------------------------------------------------------------------------------------------
    def _field(self, x, tile):
        """Noiseless detected fields of one tile on input slices x (samples × N, ≥ 0), in √photons, and the
        factor per sample that turns them back into weight units."""
        actual, gain, scale = tile
        n = self.settings.n
        norm = np.sqrt(np.sum(x * x, axis=1, keepdims=True))
        amplitude = np.sqrt(self.settings.photons_per_mac * n * n)
        light = np.divide(x * amplitude, norm, out=np.zeros_like(x), where=norm > 0)
        return (light @ actual.T).real, norm * (gain * scale / amplitude)

    def _forward(self, X, rng, full_scales=None):
        """Logits; with ``full_scales`` a dict to fill, a noiseless pass recording each tile's largest field."""
        s = self.settings
        a = X
        for index, (layer, (W, b)) in enumerate(zip(self.layers, self.model.params)):
            step = (float(a.max()) or 1.0) / (2 ** s.dac_bits - 1)
            x = np.zeros((a.shape[0], len(layer[0]) * s.n))
            x[:, :a.shape[1]] = quantize_uniform(a, s.dac_bits, scale=step, signed=False).values
            out = np.zeros((a.shape[0], len(layer) * s.n))
            for r, row in enumerate(layer):
                for c, tile in enumerate(row):
                    if tile is None:
                        continue
                    field, back = self._field(x[:, c * s.n:(c + 1) * s.n], tile)
                    if full_scales is not None:
                        full_scales[index, r, c] = float(np.abs(field).max()) or 1.0
                    else:
                        field = field + SHOT_NOISE_STD * rng.standard_normal(field.shape)
                        lsb = self._full_scale[index, r, c] / (2 ** (s.adc_bits - 1) - 1)
                        field = quantize_uniform(field, s.adc_bits, scale=lsb).values
                    out[:, r * s.n:(r + 1) * s.n] += field * back
            z = out[:, :W.shape[1]] + b
            a = np.maximum(z, 0.0) if index < len(self.layers) - 1 else z
        return a

    def _calibrate(self, X) -> dict:
        """The ADC full scale of each tile: its largest noiseless field on calibration data, in √photons."""
        full_scales = {}
        self._forward(X, None, full_scales)
        return full_scales

    # -- what a student measures ------------------------------------------------------------------------
    def predict(self, X, reading: int = 0) -> np.ndarray:
        """Class predictions; ``reading`` seeds the shot noise (the same reading gives the same answer)."""
        rng = np.random.default_rng([self.seed, 11, reading])
        return np.argmax(self._forward(np.asarray(X, dtype=float), rng), axis=1)

    def accuracy(self, X, y, reading: int = 0) -> float:
        """Fraction of ``X`` classified as ``y``."""
        return float(np.mean(self.predict(X, reading) == np.asarray(y)))

    def energy_parts(self) -> dict:
        """Energy of one inference by part, in J: every tile's MVM (:func:`mvm_energy`)."""
        s = self.settings
        parts = mvm_energy(s.n, photons_per_mac=s.photons_per_mac, adc_bits=s.adc_bits, dac_bits=s.dac_bits)
        parts = {k: v * self.n_tiles for k, v in parts.items()}
        parts["static"] = self.heater_watts * mvm_energy(1, heater_watts=1.0)["static"]
        return parts

    def energy_per_inference(self) -> float:
        """Energy of one inference, in J."""
        return float(sum(self.energy_parts().values()))


def deploy(model, settings: OpticalSettings = OpticalSettings(), calibration=None, seed: int = 0,
           tiles: list | None = None) -> OpticalNetwork:
    """Put ``model`` on a simulated optical chip; ``tiles`` from :func:`decompose` may be passed to reuse them."""
    if tiles is None:
        tiles = decompose(model, settings.n, settings.kind)
    if calibration is None:
        raise ValueError("calibration (training inputs, samples × features) is needed to set the ADC full scales.")
    return OpticalNetwork(model, settings, tiles, calibration, seed)
