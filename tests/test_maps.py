"""The response map (aireg.maps): strength order, per-country colours as of a date, escaping, unknown codes,
offline self-contained HTML under 700 KB, and the explorer driven from Python."""

from __future__ import annotations

import json
import re
import statistics
import time

import pandas as pd
import pytest

from aireg.data import load_jurisdictions, load_responses
from aireg.maps import (
    ACTION_COLOURS,
    ACTION_ORDER,
    NO_ACTION_COLOUR,
    acted_counts,
    action_rank,
    map_html,
    response_explorer,
    response_map,
    response_table_html,
    show_map,
    strongest_actions,
    unknown_codes,
)
from aireg.offline import external_urls

MAX_BYTES = 700_000
INJECTED = "<script>alert('x')</script>"


def frame(rows: list[tuple]) -> pd.DataFrame:
    """A small responses frame: (iso3, date, action_type[, actor])."""
    recs = []
    for r in rows:
        iso3, day, act, *rest = r
        recs.append({"jurisdiction": iso3, "iso3": iso3, "level": "subnational" if "-" in iso3 else "national",
                     "date": day, "actor": rest[0] if rest else f"{iso3} regulator", "action_type": act,
                     "legal_basis": "Test Act s. 1", "summary": "test row", "status": "open",
                     "source_url": "https://example.org/a | https://example.org/b"})
    return pd.DataFrame(recs)


SMALL = frame([
    ("FRA", "2026-01-02", "investigation"),
    ("FRA", "2026-01-05", "statement"),
    ("IDN", "2026-01-10", "access_block"),
    ("IDN", "2026-02-01", "block_lifted"),
    ("EUU", "2026-01-26", "formal_proceedings"),
    ("US-CA", "2026-01-14", "investigation"),
    ("MLT", "2026-01-20", "statement"),
    ("BRA", "2026-01-20", "other"),
])


def fill_colours(doc: str) -> dict[str, set[str]]:
    """code -> fill colours of the layers drawn for it (styles are JSON with sorted keys: className first)."""
    found: dict[str, set[str]] = {}
    for code, colour in re.findall(r'"className": "aireg-j aireg-code-([A-Z0-9-]+)"[^{}]*?"fillColor": "(#\w+)"',
                                   doc):
        found.setdefault(code, set()).add(colour.lower())
    return found


def bound_strings(doc: str, method: str) -> list[str]:
    """The strings passed to bindPopup / bindTooltip, decoded as the browser would before inserting them."""
    return [json.loads(s) for s in re.findall(method + r'\(("(?:[^"\\]|\\.)*")', doc)]


# ---------------------------------------------------------------- pure functions


def test_strength_order_is_documented_and_total():
    assert ACTION_ORDER == ("statement", "information_request", "investigation", "formal_proceedings",
                            "device_ban", "content_removal_order", "legislation", "court_case", "fine",
                            "processing_limitation", "access_block")
    assert [action_rank(a) for a in ACTION_ORDER] == list(range(1, 12))
    assert action_rank("other") == action_rank("block_lifted") == 0
    with pytest.raises(ValueError, match="unknown action type"):
        action_rank("invasion")
    import aireg.maps

    for act in ACTION_ORDER:
        assert act in aireg.maps.__doc__
    assert len(set(ACTION_COLOURS[a] for a in ACTION_ORDER)) == 11
    assert NO_ACTION_COLOUR not in ACTION_COLOURS.values()


def test_strongest_actions_as_of_a_date():
    rows = strongest_actions(SMALL, as_of="2026-01-12").set_index("code")
    assert sorted(rows.index) == ["FRA", "IDN"]
    assert rows.loc["FRA", "action_type"] == "investigation"  # the later statement is weaker
    assert rows.loc["FRA", "n_actions"] == 2
    assert rows.loc["IDN", "action_type"] == "access_block" and pd.isna(rows.loc["IDN", "lifted_date"])

    rows = strongest_actions(SMALL).set_index("code")
    assert rows.loc["IDN", "action_type"] == "access_block"  # a lifted block still counts
    assert rows.loc["IDN", "lifted_date"] == pd.Timestamp("2026-02-01")
    assert rows.loc["EUU", "action_type"] == "formal_proceedings"
    assert "DEU" not in rows.index  # EU rows are for EUU itself, never copied to member states
    assert rows.loc["BRA", "action_type"] == "other"


def test_block_lifted_alone_and_filters():
    only = strongest_actions(frame([("PHL", "2026-01-21", "block_lifted")]))
    assert only.iloc[0]["action_type"] == "block_lifted" and only.iloc[0]["rank"] == 0
    rows = strongest_actions(SMALL, action_types=["statement"])
    assert sorted(rows["code"]) == ["FRA", "MLT"]
    assert (rows["action_type"] == "statement").all()


def test_before_the_first_action_nothing_is_coloured():
    assert strongest_actions(SMALL, as_of="2026-01-01").empty
    doc = map_html(response_map(SMALL, as_of="2026-01-01"))
    assert fill_colours(doc) == {}
    assert "aireg-code-" not in doc
    real = load_responses()
    before = real["date"].min() - pd.Timedelta(days=1)
    assert fill_colours(map_html(response_map(real, as_of=before))) == {}


def test_bad_input_gives_clear_messages():
    with pytest.raises(ValueError, match="lacks column"):
        strongest_actions(pd.DataFrame({"iso3": ["FRA"]}))
    with pytest.raises(ValueError, match="not a date"):
        strongest_actions(SMALL, as_of="next tuesday")
    with pytest.raises(ValueError, match="unknown action type"):
        strongest_actions(frame([("FRA", "2026-01-02", "war")]))
    with pytest.raises(TypeError, match="DataFrame"):
        strongest_actions([1, 2])
    with pytest.raises(ValueError, match="sort_by"):
        response_table_html(strongest_actions(SMALL), sort_by="colour")


def test_acted_counts():
    counts = acted_counts(SMALL)
    assert counts["jurisdictions"].is_monotonic_increasing
    assert counts.iloc[-1]["jurisdictions"] == SMALL["iso3"].nunique()
    assert counts.iloc[0]["jurisdictions"] == 1


# ---------------------------------------------------------------- the map


def test_right_colour_per_country_as_of_a_date():
    m = response_map(SMALL, as_of="2026-01-20")
    colours = fill_colours(map_html(m))
    assert colours["FRA"] == {ACTION_COLOURS["investigation"].lower()}
    assert colours["IDN"] == {ACTION_COLOURS["access_block"].lower()}
    assert colours["US-CA"] == {ACTION_COLOURS["investigation"].lower()}  # state polygon + its dot
    assert colours["MLT"] == {ACTION_COLOURS["statement"].lower()}
    assert colours["BRA"] == {ACTION_COLOURS["other"].lower()}
    assert "EUU" not in colours and "DEU" not in colours  # the EU acted only on 26 January
    assert m.aireg_drawn == {"BRA": "polygon", "FRA": "polygon", "IDN": "polygon", "MLT": "marker",
                             "US-CA": "polygon"}
    doc = map_html(response_map(SMALL, as_of="2026-01-31"))
    assert fill_colours(doc)["EUU"] == {ACTION_COLOURS["formal_proceedings"].lower()}  # its Brussels dot
    assert "aireg-code-DEU" not in doc  # members keep their own (here: no) colour under the EU outline
    assert f'"fillColor": "{NO_ACTION_COLOUR}"' in doc  # the grey base layer


def test_subnational_is_dashed_and_eu_is_an_outline():
    m = response_map(SMALL)
    doc = map_html(m)
    state = re.search(r'\{"className": "aireg-j aireg-code-US-CA"[^{}]*\}', doc).group(0)
    assert '"dashArray": "5 4"' in state
    eu = re.findall(r'\{"className": "aireg-j aireg-code-EUU"[^{}]*\}', doc)
    assert any('"fill": false' in s for s in eu)  # outline over the member states
    eu_members = set(load_jurisdictions().query("eu_member")["code"])
    assert m.aireg_drawn["EUU"] == "outline" and "MLT" in eu_members


def test_popups_and_tooltips_are_escaped():
    evil = frame([("FRA", "2026-01-02", "investigation", INJECTED)])
    evil.loc[0, "summary"] = '"quoted" & <b>bold</b>'
    evil.loc[0, "legal_basis"] = "<img src=x onerror=alert(1)>"
    evil.loc[0, "source_url"] = "javascript:alert(1) | https://example.org/?a=<x>"
    doc = map_html(response_map(evil))
    popups = bound_strings(doc, "bindPopup")
    assert popups, "no popup bound"
    for text in popups + bound_strings(doc, "bindTooltip"):
        assert "<script" not in text and "<img" not in text and "javascript:" not in text
    joined = " ".join(popups)
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in joined
    assert "&lt;img src=x onerror=alert(1)&gt;" in joined
    assert "<script>alert" not in doc  # nor anywhere raw in the document
    table = response_table_html(strongest_actions(evil))
    assert "<script>alert" not in table and "&lt;script&gt;" in table and "javascript:" not in table


def test_popup_has_the_details():
    doc = map_html(response_map(SMALL))
    idn = next(p for p in bound_strings(doc, "bindPopup") if 'data-code="IDN"' in p)
    for part in ("Access block", "lifted 1 Feb 2026", "IDN regulator", "Test Act s. 1", "https://example.org/a",
                 "All actions so far (2)"):
        assert part in idn


def test_unknown_codes_are_reported_not_dropped_silently():
    bad = pd.concat([SMALL, frame([("XXA", "2026-01-03", "statement")])], ignore_index=True)
    problems = unknown_codes(bad)
    assert list(problems) == ["XXA"] and "not in" in problems["XXA"]
    with pytest.warns(UserWarning, match="XXA"):
        m = response_map(bad)
    assert "XXA" in m.aireg_problems and "XXA" not in m.aireg_drawn
    assert "Not drawn" in map_html(m) and "XXA" in map_html(m)
    with pytest.raises(ValueError, match="XXA"):
        response_map(bad, on_unknown="raise")
    assert unknown_codes(load_responses()) == {}


def test_missing_feature_falls_back_to_a_marker_and_is_reported():
    reg = load_jurisdictions()
    reg.loc[reg["code"] == "FRA", "code"] = "FRX"
    extra = frame([("FRX", "2026-01-02", "statement")])
    extra_reg = pd.concat([load_jurisdictions(), reg[reg["code"] == "FRX"]], ignore_index=True)
    problems = unknown_codes(extra, registry=extra_reg)
    assert "FRX" in problems and "marker" in problems["FRX"]
    with pytest.warns(UserWarning, match="FRX"):
        m = response_map(extra, registry=extra_reg)
    assert m.aireg_drawn == {"FRX": "marker"}


def test_real_data_every_jurisdiction_drawn_offline_and_small():
    real = load_responses()
    last = real["date"].max()
    m = response_map(real, as_of=last)
    doc = map_html(m)
    size = len(doc.encode("utf-8"))
    print(f"map HTML: {size / 1000:.0f} KB")
    assert size < MAX_BYTES, f"map HTML is {size} bytes"
    assert external_urls(doc) == []
    assert "$(" not in doc and "jQuery" not in doc  # folium's jQuery popups are not used
    assert "L.map(" in doc and "L.control.layers(" in doc and "leaflet-container" in doc  # inlined Leaflet + CSS
    colours = fill_colours(doc)
    codes = set(real["iso3"])
    assert set(m.aireg_drawn) == codes
    assert set(colours) == codes, f"not coloured: {codes - set(colours)}"
    # one toggleable layer per action type present
    for act in set(real["action_type"]) - {"block_lifted"}:
        assert f"({(m.aireg_rows['action_type'] == act).sum()})" in doc


def test_show_map_frames_a_self_contained_document():
    out = show_map(response_map(SMALL), height=300)
    assert "<iframe" in out.data and "srcdoc=" in out.data and "height:300px" in out.data
    assert external_urls(out.data) == []


# ---------------------------------------------------------------- the explorer


@pytest.fixture(scope="module")
def explorer():
    return response_explorer()


def rows_in(table_html: str) -> list[str]:
    return re.findall(r"<tr data-code='([^']+)'", table_html)


def test_explorer_parts(explorer):
    ex = explorer
    for part in ("slider", "play", "action_filter", "sort_by", "map_html", "table", "figure", "widget"):
        assert getattr(ex, part) is not None
    assert "aireg" in ex.widget._dom_classes
    assert ex.slider.index == len(ex.slider.options) - 1  # starts at the last date
    assert "<caption" in ex.table.value and "scope='col'" in ex.table.value
    assert set(rows_in(ex.table.value)) == set(load_responses()["iso3"])


def test_explorer_chart_has_a_date_axis_from_the_first_render():
    """Issue 15: on first load the count chart's axis showed raw numbers (1.765e18) until the slider moved: a
    FigureWidget sends a datetime column as int64 nanoseconds. Dates now go as ISO text on a date axis."""
    import json

    ex = response_explorer()
    assert ex.figure.layout.xaxis.type == "date"
    for trace in ex.figure.data:
        assert all(isinstance(x, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", x) for x in trace.x), trace.x[:3]
    sent = json.loads(json.dumps(ex.figure.to_plotly_json()["data"], default=str))
    assert all(isinstance(t["x"], list) and all(isinstance(x, str) for x in t["x"]) for t in sent), \
        "x goes as date text, not as binary-encoded numbers"


def test_explorer_slider_redraws_map_table_and_marker(explorer):
    """Issue 15: the map moves between dates in place: the document is built once, each date is a new state (the
    colour, popup and tooltip of each jurisdiction that had acted; the legend) that the map applies to its layers."""
    ex = explorer
    ex.slider.value = ex.slider.options[-1][1]
    doc, reloads = ex.map_html.doc, ex.map_html.reloads
    state_before, table_before = ex.map_html.state, ex.table.value
    ex.slider.value = pd.Timestamp("2026-01-10").date()
    assert ex.map_html.state != state_before and ex.table.value != table_before
    assert ex.map_html.doc is doc and ex.map_html.reloads == reloads, "a date change must not rebuild the map"
    expected = strongest_actions(as_of="2026-01-10").set_index("code")["action_type"]
    assert set(rows_in(ex.table.value)) == set(expected.index)
    assert {c: v["colour"] for c, v in ex.map_html.state["codes"].items()} == {
        c: ACTION_COLOURS[a] for c, a in expected.items()}
    assert ex.map_html.state["key"] == "2026-01-10" and "10 Jan 2026" in ex.map_html.state["legend"]
    assert list(ex.figure.data[1].x) == ["2026-01-10"] * 2
    assert "10 Jan 2026" in ex.figure.layout.title.text

    ex.slider.index = 0  # the day before the first action
    assert rows_in(ex.table.value) == [] and "No documented action yet" in ex.table.value
    assert ex.map_html.state["codes"] == {}
    assert ex.figure.layout.title.text.startswith("Jurisdictions that had acted: 0")

    ex.play.value = 5  # the Play button drives the slider
    assert ex.slider.index == 5
    ex.slider.index = len(ex.slider.options) - 1
    assert ex.map_html.reloads == reloads


def test_live_map_draws_every_jurisdiction_once_and_restyles_by_code():
    """The live document holds a layer for every jurisdiction that acts on any date, registered by code, and a
    restyle handler that accepts states only from the page that holds the map."""
    from aireg.maps import map_html, map_state

    live = map_html(response_map(as_of="2026-01-02", live=True))
    every = set(load_responses()["iso3"])
    for code in every:
        assert f'code: "{code}"' in live, code
    assert "event.source === window.parent" in live
    assert "L.control.layers" not in live and "L.control.layers" in map_html(response_map())  # no per-type layers
    state = map_state(as_of="2026-01-02")
    assert set(state["codes"]) == set(strongest_actions(as_of="2026-01-02")["code"]) < every


def test_rebuild_mode_still_builds_a_document_per_date():
    """The old behaviour, kept for the before/after browser benchmark."""
    ex = response_explorer(update="rebuild")
    before = ex.map_html.value
    ex.slider.value = pd.Timestamp("2026-01-10").date()
    assert ex.map_html.value != before and "aireg-code-" in ex.map_html.value
    ex.slider.index = 0
    assert "aireg-code-" not in ex.map_html.value
    with pytest.raises(ValueError):
        response_explorer(update="sometimes")


def test_explorer_filter_and_sort(explorer):
    ex = explorer
    everything = rows_in(ex.table.value)
    ex.action_filter.value = ("access_block", "block_lifted")
    blocked = rows_in(ex.table.value)
    assert sorted(blocked) == ["IDN", "MYS", "PHL"] and len(blocked) < len(everything)
    assert ex.figure.layout.title.text.startswith("Jurisdictions that had acted: 3")
    ex.action_filter.value = ()
    assert rows_in(ex.table.value) == []
    ex.action_filter.value = tuple(v for _, v in ex.action_filter.options)
    ex.sort_by.value = "jurisdiction"
    by_name = rows_in(ex.table.value)
    ex.sort_by.value = "action"
    by_strength = rows_in(ex.table.value)
    assert sorted(by_name) == sorted(by_strength) and by_name != by_strength
    assert by_strength[0] in {"IDN", "MYS", "PHL"}  # access blocks first
    ex.sort_by.value = "date"


def test_explorer_slider_callback_is_fast():
    ex = response_explorer()
    ex.timings.clear()
    options = [v for _, v in ex.slider.options]
    start = time.perf_counter()
    for v in options[:-1]:
        ex.slider.value = v
    total = time.perf_counter() - start
    median_ms = statistics.median(ex.timings) * 1000
    print(f"slider callback median {median_ms:.0f} ms over {len(ex.timings)} uncached dates ({total:.1f} s)")
    assert median_ms < 500


def test_data_is_never_evaluated_as_a_jinja_template():
    """branca re-compiles rendered macros as Jinja templates; the kit's elements must not let data through."""
    import aireg
    from aireg.maps import map_html, response_map

    r = aireg.load_responses()
    r.loc[r.index[0], "summary"] = "Injected {{ 7*7 }} and {% if true %}JINJA{% endif %}"
    r.loc[r.index[1], "actor"] = "{{ self.__init__.__globals__ }}"
    doc = map_html(response_map(r, as_of=r["date"].max()))
    assert "Injected 49" not in doc and "and JINJA" not in doc
    assert "Injected {{ 7*7 }}" in doc and "{{ self.__init__.__globals__ }}" in doc
