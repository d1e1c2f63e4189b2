# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test test-fast e2e faults lint fmt typecheck bench bench-ocr ocr-corpus load messages demo clean

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip sync -q --python $(BIN)/python requirements.lock
	touch $(STAMP)

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
	$(BIN)/pytest -q -n 2 -m "not e2e" --maxfail=20

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
