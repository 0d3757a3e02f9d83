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


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _locks() -> dict[str, str]:
    return {_norm(k): v for path in (ROOT / "binder" / "requirements.txt", ROOT / "requirements-test.txt")
            for k, v in _pins(path).items()}


def test_installed_environment_equals_the_lock():
    """Every locked package is installed at its pin, and nothing else is installed (the kit itself aside)."""
    import sysconfig
    from importlib.metadata import distributions

    locks = _locks()
    # only the environment's own site-packages: setuptools puts its vendored copies (setuptools/_vendor) on sys.path
    site = list(dict.fromkeys(sysconfig.get_paths()[k] for k in ("purelib", "platlib")))
    installed = {_norm(d.metadata["Name"]): d.version for d in distributions(path=site)}
    wrong = {n: (v, installed.get(n)) for n, v in locks.items() if installed.get(n) != v}
    assert not wrong, f"installed versions differ from the lock (pinned, installed): {wrong}; run `make install-test`"
    extra = sorted(set(installed) - set(locks) - {"aireg", "pip"})
    assert not extra, f"installed but not locked: {extra}; add them to a .in file and run `make lock`"


def test_the_lock_is_complete_and_follows_the_short_lists():
    """Each locked package's own requirements are locked too, and each direct requirement keeps its exact pin."""
    from importlib.metadata import requires

    from packaging.requirements import Requirement

    locks = _locks()
    missing = set()
    for name in locks:
        for spec in requires(name) or []:
            req = Requirement(spec)
            if req.marker is not None and not req.marker.evaluate({"extra": ""}):
                continue
            if _norm(req.name) not in locks:
                missing.add(f"{name} -> {req.name}")
    assert not missing, sorted(missing)
    for short in ("binder/requirements.in", "requirements-test.in"):
        for name, version in _pins(ROOT / short).items():
            assert locks[_norm(name)] == version, f"{short}: {name}=={version} is not what the lock pins"
    assert "lock:" in (ROOT / "Makefile").read_text()


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
