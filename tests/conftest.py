"""Shared test fixtures (plain helpers live in testkit.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from testkit import ARTIFACTS, ROOT


def pytest_configure(config) -> None:
    """Grading refuses to run student code without its sandbox. Where bwrap cannot run (a laptop without
    bubblewrap) the tests grade with the explicit opt-out and say so; CI installs bubblewrap, and there
    ``test_ci_has_the_sandbox`` fails if it is missing, so the sandboxed path is what CI tests."""
    import os
    import warnings

    from aireg import sandbox

    if sandbox.wanted() and sandbox.probe():
        os.environ["AIREG_SANDBOX"] = "off"
        warnings.warn(f"grading tests run WITHOUT the sandbox here: {sandbox.probe()}", stacklevel=1)


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
