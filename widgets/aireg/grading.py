"""The instructor's grading pipeline around nbgrader, hardened against broken and hostile submissions.

One command per step (``make release|collect ZIP=...|autograde|feedback|export``; or ``python -m aireg.grading``):

- ``release [A]``: ``nbgrader generate_assignment`` for every assignment in ``source/`` (or one);
- ``collect ZIP [--assignment A]``: import an LMS download; Canvas ``<name>_<user>[_<sub>]_<notebook>.ipynb`` and
  Moodle ``<Full Name>_<user>_assignsubmission_file_/<notebook>.ipynb`` are understood (``LMS_LAYOUTS``; another
  LMS: ``$AIREG_COLLECT_REGEXP`` or ``--regexp``); every member is accounted for in ``reports/<A>-collect.csv``;
- ``autograde [A]``: pre-checks every submitted notebook (valid JSON and nbformat, size, expected graded cells),
  rejects the unusable ones with a clear message and a zero, and grades every other student separately in a
  worker process (results over a private, signed channel), each kernel in the per-student sandbox
  (``aireg.sandbox``) with a per-cell timeout, a per-submission deadline and the interpreter guard, so one
  hostile notebook cannot stop or change the others. Writes ``reports/<A>-autograde.csv``;
- ``feedback [A]``: nbgrader's feedback one student at a time, hidden tests removed from cells *and* tracebacks
  (``ScrubHiddenTestOutputs``), student HTML/JavaScript neutralised (``SanitizeStudentContent``); a page that
  would still show a hidden-test line is quarantined for that student only;
- ``export [--to FILE]``: one CSV row per student and assignment (score, status, message).

``prepare_student_copies()`` (run by ``scripts/prepare.py --student``) generates the release versions and copies
each to ``student/<assignment>/`` unless the student already has a copy.

The course root is ``assignments/`` in the repository (``$AIREG_COURSE`` or ``--course`` to use another).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import html
import json
import math
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .offline import inline_cdn_assets

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
EVENT = "@@aireg-grading@@ "
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

#: LMS download layouts (matched against the member's path in the zip). Canvas: ``<name>_[LATE_]<user>_<sub>_<file>``
#: at the top level (``<sub>`` optional); Moodle: ``<Full Name>_<participant>_assignsubmission_file_/<file>``, in
#: folders or flat. ``<name>`` may hold spaces, accents and apostrophes; the user number keeps namesakes apart.
LMS_LAYOUTS = (
    re.compile(r"^(?P<name>[^/]+?)_(?P<user>\d+)_assignsubmission_file_/(?:.*/)?(?P<file>[^/]+)$"),
    re.compile(r"^(?P<name>[^/]+?)_(?P<user>\d+)_assignsubmission_file_(?P<file>[^/]+)$"),
    re.compile(r"^(?P<name>[^/]+?)_(?:LATE_)?(?P<user>\d+)_(?:\d+_)?(?P<file>[^/]+)$"),
)

MAX_NOTEBOOK_MB = float(os.environ.get("AIREG_MAX_NOTEBOOK_MB", "5"))
REPORT_FIELDS = ["assignment", "student_id", "status", "score", "max_score", "seconds", "message"]


class GradingError(RuntimeError):
    """A step of the pipeline failed; the message says what to do."""


def course_root(course: Path | str | None = None) -> Path:
    root = Path(course or os.environ.get("AIREG_COURSE") or REPO / "assignments").resolve()
    if not (root / "nbgrader_config.py").exists():
        raise GradingError(f"{root} is not a course root (no nbgrader_config.py)")
    return root


def assignments(course: Path) -> list[str]:
    return sorted(p.name for p in (course / "source").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"  # nbgrader shells out to alembic and jupyter
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def nbgrader(course: Path, *args: str, check: bool = True, timeout: float | None = 900) -> subprocess.CompletedProcess:
    """Run the nbgrader CLI in the course root (where it finds nbgrader_config.py)."""
    proc = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=_env(), capture_output=True, text=True,
                          timeout=timeout)
    if check and proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        raise GradingError(f"nbgrader {' '.join(args)} failed (exit {proc.returncode}):\n{tail}")
    return proc


# --- kernel limits and nbconvert preprocessors (referenced from nbgrader_config.py) ---------------------------------

def kernel_limits() -> dict[str, int]:
    """Resource limits for the autograding kernel (``resource.setrlimit``), from the environment."""
    mb = 1024 * 1024
    return {
        "RLIMIT_AS": int(os.environ.get("AIREG_KERNEL_MEMORY_MB", "4096")) * mb,  # address space
        "RLIMIT_CPU": int(os.environ.get("AIREG_KERNEL_CPU_SECONDS", "900")),  # a busy loop dies eventually
        "RLIMIT_FSIZE": int(os.environ.get("AIREG_KERNEL_FILE_MB", "200")) * mb,  # no disk-filling files
        "RLIMIT_CORE": 0,
    }


_LIMIT_SNIPPET = """import os, resource, signal, sys
if {sandboxed!r}:  # bwrap ignores the grader's interrupt (inherited); ipykernel sets its own handler
    signal.signal(signal.SIGINT, signal.SIG_IGN)
for procs in {cgroups!r}:  # join the student's cgroups first: everything started from here stays inside
    with open(procs, "w") as f:
        f.write(str(os.getpid()))
for name, value in {limits!r}.items():
    res = getattr(resource, name, None)
    if res is None:
        continue
    soft, hard = resource.getrlimit(res)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(res, (value, value))
os.execvp(sys.argv[1], sys.argv[1:])
"""


#: Run silently in every grading kernel before any student cell: a snapshot of the interpreter, and a check that
#: names what changed since. Checked through ``user_expressions`` on a silent request, which IPython evaluates
#: without AST or input transformers and without ``pre/post_run_cell`` hooks, before each test cell.
_GUARD_SETUP = r"""
def __aireg_make_guard(key):
    # every name the guard uses is local, so a notebook that rebinds a global (``sorted = ...``) cannot change it
    from builtins import any, callable, dict, getattr, hasattr, isinstance, list, sorted, str, vars
    import builtins, hashlib, hmac, math, operator, sys
    import pandas
    import aireg, aireg.checks, aireg.data
    ip = get_ipython()
    user_ns = ip.user_ns
    hooks = ("pre_run_cell", "post_run_cell", "pre_execute", "post_execute")
    def state():
        return {
            "AST transformers": list(ip.ast_transformers),
            "input transformers": list(ip.input_transformers_post) + list(ip.input_transformers_cleanup),
            "event hooks": {h: list(ip.events.callbacks.get(h, [])) for h in hooks},
            "custom exception handlers": ip.custom_exceptions,
            "sys.excepthook": sys.excepthook, "tracing": (sys.gettrace(), sys.getprofile()),
            "the shell's run/traceback methods": [getattr(getattr(ip, m), "__func__", getattr(ip, m)) for m in
                ("run_cell", "run_ast_nodes", "run_code", "showtraceback", "_showtraceback")],
            "the notebook's __builtins__": user_ns.get("__builtins__") in (builtins, vars(builtins)),
        }
    before = state()
    # modules whose public names must not change; the kit's own (what hidden tests import) also their private ones
    public = {"builtins": builtins, "math": math, "operator": operator, "pandas": pandas}
    private = {"aireg": aireg, "aireg.checks": aireg.checks, "aireg.data": aireg.data}
    classes = {"pandas." + c.__name__: c for c in (pandas.DataFrame, pandas.Series, pandas.Index, pandas.Timestamp)}
    spaces = {**public, **private, **classes}
    def names(space, all_):
        return {k: v for k, v in vars(space).items() if not (k.startswith("__") if all_ else k.startswith("_"))}
    kept = {n: names(m, n in private) for n, m in spaces.items()}
    def function(v):
        v = getattr(v, "__func__", v)
        return getattr(v, "__wrapped__", v)
    def code(v):
        v = function(v)
        return (getattr(v, "__code__", None), getattr(v, "__defaults__", None), getattr(v, "__kwdefaults__", None))
    codes = {(n, k): code(v) for n, d in kept.items() if n not in public for k, v in d.items()
             if hasattr(function(v), "__code__")}
    ok_hooks = ("matplotlib_inline", "ipykernel", "IPython", "ipywidgets", "plotly")
    def check(challenge, used=()):
        now, why = state(), []
        for k, value in before.items():
            if k == "event hooks":
                for h in hooks:
                    new = [f for f in now[k][h] if f not in value[h]
                           and not str(getattr(f, "__module__", "")).startswith(ok_hooks)]
                    if new or any(f not in now[k][h] for f in value[h]):
                        why.append(f"{h} hooks")
            elif now[k] != value:
                why.append(k)
        for name in list(public) + list(private):
            if sys.modules.get(name) is not spaces[name]:
                why.append(f"module {name} replaced")
        for name, space in spaces.items():
            why += [f"{name}.{k} replaced" for k, v in sorted(kept[name].items()) if vars(space).get(k, None) is not v]
        why += [f"{n}.{k} rewritten" for (n, k), c in sorted(codes.items()) if code(kept[n][k]) != c]
        # only a callable stand-in can make a test pass that should fail (``max = 3`` just breaks the test)
        why += [f"this test: the notebook rebinds {n}" for n in used
                if n in user_ns and user_ns[n] is not vars(builtins).get(n) and callable(user_ns[n])]
        mac = hmac.new(key, "\x00".join([challenge, *why]).encode(), hashlib.sha256).hexdigest()
        return [mac, *why]
    return check
__aireg_guard__ = __aireg_make_guard(bytes.fromhex("KEY"))
del __aireg_make_guard
"""


def _builtins_used(source: str) -> tuple[str, ...]:
    """The builtins a test cell reads without binding them itself (a notebook could rebind them)."""
    import ast
    import builtins

    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return ()
    loaded, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return tuple(sorted(n for n in loaded - bound if n in vars(builtins) and not n.startswith("_")))


GUARD_MESSAGE = ("The grader did not run this test: an earlier cell changed what the test relies on ({why}). Your "
                 "instructor will review this notebook by hand.")


#: nbgrader's own delimiters (``ClearHiddenTests``: a case-sensitive substring of a line), as they are shown when a
#: student's cell quotes them.
_DEFANGED = {"BEGIN HIDDEN TESTS": "BEGIN-HIDDEN-TESTS (quoted by the student)",
             "END HIDDEN TESTS": "END-HIDDEN-TESTS (quoted by the student)"}
# What student outputs may keep in the pages the grader renders (``SanitizeStudentContent``): bleach's inline tags
# plus static table and block structure, a few attributes and layout-only CSS properties.
_SAFE_TAGS = ["a", "abbr", "acronym", "b", "blockquote", "code", "em", "i", "li", "ol", "strong", "ul", "table",
              "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "div", "span", "p", "br", "small", "sub", "sup",
              "pre", "h1", "h2", "h3", "h4", "h5", "h6", "details", "summary"]
_SAFE_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"], "acronym": ["title"],
                    "*": ["class", "title", "style", "scope", "colspan", "rowspan", "role", "aria-label", "tabindex"]}
_SAFE_STYLES = ["text-align", "vertical-align", "border-collapse", "border", "border-bottom", "border-top",
                "padding", "margin", "color", "font-weight", "font-style", "font-size", "white-space", "overflow-x",
                "max-width"]
_DANGEROUS_LINK = re.compile(r"javascript:|vbscript:|\]\(<?data:|\]:<?data:")


def _fold(text: str, keep_case: bool = False) -> str:
    """Text as a reader sees it, for matching: NFKC, no whitespace, no control, format (zero-width, bidi, tag)
    or combining characters, case-folded unless ``keep_case``."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    kept = "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch)[0] not in "CZM")
    return kept if keep_case else kept.casefold()


def hidden_lines(source: str) -> tuple[list[str], set[int]]:
    """The stripped lines between the hidden-test markers of a cell, and their 1-based line numbers."""
    texts, numbers, inside = [], set(), False
    for i, line in enumerate(source.splitlines(), 1):
        if BEGIN_HIDDEN in line:
            inside = True
        elif END_HIDDEN in line:
            inside = False
        elif inside:
            texts.append(line.strip())
            numbers.add(i)
    return texts, numbers


def _visible(source: str) -> str:
    """A cell's source without its hidden-test block (what the release shows), whitespace-normalised."""
    lines, inside = [], False
    for line in source.splitlines():
        if BEGIN_HIDDEN in line:
            inside = True
        elif END_HIDDEN in line:
            inside = False
        elif not inside:
            lines.append(line.rstrip())
    return "\n".join(lines).strip()


# The nbconvert/nbgrader classes below are named in nbgrader_config.py. They are built on first use
# (module __getattr__), so that importing aireg.grading (e.g. for prepare_student_copies) stays fast.
_LAZY = ("LimitedKernelManager", "LimitedExecute", "LimitOutputBytes", "ScrubHiddenTestOutputs",
         "SanitizeStudentContent")
_CLASSES: dict = {}


def _define_classes() -> dict:
    from jupyter_client.manager import AsyncKernelManager
    from nbconvert.preprocessors import Preprocessor
    from nbformat import from_dict
    from nbgrader.preprocessors import Execute
    from traitlets import Any, Bool, Integer, List, Unicode

    class LimitedKernelManager(AsyncKernelManager):
        """Starts the kernel through a tiny wrapper that lowers its resource limits (POSIX only) and, unless the
        instructor opted out (``AIREG_SANDBOX=off``), inside the per-student sandbox (``aireg.sandbox``): bwrap
        namespaces, a cgroup for the whole student, Unix-socket transport in a private scratch folder."""

        _scratch = None
        _cgroup = None
        _student_cwd = None

        async def _async_pre_start_kernel(self, **kw):
            from . import sandbox

            if os.name == "posix" and sandbox.require():
                cwd = Path(kw.get("cwd") or os.getcwd()).resolve()
                self._scratch = sandbox.make_scratch(cwd)
                run = self._scratch / "run"
                self.transport, self.ip = "ipc", str(run / "kernel")
                self.connection_file = str(run / "kernel.json")
                self._cgroup = sandbox.StudentCgroup(
                    Path(self._scratch).name, sandbox.memory_mb(),
                    int(os.environ.get("AIREG_SANDBOX_PIDS", "128")),
                    float(os.environ.get("AIREG_SANDBOX_CPUS", "1")))
                kw["cwd"], kw["env"] = str(cwd), sandbox.kernel_env()
                self._student_cwd = cwd
            return await super()._async_pre_start_kernel(**kw)

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            if os.name != "posix":
                return cmd
            if self._scratch is not None:
                from . import sandbox

                cmd = sandbox.bwrap_command(cmd, scratch=self._scratch, cwd=self._student_cwd,
                                            course=Path(os.getcwd()))
            cgroups = self._cgroup.procs if self._cgroup else []
            limits = kernel_limits() if os.environ.get("AIREG_KERNEL_LIMITS", "1") != "0" else {}
            return [sys.executable, "-c", _LIMIT_SNIPPET.format(limits=limits, cgroups=cgroups,
                                                                         sandboxed=self._scratch is not None), *cmd]

        async def _async_cleanup_resources(self, restart=False):
            try:
                await super()._async_cleanup_resources(restart=restart)
            finally:
                if not restart:
                    if self._cgroup is not None:
                        self._cgroup.destroy()
                        self._cgroup = None
                    if self._scratch is not None:
                        shutil.rmtree(self._scratch, ignore_errors=True)
                        self._scratch = None


    class LimitedExecute(Execute):
        """nbgrader's Execute with the resource-limited kernel (configured like ``Execute``)."""

        def __init__(self, *args, **kwargs):
            from . import sandbox

            if os.environ.get("AIREG_KERNEL_LIMITS", "1") != "0" or sandbox.wanted():
                kwargs["kernel_manager_class"] = LimitedKernelManager
            super().__init__(*args, **kwargs)
            self._guard_ready, self._tampered, self._noise = False, "", None
            # a name per run, so a notebook cannot simply assign over the guard (it would have to look for it,
            # which the static scan flags)
            self._guard_name = f"__aireg_guard_{secrets.token_hex(8)}__"
            self._guard_key = secrets.token_bytes(32)

        def _silent(self, code: str, expressions: dict | None = None) -> dict:
            msg_id = self.kc.execute(code, silent=True, store_history=False, user_expressions=expressions or {})
            reply = self.wait_for_reply(msg_id)
            return (reply or {}).get("content", {})

        def _guard_check(self, used: tuple[str, ...] = ()) -> tuple[str, str]:
            """What a student changed in the interpreter since the guard was set, and which of the builtins the
            next test ``used`` the notebook rebinds: two texts, "" when nothing. The guard answers a fresh
            challenge with an HMAC under a key only it holds, so a stand-in guard is caught. What differs already
            before any student cell (the kernel's own per-request swaps, e.g. ``input``) is ignored."""
            import ast as ast_

            challenge = secrets.token_hex(16)
            content = self._silent("", {"why": f"{self._guard_name}({challenge!r}, {list(used)!r})"})
            res = content.get("user_expressions", {}).get("why", {})
            if content.get("status") != "ok" or res.get("status") != "ok":
                return "the grader's guard was removed or broken", ""
            try:
                mac, *reasons = [str(r) for r in ast_.literal_eval(res.get("data", {}).get("text/plain", "[]"))]
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                return "the grader's guard was replaced (it returned something unexpected)", ""
            want = hmac.new(self._guard_key, "\x00".join([challenge, *reasons]).encode(), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(mac, want):
                return "the grader's guard was replaced", ""
            shadowed = [r.split(" rebinds ", 1)[1] for r in reasons if r.startswith("this test: ")]
            reasons = [r for r in reasons if not r.startswith("this test: ")]
            if self._noise is None:
                self._noise = set(reasons)
                return "", ""
            tampered = "; ".join(r for r in reasons if r not in self._noise)
            return tampered, (f"the notebook rebinds {', '.join(shadowed)}, which this test uses" if shadowed else "")

        def preprocess_cell(self, cell, resources, index):
            if os.environ.get("AIREG_GUARD", "1") == "0" or self.kc is None:
                return super().preprocess_cell(cell, resources, index)
            if not self._guard_ready:  # before the first student cell runs
                setup = self._silent(_GUARD_SETUP.replace("__aireg_guard__", self._guard_name)
                                     .replace("KEY", self._guard_key.hex()))
                if setup.get("status") != "ok":
                    raise RuntimeError(f"the grader's guard could not be set up: {setup.get('ename')}: "
                                       f"{setup.get('evalue')} (is aireg importable in the grading kernel?)")
                self._noise = None
                self._guard_check()  # the baseline
                self._guard_ready = True
            meta = cell.metadata.get("nbgrader", {}) if isinstance(cell.metadata.get("nbgrader"), dict) else {}
            if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
                tampered, shadowed = self._guard_check(_builtins_used(cell.source))
                self._tampered = self._tampered or tampered
                why = self._tampered or shadowed
                if why:
                    text = GUARD_MESSAGE.format(why=why)
                    cell.outputs = [from_dict({"output_type": "error", "ename": "GraderGuard", "evalue": text,
                                               "traceback": [f"GraderGuard: {text}"]})]
                    cell.execution_count = None
                    return cell, self.resources
            return super().preprocess_cell(cell, resources, index)


    class LimitOutputBytes(Preprocessor):
        """Truncate any single output larger than ``max_bytes`` (nbgrader's LimitOutput counts lines, not bytes)."""

        enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)
        max_bytes = Integer(100_000, help="largest output kept, in characters").tag(config=True)

        def _cut(self, text):
            if isinstance(text, list):
                text = "".join(text)
            if len(text) <= self.max_bytes:
                return text
            return text[: self.max_bytes] + f"\n... output truncated by the grader ({len(text):,} characters) ..."

        def preprocess_cell(self, cell, resources, index):
            for out in cell.get("outputs", []):
                if "text" in out:
                    out["text"] = self._cut(out["text"])
                if out.get("output_type") == "error":
                    out["evalue"] = self._cut(out.get("evalue", ""))
                    total = sum(len(x) for x in out.get("traceback", []))
                    if total > self.max_bytes:
                        out["traceback"] = [self._cut("\n".join(out["traceback"]))]
                for mime, value in list(out.get("data", {}).items()):
                    size = len(value) if isinstance(value, str) else len(json.dumps(value))
                    if size > self.max_bytes:
                        del out["data"][mime]
                        out["data"].setdefault("text/plain", f"[{mime} output of {size:,} characters removed by the grader]")
            return cell, resources


    class ScrubHiddenTestOutputs(Preprocessor):
        """Feedback: remove hidden tests from outputs (tracebacks, assert messages, prints) of test cells.

        nbgrader's ``ClearHiddenTests`` removes them from the cell source only; a failing hidden assert still shows
        its line in the traceback (nbgrader issues #917, #1363). Run this before ``ClearHiddenTests``.
        """

        enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)
        message = Unicode(
            "A hidden test failed. Hidden tests call your function on other data and edge cases: check that it works "
            "for any input described in the question, not only for the examples above.",
            help="what the student sees instead of a hidden test's traceback",
        ).tag(config=True)

        def preprocess_cell(self, cell, resources, index):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            written_by_student = not meta.get("grade") or meta.get("solution")  # test cells come from the master
            if written_by_student and any(m in cell.source for m in _DEFANGED):
                # a student quoting the markers: nbgrader's ClearHiddenTests would stop on it (nested markers)
                for marker, quoted in _DEFANGED.items():
                    cell.source = cell.source.replace(marker, quoted)
                return cell, resources
            if cell.cell_type != "code" or BEGIN_HIDDEN not in cell.source:
                return cell, resources
            lines, numbers = hidden_lines(cell.source)
            visible = {x.strip() for x in _visible(cell.source).splitlines()}
            hidden = [s for s in lines if len(s) >= 6 and s not in visible]

            def leaks(text: str) -> bool:
                return any(s in text for s in hidden)

            outputs = []
            for out in cell.get("outputs", []):
                kind = out.get("output_type")
                if kind == "error":
                    tb = ANSI.sub("", "\n".join(out.get("traceback", [])))
                    at = re.search(r"(?:Cell In\s*\[\d*\]|<ipython-input-[^>]*>|line) ?,? line (\d+)", tb)
                    arrow = re.findall(r"^-+> ?(\d+)", tb, flags=re.M)
                    lineno = {int(n) for n in arrow} | ({int(at.group(1))} if at else set())
                    if lineno & numbers or leaks(str(out.get("evalue", ""))):
                        out = {"output_type": "error", "ename": "HiddenTestFailed", "evalue": self.message,
                               "traceback": [f"HiddenTestFailed: {self.message}"]}
                    else:  # a visible test failed: IPython's context lines may still show hidden ones
                        out["traceback"] = ["\n".join(x for x in entry.split("\n") if not leaks(ANSI.sub("", x))
                                                      and BEGIN_HIDDEN not in x and END_HIDDEN not in x)
                                            for entry in out.get("traceback", [])]
                elif kind == "stream":
                    out["text"] = "\n".join(x for x in "".join(out.get("text", "")).split("\n") if not leaks(x))
                else:
                    data = out.get("data", {})
                    if any(leaks(v if isinstance(v, str) else "".join(v)) for v in data.values()
                           if isinstance(v, (str, list))):
                        continue
                outputs.append(out)
            cell.outputs = [from_dict(o) for o in outputs]
            return cell, resources

    from nbconvert.preprocessors.sanitize import SanitizeHTML

    class SanitizeStudentContent(SanitizeHTML):
        """Neutralise student HTML and JavaScript in what the instructor (Formgrader) and students (feedback) open.

        nbconvert's ``SanitizeHTML`` (bleach): every code cell's rich outputs (HTML and Markdown escaped by bleach's
        allow-list; JavaScript, SVG, widget and other active types removed, a plain-text note left) and every
        markdown or raw cell the student could write (all but locked instructor cells, which nbgrader restores
        from the master copy). Markdown links or images to ``javascript:``, ``vbscript:`` or ``data:`` URLs,
        which are Markdown rather than HTML and so pass bleach, turn the cell into plain text.
        """

        enabled = Bool(True, help="nbconvert preprocessors are off unless enabled").tag(config=True)
        # Tables stay tables (issue 15): bleach's default allow-list escapes <table>, so a feedback page showed a
        # student's DataFrame as raw markup. Static structure and a few layout properties only: no scripts, no
        # event handlers, no positioning, no URLs in CSS; links keep bleach's http(s)/mailto check.
        tags = List(Unicode(), default_value=_SAFE_TAGS).tag(config=True)
        attributes = Any(default_value=_SAFE_ATTRIBUTES).tag(config=True)
        styles = List(Unicode(), default_value=_SAFE_STYLES).tag(config=True)

        def preprocess_cell(self, cell, resources, index):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.cell_type in ("markdown", "raw"):
                if meta.get("locked") and not meta.get("solution"):
                    return cell, resources
                cell.source = self.sanitize_html_tags(cell.source)
                if _DANGEROUS_LINK.search(_fold(html.unescape(cell.source), keep_case=False)):
                    fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", cell.source)), default=0))
                    cell.source = f"{fence}text\n{html.unescape(cell.source)}\n{fence}"
                return cell, resources
            if cell.cell_type == "code":
                for out in cell.get("outputs", []):
                    if out.get("output_type") in ("display_data", "execute_result"):
                        before = set(out.get("data", {}))
                        self.sanitize_code_outputs([out])
                        if before - set(out.get("data", {})) and "text/plain" not in out["data"]:
                            out["data"]["text/plain"] = "[an interactive output was removed by the grader]"
            return cell, resources

    classes = {"LimitedKernelManager": LimitedKernelManager, "LimitedExecute": LimitedExecute,
               "LimitOutputBytes": LimitOutputBytes, "ScrubHiddenTestOutputs": ScrubHiddenTestOutputs,
               "SanitizeStudentContent": SanitizeStudentContent}
    for name, cls in classes.items():
        cls.__qualname__ = name
    return classes


def __getattr__(name: str):
    if name in _LAZY:
        if not _CLASSES:
            _CLASSES.update(_define_classes())
        return _CLASSES[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- release and the student copies --------------------------------------------------------------------------------

def _newest(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)


def release(course: Path | None = None, assignment: str | None = None, force: bool = True) -> list[str]:
    """Generate the student (release) version of one or every assignment; returns the assignments generated."""
    course = course_root(course)
    todo = [assignment] if assignment else assignments(course)
    for a in todo:
        if not (course / "source" / a).is_dir():
            raise GradingError(f"no assignment {a!r} in {course / 'source'} (have: {', '.join(assignments(course))})")
        args = ["generate_assignment", a] + (["--force"] if force else [])
        nbgrader(course, *args)
    return todo


def stale_releases(course: Path) -> list[str]:
    """Assignments whose release is missing or older than their source."""
    out = []
    for a in assignments(course):
        rel = course / "release" / a
        if not rel.is_dir() or _newest(course / "source" / a) > _newest(rel):
            out.append(a)
    return out


def prepare_student_copies(course: Path | None = None, student_dir: Path | None = None) -> list[Path]:
    """Release every assignment (only if its source changed) and copy new ones to ``student/<assignment>/``.

    A student's existing notebook is never overwritten. Returns the notebooks copied this time.
    """
    course = course_root(course)
    student_dir = Path(student_dir or REPO / "student")
    for a in stale_releases(course):
        try:
            release(course, a)
        except (GradingError, subprocess.TimeoutExpired) as exc:
            print(f"warning: could not generate the student version of {a}: {exc}", file=sys.stderr)
    made = []
    for rel in sorted(p for p in (course / "release").glob("*") if p.is_dir()):
        for src in sorted(p for p in rel.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts):
            dst = student_dir / rel.name / src.relative_to(rel)
            if dst.exists():
                continue
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
            if dst.suffix == ".ipynb":
                made.append(dst)
    return made


# --- collect ---------------------------------------------------------------------------------------------------------

COLLECT_FIELDS = ["member", "status", "student_id", "lms_name", "lms_user", "notebook", "reason"]


def student_slug(name: str) -> str:
    """An nbgrader student id from an LMS name: ASCII letters and digits joined by ``-`` (``Zoë O'Brien`` ->
    ``zoe-obrien``); never starts with ``-``."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    ascii_ = re.sub(r"['’`]", "", ascii_)
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")


def _notebook_key(file: str) -> str:
    """A submitted file name reduced for matching: no folders, case, ``(1)`` browser copies or ``-1`` resubmission
    suffixes, spaces or underscores (``A1 Responses (1).IPYNB`` -> ``a1-responses``)."""
    stem = re.sub(r"(?i)\.ipynb$", "", file.rsplit("/", 1)[-1]).strip()
    stem = re.sub(r"\s*\(\d+\)$", "", stem)
    stem = re.sub(r"-\d+$", "", stem)
    return re.sub(r"[\s_]+", "-", stem).lower()


def _resubmission(file: str) -> int:
    m = re.search(r"(?:-(\d+)|\((\d+)\))\s*(?i:\.ipynb)$", file)
    return int(m.group(1) or m.group(2)) if m else 0


def _parse_member(member: str, regexp: str | None) -> tuple[str, str, str] | None:
    """(LMS name, user number or "", file) from a member path, or None if no layout fits."""
    if regexp:
        m = re.match(regexp, "/" + member)
        if not m:
            return None
        d = m.groupdict()
        return d["student_id"], d.get("user") or "", d["file_id"]
    for layout in LMS_LAYOUTS:
        m = layout.match(member)
        if m:
            return m["name"], m["user"], m["file"]
    return None


def collect(zip_path: Path | str, course: Path | None = None, assignment: str | None = None,
            regexp: str | None = None) -> list[str]:
    """Import an LMS download (zip) of submissions into ``submitted/<student>/<assignment>/``.

    Identity comes from the LMS's structure (name and user number), never from a file's name: a file named after
    another student stays its uploader's. Namesakes (same name, different user number) get ``<name>-<number>``;
    the mapping is kept in ``downloaded/identities.csv`` so a student keeps one id across downloads. Of several
    files for one notebook, the highest resubmission number (``-2``, ``(2)``), then the newest, wins. Only
    notebooks are read: nested zips are never opened, and sizes are checked before anything is decompressed.
    ``reports/<assignment>-collect.csv`` lists every member: taken, superseded, skipped (with why) or in conflict.
    Returns the student ids now submitted for the assignment.
    """
    import zipfile

    course = course_root(course)
    zip_path = Path(zip_path).resolve()
    if not zip_path.is_file():
        raise GradingError(f"no such file: {zip_path} (usage: make collect ZIP=path/to/download.zip "
                           "[ASSIGNMENT=a1-responses])")
    try:
        zf = zipfile.ZipFile(zip_path)
        infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise GradingError(f"{zip_path.name} is not a zip file: {exc}") from exc
    if assignment is None:
        names = " ".join(i.filename.lower() for i in infos)
        found = [a for a in assignments(course) if a.lower() in names]
        if len(found) != 1:
            raise GradingError(f"cannot tell which assignment {zip_path.name} holds (found {found or 'none'}); "
                               "name it: make collect ZIP=... ASSIGNMENT=a1-responses")
        assignment = found[0]
    if assignment not in assignments(course):
        raise GradingError(f"no assignment {assignment!r}; the course has {', '.join(assignments(course))}")
    notebooks = {_notebook_key(n): n for n in expected_cells(course, assignment)}
    regexp = regexp or os.environ.get("AIREG_COLLECT_REGEXP") or None
    cap = int(10 * MAX_NOTEBOOK_MB * 1e6)

    ids_file = course / "downloaded" / "identities.csv"
    known: dict[tuple[str, str], str] = {}
    if ids_file.is_file():
        with ids_file.open(newline="", encoding="utf-8") as f:
            known = {(r["lms_name"], r["lms_user"]): r["student_id"] for r in csv.DictReader(f)}
    parsed = {i.filename: _parse_member(i.filename, regexp) for i in infos}
    users_by_slug: dict[str, set[str]] = {}
    for name, user in known:
        users_by_slug.setdefault(student_slug(name), set()).add(user)
    for got in parsed.values():
        if got:
            users_by_slug.setdefault(student_slug(got[0]), set()).add(got[1])

    def identity(name: str, user: str) -> str:
        if (name, user) in known:
            return known[(name, user)]
        slug = student_slug(name) or f"student-{user or 'unknown'}"
        sid = slug if len(users_by_slug.get(student_slug(name), set())) <= 1 else f"{slug}-{user}"
        taken = set(known.values())
        n = 2
        while sid in taken:  # never reuse another identity's id
            sid, n = f"{slug}-{user}-{n}" if user else f"{slug}-{n}", n + 1
        known[(name, user)] = sid
        return sid

    rows: list[dict] = []
    candidates: dict[tuple[str, str], list[tuple]] = {}
    for info in infos:
        member = info.filename
        row = {"member": member, "status": "skipped", "student_id": "", "lms_name": "", "lms_user": "",
               "notebook": "", "reason": ""}
        rows.append(row)
        got = parsed[member]
        if not member.lower().endswith(".ipynb"):
            kind = "a zip inside the download is never opened" if member.lower().endswith(".zip") else \
                "not a notebook"
            row["reason"] = f"{kind}; ask the student to upload the .ipynb file itself"
            if got:
                row.update(student_id=identity(got[0], got[1]), lms_name=got[0], lms_user=got[1])
            continue
        if not got:
            row["reason"] = "the path fits no LMS layout (see assignments/README.md, LMS file names)"
            continue
        name, user, file = got
        sid = identity(name, user)
        row.update(student_id=sid, lms_name=name, lms_user=user)
        key = _notebook_key(file)
        nb = notebooks.get(key) or (next(iter(notebooks.values())) if len(notebooks) == 1 else None)
        if nb is None:
            row["reason"] = f"not one of this assignment's notebooks ({', '.join(notebooks.values())})"
            continue
        if info.file_size > cap:
            row["reason"] = f"{info.file_size / 1e6:.0f} MB uncompressed (limit {cap / 1e6:.0f} MB); not opened"
            continue
        row["notebook"] = nb
        if key not in notebooks:
            row["reason"] = f"file name {file!r} differs from {nb!r}; taken as the assignment's only notebook"
        candidates.setdefault((sid, nb), []).append((_resubmission(file), info.date_time, info, row))

    submitted: list[str] = []
    for (sid, nb), group in sorted(candidates.items()):
        group.sort(key=lambda g: (g[0], g[1]), reverse=True)
        best = group[0]
        ties = [g for g in group[1:] if (g[0], g[1]) == (best[0], best[1])]
        contents = {}
        for g in [best, *ties]:
            try:
                with zf.open(g[2]) as f:
                    data = f.read(cap + 1)
                if len(data) > cap:
                    raise ValueError("larger than its header says")
                contents[g[2].filename] = data
            except Exception as exc:  # noqa: BLE001 - a damaged member is reported, the others go on
                g[3].update(status="skipped", reason=f"could not be read from the zip ({type(exc).__name__})")
        if ties and len(set(contents.values())) > 1:
            for g in [best, *ties]:
                g[3].update(status="conflict", reason="same resubmission number and time as another file with "
                            f"different content; copy the right one to submitted/{sid}/{assignment}/{nb}")
            continue
        if best[2].filename not in contents:
            continue
        dest = course / "submitted" / sid / assignment / nb
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(contents[best[2].filename])
        best[3]["status"] = "taken"
        for g in group[1:]:
            if g[3]["status"] == "skipped" and g[3]["reason"].startswith("could not"):
                continue
            g[3].update(status="superseded", reason=f"an earlier submission; {best[2].filename} was taken")
        submitted.append(sid)

    archive = course / "downloaded" / assignment / "archive"
    archive.mkdir(parents=True, exist_ok=True)
    shutil.copy2(zip_path, archive / zip_path.name)
    with ids_file.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student_id", "lms_name", "lms_user"])
        w.writerows(sorted([sid, name, user] for (name, user), sid in known.items()))
    report = course / "reports" / f"{assignment}-collect.csv"
    report.parent.mkdir(parents=True, exist_ok=True)
    with report.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLLECT_FIELDS)
        w.writeheader()
        w.writerows({k: spreadsheet_safe(v) for k, v in r.items()} for r in rows)
    counts = {st: sum(r["status"] == st for r in rows) for st in ("taken", "superseded", "skipped", "conflict")}
    print(f"collected {assignment} from {zip_path.name}: {len(rows)} file(s): "
          + ", ".join(f"{n} {st}" for st, n in counts.items()) + f"; report: {report}")
    for r in rows:
        if r["status"] in ("skipped", "conflict"):
            print(f"  {r['status']:<9} {r['member']}: {r['reason']}")
    return sorted(p.parent.name for p in (course / "submitted").glob(f"*/{assignment}"))


# --- pre-checks --------------------------------------------------------------------------------------------------------

@dataclass
class Check:
    ok: bool = True
    messages: list[str] = field(default_factory=list)

    def reject(self, msg: str) -> Check:
        self.ok = False
        self.messages.append(msg)
        return self


def ensure_released(course: Path, assignment: str) -> None:
    """Generate the release (and the gradebook's master copy) if missing, stale, or not in the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    if assignment in stale_releases(course):
        release(course, assignment)
        return
    with Gradebook(*_db(course)) as gb:
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            known = False
        else:
            known = True
    if not known:
        release(course, assignment)


def expected_cells(course: Path, assignment: str) -> dict[str, dict[str, str]]:
    """For each release notebook: grade_id -> source of its nbgrader cells (what a submission must contain)."""
    import nbformat

    ensure_released(course, assignment)
    rel = course / "release" / assignment
    out = {}
    for nb_path in sorted(rel.glob("*.ipynb")):
        nb = nbformat.read(nb_path, as_version=4)
        out[nb_path.name] = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
                             if "grade_id" in c.metadata.get("nbgrader", {})}
    return out


#: What a notebook for these assignments never needs, and code aimed at the grader uses: calls, imports, special
#: methods that make an answer compare equal to anything, and grader internals.
_SUSPECT_CALLS = frozenset({"exec", "eval", "compile", "__import__", "globals", "locals", "vars", "setattr",
                            "delattr", "breakpoint"})
_SUSPECT_IMPORTS = frozenset({"builtins", "ctypes", "gc", "importlib", "inspect", "sys", "ast", "IPython",
                              "ipykernel", "types", "marshal", "signal", "subprocess", "os", "threading",
                              "multiprocessing", "asyncio", "atexit", "code", "codeop", "dis", "traitlets"})
_SUSPECT_METHODS = frozenset({"__eq__", "__ne__", "__bool__", "__hash__", "__getattr__", "__getattribute__",
                              "__instancecheck__", "__subclasscheck__", "__index__", "__float__", "__int__",
                              "__class_getitem__", "__init_subclass__", "__set_name__", "__del__"})
_HARMLESS_DUNDERS = frozenset({"__name__", "__doc__", "__init__", "__repr__", "__str__", "__len__", "__version__"})
_HARMLESS_MAGICS = frozenset({"matplotlib", "time", "timeit", "who", "whos", "pwd", "precision"})


def tamper_signs(nb) -> list[str]:
    """Where the student-written cells of notebook ``nb`` (``nbformat`` node) use what only code aimed at the
    grader needs (``exec``, ``globals()``, ``import gc``, ``__code__``, a class redefining ``__eq__``, magics and
    shell commands, the grader's own names): "what (cell N, line L)" texts, for review by hand.

    A static scan of the source as submitted, outside the kernel, so nothing the notebook runs can hide it; it
    complements the interpreter guard, which sees what the code did. It flags, it does not score.
    """
    import ast

    from IPython.core.inputtransformer2 import TransformerManager

    found: list[str] = []

    def flag(what: str, i: int, node) -> None:
        found.append(f"{what} (cell {i + 1}, line {getattr(node, 'lineno', '?')})")

    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader") if isinstance(cell.metadata.get("nbgrader"), dict) else {}
        if cell.cell_type != "code" or (meta.get("locked") and not meta.get("solution")):
            continue  # text, or a locked cell the grader restores from its master copy
        source = cell.source if isinstance(cell.source, str) else ""
        if "aireg_guard" in source or "__aireg" in source:
            found.append(f"the grader's internal names (cell {i + 1})")
        try:
            tree = ast.parse(TransformerManager().transform_cell(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue  # the kernel reports it; nothing it cannot parse can run
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                fn = node.func
                name = fn.id if isinstance(fn, ast.Name) else None
                if name in _SUSPECT_CALLS:
                    flag(f"{name}()", i, node)
                elif name in ("getattr", "hasattr") and len(node.args) > 1 and not (
                        isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
                        and not node.args[1].value.startswith("__")):
                    flag(f"{name}() with a computed or special name", i, node)
                elif isinstance(fn, ast.Attribute) and fn.attr in ("run_line_magic", "run_cell_magic", "system",
                                                                    "getoutput"):
                    magic = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
                    if fn.attr in ("system", "getoutput") or magic not in _HARMLESS_MAGICS:
                        flag(f"the magic or shell command {magic or fn.attr!s}", i, node)
            elif isinstance(node, ast.Attribute):
                if node.attr.startswith("__") and node.attr.endswith("__") and node.attr not in _HARMLESS_DUNDERS:
                    flag(node.attr, i, node)
                elif isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) and \
                        node.value.func.id == "get_ipython" and node.attr not in ("run_line_magic", "run_cell_magic"):
                    flag(f"get_ipython().{node.attr}", i, node)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for mod in mods:
                    if mod.split(".")[0] in _SUSPECT_IMPORTS and mod != "IPython.display":
                        flag(f"import {mod}", i, node)
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in _SUSPECT_METHODS:
                        flag(f"a class redefining {item.name}", i, item)
                    elif isinstance(item, ast.Assign) and any(isinstance(t, ast.Name) and t.id in _SUSPECT_METHODS
                                                              for t in item.targets):
                        flag("a class redefining " + next(t.id for t in item.targets if isinstance(t, ast.Name)),
                             i, item)
            elif isinstance(node, ast.Name) and node.id.startswith("__") and node.id.endswith("__") and \
                    node.id not in _HARMLESS_DUNDERS and node.id not in _SUSPECT_CALLS:
                flag(node.id, i, node)
    return list(dict.fromkeys(found))


def tamper_note(path: Path) -> str:
    """The "REVIEW BY HAND" note for :func:`tamper_signs` of the notebook at ``path``, or ""."""
    import nbformat

    signs = tamper_signs(nbformat.read(str(path), as_version=4))
    if not signs:
        return ""
    more = f" and {len(signs) - 6} more" if len(signs) > 6 else ""
    return f"REVIEW BY HAND: code that can change how the grader works: {', '.join(signs[:6])}{more}"


def precheck(path: Path, expected: dict[str, str], keep_original: Path | None = None) -> Check:
    """Check one submitted notebook before grading; may strip its (huge) outputs, keeping the original.

    Rejected: not found, far too large, not valid JSON, not a valid notebook, none of the assignment's cells.
    Graded with a note: huge outputs (removed), deleted or duplicated or edited nbgrader cells (the grader
    restores the master copy of every test cell; a deleted answer scores zero).
    """
    import nbformat

    check = Check()
    if not path.is_file():
        return check.reject(f"{path.name}: not submitted")
    size_mb = path.stat().st_size / 1e6
    if size_mb > 10 * MAX_NOTEBOOK_MB:
        return check.reject(f"{path.name}: the file is {size_mb:.0f} MB (limit {MAX_NOTEBOOK_MB:g} MB); clear the "
                            "outputs (Edit > Clear Outputs of All Cells), save and resubmit")
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return check.reject(f"{path.name}: not a text file (is it a notebook?)")
    except json.JSONDecodeError as exc:
        return check.reject(f"{path.name}: not valid JSON (line {exc.lineno}, column {exc.colno}): the file is "
                            "damaged; reopen your notebook in Jupyter, save it and resubmit")
    try:
        nb = nbformat.reads(json.dumps(data), as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several types
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return check.reject(f"{path.name}: not a valid Jupyter notebook ({first[:200]})")
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    present = [i for i in ids if i in expected]
    if not present:
        return check.reject(f"{path.name}: none of the assignment's cells were found (wrong file, or the work "
                            "was copied into a new notebook); submit the notebook you were given")
    missing = [i for i in expected if i not in present]
    dups = sorted({i for i in present if present.count(i) > 1})
    if missing:
        check.messages.append(f"cells missing: {', '.join(missing)} (test cells were restored from the master "
                              "copy; missing answers score zero)")
    if dups:
        check.messages.append(f"cells copied: {', '.join(dups)} (only the first copy is graded)")
    edited = sorted({c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                     if c.metadata.get("nbgrader", {}).get("locked") and c.metadata["nbgrader"].get("grade_id")
                     in expected and _visible(c.source) != _visible(expected[c.metadata["nbgrader"]["grade_id"]])})
    if edited:
        check.messages.append(f"read-only cells edited: {', '.join(edited)} (the originals were used for grading)")
    if size_mb > MAX_NOTEBOOK_MB:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        text = nbformat.writes(nb)
        if len(text) / 1e6 > MAX_NOTEBOOK_MB:
            return check.reject(f"{path.name}: {len(text) / 1e6:.0f} MB even without outputs (limit "
                                f"{MAX_NOTEBOOK_MB:g} MB)")
        if keep_original is not None:
            keep_original.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, keep_original)
        path.write_text(text, encoding="utf-8")
        check.messages.append(f"outputs removed before grading (the file was {size_mb:.1f} MB; the grader reruns "
                              "every cell anyway)")
    return check


# --- autograde -----------------------------------------------------------------------------------------------------

def _event_line(key: bytes, body: dict) -> bytes:
    """One signed progress event: ``EVENT <json> <hmac>\n``, short enough for one atomic pipe write."""
    body = dict(body)
    for cut in (2000, 500, 100, 0):
        if "error" in body:
            body["error"] = str(body["error"])[-cut:] if cut else ""
        data = json.dumps(body, sort_keys=True)
        mac = hmac.new(key, data.encode(), hashlib.sha256).hexdigest()
        line = f"{EVENT}{data} {mac}\n".encode()
        if len(line) < 4000:  # PIPE_BUF is at least 4096 on Linux: the write cannot interleave with another
            return line
    raise GradingError("event too large")


def _parse_event(line: bytes, key: bytes) -> dict | None:
    """The event in one line from a worker, or None if the line is not a well-formed event signed with ``key``.

    Only the last marker counts, so bytes written into the pipe before a genuine event cannot corrupt it.
    """
    text = line.decode("utf-8", errors="replace").rstrip("\n")
    at = text.rfind(EVENT)
    if at < 0:
        return None
    data, _, mac = text[at + len(EVENT):].rpartition(" ")
    want = hmac.new(key, data.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(mac.encode(), want.encode()):
        return None
    try:
        ev = json.loads(data)
    except ValueError:
        return None
    if not isinstance(ev, dict) or not isinstance(ev.get("student"), str):
        return None
    if ev.get("event") == "start" and set(ev) == {"event", "student"}:
        return ev
    if (ev.get("event") == "done" and set(ev) == {"event", "student", "ok", "seconds", "error"}
            and isinstance(ev["ok"], bool) and isinstance(ev["error"], str)
            and isinstance(ev["seconds"], (int, float)) and math.isfinite(ev["seconds"]) and ev["seconds"] >= 0):
        return ev
    return None


def _worker(course: Path, events_fd: int) -> int:
    """Grade students one by one in this process with nbgrader's API, reporting signed events on ``events_fd``.

    The job (assignment, student ids, event key) arrives as JSON on stdin, never on the command line, so a student
    id such as ``-h`` is only data. The event pipe is made non-inheritable and the worker's own stdout goes to the
    log, so a kernel (a child of this process) neither inherits the channel nor reaches the parent by printing.
    """
    job = json.loads(sys.stdin.read())
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # the job pipe is closed before any kernel starts
    os.close(devnull)
    os.set_inheritable(events_fd, False)
    os.dup2(2, 1)  # whatever a kernel prints goes to the worker log
    key = bytes.fromhex(job["key"])
    assignment, students = str(job["assignment"]), [str(s) for s in job["students"]]

    def send(body: dict) -> None:
        os.write(events_fd, _event_line(key, body))

    os.chdir(course)
    api = _nbgrader_api(course)
    for student in students:
        send({"event": "start", "student": student})
        t0 = time.perf_counter()
        try:
            result = api.autograde(assignment, student, force=True, create=True)
            ok, err = bool(result.get("success")), (result.get("error") or "")
            log = result.get("log") or ""
        except Exception as exc:  # keep grading the others
            ok, err, log = False, f"{type(exc).__name__}: {exc}", ""
        if not ok:
            errors = [ln.split("ERROR]", 1)[1].strip() for ln in log.splitlines() if "ERROR]" in ln]
            errors = [e for e in errors if not e.startswith(("There was an error", "Please see"))]
            err = errors[0] if errors else (str(err).strip().splitlines() or ["unknown error"])[-1]
        send({"event": "done", "student": student, "ok": ok, "seconds": time.perf_counter() - t0,
              "error": err if not ok else ""})
    return 0


def _kill_tree(proc: subprocess.Popen) -> None:
    try:
        import psutil

        kids = psutil.Process(proc.pid).children(recursive=True)
    except Exception:
        kids = []
    for p in kids:
        try:
            p.kill()
        except Exception:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        proc.kill()
    proc.wait()


def _run_workers(course: Path, assignment: str, students: list[str], deadline: float) -> dict[str, dict]:
    """Grade in a worker process; a worker that hangs past ``deadline`` s per student or dies is replaced.

    Results come back over a private pipe as signed events (see ``_worker``); anything else in that pipe, an event
    out of order or for a student this worker was not given is logged and ignored.
    """
    results: dict[str, dict] = {}
    todo = list(students)
    errlog = course / "reports" / f"{assignment}-worker.log"
    errlog.parent.mkdir(exist_ok=True)
    while todo:
        key = secrets.token_bytes(32)
        read_fd, write_fd = os.pipe()
        cmd = [sys.executable, "-m", "aireg.grading", "--course", str(course), "_worker",
               "--events-fd", str(write_fd)]
        with errlog.open("a") as err:
            proc = subprocess.Popen(cmd, cwd=course, env=_env(), stdin=subprocess.PIPE, stdout=err, stderr=err,
                                    pass_fds=(write_fd,), start_new_session=True)
        os.close(write_fd)
        try:
            proc.stdin.write(json.dumps({"assignment": assignment, "students": todo, "key": key.hex()}).encode())
            proc.stdin.close()
        except OSError:
            pass  # the worker died at once: handled below as "failed to start"
        lines: queue.Queue = queue.Queue()

        def pump(fd=read_fd, q=lines) -> None:
            with os.fdopen(fd, "rb") as stream:
                while True:
                    line = stream.readline(1 << 16)
                    if not line:
                        break
                    q.put(line)
            q.put(None)

        threading.Thread(target=pump, daemon=True).start()
        current, started, seen, ignored = None, time.monotonic(), 0, 0
        pending = iter(todo)
        expect = next(pending, None)
        while True:
            try:
                line = lines.get(timeout=1.0)
            except queue.Empty:
                if current and time.monotonic() - started > deadline:
                    _kill_tree(proc)
                    results[current] = {"ok": False, "seconds": time.monotonic() - started, "status": "timeout",
                                        "error": f"grading took longer than {deadline:.0f} s and was stopped"}
                    break
                continue
            if line is None:  # the worker exited
                proc.wait()
                if not seen:  # it could not even start: nothing will change by retrying
                    for s in todo:
                        results[s] = {"ok": False, "seconds": 0.0, "status": "error",
                                      "error": f"the grading process failed to start (exit {proc.returncode}); "
                                               f"see {errlog}"}
                elif current and proc.returncode == 0:  # the worker finished but this result never arrived intact
                    results[current] = {"ok": False, "seconds": time.monotonic() - started, "status": "error",
                                        "error": "the grader's result for this notebook was unreadable"}
                elif current:
                    results[current] = {"ok": False, "seconds": time.monotonic() - started, "status": "crashed",
                                        "error": f"the grading process died (exit {proc.returncode}) while running "
                                                 "this notebook"}
                break
            ev = _parse_event(line, key)
            if ev is not None and ev["event"] == "start" and current is not None and ev["student"] == expect:
                # the previous student's result was lost (its own kernel garbled the pipe): that student alone fails
                results[current] = {"ok": False, "seconds": time.monotonic() - started, "status": "error",
                                    "error": "the grader's result for this notebook was unreadable"}
                current = None
            if ev is None or (ev["event"] == "start" and (current is not None or ev["student"] != expect)) or \
                    (ev["event"] == "done" and ev["student"] != current):
                ignored += 1
                with errlog.open("a") as err:
                    err.write(f"ignored a line on the result channel: {line[:200]!r}\n")
                continue
            seen += 1
            if ev["event"] == "start":
                current, started = ev["student"], time.monotonic()
                expect = next(pending, None)
            else:
                results[ev["student"]] = ev
                current = None
        todo = [s for s in todo if s not in results]
        from . import sandbox

        sandbox.sweep(proc.pid)  # cgroups (and anything in them) of a worker that was killed mid-student
    return results


def _zero(course: Path, assignment: str, student: str) -> None:
    """Make sure a student who could not be graded has no stale grades (nbgrader exports them with 0)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(*_db(course)) as gb:
        gb.update_or_create_student(student)
        try:
            gb.remove_submission(assignment, student)
        except MissingEntry:
            pass
    shutil.rmtree(course / "autograded" / student / assignment, ignore_errors=True)
    shutil.rmtree(course / "feedback" / student / assignment, ignore_errors=True)


def _nbgrader_api(course: Path):
    """nbgrader's Python API configured by the course's ``nbgrader_config.py`` (run from the course folder)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config.loader import PyFileConfigLoader

    return NbGraderAPI(config=PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())


def _db(course: Path) -> tuple[str, str]:
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    return cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id


STOPPED = {"CellTimeoutError": "ran longer than the per-cell timeout and was stopped",
           "MemoryError": "ran out of memory (the grader's limit)", "DeadKernelError": "crashed the kernel"}


def _runtime_notes(folder: Path, expected: dict[str, dict[str, str]]) -> list[str]:
    """Cells of an autograded submission that were stopped by a limit (timeout, memory)."""
    notes = []
    for name in expected:
        try:
            cells = json.loads((folder / name).read_text())["cells"]
        except (OSError, ValueError, KeyError):
            continue
        for i, cell in enumerate(cells):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("ename") == "GraderGuard":
                    m = re.search(r"\((.*)\)\. Your instructor", str(out.get("evalue", "")))
                    why = m.group(1) if m else "?"
                    where = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {i + 1}"
                    note = (f"REVIEW BY HAND: {where} was not run: {why}" if why.startswith("the notebook rebinds")
                            else f"REVIEW BY HAND: the interpreter was changed before the tests ({why}); the tests "
                            "after the change were not run")
                    if note not in notes:
                        notes.append(note)
                    continue
                why = STOPPED.get(out.get("ename", "")) if out.get("output_type") == "error" else None
                if why:
                    where = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or f"cell {i + 1}"
                    notes.append(f"{where} {why}")
    return notes


def _run_parallel(course: Path, assignment: str, students: list[str], deadline: float, workers: int) -> dict:
    """Grade in ``workers`` worker processes at once (students dealt round-robin); they share the gradebook,
    whose writes SQLite serialises. One worker is the default: on a 2-core machine two gain little."""
    if workers <= 1 or len(students) < 2:
        return _run_workers(course, assignment, students, deadline)
    from concurrent.futures import ThreadPoolExecutor

    chunks = [students[i::workers] for i in range(workers)]
    results: dict[str, dict] = {}
    with ThreadPoolExecutor(workers) as pool:
        for part in pool.map(lambda c: _run_workers(course, assignment, c, deadline), [c for c in chunks if c]):
            results.update(part)
    return results


def sandbox_status() -> str:
    """One line on how student code will run; raises ``GradingError`` if the sandbox is wanted but impossible."""
    from . import sandbox

    try:
        on = sandbox.require()
    except sandbox.SandboxUnavailable as exc:
        raise GradingError(str(exc)) from exc
    if not on:
        return ("WARNING: AIREG_SANDBOX=off: student code runs WITHOUT the sandbox, with your permissions "
                "(network, files, environment)")
    probe = sandbox.StudentCgroup("probe", sandbox.memory_mb(),
                                  int(os.environ.get("AIREG_SANDBOX_PIDS", "128")),
                                  float(os.environ.get("AIREG_SANDBOX_CPUS", "1")))
    limits = ", ".join(probe.limits) or "none (no writable cgroup: per-process limits only)"
    probe.destroy()
    return f"sandbox: bubblewrap (no network, own PID namespace, course hidden); whole-student limits: {limits}"


def autograde(course: Path | None = None, assignment: str | None = None, students: list[str] | None = None,
              deadline: float | None = None, workers: int | None = None) -> list[dict]:
    """Pre-check and autograde every submission of one (or every) assignment; returns report rows.

    ``workers`` (default ``$AIREG_GRADING_WORKERS`` or 1) grades that many students at a time.
    """
    workers = workers or int(os.environ.get("AIREG_GRADING_WORKERS", "1"))
    from nbgrader.api import Gradebook, MissingEntry

    course = course_root(course)
    print(sandbox_status())
    rows = []
    for a in [assignment] if assignment else assignments(course):
        expected = expected_cells(course, a)
        subs = sorted(p.parent.name for p in (course / "submitted").glob(f"*/{a}") if p.is_dir())
        if students:
            subs = [s for s in subs if s in students]
        verdicts = {}
        for s in subs:
            notes, ok = [], True
            for name, cells in expected.items():
                try:
                    chk = precheck(course / "submitted" / s / a / name, cells,
                                   keep_original=course / "reports" / "originals" / a / s / name)
                except Exception as exc:  # noqa: BLE001 - an unforeseen file costs this student alone
                    chk = Check().reject(f"{name}: could not be read ({type(exc).__name__}); open it in Jupyter, "
                                         "save and resubmit")
                ok &= chk.ok
                notes += chk.messages
            verdicts[s] = (ok, notes)
        good = [s for s in subs if verdicts[s][0]]
        n_cells = max(sum(1 for _ in cells) for cells in expected.values())
        limit = deadline or float(os.environ.get("AIREG_SUBMISSION_TIMEOUT", 0)) or \
            60 + n_cells * float(os.environ.get("AIREG_CELL_TIMEOUT", "30"))
        t0 = time.perf_counter()
        results = _run_parallel(course, a, good, limit, workers) if good else {}
        elapsed = time.perf_counter() - t0
        db_url, course_id = _db(course)
        for s in subs:
            ok, notes = verdicts[s]
            res = results.get(s, {})
            row = {"assignment": a, "student_id": s, "score": 0.0, "max_score": None,
                   "seconds": round(res.get("seconds", 0.0), 2)}
            if not ok:
                row["status"] = "rejected"
            elif not res.get("ok"):
                row["status"] = res.get("status", "error")
                err = ANSI.sub("", res.get("error", "")).strip().splitlines()
                notes = notes + [f"not graded: {err[-1] if err else 'unknown error'}"]
            else:
                row["status"] = "graded"
                notes = notes + _runtime_notes(course / "autograded" / s / a, expected)
                for name in expected:
                    try:
                        note = tamper_note(course / "submitted" / s / a / name)
                    except Exception as exc:  # noqa: BLE001 - the scan is advice; it never costs a grade
                        note = f"REVIEW BY HAND: {name} could not be scanned ({type(exc).__name__})"
                    notes = notes + ([note] if note else [])
            if row["status"] != "graded":
                try:
                    _zero(course, a, s)
                except Exception as exc:  # noqa: BLE001 - reported for this student, the others go on
                    notes = notes + [f"old grades could not be cleared ({type(exc).__name__}): check the gradebook"]
            row["message"] = "; ".join(notes)
            rows.append(row)
        with Gradebook(db_url, course_id) as gb:
            max_score = gb.find_assignment(a).max_score
            for row in rows:
                if row["assignment"] != a:
                    continue
                row["max_score"] = max_score
                if row["status"] == "graded":
                    try:
                        row["score"] = round(gb.find_submission(a, row["student_id"]).score, 2)
                    except MissingEntry:
                        row["status"], row["message"] = "error", "no grades recorded"
                    except Exception as exc:  # noqa: BLE001 - one unreadable record costs that student alone
                        row["status"], row["message"] = "error", f"grades unreadable ({type(exc).__name__})"
        report = course / "reports" / f"{a}-autograde.csv"
        report.parent.mkdir(exist_ok=True)
        with report.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=REPORT_FIELDS)
            w.writeheader()
            w.writerows(r for r in rows if r["assignment"] == a)
        n = len(good)
        per = f" ({elapsed / n:.1f} s each, worker start-up included)" if n else ""
        print(f"{a}: {len(subs)} submission(s), {len(subs) - n} rejected by the pre-checks, {n} run by the grader in "
              f"{elapsed:.1f} s{per}; report: {report}")
        for r in rows:
            if r["assignment"] == a:
                print(f"  {r['student_id']:<20} {r['status']:<9} {r['score']}/{r['max_score']}  {r['message']}")
    return rows


# --- feedback and export -------------------------------------------------------------------------------------------

def hidden_secrets(course: Path, assignment: str) -> list[str]:
    """Hidden-test lines (long enough to be distinctive) of an assignment's source notebooks."""
    import nbformat

    out = []
    for nb_path in (course / "source" / assignment).glob("*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        visible = set()
        for c in nb.cells:
            lines, _ = hidden_lines(c.source)
            visible |= {x.strip() for x in _visible(c.source).splitlines()}
            out += [x for x in lines if len(x) >= 12]
        out = [x for x in out if x not in visible]
    return sorted(set(out))


def _readable(page: str) -> list[str]:
    """An HTML page's text as a reader could read it, folded (see ``_fold``), two ways: tags stripped before
    and after unescaping entities, so neither escaped nor real markup splits a leaked line."""
    page = ANSI.sub("", page)
    return [_fold(html.unescape(re.sub(r"<[^>]*>", "", page))),
            _fold(re.sub(r"<[^>]*>", "", html.unescape(page)))]


def leaked_lines(page: str, hidden_tests: list[str]) -> list[str]:
    """Hidden-test lines found in a feedback page, after Unicode normalisation (zero-width, format and tag
    characters, whitespace, case and markup do not hide a line)."""
    texts = _readable(page)
    return [x for x in hidden_tests if len(_fold(x)) >= 10 and any(_fold(x) in t for t in texts)]


def feedback_leaks(course: Path, assignment: str) -> list[str]:
    """Feedback files that contain a hidden-test line (should be empty)."""
    hidden_tests = hidden_secrets(course, assignment)
    bad = []
    for f in sorted((course / "feedback").glob(f"*/{assignment}/*.html")):
        hits = leaked_lines(f.read_text(encoding="utf-8", errors="replace"), hidden_tests)
        if hits:
            bad.append(f"{f.relative_to(course)}: {hits[0]!r}")
    return bad


FEEDBACK_FIELDS = ["assignment", "student_id", "status", "files", "message"]


def _generate_feedback(course: Path, assignment: str, students: list[str]) -> dict[str, str]:
    """nbgrader's feedback, one student at a time (in this process: no student code runs here), so a notebook
    that breaks nbconvert costs that student alone. Returns the error per student who got none."""
    errors: dict[str, str] = {}
    here = os.getcwd()
    os.chdir(course)
    try:
        api = _nbgrader_api(course)
        for s in students:
            try:
                result = api.generate_feedback(assignment, s, force=True)
                ok = bool(result.get("success"))
                log = ANSI.sub("", result.get("log") or "")
                why = [ln.strip() for ln in log.splitlines() if re.match(r"\s*[A-Za-z_.]*(Error|Exception):", ln)]
                err = "" if ok else (why[-1] if why else ANSI.sub("", result.get("error") or "unknown error"))
            except Exception as exc:  # noqa: BLE001 - one student's notebook, one student's loss
                ok, err = False, f"{type(exc).__name__}: {exc}"
            if not ok:
                lines = [ln for ln in err.strip().splitlines() if ln.strip()]
                errors[s] = lines[-1][:300] if lines else "unknown error"
    finally:
        os.chdir(here)
    return errors


def awaiting_manual_grades(course: Path, assignment: str, students: list[str]) -> dict[str, int]:
    """Students whose submission still has answers to grade by hand (student -> how many), from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    out = {}
    with Gradebook(*_db(course)) as gb:
        for s in students:
            try:
                sub = gb.find_submission(assignment, s)
            except MissingEntry:
                continue
            n = sum(1 for nb in sub.notebooks for g in nb.grades if g.needs_manual_grade)
            if n:
                out[s] = n
    return out


def feedback(course: Path | None = None, assignment: str | None = None) -> list[Path]:
    """Generate feedback HTML without hidden tests, student by student.

    A student with answers still to grade by hand gets no page yet (status "awaiting grading"), so no page shows a
    written answer as 0 before the instructor has read it. Every page is scanned for hidden-test lines
    (``leaked_lines``); a student whose page would reveal one is
    quarantined (files moved to ``reports/quarantine/``, not released) and the others are unaffected. Every
    released page is then made to open offline. ``reports/<a>-feedback.csv`` lists what happened to each student.
    """
    course = course_root(course)
    made = []
    for a in [assignment] if assignment else assignments(course):
        students = sorted(p.parent.name for p in (course / "autograded").glob(f"*/{a}") if p.is_dir())
        if not students:
            print(f"{a}: nothing autograded yet")
            continue
        waiting = awaiting_manual_grades(course, a, students)
        errors = _generate_feedback(course, a, [s for s in students if s not in waiting])
        hidden_tests = hidden_secrets(course, a)
        rows = []
        for s in students:
            folder = course / "feedback" / s / a
            row = {"assignment": a, "student_id": s, "status": "ok", "files": 0, "message": ""}
            if s in waiting:  # never a page that reads "Written response 0/4" before the instructor has graded it
                shutil.rmtree(folder, ignore_errors=True)
                row.update(status="awaiting grading", message=f"{waiting[s]} answer(s) to grade by hand in Formgrader "
                           "(make lab-instructor); feedback is written once they are graded")
                rows.append(row)
                continue
            if s in errors:
                shutil.rmtree(folder, ignore_errors=True)
                row.update(status="error", message=f"no feedback: {errors[s]}")
                rows.append(row)
                continue
            files = sorted(folder.glob("*.html"))
            hits = []
            for f in files:
                hits += leaked_lines(f.read_text(encoding="utf-8", errors="replace"), hidden_tests)
            if hits:
                dest = course / "reports" / "quarantine" / a / s
                shutil.rmtree(dest, ignore_errors=True)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(folder), str(dest))
                row.update(status="quarantined", message=f"the page would show a hidden-test line ({len(hits)} "
                           f"found, first {hits[0][:60]!r}); held in {dest.relative_to(course)}; review it")
                rows.append(row)
                continue
            for f in files:  # feedback must open offline: drop CDN scripts (MathJax) that nbconvert adds
                f.write_text(inline_cdn_assets(f.read_text(encoding="utf-8")), encoding="utf-8")
            row["files"] = len(files)
            made += files
            rows.append(row)
        report = course / "reports" / f"{a}-feedback.csv"
        report.parent.mkdir(exist_ok=True)
        with report.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=FEEDBACK_FIELDS)
            w.writeheader()
            w.writerows({k: spreadsheet_safe(v) for k, v in r.items()} for r in rows)
        ok = sum(r["status"] == "ok" for r in rows)
        held = sum(r["status"] == "awaiting grading" for r in rows)
        print(f"{a}: feedback for {ok} of {len(rows)} student(s) in {course / 'feedback'} (scanned: no hidden "
              f"tests in them){f'; {held} held until their written answers are graded' if held else ''}; "
              f"report: {report}")
        for r in rows:
            if r["status"] != "ok":
                print(f"  {r['student_id']:<20} {r['status']:<11} {r['message']}")
    return made


EXPORT_FIELDS = ["assignment", "student_id", "status", "score", "max_score", "auto_score", "needs_manual_grade",
                 "late_penalty", "message"]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A CSV cell a spreadsheet will not run as a formula: text starting with ``= + - @`` (or a tab or carriage
    return) gets a leading apostrophe, as OWASP advises for CSV exports. Numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export(course: Path | None = None, to: Path | str | None = None) -> Path:
    """Write one CSV row per student and assignment (status and message from the autograde reports).

    ``status`` is ``graded`` (``score`` final), ``awaiting grading`` (answers to grade by hand: ``score`` empty,
    ``auto_score`` so far), ``not submitted`` (no submission: both empty, never a 0), or the autograder's
    ``rejected``/``error``/``timeout`` (a 0, with the reason in ``message``)."""
    from nbgrader.api import Gradebook, MissingEntry

    course = course_root(course)
    to = Path(to) if to else course / "grades.csv"
    reports = {}
    for rep in (course / "reports").glob("*-autograde.csv"):
        with rep.open() as f:
            for r in csv.DictReader(f):
                reports[(r["assignment"], r["student_id"])] = r
    db_url, course_id = _db(course)
    rows = []
    with Gradebook(db_url, course_id) as gb:
        for a in sorted(gb.assignments, key=lambda x: x.name):
            for st in sorted(gb.students, key=lambda x: x.id):
                rep = reports.get((a.name, st.id), {})
                row = {"assignment": a.name, "student_id": st.id, "max_score": a.max_score, "score": "",
                       "auto_score": "", "needs_manual_grade": False, "late_penalty": "",
                       "status": rep.get("status", "not submitted"), "message": rep.get("message", "")}
                try:
                    sub = gb.find_submission(a.name, st.id)
                except MissingEntry:
                    if rep:  # rejected or failed: a real zero, with the reason
                        row.update(score=0.0, auto_score=0.0, late_penalty=0.0)
                else:
                    auto = sum(g.auto_score or 0 for nb in sub.notebooks for g in nb.grades)
                    row.update(score=round(sub.score, 2), auto_score=round(auto, 2),
                               needs_manual_grade=bool(sub.needs_manual_grade),
                               late_penalty=round(sub.late_submission_penalty or 0, 2))
                    if not rep:
                        row["status"] = "graded"
                    if row["status"] == "graded" and sub.needs_manual_grade:
                        # not a final grade: the score column stays empty until the written answers are graded
                        row.update(status="awaiting grading", score="")
                rows.append(row)
    to.parent.mkdir(parents=True, exist_ok=True)
    with to.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=EXPORT_FIELDS)
        w.writeheader()
        w.writerows({k: spreadsheet_safe(v) for k, v in r.items()} for r in rows)
    print(f"wrote {to} ({len(rows)} rows)")
    return to


# --- command line ----------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m aireg.grading", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--course", help="course root (default: assignments/ or $AIREG_COURSE)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("release", help="generate the student versions")
    p.add_argument("assignment", nargs="?")
    p = sub.add_parser("collect", help="import an LMS zip of submissions")
    p.add_argument("zip", nargs="?")
    p.add_argument("--assignment")
    p.add_argument("--regexp", help="another LMS's layout: a regular expression with student_id and file_id groups "
                   "(and optionally user), matched against / + each member's path")
    p = sub.add_parser("autograde", help="pre-check and grade submissions")
    p.add_argument("assignment", nargs="?")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p = sub.add_parser("feedback", help="generate feedback HTML without hidden tests")
    p.add_argument("assignment", nargs="?")
    p = sub.add_parser("export", help="write grades to CSV")
    p.add_argument("--to", help="output file (default: <course>/grades.csv)")
    p = sub.add_parser("student-copies", help="refresh the release and copy new notebooks to student/")
    p = sub.add_parser("_worker", help=argparse.SUPPRESS)
    p.add_argument("--events-fd", type=int, required=True)
    args = ap.parse_args(argv)
    try:
        course = course_root(args.course)
        if args.cmd == "release":
            done = release(course, args.assignment or None)
            print(f"released: {', '.join(done)} -> {course / 'release'}")
        elif args.cmd == "collect":
            if not args.zip:
                raise GradingError("give the LMS download: make collect ZIP=path/to/submissions.zip")
            collect(args.zip, course, args.assignment, args.regexp)
        elif args.cmd == "autograde":
            rows = autograde(course, args.assignment or None, args.student)
            rejected = sum(r["status"] != "graded" for r in rows)
            if rejected:
                print(f"{rejected} submission(s) not graded: see the reports and tell those students why")
        elif args.cmd == "feedback":
            feedback(course, args.assignment or None)
        elif args.cmd == "export":
            export(course, args.to)
        elif args.cmd == "student-copies":
            made = prepare_student_copies(course)
            print(f"new student copies: {len(made)}")
        elif args.cmd == "_worker":
            return _worker(course, args.events_fd)
    except (GradingError, subprocess.TimeoutExpired) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
