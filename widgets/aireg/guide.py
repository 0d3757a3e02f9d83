"""What is in the kit: the lessons and the student assignments, as a table of links for the start page."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _title(nb_path: Path) -> str:
    try:
        cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return nb_path.stem
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            for line in "".join(cell.get("source", "")).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return nb_path.stem


def lessons(root: Path = ROOT) -> list[tuple[str, Path]]:
    """(title, path) of every lesson notebook, in order."""
    return [(_title(p), p) for p in sorted((root / "lessons").glob("[0-9][0-9]-*.ipynb"))]


def student_assignments(root: Path = ROOT) -> list[tuple[str, Path]]:
    """(title, path) of every student copy of an assignment under ``student/``."""
    return [(_title(p), p) for p in sorted((root / "student").glob("*/*.ipynb"))]


def contents_html(here: Path | None = None, root: Path = ROOT) -> str:
    """An HTML table of links to the lessons and assignments, relative to the notebook at ``here``."""
    here = here or root / "lessons"
    rows = []
    for kind, items in (("Lesson", lessons(root)), ("Assignment", student_assignments(root))):
        for title, path in items:
            rel = os.path.relpath(path, here)
            rows.append(f"<tr><td>{kind}</td><td><a href='{html.escape(rel)}'>{html.escape(title)}</a></td>"
                        f"<td><code>{html.escape(str(path.relative_to(root)))}</code></td></tr>")
    if not rows:
        return "<p>No lessons found.</p>"
    return ("<table class='aireg-contents'><thead><tr><th>Kind</th><th>Title</th><th>File</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def count_as_of(responses, day) -> int:
    """How many documented actions in ``responses`` are dated on or before ``day``."""
    import pandas as pd

    return int((responses["date"] <= pd.Timestamp(day)).sum())


def responses_by_day_demo(start: str = "2026-01-01", days: int = 60):
    """A keyboard-usable slider: how many documented responses had happened ``n`` days after ``start``."""
    import ipywidgets as w
    import pandas as pd

    from .data import load_responses

    frame = load_responses()
    origin = pd.Timestamp(start)
    slider = w.IntSlider(value=14, min=0, max=days, step=1, description="Days after 1 Jan 2026",
                         style={"description_width": "initial"}, layout=w.Layout(width="32em"),
                         continuous_update=True)
    out = w.HTML()

    def redraw(_=None) -> None:
        day = origin + pd.Timedelta(days=slider.value)
        n = count_as_of(frame, day)
        out.value = (f"<p style='font-size:1.1em'>By <b>{day:%d %B %Y}</b>: <b>{n}</b> of {len(frame)} "
                     "documented government or regulator actions had happened.</p>")

    slider.observe(redraw, names="value")
    redraw()
    box = w.VBox([slider, out])
    box.add_class("aireg")
    from .a11y import name_controls

    name_controls(box)  # accessible names for slider handles and Play buttons
    return box
