# `make demo` and `make test` install everything they need into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false

# Every core (pytest-xdist), a module's tests on one worker; the homes many modules
# read are built once (tests/python/conftest.py). `make test PARALLEL=` runs one process.
PARALLEL ?= -n auto --dist loadfile

.PHONY: help install browser java demo test test-fast test-spark lint pytest bench docs clean

## List the targets and what each does.
help:
	@awk '/^## /{text=substr($$0, 4); next} /^[a-z-]+:/{if (text) printf "  make %-10s %s\n", substr($$1, 1, length($$1)-1), text; text=""}' $(MAKEFILE_LIST)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

## Create .venv and install the project and its tools into it.
install: $(INSTALLED)

## Run the whole pipeline on built-in synthetic sample data (into ./build/demo).
demo: $(INSTALLED)
	rm -rf build/demo
	LIIA_HOME=$(CURDIR)/build/demo $(BIN)/liia demo

## Every test: linters, then pytest (which builds the dbt project and runs its tests).
test: lint pytest

## The quick loop: ruff and the tests that need no dbt or pipeline run (skipped ones say why).
test-fast: $(INSTALLED)
	$(BIN)/ruff check src tests scripts
	LIIA_TESTS_FAST=1 $(BIN)/pytest -q -m "not slow" $(PARALLEL)

## pytest alone (it runs the pipeline and dbt's own tests).
pytest: $(INSTALLED) browser java
	$(BIN)/pytest $(PARALLEL) --durations=25

## The cross-engine test alone: the same sample built on DuckDB and on Spark.
test-spark: $(INSTALLED) java
	$(BIN)/pytest -q -m spark tests/python/spark

## Java 17 from Debian's packages for Spark (the Spark tests skip, saying why, without it).
java:
	@if command -v java >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Java 17 (Debian package) for the Spark tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	else echo "Java is not installed and cannot be installed here: Spark tests will skip"; fi

## Chromium from Debian's packages for the page tests (they skip, saying why, without it).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Chromium (Debian package) for the page tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is not installed and cannot be installed here: page tests will skip"; fi

## ruff and sqlfluff.
lint: $(INSTALLED)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/sqlfluff lint models tests/dbt tests/dbt_fixtures snapshots

## Benchmarks per stage, JSON in build/bench/ (W=W1, W2 or W3 for one; W=W0: tiny check).
bench: $(INSTALLED)
	$(BIN)/python scripts/bench.py $(if $(W),--workloads $(W))

## dbt docs (lineage) for the demo warehouse: build/demo/dbt/target/static_index.html
docs: $(INSTALLED)
	LIIA_HOME=$(CURDIR)/build/demo $(BIN)/dbt docs generate --static --profiles-dir . \
	  --target-path $(CURDIR)/build/demo/dbt/target --log-path $(CURDIR)/build/demo/dbt/logs

## Remove everything built (build/, dbt's target/ and logs/).
clean:
	rm -rf build target logs
