"""Safe to teach, and ready to teach: the content note opens every lesson and assignment, and every question block
of a lesson has a model answer and a suggested time in the instructors' answer keys (not in the lessons)."""

from __future__ import annotations

import re

import nbformat
import pytest

from testkit import ROOT, lesson_notebooks, source_notebooks

NOTE = (ROOT / "lessons" / "content-note.md").read_text(encoding="utf-8").strip()
KEYS = ROOT / "assignments" / "instructor" / "lesson-answer-keys.md"
LESSONS = [p for p in lesson_notebooks() if re.match(r"\d\d-", p.name)]


def test_the_note_says_what_it_must():
    text = NOTE.lower()
    for needed in ("shows no such images", "do not search for, open, download or generate", "is itself a crime",
                   "alternative activity", "support"):
        assert needed in text, needed


def lesson_cases(nb) -> list[str]:
    """The cases a lesson teaches (notebook metadata ``aireg.cases``); a lesson without it is a Grok lesson."""
    return list(nb.metadata.get("aireg", {}).get("cases", ["grok-2026"]))


@pytest.mark.parametrize("path", LESSONS + source_notebooks(), ids=lambda p: p.name)
def test_content_note_opens_every_lesson_and_assignment(path):
    """Every lesson or assignment that touches the Grok case opens with the content note. A lesson on another
    case only (ChatGPT in Italy, DeepSeek: data protection and security, no abuse imagery) carries no note."""
    nb = nbformat.read(path, as_version=4)
    if "grok-2026" not in lesson_cases(nb):
        assert NOTE not in [c.source.strip() for c in nb.cells], f"{path.name}: the Grok note in a non-Grok lesson"
        return
    first_cells = [c.source.strip() for c in nb.cells[:3] if c.cell_type == "markdown"]
    assert NOTE in first_cells, f"{path.name}: the content note must come right after the title"
    position = [c.source.strip() for c in nb.cells].index(NOTE)
    assert all(c.cell_type == "markdown" for c in nb.cells[:position]), "no code runs before the note"


def _blocks(path) -> list[tuple[str, int]]:
    """(title, number of questions) of every question block of a lesson, in order."""
    out = []
    nb = nbformat.read(path, as_version=4)
    for cell in (c for c in nb.cells if c.cell_type == "markdown"):
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            m = re.match(r"^(?:#+\s*(Check your understanding|Try it)\b|\*\*(Try it)\b)", line.strip())
            if not m:
                continue
            count = 0
            for rest in lines[i + 1:]:
                if rest.startswith("#"):
                    break
                if re.match(r"^\d+\.\s", rest):
                    count += 1
            out.append((m.group(1) or m.group(2), count))
    return out


def _key_sections() -> dict[str, list[tuple[str, int, int]]]:
    """lesson stem -> [(block title, suggested minutes, number of answers)] from the answer keys."""
    text = KEYS.read_text(encoding="utf-8")
    out: dict[str, list[tuple[str, int, int]]] = {}
    lesson = None
    for line in text.splitlines():
        if line.startswith("## "):
            lesson = line[3:].strip()
            out[lesson] = []
        elif line.startswith("### "):
            m = re.match(r"^### (.+?) \(suggested time: (\d+) minutes?\)$", line)
            assert m, f"malformed block heading: {line!r}"
            out[lesson].append((m.group(1), int(m.group(2)), 0))
        elif re.match(r"^\d+\.\s", line):
            title, minutes, n = out[lesson][-1]
            assert line.split(".", 1)[1].strip().startswith("**Answer.**"), line
            out[lesson][-1] = (title, minutes, n + 1)
    return out


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_every_question_has_a_model_answer_and_a_time(path):
    keys = _key_sections()
    assert path.stem in keys, f"no answer key for {path.stem}"
    blocks = _blocks(path)
    assert blocks, f"{path.name} has no question block"
    assert [(t, n) for t, _, n in keys[path.stem]] == blocks, (
        f"{path.stem}: the answer key does not match the lesson's questions {blocks}")
    assert all(0 < minutes <= 60 for _, minutes, _ in keys[path.stem])


def test_keys_stay_out_of_the_lessons():
    for path in LESSONS:
        text = path.read_text(encoding="utf-8")
        assert "**Answer.**" not in text and "lesson-answer-keys" not in text, path.name
