"""The loaders return typed frames and reject each kind of bad input with file, row and column."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

import aireg
from aireg.data import DataError, load_table, split_sources

PACKAGES = {
    "grok-2026": ["responses", "timeline", "evidence", "citations"],
    "legal": ["penalty_regimes", "citations"],
    "companies": ["figures", "citations"],
    "geo": ["jurisdictions"],
}


@pytest.mark.parametrize("package,resource", [(p, r) for p, rs in PACKAGES.items() for r in rs])
def test_every_resource_loads_typed(package, resource):
    frame = load_table(package, resource)
    assert len(frame) > 0
    schema = next(r for r in json.loads((aireg.data.data_dir() / package / "datapackage.json").read_text())["resources"]
                  if r["name"] == resource)["schema"]
    for field in schema["fields"]:
        col = frame[field["name"]]
        if field["type"] == "date":
            assert pd.api.types.is_datetime64_any_dtype(col), field["name"]
        elif field["type"] == "integer":
            assert str(col.dtype) == "Int64", field["name"]
        elif field["type"] == "number":
            assert pd.api.types.is_float_dtype(col), field["name"]
        elif field["type"] == "boolean":
            assert str(col.dtype) == "boolean", field["name"]
        elif field.get("constraints", {}).get("enum"):
            assert isinstance(col.dtype, pd.CategoricalDtype), field["name"]


def test_loaders_return_fresh_copies():
    a = aireg.load_responses()
    a.loc[:, "summary"] = "changed"
    assert (aireg.load_responses()["summary"] != "changed").all()


def _rewrite(path, edit):
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    edit(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return rows


def _set(path, row: int, column: str, value: str):
    def edit(rows):
        rows[row][rows[0].index(column)] = value
    _rewrite(path, edit)


BAD_VALUES = [
    ("iso3", "XYZ", "unknown code 'XYZ'"),
    ("iso3", "france", "does not match"),
    ("date", "2026-13-45", "not a valid date"),
    ("date", "12/01/2026", "YYYY-MM-DD"),
    ("status_as_of", "last week", "YYYY-MM-DD"),
    ("action_type", "sanction", "not one of the allowed values"),
    ("level", "global", "not one of the allowed values"),
]


@pytest.mark.parametrize("column,value,message", BAD_VALUES)
def test_bad_response_value_names_file_row_and_column(data_copy, column, value, message):
    path = data_copy / "grok-2026" / "responses.csv"
    _set(path, 3, column, value)
    with pytest.raises(DataError) as err:
        aireg.load_responses()
    e = err.value
    assert e.file.endswith("responses.csv") and e.row == 3 and e.column == column
    text = str(e)
    assert "responses.csv" in text and "row 3" in text and f"column '{column}'" in text and message in text


def test_missing_column_is_named(data_copy):
    path = data_copy / "grok-2026" / "responses.csv"
    _rewrite(path, lambda rows: [r.pop(rows[0].index("status")) for r in rows[::-1]])
    with pytest.raises(DataError, match=r"column 'status': column missing from the header"):
        aireg.load_responses()


def test_extra_column_is_named(data_copy):
    path = data_copy / "grok-2026" / "responses.csv"
    _rewrite(path, lambda rows: [r.append("x") for r in rows])
    with pytest.raises(DataError, match=r"column 'x': column not described"):
        aireg.load_responses()


def test_short_row_is_named(data_copy):
    path = data_copy / "grok-2026" / "responses.csv"
    _rewrite(path, lambda rows: rows[5].pop())
    with pytest.raises(DataError, match=r"row 5 \(line 6\): has 11 values, the header has 12"):
        aireg.load_responses()


def test_duplicate_primary_key_is_named(data_copy):
    path = data_copy / "grok-2026" / "responses.csv"
    _rewrite(path, lambda rows: rows.append(list(rows[1])))
    with pytest.raises(DataError, match=r"duplicate primary key"):
        aireg.load_responses()


def test_bad_number_in_legal_table(data_copy):
    path = data_copy / "legal" / "penalty_regimes.csv"
    _set(path, 1, "rate", "six percent")
    with pytest.raises(DataError, match=r"penalty_regimes.csv, row 1 \(line 2\), column 'rate': 'six percent' is not a number"):
        aireg.load_penalty_regimes()


def test_rate_above_one_rejected(data_copy):
    path = data_copy / "legal" / "penalty_regimes.csv"
    _set(path, 1, "rate", "6")
    with pytest.raises(DataError, match=r"column 'rate': 6 is above the maximum 1"):
        aireg.load_penalty_regimes()


def test_not_utf8_and_empty_files(data_copy):
    path = data_copy / "grok-2026" / "timeline.csv"
    path.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(DataError, match="not UTF-8"):
        aireg.load_timeline()
    path.write_text("")
    with pytest.raises(DataError, match="empty"):
        aireg.load_timeline()


def test_missing_file_and_bad_package(data_copy):
    (data_copy / "companies" / "figures.csv").unlink()
    with pytest.raises(DataError, match="figures.csv: file not found"):
        aireg.load_company_figures()
    (data_copy / "legal" / "datapackage.json").write_text("{not json")
    with pytest.raises(DataError, match="datapackage.json: not valid JSON"):
        aireg.load_penalty_regimes()


def test_multiline_quoted_field_keeps_line_numbers(data_copy):
    path = data_copy / "grok-2026" / "responses.csv"
    rows = _rewrite(path, lambda rows: rows[1].__setitem__(rows[0].index("summary"), "two\nlines"))
    _set(path, 2, "date", "bad")
    with pytest.raises(DataError) as err:
        aireg.load_responses()
    assert err.value.row == 2 and err.value.line == 4 and len(rows) > 2


def test_split_sources():
    assert split_sources("https://a.example/x | https://b.example/y") == ["https://a.example/x", "https://b.example/y"]
    assert split_sources("https://a.example/x") == ["https://a.example/x"]


def test_geometry_ids_are_the_registry_codes():
    world = aireg.load_geometry("world_110m")
    states = aireg.load_geometry("us_states_110m")
    codes = set(aireg.load_jurisdictions()["code"])
    ids = [f["id"] for f in world["features"]] + [f["id"] for f in states["features"]]
    assert len(ids) == len(set(ids))
    assert set(ids) <= codes
    assert all(f["properties"]["id"] == f["id"] for f in world["features"])


def test_missing_geometry_is_clear(data_copy):
    with pytest.raises(DataError, match="geometry file not found"):
        aireg.load_geometry("moon")


# --- citations: who said each row's facts, and where it was read ------------------------------------------------

def _citations(data_copy, package="grok-2026"):
    return data_copy / package / "citations.csv"


def test_citations_derive_source_url_best_kind_first():
    cit = aireg.data.load_citations()
    frame = aireg.load_responses()
    rank = {k: i for i, k in enumerate(aireg.data.CITATION_KINDS)}
    for rid, url_cell, cited_by in frame[["response_id", "source_url", "cited_by"]].itertuples(index=False):
        mine = cit[cit["row_id"] == rid]
        urls = split_sources(url_cell)
        assert set(urls) == set(mine["url"]), rid
        kinds = [rank[str(mine.set_index("url").loc[u, "kind"])] for u in urls]
        assert kinds == sorted(kinds), f"{rid}: sources not best-first"
        assert cited_by.split("; ")[0] == str(mine.set_index("url").loc[urls[0], "publisher"])


def test_row_without_citation_is_named(data_copy):
    path = _citations(data_copy)
    first = aireg.load_responses()["response_id"].iloc[0]
    _rewrite(path, lambda rows: rows.__setitem__(slice(None), [r for r in rows if r[1] != first]))
    with pytest.raises(DataError) as err:
        aireg.load_responses()
    assert err.value.file.endswith("responses.csv") and err.value.row == 1 and err.value.column == "response_id"
    assert "has no citation in citations.csv" in str(err.value)


def test_citation_of_unknown_row_is_named(data_copy):
    path = _citations(data_copy)
    rows = _rewrite(path, lambda rows: rows.append(["responses", "2099-01-01-xyz-fine", "https://example.org/a",
                                                    "Reuters", "wire", "", ""]))
    with pytest.raises(DataError) as err:
        aireg.load_responses()
    assert err.value.file.endswith("citations.csv") and err.value.column == "row_id"
    assert err.value.row == len(rows) - 1 and "no responses row has response_id '2099-01-01-xyz-fine'" in str(err.value)


@pytest.mark.parametrize("column,value,message", [
    ("kind", "blog", "not one of the allowed values"),
    ("publisher", "", "a value is required"),
    ("url", "www.example.org/page", "does not match"),
    ("url", "https://bitcoinethereumnews.com/tech/grok", "content farm"),
    ("url", "https://dsa-library.com/article/74", "unofficial text"),
    ("resource", "jurisdictions", "not one of the allowed values"),
])
def test_bad_citation_names_file_row_and_column(data_copy, column, value, message):
    _set(_citations(data_copy), 2, column, value)
    with pytest.raises(DataError) as err:
        aireg.data.load_citations()
    assert err.value.file.endswith("citations.csv") and err.value.row == 2 and err.value.column == column
    assert message in str(err.value)


def test_aggregator_only_row_must_say_why(data_copy):
    path = _citations(data_copy)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    head = rows[0]
    rid = rows[1][head.index("row_id")]

    def edit(rows):
        for r in rows[1:]:
            if r[head.index("row_id")] == rid:
                r[head.index("kind")], r[head.index("note")] = "aggregator", ""
    _rewrite(path, edit)
    with pytest.raises(DataError, match=rf"row '{rid}' is cited only by aggregators: say in 'note' why"):
        aireg.data.load_table("grok-2026", rows[1][0])

    def explain(rows):
        for r in rows[1:]:
            if r[head.index("row_id")] == rid:
                r[head.index("note")] = "only a reprint of the original survives"
                break
    _rewrite(path, explain)
    assert len(aireg.data.load_table("grok-2026", rows[1][0]))


def test_cross_package_foreign_key_is_checked_by_name(data_copy):
    """The jurisdiction registry lives in the geo package; the key is declared by package name, not a ../ path."""
    dp = json.loads((data_copy / "grok-2026" / "datapackage.json").read_text())
    assert not any(r["path"].startswith("..") for r in dp["resources"])
    geo = data_copy / "geo" / "jurisdictions.csv"
    code = aireg.load_responses()["iso3"].iloc[0]
    _rewrite(geo, lambda rows: rows.__setitem__(slice(None), [r for r in rows if r[0] != code]))
    with pytest.raises(DataError, match=rf"unknown code '{code}': not in jurisdictions"):
        aireg.load_responses()


# --- values the loader cannot represent: refused with file, row and column ---------------------------------------

@pytest.mark.parametrize("value,message", [
    ("nan", "is not a number"),
    ("inf", "is not a number"),
    ("-Infinity", "is not a number"),
    ("2_700_000_000", "is not a number"),
    ("2,700", "is not a number"),
    ("\u0663", "is not a number"),  # an Arabic-Indic digit three
    ("1e999", "too large"),
])
def test_numbers_must_be_finite_and_ascii(data_copy, value, message):
    _set(data_copy / "legal" / "penalty_regimes.csv", 1, "fixed_amount", value)
    with pytest.raises(DataError) as err:
        aireg.load_penalty_regimes()
    assert err.value.row == 1 and err.value.column == "fixed_amount" and message in str(err.value)


def test_integers_and_dates_are_ascii(data_copy):
    _set(data_copy / "legal" / "penalty_regimes.csv", 1, "max_duration_days", "\u0662\u0668")
    with pytest.raises(DataError, match="column 'max_duration_days'.*not an integer"):
        aireg.load_penalty_regimes()
    path = data_copy / "grok-2026" / "responses.csv"
    _set(path, 2, "date", "\u0662\u0660\u0662\u0666-01-02")
    with pytest.raises(DataError, match="row 2.*column 'date'.*YYYY-MM-DD"):
        aireg.load_responses()


def test_control_characters_are_refused(data_copy):
    _set(data_copy / "grok-2026" / "responses.csv", 3, "summary", "a NUL\x00 byte")
    with pytest.raises(DataError, match=r"row 3.*column 'summary'.*control character"):
        aireg.load_responses()


def test_a_byte_order_mark_is_accepted(data_copy):
    path = data_copy / "grok-2026" / "responses.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(aireg.load_responses()) > 0


def test_a_csv_error_names_file_and_line(data_copy):
    import csv as _csv

    path = data_copy / "grok-2026" / "responses.csv"
    _set(path, 4, "summary", "x" * (_csv.field_size_limit() + 10))
    with pytest.raises(DataError) as err:
        aireg.load_responses()
    assert err.value.file.endswith("responses.csv") and "not valid CSV" in str(err.value) and err.value.row == 4
