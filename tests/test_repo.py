"""Repository conventions: exact pins in one place, ruff clean, the layout the README promises."""

from __future__ import annotations

import re
import subprocess
import sys

from testkit import ROOT

REQUIRED = {"jupyterlab", "ipywidgets", "plotly", "folium", "nbgrader", "anywidget", "pandas"}
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([0-9][0-9A-Za-z.+\-]*)$")


def _pins(path):
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-r "):
            continue
        m = PIN.match(line)
        assert m, f"{path.name}: '{line}' is not an exact pin (name==version)"
        pins[m.group(1).lower()] = m.group(2)
    return pins


def test_runtime_pins_are_exact_and_complete():
    pins = _pins(ROOT / "binder" / "requirements.txt")
    assert REQUIRED <= set(pins), REQUIRED - set(pins)


def test_test_pins_are_exact_and_do_not_repeat_runtime_pins():
    runtime = _pins(ROOT / "binder" / "requirements.txt")
    test = _pins(ROOT / "requirements-test.txt")
    assert "-r binder/requirements.txt" in (ROOT / "requirements-test.txt").read_text()
    assert not set(runtime) & set(test), "a package is pinned in two places"


def test_installed_versions_match_pins():
    from importlib.metadata import version

    for name, pinned in _pins(ROOT / "binder" / "requirements.txt").items():
        assert version(name) == pinned, name


def test_make_lab_test_and_binder_share_the_pins():
    make = (ROOT / "Makefile").read_text()
    assert "-r binder/requirements.txt" in make and "-r requirements-test.txt" in make
    assert "==" not in (ROOT / "pyproject.toml").read_text().split("[tool.")[0]


def test_layout():
    for need in ["lessons", "datasets", "widgets/aireg", "assignments", "binder", "tests", "README.md",
                 "pyproject.toml", "Makefile", ".ci/run", "LICENSE"]:
        assert (ROOT / need).exists(), need
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme and "mybinder.org" in readme


def test_library_name_does_not_shadow_ipywidgets():
    import ipywidgets as widgets

    import aireg

    assert widgets.__name__ == "ipywidgets" and aireg.__name__ == "aireg"
    assert not (ROOT / "widgets" / "__init__.py").exists()


def test_ruff_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
