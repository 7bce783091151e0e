# Two commands on a fresh machine: `make crawl` (the live site) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUTPUT ?= output

.PHONY: install crawl daily status demo test test-fast lint typecheck bench clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

## One crawl of the live English site: its new and changed articles into $(OUTPUT)/news/<run id>.jsonl
crawl: install
	$(BIN)/scrapy crawl news -s CSTOCRAWL_OUTPUT_DIR=$(OUTPUT)

## What cron runs every day: new and changed articles only, one run at a time, exit code says how
## it went (docs/operations.md)
daily: install
	$(BIN)/python -m cstocrawl.runs.cron news -s CSTOCRAWL_OUTPUT_DIR=$(OUTPUT)

## Whether the daily runs happen: the last runs, the age of latest.jsonl; exit 1 (STALE) when no
## run was promoted for 2 days (docs/operations.md, "Is it running?")
status: install
	$(BIN)/python -m cstocrawl.runs.status $(OUTPUT)

## Crawl the bundled replica of the site on 127.0.0.1, offline, and show the dataset
demo: install
	$(BIN)/python -m tests.replica.demo --output $(OUTPUT)/demo

lint: install
	$(BIN)/ruff check .

## mypy --strict on cstocrawl/, tests/ and bench/ ([tool.mypy] in pyproject.toml)
typecheck: install
	$(BIN)/mypy

## Everything: ruff, mypy and the whole suite, the end-to-end crawls included
test: install lint typecheck
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

## The in-process tests only, under a minute, for the edit-test loop; `make test` before a commit.
## tests/conftest.py marks `e2e` every test that starts a process, and `engine` every test that
## runs whole crawls with the real engine in process (tests/crawling.py's crawl_in_process)
test-fast: install
	$(BIN)/python -m pytest -q -n 2 --dist loadfile -m "not e2e and not engine"

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
