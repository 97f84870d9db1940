"""Grade a folder of submitted exercise notebooks into a CSV gradebook (``energylab grade``).

Each submission runs top to bottom in a fresh kernel, in a temporary folder of its own (no state is
shared between students), with a time limit per cell: a cell that raises is recorded and the rest
still run; a cell that runs past the limit is interrupted and the rest still run. Then the grader
re-checks every answer the student submitted — the expression in each ``ex.check("name", answer)``
call — against a freshly loaded exercise set, so printed output, edited check cells or a replaced
``ex`` do not change the grade. One row per submission: a point per correct exercise.

Functions
---------
find_checks(notebook)
    The ``(exercise, answer expression)`` pairs of a notebook's ``ex.check`` calls.
grade_notebook(path, timeout=60)
    Run and grade one submission: a :class:`Grade`.
grade(paths, gradebook, timeout=60)
    Grade many and write the CSV gradebook.
"""
from __future__ import annotations

import ast
import csv
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Grade", "find_checks", "chapter_of", "grade_notebook", "grade", "submissions"]

_MARKER = "ENERGYLAB-GRADES:"
_LOAD = re.compile(r"""exercises\s*\.\s*load\(\s*["'](\d\d)["']""")


@dataclass
class Grade:
    """The grade of one submission.

    Attributes
    ----------
    student : str
        Who submitted it (the sub-folder's name, else the file's name without the chapter).
    path : Path
        The submitted notebook.
    chapter : str
        Two-digit chapter number.
    statuses : dict
        Exercise name → ``correct`` / ``incorrect`` / ``invalid`` / ``unanswered`` / ``missing`` (no
        check call for it in the notebook) / ``error`` (its answer expression raised).
    cell_errors : int
        Cells that raised, including those interrupted at the time limit.
    timeouts : int
        Cells interrupted at the time limit.
    problem : str
        Why the submission could not be graded at all (empty when it was).
    """
    student: str
    path: Path
    chapter: str = ""
    statuses: dict = field(default_factory=dict)
    cell_errors: int = 0
    timeouts: int = 0
    problem: str = ""

    @property
    def score(self) -> int:
        return sum(status == "correct" for status in self.statuses.values())

    @property
    def out_of(self) -> int:
        return len(self.statuses)


def find_checks(notebook) -> list[tuple[str, str]]:
    """Every ``<anything>.check("name", answer)`` call in the code cells, as ``(name, answer source)``.

    Cells that are not valid Python (after IPython's ``%magic`` syntax is translated) are skipped.
    """
    from IPython.core.inputtransformer2 import TransformerManager
    translate = TransformerManager().transform_cell
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(translate(cell.source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "check"
                    and len(node.args) == 2 and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                found.append((node.args[0].value, ast.unparse(node.args[1])))
    return found


def chapter_of(path: Path, notebook) -> str:
    """The chapter of a submission: its ``exercises.load("NN")`` call, else its file name's ``NN_``."""
    for cell in notebook.cells:
        match = _LOAD.search(cell.source) if cell.cell_type == "code" else None
        if match:
            return match.group(1)
    match = re.match(r"(\d\d)_", Path(path).name)
    if match:
        return match.group(1)
    raise ValueError(f"{path}: cannot tell the chapter (no exercises.load(\"NN\") call, no NN_ file name).")


def _grading_cell(chapter: str, checks) -> str:
    """Source of the cell appended to a submission: re-check each answer with a fresh exercise set."""
    return f"""
def _energylab_grade():
    import json, sys
    from importlib import reload
    import energylab.exercises as fresh
    fresh = reload(fresh)
    exercises = fresh.load({chapter!r})
    namespace = get_ipython().user_ns
    statuses = {{name: "missing" for name in exercises.names}}
    for name, source in {checks!r}:
        if name not in statuses:
            continue
        try:
            answer = eval(source, namespace)
        except BaseException:
            statuses[name] = "error"
            continue
        result = exercises.check(name, answer)
        if statuses[name] != "correct":  # the best of repeated checks counts
            statuses[name] = result.status
    sys.__stdout__.flush()
    print({_MARKER!r} + json.dumps(statuses))
_energylab_grade()
"""


def _student(path: Path, root: Path | None) -> str:
    path = Path(path)
    if root is not None and path.parent != Path(root):
        return path.parent.name
    named = re.match(r"\d\d_[a-z0-9_]+[-. ](.+)$", path.stem)  # 00_energy_accounting-ada → ada
    return named.group(1) if named else path.stem


def grade_notebook(path, timeout: int = 60, root: Path | None = None) -> Grade:
    """Run one submission in a fresh kernel in a temporary folder, then grade its answers.

    Parameters
    ----------
    path : str or Path
        The submitted notebook.
    timeout : int
        Seconds each cell may run before it is interrupted (at least 1).
    root : Path, optional
        The submissions folder; a notebook in a sub-folder is graded under that sub-folder's name.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from .assign import _current_env_kernel_manager

    path = Path(path)
    grade = Grade(student=_student(path, root), path=path)
    try:
        notebook = nbformat.read(path, as_version=4)
        grade.chapter = chapter_of(path, notebook)
        from .exercises import load
        names = load(grade.chapter).names
    except Exception as error:  # unreadable file, unknown chapter: recorded, never fatal for the rest
        grade.problem = f"{type(error).__name__}: {error}"
        return grade
    grade.statuses = {name: "missing" for name in names}
    notebook.cells.append(nbformat.v4.new_code_cell(_grading_cell(grade.chapter, find_checks(notebook))))
    with tempfile.TemporaryDirectory(prefix="energylab-grade-") as workdir:
        for sibling in path.parent.iterdir():  # data files beside the notebook, not other notebooks
            if sibling.is_file() and sibling.suffix != ".ipynb":
                shutil.copy(sibling, workdir)
        client = NotebookClient(notebook, km=_current_env_kernel_manager(), timeout=timeout,
                                interrupt_on_timeout=True, allow_errors=True, record_timing=False,
                                resources={"metadata": {"path": workdir}})
        try:
            client.execute(stderr=subprocess.DEVNULL)  # the kernel's own start-up warnings, once per student
        except (CellTimeoutError, DeadKernelError, RuntimeError) as error:
            grade.problem = f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
    for cell in notebook.cells[:-1]:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        grade.cell_errors += bool(errors)
        grade.timeouts += any(o.get("ename") in ("KeyboardInterrupt", "CellTimeoutError") for o in errors)
    for output in notebook.cells[-1].get("outputs", []):
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        for line in text.splitlines():
            if line.startswith(_MARKER):
                graded = json.loads(line[len(_MARKER):])
                grade.statuses.update({k: v for k, v in graded.items() if k in grade.statuses})
                return grade
    grade.problem = grade.problem or "the grading cell did not report (the kernel died or the time ran out)"
    return grade


def submissions(paths) -> list[tuple[Path, Path | None]]:
    """``(notebook, submissions folder)`` for every notebook in the given folders and files, sorted."""
    found = []
    for given in map(Path, paths):
        if given.is_dir():
            found += [(p, given) for p in sorted(given.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts]
        elif given.is_file():
            found.append((given, None))
        else:
            raise FileNotFoundError(f"No such notebook or folder: {given}")
    if not found:
        raise FileNotFoundError(f"No notebooks (*.ipynb) in {', '.join(map(str, paths))}.")
    return found


def grade(paths, gradebook: Path, timeout: int = 60, progress=None) -> list[Grade]:
    """Grade every submission in ``paths`` (folders or notebooks) and write the CSV ``gradebook``.

    Columns: ``student, notebook, chapter, score, out_of``, one per exercise (its status), then
    ``cell_errors, timeouts, problem``. Returns the grades in the same order.
    """
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout < 1:
        raise ValueError(f"timeout must be a whole number of seconds, at least 1; got {timeout!r}.")
    grades = []
    for path, root in submissions(paths):
        grades.append(grade_notebook(path, timeout=timeout, root=root))
        if progress:
            progress(grades[-1])
    exercises = list(dict.fromkeys(name for g in grades for name in g.statuses))
    gradebook = Path(gradebook)
    gradebook.parent.mkdir(parents=True, exist_ok=True)
    with open(gradebook, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "notebook", "chapter", "score", "out_of", *exercises,
                         "cell_errors", "timeouts", "problem"])
        for g in grades:
            writer.writerow([g.student, str(g.path), g.chapter, g.score, g.out_of,
                             *(g.statuses.get(name, "") for name in exercises), g.cell_errors, g.timeouts, g.problem])
    return grades
