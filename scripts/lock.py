"""``make lock``: compile the short requirement lists into complete locks with pip-compile (pip-tools).

- ``binder/requirements.in`` -> ``binder/requirements.txt``: every runtime package, transitive ones included, pinned
  exactly. ``make lab``, ``make test`` and Binder install this file, so all three run the same software.
- ``requirements-test.in`` -> ``requirements-test.txt``: the test tools and their dependencies, resolved under the
  runtime lock (as a constraint) and listing only what the runtime lock does not already pin; it starts with
  ``-r binder/requirements.txt``.

Run it after changing a ``.in`` file; ``tests/test_repo.py`` fails when the installed environment differs.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_IN, RUNTIME_LOCK = ROOT / "binder" / "requirements.in", ROOT / "binder" / "requirements.txt"
TEST_IN, TEST_LOCK = ROOT / "requirements-test.in", ROOT / "requirements-test.txt"
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==")
OPTIONS = ["--quiet", "--strip-extras", "--allow-unsafe", "--no-emit-index-url", "--no-emit-find-links",
           "--no-emit-trusted-host", "--no-header", "--resolver=backtracking"]


def compile_lock(source: Path, output: Path, *extra: str) -> None:
    # paths relative to the repository, so that the "# via" notes in the lock name no machine path
    cmd = [sys.executable, "-m", "piptools", "compile", *OPTIONS, *extra, "-o", _rel(output), _rel(source)]
    subprocess.run(cmd, check=True, cwd=ROOT)


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def _name(line: str) -> str | None:
    m = PIN.match(line.strip())
    return re.sub(r"[-_.]+", "-", m.group(1)).lower() if m else None


def main() -> int:
    compile_lock(RUNTIME_IN, RUNTIME_LOCK)
    head = ("# The complete runtime lock, compiled by `make lock` (pip-compile) from binder/requirements.in: every\n"
            "# package pinned exactly, transitive ones included. Do not edit by hand.\n")
    RUNTIME_LOCK.write_text(head + RUNTIME_LOCK.read_text())
    runtime = {_name(x) for x in RUNTIME_LOCK.read_text().splitlines()} - {None}
    with tempfile.TemporaryDirectory() as tmp:
        full = Path(tmp) / "test-full.txt"
        compile_lock(TEST_IN, full, "--constraint", _rel(RUNTIME_LOCK))
        kept, skip = [], False
        for line in full.read_text().splitlines():
            name = _name(line)
            if name is not None:
                skip = name in runtime
            if not skip:
                kept.append(line)
    TEST_LOCK.write_text("# The test tools' lock, compiled by `make lock` from requirements-test.in under the runtime lock;\n"
                         "# packages the runtime lock pins are not repeated. Do not edit by hand.\n"
                         "-r binder/requirements.txt\n" + "\n".join(kept).strip() + "\n")
    n_run = len(runtime)
    n_test = sum(1 for x in kept if _name(x))
    print(f"locked {n_run} runtime packages in {RUNTIME_LOCK.relative_to(ROOT)} and {n_test} test-only packages in "
          f"{TEST_LOCK.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
