"""Projector mode stays in the notebook that turns it on (issue 15, point 1): in real JupyterLab, with two notebooks
open, ``aireg.setup(projector=True)`` in one enlarges the kit's widgets there and not in the other tab, and
``aireg.setup()`` (standard mode) in the same notebook undoes it."""

from __future__ import annotations

import nbformat
import pytest
from browser_tools import ARTIFACTS, ROOT, open_notebook, run_all, shutdown_sessions, wait_all_executed

from aireg import theme

pytestmark = pytest.mark.browser

SLIDER = ("import ipywidgets as w\n"
          "s = w.IntSlider(description='{name}')\n"
          "s.add_class('aireg')\n"
          "s")
SIZE_JS = """(name) => {
    const panels = [...document.querySelectorAll('.jp-NotebookPanel')];
    const panel = panels.find(p => p.querySelector('.jp-Notebook') &&
                                   [...p.querySelectorAll('.widget-label')].some(l => l.textContent === name));
    if (!panel) return null;
    const label = [...panel.querySelectorAll('.aireg .widget-label')].find(l => l.textContent === name);
    return parseFloat(getComputedStyle(label).fontSize);
}"""


def _notebook(path, cells):
    path.parent.mkdir(parents=True, exist_ok=True)
    kernel = {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}}
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells], metadata=kernel), path)
    return path.relative_to(ROOT).as_posix()


def _open_beside(page, notebook: str) -> None:
    """Open a second notebook in the same JupyterLab page (command palette: Open from Path)."""
    page.keyboard.press("Control+Shift+C")
    page.keyboard.type("Open from Path")
    page.keyboard.press("Enter")
    page.locator(".jp-Dialog input").fill(notebook)
    page.keyboard.press("Enter")
    page.wait_for_function("(n) => [...document.querySelectorAll('.lm-TabBar-tabLabel')].some(t => t.textContent === n)",
                           arg=notebook.rsplit("/", 1)[-1], timeout=30_000)


def _size(page, name: str) -> float:
    for _ in range(40):
        size = page.evaluate(SIZE_JS, name)
        if size:
            return size
        page.wait_for_timeout(250)
    raise AssertionError(f"no kit widget labelled {name!r} on the page")


def test_projector_mode_is_scoped_and_undone(lab, open_page):
    folder = ARTIFACTS / "projector"
    other = _notebook(folder / "other.ipynb", [SLIDER.format(name="other")])
    projected = _notebook(folder / "projected.ipynb", [
        "import aireg\naireg.setup(projector=True)",
        SLIDER.format(name="projected"),
        "aireg.setup()  # back to standard mode",
    ])
    page, _ = open_page(lab.headers, viewport=(1366, 768))
    try:
        open_notebook(page, lab, other)
        run_all(page)
        wait_all_executed(page, lab)
        assert _size(page, "other") < theme.PROJECTOR_FONT_SIZE

        _open_beside(page, projected)
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", timeout=60_000)
        page.wait_for_timeout(1500)
        # run the first two cells only: projector mode on
        page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").first.click()
        for _ in range(2):
            page.keyboard.press("Shift+Enter")
        page.wait_for_timeout(500)
        assert _size(page, "projected") == theme.PROJECTOR_FONT_SIZE, "projector type in its own notebook"
        assert _size(page, "other") < theme.PROJECTOR_FONT_SIZE, "projector type leaked into another notebook"

        page.keyboard.press("Shift+Enter")  # aireg.setup(): standard mode
        for _ in range(40):
            if _size(page, "projected") < theme.PROJECTOR_FONT_SIZE:
                break
            page.wait_for_timeout(250)
        assert _size(page, "projected") < theme.PROJECTOR_FONT_SIZE, "standard mode did not undo projector mode"
        assert page.locator(".aireg-ready:visible").count() == 0, "no developer status line in what the audience sees"
        assert "ready: offline assets" not in page.inner_text(".jp-NotebookPanel:not(.lm-mod-hidden)")
    finally:
        shutdown_sessions(lab)
