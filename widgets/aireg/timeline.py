"""The Grok case as an interactive timeline: product changes, reports, platform measures, regulators' moves.

Everything drawn comes from ``datasets/grok-2026/timeline.csv`` (and, optionally, the first action of each
jurisdiction from ``responses.csv``). Colour is never the only cue: each category also has its own marker
symbol and its own row on the chart.

The module also fixes the case's reference date, :func:`first_report_date`, used by the regime comparison
(:mod:`aireg.regimes`) and the geoblock explorer (:mod:`aireg.geoblock`) to measure "days since the first
reports". It is read from the data by a documented rule, never typed in as a literal.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable
from urllib.parse import urlparse

import pandas as pd
import plotly.graph_objects as go

from .data import DataError, split_sources
from .theme import QUALITATIVE

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "CATEGORY_SYMBOLS",
    "REPORT_CATEGORIES",
    "case_trigger",
    "event_table",
    "filter_events",
    "first_actions",
    "first_report_date",
    "hover_text",
    "response_table",
    "source_domains",
    "timeline_figure",
]

# The order of the rows on the chart (top to bottom): the enum of timeline.csv's ``category`` field.
CATEGORIES = ["product_change", "platform_measure", "research_finding", "media_report", "statement",
              "regulatory_action", "legal_action"]
CATEGORY_LABELS = {
    "product_change": "Product change",
    "platform_measure": "Platform measure",
    "research_finding": "Research finding",
    "media_report": "Media report",
    "statement": "Statement",
    "regulatory_action": "Regulatory action",
    "legal_action": "Legal action",
}
# Distinct shapes, so the categories can be told apart without colour (and in greyscale print).
CATEGORY_SYMBOLS = {
    "product_change": "diamond",
    "platform_measure": "square",
    "research_finding": "triangle-up",
    "media_report": "triangle-down",
    "statement": "circle",
    "regulatory_action": "star",
    "legal_action": "hexagram",
}
RESPONSES_LABEL = "First action per jurisdiction (responses.csv)"
RESPONSES_SYMBOL = "x"

# Categories that count as a *report* of the abuse (an outside measurement or a press account).
REPORT_CATEGORIES = ("research_finding", "media_report")


def _as_timestamp(value, what: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"{what} must be a date such as '2026-01-15', not {value!r}") from None


def filter_events(timeline: pd.DataFrame, categories: Iterable[str] | None = None, start=None,
                  end=None) -> pd.DataFrame:
    """The timeline rows in ``categories`` dated between ``start`` and ``end`` (inclusive), sorted by date.

    ``categories=None`` keeps every category; an unknown category name raises a ``ValueError`` that lists
    the valid ones (a typo should not silently give an empty chart).
    """
    frame = timeline
    if categories is not None:
        wanted = [categories] if isinstance(categories, str) else list(categories)
        unknown = [c for c in wanted if c not in CATEGORIES]
        if unknown:
            raise ValueError(f"unknown timeline categories {unknown}; choose from {CATEGORIES}")
        frame = frame[frame["category"].astype(str).isin(wanted)]
    lo, hi = _as_timestamp(start, "start"), _as_timestamp(end, "end")
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start ({lo:%Y-%m-%d}) is after end ({hi:%Y-%m-%d})")
    if lo is not None:
        frame = frame[frame["date"] >= lo]
    if hi is not None:
        frame = frame[frame["date"] <= hi]
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def source_domains(cell: str) -> list[str]:
    """The web domains of a ``source_url`` cell, without ``www.``, in order and without repeats."""
    seen: list[str] = []
    for url in split_sources(cell):
        host = urlparse(url).netloc.lower()
        host = host[4:] if host.startswith("www.") else host
        if host and host not in seen:
            seen.append(host)
    return seen


def cited_by(row: pd.Series) -> str:
    """Who said a row's facts: the original publishers from the citations table (``cited_by``), or, for a frame
    without it, the web domains of its ``source_url``."""
    who = row.get("cited_by")
    if isinstance(who, str) and who:
        return who
    return ", ".join(source_domains(row["source_url"]))


def _wrap(text: str, width: int = 60) -> str:
    return "<br>".join(textwrap.wrap(html.escape(str(text)), width)) if text else ""


def _when(date: pd.Timestamp, precision: str = "day") -> str:
    return f"{date:%B %Y} (month only)" if precision == "month" else f"{date:%d %B %Y}"


def hover_text(row: pd.Series) -> str:
    """The hover label of one timeline event: bold title, date, actor, wrapped summary and source domains."""
    return (f"<b>{_wrap(row['title'])}</b><br>{_when(row['date'], str(row.get('date_precision', 'day')))}"
            f" · {html.escape(str(row['actor']))}<br><br>{_wrap(row['summary'])}"
            f"<br><br><i>Sources: {_wrap(cited_by(row))}</i>")


def case_trigger(timeline: pd.DataFrame) -> pd.Series:
    """The product change that set off the case, chosen from the data by a documented rule.

    Rule: take the earliest *day-precision* research finding or media report (the first dated outside
    report of the abuse); the trigger is the latest ``product_change`` on or before it. With the kit's
    data this is the 24 December 2025 update that let any user edit any photo on X with Grok (the reports
    from August 2025 about the "Spicy" preset are month-precision and concern an earlier feature).
    """
    reports = timeline[timeline["category"].astype(str).isin(REPORT_CATEGORIES)
                       & (timeline["date_precision"].astype(str) == "day")]
    if reports.empty:
        raise DataError("timeline.csv", None, "category", "no day-precision research finding or media report")
    first = reports["date"].min()
    changes = timeline[(timeline["category"].astype(str) == "product_change") & (timeline["date"] <= first)]
    if changes.empty:
        raise DataError("timeline.csv", None, "category", "no product change before the first report")
    return changes.sort_values("date", kind="stable").iloc[-1]


def first_report_date(timeline: pd.DataFrame, anchor: str = "first_report") -> pd.Timestamp:
    """The case's reference date, read from ``timeline.csv``; the start for every "days since" count.

    ``anchor="first_report"`` (default): the earliest day-precision research finding or media report on or
    after the triggering product change (:func:`case_trigger`). With the kit's data that is Copyleaks'
    estimate of 31 December 2025, the first dated outside measurement of the abuse.
    ``anchor="feature"``: the date of the triggering product change itself (24 December 2025).

    Why a report and not the feature: a regulator can only react to what has been reported, so "speed"
    is measured from the first public report. The choice changes every count by the same few days.
    """
    trigger = case_trigger(timeline)
    if anchor == "feature":
        return pd.Timestamp(trigger["date"])
    if anchor != "first_report":
        raise ValueError(f"anchor must be 'first_report' or 'feature', not {anchor!r}")
    reports = timeline[timeline["category"].astype(str).isin(REPORT_CATEGORIES)
                       & (timeline["date_precision"].astype(str) == "day")
                       & (timeline["date"] >= trigger["date"])]
    return pd.Timestamp(reports["date"].min())


def first_actions(responses: pd.DataFrame, since=None,
                  exclude: Iterable[str] = ("statement", "block_lifted")) -> pd.DataFrame:
    """The first action of each jurisdiction (``iso3``) dated on or after ``since``, sorted by date.

    Statements and the lifting of a block are not "actions" by default (``exclude``); pass ``exclude=()``
    to count everything. Rows before ``since`` are ignored (e.g. the EU's 5 December 2025 fine, which
    predates the case and is unrelated to Grok images).
    """
    frame = responses[~responses["action_type"].astype(str).isin(list(exclude))]
    lo = _as_timestamp(since, "since")
    if lo is not None:
        frame = frame[frame["date"] >= lo]
    frame = frame.sort_values(["date", "iso3"], kind="stable")
    return frame.drop_duplicates(subset="iso3", keep="first").reset_index(drop=True)


def event_table(timeline: pd.DataFrame, ids: Iterable[str]) -> pd.DataFrame:
    """The timeline rows with these ``event_id`` values, in the order given, with their source domains.

    For lessons that tie each claim to a dataset row: the ``event_id`` column is the citation.
    """
    ids = list(ids)
    known = timeline.set_index(timeline["event_id"].astype(str))
    missing = [i for i in ids if i not in known.index]
    if missing:
        raise ValueError(f"no timeline events {missing} in timeline.csv")
    rows = known.loc[ids]
    return pd.DataFrame({
        "event_id": ids,
        "date": [_when(d, str(p)) for d, p in zip(rows["date"], rows["date_precision"], strict=True)],
        "actor": rows["actor"].astype(str).to_list(),
        "title": rows["title"].astype(str).to_list(),
        "summary": rows["summary"].astype(str).to_list(),
        "sources": [cited_by(r) for _, r in rows.iterrows()],
    })


def response_table(responses: pd.DataFrame, iso3: str | Iterable[str], date=None,
                   action_type: str | None = None) -> pd.DataFrame:
    """The ``responses.csv`` rows of ``iso3`` (optionally on ``date`` and of ``action_type``), to cite in a lesson.

    The citation of a response row is its jurisdiction code, date and action type.
    """
    codes = [iso3] if isinstance(iso3, str) else list(iso3)
    rows = responses[responses["iso3"].astype(str).isin(codes)]
    if date is not None:
        rows = rows[rows["date"] == _as_timestamp(date, "date")]
    if action_type is not None:
        rows = rows[rows["action_type"].astype(str) == action_type]
    if rows.empty:
        raise ValueError(f"no responses.csv rows for {codes} on {date or 'any date'} of type {action_type or 'any'}")
    return pd.DataFrame({
        "iso3": rows["iso3"].astype(str), "date": rows["date"].dt.strftime("%d %b %Y"),
        "action_type": rows["action_type"].astype(str), "actor": rows["actor"].astype(str),
        "summary": rows["summary"].astype(str),
        "sources": [cited_by(r) for _, r in rows.iterrows()],
    }).reset_index(drop=True)


def _iso(dates: pd.Series) -> list[str]:
    """Dates as ISO strings: plotly then reads a date axis (a FigureWidget would send datetime64 as integers)."""
    return [f"{d:%Y-%m-%d}" for d in dates]


def _response_hover(row: pd.Series) -> str:
    return (f"<b>{html.escape(str(row['jurisdiction']))}: first action</b><br>{row['date']:%d %B %Y} · "
            f"{html.escape(str(row['actor']))}<br>Type: {str(row['action_type']).replace('_', ' ')}<br><br>"
            f"{_wrap(row['summary'])}<br><br><i>Sources: {_wrap(cited_by(row))}</i>")


def _case_title(frame: pd.DataFrame) -> str:
    from .data import case_info

    package = frame.attrs.get("aireg_package")
    try:
        return f"The {case_info(package)['short_title']} case" if package else "The case"
    except DataError:
        return "The case"


def _case_start(timeline: pd.DataFrame) -> pd.Timestamp:
    """Where a case's first actions are counted from: the first outside report when the timeline has the Grok
    case's shape (:func:`first_report_date`), else the case's own day zero (``x-aireg-case``)."""
    try:
        return first_report_date(timeline)
    except DataError:
        from .data import day_zero

        package = timeline.attrs.get("aireg_package")
        if not package:
            raise
        return day_zero(package)


def timeline_figure(timeline: pd.DataFrame, responses: pd.DataFrame | None = None,
                    categories: Iterable[str] | None = None, start=None, end=None,
                    title: str | None = None) -> go.Figure:
    """An interactive timeline: one row and one marker shape per category; hover for title, summary, sources.

    Each category is a labelled row of the chart with its own shape and colour, so no legend is needed and
    colour is never the only cue.

    ``responses`` (optional): adds each jurisdiction's first non-statement action on or after the first
    report (:func:`first_report_date`, :func:`first_actions`) as its own row. ``categories``, ``start`` and
    ``end`` filter the events (:func:`filter_events`).
    """
    if title is None:  # the case's own name, from its package (x-aireg-case)
        title = f"{_case_title(timeline)}, event by event"
    events = filter_events(timeline, categories, start, end)
    fig = go.Figure()
    shown = [c for c in CATEGORIES if c in set(events["category"].astype(str))]
    for i, cat in enumerate(CATEGORIES):
        rows = events[events["category"].astype(str) == cat]
        if rows.empty:
            continue
        label = CATEGORY_LABELS[cat]
        fig.add_trace(go.Scatter(
            x=_iso(rows["date"]), y=[label] * len(rows), mode="markers", name=label,
            marker={"symbol": CATEGORY_SYMBOLS[cat], "size": 15, "color": QUALITATIVE[i % len(QUALITATIVE)],
                    "line": {"width": 1, "color": "#222222"}},
            hovertext=[hover_text(r) for _, r in rows.iterrows()], hoverinfo="text",
            customdata=rows["event_id"].astype(str).to_list(),
        ))
    rows_order = [CATEGORY_LABELS[c] for c in shown]
    if responses is not None:
        firsts = first_actions(responses, since=_case_start(timeline))
        lo, hi = _as_timestamp(start, "start"), _as_timestamp(end, "end")
        if lo is not None:
            firsts = firsts[firsts["date"] >= lo]
        if hi is not None:
            firsts = firsts[firsts["date"] <= hi]
        if not firsts.empty:
            fig.add_trace(go.Scatter(
                x=_iso(firsts["date"]), y=[RESPONSES_LABEL] * len(firsts), mode="markers", name=RESPONSES_LABEL,
                marker={"symbol": RESPONSES_SYMBOL, "size": 12, "color": "#000000"},
                hovertext=[_response_hover(r) for _, r in firsts.iterrows()], hoverinfo="text",
                customdata=firsts["iso3"].astype(str).to_list(),
            ))
            rows_order.append(RESPONSES_LABEL)
    fig.update_layout(
        title=title, height=160 + 50 * max(len(rows_order), 1), hovermode="closest", showlegend=False,
        xaxis={"title": "Date (month-only events on the 1st)", "type": "date"},
        yaxis={"title": "", "categoryorder": "array", "categoryarray": list(reversed(rows_order))},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    if events.empty and responses is None:
        fig.add_annotation(text="No events match these filters.", showarrow=False, xref="paper", yref="paper",
                           x=0.5, y=0.5)
    return fig
