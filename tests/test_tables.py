"""Tables for people (issue 15, point 5): one style for every DataFrame a lesson shows."""

from __future__ import annotations

import re

import pandas as pd

from aireg import load_penalty_regimes, load_responses
from aireg.tables import cell, compact, header, people_table


def test_headers_read_as_words():
    assert header("action_type") == "Action type" and header("iso3") == "Code"
    assert header("fine_usd") == "Fine USD" and header("dsa_periodic_eur") == "DSA periodic EUR"
    assert header("Jurisdiction") == "Jurisdiction"


def test_values_are_written_for_people():
    assert cell(pd.NaT, "date") == ("", False) and cell(float("nan"), "share") == ("", False)
    assert cell(pd.Timestamp("2026-01-14"), "date")[0] == "14 Jan 2026"
    assert cell(pd.Timestamp("2026-01-05"), "date")[0] == "5 Jan 2026"
    assert cell(2.6e9, "turnover_usd") == ("USD 2.60bn", True)
    assert cell(1.2e8, "fixed_amount", currency="EUR") == ("EUR 120.0m", True)
    assert cell(2.6e9, "reach") == ("2.60bn", True), "no currency invented when none is known"
    assert cell(0.06, "rate") == ("6%", True) and cell(True, "binding") == ("yes", False)
    assert cell("under_appeal", "status")[0] == "under appeal" and cell("fine", "action_type")[0] == "Fine"
    assert compact(53088) == "53,088" and compact(0.25) == "0.25"
    text, _ = cell("https://eur-lex.europa.eu/eli/reg/2022/2065/oj | https://www.reuters.com/x", "source_url")
    assert ">eur-lex.europa.eu</a>" in text and ">reuters.com</a>" in text


def test_tables_have_no_debugger_marks():
    frame = load_responses()[["iso3", "date", "actor", "action_type", "status", "source_url"]].head(8)
    frame.loc[frame.index[0], "date"] = pd.NaT
    out = people_table(frame)
    assert "title='column iso3'" in out and "title='column action_type'" in out  # the data's name, on hover
    visible = re.sub(r" title='[^']*'", "", out)
    assert "NaT" not in visible and "<th></th>" not in visible and "iso3" not in visible
    assert "action_type" not in visible
    assert "scope='col'" in out and re.search(r"\d{1,2} [A-Z][a-z]{2} \d{4}", out)
    regimes = people_table(load_penalty_regimes().set_index("regime_id")[["article", "rate", "fixed_amount",
                                                                          "currency"]])
    assert "e+0" not in regimes and "Regime" in regimes and "EUR 10.0m" in regimes  # GDPR Art. 83(4) floor
    numbers = re.findall(r"<td style='text-align:(\w+);[^>]*>(\d[\d,.]*%?)</td>", regimes)
    assert numbers and all(align == "right" for align, _ in numbers), "numbers right, text left"


def test_long_tables_are_cut_with_a_note():
    out = people_table(pd.DataFrame({"n": range(100)}), max_rows=10)
    assert out.count("<tr>") == 1 + 10 + 1 and "90 more rows" in out
