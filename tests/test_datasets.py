"""The data packages validate (Frictionless), every row is sourced, the seed facts are present,
and each ceiling matches its article."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import aireg
from aireg.data import split_sources
from testkit import ROOT

PACKAGES = sorted(p.parent for p in (ROOT / "datasets").glob("*/datapackage.json"))


@pytest.mark.parametrize("package", PACKAGES, ids=[p.name for p in PACKAGES])
def test_frictionless_validates(package):
    """The real Frictionless validator (types, enums, keys, foreign keys) finds no error."""
    exe = Path(sys.executable).parent / "frictionless"
    # as an outside user would run it: no --trusted, a relative path from the repository root
    out = subprocess.run([str(exe), "validate", "--json", str(package.relative_to(ROOT) / "datapackage.json")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    report = json.loads(out.stdout)
    errors = [e["message"] for t in report["tasks"] for e in t["errors"]] + [e["message"] for e in report["errors"]]
    assert report["valid"], errors[:10]


@pytest.mark.parametrize("package", PACKAGES, ids=[p.name for p in PACKAGES])
def test_every_csv_is_described(package):
    described = {r["path"] for r in json.loads((package / "datapackage.json").read_text())["resources"]}
    for csv in package.glob("*.csv"):
        assert csv.name in described, f"{csv} is not described in datapackage.json"


@pytest.mark.parametrize("loader", [aireg.load_responses, aireg.load_timeline, aireg.load_evidence,
                                    aireg.load_penalty_regimes, aireg.load_company_figures])
def test_every_row_has_a_source(loader):
    frame = loader()
    for i, cell in enumerate(frame["source_url"], start=1):
        urls = split_sources(cell)
        assert urls and all(u.startswith(("https://", "http://")) for u in urls), f"row {i}"


SEED = {"EUU": "European Commission", "GBR": "Ofcom", "FRA": "prosecutor", "IDN": "Komdigi", "MYS": "MCMC",
        "IND": "MeitY", "US-CA": "Attorney General"}


@pytest.mark.parametrize("code,actor", SEED.items())
def test_seed_jurisdictions_present(code, actor):
    rows = aireg.load_responses().query("iso3 == @code")
    assert len(rows), f"{code} missing"
    assert rows["actor"].str.contains(actor, case=False).any(), f"{code}: no action by {actor}"


def test_seed_actions_match_the_founding_reports():
    r = aireg.load_responses()
    first = r.sort_values("date").groupby("iso3", observed=True).first()
    assert (r.query("iso3 == 'IDN'")["action_type"] == "access_block").any()
    assert (r.query("iso3 == 'MYS'")["action_type"] == "access_block").any()
    assert (r.query("iso3 == 'EUU'")["action_type"] == "formal_proceedings").any()
    assert (r.query("iso3 == 'GBR'")["action_type"] == "formal_proceedings").any()
    assert (r.query("iso3 == 'US-CA'")["action_type"] == "investigation").any()
    assert first.loc["IDN", "date"].strftime("%Y-%m") == "2026-01"
    # Blocks that were lifted are recorded as such.
    assert (r.query("iso3 in ['IDN', 'MYS']")["action_type"] == "block_lifted").sum() == 2


def test_levels_follow_codes():
    r = aireg.load_responses()
    assert (r.loc[r.iso3 == "EUU", "level"] == "supranational").all()
    assert (r.loc[r.iso3.str.contains("-"), "level"] == "subnational").all()
    assert (r.loc[r.iso3.str.fullmatch(r"[A-Z]{3}") & (r.iso3 != "EUU"), "level"] == "national").all()


# Expected ceilings, from the texts of the articles (DSA = Regulation (EU) 2022/2065, GDPR = 2016/679,
# AI Act = 2024/1689, UK Online Safety Act 2023 Sch. 13).
CEILINGS = {
    "dsa_74_1": ("74(1)", "fine", "worldwide_annual_turnover", 0.06, None, "rate_only", "once"),
    "dsa_74_2": ("74(2)", "fine", "worldwide_annual_turnover", 0.01, None, "rate_only", "once"),
    "dsa_76": ("76", "periodic_penalty", "average_daily_worldwide_turnover", 0.05, None, "rate_only", "day"),
    "dsa_52_3": ("52(3)", "fine", "worldwide_annual_turnover", 0.06, None, "rate_only", "once"),
    "dsa_52_3_info": ("52(3)", "fine", "worldwide_annual_turnover", 0.01, None, "rate_only", "once"),
    "dsa_52_4": ("52(4)", "periodic_penalty", "average_daily_worldwide_turnover", 0.05, None, "rate_only", "day"),
    "uk_osa_fine": ("Sch. 13", "fine", "qualifying_worldwide_revenue", 0.10, 18_000_000, "greater_of", "once"),
    "gdpr_83_4": ("83(4)", "fine", "worldwide_annual_turnover", 0.02, 10_000_000, "greater_of", "once"),
    "gdpr_83_5": ("83(5)", "fine", "worldwide_annual_turnover", 0.04, 20_000_000, "greater_of", "once"),
    "ai_act_99_3": ("99(3)", "fine", "worldwide_annual_turnover", 0.07, 35_000_000, "greater_of", "once"),
    "ai_act_99_4": ("99(4)", "fine", "worldwide_annual_turnover", 0.03, 15_000_000, "greater_of", "once"),
}


@pytest.mark.parametrize("regime_id", CEILINGS)
def test_ceilings_match_their_articles(regime_id):
    article, tool, basis, rate, fixed, combine, per = CEILINGS[regime_id]
    row = aireg.load_penalty_regimes().set_index("regime_id").loc[regime_id]
    assert article in row["article"]
    assert (row["tool"], row["basis"], row["combine"], row["per"]) == (tool, basis, combine, per)
    assert row["rate"] == pytest.approx(rate)
    if fixed is None:
        assert row["fixed_amount"] is None or str(row["fixed_amount"]) in ("<NA>", "nan")
    else:
        assert row["fixed_amount"] == pytest.approx(fixed)


@pytest.mark.parametrize("regime_id,article", [("dsa_70", "70"), ("dsa_51_3", "51(3)"), ("dsa_51_3", "82"),
                                               ("dsa_73_75", "75"), ("uk_osa_bdm", "144")])
def test_non_monetary_tools_cite_their_articles(regime_id, article):
    row = aireg.load_penalty_regimes().set_index("regime_id").loc[regime_id]
    assert article in row["article"] and row["basis"] == "none"


def test_company_defaults_present():
    f = aireg.load_company_figures()
    fine = f.query("metric == 'dsa_fine'")
    assert (fine["value_central"] == 120_000_000).any() and (fine["currency"] == "EUR").all()
    assert len(f.query("metric == 'annual_revenue'")) >= 2
    assert len(f.query("metric == 'eu_monthly_active_recipients'")) >= 1
    ok = f.dropna(subset=["value_low", "value_high"])
    assert ((ok.value_low <= ok.value_central) & (ok.value_central <= ok.value_high)).all()


def test_geometry_small_and_unwrapped():
    for name in ("world_110m", "us_states_110m"):
        path = ROOT / "datasets" / "geo" / f"{name}.geojson"
        assert path.stat().st_size < 600_000
        for feature in aireg.load_geometry(name)["features"]:
            geom = feature["geometry"]
            polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
            for ring in (r for p in polys for r in p):
                jumps = [abs(a[0] - b[0]) for a, b in zip(ring, ring[1:], strict=False)]
                assert max(jumps, default=0) <= 180, f"{feature['id']} crosses the antimeridian"
