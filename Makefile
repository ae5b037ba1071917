# Two commands do all set-up on a fresh machine (see README):
#   make sample   — create ./.venv, install, ingest samples/ into ./budgetdw.duckdb
#   make test     — create ./.venv, install, run the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

.PHONY: install sample test test-slow lint reference-pdf
install: $(STAMP)

sample: $(STAMP)
	mkdir -p out
	$(BIN)/budgetdw ingest samples/ --report out/report.json

test: $(STAMP)
	$(BIN)/pytest -q

# The quality gate CI runs too: pyflakes, pycodestyle, isort, bugbear, mccabe (pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .

# Whole real corpus (../shared/corpus/real); CI runs it too.
test-slow: $(STAMP)
	$(BIN)/pytest -q -m slow

# Re-render samples/ reference PDF and its ground truth from ../shared/seeds, and the final-account reference
# of tests/fixtures/reference/ (needs a CJK font).
reference-pdf: $(STAMP)
	$(BIN)/python -m tools.reference_pdf
	$(BIN)/python -m tools.reference_pdf.final
