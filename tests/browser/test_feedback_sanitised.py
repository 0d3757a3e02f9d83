"""Student HTML and JavaScript do not run in the pages the grader renders (issue 17, point 4), in real Chromium.

The same student notebook (script tags, an ``onerror`` handler, a ``javascript:`` link, HTML/JavaScript/SVG
outputs) is rendered by nbconvert twice: as is, where the page runs the student's code (so the check can fail),
and through ``SanitizeStudentContent``, which the kit's nbgrader configuration applies to autograded notebooks
(what Formgrader shows) and to feedback.
"""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

pytestmark = pytest.mark.browser


def student_notebook() -> nbformat.NotebookNode:
    md = new_markdown_cell('My answer. <script>window.pwned = (window.pwned || 0) + 1</script>'
                           '<img src="x.png" onerror="window.pwned = (window.pwned || 0) + 10">\n\n'
                           '<a id="jslink" href="javascript:window.pwned=100">more</a> '
                           '[md link](javascript:window.pwned=1000)')
    code = new_code_cell("display(...)", outputs=[
        new_output("display_data", data={"text/html": "<b>bold</b><script>window.pwned = (window.pwned || 0) + 1e4"
                                                      "</script>", "text/plain": "<HTML>"}),
        new_output("display_data", data={"application/javascript": "window.pwned = (window.pwned || 0) + 1e5",
                                          "text/plain": "<Javascript>"}),
        new_output("display_data", data={"image/svg+xml": '<svg xmlns="http://www.w3.org/2000/svg" '
                                                          'onload="window.pwned = (window.pwned || 0) + 1e6"/>'}),
    ])
    return new_notebook(cells=[md, code])


def render(sanitise: bool) -> str:
    from nbconvert import HTMLExporter

    from aireg.grading import SanitizeStudentContent

    exporter = HTMLExporter()
    if sanitise:
        exporter.register_preprocessor(SanitizeStudentContent(), enabled=True)
    body, _ = exporter.from_notebook_node(student_notebook())
    return body


def test_student_scripts_run_unsanitised_and_not_sanitised(open_page, static_server, tmp_path):
    (tmp_path / "raw.html").write_text(render(False), encoding="utf-8")
    (tmp_path / "safe.html").write_text(render(True), encoding="utf-8")
    base = static_server(tmp_path)
    page, _ = open_page()

    page.goto(f"{base}/raw.html")
    page.wait_for_timeout(1500)  # let onerror/onload handlers fire
    assert page.evaluate("window.pwned || 0") > 0, "the unsanitised page runs the student's code (the check works)"

    page.goto(f"{base}/safe.html")
    page.wait_for_timeout(1500)
    assert page.evaluate("window.pwned || 0") == 0
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], hrefs
    assert "My answer." in page.inner_text("body") and page.locator("b", has_text="bold").count() == 1
