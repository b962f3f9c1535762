"""Real clients: the notebooks in a JupyterLab server's kernel, the explorer in headless Chromium.

The other notebook tests execute the notebooks with nbclient. These tests go through the
clients a researcher uses instead:

* a real ``jupyter lab`` server (started as a subprocess on a free port, with its own
  token and runtime folders) serves ``/lab``; each notebook is opened as JupyterLab opens
  it, through ``POST /api/sessions`` and the kernel websocket
  ``/api/kernels/<id>/channels`` with JupyterLab's binary ``v1.kernel.websocket.jupyter.org``
  framing, and run one ``execute_request`` per code cell, with ``$ANALYSIS_FIGURES`` set
  in the server's environment so the kernels write into a temporary folder;
* headless Debian ``chromium``, driven through the Chrome DevTools protocol over
  ``--remote-debugging-pipe`` (no port is opened), with networking switched off three ways
  (an unreachable proxy for every host including loopback, a host resolver that finds
  nothing, and the DevTools "offline" network condition), opens the topic explorer, clicks
  its circles like a user and reads the DOM, the console and every network request.

The browser tests are skipped only when no ``chromium`` exists; with ``CI_REQUIRE_BROWSER=1``
(set by ``.ci/run``, which installs chromium) a missing browser fails instead.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat
import numpy as np
import pytest

from analysis.build import notebook_paths
from analysis.paths import FIGURES, FIGURES_ENV, ROOT, SEEDS_ENV
from analysis.report import explorer

pytestmark = pytest.mark.slow  # builds notebooks, starts servers, or searches long (skipped by make test-fast)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SERVER_START_SECONDS = 120
CELL_SECONDS = 900
KERNEL_WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# =========================================================================== Jupyter server


@dataclass
class JupyterServer:
    """A running ``jupyter lab`` subprocess and what the tests need to talk to it."""

    process: subprocess.Popen
    url: str
    token: str
    figures: Path
    log: Path
    kernel_pids: list[int] = field(default_factory=list)

    def request(self, method: str, path: str, body: dict | None = None, timeout: float = 60) -> tuple[int, bytes]:
        """One authenticated HTTP request; returns the status and the body."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def api(self, method: str, path: str, body: dict | None = None) -> dict | list | None:
        """A REST call that must succeed; returns the decoded JSON (None for 204)."""
        status, payload = self.request(method, path, body)
        assert 200 <= status < 300, f"{method} {path} -> {status}: {payload[:500]!r}"
        return json.loads(payload) if payload else None

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def _server_environment(base: Path, figures: Path) -> dict[str, str]:
    """The user's environment with private Jupyter folders and the figures folder set.

    ``MPLBACKEND`` is dropped so that the kernel uses its inline backend, as in JupyterLab;
    ``$ANALYSIS_SEEDS`` is dropped so the notebooks read the default corpus.
    """
    env = {k: v for k, v in os.environ.items() if k not in (SEEDS_ENV, "MPLBACKEND")}
    for name in ("config", "runtime", "data", "ipython"):
        (base / name).mkdir()
    env.update(
        {
            FIGURES_ENV: str(figures),
            "JUPYTER_CONFIG_DIR": str(base / "config"),
            "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
            "JUPYTER_DATA_DIR": str(base / "data"),
            "IPYTHONDIR": str(base / "ipython"),
            "JUPYTER_PLATFORM_DIRS": "1",
        }
    )
    return env


def _wait_until_ready(server: JupyterServer, runtime: Path) -> None:
    """Wait for the server's info file (it names the port it bound) and a 200 from /api/status."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"jupyter lab exited with status {server.process.returncode}:\n{server.log_tail()}")
        infos = sorted(runtime.glob("jpserver-*.json"))
        if infos and not server.url:
            try:
                server.url = json.loads(infos[0].read_text())["url"].rstrip("/")
            except (ValueError, KeyError):
                pass  # the file is being written
        if server.url:
            try:
                if server.request("GET", "/api/status", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
        time.sleep(0.2)
    pytest.fail(f"jupyter lab did not answer within {SERVER_START_SECONDS} s:\n{server.log_tail()}")


def _stop_server(server: JupyterServer) -> None:
    """Shut kernels and the server down through the API; kill what is left, by process group or pid."""
    if server.url and server.process.poll() is None:
        try:
            for kernel in server.api("GET", "/api/kernels"):
                server.request("DELETE", f"/api/kernels/{kernel['id']}")
            server.request("POST", "/api/shutdown", timeout=10)
        except (OSError, AssertionError):
            pass
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(server.process.pid, sig)
                server.process.wait(timeout=10)
                break
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue
    # Kernels run in process groups of their own; a kernel the server failed to stop is killed here.
    for pid in server.kernel_pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0] != "Z"
    except OSError:
        return True


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory):
    """A ``jupyter lab`` server on a free loopback port, rooted at the repository."""
    base = tmp_path_factory.mktemp("jupyter")
    figures = base / "figures"
    figures.mkdir()
    env = _server_environment(base, figures)
    log = base / "server.log"
    token = secrets.token_hex(24)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        "--ServerApp.port=0",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
    ]
    if os.geteuid() == 0:  # CI runs as root; jupyter refuses that unless told
        command.append("--ServerApp.allow_root=True")
    with open(log, "wb") as handle:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = JupyterServer(process, "", token, figures, log)
    try:
        _wait_until_ready(server, base / "runtime")
        yield server
    finally:
        _stop_server(server)
    assert server.process.returncode is not None, "the server is still running"
    assert not [pid for pid in server.kernel_pids if _alive(pid)], "a kernel outlived its server"


# --------------------------------------------------------------------------- kernel websocket


def encode_v1(channel: str, message: dict) -> bytes:
    """A kernel message in JupyterLab's binary websocket framing (``v1.kernel.websocket.jupyter.org``).

    Layout: the number of offsets (8 bytes, little-endian), the offsets, then the channel
    name and the JSON of header, parent header, metadata and content, each part starting
    at its offset.
    """
    parts = [channel.encode()] + [
        json.dumps(message[key]).encode() for key in ("header", "parent_header", "metadata", "content")
    ]
    count = len(parts) + 1
    offsets = [8 * (1 + count)]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return b"".join([count.to_bytes(8, "little"), *(o.to_bytes(8, "little") for o in offsets), *parts])


def decode_v1(frame: bytes) -> dict:
    """The inverse of :func:`encode_v1`; extra parts are binary buffers."""
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    parts = [frame[offsets[i] : offsets[i + 1]] for i in range(count - 1)]
    message = {
        key: json.loads(part) for key, part in zip(("header", "parent_header", "metadata", "content"), parts[1:5])
    }
    return {**message, "channel": parts[0].decode(), "buffers": parts[5:]}


@dataclass
class Reply:
    """What one request to the kernel produced: the shell reply and the iopub outputs."""

    reply: dict
    outputs: list[dict]

    def errors(self) -> list[str]:
        found = [f"{o['content']['ename']}: {o['content']['evalue']}" for o in self.outputs if o["msg_type"] == "error"]
        if self.reply["content"].get("status") != "ok" and not found:
            found.append(f"execute_reply status {self.reply['content'].get('status')}")
        return found

    def text(self) -> str:
        return "".join(o["content"]["text"] for o in self.outputs if o["msg_type"] == "stream")

    def reprs_without_image(self) -> list[str]:
        """The text of rich outputs that carry no image, e.g. ``<Figure size 800x480 with 1 Axes>``."""
        return [
            o["content"]["data"].get("text/plain", "")[:80]
            for o in self.outputs
            if o["msg_type"] in ("display_data", "execute_result")
            and "image/png" not in o["content"]["data"]
            and o["content"]["data"].get("text/plain", "").startswith("<Figure")
        ]

    def images(self) -> list[bytes]:
        return [
            base64.b64decode(o["content"]["data"]["image/png"])
            for o in self.outputs
            if o["msg_type"] in ("display_data", "execute_result") and "image/png" in o["content"].get("data", {})
        ]


class KernelChannel:
    """One websocket to a kernel, used as JupyterLab uses it (shell requests, iopub outputs)."""

    def __init__(self, connection, session: str):
        self.connection, self.session = connection, session

    @classmethod
    async def open(cls, server: JupyterServer, kernel_id: str) -> KernelChannel:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        session = uuid.uuid4().hex
        url = server.url.replace("http://", "ws://", 1) + f"/api/kernels/{kernel_id}/channels?session_id={session}"
        request = HTTPRequest(url, headers={"Authorization": f"token {server.token}"}, request_timeout=60)
        connection = await websocket_connect(request, subprotocols=[KERNEL_WS_PROTOCOL], max_message_size=1 << 28)
        assert connection.selected_subprotocol == KERNEL_WS_PROTOCOL, connection.selected_subprotocol
        return cls(connection, session)

    def message(self, msg_type: str, content: dict) -> dict:
        header = {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "session": self.session,
            "username": "tester",
            "date": datetime.now(UTC).isoformat(),
            "version": "5.3",
        }
        return {"header": header, "parent_header": {}, "metadata": {}, "content": content}

    async def request(self, msg_type: str, content: dict, timeout: float = CELL_SECONDS) -> Reply:
        """Send a shell request; collect its reply and outputs until the kernel is idle again."""
        message = self.message(msg_type, content)
        await self.connection.write_message(encode_v1("shell", message), binary=True)
        msg_id, reply, idle, outputs = message["header"]["msg_id"], None, False, []
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            frame = await asyncio.wait_for(self.connection.read_message(), max(deadline - time.monotonic(), 0.1))
            assert frame is not None, "the kernel websocket closed"
            incoming = decode_v1(frame) if isinstance(frame, bytes) else json.loads(frame)
            if incoming["parent_header"].get("msg_id") != msg_id:
                continue
            kind = incoming["header"]["msg_type"]
            if incoming["channel"] == "shell" and kind.endswith("_reply"):
                reply = incoming
            elif kind == "status":
                idle = incoming["content"]["execution_state"] == "idle"
            elif incoming["channel"] == "iopub" and kind != "execute_input":
                outputs.append({"msg_type": kind, "content": incoming["content"]})
        return Reply(reply, outputs)

    async def execute(self, code: str, store_history: bool = True) -> Reply:
        return await self.request(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": store_history,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        )


async def _run_in_kernel(server: JupyterServer, kernel_id: str, cells: list[str]) -> tuple[dict, list[Reply]]:
    """Ask the kernel who it is, then execute the cells in order, stopping at the first error."""
    channel = await KernelChannel.open(server, kernel_id)
    try:
        info = await channel.request("kernel_info_request", {}, timeout=120)
        probe = await channel.execute(
            "import os, sys; print(sys.prefix); print(os.getpid()); print(os.getcwd())", False
        )
        prefix, pid, cwd = probe.text().splitlines()
        server.kernel_pids.append(int(pid))
        about = {"info": info.reply["content"], "prefix": prefix, "cwd": cwd}
        replies = []
        for code in cells:
            replies.append(await channel.execute(code))
            if replies[-1].errors():
                break
        return about, replies
    finally:
        channel.connection.close()


def _code_cells(path: Path) -> list[str]:
    return [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def _committed_outputs(stem: str) -> set[str]:
    return {p.name for p in FIGURES.iterdir() if p.name.startswith(f"{stem}__")}


# --------------------------------------------------------------------------- Jupyter tests


def test_jupyterlab_serves_its_page(jupyter):
    status, page = jupyter.request("GET", "/lab")
    assert status == 200
    text = page.decode()
    assert 'id="jupyter-config-data"' in text
    bundles = re.findall(r'<script[^>]+src="([^"]+\.js[^"]*)"', text)
    assert bundles, "the /lab page loads no script"
    for src in bundles:
        status, body = jupyter.request("GET", src if src.startswith("/") else f"/{src}")
        assert status == 200 and len(body) > 1000, src
    kernelspecs = jupyter.api("GET", "/api/kernelspecs")
    assert "python3" in kernelspecs["kernelspecs"]


@pytest.mark.parametrize("notebook", notebook_paths(), ids=lambda path: path.stem)
def test_notebook_runs_in_a_jupyterlab_kernel(jupyter, notebook):
    before = set(os.listdir(jupyter.figures))
    relative = notebook.relative_to(ROOT).as_posix()
    session = jupyter.api(
        "POST",
        "/api/sessions",
        {"path": relative, "name": notebook.name, "type": "notebook", "kernel": {"name": "python3"}},
    )
    try:
        about, replies = asyncio.run(_run_in_kernel(jupyter, session["kernel"]["id"], _code_cells(notebook)))
    finally:
        jupyter.api("DELETE", f"/api/sessions/{session['id']}")
    assert session["kernel"]["id"] not in {k["id"] for k in jupyter.api("GET", "/api/kernels")}

    # The kernel is the project's ipykernel, started in the notebook's folder.
    assert about["info"]["status"] == "ok" and about["info"]["implementation"] == "ipython"
    assert Path(about["prefix"]) == Path(sys.prefix)
    assert Path(about["cwd"]) == notebook.parent

    failures = [f"code cell {i}: {'; '.join(r.errors())}" for i, r in enumerate(replies, 1) if r.errors()]
    tracebacks = [
        ANSI.sub("", "\n".join(o["content"]["traceback"]))
        for r in replies
        for o in r.outputs
        if o["msg_type"] == "error"
    ]
    assert not failures, "\n".join(failures + tracebacks)[-6000:]
    assert len(replies) == len(_code_cells(notebook))

    written = set(os.listdir(jupyter.figures)) - before
    assert written == _committed_outputs(notebook.stem)

    # JupyterLab shows what the kernel sends: each figure written must also be sent as an image.
    images = [image for reply in replies for image in reply.images()]
    figure_files = sorted(name for name in written if name.endswith(".png"))
    as_text = [r.reprs_without_image() for r in replies if r.reprs_without_image()]
    assert len(images) >= len(figure_files), (
        f"{notebook.name}: {len(figure_files)} figures written but {len(images)} shown as image/png; "
        f"outputs with no image: {as_text}"
    )
    # a notebook that draws on the default corpus must have drawn (05 and 06 draw nothing there: no dates, one page)
    assert figure_files or not any(name.endswith(".png") for name in _committed_outputs(notebook.stem))
    for image in images:
        assert image.startswith(PNG_MAGIC) and len(image) > 2000


# =========================================================================== headless Chromium


def chromium_or_skip() -> str:
    """The chromium executable; skip (or fail under ``CI_REQUIRE_BROWSER=1``) when there is none."""
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    reason = (
        "BROWSER TESTS NOT RUN: no `chromium` executable on PATH, so the topic explorer was NOT checked "
        "in a real browser. Install it (`apt-get install chromium`; .ci/run does this) or set $CHROMIUM."
    )
    if os.environ.get("CI_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + " CI_REQUIRE_BROWSER=1 makes this a failure.")
    pytest.skip(reason)


# Every host, loopback included, goes to a proxy on the discard port (nothing listens
# there), and no host name resolves: a request can only fail.
OFFLINE_FLAGS = [
    "--proxy-server=127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
QUIET_FLAGS = [
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--no-pings",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--hide-scrollbars",
    "--window-size=1400,1000",
]


class Chromium:
    """Headless chromium driven through the DevTools protocol over ``--remote-debugging-pipe``.

    Chromium reads commands from its file descriptor 3 and writes replies and events on 4,
    each a JSON message ended by a NUL byte; a shell maps them onto our pipes. Events are
    kept in :attr:`events` for the tests to inspect.
    """

    def __init__(self, executable: str, profile: Path, log: Path):
        sandbox = ["--no-sandbox"] if os.geteuid() == 0 else []  # chromium refuses to sandbox as root
        args = [
            *QUIET_FLAGS,
            *OFFLINE_FLAGS,
            *sandbox,
            f"--user-data-dir={profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self.log = log
        with open(log, "wb") as handle:
            self.process = subprocess.Popen(
                ["/bin/sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>&2', executable, *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=handle,
                start_new_session=True,
            )
        self.incoming: queue.Queue = queue.Queue()
        self.events: list[dict] = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while chunk := self.process.stdout.read1(1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self.incoming.put(json.loads(message))
        self.incoming.put(None)

    def _next(self, deadline: float) -> dict:
        try:
            message = self.incoming.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            raise TimeoutError("chromium did not answer in time") from None
        if message is None:
            raise RuntimeError(f"chromium closed its pipe:\n{self.log.read_text(errors='replace')[-3000:]}")
        return message

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self.next_id += 1
        command = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        self.process.stdin.write(json.dumps(command).encode() + b"\0")
        self.process.stdin.flush()
        deadline = time.monotonic() + timeout
        while True:
            message = self._next(deadline)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    def wait_for(self, method: str, session: str, timeout: float = 30) -> dict:
        """The first event ``method`` of ``session``, waiting for it if it has not come yet."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if event.get("method") == method and event.get("sessionId") == session:
                    return event
            seen = len(self.events)
            self.events.append(self._next(deadline))

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        # Renderer and helper processes share the browser's process group (its own session):
        # give them a moment to exit with it, then kill whatever is left of that group.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    executable = chromium_or_skip()
    base = tmp_path_factory.mktemp("chromium")
    chromium = Chromium(executable, base / "profile", base / "chromium.log")
    try:
        chromium.send("Browser.getVersion", timeout=60)
        yield chromium
    finally:
        chromium.close()


@dataclass
class Page:
    """One browser tab, with the events the checks need switched on."""

    browser: Chromium
    session: str

    def evaluate(self, expression: str):
        result = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, self.session)
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def events(self, method: str) -> list[dict]:
        return [e for e in self.browser.events if e.get("method") == method and e.get("sessionId") == self.session]

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions, error log entries and dialogs (``alert``) of this tab."""
        found = [
            f"console.{e['params']['type']}: {e['params']['args']}"
            for e in self.events("Runtime.consoleAPICalled")
            if e["params"]["type"] in ("error", "assert")
        ]
        found += [f"exception: {e['params']['exceptionDetails']}" for e in self.events("Runtime.exceptionThrown")]
        found += [
            f"log: {e['params']['entry']}"
            for e in self.events("Log.entryAdded")
            if e["params"]["entry"]["level"] == "error"
        ]
        found += [f"dialog: {e['params']}" for e in self.events("Page.javascriptDialogOpening")]
        return found

    def network_attempts(self) -> list[str]:
        """Every request this tab tried for something other than a local file or inline data."""
        urls = [e["params"]["request"]["url"] for e in self.events("Network.requestWillBeSent")]
        return [url for url in urls if not url.startswith(("file:", "data:", "about:", "blob:"))]

    def click(self, x: float, y: float) -> None:
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.browser.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": x, "y": y, "button": "left" if kind != "mouseMoved" else "none", "clickCount": 1},
                self.session,
            )

    def key(self, key: str, code: str, key_code: int) -> None:
        for kind in ("keyDown", "keyUp"):
            self.browser.send(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": key, "code": code, "windowsVirtualKeyCode": key_code},
                self.session,
            )


def open_page(browser: Chromium, url: str) -> Page:
    """A new tab, offline, with console, log, network and page events on, loaded with ``url``."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        browser.send(f"{domain}.enable", {}, session)
    browser.send(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
        session,
    )
    page = Page(browser, session)
    browser.send("Page.navigate", {"url": url}, session)
    browser.wait_for("Page.loadEventFired", session)
    return page


# The page's state as the tests read it: every topic circle and term row with its box on
# screen, the heading of the bar chart, and the elements a payload could have smuggled in.
SNAPSHOT = """(() => {
  const box = (e) => { const r = e.getBoundingClientRect();
    return {x: r.left + r.width / 2, y: r.top + r.height / 2, width: r.width, height: r.height}; };
  const hit = (c) => { const r = c.getBoundingClientRect(); const points = [[0.5, 0.5]];
    for (let i = 1; i < 10; i++) { for (let j = 1; j < 10; j++) { points.push([i / 10, j / 10]); } }
    for (const [u, v] of points) {
      const x = r.left + r.width * u, y = r.top + r.height * v, e = document.elementFromPoint(x, y);
      if (e && e.getAttribute && e.getAttribute("data-topic") === c.getAttribute("data-topic")) { return {x, y}; }
    }
    return null; };
  return {
    circles: [...document.querySelectorAll("#map circle.topic-circle")].map((c) => ({
      topic: Number(c.dataset.topic), selected: c.classList.contains("selected"), hit: hit(c), ...box(c)}))
      .sort((a, b) => a.topic - b.topic),
    rows: [...document.querySelectorAll("#bars g.term-row")].map((g) => ({
      term: g.querySelector("title").textContent.split("\\n")[0],
      label: g.querySelector("text.term-label").textContent,
      bars: [...g.querySelectorAll("rect.term-bar")].map((r) => ({kind: r.getAttribute("class"), ...box(r)}))})),
    heading: document.getElementById("bar-heading").textContent,
    smuggled: document.querySelectorAll("img, iframe, object, embed, script[src], link[href]").length,
    scripts: document.scripts.length,
  };
})()"""


def synthetic_explorer(path: Path) -> dict:
    """An explorer for a 4-topic model whose topics use separate blocks of terms.

    Two terms are markup (``<img onerror>`` and a closing ``</script>``), weighted so they
    show in the bars: the browser must display them as text.
    """
    rng = np.random.default_rng(5)
    n_topics, block = 4, 15
    vocabulary = [f"term{i:02d}" for i in range(n_topics * block)]
    vocabulary[0], vocabulary[block] = "<img src=x onerror=alert(1)>", "</script><script>alert(2)</script>"
    topic_term = np.full((n_topics, len(vocabulary)), 0.01)
    for t in range(n_topics):
        topic_term[t, t * block : (t + 1) * block] += rng.dirichlet(np.ones(block)) * 5
        topic_term[t, t * block] += 2  # each block's first term leads its topic
    topic_term /= topic_term.sum(axis=1, keepdims=True)
    doc_topic = rng.dirichlet(np.full(n_topics, 0.3), size=40)
    lengths = rng.integers(50, 300, size=40)
    counts = np.rint(lengths @ doc_topic @ topic_term)
    data = explorer.explorer_data(topic_term, doc_topic, lengths, counts, vocabulary)
    explorer.write_explorer(path, data, "Synthetic <b>model</b> & co", [f"block {t + 1}" for t in range(n_topics)])
    return data


@pytest.fixture(params=["committed", "synthetic"])
def explorer_page(request, browser, tmp_path):
    """The explorer the notebooks committed, and one built here from a synthetic model."""
    if request.param == "committed":
        path = FIGURES / "03-lda-topics__explorer.html"
        assert path.is_file(), "figures/03-lda-topics__explorer.html is missing: run make figures"
    else:
        path = tmp_path / "explorer.html"
        synthetic_explorer(path)
    return open_page(browser, path.as_uri()), path


def _rendered(page: Page, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = page.evaluate(SNAPSHOT)
        if state["rows"] or time.monotonic() > deadline:
            return state
        time.sleep(0.1)


def _select(page: Page, circle: dict) -> dict:
    assert circle["hit"], f"no visible point of topic {circle['topic']}'s circle can be clicked"
    page.click(circle["hit"]["x"], circle["hit"]["y"])
    return page.evaluate(SNAPSHOT)


def test_explorer_renders_and_responds_in_chromium(explorer_page):
    page, path = explorer_page
    html_text = path.read_text(encoding="utf-8")
    k = len(re.findall(r'<circle class="topic-circle"', html_text))
    state = _rendered(page)

    # Drawn: one circle per topic and a full set of salient-term bars, all with a size on screen.
    assert [c["topic"] for c in state["circles"]] == list(range(1, k + 1)) and k >= 2
    assert all(c["width"] > 1 and c["height"] > 1 for c in state["circles"])
    assert state["heading"] == "Most salient terms overall"
    assert len(state["rows"]) >= min(10, k * 5)
    assert all(len(r["bars"]) == 1 and r["bars"][0]["width"] > 0 and r["bars"][0]["height"] > 0 for r in state["rows"])

    # Clicking a circle selects its topic: a heading for it and a topic bar beside each overall bar.
    first = _select(page, state["circles"][0])
    assert first["heading"].startswith(f"Topic 1 of {k}")
    assert [c["selected"] for c in first["circles"]] == [True] + [False] * (k - 1)
    for row in first["rows"]:
        overall, topic = (next(b for b in row["bars"] if kind in b["kind"]) for kind in ("overall", "topic"))
        assert topic["width"] > 0 and topic["width"] <= overall["width"] + 0.5, row["term"]

    # Another circle: another topic, other bars.
    second = _select(page, first["circles"][-1])
    assert second["heading"].startswith(f"Topic {k} of {k}")
    assert [c["selected"] for c in second["circles"]] == [False] * (k - 1) + [True]
    assert [r["term"] for r in second["rows"]] != [r["term"] for r in first["rows"]]

    # Escape clears the selection.
    page.key("Escape", "Escape", 27)
    cleared = page.evaluate(SNAPSHOT)
    assert cleared["heading"] == "Most salient terms overall"
    assert [r["term"] for r in cleared["rows"]] == [r["term"] for r in state["rows"]]

    assert cleared["smuggled"] == 0 and cleared["scripts"] == 1
    assert page.problems() == []
    assert page.network_attempts() == []


def test_synthetic_explorer_shows_markup_terms_as_text(browser, tmp_path):
    path = tmp_path / "explorer.html"
    data = synthetic_explorer(path)
    page = open_page(browser, path.as_uri())
    state = _rendered(page)
    hostile = {t["term"] for t in data["terms"] if "<" in t["term"]}
    terms = {r["term"] for r in state["rows"]}
    for circle in state["circles"]:
        terms |= {r["term"] for r in _select(page, circle)["rows"]}
    assert hostile and hostile <= terms
    assert page.evaluate("document.title") == "Synthetic <b>model</b> & co"
    assert page.evaluate(SNAPSHOT)["smuggled"] == 0
    assert page.problems() == [] and page.network_attempts() == []


def test_browser_checks_see_errors_and_requests(browser):
    """The detectors above can fail: a page that logs an error, throws and fetches is caught."""
    html_page = (
        "<script>console.error('planted'); fetch('http://example.com/x.js').catch(() => {});"
        "new Image().src = 'https://example.org/pixel.png'; setTimeout(() => { throw new Error('late'); });</script>"
    )
    page = open_page(browser, "data:text/html," + urllib.request.quote(html_page))
    deadline = time.monotonic() + 10
    while len(page.network_attempts()) < 2 or not page.events("Runtime.exceptionThrown"):
        assert time.monotonic() < deadline, (page.problems(), page.network_attempts())
        page.evaluate("1")  # lets the events arrive
        time.sleep(0.1)
    assert any("planted" in p for p in page.problems())
    assert any("late" in p for p in page.problems())
    assert {"http://example.com/x.js", "https://example.org/pixel.png"} <= set(page.network_attempts())


# --------------------------------------------------------------------------- the one-article report

# What a reader sees of the article report: its sections, the rows of each table, the bars'
# sizes on screen and the colour they are drawn in, and anything a title could have smuggled in.
ARTICLE_SNAPSHOT = """(() => {
  const width = (e) => e.getBoundingClientRect().width;
  const tables = ["tfidf", "keyness", "topic-shares", "nearest", "removed-lines"];
  return {
    title: document.title,
    heading: document.querySelector("h1").textContent,
    sections: [...document.querySelectorAll("main > section")].map((s) => s.id),
    rows: Object.fromEntries(tables.map((id) => [id, document.querySelectorAll("#" + id + " tbody tr").length])),
    fills: [...document.querySelectorAll("#tfidf .fill")].map(width),
    tracks: [...document.querySelectorAll("#tfidf .track")].map(width),
    fillColour: getComputedStyle(document.querySelector("#tfidf .fill")).backgroundColor,
    neighbours: [...document.querySelectorAll("#nearest tbody td:nth-child(2)")].map((td) => td.firstChild.textContent),
    kwic: document.querySelectorAll("table.kwic tr").length,
    smuggled: document.querySelectorAll("img, iframe, object, embed, script, svg, link[href]").length,
    overflows: document.documentElement.scrollWidth > window.innerWidth,
  };
})()"""


def test_article_report_renders_offline_in_chromium(browser, tmp_path):
    import dataclasses

    from analysis import pipeline
    from analysis.report import article

    prepared = pipeline.prepare(ROOT / "seeds")
    target, neighbour = "000_117e1a02a6deec84-003", "000_117e1a02a6deec84-008"
    hostile = "Zarif <img src=x onerror=alert(1)> </style><script>alert(2)</script> </title> & co"
    renamed = tuple(
        dataclasses.replace(a, title=f"{hostile} {a.position}") if a.id in (target, neighbour) else a
        for a in prepared.articles
    )
    data = article.article_report_data(dataclasses.replace(prepared, articles=renamed), target)
    path = article.write_article_report(tmp_path / article.report_file_name(target), data)
    page = open_page(browser, path.as_uri())
    state = page.evaluate(ARTICLE_SNAPSHOT)

    # The titles are text: in the tab, the heading and the list of nearest articles.
    assert state["title"] == state["heading"] == f"{hostile} 3"
    assert f"{hostile} 8" in state["neighbours"]
    assert state["smuggled"] == 0

    # Every section is there and filled as the data say.
    assert state["sections"] == ["terms", "topics", "neighbours", "contexts", "removed"]
    assert state["rows"] == {
        "tfidf": len(data["tfidf"]),
        "keyness": len(data["keyness"]),
        "topic-shares": data["topics"]["k"],
        "nearest": len(data["neighbours"]),
        "removed-lines": len(data["removed"]["lines"]),
    }
    assert min(state["rows"].values()) >= 1 and state["kwic"] >= 3

    # The bars are drawn, in the style's colour (the page's security policy lets its own style through), each as
    # long as its weight: the top term fills its track.
    assert state["fillColour"] == "rgb(0, 114, 178)"
    top = data["tfidf"][0]["tfidf"]
    for fill, track, row in zip(state["fills"], state["tracks"], data["tfidf"]):
        assert track > 20 and fill == pytest.approx(track * row["tfidf"] / top, abs=1.0)
    assert not state["overflows"]

    assert page.problems() == []
    assert page.network_attempts() == []
