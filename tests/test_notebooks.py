"""Notebook anatomy (DESIGN.md): what every chapter, solutions and exercises notebook must contain.

nbval re-runs the notebooks and compares the marked cells; these tests check what nbval cannot:
that the parts a student relies on are there, and that stored outputs tell the truth.
"""
import re
from pathlib import Path

import nbformat
import pytest

from energylab import exercises

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
ALL = CHAPTERS + SOLUTIONS + sorted((ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))


def read(path):
    return nbformat.read(path, as_version=4)


def text_of(nb, kind):
    return "\n".join(c.source for c in nb.cells if c.cell_type == kind)


def outputs_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(out["text"])
        parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join(parts)


def test_chapter_00_exists():
    assert [p.name for p in CHAPTERS][:1] == ["00_energy_accounting.ipynb"]
    assert [p.name for p in SOLUTIONS][:1] == ["00_energy_accounting.ipynb"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_executed_without_errors(path):
    nb = read(path)
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    assert code, "a notebook without code"
    assert not [c for c in code if any(o.get("output_type") == "error" for o in c.outputs)]
    assert all(c.execution_count is not None for c in code), "commit notebooks executed (energylab run)"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"


@pytest.mark.parametrize("path", ALL, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_one_setup_cell_first(path):
    code = [c for c in read(path).cells if c.cell_type == "code"]
    assert "setup(" in code[0].source and sum("setup(" in c.source for c in code) == 1


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_anatomy(path):
    nb = read(path)
    markdown = text_of(nb, "markdown")
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert re.search(r"learning objectives", markdown, re.I)
    assert re.search(r"\b\d{2}\s*(–|-|to)\s*\d{2}\s*min", markdown), "estimated time, e.g. 45–60 min"
    assert re.search(r"prerequisite", markdown, re.I)
    assert re.search(r"^#+ .*summary", markdown, re.I | re.M)
    assert "references()" in text_of(nb, "code"), "references generated from the sources used"
    chapter = path.name[:2]
    if chapter in exercises.chapters():
        for name in exercises.load(chapter).names:
            assert name in markdown, f"the lesson should point to exercise {name}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_figures_have_alt_text(path):
    for cell in read(path).cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/png" in data:
                assert data.get("text/plain", "").startswith("Figure"), "every figure needs alt text"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solutions_check_every_exercise_and_store_correct(path):
    nb = read(path)
    ex = exercises.load(path.name[:2])
    checked = {}
    for cell in nb.cells:
        match = re.search(r'ex\.check\("(\w+)"', cell.source)
        if match:
            assert cell.source.startswith("# NBVAL_CHECK_OUTPUT"), "check cells are compared by nbval"
            checked[match[1]] = outputs_text(cell)
    assert list(checked) == ex.names, "one check cell per exercise, in the order of the spec"
    for name, shown in checked.items():
        assert "Correct" in shown, f"{name}: the solution's stored check must be correct"
    assert f"{len(ex)} of {len(ex)} exercises correct" in "".join(outputs_text(c) for c in nb.cells)
