# The kit's commands. README's Quick start is `make lab` and `make test`; both set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader shells out to `alembic` and `jupyter`: the venv's bin must be first on PATH.
export PATH := $(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

RUNTIME := $(VENV)/.runtime-installed
TESTDEPS := $(VENV)/.test-installed

.PHONY: help install install-test lock prepare lab lab-instructor hub bench-hub check test test-fast lint bench vendor slides present \
	release collect autograde feedback export grade clean

help:
	@echo "make lab     set up and open the kit in JupyterLab (start-here lesson)"
	@echo "make test    set up and run every test (browser tests need /usr/bin/chromium)"
	@echo "make bench   run the benchmarks, write benchmarks/results.json"
	@echo "make vendor  refresh vendored offline assets from the npm registry (needs npm)"
	@echo "make slides  export every lesson to an offline reveal.js slideshow under slides/"
	@echo "make present serve the explorers as Voila dashboards (no code shown), offline"
	@echo "make check   pre-workshop check: pins, offline assets, data, extensions (no network needed)"
	@echo "make hub     a JupyterHub for a class on this server, as root (hub/README.md)"
	@echo "make lock    recompile the complete package locks from binder/requirements.in and requirements-test.in"
	@echo "instructor:  make release | collect ZIP=path [ASSIGNMENT=a] | autograde | feedback | export  (see assignments/README.md)"

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUNTIME): binder/requirements.txt pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -r binder/requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(TESTDEPS): requirements-test.txt $(RUNTIME)
	$(BIN)/pip install -q -r requirements-test.txt
	touch $@

install: $(RUNTIME)

install-test: $(TESTDEPS)

# Recompile the complete locks from binder/requirements.in and requirements-test.in (pip-compile).
lock: $(TESTDEPS)
	$(BIN)/python scripts/lock.py

# Student view: settings, student (release) versions of assignments, instructor-only extensions off.
prepare: $(RUNTIME)
	$(BIN)/python scripts/prepare.py --student

lab: prepare
	$(BIN)/python scripts/lab.py $(LAB_ARGS)

# Instructor view: Formgrader on the course (assignments/ or $(AIREG_COURSE)), its config and exchange, every
# nbgrader tool on for this server only.
lab-instructor: $(RUNTIME)
	$(BIN)/python scripts/prepare.py --student
	$(BIN)/python scripts/lab.py --instructor $(LAB_ARGS)

# The local hub's proxy (configurable-http-proxy), pinned in hub/package-lock.json, from the npm registry.
HUBPROXY := hub/node_modules/.bin/configurable-http-proxy
$(HUBPROXY): hub/package.json hub/package-lock.json
	npm ci --prefix hub --no-audit --no-fund --loglevel=error
	touch $@

# A JupyterHub for a class on this server (run as root; hub/README.md): local accounts, nbgrader's exchange.
hub: $(RUNTIME) $(HUBPROXY)
	$(BIN)/python scripts/prepare.py --student
	$(BIN)/python scripts/hub.py setup $(HUB_ARGS)
	$(BIN)/python scripts/hub.py start

test: $(TESTDEPS)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(HUBPROXY); \
	else echo "npm not found: the JupyterHub test will skip (CI installs node)"; fi
	$(BIN)/python scripts/prepare.py --student
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(TESTDEPS)
	$(BIN)/python -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

check: $(RUNTIME)
	$(BIN)/python scripts/preflight.py

lint: $(TESTDEPS)
	$(BIN)/ruff check .

bench: $(TESTDEPS)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Sizing figures for a class on JupyterHub (as root: creates accounts aireg-load-NN; loopback only).
bench-hub: $(TESTDEPS) $(HUBPROXY)
	$(BIN)/python benchmarks/hub_load.py $(BENCH_ARGS)

vendor: $(TESTDEPS)
	$(BIN)/python scripts/vendor.py

slides: $(RUNTIME)
	$(BIN)/python scripts/slides.py

present: $(RUNTIME)
	$(BIN)/python scripts/present.py $(PRESENT_ARGS)

# --- instructor pipeline (run from the repo root; the course root is assignments/) ---------------
release: $(RUNTIME)
	$(BIN)/python -m aireg.grading release

collect: $(RUNTIME)
	$(BIN)/python -m aireg.grading collect $(ZIP) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

autograde: $(RUNTIME)
	AIREG_GRADING_WORKERS=$(or $(WORKERS),1) $(BIN)/python -m aireg.grading autograde $(ASSIGNMENT)

feedback: $(RUNTIME)
	$(BIN)/python -m aireg.grading feedback $(ASSIGNMENT)

export: $(RUNTIME)
	$(BIN)/python -m aireg.grading export $(if $(OUT),--to $(OUT),)

grade: collect autograde feedback export

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts slides student
