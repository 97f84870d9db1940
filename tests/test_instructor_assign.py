"""Single source: exercises/ is generated from solutions/ and must stay in step."""
from pathlib import Path

import nbformat
import pytest

from energylab.instructor.assign import MarkerError, assign, blank_code, blank_markdown
from energylab.instructor.kernels import merge_streams

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))


def test_solution_line_keeps_its_left_hand_side():
    assert blank_code("x = 3 * u.kWh  # SOLUTION") == "x = ..."
    assert blank_code("    total: float = a + b # SOLUTION") == "    total: float = ..."
    assert blank_code("a, b = 1, 2  # SOLUTION") == "a, b = ..."
    assert blank_code("ok = a == b  # SOLUTION") == "ok = ..."


def test_solution_block_becomes_placeholder_at_its_indentation():
    source = "def f(x):\n    # BEGIN SOLUTION\n    y = 2 * x\n    return y\n    # END SOLUTION\nprint(1)"
    assert blank_code(source) == "def f(x):\n    # YOUR CODE HERE\n    ...\nprint(1)"


def test_other_lines_are_untouched():
    source = "ex.check('a', a)\n# a comment about SOLUTIONS in general\nb = 2"
    assert blank_code(source) == source


@pytest.mark.parametrize("bad", ["# BEGIN SOLUTION\nx = 1", "x = 1\n# END SOLUTION", "print(3)  # SOLUTION"])
def test_broken_markers_are_reported(bad):
    with pytest.raises(MarkerError):
        blank_code(bad)


def test_markdown_solution_is_dropped():
    text = "Question?\n<!-- BEGIN SOLUTION -->\n**Answer:** 42\n<!-- END SOLUTION -->\nNext."
    assert blank_markdown(text) == "Question?\nNext."


def test_there_are_solutions_notebooks():
    assert SOLUTIONS, "solutions/ must hold at least one NN_*.ipynb"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_exercise_notebooks_are_in_sync_with_solutions(tmp_path, path):
    assign(ROOT / "solutions", tmp_path, names=[path.name], run=False)
    fresh = nbformat.read(tmp_path / path.name, as_version=4)
    committed_path = ROOT / "exercises" / path.name
    assert committed_path.exists(), f"exercises/{path.name} is missing: run `make exercises`"
    committed = nbformat.read(committed_path, as_version=4)
    fresh_cells = [(c.cell_type, c.source) for c in fresh.cells]
    committed_cells = [(c.cell_type, c.source) for c in committed.cells]
    assert fresh_cells == committed_cells, f"exercises/{path.name} is out of date: run `make exercises`"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_exercise_notebooks_hold_no_solutions(path):
    exercise = nbformat.read(ROOT / "exercises" / path.name, as_version=4)
    text = "\n".join(c.source for c in exercise.cells)
    assert "SOLUTION" not in text
    checks = [c for c in exercise.cells if c.cell_type == "code" and "ex.check(" in c.source]
    assert checks, "an exercise notebook must have check cells"
    for cell in checks:
        shown = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        assert "Not attempted" in shown, "a blank exercise notebook must show 'not attempted'"


def test_run_reports_a_failing_cell_plainly(tmp_path, capsys):
    from energylab.instructor.cli import main
    path = tmp_path / "broken.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1 / 0")],
                                            metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                     "display_name": "Python 3"}}), path)
    assert main(["run", str(path)]) == 1
    err = capsys.readouterr().err
    assert "ZeroDivisionError" in err and "broken.ipynb" in err and "Traceback" not in err
    assert main(["run", str(tmp_path / "missing.ipynb")]) == 2


def test_run_and_assign_name_the_failing_cell_a_timeout_and_unknown_chapters(tmp_path):
    import subprocess
    import sys

    import nbformat
    bad = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1\n1 / 0")])
    nbformat.write(bad, tmp_path / "bad.ipynb")
    slow = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(30)")])
    nbformat.write(slow, tmp_path / "slow.ipynb")
    energylab = [sys.executable, "-m", "energylab"]
    out = subprocess.run(energylab + ["run", str(tmp_path / "bad.ipynb")], capture_output=True, text=True)
    assert out.returncode == 1 and "it begins 'x = 1'" in out.stderr
    out = subprocess.run(energylab + ["run", "--timeout", "2", str(tmp_path / "slow.ipynb")],
                         capture_output=True, text=True)
    assert out.returncode == 1 and "past the time limit of 2 s" in out.stderr and "Traceback" not in out.stderr
    out = subprocess.run(energylab + ["assign", "99", "--no-execute", "--exercises", str(tmp_path)],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "No solutions notebook matches 99" in out.stderr


def test_merge_streams_joins_neighbours_of_one_name_only():
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    def stream(name, text):
        return new_output("stream", name=name, text=text)

    shown = new_output("execute_result", data={"text/plain": "42"}, execution_count=1)
    cell = new_code_cell("...", outputs=[stream("stdout", "9,500 samples"), stream("stdout", "\n"),
                                         stream("stdout", "Targets: 87%\n"), stream("stderr", "careful\n"),
                                         stream("stderr", "twice\n"), stream("stdout", "after the warning\n"),
                                         shown, stream("stdout", "after the value\n"),
                                         stream("stdout", "loading 10%\rloading 100%\n")])
    nb = new_notebook(cells=[new_markdown_cell("# Title"), cell, new_code_cell("pass")])
    assert merge_streams(nb) is nb
    outputs = nb.cells[1].outputs
    assert [(o.output_type, o.get("name")) for o in outputs] == [
        ("stream", "stdout"), ("stream", "stderr"), ("stream", "stdout"), ("execute_result", None),
        ("stream", "stdout")]
    assert outputs[0].text == "9,500 samples\nTargets: 87%\n"
    assert outputs[1].text == "careful\ntwice\n"
    assert outputs[2].text == "after the warning\n"
    assert outputs[3].data == {"text/plain": "42"}
    assert outputs[4].text == "after the value\nloading 100%\n"  # a carriage return overwrites its line
    assert nb.cells[0].source == "# Title" and nb.cells[2].outputs == []


def test_assign_writes_the_same_bytes_on_every_run(tmp_path):
    # Chapter 01 prints two lines with a slow computation between them: two stream chunks unless merged.
    name = "01_training_and_data.ipynb"
    first, second = (assign(ROOT / "solutions", tmp_path / run, names=["01"])[0] for run in ("a", "b"))
    assert first.name == second.name == name
    assert first.read_bytes() == second.read_bytes(), "exercises differ between two runs of assign"
    for cell in nbformat.read(first, as_version=4).cells:
        outputs = cell.get("outputs", [])
        for before, after in zip(outputs, outputs[1:]):
            assert not (before.output_type == after.output_type == "stream" and before.name == after.name), \
                f"unmerged stream outputs in {cell.source[:60]!r}"
