"""Execute notebooks with nbclient and inspect their outputs (shared by the notebook tests and benchmarks)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from aireg.offline import external_urls

CELL_TIMEOUT = 120  # seconds per cell


def execute(path: Path, timeout: int = CELL_TIMEOUT, cwd: Path | None = None) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh kernel, in its own folder; raises on the first error."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(cwd or path.parent)}}).execute()
    return nb


def html_outputs(nb) -> list[str]:
    """Every text/html output (and the documents inside srcdoc iframes, unescaped)."""
    docs = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            text = data.get("text/html")
            if text is None:
                continue
            text = "".join(text) if isinstance(text, list) else text
            docs.append(text)
            docs += [html.unescape(s) for s in re.findall(r'srcdoc="([^"]*)"', text)]
    return docs


def network_assets(nb) -> list[str]:
    """Scripts and stylesheets that the executed notebook's outputs would load over the network."""
    return [u for doc in html_outputs(nb) for u in external_urls(doc)]


def error_outputs(nb) -> list[str]:
    return [f"{o.get('ename')}: {o.get('evalue')}" for c in nb.cells for o in c.get("outputs", [])
            if o.get("output_type") == "error"]
