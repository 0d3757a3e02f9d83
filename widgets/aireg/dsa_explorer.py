"""'What can Brussels do?': sliders that explore DSA enforcement against X, with the article behind every number.

The explorer is a thin UI over :mod:`aireg.enforcement` (all arithmetic and every ceiling live there, read from the
datasets). Sliders stop at the legal ceiling read from ``penalty_regimes.csv``; a value set above it is clamped and
the panel names the article. Bad input (a negative turnover typed into the box) gives a message, never a traceback.

It keeps the law's distinctions visible: a fine (Art. 74) is a one-off sanction; periodic penalty payments
(Art. 76) are coercive, accruing only until X complies with a decision, and are shown apart from the fine, never
added to it; a restriction of access (Art. 51(3)) is a national court's order for four-week periods in one Member
State, reached only through the conditions listed in ``access_restriction_conditions.csv``.

    from aireg.dsa_explorer import dsa_explorer
    dsa_explorer()
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w
import plotly.graph_objects as go
from traitlets import validate

from . import enforcement as enf
from .theme import OKABE_ITO, fill_width, projector, wrap_title

__all__ = ["TRACES", "DSAExplorer", "RegimeExplorer", "dsa_explorer", "money", "procedure_html", "restriction_html"]

BN = 1e9
TRACES = ("accrued", "max_accrued", "fine", "fine_cap", "info_cap", "fine_2025", "turnover", "uk_osa")
"""Keys of the figure's traces, in order (see :meth:`DSAExplorer.trace`)."""
_ESTIMATES = ("low", "central", "high")
MAX_RESTRICTION_PERIODS = 6
"""How many four-week periods the restriction control offers. The DSA sets no maximum: the court sets the number of
extensions in its order; the control stops at six periods (24 weeks) for display only."""


def money(amount: float, currency: str = "USD") -> str:
    """A readable amount: ``USD 162.0m``, ``USD 2.70bn``, ``USD 369,863`` (the tables' :func:`compact` style)."""
    from .tables import compact

    return f"{currency} {compact(amount) if abs(amount) >= 1e6 else f'{amount:,.0f}'}"


def _people(n: float) -> str:
    return f"{n / 1e6:,.1f} million" if n >= 1e6 else f"{n:,.0f}"


class _CappedFloatSlider(w.FloatSlider):
    """A FloatSlider that reports an attempt to go past its ``max`` (the legal ceiling) before clamping it."""

    def __init__(self, *args, on_clamp: Callable[[w.FloatSlider, float], None] | None = None, **kwargs):
        self._on_clamp = on_clamp
        super().__init__(*args, **kwargs)

    @validate("value")
    def _validate_value(self, proposal):
        value = proposal["value"]
        if value > self.max and self._on_clamp is not None:
            self._on_clamp(self, value)
        return min(max(value, self.min), self.max)


def procedure_html() -> str:
    """The DSA enforcement procedure (:func:`aireg.enforcement.dsa_procedure`) as an HTML table."""
    rows = "".join(
        f"<tr><td>{s.order}</td><td><b>{html.escape(s.title)}</b></td><td>{html.escape(s.article)}</td>"
        f"<td>{html.escape(enf.STAGE_WORDS.get(s.stage, s.stage))}</td><td>{html.escape(s.decided_by)}</td>"
        f"<td>{html.escape(s.requires)}</td></tr>"
        for s in enf.dsa_procedure()
    )
    return ("<table class='aireg-procedure'><caption>The Commission's enforcement procedure for a very large online "
            "platform: tools, not a ladder</caption><thead><tr><th>#</th><th>Step</th><th>Article</th><th>When</th>"
            f"<th>Decided by</th><th>Requires</th></tr></thead><tbody>{rows}</tbody></table>")


def restriction_html(on_commission_request: bool = True) -> str:
    """The route to a temporary restriction of access, step by step, as an ordered HTML list with its articles
    and the discussion question attached to the decisive condition."""
    items = []
    for r in enf.restriction_conditions(on_commission_request).itertuples():
        question = (f"<br><i>Discuss: {html.escape(str(r.discussion_question))}</i>"
                    if isinstance(r.discussion_question, str) and r.discussion_question else "")
        items.append(f"<li><b>{html.escape(str(r.decided_by))}</b>: {html.escape(str(r.condition))} "
                     f"<small>({html.escape(str(r.article))})</small>{question}</li>")
    return "<ol class='aireg-restriction'>" + "".join(items) + "</ol>"


class RegimeExplorer:
    """What the kit's enforcement explorers share (the DSA's and the GDPR's): a figure whose traces are named by
    ``TRACES``, a panel of the same amounts in words, the widget that holds them (with its caption and accessible
    names), and the error note shown while an input is invalid. Each explorer brings its own model and controls."""

    TRACES: tuple[str, ...] = ()

    def _assemble(self, controls, caption_text: str) -> None:
        """``self.widget``: the controls, ``self.figure`` with its caption, and ``self.panel``."""
        from .a11y import caption, name_controls

        self.panel = w.HTML()
        self.widget = w.VBox([controls, self.figure, caption(caption_text), self.panel])
        self.widget.add_class("aireg")
        name_controls(self.widget)  # accessible names for slider handles and Play buttons

    def trace(self, key: str):
        """The figure trace for ``key`` (one of the explorer's ``TRACES``), e.g. ``explorer.trace("fine").y``."""
        return self.figure.data[self.TRACES.index(key)]

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _error_html(self, message: str) -> str:
        return (f"<div class='aireg-error' role='alert' style='border-left:6px solid {OKABE_ITO['vermillion']};"
                f"padding:0.4em 0.8em'><b>Check the input:</b> {html.escape(message)}"
                "<br>The chart still shows the last valid values.</div>")


class DSAExplorer(RegimeExplorer):
    """The explorer's widgets and figure. Display it in a notebook, or drive it from Python in tests.

    Attributes: ``scenario`` (Dropdown), ``estimate`` (low/central/high), ``turnover`` (FloatText, USD bn),
    ``fine_rate`` and ``daily_rate`` (percent sliders capped by Arts. 74(1) and 76(1)), ``days`` (days until X
    complies), ``restriction_periods`` (four-week periods of a court-ordered restriction in Ireland, 0 = none),
    ``figure`` (plotly FigureWidget), ``panel`` (HTML), ``widget`` (the box).
    """

    TRACES = TRACES

    def __init__(self, scenario: str = "x_alone", fine_rate: float = 1.0, days: int = 180,
                 daily_rate: float = 1.0, restriction_periods: int = 0, max_days: int = 730):
        self.fine_regime = enf.regime("dsa_74_1")
        self.info_regime = enf.regime("dsa_74_2")
        self.penalty_regime = enf.regime("dsa_76")
        self.restriction_regime = enf.regime("dsa_51_3")
        self.uk_regime = enf.regime("uk_osa_fine")
        self.scenarios = {s.key: s for s in enf.turnover_scenarios()}
        if scenario not in self.scenarios:
            raise ValueError(f"Unknown scenario '{scenario}'; choose one of {', '.join(self.scenarios)}.")
        self.fine_2025, self.fine_2025_currency = enf.x_dsa_fine_2025()
        self.fx = enf.eur_usd_rate()
        self._notices: dict[str, str] = {}
        self._message = ""

        style = {"description_width": "16em"}
        wide = w.Layout(width="42em")
        self.scenario = w.Dropdown(options=[(s.label, s.key) for s in self.scenarios.values()], value=scenario,
                                   description="Whose turnover counts?", style=style, layout=wide)
        self.estimate = w.ToggleButtons(options=[(e, e) for e in _ESTIMATES], value="central",
                                        description="Estimate", style=style)
        self.turnover = w.FloatText(value=self.scenarios[scenario].central / BN, step=0.1,
                                    description="Turnover (USD bn, typed)", style=style, layout=w.Layout(width="26em"))
        fine_max = self.fine_regime.rate * 100
        self.fine_rate = _CappedFloatSlider(
            value=min(fine_rate, fine_max), min=0.0, max=fine_max, step=0.1, readout_format=".1f",
            description=f"Fine, % of turnover (max {fine_max:g}%)", style=style, layout=wide,
            continuous_update=True, on_clamp=self._clamped)
        self.days = w.IntSlider(value=days, min=0, max=max_days, step=1, description="Days until X complies",
                                style=style, layout=wide)
        daily_max = self.penalty_regime.rate * 100
        self.daily_rate = _CappedFloatSlider(
            value=min(daily_rate, daily_max), min=0.0, max=daily_max, step=0.1, readout_format=".1f",
            description=f"Daily penalty, % of avg. daily turnover (max {daily_max:g}%)", style=style,
            layout=wide, on_clamp=self._clamped)
        weeks = (self.restriction_regime.max_duration_days or 0) // 7
        self.restriction_periods = w.IntSlider(
            value=min(restriction_periods, MAX_RESTRICTION_PERIODS), min=0, max=MAX_RESTRICTION_PERIODS, step=1,
            description=f"Restriction in Ireland, {weeks}-week periods (court order)", style=style, layout=wide)
        self._caps = {"fine_rate": self.fine_regime, "daily_rate": self.penalty_regime}
        self.log_scale = w.Checkbox(value=False, description="Logarithmic scale (with the annual turnover)",
                                    style={"description_width": "initial"}, indent=False)

        self.figure = fill_width(go.FigureWidget(data=self._traces(*self._inputs()[:4]), layout=self._layout()))
        controls = w.VBox([self.scenario, self.estimate, self.turnover, self.fine_rate, self.days, self.daily_rate,
                           self.restriction_periods, self.log_scale])
        self._assemble(controls, "Chart: periodic penalties accrued day by day until the provider complies (solid "
                       "blue, with their ceiling dashed), beside a one-off fine, the fine ceilings, the fine of 5 "
                       "December 2025 and the UK maximum, in US dollars. The panel below gives the same amounts in "
                       "words.")

        self.scenario.observe(self._on_scenario, names="value")
        self.estimate.observe(self._on_scenario, names="value")
        self.log_scale.observe(self._on_scale, names="value")
        for box in (self.turnover, self.fine_rate, self.days, self.daily_rate, self.restriction_periods):
            box.observe(self.update, names="value")
        self.update()

    # -- callbacks ---------------------------------------------------------------------------------------------

    def _name(self, slider) -> str:
        return "fine_rate" if slider is self.fine_rate else "daily_rate"

    def _clamped(self, slider, attempted: float) -> None:
        reg = self._caps[self._name(slider)]
        what = ("fines at {p} of the provider's worldwide annual turnover" if reg is self.fine_regime else
                "periodic penalties at {p} of average daily worldwide turnover per day").format(p=reg.percent)
        self._notices[self._name(slider)] = (
            f"{reg.article} caps {what}. You asked for {attempted:g}%; the slider stays at {slider.max:g}%.")
        self.update()

    def _on_scenario(self, _=None) -> None:
        s = self.scenarios[self.scenario.value]
        self.turnover.value = getattr(s, self.estimate.value) / BN  # triggers update() if the value changes
        self.update()

    def _inputs(self) -> tuple[float, float, float, int, int]:
        return (self.turnover.value * BN, self.fine_rate.value / 100, self.daily_rate.value / 100,
                int(self.days.value), int(self.restriction_periods.value))

    def update(self, change=None) -> None:
        """Recompute from the widgets' values and redraw the figure and the panel."""
        if change is not None and change.get("owner") in (self.fine_rate, self.daily_rate):
            owner = change["owner"]
            if change["new"] < owner.max:
                self._notices.pop(self._name(owner), None)
        turnover, fine_rate, daily_rate, days, periods = self._inputs()
        try:
            traces = self._traces(turnover, fine_rate, daily_rate, days)
        except ValueError as e:
            self._message = str(e)
            self.panel.value = self._error_html(str(e))
            return
        self._message = ""
        with self.figure.batch_update():
            for target, new in zip(self.figure.data, traces, strict=True):
                target.x, target.y = new.x, new.y
                target.name = new.name
            self.figure.layout.title.text = self._title(days)
            self.figure.layout.xaxis.range = [0, max(days, 1)]
        self.panel.value = self._panel_html(turnover, fine_rate, daily_rate, days, periods)

    # -- figure ------------------------------------------------------------------------------------------------

    def _title(self, days: int) -> str:
        return wrap_title(f"Periodic penalties until X complies ({days} days), beside a one-off fine: "
                          f"{self.scenarios[self.scenario.value].label}")

    def _on_scale(self, change=None) -> None:
        """Linear by default, with the turnover line in the legend only (every amount readable); the log axis
        shows the turnover beside them."""
        self.figure.layout.yaxis.type = "log" if self.log_scale.value else "linear"
        self.figure.layout.yaxis.rangemode = "normal" if self.log_scale.value else "tozero"
        self.trace("turnover").visible = True if self.log_scale.value else "legendonly"

    def _layout(self) -> go.Layout:
        days = int(self.days.value)
        return go.Layout(
            title={"text": self._title(days)},
            xaxis={"title": {"text": "Days of non-compliance after the date set in the penalty decision"},
                   "range": [0, max(days, 1)]},
            yaxis={"title": {"text": "US dollars"}, "exponentformat": "B",
                   "rangemode": "tozero"},
            # The legend sits below the x-axis title; projector type needs more room for both.
            legend={"orientation": "h", "yanchor": "top", "y": -0.32 if projector() else -0.2},
            height=780 if projector() else 620,
            margin={"t": 110 if projector() else 70, "b": 40},
            hovermode="x unified",
        )

    def _traces(self, turnover: float, fine_rate: float, daily_rate: float, days: int) -> list:
        if turnover < 0:
            raise ValueError("Turnover cannot be negative. Type an amount of zero or more, in billions of US "
                             "dollars (e.g. 2.7 for X's 2024 revenue estimate).")
        series = enf.penalty_accrual(turnover, daily_rate, days)
        flat = [0, max(days, 1)]
        fine_usd = self.fine_2025 * self.fx if self.fine_2025_currency == "EUR" else self.fine_2025
        fr, ir, pr, uk = self.fine_regime, self.info_regime, self.penalty_regime, self.uk_regime
        line = go.Scatter
        return [
            line(x=series["day"], y=series["accrued"], mode="lines",
                 name=f"Periodic penalties accrued until X complies ({pr.article}; coercive, reducible under Art. 76(2))",
                 line={"color": OKABE_ITO["blue"], "width": 4}),
            line(x=series["day"], y=series["max_accrued"], mode="lines",
                 name=f"{pr.article} ceiling: {pr.percent} of average daily turnover per day",
                 line={"color": OKABE_ITO["blue"], "width": 2, "dash": "dash"}),
            line(x=flat, y=[enf.fine(turnover, fine_rate)] * 2, mode="lines",
                 name=f"A one-off fine at {fine_rate * 100:.1f}% ({fr.article}), not added to the penalties",
                 line={"color": OKABE_ITO["orange"], "width": 3}),
            line(x=flat, y=[enf.fine_cap(turnover)] * 2, name=f"{fr.article} ceiling: {fr.percent} of turnover",
                 mode="lines", line={"color": OKABE_ITO["vermillion"], "width": 2}),
            line(x=flat, y=[enf.information_fine_cap(turnover)] * 2, mode="lines",
                 name=f"{ir.article} ceiling: {ir.percent} (information failures)",
                 line={"color": OKABE_ITO["reddish_purple"], "width": 2, "dash": "dot"}),
            line(x=flat, y=[fine_usd] * 2, mode="lines",
                 name=f"Fine on X, 5 Dec 2025: {money(self.fine_2025, self.fine_2025_currency)}"
                      f" = {money(fine_usd)}", line={"color": OKABE_ITO["black"], "width": 2, "dash": "dashdot"}),
            # in the legend, off the chart until clicked: at 20-100 times the amounts it would flatten them all
            line(x=flat, y=[turnover] * 2, mode="lines", name=f"Annual turnover used: {money(turnover)} (click to show)",
                 line={"color": OKABE_ITO["grey"], "width": 2}, visible="legendonly"),
            line(x=flat, y=[uk.rate * turnover] * 2, mode="lines",
                 name=f"UK {uk.article}: {uk.percent} of revenue (GBP floor aside)",
                 line={"color": OKABE_ITO["bluish_green"], "width": 2, "dash": "longdash"}),
        ]

    # -- panel -------------------------------------------------------------------------------------------------

    def _panel_html(self, turnover: float, fine_rate: float, daily_rate: float, days: int, periods: int) -> str:
        s = self.scenarios[self.scenario.value]
        fr, ir, pr, uk = self.fine_regime, self.info_regime, self.penalty_regime, self.uk_regime
        amount = enf.fine(turnover, fine_rate)
        per_day = enf.periodic_penalty_per_day(turnover, daily_rate)
        accrued = enf.periodic_penalties(turnover, daily_rate, days)
        fine_usd = self.fine_2025 * self.fx
        order = enf.restriction_order(periods)
        notices = "".join(
            f"<div class='aireg-notice' role='status' style='border-left:6px solid {OKABE_ITO['orange']};"
            f"padding:0.3em 0.8em;margin-bottom:0.4em'><b>Legal ceiling:</b> {html.escape(t)}</div>"
            for t in self._notices.values())
        at_cap = []
        if not self._notices.get("fine_rate") and self.fine_rate.value >= self.fine_rate.max:
            at_cap.append(f"The fine is at the {fr.article} ceiling ({fr.percent}); the slider cannot go further.")
        if not self._notices.get("daily_rate") and self.daily_rate.value >= self.daily_rate.max:
            at_cap.append(f"The daily penalty is at the {pr.article} ceiling ({pr.percent} per day).")
        at_cap_html = "".join(f"<p><i>{html.escape(t)}</i></p>" for t in at_cap)
        in_range = s.low <= turnover <= s.high
        typed = "" if in_range else " <b>(typed by you: outside the sourced range)</b>"
        contested = " Contested: whether this turnover counts for a fine on X's provider is disputed." \
            if s.contested else ""
        floor = uk.fixed_amount / uk.rate
        if order.periods == 0:
            restriction = ("No restriction order is set. Move the control to see what one would be, and read the "
                           "conditions below: each must be met, in order, before a court may order it.")
        else:
            restriction = (f"{order.periods} period(s) of {order.period_days} days = <b>{order.days} days</b> of "
                           f"restricted access in {html.escape(order.scope)}, not across the EU. The first period is "
                           "the court's order; "
                           + (f"the {order.extensions} further period(s) are extensions the court must have allowed "
                              "and the Coordinator may use only while X has still not ended the infringement and "
                              "access to lawful information is not unduly restricted."
                              if order.extensions else "no extension is used."))
        items = [
            f"<b>Turnover used:</b> {money(turnover)}{typed}. Scenario <i>{html.escape(s.label)}</i>: sourced range "
            f"{money(s.low)} to {money(s.high)} ({s.year}; figures.csv <code>{', '.join(s.figure_ids)}</code>)."
            f"{contested} The DSA caps a fine by the provider's own turnover (\"its\" turnover, {fr.article}); the "
            "GDPR, by contrast, caps by the undertaking's, which the Court of Justice reads as the whole group "
            "(C-807/21 <i>Deutsche Wohnen</i>; C-383/23 <i>ILVA</i>).",
            f"<b>A fine ({fr.article}), one-off:</b> {fine_rate * 100:.1f}% x turnover = <b>{money(amount)}</b>. "
            f"Ceiling: {fr.percent} of worldwide annual turnover in the preceding financial year = "
            f"{money(enf.fine_cap(turnover))}; the amount follows the nature, gravity, duration and recurrence of the "
            f"infringement (Art. 74(4)). For information failures {ir.article} allows up to {ir.percent} = "
            f"{money(enf.information_fine_cap(turnover))}.",
            f"<b>Periodic penalties ({pr.article}), to make X comply:</b> imposed by a separate decision to compel "
            "compliance with a specific decision (to supply information, submit to an inspection, or comply with "
            "interim measures, commitments or a non-compliance decision). At "
            f"{daily_rate * 100:.1f}% of average daily turnover (annual / {enf.DAYS_PER_YEAR} = "
            f"{money(enf.average_daily_turnover(turnover))}), non-compliance costs <b>{money(per_day)} per day</b> "
            f"until X complies; after {days} days that is {money(accrued)}. Ceiling: {pr.percent} per day = "
            f"{money(enf.periodic_penalty_cap_per_day(turnover))} per day. Once X complies the Commission may fix a "
            "lower definitive amount (Art. 76(2)). This is not a second fine and is not added to one.",
            f"<b>December 2025 fine on X (Arts. 73 and 74(1)):</b> {money(self.fine_2025, self.fine_2025_currency)}"
            f" = about {money(fine_usd)} at {self.fx:.4f} USD per EUR "
            f"(figures.csv <code>x_dsa_fine_2025</code>, <code>eur_usd_rate_2025_12_05</code>); X has appealed it.",
            f"<b>Temporary restriction of access ({html.escape(order.article)}):</b> {restriction} It is ordered by "
            f"{html.escape(order.decided_by)}. The DSA fixes the period (four weeks) but not the number of "
            "extensions, which the court sets in its order; this control stops at "
            f"{MAX_RESTRICTION_PERIODS} periods for display only." + restriction_html(),
            f"<b>UK alongside ({uk.article}, Ofcom):</b> the greater of {money(uk.fixed_amount, uk.currency)} and "
            f"{uk.percent} of qualifying worldwide revenue. The fixed floor only matters below "
            f"{money(floor, uk.currency)} of revenue; here {uk.percent} of the turnover used is "
            f"{money(uk.rate * turnover)}.",
        ]
        lis = "".join(f"<li>{t}</li>" for t in items)
        return (f"<div class='aireg-panel'>{notices}{at_cap_html}<ul>{lis}</ul>"
                "<p style='color:#555'>Amounts are in US dollars, the currency of the revenue sources; the DSA "
                "ceilings are percentages, so they apply in any currency. Only the EUR fine is converted.</p></div>")


def dsa_explorer(**kwargs) -> DSAExplorer:
    """Build the 'What can Brussels do?' explorer; see :class:`DSAExplorer` for the options and attributes."""
    return DSAExplorer(**kwargs)
