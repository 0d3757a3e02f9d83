"""Citations as data: the quality targets per file, official legal texts, and the "data verified to" line."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

import aireg
from aireg import sources
from aireg.data import CITATION_KINDS, DataError, is_blocked, load_citations, url_domain

REPORT = sources.source_quality()

# Targets of the sources issue, per file: the share of rows whose best citation is only an aggregator.
TARGETS = {"grok-2026/responses.csv": 0.0, "grok-2026/evidence.csv": 0.0, "legal/penalty_regimes.csv": 0.0,
           "legal/dsa_procedure.csv": 0.0, "legal/access_restriction_conditions.csv": 0.0,
           "grok-2026/timeline.csv": 0.10, "companies/figures.csv": 0.10,
           "chatgpt-italy-2023/responses.csv": 0.0, "chatgpt-italy-2023/timeline.csv": 0.10,
           "deepseek-2025/responses.csv": 0.0, "deepseek-2025/timeline.csv": 0.10}

WIRE_HOSTS = ("reuters.com", "afp.com", "apnews.com", "ptinews.com", "bernama.com", "antaranews.com", "yna.co.kr",
              "kyodonews.net", "ansa.it", "dpa.com", "efe.com", "agenceurope.eu", "ianslive.in", "aninews.in",
              "tass.com", "news.cn", "xinhuanet.com", "newsis.com")
OFFICIAL_LEGAL_HOSTS = ("eur-lex.europa.eu", "legislation.gov.uk", "irishstatutebook.ie", "revisedacts.lawreform.ie",
                        "legifrance.gouv.fr", "congress.gov", "govinfo.gov", "federalregister.gov", "ecfr.gov",
                        "curia.europa.eu", "austlii.edu.au")


def test_report_covers_every_cited_file():
    assert set(REPORT["file"]) == set(TARGETS)
    assert (REPORT[list(CITATION_KINDS)].sum(axis=1) == REPORT["rows"]).all()


@pytest.mark.parametrize("file", sorted(TARGETS))
def test_aggregator_share_meets_target(file):
    row = REPORT.set_index("file").loc[file]
    assert row["target"] == TARGETS[file], "the package's maxAggregatorShare was loosened"
    assert row["aggregator_share"] <= TARGETS[file] + 1e-12, (
        f"{file}: {row['aggregator']} of {row['rows']} rows rest only on aggregators")
    assert row["meets_target"]


@pytest.mark.parametrize("package", sources.cited_packages())
def test_no_citation_uses_a_blocked_domain(package):
    blocked = [u for u in load_citations(package)["url"] if is_blocked(u)]
    assert not blocked
    assert is_blocked("https://www.bitcoinethereumnews.com/x") and is_blocked("https://a.heroku.briefly.co/y")
    assert not is_blocked("https://www.reuters.com/x")


@pytest.mark.parametrize("package", sources.cited_packages())
def test_copies_say_what_they_copy(package):
    """A wire story read on a client's site, or a release read on a mirror, is recorded as a copy."""
    cit = load_citations(package)
    mirrors = cit["url"].map(url_domain).isin(["pubt.io", "miragenews.com", "eurekastatenews.com", "yubanet.com"])
    assert cit.loc[mirrors, "copy_of"].notna().all()
    wire = cit[cit["kind"] == "wire"]
    on_client_site = ~wire["url"].map(url_domain).str.endswith(WIRE_HOSTS)
    assert wire.loc[on_client_site, "copy_of"].notna().all(), list(wire.loc[on_client_site & wire["copy_of"].isna(), "url"])


@pytest.mark.parametrize("table", ["penalty_regimes", "dsa_procedure", "access_restriction_conditions"])
def test_every_legal_row_cites_its_official_text(table):
    """Each legal row cites the text on an official site (or a legal information institute's verbatim copy);
    where no such page could be read, a citation says so instead of pretending."""
    cit = load_citations("legal")
    cit = cit[cit["resource"] == table]
    for regime_id in cit["row_id"].unique():
        mine = cit[cit["row_id"] == regime_id]
        hosts = [url_domain(u) for u in mine.loc[mine["kind"] == "primary", "url"]]
        official = any(h.endswith(OFFICIAL_LEGAL_HOSTS) for h in hosts)
        said_so = mine["note"].fillna("").str.contains("official text was not found").any()
        assert official or said_so, f"{regime_id}: no official text cited ({hosts}) and no note saying why"


def test_eu_acts_cited_by_eli():
    cit = load_citations("legal")
    eurlex = cit[cit["url"].map(url_domain) == "eur-lex.europa.eu"]["url"]
    assert len(eurlex) and eurlex.str.contains("/eli/reg/").all()


def test_status_as_of_on_every_row_that_can_change():
    r = aireg.load_responses()
    live = r[r["status"] != "one_off"]
    assert live["status_as_of"].notna().all(), list(live.loc[live["status_as_of"].isna(), "response_id"])
    assert (live["status_as_of"] >= live["date"]).all()


def _set_status_as_of(path, response_id, value):
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index("status_as_of")
    for r in rows[1:]:
        if r[0] == response_id:
            r[col] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_data_currency_is_computed_from_the_data(data_copy):
    c = sources.data_currency()
    r = aireg.load_responses()
    live = r[r["status"] != "one_off"]
    assert c.verified_to == live["status_as_of"].min().date()
    assert c.latest_development == max(r["date"].max(), aireg.load_timeline()["date"].max()).date()
    banner = sources.currency_banner()
    assert f"Data verified to {c.verified_to.day} {c.verified_to:%B %Y}" in banner
    # an older check on one row moves the line
    _set_status_as_of(data_copy / "grok-2026" / "responses.csv", live["response_id"].iloc[0], "2026-07-01")
    assert sources.data_currency().verified_to == date(2026, 7, 1)
    assert "Data verified to 1 July 2026" in sources.currency_banner()


def test_data_currency_refuses_a_missing_check(data_copy):
    rid = aireg.load_responses().query("status == 'open'")["response_id"].iloc[0]
    _set_status_as_of(data_copy / "grok-2026" / "responses.csv", rid, "")
    with pytest.raises(DataError, match=rf"{rid}.*status_as_of|status_as_of.*{rid}"):
        sources.data_currency()


def test_citation_table_and_source_mix_agree():
    mix = sources.source_mix()
    assert list(mix.columns) == ["responses", "timeline", "evidence"]
    assert mix["responses"].sum() == len(aireg.load_responses())
    table = sources.citation_table(resource="evidence")
    assert set(table["Table"]) == {"evidence"} and table["Who said it"].str.len().min() > 0
    prim = sources.citation_table(kind="primary")
    assert len(prim) and (prim["Kind"] == "Primary").all()
    fig = sources.source_mix_figure()
    assert [t.name for t in fig.data] == list(mix.index)
    assert sum(sum(t.y) for t in fig.data) == int(mix.to_numpy().sum())


def test_setup_shows_the_currency_line():
    html = aireg.setup(display=False)
    assert "Data verified to" in html and isinstance(pd.Timestamp(sources.data_currency().verified_to), pd.Timestamp)


def _teaching_texts():
    from testkit import ROOT

    files = sorted((ROOT / "lessons").rglob("*.ipynb")) + sorted((ROOT / "assignments" / "source").rglob("*.ipynb"))
    files += [ROOT / "README.md", ROOT / "datasets" / "README.md", ROOT / "assignments" / "README.md"]
    return [(f.relative_to(ROOT), f.read_text(encoding="utf-8")) for f in files if f.exists()]


def test_lessons_link_only_to_cited_or_official_pages():
    """Lessons, assignments and READMEs link to no blocked site, and any news link they carry is a cited one."""
    import re

    cited = set()
    for package in sources.cited_packages():
        cited |= set(load_citations(package)["url"])
    allowed_hosts = OFFICIAL_LEGAL_HOSTS + ("creativecommons.org", "nbgrader.readthedocs.io", "mybinder.org",
                                            "specs.frictionlessdata.io", "jupyter.org", "naturalearthdata.com")
    for rel, text in _teaching_texts():
        for url in re.findall(r"https?://[^\s)>\]\"'\\]+", text):
            url = url.rstrip(".,;")
            assert not is_blocked(url), f"{rel}: links to a blocked site: {url}"
            assert url in cited or url_domain(url).endswith(allowed_hosts), f"{rel}: uncited link {url}"


def test_lesson_source_lists_link_only_vetted_pages():
    frame = sources.row_sources("grok-2026", "timeline")
    page = sources.sources_html(frame)
    cit = load_citations("grok-2026")
    agg = cit[(cit["resource"] == "timeline") & (cit["kind"] == "aggregator")]
    assert len(agg), "the timeline keeps at least one aggregator-only row (with its reason)"
    for url in agg["url"]:
        assert url not in page, "an aggregator page is named, never linked"
    vetted = cit[(cit["resource"] == "timeline") & (cit["kind"] == "primary")]["url"].iloc[0]
    assert f"href='{vetted}'" in page and "[not linked]" in page
