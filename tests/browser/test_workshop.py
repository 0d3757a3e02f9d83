"""Workshop mode in a real browser with the network cut to loopback: the reveal.js slides from scripts/slides.py
(arrow keys move between slides) and the Voila dashboards from scripts/present.py (keyboard on a control redraws
the figure or map; no code shown; projector-size type)."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
from browser_tools import (
    ROOT,
    VIEW_SIZES,
    axe_violations,
    chart_fit_problems,
    free_port,
    output_state,
    press_on_slider,
    screenshot_dir,
    start_server,
    stop,
    undescribed_charts,
    wait_changed,
)

pytestmark = pytest.mark.browser

LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))
DASHBOARDS = sorted((ROOT / "lessons" / "dashboards").glob("*.ipynb"))

CURRENT_SLIDE_JS = """() => {
  const top = [...document.querySelectorAll('.reveal .slides > section')];
  return [top.findIndex(s => s.classList.contains('present')), top.length, location.hash];
}"""


@pytest.fixture(scope="session")
def slides_dir(tmp_path_factory, chromium_executable):
    """Every lesson exported by scripts/slides.py (what ``make slides`` runs) into a scratch folder."""
    out = tmp_path_factory.mktemp("slides")
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "scripts/slides.py", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, f"scripts/slides.py failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    print(f"slides exported in {time.monotonic() - t0:.1f} s")
    return out


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_slides_navigate_offline(lesson, slides_dir, static_server, open_page):
    html = slides_dir / f"{lesson.stem}.slides.html"
    assert html.exists(), f"{html.name} was not exported"
    base = static_server(slides_dir)
    page, net = open_page()
    try:
        page.goto(f"{base}/{html.name}")
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        first = page.evaluate(CURRENT_SLIDE_JS)
        assert first[1] >= 3, f"expected at least 3 slides, got {first[1]}"
        folder = screenshot_dir(f"slides-{lesson.stem}")
        page.screenshot(path=str(folder / "00.png"))
        page.locator(".reveal").click(position={"x": 5, "y": 5})
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"() => location.hash !== {first[2]!r}", timeout=10_000)
        second = page.evaluate(CURRENT_SLIDE_JS)
        assert second[0] == first[0] + 1, f"ArrowRight did not move to the next slide: {first} -> {second}"
        page.wait_for_timeout(900)  # the slide transition
        page.screenshot(path=str(folder / "01.png"))
        assert not net.page_errors, f"JavaScript errors: {net.page_errors}"
        problems = net.problems()
        assert not problems, "\n".join(problems)
        print(f"{html.name}: {first[1]} slides, ArrowRight {first[0]} -> {second[0]}")
    finally:
        page.close()


DECK_JS = """() => [...document.querySelectorAll('.reveal .slides > section')]
    .map(t => t.querySelectorAll(':scope > section').length || 1)"""
SLIDE_JS = """() => {
  const s = document.querySelector('.reveal .slides section.present:not(.stack)')
         || document.querySelector('.reveal .slides > section.present');
  const box = document.querySelector('.reveal .slides');
  const visuals = s.querySelectorAll('iframe, .plotly-graph-div, .folium-map, img, canvas, .aireg-live-only').length;
  const code = s.querySelectorAll('.jp-InputArea .jp-CodeMirrorEditor, .jp-InputArea pre, .jp-InputPrompt').length;
  const title = ((s.querySelector('h1, h2, h3, .aireg-continued-title') || {}).textContent || '').replace('\u00b6', '');
  return {height: s.scrollHeight, width: s.scrollWidth, slideHeight: box.offsetHeight, slideWidth: box.offsetWidth,
          visuals, code, title: title.trim().slice(0, 60)};
}"""
PRESENT_JS = """([h, v]) => {
  const top = [...document.querySelectorAll('.reveal .slides > section')][h];
  const subs = top.querySelectorAll(':scope > section');
  return (subs.length ? subs[v] : top).classList.contains('present');
}"""
SLIDE_SIZES = [(1280, 720), (1920, 1080)]


@pytest.mark.parametrize("size", SLIDE_SIZES, ids=[f"{w}x{h}" for w, h in SLIDE_SIZES])
@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_slide_fits(lesson, size, slides_dir, static_server, open_page):
    """Issue 15: page through every slide of the deck; none may be taller or wider than the slide (reveal.js slides
    do not scroll), none shows code, none holds more than one chart or map. Each slide is saved as a screenshot
    (test-artifacts/screenshots/deck-<lesson>-<size>/), and axe-core checks each slide's content at 1280x720."""
    html = slides_dir / f"{lesson.stem}.slides.html"
    base = static_server(slides_dir)
    page, net = open_page(viewport=size)
    try:
        page.goto(f"{base}/{html.name}?transition=none")  # reveal.js reads its config from the query string
        page.wait_for_selector(".reveal.ready", timeout=30_000)
        folder = screenshot_dir(f"deck-{lesson.stem}-{size[0]}x{size[1]}")
        problems, accessibility, n = [], [], 0
        for h, count in enumerate(page.evaluate(DECK_JS)):
            for v in range(count):
                page.evaluate(f"location.hash = '#/{h}/{v}'")
                page.wait_for_function(PRESENT_JS, arg=[h, v], timeout=5_000)
                got = page.evaluate(SLIDE_JS)
                n += 1
                where = f"slide {h}/{v} ({got['title']!r})"
                if got["height"] > got["slideHeight"] or got["width"] > got["slideWidth"]:
                    problems.append(f"{where} overflows: {got['width']}x{got['height']} on a "
                                    f"{got['slideWidth']}x{got['slideHeight']} slide")
                if got["visuals"] > 1:
                    problems.append(f"{where} holds {got['visuals']} charts or maps")
                if got["code"]:
                    problems.append(f"{where} shows code")
                page.screenshot(path=str(folder / f"{h:02d}-{v:02d}.png"))
                if size == SLIDE_SIZES[0]:
                    accessibility += [f"{where}: {a}" for a in
                                      axe_violations(page, include=".reveal .slides section.present:not(.stack)")]
        assert n >= 3, f"expected at least 3 slides, got {n}"
        assert not problems, f"{html.name} at {size[0]}x{size[1]}:\n" + "\n".join(problems)
        assert not accessibility, f"{html.name}: accessibility (axe-core):\n" + "\n".join(accessibility)
        assert not net.page_errors, f"JavaScript errors: {net.page_errors}"
        print(f"{html.name} at {size[0]}x{size[1]}: {n} slides, all fit")
    finally:
        page.close()


def test_slides_index_lists_every_lesson(slides_dir):
    index = (slides_dir / "index.html").read_text()
    assert all(f"{p.stem}.slides.html" in index for p in LESSONS)
    assert (slides_dir / "reveal.js" / "dist" / "reveal.js").exists() and (slides_dir / "require.js").exists()
    for css in (slides_dir / "reveal.js" / "dist" / "theme").glob("*.css"):
        assert "//fonts.googleapis" not in css.read_text(), f"{css.name} still imports web fonts"


@pytest.fixture(scope="session")
def voila(chromium_executable):
    """scripts/present.py (what ``make present`` runs) serving lessons/dashboards/ on a free loopback port."""
    if not DASHBOARDS:
        pytest.skip("no dashboard notebooks in lessons/dashboards/")
    port = free_port()
    proc, log = start_server([sys.executable, "scripts/present.py", f"--port={port}"], "voila",
                             f"http://127.0.0.1:{port}/")
    yield f"http://127.0.0.1:{port}"
    stop(proc)


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_dashboard_list_offline(voila, open_page, size):
    """The landing page an audience sees first (issue 15): the kit's title and one card per dashboard with its own
    title, no file names or tool names, large type, reachable by keyboard, nothing online, 0 serious axe issues."""
    import nbformat

    page, net = open_page(viewport=size)
    try:
        page.goto(voila + "/")
        page.get_by_role("heading", level=1).wait_for(timeout=20_000)
        assert "AI regulation case studies" in page.get_by_role("heading", level=1).inner_text()
        body = page.inner_text("body")
        assert ".ipynb" not in body and "Voilà" not in body and "Voila" not in body, body[:300]
        for nb in DASHBOARDS:
            title = next(c.source for c in nbformat.read(nb, as_version=4).cells
                         if c.cell_type == "markdown").splitlines()[0].lstrip("# ").strip()
            link = page.get_by_role("link", name=re.compile(re.escape(title)))
            assert link.count() == 1 and link.get_attribute("href").endswith(f"voila/render/{nb.name}")
        size_px = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('a .t')).fontSize)")
        assert size_px >= 20, f"landing page type is {size_px}px"
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.tagName") == "A", "the first card takes the keyboard"
        page.screenshot(path=str(screenshot_dir("dashboards") / f"00-{size[0]}x{size[1]}.png"), full_page=True)
        violations = axe_violations(page, include="body")
        assert not violations, "\n".join(violations)
        problems = net.problems()
        assert not problems, "\n".join(problems)
    finally:
        page.close()


def _interact(page) -> str:
    """Move the dashboard's first slider (Home, else End), or its first drop-down (ArrowDown), by keyboard."""
    before = output_state(page)
    handles = page.locator(".widget-slider .noUi-handle")
    if handles.count():
        for key in ("Home", "End"):
            press_on_slider(page, handles.first, [key])
            if wait_changed(page, before, timeout=20) != before:
                return f"slider {key}"
        return "slider: no change"
    select = page.locator(".widget-dropdown select")
    assert select.count(), "the dashboard shows neither a slider nor a drop-down"
    select.first.focus()
    page.keyboard.press("ArrowDown")
    return "drop-down ArrowDown" if wait_changed(page, before, timeout=20) != before else "drop-down: no change"


@pytest.mark.parametrize("dashboard", DASHBOARDS, ids=[p.stem for p in DASHBOARDS])
def test_dashboard_offline_and_interactive(dashboard, voila, open_page):
    page, net = open_page()
    try:
        t0 = time.monotonic()
        page.goto(f"{voila}/voila/render/{dashboard.name}", timeout=120_000)
        page.wait_for_selector(".aireg .widget-slider, .aireg .widget-dropdown", timeout=120_000)
        page.wait_for_timeout(1500)  # let the figure or map finish drawing
        loaded = time.monotonic() - t0
        assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor").count() == 0, "the dashboard shows code"
        size = page.evaluate("""() => { const e = document.querySelector('.aireg .widget-label')
                                                || document.querySelector('.aireg');
                                        return parseFloat(getComputedStyle(e).fontSize); }""")
        assert size >= 20, f"projector type is not applied: widget labels are {size}px"
        folder = screenshot_dir(f"dashboard-{dashboard.stem}")
        page.screenshot(path=str(folder / "00.png"), full_page=True)
        how = _interact(page)
        assert "no change" not in how, f"{dashboard.name}: keyboard input did not change the figure ({how})"
        page.wait_for_timeout(500)
        page.screenshot(path=str(folder / "01.png"), full_page=True)
        problems = net.problems()
        assert not problems, "\n".join(problems)
        assert undescribed_charts(page) == 0, f"{dashboard.name}: a chart or map has no text alternative"
        assert page.locator(".js-plotly-plot").count() >= 1, "every dashboard has a chart to check"
        for w, h in VIEW_SIZES:  # issue 15: charts fill the page and keep their titles whole, at both sizes
            page.set_viewport_size({"width": w, "height": h})
            page.wait_for_timeout(1200)
            fit = chart_fit_problems(page)
            assert not fit, f"{dashboard.name} at {w}x{h}:\n" + "\n".join(fit)
            page.screenshot(path=str(folder / f"{w}x{h}.png"), full_page=True)
        violations = axe_violations(page)
        assert not violations, f"{dashboard.name}: accessibility (axe-core):\n" + "\n".join(violations)
        print(f"{dashboard.name}: ready in {loaded:.1f} s; {how} changed the output; labels {size:.0f}px; axe: 0")
    finally:
        page.close()
