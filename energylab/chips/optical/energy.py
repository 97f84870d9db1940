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

import numpy as np

from ...units import Q_, as_quantity, as_whole

__all__ = ["photon_energy", "onn_energy_per_mac"]


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

