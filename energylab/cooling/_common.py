"""Shared helpers of :mod:`energylab.cooling`: reading facts, checking temperatures and temperature differences.

Not part of the public API. Absolute temperatures are worked in kelvin as float arrays; plain numbers are read
in kelvin (the SI rule of the library) and a plain number that only makes sense in degrees Celsius is refused
with a message that shows how to write it (``25 * u.degC``).
"""
from __future__ import annotations

import numpy as np
import pint

from .. import sources
from ..sources import LazyAssumptions  # noqa: F401  (re-exported for the cooling modules)
from ..units import Q_, as_quantity, ureg

#: 0 °C in kelvin.
ZERO_CELSIUS = 273.15
#: Below this a plain number cannot be a data-centre temperature in kelvin: it was almost surely meant in °C.
_LOWEST_PLAIN_KELVIN = 150.0


fact = sources.magnitude   # the cooling modules' short name for it


def kelvin(value, name: str) -> np.ndarray | float:
    """An absolute temperature as kelvin (float or float array).

    Quantities in K, degC or degF are converted (°C and °F properly, with their offsets). Plain numbers are
    read in kelvin; below 150 they are refused, because a number like 25 was almost surely meant in °C.

    Raises
    ------
    TypeError
        Not a temperature, or not a number.
    ValueError
        NaN, infinite, at or below absolute zero, or a plain number below 150 (probably °C).
    """
    if isinstance(value, pint.Quantity) and value.dimensionality == ureg.K.dimensionality:
        if _is_difference(value):
            raise TypeError(f"{name} must be an absolute temperature (e.g. 25 * u.degC or 298 * u.K); got "
                            f"{format(value)}, a temperature difference. To lower a °C temperature by some "
                            f"kelvin, subtract a difference: 35 * u.degC - 20 * u.delta_degC.")
        magnitude = np.asarray(value.to("K").magnitude, dtype=float)
        plain = False
    else:
        q = as_quantity(value, "K", name)
        magnitude = np.asarray(q.magnitude, dtype=float)
        plain = not isinstance(value, pint.Quantity)
    if not np.all(np.isfinite(magnitude)):
        raise ValueError(f"{name} must be finite (a temperature in K or °C); got NaN or infinity.")
    if plain and np.any(magnitude < _LOWEST_PLAIN_KELVIN):
        low = float(np.min(magnitude))
        raise ValueError(f"{name}: plain numbers are read in kelvin, and {low:g} K is colder than any data "
                         f"centre. Did you mean {low:g} °C? Write it with its unit: {low:g} * u.degC "
                         f"(= {low + ZERO_CELSIUS:g} K).")
    if np.any(magnitude <= 0):
        raise ValueError(f"{name} must be above absolute zero (0 K = −273.15 °C); got "
                         f"{float(np.min(magnitude)):.4g} K.")
    return float(magnitude) if magnitude.ndim == 0 else magnitude


def kelvin_difference(value, name: str, *, positive: bool = True, nonnegative: bool = False):
    """A temperature difference in kelvin (float or float array).

    Accepts K or delta_degC / delta_degF quantities, or plain numbers in K. An absolute temperature in °C or °F
    (``10 * u.degC``) is refused: converted to kelvin it would become 283.15 K, not a 10 K difference.
    """
    if isinstance(value, pint.Quantity) and value.dimensionality == ureg.K.dimensionality \
            and not value._is_multiplicative:
        unit = format(value.units, "~")
        raise TypeError(f"{name} is a temperature difference: write it in kelvin or as a difference of degrees "
                        f"(e.g. 10 * u.K or 10 * u.delta_degC), not in {unit}, which is an absolute temperature "
                        f"({format(value)} = {value.to('K').magnitude:.5g} K).")
    q = as_quantity(value, "K", name, positive=positive and not nonnegative, nonnegative=nonnegative)
    magnitude = q.magnitude
    return float(magnitude) if np.ndim(magnitude) == 0 else np.asarray(magnitude, dtype=float)


def _is_difference(q: pint.Quantity) -> bool:
    """True for delta_degC / delta_degF quantities (differences written with an offset scale)."""
    return any(name.startswith("delta_") for name, _ in q.unit_items())


def celsius(kelvin_values) -> pint.Quantity:
    """Kelvin floats as a quantity in degC (for display)."""
    return Q_(np.asarray(kelvin_values, dtype=float) - ZERO_CELSIUS if np.ndim(kelvin_values)
              else float(kelvin_values) - ZERO_CELSIUS, "degC")


