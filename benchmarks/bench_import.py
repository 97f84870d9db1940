"""Cold `import energylab` time (budget 0.5 s), and of the modules a chapter pulls in."""
import statistics
import subprocess
import sys

REPEATS = 5


def _cold(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                  check=True).stdout) for _ in range(REPEATS)]
    return statistics.median(times)


def run():
    return [
        {"name": "import energylab (cold)", "value": _cold("import energylab"), "unit": "s",
         "budget": "< 0.5 s", "note": f"median of {REPEATS} fresh interpreters"},
        {"name": "import energylab.accounting (pint registry)", "value": _cold("import energylab.accounting"),
         "unit": "s", "budget": "-", "note": "first use of units; pint dominates"},
        {"name": "energylab.exercises.load('00')", "value": _cold("import energylab.exercises as e; e.load('00')"),
         "unit": "s", "budget": "-", "note": "what a notebook's first exercise cell costs"},
    ]
