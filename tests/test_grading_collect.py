"""Collect accounts for everyone (issue 17, point 5): an LMS download in which names have spaces, accents and
apostrophes, files are browser copies, capitalised or resubmitted, two students share a name, one file is named
after another student, a zip hides inside a submission, a member is a zip bomb, one student is called ``-h``, and two
files for one student collide. Every member is in the collect report; nobody is lost or misassigned."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import zipfile

import nbformat
import pytest

import grading_submissions as subs
from testkit import ROOT

A = "a1-responses"
GENERATED = ("gradebook.db", "release", "submitted", "autograded", "feedback", "downloaded", "reports")


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    from aireg import grading

    course = tmp_path_factory.mktemp("released") / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    grading.release(course, A)
    return course


@pytest.fixture
def course(released, tmp_path):
    dest = tmp_path / "assignments"
    shutil.copytree(released, dest)
    return dest


def tagged(course, tag: str) -> bytes:
    """A release copy whose first cell says who made it (so the tests can tell submissions apart)."""
    nb = subs.load(course, A, "release")
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"made by {tag}"))
    return nbformat.writes(nb).encode()


def write_zip(path, members: dict[str, bytes], times: dict[str, tuple] | None = None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(times or {}).get(name, (2026, 1, 20, 12, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return path


def report(course) -> dict[str, dict]:
    """The collect report, keyed by member (the CSV escapes a leading ``-`` with ``'`` for spreadsheets)."""
    with (course / "reports" / f"{A}-collect.csv").open(encoding="utf-8") as f:
        return {r["member"].removeprefix("'"): r for r in csv.DictReader(f)}


def who(course, sid: str) -> str:
    nb = nbformat.read(course / "submitted" / sid / A / f"{A}.ipynb", as_version=4)
    return nb.cells[0].source


def test_a_hostile_download_loses_and_misassigns_nobody(course, tmp_path):
    from aireg import grading

    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:  # a zip inside a submission, pretending to hold two others' work
        z.writestr("victim_5_9_a1-responses.ipynb", tagged(course, "mallory-inner"))
        z.writestr("Zoë O'Brien_77_assignsubmission_file_/a1-responses.ipynb", tagged(course, "mallory-inner"))
    members = {
        "Zoë O'Brien_77_assignsubmission_file_/a1-responses.ipynb": tagged(course, "zoe"),
        "Sam Lee_101_assignsubmission_file_/a1-responses.ipynb": tagged(course, "sam101"),
        "Sam Lee_102_assignsubmission_file_/A1 Responses (1).ipynb": tagged(course, "sam102"),
        "Mallory_66_assignsubmission_file_/Zoë O'Brien_77_assignsubmission_file_a1-responses.ipynb":
            tagged(course, "mallory"),
        "Mallory_66_assignsubmission_file_/others.zip": inner.getvalue(),
        "bob_12_34_A1-Responses (1).ipynb": tagged(course, "bob"),
        "carol_13_35_a1-responses.ipynb": tagged(course, "carol-first"),
        "carol_13_36_a1-responses-1.ipynb": tagged(course, "carol-resubmitted"),
        "-h_1_a1-responses.ipynb": tagged(course, "dash-h"),
        "bomb_8_assignsubmission_file_/a1-responses.ipynb": b"0" * 200_000_000,
        "Dana_9_assignsubmission_file_/a1-responses.ipynb": tagged(course, "dana-a"),
        "Dana_9_assignsubmission_file_/A1-RESPONSES.ipynb": tagged(course, "dana-b"),
        "Erin_10_assignsubmission_file_/notes.pdf": b"%PDF-1.4",
    }
    z = write_zip(tmp_path / "moodle.zip", members)
    assert z.stat().st_size < 2_000_000, "the bomb compresses to almost nothing"
    got = grading.collect(z, course, A)

    rows = report(course)
    assert set(rows) == set(members), "every member of the download is accounted for"
    assert {r["status"] for r in rows.values()} <= {"taken", "superseded", "skipped", "conflict"}
    expect = {"zoe-obrien": "zoe", "sam-lee-101": "sam101", "sam-lee-102": "sam102", "mallory": "mallory",
              "bob": "bob", "carol": "carol-resubmitted", "h": "dash-h"}
    for sid, tag in expect.items():
        assert who(course, sid) == f"made by {tag}", sid
    assert set(got) == set(expect), got  # no "victim", no bomb, no Dana (conflict), no Erin (no notebook)
    assert rows["carol_13_35_a1-responses.ipynb"]["status"] == "superseded"
    assert "never opened" in rows["Mallory_66_assignsubmission_file_/others.zip"]["reason"]
    assert rows["bomb_8_assignsubmission_file_/a1-responses.ipynb"]["status"] == "skipped"
    assert "not opened" in rows["bomb_8_assignsubmission_file_/a1-responses.ipynb"]["reason"]
    assert {rows[m]["status"] for m in members if m.startswith("Dana")} == {"conflict"}
    assert rows["Erin_10_assignsubmission_file_/notes.pdf"]["status"] == "skipped"
    assert rows["Zoë O'Brien_77_assignsubmission_file_/a1-responses.ipynb"]["lms_user"] == "77"


def test_identities_stay_stable_across_downloads(course, tmp_path):
    from aireg import grading

    grading.collect(write_zip(tmp_path / "one.zip", {
        "Sam Lee_101_assignsubmission_file_/a1-responses.ipynb": tagged(course, "first")}), course, A)
    assert who(course, "sam-lee") == "made by first"
    grading.collect(write_zip(tmp_path / "two.zip", {
        "Sam Lee_101_assignsubmission_file_/a1-responses.ipynb": tagged(course, "again"),
        "Sam Lee_202_assignsubmission_file_/a1-responses.ipynb": tagged(course, "namesake")}), course, A)
    assert who(course, "sam-lee") == "made by again", "the first Sam keeps the id they were graded under"
    assert who(course, "sam-lee-202") == "made by namesake"
    with (course / "downloaded" / "identities.csv").open() as f:
        ids = {r["student_id"]: r["lms_user"] for r in csv.DictReader(f)}
    assert ids == {"sam-lee": "101", "sam-lee-202": "202"}


def test_newest_of_equal_resubmissions_wins_and_identical_copies_are_no_conflict(course, tmp_path):
    from aireg import grading

    same = tagged(course, "same")
    grading.collect(write_zip(tmp_path / "t.zip", {
        "Ann_3_assignsubmission_file_/a1-responses.ipynb": tagged(course, "older"),
        "Ann_3_assignsubmission_file_/sub/a1-responses.ipynb": tagged(course, "newer"),
        "Ben_4_assignsubmission_file_/a1-responses.ipynb": same,
        "Ben_4_assignsubmission_file_/A1-responses.ipynb": same,
    }, times={"Ann_3_assignsubmission_file_/sub/a1-responses.ipynb": (2026, 1, 21, 9, 0, 0)}), course, A)
    assert who(course, "ann") == "made by newer"
    assert who(course, "ben") == "made by same"


def test_collect_names_the_assignment_and_refuses_an_unknown_one(course, tmp_path):
    z = write_zip(tmp_path / "plain.zip", {"Ann_3_assignsubmission_file_/notebook.ipynb": tagged(course, "x")})
    run = [sys.executable, "-m", "aireg.grading", "--course", str(course), "collect", str(z)]
    proc = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "ASSIGNMENT=" in proc.stderr, "nothing in the zip names the assignment"
    proc = subprocess.run([*run, "--assignment", "a9-nothing"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and "no assignment 'a9-nothing'" in proc.stderr
    proc = subprocess.run([*run, "--assignment", A], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert who(course, "ann") == "made by x"
    make = subprocess.run(["make", "-n", "collect", "ZIP=x.zip", f"ASSIGNMENT={A}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert f"collect x.zip --assignment {A}" in make.stdout


def test_student_slugs():
    from aireg.grading import student_slug

    assert student_slug("Zoë O'Brien") == "zoe-obrien"
    assert student_slug("-h") == "h"
    assert student_slug("  Ana   María  ") == "ana-maria"
    assert student_slug("李雷") == ""  # no ASCII letters: collect falls back to student-<number>
