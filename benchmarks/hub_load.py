"""Sizing figures for a class on JupyterHub, measured on the kit's local hub (``make bench-hub``, as root).

Simulated students are real local accounts on a real hub (``scripts/hub.py``, loopback only). Each runs lessons
cell by cell in a kernel of their own server, through the hub's proxy and the kernel websocket, as a browser would.

1. **Per student, per lesson** (one student at a time): peak memory of everything the student's account runs
   (single-user server + kernel; resident set size summed over the account's processes, sampled every 50 ms),
   CPU seconds used (user + system, all the account's processes) and wall time; the idle server alone.
2. **Concurrency** (bounded: at most ``--max`` students): k students start and run the heaviest lesson at the same
   moment, for k = 1, 2, 4, ...; median and worst wall time per student, the peak memory of all students together,
   and the hub's API latency while they run.

Writes ``benchmarks/hub-results.json`` and prints a Markdown table. Accounts ``aireg-load-NN`` are created afresh.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import nbformat  # noqa: E402
import psutil  # noqa: E402
from hubkit import running_hub  # noqa: E402

LESSONS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]-*.ipynb"))


def account_usage(uid: int) -> tuple[int, float]:
    """(resident bytes, CPU seconds) of every process the account runs."""
    rss, cpu = 0, 0.0
    for p in psutil.process_iter(["uids"]):
        try:
            if p.info["uids"] and p.info["uids"].real == uid:
                rss += p.memory_info().rss
                t = p.cpu_times()
                cpu += t.user + t.system + t.children_user + t.children_system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return rss, cpu


class Peak:
    """Samples the summed RSS of some accounts every 50 ms while active."""

    def __init__(self, uids: list[int]):
        self.uids, self.peak, self._stop = uids, 0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(account_usage(u)[0] for u in self.uids))
            time.sleep(0.05)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def lesson_cells(name: str) -> list[str]:
    nb = nbformat.read(ROOT / "lessons" / name, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def run_lesson(hub, user: str, name: str) -> float:
    t0 = time.perf_counter()
    with hub.kernel(user) as k:
        k.execute(f"import os; os.chdir({str(ROOT / 'lessons')!r})")  # as when the lesson is opened from lessons/
        for code in lesson_cells(name):
            k.execute(code)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max", type=int, default=8, help="largest number of simultaneous students (default 8)")
    ap.add_argument("--lesson", default="02-national-responses.ipynb", help="the lesson run under concurrency")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root: the hub creates accounts and starts servers as them")
    levels = [k for k in (1, 2, 4, 8, 16) if k <= args.max]
    users = [f"aireg-load-{i:02d}" for i in range(1, max(levels) + 1)]
    for u in [*users, "aireg-load-instructor"]:
        subprocess.run(["userdel", "--remove", u], capture_output=True)
    tmp = Path(tempfile.mkdtemp(prefix="aireg-hub-load-"))
    tmp.chmod(0o755)
    results: dict = {"machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1)},
                     "lessons": {}, "concurrency": []}
    with running_hub(tmp / "state", tmp / "exchange", ["aireg-load-instructor"], users, "hub-load") as hub:
        uid = {u: pwd.getpwnam(u).pw_uid for u in users}
        first = users[0]
        hub.start_server(first)
        time.sleep(2)
        results["idle_server_mb"] = round(account_usage(uid[first])[0] / 2**20)
        for name in LESSONS:
            runs = []
            for _ in range(2):
                rss0, cpu0 = account_usage(uid[first])
                with Peak([uid[first]]) as peak:
                    wall = run_lesson(hub, first, name)
                cpu = account_usage(uid[first])[1] - cpu0
                runs.append({"wall_s": wall, "cpu_s": cpu, "peak_mb": peak.peak / 2**20})
            results["lessons"][name] = {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]}
            print(name, results["lessons"][name], flush=True)

        for k in levels:
            group = users[:k]
            for u in group:
                hub.start_server(u)
            api_ms, stop = [], threading.Event()

            def probe(api_ms=api_ms, stop=stop):
                while not stop.is_set():
                    t0 = time.perf_counter()
                    hub.request("GET", "/hub/api/users")
                    api_ms.append((time.perf_counter() - t0) * 1000)
                    time.sleep(0.25)

            prober = threading.Thread(target=probe, daemon=True)
            prober.start()
            cpu0 = sum(account_usage(uid[u])[1] for u in group)
            t0 = time.perf_counter()
            with Peak([uid[u] for u in group]) as peak, ThreadPoolExecutor(k) as pool:
                walls = list(pool.map(lambda u: run_lesson(hub, u, args.lesson), group))
            elapsed = time.perf_counter() - t0
            stop.set()
            prober.join()
            cpu = sum(account_usage(uid[u])[1] for u in group) - cpu0
            row = {"students": k, "median_wall_s": round(statistics.median(walls), 2), "max_wall_s": round(max(walls), 2),
                   "batch_s": round(elapsed, 2), "cpu_s": round(cpu, 1), "peak_mb_all": round(peak.peak / 2**20),
                   "hub_api_median_ms": round(statistics.median(api_ms), 1) if api_ms else None,
                   "hub_api_max_ms": round(max(api_ms), 1) if api_ms else None}
            results["concurrency"].append(row)
            print(row, flush=True)
    for u in [*users, "aireg-load-instructor"]:
        subprocess.run(["userdel", "--remove", u], capture_output=True)
    out = ROOT / "benchmarks" / "hub-results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {out}")
    print("\n| lesson | wall s | CPU s | peak MB (server + kernel) |\n|---|---|---|---|")
    for name, r in results["lessons"].items():
        print(f"| {name} | {r['wall_s']} | {r['cpu_s']} | {r['peak_mb']:.0f} |")
    print("\n| students at once | median s | worst s | CPU s | peak MB, all | hub API median ms |\n|---|---|---|---|---|---|")
    for r in results["concurrency"]:
        print(f"| {r['students']} | {r['median_wall_s']} | {r['max_wall_s']} | {r['cpu_s']} | {r['peak_mb_all']} | "
              f"{r['hub_api_median_ms']} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
