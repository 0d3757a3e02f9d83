"""aireg.timeline: filtering, the case's reference date, first actions and the timeline figure."""

from __future__ import annotations

import pandas as pd
import pytest

import aireg
from aireg.timeline import (
    CATEGORY_SYMBOLS,
    RESPONSES_LABEL,
    case_trigger,
    event_table,
    filter_events,
    first_actions,
    first_report_date,
    hover_text,
    response_table,
    source_domains,
    timeline_figure,
)


def events() -> pd.DataFrame:
    rows = [
        ("old-feature", "2025-08-04", "day", "product_change", "Old feature"),
        ("spicy-test", "2025-08-01", "month", "media_report", "A month-precision report"),
        ("edit-feature", "2025-12-24", "day", "product_change", "Edit feature"),
        ("first-count", "2025-12-31", "day", "research_finding", "First count"),
        ("paywall", "2026-01-09", "day", "platform_measure", "Paywall"),
        ("later-feature", "2026-02-01", "day", "product_change", "Later feature"),
    ]
    return pd.DataFrame({
        "event_id": [r[0] for r in rows], "date": pd.to_datetime([r[1] for r in rows]),
        "date_precision": [r[2] for r in rows], "actor": "someone", "actor_type": "company",
        "category": [r[3] for r in rows], "title": [r[4] for r in rows], "summary": "What happened.",
        "source_url": "https://www.example.org/a | https://news.example.com/b | https://example.org/c",
    })


def responses() -> pd.DataFrame:
    rows = [
        ("EUU", "2025-12-05", "fine"),            # before the case: ignored
        ("GBR", "2026-01-05", "statement"),       # statements are not actions by default
        ("GBR", "2026-01-12", "formal_proceedings"),
        ("IDN", "2026-01-10", "access_block"),
        ("IDN", "2026-02-01", "block_lifted"),
    ]
    return pd.DataFrame({
        "jurisdiction": [r[0] for r in rows], "iso3": [r[0] for r in rows], "level": "national",
        "date": pd.to_datetime([r[1] for r in rows]), "actor": "authority", "action_type": [r[2] for r in rows],
        "legal_basis": "a law", "summary": "An action.", "status": "open",
        "source_url": "https://www.gov.example/x",
    })


def test_filter_events_by_category_and_dates():
    t = events()
    assert filter_events(t, ["product_change"])["event_id"].tolist() == ["old-feature", "edit-feature",
                                                                         "later-feature"]
    assert filter_events(t, "platform_measure")["event_id"].tolist() == ["paywall"]
    got = filter_events(t, start="2025-12-24", end="2026-01-09")["event_id"].tolist()
    assert got == ["edit-feature", "first-count", "paywall"]
    assert filter_events(t)["date"].is_monotonic_increasing


def test_filter_events_rejects_bad_input_clearly():
    with pytest.raises(ValueError, match="unknown timeline categories.*choose from"):
        filter_events(events(), ["tweets"])
    with pytest.raises(ValueError, match="after end"):
        filter_events(events(), start="2026-02-01", end="2026-01-01")
    with pytest.raises(ValueError, match="must be a date"):
        filter_events(events(), start="soon")


def test_source_domains_strip_www_and_repeats():
    assert source_domains("https://www.example.org/a | https://news.example.com/b | https://example.org/c") == [
        "example.org", "news.example.com"]


def test_reference_date_comes_from_the_data():
    t = events()
    assert case_trigger(t)["event_id"] == "edit-feature"     # not the later nor the older product change
    assert first_report_date(t) == pd.Timestamp("2025-12-31")
    assert first_report_date(t, anchor="feature") == pd.Timestamp("2025-12-24")
    with pytest.raises(ValueError, match="anchor"):
        first_report_date(t, anchor="launch")


def test_reference_date_of_the_kit_data():
    t = aireg.load_timeline()
    assert case_trigger(t)["event_id"] == "2025-12-24-image-edit-feature"
    assert first_report_date(t) == pd.Timestamp("2025-12-31")


def test_first_actions_skip_statements_and_earlier_rows():
    got = first_actions(responses(), since="2025-12-31")
    assert got[["iso3", "action_type"]].values.tolist() == [["IDN", "access_block"], ["GBR", "formal_proceedings"]]
    everything = first_actions(responses(), since="2025-12-31", exclude=())
    assert everything.set_index("iso3").loc["GBR", "action_type"] == "statement"


def test_timeline_figure_uses_shapes_and_hover_text():
    fig = timeline_figure(events(), responses())
    names = [tr.name for tr in fig.data]
    assert RESPONSES_LABEL in names
    symbols = [tr.marker.symbol for tr in fig.data]
    assert len(set(symbols)) == len(symbols), "each category has its own marker shape"
    assert set(symbols[:-1]) <= set(CATEGORY_SYMBOLS.values())
    paywall = next(tr for tr in fig.data if tr.name == "Platform measure")
    assert "Paywall" in paywall.hovertext[0] and "example.org" in paywall.hovertext[0]
    lane = fig.data[-1]
    assert list(lane.customdata) == ["IDN", "GBR"]
    assert fig.layout.xaxis.type == "date" and lane.x[0] == "2026-01-10"


def test_timeline_figure_filters_and_month_precision_hover():
    fig = timeline_figure(events(), categories=["media_report"])
    assert [tr.name for tr in fig.data] == ["Media report"]
    assert "month only" in hover_text(events().iloc[1])


def test_timeline_figure_on_kit_data():
    fig = timeline_figure(aireg.load_timeline(), aireg.load_responses())
    assert sum(len(tr.x) for tr in fig.data[:-1]) == len(aireg.load_timeline())


def test_event_table_cites_rows_in_order():
    table = event_table(events(), ["paywall", "spicy-test"])
    assert table["event_id"].tolist() == ["paywall", "spicy-test"]
    assert table.loc[1, "date"] == "August 2025 (month only)"
    assert table.loc[0, "sources"] == "example.org, news.example.com"
    with pytest.raises(ValueError, match="no timeline events"):
        event_table(events(), ["nope"])


def test_response_table_filters_and_explains_misses():
    got = response_table(responses(), "GBR", action_type="formal_proceedings")
    assert got[["iso3", "date"]].values.tolist() == [["GBR", "12 Jan 2026"]]
    assert len(response_table(responses(), ["GBR", "IDN"])) == 4
    assert len(response_table(responses(), "IDN", date="2026-01-10")) == 1
    with pytest.raises(ValueError, match="no responses.csv rows"):
        response_table(responses(), "FRA")
