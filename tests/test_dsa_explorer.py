"""The 'What can Brussels do?' explorer, driven from Python: sliders change the figure and the panel."""

from __future__ import annotations

import statistics
import time

import pytest

from aireg import enforcement as enf
from aireg.dsa_explorer import MAX_RESTRICTION_PERIODS, TRACES, dsa_explorer, procedure_html, restriction_html


@pytest.fixture(scope="module")
def ex():
    return dsa_explorer()


def _reset(ex):
    ex.scenario.value = "x_alone"
    ex.estimate.value = "central"
    ex.turnover.value = 2.7
    ex.fine_rate.value = 1.0
    ex.daily_rate.value = 1.0
    ex.days.value = 180
    ex.restriction_periods.value = 0


def test_widgets_are_exposed(ex):
    for name in ("turnover", "fine_rate", "days", "daily_rate", "restriction_periods", "scenario", "figure", "panel",
                 "widget"):
        assert getattr(ex, name) is not None
    assert "aireg" in ex.widget._dom_classes
    assert len(ex.figure.data) == len(TRACES)
    assert ex.figure.layout.title.text  # layout passed to the constructor (Voila keeps only constructor state)


def test_slider_maxima_are_the_legal_ceilings(ex):
    assert ex.fine_rate.max == pytest.approx(enf.regime("dsa_74_1").rate * 100)
    assert ex.daily_rate.max == pytest.approx(enf.regime("dsa_76").rate * 100)


def test_fine_slider_changes_figure_and_panel(ex):
    _reset(ex)
    before_y, before_panel = list(ex.trace("fine").y), ex.panel.value
    accrued = list(ex.trace("accrued").y)
    ex.fine_rate.value = 4.0
    assert ex.trace("fine").y[0] == pytest.approx(0.04 * 2.7e9)
    assert list(ex.trace("fine").y) != before_y
    assert list(ex.trace("accrued").y) == accrued, "the fine is never added to the periodic penalties"
    assert ex.panel.value != before_panel and "USD 108.0m" in ex.panel.value


def test_days_and_daily_rate_change_the_series(ex):
    _reset(ex)
    ex.days.value = 30
    ex.daily_rate.value = 5.0
    y = ex.trace("accrued").y
    assert len(y) == 31 and y[0] == 0
    assert y[-1] == pytest.approx(30 * 0.05 * 2.7e9 / 365), "penalties only: no fine in the accrual"
    assert "after 30 days" in ex.panel.value and "per day</b> until X complies" in ex.panel.value
    assert "Art. 76(2)" in ex.panel.value and "not a second fine" in ex.panel.value
    assert "Days of non-compliance" in ex.figure.layout.xaxis.title.text and ex.figure.layout.xaxis.range[1] == 30


def test_scenario_changes_turnover_and_ceiling(ex):
    _reset(ex)
    ex.scenario.value = "spacex_group"
    group = next(s for s in enf.turnover_scenarios() if s.key == "spacex_group")
    assert ex.turnover.value * 1e9 == pytest.approx(group.central)
    assert ex.trace("fine_cap").y[0] == pytest.approx(enf.fine_cap(group.central))
    assert "Contested" in ex.panel.value
    ex.estimate.value = "low"
    assert ex.turnover.value * 1e9 == pytest.approx(group.low)
    _reset(ex)


def test_fine_above_the_ceiling_is_clamped_with_the_article_named(ex):
    _reset(ex)
    ex.fine_rate.value = 9.0
    assert ex.fine_rate.value == pytest.approx(6.0)
    assert "Art. 74(1) caps fines at 6% of the provider&#x27;s worldwide annual turnover" in ex.panel.value
    ex.fine_rate.value = 12.0  # already at the cap: no value change, the notice must still appear
    assert "You asked for 12%" in ex.panel.value
    ex.fine_rate.value = 2.0
    assert "caps fines" not in ex.panel.value


def test_daily_penalty_above_the_ceiling_is_clamped(ex):
    _reset(ex)
    ex.daily_rate.value = 7.5
    assert ex.daily_rate.value == pytest.approx(5.0)
    assert "Art. 76(1) caps periodic penalties at 5%" in ex.panel.value
    assert max(ex.trace("accrued").y) <= max(ex.trace("max_accrued").y) * (1 + 1e-12)
    _reset(ex)


def test_negative_turnover_shows_a_message_not_a_traceback(ex):
    _reset(ex)
    y = list(ex.trace("accrued").y)
    ex.turnover.value = -3
    assert "Turnover cannot be negative" in ex.panel.value and "aireg-error" in ex.panel.value
    assert list(ex.trace("accrued").y) == y  # the last valid chart stays
    ex.turnover.value = 2.7
    assert "aireg-error" not in ex.panel.value


def test_reference_lines(ex):
    _reset(ex)
    eur, _ = enf.x_dsa_fine_2025()
    assert ex.trace("fine_2025").y[0] == pytest.approx(eur * enf.eur_usd_rate())
    assert ex.trace("turnover").y[0] == pytest.approx(2.7e9)
    assert "EUR 120.0m" in ex.trace("fine_2025").name
    assert "Art. 74(1)" in ex.trace("fine_cap").name


def test_restriction_control_is_in_four_week_periods_and_national(ex):
    _reset(ex)
    reg = enf.regime("dsa_51_3")
    assert reg.max_duration_days == 28, "DSA Art. 51(3): the restriction lasts four weeks"
    assert "Ireland" in ex.restriction_periods.description and "4-week" in ex.restriction_periods.description
    assert "No restriction order" in ex.panel.value
    ex.restriction_periods.value = 3
    assert "84 days" in ex.panel.value and "not across the EU" in ex.panel.value
    assert "2 further period(s) are extensions the court must have allowed" in ex.panel.value
    ex.restriction_periods.value = MAX_RESTRICTION_PERIODS + 5  # past the control: clamped, never an EU-wide switch-off
    assert ex.restriction_periods.value == MAX_RESTRICTION_PERIODS
    assert "not the number of extensions, which the court sets" in ex.panel.value
    assert "suspension in the eu" not in ex.panel.value.lower()
    _reset(ex)


def test_restriction_conditions_are_listed_in_order_with_the_discussion_question(ex):
    _reset(ex)
    page = restriction_html()
    conds = enf.restriction_conditions()
    import html as _html
    positions = [page.index(_html.escape(str(c))) for c in conds["condition"]]
    assert positions == sorted(positions)
    assert "criminal offence involving a threat to the life or safety of persons" in page
    assert "Discuss: Does Grok-generated" in page
    assert "management body" in page and "four weeks" in page
    assert "at least two weeks" not in page, "the Coordinator's own consultation does not apply on a Commission request"
    assert "at least two weeks" in restriction_html(on_commission_request=False)
    assert page in ex.panel.value


def test_panel_names_the_articles(ex):
    _reset(ex)
    for article in ("Art. 74(1)", "Art. 74(2)", "Art. 74(4)", "Art. 76(1)", "Art. 76(2)", "Art. 51(3)", "Art. 82(1)",
                    "OSA 2023 Sch. 13", "C-807/21"):
        assert article in ex.panel.value


def test_procedure_html_lists_every_step():
    page = procedure_html()
    for step in enf.dsa_procedure():
        assert step.article in page and step.title in page
    assert "not a ladder" in page


def test_median_callback_time_is_under_50_ms(ex, capsys):
    _reset(ex)
    times = []
    for i in range(40):
        start = time.perf_counter()
        ex.days.value = 100 + i
        times.append(time.perf_counter() - start)
    for i in range(20):
        start = time.perf_counter()
        ex.fine_rate.value = 0.1 * i
        times.append(time.perf_counter() - start)
    median = statistics.median(times)
    with capsys.disabled():
        print(f"\nmedian slider callback: {median * 1000:.1f} ms over {len(times)} changes")
    assert median < 0.05


def test_log_scale_toggle_switches_the_axis():
    from aireg.dsa_explorer import dsa_explorer

    ex = dsa_explorer()
    assert ex.figure.layout.yaxis.type in (None, "linear", "-")
    ex.log_scale.value = True
    assert ex.figure.layout.yaxis.type == "log"
    ex.log_scale.value = False
    assert ex.figure.layout.yaxis.type == "linear"


def test_default_chart_shows_every_amount_without_the_log_scale(ex):
    """Issue 15: by default the y-axis was scaled to the USD 2.7bn turnover line and the fine and penalties lay
    flat along the bottom. Now the turnover is in the legend only (click to show) and every amount shown is at
    least 4% of the axis; the log scale brings the turnover back."""
    _reset(ex)
    ex.log_scale.value = False
    shown = [t for t in ex.figure.data if t.visible in (None, True)]
    top = max(max(t.y) for t in shown)
    flat = [t.name for t in shown if max(t.y) < 0.04 * top]
    assert flat == [], f"lie flat on the default axis: {flat}"
    assert ex.trace("turnover").visible == "legendonly" and "click to show" in ex.trace("turnover").name
    ex.log_scale.value = True
    assert ex.trace("turnover").visible is True and ex.figure.layout.yaxis.type == "log"
    ex.log_scale.value = False
    assert ex.trace("turnover").visible == "legendonly"
