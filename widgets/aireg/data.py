"""Load the kit's datasets as typed pandas frames, checked against their Frictionless schemas.

Every CSV under ``datasets/`` is described by the ``datapackage.json`` of its folder. The loaders
here read that schema and enforce it (types, enumerations, patterns, required values, primary and
foreign keys), so a malformed file fails with a :class:`DataError` that names the file, the row
and the column, instead of a silent NaN in a lesson.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

__all__ = [
    "DataError",
    "data_dir",
    "load_table",
    "case_info",
    "cases",
    "day_zero",
    "load_responses",
    "load_timeline",
    "load_evidence",
    "load_jurisdictions",
    "load_penalty_regimes",
    "load_company_figures",
    "load_geometry",
    "split_sources",
    "load_citations",
    "CITATION_KINDS",
    "blocked_domains",
    "is_blocked",
    "url_domain",
]

DEFAULT_CASE = "grok-2026"
SOURCE_SEPARATOR = " | "
#: The fixed vocabulary of ``citations.csv`` ``kind``, best first: the body's own text (or a verbatim copy of it),
#: a news agency, an international outlet of record, a national or regional outlet, specialist press, and the rest.
CITATION_KINDS = ("primary", "wire", "major_outlet", "national_outlet", "specialist", "aggregator")
#: Package property naming the citations resource and, per cited resource, its row-id column.
CITATIONS_PROPERTY = "x-aireg-citations"
#: Schema property for foreign keys into another package of ``datasets/`` (named, never a ``../`` path,
#: which the Data Package spec forbids); the loader enforces them, Frictionless ignores them.
PACKAGE_KEYS_PROPERTY = "x-aireg-packageForeignKeys"
BLOCKED_DOMAINS_FILE = "blocked-domains.txt"


class DataError(ValueError):
    """A dataset value that breaks its schema; names the file, the data row and the column."""

    def __init__(self, file: str | Path, row: int | None, column: str | None, message: str, line: int | None = None):
        self.file, self.row, self.column, self.message = str(file), row, column, message
        self.line = line if line is not None else (row + 1 if row is not None else None)
        where = [self.file]
        if row is not None:
            where.append(f"row {row} (line {self.line})")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")


def data_dir() -> Path:
    """The ``datasets/`` folder: ``$AIREG_DATA`` if set, else the one beside the installed library."""
    env = os.environ.get("AIREG_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "datasets"


@dataclass(frozen=True)
class _Resource:
    package: Path
    name: str
    path: Path
    schema: dict


def _package(package_dir: Path) -> dict:
    path = package_dir / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(path, None, None, "no datapackage.json here") from None
    except json.JSONDecodeError as e:
        raise DataError(path, None, None, f"not valid JSON ({e})") from None


def _resource(package_dir: Path, name: str) -> _Resource:
    for res in _package(package_dir).get("resources", []):
        if res.get("name") == name:
            return _Resource(package_dir, name, (package_dir / res["path"]).resolve(), res.get("schema", {}))
    raise DataError(package_dir / "datapackage.json", None, None, f"no resource named '{name}'")


_TRUE, _FALSE = {"true", "True", "TRUE", "1", "yes"}, {"false", "False", "FALSE", "0", "no"}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _convert(value: str, field: dict):
    """Convert one CSV string to the field's type; raises ValueError with a readable reason."""
    kind = field.get("type", "string")
    if kind == "string":
        return value
    if kind == "integer":
        if not _INTEGER.fullmatch(value):
            raise ValueError(f"'{value}' is not an integer (ASCII digits only, no separators)")
        return int(value)
    if kind == "number":
        if not _NUMBER.fullmatch(value):
            raise ValueError(f"'{value}' is not a number (ASCII digits and a decimal point; no NaN, infinity, "
                             "thousands separators or underscores)")
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"'{value}' is too large to represent")
        return number
    if kind == "date":
        if not _DATE.fullmatch(value):
            raise ValueError(f"'{value}' is not a date in YYYY-MM-DD form")
        try:
            return date.fromisoformat(value)
        except ValueError as e:
            raise ValueError(f"'{value}' is not a valid date ({e})") from None
    if kind == "boolean":
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ValueError(f"'{value}' is not true or false")
    raise ValueError(f"unsupported field type '{kind}' in the schema")


def _check(value, raw: str, field: dict) -> None:
    cons = field.get("constraints", {})
    if "enum" in cons and raw not in cons["enum"]:
        allowed = ", ".join(cons["enum"])
        raise ValueError(f"'{raw}' is not one of the allowed values ({allowed})")
    if "pattern" in cons and not re.fullmatch(cons["pattern"], raw):
        hint = field.get("description", "")
        raise ValueError(f"'{raw}' does not match the expected form{': ' + hint if hint else ''}")
    if "minimum" in cons and value < cons["minimum"]:
        raise ValueError(f"{raw} is below the minimum {cons['minimum']}")
    if "maximum" in cons and value > cons["maximum"]:
        raise ValueError(f"{raw} is above the maximum {cons['maximum']}")


def _dtype(field: dict):
    kind = field.get("type", "string")
    enum = field.get("constraints", {}).get("enum")
    if enum and kind == "string":
        return pd.CategoricalDtype(enum, ordered=False)
    return {
        "string": "string",
        "integer": "Int64",
        "number": "Float64",
        "boolean": "boolean",
        "date": "datetime64[ns]",
    }[kind]


def _read(res: _Resource) -> pd.DataFrame:
    fields = res.schema.get("fields", [])
    names = [f["name"] for f in fields]
    try:
        text = res.path.read_text(encoding="utf-8-sig")  # a byte-order mark (Excel's "CSV UTF-8") is fine
    except FileNotFoundError:
        raise DataError(res.path, None, None, "file not found") from None
    except UnicodeDecodeError as e:
        raise DataError(res.path, None, None, f"not UTF-8 text ({e})") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as e:
        raise DataError(res.path, None, None, f"the header is not valid CSV ({e})", reader.line_num) from None
    if header is None:
        raise DataError(res.path, None, None, "the file is empty (no header row)")
    for name in names:
        if name not in header:
            raise DataError(res.path, None, name, "column missing from the header")
    for name in header:
        if name not in names:
            raise DataError(res.path, None, name, "column not described in datapackage.json")
    if header != names:
        raise DataError(res.path, None, None, f"columns out of order: expected {', '.join(names)}")
    columns: dict[str, list] = {n: [] for n in names}
    i = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            raise DataError(res.path, i + 1, None, f"not valid CSV ({e})", reader.line_num) from None
        if not row:
            continue
        i += 1
        line = reader.line_num
        if len(row) != len(names):
            raise DataError(res.path, i, None, f"has {len(row)} values, the header has {len(names)}", line)
        for field, raw in zip(fields, row, strict=True):
            name = field["name"]
            if _CONTROL.search(raw):
                raise DataError(res.path, i, name, "contains a control character (such as a NUL byte)", line)
            raw = raw.strip()
            if raw == "":
                if field.get("constraints", {}).get("required"):
                    raise DataError(res.path, i, name, "a value is required here", line)
                columns[name].append(None)
                continue
            try:
                value = _convert(raw, field)
                _check(value, raw, field)
            except ValueError as e:
                raise DataError(res.path, i, name, str(e), line) from None
            columns[name].append(value)
    frame = pd.DataFrame({f["name"]: pd.Series(columns[f["name"]], dtype=_dtype(f)) for f in fields})
    _check_keys(res, frame)
    return frame


def _as_list(x) -> list[str]:
    return [x] if isinstance(x, str) else list(x or [])


def _check_keys(res: _Resource, frame: pd.DataFrame) -> None:
    pk = _as_list(res.schema.get("primaryKey"))
    if pk:
        dup = frame.duplicated(subset=pk, keep="first")
        if dup.any():
            i = int(dup.to_numpy().nonzero()[0][0])
            key = ", ".join(f"{k}={frame.iloc[i][k]}" for k in pk)
            raise DataError(res.path, i + 1, pk[0], f"duplicate primary key ({key})")
    keys = [(fk, res.package) for fk in res.schema.get("foreignKeys", [])]
    keys += [(fk, res.package.parent / fk["reference"]["package"]) for fk in res.schema.get(PACKAGE_KEYS_PROPERTY, [])]
    for fk, package in keys:
        cols = _as_list(fk["fields"])
        ref = fk["reference"]
        ref_name = ref.get("resource") or res.name
        same = package == res.package and ref_name == res.name
        target = frame if same else _cached(str(package.resolve()), ref_name)
        ref_cols = _as_list(ref["fields"])
        known = set(map(tuple, target[ref_cols].astype(object).itertuples(index=False, name=None)))
        for i, values in enumerate(frame[cols].astype(object).itertuples(index=False, name=None), start=1):
            if any(v is None or v is pd.NA for v in values):
                continue
            if tuple(values) not in known:
                shown = ", ".join(str(v) for v in values)
                raise DataError(
                    res.path, i, cols[0], f"unknown code '{shown}': not in {ref_name} ({', '.join(ref_cols)})"
                )


def _citation_spec(package_dir: Path) -> tuple[str, dict[str, str]] | None:
    """``(citations resource, {cited resource: its row-id column})`` if the package keeps a citations table."""
    spec = _package(package_dir).get(CITATIONS_PROPERTY)
    return (spec["resource"], dict(spec["cites"])) if spec else None


@lru_cache(maxsize=4)
def _blocked_at(path: str, mtime: float) -> frozenset[str]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.lstrip().startswith("#"))


def blocked_domains() -> frozenset[str]:
    """Domains no citation may use: content farms, scrapers, AI-written sites, unofficial legal texts
    (``datasets/blocked-domains.txt``)."""
    path = data_dir() / BLOCKED_DOMAINS_FILE
    return _blocked_at(str(path), path.stat().st_mtime) if path.exists() else frozenset()


def url_domain(url: str) -> str:
    """The host of a URL, lower case, without a leading ``www.``."""
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def is_blocked(url: str, blocked: frozenset[str] | None = None) -> bool:
    """True if the URL's host is a blocked domain or one of its subdomains."""
    host = url_domain(url)
    blocked = blocked_domains() if blocked is None else blocked
    return any(host == d or host.endswith("." + d) for d in blocked)


def _check_citation_table(res: _Resource, frame: pd.DataFrame) -> None:
    blocked = blocked_domains()
    for i, url in enumerate(frame["url"], start=1):
        if is_blocked(url, blocked):
            raise DataError(res.path, i, "url", f"{url_domain(url)} is a content farm, scraper or unofficial text "
                            f"(listed in datasets/{BLOCKED_DOMAINS_FILE}): cite the original publisher instead")


def _attach_citations(res: _Resource, frame: pd.DataFrame) -> pd.DataFrame:
    """Check that every row of a cited resource has a citation and every citation a row, then add the derived
    columns ``source_url`` (URLs, best kind first, joined by `` | ``) and ``cited_by`` (original publishers)."""
    spec = _citation_spec(res.package)
    if spec is None or res.name not in spec[1]:
        return frame
    cit_name, cites = spec
    cit_res = _resource(res.package, cit_name)
    cit = _cached(str(res.package), cit_name)
    idcol = cites[res.name]
    ids = list(frame[idcol].astype(str))
    known = set(ids)
    mine = cit[cit["resource"].astype(str) == res.name]
    for i, rid in zip(mine.index, mine["row_id"].astype(str), strict=True):
        if rid not in known:
            raise DataError(cit_res.path, i + 1, "row_id", f"no {res.name} row has {idcol} '{rid}'")
    rank = {k: n for n, k in enumerate(CITATION_KINDS)}
    ordered = mine.assign(_rank=mine["kind"].astype(str).map(rank), _line=range(len(mine)))
    ordered = ordered.sort_values(["row_id", "_rank", "_line"], kind="stable")
    urls: dict[str, list[str]] = {}
    publishers: dict[str, list[str]] = {}
    for rid, group in ordered.groupby("row_id", sort=False, observed=True):
        urls[str(rid)] = list(group["url"].astype(str))
        publishers[str(rid)] = list(dict.fromkeys(group["publisher"].astype(str)))
        if (group["kind"].astype(str) == "aggregator").all() and group["note"].isna().all():
            raise DataError(cit_res.path, int(group.index[0]) + 1, "note",
                            f"{res.name} row '{rid}' is cited only by aggregators: say in 'note' why no better "
                            "source was found")
    for i, rid in enumerate(ids, start=1):
        if rid not in urls:
            raise DataError(res.path, i, idcol, f"'{rid}' has no citation in {cit_res.path.name}: every row needs one")
    frame = frame.copy()
    frame["source_url"] = pd.Series([SOURCE_SEPARATOR.join(urls[r]) for r in ids], dtype="string",
                                    index=frame.index)
    frame["cited_by"] = pd.Series(["; ".join(publishers[r]) for r in ids], dtype="string", index=frame.index)
    return frame


@lru_cache(maxsize=64)
def _cached_at(package: str, name: str, mtime: tuple[float, ...]) -> pd.DataFrame:
    res = _resource(Path(package), name)
    frame = _read(res)
    spec = _citation_spec(res.package)
    if spec is not None and name == spec[0]:
        _check_citation_table(res, frame)
    return _attach_citations(res, frame)


def _mtime(path: Path) -> float:
    return path.stat().st_mtime if path.exists() else 0.0


def _cached(package: str, name: str) -> pd.DataFrame:
    res = _resource(Path(package), name)
    stamps = [_mtime(res.path), _mtime(res.package / "datapackage.json"), _mtime(data_dir() / BLOCKED_DOMAINS_FILE)]
    spec = _citation_spec(res.package)
    if spec is not None and name in spec[1]:
        stamps.append(_mtime(_resource(res.package, spec[0]).path))
    for fk in res.schema.get("foreignKeys", []) + res.schema.get(PACKAGE_KEYS_PROPERTY, []):
        ref = fk["reference"]
        target = res.package.parent / ref["package"] if "package" in ref else res.package
        if ref.get("resource") and ref["resource"] != name:
            stamps.append(_mtime(_resource(target, ref["resource"]).path))
    return _cached_at(package, name, tuple(stamps))


def load_table(package: str, resource: str, base: Path | None = None) -> pd.DataFrame:
    """Any resource of any data package under ``datasets/``, typed by its schema (a fresh copy)."""
    package_dir = (base or data_dir()) / package
    frame = _cached(str(package_dir.resolve()), resource).copy()
    frame.attrs["aireg_package"] = package  # which case a frame came from (titles, legends), kept by pandas
    return frame


CASE_PROPERTY = "x-aireg-case"


def case_info(case: str = DEFAULT_CASE) -> dict:
    """A case's own settings, from its ``datapackage.json`` (``x-aireg-case``): ``title``, ``short_title``,
    ``product``, ``provider``, ``day_zero`` (the timeline event its day counts start from) and ``day_zero_label``.
    What differs between cases is data: lessons and checks read these instead of assuming the Grok case."""
    package_dir = data_dir() / case
    info = _package(package_dir).get(CASE_PROPERTY)
    where = package_dir / "datapackage.json"
    if not isinstance(info, dict):
        raise DataError(where, None, CASE_PROPERTY, "this package is not a case: it has no x-aireg-case settings")
    missing = [k for k in ("title", "short_title", "day_zero", "day_zero_label", "product", "provider") if k not in info]
    if missing:
        raise DataError(where, None, CASE_PROPERTY, f"missing setting(s): {', '.join(missing)}")
    return {"name": case, **info}


def cases() -> list[str]:
    """Every case package under ``datasets/`` (those with ``x-aireg-case`` settings), by name."""
    return sorted(p.parent.name for p in data_dir().glob("*/datapackage.json")
                  if CASE_PROPERTY in _package(p.parent))


def day_zero(case: str = DEFAULT_CASE) -> pd.Timestamp:
    """The date of the case's day-zero event (``x-aireg-case.day_zero`` in its timeline)."""
    info = case_info(case)
    timeline = load_timeline(case)
    hit = timeline.loc[timeline["event_id"] == info["day_zero"], "date"]
    if hit.empty:
        raise DataError(data_dir() / case / "timeline.csv", None, "event_id",
                        f"the day-zero event {info['day_zero']!r} named in datapackage.json is not in the timeline")
    return hit.iloc[0]


def load_responses(case: str = DEFAULT_CASE) -> pd.DataFrame:
    """Documented actions by governments, regulators, courts and legislatures (``responses.csv``)."""
    return load_table(case, "responses")


def load_timeline(case: str = DEFAULT_CASE) -> pd.DataFrame:
    """Dated events of the case itself (``timeline.csv``)."""
    return load_table(case, "timeline")


def load_evidence(case: str = DEFAULT_CASE) -> pd.DataFrame:
    """Published aggregate figures of independent analyses (``evidence.csv``)."""
    return load_table(case, "evidence")


def load_citations(package: str = DEFAULT_CASE) -> pd.DataFrame:
    """Who said each row's facts and where it was read (``citations.csv``): one row per citation, with the
    cited ``resource`` and ``row_id``, the ``url`` read, the original ``publisher``, its ``kind``
    (:data:`CITATION_KINDS`) and, when the page is a copy, what it copies (``copy_of``)."""
    spec = _citation_spec(data_dir() / package)
    if spec is None:
        raise DataError(data_dir() / package / "datapackage.json", None, None, "this package keeps no citations table")
    return load_table(package, spec[0])


def load_jurisdictions() -> pd.DataFrame:
    """The registry of jurisdiction codes (ISO 3166-1 alpha-3, ``EUU``, ISO 3166-2 subdivisions)."""
    return load_table("geo", "jurisdictions")


def load_penalty_regimes() -> pd.DataFrame:
    """Enforcement ceilings and tools, one row per article (``datasets/legal/penalty_regimes.csv``)."""
    return load_table("legal", "penalty_regimes")


def load_company_figures() -> pd.DataFrame:
    """Company figures used as slider defaults, with ranges where estimates disagree."""
    return load_table("companies", "figures")


@lru_cache(maxsize=4)
def _geometry(path: str, mtime: float) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_geometry(name: str = "world_110m") -> dict:
    """A GeoJSON FeatureCollection from ``datasets/geo/`` (``world_110m`` or ``us_states_110m``)."""
    path = data_dir() / "geo" / f"{name}.geojson"
    if not path.exists():
        raise DataError(path, None, None, "geometry file not found")
    return json.loads(_geometry(str(path), path.stat().st_mtime))


def split_sources(cell: str) -> list[str]:
    """The URLs of a ``source_url`` cell (several are separated by `` | ``)."""
    return [u.strip() for u in str(cell).split("|") if u.strip()]
