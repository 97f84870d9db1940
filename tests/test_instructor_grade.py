"""`energylab grade`: fresh kernel per submission, per-cell time limit, answers re-checked, CSV gradebook."""
import csv
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from energylab.exercises import load
from energylab.instructor.grade import chapter_of, find_checks, grade, grade_notebook

ROOT = Path(__file__).resolve().parents[1]
SOLVED = ROOT / "solutions" / "00_energy_accounting.ipynb"
BLANK = ROOT / "exercises" / "00_energy_accounting.ipynb"
NAMES = load("00").names


def submission(folder: Path, student: str, edit=None, source: Path = SOLVED) -> Path:
    """A copy of ``source`` in ``folder/student/``, after ``edit(notebook)``."""
    notebook = nbformat.read(source, as_version=4)
    if edit:
        edit(notebook)
    path = folder / student / source.name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def answer_cell(notebook, name):
    """Index of the code cell that checks ``name``."""
    return next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code" and f'check("{name}"' in c.source)


def test_find_checks_reads_every_check_call_of_the_solutions():
    notebook = nbformat.read(SOLVED, as_version=4)
    checks = dict(find_checks(notebook))
    assert set(checks) == set(NAMES) and checks["gpu_run_energy"] == "one_gpu_energy"
    assert chapter_of(SOLVED, notebook) == "00"
    notebook.cells.append(nbformat.v4.new_code_cell("%time x = 1\nex.check('t5_energy', 2 * x)"))
    assert ("t5_energy", "2 * x") in find_checks(notebook)


def test_solved_blank_wrong_and_broken_submissions(tmp_path):
    folder = tmp_path / "submitted"

    def wrong_and_broken(nb):
        nb.cells.insert(answer_cell(nb, "t5_energy"), nbformat.v4.new_code_cell("raise RuntimeError('oops')"))
        i = answer_cell(nb, "gpu_run_energy")
        nb.cells[i].source = 'ex.check("gpu_run_energy", one_gpu_energy * 1000)'
        i = answer_cell(nb, "datacentre_water")
        nb.cells[i].source = 'ex.check("datacentre_water", undefined_name)'

    def cheats(nb):  # printed "Correct" and a replaced checker do not count
        nb.cells.insert(1, nbformat.v4.new_code_cell("print('✅ Correct')"))
        for name in NAMES:
            nb.cells[answer_cell(nb, name)].source = (
                f"class Fake:\n    def check(self, *a):\n        return 'correct'\nFake().check({name!r}, None)")

    submission(folder, "ada")
    submission(folder, "ben", source=BLANK)
    submission(folder, "cy", wrong_and_broken)
    submission(folder, "dee", cheats)
    grades = grade([folder], tmp_path / "gradebook.csv", timeout=30)
    by = {g.student: g for g in grades}
    assert [g.student for g in grades] == ["ada", "ben", "cy", "dee"]
    assert (by["ada"].score, by["ada"].out_of, by["ada"].cell_errors) == (len(NAMES), len(NAMES), 0)
    assert by["ben"].score == 0 and set(by["ben"].statuses.values()) == {"unanswered"}
    cy = by["cy"]
    assert cy.statuses["gpu_run_energy"] == "incorrect" and cy.statuses["datacentre_water"] == "error"
    assert cy.score == len(NAMES) - 2 and cy.cell_errors == 2 and cy.timeouts == 0
    assert by["dee"].score == 0 and set(by["dee"].statuses.values()) == {"invalid"}  # None is no answer

    rows = list(csv.DictReader(open(tmp_path / "gradebook.csv")))
    assert [r["student"] for r in rows] == ["ada", "ben", "cy", "dee"]
    assert rows[2]["score"] == str(len(NAMES) - 2) and rows[2]["gpu_run_energy"] == "incorrect"
    assert list(rows[0])[:5] == ["student", "notebook", "chapter", "score", "out_of"]


def test_a_cell_past_the_time_limit_is_interrupted_and_the_rest_graded(tmp_path):
    def loops(nb):
        nb.cells.insert(answer_cell(nb, "t5_energy"), nbformat.v4.new_code_cell("while True:\n    pass"))

    g = grade_notebook(submission(tmp_path, "eve", loops), timeout=3, root=tmp_path)
    assert g.timeouts == 1 and g.cell_errors == 1 and g.score == len(NAMES), g


def test_no_state_is_shared_between_submissions(tmp_path):
    def leaves_traces(nb):
        nb.cells.insert(1, nbformat.v4.new_code_cell(
            "import os, energylab\nopen('trace.txt', 'w').write('x')\nenergylab.TRACE = 1\nos.environ['TRACE'] = '1'"))

    def looks_for_traces(nb):  # correct only in a clean kernel and folder
        i = answer_cell(nb, "gpu_run_energy")
        nb.cells[i].source = ("import os, energylab\n"
                              "leaked = os.path.exists('trace.txt') or hasattr(energylab, 'TRACE') "
                              "or 'TRACE' in os.environ\n"
                              "ex.check('gpu_run_energy', one_gpu_energy * (1000 if leaked else 1))")

    submission(tmp_path, "a_first", leaves_traces)
    submission(tmp_path, "b_second", looks_for_traces)
    first, second = grade([tmp_path], tmp_path / "g.csv", timeout=30)
    assert first.score == second.score == len(NAMES)
    assert not (tmp_path / "a_first" / "trace.txt").exists(), "submissions run in a temporary folder"


def test_bad_submissions_are_recorded_not_fatal(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "notes.ipynb").write_text("not json")
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), tmp_path / "y.ipynb")
    grades = grade([tmp_path], tmp_path / "g.csv")
    assert all(g.problem and g.score == 0 for g in grades)
    assert "cannot tell the chapter" in grades[1].problem
    with pytest.raises(FileNotFoundError, match="No such notebook or folder"):
        grade([tmp_path / "missing"], tmp_path / "g.csv")
    with pytest.raises(ValueError, match="timeout must be a whole number of seconds"):
        grade([tmp_path], tmp_path / "g.csv", timeout=0)


def test_cli(tmp_path):
    submission(tmp_path / "in", "ada")
    (tmp_path / "in" / "ada" / "00_energy_accounting.ipynb").rename(tmp_path / "in" / "00_energy_accounting-ada.ipynb")
    out = subprocess.run([sys.executable, "-m", "energylab", "grade", str(tmp_path / "in"), "-o",
                          str(tmp_path / "book.csv")], capture_output=True, text=True)
    assert out.returncode == 0 and f"{len(NAMES)}/{len(NAMES)}" in out.stdout
    assert next(csv.DictReader(open(tmp_path / "book.csv")))["student"] == "ada"
    submission(tmp_path / "in", "ada")  # a second copy, in her folder: graded, and pointed out
    again = subprocess.run([sys.executable, "-m", "energylab", "grade", str(tmp_path / "in"), "-o",
                            str(tmp_path / "book.csv")], capture_output=True, text=True)
    assert again.returncode == 0 and "ada has 2 submissions for chapter 00" in again.stderr
    bad = subprocess.run([sys.executable, "-m", "energylab", "grade", str(tmp_path / "nothing")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "No such notebook or folder" in bad.stderr and "Traceback" not in bad.stderr


def test_each_answer_is_graded_when_it_is_checked_and_the_last_check_counts(tmp_path):
    def student_habits(nb):
        i = answer_cell(nb, "gpu_run_energy")  # reuses a variable name later, and uses keywords
        nb.cells[i].source = 'answer = one_gpu_energy\nex.check(name="gpu_run_energy", answer=answer)'
        nb.cells.insert(i + 1, nbformat.v4.new_code_cell("answer = 'something else'"))
        i = answer_cell(nb, "query_assumption")  # tries every option: the last one is what is handed in
        nb.cells[i].source = "\n".join(f"ex.check('query_assumption', {k!r})" for k in "abcd")

    g = grade_notebook(submission(tmp_path, "fay", student_habits), timeout=30, root=tmp_path)
    assert g.statuses["gpu_run_energy"] == "correct"
    assert g.statuses["query_assumption"] == "incorrect" and g.score == len(NAMES) - 1


def test_a_dead_kernel_keeps_what_was_graded_before_it(tmp_path):
    def dies(nb):
        nb.cells.insert(answer_cell(nb, "gpt3_emissions"), nbformat.v4.new_code_cell("import os\nos._exit(1)"))

    g = grade_notebook(submission(tmp_path, "gil", dies), timeout=30, root=tmp_path)
    assert g.statuses["gpu_run_energy"] == "correct" and g.statuses["gpt3_emissions"] == "not checked"
    assert 0 < g.score < len(NAMES) and "kernel died" in g.problem


def test_a_cell_that_ignores_the_interrupt_has_its_kernel_stopped(tmp_path, monkeypatch):
    import energylab.instructor.grade as grading
    monkeypatch.setattr(grading, "GRACE_SECONDS", 2)

    def stubborn(nb):
        nb.cells.insert(answer_cell(nb, "t5_energy"), nbformat.v4.new_code_cell(
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)  # deaf to the interrupt\n"
            "while True:\n    pass"))

    g = grade_notebook(submission(tmp_path, "hal", stubborn), timeout=2, root=tmp_path)
    assert g.statuses["gpu_run_energy"] == "correct" and g.statuses["t5_energy"] == "not checked"
    assert "ignored the interrupt" in g.problem


def test_a_patched_checker_or_a_reference_look_up_does_not_pass_unnoticed(tmp_path):
    def patches(nb):
        nb.cells.insert(1, nbformat.v4.new_code_cell(
            "import energylab.exercises.checking as c\nc.compare = lambda *a, **k: None"))
        i = answer_cell(nb, "t5_energy")
        nb.cells[i].source = 'ex.check("t5_energy", ex.reference("t5_energy"))'

    g = grade_notebook(submission(tmp_path / "in", "ivy", patches, source=BLANK), timeout=30, root=tmp_path / "in")
    assert g.uses_reference and g.statuses["gpu_run_energy"] == "unanswered"


def test_students_are_named_by_their_folder_and_sorted(tmp_path):
    submission(tmp_path / "week6" / "zoe", "extra")  # zoe/extra/00_…: the first folder names her
    submission(tmp_path, "amy")
    grades = grade([tmp_path], tmp_path / "g.csv", timeout=30)
    assert [g.student for g in grades] == ["amy", "week6"]
    assert grade([tmp_path / "amy"], tmp_path / "h.csv", timeout=30)[0].student == "amy"


def test_output_without_a_newline_and_a_malformed_notebook_do_not_lose_grades(tmp_path):
    def chatty(nb):
        i = answer_cell(nb, "gpu_run_energy")
        nb.cells[i].source = 'ex.check("gpu_run_energy", (print("debug", end=""), one_gpu_energy)[1])'

    submission(tmp_path, "jo", chatty)
    broken = tmp_path / "kim" / "00_energy_accounting.ipynb"
    broken.parent.mkdir()
    broken.write_text('{"cells": [{"cell_type": "code", "metadata": {}}], "metadata": {}, '
                      '"nbformat": 4, "nbformat_minor": 5}')
    jo, kim = grade([tmp_path], tmp_path / "g.csv", timeout=30)
    assert jo.statuses["gpu_run_energy"] == "correct" and jo.score == len(NAMES)
    assert kim.problem and kim.score == 0 and kim.chapter == "00"
    assert "gpu_run_energy" in (tmp_path / "g.csv").read_text(encoding="utf-8").splitlines()[0]
