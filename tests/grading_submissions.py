"""Synthetic student submissions (honest, lazy, cheating, broken and hostile) for the grading pipeline tests."""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

import nbformat


def load(course: Path, assignment: str, kind: str) -> nbformat.NotebookNode:
    """The instructor's solution (``kind="source"``) or the student version (``kind="release"``)."""
    return nbformat.read(course / kind / assignment / f"{assignment}.ipynb", as_version=4)


def cell(nb, grade_id: str):
    for c in nb.cells:
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            return c
    raise KeyError(grade_id)


def edit(nb, grade_id: str, source: str | None = None, prefix: str = "") -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    c = cell(nb, grade_id)
    c.source = prefix + (c.source if source is None else source)
    return nb


def delete(nb, grade_id: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


def submit(course: Path, student: str, assignment: str, nb=None, raw: bytes | None = None) -> Path:
    path = course / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    if raw is not None:
        path.write_bytes(raw)
    else:
        nbformat.write(nb, path)
    return path


HARDCODED_COUNTS = '''
_FIXED = responses["action_type"].astype(str).value_counts()


def count_actions(frame):
    return _FIXED[_FIXED > 0]  # ignores `frame`: right for the visible test only
'''

HARDCODED_ESCALATED = '''
def escalated(frame, since):
    return ["CAN", "EUU", "GBR", "MYS"]  # the answer for the real data, whatever the input
'''

GUESSED_LEGAL_EFFECT = '''
LEGAL_EFFECT = {k: "binding_measure" for k in [
    "MeitY's notice of 2 January 2026 ordering X to remove obscene Grok content",
    "three US senators' letter asking Apple and Google to remove the X app",
    "the European Parliament's vote of 26 March 2026 on the AI Act amendment",
    "California's cease-and-desist letter to xAI of 16 January 2026",
    "Ofcom's formal investigation of X opened on 12 January 2026",
    "the Amsterdam court's order of 26 March 2026 against xAI",
    "the Commission's order of 8 January 2026 to retain all Grok documents",
    "the Council's adoption of the AI Act amendment on 29 June 2026",
    "a regulator's press statement that it will 'look into' X",
    "an Irish High Court order blocking access to a service under DSA Art. 51(3)",
]}  # one answer for everything: passes the visible (form) test only
'''

GUESSED_IN_FORCE = '''
IN_FORCE_15_JAN_2026 = {k: True for k in [
    "DSA Arts. 34-35 (risk assessment and mitigation by very large platforms)",
    "AI Act Art. 50 (telling people that content is artificially generated)",
    "the AI Act's ban on AI systems generating non-consensual intimate images",
    "the UK offence of creating a purported intimate image without consent",
    "the TAKE IT DOWN Act's 48-hour removal duty for platforms",
    "France's Code pénal art. 226-8-1 (non-consensual sexual montages)",
    "India's IT Act s. 79 (safe harbour for intermediaries)",
    "the UK Online Safety Act's illegal-content duties",
]}  # "everything voted is law": passes the visible test only
'''

WRONG_COUNTS = '''
def count_actions(frame):
    return frame["iso3"].value_counts()  # wrong column
'''


def a1_submissions(course: Path) -> dict[str, str]:
    """Write every a1 variant; returns student -> what it tests."""
    sol, rel = load(course, "a1-responses", "source"), load(course, "a1-responses", "release")
    a2_rel = load(course, "a2-penalties", "release")
    out = {}

    submit(course, "alice", "a1-responses", sol)
    out["alice"] = "the solution: full autograded marks"
    submit(course, "blank", "a1-responses", rel)
    out["blank"] = "the untouched release: zero"
    nb = edit(rel, "a1-count-actions", HARDCODED_COUNTS)
    nb = edit(nb, "a1-escalated", HARDCODED_ESCALATED)
    submit(course, "hardcoder", "a1-responses", nb)
    out["hardcoder"] = "passes the visible tests with hard-coded answers, fails the hidden ones"
    nb = edit(edit(sol, "a1-legal-effect", GUESSED_LEGAL_EFFECT), "a1-in-force", GUESSED_IN_FORCE)
    submit(course, "guesser", "a1-responses", nb)
    out["guesser"] = "the solution's code, but the legal questions answered by guessing: those parts zero"
    submit(course, "looper", "a1-responses", edit(sol, "a1-days", prefix="while True:\n    pass\n"))
    out["looper"] = "an answer cell that never ends: timeout, that part zero"
    submit(course, "raiser", "a1-responses", edit(sol, "a1-count-actions", prefix="raise RuntimeError('oops')\n"))
    out["raiser"] = "an answer cell that raises: that part zero"
    submit(course, "hog", "a1-responses", edit(sol, "a1-first-movers", prefix="_big = bytearray(3 * 1024**3)\n"))
    out["hog"] = "allocates 3 GB: the kernel's memory limit stops it, that part zero"
    nb = delete(edit(sol, "a1-count-actions", WRONG_COUNTS), "a1-escalated-tests")
    nb = edit(nb, "a1-count-actions-tests", '"""tests"""\npass\n')
    submit(course, "tamperer", "a1-responses", nb)
    out["tamperer"] = "deletes one test cell and empties another: both restored from the master copy"
    nb = copy.deepcopy(sol)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text=("spam " * 20 + "\n") * 80_000)]
    nb = edit(nb, "a1-days", prefix="for _i in range(300_000):\n    print('spam', _i)\n")
    submit(course, "huge", "a1-responses", nb)
    out["huge"] = "an 8 MB notebook that also prints 300,000 lines when run: outputs stripped and capped"
    text = nbformat.writes(sol)
    submit(course, "badjson", "a1-responses", raw=text[: len(text) // 2].encode())
    out["badjson"] = "a truncated file: rejected, not valid JSON"
    submit(course, "wrongfile", "a1-responses", a2_rel)
    out["wrongfile"] = "assignment 2 submitted as assignment 1: rejected"
    return out


def lms_zip(path: Path, members: dict[str, nbformat.NotebookNode]) -> Path:
    """A zip like an LMS 'download all submissions' (member name -> notebook)."""
    with zipfile.ZipFile(path, "w") as z:
        for name, nb in members.items():
            z.writestr(name, nbformat.writes(nb))
    return path


def grade_by_hand(course: Path, assignment: str, score: float | None = None, students=None) -> int:
    """What an instructor does in Formgrader, through nbgrader's gradebook API: give every answer that awaits
    manual grading ``score`` points (default: full marks). Returns how many answers were graded."""
    from nbgrader.api import Gradebook
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    n = 0
    with Gradebook(cfg.CourseDirectory.db_url, cfg.CourseDirectory.course_id) as gb:
        for sub in gb.assignment_submissions(assignment):
            if students is not None and sub.student_id not in students:
                continue
            for nb in sub.notebooks:
                for g in nb.grades:
                    if g.needs_manual_grade:
                        g.manual_score = g.max_score if score is None else score
                        g.needs_manual_grade = False  # as Formgrader does when a score is saved
                        n += 1
        gb.db.commit()
    return n


# --- hostile cells shared by the guard, sandbox and class tests ------------------------------------------------
AST_WRAPPER = '''
import ast
class Swallow(ast.NodeTransformer):
    def visit_Module(self, node):
        handler = ast.ExceptHandler(type=ast.Name("BaseException", ast.Load()), name=None, body=[ast.Pass()])
        node.body = [ast.Try(body=node.body or [ast.Pass()], handlers=[handler], orelse=[], finalbody=[])]
        return ast.fix_missing_locations(node)
get_ipython().ast_transformers.append(Swallow())
'''
HOOK = '''
def _forget(result):
    result.error_in_exec = None
    result.error_before_exec = None
get_ipython().events.register("post_run_cell", _forget)
'''
WRITER = '''
done = []
for p in {paths!r}:
    try:
        with open(p, "a") as f:
            f.write("# tampered\\n")
        done.append(p)
    except OSError:
        pass
print("WROTE", done)
'''


def digest(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """SHA-256 of every file below ``root`` (paths starting with one of ``skip`` and caches aside)."""
    import hashlib

    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and not rel.startswith(skip) and "__pycache__" not in rel:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out

