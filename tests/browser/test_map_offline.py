"""The folium map's self-contained HTML renders in Chromium from a file, with no network at all."""

from __future__ import annotations

import pandas as pd
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


# Points sampled over the legend: any country outline under one of them means the legend covers land.
LEGEND_OVER_LAND = """() => {
  const legend = document.querySelector('.aireg-legend');
  const r = legend.getBoundingClientRect();
  const hits = new Set();
  for (let i = 1; i < 12; i++) for (let j = 1; j < 6; j++) {
    const x = r.left + r.width * i / 12, y = r.top + r.height * j / 6;
    for (const el of document.elementsFromPoint(x, y)) {
      if (el.matches('path.aireg-j, path.aireg-base')) hits.add(el.getAttribute('class'));
    }
  }
  return {hits: [...hits], legend: [r.top, r.height], map: document.querySelector('.folium-map').getBoundingClientRect().height};
}"""


@pytest.mark.parametrize("size", [(620, 460), (1000, 560), (1400, 620)], ids=["explorer", "lesson", "projector"])
def test_legend_is_off_the_land_and_folds_away(open_page, tmp_path, size):
    """Issue 15: the legend covered the Americas. It is now a strip below the map: no country lies under it at
    the explorer's, the lessons' and the projector's frame sizes; folding it gives the map the room back."""
    page_file = tmp_path / "map.html"
    page_file.write_text(map_html(response_map(load_responses())), encoding="utf-8")
    page, net = open_page(viewport=size)
    try:
        page.goto(page_file.as_uri())
        page.wait_for_selector("path.aireg-j")
        page.wait_for_timeout(300)
        got = page.evaluate(LEGEND_OVER_LAND)
        assert got["hits"] == [], f"the legend covers land at {size}: {got['hits'][:5]}"
        assert page.locator("path.aireg-code-USA, path.aireg-code-BRA").count() >= 2
        page.locator(".aireg-legend summary").click()
        page.wait_for_timeout(300)
        folded = page.evaluate(LEGEND_OVER_LAND)
        assert folded["map"] > got["map"] + 20, (got, folded)
        assert net.page_errors == []
    finally:
        page.close()


HOST = """<!DOCTYPE html><html><body style="margin:0"><iframe id="map" style="width:900px;height:520px;border:0"
srcdoc="{doc}"></iframe></body></html>"""

FRAME_STATE = """() => {
  const w = document.getElementById('map').contentWindow, d = w.document;
  const fills = {};
  d.querySelectorAll('path.aireg-j').forEach(p => {
    const code = [...p.classList].find(c => c.startsWith('aireg-code-')).slice(11);
    fills[code] = p.getAttribute('fill');
  });
  return {mark: w.__mark || null, key: d.body.getAttribute('data-aireg-state'), fills,
          legend: d.querySelector('.aireg-legend summary').textContent};
}"""


def test_live_map_moves_between_dates_in_place(open_page, tmp_path):
    """Issue 15: Play rebuilt the whole map each step. A live map's page posts a state; the same document restyles
    the layers it has (colours, visibility, legend), with no reload, and ignores messages from anyone else."""
    import html
    import json

    from aireg.maps import map_state

    real = load_responses()
    doc = map_html(response_map(real, as_of="2026-06-29", live=True))
    page_file = tmp_path / "host.html"
    page_file.write_text(HOST.format(doc=html.escape(doc, quote=True)), encoding="utf-8")
    page, net = open_page(viewport=(1000, 600))
    try:
        page.goto(page_file.as_uri())
        frame = page.frame_locator("#map")
        frame.locator("path.aireg-j").first.wait_for()
        page.evaluate("() => { document.getElementById('map').contentWindow.__mark = 'same document'; }")
        first = page.evaluate(FRAME_STATE)
        assert first["key"] == "2026-06-29" and len(first["fills"]) == len(set(real["iso3"]))
        for day in ("2026-01-10", "2026-01-02", "2026-03-01"):
            state = {k: v for k, v in map_state(real, as_of=day).items() if k != "rows"}
            page.evaluate("(s) => document.getElementById('map').contentWindow.postMessage({airegRestyle: s}, '*')",
                          json.loads(json.dumps(state)))
            page.wait_for_function(f"() => document.getElementById('map').contentDocument.body"
                                   f".getAttribute('data-aireg-state') === '{day}'")
            now = page.evaluate(FRAME_STATE)
            assert now["mark"] == "same document", "the map was reloaded"
            shown = {c: f for c, f in now["fills"].items()}
            assert set(shown) == set(state["codes"]), day
            for code, s in state["codes"].items():
                if code != "EUU":  # the EU's outline carries the colour as its stroke
                    assert shown[code].lower() == s["colour"].lower(), (day, code)
            assert pd.Timestamp(day).strftime("%b %Y") in now["legend"]
        # a message from the map's own window (not its parent) is ignored
        child = next(f for f in page.frames if f is not page.main_frame)
        child.evaluate("() => window.postMessage({airegRestyle: {codes: {}, key: 'forged'}}, '*')")
        page.wait_for_timeout(300)
        assert page.evaluate(FRAME_STATE)["key"] == "2026-03-01"
        assert net.page_errors == []
    finally:
        page.close()
