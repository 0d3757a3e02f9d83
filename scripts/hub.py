"""The kit's JupyterHub on one server (``make hub``): accounts, nbgrader's exchange, the instructor's course, and
the per-user Jupyter configuration that ``hub/jupyterhub_config.py`` hands each server.

    python scripts/hub.py setup [--create-accounts]   # as root: exchange, course, config layers (idempotent)
    python scripts/hub.py start                        # as root: jupyterhub -f hub/jupyterhub_config.py

Accounts are the system's (PAM). ``--create-accounts`` creates the listed ones that do not exist, with random
passwords written to ``<state>/accounts.csv`` (mode 600), for a trial or a test; a real course uses the
institution's accounts or single sign-on (hub/README.md).
"""

from __future__ import annotations

import argparse
import csv
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HUB = ROOT / "hub"
sys.path.insert(0, str(ROOT / "scripts"))

from prepare import INSTRUCTOR_LAB_PLUGINS, INSTRUCTOR_SERVER_EXTENSIONS, STUDENT_OFF_LAB_PLUGINS  # noqa: E402

#: what a student on a hub needs of nbgrader: the assignment list (fetch, submit, fetch feedback) and Validate
STUDENT_HUB_PLUGINS = ["@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:menu"]
STUDENT_HUB_SERVER_EXTENSIONS = ["nbgrader.server_extensions.assignment_list"]
CONFIG = HUB / "config"
COURSE_FILES = ("source", "text", "nbgrader_config.py", "jupytext.toml", "README.md")


def _names(value: str) -> list[str]:
    return [x.strip() for x in value.split(",") if x.strip()]


@dataclass
class Settings:
    ip: str = "127.0.0.1"
    port: int = 8000
    api_port: int = 8081
    proxy_api_port: int = 8001
    state: Path = HUB / "state"
    instructors: list[str] = field(default_factory=lambda: ["instructor"])
    students: list[str] = field(default_factory=list)
    exchange: Path = Path("/srv/nbgrader/exchange")
    course_id: str = "aireg-grok-2026"
    service_token: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        e = os.environ.get
        return cls(ip=e("AIREG_HUB_IP", "127.0.0.1"), port=int(e("AIREG_HUB_PORT", "8000")),
                   api_port=int(e("AIREG_HUB_API_PORT", "8081")),
                   proxy_api_port=int(e("AIREG_HUB_PROXY_API_PORT", "8001")),
                   state=Path(e("AIREG_HUB_STATE") or HUB / "state"),
                   instructors=_names(e("AIREG_HUB_INSTRUCTORS", "instructor")),
                   students=_names(e("AIREG_HUB_STUDENTS", "")),
                   exchange=Path(e("AIREG_EXCHANGE") or "/srv/nbgrader/exchange"),
                   course_id=e("AIREG_COURSE_ID", "aireg-grok-2026"),
                   service_token=e("AIREG_HUB_SERVICE_TOKEN", ""))

    @property
    def config(self) -> Path:
        """The per-role Jupyter config layers, committed in ``hub/config`` (world-readable; no secrets in them;
        the Kubernetes image uses the same files)."""
        return CONFIG


def home(user: str) -> Path:
    return Path(pwd.getpwnam(user).pw_dir)


def user_environment(s: Settings, instructor: bool, user: str | None = None) -> dict[str, str]:
    """What a user's server gets: the exchange, the course id, its role's config layer, and for an instructor the
    course (``~/course``)."""
    env = {"AIREG_EXCHANGE": str(s.exchange), "AIREG_COURSE_ID": s.course_id,
           "JUPYTER_CONFIG_PATH": str(s.config / ("instructor" if instructor else "student"))}
    if instructor and user:
        env["AIREG_COURSE"] = str(home(user) / "course")
    return env


def write_config_layers(where: Path = CONFIG) -> None:
    """Jupyter config for each role, in ``JUPYTER_CONFIG_PATH`` (which outranks the environment's settings):
    ``python scripts/hub.py layers`` rewrites ``hub/config`` (a test checks it is current)."""
    import json

    nbgrader = ('import os\n\nc = get_config()  # noqa: F821\n'
                'c.CourseDirectory.course_id = os.environ["AIREG_COURSE_ID"]\n'
                'c.Exchange.root = os.environ["AIREG_EXCHANGE"]\n')
    layers = {
        "student": (dict.fromkeys(INSTRUCTOR_LAB_PLUGINS + STUDENT_OFF_LAB_PLUGINS, True)
                    | dict.fromkeys(STUDENT_HUB_PLUGINS, False),
                    dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS, False)
                    | dict.fromkeys(STUDENT_HUB_SERVER_EXTENSIONS, True), nbgrader),
        "instructor": (dict.fromkeys(INSTRUCTOR_LAB_PLUGINS, False), dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS, True),
                       nbgrader + '# the course\'s own configuration (preprocessors, limits, sandbox)\n'
                       'load_subconfig(os.path.join(os.environ["AIREG_COURSE"], "nbgrader_config.py"))  # noqa: F821\n'
                       'c.CourseDirectory.root = os.environ["AIREG_COURSE"]\n'),
    }
    for role, (plugins, extensions, nbg) in layers.items():
        d = where / role
        (d / "labconfig").mkdir(parents=True, exist_ok=True)
        (d / "labconfig" / "page_config.json").write_text(
            json.dumps({"disabledExtensions": plugins}, indent=2) + "\n")
        (d / "jupyter_server_config.json").write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": extensions}}, indent=2) + "\n")
        (d / "nbgrader_config.py").write_text(nbg)
        for p in [d, *d.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)


def create_accounts(s: Settings) -> None:
    """Create the listed accounts that do not exist, with random passwords (``<state>/accounts.csv``, mode 600)."""
    book = s.state / "accounts.csv"
    known = {}
    if book.exists():
        with book.open() as f:
            known = {r["user"]: r["password"] for r in csv.DictReader(f)}
    for user in [*s.instructors, *s.students]:
        try:
            pwd.getpwnam(user)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", user], check=True)
            known[user] = secrets.token_urlsafe(12)
            subprocess.run(["chpasswd"], input=f"{user}:{known[user]}\n", text=True, check=True)
    with book.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["user", "password"])
        w.writerows(sorted(known.items()))
    book.chmod(0o600)


def blocked_paths() -> list[Path]:
    """Folders on the way to the kit or its Python that other users cannot enter (no ``x`` for others)."""
    blocked = []
    for target in (Path(os.path.realpath(sys.executable)), ROOT / ".venv" / "bin" / "python", ROOT / "widgets"):
        for d in list(target.parents)[::-1]:
            if d.is_dir() and not d.stat().st_mode & stat.S_IXOTH and d not in blocked:
                blocked.append(d)
    return blocked


def setup(s: Settings, accounts: bool = False, grant: bool = False) -> None:
    if os.geteuid() != 0:
        sys.exit("run as root: the hub starts each user's server as that user")
    blocked = blocked_paths()
    if blocked and not grant:
        sys.exit(f"users cannot reach the kit's Python or files through {', '.join(map(str, blocked))}: install the kit "
                 "where every user can read it (e.g. /opt/aireg), or rerun with --grant-access to let other users "
                 "pass through these folders (adds only o+x, no listing)")
    for d in blocked:
        d.chmod(d.stat().st_mode | stat.S_IXOTH)
        print(f"granted other users passage (o+x) through {d}")
    s.state.mkdir(parents=True, exist_ok=True)
    s.state.chmod(0o711)  # users reach their config layer; nobody lists the hub's secrets
    if accounts:
        create_accounts(s)
    # nbgrader's exchange: writable by everyone, sticky (nobody removes another's files); nbgrader itself makes
    # each course's inbound folder write-only for students, so they cannot list each other's submissions
    s.exchange.mkdir(parents=True, exist_ok=True)
    s.exchange.chmod(0o777 | stat.S_ISVTX)
    for user in [*s.instructors, *s.students]:
        h = home(user)
        h.chmod(0o700)  # nobody reads another user's notebooks (Debian's useradd leaves homes world-readable)
    for user in s.instructors:
        course = home(user) / "course"
        if not course.exists():
            course.mkdir()
            for name in COURSE_FILES:
                src = ROOT / "assignments" / name
                if src.is_dir():
                    shutil.copytree(src, course / name)
                elif src.exists():
                    shutil.copy2(src, course / name)
            pw = pwd.getpwnam(user)
            for p in [course, *course.rglob("*")]:
                os.chown(p, pw.pw_uid, pw.pw_gid)
    proxy = HUB / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists():
        sys.exit(f"{proxy} is missing: run `npm ci --prefix hub` (make hub does)")
    print(f"hub ready: {len(s.instructors)} instructor(s), {len(s.students)} student(s); exchange {s.exchange}; "
          f"state {s.state}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["setup", "start", "layers"])
    ap.add_argument("--create-accounts", action="store_true", help="create missing accounts (random passwords)")
    ap.add_argument("--grant-access", action="store_true",
                    help="let users pass (o+x) through folders that block the kit's Python (e.g. /root)")
    args = ap.parse_args(argv)
    s = Settings.from_env()
    if args.action == "layers":
        write_config_layers()
        return 0
    if args.action == "setup":
        setup(s, args.create_accounts, args.grant_access)
        return 0
    cmd = [str(Path(sys.prefix) / "bin" / "jupyterhub"), "-f", str(HUB / "jupyterhub_config.py")]
    os.chdir(s.state)
    os.execv(cmd[0], cmd)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
