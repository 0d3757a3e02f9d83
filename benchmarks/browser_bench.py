"""``browser_update_ms``: in real JupyterLab + headless Chromium, key press on a slider -> figure redrawn.

Opens each explorer dashboard in JupyterLab (the server ``make lab`` runs), runs it, focuses a slider
handle and presses an arrow key; the time is taken in the page, from the ``keydown`` event to the first
DOM change inside the plotly figure (the kernel round trip and plotly's redraw included).

``map_play`` (issue 15) compares the map explorer's two ways of changing date, in the same run, on the same
server: ``rebuild`` (a new self-contained map document for every date, as before) and ``in_place`` (one live map
restyled by a posted state). For each: key press on the date slider -> the map shows the new date
(``slider_to_map_ms``), and during Play the lag from the slider's readout changing to the map showing that date
(``play_lag_ms``), the time between map frames (``play_frame_ms``, ideal = Play's 900 ms interval) and how many
played dates the map never showed (``frames_missed``).
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "browser")]

from browser_tools import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    free_port,
    open_notebook,
    run_all,
    shutdown_sessions,
    start_server,
    stop,
    wait_all_executed,
)

# dashboard -> (slider label text, plot selector)
CASES = {
    "dsa-enforcement": ("Fine, % of turnover", ".js-plotly-plot"),
    "responses-map": ("As of", ".js-plotly-plot"),
    "gdpr-enforcement": ("", ".js-plotly-plot"),  # its first slider (the label is looked up, else the first)
}

ARM = """(plotSel) => {
  const plot = document.querySelector(plotSel);
  window.__benchResult = new Promise((resolve) => {
    let t0 = null;
    document.addEventListener('keydown', () => { t0 = performance.now(); }, {capture: true, once: true});
    const obs = new MutationObserver(() => {
      if (t0 !== null) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(plot, {subtree: true, childList: true, attributes: true, characterData: true});
    setTimeout(() => { obs.disconnect(); resolve(null); }, 5000);
  });
}"""


def _measure_dashboard(page, server: Server, name: str, label: str, plot: str, presses: int) -> dict:
    open_notebook(page, server, f"lessons/dashboards/{name}.ipynb")
    run_all(page)
    wait_all_executed(page, server)
    slider = page.locator(f".widget-slider:has(.widget-label:text-is('{label}'))").first
    if slider.count() == 0:
        slider = page.locator(".widget-slider").first
    handle = slider.locator(".noUi-handle").first
    handle.scroll_into_view_if_needed()
    page.locator(plot).first.wait_for(timeout=30_000)
    times: list[float] = []
    for i in range(presses):
        handle.focus()
        page.evaluate(ARM, plot)
        page.keyboard.press("ArrowLeft" if (i // 5) % 2 == 0 else "ArrowRight")
        ms = page.evaluate("window.__benchResult")
        if ms is not None:
            times.append(ms)
        page.wait_for_timeout(150)  # let the comm settle before the next press
    if not times:
        return {"error": "no redraw observed"}
    times.sort()
    return {"median": round(statistics.median(times), 1), "p95": round(times[int(0.95 * (len(times) - 1))], 1),
            "n": len(times), "missed": presses - len(times)}


MAP_NOTEBOOK = """import aireg

_ = aireg.setup()
from aireg.maps import response_explorer

response_explorer(update={update!r})
"""

# The map's "frame key": the legend's summary (it names the date) once the frame's document is complete.
MAP_KEY = """() => {
  const f = document.querySelector('.jp-OutputArea iframe');
  const d = f && f.contentDocument;
  if (!d || d.readyState !== 'complete') return null;
  const s = d.querySelector('.aireg-legend summary');
  return s ? s.textContent : null;
}"""

WATCH_MAP = """(keyJs) => {
  const key = eval(keyJs);
  window.__frames = []; window.__readouts = []; window.__watch = true;
  let lastKey = key(), lastReadout = null;
  const tick = () => {
    if (!window.__watch) return;
    const r = document.querySelector('.widget-slider .widget-readout');
    const text = r ? (r.value || r.textContent) : null;
    if (text !== lastReadout) { lastReadout = text; window.__readouts.push([performance.now(), text]); }
    const k = key();
    if (k !== null && k !== lastKey) { lastKey = k; window.__frames.push([performance.now(), k]); }
    setTimeout(tick, 4);
  };
  tick();
}"""


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None


def _map_case(page, server: Server, notebook: str, presses: int, play_steps: int) -> dict:
    open_notebook(page, server, notebook)
    run_all(page)
    wait_all_executed(page, server)
    page.wait_for_function(MAP_KEY, timeout=60_000)
    handle = page.locator(".widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    # slider -> map: one key press at a time, measured in the page from keydown to the map showing a new date
    slider_ms: list[float] = []
    for i in range(presses):
        handle.focus()
        page.evaluate(WATCH_MAP, MAP_KEY)
        t0 = page.evaluate("() => { window.__t0 = performance.now(); return window.__t0; }")
        page.keyboard.press("ArrowLeft" if (i // 5) % 2 == 0 else "ArrowRight")
        try:
            page.wait_for_function("() => window.__frames.length > 0", timeout=10_000)
            slider_ms.append(page.evaluate("() => window.__frames[0][0]") - t0)
        except Exception:  # noqa: BLE001 - a missed redraw is counted, not fatal
            pass
        page.evaluate("() => { window.__watch = false; }")
        page.wait_for_timeout(200)
    # Play: from the first date, for play_steps dates
    handle.focus()
    page.keyboard.press("Home")
    page.wait_for_timeout(2500)
    page.evaluate(WATCH_MAP, MAP_KEY)
    page.locator(".widget-play button").first.click()
    page.wait_for_function(f"() => window.__readouts.length > {play_steps}", timeout=play_steps * 3000 + 20_000)
    page.wait_for_timeout(3000)  # let the last frames land
    page.locator(".widget-play button").nth(1).click()  # Pause
    frames, readouts = page.evaluate("() => [window.__frames, window.__readouts]")
    page.evaluate("() => { window.__watch = false; }")
    played = readouts[1:play_steps + 1]
    lags, missed = [], 0
    for t, text in played:
        day = text.split(" (")[0] if text else ""
        hit = next((f for f in frames if f[0] >= t and day and day.lstrip("0") in f[1]), None)
        if hit is None:
            missed += 1
        else:
            lags.append(hit[0] - t)
    first = played[0][0] if played else 0
    times = [f[0] for f in frames if f[0] >= first]
    intervals = [b - a for a, b in zip(times, times[1:], strict=False)]
    return {"slider_to_map_ms": {"median": _median(slider_ms), "n": len(slider_ms), "missed": presses - len(slider_ms)},
            "play_lag_ms": {"median": _median(lags), "n": len(lags)},
            "play_frame_ms": {"median": _median(intervals), "n": len(intervals)},
            "frames_missed": missed, "dates_played": len(played)}


def measure_map_play(server: Server, browser, presses: int = 12, play_steps: int = 12) -> dict:
    """Rebuild vs in place, same server, same browser, one after the other (notebooks in a scratch folder)."""
    import nbformat

    scratch = Path(tempfile.mkdtemp(prefix="bench-map-", dir=ROOT / "benchmarks"))  # served: not hidden
    out: dict = {}
    try:
        for update in ("rebuild", "in_place"):
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(MAP_NOTEBOOK.format(update=update))],
                                          metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                   "language": "python"}})
            path = scratch / f"map-{update}.ipynb"
            nbformat.write(nb, path)
            context = browser.new_context(extra_http_headers=server.headers, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(60_000)
            try:
                out[update] = _map_case(page, server, str(path.relative_to(ROOT)), presses, play_steps)
            finally:
                context.close()
                shutdown_sessions(server)
    finally:
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    before, after = out.get("rebuild", {}), out.get("in_place", {})
    for key in ("slider_to_map_ms", "play_lag_ms"):
        b, a = before.get(key, {}).get("median"), after.get(key, {}).get("median")
        if a and b:
            out[f"ratio_{key}_in_place_over_rebuild"] = round(a / b, 3)
    return out


def measure(presses: int = 20, map_play: bool = True) -> dict:
    from playwright.sync_api import sync_playwright

    port, token = free_port(), secrets.token_hex(16)
    server = Server(f"http://127.0.0.1:{port}", token)
    with tempfile.TemporaryDirectory() as state:
        settings = Path(state) / "settings" / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings"
        settings.parent.mkdir(parents=True)
        settings.write_text(json.dumps({"autosave": False}))
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(Path(state) / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(Path(state) / "workspaces"))
        cmd = [sys.executable, "scripts/lab.py", "--no-browser", f"--port={port}", f"--ServerApp.token={token}",
               "--ServerApp.port_retries=0"]
        proc, _ = start_server(cmd, "bench-jupyterlab", f"{server.url}/api/status", server.headers, env=env)
        server.proc = proc
        out: dict = {}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
                for name, (label, plot) in CASES.items():
                    if not (ROOT / "lessons" / "dashboards" / f"{name}.ipynb").exists():
                        continue
                    context = browser.new_context(extra_http_headers=server.headers,
                                                  viewport={"width": 1280, "height": 900})
                    page = context.new_page()
                    page.set_default_timeout(60_000)
                    try:
                        out[name] = _measure_dashboard(page, server, name, label, plot, presses)
                    finally:
                        context.close()
                        shutdown_sessions(server)
                if map_play:
                    out["map_play"] = measure_map_play(server, browser)
                browser.close()
        finally:
            stop(proc)
    return out


if __name__ == "__main__":
    print(json.dumps(measure(), indent=1))
