"""From published shares to counts and confidence intervals (``datasets/grok-2026/evidence.csv``).

Studies of the Grok case published *shares* ("53% of images showed minimal attire") of a *sample*
("about 20,000 images"), sometimes of a subset ("81% of the minimal-attire images showed women"). This module turns them into implied counts and 95% confidence intervals, and says when a
qualifier ("more than half") makes the count a bound rather than an estimate.

What the interval captures, and what it does not
------------------------------------------------
The Wilson interval (Wilson 1927, *JASA* 22:209-212) describes **sampling error only**: how far the share
in a *random* sample of this size could plausibly be from the share in the population it was drawn from.
It says nothing about:

* **measurement error**: whether each image was classified correctly. "Appeared to be a minor" is the
  judgement of an automated vision model (AI Forensics) or of human reviewers (CCDH) from appearance alone;
  age cannot be verified from an image, and such judgements can be wrong in both directions;
* **definitions**: "sexualised" and "minimal attire" are each study's own categories, so shares from
  different studies measure different things;
* **selection**: whether the sample was random, and random over what (posts mentioning Grok, images by
  the @Grok account, a licensed tool's stream);
* **rounding**: a share published as "2%" may be anything from 1.5% to 2.5% - often a wider range than the
  sampling interval (see the ``rounding_low``/``rounding_high`` columns);
* **an estimated base**: when a share is of a subset whose size is itself estimated (2% *of the 53%*), the
  interval treats the subset's size as known.
"""

from __future__ import annotations

import math
import re
from statistics import NormalDist

import pandas as pd

__all__ = [
    "BOUND_KINDS",
    "bound_kind",
    "counts",
    "compare_sample_sizes",
    "published_figures",
    "readable",
    "rounding_range",
    "sample_size_claims",
    "wilson_interval",
]

ALL_IMAGES = "all_images"
# The qualifier of a published number -> what it makes of a count derived from it.
_DIRECTION = {"exact": "exact", "about": "approximate", "unknown": "approximate",
              "at_least": "lower", "more_than": "lower", "less_than": "upper"}
BOUND_KINDS = {
    "exact": "estimate (as published)",
    "approximate": "estimate (rounded or approximate inputs)",
    "lower": "lower bound ('more than' / 'at least')",
    "upper": "upper bound ('less than')",
    "unknown": "direction unknown (bounds in opposite directions)",
}


def wilson_interval(successes: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for a proportion ``successes / n`` (Wilson 1927).

    Unlike the textbook ``p ± z·sqrt(p(1-p)/n)`` it stays inside [0, 1] and behaves for shares near 0 or 1
    and for small samples (0 of 10 gives (0, 0.278), not (0, 0)). ``z`` comes from
    ``statistics.NormalDist().inv_cdf``. Sampling error only: see the module docstring.

    >>> [round(x, 4) for x in wilson_interval(5, 10)]
    [0.2366, 0.7634]
    """
    if not (0 < confidence < 1):
        raise ValueError(f"confidence must be between 0 and 1, not {confidence!r}")
    if n is None or (isinstance(n, float) and math.isnan(n)) or n <= 0:
        raise ValueError(f"the sample size must be a positive number, not {n!r}")
    if successes < 0 or successes > n:
        raise ValueError(f"successes must be between 0 and n ({n}), not {successes!r}")
    z = NormalDist().inv_cdf(1 - (1 - confidence) / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == n else min(1.0, centre + half)
    return lo, hi


def bound_kind(*qualifiers) -> str:
    """What a product of published numbers with these qualifiers is: a key of :data:`BOUND_KINDS`.

    A share "more than half" of a sample of "about 50,000" gives a *lower* bound; "more than" times
    "less than" gives a number of unknown direction; all "exact" stays "exact".
    """
    kinds = {_DIRECTION.get(str(q), "approximate") for q in qualifiers if q is not None and not pd.isna(q)}
    if {"lower", "upper"} <= kinds:
        return "unknown"
    for k in ("lower", "upper", "approximate"):
        if k in kinds:
            return k
    return "exact"


def rounding_range(share: float) -> tuple[float, float]:
    """The range of true shares that round to ``share`` as published (0.02 -> (0.015, 0.025)).

    The number of decimals is read from the published value; a computed share with many decimals
    (such as 101/20,000 = 0.00505) gets a correspondingly tiny range.
    """
    text = f"{share:.10f}".rstrip("0")
    decimals = len(text.split(".")[1]) if "." in text else 0
    half = 0.5 * 10 ** -decimals
    return max(0.0, share - half), min(1.0, share + half)


def counts(evidence: pd.DataFrame, sample_size: dict[str, float] | None = None) -> pd.DataFrame:
    """Implied counts: each share times the size of its base, respecting subsets.

    A row's ``base`` names what the share is a share *of*: ``all_images`` is the whole sample
    (``sample_size``); any other base (such as ``minimal_attire``) is the implied count of the row of the
    same organisation whose ``measure`` is that base - so "81% of the minimal-attire images" multiplies the
    minimal-attire count (0.53 x 20,000 = 10,600), not the sample. Rows with no share, no sample size or a
    base that is not in the data (rates, "flagged images") get no implied count.

    ``sample_size`` optionally overrides the sample size per organisation (``{"AI Forensics": 20000}``), to
    show how a disputed sample size changes the counts.

    Returns the evidence rows with ``base_count``, ``implied_count`` and ``count_kind`` (a key of
    :data:`BOUND_KINDS`, combining the share's, the sample size's and the base's qualifiers).
    """
    frame = evidence.copy()
    overrides = sample_size or {}
    unknown = [o for o in overrides if o not in set(frame["organisation"].astype(str))]
    if unknown:
        raise ValueError(f"no evidence rows for {unknown}; organisations: {sorted(set(frame['organisation']))}")
    frame["sample_size_used"] = [float(overrides[str(o)]) if str(o) in overrides
                                 else (math.nan if pd.isna(s) else float(s))
                                 for o, s in zip(frame["organisation"], frame["sample_size"], strict=True)]
    results: dict[int, tuple[float, str]] = {}

    def solve(i: int, stack: tuple[int, ...] = ()) -> tuple[float, str]:
        if i in results:
            return results[i]
        if i in stack:
            raise ValueError(f"evidence rows refer to each other in a circle: {frame.loc[i, 'evidence_id']}")
        row = frame.loc[i]
        share, base = row["share"], str(row["base"])
        n = row["sample_size_used"]
        if pd.isna(share):
            out = (math.nan, "exact")
        elif base == ALL_IMAGES:
            out = ((float(share) * n, bound_kind(row["share_qualifier"], row["sample_size_qualifier"]))
                   if not pd.isna(n) else (math.nan, "exact"))
        else:
            parents = frame.index[(frame["organisation"] == row["organisation"])
                                  & (frame["measure"].astype(str) == base) & frame["share"].notna()]
            if len(parents) == 0:
                out = (math.nan, "exact")
            else:
                parent_count, parent_kind = solve(int(parents[0]), stack + (i,))
                out = (float(share) * parent_count,
                       bound_kind(row["share_qualifier"], _kind_as_qualifier(parent_kind)))
        results[i] = out
        return out

    base_counts, implied, kinds = [], [], []
    for i in frame.index:
        value, kind = solve(i)
        implied.append(value)
        kinds.append(kind if not math.isnan(value) else None)
        row = frame.loc[i]
        if pd.isna(row["share"]) or math.isnan(value):
            base_counts.append(math.nan)
        elif str(row["base"]) == ALL_IMAGES:
            base_counts.append(float(row["sample_size_used"]))
        else:
            base_counts.append(value / float(row["share"]) if row["share"] else math.nan)
    frame["base_count"] = base_counts
    frame["implied_count"] = implied
    frame["count_kind"] = kinds
    return frame


def _kind_as_qualifier(kind: str) -> str:
    return {"exact": "exact", "approximate": "about", "lower": "more_than", "upper": "less_than"}.get(kind, "unknown")


def published_figures(evidence: pd.DataFrame, confidence: float = 0.95,
                      sample_size: dict[str, float] | None = None) -> pd.DataFrame:
    """A tidy table of every published figure with its implied count and confidence interval.

    One row per ``evidence.csv`` row. Columns: who, what (``measure`` of ``base``), the published share and
    count with their qualifiers, ``base_count`` and ``implied_count`` (:func:`counts`), ``kind`` (estimate,
    lower bound, ...), the Wilson interval of the share (``ci_low``/``ci_high``) and as counts
    (``ci_count_low``/``ci_count_high``), the range of shares that round to the published one, and a
    ``comment`` explaining rows without an interval. When a published share is missing but an exact
    in-sample count is given (say 12,995 of 20,000), the share is computed from it.
    """
    frame = counts(evidence, sample_size=sample_size)
    rows = []
    for _, r in frame.iterrows():
        share, n = r["share"], r["base_count"]
        implied, kind, comment = r["implied_count"], r["count_kind"], ""
        n_sample = r["sample_size_used"]
        if pd.isna(share) and not pd.isna(r["count"]) and not pd.isna(n_sample) and str(r["base"]) == ALL_IMAGES:
            if r["count"] <= n_sample:
                share, n, implied = float(r["count"]) / n_sample, n_sample, float(r["count"])
                kind = bound_kind(r["count_qualifier"], r["sample_size_qualifier"])
                comment = "share computed from the published in-sample count"
            else:
                comment = ("published count is an extrapolation to the whole population, beyond the sample: "
                           "no sampling interval computed here")
        if pd.isna(share):
            comment = comment or ("a rate or count with no sample size: no share, so no interval"
                                  if pd.isna(n_sample) else "no published share")
            lo = hi = rlo = rhi = math.nan
        elif pd.isna(n) or n <= 0:
            comment = comment or f"share of '{r['base']}', whose size is not in the data: no count, no interval"
            lo = hi = math.nan
            rlo, rhi = rounding_range(float(share))
        else:
            successes = min(max(float(share) * float(n), 0.0), float(n))
            lo, hi = wilson_interval(successes, float(n), confidence)
            rlo, rhi = rounding_range(float(share))
            if str(r["base"]) != ALL_IMAGES:
                comment = comment or f"share of the '{r['base']}' subset; its size is itself an estimate"
        rows.append({
            "evidence_id": r["evidence_id"], "organisation": r["organisation"], "measure": r["measure"],
            "base": r["base"], "share": share, "share_qualifier": r["share_qualifier"],
            "sample_size": r["sample_size_used"], "sample_size_qualifier": r["sample_size_qualifier"],
            "base_count": n, "implied_count": implied,
            "kind": BOUND_KINDS.get(kind, "") if kind and not pd.isna(implied) else "",
            "ci_low": lo, "ci_high": hi,
            "ci_count_low": lo * n if not pd.isna(lo) else math.nan,
            "ci_count_high": hi * n if not pd.isna(hi) else math.nan,
            "rounding_low": rlo, "rounding_high": rhi,
            "published_count": r["count"], "count_qualifier": r["count_qualifier"],
            "count_unit": r.get("count_unit"),
            "comment": comment, "source_url": r["source_url"],
        })
    out = pd.DataFrame(rows)
    for col in ("share", "sample_size", "base_count", "implied_count", "ci_low", "ci_high", "ci_count_low",
                "ci_count_high", "rounding_low", "rounding_high"):
        out[col] = out[col].astype("Float64")
    return out


_CLAIM = re.compile(r"(more than|over|about|at least|around|nearly)?\s*(\d{1,3}(?:,\d{3})+|\d+)\s+(images|tweets|posts)",
                    re.I)
_QUAL = {"more than": "more_than", "over": "more_than", "about": "about", "around": "about", "at least": "at_least",
         "nearly": "less_than", "": "exact"}


def sample_size_claims(evidence: pd.DataFrame, organisation: str) -> pd.DataFrame:
    """Every sample size mentioned for ``organisation``: the ``sample_size`` column and those quoted in notes.

    Sources describe some samples differently (AI Forensics: "about 20,000 images" per AFP, drawn from
    "50,000 tweets" per Computer Weekly). This lists each distinct claim with where it comes from, so
    a lesson can show the disagreement instead of picking one silently. Only sentences of the notes that
    mention a sample are read (so "about 300,000 images a day" is not taken for a sample size).
    """
    rows = evidence[evidence["organisation"].astype(str) == organisation]
    if rows.empty:
        raise ValueError(f"no evidence rows for {organisation!r}")
    claims: list[dict] = []
    for _, r in rows.iterrows():
        if not pd.isna(r["sample_size"]):
            claims.append({"sample_size": float(r["sample_size"]), "qualifier": str(r["sample_size_qualifier"]),
                           "where": "sample_size column", "row": r["evidence_id"]})
        clauses = [c for c in re.split(r"(?<=\.)\s+", str(r["notes"] or "")) if "sample" in c.lower()]
        for m in (m for c in clauses for m in _CLAIM.finditer(c)):
            claims.append({"sample_size": float(m.group(2).replace(",", "")),
                           "qualifier": _QUAL[(m.group(1) or "").lower()],
                           "where": f"notes: '{m.group(0).strip()}'", "row": r["evidence_id"]})
    if not claims:
        return pd.DataFrame(columns=["sample_size", "qualifier", "where", "first_row"])
    frame = pd.DataFrame(claims).drop_duplicates(subset=["sample_size", "where"])
    out = frame.groupby("sample_size", sort=False).agg(
        qualifier=("qualifier", lambda q: ", ".join(dict.fromkeys(q))),
        where=("where", lambda w: "; ".join(dict.fromkeys(w))),
        first_row=("row", "first"),
    ).reset_index()
    return out


def _fmt_int(x) -> str:
    return "" if x is None or pd.isna(x) else f"{float(x):,.0f}"


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`published_figures` as words and rounded numbers, for display in a lesson."""
    def share(r) -> str:
        if pd.isna(r["share"]):
            return ""
        q = "" if str(r["share_qualifier"]) in ("exact", "<NA>", "None", "nan") else f" ({r['share_qualifier']})"
        return f"{float(r['share']) * 100:.4g}%{q}".replace("_", " ")

    def interval(lo, hi) -> str:
        return "" if pd.isna(lo) else f"{float(lo):,.0f} to {float(hi):,.0f}"

    return pd.DataFrame({
        "figure": table["evidence_id"],
        "who": table["organisation"],
        "what": [f"{m} of {b}".replace("_", " ") for m, b in zip(table["measure"], table["base"], strict=True)],
        "published share": [share(r) for _, r in table.iterrows()],
        "of (count)": [_fmt_int(x) for x in table["base_count"]],
        "implied count": [_fmt_int(x) for x in table["implied_count"]],
        "95% CI (count)": [interval(lo, hi) for lo, hi in zip(table["ci_count_low"], table["ci_count_high"],
                                                              strict=True)],
        "share if rounded": ["" if pd.isna(lo) else f"{float(lo):.2%} to {float(hi):.2%}"
                             for lo, hi in zip(table["rounding_low"], table["rounding_high"], strict=True)],
        "kind": table["kind"],
        "published count": ["" if pd.isna(c) else (f"{_fmt_int(c)}" + ("" if pd.isna(u) else f" {u}")
                                                    + ("" if str(q) == "exact" else f" ({q})")).replace("_", " ")
                            for c, q, u in zip(table["published_count"], table["count_qualifier"],
                                               table.get("count_unit", pd.Series([None] * len(table))),
                                               strict=True)],
        "comment": table["comment"],
    })


def compare_sample_sizes(evidence: pd.DataFrame, organisation: str, sizes: list[float] | None = None,
                         confidence: float = 0.95) -> pd.DataFrame:
    """Implied counts and intervals of one organisation's figures under each disputed sample size.

    ``sizes=None`` uses every size in :func:`sample_size_claims`. One row per (figure, sample size).
    """
    if sizes is None:
        sizes = list(sample_size_claims(evidence, organisation)["sample_size"])
    rows = []
    for n in sizes:
        t = published_figures(evidence, confidence, sample_size={organisation: n})
        t = t[t["organisation"].astype(str) == organisation]
        for _, r in t.iterrows():
            rows.append({"figure": r["evidence_id"], "sample size": f"{n:,.0f}",
                         "implied count": _fmt_int(r["implied_count"]),
                         "95% CI (count)": "" if pd.isna(r["ci_count_low"])
                         else f"{float(r['ci_count_low']):,.0f} to {float(r['ci_count_high']):,.0f}"})
    return pd.DataFrame(rows)
