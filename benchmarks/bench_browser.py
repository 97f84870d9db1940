"""Browser-side explorer latency: key press on a slider → redrawn figure in JupyterLab.

For every explorer of every chapter notebook, in headless Chromium (see ``tests/helpers/browser.py``):
Run All, then move the explorer's first slider by keyboard ``PRESSES`` times and time each press,
from the ``keydown`` event to the ``load`` event of the new figure image (both in the page's clock).
This includes the widget message to the kernel, compute + update + render there, the new PNG's
trip back and its decoding. Budget: 100 ms, about where a response stops feeling immediate.

Skipped, with the reason, where Chromium or Playwright is missing.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from helpers import browser as lab_browser  # noqa: E402

BUDGET_MS = 100.0
PRESSES = 15


def _explorer_name(box, index: int) -> str:
    caption = lab_browser.explorer_label(box)
    title = caption.removeprefix("Figure: ").split(". ")[0]
    return f"{index + 1} {title[:40]}"


def run():
    reason = lab_browser.missing()
    if reason:
        return [{"name": "browser latency", "value": "skipped", "unit": "", "budget": "", "note": reason}]
    rows, every = [], []
    chapters = [p for p in lab_browser.course_notebooks() if p.startswith("chapters/")]
    with tempfile.TemporaryDirectory() as tmp, lab_browser.JupyterLab(Path(tmp)) as lab, \
            lab_browser.chromium() as browser:
        for path in chapters:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(30_000)
            lab_browser.open_notebook(page, lab, path)
            report = lab_browser.run_all(page, path)
            rows.append({"name": f"{path[9:11]} Run All in the browser", "value": round(report.seconds, 2),
                         "unit": "s", "budget": "", "note": "menu click → kernel idle, page clock"})
            boxes = lab_browser.explorers(page)
            for i in range(boxes.count()):
                box = boxes.nth(i)
                samples, failures = [], 0
                for _ in range(PRESSES):
                    try:
                        samples.append(lab_browser.nudge(page, box, deadline_s=5.0))
                    except AssertionError:
                        failures += 1
                every += samples
                name = f"{path[9:11]} explorer {_explorer_name(box, i)}"
                if samples:
                    median, worst = statistics.median(samples), max(samples)
                    rows.append({"name": name, "value": round(median, 1), "unit": "ms",
                                 "budget": f"< {BUDGET_MS:.0f} ms",
                                 "note": f"median of {len(samples)}; worst {worst:.0f} ms"
                                         + ("" if worst < BUDGET_MS else ", over budget")
                                         + (f"; {failures} presses did not redraw" if failures else "")})
                else:
                    rows.append({"name": name, "value": "failed", "unit": "", "budget": f"< {BUDGET_MS:.0f} ms",
                                 "note": f"no redraw in {PRESSES} presses"})
            context.close()
            lab.shutdown_kernels()
    if every:
        rows.append({"name": "all explorers, key press → figure", "value": round(statistics.median(every), 1),
                     "unit": "ms", "budget": f"< {BUDGET_MS:.0f} ms",
                     "note": f"median of {len(every)}; p90 {sorted(every)[int(0.9 * (len(every) - 1))]:.0f} ms; "
                             f"worst {max(every):.0f} ms"})
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
