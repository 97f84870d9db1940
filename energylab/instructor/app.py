"""A chapter's explorers as a standalone app: one page, no code, served by Voilà.

``energylab app 06`` writes ``apps/06_cooling.ipynb`` — the chapter's title, then each explorer under
the heading of the section it belongs to — and serves it with Voilà (``pip install -e '.[app]'``),
which runs it in a kernel and shows only the outputs: controls and figures. The app is built from
the chapter notebook each time, so it never drifts from the lesson.

Functions
---------
explorer_cells(notebook)
    The (heading, source) of every cell of a chapter that displays an explorer.
explorer_app(chapter_path)
    The app notebook for a chapter (nbformat), ready to write and serve.
"""
from __future__ import annotations

import re
from pathlib import Path

__all__ = ["explorer_cells", "explorer_app", "chapter_path", "write_app"]

_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*$", re.M)


def _explorer_names() -> set[str]:
    from ..explore import EXPLORERS
    return set(EXPLORERS)


def explorer_cells(notebook) -> list[tuple[str, str]]:
    """The explorers a chapter shows, with the title of the section each sits in.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A chapter notebook.

    Returns
    -------
    list of (str, str)
        ``(section heading, cell source)`` for each code cell that constructs a course explorer
        (a name from :mod:`energylab.explore`) and displays it as its last line.
    """
    names = _explorer_names()
    heading, found = "", []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            titles = [m.group(2) for m in _HEADING.finditer(cell.source) if len(m.group(1)) >= 2]
            heading = titles[-1] if titles else heading
        elif cell.cell_type == "code":
            used = set(re.findall(r"\b([A-Z]\w*Explorer)\s*\(", cell.source)) & names
            last = cell.source.strip().splitlines()[-1:] or [""]
            if used and not last[0].rstrip().endswith(";"):
                found.append((heading, cell.source))
    return found


def chapter_path(chapter: str, chapters_dir: Path = Path("chapters")) -> Path:
    """The chapter notebook for ``"06"``, ``"06_cooling"`` or a path; FileNotFoundError names the choices."""
    path = Path(chapter)
    if path.suffix == ".ipynb" and path.is_file():
        return path
    if len(path.parts) > 1 or path.is_absolute():  # a path, not a chapter name
        raise FileNotFoundError(f"No such chapter notebook: {chapter}")
    key = str(chapter).removesuffix(".ipynb")
    key = f"{int(key):02d}" if key.isdigit() else key  # 6 → 06
    matches = sorted(Path(chapters_dir).glob(f"{key}*.ipynb")) if key else []
    if len(matches) != 1:
        available = ", ".join(p.stem for p in sorted(Path(chapters_dir).glob("[0-9][0-9]_*.ipynb")))
        where = (f"chapters: {available}" if available else
                 "it holds no chapter notebooks (run from the course folder, or give --chapters)")
        raise FileNotFoundError(f"No single chapter matches {chapter!r} in {chapters_dir}/; {where}.")
    return matches[0]


def explorer_app(chapter: Path):
    """The app notebook of a chapter: title, setup, and each explorer under its section heading.

    Raises
    ------
    ValueError
        If the chapter shows no explorer.
    """
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    chapter = Path(chapter)
    source = nbformat.read(chapter, as_version=4)
    cells = explorer_cells(source)
    if not cells:
        raise ValueError(f"{chapter} shows no explorer, so it has no app.")
    title = next((m.group(2) for c in source.cells if c.cell_type == "markdown"
                  for m in _HEADING.finditer(c.source) if len(m.group(1)) == 1), chapter.stem)
    names = sorted({n for _, src in cells for n in re.findall(r"\b([A-Z]\w*Explorer)\b", src)} & _explorer_names())
    number = chapter.name[:2]
    app = new_notebook(cells=[
        new_markdown_cell(f"# Explorers · {title}\n\nMove a control and the figure redraws; the line "
                          f"under each figure says what it shows. The lesson, `chapters/{chapter.name}`, "
                          f"explains the model behind each one."),
        new_code_cell(f'from energylab.notebook import setup\nrng = setup("{number}")\n'
                      f"from energylab.explore import {', '.join(names)}"),
    ])
    for heading, code in cells:
        if heading:
            app.cells.append(new_markdown_cell(f"## {heading}"))
        app.cells.append(new_code_cell(code))
    app.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    return app


def write_app(chapter: str, apps_dir: Path = Path("apps"), chapters_dir: Path = Path("chapters")) -> Path:
    """Write the app notebook of ``chapter`` into ``apps_dir``; returns its path."""
    import nbformat
    path = chapter_path(chapter, chapters_dir)
    app = explorer_app(path)
    Path(apps_dir).mkdir(parents=True, exist_ok=True)
    target = Path(apps_dir) / path.name
    if target.resolve() == path.resolve():
        raise ValueError(f"{target} is the chapter itself; write the app elsewhere (--apps).")
    nbformat.write(app, target)
    return target
