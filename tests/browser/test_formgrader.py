"""The instructor's path in a real browser (issue 14, point 1): ``make lab-instructor``'s server opens Formgrader on
the course, with its configuration (the assignment and its submissions are listed, not "No data available"); the
instructor grades a written answer there and saves it; feedback waits for that grade, and then shows it.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import secrets
import shutil
import subprocess
import sys

import pytest
from browser_tools import Server, start_server, stop

import grading_submissions as subs
from testkit import ROOT, free_port

A = "a1-responses"
GENERATED = ("gradebook.db", "release", "submitted", "autograded", "feedback", "downloaded", "reports", "exchange")


def grading(course, *args) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "aireg.grading", "--course", str(course), *args],
                          capture_output=True, text=True, timeout=900, env=dict(os.environ, AIREG_CELL_TIMEOUT="20"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def feedback_rows(course) -> dict[str, dict]:
    with (course / "reports" / f"{A}-feedback.csv").open() as f:
        return {r["student_id"]: r for r in csv.DictReader(f)}


@pytest.fixture
def instructor_lab(chromium_executable, tmp_path):
    course = tmp_path / "course" / "assignments"
    shutil.copytree(ROOT / "assignments", course, ignore=shutil.ignore_patterns(*GENERATED))
    grading(course, "release", A)
    subs.submit(course, "alice", A, subs.load(course, A, "source"))
    subs.submit(course, "bob", A, subs.load(course, A, "release"))
    grading(course, "autograde", A)

    port, token = free_port(), secrets.token_hex(16)
    server = Server(f"http://127.0.0.1:{port}", token)
    state = tmp_path / "lab-state"
    env = dict(os.environ, AIREG_COURSE=str(course), JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"))
    env.pop("AIREG_EXCHANGE", None)
    cmd = [sys.executable, "scripts/lab.py", "--instructor", "--no-browser", f"--port={port}",
           f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False", "--ServerApp.port_retries=0"]
    server.proc, server.log = start_server(cmd, "jupyterlab-instructor", f"{server.url}/api/status", server.headers,
                                           env=env)
    yield server, course
    stop(server.proc)


def test_formgrader_grades_a_written_answer_and_feedback_shows_it(instructor_lab, open_page):
    server, course = instructor_lab
    log = server.log.read_text()
    assert "No nbgrader_config.py found" not in log, log[-2000:]
    assert (course / "exchange").is_dir(), "the course's exchange folder exists"

    # before any manual grading, feedback is held back for the student with a written answer
    grading(course, "feedback", A)
    rows = feedback_rows(course)
    assert rows["alice"]["status"] == "awaiting grading" and rows["bob"]["status"] == "ok", rows
    assert not (course / "feedback" / "alice").exists()

    page, net = open_page(server.headers)
    page.goto(server.url + "/")  # make lab-instructor opens on Formgrader
    page.wait_for_url(re.compile(r"/formgrader"))
    page.get_by_role("link", name="Manual Grading").first.click()
    page.get_by_role("link", name=A).first.click()  # the assignment
    page.get_by_role("link", name=A).last.click()  # its notebook
    page.get_by_role("link", name=re.compile(r"Submission #")).first.wait_for()  # the table has loaded
    page.get_by_text("Show All Names").click()
    page.get_by_role("link", name="alice").click()
    page.wait_for_load_state("networkidle")

    score = page.locator("input.score#a1-written")
    assert score.get_attribute("class") and "needs_manual_grade" in score.get_attribute("class")
    score.fill("3")
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT",
                              timeout=30_000) as saved:
        score.press("Tab")  # Formgrader saves on change
    assert saved.value.ok, saved.value.status
    page.wait_for_function("() => { const i = document.querySelector('input#a1-written');"
                           " return i && !i.classList.contains('needs_manual_grade'); }", timeout=15_000)
    page.reload()
    page.locator("input.score#a1-written").wait_for()
    assert page.locator("input.score#a1-written").input_value() == "3", "the grade was saved"
    # nbgrader's own formgrade template hard-codes MathJax from a CDN (its ``mathjax()`` macro takes no URL from
    # config); offline the request is blocked and the page works (no answer here uses LaTeX). Everything else is
    # local; requests aborted by navigating away are not failures.
    outside = [u for u in net.outside if "cdnjs.cloudflare.com/ajax/libs/mathjax/" not in u]
    failed = [f for f in net.failed if "ERR_ABORTED" not in f]
    assert outside == failed == net.http_errors == [], (outside, failed, net.http_errors)

    grading(course, "feedback", A)
    rows = feedback_rows(course)
    assert rows["alice"]["status"] == "ok", rows["alice"]
    text = html.unescape((course / "feedback" / "alice" / A / f"{A}.html").read_text())
    assert re.search(r"Score:\s*3(\.0)?\s*/\s*4", text), "the feedback shows the written answer's score"
    total = re.search(r"Score:\s*([\d.]+)\s*/\s*20", text)
    assert total and float(total.group(1)) == 19.0, "16 autograded + 3 for the written answer"

    grading(course, "export", "--to", str(course / "grades.csv"))
    with (course / "grades.csv").open() as f:
        export = {r["student_id"]: r for r in csv.DictReader(f)}
    assert export["alice"]["status"] == "graded" and float(export["alice"]["score"]) == 19.0, export["alice"]
    assert json.loads(server.api("GET", "/api/status"))  # the server is still fine
