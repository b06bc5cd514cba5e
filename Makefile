# The README's commands live here.
SHELL := /bin/bash
CARGO ?= cargo
export PORTAL_DATA_DIR ?= ./data

.PHONY: run build test test-rust test-frontend test-fuzz test-conformance conformance fuzz faults frontend openapi fmt lint bench clean

## Build (API + SPA when present) and serve everything on http://127.0.0.1:8080 (SQLite under ./data).
run: frontend
	$(CARGO) build --release -p supplier-portal
	./target/release/supplier-portal serve

build: frontend
	$(CARGO) build --release -p supplier-portal

## The whole test suite: unit + end-to-end (SQLite; also Postgres when TEST_POSTGRES_URL is set).
test: test-rust test-fuzz test-conformance test-frontend

test-rust: lint
	@[ -d tests/harness/oidc/node_modules/oidc-provider ] || (cd tests/harness/oidc && npm ci --no-audit --no-fund --loglevel=error)
	$(CARGO) test --workspace --all-targets

## Schemathesis against our own OpenAPI document on a live server: bounded and seeded in `make test`,
## long in `make fuzz`. 0 server errors, 0 responses that contradict the schema.
test-fuzz:
	PORTAL_BIN=$(CURDIR)/target/debug/supplier-portal ./fuzz/run.sh 30

## Outside conformance: libtea's `tea-cli conformance` against a private portal over native TLS.
test-conformance:
	PORTAL_BIN=$(CURDIR)/target/debug/supplier-portal ./conformance/run.sh

conformance:
	$(CARGO) build -p supplier-portal
	PORTAL_BIN=$(CURDIR)/target/debug/supplier-portal ./conformance/run.sh

fuzz:
	$(CARGO) build -p supplier-portal
	PORTAL_BIN=$(CURDIR)/target/debug/supplier-portal ./fuzz/run.sh 600

## Fault tests against the real binary: kill -9 during uploads, Postgres outage (private throwaway
## cluster), unwritable/full blob store, two instances on one database, audit exactness under load,
## two replicas with separate data directories on one database and one S3 store (moto[server]).
faults:
	$(CARGO) build -p supplier-portal
	PORTAL_BIN=$(CURDIR)/target/debug/supplier-portal ./faults/run.sh

## Frontend (only when the SPA exists).
frontend:
	@if [ -f frontend/package.json ]; then \
	  if command -v npm >/dev/null 2>&1; then cd frontend && ([ -d node_modules ] || npm ci) && npm run build; \
	  else echo "npm not found: serving API and Swagger only (install Node.js 20+ to build the UI)"; fi; fi

## SPA: type-check + build, component tests (Vitest), browser journeys (Playwright, Debian Chromium).
test-frontend:
	@if [ -f frontend/package.json ]; then \
	  cd frontend && npm ci && npm run build && npm test && PORTAL_BIN=$(CURDIR)/target/debug/supplier-portal npm run e2e; fi

## Regenerate the committed OpenAPI document from the code.
openapi:
	$(CARGO) run -q -p supplier-portal -- openapi --out openapi/openapi.json

fmt:
	$(CARGO) fmt --all

## Clippy, and the floor plan: no import cycle between the top-level modules of api/src.
lint:
	python3 scripts/module-cycles.py
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

bench:
	./bench/run.sh

clean:
	$(CARGO) clean
