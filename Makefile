# The README's commands live here.
SHELL := /bin/bash
CARGO ?= cargo
export PORTAL_DATA_DIR ?= ./data

.PHONY: run build test test-rust test-frontend frontend openapi fmt lint bench clean

## Build (API + SPA when present) and serve everything on http://127.0.0.1:8080 (SQLite under ./data).
run: frontend
	$(CARGO) build --release -p supplier-portal
	./target/release/supplier-portal serve

build: frontend
	$(CARGO) build --release -p supplier-portal

## The whole test suite: unit + end-to-end (SQLite; also Postgres when TEST_POSTGRES_URL is set).
test: test-rust test-frontend

test-rust:
	$(CARGO) test --workspace --all-targets
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Frontend (only when the SPA exists).
frontend:
	@if [ -f frontend/package.json ]; then cd frontend && ([ -d node_modules ] || npm ci) && npm run build; fi

test-frontend:
	@if [ -f frontend/package.json ]; then cd frontend && ([ -d node_modules ] || npm ci) && npm test; fi

## Regenerate the committed OpenAPI document from the code.
openapi:
	$(CARGO) run -q -p supplier-portal -- openapi --out openapi/openapi.json

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

bench:
	./bench/run.sh

clean:
	$(CARGO) clean
