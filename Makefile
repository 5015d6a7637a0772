# The README's commands. Everything runs from a virtual environment that
# these targets create, so a fresh machine needs only python3 and make.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c 'import hashlib,sys;print(hashlib.sha1(open("pyproject.toml","rb").read()).hexdigest()[:12])')

FUZZ_SECONDS ?= 600

.PHONY: setup site serve check test lint schema bench fuzz clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

## Build the sample briefing into site/: check, then the site (strict) and PDFs.
site: setup
	tools/system-deps
	$(BIN)/briefing check --strict
	$(BIN)/briefing build

## Serve the site with live reload on http://127.0.0.1:8000/
serve: setup
	$(BIN)/briefing serve

check: setup
	$(BIN)/briefing check

## Run every test: lint, types, schema freshness, pytest (browser tests included).
test: setup lint
	tools/system-deps --test
	$(BIN)/briefing schema --check
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check generator tests bench tools
	$(BIN)/mypy

## Regenerate the editors' JSON Schema from the model.
schema: setup
	$(BIN)/briefing schema

bench: setup
	$(BIN)/python bench/bench.py

## Fuzz the loader, validator, linker, publisher and renderer with atheris
## for FUZZ_SECONDS (600); new inputs and crashes go to .fuzz/.
fuzz: setup
	$(BIN)/python -m pip install --quiet 'atheris>=2.3'
	$(BIN)/python tools/fuzz.py --seconds $(FUZZ_SECONDS)

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis .fuzz
