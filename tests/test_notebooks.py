"""Every lesson and nbgrader source notebook is committed clean, follows the template, and executes offline."""

from __future__ import annotations

import re

import nbformat
import pytest

from notebook_tools import error_outputs, execute, html_outputs, network_assets
from testkit import ROOT, dashboard_notebooks, lesson_notebooks, source_notebooks

ALL = lesson_notebooks() + dashboard_notebooks() + source_notebooks()
IDS = [str(p.relative_to(ROOT)) for p in ALL]

TEMPLATE = ["learning objectives", "time needed", "prerequisites", "check your understanding", "summary", "sources"]


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_committed_without_outputs_and_valid(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: outputs committed"


@pytest.mark.parametrize("path", lesson_notebooks(), ids=[p.name for p in lesson_notebooks()])
def test_lesson_follows_template_and_projects_as_slides(path):
    nb = nbformat.read(path, as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown").lower()
    missing = [h for h in TEMPLATE if h not in text]
    assert not missing, f"{path.name} lacks template parts: {missing}"
    assert nb.cells[0].source.startswith("# "), "a lesson opens with its title"
    slides = [c for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") == "slide"]
    assert len(slides) >= 3, "slide metadata marks the sections"


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_executes_without_error_and_offline(path):
    nb = execute(path)
    assert error_outputs(nb) == []
    assert network_assets(nb) == [], "an output loads a script or stylesheet over the network"
    if path in lesson_notebooks():
        first = next(c for c in nb.cells if c.cell_type == "code")
        shown = "".join(str(o.get("data", {}).get("text/html", "")) for o in first.outputs)
        assert "Data verified to" in shown, "a lesson opens with the date its data were verified to"
        # issue 15: tables for people, not for a debugger
        tables = [h for h in html_outputs(nb) if "<table" in h]
        raw = [h[:300] for h in tables if re.search(r">\s*(NaT|NaN|nan|&lt;NA&gt;)\s*<|\de\+\d\d|class=\"dataframe\"", h)]
        assert raw == [], f"{len(raw)} table(s) show NaT/NaN, 2.6e+09 or pandas' raw style: {raw[:2]}"
