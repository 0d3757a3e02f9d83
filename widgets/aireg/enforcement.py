"""What can Brussels do? A pure model of DSA enforcement: fines, periodic penalties, restriction of access, the UK's OSA.

Every ceiling is read from ``datasets/legal/penalty_regimes.csv`` (never written into this code); every company
figure (turnover scenarios, EU users, the December 2025 fine on X, the exchange rate) from
``datasets/companies/figures.csv``. The functions are pure: same inputs, same outputs, no widgets.

Legal basis (Regulation (EU) 2022/2065, the Digital Services Act, "DSA"):

- Art. 74(1): fines up to a share (row ``dsa_74_1``) of the provider's total worldwide annual turnover in the
  preceding financial year, in a non-compliance decision under Art. 73;
- Art. 74(2): fines up to a smaller share (row ``dsa_74_2``) for information and inspection failures;
- Art. 76(1): periodic penalty payments up to a share (row ``dsa_76``) of the *average daily* worldwide turnover of
  the preceding financial year, per day, counted from a date set in the decision. They are **coercive**: imposed by
  their own decision to compel compliance with a specific decision, and reducible once the provider complies
  (Art. 76(2)). They are not added to a fine as a second punishment;
- Art. 51(3) with Art. 82(1): as a last resort, on the Commission's request, the Digital Services Coordinator of
  establishment (for X, Ireland's) may ask a national court to order a temporary restriction of access, under
  conditions kept as data in ``datasets/legal/access_restriction_conditions.csv`` (row ``dsa_51_3``).

UK Online Safety Act 2023, Sch. 13 para. 4(1): the greater of a fixed amount and a share of qualifying worldwide
revenue (row ``uk_osa_fine``).

Conventions (documented computations, not law):

- **Average daily turnover** = annual turnover / :data:`DAYS_PER_YEAR` (365). The DSA does not define the divisor;
  365 is the plain reading of "average daily" for a financial year (a leap year would give a 0.3% smaller figure).
- **Currency.** Rates apply to turnover in whatever currency it is stated; the kit's turnover figures are in USD, so
  computed ceilings are in USD. Only fixed amounts (the UK's GBP floor) are tied to a currency, and
  :func:`ceiling` refuses to mix them with turnover in another currency.
- **Accrual.** Periodic penalties accrue for each day of non-compliance after the date set in the penalty decision
  (day 1 is the first such day) until the provider complies; the result is what non-compliance would cost, at most,
  before any reduction under Art. 76(2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from .data import data_dir, load_company_figures, load_penalty_regimes, load_table, split_sources

__all__ = [
    "BASIS_WORDS",
    "DAYS_PER_YEAR",
    "Regime",
    "Scenario",
    "Step",
    "RestrictionOrder",
    "average_daily_turnover",
    "ceiling",
    "dsa_procedure",
    "procedure_table",
    "restriction_conditions",
    "restriction_order",
    "eur_usd_rate",
    "penalty_accrual",
    "figure",
    "fine",
    "fine_cap",
    "information_fine_cap",
    "periodic_penalties",
    "periodic_penalty_cap_per_day",
    "periodic_penalty_per_day",
    "regime",
    "sources",
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
    max_duration_months: int | None = None
    """The longest period where the law states it in months (GDPR Art. 66(1): three); never converted to days."""
    applies_to: str = ""

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
    return _regime(regime_id, _stamp("legal", "penalty_regimes.csv") + _stamp("legal", "citations.csv"))


@lru_cache(maxsize=64)
def _regime(regime_id: str, stamp: tuple) -> Regime:
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
        max_duration_months=_months(r.get("max_duration_months")),
        applies_to=str(_opt(r.get("applies_to")) or ""),
    )


def _months(value) -> int | None:
    value = _opt(value)
    return None if value is None else int(value)


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


def penalty_accrual(turnover: float, daily_rate: float, days: int, regime_id: str = "dsa_76") -> pd.DataFrame:
    """What non-compliance would cost, day by day, until the provider complies (DSA Art. 76(1)).

    Periodic penalty payments are coercive: a separate decision sets a daily amount, from a date it appoints, to
    compel compliance with a specific decision (an information request, an inspection, interim measures,
    commitments or a non-compliance decision). They are not a second fine. Once the provider complies, the
    Commission may fix the definitive amount lower (Art. 76(2)), so the accrued sum is a maximum, not a bill.

    Returns one row per day ``0..days`` with ``day``, ``accrued`` (penalties at ``daily_rate`` for ``day`` days of
    non-compliance) and ``max_accrued`` (the Art. 76(1) ceiling per day times ``day``); ``accrued <= max_accrued``.
    """
    days = _amount("Days of non-compliance", days)
    if days != int(days):
        raise ValueError("Days of non-compliance must be a whole number.")
    day = pd.Series(range(int(days) + 1), dtype="float64")
    per_day = periodic_penalty_per_day(turnover, daily_rate, regime_id)
    cap_day = periodic_penalty_cap_per_day(turnover, regime_id)
    return pd.DataFrame({"day": day.astype(int), "accrued": day * per_day, "max_accrued": day * cap_day})


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
    return _figure(figure_id, _stamp("companies", "figures.csv") + _stamp("companies", "citations.csv")).copy()


@lru_cache(maxsize=64)
def _figure(figure_id: str, stamp: tuple) -> pd.Series:
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


# --------------------------------------------------------------------------------------------------------------------
# Temporary restriction of access (DSA Art. 51(3) with Art. 82(1))
# --------------------------------------------------------------------------------------------------------------------


def restriction_conditions(on_commission_request: bool = True) -> pd.DataFrame:
    """The steps and conditions before and after a court may restrict access to a very large platform, in order
    (``datasets/legal/access_restriction_conditions.csv``, from DSA Arts. 82(1) and 51(3)).

    ``on_commission_request=True`` keeps the steps of the route the Grok case would take: the Commission asks the
    Digital Services Coordinator of establishment (Art. 82(1)), which then does not hold its own consultation.
    """
    frame = load_table("legal", "access_restriction_conditions").sort_values("order")
    if on_commission_request:
        frame = frame[frame["applies_on_commission_request"].astype(str) == "yes"]
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class RestrictionOrder:
    """A temporary restriction of access as DSA Art. 51(3) allows it: four-week periods, national in scope."""

    periods: int
    period_days: int
    days: int
    extensions: int
    scope: str
    decided_by: str
    article: str


def restriction_order(periods: int, regime_id: str = "dsa_51_3") -> RestrictionOrder:
    """A restriction order of ``periods`` four-week periods (0 = no order), from row ``dsa_51_3``.

    Art. 51(3) fixes the period (``max_duration_days``: four weeks); every period after the first is an extension
    the court must have allowed in its order, up to a number it sets, and the Coordinator may use only if the
    provider has still not ended the infringement and access to lawful information is not unduly restricted.
    The order covers the Member State of the court (for X, Ireland), not the Union.
    """
    reg = regime(regime_id)
    if reg.max_duration_days is None:
        raise ValueError(f"{reg.article}: the data row gives no period for a restriction order.")
    if isinstance(periods, bool) or not isinstance(periods, int | float) or periods != int(periods) or periods < 0:
        raise ValueError(f"{reg.article} orders a restriction in whole periods of {reg.max_duration_days} days; "
                         f"{periods!r} is not a whole number of periods (0 or more).")
    n = int(periods)
    return RestrictionOrder(periods=n, period_days=reg.max_duration_days, days=n * reg.max_duration_days,
                            extensions=max(n - 1, 0), scope="the Member State of establishment (for X: Ireland)",
                            decided_by=reg.decided_by, article=reg.article)


# --------------------------------------------------------------------------------------------------------------------
# The procedure
# --------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of the Commission's enforcement procedure against a very large online platform."""

    order: int
    stage: str
    title: str
    article: str
    regime_id: str | None
    decided_by: str
    requires: str
    summary: str


STAGE_WORDS = {
    "investigation": "investigation",
    "during_proceedings": "during proceedings",
    "before_decision": "before any decision",
    "decision": "decision",
    "after_decision": "after a decision (Section 5 only)",
    "to_compel": "to compel compliance with a decision",
    "last_resort": "last resort, through a national court",
}


def dsa_procedure() -> list[Step]:
    """The DSA enforcement procedure (``datasets/legal/dsa_procedure.csv``): not a ladder. The Commission picks
    tools as the case needs; commitments can end proceedings without a finding (Art. 71); the provider is heard
    on preliminary findings before any decision (Arts. 73(2), 79); periodic penalties compel compliance with a
    decision taken at several steps (Art. 76); enhanced supervision follows only Section 5 breaches (Art. 75)."""
    frame = load_table("legal", "dsa_procedure").sort_values("order")
    return [Step(order=int(r.order), stage=str(r.stage), title=str(r.title), article=str(r.article),
                 regime_id=None if pd.isna(r.regime_id) else str(r.regime_id), decided_by=str(r.decided_by),
                 requires=str(r.requires), summary=str(r.summary)) for r in frame.itertuples()]


def procedure_table() -> pd.DataFrame:
    """:func:`dsa_procedure` as a table (one row per step) for display in a lesson."""
    return pd.DataFrame([s.__dict__ for s in dsa_procedure()]).set_index("order")


REGIMES_USED = ("dsa_74_1", "dsa_74_2", "dsa_76", "dsa_70", "dsa_73_75", "dsa_51_3", "ie_ba_2009_ch6a", "uk_osa_fine",
                "gdpr_83_5")
FIGURES_USED = ("x_revenue_2024", "spacex_revenue_musk_group", "x_dsa_fine_2025", "eur_usd_rate_2025_12_05")


def sources() -> pd.DataFrame:
    """Every dataset row this model and the explorer rely on, with who said it and the page read (one row per
    citation, best kind first)."""
    from .sources import row_sources

    return pd.concat([row_sources("legal", "penalty_regimes", REGIMES_USED),
                      row_sources("legal", "dsa_procedure"),
                      row_sources("legal", "access_restriction_conditions"),
                      row_sources("companies", "figures", FIGURES_USED)], ignore_index=True)


# --------------------------------------------------------------------------------------------------------------------
# GDPR (Regulation (EU) 2016/679): fine ceilings on the undertaking's turnover, the Garante's fine on OpenAI,
# and the limitation of processing as a tool
# --------------------------------------------------------------------------------------------------------------------
#
# What was read (see datasets/legal/citations.csv): the wording of Arts. 58(2)(f) and (i), 66(1)-(4), 83(1), 83(5)(e)
# and 83(6) in verbatim copies of the Official Journal text (the EUR-Lex ELI page itself was not among the stored
# pages); recital 150 as quoted by the UK ICO; the opening (headnote) of the judgments in C-807/21 Deutsche Wohnen
# and C-383/23 ILVA in copies of the Court's text, and summaries of their holdings (GDPRhub, McCann FitzGerald).
# The operative parts of the two judgments were NOT read verbatim: the model claims only that the maximum under
# Art. 83(4)-(6) is computed on the turnover of the undertaking in the sense of Arts. 101-102 TFEU (the group of
# which the fined company forms part), and that the actual amount is a separate question (Arts. 83(1)-(2)).

GDPR_TIERS = ("gdpr_83_4", "gdpr_83_5", "gdpr_83_6")
"""The ``penalty_regimes.csv`` rows of the GDPR's fine ceilings: Art. 83(4), 83(5) and 83(6)."""
GDPR_TOOLS = ("gdpr_58_2_f", "gdpr_66_1")
"""The rows of the limitation of processing (Art. 58(2)(f)) and the urgency procedure (Art. 66(1))."""
TURNOVER_BASES = ("undertaking", "entity")
"""Whose turnover sets the maximum: the undertaking's (the law, recital 150 and the Court of Justice) or, shown for
comparison only, the fined company's own."""


def _gdpr_fine_regime(regime_id: str) -> Regime:
    reg = regime(regime_id)
    if reg.tool != "fine" or reg.combine != "greater_of" or reg.fixed_amount is None or reg.rate is None:
        raise ValueError(f"{reg.article} is not a GDPR-style fine ceiling ('whichever is higher' of a fixed amount "
                         "and a share of turnover) in penalty_regimes.csv.")
    return reg


def gdpr_fine_cap(turnover_eur: float, regime_id: str = "gdpr_83_5") -> float:
    """GDPR Art. 83(4)-(6): the maximum fine for an undertaking with ``turnover_eur`` of total worldwide annual
    turnover in the preceding financial year, in euros: the fixed amount or the share of turnover, whichever is
    higher (row ``regime_id``; ``combine = greater_of``).

    Examples (rows ``gdpr_83_5``/``gdpr_83_6``: EUR 20m or 4%): 100m -> 20m; 500m -> 20m; 2bn -> 80m.
    """
    _gdpr_fine_regime(regime_id)
    return ceiling(turnover_eur, regime_id, currency="EUR")


def gdpr_crossover_turnover(regime_id: str = "gdpr_83_5") -> float:
    """The turnover at which the share of turnover equals the fixed amount (fixed / rate): below it the fixed
    amount is the maximum, above it the percentage. EUR 500m for both Art. 83(4) (10m / 2%) and 83(5) (20m / 4%)."""
    reg = _gdpr_fine_regime(regime_id)
    return reg.fixed_amount / reg.rate


def gdpr_ceiling_part(turnover_eur: float, regime_id: str = "gdpr_83_5") -> str:
    """Which part of "whichever is higher" sets the maximum: ``'fixed'`` (at or below the crossover turnover) or
    ``'turnover'`` (above it)."""
    turnover_eur = _amount("Turnover", turnover_eur)
    reg = _gdpr_fine_regime(regime_id)
    return "turnover" if reg.rate * turnover_eur > reg.fixed_amount else "fixed"


@dataclass(frozen=True)
class UndertakingCeiling:
    """The GDPR maximum computed on a fined company's own turnover and on its undertaking's (group) turnover."""

    regime_id: str
    article: str
    entity_turnover: float
    group_turnover: float
    entity_ceiling: float
    group_ceiling: float
    basis: str
    ceiling: float
    """The maximum on the chosen ``basis``; in law (recital 150, C-807/21, C-383/23) the basis is the undertaking."""


def undertaking_ceiling(entity_turnover: float, group_turnover: float, regime_id: str = "gdpr_83_5",
                        basis: str = "undertaking") -> UndertakingCeiling:
    """The Art. 83 maximum on the fined company's turnover and on the turnover of the undertaking it forms part of.

    Recital 150 says that where fines are imposed on an undertaking, "undertaking" is to be understood in the sense
    of Arts. 101 and 102 TFEU; the Court of Justice (C-807/21 *Deutsche Wohnen*, 5 Dec 2023; C-383/23 *ILVA*,
    13 Feb 2025) held that the maximum is then computed on the total worldwide annual turnover of the undertaking,
    i.e. of the group of which the fined company forms part, not on the company's alone. ``basis='entity'`` gives
    the company-only figure for comparison; it is not the test the Court applies. The ceiling caps the fine: its
    actual amount must be effective, proportionate and dissuasive (Art. 83(1)) and follow Art. 83(2).

    The group's turnover includes the company's, so ``group_turnover < entity_turnover`` is refused.
    """
    entity_turnover = _amount("The fined company's turnover", entity_turnover)
    group_turnover = _amount("The group's turnover", group_turnover)
    if basis not in TURNOVER_BASES:
        raise ValueError(f"basis must be one of {', '.join(TURNOVER_BASES)}, not {basis!r}.")
    if group_turnover < entity_turnover:
        raise ValueError("The group's turnover includes the fined company's own, so it cannot be lower "
                         f"(company {entity_turnover:,.0f}, group {group_turnover:,.0f}).")
    reg = _gdpr_fine_regime(regime_id)
    entity_cap, group_cap = gdpr_fine_cap(entity_turnover, regime_id), gdpr_fine_cap(group_turnover, regime_id)
    return UndertakingCeiling(regime_id=regime_id, article=reg.article, entity_turnover=entity_turnover,
                              group_turnover=group_turnover, entity_ceiling=entity_cap, group_ceiling=group_cap,
                              basis=basis, ceiling=group_cap if basis == "undertaking" else entity_cap)


@dataclass(frozen=True)
class FineAgainstCeiling:
    """A fine placed against its GDPR ceiling for one turnover."""

    fine: float
    turnover: float
    ceiling: float
    share: float
    """fine / ceiling (1.0 = at the ceiling)."""
    within: bool
    part: str
    """'fixed' or 'turnover': which limb of "whichever is higher" sets the ceiling (see :func:`gdpr_ceiling_part`)."""
    article: str


def fine_against_ceiling(fine_eur: float, turnover_eur: float, regime_id: str = "gdpr_83_5") -> FineAgainstCeiling:
    """Where a fine of ``fine_eur`` sits against the Art. 83 ceiling for an undertaking turnover of
    ``turnover_eur``. The ceiling never falls below the row's fixed amount (EUR 20m for Art. 83(5)), so a fine at or
    below that amount is within it whatever the turnover."""
    fine_eur = _amount("The fine", fine_eur)
    cap = gdpr_fine_cap(turnover_eur, regime_id)
    return FineAgainstCeiling(fine=fine_eur, turnover=float(turnover_eur), ceiling=cap, share=fine_eur / cap,
                              within=fine_eur <= cap * (1 + _TOL), part=gdpr_ceiling_part(turnover_eur, regime_id),
                              article=regime(regime_id).article)


def garante_openai_fine_2024() -> tuple[float, str]:
    """The Garante's fine on OpenAI (decision no. 755 of 2 Nov 2024, announced 20 Dec 2024; annulled by the Court
    of Rome in March 2026), row ``openai_garante_fine_2024`` of ``figures.csv``: (amount, currency)."""
    r = figure("openai_garante_fine_2024")
    return float(r["value_central"]), str(r["currency"])


@dataclass(frozen=True)
class ProcessingTool:
    """A GDPR tool that limits processing rather than charging an amount, as ``penalty_regimes.csv`` states it."""

    regime_id: str
    article: str
    tool: str
    decided_by: str
    scope: str
    requires: str
    summary: str
    max_duration_months: int | None
    """None where the law sets no maximum (Art. 58(2)(f): "temporary or definitive")."""
    sources: tuple[str, ...]


def gdpr_processing_tools() -> list[ProcessingTool]:
    """The limitation of processing (GDPR Art. 58(2)(f)) and the urgency procedure (Art. 66(1)), from their rows.

    Art. 58(2)(f): each supervisory authority may "impose a temporary or definitive limitation including a ban on
    processing"; no maximum duration. Art. 66(1): in exceptional circumstances a supervisory authority concerned
    may, by way of derogation from the consistency mechanism or the Art. 60 procedure, adopt provisional measures
    with legal effect on its own territory for a specified period not exceeding three months.
    """
    out = []
    for rid in GDPR_TOOLS:
        reg = regime(rid)
        out.append(ProcessingTool(regime_id=rid, article=reg.article, tool=reg.tool, decided_by=reg.decided_by,
                                  scope=reg.applies_to, requires=reg.requires, summary=reg.summary,
                                  max_duration_months=reg.max_duration_months, sources=reg.sources))
    return out


def provisional_measure_months(months: float, regime_id: str = "gdpr_66_1") -> int:
    """A provisional measure's period of validity in whole months, refused above the article's maximum (Art. 66(1):
    "shall not exceed three months", row ``gdpr_66_1``) or below one month."""
    reg = regime(regime_id)
    if reg.max_duration_months is None:
        raise ValueError(f"{reg.article}: the data row gives no maximum period in months.")
    try:
        months = float(months)
    except (TypeError, ValueError):
        raise ValueError(f"The period must be a number of months, not {months!r}.") from None
    if math.isnan(months) or months != int(months) or months < 1:
        raise ValueError("The period of validity is a whole number of months, at least one.")
    if months > reg.max_duration_months:
        raise ValueError(f"{reg.article} limits provisional measures to a specified period of validity not exceeding "
                         f"{reg.max_duration_months} months; {months:g} months is longer.")
    return int(months)


GDPR_REGIMES_USED = GDPR_TIERS + GDPR_TOOLS
GDPR_FIGURES_USED = ("openai_garante_fine_2024",)


def gdpr_sources() -> pd.DataFrame:
    """Every dataset row the GDPR model and explorer rely on, with who said it and the page read."""
    from .sources import row_sources

    return pd.concat([row_sources("legal", "penalty_regimes", GDPR_REGIMES_USED),
                      row_sources("companies", "figures", GDPR_FIGURES_USED)], ignore_index=True)
