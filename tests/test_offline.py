"""Offline guarantee: the build and its notebook kernels open no network connection.

Two layers make network access impossible for a command run through :func:`offline_command`:

* a ``sitecustomize`` module put first on ``PYTHONPATH``, so that every Python process of
  the run (the build and each kernel nbclient starts, which inherit the environment)
  imports it at start-up. It replaces ``socket.getaddrinfo``/``gethostbyname`` and the
  ``connect``/``connect_ex``/``sendto`` methods of ``socket.socket`` with versions that
  refuse any host other than this machine (loopback, unspecified, Unix sockets) and
  append one line per refused attempt to a log file. The kernels' own traffic is ZMQ
  over 127.0.0.1, which libzmq opens outside Python: allowed, and untouched anyway.
* when the machine allows it (root, or user namespaces), ``unshare --net``: the command
  runs in a network namespace whose only interface is loopback, so that a connection
  opened outside Python (C libraries, subprocesses) fails too. Where ``unshare`` is not
  permitted, only the first layer applies, and the test says so on stderr.

The guard also writes one line per process that loaded it, so a test can check that the
kernels really ran under it.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis.build import NotebookFailed, execute_notebook

pytestmark = pytest.mark.slow  # builds notebooks, starts servers, or searches long (skipped by make test-fast)

#: Environment variables naming the guard's two log files.
NETWORK_LOG_ENV = "ANALYSIS_TEST_NETWORK_LOG"
GUARD_LOG_ENV = "ANALYSIS_TEST_GUARD_LOG"

GUARD_SOURCE = '''\
"""Test-only network guard (see tests/test_offline.py): refuse and record non-local connections."""
import errno as _errno
import ipaddress as _ipaddress
import os as _os
import socket as _socket
import sys as _sys

_NETWORK_LOG = _os.environ.get("ANALYSIS_TEST_NETWORK_LOG")
_GUARD_LOG = _os.environ.get("ANALYSIS_TEST_GUARD_LOG")
_LOCAL_NAMES = {"", "localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _append(path, line):
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\\n")


def _local_host(host):
    if host is None:
        return True
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("ascii", "replace")
    host = str(host).strip("[]").split("%")[0].lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        address = _ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _local_address(sock, address):
    if getattr(_socket, "AF_UNIX", None) is not None and sock.family == _socket.AF_UNIX:
        return True
    return isinstance(address, tuple) and bool(address) and _local_host(address[0])


def _refuse(what, target):
    _append(_NETWORK_LOG, f"{_os.getpid()} {what} {target!r} argv={_sys.argv[:3]!r}")
    raise OSError(_errno.ENETUNREACH, f"network access is blocked by the offline test: {what} {target!r}")


_getaddrinfo = _socket.getaddrinfo
_gethostbyname = _socket.gethostbyname
_connect = _socket.socket.connect
_connect_ex = _socket.socket.connect_ex
_sendto = _socket.socket.sendto


def getaddrinfo(host, *args, **kwargs):
    if not _local_host(host):
        _refuse("getaddrinfo", host)
    return _getaddrinfo(host, *args, **kwargs)


def gethostbyname(host):
    if not _local_host(host):
        _refuse("gethostbyname", host)
    return _gethostbyname(host)


def connect(self, address):
    if not _local_address(self, address):
        _refuse("connect", address)
    return _connect(self, address)


def connect_ex(self, address):
    if not _local_address(self, address):
        _refuse("connect_ex", address)
    return _connect_ex(self, address)


def sendto(self, data, *args):
    if not _local_address(self, args[-1]):
        _refuse("sendto", args[-1])
    return _sendto(self, data, *args)


_socket.getaddrinfo = getaddrinfo
_socket.gethostbyname = gethostbyname
_socket.socket.connect = connect
_socket.socket.connect_ex = connect_ex
_socket.socket.sendto = sendto
_append(_GUARD_LOG, f"{_os.getpid()} {_sys.orig_argv!r}")
'''


@functools.lru_cache(maxsize=1)
def network_namespace_available() -> bool:
    """Whether ``unshare --net`` with loopback up works here (root in CI; often not elsewhere)."""
    try:
        result = subprocess.run(
            ["unshare", "--net", "sh", "-c", "ip link set lo up && ip -o addr show lo"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0 and "127.0.0.1" in result.stdout


def offline_command(
    command: list[str], folder: Path, env: dict[str, str] | None = None
) -> tuple[list[str], dict[str, str], Path, Path]:
    """Wrap a command so that it, and every Python process it starts, cannot reach the network.

    Parameters
    ----------
    command : list of str
        The command.
    folder : Path
        A scratch folder for the guard module and its logs.
    env : dict, optional
        The environment to extend (default: this process's).

    Returns
    -------
    tuple
        The wrapped command, its environment, the log of refused attempts and the log of
        processes that loaded the guard.
    """
    guard = folder / "network-guard"
    guard.mkdir(parents=True, exist_ok=True)
    (guard / "sitecustomize.py").write_text(GUARD_SOURCE, encoding="utf-8")
    attempts, loaded = folder / "network-attempts.log", folder / "network-guard-loaded.log"
    base = dict(os.environ if env is None else env)
    python_path = os.pathsep.join(p for p in (str(guard), base.get("PYTHONPATH", "")) if p)
    wrapped_env = {**base, "PYTHONPATH": python_path, NETWORK_LOG_ENV: str(attempts), GUARD_LOG_ENV: str(loaded)}
    if network_namespace_available():
        command = ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *command]
    else:
        print(
            "offline test: unshare --net is not permitted here; only the Python socket guard applies", file=sys.stderr
        )
    return command, wrapped_env, attempts, loaded


def log_lines(path: Path) -> list[str]:
    """The lines of a guard log (none when the file was never created)."""
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


#: References that would make a page fetch a script, a style sheet or a font from elsewhere.
REMOTE_RESOURCE = re.compile(
    r"<script[^>]*\ssrc\s*=|<link[^>]*\shref\s*=\s*[\"']?\s*(?:https?:)?//|@import|url\(\s*[\"']?\s*(?:https?:)?//"
    r"|<(?:img|iframe|embed|object|source|image|use)[^>]*\s(?:src|href|xlink:href|data)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)


def remote_references(text: str) -> list[str]:
    """Every remote script, style or embedded resource reference in ``text``.

    Parameters
    ----------
    text : str
        An output file's text (HTML, SVG, CSV, JSON, Markdown).

    Returns
    -------
    list of str
        The matching snippets; empty for an offline file. XML namespace names
        (``xmlns="http://www.w3.org/2000/svg"``) are identifiers, never fetched, and do not match.
    """
    return [m.group(0) for m in REMOTE_RESOURCE.finditer(text)]


def _probe(tmp_path: Path, code: str) -> subprocess.CompletedProcess:
    command, env, _, _ = offline_command([sys.executable, "-c", code], tmp_path)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def test_guard_refuses_and_records_a_connection(tmp_path):
    """The guard can fail the offline test: a real attempt is refused and recorded."""
    code = "import urllib.request\ntry:\n    urllib.request.urlopen('http://example.com', timeout=5)\nexcept OSError as e:\n    print('refused', e)"
    result = _probe(tmp_path, code)
    assert result.returncode == 0 and "refused" in result.stdout, result.stderr
    attempts = log_lines(tmp_path / "network-attempts.log")
    assert len(attempts) == 1 and "example.com" in attempts[0]


def test_guard_refuses_a_raw_ip_connection(tmp_path):
    code = "import socket\ns = socket.socket()\ntry:\n    s.connect(('93.184.216.34', 80))\nexcept OSError as e:\n    print('refused', e)"
    result = _probe(tmp_path, code)
    assert "refused" in result.stdout, result.stderr
    assert len(log_lines(tmp_path / "network-attempts.log")) == 1


def test_guard_lets_loopback_through(tmp_path):
    """Kernels talk to nbclient over 127.0.0.1: the guard must not break that."""
    code = (
        "import socket\nserver = socket.socket(); server.bind(('127.0.0.1', 0)); server.listen(1)\n"
        "client = socket.create_connection(server.getsockname(), timeout=5)\nprint('connected')"
    )
    result = _probe(tmp_path, code)
    assert "connected" in result.stdout, result.stderr
    assert log_lines(tmp_path / "network-attempts.log") == []


def test_namespace_blocks_connections_made_outside_python(tmp_path):
    """Where ``unshare --net`` works, even a C-level connection (here: curl-free, a raw _socket) fails."""
    if not network_namespace_available():
        print("offline test: no network namespace here; C-level connections are not blocked", file=sys.stderr)
        pytest.skip("unshare --net is not permitted on this machine (the Python guard still applies)")
    code = (
        "import _socket\ns = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)\ns.settimeout(5)\n"
        "try:\n    s.connect(('93.184.216.34', 80))\n    print('connected')\nexcept OSError as e:\n    print('unreachable', e.errno)"
    )
    result = _probe(tmp_path, code)
    assert "unreachable" in result.stdout, result.stdout + result.stderr
    # _socket bypasses the Python guard, so nothing is recorded: the namespace alone stopped it
    assert log_lines(tmp_path / "network-attempts.log") == []


def test_kernels_load_the_guard(tmp_path):
    """A notebook kernel started by the build inherits the guard and its refusals are recorded."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell("import socket\nsocket.create_connection(('example.org', 80), timeout=5)")
    ]
    path = tmp_path / "99-network.ipynb"
    nbformat.write(notebook, path)
    _, env, attempts, loaded = offline_command([], tmp_path)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with pytest.raises(NotebookFailed, match="network access is blocked"):
            execute_notebook(path)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert any("ipykernel" in line for line in log_lines(loaded))
    assert len(log_lines(attempts)) == 1 and "example.org" in log_lines(attempts)[0]


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.example/d3.js"></script>',
        "<script type=module src=x.js></script>",
        '<link rel="stylesheet" href="https://fonts.example/css">',
        "<link href=//cdn.example/s.css rel=stylesheet>",
        "<style>@import url(https://x/y.css);</style>",
        "body { background: url('http://x/y.png') }",
        '<img src="https://tracker.example/p.gif">',
        '<image xlink:href="http://x/y.png"/>',
    ],
)
def test_remote_reference_check_catches(snippet):
    assert remote_references(f"<html>{snippet}</html>")


def test_remote_reference_check_allows_namespaces_and_inline():
    text = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<use xlink:href="#glyph"/></svg><script>const a = "<b>";</script><style>p { color: red }</style>'
        "\nsource,https://example.com/article\n"
    )
    assert remote_references(text) == []
