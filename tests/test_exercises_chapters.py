"""Every chapter's exercises, through the same engine: what each student-facing promise means.

- the reference answer is correct, as a quantity, as a plain number and within tolerance;
- each declared misconception is recognised and named by its own message;
- `...` is "unanswered"; bad input is "invalid" with a plain message, never a traceback;
- a wrong answer's message never shows the expected value.
"""
import re

import numpy as np
import pytest

from energylab import exercises
from energylab.units import fmt

CHAPTERS = exercises.chapters()
SPECS = [(c, n) for c in CHAPTERS for n in exercises.load(c).names]
IDS = [f"{c}:{n}" for c, n in SPECS]

_sets = {}


def ex_for(chapter):
    if chapter not in _sets:
        _sets[chapter] = exercises.load(chapter)
    return _sets[chapter]


def test_every_chapter_has_at_least_eight_exercises_covering_its_objectives():
    for chapter in CHAPTERS:
        module = __import__(f"energylab.exercises.ch{chapter}", fromlist=["EXERCISES"])
        objectives = {v for k, v in vars(module).items() if k.startswith("OBJ_")}
        ex = ex_for(chapter)
        assert len(ex) >= 8
        assert objectives == {ex.spec(n).objective for n in ex.names}, "each objective needs an exercise"


@pytest.mark.parametrize("chapter, name", SPECS, ids=IDS)
def test_reference_answer_is_correct(chapter, name):
    ex = ex_for(chapter)
    spec, answer = ex.spec(name), ex.reference(name)
    if spec.kind == "quantity":
        assert ex.check(name, answer).correct
        assert ex.check(name, answer.magnitude).correct
        assert ex.check(name, answer * (1 + spec.rtol / 2)).correct
        assert np.all(np.isfinite(np.atleast_1d(answer.magnitude)))
    elif spec.kind == "choice":
        assert ex.check(name, answer.upper()).correct
    else:
        assert ex.check(name, answer).correct


@pytest.mark.parametrize("chapter, name", SPECS, ids=IDS)
def test_declared_misconceptions_are_recognised(chapter, name):
    ex = ex_for(chapter)
    for code, wrong in ex.mistakes(name):
        result = ex.check(name, wrong)
        assert result.status == "incorrect", (code, result)
        assert code in result.misconception.split("|"), (code, result.message)


@pytest.mark.parametrize("chapter, name", SPECS, ids=IDS)
def test_declared_misconceptions_are_distinguishable_from_near_misses(chapter, name):
    """A mistake whose wrong value lies within twice the tolerance of the right one can never be named
    (it would misdiagnose near misses): such a declaration is dead and must go."""
    from energylab.exercises import _in_unit
    from energylab.exercises.checking import close_band
    ex = ex_for(chapter)
    spec = ex.spec(name)
    if spec.kind != "quantity":
        return
    expected = np.atleast_1d(_in_unit(ex.reference(name), spec.unit))
    for code, wrong in ex.mistakes(name):
        ratio = np.atleast_1d(_in_unit(wrong, spec.unit)) / expected
        assert np.any(np.abs(ratio - 1) > close_band(spec)), (code, ratio)


@pytest.mark.parametrize("chapter, name", SPECS, ids=IDS)
def test_unanswered_and_bad_input(chapter, name):
    ex = ex_for(chapter)
    assert ex.check(name, ...).status == "unanswered"
    for bad in (None, float("nan"), float("inf"), "12 kWh", True, object(), {"a": 1}, 2 + 3j):
        result = ex.check(name, bad)
        assert result.status == "invalid", (bad, result)
        assert result.message and "Traceback" not in result.message


def _shown_forms(value):
    value = abs(float(value))
    return {fmt(value, sig=s) for s in (2, 3, 4)} | {f"{value:.3g}", f"{value:g}"}


@pytest.mark.parametrize("chapter, name", SPECS, ids=IDS)
def test_wrong_answers_never_reveal_the_expected_value(chapter, name):
    ex = ex_for(chapter)
    if ex.spec(name).kind != "quantity":
        return
    ref = np.atleast_1d(ex.reference(name).magnitude)
    for factor in (1e3, 3600, 1.02, 1.05, 2.7, 1 / 1.1, -1, 0.01, 6, 1 / 3):
        answer = ref * factor if ref.size > 1 else ref[0] * factor
        message = ex.check(name, answer).message
        for value in ref:
            for shown in _shown_forms(value):
                assert not re.search(rf"(?<![\d.,]){re.escape(shown)}(?![\d])", message), (shown, message)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_hints_are_text(chapter):
    ex = ex_for(chapter)
    for name in ex.names:
        for number in range(1, len(ex.spec(name).hints) + 1):
            assert isinstance(ex.spec(name).hint_text(number), str)
        assert isinstance(ex.spec(name).takeaway_text(), str)
