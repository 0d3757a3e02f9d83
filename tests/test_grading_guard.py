"""The interpreter guard (issue 17, point 3, in part): a notebook that changes how Python runs code so that tests it
should fail pass (an AST transformer wrapping every later cell in try/except, a ``post_run_cell`` hook, a patched
``math.isclose`` or ``builtins.all``) gets no marks from the tests after the change and is flagged for review by
hand, with the reason. An honest solution and an honest blank are unaffected."""

from __future__ import annotations

import shutil

import nbformat
import pytest

import grading_submissions as subs
from testkit import ROOT

pytestmark = pytest.mark.slow
A = "a1-responses"
GENERATED = ("gradebook.db", "release", "submitted", "autograded", "feedback", "downloaded", "reports")

ATTACKS = {
    "ast-wrapper": subs.AST_WRAPPER,
    "hook": subs.HOOK,
    "isclose": '''
import math
math.isclose = lambda *a, **k: True
''',
    "builtins": '''
import builtins
builtins.all = lambda *a, **k: True
''',
}


def test_tampering_scores_nothing_after_it_and_is_flagged(tmp_path, monkeypatch):
    from aireg import grading

    course = tmp_path / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    grading.release(course, A)
    subs.submit(course, "alice", A, subs.load(course, A, "source"))
    subs.submit(course, "blank", A, subs.load(course, A, "release"))
    for name, code in ATTACKS.items():
        nb = subs.load(course, A, "release")
        nb.cells.insert(1, nbformat.v4.new_code_cell(code))
        subs.submit(course, name, A, nb)

    rows = {r["student_id"]: r for r in grading.autograde(course, A)}
    assert rows["alice"]["score"] > 0 and "REVIEW" not in rows["alice"]["message"], rows["alice"]
    assert rows["blank"]["score"] == 0 and "REVIEW" not in rows["blank"]["message"]
    for name in ATTACKS:
        row = rows[name]
        assert row["status"] == "graded" and row["score"] == 0, row
        assert "REVIEW BY HAND" in row["message"], row
    assert "AST transformers" in rows["ast-wrapper"]["message"]
    assert "post_run_cell" in rows["hook"]["message"]
    assert "math.isclose" in rows["isclose"]["message"]
    assert "builtins.all" in rows["builtins"]["message"]

    # the attacks are real: without the guard (AIREG_GUARD=0) a blank notebook collects marks
    monkeypatch.setenv("AIREG_GUARD", "0")
    unguarded = {r["student_id"]: r for r in grading.autograde(course, A, students=["ast-wrapper"])}
    assert unguarded["ast-wrapper"]["score"] == rows["alice"]["score"], "a blank notebook scored like a solution"
