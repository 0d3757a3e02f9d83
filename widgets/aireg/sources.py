"""Citations as data: who said each fact, how good that source is, and how current the data are.

Every package under ``datasets/`` that records facts keeps a ``citations.csv``: one row per citation of one of its
rows, with the page read (``url``), the original ``publisher`` and its ``kind`` (:data:`aireg.data.CITATION_KINDS`).
This module reads those tables for people: the quality report that ``make check`` prints and the tests hold to
targets, the tables and the source-mix chart of the "Evaluating sources" section, and the "data verified to" line
at the top of each lesson.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from .data import (
    CITATION_KINDS,
    CITATIONS_PROPERTY,
    DEFAULT_CASE,
    DataError,
    _package,
    data_dir,
    load_citations,
    load_table,
    url_domain,
)
from .theme import QUALITATIVE, SEQUENTIAL

__all__ = [
    "KIND_LABELS",
    "DataCurrency",
    "best_kinds",
    "cited_packages",
    "citation_table",
    "currency_banner",
    "data_currency",
    "source_mix",
    "source_mix_figure",
    "source_quality",
    "row_sources",
    "sources_html",
]

KIND_LABELS = {
    "primary": "Primary (the body's own text, or a verbatim copy)",
    "wire": "News agency (Reuters, AFP, AP, PTI, Bernama...)",
    "major_outlet": "International outlet of record",
    "national_outlet": "National or regional outlet",
    "specialist": "Specialist (legal, policy or trade press)",
    "aggregator": "Aggregator or other",
}


def cited_packages() -> list[str]:
    """The packages under ``datasets/`` that keep a citations table, in name order."""
    return sorted(p.parent.name for p in data_dir().glob("*/datapackage.json")
                  if CITATIONS_PROPERTY in _package(p.parent))


def _spec(package: str) -> dict:
    return _package(data_dir() / package)[CITATIONS_PROPERTY]


def _path(package: str, resource: str) -> str:
    for res in _package(data_dir() / package)["resources"]:
        if res["name"] == resource:
            return f"{package}/{res['path']}"
    raise KeyError(resource)


def best_kinds(package: str, resource: str) -> pd.Series:
    """For each row of ``resource`` (indexed by its row id), the best kind among its citations."""
    idcol = _spec(package)["cites"][resource]
    rows = load_table(package, resource)[idcol].astype(str)
    cit = load_citations(package)
    cit = cit[cit["resource"].astype(str) == resource]
    rank = {k: i for i, k in enumerate(CITATION_KINDS)}
    best = cit.assign(_r=cit["kind"].astype(str).map(rank)).groupby(cit["row_id"].astype(str))["_r"].min()
    return pd.Series([CITATION_KINDS[int(best[r])] for r in rows], index=pd.Index(rows, name=idcol), name="best_kind")


def source_quality() -> pd.DataFrame:
    """Per cited file: rows, how many rows have each kind as their best citation, the share of rows whose best
    citation is only an aggregator, the package's target for that share (``maxAggregatorShare``), and whether the
    file meets it."""
    out = []
    for package in cited_packages():
        spec = _spec(package)
        targets = spec.get("maxAggregatorShare", {})
        for resource in spec["cites"]:
            best = best_kinds(package, resource)
            counts = best.value_counts()
            share = float(counts.get("aggregator", 0)) / len(best) if len(best) else 0.0
            target = float(targets.get(resource, 0.0))
            out.append({"file": _path(package, resource), "rows": len(best),
                        **{k: int(counts.get(k, 0)) for k in CITATION_KINDS},
                        "aggregator_share": share, "target": target, "meets_target": share <= target + 1e-12})
    return pd.DataFrame(out)


def source_mix(package: str = DEFAULT_CASE) -> pd.DataFrame:
    """Rows of each cited table by the kind of their best citation (counts), in the order of
    :data:`aireg.data.CITATION_KINDS`; the table beside the source-mix chart."""
    spec = _spec(package)
    frame = pd.DataFrame({r: best_kinds(package, r).value_counts() for r in spec["cites"]})
    frame = frame.reindex(list(CITATION_KINDS)).fillna(0).astype(int)
    frame.index = [KIND_LABELS[k] for k in frame.index]
    frame.index.name = "best citation of the row"
    return frame


def source_mix_figure(package: str = DEFAULT_CASE) -> go.Figure:
    """A stacked bar per table: how many of its rows rest on each kind of source (best citation)."""
    mix = source_mix(package)
    fig = go.Figure()
    # an ordered scale, darkest = best kind (viridis steps, readable in greyscale)
    shades = [SEQUENTIAL[i] for i in (10, 8, 6, 4, 2, 0)]
    for shade, (label, counts) in zip(shades, mix.iterrows(), strict=True):
        fig.add_bar(name=label, x=list(mix.columns), y=list(counts), marker_color=shade)
    fig.update_layout(barmode="stack", title=f"Best citation of each row ({package})",
                      yaxis_title="rows", legend_title_text="kind of source")
    return fig


def citation_table(package: str = DEFAULT_CASE, resource: str | None = None, row_id: str | None = None,
                   kind: str | None = None) -> pd.DataFrame:
    """Citations for people: the row cited, who said it, what kind of source that is, the site the page was
    read on, and whether it is a copy. Filter by ``resource``, ``row_id`` or ``kind``."""
    cit = load_citations(package)
    if resource is not None:
        cit = cit[cit["resource"].astype(str) == resource]
    if row_id is not None:
        cit = cit[cit["row_id"].astype(str) == row_id]
    if kind is not None:
        cit = cit[cit["kind"].astype(str) == kind]
    return pd.DataFrame({
        "Table": cit["resource"].astype(str),
        "Row": cit["row_id"].astype(str),
        "Who said it": cit["publisher"].astype(str),
        "Kind": cit["kind"].astype(str).map(lambda k: KIND_LABELS[k].split(" (")[0]),
        "Read on": cit["url"].astype(str).map(url_domain),
        "A copy?": cit["copy_of"].fillna("").astype(str),
        "URL": cit["url"].astype(str),
    }).reset_index(drop=True)


@dataclass(frozen=True)
class DataCurrency:
    """How current a case's data are: the day statuses were last checked (the earliest ``status_as_of`` among
    rows whose status can still change) and the latest development the data record."""

    case: str
    verified_to: date
    latest_development: date
    open_rows: int


_SETTLED = {"one_off"}


def data_currency(case: str = DEFAULT_CASE) -> DataCurrency:
    """Computed from the data, never typed: see :class:`DataCurrency`."""
    responses = load_table(case, "responses")
    timeline = load_table(case, "timeline")
    live = responses[~responses["status"].astype(str).isin(_SETTLED)]
    missing = live["status_as_of"].isna()
    if missing.any():
        i = int(missing.to_numpy().nonzero()[0][0])
        row = int(live.index[i]) + 1
        raise DataError(data_dir() / case / "responses.csv", row, "status_as_of",
                        f"'{live['response_id'].iloc[i]}' has status '{live['status'].iloc[i]}', which can change: "
                        "say on which day it was checked")
    verified = pd.to_datetime(live["status_as_of"]).min()
    latest = max(pd.to_datetime(responses["date"]).max(), pd.to_datetime(timeline["date"]).max())
    return DataCurrency(case, verified.date(), latest.date(), int((live["status"].astype(str) == "open").sum()))


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def currency_banner(case: str = DEFAULT_CASE) -> str:
    """The "data verified to" line shown at the top of each lesson (HTML)."""
    c = data_currency(case)
    text = (f"<b>Data verified to {_day(c.verified_to)}</b>: the status of every action was checked on that day "
            f"against the sources found; the latest development recorded is of {_day(c.latest_development)}. "
            f"An action marked <i>open</i> ({c.open_rows} of them) is one for which no outcome was found.")
    return (f"<p class='aireg-currency' role='note' style='border-left:4px solid {QUALITATIVE[0]};"
            f"padding:4px 8px;margin:4px 0'>{text}</p>")


def row_sources(package: str, resource: str, row_ids: list[str] | tuple[str, ...] | None = None) -> pd.DataFrame:
    """The citations of rows of one table, for a lesson's "Sources": one line per citation, rows in the given
    order (or the table's), each row's citations best kind first."""
    idcol = _spec(package)["cites"][resource]
    ids = list(row_ids) if row_ids is not None else list(load_table(package, resource)[idcol].astype(str))
    cit = load_citations(package)
    cit = cit[cit["resource"].astype(str) == resource]
    rank = {k: i for i, k in enumerate(CITATION_KINDS)}
    out = []
    for rid in ids:
        mine = cit[cit["row_id"].astype(str) == rid]
        if mine.empty:
            raise KeyError(f"{package}/{resource}: no row '{rid}' with a citation")
        mine = mine.assign(_r=mine["kind"].astype(str).map(rank)).sort_values("_r", kind="stable")
        out += [{"dataset": _path(package, resource), "row": rid, "who said it": str(c.publisher),
                 "kind": KIND_LABELS[str(c.kind)].split(" (")[0],
                 "read on": url_domain(str(c.url)) + (f" ({c.copy_of})" if isinstance(c.copy_of, str) else ""),
                 "url": str(c.url)} for c in mine.itertuples()]
    return pd.DataFrame(out, columns=["dataset", "row", "who said it", "kind", "read on", "url"])


def _source_link(who: str, kind: str, read_on: str, url: str) -> str:
    """One citation in a lesson's list. Aggregators are named but not linked: a lesson links only to vetted pages
    (primary texts, agencies, outlets and specialist press), since some other pages about the case show the images."""
    note = f"<small>({html.escape(kind.lower())}, read on {html.escape(read_on)})</small>"
    if kind == KIND_LABELS["aggregator"].split(" (")[0]:
        return f"{html.escape(who)} {note} <small>[not linked]</small>"
    return f"<a href='{html.escape(url, quote=True)}' target='_blank' rel='noopener'>{html.escape(who)}</a> {note}"


def sources_html(*frames: pd.DataFrame) -> str:
    """A lesson's source list (HTML) from :func:`row_sources` frames: per row, who said it, linked to the page read."""
    items = []
    for frame in frames:
        for (dataset, row), group in frame.groupby(["dataset", "row"], sort=False):
            links = "; ".join(_source_link(w, k, r, u) for w, k, r, u in
                              group[["who said it", "kind", "read on", "url"]].itertuples(index=False))
            items.append(f"<li><code>{html.escape(row)}</code> ({html.escape(dataset)}): {links}</li>")
    return "<ul class='aireg-sources'>" + "".join(items) + "</ul>"
