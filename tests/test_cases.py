"""Case studies, plural (issue 16): every lesson-level view is built from each case package by its name, with no
case-specific code. What differs between cases (title, day zero, the steps of the action scale) is data."""

from __future__ import annotations

import pandas as pd
import pytest

import aireg
from aireg import sources
from aireg.data import DataError, case_info, cases, day_zero, load_citations, load_responses, load_timeline
from aireg.maps import (
    ACTION_LABELS,
    ACTION_ORDER,
    case_scale,
    map_html,
    map_state,
    response_explorer,
    response_map,
    response_table_html,
    strongest_actions,
    unknown_codes,
)
from aireg.tables import people_table
from aireg.timeline import first_actions, timeline_figure

CASES = ["grok-2026", "chatgpt-italy-2023", "deepseek-2025"]


def test_the_kit_has_three_cases():
    assert cases() == sorted(CASES)


@pytest.mark.parametrize("case", CASES)
def test_every_lesson_view_builds_from_the_case_name(case):
    info = case_info(case)
    responses, timeline = load_responses(case), load_timeline(case)
    assert set(responses["action_type"]) <= set(ACTION_LABELS), "every action type has a label and a colour"
    assert unknown_codes(responses) == {}, "every jurisdiction can be drawn"
    # the map, its live state, its table and the explorer
    doc = map_html(response_map(responses))
    assert all(f"aireg-code-{c}" in doc for c in set(responses["iso3"]))
    scale = case_scale(responses)
    assert scale and set(scale) <= set(ACTION_ORDER)
    legend = map_state(responses)["legend"]
    for act in ACTION_ORDER:  # the legend lists the steps this case has, and only those
        assert (f">{ACTION_LABELS[act]} (" in legend) == (act in scale), act
    rows = strongest_actions(responses)
    assert "<caption" in response_table_html(rows) and len(rows) == responses["iso3"].nunique()
    ex = response_explorer(responses)
    ex.slider.index = 0
    assert ex.map_html.state["codes"] == {}
    ex.slider.index = len(ex.slider.options) - 1
    assert set(ex.map_html.state["codes"]) == set(responses["iso3"])
    # the timeline, titled by the case's own name, and day zero from its settings
    fig = timeline_figure(timeline, responses)
    assert info["short_title"] in fig.layout.title.text
    start = day_zero(case)
    assert start == timeline.loc[timeline["event_id"] == info["day_zero"], "date"].iloc[0]
    assert len(first_actions(responses, since=start)) >= 1
    # tables for people, the data's currency and the sources
    assert "NaT" not in people_table(responses[["date", "jurisdiction", "action_type", "status"]])
    assert "Data verified to" in sources.currency_banner(case)
    assert set(load_citations(case)["row_id"]) >= set(responses["response_id"])


def test_day_zero_is_data_and_a_wrong_one_is_named(tmp_path, monkeypatch):
    import json
    import shutil

    from aireg import data

    for name in ("geo", "chatgpt-italy-2023"):
        shutil.copytree(data.data_dir() / name, tmp_path / name)
    shutil.copy(data.data_dir() / "blocked-domains.txt", tmp_path / "blocked-domains.txt")
    monkeypatch.setattr(data, "data_dir", lambda: tmp_path)
    pkg = tmp_path / "chatgpt-italy-2023" / "datapackage.json"
    meta = json.loads(pkg.read_text())
    meta["x-aireg-case"]["day_zero"] = "no-such-event"
    pkg.write_text(json.dumps(meta))
    with pytest.raises(DataError, match="no-such-event"):
        day_zero("chatgpt-italy-2023")
    del meta["x-aireg-case"]
    pkg.write_text(json.dumps(meta))
    with pytest.raises(DataError, match="x-aireg-case"):
        case_info("chatgpt-italy-2023")


def test_processing_order_and_device_ban_are_their_own_steps():
    """The new cases' legal distinction is on the scale: an order on processing (GDPR Art. 58(2)(f)) is not an
    access block, and a ban on government devices binds the government's staff, not the provider."""
    assert ACTION_ORDER.index("processing_limitation") < ACTION_ORDER.index("access_block")
    assert ACTION_ORDER.index("device_ban") < ACTION_ORDER.index("content_removal_order")
    italy = load_responses("chatgpt-italy-2023")
    order = italy[(italy["iso3"] == "ITA") & (italy["date"] == pd.Timestamp("2023-03-30"))]
    assert list(order["action_type"]) == ["processing_limitation"]
    assert "device_ban" in case_scale(load_responses("deepseek-2025"))
    assert "device_ban" not in case_scale(load_responses("grok-2026"))
    assert aireg.case_info("grok-2026")["day_zero"] == "2025-12-24-image-edit-feature"


def test_a_lifted_limitation_of_processing_says_when():
    """The Garante lifted its order on ChatGPT: the map and table report the lifting, as for a lifted block."""
    from aireg.maps import strongest_actions

    italy = load_responses("chatgpt-italy-2023")
    lifted = italy[(italy["iso3"] == "ITA") & (italy["action_type"] == "block_lifted")]["date"]
    assert len(lifted) >= 1
    first_day = pd.Timestamp(lifted.min())
    row = strongest_actions(italy, as_of=first_day).set_index("code").loc["ITA"]
    assert row["action_type"] == "processing_limitation" and row["lifted_date"] == first_day
