"""The grading sandbox (issue 17, point 1), attacked by a class of hostile kernels alongside an honest student.

Each hostile notebook is the release plus one cell that tries what a determined student would: read the
instructor's environment, the gradebook and the hidden tests; write into the release, the gradebook, another
student's submission and the installed ``aireg`` package; open network connections (to a server this test runs on
loopback, and outward); leave a double-forked daemon behind; signal the grader; start hundreds of tasks; and take
more memory across child processes than one student may. Afterwards: the honest grade is exact, nothing the
students started is alive, no grading cgroup is left, and no file outside the students' own output changed.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

import grading_submissions as subs
from testkit import ROOT

pytestmark = pytest.mark.slow
A = "a1-responses"
GENERATED = ("gradebook.db", "release", "submitted", "autograded", "feedback", "downloaded", "reports")
TOKEN = "aireg-daemon-token-7f3a"

READER = '''
import os, pathlib
found = []
if os.environ.get("AIREG_TEST_SECRET"):
    found.append("env")
for p in [{gradebook!r}, {source!r}, {repo_source!r}, {git!r}, {home!r}, {other!r}]:
    try:
        open(p, "rb").read(10)
        found.append(p)
    except OSError:
        pass
print("READ", found)
'''

NETWORK = '''
import socket
reached = []
for host, port in [("127.0.0.1", {port}), ("1.1.1.1", 80)]:
    try:
        socket.create_connection((host, port), timeout=3).close()
        reached.append(host)
    except OSError:
        pass
print("REACHED", reached)
'''

DAEMON = '''
import os, subprocess, sys
subprocess.Popen([sys.executable, "-c", "import os, time\\nif os.fork(): os._exit(0)\\nos.setsid()\\n"
                  "time.sleep(300)  # {token}"], start_new_session=True)
print("DAEMON started")
'''

SIGNALLER = '''
import os, signal
for pid in range(1, 4096):
    if pid != os.getpid():
        for sig in (signal.SIGSTOP, signal.SIGTERM):
            try:
                os.kill(pid, sig)
            except OSError:
                pass
print("SIGNALLED")
'''

TASKS = '''
import threading, time
started = 0
try:
    for _ in range(500):
        threading.Thread(target=time.sleep, args=(20,), daemon=True).start()
        started += 1
except RuntimeError:
    pass
print("TASKS", started)
'''

MEMORY = '''
import os, time
r, w = os.pipe()
kids = []
for _ in range(4):
    pid = os.fork()
    if pid == 0:
        try:
            block = bytearray(b"\\x01") * (450 * 2**20)  # touched, so it is really resident
            os.write(w, b"k")
            time.sleep(15)
        finally:
            os._exit(0)
    kids.append(pid)
os.close(w)
time.sleep(12)
held = len(os.read(r, 64))
print("HELD", held)
'''


def said(course: Path, student: str) -> str:
    nb = json.loads((course / "autograded" / student / A / f"{A}.ipynb").read_text())
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


def test_hostile_kernels_are_contained(tmp_path):
    from aireg import sandbox

    if sandbox.probe():
        pytest.skip(f"no sandbox here: {sandbox.probe()}")
    course = tmp_path / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    env = dict(os.environ, AIREG_CELL_TIMEOUT="40", AIREG_SUBMISSION_TIMEOUT="240", AIREG_TEST_SECRET="s3cret",
               AIREG_KERNEL_MEMORY_MB="2048", AIREG_SANDBOX_MEMORY_MB="1024", AIREG_SANDBOX="on")
    env.pop("AIREG_GRADEBOOK_URL", None)
    subprocess.run([sys.executable, "-m", "aireg.grading", "--course", str(course), "release", A], env=env,
                   check=True, capture_output=True, timeout=600)

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port, connections = listener.getsockname()[1], []
    threading.Thread(target=lambda: connections.append(listener.accept()), daemon=True).start()

    solution = subs.load(course, A, "source")
    subs.submit(course, "alice", A, solution)
    other = course / "submitted" / "alice" / A / f"{A}.ipynb"
    paths = dict(gradebook=str(course / "gradebook.db"), source=str(course / "source" / A / f"{A}.ipynb"),
                 repo_source=str(ROOT / "assignments" / "source" / A / f"{A}.ipynb"), git=str(ROOT / ".git" / "HEAD"),
                 other=str(other), release=str(course / "release" / A / f"{A}.ipynb"),
                 package=str(ROOT / "widgets" / "aireg" / "__init__.py"), repo_file=str(ROOT / "README.md"),
                 home=str(Path.home() / ".bashrc"))
    hostile = {"reader": READER.format(**paths), "writer": subs.WRITER.format(paths=[paths[k] for k in ("release", "gradebook", "other", "package", "repo_file")]), "network": NETWORK.format(port=port),
               "daemon": DAEMON.format(token=TOKEN), "signaller": SIGNALLER, "tasks": TASKS, "memory": MEMORY}
    for name, code in hostile.items():
        nb = subs.load(course, A, "release")
        nb.cells.insert(1, nbformat.v4.new_code_cell(code))
        subs.submit(course, name, A, nb)
    subs.submit(course, "zz-honest", A, solution)

    allowed = ("autograded/", "reports/", "feedback/", "gradebook.db")
    before_course, before_kit = subs.digest(course, allowed), subs.digest(ROOT / "widgets")
    before_readme = (ROOT / "README.md").read_bytes()

    proc = subprocess.run([sys.executable, "-m", "aireg.grading", "--course", str(course), "autograde", A], env=env,
                          capture_output=True, text=True, timeout=1500)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "sandbox: bubblewrap" in proc.stdout
    with (course / "reports" / f"{A}-autograde.csv").open() as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}

    assert rows["alice"]["status"] == rows["zz-honest"]["status"] == "graded", rows
    assert float(rows["alice"]["score"]) == float(rows["zz-honest"]["score"]) > 0
    assert "READ []" in said(course, "reader")
    assert "WROTE []" in said(course, "writer")
    assert "REACHED []" in said(course, "network") and not connections
    # signalling every pid it can see only reaches its own sandbox: it may kill its own kernel, never the grader
    # (it may stop or kill its own kernel: then that student alone is not graded, with the reason)
    assert rows["signaller"]["status"] == "graded" and "SIGNALLED" in said(course, "signaller") or \
        rows["signaller"]["status"] in ("error", "timeout") and "not graded" in rows["signaller"]["message"]
    tasks = int(said(course, "tasks").split("TASKS ")[1].split()[0])
    assert tasks < 500, "the task limit holds for the whole student"
    if rows["memory"]["status"] == "graded" and "HELD" in said(course, "memory"):
        held = int(said(course, "memory").split("HELD ")[1].split()[0])
        assert held < 4, "four children cannot hold 4 x 450 MB when the student has 1024 MB"

    import psutil

    alive = [p.pid for p in psutil.process_iter(["cmdline"]) if TOKEN in " ".join(p.info["cmdline"] or [])]
    assert alive == [], "a process started by a student outlived grading"
    assert sandbox.leftover_cgroups() == [], "every grading cgroup was removed"
    assert subs.digest(course, allowed) == before_course, "files outside the students' output changed"
    assert subs.digest(ROOT / "widgets") == before_kit and (ROOT / "README.md").read_bytes() == before_readme


def test_grading_refuses_without_a_sandbox_unless_told(tmp_path):
    """Where bwrap cannot run, autograde stops with how to enable it; AIREG_SANDBOX=off is the explicit opt-out."""
    course = tmp_path / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    env = dict(os.environ, PATH="/nonexistent", AIREG_SANDBOX="on")  # no bwrap on PATH
    env.pop("AIREG_GRADEBOOK_URL", None)
    cmd = [sys.executable, "-m", "aireg.grading", "--course", str(course), "autograde", A]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2 and "sandbox cannot run" in proc.stderr and "apt-get install bubblewrap" in \
        proc.stderr and "AIREG_SANDBOX=off" in proc.stderr
    proc = subprocess.run(cmd, env=dict(env, AIREG_SANDBOX="off"), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and "WITHOUT the sandbox" in proc.stdout, proc.stderr


def test_ci_has_the_sandbox():
    """CI installs bubblewrap (.ci/run), so the sandbox tests above cannot silently skip there."""
    from aireg import sandbox

    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        pytest.skip("not CI")
    assert sandbox.probe() == ""
