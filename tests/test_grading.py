"""The instructor pipeline end to end with the REAL nbgrader CLI, against broken and hostile submissions.

One temporary copy of ``assignments/`` is released, fed an LMS-style zip and a set of synthetic students
(see ``grading_submissions.py``), autograded, given feedback and exported, all through ``python -m aireg.grading``
(what the Makefile's ``release``/``collect``/``autograde``/``feedback``/``export`` targets run). The tests then read
the gradebook, the report, the feedback HTML and the CSV. Timings go to ``test-artifacts/grading_timings.json``.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

import grading_submissions as subs
from testkit import ROOT

pytestmark = pytest.mark.slow

ASSIGNMENTS = ["a1-responses", "a2-penalties", "a3-evidence", "a4-across-cases"]
GENERATED = ["release", "submitted", "autograded", "feedback", "downloaded", "reports", "gradebook.db", "grades.csv",
             "__pycache__", ".ipynb_checkpoints"]


def auto_points(course: Path, assignment: str) -> float:
    """Points of the autograded (test) cells of an assignment."""
    nb = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    return float(sum(m.get("points", 0) for m in meta if m.get("grade") and not m.get("solution")))


def run(course: Path, *args: str, env: dict, ok=(0,)) -> tuple[subprocess.CompletedProcess, float]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "aireg.grading", "--course", str(course), *args], env=env,
                          capture_output=True, text=True, timeout=900)
    took = time.perf_counter() - t0
    assert proc.returncode in ok, f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc, took


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, artifacts):
    tmp = tmp_path_factory.mktemp("course")
    course = tmp / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    env = dict(os.environ, AIREG_CELL_TIMEOUT="10", AIREG_KERNEL_MEMORY_MB="2048",
               AIREG_MAX_NOTEBOOK_MB="5", AIREG_SUBMISSION_TIMEOUT="120")
    env.pop("AIREG_GRADEBOOK_URL", None)
    times: dict[str, float] = {}

    _, times["release (4 assignments)"] = run(course, "release", env=env)

    # LMS downloads: Canvas-style file names for a2 (with a "-1" resubmission suffix), Moodle folders for a3.
    zips = {
        "a2": subs.lms_zip(tmp / "canvas-a2.zip", {
            "alice_1001_5001_a2-penalties.ipynb": subs.load(course, "a2-penalties", "source"),
            "blank_1002_5002_a2-penalties-1.ipynb": subs.load(course, "a2-penalties", "release"),
        }),
        "a3": subs.lms_zip(tmp / "moodle-a3.zip", {
            "alice_1001_assignsubmission_file_/a3-evidence.ipynb": subs.load(course, "a3-evidence", "source"),
            "blank_1002_assignsubmission_file_/a3-evidence.ipynb": subs.load(course, "a3-evidence", "release"),
        }),
    }
    for key, z in zips.items():
        _, times[f"collect {key}"] = run(course, "collect", str(z), env=env)
    # a4 straight into submitted/ (as nbgrader's exchange collect leaves it)
    subs.submit(course, "alice", "a4-across-cases", subs.load(course, "a4-across-cases", "source"))
    subs.submit(course, "blank", "a4-across-cases", subs.load(course, "a4-across-cases", "release"))

    story = subs.a1_submissions(course)
    n_a1 = len(story)
    ag = {}
    for a in ASSIGNMENTS:
        ag[a], times[f"autograde {a}"] = run(course, "autograde", a, env=env, ok=(0, 3))
    # the instructor grades the written answers in Formgrader, all but the guesser's a1 (held, to test that)
    for a in ASSIGNMENTS:
        subs.grade_by_hand(course, a, students=[s for s in story if s != "guesser"] if a == "a1-responses" else None)
    _, times["feedback (all)"] = run(course, "feedback", env=env)
    out_csv = tmp / "grades.csv"
    _, times["export"] = run(course, "export", "--to", str(out_csv), env=env)

    reports = {}
    for a in ASSIGNMENTS:
        with (course / "reports" / f"{a}-autograde.csv").open() as f:
            reports[a] = {r["student_id"]: r for r in csv.DictReader(f)}
    graded = [r for r in reports["a1-responses"].values() if r["status"] == "graded"]
    times["a1 per graded submission (worker, mean)"] = sum(float(r["seconds"]) for r in graded) / len(graded)
    times["a1 per submission incl. startup"] = times["autograde a1-responses"] / n_a1
    (artifacts / "grading_timings.json").write_text(json.dumps({k: round(v, 2) for k, v in times.items()}, indent=2))
    with out_csv.open() as f:
        export = list(csv.DictReader(f))
    return {"course": course, "story": story, "reports": reports, "export": export, "times": times, "ag": ag}


def grade(pipeline, student: str, grade_id: str, assignment: str = "a1-responses") -> float:
    from nbgrader.api import Gradebook

    course = pipeline["course"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "aireg-grok-2026") as gb:
        g = gb.find_grade(grade_id, assignment, assignment, student)
        return float(g.score)


def row(pipeline, student: str, assignment: str = "a1-responses") -> dict:
    return pipeline["reports"][assignment][student]


def test_solutions_score_full_autograded_marks(pipeline):
    for a in ASSIGNMENTS:
        r = row(pipeline, "alice", a)
        assert r["status"] == "graded", r
        assert float(r["score"]) == auto_points(pipeline["course"], a), (a, r)


def test_untouched_release_scores_zero(pipeline):
    for a in ASSIGNMENTS:
        r = row(pipeline, "blank", a)
        assert r["status"] == "graded" and float(r["score"]) == 0.0, (a, r)


def test_hard_coded_answers_fail_the_hidden_tests(pipeline):
    assert grade(pipeline, "hardcoder", "a1-count-actions-tests") == 0
    assert grade(pipeline, "hardcoder", "a1-escalated-tests") == 0
    fb = (pipeline["course"] / "feedback" / "hardcoder" / "a1-responses" / "a1-responses.html").read_text()
    assert "HiddenTestFailed" in fb, "the visible tests passed and a hidden test failed (neutral message shown)"


def test_guessed_legal_answers_score_zero_and_right_ones_full(pipeline):
    """The legal-reasoning items: the visible test checks only the form, the hidden one every entry."""
    assert grade(pipeline, "alice", "a1-legal-effect-tests") == 3 and grade(pipeline, "alice", "a1-in-force-tests") == 2
    assert grade(pipeline, "guesser", "a1-legal-effect-tests") == 0
    assert grade(pipeline, "guesser", "a1-in-force-tests") == 0
    assert float(row(pipeline, "guesser")["score"]) == auto_points(pipeline["course"], "a1-responses") - 5
    assert grade(pipeline, "blank", "a1-legal-effect-tests") == 0


def test_infinite_loop_times_out_and_only_that_part_scores_zero(pipeline):
    r = row(pipeline, "looper")
    assert r["status"] == "graded"
    assert grade(pipeline, "looper", "a1-days-tests") == 0
    assert float(r["score"]) == auto_points(pipeline["course"], "a1-responses") - 3
    assert float(r["seconds"]) < 60, "the per-cell timeout (10 s here) stopped the loop"
    assert "a1-days ran longer than the per-cell timeout" in r["message"]


def test_raising_cell_and_memory_hog_lose_only_their_part(pipeline):
    full = auto_points(pipeline["course"], "a1-responses")
    assert grade(pipeline, "raiser", "a1-count-actions-tests") == 0
    assert float(row(pipeline, "raiser")["score"]) == full - 2
    assert grade(pipeline, "hog", "a1-first-movers-tests") == 0, "the kernel's memory limit raised MemoryError"
    assert float(row(pipeline, "hog")["score"]) == full - 3
    assert "ran out of memory" in row(pipeline, "hog")["message"]


def test_deleted_and_edited_test_cells_are_restored(pipeline):
    r = row(pipeline, "tamperer")
    assert r["status"] == "graded"
    assert "cells missing: a1-escalated-tests" in r["message"]
    assert "read-only cells edited: a1-count-actions-tests" in r["message"]
    assert grade(pipeline, "tamperer", "a1-count-actions-tests") == 0, "the emptied test was replaced by the original"
    assert grade(pipeline, "tamperer", "a1-escalated-tests") == 3, "the deleted test was put back and run"


def test_invalid_and_wrong_files_are_rejected_with_a_clear_message(pipeline):
    bad = row(pipeline, "badjson")
    assert bad["status"] == "rejected" and "not valid JSON" in bad["message"] and float(bad["score"]) == 0
    wrong = row(pipeline, "wrongfile")
    assert wrong["status"] == "rejected" and "none of the assignment's cells" in wrong["message"]


def test_huge_outputs_are_stripped_and_capped(pipeline):
    r = row(pipeline, "huge")
    assert r["status"] == "graded" and "outputs removed" in r["message"]
    assert float(r["score"]) == auto_points(pipeline["course"], "a1-responses")
    graded = pipeline["course"] / "autograded" / "huge" / "a1-responses" / "a1-responses.ipynb"
    assert graded.stat().st_size < 1_000_000, "the 300,000 printed lines were capped"
    assert (pipeline["course"] / "reports" / "originals" / "a1-responses" / "huge" / "a1-responses.ipynb").exists()


def test_every_other_students_grade_stands(pipeline):
    statuses = {s: r["status"] for s, r in pipeline["reports"]["a1-responses"].items()}
    assert set(statuses) == set(pipeline["story"]), "every submission appears in the report"
    assert statuses["alice"] == "graded"
    assert float(row(pipeline, "alice")["score"]) == auto_points(pipeline["course"], "a1-responses")


def test_zip_collect_imports_canvas_and_moodle_names(pipeline):
    course = pipeline["course"]
    for a in ["a2-penalties", "a3-evidence"]:
        for s in ["alice", "blank"]:
            assert (course / "submitted" / s / a / f"{a}.ipynb").exists(), (s, a)


def test_feedback_does_not_reveal_hidden_tests(pipeline):
    from aireg.grading import feedback_leaks, hidden_secrets

    course = pipeline["course"]
    files = list((course / "feedback").glob("*/*/*.html"))
    assert len(files) >= 8
    for a in ASSIGNMENTS:
        assert hidden_secrets(course, a), "the check has hidden-test lines to look for"
        assert feedback_leaks(course, a) == []
    text = html.unescape((course / "feedback" / "alice" / "a1-responses" / "a1-responses.html").read_text())
    assert "BEGIN HIDDEN TESTS" not in text and '["CAN", "EUU", "GBR", "MYS"]' not in text
    assert "each jurisdiction appears once" in text, "visible tests are still shown"


def test_feedback_pages_use_the_tables_for_people(pipeline):
    """Issue 15: feedback pages show tables as the lessons do (headers in words, dates written out, no NaT or
    index column), because the assignments call ``aireg.setup()`` like every lesson."""
    text = (pipeline["course"] / "feedback" / "alice" / "a1-responses" / "a1-responses.html").read_text()
    assert re.search(r"<table class=[\"']aireg-table", text) and ">Action type</th>" in text, "tables, not markup"
    assert 'class="dataframe"' not in text and "NaT" not in text
    assert re.search(r">\d{1,2} [A-Z][a-z]{2} 20\d\d<", text), "dates for people"


def test_feedback_opens_offline(pipeline):
    from aireg.offline import external_urls

    for f in (pipeline["course"] / "feedback").glob("*/*/*.html"):
        assert external_urls(f.read_text()) == [], f"{f.name} loads a script or stylesheet from the network"


def test_export_has_one_row_per_student_and_assignment(pipeline):
    rows = pipeline["export"]
    keys = [(r["student_id"], r["assignment"]) for r in rows]
    assert len(keys) == len(set(keys))
    students = {r["student_id"] for r in rows}
    assert len(rows) == len(students) * len(ASSIGNMENTS)
    by = {(r["student_id"], r["assignment"]): r for r in rows}
    assert by[("badjson", "a1-responses")]["status"] == "rejected" and float(by[("badjson", "a1-responses")]["score"]) == 0
    guesser = by[("guesser", "a1-responses")]
    assert guesser["needs_manual_grade"] == "True" and guesser["status"] == "awaiting grading", guesser
    assert guesser["score"] == "" and float(guesser["auto_score"]) > 0, "no score until the written answer is graded"
    alice = by[("alice", "a1-responses")]
    assert alice["status"] == "graded" and float(alice["score"]) == float(alice["max_score"]), alice
    looper = by[("looper", "a2-penalties")]
    assert looper["status"] == "not submitted" and looper["score"] == looper["auto_score"] == "", looper


def test_feedback_waits_for_the_written_answers(pipeline):
    course = pipeline["course"]
    with (course / "reports" / "a1-responses-feedback.csv").open() as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f)}
    assert rows["guesser"]["status"] == "awaiting grading", rows["guesser"]
    assert not (course / "feedback" / "guesser" / "a1-responses").exists()
    assert rows["alice"]["status"] == "ok" and (course / "feedback" / "alice" / "a1-responses").is_dir()


def test_timings_are_sane(pipeline):
    t = pipeline["times"]
    print("\n" + "\n".join(f"{k:45s} {v:6.1f} s" for k, v in t.items()))
    assert t["a1 per graded submission (worker, mean)"] < 30


def test_student_copies_are_made_once_and_never_overwritten(pipeline, tmp_path):
    from aireg.grading import prepare_student_copies

    course = pipeline["course"]
    made = prepare_student_copies(course, tmp_path / "student")
    assert sorted(p.parent.name for p in made) == ASSIGNMENTS
    mine = tmp_path / "student" / "a1-responses" / "a1-responses.ipynb"
    mine.write_text(mine.read_text().replace("YOUR CODE HERE", "my work"))
    t0 = time.perf_counter()
    assert prepare_student_copies(course, tmp_path / "student") == []
    assert time.perf_counter() - t0 < 2, "nothing is regenerated when the release is newer than the source"
    assert "my work" in mine.read_text()
    rel = nbformat.read(course / "release" / "a1-responses" / "a1-responses.ipynb", as_version=4)
    text = nbformat.writes(rel)
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "NotImplementedError" in text


def test_exported_text_cannot_run_as_a_spreadsheet_formula():
    from aireg.grading import spreadsheet_safe

    for risky in ("=HYPERLINK(\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert spreadsheet_safe(risky) == "'" + risky
    for safe in ("alice", "graded", "", 12.5, 0, -1.0, False):
        assert spreadsheet_safe(safe) == safe
