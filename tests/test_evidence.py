"""aireg.evidence: Wilson intervals, counts from shares and bases, qualifiers, disputed sample sizes."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import aireg
from aireg.evidence import (
    bound_kind,
    compare_sample_sizes,
    counts,
    published_figures,
    readable,
    rounding_range,
    sample_size_claims,
    wilson_interval,
)

COLUMNS = ["evidence_id", "organisation", "published", "sample_description", "sample_size", "sample_size_qualifier",
           "measure", "base", "share", "share_qualifier", "count", "count_qualifier", "count_unit", "source_url",
           "notes"]


def frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame([{c: r.get(c) for c in COLUMNS} for r in rows])
    for c in ("sample_size", "count"):
        out[c] = out[c].astype("Int64")
    out["share"] = out["share"].astype("Float64")
    return out


def study(**extra) -> list[dict]:
    base = {"organisation": "Lab", "sample_size": 1000, "sample_size_qualifier": "exact",
            "source_url": "https://lab.example/report", "notes": "Sample size is 1,000 posts."}
    rows = [
        {"evidence_id": "attire", "measure": "minimal_attire", "base": "all_images", "share": 0.5,
         "share_qualifier": "exact"},
        {"evidence_id": "minor", "measure": "appeared_minor", "base": "minimal_attire", "share": 0.1,
         "share_qualifier": "exact"},
        {"evidence_id": "raw", "measure": "sexualised", "base": "all_images", "count": 650, "count_qualifier": "exact"},
        {"evidence_id": "total", "measure": "sexualised", "base": "all_images", "count": 3_000_000,
         "count_qualifier": "about"},
        {"evidence_id": "rate", "measure": "per_hour", "base": "rate", "count": 80, "count_qualifier": "about",
         "sample_size": None, "sample_size_qualifier": None},
    ]
    return [{**base, **r, **extra.get(r["evidence_id"], {})} for r in rows]


def test_wilson_known_values():
    assert [round(x, 4) for x in wilson_interval(5, 10)] == [0.2366, 0.7634]
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and round(hi, 4) == 0.2775
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and round(lo, 4) == 0.7225
    lo90, hi90 = wilson_interval(5, 10, confidence=0.90)
    assert 0.2366 < lo90 and hi90 < 0.7634


def test_wilson_rejects_bad_input():
    for args in ((1, 0), (11, 10), (-1, 10), (1, float("nan"))):
        with pytest.raises(ValueError):
            wilson_interval(*args)
    with pytest.raises(ValueError, match="confidence"):
        wilson_interval(1, 10, confidence=95)


@given(st.integers(1, 100_000), st.data())
def test_wilson_contains_the_share_and_stays_in_unit_interval(n, data):
    k = data.draw(st.integers(0, n))
    lo, hi = wilson_interval(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0


def test_counts_respect_the_base():
    got = counts(frame(study())).set_index("evidence_id")
    assert got.loc["attire", "implied_count"] == pytest.approx(500)
    # 10% of the minimal-attire subset (500), not of the 1,000 sample
    assert got.loc["minor", "implied_count"] == pytest.approx(50)
    assert got.loc["minor", "count_kind"] == "exact"
    assert math.isnan(got.loc["rate", "implied_count"])


def test_a_more_than_qualifier_makes_the_count_a_bound_and_it_propagates():
    rows = study(attire={"share_qualifier": "more_than"})
    got = counts(frame(rows)).set_index("evidence_id")
    assert got.loc["attire", "count_kind"] == "lower"
    assert got.loc["minor", "count_kind"] == "lower"        # a share of a lower-bounded subset
    table = published_figures(frame(rows)).set_index("evidence_id")
    assert table.loc["attire", "kind"].startswith("lower bound")


def test_bound_kind_combinations():
    assert bound_kind("exact", "exact") == "exact"
    assert bound_kind("about", "exact") == "approximate"
    assert bound_kind("more_than", "about") == "lower"
    assert bound_kind("less_than", "exact") == "upper"
    assert bound_kind("more_than", "less_than") == "unknown"
    assert bound_kind(None, pd.NA) == "exact"


def test_rounding_range():
    assert rounding_range(0.02) == pytest.approx((0.015, 0.025))
    assert rounding_range(0.53) == pytest.approx((0.525, 0.535))


def test_published_figures_table():
    table = published_figures(frame(study())).set_index("evidence_id")
    lo, hi = wilson_interval(50, 500)
    assert table.loc["minor", "ci_low"] == pytest.approx(lo) and table.loc["minor", "ci_high"] == pytest.approx(hi)
    assert table.loc["minor", "ci_count_low"] == pytest.approx(lo * 500)
    assert "subset" in table.loc["minor", "comment"]
    # an exact in-sample count gives the share
    assert table.loc["raw", "share"] == pytest.approx(0.65) and table.loc["raw", "implied_count"] == 650
    # a population extrapolation bigger than the sample gets no sampling interval
    assert pd.isna(table.loc["total", "ci_low"]) and "extrapolation" in table.loc["total", "comment"]
    assert pd.isna(table.loc["rate", "ci_low"]) and "no sample size" in table.loc["rate", "comment"]


def test_sample_size_override_shows_the_effect_of_a_disputed_sample():
    base = published_figures(frame(study())).set_index("evidence_id")
    smaller = published_figures(frame(study()), sample_size={"Lab": 400}).set_index("evidence_id")
    assert smaller.loc["minor", "implied_count"] == pytest.approx(20)
    assert (smaller.loc["minor", "ci_high"] - smaller.loc["minor", "ci_low"]
            > base.loc["minor", "ci_high"] - base.loc["minor", "ci_low"])
    with pytest.raises(ValueError, match="no evidence rows"):
        counts(frame(study()), sample_size={"Nobody": 1})


def test_kit_data_ai_forensics_counts_and_disagreement():
    ev = aireg.load_evidence()
    table = published_figures(ev).set_index("evidence_id")
    # the shares are of about 20,000 images; 50,000 counts the posts they were drawn from
    assert table.loc["aif-minimal-attire", "implied_count"] == pytest.approx(0.53 * 20_000)
    assert table.loc["aif-women", "implied_count"] == pytest.approx(0.81 * 0.53 * 20_000), "a share of a subset"
    assert table.loc["aif-appeared-minor", "implied_count"] == pytest.approx(0.02 * 20_000)
    claims = sample_size_claims(ev, "AI Forensics")
    assert {50_000.0, 20_000.0} <= set(claims["sample_size"])
    assert "about" in claims.set_index("sample_size").loc[20_000.0, "qualifier"]
    nyt = sample_size_claims(ev, "The New York Times")
    assert list(nyt["sample_size"]) == [4_400_000.0], "a daily output figure is not a sample size"
    with pytest.raises(ValueError):
        sample_size_claims(ev, "Nobody")


def test_readable_and_compare_sample_sizes():
    ev = aireg.load_evidence()
    view = readable(published_figures(ev)).set_index("figure")
    assert view.loc["aif-appeared-minor", "implied count"] == "400"
    assert view.loc["aif-women", "implied count"] == "8,586"
    assert view.loc["aif-appeared-minor", "share if rounded"] == "1.50% to 2.50%"
    assert view.loc["ccdh-sexualised-total", "published count"] == "3,000,000 images (about)"
    assert view.loc["aif-public-figures", "published count"] == "", "an unverified count is not shown"
    assert view.loc["oh-rate-per-hour", "published count"] == "6,700 images per hour (about)"
    both = compare_sample_sizes(ev, "AI Forensics")
    minor = both[both["figure"] == "aif-appeared-minor"].set_index("sample size")
    assert minor.loc["50,000", "implied count"] == "1,000" and minor.loc["20,000", "implied count"] == "400"
