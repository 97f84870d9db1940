"""The ``energylab`` command: ``energylab assign`` and ``energylab run``."""
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

    run = commands.add_parser("run", help="run notebooks top to bottom and save their outputs",
                              description="Execute notebooks in place (for chapters/ and solutions/).")
    run.add_argument("notebooks", nargs="+", type=Path)
    run.add_argument("--timeout", type=int, default=300, help="seconds per cell (default 300)")
    return parser


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    from . import assign as assigning
    try:
        if args.command == "assign":
            for path in assigning.assign(args.solutions, args.exercises, args.notebooks,
                                         run=not args.no_execute):
                print(f"wrote {path}")
        elif args.command == "run":
            missing = [p for p in args.notebooks if not p.exists()]
            if missing:
                print(f"energylab run: no such notebook: {', '.join(map(str, missing))}", file=sys.stderr)
                return 2
            for path in args.notebooks:
                assigning.run_in_place([path], timeout=args.timeout)
                print(f"ran {path}")
    except (FileNotFoundError, assigning.MarkerError) as error:
        print(f"energylab {args.command}: {error}", file=sys.stderr)
        return 2
    except assigning.NotebookRunError as error:
        print(f"energylab {args.command}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
