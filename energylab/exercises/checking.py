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
    if isinstance(raw, Real):
        if ex.shape is not None:
            raise _Verdict("invalid", f"Your answer is a single number; the question asks for "
                           f"{_count_text(ex.shape)} (as a list, e.g. [a, b]).", "shape")
        value = float(raw)
    elif isinstance(raw, (list, tuple)) and ex.shape is None:
        raise _Verdict("invalid", f"Your answer is a list of {len(raw)} value{'s' * (len(raw) != 1)}; the "
                       "question asks for a single number, without brackets.", "shape")
    elif isinstance(raw, complex):
        raise _Verdict("invalid", "Your answer is a complex number; give a real number.", "complex")
    else:
        if isinstance(raw, (list, tuple)):
            for position, item in enumerate(raw, 1):
                if item is None or isinstance(item, (str, bytes, bool, np.bool_)):
                    raise _Verdict("invalid", f"Value {position} of your list is {item!r:.30}, not a number.",
                                   "element")
        try:
            value = np.asarray(raw, dtype=float)
        except (TypeError, ValueError):
            kind = "a dict" if isinstance(raw, dict) else f"an object of type {type(raw).__name__}"
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
    if "[parameter]" in g:
        return ("A parameter count is left in the units: write per-parameter sizes with their unit, e.g. "
                "2 * u.B / u.param, or use plain numbers.")
    if t in (dimension_of("param"), dimension_of("token"), dimension_of("FLOP")):
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


def _generic_slips(ex: Exercise) -> list[tuple[float, str, str]]:
    """(ratio answer/expected, code, message) for the slips any exercise can suffer."""
    slips = []
    for k in (1, 2, 3, 4, 5, 6):
        for sign in (1, -1):
            f = 10.0 ** (3 * k * sign)
            how, size = _direction(f)
            slips.append((f, "prefix", f"Your answer is {_times(size)} {how}: an SI-prefix slip? Check "
                          f"k = 10³, M = 10⁶, G = 10⁹, T = 10¹² (W vs kW, kWh vs MWh; billions × billions "
                          f"is 10¹⁸) and that the answer is in the unit asked."))
    for k in range(-3, 4):
        for sign in (1, -1):
            f = (3600.0 * 10.0 ** (3 * k)) ** sign
            how, size = _direction(f)
            extra = "" if k == 0 else " (with an SI prefix on top)"
            slips.append((f, "joule_wh", f"Your answer is {_times(size)} {how}: joules vs watt-hours"
                          f"{extra}? 1 Wh is 3,600 J (one watt for 3,600 seconds)."))
    for f, what, code in ((8760.0, "hours in a year (8,760)", "hours_year"),
                          (365.0, "days in a year (365)", "days_year"),
                          (24.0, "hours in a day (24)", "hours_day")):
        for sign in (1, -1):
            how, _ = _direction(f ** sign)
            slips.append((f ** sign, code, f"Your answer is {how} by exactly the number of {what}: "
                          "did you mix a figure per hour, per day or per year with another?"))
    slips.append((100.0, "percent", "Your answer is 100× too large: a percentage where a fraction is asked "
                  "(45 instead of 0.45)?"))
    slips.append((0.01, "percent", "Your answer is 100× too small: a fraction where a percentage is asked "
                  "(0.45 instead of 45)?"))
    slips.append((-1.0, "sign", "Your answer has the right size but the wrong sign: check the order of "
                  "a subtraction."))
    return slips


def _context_slips(ex: Exercise) -> list[tuple[float, str, str]]:
    """Slips tied to the exercise's own numbers: the PUE and a count of things."""
    slips = []
    if ex.pue is not None:
        pue = float(np.asarray(getattr(ex.pue(), "magnitude", ex.pue())))
        if abs(pue - 1) > 0.02:
            slips.append((1 / pue, "pue_missing", "Your answer is smaller by a factor equal to the PUE: "
                          "did you leave the PUE out? The facility draws PUE × the IT energy (or divide "
                          "by it where the question starts from the facility)."))
            slips.append((pue, "pue_twice", "Your answer is larger by a factor equal to the PUE: did you "
                          "apply the PUE twice, or to a figure that already included it?"))
            slips.append((pue ** -2, "pue_divided", "Your answer is smaller by the PUE squared: did you "
                          "divide by the PUE where you should multiply?"))
    if ex.count is not None:
        n = float(np.asarray(getattr(ex.count.value(), "magnitude", ex.count.value())))
        if n > 1.05:
            c = ex.count
            slips.append((n, "per_unit_total", f"Your answer is larger by a factor equal to the number of "
                          f"{c.nouns}: you gave the total for all of them, but the question asks per "
                          f"{c.noun}."))
            slips.append((1 / n, "per_unit_total", f"Your answer is smaller by a factor equal to the number "
                          f"of {c.nouns}: you gave the value for one {c.noun}, but the question asks for "
                          "the total."))
    return slips


# Pairs of slips that students really make together; other products of two factors would crowd the
# ratio line so densely that almost any wrong answer looked "explained".
_PAIRABLE = {("pue_missing", "prefix"), ("pue_twice", "prefix"), ("per_unit_total", "prefix"),
             ("pue_missing", "per_unit_total"), ("pue_twice", "per_unit_total"),
             ("prefix", "hours_year"), ("prefix", "percent"), ("pue_missing", "hours_year"),
             ("per_unit_total", "hours_year")}


def _pairs(slips) -> list[tuple[float, str, str]]:
    """Two independent slips at once (e.g. PUE left out *and* kWh vs MWh)."""
    singles = [f for f, _, _ in slips]
    out = []
    for (f1, c1, m1), (f2, c2, m2) in itertools.combinations(slips, 2):
        f = f1 * f2
        if (c1, c2) not in _PAIRABLE and (c2, c1) not in _PAIRABLE:
            continue
        if any(abs(f / s - 1) < 0.03 for s in singles + [1.0]):
            continue
        out.append((f, f"{c1}+{c2}", "Two slips at once, it seems. (1) " + _strip_size(m1) + " (2) "
                    + _strip_size(m2)))
    return out


def _strip_size(message: str) -> str:
    """Drop the 'Your answer is N× too large:' lead-in of a single-slip message inside a pair."""
    head, sep, rest = message.partition(": ")
    return rest[:1].upper() + rest[1:] if sep and head.startswith("Your answer is") else message


def slip_table(ex: Exercise, specific: list) -> list[tuple[float, str, str]]:
    """Every recognisable ratio for an exercise, most specific first."""
    context = _context_slips(ex)
    generic = _generic_slips(ex)
    return specific + context + generic + _pairs(context + generic)


def explain_ratio(ratios, table, rtol: float) -> tuple[str, str] | None:
    """The (code, message) of the first slip whose ratio matches every given ratio, or None.

    ``ratios`` is answer / expected for the wrong elements; a table entry's factor may be a number or,
    for a mistake declared by its wrong value on an array answer, one factor per element.
    """
    tol = max(2 * rtol, 0.02)
    ratios = np.atleast_1d(ratios)
    for factor, code, message in table:
        factor = np.broadcast_to(np.asarray(factor, dtype=float), ratios.shape) if np.ndim(factor) == 0 \
            or np.shape(factor) == ratios.shape else None
        if factor is None:
            continue
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if np.all(np.abs(ratios / factor - 1) <= tol):
                return code, message
    return None


def _tolerance(ex: Exercise) -> str:
    return f"{ex.rtol * 100:g} %"


def compare(given, expected, ex: Exercise, table, plain: bool = False) -> Result:
    """Compare magnitudes (already in the exercise's unit) and explain a mismatch.

    ``plain`` says the answer was a bare number, read in the exercise's unit: unit slips then get a
    reminder of which unit that is.
    """
    given_arr, expected_arr = np.atleast_1d(given), np.atleast_1d(np.asarray(expected, dtype=float))
    scale = np.maximum(np.abs(expected_arr), 1e-300)
    ok = np.abs(given_arr - expected_arr) <= ex.rtol * scale + 1e-12 * (expected_arr == 0)
    if np.all(ok):
        return Result(ex.name, "correct", _correct_message(given, ex))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = given_arr / expected_arr
    if np.all(expected_arr != 0):
        found = explain_ratio(ratios, table, ex.rtol)
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
            found = explain_ratio(ratios[~ok], [(f, c, m) for f, c, m in table if np.ndim(f) == 0], ex.rtol)
            if found:
                message += f" For {which}: {found[1]}"
        return Result(ex.name, "incorrect", message + _hint_pointer(ex), "partial")
    ratio = float(ratios[0]) if expected_arr[0] != 0 else math.inf
    if 0.97 <= ratio <= 1.03:
        return Result(ex.name, "incorrect", f"Close, but not within {_tolerance(ex)}: check which input "
                      "values you used (the statement names them), and keep three significant figures "
                      "until the end." + _hint_pointer(ex), "close")
    how = "too large" if given_arr[0] > expected_arr[0] else "too small"
    return Result(ex.name, "incorrect", f"Not this one: your answer is {how}, and not by any slip checked "
                  f"here ({_checked_slips(table)}). Recheck the method." + _hint_pointer(ex), "unexplained")


_SLIP_NAMES = {"prefix": "SI prefixes", "joule_wh": "J vs Wh", "hours_year": "hours vs years",
               "percent": "percent vs fraction", "pue_missing": "the PUE", "per_unit_total": "per-unit vs total",
               "sign": "the sign"}


def _checked_slips(table) -> str:
    codes = {code for _, code, _ in table}
    names = [name for code, name in _SLIP_NAMES.items() if code in codes]
    if any(code not in _SLIP_NAMES and "+" not in code and code not in ("days_year", "hours_day", "pue_twice",
                                                                          "pue_divided") for code in codes):
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
