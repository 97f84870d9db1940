"""What a notebook's prose points to exists: chapters, linked files, claims, ids in backticks.

A student cannot follow "chapter 09", a link to a missing file, "claim 14" when the chapter never numbers its
claims, or an id in backticks that is neither a registry fact, an exercise nor a name in ``energylab``; nor should
the prose cite the internal row ids of the course's fact sheets.
"""
from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import nbformat
import pytest

from energylab import exercises, sources

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for folder in ("chapters", "solutions", "exercises")
                   for p in (ROOT / folder).glob("[0-9][0-9]_*.ipynb"))
CHAPTERS = {p.name[:2] for p in (ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")}
_CHAPTER_REF = re.compile(r"\b[Cc]hapters? ((?:\d{2}(?:\s*(?:–|-|,|and|or|to)\s*)?)+)")
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
_ID = re.compile(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`")
_CLAIM = re.compile(r"\b[Cc]laims? (\d+)\b")
_ROW_ID = re.compile(r"\bfacts? sheets?,? (?:row )?[A-F]\d+|\b(?:econ|chips)-[A-Z]?\d+[a-z]?\b")


def markdown(path: Path) -> list[str]:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


@lru_cache(maxsize=1)
def known_names() -> frozenset:
    """Facts, exercises, and every name, attribute, argument or short string in the package's source."""
    names = set(sources.all_facts())
    names |= {n for chapter in exercises.chapters() for n in exercises.load(chapter).names}
    for path in (ROOT / "energylab").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) < 60:
                names.add(node.value)
    return frozenset(names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_chapters_and_links_exist(path):
    for text in markdown(path):
        for match in _CHAPTER_REF.finditer(text):
            missing = [n for n in re.findall(r"\d{2}", match.group(1)) if n not in CHAPTERS]
            assert not missing, f"refers to chapter {missing[0]}, which does not exist: {match.group(0)!r}"
        for match in _LINK.finditer(text):
            target = match.group(1)
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (path.parent / target).exists(), f"links to {target}, which does not exist"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_ids_in_backticks_exist(path):
    unknown = sorted({m.group(1) for text in markdown(path) for m in _ID.finditer(text)} - known_names())
    assert not unknown, f"names in backticks that are neither facts, exercises nor energylab names: {unknown}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_internal_row_ids(path):
    found = [m.group(0) for text in markdown(path) for m in _ROW_ID.finditer(text)]
    assert not found, f"cites the fact sheets' internal row ids, which a student cannot see: {found}"


@pytest.mark.parametrize("path", sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.name)
def test_claims_cited_by_number_are_numbered_in_the_opening(path):
    cells = markdown(path)
    numbered = set(re.findall(r"\*Claim (\d+)\.\*", cells[0]))
    cited = {n for text in cells for n in _CLAIM.findall(text)}
    assert cited <= numbered, f"cites claims {sorted(cited - numbered)} that the opening cell does not number"


def test_the_scan_finds_planted_mistakes(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "See chapter 09, [this](missing.ipynb), `no_such_fact_anywhere`, facts sheet D14 and claim 99.")])
    path = tmp_path / "99_planted.ipynb"
    nbformat.write(nb, path)
    text = markdown(path)[0]
    assert [n for m in _CHAPTER_REF.finditer(text) for n in re.findall(r"\d{2}", m.group(1))] == ["09"]
    assert not (tmp_path / _LINK.search(text).group(1)).exists()
    assert "no_such_fact_anywhere" not in known_names()
    assert _ROW_ID.search(text) and _CLAIM.findall(text) == ["99"]
