"""Start JupyterLab on the kit, opening the start-here lesson (what ``make lab`` runs).

Extra arguments go to ``jupyter lab`` (e.g. ``--port 8899 --no-browser``). Works as root too.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = "lessons/00-start-here.ipynb"


def command(extra: list[str]) -> list[str]:
    cmd = [
        sys.executable, "-m", "jupyterlab",
        f"--ServerApp.root_dir={ROOT}",
        f"--LabApp.default_url=/lab/tree/{START}",
    ]
    if not any(a.startswith("--ip") or a.startswith("--ServerApp.ip") for a in extra):
        cmd.append("--ServerApp.ip=127.0.0.1")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd + extra


if __name__ == "__main__":
    cmd = command(sys.argv[1:])
    os.execv(cmd[0], cmd)
