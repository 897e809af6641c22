# One command runner for people and CI alike (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install clients run test lint proto bench clean

# The venv is rebuilt only when a dependency list changes, so `make install` is quick when nothing did.
$(STAMP): pyproject.toml clients/python/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e clients/python -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/mcgateway serve --listen 127.0.0.1:50051

# Go, Java and Node clients: fetch pinned dependencies and build (quick when nothing changed).
clients: install
	@if [ -x clients/build.sh ]; then clients/build.sh; fi

# pytest drives every suite, the other languages' tests included (tests/polyglot), against a real
# gateway and emulator; it exits non-zero on any failure and when no test ran.
test: install clients
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	cd proto && ../$(BIN)/buf lint

proto: install
	$(BIN)/python scripts/gen_proto.py

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
