# mlinfra: every target creates .venv and installs what it needs on first use.
#   make plan ENV=dev     make test     (see README.md)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ENV ?= dev
MLINFRA := $(BIN)/mlinfra

.PHONY: help lint compile plan explain preview deploy test golden schema check bench clean

help:
	@echo "make plan ENV=x | lint | compile ENV=x | preview ENV=x | deploy ENV=x"
	@echo "make test | golden | schema | check | bench | clean"

# The core (lint, compile, plan) needs no Pulumi SDK; tests and deploys install it.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.full: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[pulumi,dev]'
	touch $@ $(VENV)/.core

lint: $(VENV)/.core
	$(MLINFRA) lint

compile: $(VENV)/.core
	$(MLINFRA) compile $(ENV)

plan: $(VENV)/.core
	$(MLINFRA) plan $(ENV)

preview: $(VENV)/.full
	$(MLINFRA) deploy $(ENV) --preview

deploy: $(VENV)/.full
	$(MLINFRA) deploy $(ENV)

test: $(VENV)/.full
	$(BIN)/python -m pytest

# Regenerate the golden files of tests/cases and the shipped environments; review the
# diff like code before committing it.
golden: $(VENV)/.core
	$(BIN)/python -m tests.regenerate

schema: $(VENV)/.core
	$(MLINFRA) schema > schemas/environment.schema.json

check: $(VENV)/.full
	$(BIN)/ruff check mlinfra_compile tests
	$(BIN)/mypy

bench: $(VENV)/.full
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
