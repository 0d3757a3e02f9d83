"""'What can a data protection authority do?': the GDPR counterpart of the DSA explorer, with the article behind
every number.

A thin UI over :mod:`aireg.enforcement` (every ceiling is read from ``penalty_regimes.csv``, the Garante's fine
from ``figures.csv``). It keeps the law's distinctions visible:

- a fine's **maximum** (Art. 83(4), (5), (6)) is a fixed amount or a share of the *undertaking's* total worldwide
  annual turnover of the preceding financial year, whichever is higher; the undertaking is understood as in
  Arts. 101-102 TFEU (recital 150), so for a company in a group the group's turnover counts (C-807/21 *Deutsche
  Wohnen*; C-383/23 *ILVA*). The control that switches to the company's own turnover is there for comparison;
- the maximum is not the fine: the amount must be effective, proportionate and dissuasive (Art. 83(1)) and follow
  the criteria of Art. 83(2);
- a **limitation of processing** (Art. 58(2)(f)) is a tool, not an amount; the **urgency procedure** (Art. 66(1))
  lets an authority concerned adopt provisional measures for its own territory, for at most three months.

OpenAI's turnover is not an official figure in the kit's data: the turnover sliders are the user's assumptions.
The DSA explorer (:mod:`aireg.dsa_explorer`) shares only its helpers with this one (money, the capped slider, the
accessibility helpers and the palette): the two regimes' tools differ too much for one configurable class.

    from aireg.gdpr_explorer import gdpr_explorer
    gdpr_explorer()
"""

from __future__ import annotations

import html

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import enforcement as enf
from .dsa_explorer import RegimeExplorer, _CappedFloatSlider, money
from .theme import OKABE_ITO, fill_width, projector, wrap_title

__all__ = ["TRACES", "GDPRExplorer", "gdpr_explorer", "tools_html"]

BN = 1e9
M = 1e6
CASE = "chatgpt-italy-2023"
TRACES = ("cap_gdpr_83_4", "cap_gdpr_83_5", "cap_gdpr_83_6", "crossover", "entity_ceiling", "group_ceiling",
          "your_fine", "garante_fine")
"""Keys of the figure's traces, in order (see :meth:`GDPRExplorer.trace`)."""
TURNOVER_RANGE_BN = (0.01, 100.0)
"""The turnover sliders' range, in EUR bn (display only; the law sets no range)."""
_CURVE = np.logspace(np.log10(TURNOVER_RANGE_BN[0] * BN), np.log10(TURNOVER_RANGE_BN[1] * BN), 121)
_TIER_STYLE = {"gdpr_83_4": ("sky_blue", "dash"), "gdpr_83_5": ("vermillion", "solid"),
               "gdpr_83_6": ("reddish_purple", "dot")}
_BASIS_WORDS = {"undertaking": "the undertaking (group) of which the company forms part",
                "entity": "the fined company alone"}


def _date(value) -> str:
    """A date as "14 Jan 2026"."""
    ts = pd.Timestamp(value)
    return f"{ts.day} {ts:%b %Y}"


def _case_dates() -> dict[str, str]:
    """The dates the panel cites, read from the kit's Italian case rows (``datasets/chatgpt-italy-2023``)."""
    from .data import load_responses

    r = load_responses(CASE).set_index("response_id")
    keys = {"limitation": "2023-03-30-ita-processing-limitation", "lifted": "2023-04-28-ita-block-lifted",
            "fine_announced": "2024-12-20-ita-fine", "annulled": "2026-03-18-ita-court-case"}
    out = {k: _date(r.loc[v, "date"]) for k, v in keys.items() if v in r.index}
    if {"limitation", "lifted"} <= out.keys():
        out["limitation_days"] = str((pd.Timestamp(r.loc[keys["lifted"], "date"])
                                      - pd.Timestamp(r.loc[keys["limitation"], "date"])).days)
    return out


def tools_html(route: str = "gdpr_58_2_f", months: int | None = None) -> str:
    """The limitation of processing and the urgency procedure as an HTML table (who decides, scope, duration,
    conditions), read from ``penalty_regimes.csv``; the ``route`` row is marked as chosen."""
    rows = []
    for t in enf.gdpr_processing_tools():
        if t.max_duration_months is None:
            duration = "temporary or definitive: the GDPR sets no maximum"
        else:
            duration = f"a specified period of validity, at most {t.max_duration_months} months"
            if t.regime_id == route and months is not None:
                duration += f" (here: {months} month{'s' if months != 1 else ''})"
        chosen = " aria-current='true' style='font-weight:bold'" if t.regime_id == route else ""
        rows.append(f"<tr{chosen}><td>{html.escape(t.article)}</td><td>{html.escape(t.decided_by)}</td>"
                    f"<td>{html.escape(t.scope)}</td><td>{html.escape(duration)}</td>"
                    f"<td>{html.escape(t.requires)}</td></tr>")
    return ("<table class='aireg-procedure'><caption>Limiting the processing: tools, not amounts</caption><thead><tr>"
            "<th>Article</th><th>Decided by</th><th>Scope</th><th>Duration</th><th>Requires</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


class GDPRExplorer(RegimeExplorer):
    """The GDPR explorer's widgets and figure. Display it in a notebook, or drive it from Python in tests.

    Attributes: ``tier`` (Dropdown of Art. 83(4)/(5)/(6) rows), ``entity_turnover`` and ``group_turnover`` (EUR bn,
    the user's assumptions), ``basis`` ('undertaking' = the law, 'entity' = for comparison), ``fine`` (EUR m, a
    slider capped at the ceiling), ``route`` (Art. 58(2)(f) or Art. 66(1)), ``months`` (a provisional measure's
    period, capped by Art. 66(1)), ``figure`` (plotly FigureWidget), ``panel`` (HTML), ``widget`` (the box).
    """

    TRACES = TRACES

    def __init__(self, tier: str = "gdpr_83_5", entity_turnover: float = 0.3, group_turnover: float = 4.0,
                 basis: str = "undertaking", fine: float | None = None, route: str = "gdpr_58_2_f",
                 months: int = 3):
        self.tiers = {rid: enf.regime(rid) for rid in enf.GDPR_TIERS}
        if tier not in self.tiers:
            raise ValueError(f"Unknown tier '{tier}'; choose one of {', '.join(self.tiers)}.")
        self.tools = {t.regime_id: t for t in enf.gdpr_processing_tools()}
        self.urgency = enf.regime("gdpr_66_1")
        self.garante_fine, self.garante_currency = enf.garante_openai_fine_2024()
        self.dates = _case_dates()
        self._notices: dict[str, str] = {}
        self._message = ""

        style = {"description_width": "20em"}
        wide = w.Layout(width="46em")
        self.tier = w.Dropdown(
            options=[(f"{r.article}: up to {money(r.fixed_amount, 'EUR')} or {r.percent}, whichever is higher", rid)
                     for rid, r in self.tiers.items()], value=tier, description="Which infringement?", style=style,
            layout=wide)
        lo, hi = TURNOVER_RANGE_BN
        self.entity_turnover = w.FloatSlider(
            value=entity_turnover, min=lo, max=hi, step=0.01, readout_format=".2f", style=style, layout=wide,
            description="Fined company's own turnover, EUR bn (assumption)")
        self.group_turnover = w.FloatSlider(
            value=group_turnover, min=lo, max=hi, step=0.01, readout_format=".2f", style=style, layout=wide,
            description="Whole undertaking's (group) turnover, EUR bn (assumption)")
        self.basis = w.ToggleButtons(
            options=[("Undertaking (group): the law", "undertaking"), ("Company alone: for comparison", "entity")],
            value=basis, description="Whose turnover sets the maximum?", style=style)
        cap = self._cap(tier, basis, entity_turnover, group_turnover)
        start = self.garante_fine / M if fine is None else fine
        self.fine = _CappedFloatSlider(
            value=min(start, cap / M), min=0.0, max=cap / M, step=0.1, readout_format=".1f", style=style,
            layout=wide, description="A fine you set, EUR m (max: the ceiling)", on_clamp=self._clamped)
        self.route = w.ToggleButtons(
            options=[(f"Limitation or ban ({self.tools['gdpr_58_2_f'].article})", "gdpr_58_2_f"),
                     (f"Urgency procedure ({self.urgency.article})", "gdpr_66_1")],
            value=route, description="Limit the processing by", style=style)
        max_months = float(self.urgency.max_duration_months or 1)
        self.months = _CappedFloatSlider(
            value=min(float(months), max_months), min=1.0, max=max_months, step=1.0, readout_format=".0f",
            style=style, layout=wide, description=f"Provisional measure, months (max {max_months:g})",
            disabled=route != "gdpr_66_1", on_clamp=self._clamped)
        self.log_scale = w.Checkbox(value=True, description="Logarithmic axes (the kink at the crossover turnover "
                                    "shows best)", style={"description_width": "initial"}, indent=False)

        self.figure = fill_width(go.FigureWidget(data=self._traces(*self._inputs()[:5]), layout=self._layout()))
        controls = w.VBox([self.tier, self.entity_turnover, self.group_turnover, self.basis, self.fine, self.log_scale,
                           self.route, self.months])
        self._assemble(controls, "Chart: the maximum GDPR fine against the undertaking's annual turnover, in euros, "
                       "for Arts. 83(4), 83(5) and 83(6): flat at the fixed amount up to the crossover turnover, then a "
                       "share of turnover. Markers show the maximum on the fined company's own turnover and on its "
                       "group's, a fine you set, and the Garante's fine on OpenAI. The panel below gives the same "
                       "amounts in words.")

        self.tier.observe(self.update, names="value")
        self.basis.observe(self.update, names="value")
        self.log_scale.observe(self._on_scale, names="value")
        self.route.observe(self._on_route, names="value")
        for box in (self.entity_turnover, self.group_turnover, self.fine, self.months):
            box.observe(self.update, names="value")
        self.update()

    # -- model -------------------------------------------------------------------------------------------------

    @staticmethod
    def _cap(tier: str, basis: str, entity_bn: float, group_bn: float) -> float:
        """The ceiling on the chosen basis; if the turnovers are inconsistent, the larger one (never a traceback)."""
        try:
            return enf.undertaking_ceiling(entity_bn * BN, group_bn * BN, tier, basis).ceiling
        except ValueError:
            return enf.gdpr_fine_cap(max(entity_bn, group_bn, 0.0) * BN, tier)

    def _inputs(self) -> tuple[str, float, float, str, float, str, int]:
        return (self.tier.value, self.entity_turnover.value * BN, self.group_turnover.value * BN, self.basis.value,
                self.fine.value * M, self.route.value, int(round(self.months.value)))

    # -- callbacks ---------------------------------------------------------------------------------------------

    def _clamped(self, slider, attempted: float) -> None:
        if slider is self.months:
            reg = self.urgency
            self._notices["months"] = (
                f"{reg.article} allows provisional measures only for a specified period of validity not exceeding "
                f"{reg.max_duration_months} months. You asked for {attempted:g}; the slider stays at {slider.max:g}.")
        else:
            reg = self.tiers[self.tier.value]
            self._notices["fine"] = (
                f"{reg.article} caps the fine at {money(slider.max * M, 'EUR')} for this turnover: "
                f"{money(reg.fixed_amount, 'EUR')} or {reg.percent} of the turnover of "
                f"{_BASIS_WORDS[self.basis.value]}, whichever is higher. You asked for "
                f"{money(attempted * M, 'EUR')}; the slider stays at the ceiling.")
        self.update()

    def _on_route(self, _=None) -> None:
        self.months.disabled = self.route.value != "gdpr_66_1"
        self.update()

    def _on_scale(self, _=None) -> None:
        kind = "log" if self.log_scale.value else "linear"
        with self.figure.batch_update():
            self.figure.layout.xaxis.type = kind
            self.figure.layout.yaxis.type = kind

    def _sync_fine_cap(self, cap: float) -> None:
        """Move the fine slider's maximum to the current ceiling (ipywidgets lowers the value with it)."""
        if abs(self.fine.max - cap / M) > 1e-9:
            self.fine.max = cap / M

    def update(self, change=None) -> None:
        """Recompute from the widgets' values and redraw the figure and the panel."""
        owner = change.get("owner") if isinstance(change, dict) else None
        if owner is self.fine and change["new"] < self.fine.max:
            self._notices.pop("fine", None)
        if owner is self.months and change["new"] < self.months.max:
            self._notices.pop("months", None)
        tier, entity, group, basis, _, route, months = self._inputs()
        try:
            ceiling = enf.undertaking_ceiling(entity, group, tier, basis)
        except ValueError as e:
            self._message = str(e)
            self.panel.value = self._error_html(str(e))
            return
        self._message = ""
        if owner is not self.fine:
            self._sync_fine_cap(ceiling.ceiling)
        fine = self.fine.value * M
        traces = self._traces(tier, entity, group, basis, fine)
        with self.figure.batch_update():
            for target, new in zip(self.figure.data, traces, strict=True):
                target.x, target.y = new.x, new.y
                target.name = new.name
                target.line.width = new.line.width
            self.figure.layout.title.text = self._title(tier)
        self.panel.value = self._panel_html(ceiling, fine, route, months)

    # -- figure ------------------------------------------------------------------------------------------------

    def _title(self, tier: str) -> str:
        return wrap_title(f"The maximum GDPR fine grows with the undertaking's turnover "
                          f"({self.tiers[tier].article} highlighted)")

    def _layout(self) -> go.Layout:
        lo, hi = TURNOVER_RANGE_BN
        kind = "log" if self.log_scale.value else "linear"
        return go.Layout(
            title={"text": self._title(self.tier.value)},
            xaxis={"title": {"text": "Total worldwide annual turnover of the preceding financial year (EUR)"},
                   "type": kind, "exponentformat": "B"},
            yaxis={"title": {"text": "Maximum fine (EUR)"}, "type": kind, "exponentformat": "B"},
            legend={"orientation": "h", "yanchor": "top", "y": -0.32 if projector() else -0.2},
            height=780 if projector() else 620,
            margin={"t": 110 if projector() else 70, "b": 40},
            hovermode="closest",
            meta={"turnover_range_eur": [lo * BN, hi * BN]},
        )

    def _traces(self, tier: str, entity: float, group: float, basis: str, fine: float) -> list:
        line = go.Scatter
        curves = []
        cache = self.__dict__.setdefault("_ceiling_curves", {})  # the ceilings do not move with the sliders
        for rid, reg in self.tiers.items():
            colour, dash = _TIER_STYLE.get(rid, ("grey", "solid"))
            if rid not in cache:
                cache[rid] = [enf.gdpr_fine_cap(t, rid) for t in _CURVE]
            curves.append(line(
                x=_CURVE, y=cache[rid], mode="lines",
                name=f"{reg.article} ceiling: {money(reg.fixed_amount, 'EUR')} or {reg.percent}, whichever is higher",
                line={"color": OKABE_ITO[colour], "dash": dash, "width": 5 if rid == tier else 2}))
        cross = [(enf.gdpr_crossover_turnover(rid), reg.fixed_amount) for rid, reg in self.tiers.items()]
        cx = enf.gdpr_crossover_turnover(tier)
        try:
            c = enf.undertaking_ceiling(entity, group, tier, basis)
        except ValueError:
            c = enf.undertaking_ceiling(min(entity, group), max(entity, group), tier, basis)
        used = c.group_turnover if basis == "undertaking" else c.entity_turnover
        art5 = self.tiers["gdpr_83_5"].article
        return curves + [
            line(x=[x for x, _ in cross], y=[y for _, y in cross], mode="markers",
                 name=f"Crossover: above {money(cx, 'EUR')} of turnover the percentage is the higher",
                 marker={"symbol": "circle-open", "size": 12, "color": OKABE_ITO["black"]}, line={"width": 0}),
            line(x=[c.entity_turnover], y=[c.entity_ceiling], mode="markers",
                 name=f"Maximum on the fined company's own turnover: {money(c.entity_ceiling, 'EUR')}",
                 marker={"symbol": "square", "size": 14, "color": OKABE_ITO["sky_blue"]}, line={"width": 0}),
            line(x=[c.group_turnover], y=[c.group_ceiling], mode="markers",
                 name=f"Maximum on the undertaking's (group) turnover: {money(c.group_ceiling, 'EUR')}",
                 marker={"symbol": "triangle-up", "size": 16, "color": OKABE_ITO["blue"]}, line={"width": 0}),
            line(x=[used], y=[fine], mode="markers", name=f"A fine you set: {money(fine, 'EUR')}",
                 marker={"symbol": "x", "size": 14, "color": OKABE_ITO["orange"]}, line={"width": 0}),
            line(x=[used], y=[self.garante_fine], mode="markers",
                 name=f"Garante fine on OpenAI, {money(self.garante_fine, self.garante_currency)} "
                      f"(annulled {self.dates.get('annulled', 'in 2026')}), against the {art5} ceiling",
                 marker={"symbol": "diamond", "size": 14, "color": OKABE_ITO["black"]}, line={"width": 0}),
        ]

    # -- panel -------------------------------------------------------------------------------------------------

    def _panel_html(self, c: enf.UndertakingCeiling, fine: float, route: str, months: int) -> str:
        reg = self.tiers[c.regime_id]
        used = c.group_turnover if c.basis == "undertaking" else c.entity_turnover
        part = enf.gdpr_ceiling_part(used, c.regime_id)
        cross = enf.gdpr_crossover_turnover(c.regime_id)
        limb = (f"the fixed amount applies, because {reg.percent} of {money(used, 'EUR')} is "
                f"{money(reg.rate * used, 'EUR')}, not more than {money(reg.fixed_amount, 'EUR')} (turnover up to "
                f"{money(cross, 'EUR')})" if part == "fixed" else
                f"{reg.percent} of turnover applies, because above {money(cross, 'EUR')} it exceeds "
                f"{money(reg.fixed_amount, 'EUR')}")
        notices = "".join(
            f"<div class='aireg-notice' role='status' style='border-left:6px solid {OKABE_ITO['orange']};"
            f"padding:0.3em 0.8em;margin-bottom:0.4em'><b>Legal limit:</b> {html.escape(t)}</div>"
            for t in self._notices.values())
        comparison = ("" if c.basis == "undertaking" else
                      " <b>You chose the company's own turnover: shown for comparison only; it is not the test the "
                      "Court of Justice applies.</b>")
        ratio = c.group_ceiling / c.entity_ceiling if c.entity_ceiling else float("nan")
        art5 = self.tiers["gdpr_83_5"]
        g = enf.fine_against_ceiling(self.garante_fine, used, "gdpr_83_5")
        d = self.dates
        your = enf.fine_against_ceiling(fine, used, c.regime_id)
        at_cap = (" The fine is at the ceiling; the slider cannot go further." if not self._notices.get("fine")
                  and self.fine.value >= self.fine.max - 1e-9 else "")
        tool = self.tools[route]
        if route == "gdpr_66_1":
            duration = (f"{months} month{'s' if months != 1 else ''}, within the maximum of "
                        f"{tool.max_duration_months} months; the measures have legal effect on the acting authority's "
                        "own territory only")
        else:
            duration = "temporary or definitive, as the decision says: the GDPR sets no maximum"
        italy = ""
        if {"limitation", "lifted", "limitation_days"} <= d.keys():
            italy = (f" In Italy the Garante limited OpenAI's processing of the personal data of people in Italy on "
                     f"{d['limitation']} ({self.tools['gdpr_58_2_f'].article}); ChatGPT was "
                     f"available again on {d['lifted']}, {d['limitation_days']} days later "
                     "(datasets/chatgpt-italy-2023).")
        items = [
            f"<b>Maximum ({reg.article}):</b> {money(reg.fixed_amount, 'EUR')} or, for an undertaking, "
            f"{reg.percent} of its total worldwide annual turnover of the preceding financial year, whichever is "
            f"higher. On the turnover of {_BASIS_WORDS[c.basis]} ({money(used, 'EUR')}) the maximum is "
            f"<b>{money(c.ceiling, 'EUR')}</b>: {limb}.{comparison}",
            f"<b>Whose turnover?</b> Recital 150 refers to the concept of undertaking of Arts. 101 and 102 TFEU, and "
            "the Court of Justice held that where the company fined forms part of a group the maximum is computed on "
            "the undertaking's turnover, not the company's alone (C-807/21 <i>Deutsche Wohnen</i>, 5 Dec 2023; "
            f"C-383/23 <i>ILVA</i>, 13 Feb 2025). Here: {money(c.entity_ceiling, 'EUR')} on the company's own "
            f"turnover, {money(c.group_ceiling, 'EUR')} on the group's ({ratio:.1f} times as much).",
            "<b>The maximum is not the fine.</b> Each fine must be effective, proportionate and dissuasive "
            "(Art. 83(1)); its amount follows the criteria of Art. 83(2) (among them the nature, gravity and duration "
            "of the infringement, its intentional or negligent character and the measures taken to mitigate the "
            "damage), and a fine requires an intentional or negligent infringement (C-807/21). "
            f"Your fine of {money(fine, 'EUR')} is {your.share:.0%} of the maximum.{at_cap}",
            f"<b>The Garante's fine on OpenAI:</b> {money(self.garante_fine, self.garante_currency)} (decision "
            f"no. 755 of 2 Nov 2024, announced {d.get('fine_announced', '20 Dec 2024')}; figures.csv "
            f"<code>openai_garante_fine_2024</code>), placed against the {art5.article} ceiling, the tier for the "
            "basic principles and lawful basis that the Garante found breached. It is "
            f"{g.share:.0%} of that ceiling at the turnover you set, and below it whatever the turnover: the ceiling "
            f"is never lower than {money(art5.fixed_amount, 'EUR')}. OpenAI's turnover is not an official figure in "
            "the kit's data, so both turnovers are your assumptions. The Court of Rome annulled the decision on "
            f"{d.get('annulled', '18 Mar 2026')}; its reasons, as reported, rest on the Garante's lack of competence "
            "under the one-stop-shop once OpenAI's Irish entity had become its EU establishment, not on the merits "
            "(datasets/chatgpt-italy-2023).",
            f"<b>Limiting the processing ({html.escape(tool.article)}):</b> a tool, not an amount. Decided by "
            f"{html.escape(tool.decided_by)}. Scope: {html.escape(tool.scope)}. Duration: {duration}. "
            f"{italy}" + tools_html(route, months if route == "gdpr_66_1" else None),
        ]
        lis = "".join(f"<li>{t}</li>" for t in items)
        return (f"<div class='aireg-panel'>{notices}<ul>{lis}</ul><p style='color:#555'>Amounts are in euros; the "
                "turnovers are assumptions you set, not sourced figures. Ceilings are read from penalty_regimes.csv "
                "(GDPR, Regulation (EU) 2016/679).</p></div>")


def gdpr_explorer(**kwargs) -> GDPRExplorer:
    """Build the GDPR enforcement explorer; see :class:`GDPRExplorer` for the options and attributes."""
    return GDPRExplorer(**kwargs)
