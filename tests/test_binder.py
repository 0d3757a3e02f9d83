"""Binder builds from binder/: repo2docker's own detection picks the pins, Python 3.11 and postBuild."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from testkit import ROOT

R2D = Path(sys.executable).parent / "jupyter-repo2docker"


@pytest.fixture(scope="module")
def generated():
    """The Dockerfile repo2docker would build (printed without Docker by --no-build --debug), and its log."""
    out = subprocess.run([str(R2D), "--no-build", "--debug", str(ROOT)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout, out.stderr


def test_python_buildpack_installs_the_pins(generated):
    dockerfile, log = generated
    assert 'pip install --no-cache-dir -r "binder/requirements.txt"' in dockerfile
    assert "python=3.11" in log


def test_postbuild_runs_and_prepares_the_student_view(generated):
    dockerfile, _ = generated
    assert "RUN ./binder/postBuild" in dockerfile
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install" in post and "-e ." in post and "scripts/prepare.py --student" in post
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_runtime_txt_form():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


def test_buildpack_detection_in_python():
    """The same detection, through repo2docker's API: the Python build pack, reading binder/."""
    import os

    from repo2docker.app import Repo2Docker
    from repo2docker.buildpacks import PythonBuildPack

    r2d = Repo2Docker()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        picked = next(bp for bp in (cls(base_image=r2d.base_image) for cls in r2d.buildpacks) if bp.detect())
    finally:
        os.chdir(cwd)
    assert type(picked) is PythonBuildPack
    assert picked.binder_dir == "binder"


def test_binder_badge_opens_the_start_here_lesson():
    readme = (ROOT / "README.md").read_text()
    assert "mybinder.org/v2/gh/" in readme and "urlpath=lab/tree/lessons/00-start-here.ipynb" in readme
