"""Across the cases: how fast each jurisdiction acted, with which tools, and what was undone.

Every function here takes a case by name (``aireg.cases()``: ``grok-2026``, ``chatgpt-italy-2023``,
``deepseek-2025``) and reads its ``responses.csv``. Days are counted from the case's *own* day zero
(:func:`aireg.day_zero`, labelled by ``case_info(case)["day_zero_label"]``), and only rows on or after it count:
the EU's DSA fine of 5 December 2025 on other matters predates the Grok case and is left out.

Two editorial choices, both read from the data's columns:

- a *binding measure* is a row whose ``legal_effect`` is ``binding_measure`` (the kit's classification: an order,
  block, fine or judgment), except ``block_lifted`` rows, which end a measure rather than impose one;
- a jurisdiction has *acted* once it has a row of any ``action_type`` other than ``statement`` (and other than
  ``block_lifted``); see :mod:`aireg.maps` for the scale of action types.

"Undone" rows come only from the data: ``status == "lifted"``, ``action_type == "block_lifted"``, or a
``court_case`` whose summary says it annulled or suspended a measure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from .data import case_info, day_zero, load_responses
from .data import cases as all_cases
from .maps import ACTION_LABELS, ACTION_ORDER, UNRANKED
from .theme import QUALITATIVE

__all__ = [
    "TOOL_ORDER",
    "MARKERS",
    "first_binding_measure",
    "case_speed",
    "tools_used",
    "tools_table",
    "undone",
    "comparison",
    "speed_figure",
]

#: The kit's scale (weakest first), then the two unranked types: the row order of :func:`tools_used`.
TOOL_ORDER: tuple[str, ...] = (*ACTION_ORDER, *UNRANKED)
#: One marker shape per case in :func:`speed_figure`, so that colour is never the only cue.
MARKERS: tuple[str, ...] = ("circle", "square", "diamond", "triangle-up", "x", "star")
_COURT_UNDOING = re.compile(r"\b(annul\w*|suspend\w*)", re.IGNORECASE)


def _since(responses: pd.DataFrame, since) -> pd.DataFrame:
    if since is None:
        return responses
    return responses[responses["date"] >= pd.Timestamp(since)]


def _binding(responses: pd.DataFrame) -> pd.Series:
    return ((responses["legal_effect"].astype(str) == "binding_measure")
            & (responses["action_type"].astype(str) != "block_lifted"))


def first_binding_measure(responses: pd.DataFrame, since: str | date | pd.Timestamp | None = None) -> pd.DataFrame:
    """Per jurisdiction (``iso3``), its first binding measure on or after ``since`` (all dates if None).

    Columns ``iso3``, ``jurisdiction``, ``date``, ``action_type``, ``actor``, ``response_id``; earliest first.
    A binding measure is a row with ``legal_effect == "binding_measure"`` that is not a ``block_lifted`` row.
    """
    frame = _since(responses, since)
    frame = frame[_binding(frame)].sort_values(["date", "iso3"], kind="stable").drop_duplicates("iso3")
    out = frame[["iso3", "jurisdiction", "date", "action_type", "actor", "response_id"]].copy()
    out["action_type"] = out["action_type"].astype(str)
    return out.reset_index(drop=True)


def case_speed(case: str) -> pd.DataFrame:
    """One row per jurisdiction with a row on or after the case's day zero: days to its first action other than a
    statement (``days_to_first_action``) and to its first binding measure (``days_to_binding``; NaN if none).

    Also ``case``, ``iso3``, ``jurisdiction``, the first action's ``first_action_date``/``first_action_type`` and
    the binding measure's ``binding_date``, ``binding_action_type``, ``binding_actor`` and ``binding_response_id``.
    Sorted by days to the binding measure, then to the first action (jurisdictions without either last).
    """
    zero = day_zero(case)
    rows = _since(load_responses(case), zero)
    names = rows.drop_duplicates("iso3").set_index("iso3")["jurisdiction"].astype(str)
    acts = rows[~rows["action_type"].astype(str).isin(("statement", "block_lifted"))]
    acts = acts.sort_values(["date", "iso3"], kind="stable").drop_duplicates("iso3").set_index("iso3")
    binding = first_binding_measure(rows).set_index("iso3")
    out = pd.DataFrame({"case": case, "iso3": names.index, "jurisdiction": names.to_numpy()})
    out["first_action_date"] = out["iso3"].map(acts["date"])
    out["first_action_type"] = out["iso3"].map(acts["action_type"].astype(str))
    out["days_to_first_action"] = (out["first_action_date"] - zero).dt.days.astype(float)
    out["binding_date"] = out["iso3"].map(binding["date"])
    for col in ("action_type", "actor", "response_id"):
        out[f"binding_{col}"] = out["iso3"].map(binding[col].astype(str))
    out["days_to_binding"] = (out["binding_date"] - zero).dt.days.astype(float)
    out = out.sort_values(["days_to_binding", "days_to_first_action", "jurisdiction"], kind="stable",
                          na_position="last")
    return out.reset_index(drop=True)


def tools_used(case: str) -> pd.Series:
    """How many rows of each ``action_type`` the case has on or after its day zero, in :data:`TOOL_ORDER` (zeros
    included), plus ``binding``: the number of binding measures (see :func:`first_binding_measure`)."""
    rows = _since(load_responses(case), day_zero(case))
    counts = rows["action_type"].astype(str).value_counts()
    out = pd.Series({t: int(counts.get(t, 0)) for t in TOOL_ORDER}, name=case, dtype="int64")
    out["binding"] = int(_binding(rows).sum())
    return out


def tools_table(cases: Iterable[str] | None = None) -> pd.DataFrame:
    """:func:`tools_used` side by side, one column per case (short titles), rows labelled in words; the action types
    no case used are dropped."""
    names = list(cases) if cases is not None else all_cases()
    table = pd.DataFrame({case_info(c)["short_title"]: tools_used(c) for c in names})
    table = table[(table != 0).any(axis=1) | (table.index == "binding")]
    table.index = [ACTION_LABELS.get(t, "Binding measures (all types)") for t in table.index]
    return table


def undone(case: str) -> pd.DataFrame:
    """The rows that record a measure being undone: ``status == "lifted"`` (``how = "lifted"``), a ``block_lifted``
    row (``"lifting"``), or a ``court_case`` whose summary says it annulled (``"annulment"``) or suspended
    (``"suspension"``) a measure. Columns ``case``, ``response_id``, ``jurisdiction``, ``date``, ``actor``,
    ``action_type``, ``status``, ``how``, ``summary``; by date."""
    rows = load_responses(case)
    kind = rows["action_type"].astype(str)
    court = rows["summary"].astype(str).str.extract(_COURT_UNDOING, expand=False).str.lower()
    how = pd.Series(pd.NA, index=rows.index, dtype="object")
    how[(kind == "court_case") & court.str.startswith("suspend", na=False)] = "suspension"
    how[(kind == "court_case") & court.str.startswith("annul", na=False)] = "annulment"
    how[rows["status"].astype(str) == "lifted"] = "lifted"
    how[kind == "block_lifted"] = "lifting"
    out = rows[how.notna()].assign(case=case, how=how[how.notna()])
    out = out[["case", "response_id", "jurisdiction", "date", "actor", "action_type", "status", "how", "summary"]]
    out = out.astype({"action_type": str, "status": str})
    return out.sort_values("date", kind="stable").reset_index(drop=True)


def _tools_text(counts: pd.Series) -> str:
    return "; ".join(f"{ACTION_LABELS[t]}: {n}" for t, n in counts.drop("binding").items() if n)


def comparison(cases: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per case (all cases if None): ``case``, ``title`` (the short title), ``day_zero`` and its
    ``day_zero_label``, ``jurisdictions_acting`` (with an action other than a statement),
    ``jurisdictions_binding`` (with a binding measure), ``median_days_to_binding`` (over the latter),
    ``tools_used`` (action types and counts in scale order), ``binding_measures`` and ``measures_undone`` (measures
    whose ``status`` is ``lifted``; liftings and court rulings are the acts that undid them)."""
    rows = []
    for case in (list(cases) if cases is not None else all_cases()):
        info, speed, tools, gone = case_info(case), case_speed(case), tools_used(case), undone(case)
        rows.append({
            "case": case,
            "title": info["short_title"],
            "day_zero": day_zero(case),
            "day_zero_label": info["day_zero_label"],
            "jurisdictions_acting": int(speed["days_to_first_action"].notna().sum()),
            "jurisdictions_binding": int(speed["days_to_binding"].notna().sum()),
            "median_days_to_binding": float(speed["days_to_binding"].median()),
            "tools_used": _tools_text(tools),
            "binding_measures": int(tools["binding"]),
            "measures_undone": int(((gone["how"] == "lifted") & (gone["action_type"] != "block_lifted")).sum()),
        })
    return pd.DataFrame(rows)


def _day(ts: pd.Timestamp) -> str:
    return f"{ts.day} {ts:%B %Y}"


def speed_figure(cases: Iterable[str] | None = None) -> go.Figure:
    """A dot plot: per jurisdiction (rows), days from each case's day zero to its first binding measure, one
    colour (Okabe-Ito) *and* one marker shape per case. ``layout.meta["text_alternative"]`` holds the same
    figures in words, for a caption or a screen reader."""
    names = list(cases) if cases is not None else all_cases()
    speeds = {c: case_speed(c).dropna(subset=["days_to_binding"]) for c in names}
    fig = go.Figure()
    lines, order = [], {}
    for i, case in enumerate(names):
        info, speed = case_info(case), speeds[case]
        for j, d in zip(speed["jurisdiction"], speed["days_to_binding"], strict=True):
            order[j] = min(order.get(j, d), d)
        fig.add_trace(go.Scatter(
            x=speed["days_to_binding"], y=speed["jurisdiction"], mode="markers", name=info["short_title"],
            marker={"color": QUALITATIVE[i % len(QUALITATIVE)], "symbol": MARKERS[i % len(MARKERS)], "size": 13,
                    "line": {"color": "#222222", "width": 1}},
            hovertext=[f"<b>{j}</b> ({info['short_title']})<br>day {d:.0f}: {ACTION_LABELS.get(t, t)}<br>{a}"
                       for j, d, t, a in zip(speed["jurisdiction"], speed["days_to_binding"],
                                             speed["binding_action_type"], speed["binding_actor"], strict=True)],
            hoverinfo="text",
        ))
        listed = ", ".join(f"{j} {d:.0f}" for j, d in zip(speed["jurisdiction"], speed["days_to_binding"],
                                                           strict=True))
        lines.append(f"{info['short_title']} (day 0 = {info['day_zero_label']}, {_day(day_zero(case))}): "
                     + (listed if listed else "no binding measure"))
    rows = sorted(order, key=lambda j: (-order[j], j))  # fastest at the top
    title = "Days from each case's day zero to each jurisdiction's first binding measure"
    fig.update_layout(
        title={"text": title, "automargin": True,
               "subtitle": {"text": "each case counted from its own day zero; one colour and one marker shape per case"}},
        height=160 + 26 * max(len(rows), 1),
        xaxis={"title": {"text": "days after the case's own day zero"}, "rangemode": "tozero", "zeroline": True},
        yaxis={"categoryorder": "array", "categoryarray": rows, "title": {"text": ""}},
        legend={"title": {"text": "case"}, "orientation": "h", "y": -0.12, "yanchor": "top"},
        margin={"l": 10, "r": 20, "t": 80, "b": 10},
        meta={"text_alternative": title + ". " + "; ".join(lines) + "."},
    )
    return fig
