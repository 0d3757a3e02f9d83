"""Every lesson in real JupyterLab: Run All Cells, no error output, no request off loopback, a screenshot per cell;
plus lesson-specific interaction checks (keyboard on the explorers' sliders) and the nbgrader Validate button."""

from __future__ import annotations

import subprocess
import sys
import time
import warnings

import pytest
from browser_tools import (
    ROOT,
    STDERR_JS,
    VIEW_SIZES,
    axe_violations,
    chart_fit_problems,
    is_traceback,
    leaflet_paths,
    main_visual,
    open_notebook,
    output_state,
    press_on_slider,
    run_all,
    screenshot_cells,
    screenshot_dir,
    shutdown_sessions,
    undescribed_charts,
    wait_all_executed,
    wait_changed,
)

pytestmark = pytest.mark.browser

LESSONS = ROOT / "lessons"


def _output_with_slider_and(page, inner: str):
    """The first output area that shows a slider and ``inner`` (e.g. the map iframe or the figure)."""
    areas = page.locator(".jp-Notebook .jp-OutputArea").filter(has=page.locator(".widget-slider")).filter(
        has=page.locator(inner))
    assert areas.count() > 0, f"no output with both a slider and {inner!r}"
    return areas.first


def check_00(page) -> str:
    handle = page.locator(".jp-Notebook .widget-slider .noUi-handle").first
    before = output_state(page)
    press_on_slider(page, handle, ["ArrowRight", "ArrowRight"])
    after = wait_changed(page, before)
    assert after != before, "ArrowRight on the demo slider did not change its output"
    return "demo slider: ArrowRight x2 changed the text"


def check_02(page) -> str:
    counts = []
    for _ in range(60):
        counts = leaflet_paths(page)
        if max(counts, default=0) > 100:
            break
        page.wait_for_timeout(500)
    assert max(counts, default=0) > 100, f"the folium maps drew too few country paths: {counts}"
    area = _output_with_slider_and(page, "iframe")
    frame_el = area.locator("iframe").first
    frame = frame_el.content_frame
    frame.locator("body[data-aireg-state]").wait_for(state="attached", timeout=30_000)
    state_before = frame.locator("body").get_attribute("data-aireg-state")
    frame_el.evaluate("f => { f.contentWindow.__kept = true; }")
    visible = "path.aireg-j"
    before = frame.locator(visible).count()
    press_on_slider(page, area.locator(".widget-slider .noUi-handle").first, ["Home"])  # the earliest date
    for _ in range(80):
        if frame.locator("body").get_attribute("data-aireg-state") != state_before:
            break
        page.wait_for_timeout(250)
    after_state = frame.locator("body").get_attribute("data-aireg-state")
    assert after_state != state_before, "Home on the date slider did not move the map to another date"
    after = frame.locator(visible).count()
    assert after < before, f"Home on the date slider should show fewer coloured jurisdictions ({before} -> {after})"
    assert frame_el.evaluate("f => f.contentWindow.__kept === true"), "the map was rebuilt instead of restyled"
    return (f"map paths per iframe {counts}; Home on the explorer's date slider: {state_before} -> {after_state}, "
            f"coloured {before} -> {after}, same document")


def check_03(page) -> str:
    handle = _output_with_slider_and(page, ".js-plotly-plot").locator(".widget-slider .noUi-handle").first
    before = output_state(page)
    press_on_slider(page, handle, ["ArrowRight", "ArrowRight", "ArrowRight"])
    after = wait_changed(page, before, timeout=20)
    if after == before:
        press_on_slider(page, handle, ["Home"])
        after = wait_changed(page, before, timeout=20)
    assert after != before, "moving a DSA slider by keyboard did not change the figure"
    return "DSA slider: keyboard changed the FigureWidget"


# Lessons the kit plans, with their interaction checks (None: the generic checks only).
PLANNED = {
    "00-start-here": check_00,
    "01-the-grok-case": None,
    "02-national-responses": check_02,
    "03-dsa-enforcement": check_03,
    "04-comparing-regimes": None,
}
NAMES = sorted(set(PLANNED) | {p.stem for p in LESSONS.glob("*.ipynb")})


@pytest.mark.parametrize("name", NAMES)
def test_lesson_runs_in_jupyterlab(name, lab, open_page):
    path = LESSONS / f"{name}.ipynb"
    if not path.exists():
        pytest.skip(f"lessons/{name}.ipynb is not written yet")
    notebook = f"lessons/{path.name}"
    page, net = open_page(lab.headers)
    try:
        t0 = time.monotonic()
        open_notebook(page, lab, notebook)
        run_all(page)
        prompts = wait_all_executed(page, lab)
        ran = time.monotonic() - t0
        stderr = page.evaluate(STDERR_JS)
        errors = [t[:800] for t in stderr if is_traceback(t)]
        assert not errors, f"{name}: error output(s):\n" + "\n---\n".join(errors)
        unrun = [i for i, p in enumerate(prompts) if not p[1:-2].isdigit()]
        assert not unrun, f"{name}: code cells not executed: {unrun} ({prompts})"
        for text in stderr:
            if not is_traceback(text):
                warnings.warn(f"{name} writes to stderr: {text[:300]}", stacklevel=1)
        check = PLANNED.get(name)
        detail = check(page) if check else "generic checks"
        shots = screenshot_cells(page, screenshot_dir(name))
        assert shots > 0
        # Issue 15: at a laptop's and a projector's size, every chart fills its output and keeps its title whole;
        # the main visual is saved at both sizes (test-artifacts/screenshots/<lesson>-sizes/).
        sized = screenshot_dir(f"{name}-sizes")
        for w, h in VIEW_SIZES:
            page.set_viewport_size({"width": w, "height": h})
            page.wait_for_timeout(1200)  # plotly resizes on the window's resize event
            fit = chart_fit_problems(page)
            assert not fit, f"{name} at {w}x{h}:\n" + "\n".join(fit)
            visual = main_visual(page)
            if visual is not None:
                visual.scroll_into_view_if_needed()
                visual.screenshot(path=str(sized / f"main-visual-{w}x{h}.png"))
        problems = net.problems()
        assert not problems, f"{name}: network problems:\n" + "\n".join(problems)
        page.wait_for_timeout(500)  # the control-naming helper runs on the next animation frame
        assert undescribed_charts(page) == 0, f"{name}: a chart or map of a kit widget has no text alternative"
        violations = axe_violations(page)
        assert not violations, f"{name}: accessibility (axe-core, the lesson's outputs):\n" + "\n".join(violations)
        print(f"{name}: {len(prompts)} code cells ran in {ran:.1f} s; {detail}; {shots} screenshots; axe: 0")
    finally:
        page.close()
        shutdown_sessions(lab)


def _student_notebooks():
    return sorted((ROOT / "student").glob("*/*.ipynb"))


@pytest.fixture(scope="session")
def student_notebook():
    """A student copy of an assignment (generated the way ``make lab``/``make test`` do, if none exists yet)."""
    if not _student_notebooks() and list((ROOT / "assignments" / "source").glob("*/*.ipynb")):
        subprocess.run([sys.executable, "scripts/prepare.py", "--student"], cwd=ROOT, check=True,
                       capture_output=True, text=True)
    found = _student_notebooks()
    if not found:
        pytest.skip("no assignment under assignments/source/ yet, so no student copy to open")
    return found[0]


def test_student_assignment_has_validate_button(student_notebook, lab, open_page):
    notebook = str(student_notebook.relative_to(ROOT))
    page, net = open_page(lab.headers)
    try:
        open_notebook(page, lab, notebook)
        button = page.locator(".jp-NotebookPanel-toolbar .jp-Toolbar-item:visible").filter(has_text="Validate")
        assert button.count() == 1, "nbgrader's Validate button is missing from the notebook toolbar"
        button.first.click()
        dialog = page.locator(".jp-Dialog")
        dialog.wait_for(timeout=90_000)
        dialog.get_by_text("Validat", exact=False).first.wait_for(timeout=90_000)
        folder = screenshot_dir(f"student-{student_notebook.parent.name}")
        page.screenshot(path=str(folder / "00.png"))
        assert not net.problems(), net.problems()
    finally:
        page.close()
        shutdown_sessions(lab)
