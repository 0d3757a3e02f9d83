"""One source of truth per notebook, editable in JupyterLab or as text.

Every lesson, dashboard and assignment source is paired with a MyST Markdown twin by jupytext: beside the notebook
for lessons (``lessons/jupytext.toml``), in ``assignments/text/`` for assignments (``assignments/jupytext.toml``), so
that nbgrader never copies a twin, with its solutions and hidden tests, into the students' release. These tests fail when a notebook and its twin disagree, check the nbgrader
metadata an edit could break before anything is released, and show that an edit made either way gives the same
notebook and releases with no generator step.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from testkit import ROOT, dashboard_notebooks, lesson_notebooks, source_notebooks

PAIRED = lesson_notebooks() + dashboard_notebooks() + source_notebooks()
JUPYTEXT = Path(sys.executable).parent / "jupytext"


def twin(path: Path) -> Path:
    """The text twin of a paired notebook."""
    source = ROOT / "assignments" / "source"
    if source in path.parents:
        return ROOT / "assignments" / "text" / path.relative_to(source).with_suffix(".md")
    return path.with_suffix(".md")


def _cells(nb) -> list[tuple[str, str, dict]]:
    return [(c.cell_type, c.source, dict(c.metadata)) for c in nb.cells]


@pytest.mark.parametrize("path", PAIRED, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_and_its_text_twin_agree(path):
    md = twin(path)
    assert md.exists(), f"{path.name} has no text twin: run `jupytext --sync {path.relative_to(ROOT)}`"
    nb, text = nbformat.read(path, as_version=4), jupytext.read(md)
    assert _cells(text) == _cells(nb), (
        f"{path.name} and {md.name} disagree: save the notebook in JupyterLab, or run `jupytext --sync` on the file "
        "you edited")
    assert text.metadata.get("kernelspec") == nb.metadata.get("kernelspec")


def test_pairing_is_configured_where_the_notebooks_live():
    assert 'formats = "ipynb,md:myst"' in (ROOT / "lessons" / "jupytext.toml").read_text()
    assert 'formats = "source///ipynb,text///md:myst"' in (ROOT / "assignments" / "jupytext.toml").read_text()
    assert not list((ROOT / "assignments" / "source").rglob("*.md")), "no twin inside source/: nbgrader would release it"
    pins = (ROOT / "binder" / "requirements.txt").read_text()
    assert "jupytext==" in pins, "jupytext is pinned with the rest of the environment"


def test_no_home_made_notebook_converter_remains():
    assert not (ROOT / "scripts" / "mknb.py").exists()
    assert not (ROOT / "assignments" / "build_assignments.py").exists()
    for doc in ("CONTRIBUTING.md", "assignments/README.md"):
        text = (ROOT / doc).read_text()
        assert "mknb" not in text and "build_assignments" not in text, doc


# -- nbgrader metadata, checked before a release -----------------------------------------------------------------------


def nbgrader_problems(nb) -> list[str]:
    """What a hand edit could break in an nbgrader source notebook (empty list: fine)."""
    problems, ids = [], []
    answers, tests = set(), set()
    for i, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader")
        if not meta:
            continue
        gid = meta.get("grade_id")
        where = f"cell {i} ({gid or 'no grade_id'})"
        if not gid:
            problems.append(f"{where}: no grade_id")
        ids.append(gid)
        grade, solution, locked = meta.get("grade"), meta.get("solution"), meta.get("locked")
        if grade and not (isinstance(meta.get("points"), int | float) and meta["points"] > 0):
            problems.append(f"{where}: a graded cell needs points > 0")
        if grade and not solution:  # an autograder test cell
            tests.add(gid)
            if cell.cell_type != "code":
                problems.append(f"{where}: a test cell must be code")
            if not locked:
                problems.append(f"{where}: a test cell must be locked (read-only)")
            if cell.source.count("### BEGIN HIDDEN TESTS") != cell.source.count("### END HIDDEN TESTS"):
                problems.append(f"{where}: unbalanced hidden-test markers")
        if solution and not grade:  # an answer cell
            answers.add(gid)
            if cell.cell_type != "code" or "### BEGIN SOLUTION" not in cell.source or \
                    "### END SOLUTION" not in cell.source:
                problems.append(f"{where}: an answer cell must mark its solution with BEGIN/END SOLUTION")
            if locked:
                problems.append(f"{where}: an answer cell cannot be locked")
        if solution and grade and cell.cell_type != "markdown":
            problems.append(f"{where}: a manually graded answer is a markdown cell")
    dupes = sorted({g for g in ids if ids.count(g) > 1})
    if dupes:
        problems.append(f"duplicate grade_id: {', '.join(map(str, dupes))}")
    for gid in sorted(answers):
        if f"{gid}-tests" not in tests:
            problems.append(f"answer {gid} has no test cell {gid}-tests")
    return problems


@pytest.mark.parametrize("path", source_notebooks(), ids=lambda p: p.parent.name)
def test_source_notebooks_have_sound_nbgrader_metadata(path):
    assert nbgrader_problems(nbformat.read(path, as_version=4)) == []


def test_metadata_check_catches_the_edits_that_break_grading():
    nb = nbformat.read(source_notebooks()[0], as_version=4)
    tests = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-tests")]
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")
                  and not c.metadata["nbgrader"].get("grade"))
    tests[0].metadata["nbgrader"]["points"] = 0
    tests[1].metadata["nbgrader"]["locked"] = False
    tests[2].metadata["nbgrader"]["grade_id"] = tests[3].metadata["nbgrader"]["grade_id"]
    answer.source = answer.source.replace("### END SOLUTION", "")
    found = "\n".join(nbgrader_problems(nb))
    for expected in ("points > 0", "must be locked", "duplicate grade_id", "BEGIN/END SOLUTION"):
        assert expected in found, expected


# -- edit either way, then release -------------------------------------------------------------------------------------


def _sync(path: Path) -> None:
    subprocess.run([str(JUPYTEXT), "--quiet", "--sync", str(path)], check=True, capture_output=True, timeout=120)


@pytest.mark.slow
def test_an_edit_in_the_notebook_or_in_the_text_gives_the_same_notebook_and_releases(tmp_path):
    """Change a question and re-weight a test, once in the notebook (as the Create Assignment toolbar does) and once
    in the text twin; both give the same notebook, and `release` works with no generator step."""
    via_nb, via_text = tmp_path / "nb" / "assignments", tmp_path / "text" / "assignments"
    for dest in (via_nb, via_text):
        shutil.copytree(ROOT / "assignments", dest, ignore=shutil.ignore_patterns(
            "release", "submitted", "autograded", "feedback", "reports", "gradebook.db", ".ipynb_checkpoints"))
    name = "a2-penalties"
    old_q, new_q = "## Question 4: where the UK floor bites (2 points)", "## Question 4: where the UK floor bites (3 points)"

    # 1. in the notebook: edit the markdown and the points in the cell metadata, save, and let jupytext pair it
    nb_path = via_nb / "source" / name / f"{name}.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    cell = next(c for c in nb.cells if old_q in c.source)
    cell.source = cell.source.replace(old_q, new_q)
    test_cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "a2-breakeven-tests")
    test_cell.metadata["nbgrader"]["points"] = 3
    nbformat.write(nb, nb_path)
    _sync(nb_path)
    text_of_nb = (via_nb / "text" / name / f"{name}.md").read_text()
    assert new_q in text_of_nb and "grade_id: a2-breakeven-tests\n  locked: true\n  points: 3" in text_of_nb

    # 2. the same edit in the text twin
    md_path = via_text / "text" / name / f"{name}.md"
    text = md_path.read_text().replace(old_q, new_q)
    marker = "grade_id: a2-breakeven-tests\n  locked: true\n  points: 2"
    assert marker in text, "the test cell's metadata is readable in the text twin"
    md_path.write_text(text.replace(marker, marker[:-1] + "3"))
    _sync(md_path)
    assert _cells(nbformat.read(via_text / "source" / name / f"{name}.ipynb", as_version=4)) == \
        _cells(nbformat.read(nb_path, as_version=4)), "the same edit made in the text file gives the same notebook"

    # 3. release, as an instructor would, with no generator step
    env = dict(os.environ)
    env.pop("AIREG_GRADEBOOK_URL", None)
    proc = subprocess.run([sys.executable, "-m", "aireg.grading", "--course", str(via_nb), "release"], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    released = nbformat.read(via_nb / "release" / name / f"{name}.ipynb", as_version=4)
    assert any(new_q in c.source for c in released.cells)
    files = sorted(p.name for p in (via_nb / "release" / name).rglob("*") if p.is_file())
    assert files == [f"{name}.ipynb"], f"the release holds only the student notebook, no twin: {files}"
    assert not any("BEGIN SOLUTION" in c.source or "BEGIN HIDDEN TESTS" in c.source for c in released.cells)
    assert nbgrader_problems(nbformat.read(nb_path, as_version=4)) == []
