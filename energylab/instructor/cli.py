"""The ``energylab`` command: ``energylab assign``, ``energylab grade``, ``energylab run`` and ``energylab app``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="energylab", description="Tools for the Power-hungry AI course.")
    commands = parser.add_subparsers(dest="command", required=True)

    assign = commands.add_parser(
        "assign", help="generate exercises/NN_*.ipynb from solutions/NN_*.ipynb",
        description="Generate the exercise notebooks from the solutions notebooks (solution markers "
                    "replaced by placeholders), then run them so they show 'not attempted'.")
    assign.add_argument("notebooks", nargs="*", help="only these (file names or chapter numbers)")
    assign.add_argument("--solutions", type=Path, default=Path("solutions"), help="default: solutions/")
    assign.add_argument("--exercises", type=Path, default=Path("exercises"), help="default: exercises/")
    assign.add_argument("--no-execute", action="store_true", help="write without running them")

    grade = commands.add_parser(
        "grade", help="grade submitted exercise notebooks into a CSV gradebook",
        description="Run each submitted notebook in a fresh kernel in a folder of its own, with a time "
                    "limit per cell, re-check every answer right after its ex.check(\"name\", answer) call "
                    "with a fresh exercise set (the last check of an exercise counts), and write one CSV "
                    "row per submission. Students: one sub-folder each (graded under its name), or files "
                    "named NN_slug-student.ipynb. Statuses: correct, incorrect, invalid, unanswered, "
                    "error (the answer raised), not checked (no check ran). Student code runs in the "
                    "grader's kernel: this stops accidents and casual cheating, not a determined one.")
    grade.add_argument("submissions", nargs="+", type=Path, help="folders of notebooks, or notebooks")
    grade.add_argument("--gradebook", "-o", type=Path, default=Path("gradebook.csv"),
                       help="CSV to write (default: gradebook.csv)")
    grade.add_argument("--timeout", type=int, default=60, help="seconds per cell before it is interrupted "
                                                                "(default 60)")

    run = commands.add_parser("run", help="run notebooks top to bottom and save their outputs",
                              description="Execute notebooks in place (for chapters/ and solutions/).")
    run.add_argument("notebooks", nargs="+", type=Path)
    run.add_argument("--timeout", type=int, default=300, help="seconds per cell (default 300)")

    app = commands.add_parser("app", help="open a chapter's explorers as a standalone app (Voilà)",
                              description="Write apps/NN_slug.ipynb (the chapter's explorers, each under its "
                                          "section heading) and serve it with Voilà: controls and figures, "
                                          "no code. Needs Voilà: pip install -e '.[app]'.")
    app.add_argument("chapter", help="chapter number or name (06, 06_cooling) or a notebook path")
    app.add_argument("--chapters", type=Path, default=Path("chapters"), help="default: chapters/")
    app.add_argument("--apps", type=Path, default=Path("apps"), help="where to write it (default: apps/)")
    app.add_argument("--no-serve", action="store_true", help="only write the app notebook")
    app.add_argument("--port", type=int, help="Voilà's port (default: its own, 8866)")
    app.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    return parser


def _serve_app(path: Path, port: int | None, browser: bool) -> int:
    import importlib.util
    import os
    if importlib.util.find_spec("voila") is None:
        print(f"energylab app: Voilà is not installed (pip install -e '.[app]'); the app notebook {path} "
              f"also opens in JupyterLab.", file=sys.stderr)
        return 2
    extra = ([f"--port={port}"] if port else []) + ([] if browser else ["--no-browser"])
    sys.stdout.flush()
    # Become Voilà (no child process): Ctrl-C and kill reach it, and it stops its kernels itself.
    os.execv(sys.executable, [sys.executable, "-m", "voila", str(path), *extra])


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from .assign import MarkerError, assign
    from .kernels import NotebookRunError, run_in_place
    try:
        if args.command == "assign":
            for path in assign(args.solutions, args.exercises, args.notebooks,
                                         run=not args.no_execute):
                print(f"wrote {path}")
        elif args.command == "run":
            missing = [p for p in args.notebooks if not p.exists()]
            if missing:
                print(f"energylab run: no such notebook: {', '.join(map(str, missing))}", file=sys.stderr)
                return 2
            for path in args.notebooks:
                run_in_place([path], timeout=args.timeout)
                print(f"ran {path}")
        elif args.command == "grade":
            from .grade import grade
            def report(g):
                notes = [f"{g.cell_errors} cell(s) raised"] if g.cell_errors else []
                notes += [f"{g.timeouts} timed out"] if g.timeouts else []
                notes += ["calls ex.reference"] if g.uses_reference else []
                notes += [g.problem] if g.problem else []
                score = f"{g.score}/{g.out_of}" if g.statuses else "not graded"
                print(f"{g.student:<24} {g.path.name:<40} {score}" + (f"  ({'; '.join(notes)})" if notes else ""),
                      flush=True)
            grades = grade(args.submissions, args.gradebook, timeout=args.timeout, progress=report)
            print(f"wrote {args.gradebook} ({len(grades)} submissions)")
            seen = {}
            for g in grades:  # a re-submission under another name would otherwise pass unnoticed
                seen.setdefault((g.student, g.chapter), []).append(g.path.name)
            for (student, chapter), files in seen.items():
                if len(files) > 1:
                    print(f"note: {student} has {len(files)} submissions for chapter {chapter}: "
                          f"{', '.join(files)}", file=sys.stderr)
        elif args.command == "app":
            from .app import write_app
            path = write_app(args.chapter, args.apps, args.chapters)
            print(f"wrote {path}")
            if not args.no_serve:
                return _serve_app(path, args.port, not args.no_browser)
    except (FileNotFoundError, ValueError, MarkerError) as error:
        print(f"energylab {args.command}: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # e.g. a gradebook path that is a folder, or not writable
        print(f"energylab {args.command}: {error.strerror or error}: {error.filename or ''}", file=sys.stderr)
        return 2
    except NotebookRunError as error:
        print(f"energylab {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
