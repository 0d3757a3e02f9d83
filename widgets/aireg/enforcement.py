"""What can Brussels do? A pure model of DSA enforcement: fines, periodic penalties, suspension, and the UK's OSA.

Every ceiling is read from ``datasets/legal/penalty_regimes.csv`` (never written into this code); every company
figure (turnover scenarios, EU users, the December 2025 fine on X, the exchange rate) from
``datasets/companies/figures.csv``. The functions are pure: same inputs, same outputs, no widgets.

Legal basis (Regulation (EU) 2022/2065, the Digital Services Act, "DSA"):

- Art. 74(1): fines up to a share (row ``dsa_74_1``) of the provider's total worldwide annual turnover in the
  preceding financial year, in a non-compliance decision under Art. 73;
- Art. 74(2): fines up to a smaller share (row ``dsa_74_2``) for information and inspection failures;
- Art. 76(1): periodic penalty payments up to a share (row ``dsa_76``) of the *average daily* worldwide turnover of
  the preceding financial year, per day, counted from a date set in the decision;
- Art. 51(3) with Art. 82(1): as a last resort, a national judicial authority may order a temporary restriction of
  access to the service (row ``dsa_51_3``).

UK Online Safety Act 2023, Sch. 13 para. 4(1): the greater of a fixed amount and a share of qualifying worldwide
revenue (row ``uk_osa_fine``).

Conventions (documented computations, not law):

- **Average daily turnover** = annual turnover / :data:`DAYS_PER_YEAR` (365). The DSA does not define the divisor;
  365 is the plain reading of "average daily" for a financial year (a leap year would give a 0.3% smaller figure).
- **Currency.** Rates apply to turnover in whatever currency it is stated; the kit's turnover figures are in USD, so
  computed ceilings are in USD. Only fixed amounts (the UK's GBP floor) are tied to a currency, and
  :func:`ceiling` refuses to mix them with turnover in another currency.
- **Exposure over time.** The fine is counted on day 0 (the decision); periodic penalties accrue from day 1 for each
  further day of non-compliance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .data import data_dir, load_company_figures, load_penalty_regimes, split_sources

__all__ = [
    "BASIS_WORDS",
    "DAYS_PER_YEAR",
    "Regime",
    "Scenario",
    "Step",
    "SuspensionCost",
    "average_daily_turnover",
    "ceiling",
    "escalation_path",
    "escalation_table",
    "eu_revenue_share",
    "eur_usd_rate",
    "exposure",
    "figure",
    "fine",
    "fine_cap",
    "information_fine_cap",
    "periodic_penalties",
    "periodic_penalty_cap_per_day",
    "periodic_penalty_per_day",
    "regime",
    "sources",
    "suspension_cost",
    "turnover_scenarios",
    "uk_osa_fine",
    "x_dsa_fine_2025",
]

DAYS_PER_YEAR = 365
"""Divisor for "average daily worldwide turnover" (DSA Art. 76(1), Art. 52(4)): annual turnover / 365."""

_TOL = 1e-9  # relative tolerance when comparing a rate with its ceiling (slider percentages are floats)


# --------------------------------------------------------------------------------------------------------------------
# Regimes (penalty_regimes.csv)
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Regime:
    """One row of ``penalty_regimes.csv``: a ceiling or an enforcement tool and the article behind it."""

    regime_id: str
    article: str
    instrument: str
    tool: str
    basis: str
    rate: float | None
    fixed_amount: float | None
    currency: str | None
    combine: str
    per: str
    max_duration_days: int | None
    decided_by: str
    requires: str
    summary: str
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def percent(self) -> str:
        """The rate as a percentage string, e.g. ``'6%'`` (empty if the row has no rate)."""
        return "" if self.rate is None else f"{self.rate * 100:g}%"


def _opt(value):
    return None if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else value


def _stamp(package: str, name: str) -> tuple[str, float]:
    path = data_dir() / package / name
    return str(path), path.stat().st_mtime if path.exists() else 0.0


def regime(regime_id: str) -> Regime:
    """The row ``regime_id`` of ``datasets/legal/penalty_regimes.csv`` as a :class:`Regime`."""
    return _regime(regime_id, _stamp("legal", "penalty_regimes.csv"))


@lru_cache(maxsize=64)
def _regime(regime_id: str, stamp: tuple[str, float]) -> Regime:
    frame = load_penalty_regimes()
    rows = frame[frame["regime_id"] == regime_id]
    if rows.empty:
        raise ValueError(f"No penalty regime '{regime_id}' in datasets/legal/penalty_regimes.csv.")
    r = rows.iloc[0]
    rate, fixed, days = _opt(r["rate"]), _opt(r["fixed_amount"]), _opt(r["max_duration_days"])
    return Regime(
        regime_id=regime_id,
        article=str(r["article"]),
        instrument=str(r["instrument"]),
        tool=str(r["tool"]),
        basis=str(r["basis"]),
        rate=None if rate is None else float(rate),
        fixed_amount=None if fixed is None else float(fixed),
        currency=_opt(r["currency"]),
        combine=str(r["combine"]),
        per=str(r["per"]),
        max_duration_days=None if days is None else int(days),
        decided_by=str(r["decided_by"]),
        requires=str(_opt(r["requires"]) or ""),
        summary=str(_opt(r["summary"]) or ""),
        sources=tuple(split_sources(r["source_url"])),
    )


def _amount(name: str, value: float) -> float:
    """A finite, non-negative number, or a ValueError in plain words."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}.") from None
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be a finite number.")
    if value < 0:
        raise ValueError(f"{name} cannot be negative (got {value:,.0f}).")
    return value


def _rate(value: float, reg: Regime) -> float:
    """A rate between 0 and the regime's ceiling rate, or a ValueError naming the article."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"The rate must be a number, not {value!r}.") from None
    if math.isnan(value):
        raise ValueError("The rate must be a number.")
    if value < 0:
        raise ValueError("The rate cannot be negative.")
    if reg.rate is None:
        raise ValueError(f"{reg.article} sets no rate.")
    if value > reg.rate * (1 + _TOL):
        raise ValueError(f"{reg.article} caps this at {reg.percent} of {_basis_words(reg)}; "
                         f"a rate of {value * 100:g}% is above the ceiling.")
    return min(value, reg.rate)


BASIS_WORDS = {
    "worldwide_annual_turnover": "worldwide annual turnover",
    "average_daily_worldwide_turnover": "average daily worldwide turnover",
    "qualifying_worldwide_revenue": "qualifying worldwide revenue",
}


def _basis_words(reg: Regime) -> str:
    return BASIS_WORDS.get(reg.basis, reg.basis) + (", per day" if reg.per == "day" else "")


def ceiling(turnover: float, regime_id: str, currency: str | None = None) -> float:
    """The maximum amount a regime allows for a given annual turnover, as the data row defines it.

    ``combine`` in the row decides: ``rate_only`` -> rate x basis; ``greater_of``/``lower_of`` -> the greater/lower
    of the fixed amount and rate x basis; ``fixed_only`` -> the fixed amount. For the basis
    ``average_daily_worldwide_turnover`` (DSA Art. 76(1)) the basis is ``turnover / DAYS_PER_YEAR``.

    ``turnover`` is annual and in the regime's currency when the row has a fixed amount; pass ``currency`` to have
    a mismatch refused (a GBP floor cannot be compared with a USD turnover without an exchange rate).
    """
    turnover = _amount("Turnover", turnover)
    reg = regime(regime_id)
    basis = turnover / DAYS_PER_YEAR if reg.basis == "average_daily_worldwide_turnover" else turnover
    if reg.combine in {"greater_of", "lower_of", "fixed_only"}:
        if reg.fixed_amount is None:
            raise ValueError(f"{reg.article}: the data row has no fixed amount for '{reg.combine}'.")
        if currency is not None and reg.currency and currency != reg.currency:
            raise ValueError(f"{reg.article} has a fixed amount in {reg.currency}; turnover in {currency} "
                             "would need an exchange rate first.")
    if reg.combine == "fixed_only":
        return reg.fixed_amount
    if reg.rate is None:
        raise ValueError(f"{reg.article} sets no rate-based ceiling.")
    variable = reg.rate * basis
    if reg.combine == "greater_of":
        return max(reg.fixed_amount, variable)
    if reg.combine == "lower_of":
        return min(reg.fixed_amount, variable)
    if reg.combine == "rate_only":
        return variable
    raise ValueError(f"{reg.article}: no monetary ceiling (combine = '{reg.combine}').")


# --------------------------------------------------------------------------------------------------------------------
# DSA fines and periodic penalties
# --------------------------------------------------------------------------------------------------------------------


def fine_cap(turnover: float, regime_id: str = "dsa_74_1") -> float:
    """DSA Art. 74(1): the maximum fine, a share of total worldwide annual turnover in the preceding financial year.

    The share is the ``rate`` of row ``regime_id`` (``dsa_74_1``: 6%). Example: turnover 1,000,000,000 -> 60,000,000.
    """
    return ceiling(turnover, regime_id)


def information_fine_cap(turnover: float) -> float:
    """DSA Art. 74(2): the maximum fine for incorrect, incomplete or misleading information, failure to reply or
    rectify, or refusing an inspection (row ``dsa_74_2``: 1% of annual income or worldwide turnover)."""
    return ceiling(turnover, "dsa_74_2")


def fine(turnover: float, rate: float, regime_id: str = "dsa_74_1") -> float:
    """A fine of ``rate`` x turnover (DSA Art. 74(1) by default); a rate above the article's ceiling is refused."""
    turnover = _amount("Turnover", turnover)
    return _rate(rate, regime(regime_id)) * turnover


def average_daily_turnover(turnover: float) -> float:
    """Average daily worldwide turnover for DSA Art. 76(1): annual turnover / :data:`DAYS_PER_YEAR` (365)."""
    return _amount("Turnover", turnover) / DAYS_PER_YEAR


def periodic_penalty_cap_per_day(turnover: float, regime_id: str = "dsa_76") -> float:
    """DSA Art. 76(1): the maximum periodic penalty per day, a share (row ``dsa_76``: 5%) of the average daily
    worldwide turnover of the preceding financial year (annual / 365). Example: 1e9 -> 0.05 x 1e9 / 365 per day."""
    return ceiling(turnover, regime_id)


def periodic_penalty_per_day(turnover: float, rate: float, regime_id: str = "dsa_76") -> float:
    """The daily penalty at ``rate`` of average daily turnover (DSA Art. 76(1)), never above the per-day cap."""
    reg = regime(regime_id)
    daily = _rate(rate, reg) * average_daily_turnover(turnover)
    return min(daily, periodic_penalty_cap_per_day(turnover, regime_id))


def periodic_penalties(turnover: float, rate: float, days: float, regime_id: str = "dsa_76") -> float:
    """Periodic penalty payments accumulated over ``days`` of non-compliance (DSA Art. 76(1)), clamped to the cap.

    The Commission may later fix a lower definitive amount once the obligation is met (Art. 76(2)); this is the
    maximum the decision's daily rate would add up to.
    """
    days = _amount("Days of non-compliance", days)
    return periodic_penalty_per_day(turnover, rate, regime_id) * days


def exposure(turnover: float, fine_rate: float, daily_rate: float, days: int,
             fine_regime: str = "dsa_74_1", penalty_regime: str = "dsa_76") -> pd.DataFrame:
    """Cumulative financial exposure day by day: the Art. 74(1) fine on day 0 plus Art. 76(1) penalties from day 1.

    Returns a frame with one row per day ``0..days`` and columns ``day``, ``fine``, ``periodic`` (accumulated
    penalties), ``total``, and the ceilings ``fine_cap`` and ``max_total`` (the fine cap plus the maximum daily
    penalty for every day), so that ``total <= max_total`` on every row.
    """
    days = _amount("Days of non-compliance", days)
    if days != int(days):
        raise ValueError("Days of non-compliance must be a whole number.")
    n = int(days)
    amount = fine(turnover, fine_rate, fine_regime)
    per_day = periodic_penalty_per_day(turnover, daily_rate, penalty_regime)
    cap, cap_day = fine_cap(turnover, fine_regime), periodic_penalty_cap_per_day(turnover, penalty_regime)
    day = pd.RangeIndex(n + 1)
    periodic = pd.Series(day, dtype="float64") * per_day
    return pd.DataFrame({
        "day": day,
        "fine": amount,
        "periodic": periodic,
        "total": amount + periodic,
        "fine_cap": cap,
        "max_total": cap + pd.Series(day, dtype="float64") * cap_day,
    })


# --------------------------------------------------------------------------------------------------------------------
# UK Online Safety Act
# --------------------------------------------------------------------------------------------------------------------


def uk_osa_fine(revenue_gbp: float, regime_id: str = "uk_osa_fine") -> float:
    """UK Online Safety Act 2023, Sch. 13 para. 4(1): the greater of a fixed sum (GBP 18m) and a share (10%) of
    qualifying worldwide revenue, both from row ``uk_osa_fine``. Revenue must be in GBP.
    Examples: GBP 100m -> GBP 18m; GBP 1bn -> GBP 100m."""
    return ceiling(revenue_gbp, regime_id, currency="GBP")


# --------------------------------------------------------------------------------------------------------------------
# Company figures (figures.csv)
# --------------------------------------------------------------------------------------------------------------------


def figure(figure_id: str) -> pd.Series:
    """One row of ``datasets/companies/figures.csv``."""
    return _figure(figure_id, _stamp("companies", "figures.csv")).copy()


@lru_cache(maxsize=64)
def _figure(figure_id: str, stamp: tuple[str, float]) -> pd.Series:
    frame = load_company_figures()
    rows = frame[frame["figure_id"] == figure_id]
    if rows.empty:
        raise ValueError(f"No figure '{figure_id}' in datasets/companies/figures.csv.")
    return rows.iloc[0]


@dataclass(frozen=True)
class Scenario:
    """Whose turnover counts: a choice the DSA leaves to argument ("the provider"), with the sourced range."""

    key: str
    label: str
    low: float
    central: float
    high: float
    currency: str
    year: int
    contested: bool
    figure_ids: tuple[str, ...]
    note: str
    sources: tuple[str, ...]


_SCENARIOS = (
    ("x_alone", "X alone (2024 revenue estimate)", "x_revenue_2024",
     "X's own revenue from financials shown to investors; may include affiliate (xAI) income."),
    ("spacex_group", "Wider Musk group: SpaceX's own revenue (2025 expectation)", "spacex_revenue_musk_group",
     "Counting a wider group's revenue for a fine on X's provider is argued, not settled: the DSA speaks of the "
     "provider's own turnover, unlike the GDPR's 'undertaking'. SpaceX's figure excludes xAI and X."),
)


def turnover_scenarios() -> list[Scenario]:
    """The turnover scenarios for X's provider, each built from one ``figures.csv`` row (low / central / high)."""
    out = []
    for key, label, fid, why in _SCENARIOS:
        r = figure(fid)
        central = float(r["value_central"])
        low = float(_opt(r["value_low"]) or central)
        high = float(_opt(r["value_high"]) or central)
        out.append(Scenario(key=key, label=label, low=low, central=central, high=high,
                            currency=str(r["currency"]), year=int(r["year"]), contested=bool(r["contested"]),
                            figure_ids=(fid,), note=why, sources=tuple(split_sources(r["source_url"]))))
    return out


def x_dsa_fine_2025() -> tuple[float, str]:
    """The Commission's fine on X of 5 December 2025 (row ``x_dsa_fine_2025``): (amount, currency)."""
    r = figure("x_dsa_fine_2025")
    return float(r["value_central"]), str(r["currency"])


def eur_usd_rate() -> float:
    """US dollars per euro on 5 Dec 2025 (row ``eur_usd_rate_2025_12_05``, implied by a published conversion of
    the EUR 120m fine); used only to draw EUR amounts beside USD turnover."""
    return float(figure("eur_usd_rate_2025_12_05")["value_central"])


def eu_revenue_share() -> float:
    """A rough share of X's revenue earned in the EU: EU monthly active recipients H1 2025 (``x_eu_mar_2025h1``)
    divided by worldwide monthly active users Q2 2025 (``x_worldwide_mau_2025``).

    Assumes revenue is proportional to users (advertising prices differ by region, and the EU count includes
    logged-out recipients), so treat it as an order of magnitude, not a reported figure.
    """
    eu = float(figure("x_eu_mar_2025h1")["value_central"])
    world = float(figure("x_worldwide_mau_2025")["value_central"])
    return eu / world


# --------------------------------------------------------------------------------------------------------------------
# Suspension (DSA Art. 51(3) with Art. 82(1))
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SuspensionCost:
    """What a temporary restriction of access in the EU would cost the provider and its users."""

    days: float
    revenue_per_day: float
    revenue_lost: float
    users_cut_off: float
    user_days_lost: float


def suspension_cost(days: float, eu_revenue_per_year: float, eu_users: float) -> SuspensionCost:
    """Lost EU revenue (``eu_revenue_per_year / DAYS_PER_YEAR`` per day) and lost reach (EU recipients x days) of a
    temporary restriction of access under DSA Art. 51(3) (on the Commission's request via Art. 82(1))."""
    days = _amount("Suspension length in days", days)
    revenue = _amount("EU revenue per year", eu_revenue_per_year)
    users = _amount("EU users", eu_users)
    per_day = revenue / DAYS_PER_YEAR
    return SuspensionCost(days=days, revenue_per_day=per_day, revenue_lost=per_day * days,
                          users_cut_off=users, user_days_lost=users * days)


# --------------------------------------------------------------------------------------------------------------------
# The escalation path
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One rung of the DSA escalation ladder for a very large online platform."""

    order: int
    title: str
    article: str
    regime_id: str | None
    decided_by: str
    requires: str
    summary: str


# Steps without a row in penalty_regimes.csv are described here in plain words, citing their article.
_STEPS = (
    ("Request for information", "DSA Art. 67", "dsa_74_2", "European Commission",
     "none beyond the Commission's supervisory task; a simple request or a decision",
     "The Commission can require the provider (and other persons) to supply information. Wrong, incomplete or "
     "misleading answers can be fined under Art. 74(2)."),
    ("Opening of proceedings", "DSA Art. 66", None, "European Commission",
     "suspected infringement by a very large online platform or search engine",
     "The Commission formally opens proceedings with a view to a possible non-compliance decision (Art. 73) "
     "and fine (Art. 74)."),
    ("Interim measures", "DSA Art. 70", "dsa_70", None, None, None),
    ("Non-compliance decision and fine", "DSA Arts. 73 and 74(1)", "dsa_74_1", None, None, None),
    ("Enhanced supervision (action plan)", "DSA Art. 75", "dsa_73_75", None, None, None),
    ("Periodic penalty payments", "DSA Art. 76", "dsa_76", None, None, None),
    ("Temporary restriction of access (last resort)", "DSA Art. 51(3) with Art. 82(1)", "dsa_51_3", None, None, None),
)


def escalation_path() -> list[Step]:
    """The DSA escalation path, from a request for information to a court-ordered temporary restriction of access.

    Where a row exists in ``penalty_regimes.csv`` the step's ``decided_by``, ``requires`` and ``summary`` come
    from it; the first two steps (Arts. 67 and 66) have no row and are described in the code's own words.
    """
    steps = []
    for i, (title, article, rid, decided_by, requires, summary) in enumerate(_STEPS, start=1):
        if decided_by is None:
            reg = regime(rid)
            decided_by, requires, summary = reg.decided_by, reg.requires, reg.summary
        steps.append(Step(order=i, title=title, article=article, regime_id=rid, decided_by=decided_by,
                          requires=requires, summary=summary))
    return steps


def escalation_table() -> pd.DataFrame:
    """:func:`escalation_path` as a table (one row per step) for display in a lesson."""
    return pd.DataFrame([s.__dict__ for s in escalation_path()]).set_index("order")


REGIMES_USED = ("dsa_74_1", "dsa_74_2", "dsa_76", "dsa_70", "dsa_73_75", "dsa_51_3", "uk_osa_fine")
FIGURES_USED = ("x_revenue_2024", "spacex_revenue_musk_group", "x_dsa_fine_2025",
                "eur_usd_rate_2025_12_05", "x_eu_mar_2025h1", "x_eu_mar_2025h2", "x_worldwide_mau_2025")


def sources() -> pd.DataFrame:
    """Every dataset row this model and the explorer rely on, with who said it and the page read (one row per
    citation, best kind first)."""
    from .sources import row_sources

    return pd.concat([row_sources("legal", "penalty_regimes", REGIMES_USED),
                      row_sources("companies", "figures", FIGURES_USED)], ignore_index=True)
