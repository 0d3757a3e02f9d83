"""``browser_update_ms``: in real JupyterLab + headless Chromium, key press on a slider -> figure redrawn.

Opens each explorer dashboard in JupyterLab (the server ``make lab`` runs), runs it, focuses a slider
handle and presses an arrow key; the time is taken in the page, from the ``keydown`` event to the first
DOM change inside the plotly figure (the kernel round trip and plotly's redraw included).
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


def measure(presses: int = 20) -> dict:
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
                browser.close()
        finally:
            stop(proc)
    return out


if __name__ == "__main__":
    print(json.dumps(measure(), indent=1))
