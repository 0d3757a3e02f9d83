"""Start JupyterLab on the kit (what ``make lab`` and ``make lab-instructor`` run).

Student view (default): opens the start-here lesson. ``--instructor``: opens nbgrader's Formgrader on the course,
with every nbgrader tool on for this server only (a private config layer, so a student server on the same machine
keeps its view), the course's ``nbgrader_config.py`` loaded (the server runs in the course folder, where nbgrader
looks for it) and the course's exchange folder created. The course is ``assignments/``, or ``$AIREG_COURSE``.

Other arguments go to ``jupyter lab`` (e.g. ``--port 8899 --no-browser``). Works as root too.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = "lessons/00-start-here.ipynb"
sys.path.insert(0, str(ROOT / "scripts"))

from prepare import INSTRUCTOR_LAB_PLUGINS, INSTRUCTOR_SERVER_EXTENSIONS  # noqa: E402


def course_root() -> Path:
    return Path(os.environ.get("AIREG_COURSE") or ROOT / "assignments").resolve()


def instructor_config(where: Path) -> Path:
    """A Jupyter config layer that turns nbgrader's instructor tools on (``JUPYTER_CONFIG_PATH``, which outranks
    the environment's student settings written by ``scripts/prepare.py``)."""
    (where / "labconfig").mkdir(parents=True, exist_ok=True)
    page = {"disabledExtensions": dict.fromkeys(INSTRUCTOR_LAB_PLUGINS, False)}
    (where / "labconfig" / "page_config.json").write_text(json.dumps(page, indent=2) + "\n")
    server = {"ServerApp": {"jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS, True)}}
    (where / "jupyter_server_config.json").write_text(json.dumps(server, indent=2) + "\n")
    return where


def command(extra: list[str], instructor: bool = False) -> list[str]:
    course = course_root()
    root = ROOT if course.is_relative_to(ROOT) else course  # Formgrader needs the course inside the server's root
    default = "/formgrader" if instructor else f"/lab/tree/{START}"
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.default_url={default}",
    ]
    if not any(a.startswith("--ip") or a.startswith("--ServerApp.ip") for a in extra):
        cmd.append("--ServerApp.ip=127.0.0.1")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd + extra


def instructor_environment() -> dict[str, str]:
    """The environment of an instructor server: the config layer, and the course's exchange (``$AIREG_EXCHANGE``,
    else ``exchange/`` beside the course, as ``nbgrader_config.py`` sets it)."""
    course = course_root()
    layer = instructor_config(Path(tempfile.mkdtemp(prefix="aireg-instructor-config-")))
    env = dict(os.environ, AIREG_COURSE=str(course))
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(layer), *filter(None, [os.environ.get("JUPYTER_CONFIG_PATH")])])
    exchange = Path(os.environ.get("AIREG_EXCHANGE") or course / "exchange")
    exchange.mkdir(parents=True, exist_ok=True)
    return env


if __name__ == "__main__":
    args = sys.argv[1:]
    instructor = "--instructor" in args
    args = [a for a in args if a != "--instructor"]
    cmd = command(args, instructor)
    if instructor:
        env = instructor_environment()
        os.chdir(course_root())  # nbgrader (Formgrader included) reads nbgrader_config.py from the working folder
        print(f"instructor view: course {course_root()}, opening Formgrader (/formgrader)", flush=True)
        os.execve(cmd[0], cmd, env)
    os.execv(cmd[0], cmd)
