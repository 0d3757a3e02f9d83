"""Paths and helpers shared by the tests and benchmarks (import this, not conftest: pytest loads two conftests)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
