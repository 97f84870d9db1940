"""The course as a student sees it: JupyterLab in headless Chromium.

For every chapter and solutions notebook: open it, clear it, Run All from the Run menu, and check
that no cell shows an error or a warning, that every explorer shows its controls, figure and
caption, and that moving each explorer's first slider by keyboard redraws its figure within one
second; and every chapter opens as a standalone explorer app in Voilà. Screenshots go to
``artifacts/browser/`` (git-ignored); key-press-to-figure latencies to ``artifacts/browser/latency.json``.
A deliberately broken notebook shows that each check can fail.

Skipped, with the reason, where Chromium or Playwright is missing; ``.ci/run`` installs both.
"""
import importlib.util
import json
import os

import nbformat
import pytest

from helpers import browser as lab_browser

REASON = lab_browser.missing()
if REASON and os.environ.get("ENERGYLAB_REQUIRE_BROWSER") == "1":  # set by .ci/run: CI must run them
    raise RuntimeError(f"ENERGYLAB_REQUIRE_BROWSER=1 but the browser tests cannot run: {REASON}")
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    with lab_browser.JupyterLab(tmp_path_factory.mktemp("jupyterlab")) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with lab_browser.chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser, lab):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()
    lab.shutdown_kernels()


@pytest.fixture(scope="module")
def latencies():
    measured = {}
    yield measured
    if measured:
        lab_browser.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (lab_browser.ARTIFACTS / "latency.json").write_text(json.dumps(measured, indent=1))


def test_every_chapter_notebook_has_explorers_to_check():
    # Guards the explorer count below against a helper that silently finds none.
    chapters = [p for p in lab_browser.course_notebooks() if p.startswith("chapters/")]
    assert chapters and all(lab_browser.expected_explorers(lab_browser.ROOT / p) >= 1 for p in chapters)


@pytest.mark.parametrize("path", lab_browser.course_notebooks())
def test_run_all_then_every_explorer_redraws(lab, page, latencies, path):
    lab_browser.open_notebook(page, lab, path)
    report = lab_browser.run_all(page, path)
    wanted = lab_browser.expected_explorers(lab_browser.ROOT / path)
    lab_browser.wait_for_explorers(page, wanted)
    boxes = lab_browser.explorers(page)
    lab_browser.screenshot(page, path.replace("/", "-").removesuffix(".ipynb"), boxes)
    report.check()
    assert boxes.count() == wanted, f"{path}: {boxes.count()} live explorers after Run All, expected {wanted}"
    failures = []
    for i in range(wanted):
        box = boxes.nth(i)
        try:
            lab_browser.check_rendered(box)
            latencies[f"{path} explorer {i + 1}"] = round(lab_browser.nudge(page, box), 1)
        except AssertionError as error:
            failures.append(f"explorer {i + 1}: {error}")
    assert not failures, f"{path}:\n  " + "\n  ".join(failures)


BROKEN = [
    "from energylab.explore.base import ExampleExplorer\n\n"
    "class Raising(ExampleExplorer):\n"
    "    def compute(self, power, gpus, pue):\n"
    "        if power != 0.7:\n"
    "            raise RuntimeError('the model broke')\n"
    "        return super().compute(power, gpus, pue)\n\n"
    "class Frozen(ExampleExplorer):\n"
    "    def update(self, result):\n"
    "        pass  # forgets to change the figure",
    "ExampleExplorer()",
    "Raising()",
    "Frozen()",
    "import warnings\nwarnings.warn('a warning a student would see')",
    "1 / 0",
    "print('never reached')",
]


def test_the_checks_fail_on_a_broken_notebook(lab, page):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in BROKEN])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (lab.course / "broken").mkdir(exist_ok=True)
    nbformat.write(notebook, lab.course / "broken" / "broken.ipynb")

    lab_browser.open_notebook(page, lab, "broken/broken.ipynb")
    report = lab_browser.run_all(page, "broken/broken.ipynb")
    with pytest.raises(AssertionError) as failed:
        report.check()
    message = str(failed.value)
    assert "ZeroDivisionError" in message and "a warning a student would see" in message
    assert "1 of 7 code cells did not run" in message and "Traceback" in message

    lab_browser.wait_for_explorers(page, 3)
    good, raising, frozen = (lab_browser.explorers(page).nth(i) for i in range(3))
    for box in (good, raising, frozen):
        lab_browser.check_rendered(box)
    assert 0 < lab_browser.nudge(page, good) <= 1000
    with pytest.raises(AssertionError, match="did not change.*Could not redraw.*the model broke"):
        lab_browser.nudge(page, raising)
    with pytest.raises(AssertionError, match="did not change within 3 s"):
        lab_browser.nudge(page, frozen)


@pytest.mark.skipif(importlib.util.find_spec("voila") is None and os.environ.get("ENERGYLAB_REQUIRE_BROWSER") != "1",
                    reason="Voilà is not installed: pip install -e '.[app]'")
def test_every_chapter_opens_as_a_standalone_explorer_app(tmp_path, browser):
    from energylab.instructor.app import explorer_cells, write_app

    with lab_browser.Voila(tmp_path) as voila:
        chapters = [p for p in lab_browser.course_notebooks() if p.startswith("chapters/")]
        for path in chapters:
            app = write_app(path[9:11], voila.course / "apps", voila.course / "chapters")
            wanted = len(explorer_cells(nbformat.read(app, as_version=4)))
            assert wanted == lab_browser.expected_explorers(lab_browser.ROOT / path)
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            try:
                page.goto(voila.url(f"voila/render/{app.name}"), timeout=90_000)
                page.wait_for_function(
                    "(n) => document.querySelectorAll('.widget-vbox .energylab-alt').length >= n",
                    arg=wanted, timeout=90_000)
                boxes = lab_browser.explorers(page, scope="body")
                assert boxes.count() == wanted, f"{app.name}: {boxes.count()} explorers shown, expected {wanted}"
                # Error output only: Playwright's :has-text is case-insensitive, so it would also catch a caption
                # that merely speaks of "phase error". Voilà shows a failed cell as stderr text or as its own
                # "There was an error when executing cell" notice; a traceback names an exception class.
                failed = page.locator(
                    "[data-mime-type='application/vnd.jupyter.stderr'], pre:has-text('Traceback'), "
                    ".jp-OutputArea-output:text-matches('[A-Z]\\w*Error\\b|There was an error when executing')")
                assert failed.count() == 0, f"{app.name} shows an error: {failed.all_inner_texts()[:3]}"
                for i in range(wanted):
                    lab_browser.check_rendered(boxes.nth(i))
                assert lab_browser.nudge(page, boxes.first) <= 1000
                lab_browser.screenshot(page, f"app-{app.stem}")
            finally:
                context.close()
