"""Chapter 05 — computing with light and with spikes: the exercises.

Learning objectives (as in the chapter notebook):

1. Count what a mesh of Mach–Zehnder interferometers needs for a unitary and for any matrix, and what its depth
   does to the light that crosses it (losses in dB).
2. Estimate an optical MVM's energy per MAC from its conversions, photons and static power, and say which part
   dominates at a given size.
3. Turn interconnect claims into watts: bits vs bytes, per port vs per switch, "5× lower power" vs "80 %".
4. Compute a leaky integrate-and-fire neuron's firing rate from its equation.
5. Keep a spiking network's energy ledger — synaptic events, static power, the break-even activity against a
   digital MAC, the cost of rate coding — and compare it with a digital network at equal accuracy.
6. Choose an optical chip design that meets an accuracy target at the least energy per inference.

Every expected value is computed here from :mod:`energylab.chips.optical`, :mod:`energylab.chips.neuromorphic`,
:mod:`energylab.experiments` and :mod:`energylab.sources`. Numbers marked *course assumption* are the exercises'
own scenario.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..chips import analog, neuromorphic, optical
from ..chips.digital import link_power
from ..sources import value as fact
from ..units import Q_, u
from .spec import Exercise, Misconception

OBJ_MESH = "1 · meshes and their losses"
OBJ_OPTICAL_ENERGY = "2 · an optical MAC's energy"
OBJ_LINKS = "3 · interconnect claims in watts"
OBJ_LIF = "4 · a spiking neuron"
OBJ_LEDGER = "5 · the spiking ledger"
OBJ_DESIGN = "6 · an optical design that meets a target"

# --- course assumptions of the scenarios ----------------------------------------------------------------
MESH_N = 16                         # modes of the mesh in the counting exercises
LOSS_PER_MZI = 0.2                  # dB per MZI
MVM_N = 64                          # the optical MVM of the energy exercise …
E_IN = 0.5 * u.pJ                   # … one input conversion (DAC + modulator)
E_OUT = 1.5 * u.pJ                  # … one output conversion (detector + ADC)
PHOTONS = 10.0                      # … photons per MAC
LASER_EFFICIENCY = 0.2
STATIC_POWER = 20 * u.W             # … heaters of the whole mesh
MVM_TIME = 1 * u.ns
LIF_CURRENT = 2 * u.nA              # the neuron of the rate exercise (the chapter's default parameters)
INPUT_SPIKES = 625                  # spikes of a layer's 64 inputs during one inference …
FAN_OUT = 32                        # … each reaching this many synapses
STEPS = 32                          # time steps of one inference …
STEP_TIME = 1 * u.ms                # … each this long (real time, as on TrueNorth)
CHIP_STATIC = 20 * u.uW             # static power of the part of the chip the network uses
RATE_BITS = 5
DESIGN_TARGET = 0.93                # the open task: validation accuracy at least this …
DESIGN_SLACK = 1.1                  # … for at most this × the least energy that meets it
DESIGN_SIZES = (8, 16, 32)
DESIGN_PHOTONS = (1, 3, 10, 30, 100)
DESIGN_SHIFTERS = ("thermo-optic", "non-volatile")


# --- scenarios ------------------------------------------------------------------------------------------

def mzis_unitary(count: str = "mesh"):
    """MZIs of an N-mode Clements mesh, N(N−1)/2; variants: N², N(N−1) (both meshes), N (its depth)."""
    n = MESH_N
    return Q_({"mesh": n * (n - 1) // 2, "square": n * n, "two": n * (n - 1), "depth": n}[count], "dimensionless")


def mzis_any_matrix(count: str = "svd"):
    """MZIs to apply any N × N matrix: two meshes and N attenuators, N² (:func:`optical.svd_mesh`)."""
    n = MESH_N
    mesh = n * (n - 1) // 2
    return Q_({"svd": 2 * mesh + n, "one": mesh, "no_attenuators": 2 * mesh}[count], "dimensionless")


def reck_transmission(depth: str = "reck", amplitude: bool = False, lost: bool = False):
    """Power left after the longest path of an N-mode Reck mesh, (2N − 3) MZIs at LOSS_PER_MZI dB each."""
    mesh = optical.reck(optical.random_unitary(MESH_N, seed=0))
    blocks = mesh.depth if depth == "reck" else MESH_N
    db = blocks * LOSS_PER_MZI
    left = 10 ** (-db / (20 if amplitude else 10))
    return Q_(1 - left if lost else left, "dimensionless")


def optical_mac_energy(part: str = "total"):
    """Energy per MAC of the scenario's MVM (:func:`optical.onn_energy_per_mac`), or a slip's version."""
    kw = dict(e_in=E_IN, e_out=E_OUT, photons_per_mac=PHOTONS, wavelength=1550 * u.nm,
              laser_efficiency=LASER_EFFICIENCY, static_power=STATIC_POWER, mvm_time=MVM_TIME)
    parts = optical.onn_energy_per_mac(MVM_N, **kw)
    if part == "no_static":
        return (parts["conversions"] + parts["light"]).to("fJ")
    if part == "static_per_n":
        return (parts["conversions"] + parts["light"] + parts["static"] * MVM_N).to("fJ")
    if part == "conversions_whole":
        return (parts["conversions"] * MVM_N + parts["light"] + parts["static"]).to("fJ")
    return parts["total"].to("fJ")


def switch_optics_power(energy: str = "cpo", per: str = "switch", unit: str = "bit"):
    """Optics power of a whole photonic switch: its bandwidth × energy per bit (co-packaged or pluggable)."""
    rate = fact("nvidia_photonics_switch_total_bandwidth" if per == "switch" else "nvidia_photonics_port_bandwidth")
    if unit == "byte":
        rate = rate.to("Tbit/s").magnitude * u.TB / u.s
    per_bit = fact("nvidia_cpo_energy_per_bit" if energy == "cpo" else "nvidia_pluggable_energy_per_bit")
    return link_power(rate, per_bit).to("W")


def claim_reading():
    return "a"


def lif_rate_hz(variant: str = "formula"):
    """The chapter's LIF neuron at LIF_CURRENT: 1/(t_ref + τ·ln((RI − V_reset)/(RI − V_th)))."""
    if variant == "formula":
        return neuromorphic.lif_rate(LIF_CURRENT).to("Hz")
    tau, r, v_th, t_ref = 0.020, 10e6, 0.015, 0.002
    drive = r * LIF_CURRENT.to("A").magnitude
    log = {"no_refractory": np.log, "log10": np.log10}.get(variant, np.log)(drive / (drive - v_th))
    isi = tau * log + (0.0 if variant == "no_refractory" else t_ref)
    return Q_(1 / isi, "Hz")


def synaptic_events(per: str = "synapse"):
    """Synaptic events of the scenario's input layer: spikes × fan-out."""
    return Q_(INPUT_SPIKES * (FAN_OUT if per == "synapse" else 1), "dimensionless")


def snn_energy(static: bool = True, price: str = "loihi"):
    """Energy of one inference: events × Loihi's per-event price + static power × duration, in µJ."""
    per_event = fact("loihi_energy_per_synaptic_op" if price == "loihi" else "truenorth_energy_per_synaptic_event")
    duration = STEPS * STEP_TIME
    return neuromorphic.spike_energy(synaptic_events(), per_event, static_power=CHIP_STATIC if static else 0 * u.W,
                                     duration=duration).to("uJ")


def breakeven(inverted: bool = False):
    """s̄* = E_MAC / E_syn with chapter 04's digital MAC (1.55 pJ with its SRAM read) and TrueNorth's 26 pJ."""
    mac, syn = analog.digital_mac_energy(), fact("truenorth_energy_per_synaptic_event")
    value = neuromorphic.breakeven_spikes(syn, mac) if inverted else neuromorphic.breakeven_spikes(mac, syn)
    return Q_(value, "dimensionless")


def rate_code_spikes():
    return Q_(float(neuromorphic.spikes_for_bits(RATE_BITS)), "dimensionless")


# --- the open task: an optical chip design ------------------------------------------------------------------

@lru_cache(maxsize=3)
def _design_tiles(n: int):
    from ..experiments import analog as experiment
    from ..experiments.optical_deployment import decompose
    _, model, _, _ = experiment.digital_network(0)
    return decompose(model, n)


@lru_cache(maxsize=64)
def design_outcome(n: int, photons: float, shifters: str):
    """(validation accuracy, energy per inference in pJ) of one optical design (0.2 dB and 0.02 rad per MZI)."""
    from ..experiments import analog as experiment
    from ..experiments.optical_deployment import OpticalSettings, deploy
    data, model, _, _ = experiment.digital_network(0)
    chip = deploy(model, OpticalSettings(n=n, photons_per_mac=float(photons), phase_shifters=shifters),
                  data.X_train[:experiment.CALIBRATION_SAMPLES], seed=7, tiles=_design_tiles(n))
    return chip.accuracy(data.X_val, data.y_val, reading=3), chip.energy_per_inference() * 1e12


@lru_cache(maxsize=1)
def _best_design():
    feasible = [(design_outcome(n, p, s)[1], n, p, s) for n in DESIGN_SIZES for p in DESIGN_PHOTONS
                for s in DESIGN_SHIFTERS if design_outcome(n, p, s)[0] >= DESIGN_TARGET]
    return min(feasible)


def _reference_design() -> dict:
    _, n, photons, shifters = _best_design()
    return {"n": n, "photons_per_mac": photons, "phase_shifters": shifters}


def grade_mesh_design(answer):
    """A dict {n, photons_per_mac, phase_shifters} → correct if it meets the target within the energy allowance."""
    keys = {"n", "photons_per_mac", "phase_shifters"}
    if not isinstance(answer, dict) or set(answer) != keys:
        raise TypeError('Give a dict with three keys, e.g. {"n": 16, "photons_per_mac": 10, '
                        '"phase_shifters": "non-volatile"}.')
    n, photons, shifters = answer["n"], answer["photons_per_mac"], answer["phase_shifters"]
    if isinstance(n, bool) or n not in DESIGN_SIZES:
        raise ValueError(f"n (mesh size, modes) must be one of {DESIGN_SIZES}.")
    if isinstance(photons, bool) or photons not in DESIGN_PHOTONS:
        raise ValueError(f"photons_per_mac must be one of {DESIGN_PHOTONS}.")
    if shifters not in DESIGN_SHIFTERS:
        raise ValueError(f"phase_shifters must be one of {DESIGN_SHIFTERS}.")
    n, photons = int(n), int(photons)
    accuracy, energy = design_outcome(n, photons, shifters)
    best = _best_design()[0]
    text = (f"N = {n} meshes, {photons} photons per MAC, {shifters} phase shifters: validation accuracy "
            f"{accuracy:.1%} (target {DESIGN_TARGET:.0%}), {energy:,.0f} pJ per inference.")
    if accuracy < DESIGN_TARGET:
        levers = [lever for lever, applies in (("more photons per MAC", photons < max(DESIGN_PHOTONS)),
                                               ("smaller meshes (fewer lossy MZIs in each path)",
                                                n > min(DESIGN_SIZES))) if applies]
        return "incorrect", text + f" Below the target: {' or '.join(levers)} would help.", "below"
    if energy > DESIGN_SLACK * best:
        levers = [lever for lever, applies in (("phase shifters that hold their phase without power",
                                                shifters == "thermo-optic"),
                                               ("larger meshes (fewer conversions per MAC)",
                                                n < max(DESIGN_SIZES))) if applies]
        return ("incorrect", text + f" It meets the target but spends more than {DESIGN_SLACK:g}× the least energy "
                f"a design here needs: {' or '.join(levers)} would cost less.", "wasteful")
    return "correct", text, "met"


# --- the exercises --------------------------------------------------------------------------------------

EXERCISES = [
    Exercise(
        name="mzis_unitary",
        title="MZIs for one unitary",
        objective=OBJ_MESH,
        unit="dimensionless",
        nature="count",
        expected=mzis_unitary,
        rtol=0.001,
        misconceptions=(
            Misconception("That is N², the count for *any* matrix (two meshes and N attenuators). One unitary "
                          "needs N(N−1)/2 MZIs: each nulls one entry below the diagonal.",
                          wrong=lambda: mzis_unitary("square"), code="n_squared"),
            Misconception("That is N(N−1), two meshes' worth; one unitary is one mesh of N(N−1)/2.",
                          wrong=lambda: mzis_unitary("two"), code="two_meshes"),
            Misconception("That is the Clements mesh's depth (columns of MZIs), not the number of MZIs.",
                          wrong=lambda: mzis_unitary("depth"), code="depth_not_count"),
        ),
        hints=("A unitary has N(N−1)/2 entries below its diagonal, and each MZI nulls one.",),
        takeaway="Clements and Reck both use N(N−1)/2 MZIs; they differ in how the MZIs are arranged.",
    ),
    Exercise(
        name="mzis_any_matrix",
        title="MZIs for a weight matrix",
        objective=OBJ_MESH,
        unit="dimensionless",
        nature="count",
        expected=mzis_any_matrix,
        rtol=0.001,
        misconceptions=(
            Misconception("That is one unitary mesh. A weight matrix is not unitary: M = U·Σ·V† needs two meshes "
                          "and N attenuators for Σ.", wrong=lambda: mzis_any_matrix("one"), code="one_mesh"),
            Misconception("That is the two meshes without the N attenuators that apply the singular values.",
                          wrong=lambda: mzis_any_matrix("no_attenuators"), code="forgot_attenuators"),
        ),
        hints=("Singular value decomposition: M = U·Σ·V†, U and V unitary, Σ diagonal.",
               "Each unitary: N(N−1)/2 MZIs; Σ: one attenuator (an MZI) per mode."),
        takeaway="Any N × N matrix takes N² MZIs, one per weight, like a crossbar's one device per weight.",
    ),
    Exercise(
        name="reck_transmission",
        title="Light through the longest path",
        objective=OBJ_MESH,
        unit="percent",
        nature="fraction",
        expected=reck_transmission,
        misconceptions=(
            Misconception("That uses the Clements depth, N; the question asks about a Reck mesh, whose longest path "
                          "crosses 2N − 3 MZIs.", wrong=lambda: reck_transmission("clements"), code="clements_depth"),
            Misconception("That converts the dB as an amplitude (÷20); a loss in dB is a power ratio: "
                          "P_out/P_in = 10^(−dB/10).", wrong=lambda: reck_transmission(amplitude=True),
                          code="amplitude_db"),
            Misconception("That is the power lost; the question asks for the power that is left.",
                          wrong=lambda: reck_transmission(lost=True), code="lost_not_left"),
        ),
        hints=("Losses in dB add along a path: (2N − 3) × 0.2 dB.",
               "Then P_out/P_in = 10^(−total dB / 10)."),
        takeaway="Loss in dB adds along the path, so power falls exponentially with depth: Clements' depth of N "
                 "instead of 2N − 3 keeps more light and more balance.",
    ),
    Exercise(
        name="optical_mac_energy",
        title="Energy per optical MAC",
        objective=OBJ_OPTICAL_ENERGY,
        unit="fJ",
        expected=optical_mac_energy,
        misconceptions=(
            Misconception("That leaves out the static power: the heaters draw 20 W whatever the data, and over one "
                          "MVM that is P·T spread over its N² MACs.", wrong=lambda: optical_mac_energy("no_static"),
                          code="static_forgotten"),
            Misconception("That spreads the static energy over N MACs; one N × N MVM performs N² MACs.",
                          wrong=lambda: optical_mac_energy("static_per_n"), code="static_per_n"),
            Misconception("That charges every conversion to every MAC. N inputs and N outputs serve N² MACs, so the "
                          "conversions cost (E_in + E_out)/N per MAC.",
                          wrong=lambda: optical_mac_energy("conversions_whole"), code="conversions_not_shared"),
        ),
        hints=("E/MAC = (E_in + E_out)/N + n_ph·h·c/(λ·η) + P_static·T/N².",
               "optical.onn_energy_per_mac(64, e_in=…, e_out=…, photons_per_mac=…, wavelength=1550 * u.nm, "
               "laser_efficiency=…, static_power=…, mvm_time=…)"),
        takeaway="The heaters dominate: 20 W for 1 ns over 4,096 MACs is about 5 pJ per MAC, 150× the shared "
                 "conversions, while the photons cost almost nothing.",
    ),
    Exercise(
        name="switch_optics_power",
        title="A photonic switch in watts",
        objective=OBJ_LINKS,
        unit="W",
        expected=switch_optics_power,
        misconceptions=(
            Misconception("That is one port (1.6 Tb/s); the question asks for the whole switch's bandwidth.",
                          wrong=lambda: switch_optics_power(per="port"), code="per_port"),
            Misconception("That reads the bandwidth in terabytes per second; it is in terabits (1 B = 8 bit).",
                          wrong=lambda: switch_optics_power(unit="byte"), code="bytes_not_bits"),
            Misconception("That uses the pluggable transceivers' energy per bit; the switch uses co-packaged optics.",
                          wrong=lambda: switch_optics_power("pluggable"), code="pluggable"),
        ),
        hints=("Power = data rate × energy per bit.",
               "chips.digital.link_power(bandwidth, energy_per_bit); mind Tbit vs TB."),
        takeaway="Per bit the optics is cheap; a switch moves so many bits that it still draws kilowatts.",
    ),
    Exercise(
        name="claim_reading",
        title="“80 % more efficient”",
        objective=OBJ_LINKS,
        unit="",
        kind="choice",
        expected=claim_reading,
        choices={
            "a": "",
            "b": "“80 % more efficient” read literally is 1.8× the work per joule, which saves only 44 % of the "
                 "energy: that does not match >5× lower power.",
            "c": "The release compares interconnects (the links between chips), not a switch or a whole data "
                 "centre.",
            "d": "5× lower power means a fifth of the energy per bit, not a saving of 5 %.",
        },
        hints=("If the new link needs 1/5 of the power, what share of the energy is saved?",),
        takeaway="A claim in percent needs its base: “uses 80 % less energy” (5× lower power) is not “80 % more "
                 "efficient” (1.8×).",
    ),
    Exercise(
        name="lif_rate",
        title="A neuron's firing rate",
        objective=OBJ_LIF,
        unit="Hz",
        expected=lif_rate_hz,
        misconceptions=(
            Misconception("That leaves out the refractory time: after each spike the neuron is silent for t_ref, "
                          "so the interval is t_ref + τ·ln(…).", wrong=lambda: lif_rate_hz("no_refractory"),
                          code="no_refractory"),
            Misconception("That uses log₁₀; the charging curve is exponential, so the logarithm is natural (ln).",
                          wrong=lambda: lif_rate_hz("log10"), code="log10"),
        ),
        hints=("With V_rest = V_reset = 0: r = 1 / (t_ref + τ·ln(RI / (RI − V_th))).",
               "RI = 10 MΩ × 2 nA = 20 mV; V_th = 15 mV."),
        takeaway="Above the rheobase the rate rises steeply, then saturates below 1/t_ref.",
    ),
    Exercise(
        name="synaptic_events",
        title="Spikes or events?",
        objective=OBJ_LEDGER,
        unit="dimensionless",
        nature="count",
        expected=synaptic_events,
        rtol=0.001,
        misconceptions=(
            Misconception("That counts spikes; the energy is paid per synaptic event, and each spike reaches all "
                          "its fan-out synapses.", wrong=lambda: synaptic_events("neuron"), code="spikes_not_events"),
        ),
        hints=("Events = spikes × fan-out.",),
        takeaway="Spike counts understate the work: a spike costs once per synapse it reaches.",
    ),
    Exercise(
        name="snn_energy",
        title="The ledger of one inference",
        objective=OBJ_LEDGER,
        unit="uJ",
        expected=snn_energy,
        misconceptions=(
            Misconception("That leaves out the static power: the chip draws 20 µW for the whole 32 ms the "
                          "inference lasts.", wrong=lambda: snn_energy(static=False), code="static_forgotten"),
            Misconception("That uses TrueNorth's 26 pJ, an all-in figure that already shares out static power; the "
                          "ledger here uses Loihi's per-event price and adds static power separately.",
                          wrong=lambda: snn_energy(price="truenorth"), code="all_in_double_counted"),
        ),
        hints=("E = events × E_event + P_static × duration; duration = 32 steps × 1 ms.",
               "neuromorphic.spike_energy(events, energy_per_event, static_power=…, duration=…)"),
        takeaway="In real time an inference lasts tens of milliseconds, and even microwatts of static power add up "
                 "to a large share of the ledger.",
    ),
    Exercise(
        name="breakeven",
        title="Where spikes break even",
        objective=OBJ_LEDGER,
        unit="dimensionless",
        expected=breakeven,
        misconceptions=(
            Misconception.inverse("That is E_syn / E_MAC, upside down: spikes win below s̄* = E_MAC / E_syn.",
                                  code="inverted"),
        ),
        hints=("A dense layer pays F·E_MAC per output, a spiking one F·s̄·E_syn.",
               "analog.digital_mac_energy() is chapter 04's digital MAC."),
        takeaway="Under one spike per twenty inputs per inference: that is why feedforward networks rarely gain "
                 "from spikes.",
    ),
    Exercise(
        name="rate_code_spikes",
        title="Bits cost spikes",
        objective=OBJ_LEDGER,
        unit="dimensionless",
        nature="count",
        expected=rate_code_spikes,
        rtol=0.001,
        misconceptions=(
            Misconception("That is 2^B, the levels; a Poisson count of n spikes is uncertain by √n, so B bits "
                          "need (2^B)² = 4^B spikes.", factor=2.0 ** -RATE_BITS, code="levels_not_spikes"),
            Misconception("That is one spike per bit; rate codes carry ½·log₂ n bits in n spikes.",
                          factor=RATE_BITS / 4.0 ** RATE_BITS, code="spike_per_bit"),
        ),
        hints=("Poisson: a count with mean n has standard deviation √n, so it resolves about √n levels.",),
        takeaway="Each extra bit of a rate code costs four times the spikes.",
    ),
    Exercise(
        name="mesh_design",
        title="An optical design that meets a target",
        objective=OBJ_DESIGN,
        unit="",
        kind="task",
        expected=_reference_design,
        grade=grade_mesh_design,
        hints=("Try designs with optical_deployment.deploy (or the chapter's experiment) and compare validation "
               "accuracy and energy per inference.",
               "Photons cost little; conversions and heaters set the energy.",
               "Several designs pass: the cheapest that meets the target, or one close to it."),
        takeaway="On light, the cost is at the edges and in the phase shifters: the design is about mesh size and "
                 "what holds the phases.",
    ),
]
