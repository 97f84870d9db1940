"""Audit of the exercise engine's diagnoses: answers tried as a student would, judged against what is true.

Three steps, so that two versions of the engine can be compared on the same answers::

    python -m benchmarks.feedback_audit trials  > trials.json   # the answers and what is true of each
    python -m benchmarks.feedback_audit run trials.json > verdicts.json   # under any version of energylab
    python -m benchmarks.feedback_audit judge trials.json verdicts.json   # the table

``trials`` uses the current library; ``run`` only the public API that every version has (``load``,
``check``, ``Result.status`` and ``Result.misconception``), so it can run against an older checkout with
``PYTHONPATH`` pointing at it. The ground truth is written here, independently of the engine: which
slip families can apply to an answer follows from its unit and size (J ↔ Wh only where the unit holds
an energy or is a time; calendar factors only where it holds a time, electrical units excluded; percent
only on dimensionless values between 0 and 1; SI prefixes not on logarithms or counts; a sign anywhere).

Not run by ``make bench``: it prints a table for a closing note, not a budget.
"""
from __future__ import annotations

import json
import sys
from collections import Counter

import numpy as np

NOT_A_DIAGNOSIS = {"", "close", "unexplained", "partial"}
FAMILY_CODES = {"prefix": {"prefix"}, "joule_wh": {"joule_wh"}, "percent": {"percent", "unitless_percent"},
                "sign": {"sign"}, "calendar": {"hours_year", "days_year", "hours_day"}}
CHAPTERS = ("00", "01", "02", "03", "04", "05", "06", "07")


def _family_factors():
    yield "prefix", 1e3
    yield "prefix", 1e-3
    yield "prefix", 1e6
    yield "joule_wh", 3600.0
    yield "joule_wh", 1 / 3600
    yield "joule_wh", 3.6e6
    yield "calendar", 8760.0
    yield "calendar", 1 / 24
    yield "percent", 100.0
    yield "percent", 0.01
    yield "sign", -1.0


def _applies(family: str, unit: str, magnitude, nature: str) -> bool:
    """Whether a slip family can honestly explain a wrong answer in ``unit`` (the audit's own judgement)."""
    from energylab.units import ureg
    dims = dict(ureg.Unit(unit or "dimensionless").dimensionality)
    length, time = dims.get("[length]", 0), dims.get("[time]", 0)
    # Energy to the power ±1, perhaps per time or per thing: J, W, J/token, kWh/query, gCO2/kWh, FLOP/J.
    electrical = "[current]" in dims               # S, A, V: their SI time and length are not a calendar or an energy
    has_energy = abs(length) == 2 and not electrical
    if family == "joule_wh":
        return has_energy or dims == {"[time]": 1}
    if family == "calendar":
        return time != 0 and not electrical
    if family == "percent":
        value = np.abs(np.asarray(magnitude, dtype=float)) * float(ureg.Quantity(1, unit or "").to("").m) \
            if not dims else None
        return value is not None and bool(np.all(value <= 1))
    if family == "prefix":
        return nature not in ("log", "count")
    return True


def trials() -> list[dict]:
    import energylab.exercises as E
    out = []
    for chapter in CHAPTERS:
        ex = E.load(chapter)
        for name in ex.names:
            spec = ex.spec(name)
            if spec.kind != "quantity":
                continue
            ref = ex.reference(name)
            unit, rtol, m = spec.unit, spec.rtol, np.asarray(ref.magnitude, dtype=float)
            nature = getattr(spec, "nature", "")
            # A declared mistake whose answer is within tolerance of a generic factor's fits it as well.
            declared = [(code, np.ravel(np.asarray(w.m, dtype=float) / m)) for code, w in ex.mistakes(name)]

            def add(kind, value, _where=(chapter, name, unit), **truth):
                out.append({"chapter": _where[0], "name": _where[1], "unit": _where[2], "kind": kind,
                            "value": np.asarray(value).tolist(), **truth})

            for k in (0.9, -0.9):
                add("within tolerance", m * (1 + k * rtol))
            for k in (1.2, -1.2, 1.5, -1.5):
                add("near miss", m * (1 + k * rtol), alternatives=len(getattr(spec, "also_accepted", ())))
            for family, factor in _family_factors():
                also = sorted(c for c, f in declared if np.allclose(f, factor, rtol=rtol))
                add("generic slip", m * factor, family=family, factor=factor,
                    applies=_applies(family, unit, m, nature), also=also)
            for code, wrong in ex.mistakes(name):
                add("declared mistake", np.asarray(wrong.m, dtype=float), code=code)
            add("complex", m)  # run() adds 5j
    return out


def run(rows: list[dict]) -> list[dict]:
    import energylab.exercises as E
    sets, verdicts = {}, []
    for row in rows:
        ex = sets.setdefault(row["chapter"], E.load(row["chapter"]))
        if row["name"] not in ex.names:
            verdicts.append({"status": "missing", "code": ""})
            continue
        value = row["value"]
        if row["kind"] == "complex":
            real = np.asarray(value)
            answer = (real + 5j).astype(np.complex64) if real.ndim else np.complex64(float(real) + 5j)
        else:
            from energylab.units import Q_
            answer = Q_(np.asarray(value) if np.ndim(value) else float(value), row["unit"] or "dimensionless")
        result = ex.check(row["name"], answer)
        verdicts.append({"status": result.status, "code": result.misconception,
                         "message": result.message[:160]})
    return verdicts


def _causes(code: str) -> list[set[str]]:
    """A reported code as its alternatives ('a|b'), each a set of slips made together ('a+b')."""
    return [] if code in NOT_A_DIAGNOSIS else [set(alt.split("+")) for alt in code.split("|")]


def judge_one(row: dict, verdict: dict) -> str:
    """'ok', 'wrong diagnosis', 'wrong verdict' or 'missed' (a true cause not named)."""
    status, causes = verdict["status"], _causes(verdict["code"])
    kind = row["kind"]
    if status == "missing":
        return "missing"
    if kind == "within tolerance":
        return "ok" if status == "correct" else "wrong verdict"
    if kind == "complex":
        return "ok" if status == "invalid" else "wrong verdict"
    if status == "correct":  # a near miss may be another answer the lesson's own formula gives
        return "ok" if kind == "near miss" and row["alternatives"] else "wrong verdict"
    if kind == "near miss":
        return "wrong diagnosis" if causes else "ok"
    if kind == "generic slip":
        true = (FAMILY_CODES[row["family"]] if row["applies"] else set()) | set(row["also"])
        if not causes:
            return "missed" if true else "ok"
        return "ok" if any(alt <= true for alt in causes if len(alt) == 1) else "wrong diagnosis"
    if kind == "declared mistake":
        if not causes:
            return "missed"
        return "ok" if any(alt == {row["code"]} for alt in causes) else "wrong diagnosis"
    raise ValueError(kind)


def judge(rows, before, after=None) -> str:
    versions = [("before", before)] + ([("after", after)] if after else [])
    lines = ["| answers tried | how many | " + " | ".join(f"wrong diagnoses / wrong verdicts / missed, {v}"
                                                       for v, _ in versions) + " |",
             "|---|---:|" + "---:|" * len(versions)]
    kinds = list(dict.fromkeys(r["kind"] for r in rows))
    tallies = {v: Counter() for v, _ in versions}
    for kind in kinds + ["all"]:
        index = [i for i, r in enumerate(rows) if kind in ("all", r["kind"])]
        cells = []
        for v, verdicts in versions:
            c = Counter(judge_one(rows[i], verdicts[i]) for i in index)
            tallies[v] += c if kind != "all" else Counter()
            cells.append(f"{c['wrong diagnosis']} / {c['wrong verdict']} / {c['missed']}")
        lines.append(f"| {kind} | {len(index)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def examples(rows, verdicts, outcome: str, limit: int = 40) -> str:
    shown = [f"{r['chapter']} {r['name']} {r['kind']} {r.get('family', r.get('code', ''))} "
             f"{r.get('factor', '')} → {v['status']} {v['code']}: {v.get('message', '')[:100]}"
             for r, v in zip(rows, verdicts) if judge_one(r, v) == outcome]
    return "\n".join(shown[:limit]) + (f"\n… and {len(shown) - limit} more" if len(shown) > limit else "")


def main(argv):
    if argv[:1] == ["trials"]:
        json.dump(trials(), sys.stdout)
    elif argv[:1] == ["run"]:
        json.dump(run(json.load(open(argv[1]))), sys.stdout)
    elif argv[:1] == ["judge"]:
        rows = json.load(open(argv[1]))
        loaded = [json.load(open(path)) for path in argv[2:4]]
        print(judge(rows, *loaded))
        for outcome in ("wrong diagnosis", "wrong verdict", "missed"):
            print(f"\n## {outcome}, last version given\n" + examples(rows, loaded[-1], outcome))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
