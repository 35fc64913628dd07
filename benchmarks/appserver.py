"""loopready's web app served by uvicorn in a child process, for the load benchmarks.

The app factory reads its mode and database from the environment given (``LOOPREADY_HOME``,
``LOOPREADY_DATABASE_URL``, ``LOOPREADY_TEAM``).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    """Start one app process on a free port of 127.0.0.1: the process and its port."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "loopready.web.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    return subprocess.Popen(command, env=env), port


def wait_ready(port: int, timeout: float = 60) -> None:
    """Wait until the app on *port* answers ``/healthz``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the app on port {port} did not start")
