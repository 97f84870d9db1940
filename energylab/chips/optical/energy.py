"""What an optical matrix–vector product costs: conversions at the edges, photons, and static power.

One N × N MVM on a mesh performs N² multiply-accumulates (MACs). Its energy has three parts:

* conversions: N inputs modulated (DAC + modulator, E_in each) and N outputs detected (photodiode, amplifier and
  ADC, E_out each);
* light: each MAC needs some number of photons at the detectors, n_ph, of energy h·c/λ each, made by a laser of
  wall-plug efficiency η;
* static power P_static (heaters holding the phases, laser bias) during the MVM's duration T.

Per MAC:  E = (E_in + E_out)/N + n_ph·h·c/(λ·η) + P_static·T/N²,
so it falls about as 1/N while the conversions dominate (Hamerly et al., PRX 9, 021032, 2019, for the photon
term and its shot-noise floor).
"""
from __future__ import annotations

from types import MappingProxyType

import numpy as np

from ...units import Q_, as_quantity, as_whole
from ..analog.converters import DEFAULT_SCHREIER_FOM, DEFAULT_WALDEN_FOM, _adc_joules, _dac_joules, \
    _schreier_db, _walden_joules
from ..analog.energy import _periphery_joules

__all__ = ["photon_energy", "onn_energy_per_mac", "heater_power", "mvm_energy", "COURSE_ASSUMPTIONS", "P_PI",
           "MVM_TIME", "WAVELENGTH", "LASER_EFFICIENCY", "MODULATOR_PER_BIT", "DETECTOR_ENERGY", "PHASE_SHIFTERS"]

# Course assumptions (COURSE_ASSUMPTIONS says why each); the converters are chapter 04's models.
P_PI = Q_(25, "mW")
MVM_TIME = Q_(1, "ns")
WAVELENGTH = Q_(1550, "nm")
LASER_EFFICIENCY = 0.2
MODULATOR_PER_BIT = Q_(10, "fJ")
DETECTOR_ENERGY = Q_(100, "fJ")
PHASE_SHIFTERS = ("thermo-optic", "non-volatile")

COURSE_ASSUMPTIONS = MappingProxyType({
    "p_pi": ("25 mW to shift a phase by π (thermo-optic), held as long as the phase is",
             "Thermo-optic shifters in silicon are reported at roughly 20–30 mW per π (range not independently "
             "checked). A non-volatile shifter (phase-change or MEMS) would hold its phase at no power; it is "
             "charged nothing here, not even for reprogramming."),
    "mvm_time": ("1 ns per matrix–vector product", "Modulators, detectors and ADCs at 1 GS/s."),
    "modulator": ("10 fJ per input bit for the modulator, plus a DAC of chapter 04's model",
                  "Published ring modulators span roughly 1–50 fJ/bit (range not independently checked)."),
    "detector": ("100 fJ per detection for the photodiode and its amplifier, plus an ADC of chapter 04's model",
                 "A transimpedance amplifier at GHz rates draws milliwatts for about a nanosecond."),
    "laser": ("λ = 1550 nm, wall-plug efficiency 0.2", "Telecom lasers; 10–30 % is typical of the whole source."),
    "periphery": ("one int32 add + one fp16 multiply per output (Horowitz 2014, 45 nm)",
                  "Adding the partial sums of several tiles and applying the layer's scale, as for chapter 04's "
                  "analog tiles."),
})


def photon_energy(wavelength):
    """h·c/λ of one photon, in aJ (h and c are exact in the SI since 2019). ``wavelength`` in m (e.g. 1550 nm)."""
    lam = as_quantity(wavelength, "m", "wavelength", positive=True)
    return (Q_(1, "planck_constant") * Q_(1, "speed_of_light") / lam).to("aJ")


def onn_energy_per_mac(n, *, e_in, e_out, photons_per_mac, wavelength, laser_efficiency, static_power, mvm_time):
    """Energy per MAC of an N × N optical MVM (see the module's formula), and its three parts.

    Parameters
    ----------
    n : int or array_like
        Matrix size N (modes), ≥ 1.
    e_in, e_out : pint.Quantity
        Energy of one input conversion (DAC + modulator) and one output conversion (detector + ADC), in J.
    photons_per_mac : float
        Photons needed at the detectors per MAC (0.39 at the shot-noise floor Hamerly et al. derive; a few for
        99 % on MNIST in Wang et al. 2022).
    wavelength : pint.Quantity
        Laser wavelength, in m.
    laser_efficiency : float
        Wall-plug efficiency of the laser, in (0, 1].
    static_power : pint.Quantity
        Power drawn whatever the data (phase heaters, bias), in W.
    mvm_time : pint.Quantity
        Duration of one MVM, in s.

    Returns
    -------
    dict of pint.Quantity
        ``"conversions"``, ``"light"``, ``"static"`` and ``"total"``, each in fJ per MAC.
    """
    size = np.asarray(as_whole(n, "n", minimum=1, maximum=10 ** 7), dtype=float)
    conv = (as_quantity(e_in, "J", "e_in", nonnegative=True) + as_quantity(e_out, "J", "e_out", nonnegative=True))
    n_ph = as_quantity(photons_per_mac, "dimensionless", "photons_per_mac", nonnegative=True).magnitude
    eta = float(as_quantity(laser_efficiency, "dimensionless", "laser_efficiency", above=0, maximum=1,
                            allow_array=False).magnitude)
    static = as_quantity(static_power, "W", "static_power", nonnegative=True) * as_quantity(
        mvm_time, "s", "mvm_time", positive=True)
    parts = {"conversions": (conv / size).to("fJ"),
             "light": (n_ph * photon_energy(wavelength) / eta * np.ones_like(size)).to("fJ"),
             "static": (static / size ** 2).to("fJ")}
    parts["total"] = (parts["conversions"] + parts["light"] + parts["static"]).to("fJ")
    return parts



def _phase_power(phase: np.ndarray) -> np.ndarray:
    """Shares of P_π of shifters holding ``phase`` (rad): a heater only ever adds phase, so it holds phase mod 2π."""
    return np.mod(phase, 2 * np.pi) / np.pi


def heater_power(mesh, p_pi=P_PI):
    """Static power of a mesh's thermo-optic phase shifters, in W: Σ P_π·(phase mod 2π)/π.

    Parameters
    ----------
    mesh : Mesh or SVDMesh
        Every MZI has an internal shifter of phase 2θ (θ sets the split) and an external one of phase φ; a mesh
        adds its output phases, an :class:`SVDMesh` its attenuators (internal phase 2·arccos s).
    p_pi : pint.Quantity
        Power to shift the phase by π, in W (default :data:`P_PI`, a course assumption).
    """
    from .mesh import Mesh, SVDMesh
    watts = float(as_quantity(p_pi, "W", "p_pi", nonnegative=True, allow_array=False).to("W").magnitude)
    if isinstance(mesh, SVDMesh):
        shares = sum(float(np.sum(_phase_power(np.concatenate([2 * m.theta, m.phi, m.output_phases]))))
                     for m in (mesh.v_mesh, mesh.u_mesh))
        shares += float(np.sum(_phase_power(2 * np.arccos(np.clip(mesh.s, 0.0, 1.0)))))
    elif isinstance(mesh, Mesh):
        shares = float(np.sum(_phase_power(np.concatenate([2 * mesh.theta, mesh.phi, mesh.output_phases]))))
    else:
        raise TypeError(f"mesh must be a Mesh or an SVDMesh (from clements, reck or svd_mesh); got "
                        f"{type(mesh).__name__}.")
    return Q_(watts * shares, "W")


def mvm_energy(n: int, *, heater_watts: float = 0.0, photons_per_mac: float = 10.0, adc_bits: int = 8,
               dac_bits: int = 8, fom_walden=DEFAULT_WALDEN_FOM, fom_schreier=DEFAULT_SCHREIER_FOM) -> dict:
    """Energy of one N × N optical MVM by part, in J (plain floats, for simulations), under the course assumptions.

    Parameters
    ----------
    n : int
        Modes N; the MVM performs N² MACs.
    heater_watts : float
        Static power of the tile's phase shifters, in W (:func:`heater_power`; 0 for non-volatile shifters).
    photons_per_mac : float
        Photons launched per MAC.
    adc_bits, dac_bits : int
        Converter resolutions.
    fom_walden, fom_schreier
        The converters' figures of merit (chapter 04's :func:`~energylab.chips.analog.adc_energy`).

    Returns
    -------
    dict of float
        ``"inputs"`` (N DACs and modulators), ``"outputs"`` (N detectors and ADCs), ``"periphery"``, ``"light"``
        (laser energy for N²·n_ph photons), ``"static"`` (heaters during :data:`MVM_TIME`), in J.
    """
    size = as_whole(n, "n", minimum=1, maximum=4096)
    n_ph = float(as_quantity(photons_per_mac, "dimensionless", "photons_per_mac", nonnegative=True,
                             allow_array=False).magnitude)
    static = float(as_quantity(heater_watts, "W", "heater_watts", nonnegative=True, allow_array=False)
                   .to("W").magnitude)
    walden = _walden_joules(fom_walden)
    photon = float(photon_energy(WAVELENGTH).to("J").magnitude)
    return {"inputs": size * (float(_dac_joules(dac_bits, walden)) + dac_bits * MODULATOR_PER_BIT.to("J").magnitude),
            "outputs": size * (float(_adc_joules(adc_bits, walden, _schreier_db(fom_schreier)))
                               + DETECTOR_ENERGY.to("J").magnitude),
            "periphery": size * _periphery_joules(),
            "light": size * size * n_ph * photon / LASER_EFFICIENCY,
            "static": static * MVM_TIME.to("s").magnitude}
