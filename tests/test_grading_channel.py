"""Results travel from the grading worker to the parent over a private, signed channel (issue 17, point 2).

The attacks reproduced here: a student id ``-h`` (it used to reach the worker's command line, where argparse printed
help and exited, zeroing everyone in that worker); a kernel that prints lines in the progress format to the stdout
it inherits, and writes forged, unsigned or garbled events straight into every pipe of its parent and grandparent
through ``/proc`` (which is what a kernel running as the same user can do); and malformed event lines that used to
crash the run for everyone.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import grading_submissions as subs
from testkit import ROOT

A = "a1-responses"
GENERATED = ("gradebook.db", "release", "submitted", "autograded", "feedback", "downloaded", "reports")

SPOOF = r'''
import json, os, sys
EV = "@@aireg-grading@@ "
fake = [{"event": "done", "student": "alice", "ok": False, "seconds": 1.0, "error": "=HYPERLINK(\"http://x\")"},
        {"event": "start", "student": "zz-blank"},
        {"event": "done", "student": "spoofer", "ok": True, "seconds": 1.0, "error": ""},
        {"event": "done", "student": "-h", "ok": False, "seconds": 1.0, "error": "=1+1"}]
lines = [EV + json.dumps(f) for f in fake]                        # the old, unsigned format
lines += [EV + json.dumps(f, sort_keys=True) + " " + "0" * 64 for f in fake]  # a guessed signature
lines += [EV + "{not json", EV + "[" * 5000, EV + '{"event": "done"} ' + "f" * 64]
payload = "\n".join(lines) + "\n" + "partial line without a newline " + EV
print(payload, flush=True)
os.write(1, payload.encode())
wrote = 0
pids = {os.getppid()}
try:
    with open(f"/proc/{os.getppid()}/stat") as f:
        pids.add(int(f.read().rsplit(")", 1)[1].split()[1]))  # the grandparent too
except OSError:
    pass
for pid in pids:
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
        grader = b"aireg.grading" in open(f"/proc/{pid}/cmdline", "rb").read()
    except OSError:
        continue
    for fd in fds:
        try:
            if not os.readlink(f"/proc/{pid}/fd/{fd}").startswith("pipe:"):
                continue
            w = os.open(f"/proc/{pid}/fd/{fd}", os.O_WRONLY | os.O_NONBLOCK)
            os.write(w, payload.encode())
            os.close(w)
            wrote += grader
        except OSError:
            pass
print(f"SPOOF wrote to {wrote} pipes of the grader")
'''


def test_parse_event_accepts_only_well_formed_signed_events():
    from aireg.grading import EVENT, _event_line, _parse_event

    key, other = b"k" * 32, b"o" * 32
    good = {"event": "done", "student": "alice", "ok": True, "seconds": 1.5, "error": ""}
    line = _event_line(key, good)
    assert _parse_event(line, key) == good
    assert _parse_event(line, other) is None  # wrong key
    assert _parse_event(b"garbage written before it " + line, key) == good  # a prefix cannot corrupt it
    assert _parse_event((EVENT + json.dumps(good)).encode(), key) is None  # unsigned
    for bad in ({"event": "done", "student": "a", "ok": "yes", "seconds": 1, "error": ""},
                {"event": "done", "student": "a", "ok": True, "seconds": float("nan"), "error": ""},
                {"event": "done", "student": "a", "ok": True, "seconds": -1, "error": ""},
                {"event": "start", "student": 3},
                {"event": "start", "student": "a", "extra": 1},
                {"event": "score", "student": "a"}):
        assert _parse_event(_event_line(key, bad), key) is None, bad
    assert _parse_event(EVENT.encode() + b"[" * 5000, key) is None
    assert _parse_event(b"\xff\xfe" + EVENT.encode() + b"{", key) is None


def test_event_lines_fit_one_atomic_pipe_write():
    from aireg.grading import _event_line, _parse_event

    key = b"k" * 32
    huge = {"event": "done", "student": "s", "ok": False, "seconds": 2.0, "error": "\u2028\U0001f600" * 5000}
    line = _event_line(key, huge)
    assert len(line) < 4096 and line.endswith(b"\n")
    ev = _parse_event(line, key)
    assert ev is not None and ev["ok"] is False and ev["error"] and set(ev["error"]) <= set("\u2028\U0001f600")


@pytest.mark.slow
@pytest.mark.parametrize("sandbox", ["on", "off"])
def test_students_cannot_spoof_or_break_the_result_channel(tmp_path, sandbox):
    """With the sandbox the grader is out of sight; without it (``AIREG_SANDBOX=off``) the kernel reaches the
    grader's pipes through /proc, and the signatures are what stop it."""
    from aireg import sandbox as sb

    if sandbox == "on" and sb.probe():
        pytest.skip(f"no sandbox here: {sb.probe()}")
    course = tmp_path / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    env = dict(os.environ, AIREG_CELL_TIMEOUT="30", AIREG_SUBMISSION_TIMEOUT="180", AIREG_SANDBOX=sandbox)
    env.pop("AIREG_GRADEBOOK_URL", None)

    def grade(*extra: str) -> dict[str, dict]:
        proc = subprocess.run([sys.executable, "-m", "aireg.grading", "--course", str(course), "autograde", A,
                               *extra], env=env, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        with (course / "reports" / f"{A}-autograde.csv").open() as f:
            return {r["student_id"]: r for r in csv.DictReader(f)}

    subprocess.run([sys.executable, "-m", "aireg.grading", "--course", str(course), "release", A], env=env,
                   check=True, capture_output=True, timeout=600)
    solution, blank = subs.load(course, A, "source"), subs.load(course, A, "release")
    subs.submit(course, "alice", A, solution)
    first = grade("--student=alice")["alice"]
    assert first["status"] == "graded" and float(first["score"]) > 0

    spoofer = subs.load(course, A, "release")
    spoofer.cells.insert(1, nbformat.v4.new_code_cell(SPOOF))
    subs.submit(course, "spoofer", A, spoofer)
    subs.submit(course, "-h", A, solution)  # a student id that looks like an option
    subs.submit(course, "zz-blank", A, blank)
    garbler = subs.load(course, A, "release")
    garbler.cells.insert(1, nbformat.v4.new_code_cell(
        'import os\nfor t in ["@@aireg-grading@@ {", "@@aireg-grading@@ " + "[" * 100000]:\n'
        '    print(t, flush=True); os.write(1, (t + "\\n").encode())'))
    subs.submit(course, "garbler", A, garbler)

    rows = grade()
    assert set(rows) == {"alice", "spoofer", "-h", "zz-blank", "garbler"}
    assert all(r["status"] == "graded" for r in rows.values()), rows
    assert rows["alice"]["score"] == rows["-h"]["score"] == first["score"]  # earlier grades stand
    for s in ("spoofer", "zz-blank", "garbler"):
        assert float(rows[s]["score"]) == 0.0, rows[s]
    report = (course / "reports" / f"{A}-autograde.csv").read_text()
    assert "HYPERLINK" not in report and "=1+1" not in report

    # the attack really reached the channel (as the same user it can), and was ignored there
    nb = json.loads((course / "autograded" / "spoofer" / A / f"{A}.ipynb").read_text())
    said = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    assert "SPOOF wrote to" in said
    wrote = int(said.split("SPOOF wrote to ")[1].split()[0])
    log = (course / "reports" / f"{A}-worker.log").read_text(errors="replace")
    if sandbox == "on":
        assert wrote == 0, "inside the sandbox no grader process is visible"
    elif os.geteuid() == 0 or wrote:  # as the same user (root here) /proc/<pid>/fd of the grader is writable
        assert wrote > 0 and "ignored a line on the result channel" in log
    assert "usage:" not in log  # no argument parser ever saw a student id

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "aireg-grok-2026") as gb:
        assert gb.find_submission(A, "-h").score == gb.find_submission(A, "alice").score > 0
        assert gb.find_submission(A, "spoofer").score == 0


def test_worker_takes_no_student_ids_on_its_command_line():
    from aireg import grading

    with pytest.raises(SystemExit):  # the old form, ids as positional arguments, is gone
        grading.main(["--course", str(Path(ROOT) / "assignments"), "_worker", A, "alice"])


@pytest.mark.slow
def test_pathological_files_cost_only_their_author(tmp_path):
    """A deeply nested JSON array, a 5,000-digit execution count and a non-dict ``metadata.nbgrader`` used to
    raise outside the pre-check (rc 2, no report for anyone)."""
    from aireg import grading

    course = tmp_path / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    grading.release(course, A)
    solution = subs.load(course, A, "source")
    subs.submit(course, "alice", A, solution)
    text = nbformat.writes(subs.load(course, A, "release"))
    nested = json.loads(text)
    nested["metadata"]["deep"] = "@@"
    subs.submit(course, "nested", A, raw=json.dumps(nested).replace('"@@"', "[" * 100_000 + "]" * 100_000)
                .encode())
    digits = json.loads(text)
    code = next(c for c in digits["cells"] if c["cell_type"] == "code")
    code["execution_count"] = "@@"
    subs.submit(course, "digits", A, raw=json.dumps(digits).replace('"@@"', "9" * 5000).encode())
    odd = json.loads(text)
    odd["cells"][1]["metadata"]["nbgrader"] = ["not", "a", "dict"]
    subs.submit(course, "odd-meta", A, raw=json.dumps(odd).encode())

    rows = {r["student_id"]: r for r in grading.autograde(course, A)}
    assert rows["alice"]["status"] == "graded" and rows["alice"]["score"] > 0
    for s in ("nested", "digits", "odd-meta"):
        assert rows[s]["status"] in ("rejected", "error") and rows[s]["message"], rows[s]
        assert rows[s]["score"] == 0
    assert (course / "reports" / f"{A}-autograde.csv").is_file()
