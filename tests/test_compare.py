"""aireg.compare: speed, tools and undone measures across the kit's cases, checked against the raw CSVs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import aireg
from aireg import compare
from aireg.maps import ACTION_ORDER
from aireg.theme import QUALITATIVE
from testkit import ROOT

CASES = ["chatgpt-italy-2023", "deepseek-2025", "grok-2026"]


def raw(case: str) -> pd.DataFrame:
    """The case's responses.csv read directly, without the library's loader."""
    frame = pd.read_csv(ROOT / "datasets" / case / "responses.csv", dtype=str)
    return frame.assign(date=pd.to_datetime(frame["date"]))


def raw_day_zero(case: str) -> pd.Timestamp:
    settings = json.loads((ROOT / "datasets" / case / "datapackage.json").read_text())["x-aireg-case"]
    timeline = pd.read_csv(ROOT / "datasets" / case / "timeline.csv", dtype=str)
    return pd.Timestamp(timeline.loc[timeline["event_id"] == settings["day_zero"], "date"].iloc[0])


def raw_binding(case: str) -> pd.DataFrame:
    """Binding measures on/after day zero, lifting rows excluded: computed here with plain pandas."""
    f = raw(case)
    return f[(f["legal_effect"] == "binding_measure") & (f["action_type"] != "block_lifted")
             & (f["date"] >= raw_day_zero(case))]


def test_the_kit_has_the_three_cases():
    assert sorted(aireg.cases()) == CASES


def test_the_garante_order_is_italys_first_binding_measure_on_day_zero():
    f = raw("chatgpt-italy-2023")
    italy = f[(f["iso3"] == "ITA") & (f["legal_effect"] == "binding_measure")].sort_values("date").iloc[0]
    assert italy["response_id"] == "2023-03-30-ita-processing-limitation"
    assert italy["date"] == raw_day_zero("chatgpt-italy-2023")  # the case counts from this very order
    first = compare.first_binding_measure(aireg.load_responses("chatgpt-italy-2023")).set_index("iso3")
    assert first.loc["ITA", "response_id"] == italy["response_id"]
    assert first.loc["ITA", "action_type"] == "processing_limitation"
    speed = compare.case_speed("chatgpt-italy-2023").set_index("iso3")
    assert speed.loc["ITA", "days_to_binding"] == 0 and speed.loc["ITA", "days_to_first_action"] == 0


@pytest.mark.parametrize("case", CASES)
def test_first_binding_measure_matches_the_raw_rows(case):
    expected = raw_binding(case).sort_values("date", kind="stable").groupby("iso3").first()["response_id"]
    got = compare.first_binding_measure(aireg.load_responses(case), since=raw_day_zero(case))
    assert got["iso3"].is_unique and list(got.columns) == ["iso3", "jurisdiction", "date", "action_type", "actor",
                                                           "response_id"]
    assert got.set_index("iso3")["response_id"].sort_index().to_dict() == expected.sort_index().to_dict()
    assert got["date"].is_monotonic_increasing


def test_since_drops_the_eu_fine_that_predates_the_grok_case():
    responses = aireg.load_responses("grok-2026")
    assert compare.first_binding_measure(responses).set_index("iso3").loc["EUU", "response_id"] == "2025-12-05-euu-fine"
    after = compare.first_binding_measure(responses, since="2025-12-24").set_index("iso3")
    assert after.loc["EUU", "response_id"] == "2026-01-08-euu-other"  # the retention order


@pytest.mark.parametrize("case", CASES)
def test_case_speed_counts_days_from_the_cases_own_day_zero(case):
    zero, f = raw_day_zero(case), raw(case)
    f = f[f["date"] >= zero]
    speed = compare.case_speed(case).set_index("iso3")
    assert set(speed.index) == set(f["iso3"]) and (speed["case"] == case).all()
    acts = f[~f["action_type"].isin(["statement", "block_lifted"])].groupby("iso3")["date"].min()
    for iso3, when in acts.items():
        assert speed.loc[iso3, "days_to_first_action"] == (when - zero).days
    binding = raw_binding(case).groupby("iso3")["date"].min()
    for iso3, when in binding.items():
        assert speed.loc[iso3, "days_to_binding"] == (when - zero).days
    assert speed.loc[~speed.index.isin(binding.index), "days_to_binding"].isna().all()


def test_known_day_counts():
    grok = compare.case_speed("grok-2026").set_index("iso3")
    assert grok.loc["IND", "days_to_binding"] == 9  # 2 Jan 2026 removal order, 9 days after 24 Dec 2025
    assert grok.loc["IDN", "binding_action_type"] == "access_block" and grok.loc["IDN", "days_to_binding"] == 17
    assert pd.isna(grok.loc["GBR", "days_to_binding"]) and grok.loc["GBR", "days_to_first_action"] == 12
    assert pd.isna(grok.loc["DEU", "days_to_first_action"])  # statements only
    deepseek = compare.case_speed("deepseek-2025").set_index("iso3")
    assert deepseek.loc["ITA", "binding_response_id"] == "2025-01-30-ita-processing-limitation"
    assert deepseek.loc["ITA", "days_to_binding"] == 10


@pytest.mark.parametrize("case", CASES)
def test_tools_used_counts_the_raw_action_types(case):
    f = raw(case)
    f = f[f["date"] >= raw_day_zero(case)]
    tools = compare.tools_used(case)
    assert list(tools.index) == [*ACTION_ORDER, "other", "block_lifted", "binding"]
    assert tools.drop("binding")[tools.drop("binding") > 0].to_dict() == f["action_type"].value_counts().to_dict()
    assert tools["binding"] == len(raw_binding(case))


def test_tools_table_and_the_grok_fine_before_day_zero():
    assert compare.tools_used("grok-2026")["fine"] == 0  # the 5 December 2025 DSA fine is about other matters
    table = compare.tools_table(CASES)
    assert list(table.columns) == ["ChatGPT in Italy", "DeepSeek", "Grok"]
    assert table.loc["Ban on government devices", "DeepSeek"] == (raw("deepseek-2025")["action_type"]
                                                                 == "device_ban").sum()
    assert "Content removal order" in table.index and (table.drop("Binding measures (all types)") > 0).any(axis=1).all()


def test_undone_finds_the_court_of_rome_and_the_lifted_blocks():
    chatgpt = compare.undone("chatgpt-italy-2023").set_index("response_id")
    f = raw("chatgpt-italy-2023").set_index("response_id")
    annul = f[(f["action_type"] == "court_case") & f["summary"].str.contains("Annulled")].index
    assert list(annul) == ["2026-03-18-ita-court-case"] and chatgpt.loc[annul[0], "how"] == "annulment"
    assert chatgpt.loc["2025-03-21-ita-court-case", "how"] == "suspension"
    assert chatgpt.loc["2024-12-20-ita-fine", "how"] == "lifted"
    assert chatgpt.loc["2023-04-28-ita-block-lifted", "how"] == "lifting"
    grok = compare.undone("grok-2026")
    g = raw("grok-2026")
    assert set(grok["response_id"]) == set(g.loc[(g["status"] == "lifted") | (g["action_type"] == "block_lifted"),
                                                  "response_id"])
    assert set(grok.loc[grok["how"] == "lifted", "response_id"]) == {
        "2026-01-10-idn-access-block", "2026-01-11-mys-access-block", "2026-01-15-phl-access-block"}


@pytest.mark.parametrize("case", CASES)
def test_undone_invents_nothing(case):
    f = raw(case).set_index("response_id")
    for rid, how in compare.undone(case)[["response_id", "how"]].itertuples(index=False):
        row = f.loc[rid]
        if how == "lifted":
            assert row["status"] == "lifted"
        elif how == "lifting":
            assert row["action_type"] == "block_lifted"
        else:
            assert row["action_type"] == "court_case" and how[:5] in row["summary"].lower()


def test_comparison_one_row_per_case():
    table = compare.comparison(CASES).set_index("case")
    assert list(table.index) == CASES
    for case in CASES:
        zero, f = raw_day_zero(case), raw(case)
        f = f[f["date"] >= zero]
        firsts = raw_binding(case).groupby("iso3")["date"].min()
        row = table.loc[case]
        assert row["day_zero"] == zero
        assert row["jurisdictions_binding"] == len(firsts)
        assert row["median_days_to_binding"] == (firsts - zero).dt.days.median()
        assert row["jurisdictions_acting"] == f.loc[~f["action_type"].isin(["statement", "block_lifted"]),
                                                    "iso3"].nunique()
        assert row["binding_measures"] == len(raw_binding(case))
        lifted = raw(case)
        assert row["measures_undone"] == ((lifted["status"] == "lifted") & (lifted["action_type"] != "block_lifted")).sum()
    assert table.loc["chatgpt-italy-2023", "title"] == "ChatGPT in Italy"
    assert table.loc["chatgpt-italy-2023", "day_zero_label"] == "the Garante's order"
    assert "Fine: 2" in table.loc["chatgpt-italy-2023", "tools_used"]
    assert table.loc["grok-2026", "tools_used"].startswith("Statement: ")


def test_speed_figure_is_readable_without_colour():
    fig = compare.speed_figure(CASES)
    assert [t.name for t in fig.data] == ["ChatGPT in Italy", "DeepSeek", "Grok"]
    assert len({t.marker.symbol for t in fig.data}) == 3
    assert [t.marker.color for t in fig.data] == QUALITATIVE[:3]
    italy = fig.data[0]
    assert list(italy.y) == ["Italy", "South Korea"] and list(italy.x) == [0, 118]
    grok = dict(zip(fig.data[2].y, fig.data[2].x, strict=True))
    zero = raw_day_zero("grok-2026")
    assert grok["India"] == (pd.Timestamp("2026-01-02") - zero).days
    alt = fig.layout.meta["text_alternative"]
    assert fig.layout.title.text in alt and "the Garante's order" in alt and "Italy 0" in alt
    assert "first binding measure" in fig.layout.title.text
