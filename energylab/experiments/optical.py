"""Can chapter 04's digits network run on light, how accurately, and does it cost less than digital? (claims 12, 13)

Data and model: chapter 04's split (60/20/20 %, stratified, per seed) and network ``MLP([64, 32, 10])``, trained
digitally with its learning rate chosen by validation accuracy (:func:`energylab.experiments.analog.
digital_network`). The network is then put on simulated optical chips
(:mod:`energylab.experiments.optical_deployment`), one chip (one draw of phase errors) per setting and seed, and
measured on the validation part (for choices) and once on the test part. Sweeps around :data:`REFERENCE`:

* loss per MZI (dB) for Clements and for Reck meshes, without phase errors;
* phase error σ (rad) on Clements meshes;
* photons launched per MAC;
* mesh size N, with thermo-optic and with non-volatile phase shifters, accuracy and energy per inference.

The digital baseline is chapter 04's: one INT8 MAC with its weight read from an 8 KB SRAM per weight per inference
(Horowitz 2014, 45 nm).

Targets, declared before the runs (:func:`targets`, checked on every seed):

1. ``sound`` — ideal optics (no loss, no phase error, 10⁶ photons per MAC, 8-bit converters) score within
   :data:`MAX_IDEAL_LOSS` of fp32;
2. ``clements_robust`` — at :data:`LOSS_TEST` dB per MZI, Clements meshes score at least as well as Reck meshes;
3. ``heaters_lose`` — with thermo-optic phase shifters, every mesh size costs more energy per inference than the
   digital INT8 baseline (claim 12's "none yet competes", for this design);
4. ``nonvolatile_saves`` — with non-volatile shifters, the mesh size chosen on validation (the cheapest within
   :data:`EQUAL_ACCURACY` of int8) uses at least :data:`MIN_SAVING`× less energy than the digital baseline.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

from energylab.chips import analog
from energylab.experiments.analog import CALIBRATION_SAMPLES, HIDDEN, digital_network
from energylab.experiments.optical_deployment import OpticalSettings, decompose, deploy
from energylab.experiments.protocol import MeanStd, Summary, first_seed, from_results, mean_std, over_seeds, \
    per_seed, summarise
from energylab.experiments.quantization import quantize_model

__all__ = ["ARMS", "REFERENCE", "LOSSES_DB", "PHASE_SIGMAS", "PHOTONS", "MESH_SIZES", "SWEEPS", "OpticalResult",
           "OpticalSummary", "run", "targets", "TARGETS", "holds", "run_many", "chosen_size"]

ARMS = ()        # no training arms: one network per seed, measured on many chips
REFERENCE = OpticalSettings()
LOSSES_DB = (0.0, 0.1, 0.2, 0.3, 0.5)
PHASE_SIGMAS = (0.0, 0.01, 0.02, 0.05, 0.1)
PHOTONS = (0.3, 1.0, 3.0, 10.0, 100.0)
MESH_SIZES = (8, 16, 32)
LOSS_TEST = 0.3

MAX_IDEAL_LOSS = 0.01
EQUAL_ACCURACY = 0.02
MIN_SAVING = 5.0


def _sweeps() -> dict:
    """{sweep name: {label: settings}}, the settings each sweep measures."""
    lossless = replace(REFERENCE, phase_sigma=0.0)
    return {
        "loss_clements": {loss: replace(lossless, loss_db=loss) for loss in LOSSES_DB},
        "loss_reck": {loss: replace(lossless, loss_db=loss, kind="reck") for loss in LOSSES_DB},
        "phase": {sigma: replace(REFERENCE, phase_sigma=sigma) for sigma in PHASE_SIGMAS},
        "photons": {n: replace(REFERENCE, photons_per_mac=n) for n in PHOTONS},
        "size": {n: replace(REFERENCE, n=n) for n in MESH_SIZES},
        "size_nonvolatile": {n: replace(REFERENCE, n=n, phase_shifters="non-volatile") for n in MESH_SIZES},
    }


SWEEPS = _sweeps()


@dataclass
class Point:
    """One setting on one seed: accuracies (fractions) and energy per inference (pJ)."""
    validation: float
    test: float
    energy: float
    parts: dict          # {"inputs", "outputs", "periphery", "light", "static": pJ}


@dataclass
class OpticalResult:
    seed: int
    learning_rate: float
    fp32: float
    int8: float
    int8_validation: float
    ideal: float
    sweeps: dict           # {sweep: {label: Point}}
    digital_energy: float  # pJ per inference, INT8
    macs: int


def run(seed: int = 0) -> OpticalResult:
    """Every sweep on one seed (about 1 s on one core)."""
    data, model, lr, _ = digital_network(seed)
    calibration = data.X_train[:CALIBRATION_SAMPLES]
    tiles = {}

    measured = {}

    def measure(settings) -> Point:
        """One chip per design and seed (its phase errors seeded by the design), measured once."""
        if settings.phase_shifters == "non-volatile":     # the same optics: only the heaters' energy differs
            hot = measure(replace(settings, phase_shifters="thermo-optic"))
            parts = dict(hot.parts, static=0.0)
            return Point(hot.validation, hot.test, sum(parts.values()), parts)
        if settings not in measured:
            key = (settings.n, settings.kind)
            if key not in tiles:
                tiles[key] = decompose(model, *key)
            chip = zlib.crc32(repr(settings).encode())
            net = deploy(model, settings, calibration, seed=1000 * seed + chip % 1000, tiles=tiles[key])
            parts = {k: v * 1e12 for k, v in net.energy_parts().items()}
            measured[settings] = Point(net.accuracy(data.X_val, data.y_val, reading=1),
                                       net.accuracy(data.X_test, data.y_test), sum(parts.values()), parts)
        return measured[settings]

    sweeps = {name: {label: measure(settings) for label, settings in points.items()}
              for name, points in SWEEPS.items()}
    int8 = quantize_model(model, 8, 8, calibration=data.X_train)
    macs = 64 * HIDDEN + HIDDEN * 10
    return OpticalResult(
        seed=seed, learning_rate=lr, fp32=model.accuracy(data.X_test, data.y_test),
        int8=int8.accuracy(data.X_test, data.y_test), int8_validation=int8.accuracy(data.X_val, data.y_val),
        ideal=measure(REFERENCE.ideal()).test, sweeps=sweeps,
        digital_energy=float((macs * analog.digital_mac_energy()).to("pJ").magnitude), macs=macs)


def chosen_size(result: OpticalResult, sweep: str = "size_nonvolatile"):
    """(N, Point) of the cheapest mesh size whose *validation* accuracy is within EQUAL_ACCURACY of int8's, or
    None."""
    ok = [(p.energy, n, p) for n, p in result.sweeps[sweep].items()
          if p.validation >= result.int8_validation - EQUAL_ACCURACY]
    return (min(ok)[1], min(ok)[2]) if ok else None


TARGETS = ("sound", "clements_robust", "heaters_lose", "nonvolatile_saves")


def targets(result: OpticalResult) -> dict:
    """Each declared target on one seed → bool (see the module's description)."""
    chosen = chosen_size(result)
    return {
        "sound": result.fp32 - result.ideal <= MAX_IDEAL_LOSS,
        "clements_robust": result.sweeps["loss_clements"][LOSS_TEST].test
        >= result.sweeps["loss_reck"][LOSS_TEST].test,
        "heaters_lose": all(p.energy > result.digital_energy for p in result.sweeps["size"].values()),
        "nonvolatile_saves": chosen is not None and result.digital_energy / chosen[1].energy >= MIN_SAVING,
    }


def holds(result: OpticalResult) -> bool:
    """All declared targets on one seed."""
    return all(targets(result).values())


def _saving(result: OpticalResult) -> float:
    chosen = chosen_size(result)
    return result.digital_energy / chosen[1].energy if chosen else float("nan")


@dataclass(kw_only=True)
class OpticalSummary(Summary):
    """Mean ± std over seeds of the accuracies (fractions), and of each sweep (:meth:`curve`)."""
    fp32: MeanStd = over_seeds()
    int8: MeanStd = over_seeds()
    ideal: MeanStd = over_seeds()
    saving: MeanStd = over_seeds(_saving)
    heater_excess: MeanStd = over_seeds(lambda r: min(p.energy for p in r.sweeps["size"].values())
                                        / r.digital_energy)
    digital_energy: float = first_seed()
    macs: int = first_seed()
    chosen: list = per_seed(lambda r: chosen_size(r)[0] if chosen_size(r) else None)
    targets_met: dict = from_results(lambda results: {t: sum(targets(r)[t] for r in results) for t in TARGETS})

    def curve(self, sweep: str, what: str = "test") -> dict:
        """{label: MeanStd} of one sweep's ``"test"`` accuracy, ``"energy"`` (pJ) or an energy part (pJ)."""
        labels = self.results[0].sweeps[sweep]

        def value(point):
            return point.parts[what] if what in point.parts else getattr(point, what)
        return {label: mean_std([value(r.sweeps[sweep][label]) for r in self.results]) for label in labels}


def run_many(seeds=range(5)) -> OpticalSummary:
    """Run :func:`run` for each seed and summarise (see :class:`OpticalSummary`)."""
    return summarise(OpticalSummary, run, holds, seeds, _conclusion)


def _conclusion(s: OpticalSummary) -> str:
    n = len(s.seeds)
    pct = lambda m: m.format(".1f", 100, " %")     # noqa: E731
    words = {"sound": "ideal optics match fp32", "clements_robust": f"Clements ≥ Reck at {LOSS_TEST} dB per MZI",
             "heaters_lose": "thermo-optic meshes cost more than digital",
             "nonvolatile_saves": f"a {MIN_SAVING:.0f}× saving with non-volatile shifters"}
    if all(s.holds):
        head = f"On all {n} seeds the declared targets held. "
    else:
        missed = "; ".join(f"{words[t]}: {k} of {n} seeds" for t, k in s.targets_met.items() if k < n)
        head = f"The declared targets held on {sum(s.holds)} of {n} seeds ({missed}). "
    loss_c, loss_r = s.curve("loss_clements"), s.curve("loss_reck")
    return (head + f"Digitally the network scored {pct(s.fp32)} (fp32) and {pct(s.int8)} (int8); on ideal optics "
            f"{pct(s.ideal)}. At {LOSS_TEST} dB per MZI, Clements meshes of N = {REFERENCE.n} scored "
            f"{pct(loss_c[LOSS_TEST])} and Reck meshes {pct(loss_r[LOSS_TEST])}. With thermo-optic phase shifters "
            f"the cheapest mesh still used {s.heater_excess.mean:.0f}× (± {s.heater_excess.std:.0f}) the digital "
            f"baseline's {s.digital_energy:,.0f} pJ per inference; with non-volatile shifters the mesh size chosen "
            f"on validation used {s.saving.mean:.0f}× (± {s.saving.std:.0f}) less ({s.macs:,} MACs per inference; "
            f"conversions, periphery, light and heaters counted, not memory for activations).")
