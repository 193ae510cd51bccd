# The README's two commands: `make lab` and `make test`. Both are idempotent; .venv is rebuilt only when
# the pinned requirements (or pyproject.toml) change, tracked by stamp files inside .venv.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
UV_BIN := $(BIN)/uv
# uv uses the operating system's certificate store (works behind proxies with a local CA).
UV := UV_NATIVE_TLS=1 $(UV_BIN)
PORT ?= 8888
START_NOTEBOOK := notebooks/00_start_here.ipynb

.PHONY: binder-links lab test lint format unit notebooks browser assignments lock benchmark clean help

help:
	@echo "make lab    - install (first time) and open JupyterLab on $(START_NOTEBOOK)"
	@echo "make test   - install test tools (first time) and run every check"
	@echo "make lint   - ruff check and ruff format --check;  make format - apply the formatter"
	@echo "make unit   - unit and property tests only (no browser, no slow, no hub);  make notebooks - nbval only;  make browser - browser tests only"
	@echo "make assignments - regenerate student notebooks and autograders from coursework/sources"
	@echo "make benchmark   - run the speed benchmarks"
	@echo "make binder-links REPO=owner/name [PUBLISHED=1] - point every Binder link at that repository"
	@echo "make lock   - re-pin binder/requirements.txt and requirements-test.txt from the .in files"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python >= 3.11 is needed, found " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)

$(UV_BIN): | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.runtime-stamp: binder/requirements.txt pyproject.toml binder/write_lab_settings.py | $(UV_BIN)
	$(UV) pip install --quiet --python $(BIN)/python -r binder/requirements.txt
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/python binder/write_lab_settings.py
	touch $@

$(VENV)/.test-stamp: requirements-test.txt $(VENV)/.runtime-stamp
	$(UV) pip install --quiet --python $(BIN)/python -r requirements-test.txt
	touch $@

lab: $(VENV)/.runtime-stamp
	@echo "Starting JupyterLab on port $(PORT). Open the address printed below (http://localhost:$(PORT)/lab?token=...)"
	@echo "in a browser on this machine; it holds the access token. Stop the server with Ctrl+C, then y (or Ctrl+C twice)."
	@echo "Closing a notebook's tab shuts its kernel down; idle kernels with no open tab are shut down after 10 minutes."
	$(BIN)/jupyter lab $(START_NOTEBOOK) "--ServerApp.root_dir=$(CURDIR)" --port=$(PORT) $(if $(filter 0,$(shell id -u)),--allow-root,)

# Binder links in README, CITATION.cff and docs/instructors.md from binder/repository.json (one setting).
binder-links:
	$(PYTHON) binder/binder_links.py $(if $(REPO),--repo $(REPO),) $(if $(PUBLISHED),--published $(PUBLISHED),)

PYTEST := $(BIN)/python -m pytest -p no:cacheprovider
NBVAL := --nbval-lax --nbval-current-env

test: lint $(VENV)/.test-stamp
	$(PYTEST) tests notebooks coursework/sources dashboards $(NBVAL)

lint: $(VENV)/.test-stamp
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.test-stamp
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

unit: $(VENV)/.test-stamp
	$(PYTEST) tests -m "not browser and not slow and not hub"

notebooks: $(VENV)/.test-stamp
	$(PYTEST) notebooks coursework/sources dashboards $(NBVAL)

browser: $(VENV)/.test-stamp
	$(PYTEST) tests -m browser

assignments: $(VENV)/.test-stamp
	$(BIN)/python -m baclofen_teach.coursework build

benchmark: $(VENV)/.test-stamp
	$(BIN)/python benchmarks/run_all.py

lock: | $(UV_BIN)
	$(UV) pip compile -q --universal --python-version 3.11 --no-header binder/requirements.in -o binder/requirements.txt
	$(UV) pip compile -q --universal --python-version 3.11 --no-header requirements-test.in -o requirements-test.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis coursework/build
