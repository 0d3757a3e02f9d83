"""'What can Brussels do?': sliders that explore DSA enforcement against X, with the article behind every number.

The explorer is a thin UI over :mod:`aireg.enforcement` (all arithmetic and every ceiling live there, read from the
datasets). Sliders stop at the legal ceiling read from ``penalty_regimes.csv``; a value set above it is clamped and
the panel names the article. Bad input (a negative turnover typed into the box) gives a message, never a traceback.

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
from .theme import OKABE_ITO, projector

__all__ = ["TRACES", "DSAExplorer", "dsa_explorer", "escalation_html", "money"]

BN = 1e9
TRACES = ("exposure", "fine_cap", "legal_max", "info_cap", "fine_2025", "turnover", "uk_osa", "suspension")
"""Keys of the figure's traces, in order (see :meth:`DSAExplorer.trace`)."""
_ESTIMATES = ("low", "central", "high")


def money(amount: float, currency: str = "USD") -> str:
    """A readable amount: ``USD 162.0m``, ``USD 2.70bn``, ``USD 369,863``."""
    a = abs(amount)
    if a >= 1e9:
        return f"{currency} {amount / 1e9:,.2f}bn"
    if a >= 1e6:
        return f"{currency} {amount / 1e6:,.1f}m"
    return f"{currency} {amount:,.0f}"


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


def escalation_html() -> str:
    """The DSA escalation path (:func:`aireg.enforcement.escalation_path`) as an HTML table."""
    rows = "".join(
        f"<tr><td>{s.order}</td><td><b>{html.escape(s.title)}</b></td><td>{html.escape(s.article)}</td>"
        f"<td>{html.escape(s.decided_by)}</td><td>{html.escape(s.requires)}</td></tr>"
        for s in enf.escalation_path()
    )
    return ("<table class='aireg-escalation'><caption>The DSA escalation path for a very large online platform"
            "</caption><thead><tr><th>#</th><th>Step</th><th>Article</th><th>Decided by</th><th>Requires</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>")


class DSAExplorer:
    """The explorer's widgets and figure. Display it in a notebook, or drive it from Python in tests.

    Attributes: ``scenario`` (Dropdown), ``estimate`` (low/central/high), ``turnover`` (FloatText, USD bn),
    ``fine_rate`` and ``daily_rate`` (percent sliders capped by Arts. 74(1) and 76(1)), ``days`` (days of
    non-compliance), ``suspension_days``, ``figure`` (plotly FigureWidget), ``panel`` (HTML), ``widget`` (the box).
    """

    def __init__(self, scenario: str = "x_alone", fine_rate: float = 1.0, days: int = 180,
                 daily_rate: float = 1.0, suspension_days: int = 14, max_days: int = 730):
        self.fine_regime = enf.regime("dsa_74_1")
        self.info_regime = enf.regime("dsa_74_2")
        self.penalty_regime = enf.regime("dsa_76")
        self.suspension_regime = enf.regime("dsa_51_3")
        self.uk_regime = enf.regime("uk_osa_fine")
        self.scenarios = {s.key: s for s in enf.turnover_scenarios()}
        if scenario not in self.scenarios:
            raise ValueError(f"Unknown scenario '{scenario}'; choose one of {', '.join(self.scenarios)}.")
        self.fine_2025, self.fine_2025_currency = enf.x_dsa_fine_2025()
        self.fx = enf.eur_usd_rate()
        self.eu_share = enf.eu_revenue_share()
        self.eu_users = float(enf.figure("x_eu_mar_2025h2")["value_central"])
        self.x_revenue = self.scenarios["x_alone"].central
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
        self.days = w.IntSlider(value=days, min=0, max=max_days, step=1, description="Days of non-compliance",
                                style=style, layout=wide)
        daily_max = self.penalty_regime.rate * 100
        self.daily_rate = _CappedFloatSlider(
            value=min(daily_rate, daily_max), min=0.0, max=daily_max, step=0.1, readout_format=".1f",
            description=f"Daily penalty, % of avg. daily turnover (max {daily_max:g}%)", style=style,
            layout=wide, on_clamp=self._clamped)
        susp_max = self.suspension_regime.max_duration_days or 120
        self.suspension_days = w.IntSlider(value=min(suspension_days, susp_max), min=0, max=susp_max, step=1,
                                           description="Suspension in the EU, days", style=style, layout=wide)
        self._caps = {"fine_rate": self.fine_regime, "daily_rate": self.penalty_regime}
        self.log_scale = w.Checkbox(value=False, description="Logarithmic scale (small and large amounts together)",
                                    style={"description_width": "initial"}, indent=False)

        self.figure = go.FigureWidget(data=self._traces(*self._inputs()), layout=self._layout())
        self.panel = w.HTML()
        controls = w.VBox([self.scenario, self.estimate, self.turnover, self.fine_rate, self.days, self.daily_rate,
                           self.suspension_days, self.log_scale])
        self.widget = w.VBox([controls, self.figure, self.panel])
        self.widget.add_class("aireg")

        self.scenario.observe(self._on_scenario, names="value")
        self.estimate.observe(self._on_scenario, names="value")
        self.log_scale.observe(self._on_scale, names="value")
        for box in (self.turnover, self.fine_rate, self.days, self.daily_rate, self.suspension_days):
            box.observe(self.update, names="value")
        self.update()

    def trace(self, key: str):
        """The figure trace for ``key`` (one of :data:`TRACES`), e.g. ``explorer.trace("exposure").y``."""
        return self.figure.data[TRACES.index(key)]

    # -- display -----------------------------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

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
                int(self.days.value), int(self.suspension_days.value))

    def update(self, change=None) -> None:
        """Recompute from the widgets' values and redraw the figure and the panel."""
        if change is not None and change.get("owner") in (self.fine_rate, self.daily_rate):
            owner = change["owner"]
            if change["new"] < owner.max:
                self._notices.pop(self._name(owner), None)
        turnover, fine_rate, daily_rate, days, susp = self._inputs()
        try:
            traces = self._traces(turnover, fine_rate, daily_rate, days, susp)
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
            self.figure.layout.xaxis.range = [0, max(days, susp, 1)]
        self.panel.value = self._panel_html(turnover, fine_rate, daily_rate, days, susp)

    # -- figure ------------------------------------------------------------------------------------------------

    def _title(self, days: int) -> str:
        return f"Exposure after {days} days: {self.scenarios[self.scenario.value].label}"

    def _on_scale(self, change=None) -> None:
        """Linear by default; a log axis shows the fine, the ceilings and the revenue side by side."""
        self.figure.layout.yaxis.type = "log" if self.log_scale.value else "linear"
        self.figure.layout.yaxis.rangemode = "normal" if self.log_scale.value else "tozero"

    def _layout(self) -> go.Layout:
        days = int(self.days.value)
        return go.Layout(
            title={"text": self._title(days)},
            xaxis={"title": {"text": "Days since the non-compliance decision"},
                   "range": [0, max(days, int(self.suspension_days.value), 1)]},
            yaxis={"title": {"text": "US dollars"}, "exponentformat": "B",
                   "rangemode": "tozero"},
            # The legend sits below the x-axis title; projector type needs more room for both.
            legend={"orientation": "h", "yanchor": "top", "y": -0.32 if projector() else -0.2},
            height=780 if projector() else 620,
            margin={"t": 110 if projector() else 70, "b": 40},
            hovermode="x unified",
        )

    def _traces(self, turnover: float, fine_rate: float, daily_rate: float, days: int, susp: int) -> list:
        if turnover < 0:
            raise ValueError("Turnover cannot be negative. Type an amount of zero or more, in billions of US "
                             "dollars (e.g. 2.7 for X's 2024 revenue estimate).")
        series = enf.exposure(turnover, fine_rate, daily_rate, days)
        end = max(days, susp, 1)
        flat = [0, end]
        fine_usd = self.fine_2025 * self.fx if self.fine_2025_currency == "EUR" else self.fine_2025
        cost = enf.suspension_cost(susp, self.eu_share * turnover_for_suspension(self, turnover), self.eu_users)
        fr, ir, pr, uk = self.fine_regime, self.info_regime, self.penalty_regime, self.uk_regime
        line = go.Scatter
        return [
            line(x=series["day"], y=series["total"], name="Exposure: fine + periodic penalties", mode="lines",
                 line={"color": OKABE_ITO["blue"], "width": 4}),
            line(x=flat, y=[enf.fine_cap(turnover)] * 2, name=f"{fr.article} ceiling: {fr.percent} of turnover",
                 mode="lines", line={"color": OKABE_ITO["vermillion"], "width": 2}),
            line(x=series["day"], y=series["max_total"], mode="lines",
                 name=f"Legal maximum: {fr.article} fine + {pr.article} penalties at {pr.percent}/day",
                 line={"color": OKABE_ITO["vermillion"], "width": 2, "dash": "dash"}),
            line(x=flat, y=[enf.information_fine_cap(turnover)] * 2, mode="lines",
                 name=f"{ir.article} ceiling: {ir.percent} (information failures)",
                 line={"color": OKABE_ITO["reddish_purple"], "width": 2, "dash": "dot"}),
            line(x=flat, y=[fine_usd] * 2, mode="lines",
                 name=f"Fine on X, 5 Dec 2025: {money(self.fine_2025, self.fine_2025_currency)}"
                      f" = {money(fine_usd)}", line={"color": OKABE_ITO["black"], "width": 2, "dash": "dashdot"}),
            line(x=flat, y=[turnover] * 2, mode="lines", name=f"Annual turnover used: {money(turnover)}",
                 line={"color": OKABE_ITO["grey"], "width": 2}),
            line(x=flat, y=[uk.rate * turnover] * 2, mode="lines",
                 name=f"UK {uk.article}: {uk.percent} of revenue (GBP floor aside)",
                 line={"color": OKABE_ITO["bluish_green"], "width": 2, "dash": "longdash"}),
            line(x=list(range(susp + 1)), y=[cost.revenue_per_day * d for d in range(susp + 1)], mode="lines",
                 name=f"Lost EU revenue during a {susp}-day suspension (Art. 51(3), estimate)",
                 line={"color": OKABE_ITO["orange"], "width": 3}),
        ]

    # -- panel -------------------------------------------------------------------------------------------------

    def _error_html(self, message: str) -> str:
        return (f"<div class='aireg-error' role='alert' style='border-left:6px solid {OKABE_ITO['vermillion']};"
                f"padding:0.4em 0.8em'><b>Check the input:</b> {html.escape(message)}"
                "<br>The chart still shows the last valid values.</div>")

    def _panel_html(self, turnover: float, fine_rate: float, daily_rate: float, days: int, susp: int) -> str:
        s = self.scenarios[self.scenario.value]
        fr, ir, pr, sr, uk = (self.fine_regime, self.info_regime, self.penalty_regime, self.suspension_regime,
                              self.uk_regime)
        amount = enf.fine(turnover, fine_rate)
        per_day = enf.periodic_penalty_per_day(turnover, daily_rate)
        periodic = enf.periodic_penalties(turnover, daily_rate, days)
        total = amount + periodic
        fine_usd = self.fine_2025 * self.fx
        eu_revenue = self.eu_share * turnover_for_suspension(self, turnover)
        cost = enf.suspension_cost(susp, eu_revenue, self.eu_users)
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
        items = [
            f"<b>Turnover used:</b> {money(turnover)}{typed}. Scenario <i>{html.escape(s.label)}</i>: sourced range "
            f"{money(s.low)} to {money(s.high)} ({s.year}; figures.csv <code>{', '.join(s.figure_ids)}</code>)."
            f"{contested}",
            f"<b>Fine ({fr.article}):</b> {fine_rate * 100:.1f}% x turnover = <b>{money(amount)}</b>. Ceiling: "
            f"{fr.percent} of worldwide annual turnover in the preceding financial year = {money(enf.fine_cap(turnover))}"
            f". For information failures {ir.article} allows up to {ir.percent} = "
            f"{money(enf.information_fine_cap(turnover))}.",
            f"<b>Periodic penalties ({pr.article}):</b> {daily_rate * 100:.1f}% of average daily turnover "
            f"(annual / {enf.DAYS_PER_YEAR} = {money(enf.average_daily_turnover(turnover))}) = {money(per_day)} per "
            f"day; over {days} days = <b>{money(periodic)}</b>. Ceiling: {pr.percent} per day = "
            f"{money(enf.periodic_penalty_cap_per_day(turnover))} per day.",
            f"<b>Total exposure after {days} days:</b> <b>{money(total)}</b>"
            + (f", {total / turnover:.0%} of one year's turnover" if turnover > 0 else "")
            + (f", {total / fine_usd:.1f} times the December 2025 fine" if fine_usd > 0 else "") + ".",
            f"<b>December 2025 fine on X (Arts. 73 and 74(1)):</b> {money(self.fine_2025, self.fine_2025_currency)}"
            f" = about {money(fine_usd)} at {self.fx:.4f} USD per EUR on 5 Dec 2025 "
            f"(figures.csv <code>x_dsa_fine_2025</code>, <code>eur_usd_rate_2025_12_05</code>).",
            f"<b>Suspension ({sr.article}):</b> a court-ordered, temporary, last-resort restriction of access. "
            f"{susp} days would cut off about {_people(cost.users_cut_off)} EU recipients (X's H2 2025 report) and "
            f"cost roughly {money(cost.revenue_lost)} of EU revenue ({money(cost.revenue_per_day)} per day), "
            f"assuming the EU share of X's own revenue equals its share of users ({self.eu_share:.0%}; an estimate). "
            + ("The maximum duration is not set in the data: the wording could not be checked."
               if sr.max_duration_days is None else f"The data caps one order at {sr.max_duration_days} days."),
            f"<b>UK alongside ({uk.article}, Ofcom):</b> the greater of {money(uk.fixed_amount, uk.currency)} and "
            f"{uk.percent} of qualifying worldwide revenue. The fixed floor only matters below "
            f"{money(floor, uk.currency)} of revenue; here {uk.percent} of the turnover used is "
            f"{money(uk.rate * turnover)}.",
        ]
        lis = "".join(f"<li>{t}</li>" for t in items)
        return (f"<div class='aireg-panel'>{notices}{at_cap_html}<ul>{lis}</ul>"
                "<p style='color:#555'>Amounts are in US dollars, the currency of the revenue sources; the DSA "
                "ceilings are percentages, so they apply in any currency. Only the EUR fine is converted.</p></div>")


def turnover_for_suspension(explorer: DSAExplorer, turnover: float) -> float:
    """Revenue exposed to an EU suspension: X's own revenue, not the group's (the restriction targets the service).

    For the 'X alone' scenario this is the turnover used; for the group scenarios it is X's own central estimate.
    """
    return turnover if explorer.scenario.value == "x_alone" else explorer.x_revenue


def dsa_explorer(**kwargs) -> DSAExplorer:
    """Build the 'What can Brussels do?' explorer; see :class:`DSAExplorer` for the options and attributes."""
    return DSAExplorer(**kwargs)
