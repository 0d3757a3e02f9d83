"""The folium map's self-contained HTML renders in Chromium from a file, with no network at all."""

from __future__ import annotations

import pytest

from aireg.data import load_responses
from aireg.maps import map_html, response_map

pytestmark = pytest.mark.browser


def test_map_renders_offline_from_a_file(open_page, tmp_path):
    page_file = tmp_path / "map.html"
    real = load_responses()
    page_file.write_text(map_html(response_map(real)), encoding="utf-8")
    page, net = open_page(viewport=(1000, 560))
    try:
        page.goto(page_file.as_uri())
        page.wait_for_selector("path.aireg-j")
        for code in set(real["iso3"]):
            assert page.locator(f"path.aireg-code-{code}").count() >= 1, code
        page.locator("path.aireg-code-BRA").first.click(force=True)
        assert "Brazil" in page.locator(".leaflet-popup-content").inner_text()
        assert page.locator(".leaflet-control-layers-overlays label").count() >= 9
        assert net.page_errors == []
        assert net.problems() == []
    finally:
        page.close()
