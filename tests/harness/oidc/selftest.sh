#!/usr/bin/env bash
# Self-test of the OIDC test provider: starts provider.mjs and drives the whole
# authorization-code + PKCE flow with curl (cookie jar, no JavaScript), the way a
# relying party's e2e test does. Exit 0 only if every check passes.
#
#   tests/harness/oidc/selftest.sh
#
# Needs: node (>= 18; 20 here), npm (only if node_modules is missing), curl.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"

if [ ! -d node_modules/oidc-provider ]; then
  echo "# npm ci" >&2
  npm ci --no-audit --no-fund >&2
fi

WORK="$(mktemp -d)"
PROVIDER_PID=""
cleanup() {
  if [ -n "$PROVIDER_PID" ]; then kill "$PROVIDER_PID" 2>/dev/null || true; wait "$PROVIDER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

FAILS=0
ok()   { echo "ok   - $*"; }
bad()  { echo "FAIL - $*"; FAILS=$((FAILS + 1)); }
die()  { echo "FAIL - $*"; echo "provider log:"; sed 's/^/    /' "$WORK/provider.err" || true; exit 1; }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

# ---- start the provider ----------------------------------------------------------------------
export OIDC_CLIENT_ID="supplier-portal"
export OIDC_CLIENT_SECRET="selftest-secret-123"
export OIDC_REDIRECT_URI="http://127.0.0.1:9/auth/oidc/callback"
export OIDC_ACCOUNTS='[{"sub":"u1","email":"alice@example.com","email_verified":true,"name":"Alice Example","password":"correct horse"},{"sub":"u2","email":"bob@example.com","email_verified":false,"password":"b0b"}]'

: >"$WORK/provider.out"
node provider.mjs --port 0 >"$WORK/provider.out" 2>"$WORK/provider.err" &
PROVIDER_PID=$!
PORT=""
for _ in $(seq 1 150); do
  if read -r first <"$WORK/provider.out" 2>/dev/null && [ -n "${first:-}" ]; then
    PORT="${first#LISTENING }"; break
  fi
  kill -0 "$PROVIDER_PID" 2>/dev/null || die "provider exited before LISTENING"
  sleep 0.1
done
[ -n "$PORT" ] || die "no LISTENING line within 15 s"
[[ "$first" =~ ^LISTENING\ [0-9]+$ ]] || die "first stdout line is not 'LISTENING <port>': $first"
ok "provider printed '$first'"
ISSUER="http://127.0.0.1:$PORT"

# ---- helpers ---------------------------------------------------------------------------------
# req NAME JAR curl-args... : runs curl, stores body in $WORK/NAME.body, headers in $WORK/NAME.hdr,
# sets STATUS and LOCATION (absolute URL or empty).
req() {
  local name="$1" jar="$2"; shift 2
  STATUS="$(curl -sS -o "$WORK/$name.body" -D "$WORK/$name.hdr" -w '%{http_code}' -c "$jar" -b "$jar" "$@")"
  LOCATION="$(tr -d '\r' <"$WORK/$name.hdr" | awk 'tolower($1)=="location:" {print $2}' | tail -n1)"
  if [ -n "$LOCATION" ] && [[ "$LOCATION" == /* ]]; then LOCATION="$ISSUER$LOCATION"; fi
}
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const r=process.argv[1].split(".").reduce((o,k)=>o==null?o:o[k],v);console.log(typeof r==="object"?JSON.stringify(r):String(r))})' "$1"; }
qparam() { node -e 'console.log(new URL(process.argv[1]).searchParams.get(process.argv[2]) ?? "")' "$1" "$2"; }
export -f json qparam
urlenc() { node -e 'console.log(encodeURIComponent(process.argv[1]))' "$1"; }

# PKCE: verifier = 43 url-safe chars, challenge = BASE64URL(SHA256(verifier))
new_pkce() {
  read -r VERIFIER CHALLENGE < <(node -e 'const c=require("crypto");const v=c.randomBytes(32).toString("base64url");console.log(v, c.createHash("sha256").update(v).digest("base64url"))')
}

DISCOVERY="$ISSUER/.well-known/openid-configuration"
SCOPE="openid email profile"

authorize_url() { # $1 state, $2 nonce, $3 challenge (empty = no PKCE)
  local u="$AUTHZ?response_type=code&client_id=$(urlenc "$OIDC_CLIENT_ID")&redirect_uri=$(urlenc "$OIDC_REDIRECT_URI")&scope=$(urlenc "$SCOPE")&state=$1&nonce=$2"
  if [ -n "$3" ]; then u="$u&code_challenge=$3&code_challenge_method=S256"; fi
  echo "$u"
}

# ---- 1. discovery ----------------------------------------------------------------------------
req disc "$WORK/jar0" "$DISCOVERY"
[ "$STATUS" = 200 ] || die "GET $DISCOVERY -> $STATUS"
D="$(cat "$WORK/disc.body")"
AUTHZ="$(json authorization_endpoint <<<"$D")"
TOKEN="$(json token_endpoint <<<"$D")"
JWKS="$(json jwks_uri <<<"$D")"
USERINFO="$(json userinfo_endpoint <<<"$D")"
check "discovery issuer = $ISSUER" [ "$(json issuer <<<"$D")" = "$ISSUER" ]
check "authorization_endpoint = $ISSUER/auth" [ "$AUTHZ" = "$ISSUER/auth" ]
check "token_endpoint = $ISSUER/token" [ "$TOKEN" = "$ISSUER/token" ]
check "code_challenge_methods_supported = [\"S256\"]" [ "$(json code_challenge_methods_supported <<<"$D")" = '["S256"]' ]
check "id_token_signing_alg_values_supported includes RS256" grep -q RS256 <<<"$(json id_token_signing_alg_values_supported <<<"$D")"
check "token_endpoint_auth_methods_supported has basic+post" bash -c '[[ "$1" == *client_secret_basic* && "$1" == *client_secret_post* ]]' _ "$(json token_endpoint_auth_methods_supported <<<"$D")"

# ---- 2. PKCE is required ---------------------------------------------------------------------
JAR="$WORK/jar-nopkce"
req nopkce "$JAR" "$(authorize_url st0 n0 "")"
check "authorize without code_challenge -> 303 to redirect_uri with error=invalid_request (got $STATUS)" \
  bash -c '[ "$1" = 303 ] && [[ "$2" == "$3"\?* ]] && [[ "$2" == *error=invalid_request* ]] && [[ "$2" != *code=* ]]' _ "$STATUS" "$LOCATION" "$OIDC_REDIRECT_URI"

# ---- 3. wrong password yields no code --------------------------------------------------------
JAR="$WORK/jar-wrong"
new_pkce
req w1 "$JAR" "$(authorize_url stW nW "$CHALLENGE")"
[ "$STATUS" = 303 ] && [[ "$LOCATION" == "$ISSUER/interaction/"* ]] || die "GET /auth -> $STATUS $LOCATION"
INTERACTION="$LOCATION"
req w2 "$JAR" "$INTERACTION"
check "GET interaction page -> 200 form" bash -c '[ "$1" = 200 ] && grep -q "name=\"password\"" "$2"' _ "$STATUS" "$WORK/w2.body"
req w3 "$JAR" -X POST --data-urlencode "login=alice@example.com" --data-urlencode "password=wrong" "$INTERACTION/login"
check "wrong password -> 401, no Location, form shown again (got $STATUS '$LOCATION')" \
  bash -c '[ "$1" = 401 ] && [ -z "$2" ] && grep -q "name=\"password\"" "$3" && grep -q "Invalid e-mail or password" "$3"' _ "$STATUS" "$LOCATION" "$WORK/w3.body"
req w4 "$JAR" -X POST --data-urlencode "login=nobody@example.com" --data-urlencode "password=x" "$INTERACTION/login"
check "unknown e-mail -> 401, no Location (got $STATUS)" bash -c '[ "$1" = 401 ] && [ -z "$2" ]' _ "$STATUS" "$LOCATION"
check "no code was issued in the wrong-password flow" bash -c '! grep -qi "code=" "$1"/w*.hdr' _ "$WORK"
# the same interaction still accepts the right password afterwards
req w5 "$JAR" -X POST --data-urlencode "login=alice@example.com" --data-urlencode "password=correct horse" "$INTERACTION/login"
check "right password after a wrong one -> 303 (got $STATUS)" [ "$STATUS" = 303 ]

# ---- 4. full flow: authorize -> login -> redirect_uri?code= ----------------------------------
JAR="$WORK/jar-main"
new_pkce
STATE="st-$RANDOM$RANDOM"; NONCE="n-$RANDOM$RANDOM"
URL="$(authorize_url "$STATE" "$NONCE" "$CHALLENGE")"
req a1 "$JAR" "$URL"
check "GET /auth -> 303 /interaction/<uid> (got $STATUS $LOCATION)" bash -c '[ "$1" = 303 ] && [[ "$2" == "$3/interaction/"* ]]' _ "$STATUS" "$LOCATION" "$ISSUER"
INTERACTION="$LOCATION"
req a2 "$JAR" "$INTERACTION"
check "GET /interaction/<uid> -> 200 login form" bash -c '[ "$1" = 200 ] && grep -q "action=\"/interaction/" "$2"' _ "$STATUS" "$WORK/a2.body"
req a3 "$JAR" -X POST --data-urlencode "login=alice@example.com" --data-urlencode "password=correct horse" "$INTERACTION/login"
check "POST /interaction/<uid>/login -> 303 $ISSUER/auth/<uid> (got $STATUS $LOCATION)" bash -c '[ "$1" = 303 ] && [[ "$2" == "$3/auth/"* ]]' _ "$STATUS" "$LOCATION" "$ISSUER"
# follow redirects (manually, keeping cookies) until we land on the redirect_uri
HOPS=0
while [ -n "$LOCATION" ] && [[ "$LOCATION" != "$OIDC_REDIRECT_URI"* ]] && [ "$HOPS" -lt 10 ]; do
  HOPS=$((HOPS + 1)); req "hop$HOPS" "$JAR" "$LOCATION"
done
CALLBACK="$LOCATION"
echo "     callback: $CALLBACK"
CODE="$(qparam "$CALLBACK" code)"
check "redirected to redirect_uri with code=... after $HOPS hop(s)" bash -c '[[ "$1" == "$2"\?* ]] && [ -n "$3" ]' _ "$CALLBACK" "$OIDC_REDIRECT_URI" "$CODE"
check "state echoed" [ "$(qparam "$CALLBACK" state)" = "$STATE" ]
check "iss parameter = issuer (RFC 9207)" [ "$(qparam "$CALLBACK" iss)" = "$ISSUER" ]

# ---- 5. token exchange (client_secret_basic) -------------------------------------------------
# wrong verifier first: must fail
req t0 "$WORK/jar-none" -X POST -u "$OIDC_CLIENT_ID:$OIDC_CLIENT_SECRET" \
  --data-urlencode grant_type=authorization_code --data-urlencode "code=$CODE" \
  --data-urlencode "redirect_uri=$OIDC_REDIRECT_URI" --data-urlencode "code_verifier=${VERIFIER}x" "$TOKEN"
check "token with wrong code_verifier -> 400 invalid_grant (got $STATUS)" \
  bash -c '[ "$1" = 400 ] && grep -q invalid_grant "$2"' _ "$STATUS" "$WORK/t0.body"
# get a fresh code for the real exchange (the session cookie means no login page this time)
new_pkce
STATE="st2-$RANDOM"; NONCE="n2-$RANDOM"
req b1 "$JAR" "$(authorize_url "$STATE" "$NONCE" "$CHALLENGE")"
HOPS=0
while [ -n "$LOCATION" ] && [[ "$LOCATION" != "$OIDC_REDIRECT_URI"* ]] && [ "$HOPS" -lt 10 ]; do
  HOPS=$((HOPS + 1)); req "bhop$HOPS" "$JAR" "$LOCATION"
done
CODE="$(qparam "$LOCATION" code)"
check "second /auth with the session cookie -> straight to redirect_uri with a code (got $STATUS, $HOPS extra hop(s))" \
  bash -c '[ -n "$1" ] && [ "$2" = 0 ]' _ "$CODE" "$HOPS"

req t1 "$WORK/jar-none" -X POST -u "$OIDC_CLIENT_ID:$OIDC_CLIENT_SECRET" \
  --data-urlencode grant_type=authorization_code --data-urlencode "code=$CODE" \
  --data-urlencode "redirect_uri=$OIDC_REDIRECT_URI" --data-urlencode "code_verifier=$VERIFIER" "$TOKEN"
T="$(cat "$WORK/t1.body")"
check "POST /token (client_secret_basic) -> 200 (got $STATUS)" [ "$STATUS" = 200 ]
echo "     token response keys: $(node -e 'console.log(Object.keys(JSON.parse(process.argv[1])).join(","))' "$T")"
IDT="$(json id_token <<<"$T")"
AT="$(json access_token <<<"$T")"
check "token response has id_token" bash -c '[ -n "$1" ] && [ "$1" != undefined ]' _ "$IDT"
check "token response token_type Bearer" [ "$(json token_type <<<"$T")" = Bearer ]

PAYLOAD="$(node -e 'console.log(Buffer.from(process.argv[1].split(".")[1],"base64url").toString())' "$IDT")"
HEADER="$(node -e 'console.log(Buffer.from(process.argv[1].split(".")[0],"base64url").toString())' "$IDT")"
echo "     id_token header:  $HEADER"
echo "     id_token payload: $PAYLOAD"
check "id_token alg RS256" [ "$(json alg <<<"$HEADER")" = RS256 ]
check "id_token email = alice@example.com" [ "$(json email <<<"$PAYLOAD")" = alice@example.com ]
check "id_token email_verified = true" [ "$(json email_verified <<<"$PAYLOAD")" = true ]
check "id_token name = Alice Example" [ "$(json name <<<"$PAYLOAD")" = "Alice Example" ]
check "id_token sub = u1" [ "$(json sub <<<"$PAYLOAD")" = u1 ]
check "id_token iss = issuer" [ "$(json iss <<<"$PAYLOAD")" = "$ISSUER" ]
check "id_token aud = client_id" [ "$(json aud <<<"$PAYLOAD")" = "$OIDC_CLIENT_ID" ]
check "id_token nonce echoed" [ "$(json nonce <<<"$PAYLOAD")" = "$NONCE" ]

# verify the RS256 signature against the published JWKS
req jwks "$WORK/jar-none" "$JWKS"
check "id_token signature verifies against jwks_uri" node -e '
  const c = require("crypto");
  const [h, p, s] = process.argv[1].split(".");
  const kid = JSON.parse(Buffer.from(h, "base64url")).kid;
  const jwk = JSON.parse(process.argv[2]).keys.find((k) => k.kid === kid);
  const key = c.createPublicKey({ key: jwk, format: "jwk" });
  process.exit(c.verify("sha256", Buffer.from(h + "." + p), key, Buffer.from(s, "base64url")) ? 0 : 1);
' "$IDT" "$(cat "$WORK/jwks.body")"

req ui "$WORK/jar-none" -H "Authorization: Bearer $AT" "$USERINFO"
check "userinfo with access_token -> 200 with email (got $STATUS)" \
  bash -c '[ "$1" = 200 ] && grep -q alice@example.com "$2"' _ "$STATUS" "$WORK/ui.body"

# a code is single-use
req t2 "$WORK/jar-none" -X POST -u "$OIDC_CLIENT_ID:$OIDC_CLIENT_SECRET" \
  --data-urlencode grant_type=authorization_code --data-urlencode "code=$CODE" \
  --data-urlencode "redirect_uri=$OIDC_REDIRECT_URI" --data-urlencode "code_verifier=$VERIFIER" "$TOKEN"
check "reusing the code -> 400 invalid_grant (got $STATUS)" bash -c '[ "$1" = 400 ] && grep -q invalid_grant "$2"' _ "$STATUS" "$WORK/t2.body"

# ---- 6. second user, client_secret_post, wrong client secret ---------------------------------
JAR="$WORK/jar-bob"
new_pkce
req c1 "$JAR" "$(authorize_url stB nB "$CHALLENGE")"
INTERACTION="$LOCATION"
req c2 "$JAR" "$INTERACTION"
req c3 "$JAR" -X POST --data-urlencode "login=BOB@example.com" --data-urlencode "password=b0b" "$INTERACTION/login"
HOPS=0
while [ -n "$LOCATION" ] && [[ "$LOCATION" != "$OIDC_REDIRECT_URI"* ]] && [ "$HOPS" -lt 10 ]; do
  HOPS=$((HOPS + 1)); req "chop$HOPS" "$JAR" "$LOCATION"
done
CODE="$(qparam "$LOCATION" code)"
check "bob (e-mail matched case-insensitively) gets a code" [ -n "$CODE" ]
req t3 "$WORK/jar-none" -X POST \
  --data-urlencode grant_type=authorization_code --data-urlencode "code=$CODE" \
  --data-urlencode "redirect_uri=$OIDC_REDIRECT_URI" --data-urlencode "code_verifier=$VERIFIER" \
  --data-urlencode "client_id=$OIDC_CLIENT_ID" --data-urlencode "client_secret=wrong" "$TOKEN"
check "wrong client_secret -> 401 invalid_client (got $STATUS)" bash -c '[ "$1" = 401 ] && grep -q invalid_client "$2"' _ "$STATUS" "$WORK/t3.body"
req t4 "$WORK/jar-none" -X POST \
  --data-urlencode grant_type=authorization_code --data-urlencode "code=$CODE" \
  --data-urlencode "redirect_uri=$OIDC_REDIRECT_URI" --data-urlencode "code_verifier=$VERIFIER" \
  --data-urlencode "client_id=$OIDC_CLIENT_ID" --data-urlencode "client_secret=$OIDC_CLIENT_SECRET" "$TOKEN"
check "POST /token (client_secret_post) -> 200 (got $STATUS)" [ "$STATUS" = 200 ]
P2="$(node -e 'console.log(Buffer.from(JSON.parse(process.argv[1]).id_token.split(".")[1],"base64url").toString())' "$(cat "$WORK/t4.body")")"
echo "     bob id_token payload: $P2"
check "bob id_token: sub u2, email bob@example.com, email_verified false, name defaults to e-mail" \
  bash -c '[ "$(json sub <<<"$1")" = u2 ] && [ "$(json email <<<"$1")" = bob@example.com ] && [ "$(json email_verified <<<"$1")" = false ] && [ "$(json name <<<"$1")" = bob@example.com ]' _ "$P2"

# ---- 7. abort link ---------------------------------------------------------------------------
JAR="$WORK/jar-abort"
new_pkce
req d1 "$JAR" "$(authorize_url stA nA "$CHALLENGE")"
req d2 "$JAR" "$LOCATION/abort"
HOPS=0
while [ -n "$LOCATION" ] && [[ "$LOCATION" != "$OIDC_REDIRECT_URI"* ]] && [ "$HOPS" -lt 10 ]; do
  HOPS=$((HOPS + 1)); req "dhop$HOPS" "$JAR" "$LOCATION"
done
check "abort -> redirect_uri?error=access_denied&state=stA" \
  bash -c '[ "$(qparam "$1" error)" = access_denied ] && [ "$(qparam "$1" state)" = stA ] && [ -z "$(qparam "$1" code)" ]' _ "$LOCATION"

echo
if [ "$FAILS" -ne 0 ]; then
  echo "$FAILS check(s) failed"; echo "provider log:"; sed 's/^/    /' "$WORK/provider.err"; exit 1
fi
echo "all checks passed"
