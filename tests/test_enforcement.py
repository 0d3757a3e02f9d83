"""The DSA enforcement model: ceilings from data, worked examples, and properties that must hold for any input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aireg import enforcement as enf
from aireg.data import load_company_figures, load_penalty_regimes

TURNOVER = st.floats(min_value=0, max_value=1e13, allow_nan=False, allow_infinity=False)
DAYS = st.integers(min_value=0, max_value=2000)


def _row(regime_id: str):
    frame = load_penalty_regimes()
    return frame[frame["regime_id"] == regime_id].iloc[0]


def _rate(regime_id: str) -> float:
    return float(_row(regime_id)["rate"])


FINE_RATE = st.floats(min_value=0, max_value=1, allow_nan=False).map(lambda u: u * _rate("dsa_74_1"))
DAILY_RATE = st.floats(min_value=0, max_value=1, allow_nan=False).map(lambda u: u * _rate("dsa_76"))


# -- ceilings come from penalty_regimes.csv ------------------------------------------------------------------------


@pytest.mark.parametrize("regime_id", ["dsa_74_1", "dsa_74_2", "dsa_76", "uk_osa_fine"])
def test_regime_matches_the_csv(regime_id):
    row, reg = _row(regime_id), enf.regime(regime_id)
    assert reg.rate == float(row["rate"])
    assert reg.article == row["article"]
    assert reg.combine == row["combine"]
    assert reg.requires == row["requires"] and reg.summary == row["summary"]


def test_ceilings_match_the_csv():
    t = 5e9
    assert enf.fine_cap(t) == pytest.approx(_rate("dsa_74_1") * t)
    assert enf.information_fine_cap(t) == pytest.approx(_rate("dsa_74_2") * t)
    assert enf.periodic_penalty_cap_per_day(t) == pytest.approx(_rate("dsa_76") * t / 365)
    row = _row("uk_osa_fine")
    assert enf.uk_osa_fine(t) == pytest.approx(max(float(row["fixed_amount"]), float(row["rate"]) * t))


def test_ceilings_follow_the_data_not_the_code(data_copy):
    """Editing the CSV changes the model: no rate is written into the code."""
    path = data_copy / "legal" / "penalty_regimes.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("dsa_74_1,EU,Digital Services Act (Regulation (EU) 2022/2065),DSA Art. 74(1),fine,"
                                 "very large online platforms and search engines (VLOPs/VLOSEs),"
                                 "worldwide_annual_turnover,0.06,",
                                 "dsa_74_1,EU,Digital Services Act (Regulation (EU) 2022/2065),DSA Art. 74(1),fine,"
                                 "very large online platforms and search engines (VLOPs/VLOSEs),"
                                 "worldwide_annual_turnover,0.07,"), encoding="utf-8")
    assert enf.fine_cap(1e9) == pytest.approx(70_000_000)


# -- worked examples -------------------------------------------------------------------------------------------------


def test_worked_examples():
    assert enf.fine_cap(1_000_000_000) == pytest.approx(60_000_000)
    assert enf.information_fine_cap(1_000_000_000) == pytest.approx(10_000_000)
    assert enf.average_daily_turnover(1_000_000_000) == pytest.approx(1e9 / 365)
    assert enf.periodic_penalty_cap_per_day(1_000_000_000) == pytest.approx(0.05 * 1e9 / 365)
    assert enf.periodic_penalties(1e9, 0.05, 10) == pytest.approx(10 * 0.05 * 1e9 / 365)
    assert enf.fine(1e9, 0.03) == pytest.approx(30_000_000)


def test_uk_online_safety_act_greater_of():
    assert enf.uk_osa_fine(100_000_000) == pytest.approx(18_000_000)
    assert enf.uk_osa_fine(1_000_000_000) == pytest.approx(100_000_000)
    assert enf.uk_osa_fine(180_000_000) == pytest.approx(18_000_000)


def test_fixed_amount_refuses_another_currency():
    with pytest.raises(ValueError, match="GBP"):
        enf.ceiling(1e9, "uk_osa_fine", currency="USD")


def test_penalty_accrual_is_penalties_only_and_coercive():
    """Periodic penalties accrue per day of non-compliance; a fine is never part of the series (Art. 76)."""
    frame = enf.penalty_accrual(1e9, 0.05, 10)
    assert list(frame.columns) == ["day", "accrued", "max_accrued"]
    assert list(frame["day"]) == list(range(11))
    assert frame["accrued"].iloc[0] == 0
    assert frame["accrued"].iloc[-1] == pytest.approx(10 * 0.05 * 1e9 / 365)
    assert (frame["accrued"] <= frame["max_accrued"] * (1 + 1e-12)).all()
    assert "compel" in enf.regime("dsa_76").summary and "Art. 76(2)" in enf.regime("dsa_76").summary


def test_restriction_order_in_four_week_periods():
    """DSA Art. 51(3): four weeks, extendable in periods of the same length; national scope; never partial periods."""
    assert enf.restriction_order(0).days == 0
    one, three = enf.restriction_order(1), enf.restriction_order(3)
    assert (one.days, one.extensions) == (28, 0) and (three.days, three.extensions) == (84, 2)
    assert "Ireland" in one.scope and "court" in one.decided_by
    for bad in (1.5, -1, "two", True):
        with pytest.raises(ValueError, match=r"Art\. 51\(3\).*whole"):
            enf.restriction_order(bad)


def test_restriction_conditions_in_order_with_the_decisive_one():
    all_steps = enf.restriction_conditions(on_commission_request=False)
    assert list(all_steps["order"]) == sorted(all_steps["order"])
    route = enf.restriction_conditions()
    assert len(route) == len(all_steps) - 1, "on a Commission request the Coordinator holds no consultation of its own"
    decisive = route[route["condition"].str.contains("threat to the life or safety of persons")]
    assert list(decisive["article"]) == ["DSA Art. 51(3)(b)"] and decisive["discussion_question"].notna().all()
    assert route.iloc[0]["article"] == "DSA Art. 82(1)" and route["stage"].iloc[-1] in {"court", "coordinator"}


# -- bad values ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call, match", [
    (lambda: enf.fine_cap(-1), "cannot be negative"),
    (lambda: enf.fine(1e9, 0.07), r"Art\. 74\(1\) caps this at 6%"),
    (lambda: enf.fine(1e9, -0.01), "cannot be negative"),
    (lambda: enf.periodic_penalties(1e9, 0.06, 3), r"Art\. 76\(1\) caps this at 5%"),
    (lambda: enf.periodic_penalties(1e9, 0.01, -3), "Days of non-compliance cannot be negative"),
    (lambda: enf.penalty_accrual(1e9, 0.01, 2.5), "whole number"),
    (lambda: enf.penalty_accrual(1e9, 0.01, -1), "cannot be negative"),
    (lambda: enf.fine_cap(float("nan")), "finite"),
    (lambda: enf.fine_cap("lots"), "must be a number"),
    (lambda: enf.regime("nope"), "No penalty regime"),
])
def test_bad_values_raise_plain_value_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# -- properties ------------------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(turnover=TURNOVER, rate=FINE_RATE, daily=DAILY_RATE, days=DAYS)
def test_no_penalty_exceeds_its_ceiling(turnover, rate, daily, days):
    assert enf.fine(turnover, rate) <= enf.fine_cap(turnover)
    assert enf.periodic_penalty_per_day(turnover, daily) <= enf.periodic_penalty_cap_per_day(turnover)
    assert enf.periodic_penalties(turnover, daily, days) <= enf.periodic_penalty_cap_per_day(turnover) * days
    assert enf.fine(turnover, min(rate, _rate("dsa_74_2")), "dsa_74_2") <= enf.information_fine_cap(turnover)


@settings(max_examples=100, deadline=None)
@given(turnover=TURNOVER, daily=DAILY_RATE, days=st.integers(0, 800), extra=st.integers(0, 400))
def test_accrual_grows_monotonically_with_days(turnover, daily, days, extra):
    frame = enf.penalty_accrual(turnover, daily, days + extra)
    assert frame["accrued"].is_monotonic_increasing
    shorter = enf.penalty_accrual(turnover, daily, days)
    assert shorter["accrued"].iloc[-1] <= frame["accrued"].iloc[-1]
    assert (frame["accrued"] <= frame["max_accrued"] * (1 + 1e-12) + 1e-6).all()


@settings(max_examples=200, deadline=None)
@given(turnover=st.floats(1, 1e12), k=st.floats(0, 1000))
def test_caps_scale_linearly_with_turnover(turnover, k):
    for cap in (enf.fine_cap, enf.information_fine_cap, enf.periodic_penalty_cap_per_day):
        assert cap(k * turnover) == pytest.approx(k * cap(turnover), rel=1e-9, abs=1e-6)


@settings(max_examples=50, deadline=None)
@given(periods=st.integers(0, 50))
def test_restriction_days_are_whole_four_week_periods(periods):
    order = enf.restriction_order(periods)
    assert order.days == 28 * periods and order.days % 7 == 0


# -- scenarios, company figures and the escalation path -------------------------------------------------------------


def test_turnover_scenarios_come_from_figures_csv():
    figures = load_company_figures().set_index("figure_id")
    scenarios = enf.turnover_scenarios()
    assert [s.key for s in scenarios] == ["x_alone", "spacex_group"]
    for s in scenarios:
        (fid,) = s.figure_ids
        assert s.central == figures.loc[fid, "value_central"]
        assert s.low <= s.central <= s.high
        assert s.contested == bool(figures.loc[fid, "contested"])
        assert s.sources and all(u.startswith("http") for u in s.sources)
    assert scenarios[0].central < scenarios[1].central


def test_company_figures_used_by_the_model():
    amount, currency = enf.x_dsa_fine_2025()
    assert (amount, currency) == (120_000_000, "EUR")
    # the rate implied by the conversion reported on the day (EUR 120m = about USD 140m)
    assert enf.eur_usd_rate() == pytest.approx(140 / 120, abs=1e-4)


def test_procedure_is_not_a_ladder_and_names_its_articles():
    steps = enf.dsa_procedure()
    arts = [s.article for s in steps]
    for needed in ("DSA Art. 67", "DSA Art. 69", "DSA Art. 66", "DSA Art. 70", "DSA Art. 71", "DSA Arts. 73(2) and 79",
                   "DSA Arts. 73 and 74(1)", "DSA Art. 75", "DSA Art. 76", "DSA Art. 51(3) with Art. 82"):
        assert needed in arts, needed
    by_article = {s.article: s for s in steps}
    assert "Section 5" in by_article["DSA Art. 75"].requires
    assert "without a finding of infringement" in by_article["DSA Art. 71"].summary
    assert by_article["DSA Art. 76"].stage == "to_compel" and "not a second fine" in by_article["DSA Art. 76"].summary
    assert by_article["DSA Arts. 73(2) and 79"].order < by_article["DSA Arts. 73 and 74(1)"].order
    assert all(s.requires and s.summary and s.decided_by for s in steps)
    assert len(enf.procedure_table()) == len(steps)
