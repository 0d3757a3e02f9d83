"""JupyterHub for a class on one server: ``make hub`` (run as root; see hub/README.md).

Real local accounts log in with their system password (PAM) and each gets a single-user JupyterLab from the kit's
locked environment, started as that account (LocalProcessSpawner). Students get the student view; instructors
(``AIREG_HUB_INSTRUCTORS``) get Formgrader on their course (``~/course``). nbgrader's exchange is the shared folder
``AIREG_EXCHANGE`` (made world-writable with the sticky bit, as nbgrader documents). The proxy is
configurable-http-proxy, pinned in ``hub/package-lock.json`` (``npm ci --prefix hub``).

Settings (environment): ``AIREG_HUB_IP`` / ``AIREG_HUB_PORT`` (public address, default 127.0.0.1:8000),
``AIREG_HUB_API_PORT`` / ``AIREG_HUB_PROXY_API_PORT`` (internal ports, default 8081/8001), ``AIREG_HUB_STATE``
(hub database, cookie secret; default ``hub/state``), ``AIREG_HUB_INSTRUCTORS`` and ``AIREG_HUB_STUDENTS``
(comma-separated account names; only these may log in), ``AIREG_EXCHANGE``, ``AIREG_COURSE_ID``, and
``AIREG_HUB_SERVICE_TOKEN`` (optional: an API token for scripts, e.g. the load test, with admin rights on users and
servers).
"""

import sys
from pathlib import Path

c = get_config()  # noqa: F821 (injected by traitlets)

HUB = Path(__file__).resolve().parent
ROOT = HUB.parent
sys.path.insert(0, str(ROOT / "scripts"))
import hub as kit_hub  # noqa: E402  (scripts/hub.py: the shared settings)

settings = kit_hub.Settings.from_env()
settings.state.mkdir(parents=True, exist_ok=True, mode=0o700)

c.JupyterHub.ip = settings.ip
c.JupyterHub.port = settings.port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings.api_port
c.ConfigurableHTTPProxy.command = [str(HUB / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = str(settings.state / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{settings.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(settings.state / "jupyterhub_cookie_secret")

# Authentication: the system's own accounts and passwords (PAM). An institution replaces this with its single
# sign-on (see hub/README.md); only the listed accounts may log in.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = set(settings.instructors) | set(settings.students)
c.PAMAuthenticator.open_sessions = False  # no login session bookkeeping needed for notebook servers

# Every user's server: the kit's locked environment, JupyterLab, as the user's own account.
c.Spawner.cmd = [str(Path(sys.prefix) / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = kit_hub.user_environment(settings, instructor=False)


def pre_spawn_hook(spawner):
    """Instructors: Formgrader and the course; students: the student view and nbgrader's assignment list."""
    instructor = spawner.user.name in settings.instructors
    spawner.environment = kit_hub.user_environment(settings, instructor=instructor, user=spawner.user.name)
    if instructor:
        spawner.default_url = "/formgrader"


c.Spawner.pre_spawn_hook = pre_spawn_hook

if settings.service_token:
    c.JupyterHub.services = [{"name": "aireg-admin", "api_token": settings.service_token}]
    c.JupyterHub.load_roles = [{
        "name": "aireg-admin",
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users"],
        "services": ["aireg-admin"],
    }]
