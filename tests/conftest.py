"""Shared fixtures: a real ``stackatlas serve`` process on a loopback port.

Tests talk to it over HTTP with real clients; nothing is mocked.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        """Everything the server printed so far (start-up report, access log)."""
        return self.log.read_text(errors="replace")

    @property
    def pid(self) -> int:
        return self.process.pid


def start_server(*args: str, env: dict[str, str] | None = None, timeout: float = 60) -> LiveServer:
    """Start ``stackatlas serve`` and wait until /ready answers."""
    port = free_port()
    cmd = [sys.executable, "-m", "stackatlas", "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    # Output goes to a file, not a pipe: an undrained pipe would stall the
    # server once its access log fills the pipe buffer.
    log = Path(tempfile.mkstemp(prefix="stackatlas-server-", suffix=".log")[1])
    with log.open("wb") as sink:
        process = subprocess.Popen(
            cmd, env={**os.environ, **(env or {})}, stdout=sink, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/ready", timeout=1).status_code == 200:
                return LiveServer(url, process, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not become ready in time")


def stop_server(server: LiveServer) -> None:
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The app on the shipped data, shared by the tests that only read."""
    server = start_server()
    yield server
    stop_server(server)


@pytest.fixture
def server_factory() -> Iterator[Callable[..., LiveServer]]:
    """Start servers with custom flags or environment; all are stopped afterwards."""
    started: list[LiveServer] = []

    def factory(*args: str, env: dict[str, str] | None = None) -> LiveServer:
        server = start_server(*args, env=env)
        started.append(server)
        return server

    yield factory
    for server in started:
        stop_server(server)
