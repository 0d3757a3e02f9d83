"""nbgrader configuration for the kit's course (the course root is this folder, wherever it is copied).

Run nbgrader from this folder (``cd assignments``), or use the kit's wrapper ``python -m aireg.grading ...``
(``make release|collect|autograde|feedback|export``), which does. Environment overrides:

- ``AIREG_GRADEBOOK_URL``: any SQLAlchemy URL for the gradebook (default: ``gradebook.db`` in this folder);
- ``AIREG_COURSE_ID``: the course id (default ``aireg-grok-2026``), which must match the exchange's;
- ``AIREG_CELL_TIMEOUT``: seconds a cell may run during autograding (default 30);
- ``AIREG_EXCHANGE``: nbgrader's exchange folder on a shared JupyterHub (default: ``exchange/`` in this folder);
- ``AIREG_KERNEL_LIMITS=0`` turns off the kernel's resource limits (memory, CPU time, file size).
"""

import os
from pathlib import Path

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

c = get_config()  # noqa: F821 (injected by traitlets)

ROOT = Path(__file__).resolve().parent

c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.course_id = os.environ.get("AIREG_COURSE_ID", "aireg-grok-2026")
c.CourseDirectory.db_url = os.environ.get("AIREG_GRADEBOOK_URL", f"sqlite:///{ROOT / 'gradebook.db'}")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".DS_Store", "*.md", "exchange"]  # *.md: jupytext twins
# The exchange (release, fetch, submit, collect, feedback between instructor and students): on a shared hub, the
# hub's exchange folder (AIREG_EXCHANGE, set for every user by the hub's config); on one machine, exchange/ here.
c.Exchange.root = os.environ.get("AIREG_EXCHANGE") or str(ROOT / "exchange")

# Students' notebooks: the grader only runs cells that nbgrader knows; a deleted test cell is put back.
c.OverwriteCells.add_missing_cells = True

# Autograding runs untrusted code: a per-cell timeout, capped output, and a kernel with resource limits.
TIMEOUT = int(os.environ.get("AIREG_CELL_TIMEOUT", "30"))
c.Execute.timeout = TIMEOUT
c.ExecutePreprocessor.timeout = TIMEOUT
c.Execute.interrupt_on_timeout = True
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60
c.Autograde.autograde_preprocessors = [
    "aireg.grading.LimitedExecute",  # nbgrader's Execute, kernel started with resource limits
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "aireg.grading.LimitOutputBytes",
    "aireg.grading.SanitizeStudentContent",  # no student HTML/JavaScript in what Formgrader shows
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Feedback must not reveal hidden tests: neither their source nor their tracebacks and assert messages.
c.GenerateFeedback.preprocessors = [
    GetGrades,
    "aireg.grading.ScrubHiddenTestOutputs",  # needs the hidden block, so it runs before ClearHiddenTests
    ClearHiddenTests,
    "aireg.grading.SanitizeStudentContent",  # no student HTML/JavaScript in the pages students open
    CSSHTMLHeaderPreprocessor,
]
