"""Helpers for the browser tests: servers on loopback, the network log, screenshots, JupyterLab page actions."""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from testkit import ARTIFACTS, ROOT, Server, free_port, start_server, stop, wait_http  # noqa: F401

CHROMIUM = Path(os.environ.get("AIREG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
]
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
LOCAL_SCHEMES = {"data", "blob", "about", "file"}
# Matched in the Playwright driver, so loopback requests never wait for Python: only the rest reach the guard.
NOT_LOOPBACK = re.compile(r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(?:/|$)|data:|blob:|about:|file:)")
SCREENSHOTS = ARTIFACTS / "screenshots"


def unavailable(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


@dataclass
class NetworkLog:
    """What a page asked for: requests blocked for leaving loopback, failed requests, HTTP errors, JS errors."""
    outside: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self, allow_failed: Callable[[str], bool] = lambda _: False) -> list[str]:
        return ([f"left loopback (blocked): {u}" for u in self.outside]
                + [f"request failed: {f}" for f in self.failed if not allow_failed(f)])


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return (parts.hostname or "") in LOOPBACK


def screenshot_dir(group: str) -> Path:
    folder = SCREENSHOTS / group
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder


# --- JupyterLab page actions -------------------------------------------------------------------------

PROMPTS_JS = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')]
    .map(c => ((c.querySelector('.jp-InputArea-prompt') || {}).textContent || '').trim())"""

STDERR_JS = """() => [...document.querySelectorAll(
    '.jp-Notebook .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"],'
    + ' .jp-Notebook [data-mime-type="application/vnd.jupyter.error"]')].map(o => o.textContent)"""

# A fingerprint of what the outputs show: widget HTML, plotly traces and text, srcdoc iframes, leaflet paths.
OUTPUT_STATE_JS = """(root) => {
  const scope = root || document;
  const parts = [];
  scope.querySelectorAll('.widget-html-content, .widget-readout').forEach(e => parts.push(e.innerHTML));
  scope.querySelectorAll('.js-plotly-plot').forEach(p => {
    p.querySelectorAll('path, text').forEach(e => parts.push((e.getAttribute('d') || '') + (e.textContent || '')
                                                             + (e.style.fill || '')));
  });
  scope.querySelectorAll('iframe').forEach(f => {
    const d = f.contentDocument;
    parts.push((f.getAttribute('srcdoc') || '').length);
    if (d) d.querySelectorAll('.leaflet-map-pane path').forEach(p => parts.push(p.getAttribute('fill') || ''));
  });
  return parts.join('|');
}"""


def api_json(server: Server, path: str):
    import json

    return json.loads(server.api("GET", path))


def pause(page, seconds: float) -> None:
    """Sleep while letting Playwright dispatch its events (a bare time.sleep would stall routed requests)."""
    if page is None:
        time.sleep(seconds)
    else:
        page.wait_for_timeout(seconds * 1000)


def wait_kernel_idle(server: Server, notebook: str, timeout: float = 60, page=None) -> None:
    """Wait until the notebook's session has a kernel that reports idle (Run All before that is ignored)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for s in api_json(server, "/api/sessions"):
            if s.get("path") == notebook and s.get("kernel", {}).get("execution_state") == "idle":
                return
        pause(page, 0.5)
    sessions = [(s.get("path"), s.get("kernel", {}).get("execution_state")) for s in api_json(server, "/api/sessions")]
    raise AssertionError(f"no idle kernel for {notebook} after {timeout:.0f} s; sessions: {sessions}")


def shutdown_sessions(server: Server) -> None:
    with contextlib.suppress(OSError):
        for s in api_json(server, "/api/sessions"):
            server.api("DELETE", f"/api/sessions/{s['id']}")


def open_notebook(page, server: Server, notebook: str) -> None:
    # ?reset: start from an empty workspace, not the tabs an earlier test left open on this server.
    page.goto(f"{server.url}/lab/tree/{notebook}?reset&token={server.token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    try:
        wait_kernel_idle(server, notebook, page=page)
    except AssertionError:
        page.screenshot(path=str(ARTIFACTS / "no-kernel.png"))
        raise


def run_all(page) -> None:
    page.click('.lm-MenuBar-itemLabel:text-is("Run")')
    page.click('.lm-Menu-item:has(.lm-Menu-itemLabel:text-is("Run All Cells"))')


def wait_all_executed(page, server: Server, timeout: float = 300) -> list[str]:
    """Wait until no cell is ``[*]`` and every code cell has a number (or the kernel went idle with some not run)."""
    deadline = time.monotonic() + timeout
    settled = 0
    prompts: list[str] = []
    while time.monotonic() < deadline:
        prompts = page.evaluate(PROMPTS_JS)
        if prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts):
            return prompts
        busy = any(k.get("execution_state") == "busy" for k in api_json(server, "/api/kernels"))
        settled = settled + 1 if not busy and "[*]:" not in prompts else 0
        if settled >= 8:  # idle for ~4 s with cells left unrun: Run All stopped (an error, usually)
            return prompts
        pause(page, 0.5)
    raise AssertionError(f"cells still running after {timeout:.0f} s: {prompts}")


def is_traceback(text: str) -> bool:
    return (text.lstrip().startswith("-----") or "Traceback (most recent call last)" in text
            or re.search(r"^\w*(Error|Exception)\b", text, flags=re.M) is not None)


def screenshot_cells(page, folder: Path) -> int:
    """One PNG per cell, ``<folder>/<nn>.png`` (JupyterLab scrolls internally; full-page shots miss cells)."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 2400})  # tall cells (tables, maps) fit whole
    cells = page.locator(".jp-Notebook .jp-Cell")
    n = cells.count()
    try:
        for i in range(n):
            cell = cells.nth(i)
            with contextlib.suppress(Exception):
                cell.scroll_into_view_if_needed(timeout=5_000)
                cell.screenshot(path=str(folder / f"{i:02d}.png"), timeout=10_000)
    finally:
        page.set_viewport_size(size)
    return n


def output_state(page_or_frame) -> str:
    return page_or_frame.evaluate(OUTPUT_STATE_JS)


def wait_changed(page, before: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    now = before
    while time.monotonic() < deadline:
        now = output_state(page)
        if now != before:
            return now
        pause(page, 0.25)
    return now


def leaflet_paths(page, selector: str = ".leaflet-map-pane path") -> list[int]:
    """Paths drawn by each folium map (srcdoc iframe): every country path by default, or ``selector``'s."""
    counts = []
    for frame in page.frames:
        if frame.url.startswith("about:srcdoc"):
            with contextlib.suppress(Exception):
                counts.append(frame.locator(selector).count())
    return counts


def press_on_slider(page, handle, keys: list[str]) -> None:
    handle.scroll_into_view_if_needed()
    handle.focus()
    for key in keys:
        page.keyboard.press(key)


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
#: the kit's own content: what cells print and draw (JupyterLab's own chrome is JupyterLab's to fix)
KIT_CONTENT = ".jp-OutputArea-output"


def axe_violations(page, include: str = KIT_CONTENT, impacts=("critical", "serious")) -> list[str]:
    """axe-core (vendored, offline) on the page's ``include`` elements: "impact rule (n): first targets" lines."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async (sel) => {
        if (!document.querySelector(sel)) return [];
        const r = await axe.run({include: [[sel]]}, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
                                       targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""", include)
    return [f"{v['impact']} {v['id']} ({v['n']}): {v['targets']}" for v in found if v["impact"] in impacts]


UNDESCRIBED_JS = """() => [...document.querySelectorAll('.aireg .js-plotly-plot, .aireg iframe')]
    .filter(c => !(c.getAttribute('aria-label') || '').trim()).length"""


def undescribed_charts(page) -> int:
    """Charts and maps inside the kit's widgets without a text alternative (their caption, linked)."""
    return page.evaluate(UNDESCRIBED_JS)


CHART_FIT_JS = """() => [...document.querySelectorAll('.jp-OutputArea-output .js-plotly-plot, .aireg .js-plotly-plot')]
  .filter(p => p.offsetParent !== null)
  .map(p => {
    const area = p.closest('.jp-OutputArea-output') || p.parentElement;
    const svg = p.querySelector('svg.main-svg');
    const title = p.querySelector('.gtitle');
    const box = svg ? svg.getBoundingClientRect() : p.getBoundingClientRect();
    const t = title ? title.getBoundingClientRect() : null;
    const kind = (p.closest('[data-mime-type]') || {}).dataset ? p.closest('[data-mime-type]').dataset.mimeType : '';
    return {width: Math.round(box.width), room: Math.round(area.getBoundingClientRect().width), kind,
            layoutWidth: p.layout ? p.layout.width : null, autosize: p.layout ? p.layout.autosize : null,
            title: title ? title.textContent : '', left: t ? Math.round(t.left - box.left) : 0,
            right: t ? Math.round(box.right - t.right) : 0};
  })"""


def chart_fit_problems(page, min_share: float = 0.9) -> list[str]:
    """Plotly charts narrower than the room their output gives them, or whose title runs past the chart's edge."""
    out = []
    for c in page.evaluate(CHART_FIT_JS):
        if c["room"] > 0 and c["width"] < min_share * c["room"] - 2:
            out.append(f"chart {c['title']!r} is {c['width']}px wide in a {c['room']}px output ({c['kind']}, "
                       f"layout width {c['layoutWidth']}, autosize {c['autosize']})")
        if c["title"] and (c["left"] < -1 or c["right"] < -1):
            out.append(f"chart title {c['title']!r} is cut ({c['left']}px, {c['right']}px past the edges)")
    return out


VIEW_SIZES = [(1366, 768), (1920, 1080)]


def main_visual(page):
    """The lesson's or dashboard's first chart, map or widget output (its main visual), or None."""
    loc = page.locator(".jp-OutputArea-output").filter(
        has=page.locator(".js-plotly-plot, iframe, .widget-slider, .widget-dropdown"))
    return loc.first if loc.count() else None
