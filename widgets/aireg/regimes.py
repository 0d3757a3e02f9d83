"""Comparing the regimes that answered the Grok case: legal basis, who acts, maximum sanction, speed, reach.

The table is assembled from the data: the actions from ``datasets/grok-2026/responses.csv``, the ceilings
from ``datasets/legal/penalty_regimes.csv`` (each formatted with its article), the reference date from
``timeline.csv`` (:func:`aireg.timeline.first_report_date`). What is editorial - which regimes to compare,
and which rows of the data belong to each - is written out in :data:`REGIMES`, one line per regime, so it
can be read and challenged.

"Speed" is the number of days from the first report of the abuse (31 December 2025 with the kit's data,
see :func:`aireg.timeline.first_report_date`) to a jurisdiction's first *formal action*: a row whose
``legal_effect`` is :data:`FORMAL_EFFECTS` (a binding measure against X or xAI, or a formal step of a procedure).
Statements, letters, recommendations, legislative votes and laws are not counted: a vote is neither law in force
nor action against X, and a law binds everyone, not the company in the case. It measures when authorities *acted*,
not how fast the harm stopped.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .enforcement import BASIS_WORDS
from .theme import QUALITATIVE

__all__ = [
    "FORMAL_EFFECTS",
    "formal_actions",
    "REGIMES",
    "Regime",
    "comparison_table",
    "format_sanction",
    "max_sanction",
    "regime_actions",
    "time_to_first_action",
    "time_to_first_action_figure",
]


@dataclass(frozen=True)
class Regime:
    """A regime to compare: which response rows belong to it and which penalty rows give its ceilings.

    ``codes``: jurisdiction codes of ``responses.csv`` (a code ending in ``-`` is a prefix: ``US-`` = every US
    state). ``basis``: a regular expression the row's ``legal_basis`` must match (``None``: any basis).
    ``penalties``: ``regime_id`` values of ``penalty_regimes.csv``, most important first.
    """

    key: str
    name: str
    codes: tuple[str, ...]
    basis: str | None
    penalties: tuple[str, ...]


REGIMES: list[Regime] = [
    Regime("eu_dsa", "EU Digital Services Act", ("EUU",), r"Digital Services Act", ("dsa_74_1", "dsa_76", "dsa_51_3")),
    Regime("uk_osa", "UK Online Safety Act", ("GBR",), r"Online Safety Act", ("uk_osa_fine", "uk_osa_bdm")),
    Regime("us_tida", "US TAKE IT DOWN Act (federal)", ("USA",), r"TAKE IT DOWN", ("us_take_it_down_48h",)),
    Regime("us_states", "US states: attorneys general", ("US-",), None, ()),
    Regime("idn_block", "Indonesia: network block", ("IDN",), None, ("id_pm5_2020_art9",)),
    Regime("mys_block", "Malaysia: notices and network block", ("MYS",), None, ()),
    Regime("ind_takedown", "India: takedown orders (sanction: loss of safe harbour)", ("IND",), None,
           ("in_it_act_s79",)),
    Regime("eu_ai_act", "EU AI Act (no ban in force in January 2026; new ban applies from 2 Dec 2026)",
           ("EUU",), r"AI Act", ("ai_act_99_3", "ai_act_101")),
]
FORMAL_EFFECTS = ("binding_measure", "formal_step")
"""The ``legal_effect`` values that count as a formal action against X or xAI (see ``datasets/grok-2026``)."""

_TOOL = {
    "fine": "fine",
    "periodic_penalty": "periodic penalty",
    "interim_measures": "interim measures",
    "access_restriction": "access restriction",
    "commitments": "binding commitments",
    "enhanced_supervision": "enhanced supervision",
    "business_disruption": "business disruption order",
    "information_request": "information request",
    "removal_duty": "removal duty",
    "loss_of_safe_harbour": "loss of safe harbour (liability for users' content)",
    "other": "other measure",
}
NOT_IN_DATA = "not in penalty_regimes.csv"


def _num(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def format_sanction(row: pd.Series | dict) -> str:
    """One ``penalty_regimes.csv`` row as words: "up to 6% of worldwide annual turnover (DSA Art. 74(1))".

    Uses ``tool``, ``rate``, ``basis``, ``fixed_amount``, ``currency``, ``combine`` (rate_only, fixed_only,
    greater_of, lower_of, none), ``per`` (once, day) and ``max_duration_days``; always ends with the article.
    """
    get = row.get if isinstance(row, dict) else (lambda k, d=None: row[k] if k in row.index else d)
    tool = str(get("tool"))
    rate, fixed = _num(get("rate")), _num(get("fixed_amount"))
    combine, per = str(get("combine")), str(get("per"))
    basis = BASIS_WORDS.get(str(get("basis")), str(get("basis")).replace("_", " "))
    rate_text = f"{rate * 100:g}% of {basis}" if rate is not None else None
    fixed_text = f"{get('currency') or ''} {fixed:,.0f}".strip() if fixed is not None else None
    if combine == "rate_only" and rate_text:
        amount = rate_text
    elif combine == "fixed_only" and fixed_text:
        amount = fixed_text
    elif combine == "greater_of" and rate_text and fixed_text:
        amount = f"the greater of {fixed_text} and {rate_text}"
    elif combine == "lower_of" and rate_text and fixed_text:
        amount = f"the lesser of {fixed_text} and {rate_text}"
    else:
        amount = None
    label = _TOOL.get(tool, tool.replace("_", " "))
    if amount is None:
        text = f"{label}, no fine amount"
    else:
        text = ("up to " if tool == "fine" else f"{label}: up to ") + amount + {
            "day": " per day", "violation": " per violation (each day of a continuing violation can count)"}.get(per, "")
    days = _num(get("max_duration_days"))
    if days is not None:
        text += f", for {days:g}-day periods (extensions only as the article allows)"
    return f"{text} ({get('article')})"


def max_sanction(penalty_regimes: pd.DataFrame, regime_ids: Iterable[str]) -> str:
    """The formatted ceilings of the given ``regime_id`` rows, joined by "; " (or a "not in data" note)."""
    ids = list(regime_ids)
    if not ids:
        return NOT_IN_DATA
    rows = penalty_regimes.set_index(penalty_regimes["regime_id"].astype(str))
    missing = [i for i in ids if i not in rows.index]
    if missing:
        raise ValueError(f"penalty_regimes.csv has no rows {missing}")
    return "; ".join(format_sanction(rows.loc[i]) for i in ids)


def regime_actions(responses: pd.DataFrame, regime: Regime) -> pd.DataFrame:
    """The ``responses.csv`` rows that belong to ``regime`` (by jurisdiction code and legal basis), by date."""
    codes = responses["iso3"].astype(str)
    mask = pd.Series(False, index=responses.index)
    for code in regime.codes:
        mask |= codes.str.startswith(code) if code.endswith("-") else codes == code
    if regime.basis:
        mask &= responses["legal_basis"].astype(str).str.contains(regime.basis, flags=re.I, regex=True)
    return responses[mask].sort_values("date", kind="stable")


def _first_report(first_report) -> pd.Timestamp:
    if first_report is None:
        from .data import load_timeline
        from .timeline import first_report_date

        return first_report_date(load_timeline())
    try:
        return pd.Timestamp(first_report)
    except (ValueError, TypeError):
        raise ValueError(f"first_report must be a date such as '2025-12-31', not {first_report!r}") from None


def _effects(rows: pd.DataFrame) -> pd.Series:
    """The rows' ``legal_effect``; a frame without that column falls back to its action types (statements,
    legislation and lifted blocks are then not formal)."""
    if "legal_effect" in rows.columns:
        return rows["legal_effect"].astype(str)
    informal = {"statement": "non_binding", "legislation": "law", "other": "non_binding"}
    return rows["action_type"].astype(str).map(lambda t: informal.get(t, "formal_step"))


def formal_actions(rows: pd.DataFrame) -> pd.Series:
    """True for the rows that are formal action against X or xAI: ``legal_effect`` in :data:`FORMAL_EFFECTS`, and
    not the lifting of a block."""
    return _effects(rows).isin(FORMAL_EFFECTS) & (rows["action_type"].astype(str) != "block_lifted")


def _first(rows: pd.DataFrame, since: pd.Timestamp, formal_only: bool) -> pd.Series | None:
    rows = rows[(rows["date"] >= since) & (rows["action_type"].astype(str) != "block_lifted")]
    allowed = set(FORMAL_EFFECTS) | (set() if formal_only else {"non_binding"})
    rows = rows[_effects(rows).isin(allowed)]
    return None if rows.empty else rows.iloc[0]


def _describe(row: pd.Series | None) -> str:
    if row is None:
        return "none in the data"
    return f"{row['date']:%d %b %Y}: {str(row['action_type']).replace('_', ' ')} ({row['actor']})"


def _days(row: pd.Series | None, since: pd.Timestamp) -> float:
    return math.nan if row is None else float((row["date"] - since).days)


def _reach(rows: pd.DataFrame, regime: Regime, jurisdictions: pd.DataFrame | None) -> str:
    if "EUU" in regime.codes and jurisdictions is not None:
        n = int(jurisdictions["eu_member"].fillna(False).astype(bool).sum())
        return f"EU-wide: {n} member states"
    names = list(dict.fromkeys(rows["jurisdiction"].astype(str)))
    if not names:
        return "; ".join(regime.codes)
    return ", ".join(names) if len(names) <= 3 else f"{len(names)} jurisdictions: " + ", ".join(names)


def comparison_table(responses: pd.DataFrame, penalty_regimes: pd.DataFrame, first_report=None,
                     jurisdictions: pd.DataFrame | None = None,
                     regimes: Iterable[Regime] = tuple(REGIMES)) -> pd.DataFrame:
    """One row per regime of :data:`REGIMES`, built from the data.

    Columns: ``regime``; ``legal_basis`` (the instrument of the regime's first penalty row, else the legal basis
    cited in its first action); ``who_acts`` (the penalty row's ``decided_by``, else the actors on record);
    ``max_sanction`` (:func:`format_sanction` of the penalty rows, with articles); ``first_formal_action`` and
    ``days_to_formal_action`` (first action on or after ``first_report`` whose ``legal_effect`` is in
    :data:`FORMAL_EFFECTS`: never a statement, letter, vote or law); ``days_to_first_step`` (statements and letters included; votes and laws never); ``tools_used`` (the action types on record);
    ``reach`` (the territory: EU member states are counted from ``jurisdictions``); ``sources``.
    ``first_report=None`` reads the date from ``timeline.csv``.
    """
    since = _first_report(first_report)
    pen = penalty_regimes.set_index(penalty_regimes["regime_id"].astype(str))
    rows = []
    for regime in regimes:
        acts = regime_actions(responses, regime)
        formal = _first(acts, since, formal_only=True)
        any_step = _first(acts, since, formal_only=False)
        after = acts[acts["date"] >= since]
        if regime.penalties:
            first_pen = pen.loc[regime.penalties[0]]
            basis = str(first_pen["instrument"])
            who = str(first_pen["decided_by"])
        else:
            basis = str((formal if formal is not None else any_step)["legal_basis"]) if any_step is not None else ""
            who = ", ".join(dict.fromkeys(after["actor"].astype(str)))
        sources = list(dict.fromkeys(
            u for cell in after["source_url"].astype(str) for u in cell.split(" | ")[:1]))
        rows.append({
            "regime": regime.name,
            "legal_basis": basis,
            "who_acts": who,
            "max_sanction": max_sanction(penalty_regimes, regime.penalties),
            "first_formal_action": _describe(formal),
            "days_to_formal_action": _days(formal, since),
            "days_to_first_step": _days(any_step, since),
            "tools_used": ", ".join(dict.fromkeys(str(t).replace("_", " ") for t in after["action_type"])),
            "reach": _reach(after, regime, jurisdictions),
            "sources": " | ".join(dict.fromkeys(
                sources + [str(pen.loc[p, "source_url"]).split(" | ")[0] for p in regime.penalties])),
        })
    out = pd.DataFrame(rows)
    for col in ("days_to_formal_action", "days_to_first_step"):
        out[col] = out[col].astype("Float64").round().astype("Int64")
    return out


def time_to_first_action(responses: pd.DataFrame, first_report=None, include_statements: bool = False,
                         ) -> pd.DataFrame:
    """Days from the first report to each jurisdiction's first formal action, fastest first.

    One row per ``iso3`` with ``jurisdiction``, ``date``, ``action_type``, ``actor`` and ``days``. Actions
    before ``first_report`` are ignored (the EU's 5 December 2025 fine predates the case); lifted blocks never
    count; only rows whose ``legal_effect`` is in :data:`FORMAL_EFFECTS` count, unless
    ``include_statements=True`` adds statements, letters and other non-binding acts (legislative votes and laws
    never count: they are not action against X). ``first_report=None`` reads the date from ``timeline.csv``.
    """
    since = _first_report(first_report)
    effects = _effects(responses)
    allowed = set(FORMAL_EFFECTS) | ({"non_binding"} if include_statements else set())
    frame = responses[(responses["date"] >= since) & (responses["action_type"].astype(str) != "block_lifted")
                      & effects.isin(allowed)]
    frame = frame.sort_values(["date", "iso3"], kind="stable").drop_duplicates("iso3", keep="first")
    out = frame[["iso3", "jurisdiction", "level", "date", "action_type", "actor", "source_url"]].copy()
    out["legal_effect"] = _effects(frame).to_numpy()
    out["action_type"] = out["action_type"].astype(str)
    out["days"] = (out["date"] - since).dt.days.astype("Int64")
    return out.reset_index(drop=True)


def time_to_first_action_figure(frame: pd.DataFrame, first_report=None,
                                title: str = "Days to each jurisdiction's first action"
                                ) -> go.Figure:
    """Horizontal bars of :func:`time_to_first_action`, coloured by action type and labelled in words.

    Each bar carries its day count and action type as text, so the colour is never the only cue.
    """
    fig = go.Figure()
    if frame.empty:
        fig.add_annotation(text="No actions to show.", showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
        return fig
    order = frame.sort_values(["days", "jurisdiction"], ascending=[False, True], kind="stable")
    types = list(dict.fromkeys(frame.sort_values("days")["action_type"]))
    for i, kind in enumerate(types):
        rows = order[order["action_type"] == kind]
        label = kind.replace("_", " ")
        fig.add_trace(go.Bar(
            x=rows["days"].astype(float), y=rows["jurisdiction"].astype(str), orientation="h", name=label,
            marker={"color": QUALITATIVE[i % len(QUALITATIVE)], "line": {"color": "#222222", "width": 0.5}},
            text=[f"{d} d · {label}" for d in rows["days"]], textposition="outside", cliponaxis=False,
            hovertext=[f"<b>{j}</b><br>{d:%d %B %Y}: {label}<br>{a}" for j, d, a in
                       zip(rows["jurisdiction"], rows["date"], rows["actor"], strict=True)],
            hoverinfo="text",
        ))
    since = _first_report(first_report) if first_report is not None else None
    subtitle = f"<br><sup>day 0 = {since:%d %B %Y}</sup>" if since is not None else ""
    longest = float(frame["days"].max())
    fig.update_layout(
        title=title + subtitle, barmode="overlay", height=190 + 26 * len(frame),
        # Room on the right for the "N d · type" labels.
        xaxis={"title": "days after the first report", "range": [0, max(longest, 1.0) * 1.6]},
        yaxis={"categoryorder": "array", "categoryarray": order["jurisdiction"].astype(str).to_list()},
        legend={"title": {"text": "first action type"}, "orientation": "h", "y": -0.12, "yanchor": "top"},
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
    )
    return fig
