"""Driving the kit's JupyterHub as its users would: log in with a password, start servers, call nbgrader's own server
APIs (Formgrader, the assignment list) and run code in a user's kernel, all through the hub's proxy on loopback."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

from testkit import ROOT, free_port, stop

PROXY = ROOT / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Hub:
    url: str
    service_token: str
    env: dict[str, str]
    proc: subprocess.Popen | None = None
    log: Path | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, token: str | None = None, body=None, form: dict | None = None,
                timeout: float = 120) -> tuple[int, bytes]:
        headers = {"Authorization": f"token {token or self.service_token}"}
        data = None
        if form is not None:
            data, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def api(self, method: str, path: str, token: str | None = None, body=None, form=None, ok=(200, 201, 202, 204),
            timeout: float = 120):
        status, raw = self.request(method, path, token, body, form, timeout)
        assert status in ok, f"{method} {path}: {status} {raw[:2000]!r}"
        return json.loads(raw) if raw.strip() else None

    def token(self, user: str) -> str:
        """An API token of ``user`` (what a logged-in user's browser holds), made with the hub's admin service."""
        if user not in self.tokens:
            made = self.api("POST", f"/hub/api/users/{user}/tokens", body={"note": "aireg test", "expires_in": 7200})
            self.tokens[user] = made["token"]
        return self.tokens[user]

    def start_server(self, user: str, timeout: float = 180) -> None:
        self.api("POST", f"/hub/api/users/{user}/server", ok=(201, 202, 400))  # 400: already running
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            info = self.api("GET", f"/hub/api/users/{user}")
            server = (info.get("servers") or {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(0.5)
        raise AssertionError(f"{user}'s server did not start in {timeout:.0f} s:\n{self.log_tail()}")

    def user(self, user: str, method: str, path: str, **kw):
        """A call to ``user``'s own server, through the proxy, with ``user``'s token."""
        return self.api(method, f"/user/{user}{path}", token=self.token(user), **kw)

    def run(self, user: str, code: str, timeout: float = 900) -> str:
        """Run ``code`` in a fresh kernel of ``user``'s server (as that account); returns what it printed. An
        exception in the code fails the test with its traceback."""
        with self.kernel(user, timeout) as k:
            return k.execute(code)

    @contextlib.contextmanager
    def kernel(self, user: str, timeout: float = 900):
        """A kernel in ``user``'s server, driven over its websocket (``.execute(code) -> printed text``)."""
        kernel = self.user(user, "POST", "/api/kernels", body={"name": "python3"})
        session = KernelSession(self, user, kernel["id"], timeout)
        try:
            yield session
        finally:
            session.close()
            self.user(user, "DELETE", f"/api/kernels/{kernel['id']}", ok=(204, 404))

    def log_tail(self, n: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-n:] if self.log else ""


class KernelSession:
    def __init__(self, hub: Hub, user: str, kernel_id: str, timeout: float):
        import websocket

        self.user, self.session = user, uuid.uuid4().hex
        url = hub.url.replace("http", "ws", 1) + f"/user/{user}/api/kernels/{kernel_id}/channels"
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {hub.token(user)}"],
                                              timeout=timeout)

    def execute(self, code: str) -> str:
        msg_id, out, error = uuid.uuid4().hex, [], None
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": self.user, "session": self.session,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        while True:
            raw = self.ws.recv()
            if isinstance(raw, bytes):  # a message with binary buffers (widget comms): not what we wait for
                continue
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = "\n".join(msg["content"]["traceback"])
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
        text = "".join(out)
        if error is not None:
            plain = ANSI.sub("", error)
            raise AssertionError(f"{self.user}'s code raised:\n{plain}\n{text}")
        return text

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()


def login(url: str, user: str, password: str) -> tuple[int, str]:
    """Log in through the hub's login form (PAM checks the system password); returns (status, final URL)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(url + "/hub/login", timeout=60).read().decode()
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": user, "password": password, "_xsrf": xsrf}).encode()
    try:
        with opener.open(url + "/hub/login", data, timeout=120) as r:
            return r.status, r.url
    except urllib.error.HTTPError as e:
        return e.code, e.url


def set_password(user: str, password: str) -> None:
    subprocess.run(["chpasswd"], input=f"{user}:{password}\n", text=True, check=True)


@contextlib.contextmanager
def running_hub(state: Path, exchange: Path, instructors: list[str], students: list[str], log_name: str = "hub"):
    """``scripts/hub.py setup`` then ``start``, on free loopback ports; stops every server and the hub after."""
    port = free_port()
    env = dict(os.environ, AIREG_HUB_STATE=str(state), AIREG_EXCHANGE=str(exchange),
               AIREG_HUB_INSTRUCTORS=",".join(instructors), AIREG_HUB_STUDENTS=",".join(students),
               AIREG_HUB_PORT=str(port), AIREG_HUB_API_PORT=str(free_port()),
               AIREG_HUB_PROXY_API_PORT=str(free_port()), AIREG_HUB_SERVICE_TOKEN=uuid.uuid4().hex)
    env.pop("AIREG_COURSE", None)
    script = [sys.executable, str(ROOT / "scripts" / "hub.py")]
    setup = subprocess.run([*script, "setup", "--create-accounts", "--grant-access"], env=env, capture_output=True,
                           text=True, timeout=300)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    log = ROOT / "test-artifacts" / f"{log_name}.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as fh:
        proc = subprocess.Popen([*script, "start"], env=env, stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True)
    hub = Hub(f"http://127.0.0.1:{port}", env["AIREG_HUB_SERVICE_TOKEN"], env, proc, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the hub exited ({proc.returncode}):\n{hub.log_tail()}")
        with contextlib.suppress(OSError):
            if hub.request("GET", "/hub/api/")[0] == 200:
                break
        time.sleep(0.5)
    else:
        raise AssertionError(f"the hub did not answer:\n{hub.log_tail()}")
    try:
        yield hub
    finally:
        for user in [*instructors, *students]:
            with contextlib.suppress(Exception):
                hub.api("DELETE", f"/hub/api/users/{user}/server", ok=(202, 204, 400, 404), timeout=60)
        stop(proc)
