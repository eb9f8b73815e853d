# motcua — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python.sh)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers: the CI machine has two cores.
PYTEST_ARGS ?= -n 2

.PHONY: run test lint fmt typecheck bench screenshots messages openapi clean-venv help

help:
	@echo "make run          start the demo province on http://$(HOST):$(PORT) (SQLite)"
	@echo "make test         lint, migration check and the whole suite on SQLite, then PostgreSQL"
	@echo "make bench        benchmarks (PostgreSQL), figures into docs/benchmarks.md"
	@echo "make screenshots  screenshots of the main pages into screenshots/"

# The virtual environment is rebuilt when the lock file or the project changes.
$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON)" || { scripts/find-python.sh; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/motcua migrate --noinput
	$(BIN)/motcua demo-ca
	$(BIN)/motcua seed-demo
	scripts/run-demo.sh $(HOST) $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/motcua check --fail-level WARNING
	$(BIN)/motcua makemigrations --check --dry-run
	scripts/ensure-chromium.sh
	@echo "== tests on SQLite"
	$(BIN)/pytest -q $(PYTEST_ARGS)
	scripts/test-postgres.sh $(BIN)/pytest -q $(PYTEST_ARGS)

typecheck: $(STAMP)
	$(BIN)/mypy motcua

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Run inside motcua/: compilemessages walks the current folder for locale
# directories and would otherwise compile every package in .venv too. Locations
# without line numbers keep the .po diffs (and merges) small.
messages: $(STAMP)
	cd motcua && ../$(BIN)/motcua makemessages -l vi -l en --no-obsolete --add-location file \
		--ignore "*/tests/*" --ignore "static/*"
	cd motcua && ../$(BIN)/motcua compilemessages

openapi: $(STAMP)
	$(BIN)/motcua export-openapi docs/openapi.json

bench: $(STAMP)
	scripts/ensure-postgres.sh
	$(BIN)/python -m bench $(BENCH_ARGS)

screenshots: $(STAMP)
	scripts/ensure-chromium.sh
	$(BIN)/python -m motcua.staff.screenshots screenshots

clean-venv:
	rm -rf $(VENV)
