#!/usr/bin/env bash
# Fuzz the live server with schemathesis (PyPI) against its own /api-docs/openapi.json:
# 0 server errors and 0 responses contradicting the documented schema.
#   fuzz/run.sh [seconds-per-run]   (make test runs a bounded, seeded run; make fuzz a long one)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
MAX_TIME=${1:-60}
SEED=${SCHEMATHESIS_SEED:-20261121}
BIN=${PORTAL_BIN:-$ROOT/target/debug/supplier-portal}
command -v st >/dev/null 2>&1 || python3 -m pip install -q schemathesis
# The CLI is where pip put it (a pyenv shim may not exist until a rehash).
ST=$(command -v st || echo "$(python3 -c 'import sysconfig;print(sysconfig.get_path("scripts"))')/st")
[ -x "$BIN" ] || cargo build -q -p supplier-portal
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
PORTAL_DATA_DIR=$WORK PORTAL_BIND=127.0.0.1:$PORT RUST_LOG=warn PORTAL_LOGIN_ATTEMPTS_PER_IP=1000000 \
  PORTAL_LOGIN_ATTEMPTS_PER_ACCOUNT=1000000 PORTAL_TOKEN_FAILURES_PER_IP=1000000 PORTAL_CUSTOMER_SESSIONS_PER_IP=1000000 PORTAL_CUSTOMER_READS_PER_TOKEN=100000000 PORTAL_CUSTOMER_READS_PER_IP=100000000 \
  "$BIN" serve > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; cp "$WORK/server.log" "${FUZZ_LOG:-/tmp/fuzz-server.log}"; rm -rf "$WORK"' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.2; done
j() { python3 -c "import sys,json;print(json.load(sys.stdin)$1)"; }
curl -sf -X POST "$BASE/api/v1/setup" -H 'content-type: application/json' \
  -d '{"org_name":"ACME","org_slug":"acme","email":"admin@acme.example","password":"fuzz password 1","display_name":"Admin"}' >/dev/null
ADMIN=$(curl -sf -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' -d '{"email":"admin@acme.example","password":"fuzz password 1"}' | j '["access_token"]')
H=(-H "authorization: Bearer $ADMIN" -H 'content-type: application/json')
curl -sf -X POST "$BASE/api/v1/orgs/acme/products" "${H[@]}" -d '{"slug":"router","name":"Router"}' >/dev/null
curl -sf -X POST "$BASE/api/v1/orgs/acme/products/router/versions" "${H[@]}" -d '{"version":"1.0"}' >/dev/null
curl -sf -X POST "$BASE/api/v1/orgs/acme/products/router/versions/1.0/artifacts?publish=true" -H "authorization: Bearer $ADMIN" \
  -H 'content-type: application/vnd.cyclonedx+json' --data-binary @formats/tests/fixtures/sbom-min-1.6.json >/dev/null
curl -sf -X PUT "$BASE/api/v1/orgs/acme/portal" "${H[@]}" -d '{"enabled":true,"slug":"acme","visibility":"private","display_name":"ACME"}' >/dev/null
PTOKEN=$(curl -sf -X POST "$BASE/api/v1/orgs/acme/portal/tokens" "${H[@]}" -d '{"name":"Fuzz","expires_in":"30d"}' | j '["token"]')
KEY=$(curl -sf -X POST "$BASE/api/v1/orgs/acme/api-keys" "${H[@]}" -d '{"name":"Fuzz","scopes":["artifacts:write","catalogue:read"],"expires_in":"30d"}' | j '["key"]')

CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
run() { # run <name> <auth header> <st args…>
  local name=$1 auth=$2; shift 2
  echo "== schemathesis: $name"
  "$ST" --config-file "$ROOT/fuzz/schemathesis.toml" run "$BASE/api-docs/openapi.json" -H "$auth" --checks "$CHECKS" \
    --max-time "$MAX_TIME" --seed "$SEED" -w 2 --phases examples,coverage,fuzzing --no-color \
    --suppress-health-check all --warnings off "$@"
}
status=0
# Customer side with an access token; CI push with an API key; the admin side with a session
# (without the operations that end the session or remove the data the others need).
run "portal (access token)" "Authorization: Bearer $PTOKEN" --include-path-regex '^/api/v1/portal/' || status=1
run "Dependency-Track push (API key)" "X-Api-Key: $KEY" --include-path-regex '^/api/v1/bom' || status=1
run "admin (session)" "Authorization: Bearer $ADMIN" --exclude-path-regex '^/api/v1/(portal/|bom|auth/logout)' \
  --exclude-method DELETE || status=1
if grep -q "panicked" "$WORK/server.log"; then echo "server panicked:"; grep -A5 panicked "$WORK/server.log"; status=1; fi
exit $status
