# Situation Desk — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run serve setup test lint format check-migrations messages clean bench bench-newsletter bench-search client contract backup restore

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}'

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(INSTALLED)

install: $(INSTALLED) ## Create .venv and install the project with its dev tools

setup: install ## Migrate the SQLite database, load the demo content, ensure the admin user
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py ensure_superuser

# The CMS's public address: every absolute URL it emits (API `detail_url`, renditions, feeds,
# e-mails, webhooks) starts with it. `make run PORT=8811` serves — and links — port 8811.
BASE_URL ?= $(or $(WAGTAILADMIN_BASE_URL),http://$(HOST):$(PORT))

# The public frontend's address (the CMS links there; the starter frontend listens there).
FRONTEND_BASE_URL ?= http://localhost:3000
STARTER = $(CLIENT)/starter/dist/server.js
# The starter frontend needs Node (20+); without it the CMS is served alone.
HAVE_NODE := $(shell command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && echo yes)

run: setup serve ## Set up, then serve the CMS on http://$HOST:$PORT and the starter frontend on $FRONTEND_BASE_URL

serve: install $(if $(HAVE_NODE),client) ## Serve the CMS (with its task worker and scheduler) and the starter frontend on an already set-up database
	@echo "Admin: $(BASE_URL)/admin/   API: $(BASE_URL)/api/v2/   Frontend: $(FRONTEND_BASE_URL)/"
	@# The background worker (newsletter mail, search and reference-index updates) and the
	@# starter frontend live exactly as long as the server. No autoreload: a reloading worker's
	@# child would outlive the trap. Scheduled publication (a week's go-live time) is applied
	@# once a minute, as cron would.
	export WAGTAILADMIN_BASE_URL="$(BASE_URL)" FRONTEND_BASE_URL="$(FRONTEND_BASE_URL)"; \
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	(while true; do $(PY) manage.py publish_scheduled >/dev/null; sleep 60; done) & scheduler=$$!; \
	frontend=; \
	if [ -n "$(HAVE_NODE)" ]; then \
		node $(STARTER) --api "$(BASE_URL)" --listen "$(FRONTEND_BASE_URL)" & frontend=$$!; \
	else echo "Node 20+ is not installed: serving the CMS without the starter frontend"; fi; \
	trap 'kill $$worker $$scheduler $$frontend 2>/dev/null; wait $$worker $$frontend 2>/dev/null' EXIT; \
	$(PY) manage.py runserver $(HOST):$(PORT)

bench: install ## Benchmarks (not run by CI): the first run (goal ≤ 60 s), the API under load on 1- and 10-year archives, newsletter, search
	@# Every benchmark runs even when one misses its goal; the target fails if any did.
	@status=0; \
	$(PY) bench/first_run_bench.py || status=1; \
	$(PY) bench/api_bench.py || status=1; \
	$(MAKE) --no-print-directory bench-newsletter || status=1; \
	$(MAKE) --no-print-directory bench-search || status=1; \
	exit $$status

bench-newsletter: install ## Benchmark: one week's digest to 10,000 subscribers over local SMTP (goal ≤ 30 s)
	$(PY) bench/newsletter_bench.py

bench-search: install ## Benchmark: search p95 on a ten-year archive in PostgreSQL (goal ≤ 20 ms); recall and precision of word forms on the demo, SQLite and PostgreSQL
	@status=0; \
	$(PY) bench/search_bench.py || status=1; \
	$(PY) bench/search_recall.py || status=1; \
	exit $$status

CLIENT := frontend_contract
CLIENT_INSTALLED := $(CLIENT)/node_modules/.package-lock.json

$(CLIENT_INSTALLED): $(CLIENT)/package-lock.json
	cd $(CLIENT) && npm ci --no-audit --no-fund --loglevel=error

# Checked and built once for what it is made of: CI's two test passes and `make test` reuse it.
CLIENT_BUILT := $(CLIENT)/node_modules/.client-built
CLIENT_SOURCES := $(CLIENT)/openapi.json $(CLIENT)/tsconfig.json $(CLIENT)/package.json \
	$(wildcard $(CLIENT)/src/*.ts $(CLIENT)/starter/*.ts $(CLIENT)/test/*.ts $(CLIENT)/examples/*.json)

$(CLIENT_BUILT): $(CLIENT_INSTALLED) $(CLIENT_SOURCES)
	cd $(CLIENT) && npm run --silent check && npm test --silent && npm run --silent build
	touch $(CLIENT_BUILT)

client: $(CLIENT_BUILT) ## Type-check the SDK against openapi.json, run its tests (node --test), build the starter frontend

contract: install ## Regenerate the OpenAPI document and the TypeScript types after API changes
	$(PY) manage.py export_contract
	cd $(CLIENT) && npm run --silent generate

# One pytest worker per core (pytest-xdist), each with its own test database; a module's tests
# stay on one worker (tests/conftest.py groups them), so what a module builds once is built once.
# TEST_WORKERS=0 runs serially.
TEST_WORKERS ?= auto

test: install client ## Run the whole test suite (SQLite unless DATABASE_URL is set)
	$(PY) -m pytest $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup) $(PYTEST_ARGS)

lint: install ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-migrations: install ## Fail when models changed without a migration
	$(PY) manage.py makemigrations --check --dry-run

messages: install ## Refresh the Belarusian and Russian catalogues and compile them
	$(PY) manage.py makemessages -l be -l ru --ignore=.venv --ignore=frontend_contract/node_modules
	$(PY) manage.py compilemessages --ignore=.venv

backup: install ## Back up the database and media into backups/ (or BACKUP_DIR=…)
	$(PY) manage.py backup $(if $(BACKUP_DIR),--output $(BACKUP_DIR))

restore: install ## Restore a backup, replacing the database and media: make restore BACKUP=backups/…
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/situation-desk-…" >&2; exit 2; }
	$(PY) manage.py restore $(BACKUP)

clean: ## Remove the virtualenv, the SQLite database and media
	rm -rf $(VENV) db.sqlite3 media static .pytest_cache $(CLIENT)/node_modules \
		$(CLIENT)/starter/dist $(CLIENT)/.test-dist
