"""The course's one unit registry, and the checks every public function uses on its inputs.

Everything in ``energylab`` that carries a unit is a :mod:`pint` quantity from the registry
defined here, so quantities from different chapters can be mixed freely::

    >>> from energylab.units import u
    >>> (330 * u.W * 24 * u.h).to(u.kWh)
    <Quantity(7.92, 'kilowatt_hour')>

Beyond SI the registry knows the units this course needs:

* ``FLOP`` (floating-point operations) and so ``FLOP/s``, ``TFLOP/s``, ``PFLOP/s*day``;
* ``token`` and ``parameter`` (``param``), the counting units of language models;
* CO2-equivalent mass: ``gCO2e``, ``kgCO2e``, ``tCO2e``, ``ktCO2e``, ``MtCO2e``, ``lbCO2e``;
* money: ``USD`` (US dollars) and ``cent``;
* ``bit`` and ``byte`` (``B``) carry their own dimension, so ``FLOP/B`` (operational intensity) and
  ``TB/s`` (memory bandwidth) cannot be confused with FLOP or hertz;
* ``year`` is 365 days (8,760 hours), the convention of energy statistics, not pint's Julian year;
* water volume uses litres (``L``, ``mL``), cubic metres and US gallons, as pint already does.

Quantities print rounded to four significant figures (``10.8 MJ``, never ``10.799999999999999 MJ``);
:func:`fmt` (from :mod:`energylab.formatting`, the home of all number-to-text formatting) gives
finer control for prose.
"""
from __future__ import annotations

import html
from numbers import Integral, Real

import numpy as np
import pint

from .formatting import fmt

__all__ = [
    "u", "ureg", "Q_", "HOURS_PER_YEAR", "as_quantity", "as_fraction", "as_number", "as_whole", "as_choice",
    "converted", "plain", "fmt", "is_quantity", "describe_dimension", "dimension_of", "written",
]

# operation: an "op" of the TOPS figures chips are sold by, one multiply or one add (a multiply-accumulate
# is 2 ops); a dimension of its own, so TOPS/W never silently mixes with FLOP counts.
_DEFINITIONS = """
year = 365 * day = yr = a
floating_point_operation = [computation] = FLOP = flop
token = [token] = tok
parameter = [parameter] = param
gram_CO2e = [co2e] = gCO2e
kilogram_CO2e = 1e3 * gram_CO2e = kgCO2e
tonne_CO2e = 1e6 * gram_CO2e = tCO2e
kilotonne_CO2e = 1e9 * gram_CO2e = ktCO2e
megatonne_CO2e = 1e12 * gram_CO2e = MtCO2e
pound_CO2e = 453.59237 * gram_CO2e = lbCO2e
US_dollar = [currency] = USD = dollar
US_cent = 0.01 * US_dollar = cent
liter = decimeter ** 3 = L = l = litre
operation = [operation] = op
tera_operations_per_second = 1e12 * operation / second = TOPS
bit = [information]
byte = 8 * bit = B = octet
"""

ureg = pint.UnitRegistry(on_redefinition="ignore", autoconvert_offset_to_baseunit=True)
for _line in _DEFINITIONS.strip().splitlines():
    ureg.define(_line)
# pint caches the dimensionality of units it already knew (bit, byte, year); redefining them does not
# refresh that cache, so rebuild it once the course's definitions are in.
ureg._build_cache()
ureg.formatter.default_format = "~.4g"
pint.set_application_registry(ureg)

#: The registry, under the short name students type: ``3 * u.kWh``.
u = ureg
#: Quantity constructor: ``Q_(3, "kWh")``.
Q_ = ureg.Quantity

#: Hours in the course's year (365 days); energy statistics annualise with 8,760 h.
HOURS_PER_YEAR = 8760


# Jupyter shows quantities through these hooks; pint's own versions print every float digit.
# Patching the registry's own Quantity class keeps this to the course's registry.
Q_._repr_html_ = lambda self: html.escape(format(self))
Q_._repr_pretty_ = lambda self, p, cycle: p.text(format(self))
Q_._repr_latex_ = None  # plain text and HTML are enough, and stay identical across versions

# Friendly names for the dimensions a student meets; used in every error and feedback message.
_DIMENSION_NAMES = [  # (example unit, plain-language name)
    ("kWh", "an energy"), ("W", "a power"), ("h", "a time"), ("kg", "a mass"), ("L", "a volume"),
    ("kgCO2e", "a CO2-equivalent mass"), ("gCO2e/kWh", "a carbon intensity"),
    ("USD", "an amount of money"), ("USD/kWh", "an energy price"), ("USD/h", "a cost rate"),
    ("L/kWh", "a water intensity"), ("FLOP", "an amount of computation"),
    ("FLOP/s", "a computation rate"), ("token", "a number of tokens"),
    ("param", "a number of parameters"), ("J/token", "an energy per token"),
    ("pJ/FLOP", "an energy per operation"), ("FLOP/J", "an energy efficiency"),
    ("Hz", "a frequency"), ("m", "a length"), ("K", "a temperature"), ("kWh/yr", "a power"),
    ("W/m**2", "a power density"), ("J/K", "a heat capacity"), ("B", "an amount of data"),
    ("B/s", "a data rate (bandwidth)"), ("FLOP/B", "an operational intensity"),
    ("FLOP/token", "a computation per token"), ("B/param", "a size per parameter"),
    ("L/s", "a volume flow"), ("kg/s", "a mass flow"),
]
_dimension_table: dict | None = None


def _dimension_names() -> dict:
    global _dimension_table
    if _dimension_table is None:
        _dimension_table = {}
        for example, name in _DIMENSION_NAMES:
            _dimension_table.setdefault(dimension_of(example), (name, example))
    return _dimension_table


def is_quantity(value) -> bool:
    """True when ``value`` is a pint quantity (of any registry)."""
    return isinstance(value, pint.Quantity)


def dimension_of(value) -> str:
    """The dimensionality of a quantity or unit as a canonical string ('' for pure numbers)."""
    if isinstance(value, str):
        value = ureg.Unit(value)
    dims = getattr(value, "dimensionality", None)
    if dims is None:
        return ""
    return str(dims) if len(dims) else ""


def describe_dimension(value) -> str:
    """Plain-language name of what a quantity or unit measures, e.g. ``'an energy (e.g. kWh)'``."""
    key = dimension_of(value)
    if not key:
        return "a pure number"
    if key in _dimension_names():
        name, example = _dimension_names()[key]
        return f"{name} (e.g. {example})"
    if isinstance(value, str):
        value = ureg.Unit(value)
    units = getattr(value, "units", value)
    return f"a quantity in {format(units, '~P')}"


def _unit_text(unit) -> str:
    """'in kWh' for a unit, 'as a plain number' for dimensionless."""
    text = format(ureg.Unit(unit), "~")
    return f"in {text}" if text else "as a plain number"


def written(unit) -> str:
    """How a student writes a unit with the registry: ``u.kWh``, ``u.gCO2e / u.kWh``."""
    text = format(ureg.Unit(unit), "~")
    return " ".join(f"u.{t}" if t.isidentifier() else t for t in text.split())


def _example_text(unit) -> str:
    if not format(ureg.Unit(unit), "~"):
        return "a plain number such as 1.5"
    return f"a number {_unit_text(unit)} or a quantity such as 3 * {written(unit)}"


def as_quantity(value, unit, name: str, *, nonnegative: bool = False, positive: bool = False, minimum=None,
                maximum=None, above=None, below=None, allow_array: bool = True, hint: str = "") -> pint.Quantity:
    """Check one input of a public function and return it as a quantity in ``unit``.

    The one validator every public function of the package uses; the others in this module
    (:func:`as_fraction`, :func:`as_number`, :func:`as_whole`, :func:`as_choice`) are built on it.

    Parameters
    ----------
    value : pint.Quantity, float or array_like
        What the caller passed. A plain number or array is read in ``unit``.
    unit : str or pint.Unit
        The unit the function works in; any unit of the same dimension is accepted and converted.
    name : str
        The argument's name, used in error messages.
    nonnegative : bool
        Reject values below zero (powers, times, energies): the closed bound ``>= 0``.
    positive : bool
        Reject zero as well (durations to divide by, counts, sizes): the open bound ``> 0``.
    minimum, maximum : float, optional
        Closed bounds, magnitudes in ``unit`` (e.g. ``minimum=1`` for a PUE).
    above, below : float, optional
        Open bounds: values must be greater than ``above`` (a growth rate above −1) or less than
        ``below`` (an efficiency below 1).
    allow_array : bool
        Accept numpy arrays (vectorised use). Scalars are always accepted.
    hint : str
        A sentence added to a bound's error message, saying why the bound holds.

    Returns
    -------
    pint.Quantity
        The value converted to ``unit``; a float magnitude for scalars, a float ndarray otherwise.

    Raises
    ------
    TypeError
        Wrong type (text, None, booleans, objects) or wrong dimension, naming the argument and the unit.
    ValueError
        NaN, infinite, or outside a bound, naming the argument, the bound and the unit.
    """
    target = ureg.Unit(unit)
    expected = f"{describe_dimension(target)}" if dimension_of(target) else "a pure number"
    if isinstance(value, pint.Quantity):
        if value.dimensionality != target.dimensionality:
            size = np.size(value.magnitude)
            shown = format(value) if size <= 6 else f"{size:,} values in {value.units:~P}"   # no wall of numbers
            raise TypeError(f"{name} must be {expected}; got {shown}, which is {describe_dimension(value)}.")
        magnitude = value.to(target).magnitude
    else:
        magnitude = value
    if isinstance(magnitude, (bool, np.bool_)) or magnitude is None or isinstance(magnitude, (str, bytes)):
        raise TypeError(f"{name} must be {_example_text(target)}; "
                        f"got {type(magnitude).__name__} {magnitude!r}.")
    if isinstance(magnitude, Real):
        array = None
        number = float(magnitude)
        checks = np.array([number])
    else:
        try:
            array = np.asarray(magnitude, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be a number or an array of numbers {_unit_text(target)}; "
                            f"got {type(magnitude).__name__}.") from None
        if array.ndim and not allow_array:
            raise TypeError(f"{name} must be a single number {_unit_text(target)}, not an array.")
        checks = array.ravel()
        number = float(array) if array.ndim == 0 else None
    if not np.all(np.isfinite(checks)):
        raise ValueError(f"{name} must be finite (a number {_unit_text(target)}); got NaN or infinity.")
    why = f" {hint}" if hint else ""
    if positive and np.any(checks <= 0):
        raise ValueError(f"{name} must be greater than 0 ({_unit_text(target)}); got {_short(checks.min())}.{why}")
    if nonnegative and np.any(checks < 0):
        raise ValueError(f"{name} cannot be negative ({_unit_text(target)}); got {_short(checks.min())}.{why}")
    if minimum is not None and np.any(checks < minimum):
        raise ValueError(f"{name} must be at least {minimum:g} ({_unit_text(target)}); "
                         f"got {_short(checks.min())}.{why}")
    if maximum is not None and np.any(checks > maximum):
        raise ValueError(f"{name} must be at most {maximum:g} ({_unit_text(target)}); "
                         f"got {_short(checks.max())}.{why}")
    if above is not None and np.any(checks <= above):
        raise ValueError(f"{name} must be greater than {above:g} ({_unit_text(target)}); "
                         f"got {_short(checks.min())}.{why}")
    if below is not None and np.any(checks >= below):
        raise ValueError(f"{name} must be less than {below:g} ({_unit_text(target)}); "
                         f"got {_short(checks.max())}.{why}")
    return Q_(number if number is not None else array, target)


def as_fraction(value, name: str, *, allow_zero: bool = False, what: str = "a plain fraction", example: float = 0.4,
                hint: str = "") -> pint.Quantity:
    """A plain fraction in (0, 1] (or [0, 1] with ``allow_zero``); percent quantities are converted.

    Parameters
    ----------
    value : float, array_like or pint.Quantity
        A dimensionless number (``0.4``) or a percent quantity (``40 * u.percent``).
    name : str
        The argument's name, for messages.
    allow_zero : bool
        Accept 0 (a probability, a share that may be empty).
    what, example : str, float
        How the message names the expected value: ``"a probability"``, ``0.6``.
    hint : str
        A sentence added to the message, saying why the interval holds.

    Raises
    ------
    ValueError
        Outside the interval, naming the argument and how to write a fraction.
    """
    q = as_quantity(value, "dimensionless", name)
    magnitude = np.asarray(q.magnitude)
    low_bad = magnitude < 0 if allow_zero else magnitude <= 0
    if np.any(low_bad) or np.any(magnitude > 1):
        bad = magnitude[low_bad | (magnitude > 1)].ravel()[0]
        interval = "[0, 1]" if allow_zero else "(0, 1]"
        why = f" {hint}" if hint else ""
        raise ValueError(f"{name} must be {_article_in(what)}{interval} ({what} such as {example:g}, or "
                         f"{example * 100:g} * u.percent); got {bad:.4g}.{why}")
    return q


def _article_in(what: str) -> str:
    # "must be in [0, 1] (a plain fraction …)" but "must be a probability in [0, 1] (…)"
    return "in " if what == "a plain fraction" else f"{what} in "


def as_number(value, name: str, unit="dimensionless", **bounds) -> float:
    """One number (no array) in ``unit`` as a float; ``bounds`` as for :func:`as_quantity`."""
    return float(as_quantity(value, unit, name, allow_array=False, **bounds).magnitude)


def as_whole(value, name: str, *, minimum: int = 1, maximum: int | None = None, allow_array: bool = True,
             exact: bool = False, what: str = ""):
    """A whole number (or array of them) in [``minimum``, ``maximum``], as an int (or an int64 array).

    Parameters
    ----------
    value : int, float or array_like
        What the caller passed: ``3``, ``3.0`` or ``[1, 2, 4]``.
    name : str
        The argument's name, for messages.
    minimum, maximum : int, optional
        Closed bounds (``maximum`` None: no upper bound).
    allow_array : bool
        Accept arrays (vectorised use).
    exact : bool
        Accept only integer types (``int``, numpy integers): for settings such as a bit width or an
        epoch count, where ``2.5`` is a mistake of type rather than of value. Implies a scalar.
    what : str
        What the number counts, for messages: ``"bits"`` gives "a whole number of bits".

    Raises
    ------
    TypeError
        Text, None, booleans, a quantity with a unit, or (with ``exact``) anything but an integer.
    ValueError
        A fraction, NaN, infinity, or a value outside the bounds.
    """
    counted = f" of {what}" if what else ""
    span = f"at least {minimum}" if maximum is None else f"between {minimum} and {maximum}"
    if exact:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, Integral):
            raise TypeError(f"{name} must be a whole number{counted} ({span}); "
                            f"got {type(value).__name__} {value!r}.")
        x = np.asarray(int(value), dtype=float)
    else:
        x = np.asarray(as_quantity(value, "dimensionless", name, allow_array=allow_array).magnitude, dtype=float)
    fraction = x != np.round(x)
    if np.any(fraction):
        raise ValueError(f"{name} must be a whole number{counted} ({span}); got {_first(x, fraction):.4g}.")
    outside = (x < minimum) | (x > maximum if maximum is not None else False)
    if np.any(outside):
        raise ValueError(f"{name} must be {span} (a whole number{counted}); got {_first(x, outside):.4g}.")
    return int(x) if x.ndim == 0 else x.astype(np.int64)


def _first(x: np.ndarray, mask) -> float:
    return float(x[mask].ravel()[0]) if x.ndim else float(x)


def as_choice(value, name: str, choices, aliases=None) -> str:
    """One of ``choices``, matched case-insensitively with spaces and hyphens read as underscores.

    Parameters
    ----------
    value : str
        What the caller passed: ``"Free cooling"`` matches the choice ``"free_cooling"``.
    name : str
        The argument's name, for messages.
    choices : iterable of str
        The accepted values; the matching one is returned as written here.
    aliases : mapping, optional
        Other spellings (normalised the same way) mapped to one of ``choices``.

    Raises
    ------
    TypeError
        ``value`` is not text.
    ValueError
        No choice matches; the message lists them.
    """
    choices = list(choices)
    listing = ", ".join(map(repr, choices))
    if not isinstance(value, str):
        raise TypeError(f"{name} must be one of {listing}; got {type(value).__name__} {value!r}.")
    lookup = {_choice_key(c): c for c in choices}
    key = _choice_key(value)
    key = _choice_key((aliases or {}).get(key, key))
    if key not in lookup:
        raise ValueError(f"{name} must be one of {listing}; got {value!r}.")
    return lookup[key]


def _choice_key(text: str) -> str:
    return text.strip().lower().replace("-", "_").replace(" ", "_")


def converted(q: pint.Quantity, unit) -> pint.Quantity:
    """``q`` in ``unit``, with a float magnitude for scalars and a float ndarray for arrays."""
    magnitude = q.to(unit).magnitude
    magnitude = float(magnitude) if np.ndim(magnitude) == 0 else np.asarray(magnitude, dtype=float)
    return Q_(magnitude, unit)


def plain(x, unit="dimensionless") -> pint.Quantity:
    """A quantity of ``x`` in ``unit`` (default dimensionless): a float for scalars, a float ndarray otherwise."""
    x = np.asarray(x, dtype=float)
    return Q_(float(x) if x.ndim == 0 else x, unit)


def _short(x: float) -> str:
    return f"{x:.4g}"
