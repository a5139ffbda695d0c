"""A real Oxigraph server and stackatlas replicas over it, on loopback, for tests/test_remote*.py."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from conftest import REPO, LiveServer, free_port, start_server, stop_server


def oxigraph_command() -> str:
    """The `oxigraph` server installed with the test extras (pyproject.toml), beside this Python."""
    found = Path(sys.executable).with_name("oxigraph")
    return str(found) if found.exists() else (shutil.which("oxigraph") or "oxigraph")


@dataclass
class Engine:
    """An `oxigraph serve` process with its data in a temporary directory; restartable on the same port."""

    location: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        log = Path(tempfile.mkstemp(prefix="oxigraph-", suffix=".log")[1])
        with log.open("wb") as sink:
            self.process = subprocess.Popen(
                [
                    oxigraph_command(),
                    "serve",
                    "--location",
                    str(self.location),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout-s",
                    "10",
                ],
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.post(f"{self.url}query", data={"query": "ASK {}"}, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"oxigraph did not start: {log.read_text()}")

    def pause(self) -> None:
        """SIGSTOP: the engine holds its connections but answers nothing (a slow or hung engine)."""
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.process = None


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stackatlas", *args], capture_output=True, text=True, cwd=REPO, timeout=300
    )


@dataclass
class Cluster:
    engine: Engine
    replicas: list[LiveServer]
    write_token: str

    def stop(self) -> None:
        for replica in self.replicas:
            stop_server(replica)
        self.engine.kill()


def start_cluster(directory: Path, replicas: int = 3) -> Cluster:
    """An engine holding the shipped catalog (`stackatlas import --store URL`), a write token, N replicas."""
    engine = Engine(directory / "engine")
    engine.start()
    imported = cli("import", str(REPO / "graph_data"), "--store", engine.url)
    assert imported.returncode == 0, imported.stderr
    added = cli("token", "add", "curator", "--scope", "write", "--store", engine.url)
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert token.startswith("sa_")
    # a short internal time limit, so the slow-engine test waits seconds, not the default ten
    env = {"STACKATLAS_STORE_TIMEOUT": "3"}
    started = [start_server("--store", engine.url, env=env) for _ in range(replicas)]
    return Cluster(engine, started, token)
