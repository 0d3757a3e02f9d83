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
    for name in ("pins", "offline assets", "datasets", "lab extensions", "lessons"):
        assert f"OK    {name}:" in out.stdout


def test_preflight_names_a_broken_dataset(data_copy):
    path = data_copy / "grok-2026" / "responses.csv"
    path.write_text(path.read_text().replace("2026-01-12", "2026-13-12", 1))
    out = subprocess.run(SCRIPT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "FAIL  datasets:" in out.stdout and "responses.csv" in out.stdout and "column 'date'" in out.stdout
    assert "OK    offline assets:" in out.stdout, "the other checks still run"
