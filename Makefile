# Weft: `make run` installs everything and runs the product; `make test` runs the suite.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Links to a tenant (signup handoff, emails, the banner) use the port served.
WEFT_PUBLIC_PORT ?= $(PORT)
export WEFT_PUBLIC_PORT

.PHONY: run setup venv assets services messages platform demo test bench check-template schema clean-run \
	browser-deps security fuzz-long bench-scale bench-load

run: setup demo
	@$(MAKE) --no-print-directory clean-run
	@mkdir -p var/log
	@$(VENV)/bin/celery -A core worker -l info --concurrency 2 >var/log/worker.log 2>&1 & echo $$! > var/worker.pid
	@$(VENV)/bin/celery -A core beat -l info -s var/celerybeat-schedule >var/log/beat.log 2>&1 & echo $$! > var/beat.pid
	@$(PY) -m scripts.banner
	@trap '$(MAKE) --no-print-directory clean-run' EXIT INT TERM; $(MANAGE) runserver $(HOST):$(PORT)

clean-run:
	@for p in var/worker.pid var/beat.pid; do [ -f $$p ] && kill $$(cat $$p) 2>/dev/null; rm -f $$p; done; true

setup: venv assets services messages platform

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v python3 >/dev/null || { sudo=$$( [ $$(id -u) -ne 0 ] && echo sudo ); $$sudo apt-get update -qq && $$sudo apt-get install -y -qq python3 python3-venv; }
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

assets: web/static/vendor/.built
web/static/vendor/.built: web/package.json web/package-lock.json web/build-assets.mjs
	@command -v npm >/dev/null || { sudo=$$( [ $$(id -u) -ne 0 ] && echo sudo ); $$sudo apt-get update -qq && $$sudo apt-get install -y -qq nodejs npm; }
	@cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	@touch $@

services:
	@bash scripts/ensure_services.sh

messages:
	@command -v msgfmt >/dev/null || { sudo=$$( [ $$(id -u) -ne 0 ] && echo sudo ); $$sudo apt-get update -qq && $$sudo apt-get install -y -qq gettext; }
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then $(MANAGE) compilemessages -v0 --ignore=.venv --ignore=web/node_modules; fi

platform:
	@$(MANAGE) migrate_schemas -v0
	@$(MANAGE) prepare_platform
	@$(MANAGE) check_tenant_template
	@$(MANAGE) collectstatic --noinput -v0

demo:
	@$(MANAGE) seed_demo

check-template:
	@$(MANAGE) check_tenant_template

schema:
	@$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null
	@$(MANAGE) spectacular --validate --fail-on-warn --urlconf tenants.api.urls_schema --file /dev/null

test: setup browser-deps
	@$(MANAGE) check_tenant_template
	@$(MAKE) --no-print-directory schema
	@$(MAKE) --no-print-directory security
	@$(VENV)/bin/pytest $(PYTEST_ARGS)

# The browser tests drive Debian's chromium (Playwright never downloads a browser).
browser-deps:
	@[ -x /usr/bin/chromium ] || { sudo=$$( [ $$(id -u) -ne 0 ] && echo sudo ); $$sudo apt-get update -qq && $$sudo apt-get install -y -qq chromium; }

# bandit: no high-severity finding in our code; pip-audit: no known vulnerability in
# the pinned runtime packages (fails on any; lists what the service could not check).
security: venv
	@$(VENV)/bin/bandit -q -r api billing core modules tenants web scripts manage.py -x '*/tests/*,*/node_modules/*' -lll
	@mkdir -p var
	@$(VENV)/bin/pip-audit -r requirements.txt --progress-spinner off -f json -o var/pip-audit.json; rc=$$?; \
	  $(PY) -m tests.security.audit_summary var/pip-audit.json && exit $$rc

# A longer schemathesis run than CI's: every phase, many examples per operation.
fuzz-long: setup
	@WEFT_FUZZ_EXAMPLES=$${WEFT_FUZZ_EXAMPLES:-100} WEFT_FUZZ_PHASES=examples,coverage,fuzzing,stateful \
	  $(VENV)/bin/pytest tests/fuzz -p no:cacheprovider $(PYTEST_ARGS)

bench: setup
	@$(PY) -m tests.benchmarks.provisioning

# 1,000 workspaces in a scratch database (weft_scale): provisioning, size, list
# latency with 1 vs 1,000, migrate_schemas timings. BENCH_ARGS="--tenants 50" for less.
bench-scale: setup
	@$(PY) -m tests.benchmarks.scale $(BENCH_ARGS)

# Load run against gunicorn on 127.0.0.1 (weft_load, 50 workspaces); wrk from Debian.
bench-load: setup
	@command -v wrk >/dev/null || { sudo=$$( [ $$(id -u) -ne 0 ] && echo sudo ); $$sudo apt-get update -qq && $$sudo apt-get install -y -qq wrk; }
	@$(PY) -m tests.benchmarks.load $(BENCH_ARGS)
