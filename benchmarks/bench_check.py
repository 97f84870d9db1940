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


def _task_ms(ex, name, answer, repeats=5) -> float:
    ex.check(name, answer)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        ex.check(name, answer)
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def run():
    rows, tasks = [], []
    for chapter in exercises.chapters():
        ex = exercises.load(chapter)
        for name in ex.names:
            spec = ex.spec(name)
            reference = ex.reference(name)
            if spec.kind == "task":  # trains a model on the student's answer: measured apart
                tasks.append((f"{chapter}:{name}", _task_ms(ex, name, reference)))
                continue
            if spec.kind == "quantity":
                cases = {"correct": reference, "wrong (unexplained)": reference * 2.7,
                         "wrong (slip)": reference.magnitude * 3600, "invalid": "12 kWh"}
            elif spec.kind == "choice":
                cases = {"correct": reference, "wrong": "b", "invalid": 3}
            else:
                cases = {"correct": reference, "invalid": 3}
            for case, answer in cases.items():
                def check(ex=ex, name=name, answer=answer):
                    return ex.check(name, answer)
                rows.append((f"{chapter}:{name}", case, _median_ms(check)))
    worst = max(rows, key=lambda r: r[2])
    overall = statistics.median(r[2] for r in rows)
    out = [
        {"name": "ex.check median, all chapters", "value": overall, "unit": "ms", "budget": "< 2 ms",
         "note": f"{len(rows)} exercise/answer kinds, {REPEATS} calls each"},
        {"name": "ex.check slowest kind", "value": worst[2], "unit": "ms", "budget": "< 2 ms",
         "note": f"{worst[0]}, {worst[1]}"},
    ]
    out += [{"name": f"ex.check of task {name}", "value": ms, "unit": "ms", "budget": "(trains a model)",
             "note": "open task: trains the network on the student's selection"} for name, ms in tasks]
    return out
