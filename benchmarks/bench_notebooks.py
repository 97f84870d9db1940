"""Run All of every notebook: kernel CPU time (budget 10 s) and peak kernel memory (budget 1 GB)."""
import time
from pathlib import Path

import nbformat

from energylab.instructor.kernels import execute

ROOT = Path(__file__).resolve().parents[1]
PROBE = ("import resource, time\n"
         "print(time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")


def run():
    rows = []
    for folder in ("chapters", "solutions", "exercises"):
        for path in sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            nb.cells.append(nbformat.v4.new_code_cell(PROBE))
            start = time.perf_counter()
            execute(nb, cwd=path.parent)
            wall = time.perf_counter() - start
            cpu, rss_kb = map(float, nb.cells[-1].outputs[0]["text"].split())
            label = f"{folder}/{path.name}"
            rows += [
                {"name": f"{label} Run All, kernel CPU", "value": cpu, "unit": "s", "budget": "< 10 s",
                 "note": f"wall {wall:.1f} s including kernel start"},
                {"name": f"{label} peak kernel memory", "value": rss_kb / 1024, "unit": "MB",
                 "budget": "< 1024 MB", "note": ""},
            ]
    return rows
