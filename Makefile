# Situation Desk — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run setup test test-postgres lint format check-migrations messages clean

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

run: setup ## Set up, then serve the CMS on http://127.0.0.1:8000 (admin /admin/, API /api/v2/)
	@echo "Admin: http://$(HOST):$(PORT)/admin/   API: http://$(HOST):$(PORT)/api/v2/"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install ## Run the whole test suite (SQLite unless DATABASE_URL is set)
	$(PY) -m pytest

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

clean: ## Remove the virtualenv, the SQLite database and media
	rm -rf $(VENV) db.sqlite3 media static .pytest_cache
