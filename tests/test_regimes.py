"""aireg.regimes: sanction wording from penalty rows, time to first action, the comparison table."""

from __future__ import annotations

import pandas as pd
import pytest

import aireg
from aireg.regimes import (
    NOT_IN_DATA,
    Regime,
    comparison_table,
    format_sanction,
    max_sanction,
    time_to_first_action,
    time_to_first_action_figure,
)


def penalty(**kw) -> dict:
    row = {"regime_id": "x", "instrument": "Act", "article": "Art. 1", "tool": "fine", "basis": "none", "rate": None,
           "fixed_amount": None, "currency": None, "combine": "none", "per": "once", "max_duration_days": None,
           "decided_by": "Regulator", "source_url": "https://law.example/1"}
    return {**row, **kw}


def test_format_sanction_each_combination():
    assert format_sanction(penalty(basis="worldwide_annual_turnover", rate=0.06, combine="rate_only",
                                   article="DSA Art. 74(1)")) == "up to 6% of worldwide annual turnover (DSA Art. 74(1))"
    assert format_sanction(penalty(basis="qualifying_worldwide_revenue", rate=0.1, fixed_amount=18e6, currency="GBP",
                                   combine="greater_of")) == (
        "up to the greater of GBP 18,000,000 and 10% of qualifying worldwide revenue (Art. 1)")
    assert "the lesser of EUR 1,000" in format_sanction(penalty(basis="worldwide_annual_turnover", rate=0.01,
                                                                 fixed_amount=1000, currency="EUR", combine="lower_of"))
    assert format_sanction(penalty(fixed_amount=53088, currency="USD", combine="fixed_only", per="violation")) == (
        "up to USD 53,088 per violation (each day of a continuing violation can count) (Art. 1)")
    assert format_sanction(penalty(fixed_amount=100, currency="USD", combine="fixed_only", per="day")) == (
        "up to USD 100 per day (Art. 1)")
    assert format_sanction(penalty(tool="periodic_penalty", basis="average_daily_worldwide_turnover", rate=0.05,
                                   combine="rate_only", per="day")) == (
        "periodic penalty: up to 5% of average daily worldwide turnover per day (Art. 1)")
    assert format_sanction(penalty(tool="access_restriction", max_duration_days=28)) == (
        "access restriction, no fine amount, for 28-day periods (extensions only as the article allows) (Art. 1)")


def test_max_sanction_from_rows():
    rows = pd.DataFrame([penalty(regime_id="a", rate=0.06, basis="worldwide_annual_turnover", combine="rate_only"),
                         penalty(regime_id="b", tool="access_restriction")])
    assert max_sanction(rows, ["a", "b"]).count(";") == 1
    assert max_sanction(rows, []) == NOT_IN_DATA
    with pytest.raises(ValueError, match="no rows"):
        max_sanction(rows, ["zz"])


def actions() -> pd.DataFrame:
    rows = [
        ("EUU", "2025-12-05", "fine", "Digital Services Act"),
        ("EUU", "2026-01-05", "statement", "Digital Services Act"),
        ("EUU", "2026-01-26", "formal_proceedings", "Digital Services Act"),
        ("IDN", "2026-01-10", "access_block", "Regulation 5"),
        ("IDN", "2026-02-01", "block_lifted", "Regulation 5"),
        ("US-CA", "2026-01-14", "investigation", "State law"),
        ("US-AZ", "2026-01-15", "investigation", "not stated"),
    ]
    return pd.DataFrame({
        "jurisdiction": [r[0] for r in rows], "iso3": [r[0] for r in rows], "level": "national",
        "date": pd.to_datetime([r[1] for r in rows]), "actor": [f"{r[0]} authority" for r in rows],
        "action_type": [r[2] for r in rows], "legal_basis": [r[3] for r in rows], "summary": "x", "status": "open",
        "source_url": [f"https://{r[0].lower()}.example/{i}" for i, r in enumerate(rows)],
    })


def test_time_to_first_action():
    got = time_to_first_action(actions(), first_report="2025-12-31").set_index("iso3")
    assert got.loc["EUU", "days"] == 26 and got.loc["EUU", "action_type"] == "formal_proceedings"
    assert got.loc["IDN", "days"] == 10
    assert got.loc["US-CA", "days"] == 14
    assert list(time_to_first_action(actions(), "2025-12-31")["iso3"]) == ["IDN", "US-CA", "US-AZ", "EUU"]
    loose = time_to_first_action(actions(), first_report="2025-12-31", include_statements=True).set_index("iso3")
    assert loose.loc["EUU", "days"] == 5
    with pytest.raises(ValueError, match="must be a date"):
        time_to_first_action(actions(), first_report="the start")


def test_votes_letters_and_laws_are_not_formal_action():
    """A legislative vote, a law, a letter or a statement never counts as a jurisdiction's formal action."""
    frame = actions()
    extra = pd.DataFrame({
        "jurisdiction": ["EUU", "USA", "GBR"], "iso3": ["EUU", "USA", "GBR"], "level": "national",
        "date": pd.to_datetime(["2026-01-02", "2026-01-03", "2026-01-04"]), "actor": ["Parliament", "Senators", "UK"],
        "action_type": ["legislation", "other", "legislation"], "legal_basis": "x", "summary": "x", "status": "one_off",
        "source_url": "https://x.example/1"})
    frame = pd.concat([frame, extra], ignore_index=True)
    frame["legal_effect"] = ["binding_measure", "non_binding", "formal_step", "binding_measure", "binding_measure",
                             "formal_step", "formal_step", "legislative_step", "non_binding", "law"]
    got = time_to_first_action(frame, first_report="2025-12-31").set_index("iso3")
    assert "USA" not in got.index and "GBR" not in got.index and got.loc["EUU", "days"] == 26
    loose = time_to_first_action(frame, first_report="2025-12-31", include_statements=True).set_index("iso3")
    assert loose.loc["USA", "days"] == 3, "a letter is a step, not a formal action"
    assert "GBR" not in loose.index and loose.loc["EUU", "days"] == 5, "votes and laws are never counted"
    real = aireg.load_responses()
    assert set(real.loc[real["action_type"] == "legislation", "legal_effect"]) <= {"law", "legislative_step"}
    ai = comparison_table(real, aireg.load_penalty_regimes()).set_index("regime")
    ai_row = ai[ai.index.str.startswith("EU AI Act")].iloc[0]
    assert ai_row["first_formal_action"] == "none in the data" and pd.isna(ai_row["days_to_first_step"])
    assert "Art. 101" in ai_row["max_sanction"]


def test_time_to_first_action_defaults_to_the_timeline_date():
    got = time_to_first_action(aireg.load_responses()).set_index("iso3")
    since = aireg.load_timeline().query("event_id == '2025-12-31-copyleaks-estimate'")["date"].iloc[0]
    idn = aireg.load_responses().query("iso3 == 'IDN' and action_type == 'access_block'")["date"].iloc[0]
    assert got.loc["IDN", "days"] == (idn - since).days


def test_figure_labels_bars_in_words():
    fig = time_to_first_action_figure(time_to_first_action(actions(), "2025-12-31"), first_report="2025-12-31")
    texts = [t for tr in fig.data for t in tr.text]
    assert "10 d · access block" in texts
    assert "31 December 2025" in fig.layout.title.text
    assert sum(len(tr.x) for tr in fig.data) == 4
    empty = time_to_first_action_figure(time_to_first_action(actions(), "2030-01-01"))
    assert empty.layout.annotations[0].text.startswith("No actions")


def test_comparison_table_with_hand_made_regimes():
    pens = pd.DataFrame([penalty(regime_id="dsa", instrument="DSA", article="Art. 74(1)", rate=0.06,
                                 basis="worldwide_annual_turnover", combine="rate_only", decided_by="Commission")])
    regimes = [Regime("eu", "EU", ("EUU",), "Digital Services", ("dsa",)),
               Regime("us", "US states", ("US-",), None, ()),
               Regime("none", "Nobody", ("QQQ",), None, ())]
    reg = pd.DataFrame({"code": ["FRA", "DEU", "USA"], "eu_member": pd.array([True, True, False], dtype="boolean")})
    table = comparison_table(actions(), pens, first_report="2025-12-31", jurisdictions=reg,
                             regimes=regimes).set_index("regime")
    assert table.loc["EU", "max_sanction"] == "up to 6% of worldwide annual turnover (Art. 74(1))"
    assert table.loc["EU", "who_acts"] == "Commission" and table.loc["EU", "reach"] == "EU-wide: 2 member states"
    assert table.loc["EU", "days_to_formal_action"] == 26 and table.loc["EU", "days_to_first_step"] == 5
    assert table.loc["US states", "max_sanction"] == NOT_IN_DATA
    assert table.loc["US states", "legal_basis"] == "State law" and table.loc["US states", "days_to_formal_action"] == 14
    assert table.loc["Nobody", "first_formal_action"] == "none in the data"
    assert pd.isna(table.loc["Nobody", "days_to_formal_action"])


def test_comparison_table_on_kit_data():
    table = comparison_table(aireg.load_responses(), aireg.load_penalty_regimes(),
                             jurisdictions=aireg.load_jurisdictions()).set_index("regime")
    assert len(table) == 8
    dsa = table.loc["EU Digital Services Act"]
    assert "6% of worldwide annual turnover (DSA Art. 74(1))" in dsa["max_sanction"]
    assert dsa["reach"] == "EU-wide: 27 member states"
    uk = table.loc["UK Online Safety Act"]
    assert "GBP 18,000,000" in uk["max_sanction"] and uk["days_to_formal_action"] == 5
    assert all(s.startswith("http") for cell in table["sources"] for s in cell.split(" | "))
