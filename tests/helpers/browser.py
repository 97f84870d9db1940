"""Drive JupyterLab in a real browser (Chromium through Playwright) as a student would.

Shared by ``tests/test_browser.py`` (does every chapter run and respond?) and
``benchmarks/bench_browser.py`` (how fast does a figure redraw after a key press?).

* :class:`JupyterLab` serves a throw-away copy of the course on 127.0.0.1 with no token, its own
  Jupyter and JupyterLab settings folders (news and update checks off, every cell rendered, no
  autosave), and is stopped on exit whatever happened; :class:`Voila` does the same for the
  chapters' explorer apps (``energylab app``).
* :func:`chromium` starts headless Chromium from the machine (Debian's ``chromium`` package):
  Playwright's own browser download is not used.
* :func:`open_notebook`, :func:`run_all`, :func:`explorers`, :func:`check_rendered` and
  :func:`nudge` act and check through the page only (menus, keyboard, the DOM); each check raises
  ``AssertionError`` with a message a person can act on.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from helpers import WIDGET_VIEW

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
COURSE_FOLDERS = ("chapters", "solutions", "exercises")
INSTALL_HINT = ("to run the browser tests: `apt-get install chromium` and `pip install -e '.[browser]'` "
                "(or point ENERGYLAB_CHROMIUM at a Chromium or Chrome executable)")
# Headless on a machine with no display, GPU or internet: without the networking flags Chromium
# keeps trying to reach Google's services and floods the log with refused connections.
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
# JupyterLab user settings for the test server: no news or update pop-ups, every cell in the DOM
# (the default windowing leaves off-screen cells unrendered), no autosave of the temporary copy.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"checkForUpdates": False, "fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}
REDRAW_DEADLINE_S = 1.0


# ---- what is installed ------------------------------------------------------------------------
def chromium_executable() -> str | None:
    """Path of the machine's Chromium (or Chrome), ``$ENERGYLAB_CHROMIUM`` first; None if absent."""
    chosen = os.environ.get("ENERGYLAB_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def missing() -> str | None:
    """Why browser tests cannot run here, in one line; None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed; " + INSTALL_HINT
    if chromium_executable() is None:
        return "Chromium is not installed; " + INSTALL_HINT
    return None


# ---- the course's notebooks -------------------------------------------------------------------
def course_notebooks() -> list[str]:
    """Every chapter and solutions notebook, as paths relative to the course root."""
    return [f"{folder}/{p.name}" for folder in ("chapters", "solutions")
            for p in sorted((ROOT / folder).glob("[0-9][0-9]_*.ipynb"))]


def expected_explorers(notebook: Path) -> int:
    """How many explorers the stored notebook displays (outputs with a widget view and alt text)."""
    cells = json.loads(Path(notebook).read_text())["cells"]
    return sum(1 for cell in cells if cell["cell_type"] == "code" for out in cell.get("outputs", [])
               if WIDGET_VIEW in out.get("data", {})
               and "".join(out["data"].get("text/plain", "")).startswith("Figure"))


# ---- the server -------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM when the test process dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


class _Server:
    """A Jupyter web server over a temporary copy of the course; use as a context manager.

    Parameters
    ----------
    workdir : Path
        An empty folder for the copy of the course, the settings folders and the server log.
    """

    #: What the server is called in messages.
    name = "server"
    #: A cheap page that answers once the server is ready.
    ready_path = "/"

    def __init__(self, workdir: Path):
        self.workdir = Path(workdir)
        self.course = self.workdir / "course"
        self.log_path = self.workdir / f"{self.name.lower()}.log"
        self.process = None
        self.port = None

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def command(self) -> list[str]:
        raise NotImplementedError

    def prepare(self, env: dict) -> None:
        """Write settings before the start (subclasses)."""

    def start(self, timeout: float = 90.0) -> None:
        for folder in COURSE_FOLDERS:
            if (ROOT / folder).is_dir() and not (self.course / folder).exists():
                shutil.copytree(ROOT / folder, self.course / folder,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the student's inline backend
        for name, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                          ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                          ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")):
            env[name] = str(self.workdir / sub)
        self.prepare(env)
        self.port = _free_port()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(self.command(), cwd=self.course, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with code {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(self.url(self.ready_path), timeout=2) as response:
                    if response.status == 200:
                        return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def shutdown_kernels(self) -> None:
        """Shut down every running kernel (subclasses with a kernels API)."""

    def stop(self) -> None:
        """Shut the kernels down and stop the server: politely, then by force."""
        if self.process is None or self.process.poll() is not None:
            return
        self.shutdown_kernels()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)


class JupyterLab(_Server):
    """JupyterLab on 127.0.0.1, no token, its own user settings (:data:`LAB_SETTINGS`)."""

    name = "JupyterLab"
    ready_path = "api/status"

    def prepare(self, env: dict) -> None:
        settings = self.workdir / "lab-settings"
        for plugin, values in LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env["JUPYTERLAB_SETTINGS_DIR"] = str(settings)

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                   "--IdentityProvider.token=", "--ServerApp.password=",
                   "--ServerApp.disable_check_xsrf=True",  # loopback only; lets the test call the REST API
                   f"--ServerApp.root_dir={self.course}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        return command

    def _api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(self.url(f"api/{path}"), method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Shut down every running kernel (between notebooks, to keep memory flat)."""
        with contextlib.suppress(OSError):
            for kernel in self._api("kernels"):
                with contextlib.suppress(OSError):
                    self._api(f"kernels/{kernel['id']}", method="DELETE")


class Voila(_Server):
    """Voilà serving the course's ``apps/`` folder (``energylab app``): ``url("voila/render/<name>")``."""

    name = "Voila"

    def command(self) -> list[str]:
        (self.course / "apps").mkdir(exist_ok=True)
        return [sys.executable, "-m", "voila", str(self.course / "apps"), "--no-browser", "--Voila.ip=127.0.0.1",
                f"--port={self.port}", "--Voila.port_retries=0", "--show_tracebacks=True"]


@contextlib.contextmanager
def chromium():
    """Headless Chromium from the machine, through Playwright; closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


# ---- acting on a notebook ---------------------------------------------------------------------
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

_FINISHED = """(panel) => {
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim());
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const numbered = prompts.filter(t => /^\\[\\d+\\]:$/.test(t)).length;
  const failed = panel.querySelector('[data-mime-type="application/vnd.jupyter.stderr"]') !== null;
  return indicator !== null && indicator.dataset.status === 'idle' && !prompts.includes('[*]:')
    && numbered > 0 && (numbered === prompts.length || failed);
}"""

_REPORT = """(panel) => {
  const text = e => e.innerText.trim().slice(0, 600);
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim());
  return {
    code_cells: prompts.length,
    unexecuted: prompts.filter(t => !/^\\[\\d+\\]:$/.test(t)).length,
    // JupyterLab renders tracebacks and warnings alike as stderr text
    stderr: [...panel.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')].map(text),
  };
}"""


@dataclass
class RunReport:
    """What a notebook shows after Run All: its code cells, those that did not run, and any
    error or warning text (JupyterLab shows tracebacks and warnings alike as stderr)."""
    path: str
    code_cells: int
    unexecuted: int
    stderr: list = field(default_factory=list)
    seconds: float = 0.0

    def problems(self) -> list[str]:
        found = [f"error or warning shown: {e}" for e in self.stderr]
        if self.unexecuted:
            found.append(f"{self.unexecuted} of {self.code_cells} code cells did not run")
        return found

    def check(self) -> None:
        """Raise AssertionError listing every error, warning and cell that did not run."""
        problems = self.problems()
        assert not problems, f"{self.path} after Run All:\n  " + "\n  ".join(problems)


def _menu(page, menu: str, command: str) -> None:
    page.locator(".lm-MenuBar-item", has_text=menu).first.click()
    page.locator(f".lm-Menu-item[data-command='{command}']").click()


def open_notebook(page, lab: JupyterLab, path: str, timeout_s: float = 90.0):
    """Open ``path`` alone (a reset workspace) and wait for its kernel to be idle; returns the panel."""
    page.goto(lab.url(f"lab/tree/{path}?reset"))
    panel = page.locator(PANEL)
    panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=timeout_s * 1e3)
    # The indicator says "idle" before a kernel is attached; the server knows when it really is.
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, ValueError):
            if any(s.get("path", "").endswith(path) and (s.get("kernel") or {}).get("execution_state") == "idle"
                   for s in lab._api("sessions")):
                return panel
        time.sleep(0.2)
    raise AssertionError(f"{path}: its kernel was not ready within {timeout_s:.0f} s:\n{lab.log_tail()}")


def run_all(page, path: str = "", timeout_s: float = 180.0) -> RunReport:
    """Clear every output, Run All from the Run menu, wait until the kernel is done; report."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    panel = page.locator(PANEL)
    _menu(page, "Edit", "editmenu:clear-all")
    page.wait_for_function("(p) => p.querySelector('.jp-OutputArea-output') === null",
                           arg=panel.element_handle())
    start = time.perf_counter()
    _menu(page, "Run", "runmenu:run-all")
    try:
        page.wait_for_function(_FINISHED, arg=panel.element_handle(), timeout=timeout_s * 1e3, polling=100)
    except PlaywrightTimeout:
        report = RunReport(path=path, **panel.evaluate(_REPORT))
        raise AssertionError(f"{path}: Run All did not finish within {timeout_s:.0f} s; "
                             f"{report.unexecuted} of {report.code_cells} code cells still waiting") from None
    seconds = time.perf_counter() - start
    return RunReport(path=path, seconds=seconds, **panel.evaluate(_REPORT))


def wait_for_explorers(page, count: int, scope: str = PANEL, timeout_s: float = 15.0) -> None:
    """Wait until ``count`` explorers show a loaded figure (widget views render after the kernel is idle)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    with contextlib.suppress(PlaywrightTimeout):  # the caller's count assertion reports a shortfall
        page.wait_for_function(
            """([scope, n]) => [...document.querySelectorAll(scope + ' .widget-vbox')]
                 .filter(b => [...b.children].some(c => c.classList.contains('widget-image')))
                 .filter(b => { const i = b.querySelector('img'); return i && i.complete && i.naturalWidth > 0; })
                 .length >= n""", arg=[scope, count], timeout=timeout_s * 1e3)


def explorers(page, scope: str = PANEL):
    """The live explorers on the page (in JupyterLab's open notebook by default): widget boxes
    holding an image, the figure."""
    return page.locator(f"{scope} .widget-vbox:has(> .widget-image)")


CONTROLS = ".widget-slider, .widget-hslider, .widget-dropdown"


def explorer_label(explorer) -> str:
    """The explorer's alt text (caption), for messages."""
    caption = explorer.locator(".energylab-alt")
    return caption.inner_text().strip() if caption.count() else "(no caption)"


def check_rendered(explorer) -> None:
    """Raise AssertionError unless the explorer shows controls, a decoded figure and a caption."""
    label = explorer_label(explorer)
    assert explorer.locator(CONTROLS).count() > 0, f"explorer shows no controls: {label}"
    size = explorer.locator("img").first.evaluate("(img) => img.complete ? img.naturalWidth : 0")
    assert size > 0, f"explorer figure did not load: {label}"
    assert label.startswith("Figure"), f"explorer caption missing or wrong: {label}"


_WATCH = """(box) => {
  const img = box.querySelector('img');
  const watch = {key: null, changed: null, loaded: null};
  document.addEventListener('keydown', () => { if (watch.key === null) watch.key = performance.now(); },
                            {capture: true, once: true});
  new MutationObserver((records, observer) => {
    observer.disconnect();
    watch.changed = performance.now();
    img.addEventListener('load', () => { watch.loaded = performance.now(); }, {once: true});
  }).observe(img, {attributes: true, attributeFilter: ['src']});
  window.__energylabWatch = watch;
}"""

_DIGEST = """async (img) => {
  const bytes = await (await fetch(img.src)).arrayBuffer();
  const hash = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(hash)].map(b => b.toString(16).padStart(2, '0')).join('');
}"""


def _first_control(explorer):
    """The control a student would try first, and the key that moves it (away from an end stop)."""
    handles = explorer.locator(".noUi-handle")
    if handles.count():
        handle = handles.first
        now, top = (float(handle.get_attribute(a) or 0) for a in ("aria-valuenow", "aria-valuemax"))
        return handle, "ArrowLeft" if now >= top else "ArrowRight"
    select = explorer.locator("select").first
    last = select.evaluate("(s) => s.selectedIndex === s.options.length - 1")
    return select, "ArrowUp" if last else "ArrowDown"


def nudge(page, explorer, deadline_s: float = REDRAW_DEADLINE_S, patience_s: float = 3.0) -> float:
    """Move the explorer's first control one step by keyboard; return ms from key press to new figure.

    Raises AssertionError when the figure's image does not change (new bytes, loaded) within
    ``patience_s``, or changes later than ``deadline_s`` (the two failures are told apart); the
    message quotes the caption, where an explorer reports a failed update.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    image = explorer.locator("img").first
    before = image.evaluate(_DIGEST)
    target, key = _first_control(explorer)
    explorer.evaluate(_WATCH)
    target.focus()
    page.keyboard.press(key)
    try:
        page.wait_for_function("() => window.__energylabWatch.loaded !== null",
                               timeout=max(patience_s, deadline_s) * 1e3, polling="raf")
    except PlaywrightTimeout:
        raise AssertionError(f"the figure did not change within {patience_s:g} s of pressing {key} on the "
                             f"first control; caption now: {explorer_label(explorer)}") from None
    watch = page.evaluate("() => window.__energylabWatch")
    latency_ms = watch["loaded"] - watch["key"]
    assert image.evaluate(_DIGEST) != before, f"the image was replaced by an identical one: {explorer_label(explorer)}"
    assert latency_ms <= deadline_s * 1e3, (f"the figure took {latency_ms:.0f} ms to redraw (budget "
                                            f"{deadline_s * 1e3:.0f} ms): {explorer_label(explorer)}")
    return latency_ms


def screenshot(page, name: str, explorers_locator=None) -> list[Path]:
    """Save the page, and each explorer, under ``artifacts/browser/`` for people to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = [ARTIFACTS / f"{name}.png"]
    page.screenshot(path=str(saved[0]))
    if explorers_locator is not None:
        for i in range(explorers_locator.count()):
            path = ARTIFACTS / f"{name}-explorer-{i + 1}.png"
            explorers_locator.nth(i).screenshot(path=str(path))
            saved.append(path)
    return saved
