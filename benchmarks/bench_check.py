"""Latency of `ex.check` (budget: median under 2 ms), for correct, wrong and invalid answers."""
import statistics
import time

from energylab import exercises

REPEATS = 300


def _median_ms(call) -> float:
    call()  # warm: expected values and slip tables are computed on first use
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def run():
    ex = exercises.load("00")
    rows = []
    for name in ex.names:
        spec = ex.spec(name)
        reference = ex.reference(name)
        if spec.kind == "quantity":
            cases = {"correct": reference, "wrong (unexplained)": reference * 2.7,
                     "wrong (slip)": reference.magnitude * 3600, "invalid": "12 kWh"}
        elif spec.kind == "choice":
            cases = {"correct": reference, "wrong": "b", "invalid": 3}
        else:
            cases = {"correct": reference, "invalid": 3}
        for case, answer in cases.items():
            rows.append((name, case, _median_ms(lambda: ex.check(name, answer))))
    worst = max(rows, key=lambda r: r[2])
    overall = statistics.median(r[2] for r in rows)
    return [
        {"name": "ex.check median over chapter 00", "value": overall, "unit": "ms", "budget": "< 2 ms",
         "note": f"{len(rows)} exercise/answer kinds, {REPEATS} calls each"},
        {"name": "ex.check slowest kind", "value": worst[2], "unit": "ms", "budget": "< 2 ms",
         "note": f"{worst[0]}, {worst[1]}"},
    ]
