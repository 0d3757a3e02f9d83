"""The GDPR enforcement explorer: the pure model against the articles, and the widgets driven from Python."""

from __future__ import annotations

import html

import pytest

from aireg import enforcement as enf
from aireg.gdpr_explorer import TRACES, gdpr_explorer, tools_html

# -- the model against the articles (GDPR, Regulation (EU) 2016/679) --------------------------------------------------


@pytest.mark.parametrize("regime_id,fixed,rate", [("gdpr_83_4", 10_000_000, 0.02), ("gdpr_83_5", 20_000_000, 0.04),
                                                  ("gdpr_83_6", 20_000_000, 0.04)])
def test_rows_state_whichever_is_higher(regime_id, fixed, rate):
    reg = enf.regime(regime_id)
    assert (reg.fixed_amount, reg.rate, reg.currency, reg.combine) == (fixed, rate, "EUR", "greater_of")
    assert "whichever is higher" in reg.summary
    assert any("eur-lex.europa.eu/eli/reg/2016/679/oj" in s for s in reg.sources)


def test_crossover_is_eur_500m_for_both_tiers():
    assert enf.gdpr_crossover_turnover("gdpr_83_4") == pytest.approx(500e6)
    assert enf.gdpr_crossover_turnover("gdpr_83_5") == pytest.approx(500e6)


@pytest.mark.parametrize("turnover,cap4,cap5", [
    (0, 10e6, 20e6),            # no turnover: the fixed amounts
    (100e6, 10e6, 20e6),        # below the crossover: 2% = 2m < 10m; 4% = 4m < 20m
    (500e6, 10e6, 20e6),        # at the crossover both limbs are equal
    (2e9, 40e6, 80e6),          # above: the percentages are higher
    (100e9, 2e9, 4e9),
])
def test_83_4_and_83_5_below_and_above_the_crossover(turnover, cap4, cap5):
    assert enf.gdpr_fine_cap(turnover, "gdpr_83_4") == pytest.approx(cap4)
    assert enf.gdpr_fine_cap(turnover, "gdpr_83_5") == pytest.approx(cap5)
    assert enf.gdpr_fine_cap(turnover, "gdpr_83_6") == pytest.approx(cap5), "Art. 83(6): same ceiling as 83(5)"
    assert enf.gdpr_ceiling_part(turnover) == ("turnover" if turnover > 500e6 else "fixed")


def test_gdpr_cap_refuses_bad_input_and_non_gdpr_rows():
    with pytest.raises(ValueError, match="cannot be negative"):
        enf.gdpr_fine_cap(-1)
    with pytest.raises(ValueError, match="not a GDPR-style"):
        enf.gdpr_fine_cap(1e9, "dsa_74_1")


def test_group_turnover_moves_the_ceiling_not_the_subsidiary_own():
    c = enf.undertaking_ceiling(300e6, 4e9, "gdpr_83_5")
    assert c.entity_ceiling == pytest.approx(20e6), "subsidiary below the crossover: the fixed EUR 20m"
    assert c.group_ceiling == pytest.approx(160e6), "group: 4% of EUR 4bn"
    assert c.basis == "undertaking" and c.ceiling == c.group_ceiling, "the law: the undertaking's turnover"
    alone = enf.undertaking_ceiling(300e6, 4e9, "gdpr_83_5", basis="entity")
    assert alone.ceiling == pytest.approx(20e6)
    assert enf.undertaking_ceiling(2e9, 4e9, "gdpr_83_4").ceiling == pytest.approx(80e6)
    with pytest.raises(ValueError, match="cannot be lower"):
        enf.undertaking_ceiling(4e9, 1e9)
    with pytest.raises(ValueError, match="basis must be"):
        enf.undertaking_ceiling(1e9, 2e9, basis="parent")


@pytest.mark.parametrize("turnover", [0, 1e6, 100e6, 499e6, 500e6, 1e9, 3.7e9, 50e9, 1e12])
def test_the_italian_fine_is_below_its_83_5_ceiling_for_any_turnover(turnover):
    amount, currency = enf.garante_openai_fine_2024()
    assert (amount, currency) == (15_000_000, "EUR")
    g = enf.fine_against_ceiling(amount, turnover, "gdpr_83_5")
    assert g.within and g.share <= 0.75 + 1e-12, "never above 15m / 20m of the fixed floor"
    assert g.ceiling >= enf.regime("gdpr_83_5").fixed_amount


def test_limitation_and_urgency_are_tools_read_from_the_data():
    tools = {t.regime_id: t for t in enf.gdpr_processing_tools()}
    lim, urg = tools["gdpr_58_2_f"], tools["gdpr_66_1"]
    assert lim.article == "GDPR Art. 58(2)(f)" and lim.tool == "processing_limitation"
    assert lim.max_duration_months is None, "Art. 58(2)(f): temporary or definitive, no maximum"
    assert "ban" in lim.summary and "temporary or definitive" in lim.summary
    assert "Art. 83(5)(e)" in lim.requires, "breaching a limitation is fined in the upper tier"
    assert "people in Italy" in lim.scope
    assert urg.article == "GDPR Art. 66(1)" and urg.tool == "interim_measures"
    assert urg.max_duration_months == 3 and enf.regime("gdpr_66_1").max_duration_days is None, "months, not days"
    assert "own territory" in urg.scope and "need not be the lead authority" in urg.decided_by
    assert "urgent need to act" in urg.requires and "Art. 60" in urg.requires
    for rid in ("gdpr_58_2_f", "gdpr_66_1"):
        reg = enf.regime(rid)
        assert reg.basis == "none" and reg.combine == "none" and reg.rate is None, "a tool, not an amount"
        assert "https://eur-lex.europa.eu/eli/reg/2016/679/oj" in reg.sources
    with pytest.raises(ValueError):
        enf.ceiling(1e9, "gdpr_66_1")


def test_provisional_measure_cannot_exceed_three_months():
    assert enf.provisional_measure_months(3) == 3
    with pytest.raises(ValueError, match="not exceeding 3 months"):
        enf.provisional_measure_months(4)
    with pytest.raises(ValueError, match="whole number"):
        enf.provisional_measure_months(1.5)


def test_sources_cover_every_row_used():
    src = enf.gdpr_sources()
    assert set(enf.GDPR_REGIMES_USED) <= set(src["row"]) and "openai_garante_fine_2024" in set(src["row"])


def test_existing_dsa_signatures_are_untouched():
    assert enf.fine_cap(1e9) == pytest.approx(60e6)
    assert enf.regime("dsa_51_3").max_duration_days == 28 and enf.regime("dsa_51_3").max_duration_months is None


# -- the widgets ------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ex():
    return gdpr_explorer()


def _reset(ex):
    ex.tier.value = "gdpr_83_5"
    ex.basis.value = "undertaking"
    ex.entity_turnover.value = 0.3
    ex.group_turnover.value = 4.0
    ex.fine.value = 15.0
    ex.route.value = "gdpr_58_2_f"
    ex.months.value = 3


def test_widgets_are_exposed_and_first_render_is_correct():
    fresh = gdpr_explorer()
    for name in ("tier", "entity_turnover", "group_turnover", "basis", "fine", "route", "months", "figure", "panel",
                 "widget"):
        assert getattr(fresh, name) is not None
    assert "aireg" in fresh.widget._dom_classes
    assert len(fresh.figure.data) == len(TRACES)
    assert fresh.figure.layout.title.text and "Art. 83(5)" in fresh.figure.layout.title.text
    assert fresh.trace("group_ceiling").y[0] == pytest.approx(160e6)
    assert fresh.trace("entity_ceiling").y[0] == pytest.approx(20e6)
    assert fresh.trace("garante_fine").y[0] == pytest.approx(15e6)
    assert fresh.fine.max == pytest.approx(160.0)


def test_switching_to_the_subsidiary_turnover_moves_the_ceiling(ex):
    _reset(ex)
    assert "EUR 160.0m" in ex.panel.value and "C-383/23" in ex.panel.value and "Recital 150" in ex.panel.value
    ex.basis.value = "entity"
    assert ex.fine.max == pytest.approx(20.0)
    assert "not the test the Court of Justice applies" in ex.panel.value
    assert ex.trace("your_fine").x[0] == pytest.approx(0.3e9)
    ex.basis.value = "undertaking"
    assert ex.fine.max == pytest.approx(160.0)
    assert ex.trace("your_fine").x[0] == pytest.approx(4e9)
    assert "not the test" not in ex.panel.value


def test_group_turnover_slider_changes_figure_and_text(ex):
    _reset(ex)
    ex.group_turnover.value = 10.0
    assert ex.trace("group_ceiling").y[0] == pytest.approx(400e6)
    assert "EUR 400.0m" in ex.panel.value
    ex.group_turnover.value = 0.4  # below the crossover: the fixed amount
    assert ex.trace("group_ceiling").y[0] == pytest.approx(20e6)
    assert "the fixed amount applies" in ex.panel.value
    _reset(ex)


def test_tier_changes_highlight_and_ceiling(ex):
    _reset(ex)
    ex.tier.value = "gdpr_83_4"
    assert ex.trace("group_ceiling").y[0] == pytest.approx(80e6)
    assert ex.trace("cap_gdpr_83_4").line.width > ex.trace("cap_gdpr_83_5").line.width
    assert "Art. 83(4)" in ex.figure.layout.title.text
    _reset(ex)


def test_fine_slider_refuses_to_pass_the_cap(ex):
    _reset(ex)
    ex.fine.value = 500.0
    assert ex.fine.value == pytest.approx(160.0)
    assert "GDPR Art. 83(5) caps the fine at EUR 160.0m" in html.unescape(ex.panel.value)
    assert "whichever is higher" in ex.panel.value
    ex.fine.value = 10.0
    assert "caps the fine" not in ex.panel.value


def test_garante_fine_is_placed_against_the_83_5_ceiling(ex):
    _reset(ex)
    ex.entity_turnover.value = 0.01  # the group's turnover includes the company's
    for group in (0.02, 0.5, 3.7, 50.0):
        ex.group_turnover.value = group
        assert ex.trace("garante_fine").y[0] == pytest.approx(15e6)
        assert ex.trace("garante_fine").x[0] == pytest.approx(group * 1e9)
        assert ex.trace("garante_fine").y[0] < enf.gdpr_fine_cap(group * 1e9, "gdpr_83_5")
    text = ex.panel.value
    assert "2 Nov 2024" in text and "20 Dec 2024" in text and "18 Mar 2026" in text
    assert "not an official figure" in text and "annulled" in text
    _reset(ex)


def test_inconsistent_turnovers_give_a_message_not_a_traceback(ex):
    _reset(ex)
    y = list(ex.trace("group_ceiling").y)
    ex.group_turnover.value = 0.1
    assert "aireg-error" in ex.panel.value and "cannot be lower" in ex.panel.value
    assert list(ex.trace("group_ceiling").y) == y
    ex.group_turnover.value = 4.0
    assert "aireg-error" not in ex.panel.value


def test_urgency_months_slider_is_capped_by_article_66(ex):
    _reset(ex)
    assert ex.months.disabled, "only the urgency procedure has a maximum period"
    ex.route.value = "gdpr_66_1"
    assert not ex.months.disabled and ex.months.max == 3
    ex.months.value = 6
    assert ex.months.value == 3
    assert "not exceeding 3 months" in ex.panel.value and "You asked for 6" in ex.panel.value
    assert "own territory" in ex.panel.value
    ex.months.value = 2
    assert "You asked for 6" not in ex.panel.value and "2 months, within the maximum of 3 months" in ex.panel.value
    _reset(ex)


def test_limitation_route_states_the_tool_and_the_italian_order(ex):
    _reset(ex)
    text = html.unescape(ex.panel.value)
    assert "a tool, not an amount" in text and "the GDPR sets no maximum" in text
    assert "30 Mar 2023" in text and "28 Apr 2023" in text and "29 days later" in text
    assert tools_html() in ex.panel.value


def test_chart_has_a_caption_and_named_controls(ex):
    from aireg.a11y import ControlNames

    assert any(isinstance(c, ControlNames) for c in ex.widget.children)
    captions = [c for c in ex.widget.children if "aireg-caption" in getattr(c, "_dom_classes", ())]
    assert len(captions) == 1 and captions[0].value.count("Chart:") == 1
