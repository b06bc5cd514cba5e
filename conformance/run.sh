#!/usr/bin/env bash
# Outside conformance checks against the live server, with the tools customers use:
#   * TEA: libtea's `tea-cli conformance` (PyPI `libtea[cli]`) against a private portal over
#     native TLS with a customer access token (libtea refuses bearer tokens over plain HTTP).
# Usage: conformance/run.sh      (PORTAL_BIN overrides the server binary)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${PORTAL_BIN:-$ROOT/target/debug/supplier-portal}
[ -x "$BIN" ] || cargo build -q -p supplier-portal
LIBTEA_VERSION=${LIBTEA_VERSION:-0.5.1}
VENV=$ROOT/target/conformance-venv
if [ ! -x "$VENV/bin/tea-cli" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q "libtea[cli]==$LIBTEA_VERSION"
fi
command -v openssl >/dev/null || { echo "openssl is needed to make a test certificate" >&2; exit 1; }

WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
BASE=https://127.0.0.1:$PORT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
  -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
PORTAL_DATA_DIR=$WORK/data PORTAL_BIND=127.0.0.1:$PORT RUST_LOG=warn \
  PORTAL_TLS_CERT=$WORK/cert.pem PORTAL_TLS_KEY=$WORK/key.pem "$BIN" serve > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
C=(curl -sf --cacert "$WORK/cert.pem")
for _ in $(seq 1 100); do "${C[@]}" "$BASE/readyz" >/dev/null && break; sleep 0.2; done
j() { python3 -c "import sys,json;print(json.load(sys.stdin)$1)"; }

"${C[@]}" -X POST "$BASE/api/v1/setup" -H 'content-type: application/json' \
  -d '{"org_name":"ACME","org_slug":"acme","email":"admin@acme.example","password":"conformance pw 1","display_name":"Admin"}' >/dev/null
ADMIN=$("${C[@]}" -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"admin@acme.example","password":"conformance pw 1"}' | j '["access_token"]')
H=(-H "authorization: Bearer $ADMIN" -H 'content-type: application/json')
"${C[@]}" -X POST "$BASE/api/v1/orgs/acme/products" "${H[@]}" -d '{"slug":"router","name":"Router"}' >/dev/null
"${C[@]}" -X POST "$BASE/api/v1/orgs/acme/products/router/versions" "${H[@]}" \
  -d '{"version":"4.2.0","release_date":"2025-01-15","support_until":"2030-12-31"}' >/dev/null
up() { "${C[@]}" -X POST "$BASE/api/v1/orgs/acme/products/router/versions/4.2.0/artifacts?publish=true" \
  -H "authorization: Bearer $ADMIN" -H "content-type: $1" --data-binary "@$2" >/dev/null; }
up application/vnd.cyclonedx+json formats/tests/fixtures/sbom-min-1.6.json
up application/openvex+json formats/tests/fixtures/openvex-0.2.0.json
up application/csaf+json formats/tests/fixtures/csaf-advisory.json
"${C[@]}" -X PUT "$BASE/api/v1/orgs/acme/portal" "${H[@]}" \
  -d '{"enabled":true,"slug":"acme","visibility":"private","display_name":"ACME","contact_email":"psirt@acme.example"}' >/dev/null
TOKEN=$("${C[@]}" -X POST "$BASE/api/v1/orgs/acme/portal/tokens" "${H[@]}" -d '{"name":"TEA conformance","expires_in":"30d"}' | j '["token"]')
TEA=$BASE/api/v1/portal/acme/tea/v0.4.0
TEI=$("${C[@]}" -H "authorization: Bearer $TOKEN" "$TEA/productReleases?pageSize=1" | j '["results"][0]["identifiers"][0]["idValue"]')

echo "== TEA: tea-cli conformance (libtea $LIBTEA_VERSION) against $TEA"
status=0
REQUESTS_CA_BUNDLE=$WORK/cert.pem "$VENV/bin/tea-cli" conformance --base-url "$TEA" --token "$TOKEN" --tei "$TEI" \
  --no-color --json -o "$WORK/tea.json" || status=1
python3 - "$WORK/tea.json" <<'PY' || status=1
import json, sys
r = json.load(open(sys.argv[1]))
counts = {}
for c in r["checks"]:
    counts[c["status"]] = counts.get(c["status"], 0) + 1
    print(f'  {c["status"]:5} {c["name"]}: {c["message"]}')
print("  totals:", counts)
sys.exit(1 if counts.get("fail") else 0)
PY
if grep -q "panicked" "$WORK/server.log"; then echo "server panicked:"; grep -A5 panicked "$WORK/server.log"; status=1; fi
exit $status
