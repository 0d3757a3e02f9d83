"""Editing an assignment in real JupyterLab and saving it updates its text twin: no generator step.

A scratch copy of an assignment (with the course's ``jupytext.toml``) is opened in the ``make lab`` server, an answer
cell is edited with the keyboard and saved with Ctrl+S; jupytext's contents manager must write the MyST twin in
``text/`` beside ``source/``, as it does for the committed assignments.
"""

from __future__ import annotations

import shutil
import time

import jupytext
import nbformat
import pytest
from browser_tools import ARTIFACTS, ROOT, open_notebook, shutdown_sessions

pytestmark = pytest.mark.browser

NAME = "a2-penalties"
MARK = "# EDITED IN JUPYTERLAB"


@pytest.fixture
def scratch_course():
    course = ARTIFACTS / "jupytext-pairing" / "assignments"
    shutil.rmtree(course.parent, ignore_errors=True)
    (course / "source").mkdir(parents=True)
    shutil.copy(ROOT / "assignments" / "jupytext.toml", course / "jupytext.toml")
    shutil.copytree(ROOT / "assignments" / "source" / NAME, course / "source" / NAME)
    yield course
    shutil.rmtree(course.parent, ignore_errors=True)


def test_saving_in_jupyterlab_writes_the_text_twin(scratch_course, lab, open_page):
    nb_path = scratch_course / "source" / NAME / f"{NAME}.ipynb"
    twin = scratch_course / "text" / NAME / f"{NAME}.md"
    assert not twin.exists()
    page, net = open_page(lab.headers)
    try:
        open_notebook(page, lab, str(nb_path.relative_to(ROOT)))
        answer = page.locator(".jp-Notebook .jp-CodeCell").filter(has_text="def fine_ceiling").first
        answer.locator(".cm-content").click()
        page.keyboard.press("Control+End")
        page.keyboard.press("Enter")
        page.keyboard.type(MARK)
        page.keyboard.press("Escape")
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (twin.exists() and MARK in twin.read_text()):
            page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "jupytext-pairing-saved.png"))
        assert twin.exists() and MARK in twin.read_text(), "saving in JupyterLab did not write the text twin"
        saved = nbformat.read(nb_path, as_version=4)
        assert any(MARK in c.source for c in saved.cells), "the notebook itself was saved"
        paired = jupytext.read(twin)
        assert [(c.cell_type, c.source, dict(c.metadata)) for c in paired.cells] == \
            [(c.cell_type, c.source, dict(c.metadata)) for c in saved.cells], "the twin matches the saved notebook"
        assert not net.problems(), net.problems()
    finally:
        page.close()
        shutdown_sessions(lab)
