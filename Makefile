# evalkit: `make reports` builds the demo study's reports, `make test` runs the tests.
# Both create .venv and install evalkit on first use; nothing else is needed.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.evalkit-installed
STUDY  ?= demo
# Test worker processes (pytest-xdist): one per core; each test file runs in one worker
TEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help install reports data clean-data test lint format lab bench docs clean mutate

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install evalkit with its dependencies

data: $(STAMP) ## Write the demo study to data/raw/demo (only if data/raw holds no study)
	$(BIN)/evalkit demo-data --if-missing

clean-data: data ## Clean every raw study into data/processed
	$(BIN)/evalkit clean --all

# Where Chromium or Chrome is installed, `make reports` also prints each report to PDF
PDF := $(shell command -v chromium chromium-browser google-chrome >/dev/null 2>&1 && echo --pdf)

reports: clean-data ## Produce every study's HTML (and, with Chromium, PDF) reports in reports/, in Indonesian and English
	$(BIN)/evalkit report --all --lang both $(PDF)

test: $(STAMP) ## Run the test suite (lint, unit, doctests, notebooks, browser)
	$(BIN)/ruff check evalkit tests benchmarks
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check evalkit tests benchmarks
	$(BIN)/ruff format --check evalkit tests benchmarks

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format evalkit tests benchmarks
	$(BIN)/ruff check --fix evalkit tests benchmarks

lab: $(STAMP) ## Open JupyterLab on the project (kernel "Python 3 (ipykernel)" of .venv)
	$(BIN)/jupyter lab --notebook-dir=. $$(test "$$(id -u)" = 0 && echo --allow-root)

bench: clean-data ## Run the benchmarks (cleans the demo first; re-runs its reports with --force)
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/reports.py

mutate: $(STAMP) ## Mutation-test one metric module: make mutate MODULE=economics (slow)
	$(BIN)/python mutation/run.py $(or $(MODULE),economics)

docs: $(STAMP) ## Regenerate docs/api.md from the docstrings
	$(BIN)/python -m evalkit.apidoc > docs/api.md

clean: ## Remove processed data and reports (raw data and the tracked README files are kept)
	find data/processed reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
