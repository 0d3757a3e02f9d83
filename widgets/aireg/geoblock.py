"""Where would a geoblock "where it is illegal" apply? Readings of X's 14 January 2026 promise, from the data.

X Safety said generation of images of real people in revealing attire "is geoblocked in jurisdictions where
it is illegal" (``timeline.csv``, event ``2026-01-14-x-technological-measures``). The company did not publish
the list. This module makes the ambiguity concrete: each *reading* of "where it is illegal" is a documented
rule over ``responses.csv``, and :func:`geoblock_coverage` says which jurisdictions it covers and why.

The readings are deliberately simple and transparent, not legal advice: the data record what authorities
*did* and which law they *cited*, not what every country's law says. A jurisdiction with no row in
``responses.csv`` is "no documented action", which is not the same as "legal there".
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from .regimes import formal_actions
from .theme import OKABE_ITO, fill_width, wrap_title

__all__ = [
    "READINGS",
    "Reading",
    "GeoblockExplorer",
    "coverage_html",
    "geoblock_coverage",
    "geoblock_explorer",
    "geoblock_figure",
    "map_status",
    "matching_actions",
]

# A legal basis naming a law specifically about sexual deepfakes or intimate images (read from legal_basis).
SPECIFIC_LAW = re.compile(r"deepfake|intimate image|NCII|sexual montage|nudif|TAKE IT DOWN", re.I)


@dataclass(frozen=True)
class Reading:
    """One way of reading "where it is illegal": a label, an explanation and a row filter over responses."""

    key: str
    label: str
    explanation: str
    predicate: Callable[[pd.DataFrame], pd.Series] = field(repr=False)


def _orders(r: pd.DataFrame) -> pd.Series:
    return r["action_type"].astype(str).isin(["access_block", "content_removal_order"])


def _formal(r: pd.DataFrame) -> pd.Series:
    return formal_actions(r)


def _specific_law(r: pd.DataFrame) -> pd.Series:
    cites = r["legal_basis"].astype(str).str.contains(SPECIFIC_LAW)
    # A bill or a vote is not yet law: legislation rows count only once in force.
    not_yet = (r["action_type"].astype(str) == "legislation") & (r["status"].astype(str) != "in_force")
    return cites & ~not_yet


READINGS: dict[str, Reading] = {r.key: r for r in [
    Reading("orders", "Only where an authority ordered a block or a removal",
            "Covered: jurisdictions where an authority blocked access to Grok or ordered content removed "
            "(action_type access_block or content_removal_order). The narrowest reading.", _orders),
    Reading("specific_law", "Where a law specifically on sexual deepfakes or intimate images was cited",
            "Covered: jurisdictions whose authorities cited, as the legal basis of an action, a law about sexual "
            "deepfakes, intimate images or nudification tools (a pattern match on legal_basis: "
            f"{SPECIFIC_LAW.pattern!r}); bills and votes count only once in force. Laws that exist but were not "
            "cited in the data are missed.", _specific_law),
    Reading("formal", "Wherever an authority took any formal step",
            "Covered: jurisdictions where an authority took a binding measure or a formal step against X or xAI "
            "(legal_effect binding_measure or formal_step): information requests, investigations, proceedings, "
            "orders, court judgments. Statements, letters, recommendations, votes and laws do not count. The "
            "broadest reading.", _formal),
]}


def _reading(rule: str | Reading) -> Reading:
    if isinstance(rule, Reading):
        return rule
    if rule not in READINGS:
        raise ValueError(f"unknown reading {rule!r}; choose from {list(READINGS)}")
    return READINGS[rule]


def matching_actions(responses: pd.DataFrame, rule: str | Reading, since=None) -> pd.DataFrame:
    """The response rows that make a jurisdiction "illegal" under ``rule``, dated on or after ``since``."""
    reading = _reading(rule)
    frame = responses
    if since is not None:
        frame = frame[frame["date"] >= pd.Timestamp(since)]
    return frame[reading.predicate(frame).fillna(False).astype(bool)].sort_values(["iso3", "date"], kind="stable")


def _describe(rows: pd.DataFrame) -> str:
    return "; ".join(f"{d:%d %b %Y} {str(t).replace('_', ' ')} ({a})"
                     for d, t, a in zip(rows["date"], rows["action_type"], rows["actor"], strict=True))


def geoblock_coverage(responses: pd.DataFrame, jurisdictions: pd.DataFrame, rule: str | Reading = "orders",
                      since=None) -> pd.DataFrame:
    """Which documented jurisdictions a geoblock "where illegal" would cover under ``rule`` (a :data:`READINGS` key).

    One row per jurisdiction that appears in ``responses`` (after ``since``, e.g. the first report date, so
    that actions predating the case do not count): ``code``, ``name``, ``level``, ``covered`` (bool) and
    ``via`` (the code whose actions cover it: itself, its country for a US state, ``EUU`` for an EU member)
    and ``why`` (the matching actions, or the actions on record when not covered). Sorted covered first.
    """
    frame = responses if since is None else responses[responses["date"] >= pd.Timestamp(since)]
    hits = matching_actions(frame, rule)
    reg = jurisdictions.set_index(jurisdictions["code"].astype(str))
    own = {code: _describe(g) for code, g in hits.groupby(hits["iso3"].astype(str), sort=True)}
    rows = []
    for code, group in frame.groupby(frame["iso3"].astype(str), sort=True):
        parents = _parents(reg, code)
        via = code if code in own else next((p for p in parents if p in own), "")
        if via == code:
            why = own[code]
        elif via:
            why = f"via {via}: {own[via]}"
        else:
            why = "actions on record: " + ", ".join(
                dict.fromkeys(str(t).replace("_", " ") for t in group.sort_values("date")["action_type"]))
        name = str(reg.loc[code, "name"]) if code in reg.index else str(group["jurisdiction"].iloc[0])
        rows.append({"code": code, "name": name, "level": str(group["level"].iloc[0]), "covered": bool(via),
                     "via": via, "why": why})
    out = pd.DataFrame(rows, columns=["code", "name", "level", "covered", "via", "why"])
    return out.sort_values(["covered", "code"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _parents(reg: pd.DataFrame, code: str) -> list[str]:
    """The codes whose rules also apply in ``code``: its country (for a subdivision) and the EU (for members)."""
    if code not in reg.index:
        return []
    row = reg.loc[code]
    parents = [str(row["parent"])] if isinstance(row["parent"], str) and row["parent"] else []
    if not pd.isna(row["eu_member"]) and bool(row["eu_member"]):
        parents.append("EUU")
    return parents


STATUS = ["covered", "not covered", "no documented action"]
# Position on the colour bar (bottom to top), so "covered" is at the top of the legend.
_Z = {"no documented action": 0, "not covered": 1, "covered": 2}
STATUS_COLOURS = {"covered": OKABE_ITO["blue"], "not covered": OKABE_ITO["orange"], "no documented action": "#e6e6e6"}


def map_status(coverage: pd.DataFrame, jurisdictions: pd.DataFrame) -> pd.DataFrame:
    """Every jurisdiction of the registry with a status from :data:`STATUS`, ready to draw.

    EU member states inherit the EU's (``EUU``) status unless they are covered themselves; US states
    inherit the federal (``USA``) status the same way. ``via`` names the code a status comes from.
    """
    own = dict(zip(coverage["code"].astype(str), coverage["covered"], strict=True))
    out = jurisdictions[["code", "name", "level", "parent", "eu_member", "lat", "lon", "geometry"]].copy()
    reg = jurisdictions.set_index(jurisdictions["code"].astype(str))
    status, via = [], []
    for code in out["code"].astype(str):
        chain = [code] + _parents(reg, code)
        hit = next((c for c in chain if own.get(c) is True), None)
        seen = next((c for c in chain if c in own), None)
        status.append("covered" if hit else "not covered" if seen else "no documented action")
        via.append(hit or seen or "")
    out["status"], out["via"] = status, via
    return out.reset_index(drop=True)


def geoblock_figure(status: pd.DataFrame, title: str = "", documented=None) -> go.Figure:
    """A choropleth of :func:`map_status` (ISO-3 countries) plus markers for places without a polygon.

    Countries use ``go.Choropleth`` with ISO-3 locations (drawn offline from the topojson ``aireg.setup()``
    injects); the EU itself, small states and US states are markers at their registry lat/lon, with a
    different marker shape per status so colour is not the only cue. Hover gives the name and status.
    ``documented`` (codes with their own rows, e.g. ``coverage["code"]``) limits the markers to those places,
    so the 51 US states are not all drawn when only a few acted.
    """
    fig = go.Figure()
    polys = status[status["geometry"].astype(str) == "world_110m"]
    z = polys["status"].map(_Z)
    by_z = sorted(_Z, key=_Z.get)
    scale = []
    for i, s in enumerate(by_z):
        scale += [[i / len(by_z), STATUS_COLOURS[s]], [(i + 1) / len(by_z), STATUS_COLOURS[s]]]
    fig.add_trace(go.Choropleth(
        locations=polys["code"].astype(str).to_list(), z=z.to_list(), locationmode="ISO-3",
        zmin=-0.5, zmax=len(STATUS) - 0.5, colorscale=scale, marker={"line": {"color": "#555555", "width": 0.4}},
        colorbar={"tickvals": list(range(len(by_z))), "ticktext": by_z, "title": {"text": "Geoblock"},
                  "len": 0.6},
        text=[f"{n}: {s}" + (f" (via {v})" if v and v != c else "")
              for n, s, v, c in zip(polys["name"], polys["status"], polys["via"], polys["code"], strict=True)],
        hoverinfo="text", name="countries",
    ))
    points = status[(status["geometry"].astype(str) != "world_110m") & (status["status"] != "no documented action")]
    if documented is not None:
        points = points[points["code"].astype(str).isin(set(map(str, documented)))]
    symbols = {"covered": "circle", "not covered": "x"}
    for s in ("covered", "not covered"):
        pts = points[points["status"] == s]
        if pts.empty:
            continue
        fig.add_trace(go.Scattergeo(
            lat=pts["lat"].astype(float).to_list(), lon=pts["lon"].astype(float).to_list(),
            # Labels only for places that are not US states (state labels would overlap); hover names all.
            text=[c if lvl != "subnational" else "" for c, lvl in zip(pts["code"].astype(str), pts["level"].astype(str),
                                                                      strict=True)],
            customdata=pts["code"].astype(str).to_list(), mode="markers+text", textposition="top center",
            marker={"size": 11, "symbol": symbols[s], "color": STATUS_COLOURS[s], "line": {"width": 1.5,
                                                                                         "color": "#000000"}},
            hovertext=[f"{n}: {s}" for n in pts["name"]], hoverinfo="text", name=f"{s} (marker)",
        ))
    fig.update_geos(showframe=False, showcoastlines=False, projection={"type": "natural earth"},
                    showcountries=True, countrycolor="#777777", lataxis={"range": [-58, 85]})
    fig.update_layout(title=title, height=460, margin={"l": 0, "r": 0, "t": 50, "b": 0},
                      legend={"orientation": "h", "y": -0.05})
    return fig


def coverage_html(coverage: pd.DataFrame) -> str:
    """The coverage table as accessible HTML (a caption, header cells, "yes"/"no" in words, not colour)."""
    n = int(coverage["covered"].sum())
    body = "".join(
        f"<tr><td>{html.escape(str(r.code))}</td><td>{html.escape(str(r.name))}</td>"
        f"<td><b>{'yes' if r.covered else 'no'}</b></td><td>{html.escape(str(r.why))}</td></tr>"
        for r in coverage.itertuples())
    return (f"<table class='aireg-table'><caption>{n} of {len(coverage)} jurisdictions with documented "
            "actions would be covered</caption><thead><tr><th scope='col'>Code</th><th scope='col'>Jurisdiction"
            "</th><th scope='col'>Covered?</th><th scope='col'>Why</th></tr></thead>"
            f"<tbody>{body}</tbody></table>")


class GeoblockExplorer:
    """A Dropdown of readings driving a coverage table and a choropleth; ``.rule`` can be set from Python."""

    def __init__(self, responses: pd.DataFrame, jurisdictions: pd.DataFrame, since=None, rule: str = "orders"):
        import ipywidgets as w

        self.responses, self.jurisdictions, self.since = responses, jurisdictions, since
        self.dropdown = w.Dropdown(options=[(r.label, r.key) for r in READINGS.values()], value=_reading(rule).key,
                                   description="Reading of 'where illegal':", style={"description_width": "initial"},
                                   layout=w.Layout(width="46em"))
        self.explanation = w.HTML()
        self.table_html = w.HTML()
        self.table = self._coverage(self.dropdown.value)
        self.figure = fill_width(go.FigureWidget(self._figure(self.dropdown.value)))
        self._render_text()
        self.dropdown.observe(self._on_change, names="value")
        from .a11y import caption

        self.widget = w.VBox([self.dropdown, self.explanation, self.figure, caption(
            "Map: the jurisdictions that restricted access under the chosen reading, coloured by how. The table "
            "below lists the same jurisdictions."), self.table_html])
        self.widget.add_class("aireg")
        from .a11y import name_controls

        name_controls(self.widget)  # accessible names for slider handles and Play buttons

    @property
    def rule(self) -> str:
        return self.dropdown.value

    @rule.setter
    def rule(self, value: str) -> None:
        self.dropdown.value = _reading(value).key

    def _coverage(self, rule: str) -> pd.DataFrame:
        return geoblock_coverage(self.responses, self.jurisdictions, rule, since=self.since)

    def _figure(self, rule: str) -> go.Figure:
        return geoblock_figure(map_status(self.table, self.jurisdictions), self._title(rule),
                               documented=self.table["code"])

    def _title(self, rule: str) -> str:
        return wrap_title(f"Geoblock coverage: {READINGS[rule].label.lower()}")

    def _render_text(self) -> None:
        self.explanation.value = f"<p>{html.escape(READINGS[self.rule].explanation)}</p>"
        self.table_html.value = coverage_html(self.table)

    def _on_change(self, change=None) -> None:
        self.table = self._coverage(self.rule)
        new = self._figure(self.rule)
        with self.figure.batch_update():
            self.figure.data = []
            self.figure.add_traces(list(new.data))
            self.figure.layout.title = new.layout.title
        self._render_text()

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def geoblock_explorer(responses: pd.DataFrame | None = None, jurisdictions: pd.DataFrame | None = None,
                      since=None, rule: str = "orders") -> GeoblockExplorer:
    """The geoblock explorer for the kit's data; actions before the first report (``aireg.timeline``) are ignored.

    Use the Dropdown with the mouse or the keyboard (Tab to it, arrow keys to choose). Returns a
    :class:`GeoblockExplorer` exposing ``.rule``, ``.table``, ``.figure`` and ``.widget``.
    """
    from .data import load_jurisdictions, load_responses, load_timeline
    from .timeline import first_report_date

    responses = load_responses() if responses is None else responses
    jurisdictions = load_jurisdictions() if jurisdictions is None else jurisdictions
    if since is None:
        since = first_report_date(load_timeline())
    return GeoblockExplorer(responses, jurisdictions, since=since, rule=rule)
