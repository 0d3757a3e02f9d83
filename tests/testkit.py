"""Paths and helpers shared by the tests and benchmarks (import this, not conftest: pytest loads two conftests)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "test-artifacts"

# nbgrader, jupyter and alembic must come from this venv.
os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def lesson_notebooks() -> list[Path]:
    return sorted((ROOT / "lessons").glob("*.ipynb"))


def dashboard_notebooks() -> list[Path]:
    return sorted((ROOT / "lessons" / "dashboards").glob("*.ipynb"))


def source_notebooks() -> list[Path]:
    return sorted((ROOT / "assignments" / "source").glob("*/*.ipynb"))




# --- servers on loopback (JupyterLab, Voila, http.server) ------------------------------------------------------

SERVER_START_TIMEOUT = 90  # s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, headers: dict[str, str] | None = None, timeout: float = SERVER_START_TIMEOUT,
              proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Poll ``url`` until it answers 200; fail with the server log if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            pytest.fail(f"server exited with {proc.returncode} before answering {url}:\n{tail}", pytrace=False)
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    pytest.fail(f"{url} did not answer within {timeout:.0f} s ({last}):\n{tail}", pytrace=False)


def stop(proc: subprocess.Popen) -> None:
    """Stop a server we started (its own process group), politely first."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, 15)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)
        proc.wait(timeout=5)


@dataclass
class Server:
    url: str
    token: str = ""
    proc: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"} if self.token else {}

    def api(self, method: str, path: str) -> bytes:
        req = urllib.request.Request(self.url + path, method=method, headers=self.headers)
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read()


def start_server(cmd: list[str], name: str, ready_url: str, headers: dict[str, str] | None = None,
                 env: dict[str, str] | None = None) -> tuple[subprocess.Popen, Path]:
    ARTIFACTS.mkdir(exist_ok=True)
    log = ARTIFACTS / f"{name}.log"
    with log.open("w") as fh:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
                                env=env or dict(os.environ))
    wait_http(ready_url, headers, proc=proc, log=log)
    return proc, log
