# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: locks oidc deploy-check setup run test test-fast e2e faults lint fmt typecheck bench bench-ocr ocr-corpus load messages demo clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)

# Development and CI install both locks: the runtime one and the development one (constrained by it).
# A production install uses requirements.lock only (README "Production install", deploy/).
$(STAMP): requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock requirements-dev.lock
	touch $(STAMP)

## locks: regenerate both lock files after a change to pyproject.toml (existing pins are kept)
locks: | $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip compile -q pyproject.toml -o requirements.lock --python-version 3.11
	$(BIN)/uv pip compile -q pyproject.toml --extra dev -c requirements.lock -o requirements-dev.lock --python-version 3.11

## setup: install into .venv, compile translations, migrate the embedded database; the slip's
## CJK TrueType font (embedded as a subset in the PDF) comes from Debian's fonts-wqy-zenhei
setup: $(STAMP)
	@test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei)
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	mkdir -p var
	$(MANAGE) compilemessages --ignore=.venv -v 0
	$(MANAGE) migrate --noinput -v 0

## run: set up, load demo data (idempotent), print the demo logins, serve http://$(HOST):$(PORT)
run: setup
	$(MANAGE) load_demo_data
	DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

## test: set up and run the whole suite (browser journeys excluded: `make e2e`)
test: setup
	$(BIN)/pytest -q -n 2 -m "not e2e and not oidc" --maxfail=20

test-fast: setup
	$(BIN)/pytest -q -x -m "not e2e and not slow"

## e2e: browser journeys in Debian's chromium (installed when missing); screenshots under var/e2e/;
## every page a journey visits is audited with axe-core (WCAG 2.1 A/AA), from the npm registry
## (e2e/package-lock.json, `npm ci` into e2e/node_modules; no CDN)
e2e: setup e2e/node_modules/axe-core/axe.min.js
	@(test -x /usr/bin/chromium && fc-list :lang=zh | grep -q .) || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk)
	mkdir -p var/e2e
	DJANGO_ALLOW_ASYNC_UNSAFE=1 $(BIN)/pytest -q -m e2e e2e -p no:xdist

e2e/node_modules/axe-core/axe.min.js: e2e/package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	cd e2e && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## faults: fault injection with real processes (workers killed, SMTP down, PostgreSQL connections
## dropped, read-only storage) on PostgreSQL and Redis at 127.0.0.1 (installed when missing); ~3 min
faults: setup
	@(command -v pg_ctlcluster >/dev/null && command -v redis-server >/dev/null && command -v setpriv >/dev/null) || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server util-linux)
	.ci/faults

## oidc: Beijing Tong sign-in end to end against a real OpenID Connect provider (npm oidc-provider,
## pinned in oidc-op/package-lock.json) started on 127.0.0.1; node installed when missing; ~40 s
oidc: setup
	@(command -v node >/dev/null && command -v npm >/dev/null) || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm)
	cd oidc-op && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/pytest -q -p no:xdist -m oidc accounts/tests/test_oidc_e2e.py

## deploy-check: the service started as a deployment (production venv from requirements.lock only,
## PostgreSQL, Redis, S3 on moto, a worker, gunicorn, SMTP) and exercised over HTTP; ~1 min
deploy-check: setup
	.ci/deploy

## lint: ruff, formatting, mypy and the import contracts (pyproject.toml [tool.importlinter])
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

fmt: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## messages: refresh the English catalogues from the Chinese source strings
messages: setup
	for app in core accounts employers applicants materials cases permits oversight eligibility api; do \
	  (cd $$app && ../$(MANAGE) makemessages -l en --no-obsolete -v 0 2>/dev/null || true); done

## bench: benchmarks; figures are ratios against a baseline measured in the same run
bench: setup
	$(BIN)/python -m bench

## load: the portal under load (gunicorn, 3 workers, production settings) on a persistent PostgreSQL
## database at scale (LOAD_CASES, default 1000000; built once with COPY, then reused); wrk from Debian
## (installed when missing); table and EXPLAINs in var/load/report.md; bounded in time
load: setup
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m load

## bench-ocr: reading income printouts (issue 13) on OCR_BENCH_PAGES generated scanned pages (200)
bench-ocr: setup
	$(BIN)/python -m bench bench_ocr

## ocr-corpus: the slow tests that OCR generated scans (issue 13); not part of `make test`
ocr-corpus: setup
	$(BIN)/pytest -q -p no:xdist -m "slow and ocr" materials/tests/test_ocr_corpus.py

demo: setup
	$(MANAGE) load_demo_data

clean:
	rm -rf $(VENV) var
