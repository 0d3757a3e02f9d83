"""Prepare a Jupyter environment (this venv, or Binder's) for students or for an instructor.

Student view (``make lab``, ``make test``, Binder's postBuild):
- JupyterLab's news and update toasts off (nothing phones home; nothing covers a projected slide);
- nbgrader's instructor-only tools off (formgrader, create-assignment, course and assignment lists),
  the Validate button kept;
- student (release) versions of the assignments generated with nbgrader and copied to ``student/``,
  never overwriting a notebook a student already has.

Instructor view (``make lab-instructor``): the same settings with every nbgrader tool on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PREFIX = Path(sys.prefix)
SERVER_CONF = PREFIX / "etc" / "jupyter" / "jupyter_server_config.d" / "zz-aireg-student.json"
PAGE_CONF = PREFIX / "etc" / "jupyter" / "labconfig" / "page_config.json"
OVERRIDES = PREFIX / "share" / "jupyter" / "lab" / "settings" / "overrides.json"

INSTRUCTOR_LAB_PLUGINS = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",
]
#: off in the student view: JupyterLab's extension manager reaches for the package index when opened (no use in a
#: class, and a request off the machine at a workshop)
STUDENT_OFF_LAB_PLUGINS = ["@jupyterlab/extensionmanager-extension"]
INSTRUCTOR_SERVER_EXTENSIONS = [
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
]


def _merge_json(path: Path, update) -> None:
    data = json.loads(path.read_text()) if path.exists() else {}
    update(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def lab_settings() -> None:
    def quiet(d: dict) -> None:
        d["@jupyterlab/apputils-extension:notification"] = {"fetchNews": "false", "checkForUpdates": False}

    _merge_json(OVERRIDES, quiet)


def student_extensions(student: bool) -> None:
    def page(d: dict) -> None:
        disabled = d.setdefault("disabledExtensions", {})
        for plugin in INSTRUCTOR_LAB_PLUGINS + STUDENT_OFF_LAB_PLUGINS:
            if student:
                disabled[plugin] = True
            else:
                disabled.pop(plugin, None)

    _merge_json(PAGE_CONF, page)
    if student:
        SERVER_CONF.parent.mkdir(parents=True, exist_ok=True)
        SERVER_CONF.write_text(
            json.dumps({"ServerApp": {"jpserver_extensions": dict.fromkeys(INSTRUCTOR_SERVER_EXTENSIONS, False)}},
                       indent=2) + "\n"
        )
    elif SERVER_CONF.exists():
        SERVER_CONF.unlink()


def student_assignments() -> list[Path]:
    """Generate release versions with nbgrader and copy any new ones to student/."""
    try:
        from aireg import grading
    except ImportError:  # the grading pipeline is optional for a bare lesson checkout
        return []
    return grading.prepare_student_copies()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--student", action="store_true", help="student view (default)")
    mode.add_argument("--instructor", action="store_true", help="instructor view: all nbgrader tools on")
    ap.add_argument("--no-assignments", action="store_true", help="skip generating student assignment copies")
    args = ap.parse_args(argv)
    student = not args.instructor
    lab_settings()
    student_extensions(student)
    made = [] if args.no_assignments else student_assignments()
    view = "student" if student else "instructor"
    print(f"prepared the {view} view in {PREFIX}" + (f"; new student copies: {len(made)}" if made else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
