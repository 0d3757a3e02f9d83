"""Who did what, where and when: an offline map of the documented responses, with a date slider.

The map answers one question per jurisdiction: *what is the strongest thing it had done by a given date?*
"Strongest" needs an order of the ``action_type`` values of every case's ``responses.csv`` (``datasets/<case>``).
The kit uses this one (weakest first), a teaching judgement about how directly an action constrains the service,
not a legal hierarchy; lessons invite students to argue with it:

1. ``statement``: words only (a minister's or regulator's public position); no legal effect on the company.
2. ``information_request``: the authority asks the company formal questions or sets a reply deadline.
3. ``investigation``: a prosecutor or authority inquires whether an offence or breach occurred.
4. ``formal_proceedings``: a formal procedure under a named statute that can end in a binding decision and
   a sanction (e.g. DSA Art. 66 proceedings, an Online Safety Act investigation, a GDPR inquiry).
5. ``device_ban``: a government bars the service from its own devices or networks (a security measure): binding
   on its staff, not on the company, whose service stays open to everyone else.
6. ``content_removal_order``: a binding order to take content down now, with a deadline.
7. ``legislation``: a new or amended law changes the rules for every provider, not only this company.
8. ``court_case``: a court is seised or has ruled; a judge can order the company to act, under penalty.
9. ``fine``: a sanction has been imposed.
10. ``processing_limitation``: a data-protection authority orders the company to stop (or limit) processing the
    personal data of people in its territory (GDPR Art. 58(2)(f)): an order on processing, which the company
    carries out, often by withdrawing the service there.
11. ``access_block``: the state makes the service unreachable for a whole population, the most intrusive measure.

A map shows the scale's steps that occur in the case it draws (:func:`case_scale`): a case without device bans
has no "Device ban" entry in its legend.

Two action types are not on the scale:

- ``other`` (referrals, letters, recommendations, cease-and-desist letters, findings...) says that the
  jurisdiction acted but not how strongly. It ranks *below* ``statement`` so that any classified action wins,
  and it has its own colour outside the ordered ramp. Read the popup or the table to see what it was.
- ``block_lifted`` never counts as the strongest action: a lifted block (or lifted limitation of processing) still
  shows that the jurisdiction acted (strongest *so far*), and the date of the lifting is reported beside it
  (``lifted_date``).
  A jurisdiction whose only rows are ``block_lifted`` is shown with the ``other`` colour.

The EU (``EUU``) is mapped for its *own* actions only: a black-and-coloured outline over the member states
(``eu_member`` in ``datasets/geo/jurisdictions.csv``) plus a dot at Brussels; member states keep the fill of
their own actions. Subnational actors (``US-CA`` style codes) get their state outline, dashed, and a dot at the
registry's lat/lon. Jurisdictions with no polygon at 1:110m (Malta, Singapore, Hong Kong) are dots.

Maps are built with folium but render offline: no tiles, the vendored Leaflet inlined by
:func:`aireg.offline.inline_cdn_assets`, and no jQuery (folium's own ``Popup``/``Tooltip`` need jQuery and
do not escape their text, so this module binds escaped popups itself).
"""

from __future__ import annotations

import html
import json
import statistics
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from urllib.parse import urlparse

import pandas as pd

from .theme import SEQUENTIAL

__all__ = [
    "ACTION_ORDER",
    "ACTION_COLOURS",
    "ACTION_LABELS",
    "NO_ACTION_COLOUR",
    "action_rank",
    "case_scale",
    "map_state",
    "strongest_actions",
    "unknown_codes",
    "acted_counts",
    "response_table_html",
    "response_map",
    "map_html",
    "show_map",
    "response_explorer",
    "ResponseExplorer",
]

# Weakest to strongest (see the module docstring for the reasons).
ACTION_ORDER: tuple[str, ...] = (
    "statement",
    "information_request",
    "investigation",
    "formal_proceedings",
    "device_ban",
    "content_removal_order",
    "legislation",
    "court_case",
    "fine",
    "processing_limitation",
    "access_block",
)
UNRANKED: tuple[str, ...] = ("other", "block_lifted")
#: measures that a later ``block_lifted`` row ends (its date is reported as ``lifted_date``)
LIFTABLE: tuple[str, ...] = ("access_block", "processing_limitation")

ACTION_LABELS: dict[str, str] = {
    "statement": "Statement",
    "information_request": "Information request",
    "investigation": "Investigation",
    "formal_proceedings": "Formal proceedings",
    "device_ban": "Ban on government devices",
    "content_removal_order": "Content removal order",
    "legislation": "Legislation",
    "court_case": "Court case",
    "fine": "Fine",
    "processing_limitation": "Order to limit processing",
    "access_block": "Access block",
    "other": "Other (unclassified)",
    "block_lifted": "Block lifted",
}

# Viridis sampled at 11 even steps, reversed (light yellow = weakest, dark purple = strongest): perceptually
# uniform, monotonic in lightness (reads in greyscale) and colour-blind safe (van der Walt & Smith, matplotlib).
ACTION_COLOURS: dict[str, str] = dict(zip(ACTION_ORDER, SEQUENTIAL, strict=True))
ACTION_COLOURS["other"] = "#E69F00"  # Okabe-Ito orange: deliberately off the ordered ramp
ACTION_COLOURS["block_lifted"] = ACTION_COLOURS["other"]
NO_ACTION_COLOUR = "#e6e6e6"

ROW_COLUMNS = [
    "code", "jurisdiction", "level", "action_type", "rank", "date", "actor", "legal_basis", "summary", "status",
    "status_as_of", "source_url", "cited_by", "n_actions", "first_date", "lifted_date", "history",
]
_NEEDED = ("iso3", "date", "action_type")
_OPTIONAL = ("jurisdiction", "level", "actor", "legal_basis", "summary", "status", "status_as_of", "source_url",
             "cited_by")


def action_rank(action_type: str) -> int:
    """Position on the strength scale: 1 (``statement``) to 11 (``access_block``); 0 for ``other``/``block_lifted``."""
    if action_type in ACTION_ORDER:
        return ACTION_ORDER.index(action_type) + 1
    if action_type in UNRANKED:
        return 0
    raise ValueError(f"unknown action type {action_type!r}: expected one of {', '.join(ACTION_LABELS)}")


def case_scale(responses: pd.DataFrame | None = None) -> tuple[str, ...]:
    """The steps of :data:`ACTION_ORDER` that occur in a case's responses (weakest first): what its legend lists."""
    frame = _prepare(responses)
    present = set(frame["action_type"])
    return tuple(a for a in ACTION_ORDER if a in present)


def _timestamp(value, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise ValueError(f"{name}={value!r} is not a date (use 'YYYY-MM-DD' or a datetime.date)") from None
    if pd.isna(ts):
        raise ValueError(f"{name}={value!r} is not a date")
    return ts.normalize()


def _prepare(responses: pd.DataFrame | None) -> pd.DataFrame:
    """A checked copy of a responses frame: plain-string columns, datetime dates, a ``rank`` column."""
    if isinstance(responses, _Prepared):
        return responses
    if responses is None:
        from .data import load_responses

        responses = load_responses()
    if not isinstance(responses, pd.DataFrame):
        raise TypeError(f"responses must be a pandas DataFrame, not {type(responses).__name__}")
    missing = [c for c in _NEEDED if c not in responses.columns]
    if missing:
        raise ValueError(f"the responses frame lacks column(s) {', '.join(missing)} (see datasets/grok-2026)")
    frame = pd.DataFrame({
        "iso3": responses["iso3"].astype(str),
        "action_type": responses["action_type"].astype(str),
    }, index=responses.index)
    try:
        frame["date"] = pd.to_datetime(responses["date"])
    except (ValueError, TypeError) as e:
        raise ValueError(f"the 'date' column has a value that is not a date ({e})") from None
    if frame["date"].isna().any():
        raise ValueError(f"the 'date' column is empty in row(s) {list(frame.index[frame['date'].isna()])}")
    for col in _OPTIONAL:
        frame[col] = responses[col].astype(object).where(responses[col].notna(), "").astype(str) \
            if col in responses.columns else ""
    bad = sorted(set(frame["action_type"]) - set(ACTION_LABELS))
    if bad:
        raise ValueError(f"unknown action type(s) {', '.join(bad)}: expected one of {', '.join(ACTION_LABELS)}")
    frame["rank"] = frame["action_type"].map(action_rank).astype(int)
    return _Prepared(frame.sort_values(["date", "iso3"], kind="stable").reset_index(drop=True))


class _Prepared(pd.DataFrame):
    """A responses frame already checked by :func:`_prepare` (so nested calls skip the work)."""

    @property
    def _constructor(self):
        return pd.DataFrame


def _filter(frame: pd.DataFrame, as_of, since, action_types) -> pd.DataFrame:
    as_of, since = _timestamp(as_of, "as_of"), _timestamp(since, "since")
    if as_of is not None:
        frame = frame[frame["date"] <= as_of]
    if since is not None:
        frame = frame[frame["date"] >= since]
    if action_types is not None:
        wanted = set(action_types)
        bad = sorted(wanted - set(ACTION_LABELS))
        if bad:
            raise ValueError(f"unknown action type(s) {', '.join(bad)}")
        frame = frame[frame["action_type"].isin(wanted)]
    return frame


def strongest_actions(responses: pd.DataFrame | None = None, as_of=None, since=None,
                      action_types: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per jurisdiction code: its strongest action dated on or before ``as_of`` (all dates if None).

    ``since`` ignores earlier rows; ``action_types`` keeps only those types. Among actions of equal strength the
    earliest wins (the date the jurisdiction first reached that level). EU rows are for ``EUU`` itself, never
    copied to member states. Columns: ``code, jurisdiction, level, action_type, rank, date, actor, legal_basis,
    summary, status, status_as_of, source_url, cited_by`` (of the strongest row), ``n_actions``/``first_date`` (all rows so far),
    ``lifted_date`` (a later ``block_lifted`` after an ``access_block`` or a ``processing_limitation``, else NaT) and ``history`` (a list of
    ``(date, action_type, actor)`` so far). Sorted by code; empty (same columns) before the first action.
    """
    frame = _filter(_prepare(responses), as_of, since, action_types)
    keep = ("jurisdiction", "level", "action_type", "rank", "date", "actor", "legal_basis", "summary", "status",
            "status_as_of", "source_url", "cited_by")
    groups: dict[str, list[dict]] = {}
    # Plain records, not a pandas groupby: this runs on every slider move (about 50 rows).
    for rec in frame.sort_values("date", kind="stable").to_dict("records"):
        groups.setdefault(rec["iso3"], []).append(rec)
    rows = []
    for code in sorted(groups):
        grp = groups[code]
        pool = [r for r in grp if r["action_type"] != "block_lifted"] or grp
        top = max(r["rank"] for r in pool)
        best = next(r for r in pool if r["rank"] == top)
        lifted = pd.NaT
        if best["action_type"] in LIFTABLE:
            later = [r["date"] for r in grp if r["action_type"] == "block_lifted" and r["date"] >= best["date"]]
            if later:
                lifted = later[0]
        rows.append({
            "code": code,
            **{c: best[c] for c in keep},
            "n_actions": len(grp),
            "first_date": min(r["date"] for r in grp),
            "lifted_date": lifted,
            "history": [(r["date"], r["action_type"], r["actor"]) for r in grp],
        })
    out = pd.DataFrame(rows, columns=ROW_COLUMNS)
    for col in ("date", "first_date", "lifted_date"):
        out[col] = pd.to_datetime(out[col])
    return out.astype({"rank": int, "n_actions": int})


# ---------------------------------------------------------------- geometry and the code registry


@lru_cache(maxsize=4)
def _features(name: str) -> dict[str, dict]:
    from .data import load_geometry

    return {f["id"]: f for f in load_geometry(name)["features"]}


def _registry(registry: pd.DataFrame | None) -> pd.DataFrame:
    if registry is None:
        from .data import load_jurisdictions

        registry = load_jurisdictions()
    return registry.set_index("code", drop=False)


def _feature_for(reg_row) -> dict | None:
    geom = reg_row["geometry"]
    if geom is None or pd.isna(geom) or str(geom) == "":
        return None
    return _features(str(geom)).get(reg_row["code"])


def unknown_codes(responses: pd.DataFrame | None = None, registry: pd.DataFrame | None = None) -> dict[str, str]:
    """Codes of ``responses`` that the map cannot draw as intended, with the reason (empty dict = all fine).

    A code missing from ``datasets/geo/jurisdictions.csv`` cannot be placed at all; a code whose registry
    ``geometry`` names a file without that feature is drawn as a marker at the registry's lat/lon instead.
    (Codes whose ``geometry`` is empty, such as ``MLT``, are markers by design and are not reported.)
    """
    frame = _prepare(responses)
    reg = _registry(registry)
    problems: dict[str, str] = {}
    for code in sorted(set(frame["iso3"])):
        if code not in reg.index:
            problems[code] = "not in datasets/geo/jurisdictions.csv: not drawn"
            continue
        row = reg.loc[code]
        geom = row["geometry"]
        if not (geom is None or pd.isna(geom) or str(geom) == "") and _feature_for(row) is None:
            problems[code] = f"no feature '{code}' in {geom}.geojson: drawn as a marker"
    return problems


# ---------------------------------------------------------------- folium elements (plain Leaflet, escaped)


@lru_cache(maxsize=1)
def _elements():
    """folium element classes, defined lazily so importing aireg.maps stays cheap.

    branca's ``MacroElement.render`` wraps each rendered macro in ``Element(text)``, which compiles the text
    as a Jinja template a second time: data containing ``{{ ... }}`` would be evaluated (template injection),
    and every popup costs a compile. These classes add their rendered text verbatim instead.
    """
    from branca.element import Element, Figure, MacroElement
    from folium.template import Template

    class Raw(Element):
        """Already-rendered text, added to the page as it is (never parsed as a template)."""

        _template = Template("{{ this.text }}")

        def __init__(self, text: str):
            super().__init__()
            self._name = "AiregRaw"
            self.text = text

    class Verbatim(MacroElement):
        def render(self, **kwargs):
            figure = self.get_root()
            if not isinstance(figure, Figure):
                raise TypeError("this element must be inside a folium Map")
            macros = self._template.module.__dict__
            for part in ("header", "html", "script"):
                macro = macros.get(part)
                if macro is not None:
                    getattr(figure, part).add_child(Raw(macro(self, kwargs)), name=self.get_name())
            for child in self._children.values():
                child.render(**kwargs)

    class GeoLayer(Verbatim):
        """``L.geoJSON`` with a fixed style and an optional popup/tooltip (JSON-encoded, so script-safe)."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }}, {
                style: function () { return {{ this.style|tojson }}; },
                pane: {{ this.pane|tojson }}, interactive: {{ this.interactive|tojson }}
            }).addTo({{ this._parent.get_name() }});
            {% if this.popup %}{{ this.get_name() }}.bindPopup({{ this.popup|tojson }},
                {maxWidth: 380, maxHeight: 320});{% endif %}
            {% if this.tooltip %}{{ this.get_name() }}.bindTooltip({{ this.tooltip|tojson }}, {sticky: true});
            {% endif %}
            {% if this.code %}(window.airegLayers = window.airegLayers || []).push({code: {{ this.code|tojson }},
                paint: {{ this.paint|tojson }}, layer: {{ this.get_name() }},
                parent: {{ this._parent.get_name() }}});{% endif %}
            {% endmacro %}
        """)

        def __init__(self, data: dict, style: dict, pane: str, popup: str | None = None,
                     tooltip: str | None = None, interactive: bool = True, code: str | None = None,
                     paint: str | None = None):
            super().__init__()
            self._name = "AiregGeoLayer"
            self.data, self.style, self.pane = data, {**style, "pane": pane}, pane
            self.popup, self.tooltip, self.interactive = popup, tooltip, interactive
            self.code, self.paint = code, paint

    class Dot(Verbatim):
        """``L.circleMarker`` with an escaped popup and tooltip."""

        _template = Template("""
            {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.circleMarker({{ this.location|tojson }}, {{ this.style|tojson }})
                .addTo({{ this._parent.get_name() }});
            {% if this.popup %}{{ this.get_name() }}.bindPopup({{ this.popup|tojson }},
                {maxWidth: 380, maxHeight: 320});{% endif %}
            {% if this.tooltip %}{{ this.get_name() }}.bindTooltip({{ this.tooltip|tojson }});{% endif %}
            {% if this.code %}(window.airegLayers = window.airegLayers || []).push({code: {{ this.code|tojson }},
                paint: "fillColor", layer: {{ this.get_name() }}, parent: {{ this._parent.get_name() }}});{% endif %}
            {% endmacro %}
        """)

        def __init__(self, location: list[float], style: dict, pane: str, popup: str | None = None,
                     tooltip: str | None = None, code: str | None = None):
            super().__init__()
            self._name = "AiregDot"
            self.location, self.style = location, {**style, "pane": pane}
            self.popup, self.tooltip, self.code = popup, tooltip, code

    return GeoLayer, Dot, Raw


def _esc(value) -> str:
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _day(ts) -> str:
    """A date for people: "10 Jan 2026" (the kit's table style, ``aireg.tables``)."""
    return "" if ts is None or pd.isna(ts) else f"{pd.Timestamp(ts):%d %b %Y}".lstrip("0")


def _links(source_url: str) -> str:
    from .data import split_sources

    parts = []
    for url in split_sources(source_url):
        if urlparse(url).scheme not in ("http", "https"):
            continue  # only web links are clickable; anything else (javascript:, data:) is dropped
        host = urlparse(url).netloc.removeprefix("www.")
        parts.append(f'<a href="{_esc(url)}" target="_blank" rel="noopener noreferrer">{_esc(host)}</a>')
    return ", ".join(parts) or "none given"


def _as_of(row) -> str:
    when = str(row.get("status_as_of") or "")[:10]
    return f" (checked {_esc(when)})" if when else " (latest source)"


def _popup_html(row, name: str) -> str:
    """The popup of one jurisdiction; every value from the data is HTML-escaped."""
    lifted = f" (lifted {_day(row['lifted_date'])})" if not pd.isna(row["lifted_date"]) else ""
    history = "".join(f"<li>{_day(d)}: {_esc(ACTION_LABELS.get(a, a))} ({_esc(actor)})</li>"
                      for d, a, actor in row["history"])
    title = name if not row["jurisdiction"] or row["jurisdiction"] == name else f"{name}: {row['jurisdiction']}"
    return (
        f'<div class="aireg-popup" data-code="{_esc(row["code"])}">'
        f"<h4 style='margin:0 0 4px'>{_esc(title)}</h4>"
        f"<p style='margin:2px 0'><b>Strongest action so far:</b> {_esc(ACTION_LABELS.get(row['action_type']))}"
        f"{_esc(lifted)}, {_day(row['date'])}</p>"
        f"<p style='margin:2px 0'><b>Actor:</b> {_esc(row['actor'])}</p>"
        f"<p style='margin:2px 0'><b>Legal basis:</b> {_esc(row['legal_basis'])}</p>"
        f"<p style='margin:2px 0'>{_esc(row['summary'])}</p>"
        f"<p style='margin:2px 0'><b>Status{_as_of(row)}:</b> {_esc(str(row['status']).replace('_', ' '))}</p>"
        f"<p style='margin:2px 0'><b>Sources:</b> {_esc(row.get('cited_by') or '')}"
        f"{' (' if row.get('cited_by') else ''}{_links(row['source_url'])}{')' if row.get('cited_by') else ''}</p>"
        f"<p style='margin:4px 0 0'><b>All actions so far ({int(row['n_actions'])}):</b></p>"
        f"<ul style='margin:0;padding-left:1.2em'>{history}</ul></div>"
    )


def _legend_css() -> str:
    """The legend's style: a strip below the map (never over the land), collapsible, in projector-size type."""
    from .theme import font_size

    size = font_size()
    small = min(size - 3, 16)
    return f"""
<style>
html, body {{height:100%; margin:0}}
body {{display:flex; flex-direction:column}}
.folium-map {{flex:1 1 auto; height:auto !important; min-height:0}}
.aireg-legend {{flex:0 0 auto; background:#fff; padding:3px 8px; border-top:1px solid #777;
  font:{small}px/1.3 DejaVu Sans, Arial, sans-serif; color:#111}}
.aireg-legend summary {{font-weight:bold; cursor:pointer}}
.aireg-legend ul {{list-style:none; margin:2px 0; padding:0; display:flex; flex-wrap:wrap; gap:1px 14px}}
.aireg-legend p {{margin:2px 0}}
.aireg-sw {{display:inline-block; width:1.1em; height:.8em; margin-right:.4em; border:1px solid #555;
  vertical-align:middle}}
.aireg-layer-sw {{display:inline-block; width:.9em; height:.9em; border:1px solid #555; vertical-align:middle}}
.leaflet-popup-content {{font:{size - 2}px/1.35 DejaVu Sans, Arial, sans-serif}}
.leaflet-control-layers {{font:{small}px/1.3 DejaVu Sans, Arial, sans-serif}}
.leaflet-container {{background:#f8fbff}}
</style>"""


def _legend_html(present: dict[str, int], as_of, not_drawn: list[str], scale: Iterable[str] = ACTION_ORDER) -> str:
    """The legend: one swatch per step of the case's scale with its count, what outlines and dots mean, the
    boundaries' source."""
    items = []
    for act in (*reversed(tuple(scale)), "other"):
        n = present.get(act, 0) + (present.get("block_lifted", 0) if act == "other" else 0)
        items.append(f"<li><span class='aireg-sw' style='background:{ACTION_COLOURS[act]}'></span>"
                     f"{_esc(ACTION_LABELS[act])} ({n})</li>")
    items.append(f"<li><span class='aireg-sw' style='background:{NO_ACTION_COLOUR}'></span>No documented action</li>")
    when = f"as of {_day(as_of)}" if as_of is not None else "all dates"
    warn = ""
    if not_drawn:
        warn = f"<p class='aireg-notdrawn'><b>Not drawn</b> (unknown code): {_esc(', '.join(not_drawn))}</p>"
    return f"""<details class="aireg-legend" open><summary>Legend: strongest action so far, {when}</summary>
<ul>{"".join(items)}</ul>
<p>Thick outline + big dot: the EU's own actions. Dashed outline + dot: a state-level actor.
Dot alone: too small to outline. <span style="color:#555">Boundaries: Natural Earth 1:110m (public domain)</span></p>
{warn}
</details>"""


_RESTYLE_JS = """
<script>
/* aireg live map: restyle the drawn layers in place (no rebuild) when the page that holds the map posts a state:
   {codes: {CODE: {colour, popup, tip}}, legend: html}. A code missing from the state is hidden. */
(function () {
  function apply(state) {
    var codes = state.codes || {};
    (window.airegLayers || []).forEach(function (e) {
      var s = codes[e.code];
      if (!s) { if (e.parent.hasLayer(e.layer)) e.parent.removeLayer(e.layer); return; }
      if (e.paint) { var st = {}; st[e.paint] = s.colour; e.layer.setStyle(st); }
      if (e.layer.getPopup && e.layer.getPopup()) e.layer.setPopupContent(s.popup);
      if (e.layer.getTooltip && e.layer.getTooltip()) e.layer.setTooltipContent(s.tip);
      if (!e.parent.hasLayer(e.layer)) e.parent.addLayer(e.layer);
    });
    var legend = document.querySelector('.aireg-legend');
    if (legend && state.legend) {
      var open = legend.open;
      var box = document.createElement('div');
      box.innerHTML = state.legend;
      var fresh = box.querySelector('.aireg-legend');
      fresh.open = open;
      legend.replaceWith(fresh);
      watch(fresh);
    }
    document.body.setAttribute('data-aireg-state', state.key || '');
  }
  function watch(legend) {  // the map takes the room the legend gives back, and keeps the world in view
    legend.addEventListener('toggle', function () {
      var map = window.airegMap;
      if (map) { map.invalidateSize(); map.fitBounds(window.airegBounds); }
    });
  }
  window.airegRestyle = apply;
  window.addEventListener('message', function (event) {
    if (event.source === window.parent && event.data && event.data.airegRestyle) apply(event.data.airegRestyle);
  });
  document.addEventListener('DOMContentLoaded', function () {
    var legend = document.querySelector('.aireg-legend');
    if (legend) watch(legend);
  });
})();
</script>"""


def map_state(responses: pd.DataFrame | None = None, as_of=None, *, since=None,
              action_types: Iterable[str] | None = None, registry: pd.DataFrame | None = None) -> dict:
    """What a live map (``response_map(..., live=True)``) shows at ``as_of``: for each jurisdiction that had acted,
    its colour, popup and tooltip; the legend; and a key naming the state. Codes absent had not acted (hidden)."""
    frame = _prepare(responses)
    rows = strongest_actions(frame, as_of=as_of, since=since, action_types=action_types)
    reg = _registry(registry)
    codes = {}
    for _, row in rows.iterrows():
        code = row["code"]
        if code not in reg.index:
            continue
        name = str(reg.loc[code]["name"])
        codes[code] = {"colour": ACTION_COLOURS[row["action_type"]], "popup": _popup_html(row, name),
                       "tip": f"{_esc(name)}: {_esc(ACTION_LABELS[row['action_type']])}"}
    not_drawn = [c for c in unknown_codes(frame, registry=reg.reset_index(drop=True)) if c not in reg.index]
    counts = rows["action_type"].value_counts().to_dict()
    day = _timestamp(as_of, "as_of")
    key = f"{day:%Y-%m-%d}" if day is not None else "all"
    legend = _legend_html(counts, day, not_drawn, scale=case_scale(frame))
    return {"codes": codes, "legend": legend, "key": key, "rows": rows}


def response_map(responses: pd.DataFrame | None = None, as_of=None, *, since=None,
                 action_types: Iterable[str] | None = None, registry: pd.DataFrame | None = None,
                 on_unknown: str = "warn", live: bool = False):
    """A folium map (no tiles) of each jurisdiction's strongest action as of ``as_of`` (all dates if None).

    Countries are filled by the colour of :data:`ACTION_COLOURS` (light grey: no documented action), one
    toggleable layer per action type. Codes that cannot be drawn are named in a warning (``on_unknown="warn"``,
    also listed on the legend) or raise ``ValueError`` (``on_unknown="raise"``); see :func:`unknown_codes`.
    The legend sits below the map, off the land, and folds away.
    Render it with :func:`map_html` / :func:`show_map`. The drawn rows are on ``m.aireg_rows`` and how each
    code was drawn ("polygon", "outline", "marker") on ``m.aireg_drawn``.

    ``live=True`` draws every jurisdiction that acts on any date, without the per-type layers, and shows the
    state at ``as_of``; the page holding the map can then move it to another date in place (no rebuild) by
    posting ``{"airegRestyle": map_state(...)}`` to the map's frame (what :class:`LiveMap` does).
    """
    import folium
    from folium.map import CustomPane

    if on_unknown not in ("warn", "raise"):
        raise ValueError("on_unknown must be 'warn' or 'raise'")
    frame = _prepare(responses)
    rows = strongest_actions(frame, as_of=as_of, since=since, action_types=action_types)
    drawn_rows = strongest_actions(frame, since=since, action_types=action_types) if live else rows
    reg = _registry(registry)
    problems = unknown_codes(frame, registry=reg.reset_index(drop=True))
    if problems:
        msg = "response_map: " + "; ".join(f"{c}: {why}" for c, why in problems.items())
        if on_unknown == "raise":
            raise ValueError(msg)
        warnings.warn(msg, UserWarning, stacklevel=2)
    GeoLayer, Dot, raw = _elements()

    bounds = [[-50, -165], [72, 178]]  # the inhabited world, whatever the frame's width
    m = folium.Map(location=[28, 12], zoom_start=2, min_zoom=1, max_zoom=7, tiles=None, world_copy_jump=False,
                   zoom_snap=0.25)
    m.fit_bounds(bounds)
    panes = {"countries": 405, "states": 415, "eu": 425, "dots": 435}
    for pane, z in panes.items():
        CustomPane(f"aireg-{pane}", z_index=z, pointer_events=True).add_to(m)
    world = {"type": "FeatureCollection", "features": list(_features("world_110m").values())}
    GeoLayer(world, {"color": "#ffffff", "weight": 0.6, "fillColor": NO_ACTION_COLOUR, "fillOpacity": 1,
                     "className": "aireg-base"}, "aireg-countries", interactive=False).add_to(m)

    groups: dict[str, folium.FeatureGroup] = {}
    counts = rows["action_type"].value_counts().to_dict()
    if not live:
        for act in (*reversed(ACTION_ORDER), *UNRANKED):
            if counts.get(act):
                label = (f"<span class='aireg-layer-sw' style='background:{ACTION_COLOURS[act]}'></span> "
                         f"{ACTION_LABELS[act]} ({counts[act]})")
                groups[act] = folium.FeatureGroup(name=label, show=True).add_to(m)

    drawn: dict[str, str] = {}
    for _, row in drawn_rows.iterrows():
        code = row["code"]
        if code not in reg.index:
            continue
        reg_row = reg.loc[code]
        colour, group = ACTION_COLOURS[row["action_type"]], groups.get(row["action_type"], m)
        tag = code if live else None
        cls = f"aireg-j aireg-code-{code}"
        name = str(reg_row["name"])
        popup = _popup_html(row, name)
        tip = f"{_esc(name)}: {_esc(ACTION_LABELS[row['action_type']])}"
        location = [float(reg_row["lat"]), float(reg_row["lon"])]
        feature = _feature_for(reg_row)
        if code == "EUU":
            members = [f for c in reg.index[reg["eu_member"].astype(bool)]
                       if (f := _feature_for(reg.loc[c])) is not None]
            outline = {"type": "FeatureCollection", "features": members}
            GeoLayer(outline, {"color": "#000000", "weight": 5, "fill": False, "className": "aireg-eu-halo"},
                     "aireg-eu", interactive=False, code=tag).add_to(group)
            GeoLayer(outline, {"color": colour, "weight": 2.5, "fill": False, "className": cls}, "aireg-eu",
                     popup, tip, code=tag, paint="color").add_to(group)
            Dot(location, {"radius": 10, "color": "#000000", "weight": 2, "fillColor": colour, "fillOpacity": 1,
                           "className": cls}, "aireg-dots", popup, tip, code=tag).add_to(group)
            drawn[code] = "outline"
        elif feature is not None and str(reg_row["level"]) == "subnational":
            GeoLayer(feature, {"color": "#000000", "weight": 1.5, "dashArray": "5 4", "fillColor": colour,
                               "fillOpacity": 0.95, "className": cls}, "aireg-states", popup, tip,
                     code=tag, paint="fillColor").add_to(group)
            Dot(location, {"radius": 5, "color": "#000000", "weight": 1.5, "dashArray": "2 2", "fillColor": colour,
                           "fillOpacity": 1, "className": cls}, "aireg-dots", popup, tip, code=tag).add_to(group)
            drawn[code] = "polygon"
        elif feature is not None:
            GeoLayer(feature, {"color": "#ffffff", "weight": 0.8, "fillColor": colour, "fillOpacity": 1,
                               "className": cls}, "aireg-countries", popup, tip, code=tag,
                     paint="fillColor").add_to(group)
            drawn[code] = "polygon"
        else:
            Dot(location, {"radius": 7, "color": "#000000", "weight": 1.5, "fillColor": colour, "fillOpacity": 1,
                           "className": cls}, "aireg-dots", popup, tip, code=tag).add_to(group)
            drawn[code] = "marker"

    if not live:
        folium.LayerControl(collapsed=True, position="topright").add_to(m)
    not_drawn = [c for c in problems if c not in reg.index]
    root = m.get_root()
    root.header.add_child(raw(_legend_css()), name="aireg_legend_css")
    root.html.add_child(raw(_legend_html(counts, _timestamp(as_of, "as_of"), not_drawn, scale=case_scale(frame))),
                        name="aireg_legend")
    root.header.add_child(raw(_RESTYLE_JS), name="aireg_restyle")
    state = {k: v for k, v in map_state(frame, as_of, since=since, action_types=action_types,
                                        registry=registry).items() if k != "rows"} if live else None
    # run after every script of the figure (folium adds the map's own script when it renders, after this one)
    root.script.add_child(raw("document.addEventListener('DOMContentLoaded', function () {"
                              f"window.airegMap = {m.get_name()}; window.airegBounds = {json.dumps(bounds)};"
                              + (f"window.airegRestyle({_script_json(state)});" if live else "") + "});"),
                          name="aireg_live")
    m.aireg_rows, m.aireg_drawn, m.aireg_problems = rows, drawn, problems
    return m


def _script_json(value) -> str:
    """JSON safe inside a ``<script>`` element (no ``</script>``, no HTML comment openers)."""
    return json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def map_html(m) -> str:
    """The map as a self-contained HTML document: vendored Leaflet inlined, no http(s) script or stylesheet."""
    from .offline import inline_cdn_assets

    return inline_cdn_assets(m.get_root().render())


def show_map(m, height: int = 480, title: str = "Map of the documented responses"):
    """An IPython HTML object framing the map (works in JupyterLab, Voila and exported HTML)."""
    from IPython.display import HTML

    from .offline import iframe

    return HTML(iframe(map_html(m), height=height, title=title))


# ---------------------------------------------------------------- text table and counts


SORT_KEYS = {"date": "Date", "jurisdiction": "Jurisdiction", "action": "Strength of action"}


def response_table_html(rows: pd.DataFrame, sort_by: str = "date", as_of=None, compact: bool = False) -> str:
    """An accessible HTML table of :func:`strongest_actions` rows (caption, column headers with scope).

    ``sort_by`` is ``"date"`` (oldest first), ``"jurisdiction"`` (A-Z) or ``"action"`` (strongest first).
    ``compact=True`` leaves out the actor and code columns (for the narrow table beside the explorer's map).
    """
    if sort_by not in SORT_KEYS:
        raise ValueError(f"sort_by must be one of {', '.join(SORT_KEYS)}")
    key = {"date": (["date", "code"], [True, True]), "jurisdiction": (["jurisdiction", "code"], [True, True]),
           "action": (["rank", "date"], [False, True])}[sort_by]
    rows = rows.sort_values(key[0], ascending=key[1], kind="stable") if len(rows) else rows
    when = f"as of {_day(_timestamp(as_of, 'as_of'))}" if as_of is not None else "over all dates"
    caption = (f"Strongest documented action per jurisdiction {when}: {len(rows)} jurisdiction(s), "
               f"sorted by {SORT_KEYS[sort_by].lower()}")
    columns = ["Jurisdiction", "Code", "Strongest action so far", "Date", "Actor", "Legal basis", "Actions so far",
               "Sources"]
    if compact:
        columns = [c for c in columns if c not in ("Code", "Actor")]
    head = "".join(f"<th scope='col'>{h}</th>" for h in columns)
    body = []
    for _, r in rows.iterrows():
        lifted = f" (lifted {_day(r['lifted_date'])})" if not pd.isna(r["lifted_date"]) else ""
        cells = {
            "Code": _esc(r["code"]),
            "Strongest action so far": (
                f"<span style='display:inline-block;width:.9em;height:.9em;border:1px solid #555;"
                f"background:{ACTION_COLOURS[r['action_type']]}'></span> {_esc(ACTION_LABELS[r['action_type']])}"
                f"{_esc(lifted)}"),
            "Date": _day(r["date"]),
            "Actor": _esc(r["actor"]),
            "Legal basis": _esc(r["legal_basis"]),
            "Actions so far": str(int(r["n_actions"])),
            "Sources": _links(r["source_url"]),
        }
        body.append(f"<tr data-code='{_esc(r['code'])}'><th scope='row'>{_esc(r['jurisdiction'] or r['code'])}</th>"
                    + "".join(f"<td class='num'>{cells[c]}</td>" if c == "Actions so far" else f"<td>{cells[c]}</td>"
                              for c in columns[1:]) + "</tr>")
    if not body:
        body.append(f"<tr><td colspan='{len(columns)}'>No documented action yet.</td></tr>")
    size = "0.82em" if compact else "0.9em"
    return (
        f"<table class='aireg-table' style='border-collapse:collapse;font-size:{size}'>"
        # text left, numbers right (JupyterLab's rendered-HTML style right-aligns every cell unless overridden)
        "<style>.aireg-table th,.aireg-table td{border:1px solid #ccc;padding:2px 5px;text-align:left !important;"
        "vertical-align:top}.aireg-table td.num{text-align:right !important}"
        ".aireg-table a{overflow-wrap:anywhere}</style>"
        f"<caption style='text-align:left;font-weight:bold'>{_esc(caption)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def acted_counts(responses: pd.DataFrame | None = None, action_types: Iterable[str] | None = None) -> pd.DataFrame:
    """For each distinct action date: how many jurisdiction codes had acted on or before it (``EUU`` counts once).

    Columns ``date`` and ``jurisdictions``; ``action_types`` keeps only those types.
    """
    frame = _filter(_prepare(responses), None, None, action_types)
    first = frame.groupby("iso3")["date"].min().sort_values()
    dates = sorted(frame["date"].unique())
    counts = [int((first <= d).sum()) for d in dates]
    return pd.DataFrame({"date": pd.to_datetime(pd.Series(dates, dtype="datetime64[ns]")), "jurisdictions": counts})


# ---------------------------------------------------------------- the explorer widget


@dataclass
class ResponseExplorer:
    """The parts of :func:`response_explorer`; display ``.widget`` (or the object itself)."""

    responses: pd.DataFrame
    slider: object
    play: object
    action_filter: object
    sort_by: object
    map_html: object
    table: object
    figure: object
    widget: object
    height: int = 460
    timings: list[float] = field(default_factory=list)
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def as_of(self) -> date:
        return self.slider.value

    def median_callback_ms(self) -> float:
        """Median time of the slider/filter callbacks so far, in milliseconds."""
        return statistics.median(self.timings) * 1000 if self.timings else float("nan")

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def _date_options(frame: pd.DataFrame) -> list[tuple[str, date]]:
    dates = sorted({d.date() for d in frame["date"]})
    before = (pd.Timestamp(dates[0]) - pd.Timedelta(days=1)).date()
    opts = [(f"{before:%d %b %Y} (before any action)", before)]
    return opts + [(f"{d:%d %b %Y}", d) for d in dates]


def response_explorer(responses: pd.DataFrame | None = None, height: int | None = None,
                      update: str = "in_place") -> ResponseExplorer:
    """A date slider (with Play), an action-type filter, the map as of that date, the same rows as a sortable
    table beside it, and a chart of how many jurisdictions had acted by each date with a marker at the date.
    The map is 460 px high (620 px in projector mode) unless ``height`` is given.

    ``update="in_place"`` (the default) builds the map once per set of action types and moves it between dates
    by restyling its layers (:class:`aireg.livemap.LiveMap`): Play does not flicker or lag. ``"rebuild"`` makes
    a new map document for every date, as the kit did before; the browser benchmark compares the two.
    """
    if update not in ("in_place", "rebuild"):
        raise ValueError("update must be 'in_place' or 'rebuild'")
    import ipywidgets as w
    import plotly.graph_objects as go

    from .offline import iframe
    from .theme import fill_width, projector

    height = height or (620 if projector() else 460)

    frame = _prepare(responses)
    if frame.empty:
        raise ValueError("no responses to explore: the frame is empty")
    problems = unknown_codes(frame)
    if problems:
        warnings.warn("response_explorer: " + "; ".join(f"{c}: {why}" for c, why in problems.items()), UserWarning,
                      stacklevel=2)
    options = _date_options(frame)
    slider = w.SelectionSlider(options=options, value=options[-1][1], description="As of",
                               continuous_update=False, style={"description_width": "initial"},
                               layout=w.Layout(width="34em"))
    play = w.Play(value=len(options) - 1, min=0, max=len(options) - 1, step=1, interval=900,
                  description="Play the dates", tooltip="Play the dates")
    w.link((play, "value"), (slider, "index"))
    present = [a for a in (*reversed(ACTION_ORDER), *UNRANKED) if a in set(frame["action_type"])]
    action_filter = w.SelectMultiple(options=[(ACTION_LABELS[a], a) for a in present], value=tuple(present),
                                     rows=min(len(present), 6), description="Action types",
                                     style={"description_width": "initial"}, layout=w.Layout(width="30em"))
    sort_by = w.Dropdown(options=[(v, k) for k, v in SORT_KEYS.items()], value="date", description="Sort table by",
                         style={"description_width": "initial"})
    if update == "in_place":
        from .livemap import LiveMap

        map_box = LiveMap(height=height, title="Map of the documented responses",
                          layout=w.Layout(flex="3 1 0", min_width="22em"))
    else:
        map_box = w.HTML(layout=w.Layout(flex="3 1 0", min_width="22em"))
    table = w.HTML(layout=w.Layout(flex="2 1 0", min_width="20em"))

    def scrolling(doc: str) -> str:  # the table scrolls in a region the keyboard can reach (tab, arrow keys)
        return (f"<div role='region' aria-label='Table of the responses shown on the map' tabindex='0' "
                f"style='max-height:{height + 10}px;overflow:auto'>{doc}</div>")


    counts = acted_counts(frame)
    last = options[-1][1]
    ymax = max(int(counts["jurisdictions"].max()), 1)
    figure = fill_width(go.FigureWidget(
        data=[
            go.Scatter(x=_iso_days(counts["date"]), y=counts["jurisdictions"], mode="lines+markers",
                       line_shape="hv", name="Jurisdictions that had acted",
                       hovertemplate="%{x|%d %b %Y}: %{y}<extra></extra>"),
            go.Scatter(x=_iso_days([last, last]), y=[0, ymax], mode="lines", name="Selected date",
                       line={"color": "#D55E00", "dash": "dash", "width": 2}, hoverinfo="skip"),
        ],
        # Voila syncs only the constructor's state before the page connects: build the final first view here.
        layout=go.Layout(title={"text": _count_title(int(counts["jurisdictions"].iloc[-1]), last)}, height=320,
                         # a date axis from the first render: dates go as ISO text, never as the int64
                         # nanoseconds a FigureWidget would send for a datetime column (shown as 1.765e18)
                         xaxis={"title": {"text": "Date"}, "type": "date", "tickformat": "%d %b %Y"},
                         yaxis={"title": {"text": "Jurisdictions (cumulative)"}, "rangemode": "tozero"},
                         legend={"orientation": "h", "y": -0.3}, margin={"t": 50, "b": 40}),
    ))
    from .a11y import caption

    widget = w.VBox([
        w.HBox([play, slider]),
        w.HBox([action_filter, sort_by]),
        w.HBox([map_box, table], layout=w.Layout(width="100%", align_items="flex-start", flex_flow="row wrap")),
        caption("Map: each jurisdiction coloured by the strongest documented action by the selected date. The table "
                "beside it lists the same jurisdictions, with dates and sources."),
        figure,
        caption("Chart: how many jurisdictions had acted by each date; the dashed line marks the selected date."),
    ])
    widget.add_class("aireg")
    from .a11y import name_controls

    name_controls(widget)  # accessible names for slider handles and Play buttons
    ex = ResponseExplorer(frame, slider, play, action_filter, sort_by, map_box, table, figure, widget, height)

    def rows_and_doc(as_of: date, types: tuple[str, ...]) -> tuple[pd.DataFrame, object]:
        """The rows as of the date, and what the map needs: a whole document (rebuild) or a state (in place)."""
        key = (as_of, types)
        if key not in ex._cache:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unknown codes are listed on the map's legend
                if update == "in_place":
                    state = map_state(frame, as_of=as_of, action_types=types)
                    rows = state.pop("rows")
                    entry = (rows, state)
                else:
                    m = response_map(frame, as_of=as_of, action_types=types)
                    entry = (m.aireg_rows, iframe(map_html(m), height=height, title=f"Map as of {as_of}"))
            if len(ex._cache) > 48:
                ex._cache.pop(next(iter(ex._cache)))
            ex._cache[key] = entry
        return ex._cache[key]

    def live_doc(as_of: date, types: tuple[str, ...]) -> str:
        """The live map document for a set of action types, built once (at the date first shown)."""
        key = ("doc", types)
        if key not in ex._cache:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ex._cache[key] = map_html(response_map(frame, as_of=as_of, action_types=types, live=True))
        return ex._cache[key]

    def redraw_table(_=None) -> None:
        rows, _doc = rows_and_doc(slider.value, tuple(action_filter.value))
        table.value = scrolling(response_table_html(rows, sort_by=sort_by.value, as_of=slider.value, compact=True))

    def redraw(_=None, initial: bool = False) -> None:
        start = time.perf_counter()
        types = tuple(action_filter.value)
        rows, doc = rows_and_doc(slider.value, types)
        if update == "in_place":
            map_box.doc = live_doc(slider.value, types)  # unchanged (no reload) unless the types changed
            map_box.state = doc
        else:
            map_box.value = doc
        table.value = scrolling(response_table_html(rows, sort_by=sort_by.value, as_of=slider.value, compact=True))
        day = pd.Timestamp(slider.value)
        sub = acted_counts(frame, action_types=types) if types else counts.iloc[0:0]
        before = sub[sub["date"] <= day]
        n = int(before["jurisdictions"].iloc[-1]) if len(before) else 0
        top = max(int(sub["jurisdictions"].max()) if len(sub) else 0, 1)
        if not initial:
            with figure.batch_update():
                figure.data[0].x, figure.data[0].y = _iso_days(sub["date"]), list(sub["jurisdictions"])
                figure.data[1].x, figure.data[1].y = _iso_days([day, day]), [0, top]
                figure.layout.title.text = _count_title(n, day)
            ex.timings.append(time.perf_counter() - start)

    slider.observe(redraw, names="value")
    action_filter.observe(redraw, names="value")
    sort_by.observe(redraw_table, names="value")
    redraw(initial=True)
    return ex


def _iso_days(values) -> list[str]:
    """Dates as ``YYYY-MM-DD`` text, which plotly reads as dates in every renderer."""
    return [f"{pd.Timestamp(v):%Y-%m-%d}" for v in values]


def _count_title(n: int, day) -> str:
    return f"Jurisdictions that had acted: {n} by {pd.Timestamp(day):%d %b %Y}"
