#!/usr/bin/env bash
# csaf-walker (what CSAF aggregators use) against the live server, by hand (not in CI: the
# `csaf` binary takes ~9 minutes to build: `cargo install csaf-cli@0.20.0 --locked`, which needs
# Debian's nettle-dev, libclang-dev and pkg-config).
#   1. A public portal holding TLP:WHITE, TLP:GREEN, TLP:AMBER and unlabeled advisories: an
#      anonymous `csaf sync` mirrors exactly the WHITE ones.
#   2. The same portal, private: `csaf sync --fetch-bearer-token` mirrors everything the token's
#      clearance allows (AMBER clearance: WHITE, GREEN, AMBER and unlabeled; GREEN: no AMBER).
#   3. `csaf report` over the portal finds no error, a generated CSAF VEX (the response loop) included.
# Usage: conformance/csaf-walker.sh   (PORTAL_BIN overrides the server binary, CSAF the client)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${PORTAL_BIN:-$ROOT/target/debug/supplier-portal}
CSAF=${CSAF:-$(command -v csaf || echo "$HOME/.cargo/bin/csaf")}
[ -x "$BIN" ] || cargo build -q -p supplier-portal
[ -x "$CSAF" ] || { echo "csaf-walker not found: cargo install csaf-cli@0.20.0 --locked" >&2; exit 1; }
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
BASE=https://127.0.0.1:$PORT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 \
  -subj "/CN=localhost" -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" 2>/dev/null
PORTAL_DATA_DIR=$WORK/data PORTAL_BIND=127.0.0.1:$PORT RUST_LOG=warn PORTAL_PUBLIC_URL=$BASE \
  PORTAL_TLS_CERT=$WORK/cert.pem PORTAL_TLS_KEY=$WORK/key.pem "$BIN" serve > "$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; rm -rf "$WORK"' EXIT
C=(curl -sf --cacert "$WORK/cert.pem")
for _ in $(seq 1 100); do "${C[@]}" "$BASE/readyz" >/dev/null && break; sleep 0.2; done
j() { python3 -c "import sys,json;print(json.load(sys.stdin)$1)"; }
"${C[@]}" -X POST "$BASE/api/v1/setup" -H 'content-type: application/json' \
  -d '{"org_name":"ACME","org_slug":"acme","email":"admin@acme.example","password":"walker pw 12345","display_name":"Admin"}' >/dev/null
ADMIN=$("${C[@]}" -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
  -d '{"email":"admin@acme.example","password":"walker pw 12345"}' | j '["access_token"]')
H=(-H "authorization: Bearer $ADMIN" -H 'content-type: application/json')
"${C[@]}" -X POST "$BASE/api/v1/orgs/acme/products" "${H[@]}" -d '{"slug":"router","name":"Router"}' >/dev/null
"${C[@]}" -X POST "$BASE/api/v1/orgs/acme/products/router/versions" "${H[@]}" -d '{"version":"4.2.0"}' >/dev/null
n=0
for label in WHITE GREEN AMBER NONE; do
  n=$((n+1))
  python3 - "$label" "$n" > "$WORK/adv-$label.json" <<'PY'
import json, sys
label, n = sys.argv[1], sys.argv[2]
d = json.load(open("formats/tests/fixtures/csaf-advisory.json"))
d["document"]["tracking"]["id"] = f"ACME-SA-2025-00{n}"
# The fixture's CVSS objects carry only the vector; spell out its metrics as csaf-walker expects.
names = {"AV": ("attackVector", {"N": "NETWORK", "A": "ADJACENT_NETWORK", "L": "LOCAL", "P": "PHYSICAL"}),
         "AC": ("attackComplexity", {"L": "LOW", "H": "HIGH"}), "PR": ("privilegesRequired", {"N": "NONE", "L": "LOW", "H": "HIGH"}),
         "UI": ("userInteraction", {"N": "NONE", "R": "REQUIRED"}), "S": ("scope", {"U": "UNCHANGED", "C": "CHANGED"}),
         "C": ("confidentialityImpact", {"N": "NONE", "L": "LOW", "H": "HIGH"}), "I": ("integrityImpact", {"N": "NONE", "L": "LOW", "H": "HIGH"}),
         "A": ("availabilityImpact", {"N": "NONE", "L": "LOW", "H": "HIGH"})}
for v in d.get("vulnerabilities", []):
    for sc in v.get("scores", []):
        c = sc.get("cvss_v3")
        if c:
            for part in c["vectorString"].split("/")[1:]:
                k, val = part.split(":")
                if k in names:
                    c[names[k][0]] = names[k][1][val]
if label == "NONE":
    d["document"].pop("distribution", None)
else:
    d["document"]["distribution"] = {"tlp": {"label": label}}
print(json.dumps(d, indent=2))
PY
  "${C[@]}" -X POST "$BASE/api/v1/orgs/acme/products/router/versions/4.2.0/artifacts?publish=true" \
    -H "authorization: Bearer $ADMIN" -H 'content-type: application/csaf+json' --data-binary "@$WORK/adv-$label.json" >/dev/null
done
portal() {
  "${C[@]}" -X PUT "$BASE/api/v1/orgs/acme/portal" "${H[@]}" -d "{\"enabled\":true,\"slug\":\"acme\",\"visibility\":\"$1\",\
\"display_name\":\"ACME\",\"contact_email\":\"psirt@acme.example\",\"csaf_publisher\":{\"name\":\"ACME GmbH\",\"namespace\":\"https://acme.example\"}}" >/dev/null
}
token() { "${C[@]}" -X POST "$BASE/api/v1/orgs/acme/portal/tokens" "${H[@]}" -d "{\"name\":\"$1\",\"expires_in\":\"30d\",\"max_tlp\":\"$1\"}" | j '["token"]'; }
META=$BASE/api/v1/portal/acme/csaf/provider-metadata.json
status=0
mirror() { # name, expected files, csaf-walker options...
  local name=$1 want=$2; shift 2
  rm -rf "$WORK/$name"; mkdir -p "$WORK/$name"
  SSL_CERT_FILE=$WORK/cert.pem "$CSAF" sync -q "$@" -d "$WORK/$name" "$META" > "$WORK/$name.log" 2>&1 || true
  got=$(cd "$WORK/$name" && find . -name '*.json' ! -name 'provider-metadata.json' ! -name '*feed*' ! -name 'category*' | sed 's|.*/||' | sort -u | tr '\n' ' ')
  (cd "$WORK/$name" && find . -type f | sort) > "$WORK/$name.files"
  if [ "$got" = "$want" ]; then echo "ok   $name: $got"; else cat "$WORK/$name.files"; echo "FAIL $name: got [$got] want [$want]"; cat "$WORK/$name.log"; status=1; fi
}
portal public
# A triage result published by the response loop: a generated CSAF VEX (TLP:GREEN) beside the advisories.
"${C[@]}" -X POST "$BASE/api/v1/orgs/acme/vulnerabilities" "${H[@]}" \
  -d '{"id":"CVE-2026-1234","title":"Heap overflow in the web UI","description":"A crafted request overflows a buffer.","severity":"critical"}' >/dev/null
"${C[@]}" -X PUT "$BASE/api/v1/orgs/acme/vulnerabilities/CVE-2026-1234/assessments" "${H[@]}" \
  -d '[{"product":"router","version":"4.2.0","status":"affected","fixed_in":"4.2.1","action_statement":"Upgrade to 4.2.1."}]' >/dev/null
"${C[@]}" -X POST "$BASE/api/v1/orgs/acme/vulnerabilities/CVE-2026-1234/publish" "${H[@]}" -d '{"tlp":"green"}' >/dev/null
VEX=acme-vex-cve-2026-1234-router-4-2-0.json
mirror anonymous-public "acme-sa-2025-001.json "
portal private
AMBER=$(token amber); GREEN=$(token green)
mirror anonymous-private ""
mirror token-amber "acme-sa-2025-001.json acme-sa-2025-002.json acme-sa-2025-003.json acme-sa-2025-004.json $VEX " --fetch-bearer-token "$AMBER"
mirror token-green "acme-sa-2025-001.json acme-sa-2025-002.json acme-sa-2025-004.json $VEX " --fetch-bearer-token "$GREEN"
echo "== csaf report (token amber)"
if SSL_CERT_FILE=$WORK/cert.pem "$CSAF" report --fetch-bearer-token "$AMBER" --output "$WORK/report.html" "$META" > "$WORK/report.log" 2>&1; then
  python3 -c "import re,sys;t=open(sys.argv[1]).read();e=re.findall(r\"(?i)(\\d+)\\s+errors?\",t);print(\"report errors:\",e or \"none listed\")" "$WORK/report.html"; grep -iE "error" "$WORK/report.log" | head -5 || true
  mkdir -p target && cp "$WORK/report.html" target/csaf-report.html && echo "report: target/csaf-report.html"
else
  cat "$WORK/report.log"; status=1
fi
exit $status
