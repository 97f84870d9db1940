"""What an exercise notebook promises about tolerances, written from the specs so it is never typed.

Each exercise's statement opens with a line ``*Objective 4* · exercise `homes_heated```; :func:`stamp`
appends how close an answer must be (``· accepted within 1 %``), from the exercise's ``rtol``, and
rewrites the notebook's "how to work" bullet on significant figures with the chapter's range of
tolerances. ``energylab assign`` stamps the solutions notebook (the single source) before it writes the
exercises, and a test checks that every tolerance a notebook promises is the one its check applies.
"""
from __future__ import annotations

import re

from .spec import significant_percent

__all__ = ["tolerance_note", "header_bullet", "stamp", "promised_tolerances"]

_EXERCISE_LINE = re.compile(r"^(?P<head>\*Objective [^*\n]+\* · exercise `(?P<name>\w+)`)(?: · [^\n]*)?$",
                            re.MULTILINE)
# The bullet of the "How to work" list on precision: from its first line to the next bullet or the end.
_HEADER_BULLET = re.compile(r"^- Keep at least three significant figures[^\n]*(?:\n(?!- |\n)[^\n]*)*", re.MULTILINE)
_WITHIN = re.compile(r"within (\d+(?:\.\d+)?) ?%")


def tolerance_note(spec) -> str:
    """How the statement says an answer is judged, e.g. "accepted within 1 %"."""
    if spec.kind == "quantity":
        return f"accepted {spec.tolerance_text()}"
    if spec.kind == "function":
        return f"each test case accepted {spec.tolerance_text()}"
    if spec.kind == "choice":
        return "one of the options"
    return "graded against the targets stated below"


def header_bullet(exercises) -> str:
    """The notebook's bullet on precision, with the chapter's tolerances from its specs."""
    tolerances = sorted({exercises.spec(n).rtol for n in exercises.names
                         if exercises.spec(n).kind in ("quantity", "function")})
    if not tolerances:
        return "- Each exercise says how its answer is judged."
    span = significant_percent(tolerances[0]) if len(tolerances) == 1 else \
        f"{significant_percent(tolerances[0])[:-2]} to {significant_percent(tolerances[-1])}"
    return ("- Keep at least three significant figures until the end. Each exercise states how close an "
            f"answer must be: within {span} in this chapter, set by how precisely its inputs are known.")


def stamp(nb, exercises) -> bool:
    """Write the tolerance notes and the header bullet into a notebook's markdown; True if it changed."""
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        source = _EXERCISE_LINE.sub(lambda m: _stamped(m, exercises), cell.source)
        source = _HEADER_BULLET.sub(lambda m: header_bullet(exercises), source)
        if source != cell.source:
            cell.source, changed = source, True
    return changed


def _stamped(match, exercises) -> str:
    name = match["name"]
    if name not in exercises.names:
        raise ValueError(f"the statement names exercise {name!r}, which chapter {exercises.chapter} does not have")
    return f"{match['head']} · {tolerance_note(exercises.spec(name))}"


def promised_tolerances(nb) -> list[tuple[str, float]]:
    """Every ``within N %`` in a notebook's markdown, as (the line, N as a fraction)."""
    found = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                found += [(line, float(n) / 100) for n in _WITHIN.findall(line)]
    return found
