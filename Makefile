# Two commands for a newcomer: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
# `make demo PORT=8010` serves elsewhere; links, e-mails and QR codes follow.
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_ENV := DJANGO_DEBUG=1 SITE_URL=http://$(HOST):$(PORT)
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test bench install install-dev messages lint format serve migrate seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed messages
install-dev: $(VENV)/.installed-dev messages

# Translations are compiled in the build, never committed.
messages: $(VENV)/.installed
	$(BIN)/python scripts/compile_messages.py

migrate: install
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(DEMO_ENV) $(BIN)/python manage.py seed_demo

serve:
	$(DEMO_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

demo: seed serve

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install-dev
	bash scripts/run-tests.sh

bench: install-dev
	bash scripts/run-bench.sh

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
	find . -name '*.mo' -not -path './.venv/*' -delete
