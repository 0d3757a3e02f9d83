"""Pre-workshop check (``make check``): is this machine ready to run the kit with no internet?

Checks, without touching the network: the Python version, that every pinned package is installed at its pin,
that the ``aireg`` library imports, that the vendored offline assets match their manifest, that every dataset
loads and its citations meet their quality targets (the per-file share of rows cited only by aggregators), that
the JupyterLab extensions the lessons need are installed, and that the lessons are present.
Prints one line per check and exits 1 if any fails, so a workshop host can run it the evening before.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAB_EXTENSIONS = ["@jupyter-widgets/jupyterlab-manager", "jupyterlab-plotly", "anywidget", "@jupyter/nbgrader"]


def check_python() -> str:
    if sys.version_info < (3, 11):  # noqa: UP036 (the point of the check: a machine with an older Python)
        raise RuntimeError(f"Python {sys.version.split()[0]} is too old: the kit needs 3.11 or newer")
    return f"Python {sys.version.split()[0]}"


def check_pins() -> str:
    wrong = []
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", (ROOT / "binder" / "requirements.txt").read_text(), re.M)
    for name, pinned in pins:
        try:
            have = version(name)
        except PackageNotFoundError:
            have = "missing"
        if have != pinned:
            wrong.append(f"{name} {have} (pinned {pinned})")
    if wrong:
        raise RuntimeError("not at their pins: " + ", ".join(wrong) + "; run `make lab` or `make install`")
    return f"{len(pins)} pinned packages installed at their pins"


def check_library() -> str:
    import aireg

    return f"aireg {aireg.__version__} imports"


def check_vendored() -> str:
    from aireg import offline

    man = offline.manifest()
    bad = [rel for entry in man["packages"].values() for rel, digest in entry["files"].items()
           if not (offline.VENDOR / rel).exists()
           or hashlib.sha256((offline.VENDOR / rel).read_bytes()).hexdigest() != digest]
    bad += [rel for rel, digest in man["geometry"].items()
            if not (ROOT / rel).exists() or hashlib.sha256((ROOT / rel).read_bytes()).hexdigest() != digest]
    if bad:
        raise RuntimeError(f"{len(bad)} vendored file(s) missing or changed, e.g. {bad[0]}; run `make vendor`")
    names = ", ".join(f"{n} {e['version']}" for n, e in sorted(man["packages"].items()))
    return f"offline assets intact ({names})"


def check_datasets() -> str:
    import aireg

    loaders = [aireg.load_responses, aireg.load_timeline, aireg.load_evidence, aireg.load_penalty_regimes,
               aireg.load_company_figures, aireg.load_jurisdictions]
    rows = sum(len(load()) for load in loaders)
    aireg.load_geometry("world_110m")
    return f"datasets load ({rows} rows, world geometry)"


def check_sources() -> str:
    """Per file, the share of rows whose best citation is only an aggregator, against the package's target."""
    from aireg.sources import source_quality

    report = source_quality()
    lines = [f"{r.file}: {r.aggregator} of {r.rows} rows aggregator-only ({r.aggregator_share:.0%}, "
             f"target at most {r.target:.0%}; best = primary {r.primary}, wire {r.wire}, outlets "
             f"{r.major_outlet + r.national_outlet}, specialist {r.specialist})" for r in report.itertuples()]
    text = "citation quality\n      " + "\n      ".join(lines)
    if not report["meets_target"].all():
        raise RuntimeError(text)
    return text


def check_lab_extensions() -> str:
    base = Path(sys.prefix) / "share" / "jupyter" / "labextensions"
    missing = [ext for ext in LAB_EXTENSIONS if not (base / ext / "package.json").exists()]
    if missing:
        raise RuntimeError(f"JupyterLab extensions missing: {', '.join(missing)}")
    versions = []
    for ext in LAB_EXTENSIONS:
        meta = json.loads((base / ext / "package.json").read_text())
        versions.append(f"{ext} {meta.get('version', '?')}")
    return "JupyterLab extensions: " + ", ".join(versions)


def check_lessons() -> str:
    lessons = sorted((ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))
    if not lessons:
        raise RuntimeError("no lessons found under lessons/")
    return f"{len(lessons)} lessons: " + ", ".join(p.stem for p in lessons)


def check_grading_sandbox() -> str:
    """Informational: workshops do not need it, autograding does (assignments/README.md, the grading sandbox)."""
    from aireg import grading, sandbox

    if not sandbox.wanted():
        return "AIREG_SANDBOX=off: autograding would run student code without the sandbox"
    if sandbox.probe():
        return (f"not available here ({sandbox.probe()}); only autograding needs it, and refuses to run "
                "without it: see assignments/README.md, 'The grading sandbox'")
    return grading.sandbox_status()


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("python", check_python),
    ("pins", check_pins),
    ("library", check_library),
    ("offline assets", check_vendored),
    ("datasets", check_datasets),
    ("sources", check_sources),
    ("lab extensions", check_lab_extensions),
    ("lessons", check_lessons),
    ("grading sandbox", check_grading_sandbox),
]


def main() -> int:
    failed = 0
    for name, check in CHECKS:
        try:
            print(f"OK    {name}: {check()}")
        except Exception as exc:  # report every problem, not only the first
            failed += 1
            print(f"FAIL  {name}: {exc}")
    print("ready for an offline workshop" if not failed else f"{failed} check(s) failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
