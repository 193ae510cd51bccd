"""A class on a real JupyterHub: N simulated students on 127.0.0.1, measured per student.

JupyterHub (PyPI) + configurable-http-proxy (npm, project-local under .ci/node), DummyAuthenticator and
SimpleLocalProcessSpawner. Each student: gets a token through the hub's REST API (an admin service creates
the user and issues the token; the dummy authenticator has no password to check), starts a server, opens a
notebook through the Jupyter server contents API, executes every code cell over the kernel websocket
(execute_request, wait for the reply and the idle status), then moves one slider of the app 20 times
through the widget protocol: a ``comm_msg`` ``{"method": "update", "state": {"value": v}}`` sent to the
slider's model, exactly what the browser's widget manager sends. No browser is involved. Latency is send ->
the kernel's idle status for that message, and each update must be answered by the app (other widgets' models
updated), otherwise it counts as an error.

    .venv/bin/python benchmarks/bench_class.py --students 20

Every server and kernel runs in its own process group under a fresh temporary folder; everything whose
working directory is inside that folder is killed at the end (try/finally), and every loop is bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil
import websocket

REPO_ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHP_LOCAL = REPO_ROOT / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
DEFAULT_NOTEBOOK = "notebooks/01_half_life.ipynb"
SLIDER_MODELS = ("FloatSliderModel", "IntSliderModel")


def find_chp() -> str | None:
    """The configurable-http-proxy executable: $CHP, the project-local npm folder, then PATH."""
    for candidate in (os.environ.get("CHP"), str(CHP_LOCAL), shutil.which("configurable-http-proxy")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class KernelDiedError(RuntimeError):
    """The student's kernel died or restarted under a pending request."""


@dataclass
class HubConfig:
    kernel_cull_idle_s: int = 600
    kernel_cull_interval_s: int = 60
    server_cull_idle_s: int = 3600
    server_cull_every_s: int = 60
    activity_interval_s: int = 30


class Hub:
    """A JupyterHub process on 127.0.0.1 with its proxy; restartable with the same database and secrets."""

    def __init__(self, workdir: Path, cfg: HubConfig) -> None:
        chp = find_chp()
        if chp is None:
            raise RuntimeError(
                "configurable-http-proxy not found: run "
                "`npm install --prefix .ci/node configurable-http-proxy@5`"
            )
        self.workdir = workdir
        self.port, self.hub_port, self.api_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(32)
        self.proc: subprocess.Popen[bytes] | None = None
        (workdir / "home").mkdir(parents=True, exist_ok=True)
        culler = [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={cfg.server_cull_idle_s}",
            f"--cull-every={cfg.server_cull_every_s}",
        ]
        config = f"""
c = get_config()  # noqa
c.JupyterHub.bind_url = {self.url!r}
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{self.hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{self.api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = {str(workdir / "home" / "{username}")!r}
c.Spawner.cmd = [{str(BIN / "jupyterhub-singleuser")!r}]
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.args = [
    "--MappingKernelManager.cull_idle_timeout={cfg.kernel_cull_idle_s}",
    "--MappingKernelManager.cull_interval={cfg.kernel_cull_interval_s}",
    "--MappingKernelManager.cull_connected=False",
    "--SingleUserNotebookApp.hub_activity_interval={cfg.activity_interval_s}",
]
if {os.geteuid() == 0!r}:  # CI containers run as root
    c.Spawner.args.append("--allow-root")
c.JupyterHub.last_activity_interval = {cfg.activity_interval_s}
c.JupyterHub.cleanup_servers = False  # a hub restart leaves the students' servers running
c.JupyterHub.db_url = "sqlite:///{workdir / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(workdir / "cookie_secret")!r}
c.JupyterHub.pid_file = {str(workdir / "hub.pid")!r}
c.JupyterHub.services = [
    {{"name": "bench", "api_token": {self.token!r}}},
    {{"name": "idle-culler", "command": {culler!r}}},
]
c.JupyterHub.load_roles = [
    {{"name": "admin", "services": ["bench"]}},
    {{"name": "idle-culler", "services": ["idle-culler"],
      "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}},
]
"""
        self.config_file = workdir / "jupyterhub_config.py"
        self.config_file.write_text(config)
        self.env = dict(os.environ, CONFIGPROXY_AUTH_TOKEN=secrets.token_hex(32))
        self.env["PATH"] = f"{BIN}{os.pathsep}{Path(chp).parent}{os.pathsep}{self.env.get('PATH', '')}"

    def start(self, timeout_s: float = 90) -> None:
        log = open(self.workdir / "hub.log", "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(self.config_file)],
            cwd=self.workdir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"jupyterhub exited with {self.proc.returncode}; see {self.workdir}/hub.log"
                )
            try:
                self.api("GET", "/hub/api/")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.3)
        raise TimeoutError(f"jupyterhub not ready after {timeout_s} s")

    def stop(self, timeout_s: float = 30) -> None:
        """SIGTERM the hub (it stops its proxy; servers keep running) and wait, bounded."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def api(
        self, method: str, path: str, body: Any = None, token: str | None = None, timeout: float = 30
    ) -> Any:
        return http_json(self.url + path, method, body, token or self.token, timeout)

    def kill_everything(self) -> None:
        """Kill the hub's process group and every process (servers, kernels, proxy) run from our folder."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for proc in processes_under(self.workdir):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                proc.kill()
            except psutil.Error:
                pass


def processes_under(folder: Path) -> list[psutil.Process]:
    """Our processes whose working directory is inside ``folder`` (the hub, proxy, servers and kernels)."""
    found = []
    prefix = str(folder)
    me = psutil.Process().uids().real
    for proc in psutil.process_iter(["pid", "uids"]):
        try:
            if proc.info["uids"] is None or proc.info["uids"].real != me or proc.pid == os.getpid():
                continue
            if proc.cwd().startswith(prefix):
                found.append(proc)
        except psutil.Error:
            continue
    return found


def http_json(
    url: str, method: str = "GET", body: Any = None, token: str | None = None, timeout: float = 30
) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    if token:
        req.add_header("Authorization", f"token {token}")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        raw = resp.read()
    return json.loads(raw) if raw else None


class KernelChannel:
    """The Jupyter kernel websocket (JSON messages with a ``channel`` field), driven without a browser."""

    def __init__(self, ws_url: str, token: str, timeout_s: float = 30) -> None:
        self.ws = websocket.create_connection(
            ws_url, header=[f"Authorization: token {token}"], timeout=timeout_s
        )
        self.session = uuid.uuid4().hex
        self.comms: dict[str, dict[str, Any]] = {}

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001 - closing a dead socket
            pass

    def _send(self, channel: str, msg_type: str, content: dict[str, Any]) -> str:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "username": "student",
            "session": self.session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        msg = {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": channel}
        msg["buffers"] = []
        self.ws.send(json.dumps(msg))
        return msg_id

    def _wait(self, msg_id: str, want_reply: bool, timeout_s: float) -> dict[str, Any]:
        """Read until the kernel is idle for ``msg_id`` (and its reply arrived). Bounded by ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        result: dict[str, Any] = {"errors": [], "reply": None, "comm_updates": 0, "idle": False}
        while time.monotonic() < deadline:
            self.ws.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                break
            except (websocket.WebSocketConnectionClosedException, OSError) as exc:
                raise KernelDiedError(f"kernel websocket closed while waiting for a reply: {exc}") from exc
            if not isinstance(raw, str):
                continue
            msg = json.loads(raw)
            mtype = msg.get("msg_type") or msg["header"]["msg_type"]
            content = msg.get("content", {})
            if mtype == "status" and content.get("execution_state") in ("restarting", "dead"):
                raise KernelDiedError(
                    f"the kernel died (status {content['execution_state']!r}); "
                    "restart the kernel and run the notebook again"
                )
            if mtype == "comm_open":
                self.comms[content["comm_id"]] = content.get("data", {}).get("state", {})
            parent = msg.get("parent_header", {}).get("msg_id")
            if parent != msg_id:
                continue
            if mtype == "error":
                result["errors"].append(f"{content.get('ename')}: {content.get('evalue')}")
            elif mtype == "comm_msg" and content.get("data", {}).get("method") == "update":
                result["comm_updates"] += 1
            elif mtype in ("execute_reply", "comm_info_reply", "kernel_info_reply"):
                result["reply"] = content
                if content.get("status") == "error":
                    result["errors"].append(f"{content.get('ename')}: {content.get('evalue')}")
            elif mtype == "status" and content.get("execution_state") == "idle":
                result["idle"] = True
            if result["idle"] and (result["reply"] is not None or not want_reply):
                return result
        raise KernelDiedError(
            f"no answer from the kernel within {timeout_s:.0f} s (the kernel may have died)"
        )

    def execute(self, code: str, timeout_s: float = 120) -> dict[str, Any]:
        content = {
            "code": code,
            "silent": False,
            "store_history": True,
            "user_expressions": {},
            "allow_stdin": False,
            "stop_on_error": True,
        }
        return self._wait(self._send("shell", "execute_request", content), True, timeout_s)

    def widget_update(self, comm_id: str, state: dict[str, Any], timeout_s: float = 30) -> dict[str, Any]:
        content = {"comm_id": comm_id, "data": {"method": "update", "state": state, "buffer_paths": []}}
        return self._wait(self._send("shell", "comm_msg", content), False, timeout_s)


def kernel_process(kernel_id: str, folder: Path) -> psutil.Process | None:
    for proc in processes_under(folder):
        try:
            if any(f"kernel-{kernel_id}" in part for part in proc.cmdline()):
                return proc
        except psutil.Error:
            continue
    return None


def peak_rss_mb(proc: psutil.Process) -> float:
    """Peak resident set size (VmHWM on Linux; current RSS elsewhere)."""
    try:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return proc.memory_info().rss / 2**20


@dataclass
class StudentResult:
    name: str
    server_start_s: float = float("nan")
    run_all_s: float = float("nan")
    update_p50_ms: float = float("nan")
    update_p95_ms: float = float("nan")
    kernel_peak_rss_mb: float = float("nan")
    kernel_cpu_s: float = float("nan")
    server_peak_rss_mb: float = float("nan")
    slider: str = ""
    errors: list[str] = field(default_factory=list)
    fault: str = ""


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


class Student:
    def __init__(self, hub: Hub, name: str, notebook: Path) -> None:
        self.hub, self.name, self.notebook = hub, name, notebook
        self.token = ""
        self.base = f"{hub.url}/user/{name}"
        self.kernel_id = ""
        self.channel: KernelChannel | None = None
        self.result = StudentResult(name)

    def server_api(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Any:
        return http_json(self.base + path, method, body, self.token, timeout)

    def login_and_spawn(self, timeout_s: float = 120) -> None:
        home = self.hub.workdir / "home" / self.name
        home.mkdir(parents=True, exist_ok=True)
        shutil.copy(self.notebook, home / self.notebook.name)
        self.hub.api("POST", f"/hub/api/users/{self.name}")
        self.token = self.hub.api("POST", f"/hub/api/users/{self.name}/tokens", {"note": "bench"})["token"]
        t0 = time.monotonic()
        http_json(f"{self.hub.url}/hub/api/users/{self.name}/server", "POST", {}, self.token)
        deadline = t0 + timeout_s
        while time.monotonic() < deadline:
            model = http_json(f"{self.hub.url}/hub/api/users/{self.name}", token=self.token)
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                break
            time.sleep(0.25)
        else:
            raise TimeoutError(f"{self.name}: server not ready after {timeout_s} s")
        self.server_api("GET", "/api/status")
        self.result.server_start_s = time.monotonic() - t0

    def open_notebook(self) -> list[str]:
        model = self.server_api("GET", f"/api/contents/{self.notebook.name}?content=1")
        cells = model["content"]["cells"]
        return [
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in cells
            if c["cell_type"] == "code"
        ]

    def start_kernel(self) -> None:
        session = self.server_api(
            "POST",
            "/api/sessions",
            {"path": self.notebook.name, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
        )
        self.kernel_id = session["kernel"]["id"]
        self.connect()

    def connect(self) -> None:
        if self.channel is not None:
            self.channel.close()
        ws_url = self.base.replace("http://", "ws://") + f"/api/kernels/{self.kernel_id}/channels"
        self.channel = KernelChannel(ws_url, self.token)

    def run_all(self, cells: list[str]) -> None:
        assert self.channel is not None
        t0 = time.monotonic()
        for code in cells:
            out = self.channel.execute(code)
            self.result.errors.extend(out["errors"])
        self.result.run_all_s = time.monotonic() - t0

    def pick_slider(self) -> tuple[str, dict[str, Any]]:
        assert self.channel is not None
        for comm_id, state in self.channel.comms.items():
            if state.get("_model_name") in SLIDER_MODELS and not state.get("disabled"):
                return comm_id, state
        raise RuntimeError(f"{self.name}: the notebook displayed no slider widget")

    def move_slider(self, n: int, kill_at: int | None = None) -> list[float]:
        """Move the slider ``n`` times (widget protocol). ``kill_at``: SIGKILL the kernel before that move."""
        assert self.channel is not None
        comm_id, state = self.pick_slider()
        self.result.slider = str(state.get("description", comm_id))
        lo, hi = float(state["min"]), float(state["max"])
        is_int = state["_model_name"] == "IntSliderModel"
        latencies = []
        for i in range(n):
            value: float = lo + (hi - lo) * ((i * 7) % 19 + 1) / 20
            if is_int:
                value = int(round(value))
            if kill_at is not None and i == kill_at:
                self.kill_kernel()
            t0 = time.monotonic()
            out = self.channel.widget_update(comm_id, {"value": value})
            latencies.append(time.monotonic() - t0)
            self.result.errors.extend(out["errors"])
            if out["comm_updates"] == 0:
                self.result.errors.append(f"update {i}: the app did not answer value={value}")
        return latencies

    def kill_kernel(self) -> None:
        proc = kernel_process(self.kernel_id, self.hub.workdir)
        if proc is None:
            raise RuntimeError(f"{self.name}: kernel process not found")
        proc.kill()

    def measure_kernel(self) -> None:
        proc = kernel_process(self.kernel_id, self.hub.workdir)
        if proc is None:
            self.result.errors.append("kernel process not found for measurement")
            return
        times = proc.cpu_times()
        self.result.kernel_cpu_s = times.user + times.system
        self.result.kernel_peak_rss_mb = peak_rss_mb(proc)
        try:
            server = proc.parent()
            if server is not None:
                self.result.server_peak_rss_mb = peak_rss_mb(server)
        except psutil.Error:
            pass

    def restart_kernel(self, attempts: int = 10) -> None:
        """Restart the kernel through the REST API (retried, bounded, while the auto-restart finishes)."""
        for attempt in range(attempts):
            try:
                self.server_api("POST", f"/api/kernels/{self.kernel_id}/restart", {})
                break
            except urllib.error.HTTPError:
                if attempt == attempts - 1:
                    raise
                time.sleep(1)
        self.connect()


def run_student(student: Student, updates: int, kill_at: int | None = None) -> StudentResult:
    """One student's session. ``kill_at``: the fault drill (kernel killed mid-run, then restarted)."""
    res = student.result
    try:
        student.login_and_spawn()
        cells = student.open_notebook()
        student.start_kernel()
        student.run_all(cells)
        try:
            latencies = student.move_slider(updates, kill_at=kill_at)
        except KernelDiedError as exc:
            if kill_at is None:
                raise
            res.fault = f"after kill: {exc}"
            student.restart_kernel()
            student.run_all(cells)
            latencies = student.move_slider(updates)
        res.update_p50_ms = 1000 * statistics.median(latencies)
        res.update_p95_ms = 1000 * percentile(latencies, 95)
        student.measure_kernel()
    except Exception as exc:  # noqa: BLE001 - every failure is reported as the student's error
        res.errors.append(f"{type(exc).__name__}: {exc}")
    return res


def save_notebook(student: Student, marker: str) -> dict[str, Any]:
    model = student.server_api("GET", f"/api/contents/{student.notebook.name}?content=1")
    nb = model["content"]
    nb["cells"].append(
        {"cell_type": "markdown", "metadata": {}, "source": marker, "id": uuid.uuid4().hex[:8]}
    )
    student.server_api("PUT", f"/api/contents/{student.notebook.name}", {"type": "notebook", "content": nb})
    return nb


def cell_sources(nb: dict[str, Any]) -> list[tuple[str, str]]:
    return [(c["cell_type"], "".join(c["source"])) for c in nb["cells"]]


def wait_until(predicate: Any, timeout_s: float, every_s: float = 1.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every_s)
    return False


def summarize(results: list[StudentResult]) -> dict[str, Any]:
    def col(name: str) -> list[float]:
        return [getattr(r, name) for r in results if getattr(r, name) == getattr(r, name)]

    return {
        "students": len(results),
        "server_start_s_median": statistics.median(col("server_start_s") or [float("nan")]),
        "server_start_s_max": max(col("server_start_s") or [float("nan")]),
        "run_all_s_median": statistics.median(col("run_all_s") or [float("nan")]),
        "run_all_s_max": max(col("run_all_s") or [float("nan")]),
        "update_p50_ms_median": statistics.median(col("update_p50_ms") or [float("nan")]),
        "update_p95_ms_max": max(col("update_p95_ms") or [float("nan")]),
        "kernel_peak_rss_mb_max": max(col("kernel_peak_rss_mb") or [float("nan")]),
        "kernel_peak_rss_mb_total": sum(col("kernel_peak_rss_mb")),
        "kernel_cpu_s_max": max(col("kernel_cpu_s") or [float("nan")]),
        "server_peak_rss_mb_max": max(col("server_peak_rss_mb") or [float("nan")]),
        "kernel_cpu_s_total": sum(col("kernel_cpu_s")),
        "errors": sum(len(r.errors) for r in results),
    }


def print_table(results: list[StudentResult], total: dict[str, Any]) -> None:
    head = f"{'student':<10}{'start s':>9}{'run all s':>11}{'p50 ms':>9}{'p95 ms':>9}"
    head += f"{'peak MB':>9}{'cpu s':>8}{'errors':>8}"
    print(head)
    for r in results:
        print(
            f"{r.name:<10}{r.server_start_s:>9.1f}{r.run_all_s:>11.1f}{r.update_p50_ms:>9.0f}"
            f"{r.update_p95_ms:>9.0f}{r.kernel_peak_rss_mb:>9.0f}{r.kernel_cpu_s:>8.1f}{len(r.errors):>8}"
        )
        for e in r.errors[:5]:
            print(f"    error: {e}")
        if r.fault:
            print(f"    fault drill: {r.fault}")
    print(json.dumps(total, indent=1))


def run_class(
    students: int = 20,
    notebook: str = DEFAULT_NOTEBOOK,
    updates: int = 20,
    kill_student: int | None = None,
    hub_restart: bool = False,
    culling: HubConfig | None = None,
    keep: bool = False,
) -> dict[str, Any]:
    """Run the class; with ``hub_restart`` and ``culling`` also the fault and culling drills."""
    workdir = Path(tempfile.mkdtemp(prefix="bench_class_"))
    cfg = culling or HubConfig()
    hub = Hub(workdir, cfg)
    report: dict[str, Any] = {"workdir": str(workdir)}
    pool: list[Student] = []
    try:
        hub.start()
        pool = [Student(hub, f"student{i:02d}", REPO_ROOT / notebook) for i in range(students)]
        ex = ThreadPoolExecutor(max_workers=students)
        try:
            futures = [
                ex.submit(run_student, s, updates, 3 if i == kill_student else None)
                for i, s in enumerate(pool)
            ]
            results = [f.result(timeout=900) for f in futures]
        finally:  # on an interrupt, do not wait for the students' threads: the cleanup below ends them
            ex.shutdown(wait=False, cancel_futures=True)
        report["students"] = [asdict(r) for r in results]
        report["total"] = summarize(results)
        if hub_restart:
            saved = {s.name: save_notebook(s, f"saved by {s.name} before the hub restart") for s in pool}
            hub.stop()
            # the proxy stops with the hub: look at the server processes themselves
            alive = []
            for proc in processes_under(workdir / "home"):
                try:
                    if any("jupyterhub-singleuser" in part for part in proc.cmdline()):
                        alive.append(Path(proc.cwd()).name)
                except psutil.Error:
                    continue
            hub.start()
            intact = []
            for s in pool:
                model = s.server_api("GET", f"/api/contents/{s.notebook.name}?content=1")
                intact.append(cell_sources(model["content"]) == cell_sources(saved[s.name]))
            report["hub_restart"] = {"servers_alive_while_hub_down": alive, "notebooks_intact": intact}
        if culling is not None:
            for s in pool:
                if s.channel is not None:
                    s.channel.close()
            t0 = time.monotonic()

            def kernels_gone() -> bool:
                return all(not s.server_api("GET", "/api/kernels") for s in pool)

            def servers_gone() -> bool:
                return all(not hub.api("GET", f"/hub/api/users/{s.name}").get("servers") for s in pool)

            limit = 3 * (cfg.kernel_cull_idle_s + cfg.kernel_cull_interval_s) + 10
            k_ok = wait_until(kernels_gone, limit)
            k_s = time.monotonic() - t0
            limit = 3 * (cfg.server_cull_idle_s + cfg.server_cull_every_s + cfg.activity_interval_s) + 10
            s_ok = wait_until(servers_gone, limit)
            report["culling"] = {
                "kernels_culled": k_ok,
                "kernels_culled_after_s": round(k_s, 1),
                "servers_culled": s_ok,
                "servers_culled_after_s": round(time.monotonic() - t0, 1),
            }
    finally:
        for s in pool:
            if s.channel is not None:
                s.channel.close()
        hub.stop()
        hub.kill_everything()
        time.sleep(1)
        hub.kill_everything()  # anything a server was still starting
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--notebook", default=DEFAULT_NOTEBOOK)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    parser.add_argument("--json", help="also write the report to this file")
    args = parser.parse_args()

    def terminate(signum: int, _frame: object) -> None:  # `timeout` or Ctrl-C: still run the cleanup
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    report = run_class(args.students, args.notebook, args.updates, keep=args.keep)
    results = [StudentResult(**r) for r in report["students"]]
    print_table(results, report["total"])
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    sys.exit(1 if report["total"]["errors"] else 0)


if __name__ == "__main__":
    main()
