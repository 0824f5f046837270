# The two commands a newcomer needs: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY      := .venv/bin/python
PIP     := .venv/bin/pip
PORT    ?= 8000
SEED_SCALE ?= small
PYTEST_ARGS ?=
TEST_WORKERS ?= 2
export DEMO_PASSWORD ?= Renda@2026
export PORT

# The embedded PostgreSQL (when DATABASE_URL is unset) is stopped at the end of a target only if that target
# started it: `make test` while `make run` serves leaves the server of `make run` running. DB_UP starts it if
# needed, before anything imports the settings (which would start it too), and remembers who started it.
DB_UP   := db_state=$$($(PY) -m deputies_platform.embedded_db ensure) || exit $$?
DB_DOWN := if [ "$${db_state:-}" = started ]; then $(PY) -m deputies_platform.embedded_db stop; fi
TEST_DB_UP := if [ -z "$${DATABASE_URL:-}" ]; then $(DB_UP); fi
STOP_DB := if [ -z "$${DATABASE_URL:-}" ]; then $(PY) -m deputies_platform.embedded_db stop; fi
COMPILE_MESSAGES := $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

# Unset DEV_DEFAULTS means production (secrets required, HTTPS): these targets are for this machine and say
# so themselves, unless DEV_DEFAULTS is set in the environment.
run test bench schema schema-check: export DEV_DEFAULTS ?= true

.PHONY: help install assets messages run lint test bench schema schema-check web worker beat db-stop clean audit

help:
	@echo "make run    - install, database, migrations, demo data; web + Celery worker + beat on :$(PORT)"
	@echo "make test   - the lint, then the whole test suite, browser tests included"
	@echo "make lint   - the layers of the apps (import-linter) and ruff's checks"
	@echo "make bench  - performance figures on the Changchun-scale demo data (BENCH lines)"
	@echo "make schema - after a migration change: write tests/schema.sql, which test databases load"

.venv/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e ".[dev]"
	@touch $@

install: .venv/.installed assets

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.installed

messages: .venv/.installed
	@$(COMPILE_MESSAGES)

# One shell: devrun stops the embedded server on Ctrl-C only if this target started it.
run: install
	@$(DB_UP); \
	 $(COMPILE_MESSAGES) && \
	 $(PY) manage.py migrate --noinput -v 0 && \
	 $(PY) manage.py collectstatic --noinput -v 0 && \
	 $(PY) manage.py seed_demo --scale $(SEED_SCALE) --if-empty && \
	 $(PY) manage.py setup_periodic_tasks || { $(DB_DOWN); exit 1; }; \
	 echo ""; \
	 echo "  Deputies platform: http://127.0.0.1:$(PORT)/   demo accounts: staff, supervisor, deputy, unit, member,"; \
	 echo "  sysadmin, secadmin, auditor — password: $$DEMO_PASSWORD     (Ctrl-C stops everything)"; \
	 echo ""; \
	 EMBEDDED_DB_STARTED=$$db_state exec $(PY) -m deputies_platform.devrun

# The layers of the apps (import-linter contracts, pyproject.toml) and ruff's checks; seconds, so `make test`
# runs them first and stops on a broken layer before the long suite.
lint: .venv/.installed
	.venv/bin/lint-imports --no-cache
	.venv/bin/ruff check --no-cache .

# LINT_DONE=1 (set by .ci/run, which lints once first) skips the lint the target otherwise runs before the suite.
test: install $(if $(LINT_DONE),,lint)
	@$(TEST_DB_UP); trap '$(DB_DOWN)' EXIT; \
	 $(COMPILE_MESSAGES) || exit 1; \
	 if [ -z "$${CI:-}" ] && [ ! -x /usr/bin/chromium ] && [ -z "$${CHROMIUM_PATH:-}" ]; then \
	   .venv/bin/playwright install chromium || echo "No Chromium found: browser tests will fail"; fi; \
	 TESTING=1 DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=20 $(PYTEST_ARGS)

# Its own database (settings honour DATABASE_NAME), so the demo database is untouched; wrk when it can be had.
bench: export DATABASE_NAME := deputies_bench
bench: install
	@if [ ! -x /usr/bin/wrk ] && [ "$$(id -u)" = 0 ]; then \
	   export DEBIAN_FRONTEND=noninteractive; \
	   apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && \
	   apt-get install -y -q wrk >/dev/null 2>&1; } || echo "wrk unavailable: using the Python load generator"; fi
	@$(DB_UP); trap '$(DB_DOWN)' EXIT; \
	 $(COMPILE_MESSAGES) && \
	 $(PY) manage.py migrate --noinput -v 0 && \
	 $(PY) manage.py collectstatic --noinput -v 0 && \
	 $(PY) manage.py seed_demo --scale changchun --if-empty && \
	 $(PY) manage.py bench

# tests/schema.sql: what the migrations build, loaded by test databases instead of migrating (tests/schema_dump.py).
# Run after adding or changing a migration; the suite fails while the dump is stale.
schema: install
	@$(DB_UP); trap '$(DB_DOWN)' EXIT; DATABASE_NAME=deputies_schema $(PY) -m tests.make_schema

# Fails unless a newly migrated database dumps exactly as tests/schema.sql (.ci/run runs it).
schema-check: install
	@$(DB_UP); trap '$(DB_DOWN)' EXIT; DATABASE_NAME=deputies_schema $(PY) -m tests.make_schema --check

db-stop:
	@$(STOP_DB)

clean:
	@$(STOP_DB)
	rm -rf var/

# Backups (pg_dump custom format, named by date, under var/backups/; BACKUP_DIR moves them) and restore.
# `make restore FILE=var/backups/deputies-….dump` REPLACES the configured database's contents without asking
# (pg_restore --clean --if-exists in one transaction): stop the web and the worker first.
.PHONY: backup restore
backup: .venv/.installed
	@$(PY) -m deputies_platform.embedded_db ensure >/dev/null
	@$(PY) manage.py backup

restore: .venv/.installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/deputies-YYYYmmdd-HHMMSS.dump"; exit 2; }
	@$(PY) -m deputies_platform.embedded_db ensure >/dev/null
	@$(PY) manage.py restore "$(FILE)"

# Static security checks: bandit (no high-severity finding allowed) and pip-audit of the installed
# dependencies (needs the PyPI or OSV vulnerability service; on an intranet without it, it says so and fails).
audit: install
	$(PY) -m bandit -q -r apps deputies_platform -lll
	$(PY) -m pip_audit --skip-editable --progress-spinner off

# The whole suite on two frozen clocks (ticking from there): 07:30 Beijing, when UTC's day is still yesterday,
# and 23:30, when the two agree. No test may depend on the hour it runs at (tests/conftest.py, TEST_CLOCK).
.PHONY: test-clocks
test-clocks:
	TEST_CLOCK="$$(TZ=Asia/Shanghai date +%F)T07:30:00+08:00" $(MAKE) test
	TEST_CLOCK="$$(TZ=Asia/Shanghai date +%F)T23:30:00+08:00" $(MAKE) test
