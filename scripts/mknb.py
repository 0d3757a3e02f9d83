"""Write a lesson or assignment notebook from a plain-text outline (an authoring aid; commit the .ipynb).

Outline format: cells start with a marker line ``%% <md|code> [slide|subslide|fragment|skip|notes|-] [key=value ...]``
followed by the cell's text. ``nbgrader=<json>`` (no spaces) sets nbgrader cell metadata; ``tags=a,b`` sets tags.

    python scripts/mknb.py outline.txt lessons/05-new.ipynb
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def parse(text: str) -> list:
    cells, head, body = [], None, []

    def flush() -> None:
        if head is None:
            return
        kind, *opts = head
        src = "\n".join(body).strip("\n")
        cell = new_markdown_cell(src) if kind == "md" else new_code_cell(src)
        meta: dict = {}
        for opt in opts:
            if opt in SLIDE_TYPES:
                meta["slideshow"] = {"slide_type": opt}
            elif opt.startswith("tags="):
                meta["tags"] = opt[5:].split(",")
            elif opt.startswith("nbgrader="):
                meta["nbgrader"] = json.loads(opt[9:])
            else:
                raise SystemExit(f"unknown cell option {opt!r}")
        meta.setdefault("slideshow", {"slide_type": "-"})
        cell.metadata.update(meta)
        cells.append(cell)

    for line in text.splitlines():
        if line.startswith("%% "):
            flush()
            head, body = line[3:].split(), []
            if head[0] not in {"md", "code"}:
                raise SystemExit(f"cell kind must be md or code: {line!r}")
        else:
            body.append(line)
    flush()
    return cells


def build(text: str) -> nbformat.NotebookNode:
    nb = new_notebook(cells=parse(text))
    nb.metadata.update({
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"
    nbformat.validate(nb)
    return nb


if __name__ == "__main__":
    src, dst = Path(sys.argv[1]), Path(sys.argv[2])
    nbformat.write(build(src.read_text()), dst)
    print(f"wrote {dst}")
