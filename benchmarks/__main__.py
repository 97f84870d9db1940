"""`make bench`: measure the course against its budgets and print a table.

Every module ``benchmarks/bench_*.py`` has ``run() -> list[dict]`` with keys ``name``, ``value``,
``unit``, ``budget`` and ``note``. Results also go to ``benchmarks/results/latest.json`` (not committed).
Nothing here asserts: budgets are reported, not enforced, because shared machines are noisy.
"""
import importlib
import json
import pkgutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv):
    only = set(argv)
    rows = []
    for module in sorted(m.name for m in pkgutil.iter_modules([str(HERE)]) if m.name.startswith("bench_")):
        if only and module not in only and module[6:] not in only:
            continue
        start = time.perf_counter()
        print(f"running {module} …", flush=True)
        for row in importlib.import_module(f"benchmarks.{module}").run():
            rows.append({"group": module[6:], **row})
        print(f"  done in {time.perf_counter() - start:.1f} s", flush=True)
    width = max(len(r["name"]) for r in rows) if rows else 10
    print()
    print(f"{'measurement'.ljust(width)}  {'value':>12}  unit      budget")
    for r in rows:
        value = r["value"]
        shown = f"{value:12.3f}" if isinstance(value, float) else f"{value!s:>12}"
        print(f"{r['name'].ljust(width)}  {shown}  {r['unit']:<8}  {r.get('budget', '')}"
              + (f"   ({r['note']})" if r.get("note") else ""))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "latest.json").write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
