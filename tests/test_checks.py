"""Hidden tests grade what the student wrote (issue 17, point 3): they rebuild their own inputs from the data files
and compare plain values through ``aireg.checks``, so a notebook that rebinds ``responses``, ``pd`` or ``math``, or
answers with objects that claim to equal anything, cannot change what they compute."""

from __future__ import annotations

import ast
import builtins
import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from aireg import checks
from testkit import ROOT

ASSIGNMENTS = ("a1-responses", "a2-penalties", "a3-evidence", "a4-across-cases")
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)


class Yes(list):
    def __eq__(self, other):
        return True

    __hash__ = None


class Word(str):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return hash("law")


class Number(float):
    def __eq__(self, other):
        return True


def test_plain_turns_pandas_and_numpy_into_python():
    s = pd.Series([3, 1], index=pd.Index(["b", "a"]), dtype="int64")
    assert checks.plain(s) == {"b": 3, "a": 1} and type(checks.plain(s)["b"]) is int
    frame = pd.DataFrame({"iso3": ["FRA"], "date": pd.to_datetime(["2026-01-02"])})
    assert checks.plain(frame) == {"iso3": {0: "FRA"}, "date": {0: "2026-01-02T00:00:00"}}
    assert checks.plain(np.float64(0.5)) == 0.5 and checks.plain(np.array([1, 2])) == [1, 2]
    assert checks.plain(pd.NaT) is None and checks.plain(pd.Timedelta(days=3)) == 3
    assert checks.plain((1, "x", None)) == (1, "x", None)


@pytest.mark.parametrize("spoof", [Yes(), Word("law"), Number(1.0), [Word("a")], {"k": Yes()},
                                   pd.Series([Word("a")], dtype=object), type("Frame", (pd.DataFrame,), {})()])
def test_objects_that_claim_equality_are_refused(spoof):
    with pytest.raises(TypeError, match="does not compare"):
        checks.plain(spoof)
    assert not checks.same(spoof, ["CAN"]) and not checks.same(spoof, "law") and not checks.same(spoof, 1.0)
    assert not checks.close(spoof, 1.0)


def test_same_and_close_compare_values_not_claims():
    assert checks.same([1, 2.0], [1.0, 2]) and not checks.same([1, 2], [2, 1])
    assert checks.same({"b": 1, "a": 2}, {"a": 2, "b": 1}, ordered=False)
    assert not checks.same({"b": 1, "a": 2}, {"a": 2, "b": 1})
    assert not checks.same(True, 1) and not checks.same("1", 1) and not checks.same([1], (1,))
    assert checks.close(np.float64(0.1 + 0.2), 0.3) and not checks.close(True, 1.0) and not checks.close("0.3", 0.3)


def test_fresh_inputs_ignore_the_loaders_cache():
    """A notebook can reach the loaders' cache and change a cached frame in place; the checks read the disk."""
    from aireg import data

    cached = data._cached(str((data.data_dir() / "grok-2026").resolve()), "responses")
    saved = cached.loc[0, "iso3"]
    cached.loc[0, "iso3"] = "ZZZ"
    try:
        assert "ZZZ" in set(data.load_responses()["iso3"]), "the cache really is shared (else this proves nothing)"
        assert "ZZZ" not in set(checks.responses()["iso3"])
    finally:
        cached.loc[0, "iso3"] = saved
    assert checks.scandal_start() == pd.Timestamp("2025-12-24")  # the timeline's image-edit launch


def _cells(assignment: str):
    nb = nbformat.read(ROOT / "assignments" / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code":
            yield cell.source, meta


def _solved(assignment: str) -> tuple[dict, dict[str, str]]:
    """The namespace after every cell but the tests (solutions included), and the test cells by grade id."""
    space: dict = {}
    for source, meta in _cells(assignment):
        if not meta.get("grade") or meta.get("solution"):
            exec(source, space)
    tests = {meta["grade_id"]: source for source, meta in _cells(assignment)
             if meta.get("grade") and not meta.get("solution")}
    return space, tests


def _bound(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_read_only_the_students_answers(assignment):
    """Statically: every name a hidden block reads is bound in the block, a builtin, or an answer the student
    wrote (a name bound in a solution cell), never the notebook's setup (``responses``, ``regimes``, ``pd``...)."""
    answers, setup = set(), set()
    for source, meta in _cells(assignment):
        if meta.get("solution"):
            answers |= _bound(ast.parse(source))
        elif not meta.get("grade"):
            setup |= _bound(ast.parse(source))
    assert {"pd", "aireg"} <= setup
    blocks = [b for source, meta in _cells(assignment) if meta.get("grade") for b in HIDDEN.findall(source)]
    assert blocks, "the assignment has hidden tests"
    for block in blocks:
        tree = ast.parse(block)
        read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        outside = read - _bound(tree) - set(vars(builtins))
        assert outside <= answers, f"reads the notebook's {sorted(outside - answers)}:\n{block}"
        assert "from aireg.checks import" in block, block


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_pass_for_the_solution_whatever_the_notebook_rebound(assignment):
    """Dynamically: the solution's answers pass every hidden block even when the notebook's data, pandas and math
    are rebound to junk; and every block fails for blank answers (no block is vacuous)."""
    space: dict = {}
    answers: set[str] = set()
    for source, meta in _cells(assignment):
        if not meta.get("grade") or meta.get("solution"):
            exec(source, space)  # the kit's own solution notebook
        if meta.get("solution"):
            answers |= _bound(ast.parse(source))
    junk = dict(space, responses=None, regimes=None, evidence=None, timeline=None, figures=None, SCANDAL_START=None,
                pd=None, math=None, p=None)
    blank = dict(junk, **{n: (lambda *a, **k: None) if callable(space[n]) else None for n in answers if n in space})
    blocks = [b for source, meta in _cells(assignment) if meta.get("grade") for b in HIDDEN.findall(source)]
    for block in blocks:
        exec(block, dict(junk))
        with pytest.raises((AssertionError, TypeError, AttributeError, KeyError)):
            exec(block, dict(blank))


def test_spoofed_answers_fail_the_hidden_tests():
    """The answers of the held-out attacks: an "always equal" list passes a1's visible checks of ``escalated``
    and any ``==``; a dict of "always equal" words passes the legal-effect form check. Both fail now."""
    space, tests = _solved("a1-responses")
    fooled = dict(space, escalated=lambda frame, since: Yes())
    visible = tests["a1-escalated-tests"].split("### BEGIN HIDDEN TESTS")[0]
    exec(visible, fooled)  # the visible checks pass...
    assert fooled["esc"] == ["CAN", "EUU", "GBR", "MYS"]  # ...and so would a plain == against the answer
    with pytest.raises(AssertionError):
        exec(tests["a1-escalated-tests"], fooled)
    words = dict(space, LEGAL_EFFECT={k: Word("law") for k in space["LEGAL_EFFECT"]})
    exec(tests["a1-legal-effect-tests"].split("### BEGIN HIDDEN TESTS")[0], words)
    assert list(words["LEGAL_EFFECT"].values()) == list(space["LEGAL_EFFECT"].values())
    with pytest.raises((AssertionError, TypeError)):
        exec(tests["a1-legal-effect-tests"], words)


class Pair(tuple):
    def __eq__(self, other):
        return True

    __hash__ = tuple.__hash__


def test_spoofed_answers_fail_a4s_hidden_tests():
    """a4: a ``days_to_first_binding`` that returns the answers for the two cases' day zero passes the visible checks
    and fails the hidden ones; ``classify`` and ``MEASURES`` answering with pairs that claim to equal anything pass
    the visible checks and fail the hidden ones."""
    space, tests = _solved("a4-across-cases")
    real = space["days_to_first_binding"]
    fixed = {len(space["chatgpt"]): real(space["chatgpt"], space["CHATGPT_DAY0"]),
             len(space["deepseek"]): real(space["deepseek"], space["DEEPSEEK_DAY0"])}
    spoofs = {
        "a4-days-binding-tests": {"days_to_first_binding": lambda frame, since: fixed[len(frame)]},
        "a4-classify-tests": {"classify": lambda row: Pair(("other", "none"))},
        "a4-measures-tests": {"MEASURES": {k: Pair(("other", "none")) for k in space["MEASURES"]}},
    }
    for grade_id, answer in spoofs.items():
        visible = tests[grade_id].split("### BEGIN HIDDEN TESTS")[0]
        exec(visible, dict(space, **answer))  # the visible checks pass...
        with pytest.raises((AssertionError, TypeError, KeyError)):  # ...the hidden ones do not
            exec(tests[grade_id], dict(space, **answer))
