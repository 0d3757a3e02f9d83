"""Export every lesson to an offline reveal.js slideshow under ``slides/`` (what ``make slides`` runs).

Each lesson is executed and converted with::

    jupyter nbconvert --to slides --execute --SlidesExporter.reveal_url_prefix=reveal.js \
        --SlidesExporter.require_js_url=require.js

and the vendored reveal.js 4.0.2 and require.js 2.3.7 are copied next to the HTML, so the folder works
from a USB stick with no internet (open ``slides/index.html``). The exported HTML is then cleaned of
the CDN references nbconvert's template still emits (jQuery, MathJax, mermaid, the widget embed
manager, any remote stylesheet): they are removed, and a tiny MathJax stand-in keeps the template's
``slidechanged`` handler from failing. Widgets are static in the export (their live state needs a kernel);
plotly figures are visible because ``aireg.setup()`` saves an inline-plotly.js HTML copy of each figure.

    python scripts/slides.py                      # every lessons/*.ipynb
    python scripts/slides.py lessons/00-start-here.ipynb --out /tmp/slides
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "widgets" / "aireg" / "vendor"
OUT = ROOT / "slides"

# reveal.js files the nbconvert 7.17 reveal template loads (dist/reveal.css, dist/theme/<theme>.css + fonts,
# dist/reveal.js, plugin/notes/notes.js); the whole vendored dist/ and plugin/ trees are copied.
REVEAL_PARTS = ("dist", "plugin", "LICENSE")

_MATHJAX_STUB = (
    "<script>/* MathJax stand-in: the kit's slides ship no MathJax (it would come from a CDN). */"
    "window.MathJax = window.MathJax || {Hub: {getAllJax: function () { return null; },"
    " Rerender: function () {}, Config: function () {}, Queue: function () {}}};</script>"
)
_REMOTE_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["'](?:https?:)?//[^"']*["'][^>]*>\s*</script>""", re.I)
_REMOTE_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["'](?:https?:)?//[^"']*["'][^>]*/?>""", re.I)
_MODULE_IMPORT = re.compile(r"""<script\s+type=["']module["']>\s*import[^<]*?from\s+["'](?:https?:)?//[^<]*?</script>""",
                            re.I | re.S)
_MATHJAX_CONFIG = re.compile(r"""<script\s+type=["']text/x-mathjax-config["']>.*?</script>""", re.I | re.S)
_REMOTE_IMPORT = re.compile(r"""@import\s+(?:url\()?["']?(?:https?:)?//[^;]*;""", re.I)
_WIDGET_EMBED = re.compile(r"<script>\s*\(function\(\) \{\s*function addWidgetsRenderer\(\).*?</script>", re.S)


def offline_html(doc: str) -> str:
    """Remove every CDN reference nbconvert's reveal template emits; add the MathJax stand-in."""
    doc = _MODULE_IMPORT.sub("", doc)
    doc = _MATHJAX_CONFIG.sub("", doc)
    doc = _WIDGET_EMBED.sub("", doc)
    doc = _REMOTE_SCRIPT.sub("", doc)
    doc = _REMOTE_LINK.sub("", doc)
    doc = _REMOTE_IMPORT.sub("", doc)
    return doc.replace("</head>", _MATHJAX_STUB + "\n</head>", 1)


def remote_references(doc: str) -> list[str]:
    """URLs the document would still fetch: script/link/img/iframe sources, CSS imports and url()s."""
    urls = re.findall(r"""<(?:script|link|img|iframe|source|video|audio)\b[^>]*?\b(?:src|href)\s*=\s*["']"""
                      r"""((?:https?:)?//[^"']+)""", doc, flags=re.I)
    urls += re.findall(r"""@import\s+(?:url\()?["']?((?:https?:)?//[^"')\s;]+)""", doc)
    urls += re.findall(r"""url\(\s*["']?((?:https?:)?//[^"')\s]+)""", doc)
    urls += re.findall(r"""\bimport\s[^;]*?from\s+["']((?:https?:)?//[^"']+)""", doc)
    return urls


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
    shutil.copy2(VENDOR / "requirejs" / "require.js", out / "require.js")
    shutil.copy2(VENDOR / "requirejs" / "LICENSE", out / "require.js.LICENSE")


def export(nb: Path, out: Path, timeout: int = 300) -> Path:
    """Execute one notebook and write ``<out>/<stem>.slides.html``, offline-clean."""
    cmd = [
        sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides", "--execute",
        "--SlidesExporter.reveal_url_prefix=reveal.js",
        "--SlidesExporter.require_js_url=require.js",
        "--ExecutePreprocessor.store_widget_state=False",
        f"--ExecutePreprocessor.timeout={timeout}",
        "--output-dir", str(out), str(nb),
    ]
    proc = subprocess.run(cmd, cwd=nb.parent, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-25:])
        raise RuntimeError(f"nbconvert failed on {nb.name}:\n{tail}")
    target = out / f"{nb.stem}.slides.html"
    doc = offline_html(target.read_text(encoding="utf-8"))
    target.write_text(doc, encoding="utf-8")
    left = remote_references(doc)
    if left:
        raise RuntimeError(f"{target.name} still references the network: {sorted(set(left))[:5]}")
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
