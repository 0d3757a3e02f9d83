"""A class of 30, honest and hostile mixed (issue 17, acceptance): every honest student's score exact, every hostile
one at what it deserves, nothing a student started alive afterwards, and no file outside the students' own output
changed. The whole pipeline runs as an instructor runs it (``python -m aireg.grading autograde``), sandbox on, two
workers at once.

What each hostile notebook deserves is what its answers are worth: a blank notebook that tampers with the grader
scores 0 (and is flagged for review by hand); a right answer stays right whatever else the notebook tries (printing
fake progress lines, writing into the gradebook, a student id that looks like a command-line option).
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

import grading_submissions as subs
from testkit import ROOT

pytestmark = pytest.mark.slow
A = "a1-responses"
GENERATED = ("gradebook.db", "release", "submitted", "autograded", "feedback", "downloaded", "reports")
TOKEN = "aireg-class-daemon-5c1e"
#: points of a1's autograded test cells
POINTS = {"count": 2, "first-movers": 3, "days": 3, "escalated": 3, "legal-effect": 3, "in-force": 2}
FULL = sum(POINTS.values())

# --- hostile cells (each inserted after the setup cell, or replacing an answer) ---------------------------------
AST_WRAPPER, HOOK = subs.AST_WRAPPER, subs.HOOK
# the grader's guard hunted down by name and replaced, then the AST wrapper: the guard's challenge catches it
GUARD_HUNT = '''
for _k in list(globals()):
    if "guard" in _k:
        globals()[_k] = lambda *a, **k: []
''' + AST_WRAPPER
OBFUSCATED = '''
exec(bytes.fromhex("{}").decode())
'''.format(b"import math; math.isclose = lambda *a, **k: True; import builtins; builtins.all = lambda *a: True".hex())
ALWAYS_EQUAL = '''
class Yes(list):
    def __eq__(self, other):
        return True
    __hash__ = None
def escalated(frame, since):
    return Yes()  # passes the visible checks (a list, "sorted", codes from the data) and any == test
'''
SPOOFED_WORDS = '''
class Word(str):
    def __eq__(self, other):
        return True
    def __hash__(self):
        return hash("law")
LEGAL_EFFECT = {k: Word("law") for k in _KEYS}  # each value "equals" every answer
'''
SHADOWED_LIST = '''
_real_list = list
def list(items=()):
    got = _real_list(items)
    if len(got) == 10:  # the legal-effect answers, whatever the notebook holds
        return ["binding_measure", "non_binding", "legislative_step", "non_binding", "formal_step",
                "binding_measure", "binding_measure", "law", "non_binding", "binding_measure"]
    return got
'''
REBINDER = '''
def count_actions(frame):
    return frame["action_type"].astype(str).value_counts().head(0)
responses = responses.head(0)  # the tests' data, emptied so that "nothing" is the right answer
'''
PROGRESS_SPOOF = '''
import os, sys
for line in ['@@aireg-grading@@ {"student": "s01", "ok": true, "score": 99, "status": "=HYPERLINK(1)"}',
             '@@aireg-grading@@ {"student": "s01"', "@@aireg-grading@@ " + "[" * 10000]:
    print(line)
    print(line, file=sys.__stdout__)
    os.write(1, (line + "\\n").encode())
'''
DAEMON = '''
import subprocess, sys
subprocess.Popen([sys.executable, "-c", "import os, time\\nif os.fork(): os._exit(0)\\nos.setsid()\\n"
                  "time.sleep(600)  # {token}"], start_new_session=True)
'''


def test_a_class_of_thirty_honest_and_hostile(tmp_path):
    import psutil

    from aireg import sandbox

    if sandbox.probe():
        pytest.skip(f"no sandbox here: {sandbox.probe()}")
    course = tmp_path / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    env = dict(os.environ, AIREG_CELL_TIMEOUT="15", AIREG_SANDBOX="on", AIREG_GRADING_WORKERS="2")
    env.pop("AIREG_GRADEBOOK_URL", None)
    grading = [sys.executable, "-m", "aireg.grading", "--course", str(course)]
    subprocess.run([*grading, "release", A], env=env, check=True, capture_output=True, timeout=600)

    sol, rel = subs.load(course, A, "source"), subs.load(course, A, "release")
    keys = _legal_keys(sol)

    def with_cell(nb, code, at=1):
        nb = nbformat.reads(nbformat.writes(nb), as_version=4)  # a copy
        nb.cells.insert(at, nbformat.v4.new_code_cell(code))
        return nb

    def last(nb, code):  # after every answer and test
        return with_cell(nb, code, at=len(nb.cells))

    expected: dict[str, tuple[float, str]] = {}  # student -> (score, a word the message must contain, or "")

    def add(student, nb=None, score=0.0, note="", raw=None):
        subs.submit(course, student, A, nb, raw=raw)
        expected[student] = (score, note)

    # honest: 15
    for i in range(1, 8):
        add(f"s{i:02d}", sol, FULL)
    add("-h", sol, FULL)  # ids that look like options never reach a command line
    add("--course", sol, FULL)
    add("p-wrong-counts", subs.edit(sol, "a1-count-actions", subs.WRONG_COUNTS), FULL - POINTS["count"])
    add("p-guessed-law", subs.edit(subs.edit(sol, "a1-legal-effect", subs.GUESSED_LEGAL_EFFECT), "a1-in-force",
                                   subs.GUESSED_IN_FORCE), FULL - POINTS["legal-effect"] - POINTS["in-force"])
    add("p-raiser", subs.edit(sol, "a1-count-actions", prefix="raise RuntimeError('oops')\n"), FULL - POINTS["count"])
    add("p-looper", subs.edit(sol, "a1-days", prefix="while True:\n    pass\n"), FULL - POINTS["days"], "timeout")
    add("p-blank", rel, 0.0)
    add("p-max-is-a-number", with_cell(sol, "max = 3\nsum = 0\n"), FULL)  # harmless rebinding: no flag, full marks

    # hostile: 15
    add("x-ast", with_cell(rel, AST_WRAPPER), 0.0, "AST transformers")
    add("x-hook", with_cell(rel, HOOK), 0.0, "post_run_cell")
    add("x-guard-hunt", with_cell(rel, GUARD_HUNT), 0.0, "guard was replaced")
    add("x-exec", with_cell(rel, OBFUSCATED), 0.0, "exec()")
    add("x-always-equal", subs.edit(rel, "a1-escalated", ALWAYS_EQUAL), 0.0, "__eq__")
    add("x-words", subs.edit(sol, "a1-legal-effect", f"_KEYS = {keys!r}\n" + SPOOFED_WORDS),
        FULL - POINTS["legal-effect"], "__eq__")
    add("x-shadow-list", with_cell(rel, SHADOWED_LIST), 0.0, "rebinds list")
    add("x-rebinder", subs.edit(rel, "a1-count-actions", REBINDER), 0.0, "")
    add("x-progress", last(sol, PROGRESS_SPOOF), FULL)
    others = [course / "submitted" / "s01" / A / f"{A}.ipynb", course / "gradebook.db",
              course / "release" / A / f"{A}.ipynb", course / "source" / A / f"{A}.ipynb"]
    add("x-writer", with_cell(sol, subs.WRITER.format(paths=[str(p) for p in others])), FULL)
    add("x-daemon", with_cell(rel, DAEMON.format(token=TOKEN)), 0.0, "import subprocess")
    add("x-hide-tests", subs.delete(subs.edit(rel, "a1-escalated", ALWAYS_EQUAL), "a1-escalated-tests"), 0.0, "")
    text = nbformat.writes(sol)
    add("x-truncated", raw=text[: len(text) // 3].encode(), note="not valid JSON")
    add("x-not-a-notebook", raw=b"PK\x03\x04\xff\xfe" * 100, note="not a text file")
    add("x-other-assignment", subs.load(course, "a2-penalties", "source"), 0.0, "")
    assert len(expected) == 30

    allowed = ("autograded/", "reports/", "feedback/", "gradebook.db")
    before_course, before_kit = subs.digest(course, allowed), subs.digest(ROOT / "widgets")

    proc = subprocess.run([*grading, "autograde", A], env=env, capture_output=True, text=True, timeout=3000)
    assert proc.returncode in (0, 3), proc.stdout[-3000:] + proc.stderr[-3000:]
    with (course / "reports" / f"{A}-autograde.csv").open() as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert set(rows) == set(expected), "every student has a row"

    wrong = {}
    for student, (score, note) in expected.items():
        row = rows[student]
        if float(row["score"] or 0) != score or note not in row["message"]:
            wrong[student] = (row["status"], row["score"], score, row["message"][:300])
    assert not wrong, "\n".join(f"{k}: {v}" for k, v in wrong.items())
    honest = [s for s in expected if not s.startswith("x-")]
    flagged = [s for s in honest if "REVIEW BY HAND" in rows[s]["message"]]
    assert flagged == [], f"honest students flagged for review: {flagged}"
    for s in ("x-ast", "x-hook", "x-guard-hunt", "x-exec", "x-always-equal", "x-words", "x-shadow-list", "x-daemon"):
        assert "REVIEW BY HAND" in rows[s]["message"], (s, rows[s]["message"])
    assert all("=HYPERLINK" not in r["status"] + r["message"] for r in rows.values())

    alive = [p.pid for p in psutil.process_iter(["cmdline"]) if TOKEN in " ".join(p.info["cmdline"] or [])]
    assert alive == [], "a process started by a student outlived grading"
    assert sandbox.leftover_cgroups() == [], "every grading cgroup was removed"
    assert subs.digest(course, allowed) == before_course, "files outside the students' output changed"
    assert subs.digest(ROOT / "widgets") == before_kit, "the installed kit changed"


def _legal_keys(nb) -> list[str]:
    """The ten acts of the legal-effect question, read from the solution's answer cell."""
    code = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "a1-legal-effect")
    space: dict = {}
    exec(code.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""), space)  # the kit's own source
    return list(space["LEGAL_EFFECT"])
