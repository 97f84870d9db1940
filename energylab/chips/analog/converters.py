"""Data converters: the DACs that turn digital inputs into row voltages or pulses, the ADCs that read columns.

Both quantise through the package's one integer quantiser
(:func:`energylab.chips.digital.quantize_uniform`) over a fixed range, so values beyond the range clip.

Their energy comes from the two figures of merit of converter surveys (Walden 1999; Murmann's survey):

* Walden, FOM_W = P / (2^ENOB·f_s), joules per conversion *step*: the energy of a conversion is
  FOM_W·2^B. This holds at low resolution, where the comparators and logic set the cost (**2× per bit**);
* Schreier, FOM_S = SNDR + 10·log10(BW / P) in dB: at high resolution thermal noise (kT/C) sets the cost,
  and each bit (6.02 dB more SNDR) needs 4× the capacitance, so **4× per bit**. At Nyquist rate
  (f_s = 2·BW) the energy per conversion is P/f_s = ½·10^((SNDR − FOM_S)/10) J.

:func:`adc_energy` adds the two: E(B) = FOM_W·2^B + ½·10^((6.02·B + 1.76 − FOM_S)/10), so the cost per extra
bit runs from 2× at a few bits to 4× at many.
"""
from __future__ import annotations

import numpy as np

from ...units import Q_, as_number, as_quantity, as_whole, is_quantity
from ..digital.formats import quantize_uniform

__all__ = ["dac", "adc", "enob", "adc_energy", "dac_energy", "DEFAULT_WALDEN_FOM", "DEFAULT_SCHREIER_FOM"]

#: Course defaults, the best end of the survey ranges (Murmann ADC survey; status M): 1 fJ/step and 185 dB.
#: A column ADC of a crossbar tile is small and fast and runs well above them; the explorers vary it.
DEFAULT_WALDEN_FOM = "1 fJ"
DEFAULT_SCHREIER_FOM = 185.0


def _bits(bits, name="bits") -> int:
    return as_whole(bits, name, minimum=2, maximum=24, exact=True, what="bits")


def dac(x, bits: int, full_scale, signed: bool = True):
    """Digital values to the levels a B-bit DAC can produce over ±full_scale (or 0…full_scale).

    Parameters
    ----------
    x : pint.Quantity or array_like
        The values, in the unit of ``full_scale`` (plain numbers with a plain full scale).
    bits : int
        Resolution, 2–24.
    full_scale : pint.Quantity or float
        The largest output, > 0 (e.g. 0.2 V for row voltages, 100 ns for pulse widths).
    signed : bool
        Levels symmetric about 0 (default) or 0…full_scale (durations cannot be negative).

    Returns
    -------
    pint.Quantity or numpy.ndarray
        The levels, like ``x``: values beyond the range clip to ±full_scale.
    """
    return _convert(x, bits, full_scale, signed, "full_scale")


def adc(y, bits: int, full_scale, signed: bool = True):
    """Column outputs read by a B-bit ADC over ±full_scale: the nearest of 2^B levels, clipping beyond.

    Parameters as for :func:`dac` (``y`` a current in A or a charge in C with a full scale to match).
    The error of every value inside the range is at most half a step (LSB/2 = full_scale/(2^(B−1) − 1)/2
    signed).
    """
    return _convert(y, bits, full_scale, signed, "full_scale")


def _convert(x, bits, full_scale, signed, name):
    b = _bits(bits)
    unit = full_scale.units if is_quantity(full_scale) else "dimensionless"
    fs = as_quantity(full_scale, unit, name, positive=True, allow_array=True)
    top = 2 ** (b - 1) - 1 if signed else 2 ** b - 1
    values = as_quantity(x, unit, "x")
    q = quantize_uniform(values.magnitude, b, scale=fs.magnitude / top, signed=signed)
    return Q_(q.values, unit) if is_quantity(full_scale) else q.values


def enob(sndr_db) -> float:
    """Effective number of bits of a converter with signal-to-noise-and-distortion ratio ``sndr_db`` (in dB).

    ENOB = (SNDR − 1.76 dB) / 6.02 dB: the resolution of an ideal converter with that SNDR (a full-scale sine
    wave against uniform quantisation noise).
    """
    return (as_number(sndr_db, "sndr_db") - 1.76) / 6.02


def adc_energy(bits, fom_walden=DEFAULT_WALDEN_FOM, fom_schreier=DEFAULT_SCHREIER_FOM):
    """Energy of one conversion of a B-bit ADC from the Walden and Schreier figures of merit.

    Parameters
    ----------
    bits : int or array_like
        Effective resolution B, 1–24 bits.
    fom_walden : pint.Quantity or str, optional
        Walden FOM, energy per conversion step (default 1 fJ; the survey's best are 0.2–1 fJ).
    fom_schreier : float, optional
        Schreier FOM in dB (default 185 dB; best 180–186 dB).

    Returns
    -------
    pint.Quantity
        E(B) = FOM_W·2^B + ½·10^((6.02·B + 1.76 − FOM_S)/10) J, in fJ. With the defaults, each extra bit
        costs 2.01× at 4 bits, 2.11× at 8, 2.98× at 12 and 3.88× at 16.

    Notes
    -----
    Sources: figure-of-merit definitions in Walden 1999 and the Murmann ADC survey; the sum of the two
    regimes is a course model (each term alone is the survey's asymptote).
    """
    b = np.asarray(_energy_bits(bits), dtype=float)
    return Q_(_adc_joules(b, _walden_joules(fom_walden), _schreier_db(fom_schreier)), "J").to("fJ")


def _energy_bits(bits, name: str = "bits"):
    return as_whole(bits, name, minimum=1, maximum=24)


def _walden_joules(fom_walden) -> float:
    """The Walden figure of merit as plain joules per step (a quantity, or text such as "1 fJ")."""
    return float(as_quantity(Q_(fom_walden) if isinstance(fom_walden, str) else fom_walden, "J", "fom_walden",
                             positive=True, allow_array=False).magnitude)


def _schreier_db(fom_schreier) -> float:
    return as_number(fom_schreier, "fom_schreier", minimum=100, maximum=220,
                     hint="Schreier figures of merit of real converters lie between about 140 and 190 dB.")


def _adc_joules(bits, fom_walden_j: float, fom_schreier_db: float):
    """:func:`adc_energy` on checked plain numbers, in J (the simulations' inner loops)."""
    return fom_walden_j * 2.0 ** bits + 0.5 * 10.0 ** ((6.02 * bits + 1.76 - fom_schreier_db) / 10)


def dac_energy(bits, fom_walden=DEFAULT_WALDEN_FOM):
    """Energy of one B-bit DAC conversion, FOM_W·2^B (course assumption: a DAC costs at most an ADC's
    low-resolution term; row drivers of pulse-width inputs are counters, cheaper still)."""
    b = np.asarray(_energy_bits(bits), dtype=float)
    return Q_(_dac_joules(b, _walden_joules(fom_walden)), "J").to("fJ")


def _dac_joules(bits, fom_walden_j: float):
    return fom_walden_j * 2.0 ** bits

