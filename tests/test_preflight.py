"""`make check`, the pre-workshop check, passes here and names what is broken."""

from __future__ import annotations

import subprocess
import sys

from testkit import ROOT

SCRIPT = [sys.executable, str(ROOT / "scripts" / "preflight.py")]


def test_preflight_passes_on_this_install():
    out = subprocess.run(SCRIPT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "ready for an offline workshop" in out.stdout
    for name in ("pins", "offline assets", "datasets", "sources", "lab extensions", "lessons"):
        assert f"OK    {name}:" in out.stdout
    for file in ("grok-2026/responses.csv", "grok-2026/timeline.csv", "grok-2026/evidence.csv",
                 "legal/penalty_regimes.csv", "companies/figures.csv"):
        assert f"{file}: " in out.stdout and "aggregator-only" in out.stdout


def test_preflight_fails_when_a_file_misses_its_source_target(data_copy):
    """Downgrading one response's citations to aggregator-only fails `make check`, naming the file."""
    import csv
    import io

    path = data_copy / "grok-2026" / "citations.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    head = rows[0]
    rid = next(r[1] for r in rows[1:] if r[0] == "responses")
    for r in rows[1:]:
        if r[1] == rid:
            r[head.index("kind")], r[head.index("note")] = "aggregator", "test: nothing better"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    out = subprocess.run(SCRIPT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "FAIL  sources:" in out.stdout and "grok-2026/responses.csv: 1 of" in out.stdout


def test_preflight_names_a_broken_dataset(data_copy):
    path = data_copy / "grok-2026" / "responses.csv"
    path.write_text(path.read_text().replace(",2026-01-12,", ",2026-13-12,", 1))
    out = subprocess.run(SCRIPT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "FAIL  datasets:" in out.stdout and "responses.csv" in out.stdout and "column 'date'" in out.stdout
    assert "OK    offline assets:" in out.stdout, "the other checks still run"
