"""One checker per kind of answer, looked up in a registry: a new kind is declared, never patched in.

A checker is a function ``check(exercises, spec, answer) -> Result``; it may raise
:class:`~.checking._Verdict` to stop with a finished result (invalid, unanswered). The built-in kinds are
``"quantity"``, ``"choice"``, ``"function"`` and ``"task"``; a chapter that needs another registers it::

    from energylab.exercises.checks import checker

    @checker("circuit")
    def check_circuit(exercises, spec, answer):
        ...

Function-type answers are the student's own code: each call gets deep copies of the test inputs (so a
function that edits its arguments cannot change the expected values, which are computed first from
pristine inputs) and at most :data:`FUNCTION_TIME_LIMIT` seconds.
"""
from __future__ import annotations

import copy
import signal
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from ..units import is_quantity
from .checking import _Verdict, compare, read_answer
from .results import Result

__all__ = ["CHECKERS", "checker", "FUNCTION_TIME_LIMIT"]

CHECKERS: dict[str, Callable] = {}

FUNCTION_TIME_LIMIT = 2.0
"""Seconds one call of a student's function may take (in s): every test case is a small computation."""


def checker(kind: str):
    """Register ``check(exercises, spec, answer) -> Result`` as the checker of answers of ``kind``."""
    if not (isinstance(kind, str) and kind.isidentifier()):
        raise ValueError(f"kind must be a name such as 'quantity'; got {kind!r}.")

    def register(function):
        CHECKERS[kind] = function
        return function
    return register


@checker("quantity")
def check_quantity(exercises, spec, answer) -> Result:
    given = read_answer(answer, spec)
    expected = exercises._expected_value(spec)
    result = _unitless_percent(spec, answer, given, expected)
    if result is None:  # (a Result is falsy unless correct: test for None, not truth)
        result = compare(given, expected, spec, exercises._table(spec), plain=not is_quantity(answer),
                         accepted=exercises._accepted(spec))
    return result


@checker("choice")
def check_choice(exercises, spec, answer) -> Result:
    options = ", ".join(repr(k) for k in spec.choices)
    if answer is Ellipsis:
        raise _Verdict("unanswered", f"Replace `...` with one of {options}, then run the cell again.")
    if not isinstance(answer, str) or answer.strip().lower() not in {k.lower() for k in spec.choices}:
        shown = f"{answer!r:.40}" if isinstance(answer, (str, int, float)) else f"a {type(answer).__name__}"
        raise _Verdict("invalid", f"Answer with one of the options {options} (as text, in quotes); "
                       f"got {shown}.", "not_an_option")
    chosen = answer.strip().lower()
    expected = str(exercises._expected_value(spec)).lower()
    if chosen == expected:
        return Result(spec.name, "correct", spec.takeaway_text() or "That is the one.")
    why = {k.lower(): v for k, v in spec.choices.items()}[chosen]
    return Result(spec.name, "incorrect", f"Not {chosen!r}. {why} Stuck? ex.hint(\"{spec.name}\").",
                  "wrong_option")


@checker("task")
def check_task(exercises, spec, answer) -> Result:
    if answer is Ellipsis:
        raise _Verdict("unanswered", "Replace `...` with your answer, then run the cell again.")
    try:
        status, message, *code = spec.grade(answer)
    except (TypeError, ValueError) as error:
        raise _Verdict("invalid", str(error), "task_form") from None
    if status not in ("correct", "incorrect"):
        raise RuntimeError(f"grade() of {spec.name!r} returned status {status!r}")
    if status == "correct":
        message = f"{message} {spec.takeaway_text()}".strip()
    else:
        message += f" Stuck? ex.hint(\"{spec.name}\")."
    return Result(spec.name, status, message, code[0] if code else "")


@checker("function")
def check_function(exercises, spec, function) -> Result:
    if function is Ellipsis:
        raise _Verdict("unanswered", "Write the function, then replace `...` with its name (without "
                       "brackets) and run the cell again.")
    if not callable(function):
        raise _Verdict("invalid", f"Pass your function itself (its name without brackets); got a "
                       f"{type(function).__name__}.", "not_callable")
    if _is_stub(function):
        raise _Verdict("unanswered", "Your function's body is still `...`: write it, then run the cell "
                       "that defines it and this one again.")
    for case in spec.cases:
        # The expected value first, from the pristine case: the student's call cannot move the target.
        expected, table = exercises._function_case(spec, case)
        arguments = copy.deepcopy(list(case.values()))
        try:
            with time_limit(FUNCTION_TIME_LIMIT):
                returned = function(*arguments)  # by position: students name parameters freely
        except _TimeLimitReached:
            raise _Verdict("invalid", f"Your function took more than {FUNCTION_TIME_LIMIT:g} s on "
                           f"{_case_text(case)}, so it was stopped: look for a loop that never ends or a "
                           "wait.", "too_slow") from None
        except Exception as error:
            raise _Verdict("invalid", f"Your function raised {type(error).__name__} ({error}) when "
                           f"called with {_case_text(case)}.", "raised") from None
        if returned is None:
            raise _Verdict("invalid", f"Your function returned nothing (None) for {_case_text(case)}: "
                           "end it with `return`, not `print`.", "none")
        result = compare(read_answer(returned, spec), expected, spec, table, plain=not is_quantity(returned))
        if not result.correct:
            return Result(spec.name, "incorrect", f"With {_case_text(case)}: {result.message}",
                          result.misconception)
    return Result(spec.name, "correct", f"Your function gives the right result in all {len(spec.cases)} "
                  f"test cases. {spec.takeaway_text()}".strip())


# --- helpers -----------------------------------------------------------------------------------------


class _TimeLimitReached(BaseException):
    """Raised inside a student's function when its time is up.

    A BaseException, so that a student's ``except Exception`` cannot swallow it and run on.
    """


@contextmanager
def time_limit(seconds: float):
    """Stop the enclosed code after ``seconds`` (in s) by raising :class:`_TimeLimitReached`.

    Uses the real-time interval timer (SIGALRM), which only the main thread may set; elsewhere (or
    where the platform has no such timer) the code runs without a limit. Any timer and handler set
    before are restored afterwards, the timer with the time it had left.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum, frame):
        raise _TimeLimitReached

    previous_handler = signal.signal(signal.SIGALRM, stop)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay > 0:
            left = max(previous_delay - (time.monotonic() - started), 1e-3)
            signal.setitimer(signal.ITIMER_REAL, left, previous_interval)


def _case_text(case: dict) -> str:
    from ..units import fmt
    return ", ".join(f"{k}={fmt(v, sig=4) if is_quantity(v) else repr(v)}" for k, v in case.items())


def _unitless_percent(spec, answer, given, expected):
    """A unitless pint quantity 100× a percent answer: pint read 49 as 4,900 %, say so plainly."""
    import numpy as np
    if spec.unit != "percent" or not is_quantity(answer) or not answer.unitless:
        return None
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.atleast_1d(given) / np.atleast_1d(expected)
    if np.all(np.abs(ratio / 100 - 1) <= max(2 * spec.rtol, 0.02)):
        return Result(spec.name, "incorrect", "Your number is right, but it is a quantity without a unit, which "
                      "pint reads as a fraction: 49 becomes 4,900 %. Give the fraction with .to(u.percent), "
                      "or pass the plain number (.magnitude).", "unitless_percent")
    return None


def _empty():
    ...


def _is_stub(function) -> bool:
    """True for a function whose body does nothing (``...`` or ``pass``): not attempted yet."""
    code = getattr(function, "__code__", None)
    return code is not None and code.co_code == _empty.__code__.co_code and not code.co_names
