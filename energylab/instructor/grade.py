"""Grade a folder of submitted exercise notebooks into a CSV gradebook (``energylab grade``).

Each submission runs top to bottom in a fresh kernel, in a temporary folder of its own, with a time
limit per cell: a cell that raises is recorded and the rest still run; a cell that runs past the limit
is interrupted and the rest still run; a cell that ignores the interrupt has its kernel stopped, and
what was graded before it still counts. Right after every cell that calls ``ex.check("name", answer)``,
the grader re-checks that answer with a freshly imported exercise set, so a printed "Correct" or a
replaced ``ex`` does not count, and a variable reused in a later cell does not change an earlier answer. When an
exercise is checked more than once, the last check counts (the notebook's final answer). (Answers are
re-evaluated after their whole cell has run: a name reused later in the same cell is read as it is
then.) One CSV row per submission: a point per correct exercise.

It guards against accidents and casual cheating, not a determined one: student code runs in the same
kernel as the grader, and the temporary folder is not a sandbox. Submissions that call
``ex.reference`` (the instructor's look-up) are flagged in the ``uses_reference`` column.

Functions
---------
find_checks(notebook)
    The ``(exercise, answer expression)`` pairs of a notebook's ``ex.check`` calls.
grade_notebook(path, timeout=60)
    Run and grade one submission: a :class:`Grade`.
grade(paths, gradebook, timeout=60)
    Grade many and write the CSV gradebook, a row as each is graded.
"""
from __future__ import annotations

import ast
import contextlib
import csv
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Grade", "find_checks", "chapter_of", "grade_notebook", "grade", "submissions"]

_MARKER = "ENERGYLAB-GRADES:"
_LOAD = re.compile(r"""exercises\s*\.\s*load\(\s*["']?(\d{1,2})["']?\s*\)""")
#: Seconds a cell may keep running after the interrupt at the time limit before its kernel is stopped.
GRACE_SECONDS = 10


@dataclass
class Grade:
    """The grade of one submission.

    Attributes
    ----------
    student : str
        Who submitted it: the first sub-folder under the submissions folder, else the part of the file
        name after the chapter (``00_energy_accounting-ada.ipynb`` → ``ada``), else the file's folder.
    path : Path
        The submitted notebook.
    chapter : str
        Two-digit chapter number.
    statuses : dict
        Exercise name → ``correct`` / ``incorrect`` / ``invalid`` / ``unanswered`` (its last check's
        outcome), ``error`` (the answer expression raised), ``not checked`` (no check call for it ran).
    cell_errors : int
        Cells that raised, including those interrupted at the time limit.
    timeouts : int
        Cells interrupted at the time limit.
    uses_reference : bool
        The notebook calls ``.reference(`` (the expected answer's look-up).
    problem : str
        What stopped the grading early, or why it could not start (empty when it ran to the end).
    """
    student: str
    path: Path
    chapter: str = ""
    statuses: dict = field(default_factory=dict)
    cell_errors: int = 0
    timeouts: int = 0
    uses_reference: bool = False
    problem: str = ""

    @property
    def score(self) -> int:
        return sum(status == "correct" for status in self.statuses.values())

    @property
    def out_of(self) -> int:
        return len(self.statuses)


def _checks_in(source: str, translate) -> list[tuple[str, str]]:
    """The ``(name, answer source)`` of each ``.check(...)`` call in one cell, in source order."""
    try:
        tree = ast.parse(translate(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # not Python, or too deep to read
        return []
    calls = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "check"):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        name = node.args[0] if node.args else keywords.get("name")
        answer = node.args[1] if len(node.args) > 1 else keywords.get("answer")
        if isinstance(name, ast.Constant) and isinstance(name.value, str) and answer is not None:
            calls.append((node.lineno, node.col_offset, name.value, ast.unparse(answer)))
    return [(name, answer) for *_, name, answer in sorted(calls)]


def find_checks(notebook) -> list[tuple[str, str]]:
    """Every ``<anything>.check("name", answer)`` call in the code cells, as ``(name, answer source)``.

    ``answer=`` and ``name=`` keywords are read too; cells that are not valid Python (after IPython's
    ``%magic`` syntax is translated) are skipped.
    """
    from IPython.core.inputtransformer2 import TransformerManager
    translate = TransformerManager().transform_cell
    return [pair for cell in notebook.cells if cell.cell_type == "code" for pair in _checks_in(cell.source, translate)]


def chapter_of(path: Path, notebook=None) -> str:
    """The chapter of a submission: its ``exercises.load("NN")`` call, else its file name's ``NN_``."""
    for cell in (notebook.cells if notebook is not None else []):
        match = _LOAD.search(cell.source) if cell.cell_type == "code" else None
        if match:
            return f"{int(match.group(1)):02d}"
    match = re.match(r"(\d\d)_", Path(path).name)
    if match:
        return match.group(1)
    raise ValueError(f"{path}: cannot tell the chapter (no exercises.load(\"NN\") call, no NN_ file name).")


def _grading_cell(chapter: str, checks, nonce: str) -> str:
    """A cell run right after a student's check cell: re-check its answers with a freshly imported set."""
    return f"""
def _energylab_grade():
    import importlib, sys
    for module in [m for m in sys.modules if m == "energylab.exercises" or m.startswith("energylab.exercises.")]:
        del sys.modules[module]  # a patched checker does not survive
    exercises = importlib.import_module("energylab.exercises").load({chapter!r})
    namespace = get_ipython().user_ns
    statuses = {{}}
    for name, source in {checks!r}:
        try:
            answer = eval(source, namespace)
        except BaseException:
            statuses[name] = "error"
            continue
        statuses[name] = exercises.check(name, answer).status
    print("\\n" + {(_MARKER + nonce)!r} + repr(statuses))  # on a line of its own
_energylab_grade()
del _energylab_grade
"""


def _student(path: Path, root: Path | None) -> str:
    path = Path(path)
    if root is not None and path.parent != Path(root):
        return path.relative_to(root).parts[0]
    named = re.match(r"\d\d_[a-z0-9_]+[-. ]+(.+)$", path.stem)  # 00_energy_accounting-ada → ada
    if named:
        return named.group(1).strip()
    if re.fullmatch(r"\d\d_[a-z0-9_]+", path.stem) and path.parent.name:
        return path.parent.resolve().name  # a student's folder given directly
    return path.stem


def _kill_group(pid) -> None:
    """Kill the process group a kernel leads (it starts its own session), if any of it is left."""
    if pid and hasattr(os, "killpg"):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


class _Watchdog:
    """Stops a kernel whose cell ignores the interrupt at the time limit (e.g. ``except: pass`` in a loop)."""

    def __init__(self, client, seconds: float):
        self.client, self.seconds, self.timer, self.fired = client, seconds, None, False

    def start(self, **_):
        self.cancel()
        process = getattr(getattr(self.client.km, "provisioner", None), "process", None)
        self.pid = getattr(process, "pid", None) or getattr(self, "pid", None)
        self.timer = threading.Timer(self.seconds, self._stop_kernel)
        self.timer.daemon = True
        self.timer.start()

    def cancel(self, **_):
        if self.timer is not None:
            self.timer.cancel()

    def _stop_kernel(self):
        process = getattr(getattr(self.client.km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            self.fired = True
            process.kill()


def grade_notebook(path, timeout: int = 60, root: Path | None = None) -> Grade:
    """Run one submission in a fresh kernel in a temporary folder, grading each check as it runs.

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
    from IPython.core.inputtransformer2 import TransformerManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from .kernels import current_env_kernel_manager

    path = Path(path)
    grade = Grade(student=_student(path, root), path=path)
    try:
        grade.chapter = chapter_of(path)  # from the name first, so an unreadable file still has one
    except ValueError:
        pass
    try:
        with warnings.catch_warnings():  # old notebooks' missing cell ids: nothing for the instructor to do
            warnings.simplefilter("ignore")
            notebook = nbformat.read(path, as_version=4)
            nbformat.validate(notebook)
        grade.chapter = chapter_of(path, notebook)
        from ..exercises import load
        names = load(grade.chapter).names
    except Exception as error:  # unreadable file, unknown chapter: recorded, never fatal for the rest
        grade.problem = f"{type(error).__name__}: {error}".splitlines()[0]
        return grade
    grade.statuses = {name: "not checked" for name in names}
    grade.uses_reference = any(".reference(" in c.source for c in notebook.cells if c.cell_type == "code")
    nonce = secrets.token_hex(8)
    translate = TransformerManager().transform_cell
    cells = []
    for cell in notebook.cells:
        cells.append(cell)
        checks = _checks_in(cell.source, translate) if cell.cell_type == "code" else []
        if checks:
            cells.append(nbformat.v4.new_code_cell(_grading_cell(grade.chapter, checks, nonce),
                                                   metadata={"energylab_grader": True}))
    notebook.cells = cells
    with tempfile.TemporaryDirectory(prefix="energylab-grade-") as workdir:
        for sibling in path.parent.iterdir():  # data files beside the notebook, not other notebooks
            if sibling.is_file() and sibling.suffix != ".ipynb":
                shutil.copy(sibling, workdir)
        client = NotebookClient(notebook, km=current_env_kernel_manager(), timeout=timeout,
                                interrupt_on_timeout=True, allow_errors=True, record_timing=False,
                                resources={"metadata": {"path": workdir}})
        watchdog = _Watchdog(client, timeout + GRACE_SECONDS)
        client.on_cell_execute, client.on_cell_executed = watchdog.start, watchdog.cancel
        try:
            # cleanup_kc: shut the kernel down at the end; stderr: the kernel's start-up warnings
            client.execute(cleanup_kc=True, stderr=subprocess.DEVNULL)
        except (CellTimeoutError, DeadKernelError, RuntimeError) as error:
            grade.problem = (f"a cell ignored the interrupt at {timeout} s, so its kernel was stopped; later "
                             f"cells did not run" if watchdog.fired else
                             f"the kernel died ({type(error).__name__}); later cells did not run")
        finally:
            watchdog.cancel()
            _kill_group(getattr(watchdog, "pid", None))  # whatever the student's code left running
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if cell.metadata.get("energylab_grader"):
            for output in cell.get("outputs", []):
                text = output.get("text", "") if output.get("output_type") == "stream" else ""
                for line in text.splitlines():
                    if line.startswith(_MARKER + nonce):
                        with contextlib.suppress(ValueError, SyntaxError):
                            graded = ast.literal_eval(line[len(_MARKER + nonce):])
                            grade.statuses.update({k: v for k, v in graded.items()
                                                   if k in grade.statuses and isinstance(v, str)})
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        grade.cell_errors += bool(errors)
        grade.timeouts += any(o.get("ename") in ("KeyboardInterrupt", "CellTimeoutError") for o in errors)
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


def _columns(found) -> list[str]:
    """Exercise columns in chapter order, then each chapter's own order, for the chapters present."""
    import nbformat

    from ..exercises import chapters, load
    present = set()
    for path, _ in found:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                present.add(chapter_of(path, nbformat.read(path, as_version=4)))
        except Exception:  # unreadable: its file name may still say
            with contextlib.suppress(ValueError):
                present.add(chapter_of(path))
    return [name for chapter in chapters() if chapter in present for name in load(chapter).names]


def grade(paths, gradebook: Path, timeout: int = 60, progress=None) -> list[Grade]:
    """Grade every submission in ``paths`` (folders or notebooks) and write the CSV ``gradebook``.

    Columns: ``student, notebook, chapter, score, out_of``, one per exercise (its status), then
    ``cell_errors, timeouts, uses_reference, problem``. Rows are written as each submission is graded
    (an interrupted run keeps what was done), sorted by student then chapter. Returns the grades.
    """
    if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout < 1:
        raise ValueError(f"timeout must be a whole number of seconds, at least 1; got {timeout!r}.")
    found = submissions(paths)
    found.sort(key=lambda item: (_student(*item).lower(), item[0].name))
    exercises = _columns(found)
    gradebook = Path(gradebook)
    gradebook.parent.mkdir(parents=True, exist_ok=True)
    grades = []
    with open(gradebook, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "notebook", "chapter", "score", "out_of", *exercises,
                         "cell_errors", "timeouts", "uses_reference", "problem"])
        for path, root in found:
            try:
                g = grade_notebook(path, timeout=timeout, root=root)
            except Exception as error:  # one strange notebook never stops the others
                g = Grade(student=_student(path, root), path=path,
                          problem=f"could not grade ({type(error).__name__}: {error})".splitlines()[0])
            grades.append(g)
            writer.writerow([g.student, str(g.path), g.chapter, g.score, g.out_of,
                             *(g.statuses.get(name, "") for name in exercises), g.cell_errors, g.timeouts,
                             "yes" if g.uses_reference else "", g.problem])
            handle.flush()
            if progress:
                progress(g)
    return grades
