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
    "grok-2026": ["responses", "timeline", "evidence", "jurisdictions"],
    "legal": ["penalty_regimes"],
    "companies": ["figures"],
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
    ("source_url", "", "a value is required"),
    ("source_url", "see the news", "does not match"),
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
    with pytest.raises(DataError, match=r"row 5 \(line 6\): has 9 values, the header has 10"):
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
