"""Shared test fixtures: repo paths, the venv on PATH for CLIs, free ports."""

from __future__ import annotations

import os
import shutil
import socket
import sys
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def data_copy(tmp_path, monkeypatch) -> Path:
    """A private copy of datasets/ that a test may break; the loaders read it via $AIREG_DATA."""
    dst = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", dst)
    monkeypatch.setenv("AIREG_DATA", str(dst))
    return dst


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
