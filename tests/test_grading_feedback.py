"""Feedback that neither leaks nor dies (issue 17, point 4).

Reproduced: a hidden-test line printed with a zero-width space between its characters (it used to pass the leak
scan); a verbatim leak by one student (it used to delete everyone's feedback); a student comment quoting
``### BEGIN HIDDEN TESTS`` twice (it used to stop the run before the scan and the offline pass); and student HTML and
JavaScript (it ran in the feedback page and in Formgrader, on the instructor's server origin).
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

import grading_submissions as subs
from testkit import ROOT

A = "a1-responses"
GENERATED = ("gradebook.db", "release", "submitted", "autograded", "feedback", "downloaded", "reports")
ZWSP = "\u200b"

XSS_MARKDOWN = ('My answer. <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">\n\n'
                '[read more](javascript:window.__pwned=3)')
XSS_CODE = '''
from IPython.display import HTML, Javascript, SVG, display
display(HTML('<b>bold</b><script>window.__pwned = 4</script>'))
display(Javascript('window.__pwned = 5'))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg"><script>window.__pwned = 6</script></svg>'))
'''


def test_leak_matching_sees_through_unicode_tricks():
    from aireg.grading import leaked_lines

    secret = 'assert escalated(df, "2026-01-01") == ["CAN", "EUU"]'
    tricks = [secret, ZWSP.join(secret), "\u2060".join(secret), secret.upper(),
              "".join(ch + "\U000e0020" for ch in secret),  # Unicode tag characters
              secret.replace("a", "\uff41"),  # full-width letters (NFKC)
              "<span>" + "</span><span>".join(secret) + "</span>",  # one tag per character
              "&#x61;" + secret[1:]]  # an entity
    for page in tricks:
        assert leaked_lines(f"<html><body><pre>{page}</pre></body></html>", [secret]) == [secret], page
    assert leaked_lines("<p>assert escalated(df) is a list</p>", [secret]) == []


@pytest.mark.slow
def test_feedback_quarantines_only_the_leaker_and_neutralises_student_html(tmp_path):
    from aireg.grading import hidden_secrets

    course = tmp_path / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    env = dict(os.environ, AIREG_CELL_TIMEOUT="30")
    env.pop("AIREG_GRADEBOOK_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "aireg.grading", "--course", str(course), *args], env=env,
                              capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    run("release", A)
    secret = max(hidden_secrets(course, A), key=len)
    solution, blank = subs.load(course, A, "source"), subs.load(course, A, "release")
    subs.submit(course, "alice", A, solution)

    def with_cell(cell) -> nbformat.NotebookNode:
        nb = subs.load(course, A, "release")
        nb.cells.insert(1, cell)
        return nb

    subs.submit(course, "zw-leaker", A, with_cell(nbformat.v4.new_code_cell(f"print({ZWSP.join(secret)!r})")))
    subs.submit(course, "verbatim-leaker", A, with_cell(nbformat.v4.new_code_cell(f"print({secret!r})")))
    subs.submit(course, "quoter", A, with_cell(nbformat.v4.new_code_cell(
        "# ### BEGIN HIDDEN TESTS\n# ### BEGIN HIDDEN TESTS\nx = 1")))
    xss = with_cell(nbformat.v4.new_code_cell(XSS_CODE))
    xss.cells.insert(1, nbformat.v4.new_markdown_cell(XSS_MARKDOWN))
    subs.submit(course, "xss", A, xss)
    subs.submit(course, "blank", A, blank)

    run("autograde", A)
    out = run("feedback", A).stdout  # before the written answers are graded: alice's page is held back
    with (course / "reports" / f"{A}-feedback.csv").open() as f:
        held = {r["student_id"]: r for r in csv.DictReader(f)}
    assert held["alice"]["status"] == "awaiting grading" and "Formgrader" in held["alice"]["message"], out
    assert not (course / "feedback" / "alice" / A).exists(), "no page with the written answer at 0"
    assert held["blank"]["status"] == "ok", "an untouched written answer needs no grading: 0, page released"
    assert subs.grade_by_hand(course, A, score=3) == 1
    out = run("feedback", A).stdout
    with (course / "reports" / f"{A}-feedback.csv").open() as f:
        report = {r["student_id"]: r for r in csv.DictReader(f)}

    assert report["zw-leaker"]["status"] == report["verbatim-leaker"]["status"] == "quarantined", out
    for s in ("zw-leaker", "verbatim-leaker"):
        assert not (course / "feedback" / s / A).exists()
        assert list((course / "reports" / "quarantine" / A / s).glob("*.html")), "kept for the instructor"
    for s in ("alice", "quoter", "xss", "blank"):
        assert report[s]["status"] == "ok", (s, report[s], out)
        assert (course / "feedback" / s / A / f"{A}.html").is_file()
    quoter = (course / "feedback" / "quoter" / A / f"{A}.html").read_text()
    assert "quoted by the student" in quoter

    # the offline pass ran for everyone released
    from aireg.offline import external_urls

    for f in (course / "feedback").glob(f"*/{A}/*.html"):
        assert external_urls(f.read_text()) == [], f

    # student HTML/JavaScript: neither in the autograded notebook (what Formgrader renders) nor in feedback
    nb = json.loads((course / "autograded" / "xss" / A / f"{A}.ipynb").read_text())
    mimes = {m for c in nb["cells"] for o in c.get("outputs", []) for m in o.get("data", {})}
    assert not mimes & {"application/javascript", "image/svg+xml"}, mimes
    html_out = "".join("".join(o["data"]["text/html"]) for c in nb["cells"] for o in c.get("outputs", [])
                       if "text/html" in o.get("data", {}))
    assert "<b>bold</b>" in html_out and "<script" not in html_out
    answer = next("".join(c["source"]) for c in nb["cells"] if "My answer" in "".join(c["source"]))
    assert answer.startswith("```text\n"), "a javascript: link turns the cell into plain text"
    page = (course / "feedback" / "xss" / A / f"{A}.html").read_text()
    assert "My answer." in page
    scripts = re.findall(r"(?is)<script[^>]*>(.*?)</script>", page)
    assert not any("__pwned" in s for s in scripts), "a student script would run"
    assert not re.search(r"(?i)<img[^>]*\sonerror", page), "no event-handler attribute from the student"
    assert not re.search(r'(?i)(href|src)\s*=\s*["\']?\s*javascript:', page)


def test_sanitiser_keeps_tables_and_drops_what_could_act():
    """Issue 15: bleach's default allow-list escaped <table>, so a feedback page showed a DataFrame as raw markup.
    The grader's sanitiser keeps static tables (people tables included) and still removes what could act."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    import aireg.grading as grading
    from aireg.data import load_responses
    from aireg.tables import people_table

    hostile = ("<script>window.x=1</script><div style='position:fixed;inset:0;background:url(https://e.x/a)' "
               "onclick='x()' onmouseover='y()'>cover</div><a href='javascript:alert(1)'>j</a>"
               "<iframe src='https://e.x'></iframe><img src=x onerror=z()>")
    html_out = people_table(load_responses()[["iso3", "date", "action_type"]].head(3)) + hostile
    nb = new_notebook(cells=[new_code_cell("x", outputs=[new_output(
        "execute_result", data={"text/html": html_out, "text/plain": "x"}, execution_count=1)])])
    out, _ = grading.SanitizeStudentContent().preprocess(nb, {})
    text = out.cells[0].outputs[0]["data"]["text/html"]
    assert "<table class=\"aireg-table\"" in text and "<th scope=\"col\"" in text and ">Action type</th>" in text
    assert "text-align:right" in text or "text-align:left" in text, "layout styles kept"
    active = re.sub(r"&lt;.*?&gt;", "", text)  # escaped markup is inert text
    assert "&lt;script&gt;" in text and "&lt;iframe" in text, "what is not allowed is shown as text"
    for bad in ("<script", "onclick", "onmouseover", "position", "url(", "javascript:", "<iframe", "<img",
                "onerror"):
        assert bad not in active, bad
