"""aireg.geoblock: readings of "geoblocked where illegal", the coverage table, the map and the widget."""

from __future__ import annotations

import pandas as pd
import pytest

import aireg
from aireg.geoblock import (
    READINGS,
    coverage_html,
    geoblock_coverage,
    geoblock_explorer,
    geoblock_figure,
    map_status,
)


def registry() -> pd.DataFrame:
    rows = [
        ("AAA", "Alpha", "national", None, False, 0.0, 0.0, "world_110m"),
        ("BBB", "Beta", "national", None, False, 1.0, 1.0, "world_110m"),
        ("CCC", "Gamma", "national", None, False, 2.0, 2.0, "world_110m"),
        ("FRA", "France", "national", None, True, 47.0, 3.3, "world_110m"),
        ("DEU", "Germany", "national", None, True, 51.0, 10.7, "world_110m"),
        ("EUU", "European Union", "supranational", None, False, 50.8, 4.3, None),
        ("USA", "United States", "national", None, False, 38.0, -90.0, "world_110m"),
        ("US-CA", "California", "subnational", "USA", False, 35.6, -118.2, "us_states_110m"),
        ("ZZZ", "Zeta", "national", None, False, 3.0, 3.0, "world_110m"),
    ]
    cols = ["code", "name", "level", "parent", "eu_member", "lat", "lon", "geometry"]
    out = pd.DataFrame(rows, columns=cols)
    out["eu_member"] = out["eu_member"].astype("boolean")
    return out


def actions() -> pd.DataFrame:
    rows = [
        ("AAA", "2026-01-10", "access_block", "Regulation 5", "lifted"),
        ("BBB", "2026-01-05", "statement", "not stated", "one_off"),
        ("CCC", "2026-01-12", "investigation", "Penal code (sexual deepfakes)", "open"),
        ("EUU", "2025-12-05", "fine", "Digital Services Act", "decided"),        # before the case
        ("EUU", "2026-01-26", "formal_proceedings", "Digital Services Act", "open"),
        ("EUU", "2026-03-27", "legislation", "AI Act amendment: nudifier ban", "unknown"),  # not yet law
        ("FRA", "2026-01-02", "other", "Intimate image offence", "one_off"),
        ("US-CA", "2026-01-14", "investigation", "State law", "open"),
    ]
    return pd.DataFrame({
        "jurisdiction": [r[0] for r in rows], "iso3": [r[0] for r in rows],
        "level": ["subnational" if r[0].startswith("US-") else "national" for r in rows],
        "date": pd.to_datetime([r[1] for r in rows]), "actor": "authority", "action_type": [r[2] for r in rows],
        "legal_basis": [r[3] for r in rows], "summary": "x", "status": [r[4] for r in rows],
        "source_url": "https://gov.example/x",
    })


def covered(rule: str, since="2025-12-31") -> list[str]:
    table = geoblock_coverage(actions(), registry(), rule, since=since)
    return sorted(table.loc[table["covered"], "code"])


def test_readings_cover_different_places():
    assert covered("orders") == ["AAA"]
    assert covered("specific_law") == ["CCC", "FRA"]          # the AI Act vote is not in force
    assert covered("formal") == ["AAA", "CCC", "EUU", "FRA", "US-CA"]


def test_actions_before_the_case_do_not_count():
    early = actions()
    early = early[~((early["iso3"] == "EUU") & (early["date"] > "2026-01-01"))]
    table = geoblock_coverage(early, registry(), "formal", since="2025-12-31")
    assert "EUU" not in set(table["code"])
    assert "EUU" in set(geoblock_coverage(early, registry(), "formal", since=None)["code"])


def test_table_says_why_and_members_inherit_the_eu():
    table = geoblock_coverage(actions(), registry(), "formal", since="2025-12-31").set_index("code")
    assert "formal proceedings" in table.loc["EUU", "why"]
    assert table.loc["BBB", "why"] == "actions on record: statement" and not table.loc["BBB", "covered"]
    status = map_status(geoblock_coverage(actions(), registry(), "formal", since="2025-12-31"),
                        registry()).set_index("code")
    assert status.loc["DEU", "status"] == "covered" and status.loc["DEU", "via"] == "EUU"
    assert status.loc["ZZZ", "status"] == "no documented action"
    assert status.loc["BBB", "status"] == "not covered"
    narrow = map_status(geoblock_coverage(actions(), registry(), "orders", since="2025-12-31"),
                        registry()).set_index("code")
    assert narrow.loc["DEU", "status"] == "not covered"


def test_unknown_reading_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown reading.*orders"):
        geoblock_coverage(actions(), registry(), "everywhere")


def test_figure_is_a_choropleth_with_markers_for_points():
    cov = geoblock_coverage(actions(), registry(), "formal", since="2025-12-31")
    fig = geoblock_figure(map_status(cov, registry()), documented=cov["code"])
    choro = fig.data[0]
    assert choro.type == "choropleth" and choro.locationmode == "ISO-3"
    z = dict(zip(choro.locations, choro.z, strict=True))
    assert z["AAA"] == 2 and z["BBB"] == 1 and z["ZZZ"] == 0      # covered sits at the top of the colour bar
    assert list(choro.colorbar.ticktext) == ["no documented action", "not covered", "covered"]
    markers = [t for t in fig.data if t.type == "scattergeo"]
    assert {c for t in markers for c in t.customdata} == {"EUU", "US-CA"}
    assert {c for t in markers for c in t.text} == {"EUU", ""}, "US states are not labelled (labels would overlap)"
    html = coverage_html(cov)
    assert "<caption>5 of 6 jurisdictions" in html and "<th scope='col'>" in html


def test_widget_dropdown_changes_table_and_figure():
    ex = geoblock_explorer(actions(), registry(), since="2025-12-31")
    assert ex.rule == "orders"
    before_z, before_title = list(ex.figure.data[0].z), ex.figure.layout.title.text
    before_table = ex.table.copy()
    ex.dropdown.value = "formal"                  # as a keyboard or mouse user would
    assert ex.rule == "formal"
    assert int(ex.table["covered"].sum()) > int(before_table["covered"].sum())
    assert list(ex.figure.data[0].z) != before_z
    assert ex.figure.layout.title.text != before_title
    assert "5 of 6" in ex.table_html.value
    ex.rule = "specific_law"
    assert sorted(ex.table.loc[ex.table["covered"], "code"]) == ["CCC", "FRA"]
    assert READINGS["specific_law"].explanation in ex.explanation.value.replace("&#x27;", "'")
    with pytest.raises(ValueError):
        ex.rule = "nowhere"
    assert [o[1] for o in ex.dropdown.options] == list(READINGS)


def test_kit_data_readings():
    r, j = aireg.load_responses(), aireg.load_jurisdictions()
    orders = geoblock_coverage(r, j, "orders", since="2025-12-31")
    assert sorted(orders.loc[orders["covered"], "code"]) == ["IDN", "IND", "MYS", "PHL"]
    ex = geoblock_explorer()
    ex.rule = "formal"
    assert ex.table["covered"].sum() >= len(orders.loc[orders["covered"]])
