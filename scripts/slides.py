"""Export every lesson to an offline reveal.js slideshow under ``slides/`` (what ``make slides`` runs).

Each lesson is executed and converted as by::

    jupyter nbconvert --to slides --execute --SlidesExporter.reveal_url_prefix=reveal.js \
        --SlidesExporter.require_js_url=require.js --SlidesExporter.reveal_theme=white --no-input

(through nbconvert's API, so that a first, removed cell makes FigureWidgets also save a static figure). Code is
hidden on slides (it is in the notebook), and ``slide_fit.js`` pages every slide taller than the slide into a
vertical stack of slides that fit (tables split between rows, lists between items, one chart or map per slide):
reveal.js slides do not scroll. The vendored reveal.js 4.0.2 and require.js 2.3.7 are copied next to the HTML, so the folder works
from a USB stick with no internet (open ``slides/index.html``). The exported HTML is then cleaned of
the CDN references nbconvert's template still emits (jQuery, MathJax, mermaid, the widget embed
manager, any remote stylesheet): they are removed, and a tiny MathJax stand-in keeps the template's
``slidechanged`` handler from failing. Plotly figures are visible because ``aireg.setup()`` saves an
inline-plotly.js HTML copy of each figure (FigureWidgets too, see above); other widgets need a kernel, so
each shows a note pointing to JupyterLab or ``make present``.

    python scripts/slides.py                      # every lessons/*.ipynb
    python scripts/slides.py lessons/00-start-here.ipynb --out /tmp/slides
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
import time
from pathlib import Path

from aireg.offline import VENDOR, external_urls, inline_cdn_assets

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "slides"

# reveal.js files the nbconvert 7.17 reveal template loads (dist/reveal.css, dist/theme/<theme>.css + fonts,
# dist/reveal.js, plugin/notes/notes.js); the whole vendored dist/ and plugin/ trees are copied.
REVEAL_PARTS = ("dist", "plugin", "LICENSE")
THEME = "white"  # high contrast, fonts bundled with reveal.js (nbconvert's default "simple" loads Google Fonts)

_MATHJAX_STUB = (
    "<script>/* MathJax stand-in: the kit's slides ship no MathJax (it would come from a CDN). */"
    "window.MathJax = window.MathJax || {Hub: {getAllJax: function () { return null; },"
    " Rerender: function () {}, Config: function () {}, Queue: function () {}}};</script>"
)
_MATHJAX_CONFIG = re.compile(r"""<script\s+type=["']text/x-mathjax-config["']>.*?</script>""", re.I | re.S)
_WIDGET_EMBED = re.compile(r"<script>\s*\(function\(\) \{\s*function addWidgetsRenderer\(\).*?</script>", re.S)


def offline_html(doc: str) -> str:
    """Remove every CDN reference nbconvert's reveal template emits (``aireg.offline.inline_cdn_assets``), the
    MathJax config and the widget embed loader; add the MathJax stand-in."""
    doc = _MATHJAX_CONFIG.sub("", doc)
    doc = _WIDGET_EMBED.sub("", doc)
    doc = inline_cdn_assets(doc)
    return doc.replace("</head>", _MATHJAX_STUB + "\n</head>", 1)


# Slides that fit (issue 15): reveal.js slides do not scroll, so scripts/slide_fit.js pages every slide taller than
# the slide into a vertical stack of slides that fit, one chart or map per slide, before reveal.js starts.
FIT_JS = Path(__file__).with_name("slide_fit.js")
WIDTH, HEIGHT = 960, 700  # nbconvert's reveal defaults, passed explicitly so the fitting uses the same numbers
FIT_MARGIN = 20
_FIT_CSS = (
    "<style>/* aireg: slides that fit */"
    ".reveal .aireg-continued-title{font-size:0.7em;font-weight:600;color:#555;margin:0 0 0.4em 0;text-align:left}"
    ".reveal .jp-RenderedHTMLCommon table{font-size:0.85em}"
    ".reveal .slides a{text-decoration:underline !important}"  # links told apart from text by more than colour (WCAG 1.4.1)
    ".reveal table.aireg-table{font-size:0.6em !important}.reveal ul.aireg-sources{font-size:0.6em}"
    "</style>"
)
_INIT = "Reveal.initialize({"


def fit_slides(doc: str) -> str:
    """Add the page-fitting script, run just before ``Reveal.initialize`` (nbconvert's reveal template)."""
    if doc.count(_INIT) != 1:
        raise RuntimeError("nbconvert's reveal template changed: cannot find its one Reveal.initialize call")
    script = "<script>" + FIT_JS.read_text(encoding="utf-8") + "</script>"
    doc = doc.replace("</head>", _FIT_CSS + script + "\n</head>", 1)
    fit = f"aiFitSlides({WIDTH}, {HEIGHT}, {FIT_MARGIN})"
    # again once the web fonts have loaded (text set in them can be taller), then reveal.js re-reads the slides
    again = (f"if (document.fonts) document.fonts.ready.then(function () {{ if ({fit} > 0) Reveal.sync(); }});")
    return doc.replace(_INIT, f"{fit};\n        {again}\n        " + _INIT, 1)


def copy_assets(out: Path) -> None:
    """Vendored reveal.js and require.js next to the slides (idempotent)."""
    reveal = out / "reveal.js"
    for part in REVEAL_PARTS:
        src, dst = VENDOR / "reveal.js" / part, reveal / part
        if not src.exists():
            raise SystemExit(f"{src} is missing: run `make vendor` to restore the offline assets")
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    # Some reveal themes @import web fonts from Google: strip those from the copies (the theme falls back to
    # its next font); the kit uses "white", whose fonts are bundled.
    for css in (reveal / "dist" / "theme").glob("*.css"):
        text = css.read_text(encoding="utf-8")
        cleaned = inline_cdn_assets(text)
        if cleaned != text:
            css.write_text(cleaned, encoding="utf-8")
    shutil.copy2(VENDOR / "requirejs" / "require.js", out / "require.js")
    shutil.copy2(VENDOR / "requirejs" / "LICENSE", out / "require.js.LICENSE")


# Run before the lesson's own cells (and removed from the export): a FigureWidget then also saves the static
# plotly figure that ``aireg.setup()``'s renderer produces, so live figures stay visible on the slides.
STATIC_FIGURES = """\
import plotly.graph_objects as _go
_go.FigureWidget._repr_mimebundle_ = lambda self, *a, **k: _go.Figure(self)._repr_mimebundle_(*a, **k)
"""
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
LIVE_ONLY = ("<p class='aireg-live-only' style='border:2px dashed #999;padding:0.5em;color:#333'>"
             "<em>Interactive explorer: open this lesson in JupyterLab, or run <code>make present</code> "
             "for the dashboard.</em></p>")


def _static_outputs(nb) -> None:
    """Widget outputs have no state in a static export: replace each by a note saying where it is live."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                out["data"] = {"text/html": LIVE_ONLY, "text/plain": "Interactive explorer (live only)"}


def export(nb_path: Path, out: Path, timeout: int = 300) -> Path:
    """Execute one notebook and write ``<out>/<stem>.slides.html``, offline-clean.

    The same as ``jupyter nbconvert --to slides --execute --SlidesExporter.reveal_url_prefix=reveal.js
    --SlidesExporter.require_js_url=require.js --SlidesExporter.reveal_theme=white``, through nbconvert's API so a setup cell can run first.
    """
    import nbformat
    from nbconvert import SlidesExporter
    from nbconvert.preprocessors import CellExecutionError, ExecutePreprocessor

    nb = nbformat.read(nb_path, as_version=4)
    setup = nbformat.v4.new_code_cell(STATIC_FIGURES, metadata={"slideshow": {"slide_type": "skip"}})
    nb.cells.insert(0, setup)
    executor = ExecutePreprocessor(timeout=timeout, kernel_name="python3", store_widget_state=False)
    try:
        executor.preprocess(nb, {"metadata": {"path": str(nb_path.parent)}})
    except CellExecutionError as exc:
        raise RuntimeError(f"{nb_path.name} failed to execute:\n{str(exc)[-2000:]}") from exc
    nb.cells.remove(setup)
    for cell in nb.cells:  # number the lesson's cells from 1, as in a fresh kernel
        if cell.cell_type == "code" and cell.get("execution_count"):
            cell.execution_count -= 1
            for output in cell.get("outputs", []):
                if output.get("execution_count"):
                    output["execution_count"] -= 1
    _static_outputs(nb)
    # Code is hidden on slides (it is in the notebook); prompts go with it.
    exporter = SlidesExporter(reveal_url_prefix="reveal.js", require_js_url="require.js", reveal_theme=THEME,
                              reveal_width=str(WIDTH), reveal_height=str(HEIGHT), exclude_input=True,
                              exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": nb_path.stem}})
    doc = fit_slides(offline_html(body))
    left = external_urls(doc)
    if left:
        raise RuntimeError(f"{nb_path.name}: the slides still reference the network: {sorted(set(left))[:5]}")
    target = out / f"{nb_path.stem}.slides.html"
    target.write_text(doc, encoding="utf-8")
    return target


def write_index(out: Path, made: list[tuple[Path, Path]]) -> Path:
    """``index.html``: a plain list of links to the slideshows (no network, no scripts)."""
    from aireg.guide import _title

    rows = "".join(f'<li><a href="{html.escape(t.name)}">{html.escape(_title(nb))}</a></li>' for nb, t in made)
    index = out / "index.html"
    index.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Lesson slides</title>"
        "<style>body{font-family:DejaVu Sans,Arial,sans-serif;font-size:22px;margin:2em}</style></head>"
        f"<body><h1>Lesson slides</h1><p>Open a lesson; use the arrow keys to move between slides.</p>"
        f"<ul>{rows}</ul></body></html>\n",
        encoding="utf-8",
    )
    return index


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("notebooks", nargs="*", type=Path, help="notebooks to export (default: lessons/*.ipynb)")
    ap.add_argument("--out", type=Path, default=OUT, help="output folder (default: slides/)")
    args = ap.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or sorted((ROOT / "lessons").glob("*.ipynb"))
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out)
    made, failed = [], []
    for nb in notebooks:
        t0 = time.perf_counter()
        try:
            target = export(nb, out)
        except RuntimeError as exc:
            failed.append(nb)
            print(f"FAILED {nb.name}: {exc}", file=sys.stderr)
            continue
        made.append((nb, target))
        print(f"{target.relative_to(out.parent)}  ({time.perf_counter() - t0:.1f} s)")
    write_index(out, made)
    print(f"{len(made)} slideshow(s) in {out}; open index.html (works offline)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
