"""No exercise's output reveals another exercise's answer.

For every chapter, every message a student can see — correct, nearly right and wrong answers to each
exercise, each declared mistake, the open tasks' verdicts on many answers, the hints and takeaways —
is scanned for the reference value of every *other* exercise of the chapter, in its unit or any SI
multiple of it, to three significant figures.
"""
import itertools
import re

import numpy as np
import pytest

from energylab import exercises
from energylab.exercises import _in_unit

_NUMBER = re.compile(r"(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?(?:\s*×\s*10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+))?", re.IGNORECASE)
_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def numbers_in(text: str):
    """(value, significant digits) of every number written in ``text``."""
    for match in _NUMBER.finditer(text):
        written = match.group(0).split("×")[0].strip().replace(",", "")
        try:
            value = float(written)
        except ValueError:
            continue
        if match.group(1):
            value *= 10.0 ** int(match.group(1).translate(_SUPERSCRIPT))
        mantissa = written.lower().split("e")[0].lstrip("-").replace(".", "").lstrip("0")
        yield value, len(mantissa.rstrip("0")) if "." not in written else len(mantissa)


def reveals(text: str, value: float) -> bool:
    """Whether ``text`` writes ``value`` (or an SI multiple of it) to at least three significant figures."""
    if value == 0:
        return False
    for written, digits in numbers_in(text):
        if digits < 3 or written == 0:
            continue
        for k in range(-8, 9):  # the value rounded as the text rounds it, in any SI multiple
            target = float(f"{abs(value) * 10.0 ** (3 * k):.{digits}g}")
            if abs(abs(written) / target - 1) < 1e-9:
                return True
    return False


def task_answers(chapter, name):
    """Answers a class would try on each open task: the reference and a spread of others."""
    ex = exercises.load(chapter)
    answers = [ex.reference(name)]
    if name == "site_task":
        from energylab import cooling
        answers += list(itertools.product(cooling.CLIMATES, cooling.DESIGNS))
    elif name == "tiling_task":
        answers += [1, 2, 8, 16, 32, 64, 100, 10_000]
    elif name == "sledgehammer_task":
        from energylab.exercises import ch02
        r = ch02._rightsizing()
        answers += [(w, b, n) for w in r.WIDTHS for b in r.GRID_BITS for n in (1, 16)]
    return answers


def messages(chapter):
    """(where, text) of everything a student can see in one chapter's exercises."""
    ex = exercises.load(chapter)
    out = []
    for name in ex.names:
        spec = ex.spec(name)
        out += [(f"{name} hint {i}", spec.hint_text(i)) for i in range(1, len(spec.hints) + 1)]
        out.append((f"{name} takeaway", spec.takeaway_text()))
        if spec.kind == "quantity":
            right = np.asarray(_in_unit(ex.reference(name), spec.unit), dtype=float)
            tries = [right * f for f in (1, 1.003, 0.98, 1.1, 0.5, 2, 1e3, 1e-3, 3600, -1)]
            tries += [_in_unit(wrong, spec.unit) for _, wrong in ex.mistakes(name)]
            for answer in tries:
                answer = np.asarray(answer, dtype=float)
                given = answer.tolist() if answer.ndim else float(answer)
                out.append((f"{name} answer", ex.check(name, given).message))
        elif spec.kind == "task":
            out += [(f"{name} {answer!r:.40}", ex.check(name, answer).message)
                    for answer in task_answers(chapter, name)]
        elif spec.kind == "choice":
            out += [(f"{name} {key}", ex.check(name, key).message) for key in spec.choices]
    return out


@pytest.mark.parametrize("chapter", exercises.chapters())
def test_no_output_reveals_another_exercises_answer(chapter):
    ex = exercises.load(chapter)
    answers = {}
    for name in ex.names:
        spec = ex.spec(name)
        if spec.kind == "quantity":
            answers[name] = np.atleast_1d(_in_unit(ex.reference(name), spec.unit)).astype(float)
    leaks = []
    for where, text in messages(chapter):
        source = where.split(" ")[0]
        for name, values in answers.items():
            if name != source and any(reveals(text, v) for v in values):
                leaks.append(f"{where} shows {name}'s answer: {text[:160]!r}")
    assert not leaks, "\n".join(leaks)


def test_the_scan_finds_a_planted_leak():
    assert reveals("annual PUE 1.536 (limit 1.15)", 1.5362)
    assert reveals("about 5,440 homes", 5440.2)
    assert reveals("2.10 × 10¹⁵ FLOP", 2.1e15)
    assert reveals("a 61.3 TWh year", 61.3e9)        # the same value in another SI multiple
    assert not reveals("limit 1.15", 1.5362)
    assert not reveals("about 4 days", 4.0)             # fewer than three significant figures
