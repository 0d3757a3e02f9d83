"""The kit's benchmarks (``make bench``): how fast it feels to a student, a workshop and an instructor.

Writes ``benchmarks/results.json`` and prints a table. Figures are medians (and p95 where a
distribution matters), because this machine is shared and noisy. Run a subset with
``python benchmarks/run.py --only import_s,map_html_bytes``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
BIN = Path(sys.executable).parent
os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
RESULTS = ROOT / "benchmarks" / "results.json"

TARGETS = {
    "lesson_exec_s": ("per lesson, median of 3 headless runs", "< 10 s"),
    "slider_callback_ms": ("per explorer, slider change to updated figure data, in Python", "median < 50 ms"),
    "browser_update_ms": ("key press on a slider to figure redrawn, JupyterLab + Chromium", "median < 150 ms"),
    "map_html_bytes": ("per map, self-contained HTML", "< 700 KB"),
    "autograde_s_per_submission": ("median per submission, batch of 20 per assignment", "< 3 s"),
    "import_s": ("import aireg in a fresh interpreter, median of 5", "< 1 s"),
    "install_s": ("fresh .venv from the pins (pip, local wheel cache as on this machine)", "-"),
    "env_mb": ("size of that fresh .venv", "-"),
}


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def bench_import_s() -> dict:
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import aireg"], check=True)
        runs.append(time.perf_counter() - t)
    base = []
    for _ in range(5):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        base.append(time.perf_counter() - t)
    return {"median": round(statistics.median(runs), 3), "interpreter_start_median": round(statistics.median(base), 3),
            "runs": [round(r, 3) for r in runs]}


def bench_lesson_exec_s(runs: int = 3) -> dict:
    from notebook_tools import execute

    out = {}
    for nb in sorted((ROOT / "lessons").glob("*.ipynb")):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            execute(nb)
            times.append(time.perf_counter() - t)
        out[nb.name] = {"median": round(statistics.median(times), 2), "runs": [round(x, 2) for x in times]}
    return out


def _time_changes(set_value: Callable[[object], None], values: list, repeat: int = 3) -> list[float]:
    samples = []
    for _ in range(repeat):
        for v in values:
            t = time.perf_counter()
            set_value(v)
            samples.append((time.perf_counter() - t) * 1000)
    return samples


def _sweep(make: Callable[[], object], attr: str) -> Callable[[], list[float]]:
    """A fresh explorer from ``make``; its slider ``attr`` swept from min to max in 20 steps (whole numbers for an
    integer slider)."""
    def run() -> list[float]:
        w = getattr(make(), attr)
        lo, hi = w.min, w.max
        vals = [lo + (hi - lo) * i / 20 for i in range(21)]
        if isinstance(w.value, int):
            vals = sorted({int(v) for v in vals})
        return _time_changes(lambda v: setattr(w, "value", v), vals)
    return run


def explorer_cases() -> dict[str, Callable[[], list[float]]]:
    """Each explorer of the kit and a sweep of slider values; a case is skipped if its module is absent."""
    cases: dict[str, Callable[[], list[float]]] = {}

    def guide() -> list[float]:
        from aireg.guide import responses_by_day_demo

        box = responses_by_day_demo()
        slider = box.children[0]
        return _time_changes(lambda v: setattr(slider, "value", v), list(range(0, 61, 3)))

    cases["start_here_demo"] = guide
    try:
        from aireg.maps import response_explorer
    except ImportError:
        response_explorer = None
    if response_explorer:
        def maps(repeat: int) -> Callable[[], list[float]]:
            def run() -> list[float]:
                ex = response_explorer()  # a fresh explorer: its per-date cache starts empty
                opts = [o[1] if isinstance(o, tuple) else o for o in getattr(ex.slider, "options", [])]
                opts = opts or list(range(ex.slider.min, ex.slider.max + 1))
                return _time_changes(lambda v: setattr(ex.slider, "value", v), opts, repeat=repeat)
            return run

        cases["response_explorer.date (first visit of each date)"] = maps(1)
        cases["response_explorer.date (3 sweeps, cached revisits)"] = maps(3)
    try:
        from aireg.dsa_explorer import dsa_explorer
    except ImportError:
        dsa_explorer = None
    if dsa_explorer:
        for attr in ("fine_rate", "days", "daily_rate", "restriction_periods"):
            cases[f"dsa_explorer.{attr}"] = _sweep(dsa_explorer, attr)
    try:
        from aireg.gdpr_explorer import gdpr_explorer
    except ImportError:
        gdpr_explorer = None
    if gdpr_explorer:
        for attr in ("entity_turnover", "group_turnover"):
            cases[f"gdpr_explorer.{attr}"] = _sweep(gdpr_explorer, attr)
    try:
        from aireg.geoblock import geoblock_explorer
    except ImportError:
        geoblock_explorer = None
    if geoblock_explorer:
        def geo() -> list[float]:
            ex = geoblock_explorer()
            opts = [o[1] if isinstance(o, tuple) else o for o in ex.dropdown.options]
            return _time_changes(lambda v: setattr(ex.dropdown, "value", v), opts * 3)

        cases["geoblock_explorer.rule"] = geo
    return cases


def bench_slider_callback_ms() -> dict:
    out = {}
    for name, case in explorer_cases().items():
        samples = case()
        out[name] = {"median": round(statistics.median(samples), 2), "p95": round(pct(samples, 0.95), 2),
                     "n": len(samples)}
    return out


def bench_map_html_bytes() -> dict:
    try:
        from aireg.maps import map_html, response_map
    except ImportError:
        return {"skipped": "aireg.maps not present"}
    import aireg

    r = aireg.load_responses()
    out = {}
    for label, as_of in (("all_actions", r["date"].max()), ("before_first_action", r["date"].min() - __import__(
            "pandas").Timedelta(days=1))):
        doc = map_html(response_map(r, as_of=as_of))
        out[f"response_map.{label}"] = len(doc.encode())
    return out


def bench_autograde_s_per_submission(n: int = 20) -> dict:
    """A batch of ``n`` synthetic submissions per assignment (solutions and untouched releases, alternating),
    graded by the kit's pipeline on a temporary copy of the course: one worker and two in parallel, in the
    sandbox, then one worker without it (``AIREG_SANDBOX=off``) for the sandbox's cost, same run."""
    import nbformat

    from aireg import grading, sandbox

    generated = ("gradebook.db", "release", "submitted", "autograded", "feedback", "downloaded", "reports")
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "assignments"
        shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*generated))
        os.environ.setdefault("AIREG_CELL_TIMEOUT", "30")
        grading.release(course)
        for a in grading.assignments(course):
            modes = [("serial", 1, "on"), ("parallel", 2, "on"), ("serial_without_sandbox", 1, "off")]
            if sandbox.probe():  # no sandbox on this machine: measure without it, and say so
                out["sandbox"] = f"unavailable ({sandbox.probe()}): measured with AIREG_SANDBOX=off"
                modes = [(m, w, "off") for m, w, _ in modes[:2]]
            for mode, workers, sandboxed in modes:
                os.environ["AIREG_SANDBOX"] = sandboxed
                shutil.rmtree(course / "submitted", ignore_errors=True)
                shutil.rmtree(course / "autograded", ignore_errors=True)
                for i in range(n):
                    kind = "source" if i % 2 == 0 else "release"
                    nb = nbformat.read(course / kind / a / f"{a}.ipynb", as_version=4)
                    dst = course / "submitted" / f"{mode}{i:02d}" / a / f"{a}.ipynb"
                    dst.parent.mkdir(parents=True)
                    nbformat.write(nb, dst)
                t = time.perf_counter()
                rows = grading.autograde(course, a, workers=workers)
                total = time.perf_counter() - t
                graded = [r for r in rows if r["status"] == "graded"]
                out.setdefault(a, {})[mode] = {
                    "median": round(statistics.median(r["seconds"] for r in graded), 2) if graded else None,
                    "total_s": round(total, 1), "per_submission_s": round(total / n, 2),
                    "graded": len(graded), "n": n}
            s_, p_ = out[a]["serial"], out[a]["parallel"]
            out[a]["ratio_parallel_over_serial_total"] = round(p_["total_s"] / s_["total_s"], 2)
            if "serial_without_sandbox" in out[a]:
                u_ = out[a]["serial_without_sandbox"]
                out[a]["ratio_sandbox_over_none_median"] = round(s_["median"] / u_["median"], 2)
                out[a]["ratio_sandbox_over_none_total"] = round(s_["total_s"] / u_["total_s"], 2)
        os.environ.pop("AIREG_SANDBOX", None)
    return out


def bench_browser_update_ms() -> dict:
    try:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from browser_bench import measure
    except ImportError:
        return {"skipped": "benchmarks/browser_bench.py not importable"}
    if not Path("/usr/bin/chromium").exists():
        return {"skipped": "/usr/bin/chromium not installed"}
    return measure()


def bench_install() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, "-r", str(ROOT / "binder" / "requirements.txt")], check=True)
        subprocess.run([*pip, "--no-deps", "-e", str(ROOT)], check=True)
        seconds = time.perf_counter() - t
        size = sum(f.stat().st_size for f in venv.rglob("*") if f.is_file() and not f.is_symlink())
    return {"install_s": round(seconds, 1), "env_mb": round(size / 1e6, 1)}


def machine() -> dict:
    return {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
            "date": datetime.now(UTC).isoformat(timespec="seconds")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", default="", help="comma-separated subset of: " + ", ".join(TARGETS))
    args = ap.parse_args(argv)
    only = {s.strip() for s in args.only.split(",") if s.strip()}

    def want(key: str) -> bool:
        return not only or key in only

    results: dict = json.loads(RESULTS.read_text()) if RESULTS.exists() and only else {}
    results["machine"] = machine()
    results["targets"] = {k: {"what": v[0], "target": v[1]} for k, v in TARGETS.items()}
    steps = [
        ("import_s", bench_import_s),
        ("lesson_exec_s", bench_lesson_exec_s),
        ("slider_callback_ms", bench_slider_callback_ms),
        ("map_html_bytes", bench_map_html_bytes),
        ("autograde_s_per_submission", bench_autograde_s_per_submission),
        ("browser_update_ms", bench_browser_update_ms),
    ]
    for key, fn in steps:
        if want(key):
            print(f"... {key}", flush=True)
            try:
                results[key] = fn()
            except Exception as exc:  # one broken measure must not lose the others
                results[key] = {"error": f"{type(exc).__name__}: {exc}"}
    if want("install_s") or want("env_mb"):
        print("... install_s / env_mb", flush=True)
        results.update(bench_install())
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(table(results))
    return 0


def _shown(v) -> str:
    if not isinstance(v, dict):
        return str(v)
    keys = ("median", "p95", "per_submission_s", "total_s", "missed", "skipped", "error")
    return ", ".join(f"{k} {x}" for k, x in v.items() if k in keys)


def table(results: dict) -> str:
    lines = ["| measure | item | value | target |", "|---|---|---|---|"]
    for key, (_, target) in TARGETS.items():
        value = results.get(key)
        if value is None:
            continue
        if isinstance(value, dict) and "median" in value and not any(isinstance(v, dict) for v in value.values()):
            lines.append(f"| {key} | | median {value['median']} | {target} |")
        elif isinstance(value, dict):
            for item, v in value.items():
                if isinstance(v, dict) and any(isinstance(x, dict) for x in v.values()):
                    for sub, x in v.items():
                        lines.append(f"| {key} | {item} {sub} | {_shown(x)} | {target} |")
                else:
                    lines.append(f"| {key} | {item} | {_shown(v)} | {target} |")
        else:
            lines.append(f"| {key} | | {value} | {target} |")
    return "\n".join(lines)


if __name__ == "__main__":
    shutil.rmtree(ROOT / "benchmarks" / "__pycache__", ignore_errors=True)
    sys.exit(main())
