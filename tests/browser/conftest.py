"""Real-browser test helpers: Debian Chromium, driven by Playwright (sync API), against JupyterLab or Voila.

Reusable pieces for every browser test:

- ``chromium_path``: the browser executable ($CHROMIUM or /usr/bin/chromium). With no browser the tests skip,
  except when ``CI`` is set (not "0"/"false") or ``REQUIRE_BROWSER=1``: then a missing browser fails.
- ``lab_server``: a JupyterLab started once per session on 127.0.0.1 (free port, empty token), serving a
  temporary COPY of notebooks/ (and dashboards/), so autosave never writes outputs into the repository.
- ``voila_server``: a factory ``voila_server("dashboards.ipynb")`` that serves one notebook of a copied
  dashboards/ folder with Voila (skips while dashboards/ does not exist).
- ``browser`` (session) and ``page`` (fresh context per test).
- ``open_notebook_and_run_all(page, url, name)``: opens a notebook in Lab, runs all cells, waits until they
  have finished and returns a ``RunResult`` (errors, widget failures, widget reprs, stderr).
  ``assert_clean(result)`` fails with a readable list of problems.

Never run ``playwright install``: the Debian Chromium is used through ``executable_path``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_START_TIMEOUT_S = 90
VIEWPORT = {"width": 1280, "height": 900}

# JupyterLab 4.6 renders an exception as a stderr output (there is no separate "error" mime type in the DOM):
# <div class="jp-RenderedText jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr"> holding
# "ZeroDivisionError   Traceback (most recent call last)" or, for a SyntaxError, "Cell In[3], line 1 ...".
# Warnings are stderr too ("UserWarning: ..."), so errors are told apart by their text.
ERROR_TEXT = re.compile(
    r"Traceback \(most recent call last\)"
    r"|^\s*Cell In\[\d+\], line \d+"
    r"|^\s*\w*(Error|Exception|Exit)\b(:|\s*$)",
    re.MULTILINE,
)
# A widget view first shows "Loading widget..."; a missing model ends (after ~2 s) as
# "Error displaying widget: model not found"; a missing widget front end shows the plain-text repr.
WIDGET_LOADING = "Loading widget..."
WIDGET_REPR_PATTERNS = (
    "HBox(children=",
    "VBox(children=",
    "Box(children=",
    "interactive(children=",
    "IntSlider(value=",
    "FloatSlider(value=",
    "Dropdown(",
    "Output(",
    "Tab(children=",
)


def browser_required() -> bool:
    """True on CI (CI set and not 0/false) or with REQUIRE_BROWSER=1: a missing Chromium is then a failure."""
    ci = os.environ.get("CI", "").strip().lower()
    return (ci not in ("", "0", "false", "no")) or os.environ.get("REQUIRE_BROWSER", "").strip() == "1"


def find_chromium() -> str | None:
    candidate = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
    path = Path(candidate)
    if path.is_file() and os.access(path, os.X_OK):
        return str(path)
    found = shutil.which(candidate)
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def copy_notebook_dirs(dest: Path, names: tuple[str, ...] = ("notebooks", "dashboards")) -> Path:
    """Copy the given repository folders (if present) into dest, without checkpoints or caches."""
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc")
    for name in names:
        src = REPO_ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
    return dest


@dataclass
class Server:
    """A server started by a fixture: base ``url`` (no trailing slash), served ``root_dir``, ``log`` file."""

    url: str
    root_dir: Path
    log: Path
    process: subprocess.Popen = field(repr=False)

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no log)"


def _wait_http(server: Server, path: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    last = ""
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"server exited with code {server.process.returncode} before answering:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(server.url + path, timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.25)
    raise RuntimeError(f"server did not answer {path} within {timeout_s} s ({last}):\n{server.log_tail()}")


def _stop(process: subprocess.Popen) -> None:
    """Stop a server started in its own process group (SIGTERM, then SIGKILL), kernels included."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


def start_server(cmd: list[str], url: str, root_dir: Path, log: Path, ready_path: str, env=None) -> Server:
    handle = log.open("wb")
    try:
        process = subprocess.Popen(
            cmd,
            cwd=root_dir,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # own process group: kernels are stopped with it
        )
    finally:
        handle.close()
    server = Server(url=url, root_dir=root_dir, log=log, process=process)
    try:
        _wait_http(server, ready_path, SERVER_START_TIMEOUT_S)
    except BaseException:
        _stop(process)
        raise
    return server


def _jupyter_env(state_dir: Path) -> dict[str, str]:
    """Keep runtime files, user settings and workspaces of test servers out of the user's ~/.jupyter.

    The test Lab never autosaves, so the copied notebooks stay output-free and reopening one starts clean.
    """
    docmanager = (
        state_dir / "user-settings" / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings"
    )
    docmanager.parent.mkdir(parents=True, exist_ok=True)
    docmanager.write_text(json.dumps({"autosave": False}))
    env = dict(os.environ)
    env.update(
        JUPYTER_RUNTIME_DIR=str(state_dir / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(state_dir / "user-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(state_dir / "workspaces"),
        OMP_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
    )
    env.pop("JUPYTER_TOKEN", None)
    return env


# ------------------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        message = (
            "no Chromium found at $CHROMIUM or /usr/bin/chromium "
            "(Debian/Ubuntu: `apt-get install chromium`; never `playwright install`)"
        )
        if browser_required():
            pytest.fail(
                f"browser tests are required here (CI or REQUIRE_BROWSER=1), but {message}", pytrace=False
            )
        pytest.skip(f"browser tests skipped: {message}")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def lab_server(chromium_path, tmp_path_factory) -> Iterator[Server]:
    """JupyterLab on 127.0.0.1:<free port>, empty token, serving a temporary copy of notebooks/, dashboards/.

    Depends on ``chromium_path`` so that no server is started when the browser tests are skipped.
    """
    base = tmp_path_factory.mktemp("lab")
    root = copy_notebook_dirs(base / "root")
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        "--ServerApp.terminals_enabled=False",
    ]
    if is_root():
        cmd.append("--allow-root")
    url = f"http://127.0.0.1:{port}"
    server = start_server(cmd, url, root, base / "jupyterlab.log", "/api/status", env=_jupyter_env(base))
    try:
        yield server
    finally:
        _stop(server.process)


@pytest.fixture(scope="session")
def voila_server(chromium_path, tmp_path_factory) -> Iterator[Callable[[str], Server]]:
    """Factory: ``voila_server("dashboards.ipynb")`` serves that notebook of a copied dashboards/ folder.

    One Voila process per notebook file, started on first use and stopped at the end of the session.
    """
    if not (REPO_ROOT / "dashboards").is_dir():
        pytest.skip("dashboards/ does not exist yet")
    base = tmp_path_factory.mktemp("voila")
    root = copy_notebook_dirs(base / "root", names=("dashboards",)) / "dashboards"
    servers: dict[str, Server] = {}

    def start(notebook: str) -> Server:
        if notebook in servers:
            return servers[notebook]
        if not (root / notebook).is_file():
            pytest.fail(f"dashboards/{notebook} not found")
        port = free_port()
        cmd = [
            sys.executable,
            "-m",
            "voila",
            notebook,
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
        ]
        url = f"http://127.0.0.1:{port}"
        # "/" runs the notebook before it answers, so it is ready when it first returns 200.
        log = base / f"voila-{Path(notebook).stem}.log"
        servers[notebook] = start_server(cmd, url, root, log, "/", env=_jupyter_env(base))
        return servers[notebook]

    try:
        yield start
    finally:
        for server in servers.values():
            _stop(server.process)


# ------------------------------------------------------------------------------------------------------------
# Driving a notebook


@dataclass
class RunResult:
    """What a notebook showed after Run All Cells."""

    name: str
    code_cells: int = 0
    executed_cells: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)  # tracebacks / error outputs
    widget_errors: list[str] = field(default_factory=list)  # "Error displaying widget ..."
    widget_reprs: list[str] = field(default_factory=list)  # plain-text widget reprs instead of views
    stderr: list[str] = field(default_factory=list)  # other stderr output (warnings)

    def problems(self) -> list[str]:
        out = [f"error output: {e}" for e in self.errors]
        out += [f"widget failed to display: {e}" for e in self.widget_errors]
        out += [f"widget shown as plain text (front end not loaded?): {e}" for e in self.widget_reprs]
        if not self.errors and self.executed_cells < self.code_cells:
            out.append(f"only {self.executed_cells} of {self.code_cells} code cells ran")
        return out


_PROBE_JS = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return null;
  const cells = Array.from(panel.querySelectorAll('.jp-Notebook .jp-CodeCell'));
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return {
    prompts: cells.map(c => (c.querySelector('.jp-InputArea-prompt')?.textContent || '').trim()),
    status: indicator ? indicator.getAttribute('data-status') : null,
    outputs: Array.from(panel.querySelectorAll('.jp-OutputArea-output')).map(e => ({
      mime: e.getAttribute('data-mime-type') || '',
      text: (e.innerText || e.textContent || '').trim(),
    })),
  };
}
"""


def _probe(page) -> dict | None:
    return page.evaluate(_PROBE_JS)


def classify_outputs(outputs: list[dict], result: RunResult) -> None:
    """Sort rendered outputs into errors, widget failures, widget reprs and other stderr (warnings)."""
    for out in outputs:
        mime, text = out["mime"], out["text"]
        if "Error displaying widget" in text:
            result.widget_errors.append(text[:300])
        elif text == WIDGET_LOADING:
            result.widget_errors.append("widget view never finished loading ('Loading widget...')")
        elif mime == "application/vnd.jupyter.error" or (
            mime == "application/vnd.jupyter.stderr" and ERROR_TEXT.search(text)
        ):
            result.errors.append(text[:800])
        elif mime == "application/vnd.jupyter.stderr":
            result.stderr.append(text[:300])
        elif any(text.startswith(p) for p in WIDGET_REPR_PATTERNS):
            result.widget_reprs.append(text[:200])


_KERNEL_READY_JS = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const item = document.querySelector('.jp-StatusBar-TextItem[title^="Change kernel for"]');
  const text = item ? item.textContent.trim() : '';
  // Before the kernel exists the indicator already says "idle" and the status bar "No Kernel | ...".
  return !!indicator && indicator.getAttribute('data-status') === 'idle'
    && /\\| Idle$/.test(text) && !text.startsWith('No Kernel');
}
"""


def wait_for_kernel_idle(page, timeout_s: float = 60) -> None:
    """Wait until the notebook's kernel has started, connected and is idle."""
    page.wait_for_function(_KERNEL_READY_JS, timeout=timeout_s * 1000, polling=100)


def run_all_cells(page) -> None:
    """Run > Run All Cells through the menu bar (what a student does)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()


def shutdown_sessions(url: str, name: str) -> None:
    """Shut down the kernel sessions of notebook ``name``, so that the next open starts a fresh kernel."""
    with urllib.request.urlopen(f"{url}/api/sessions", timeout=10) as resp:
        sessions = json.load(resp)
    for session in sessions:
        if session.get("path") == name:
            req = urllib.request.Request(f"{url}/api/sessions/{session['id']}", method="DELETE")
            urllib.request.urlopen(req, timeout=30).close()


def open_notebook(page, url: str, name: str, timeout_s: float = 60) -> None:
    """Open ``name`` (relative to the server root) in JupyterLab with a fresh workspace and a fresh kernel.

    Waits until the kernel is idle.
    """
    shutdown_sessions(url, name)
    page.goto(f"{url}/lab/tree/{name}?reset", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", timeout=timeout_s * 1000)
    wait_for_kernel_idle(page, timeout_s)


def open_notebook_and_run_all(
    page, url: str, name: str, timeout_s: float = 120, settle_s: float = 0.5, widget_timeout_s: float = 15
) -> RunResult:
    """Open a notebook, Run All Cells, wait until every cell has finished, and report what the page shows.

    Finished means: the kernel indicator is idle, no prompt shows ``[*]``, and either every code cell has an
    execution count or an error stopped the run. Then waits until no widget view shows "Loading widget..."
    (at most ``widget_timeout_s``) and another ``settle_s``.
    """
    open_notebook(page, url, name)
    start = time.monotonic()
    run_all_cells(page)
    deadline = start + timeout_s
    state = None
    stable = 0
    while time.monotonic() < deadline:
        state = _probe(page)
        if state is not None:
            prompts = state["prompts"]
            running = any("*" in p for p in prompts)
            executed = sum(any(ch.isdigit() for ch in p) for p in prompts)
            failed = any(
                o["mime"] == "application/vnd.jupyter.stderr" and ERROR_TEXT.search(o["text"])
                for o in state["outputs"]
            )
            done = not running and state["status"] == "idle" and (executed == len(prompts) or failed)
            stable = stable + 1 if done else 0
            if stable >= 2:
                break
        time.sleep(0.2)
    else:
        raise AssertionError(f"{name}: cells still running after {timeout_s} s: {state and state['prompts']}")
    seconds = time.monotonic() - start
    # Widget views render after the kernel is idle: wait until none is still loading (or widget_timeout_s).
    widget_deadline = time.monotonic() + widget_timeout_s
    while time.monotonic() < widget_deadline and any(o["text"] == WIDGET_LOADING for o in state["outputs"]):
        time.sleep(0.2)
        state = _probe(page)
    page.wait_for_timeout(settle_s * 1000)
    state = _probe(page)
    result = RunResult(name=name, seconds=seconds, code_cells=len(state["prompts"]))
    result.executed_cells = sum(any(ch.isdigit() for ch in p) for p in state["prompts"])
    classify_outputs(state["outputs"], result)
    return result


def assert_clean(result: RunResult) -> None:
    problems = result.problems()
    assert not problems, f"{result.name}:\n  " + "\n  ".join(problems)
