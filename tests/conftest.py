"""Shared test fixtures (plain helpers live in testkit.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from testkit import ARTIFACTS, ROOT


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
