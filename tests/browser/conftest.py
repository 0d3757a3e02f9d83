"""Real-browser fixtures: one JupyterLab server per session (what ``make lab`` runs), headless Debian Chromium
through Playwright, a loopback-only network guard, and per-cell screenshots under test-artifacts/screenshots/.

Chromium missing: the browser tests skip with a reason, except with ``CI=true``, where they fail.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import secrets
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from browser_tools import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NOT_LOOPBACK,
    NetworkLog,
    Server,
    free_port,
    is_loopback,
    start_server,
    stop,
    unavailable,
)


@pytest.fixture(scope="session")
def chromium_executable() -> Path:
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("the playwright package is not installed (pip install -r requirements-test.txt)")
    return CHROMIUM


@pytest.fixture(scope="session")
def chromium(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium_executable), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def lab(chromium_executable, tmp_path_factory) -> Iterator[Server]:
    """JupyterLab started by scripts/lab.py (the ``make lab`` server) on a free loopback port."""
    port, token = free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "scripts/lab.py", "--no-browser", f"--port={port}", f"--ServerApp.token={token}",
           "--ServerApp.open_browser=False", "--ServerApp.port_retries=0"]
    server = Server(f"http://127.0.0.1:{port}", token)
    # Private Lab settings and workspaces: autosave off, so running a lesson never writes outputs into it,
    # and nothing from (or to) the user's own settings or open tabs.
    state = tmp_path_factory.mktemp("lab-state")
    settings = state / "settings" / "@jupyterlab" / "docmanager-extension" / "plugin.jupyterlab-settings"
    settings.parent.mkdir(parents=True)
    settings.write_text(json.dumps({"autosave": False}))
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(state / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"))
    proc, log = start_server(cmd, "jupyterlab", f"{server.url}/api/status", server.headers, env=env)
    server.proc, server.log = proc, log
    yield server
    with contextlib.suppress(OSError):
        for kernel in json.loads(server.api("GET", "/api/kernels")):
            server.api("DELETE", f"/api/kernels/{kernel['id']}")
    stop(proc)


@pytest.fixture(scope="session")
def static_server() -> Callable[[Path], str]:
    """Serve folders over http on loopback (``serve(folder) -> base URL``); all stopped at the end."""
    servers: list[http.server.ThreadingHTTPServer] = []

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep pytest output clean
            pass

    def serve(folder: Path) -> str:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}"

    yield serve
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def open_page(chromium) -> Iterator[Callable[..., tuple]]:
    """``open_page(headers=None) -> (page, NetworkLog)``: a fresh context whose non-loopback requests are aborted."""
    contexts = []

    def make(headers: dict[str, str] | None = None, viewport=(1280, 900)):
        context = chromium.new_context(extra_http_headers=headers or {},
                                       viewport={"width": viewport[0], "height": viewport[1]})
        contexts.append(context)
        log = NetworkLog()

        def guard(route) -> None:
            url = route.request.url
            if is_loopback(url):
                route.continue_()
            else:
                log.outside.append(url)
                route.abort("blockedbyclient")

        context.route(NOT_LOOPBACK, guard)
        page = context.new_page()
        page.set_default_timeout(30_000)

        def on_failed(request) -> None:
            if is_loopback(request.url):
                log.failed.append(f"{request.method} {request.url} ({request.failure})")

        def on_response(response) -> None:
            if response.status >= 400:
                log.http_errors.append(f"{response.status} {response.request.method} {response.url}")

        page.on("requestfailed", on_failed)
        page.on("response", on_response)
        page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))
        # WebSockets bypass route(); record any that would leave loopback.
        page.on("websocket", lambda ws: None if is_loopback(ws.url.replace("ws", "http", 1)) else log.outside.append(ws.url))
        return page, log

    yield make
    for context in contexts:
        with contextlib.suppress(Exception):
            context.close()


