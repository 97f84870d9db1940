"""Single source for exercises: generate ``exercises/NN_*.ipynb`` from ``solutions/NN_*.ipynb``.

Markers (as in otter-grader), in the solutions notebook:

* a code line ending ``# SOLUTION`` keeps its left-hand side: ``x = 3 * u.kWh  # SOLUTION`` → ``x = ...``;
* lines from ``# BEGIN SOLUTION`` to ``# END SOLUTION`` become ``# YOUR CODE HERE`` and ``...``
  (at the block's indentation, so a function body stays valid Python);
* markdown between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->`` is dropped.

Each statement's tolerance is first written from the exercise's spec (in the solutions notebook too),
so it is never typed. The generated notebook is then executed so that, blank, it shows "not attempted"
for every exercise.
"""
from __future__ import annotations

import re
from pathlib import Path

from .kernels import execute

_LINE = re.compile(r"^(?P<indent>\s*)(?P<lhs>[^=#\n]*?[^=!<>+\-*/%&|^\s])\s*=(?!=).*#\s*SOLUTION\s*$")
_BEGIN = re.compile(r"^(?P<indent>\s*)#\s*BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*#\s*END SOLUTION\s*$")
_MARKDOWN = re.compile(r"<!--\s*BEGIN SOLUTION\s*-->.*?<!--\s*END SOLUTION\s*-->\n?", re.DOTALL)


class MarkerError(ValueError):
    """A solution marker that cannot be turned into an exercise (unclosed block, bare line)."""


def blank_code(source: str, where: str = "cell") -> str:
    """Replace solution code by placeholders in one code cell's source."""
    out, block_indent = [], None
    for number, line in enumerate(source.splitlines(), 1):
        if block_indent is not None:
            if _END.match(line):
                out += [f"{block_indent}# YOUR CODE HERE", f"{block_indent}..."]
                block_indent = None
            continue
        begin = _BEGIN.match(line)
        if begin:
            block_indent = begin["indent"]
            continue
        if _END.match(line):
            raise MarkerError(f"{where}, line {number}: '# END SOLUTION' without '# BEGIN SOLUTION'.")
        if re.search(r"#\s*SOLUTION\s*$", line):
            match = _LINE.match(line)
            if not match:
                raise MarkerError(f"{where}, line {number}: '# SOLUTION' needs an assignment "
                                  f"(name = value  # SOLUTION); got {line.strip()!r}.")
            out.append(f"{match['indent']}{match['lhs']} = ...")
            continue
        out.append(line)
    if block_indent is not None:
        raise MarkerError(f"{where}: '# BEGIN SOLUTION' without '# END SOLUTION'.")
    return "\n".join(out)


def blank_markdown(source: str) -> str:
    """Drop the solution parts of a markdown cell."""
    return _MARKDOWN.sub("", source)


def make_exercise(solution):
    """A new exercise notebook (nbformat node) from a solutions notebook, outputs cleared."""
    import nbformat
    nb = nbformat.reads(nbformat.writes(solution), as_version=4)  # a deep copy
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.source = blank_code(cell.source, where=f"cell {index}")
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = blank_markdown(cell.source)
            if not cell.source.strip():
                continue
        cells.append(cell)
    nb.cells = cells
    nb.metadata.pop("widgets", None)
    return nb


def stamp_statements(nb, chapter: str) -> bool:
    """Write each statement's tolerance from the chapter's specs (:mod:`energylab.exercises.statements`);
    True if the notebook changed. Chapters without exercises are left alone."""
    from ..exercises import chapters, load
    from ..exercises.statements import stamp
    return chapter in chapters() and stamp(nb, load(chapter))


def assign(solutions_dir: Path, exercises_dir: Path, names=None, run: bool = True) -> list[Path]:
    """Generate (and by default execute) every exercise notebook; returns the written paths."""
    import nbformat
    solutions_dir, exercises_dir = Path(solutions_dir), Path(exercises_dir)
    available = sorted(solutions_dir.glob("[0-9][0-9]_*.ipynb"))
    sources = available
    if names:
        wanted = {f"{int(n):02d}" if str(n).isdigit() else str(n) for n in names}  # 6 → 06
        sources = [p for p in available if wanted & {p.name, p.stem, p.name[:2]}]
        unknown = sorted(n for n in wanted if not any(n in (p.name, p.stem, p.name[:2]) for p in available))
        if unknown and available:
            raise FileNotFoundError(f"No solutions notebook matches {', '.join(unknown)} in {solutions_dir}; "
                                    f"there are: {', '.join(p.stem for p in available)}.")
    if not sources:
        raise FileNotFoundError(f"No solutions notebooks (NN_*.ipynb) found in {solutions_dir}.")
    exercises_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sources:
        solution = nbformat.read(path, as_version=4)
        if stamp_statements(solution, path.name[:2]):
            nbformat.write(solution, path)  # the statements follow the specs: the single source is updated too
        nb = make_exercise(solution)
        if run:
            execute(nb, cwd=exercises_dir, name=str(exercises_dir / path.name))
        target = exercises_dir / path.name
        nbformat.write(nb, target)
        written.append(target)
    return written
