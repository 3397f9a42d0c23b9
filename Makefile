# ATMP Courses. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Where the site answers: links in e-mails, certificates, feeds and the API name it (`make run PORT=8202` follows).
BASE_URL ?= http://$(HOST):$(PORT)
export BASE_URL

.DEFAULT_GOAL := help
.PHONY: help install install-dev run serve worker migrate demo backup restore test test-fast lint format messages bench bench-peer clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed ## Install the runtime dependencies into .venv

install-dev: $(VENV)/.installed-dev ## Install runtime and development dependencies into .venv

migrate: install ## Apply database migrations
	@mkdir -p var
	$(MANAGE) migrate --noinput

demo: migrate ## Load the demo content (idempotent) and print the demo logins
	$(MANAGE) load_demo

run: demo ## Install, migrate, load demo content, then serve on http://127.0.0.1:8000 (make run PORT=8202: another port) with the task worker
	@mkdir -p var/broker/processed var/mail
	@echo "Site: http://$(HOST):$(PORT)/  Admin: http://$(HOST):$(PORT)/admin/  Mail: var/mail/ and http://$(HOST):$(PORT)/dev/mailbox/"
	@$(BIN)/python -m atmp.devserver $(HOST):$(PORT)

worker: install ## Run only the Celery worker with beat (for a second terminal)
	$(BIN)/celery -A atmp worker --beat --loglevel=INFO --schedule=var/celerybeat-schedule

backup: install ## Back up the database, documents and images into one archive under var/backups/
	$(MANAGE) backup

restore: install ## Restore a backup into an EMPTY database: make restore FILE=var/backups/atmp-backup-....tar.gz
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/atmp-backup-YYYYmmdd-HHMMSS.tar.gz"; exit 2; }
	$(MANAGE) restore "$(FILE)"

test: install-dev ## Run the whole test suite (services skip unless DATABASE_URL/REDIS_URL/Chromium exist)
	$(BIN)/pytest

test-fast: install-dev ## Run the tests without the browser journeys
	$(BIN)/pytest -m "not e2e"

check: install-dev ## Style, migrations in step with the models, the layers (lint-imports), the Swedish catalogue complete (CI runs it first)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run --settings=atmp.settings.test
	$(BIN)/lint-imports
	$(BIN)/python docs/app_graph.py --check
	$(BIN)/pytest -q -p no:cacheprovider tests/test_translations.py

lint: install-dev ## Check code style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev ## Format and fix code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install-dev ## Update and compile the Swedish translation catalogue
	$(MANAGE) makemessages -l sv --ignore=.venv --ignore=var --ignore=staticfiles --ignore=tests --no-obsolete
	$(MANAGE) compilemessages -l sv --ignore=.venv

bench: install-dev ## Run the benchmarks under bench/ (not the one beside pretix: make bench-peer)
	@for script in bench/*.py; do [ $$script = bench/peer.py ] && continue; echo "== $$script"; $(BIN)/python $$script || exit 1; done

# pretix's harness lives beside the project; PEER_BASE is where pretix is installed (kept between runs).
PEER_BASE ?= $(CURDIR)/var/peers/pretix
bench-peer: install-dev ## Measure pretix (installed under PEER_BASE) and us one after the other; print ours/pretix
	PEER_BASE=$(PEER_BASE) $(BIN)/python bench/peer.py

clean: ## Remove the virtualenv and local data (database, media, mail)
	rm -rf $(VENV) var staticfiles
