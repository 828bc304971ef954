# Build and test entry points. CI runs `make test` (see .ci/run).
# Only python3, apt and the PostgreSQL binaries are assumed; everything else is set up here.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := test

VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
PYTEST_ARGS ?=
# Tests run as production does (DEBUG off) with a throwaway key; SQLite unless DATABASE_URL is
# set afterwards by scripts/with-postgres.sh. The test server speaks plain HTTP, so HTTPS-only
# settings are switched off explicitly (production is HTTPS-only unless told so).
TEST_ENV := env -u DEBUG -u DATABASE_URL SECRET_KEY=test OPENPEP_INSECURE_HTTP=true
# Production settings for `make check-deploy`: the environment's own values where it has them
# (run it where the service runs), production-like examples where it has none (in CI).
DEPLOY_ENV = env -u OPENPEP_INSECURE_HTTP \
  SECRET_KEY="$${SECRET_KEY:-$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-openpep.example.gov.uk}" TRUSTED_PROXIES="$${TRUSTED_PROXIES:-1}"

.PHONY: venv chromium run worker screenshots test test-steps test-sqlite test-pg lint static check-deploy backup restore bench bench-national

venv: $(VENV)/.stamp

# Reinstall only when a requirements file is newer than the last successful install.
$(VENV)/.stamp: requirements.txt requirements-dev.txt
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Playwright cannot download its own browsers here; Debian's Chromium is used instead.
chromium:
	test -x /usr/bin/chromium || { \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update && apt-get install -y chromium; }

# The demo serves the app and runs the worker beside it (reminders go to the console), and the
# second council's own sign-in on 127.0.0.1:8001 (synthetic/sso_provider/demo.py: django-oidc-provider,
# from requirements-dev.txt, which the venv installs), which OpenPEP is told about by its file.
run: export OPENPEP_INSECURE_HTTP = true
run: export OPENPEP_OIDC_PROVIDERS_FILE = synthetic/sso_provider/demo_providers.json
run: venv
	DEBUG=true $(PYTHON) manage.py migrate
	DEBUG=true $(PYTHON) manage.py demo
	$(PYTHON) -m synthetic.sso_provider.demo & provider=$$!; \
	  DEBUG=true $(PYTHON) manage.py worker & worker=$$!; trap "kill $$worker $$provider" EXIT; \
	  DEBUG=true $(PYTHON) manage.py runserver 127.0.0.1:8000

# Screenshots of each role's key pages on the demo data, shown in the README.
screenshots: venv chromium
	$(PYTHON) scripts/screenshots.py

# The background jobs (reminders, due dates); in production, one or more beside the app processes.
worker: venv
	$(PYTHON) manage.py worker

# The import contracts (pyproject.toml): the apps depend one way.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

# Its wall time is printed at the end, pass or fail, so drift shows (as do each engine's slowest tests).
test: venv chromium
	@start=$$(date +%s); status=0; $(MAKE) --no-print-directory test-steps || status=$$?; \
	  seconds=$$(( $$(date +%s) - start )); \
	  echo "make test: $$(( seconds / 60 ))m $$(( seconds % 60 ))s wall time"; exit $$status

test-steps:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(TEST_ENV) $(PYTHON) manage.py makemigrations --check --dry-run
	$(MAKE) check-deploy
	$(MAKE) static
	# Both engines at once, one per core; each one's output is printed whole when it ends. Each
	# browser test runs on one of them (tests/conftest.py's BROWSER_ENGINE), every other on both.
	$(MAKE) --jobs=2 --output-sync=target test-sqlite test-pg BROWSER_SPLIT=--browser-split

# With DEBUG off, templates resolve {% static %} through WhiteNoise's manifest, which
# only exists after collectstatic.
static: venv
	$(TEST_ENV) $(PYTHON) manage.py collectstatic --noinput --verbosity 0

# Each engine's run ends with its 15 slowest tests (set-up, call and tear-down timed apart).
DURATIONS := --durations=15
# Empty when an engine's run is asked for alone: it then runs every browser test.
BROWSER_SPLIT ?=

test-sqlite: venv chromium static
	$(TEST_ENV) $(BIN)/pytest $(DURATIONS) $(BROWSER_SPLIT) $(PYTEST_ARGS)

test-pg: venv chromium static
	$(TEST_ENV) scripts/with-postgres.sh $(BIN)/pytest $(DURATIONS) $(BROWSER_SPLIT) $(PYTEST_ARGS)

# Django's deployment checklist on the production settings: any warning fails, nothing is silenced.
check-deploy: venv
	$(DEPLOY_ENV) $(PYTHON) manage.py check --deploy --fail-level WARNING

# One archive (var/backups/ unless BACKUP_DIR is set) of the database and the stored documents,
# with a manifest of every table's row count and checksum; see docs/backups.md.
backup: venv
	$(PYTHON) manage.py backup

# Into an empty database and an empty documents folder only; checks every table against the manifest.
restore: venv
	test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/openpep-....tar.gz" >&2; exit 2; }
	$(PYTHON) manage.py restore "$(FILE)"

# Performance at council size (scripts/bench.py; about 10 minutes) and national size
# (scripts/bench_national.py), each on its own throwaway PostgreSQL. Not part of `make test`.
BENCH_ARGS ?=
bench: venv static
	env -u DEBUG -u DATABASE_URL scripts/with-postgres.sh $(PYTHON) scripts/bench.py $(BENCH_ARGS)

bench-national: venv static
	env -u DEBUG -u DATABASE_URL scripts/with-postgres.sh $(PYTHON) scripts/bench_national.py $(BENCH_ARGS)
