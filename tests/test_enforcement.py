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


def test_exposure_series():
    frame = enf.exposure(1e9, 0.06, 0.05, 10)
    assert list(frame["day"]) == list(range(11))
    assert frame["total"].iloc[0] == pytest.approx(60_000_000)
    assert frame["total"].iloc[-1] == pytest.approx(60_000_000 + 10 * 0.05 * 1e9 / 365)
    assert (frame["total"] <= frame["max_total"] * (1 + 1e-12)).all()


# -- bad values ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("call, match", [
    (lambda: enf.fine_cap(-1), "cannot be negative"),
    (lambda: enf.fine(1e9, 0.07), r"Art\. 74\(1\) caps this at 6%"),
    (lambda: enf.fine(1e9, -0.01), "cannot be negative"),
    (lambda: enf.periodic_penalties(1e9, 0.06, 3), r"Art\. 76\(1\) caps this at 5%"),
    (lambda: enf.periodic_penalties(1e9, 0.01, -3), "Days of non-compliance cannot be negative"),
    (lambda: enf.exposure(1e9, 0.01, 0.01, 2.5), "whole number"),
    (lambda: enf.suspension_cost(-1, 1e9, 1e6), "cannot be negative"),
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
@given(turnover=TURNOVER, rate=FINE_RATE, daily=DAILY_RATE, days=st.integers(0, 800), extra=st.integers(0, 400))
def test_exposure_grows_monotonically_with_days(turnover, rate, daily, days, extra):
    frame = enf.exposure(turnover, rate, daily, days + extra)
    assert frame["total"].is_monotonic_increasing
    shorter = enf.exposure(turnover, rate, daily, days)
    assert shorter["total"].iloc[-1] <= frame["total"].iloc[-1]
    assert (frame["total"] <= frame["max_total"] * (1 + 1e-12) + 1e-6).all()


@settings(max_examples=200, deadline=None)
@given(turnover=st.floats(1, 1e12), k=st.floats(0, 1000))
def test_caps_scale_linearly_with_turnover(turnover, k):
    for cap in (enf.fine_cap, enf.information_fine_cap, enf.periodic_penalty_cap_per_day):
        assert cap(k * turnover) == pytest.approx(k * cap(turnover), rel=1e-9, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(days=st.floats(0, 1000), revenue=st.floats(0, 1e11), users=st.floats(0, 1e9))
def test_suspension_cost_is_linear_in_days(days, revenue, users):
    cost = enf.suspension_cost(days, revenue, users)
    assert cost.revenue_lost == pytest.approx(revenue / 365 * days)
    assert cost.user_days_lost == pytest.approx(users * days)


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
    assert 0 < enf.eu_revenue_share() < 1


def test_escalation_path_in_order_with_articles():
    steps = enf.escalation_path()
    arts = [s.article for s in steps]
    assert arts == ["DSA Art. 67", "DSA Art. 66", "DSA Art. 70", "DSA Arts. 73 and 74(1)", "DSA Art. 75",
                    "DSA Art. 76", "DSA Art. 51(3) with Art. 82(1)"]
    by_article = {s.article: s for s in steps}
    assert by_article["DSA Art. 70"].requires == _row("dsa_70")["requires"]
    assert by_article["DSA Art. 51(3) with Art. 82(1)"].summary == _row("dsa_51_3")["summary"]
    assert all(s.requires and s.summary and s.decided_by for s in steps)
    assert len(enf.escalation_table()) == len(steps)
