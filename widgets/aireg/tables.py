"""Tables for people: one style for every DataFrame a lesson shows (``aireg.setup()`` makes it the notebook's
default) and for the kit's own tables.

Plain-language headers (``action_type`` reads "Action type"), text left and numbers right, money as "USD 2.60bn"
(when the currency is known from the column name or a ``currency`` column), dates as "14 Jan 2026", an empty
cell rather than ``NaT``/``NaN``, no default index column, links shown by the site they lead to.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
from urllib.parse import urlsplit

import pandas as pd

#: headers for the kit's own column names; anything else is turned from snake_case into a sentence
LABELS = {
    "iso3": "Code", "iso_a3": "Code", "code": "Code", "action_type": "Action type", "actor": "Who acted",
    "legal_effect": "Legal effect", "source_url": "Sources", "cited_by": "Cited from", "as_of": "As of",
    "event_id": "Event", "regime_id": "Regime", "evidence_id": "Study", "figure_id": "Figure", "n": "Number",
    "rate": "Rate", "fixed_amount": "Fixed amount", "max_duration_days": "Longest period (days)",
    "decided_by": "Who decides", "item": "Item", "applies_to": "Applies to", "days_to_first": "Days to first action",
}
ACRONYMS = {"dsa": "DSA", "eu": "EU", "uk": "UK", "us": "US", "usd": "USD", "eur": "EUR", "gbp": "GBP",
            "osa": "OSA", "ai": "AI", "id": "ID", "url": "URL", "gdpr": "GDPR"}
_MONEY = re.compile(r"(usd|eur|gbp|amount|fine|turnover|revenue|ceiling|_cap|cap_|penalt)", re.I)
_CURRENCY = re.compile(r"(?:^|_)(usd|eur|gbp)(?:_|$)", re.I)
_SHARE = re.compile(r"(^|_)(rate|share|percent|pct)($|_)", re.I)
MAX_ROWS = 60


def header(name) -> str:
    """A column name as a reader would write it: ``action_type`` -> "Action type", ``fine_usd`` -> "Fine USD"."""
    text = str(name)
    if text in LABELS:
        return LABELS[text]
    if "_" not in text and not text.islower():
        return text  # already written for people ("Jurisdiction", "Art. 74")
    words = [ACRONYMS.get(w.lower(), w) for w in text.split("_") if w]
    if not words:
        return text
    first = words[0] if words[0].isupper() else words[0].capitalize()
    return " ".join([first, *words[1:]])


def compact(n: float) -> str:
    """``2.6e9`` -> "2.60bn", ``1.2e8`` -> "120.0m", ``53088`` -> "53,088", ``0.25`` -> "0.25"."""
    a = abs(n)
    if a >= 1e9:
        return f"{n / 1e9:,.2f}bn"
    if a >= 1e6:
        return f"{n / 1e6:,.1f}m"
    if a >= 1000 or float(n).is_integer():
        return f"{n:,.0f}"
    return f"{n:.3g}"


def _missing(value) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict, set)) else False
    except (TypeError, ValueError):
        return False


def _links(text: str) -> str:
    parts = [p.strip() for p in text.split("|") if p.strip()]
    out = []
    for url in parts:
        site = urlsplit(url).netloc.removeprefix("www.") or url
        out.append(f"<a href='{html.escape(url, quote=True)}' target='_blank' rel='noopener'>{html.escape(site)}</a>")
    return ", ".join(out)


def cell(value, column: str = "", currency: str | None = None) -> tuple[str, bool]:
    """(HTML text, whether it is a number) for one value of ``column``."""
    if _missing(value):
        return "", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return f"{pd.Timestamp(value):%d %b %Y}".lstrip("0"), False
    if isinstance(value, pd.Timedelta):
        return f"{value.days:,} days", True
    if isinstance(value, (int, float)) and not isinstance(value, bool) or hasattr(value, "dtype"):
        try:
            n = float(value)
        except (TypeError, ValueError):
            return html.escape(str(value)), False
        if not math.isfinite(n):
            return "", False
        name = str(column)
        if _SHARE.search(name) and 0 <= n <= 1 and not _MONEY.search(name):
            return f"{n * 100:.3g}%", True
        if _MONEY.search(name):
            cur = _CURRENCY.search(name)
            cur = cur.group(1).upper() if cur else currency
            return (f"{cur} {compact(n)}" if cur else compact(n)), True
        return compact(n), True
    text = str(value)
    if re.match(r"https?://", text):
        return _links(text), False
    if str(column) == "action_type":
        from .maps import ACTION_LABELS

        text = ACTION_LABELS.get(text, text)
    if re.fullmatch(r"[a-z]+(_[a-z]+)+", text):  # a coded value ("under_appeal"): words
        text = text.replace("_", " ")
    return html.escape(text), False


def people_table(frame: pd.DataFrame | pd.Series, caption: str | None = None, max_rows: int = MAX_ROWS) -> str:
    """``frame`` as an HTML table for people (see the module docstring)."""
    if isinstance(frame, pd.Series):
        frame = frame.to_frame(name=frame.name if frame.name is not None else "value")
    df = frame
    if isinstance(df.index, pd.MultiIndex) or not isinstance(df.index, pd.RangeIndex) or df.index.name:
        if df.index.name is None and not isinstance(df.index, pd.MultiIndex):
            df = df.rename_axis("item")
        df = df.reset_index()  # a meaningful index is a column like the others
    if isinstance(df.columns, pd.MultiIndex):
        df = df.copy()
        df.columns = [" ".join(str(x) for x in c if str(x)) for c in df.columns]
    shown = df.head(max_rows)
    currency_col = next((c for c in df.columns if str(c).lower() == "currency"), None)
    cells = []
    for _, r in shown.iterrows():
        cur = r[currency_col] if currency_col is not None and isinstance(r[currency_col], str) else None
        cells.append([cell(r[c], c, cur) for c in shown.columns])
    numeric = [any(row[i][1] for row in cells) for i in range(len(shown.columns))]
    def th(i: int, c) -> str:  # the data's own column name on hover, for the reader who codes against it
        raw = f" title='column {html.escape(str(c), quote=True)}'" if header(c) != str(c) else ""
        return (f"<th scope='col'{raw} style='text-align:{'right' if numeric[i] else 'left'};vertical-align:bottom'>"
                f"{html.escape(header(c))}</th>")

    head = "".join(th(i, c) for i, c in enumerate(shown.columns))
    rows = ["<tr>" + "".join(f"<td style='text-align:{'right' if num else 'left'};vertical-align:top'>{text}</td>"
                             for text, num in row) + "</tr>" for row in cells]
    more = len(df) - len(shown)
    note = (f"<tr><td colspan='{len(shown.columns)}' style='text-align:left;color:#555'>… and {more:,} more rows"
            "</td></tr>") if more > 0 else ""
    cap = f"<caption style='text-align:left;font-weight:bold'>{html.escape(caption)}</caption>" if caption else ""
    # a wide table scrolls inside its own region, which the keyboard can reach (tab, then the arrow keys)
    # each region is named after its table (its caption, else its columns), so regions are told apart
    cols = [header(c) for c in shown.columns]
    name = html.escape(caption or ("Table: " + ", ".join(cols[:4]) + (", ..." if len(cols) > 4 else "")), quote=True)
    return (f"<div class='aireg-table-wrap' role='region' aria-label='{name}' tabindex='0' "
            f"style='overflow-x:auto;max-width:100%'>"
            f"<table class='aireg-table' style='border-collapse:collapse'>{cap}<thead><tr>{head}"
            f"</tr></thead><tbody>{''.join(rows)}{note}</tbody></table></div>")


def use_people_tables(on: bool = True) -> None:
    """Make :func:`people_table` how this notebook shows every DataFrame and Series (``False``: pandas' own)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is part of the kit
        return
    ip = get_ipython()
    if ip is None:
        return
    formatter = ip.display_formatter.formatters["text/html"]
    for kind in (pd.DataFrame, pd.Series):
        if on:
            formatter.for_type(kind, people_table)
        else:
            formatter.type_printers.pop(kind, None)
