"""`make lab` serves JupyterLab on the start-here lesson, in the student view (no browser needed here)."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from testkit import ROOT, Server, free_port, start_server, stop


@pytest.fixture(scope="module")
def lab():
    """JupyterLab started exactly as `make lab` starts it (scripts/lab.py), on a free loopback port."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "prepare.py"), "--student", "--no-assignments"], check=True)
    port, token = free_port(), secrets.token_hex(16)
    server = Server(f"http://127.0.0.1:{port}", token)
    proc, _ = start_server([sys.executable, "scripts/lab.py", "--no-browser", f"--port={port}",
                            f"--ServerApp.token={token}", "--ServerApp.port_retries=0"],
                           "lab-http", f"{server.url}/api/status", server.headers)
    yield server.url, token
    stop(proc)


def _get(url: str, token: str):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def test_default_url_opens_the_start_here_lesson(lab):
    base, token = lab
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(f"{base}/", headers={"Authorization": f"token {token}"})
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(req, timeout=30)
    assert redirect.value.code in (301, 302)
    assert redirect.value.headers["Location"].rstrip("?").endswith("/lab/tree/lessons/00-start-here.ipynb")
    status, page = _get(f"{base}/lab/tree/lessons/00-start-here.ipynb", token)
    assert status == 200 and "jupyter-config-data" in page


def test_lesson_is_served(lab):
    base, token = lab
    status, body = _get(f"{base}/api/contents/lessons/00-start-here.ipynb", token)
    assert status == 200
    nb = json.loads(body)["content"]
    assert nb["cells"][0]["source"].startswith("# Start here")


def test_student_view_hides_instructor_tools(lab):
    base, token = lab
    status, page = _get(f"{base}/lab", token)
    config = json.loads(page.split('id="jupyter-config-data"')[1].split(">", 1)[1].split("</script>")[0])
    disabled = config.get("disabledExtensions", [])
    assert "@jupyter/nbgrader:formgrader" in disabled and "@jupyter/nbgrader:create-assignment" in disabled
    assert "@jupyterlab/extensionmanager-extension" in disabled, "no extension manager (it calls the package index)"
    assert "@jupyter/nbgrader:validate-assignment" not in disabled
    assert _get(f"{base}/formgrader", token)[0] == 404
    # The Validate button's server side stays on for students.
    status, _ = _get(f"{base}/assignments/validate", token)
    assert status != 404
