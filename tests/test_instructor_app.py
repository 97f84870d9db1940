"""`energylab app`: a chapter's explorers as a standalone notebook for Voilà (served in test_browser)."""
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from energylab.instructor.app import chapter_path, explorer_app, explorer_cells, write_app
from energylab.instructor.kernels import execute

from helpers import WIDGET_VIEW

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb"))


def shown_explorers(path):
    """Sources of the stored chapter's cells whose output is a live explorer."""
    cells = json.loads(path.read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"
            and any(WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", []))]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_the_app_holds_exactly_the_explorers_the_chapter_shows(chapter):
    found = explorer_cells(nbformat.read(chapter, as_version=4))
    assert [source for _, source in found] == shown_explorers(chapter)
    assert all(heading for heading, _ in found), "each explorer sits under a section heading"
    app = explorer_app(chapter)
    assert app.cells[0].source.startswith("# Explorers · Chapter ")
    assert f'setup("{chapter.name[:2]}")' in app.cells[1].source


def test_an_app_runs_and_shows_its_explorers(tmp_path):
    app = execute(explorer_app(CHAPTERS[0]), cwd=tmp_path, name="app")
    texts = ["".join(o["data"]["text/plain"]) for c in app.cells if c.cell_type == "code"
             for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
    assert len(texts) == len(shown_explorers(CHAPTERS[0])) and all(t.startswith("Figure: ") for t in texts)


def test_a_chapter_with_no_explorer_has_no_app(tmp_path):
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Chapter 99 · Nothing"),
                                            nbformat.v4.new_code_cell("from energylab.explore import Slider\n1 + 1")])
    nbformat.write(plain, tmp_path / "99_nothing.ipynb")
    with pytest.raises(ValueError, match="shows no explorer"):
        explorer_app(tmp_path / "99_nothing.ipynb")


def test_chapter_names_and_bad_names(tmp_path):
    chapters = ROOT / "chapters"
    assert chapter_path("06", chapters).name == chapter_path("6", chapters).name == "06_cooling.ipynb"
    assert chapter_path("06_cooling.ipynb", chapters).name == "06_cooling.ipynb"
    with pytest.raises(FileNotFoundError, match="give --chapters"):
        chapter_path("06", tmp_path)
    assert chapter_path("06_cool", chapters) == chapter_path(str(chapters / "06_cooling.ipynb"))
    with pytest.raises(FileNotFoundError, match="No single chapter matches '9'.*00_energy_accounting"):
        chapter_path("9", chapters)
    written = write_app("03", tmp_path / "apps", chapters)
    assert written == tmp_path / "apps" / "03_digital_chips.ipynb" and written.is_file()


def test_cli_writes_the_app_and_names_a_missing_chapter(tmp_path):
    run = [sys.executable, "-m", "energylab", "app", "--chapters", str(ROOT / "chapters"), "--apps", str(tmp_path)]
    ok = subprocess.run(run + ["00", "--no-serve"], capture_output=True, text=True)
    assert ok.returncode == 0 and (tmp_path / "00_energy_accounting.ipynb").is_file()
    bad = subprocess.run(run + ["08", "--no-serve"], capture_output=True, text=True)  # no such chapter
    assert bad.returncode == 2 and "No single chapter matches '08'" in bad.stderr and "Traceback" not in bad.stderr
