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

# Stop the embedded PostgreSQL when a target that started it ends (only when DATABASE_URL is unset).
STOP_DB := if [ -z "$${DATABASE_URL:-}" ]; then $(PY) -m deputies_platform.embedded_db stop; fi

.PHONY: help install assets messages run test bench web worker beat db-stop clean audit

help:
	@echo "make run    - install, database, migrations, demo data; web + Celery worker + beat on :$(PORT)"
	@echo "make test   - the whole test suite, browser tests included"
	@echo "make bench  - performance figures on the Changchun-scale demo data (BENCH lines)"

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
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

run: install messages
	@$(PY) -m deputies_platform.embedded_db ensure
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py seed_demo --scale $(SEED_SCALE) --if-empty
	$(PY) manage.py setup_periodic_tasks
	@echo ""
	@echo "  Deputies platform: http://127.0.0.1:$(PORT)/   demo accounts: staff, supervisor, deputy, unit, member,"
	@echo "  sysadmin, secadmin, auditor — password: $$DEMO_PASSWORD     (Ctrl-C stops everything)"
	@echo ""
	@$(PY) -m deputies_platform.devrun

test: install messages
	@trap '$(STOP_DB)' EXIT; \
	 if [ -z "$${CI:-}" ] && [ ! -x /usr/bin/chromium ] && [ -z "$${CHROMIUM_PATH:-}" ]; then \
	   .venv/bin/playwright install chromium || echo "No Chromium found: browser tests will fail"; fi; \
	 TESTING=1 DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=20 $(PYTEST_ARGS)

# Its own database (settings honour DATABASE_NAME), so the demo database is untouched; wrk when it can be had.
bench: export DATABASE_NAME := deputies_bench
bench: install messages
	@if [ ! -x /usr/bin/wrk ] && [ "$$(id -u)" = 0 ]; then \
	   export DEBIAN_FRONTEND=noninteractive; \
	   apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && \
	   apt-get install -y -q wrk >/dev/null 2>&1; } || echo "wrk unavailable: using the Python load generator"; fi
	@trap '$(STOP_DB)' EXIT; \
	 $(PY) -m deputies_platform.embedded_db ensure && \
	 $(PY) manage.py migrate --noinput -v 0 && \
	 $(PY) manage.py collectstatic --noinput -v 0 && \
	 $(PY) manage.py seed_demo --scale changchun --if-empty && \
	 $(PY) manage.py bench

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
	@$(PY) -m deputies_platform.embedded_db ensure
	@$(PY) manage.py backup

restore: .venv/.installed
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/deputies-YYYYmmdd-HHMMSS.dump"; exit 2; }
	@$(PY) -m deputies_platform.embedded_db ensure
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
