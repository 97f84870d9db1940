"""The checking engine: read an answer, compare it, and name the mistake behind a wrong one.

Every answer goes through :func:`check_answer`, which never raises: text, None, NaN, booleans, wrong
shapes, foreign objects and functions that raise all come back as an ``"invalid"`` :class:`Result`
with a plain-language message.

Wrong answers are explained from the ratio *answer / expected*. Each recognisable slip produces a known
ratio — an SI prefix 10³ⁿ, 3,600 between joules and watt-hours, 8,760 hours in a year, the PUE, the
number of GPUs or queries — so the ratio names the slip without revealing the expected value.
Slips specific to one exercise are declared in its spec as :class:`~.spec.Misconception` and are
tried first; then slips tied to the exercise's context (PUE, a count), then the generic ones, then
pairs of two generic slips.
"""
from __future__ import annotations

import itertools
import math
from numbers import Real
from typing import Any, NamedTuple

import numpy as np

from .results import Result
from .spec import Exercise

# --- reading the answer -----------------------------------------------------------------------------


class _Verdict(Exception):
    """Raised while reading an answer to stop with a finished result."""

    def __init__(self, status: str, message: str, code: str = ""):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def _unit_words(unit: str) -> str:
    from ..units import ureg
    if unit in ("", "dimensionless"):
        return "a plain number"
    return format(ureg.Unit(unit), "~P")


def _example(unit: str) -> str:
    from ..units import written
    words = _unit_words(unit)
    if words == "a plain number":
        return "a plain number such as 1.5"
    if words == "%":
        return "a number such as 12.5 (read as percent) or 12.5 * u.percent"
    return f"a number such as 12.5 (read in {words}) or a quantity such as 12.5 * {written(unit)}"


def _magnitude(raw, ex: Exercise):
    """Validate a bare magnitude (number or array-like) and return float or ndarray."""
    if raw is None:
        raise _Verdict("invalid", "Your answer is None — a variable that was never given a value, or a "
                       f"function that returned nothing. Give {_example(ex.unit)}.", "none")
    if isinstance(raw, (bool, np.bool_)):
        raise _Verdict("invalid", f"Your answer is {raw}, a yes/no value, not a number. "
                       f"Give {_example(ex.unit)}.", "boolean")
    if isinstance(raw, (str, bytes)):
        raise _Verdict("invalid", f"Your answer is text ({raw!r:.40}). Give {_example(ex.unit)}; "
                       "numbers are written without quotes.", "text")
    if callable(raw):
        raise _Verdict("invalid", "Your answer is a function, not its result: call it and pass what it "
                       "returns.", "function")
    if _is_complex(raw):
        raise _Verdict("invalid", "Your answer is a complex number (it has an imaginary part, written with "
                       "j); give a real number. A complex result usually comes from a power or root of a "
                       "negative number upstream.", "complex")
    if isinstance(raw, Real):
        if ex.shape is not None:
            raise _Verdict("invalid", f"Your answer is a single number; the question asks for "
                           f"{_count_text(ex.shape)} (as a list, e.g. [a, b]).", "shape")
        try:
            value = float(raw)
        except OverflowError:
            raise _Verdict("invalid", "Your answer is too large to be a number the course can compare "
                           "(beyond 10³⁰⁸).", "infinite") from None
    elif isinstance(raw, (list, tuple)) and ex.shape is None:
        raise _Verdict("invalid", f"Your answer is a list of {len(raw)} value{'s' * (len(raw) != 1)}; the "
                       "question asks for a single number, without brackets.", "shape")
    else:
        if isinstance(raw, (list, tuple)):
            for position, item in enumerate(raw, 1):
                if item is None or isinstance(item, (str, bytes, bool, np.bool_)):
                    raise _Verdict("invalid", f"Value {position} of your list is {item!r:.30}, not a number.",
                                   "element")
        try:
            value = _real_array(raw)
        except (TypeError, ValueError, OverflowError):
            kind = "a dict" if isinstance(raw, dict) else _array_words(raw) if isinstance(raw, np.ndarray) \
                else f"an object of type {type(raw).__name__}"
            wanted = f"a list of {ex.shape[0]} numbers" if ex.shape else _example(ex.unit)
            raise _Verdict("invalid", f"Your answer is {kind}, which is not a number. Give {wanted}.",
                           "type") from None
        if ex.shape is None:
            if value.size == 1:
                value = float(value.reshape(()))
            else:
                raise _Verdict("invalid", f"Your answer is an array of {value.size} values; the question "
                               "asks for a single number.", "shape")
        elif value.shape != tuple(ex.shape):
            given = f"{value.size} value{'s' * (value.size != 1)}" if value.ndim <= 1 else f"shape {value.shape}"
            raise _Verdict("invalid", f"Your answer has {given}; the question asks for "
                           f"{_count_text(ex.shape)}.", "shape")
    values = np.atleast_1d(value)
    if np.any(np.isnan(values)):
        raise _Verdict("invalid", "Your answer is NaN (not a number): usually a 0/0, or a missing value "
                       "upstream. Check the cells that compute it.", "nan")
    if np.any(np.isinf(values)):
        raise _Verdict("invalid", "Your answer is infinite: did something divide by zero?", "infinite")
    return value


def _is_complex(raw) -> bool:
    """True for a complex value of any kind: Python, numpy scalar, array or list holding one."""
    if isinstance(raw, (complex, np.complexfloating)):
        return True
    try:
        return bool(np.iscomplexobj(raw)) or (isinstance(raw, (list, tuple, np.ndarray)) and any(
            isinstance(item, (complex, np.complexfloating)) for item in np.asarray(raw, dtype=object).ravel()))
    except Exception:
        return False


def _real_array(raw) -> np.ndarray:
    """``raw`` as a float array, refusing any conversion that would drop information or invent a
    number: text, booleans, dates, or objects that are not real numbers."""
    array = np.asarray(raw)
    if array.dtype.kind in "iuf":
        return array.astype(float)
    if array.dtype.kind == "O" and all(isinstance(item, Real) and not isinstance(item, (bool, np.bool_))
                                        for item in array.ravel()):
        return array.astype(float)
    raise TypeError(f"not real numbers (dtype {array.dtype})")


def _array_words(array: np.ndarray) -> str:
    what = {"U": "text", "S": "text", "b": "yes/no values", "M": "dates", "m": "time spans"}
    return f"an array of {what.get(array.dtype.kind, 'values of type ' + str(array.dtype))}"


def _count_text(shape) -> str:
    return f"{shape[0]} values" if len(shape) == 1 else f"an array of shape {tuple(shape)}"


def read_answer(answer, ex: Exercise):
    """Return the answer's magnitude in the exercise's unit, or raise :class:`_Verdict`.

    Plain numbers are read in ``ex.unit``; pint quantities of the right dimension are converted;
    a plain mass is accepted where a CO2-equivalent mass is asked (``552 * u.t`` for 552 tCO2e).
    """
    from ..units import describe_dimension, dimension_of, is_quantity, ureg
    if answer is Ellipsis:
        raise _Verdict("unanswered", "Replace `...` with your answer, then run the cell again.")
    if isinstance(answer, (list, tuple)) and ex.shape is not None and any(map(is_quantity, answer)):
        if len(answer) != (ex.shape[0] if ex.shape else 0) or len(ex.shape) != 1:
            raise _Verdict("invalid", f"Your answer has {len(answer)} value{'s' * (len(answer) != 1)}; "
                           f"the question asks for {ex.shape[0]}.", "shape")
        element = Exercise(**{**ex.__dict__, "shape": None})
        return np.array([read_answer(item, element) for item in answer])
    if not is_quantity(answer):
        return _magnitude(answer, ex)
    target = ureg.Unit(ex.unit or "dimensionless")
    try:
        units = ureg.Unit(str(answer.units))
    except Exception:
        raise _Verdict("invalid", "Your quantity uses units the course does not know; build it with "
                       "the course's registry: `from energylab.units import u`, then e.g. 3 * u.kWh.",
                       "registry") from None
    magnitude = answer.magnitude
    if units.dimensionality != target.dimensionality:
        if dimension_of(units) == dimension_of("kg") and dimension_of(target) == dimension_of("kgCO2e"):
            units = ureg.Unit("gCO2e") * float((1 * ureg.Unit(str(answer.units))).to("g").magnitude)
        else:
            unit_text = format(answer.units, '~P') or 'no unit'
            known = describe_dimension(units)
            given = f"{known.split(' (')[0]} ({unit_text})" if "(e.g." in known or known == "a pure number" \
                else f"a quantity in {unit_text}"
            asked = describe_dimension(target).split(" (")[0]
            if ex.unit not in ("", "dimensionless") and not asked.startswith("a quantity in"):
                asked += f" in {_unit_words(ex.unit)}"
            raise _Verdict("incorrect", f"You gave {given}, but the question asks for {asked}. "
                           f"{_dimension_tip(units, target)}".strip() + _hint_pointer(ex), "dimension")
    magnitude = _magnitude(magnitude, ex)
    return magnitude * (1 * units).to(target).magnitude


def _dimension_tip(given, target) -> str:
    from ..units import dimension_of
    g, t = dimension_of(given), dimension_of(target)
    target = format(target, "~") or "dimensionless"
    tips = {
        (dimension_of("W"), dimension_of("J")): "Energy is power × time: multiply by how long it runs.",
        (dimension_of("J"), dimension_of("W")): "Power is energy ÷ time: divide by the duration.",
        (dimension_of("J"), dimension_of("kgCO2e")): "Emissions are energy × carbon intensity.",
        (dimension_of("J"), dimension_of("L")): ("An energy is not a volume: divide by an energy per volume (heat "
                                                  "capacity × ΔT) or multiply by a water intensity (L/kWh)."),
        (dimension_of("kg"), dimension_of("L")): "For water, 1 kg is about 1 L: divide the mass by 1 kg/L.",
        (dimension_of("kg/s"), dimension_of("L/s")): "For water, 1 kg is about 1 L: divide the mass flow by 1 kg/L.",
        (dimension_of("J"), dimension_of("USD")): "Cost is energy × price per kWh.",
        (dimension_of("J"), ""): "A ratio of two energies has no unit.",
        (dimension_of("ohm"), dimension_of("S")): "A conductance is the inverse of a resistance, G = 1/R "
                                                   "(1 µS = 1/(1 MΩ)).",
        (dimension_of("S"), dimension_of("ohm")): "A resistance is the inverse of a conductance, R = 1/G.",
        (dimension_of("V"), dimension_of("A")): "A current is a conductance × a voltage (I = G·V, Ohm's law).",
        (dimension_of("TOPS"), dimension_of("TOPS/W")): "Efficiency is operations per joule: divide the TOPS by the "
                                                        "watts.",
        (dimension_of("W"), ""): "A ratio of two powers has no unit.",
        (dimension_of("param*token"), dimension_of("FLOP")): "Parameters × tokens still needs the rule's FLOPs "
                                                             "per parameter per token (a fact in the sources).",
    }
    if (g, t) in tips:
        return tips[(g, t)]
    if t == "":
        return "If the number is right, drop the unit with .magnitude (or convert with .to(u.dimensionless))."
    if g == dimension_of(f"{target} / token") or g == dimension_of(f"{target} / param"):
        return "That is a rate per token (or per parameter): multiply by the number of tokens, as u.token."
    if "." in g:
        return ("A square root (or other fractional power) of a quantity keeps a fractional unit: take it of "
                "plain numbers (.magnitude), or use the energylab function for it.")
    if "[parameter]" in g:
        return ("A parameter count is left in the units: write per-parameter sizes with their unit, e.g. "
                "2 * u.B / u.param, or use plain numbers.")
    counting = ("[parameter]", "[token]", "[computation]")
    if t in (dimension_of("param"), dimension_of("token"), dimension_of("FLOP")) and \
            any(c in g for c in counting):
        # Only when the wrong unit is built from the counting units themselves (param**0.5, FLOP/param):
        # an energy given for a FLOP count is a different mistake.
        return ("Square roots and ratios of quantities keep odd units: compute with plain numbers (.magnitude) "
                "or with the energylab function for it.")
    return ""


# --- explaining a wrong answer -----------------------------------------------------------------------

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _times(factor: float) -> str:
    """'1,000×' or '3,600×' in words for messages."""
    if factor >= 1e6 and math.log10(factor).is_integer():
        return "10" + str(int(math.log10(factor))).translate(_SUPERSCRIPT) + "×"
    return f"{factor:,.0f}×" if factor >= 10 else f"{factor:.3g}×"


def _direction(factor: float) -> tuple[str, float]:
    return ("too large", factor) if factor > 1 else ("too small", 1 / factor)


class Slip(NamedTuple):
    """One recognisable mistake: the ratio answer / expected it produces and what to tell the student.

    ``family`` is the generic family (``"prefix"``, ``"joule_wh"``…) or ``""`` for a mistake declared by
    the exercise; ``exact`` marks a declared mistake given by its exact factor, which then replaces a
    generic slip of the same factor (the author has said what that factor means here).
    """
    factor: Any
    code: str
    message: str
    family: str = ""
    exact: bool = False


SLIP_FAMILIES = ("prefix", "joule_wh", "calendar", "percent", "sign")
"""The generic slip families; each applies only in its domain (:func:`slip_applies`)."""


def _dimensionality(ex: Exercise) -> dict:
    from ..units import ureg
    return dict(ureg.Unit(ex.unit or "dimensionless").dimensionality)


def _is_energy_like(dims: dict) -> bool:
    """An energy, a power, or either per something (J/token, W/GPU): mass·length²·time⁻² or ⁻³."""
    return dims.get("[mass]") == 1 and dims.get("[length]") == 2 and dims.get("[time]") in (-2, -3)


def slip_applies(family: str, ex: Exercise) -> bool:
    """Whether a generic slip family can explain a wrong answer to ``ex``.

    Defaults: SI prefixes everywhere but logarithms and counts of things; joules vs watt-hours (or
    seconds vs hours) only for energies, powers and times; hours/days/years only for answers whose
    unit involves time, and not for electrical units (S, A, V: their SI time is not a calendar) nor for
    quantities per energy (FLOP/J, TOPS/W, gCO2e/kWh); percent vs fraction only for fractions; the sign
    everywhere. ``ex.slips`` turns a family on or off for one exercise.
    """
    if family in ex.slips:
        return bool(ex.slips[family])
    nature, dims = ex.answer_nature, _dimensionality(ex)
    if family == "prefix":
        return nature not in ("log", "count")
    if family == "joule_wh":
        return _is_energy_like(dims) or dims == {"[time]": 1}
    if family == "calendar":
        return "[time]" in dims and "[current]" not in dims and dims.get("[length]", 0) >= 0
    if family == "percent":
        return nature == "fraction"
    if family == "sign":
        return True
    raise ValueError(f"unknown slip family {family!r}")


def _generic_slips(ex: Exercise) -> list[Slip]:
    """The slips any exercise can suffer, restricted to the families whose domain ``ex`` is in."""
    slips = []
    if slip_applies("prefix", ex):
        for k in (1, 2, 3, 4, 5, 6):
            for sign in (1, -1):
                f = 10.0 ** (3 * k * sign)
                how, size = _direction(f)
                slips.append(Slip(f, "prefix", f"Your answer is {_times(size)} {how}: an SI-prefix slip? "
                                  "Check k = 10³, M = 10⁶, G = 10⁹, T = 10¹² (W vs kW, kWh vs MWh; billions × "
                                  "billions is 10¹⁸) and that the answer is in the unit asked.", "prefix"))
    if slip_applies("joule_wh", ex):
        is_time = _dimensionality(ex) == {"[time]": 1}
        for k in range(-3, 4):
            for sign in (1, -1):
                f = (3600.0 * 10.0 ** (3 * k)) ** sign
                how, size = _direction(f)
                extra = "" if k == 0 else " (with an SI prefix on top)"
                what = ("seconds vs hours{}? 1 h is 3,600 s." if is_time else
                        "joules vs watt-hours{}? 1 Wh is 3,600 J (one watt for 3,600 seconds).").format(extra)
                slips.append(Slip(f, "joule_wh", f"Your answer is {_times(size)} {how}: {what}", "joule_wh"))
    if slip_applies("calendar", ex):
        for f, what, code in ((8760.0, "hours in a year (8,760)", "hours_year"),
                              (365.0, "days in a year (365)", "days_year"),
                              (24.0, "hours in a day (24)", "hours_day")):
            for sign in (1, -1):
                how, _ = _direction(f ** sign)
                slips.append(Slip(f ** sign, code, f"Your answer is {how} by exactly the number of {what}: "
                                  "did you mix a figure per hour, per day or per year with another?", "calendar"))
    if slip_applies("percent", ex):
        if ex.unit == "percent":          # asked in percent: ÷100 is a fraction, ×100 a percent made twice
            large = "the percentage multiplied by 100 once too often (4,500 % instead of 45 %)?"
            small = "a fraction where a percentage is asked (0.45 instead of 45)?"
        else:                             # asked as a fraction: ×100 is a percentage, ÷100 one % too many
            large = "a percentage where a fraction is asked (45 instead of 0.45)?"
            small = ("divided by 100 once too often, or a fraction labelled as a percentage (0.45 % instead of "
                     "0.45)?")
        slips.append(Slip(100.0, "percent", f"Your answer is 100× too large: {large}", "percent"))
        slips.append(Slip(0.01, "percent", f"Your answer is 100× too small: {small}", "percent"))
    if slip_applies("sign", ex):
        slips.append(Slip(-1.0, "sign", "Your answer has the right size but the wrong sign: check the order of "
                          "a subtraction.", "sign"))
    return slips


def _context_slips(ex: Exercise) -> list[Slip]:
    """Slips tied to the exercise's own numbers: the PUE and a count of things."""
    slips = []
    if ex.pue is not None:
        pue = float(np.asarray(getattr(ex.pue(), "magnitude", ex.pue())))
        if abs(pue - 1) > 0.02 and ex.pue_included:
            slips.append(Slip(1 / pue, "pue_missing", "Your answer is smaller by a factor equal to the PUE: "
                              "did you leave the PUE out? The facility draws PUE × the IT energy (or divide "
                              "by it where the question starts from the facility).", "pue"))
            slips.append(Slip(pue, "pue_twice", "Your answer is larger by a factor equal to the PUE: did you "
                              "apply the PUE twice, or to a figure that already included it?", "pue"))
            slips.append(Slip(pue ** -2, "pue_divided", "Your answer is smaller by the PUE squared: did you "
                              "divide by the PUE where you should multiply?", "pue"))
        elif abs(pue - 1) > 0.02:
            slips.append(Slip(pue, "pue_not_asked", "Your answer is larger by a factor equal to the PUE: the "
                              "question asks for the IT part alone, without the building's overhead.", "pue"))
            slips.append(Slip(1 / pue, "pue_divided", "Your answer is smaller by a factor equal to the PUE: "
                              "did you divide by the PUE? The question's figure has no PUE in it.", "pue"))
    if ex.count is not None:
        n = float(np.asarray(getattr(ex.count.value(), "magnitude", ex.count.value())))
        if n > 1.05:
            c = ex.count
            slips.append(Slip(n, "per_unit_total", f"Your answer is larger by a factor equal to the number of "
                              f"{c.nouns}: you gave the total for all of them, but the question asks per "
                              f"{c.noun}.", "count"))
            slips.append(Slip(1 / n, "per_unit_total", f"Your answer is smaller by a factor equal to the number "
                              f"of {c.nouns}: you gave the value for one {c.noun}, but the question asks for "
                              "the total.", "count"))
    return slips


# Pairs of slips that students really make together; other products of two factors would crowd the
# ratio line so densely that almost any wrong answer looked "explained".
_PAIRABLE = {("pue_missing", "prefix"), ("pue_twice", "prefix"), ("pue_not_asked", "prefix"),
             ("per_unit_total", "prefix"),
             ("pue_missing", "per_unit_total"), ("pue_twice", "per_unit_total"),
             ("prefix", "hours_year"), ("prefix", "percent"), ("pue_missing", "hours_year"),
             ("per_unit_total", "hours_year")}


def _pairs(slips: list[Slip]) -> list[Slip]:
    """Two independent slips at once (e.g. PUE left out *and* kWh vs MWh)."""
    singles = [s.factor for s in slips]
    out = []
    for one, two in itertools.combinations(slips, 2):
        f = one.factor * two.factor
        if (one.code, two.code) not in _PAIRABLE and (two.code, one.code) not in _PAIRABLE:
            continue
        if any(abs(f / s - 1) < 0.03 for s in singles + [1.0]):
            continue
        # With a round count (10,000 GPUs), count × prefix pairs land on every power of ten: a ×100
        # answer would be "explained" by two slips when a misplaced decimal point is as likely.
        if abs(math.log10(abs(f)) - round(math.log10(abs(f)))) < 1e-9:
            continue
        out.append(Slip(f, f"{one.code}+{two.code}", "Two slips at once, it seems. (1) "
                        + _strip_size(one.message) + " (2) " + _strip_size(two.message), "pair"))
    return out


def _strip_size(message: str) -> str:
    """Drop the 'Your answer is N× too large:' lead-in of a single-slip message inside a pair."""
    head, sep, rest = message.partition(": ")
    return rest[:1].upper() + rest[1:] if sep and head.startswith("Your answer is") else message


def slip_table(ex: Exercise, declared: list[Slip]) -> list[Slip]:
    """Every recognisable ratio for an exercise: declared mistakes, then context, generic and pairs."""
    context = _context_slips(ex)
    generic = _generic_slips(ex)
    return list(declared) + context + generic + _pairs(context + generic)


def close_band(ex: Exercise) -> float:
    """How far (relative) from the right answer a wrong one is a near miss: twice the tolerance. No
    specific mistake is ever named inside it, whatever it happens to be near."""
    return 2 * ex.rtol


def _close_message_band(ex: Exercise) -> float:
    """Up to how far off an unexplained answer is told it is close (at least 3 %)."""
    return max(2 * ex.rtol, 0.03)


def match_band(ex: Exercise) -> float:
    """How close (relative) an answer must be to a mistake's value for the mistake to be considered."""
    return max(2 * ex.rtol, 0.02)


def explain_ratio(ratios, table: list[Slip], ex: Exercise) -> tuple[str, str] | None:
    """The (code, message) of the mistake behind a wrong answer, or None when none fits honestly.

    ``ratios`` is answer / expected for the wrong elements; a table entry's factor may be a number or,
    for a mistake declared by its wrong value on an array answer, one factor per element. A mistake is
    named only when every ratio is within :func:`match_band` of its factor and closer to its wrong value
    than to the right one, and the answer is not a near miss (some ratio outside :func:`close_band`).
    When several distinct mistakes fit, all of them are named (up to three), never just the first.
    """
    ratios = np.atleast_1d(np.asarray(ratios, dtype=float))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        if np.all(np.abs(ratios - 1) <= close_band(ex)):
            return None  # a near miss, whatever it happens to be near
        usable = [slip for slip in table if np.ndim(slip.factor) == 0 or np.shape(slip.factor) == ratios.shape]
        if not usable:
            return None
        # One row per slip, one column per answer element: the whole table is tested at once.
        factors = np.array([np.broadcast_to(np.asarray(slip.factor, dtype=float), ratios.shape) if np.ndim(
            slip.factor) else np.full(ratios.shape, float(slip.factor)) for slip in usable])
        # Elements the mistake leaves unchanged (factor 1) only need to match; the others must be
        # nearer the mistake's value than the right one.
        unchanged = np.abs(factors - 1) <= ex.rtol
        fits = np.all(np.abs(ratios / factors - 1) <= match_band(ex), axis=1) & \
            np.all(unchanged | (np.abs(ratios - factors) < np.abs(ratios - 1)), axis=1)
        matches = [slip for slip, fit in zip(usable, fits) if fit]
    return _resolve(matches, ratios)


def _resolve(matches: list[Slip], ratios: np.ndarray) -> tuple[str, str] | None:
    """One diagnosis from the mistakes that fit: a declared exact factor replaces the generic slip it
    restates; a pair is dropped when a single slip fits; two or three distinct causes are all named."""
    exact = [m.factor for m in matches if m.exact]
    kept = [m for m in matches
            if not (m.family and m.family != "pair" and any(np.allclose(m.factor, f, rtol=1e-9) for f in exact))]
    if any(m.family != "pair" for m in kept):
        kept = [m for m in kept if m.family != "pair"]
    distinct = []
    for m in kept:
        if all(m.message != d.message for d in distinct):
            distinct.append(m)
    if not distinct:
        return None
    if len(distinct) == 1:
        return distinct[0].code, distinct[0].message
    causes = distinct[:3]
    listed = " ".join(f"({i}) {_strip_size(m.message)}" for i, m in enumerate(causes, 1))
    lead = "This answer fits more than one slip"
    if ratios.size == 1 and ratios[0] > 0:
        how, size = _direction(float(ratios[0]))
        lead = f"Your answer is {_times(size)} {how}, and {('two', 'three')[len(causes) - 2]} slips give " \
               "about that factor here"
    return "|".join(m.code for m in causes), f"{lead}: {listed}"


def _within(given, expected, rtol: float):
    """Element-wise: within ``rtol`` of ``expected`` (an exact zero must be met to 1e-12)."""
    return np.abs(given - expected) <= rtol * np.abs(expected) + 1e-12 * (expected == 0)


def compare(given, expected, ex: Exercise, table, plain: bool = False, accepted=()) -> Result:
    """Compare magnitudes (already in the exercise's unit) and explain a mismatch.

    ``plain`` says the answer was a bare number, read in the exercise's unit: unit slips then get a
    reminder of which unit that is. ``accepted`` are other right values (``ex.also_accepted``).
    """
    given_arr, expected_arr = np.atleast_1d(given), np.atleast_1d(np.asarray(expected, dtype=float))
    ok = _within(given_arr, expected_arr, ex.rtol)
    for other in accepted:
        ok |= _within(given_arr, np.atleast_1d(np.asarray(other, dtype=float)), ex.rtol)
    if np.all(ok):
        return Result(ex.name, "correct", _correct_message(given, ex))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = given_arr / expected_arr
    if np.all(expected_arr != 0):
        found = explain_ratio(ratios, table, ex)
        if found:
            code, message = found
            if plain and ex.unit not in ("", "dimensionless") and any(c in code for c in ("prefix", "joule_wh")):
                message += f" A plain number is read in {_unit_words(ex.unit)}."
            return Result(ex.name, "incorrect", message + _hint_pointer(ex), code)
    if given_arr.size > 1:
        wrong = [str(i) for i in np.flatnonzero(~ok) + 1]
        which = f"value {wrong[0]}" if len(wrong) == 1 else "values " + ", ".join(wrong)
        right = int(ok.sum())
        message = (f"{right} of {ok.size} values {'is' if right == 1 else 'are'} right; {which} "
                   f"{'is' if len(wrong) == 1 else 'are'} not.")
        if np.all(expected_arr[~ok] != 0):
            found = explain_ratio(ratios[~ok], [slip for slip in table if np.ndim(slip.factor) == 0], ex)
            if found:
                message += f" For {which}: {found[1]}"
        return Result(ex.name, "incorrect", message + _hint_pointer(ex), "partial")
    ratio = float(ratios[0]) if expected_arr[0] != 0 else math.inf
    if abs(ratio - 1) <= _close_message_band(ex):
        return Result(ex.name, "incorrect", f"Close, but not {ex.tolerance_text()}: check which input "
                      "values you used (the statement names them), and keep three significant figures "
                      "until the end." + _hint_pointer(ex), "close")
    how = "too large" if given_arr[0] > expected_arr[0] else "too small"
    return Result(ex.name, "incorrect", f"Not this one: your answer is {how}, and not by any slip checked "
                  f"here ({_checked_slips(table)}). Recheck the method." + _hint_pointer(ex), "unexplained")


_FAMILY_NAMES = {"prefix": "SI prefixes", "joule_wh": "J vs Wh", "calendar": "hours vs years",
                 "percent": "percent vs fraction", "pue": "the PUE", "count": "per-unit vs total",
                 "sign": "the sign"}


def _checked_slips(table: list[Slip]) -> str:
    families = {slip.family for slip in table}
    names = [name for family, name in _FAMILY_NAMES.items() if family in families]
    if "" in families:
        names.append("the mistakes typical of this exercise")
    return ", ".join(names)


def _hint_pointer(ex: Exercise) -> str:
    return f" Stuck? ex.hint(\"{ex.name}\")."


def _correct_message(given, ex: Exercise) -> str:
    from ..units import fmt, ureg
    if np.ndim(given) == 0 and ex.unit:
        shown = fmt(given * ureg.Unit(ex.unit), sig=3) if ex.unit != "dimensionless" else fmt(given, sig=3)
        text = f"{shown} is right."
    else:
        n = np.size(given)
        text = ("Both values are right." if n == 2 else f"All {n} values are right.") if np.ndim(given) else ""
    return f"{text} {ex.takeaway_text()}".strip()
