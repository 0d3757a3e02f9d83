"""The faster path: grading students in two worker processes gives the same grades as one."""

from __future__ import annotations

import shutil

import pytest

import grading_submissions as subs
from testkit import ROOT

pytestmark = pytest.mark.slow

GENERATED = ("gradebook.db", "release", "submitted", "autograded", "feedback", "downloaded", "reports")


def test_parallel_workers_grade_like_one(tmp_path, monkeypatch):
    from aireg import grading

    course = tmp_path / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    monkeypatch.setenv("AIREG_CELL_TIMEOUT", "30")
    monkeypatch.delenv("AIREG_GRADEBOOK_URL", raising=False)
    a = "a1-responses"
    grading.release(course, a)
    for i in range(4):
        subs.submit(course, f"s{i}", a, subs.load(course, a, "source" if i % 2 == 0 else "release"))
    rows = {r["student_id"]: r for r in grading.autograde(course, a, workers=2)}
    assert all(r["status"] == "graded" for r in rows.values()), rows
    solved = {rows["s0"]["score"], rows["s2"]["score"]}
    assert len(solved) == 1 and solved.pop() > 0
    assert rows["s1"]["score"] == rows["s3"]["score"] == 0
