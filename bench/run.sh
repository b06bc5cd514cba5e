#!/usr/bin/env bash
# make bench: release build, fresh databases, everything on loopback; each figure the median of
# several runs. Results go to bench/out/results.jsonl and the report to bench/REPORT.md.
# Knobs: BENCH_EVENTS ("1000000 10000000"), BENCH_DURATION (wrk seconds, 10), BENCH_RUNS (3),
# BENCH_PG_URL (admin URL of a Postgres; default postgres://postgres@127.0.0.1:5432/postgres, skipped if unreachable),
# BENCH_CATALOGUE (advisory counts of section 6, "500 5000 50000"), BENCH_CATALOGUE_REQUESTS (60 per endpoint);
# BENCH_ONLY_CATALOGUE=1 re-runs only section 6 and replaces just that section of the report;
# BENCH_ONLY_DOWNLOADS=1 re-runs only sections 1–4 (both backends) and replaces those and the notes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$ROOT/bench/out
RESULTS=$OUT/results.jsonl
STATIC=$OUT/static
# BENCH_ONLY_EVENTS=1 re-runs only section 5, appending to the existing results.
# BENCH_SKIP_EVENTS=1 re-runs sections 1–4 and keeps the section-5 results of the previous run.
if [ -n "${BENCH_SKIP_EVENTS:-}" ] && [ -f "$RESULTS" ]; then grep '"bench": "events"' "$RESULTS" > /tmp/bench-events-$$.jsonl || true; fi
if [ -n "${BENCH_ONLY_CATALOGUE:-}" ]; then
  mkdir -p "$OUT"; touch "$RESULTS"; grep -v '"bench": "catalogue"' "$RESULTS" > "$RESULTS.tmp" || true; mv "$RESULTS.tmp" "$RESULTS"; rm -rf "$OUT"/catalogue-*
elif [ -n "${BENCH_ONLY_DOWNLOADS:-}" ]; then
  mkdir -p "$OUT"; touch "$RESULTS"; grep -E '"bench": "(events|catalogue)"' "$RESULTS" > "$RESULTS.tmp" || true; mv "$RESULTS.tmp" "$RESULTS"
  rm -rf "$OUT"/sqlite-data* "$OUT"/s3-data* "$OUT"/static "$OUT"/wrk-*
elif [ -z "${BENCH_ONLY_EVENTS:-}" ]; then rm -rf "$OUT"; mkdir -p "$OUT"; : > "$RESULTS"; else rm -rf "$OUT"/events-*; fi
if [ -n "${BENCH_SKIP_EVENTS:-}" ] && [ -f /tmp/bench-events-$$.jsonl ]; then cat /tmp/bench-events-$$.jsonl >> "$RESULTS"; rm -f /tmp/bench-events-$$.jsonl; fi
EVENTS=${BENCH_EVENTS:-"1000000 10000000"}
CATALOGUE=${BENCH_CATALOGUE:-"500 5000 50000"}
DURATION=${BENCH_DURATION:-10}
RUNS=${BENCH_RUNS:-3}
PG_URL=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}

for tool in wrk nginx curl python3; do
  command -v $tool >/dev/null || { echo "bench needs $tool (apt-get install -y wrk nginx curl)"; exit 1; }
done
cargo build --release -q -p supplier-portal -p portal-bench
BIN=$ROOT/target/release/supplier-portal
BENCH=$ROOT/target/release/portal-bench

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
record() { echo "$1" >> "$RESULTS"; echo "$1"; }
# splice_report <section regex>...: replaces just those sections of the committed report with this run's
splice_report() {
  python3 "$ROOT/bench/report.py" "$RESULTS" | python3 -c '
import re, sys
new = sys.stdin.read()
path = sys.argv[1]
old = open(path).read()
for head in sys.argv[2:]:
    pat = r"## " + head + r".*?(?=\n## |\Z)"
    part = re.search(pat, new, re.S)
    if not part:
        continue
    sec = part.group(0).rstrip() + "\n"
    if re.search(pat, old, re.S):
        old = re.sub(pat, lambda _: sec, old, count=1, flags=re.S)
    else:
        old = old.replace("## Notes on this run", sec + "\n## Notes on this run")
open(path, "w").write(old.rstrip() + "\n")' "$ROOT/bench/REPORT.md" "$@"
}

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# start_server <database-url> <data-dir>: sets PORT, BASE, SERVER_PID
start_server() {
  PORT=$(free_port); BASE=http://127.0.0.1:$PORT
  PORTAL_DATABASE_URL=$1 PORTAL_DATA_DIR=$2 PORTAL_BIND=127.0.0.1:$PORT RUST_LOG=warn \
    PORTAL_LOGIN_ATTEMPTS_PER_IP=100000 PORTAL_CUSTOMER_SESSIONS_PER_IP=100000 PORTAL_CUSTOMER_READS_PER_TOKEN=100000000 PORTAL_CUSTOMER_READS_PER_IP=100000000 PORTAL_DB_POOL_SIZE=16 \
    "$BIN" serve > "$2.log" 2>&1 &
  SERVER_PID=$!; PIDS+=("$SERVER_PID")
  for _ in $(seq 1 100); do curl -sf "$BASE/readyz" >/dev/null && return 0; sleep 0.2; done
  echo "server did not start"; cat "$2.log"; exit 1
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; }

json() { python3 -c "import sys,json;print(json.load(sys.stdin)$1)"; }

# setup_org: first-run setup, admin token, API key, portal (private), access token
setup_org() {
  curl -sf -X POST "$BASE/api/v1/setup" -H 'content-type: application/json' \
    -d '{"org_name":"Bench","org_slug":"bench","email":"admin@bench.example","password":"bench password 1","display_name":"Bench"}' >/dev/null
  ADMIN=$(curl -sf -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d '{"email":"admin@bench.example","password":"bench password 1"}' | json '["access_token"]')
  KEY=$(curl -sf -X POST "$BASE/api/v1/orgs/bench/api-keys" -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' \
    -d '{"name":"bench","scopes":["artifacts:write","artifacts:publish","catalogue:read"],"expires_in":"30d"}' | json '["key"]')
  curl -sf -X PUT "$BASE/api/v1/orgs/bench/portal" -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' \
    -d '{"enabled":true,"slug":"bench","visibility":"private","display_name":"Bench"}' >/dev/null
  PTOKEN=$(curl -sf -X POST "$BASE/api/v1/orgs/bench/portal/tokens" -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' \
    -d '{"name":"Bench customer","expires_in":"30d"}' | json '["token"]')
}

publish() { # publish <file> <product> <version> → artifact id
  curl -sf -X POST "$BASE/api/v1/orgs/bench/products/$2/versions/$3/artifacts?auto_create=true&publish=true" \
    -H "x-api-key: $KEY" -H 'content-type: application/vnd.cyclonedx+json' --data-binary @"$1" | json '["id"]'
}

# wrk_run <name> <url> [header]: median of RUNS runs → results
wrk_run() {
  local name=$1 url=$2 header=${3:-}
  for i in $(seq 1 "$RUNS"); do
    if [ -n "$header" ]; then wrk -t2 -c32 -d"${DURATION}s" --latency -H "$header" "$url" > "$OUT/wrk-$name-$i.txt"
    else wrk -t2 -c32 -d"${DURATION}s" --latency "$url" > "$OUT/wrk-$name-$i.txt"; fi
  done
  record "$(python3 "$ROOT/bench/wrk_summary.py" "$name" "$OUT"/wrk-"$name"-*.txt)"
}

if [ -z "${BENCH_ONLY_EVENTS:-}${BENCH_ONLY_CATALOGUE:-}" ]; then
echo "== machine"
record "$(python3 -c "
import json,os,platform,subprocess
cpu=[l.split(':',1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')]
mem=[l.split()[1] for l in open('/proc/meminfo') if l.startswith('MemTotal')][0]
print(json.dumps({'bench':'machine','cpus':os.cpu_count(),'cpu':cpu[0] if cpu else '?','mem_gib':round(int(mem)/1048576,1),
  'kernel':platform.release(),'wrk':subprocess.run(['wrk','--version'],capture_output=True,text=True).stdout.split(chr(10))[0],
  'nginx':subprocess.run(['nginx','-v'],capture_output=True,text=True).stderr.strip(),'duration_s':$DURATION,'runs':$RUNS}))")"

echo "== 1. download vs nginx, 4. upload + validation (SQLite)"
DATA=$OUT/sqlite-data
start_server "sqlite://$DATA/portal.db" "$DATA"
setup_org
STATIC=$OUT/static; mkdir -p "$STATIC"
"$BENCH" make-sbom --out "$STATIC/sbom-1mb.json" --size-mb 1 >/dev/null
"$BENCH" make-sbom --out "$STATIC/sbom-20mb.json" --size-mb 20 >/dev/null
"$BENCH" make-sbom --out "$OUT/sbom-10mb.json" --size-mb 10 >/dev/null
ID1=$(publish "$STATIC/sbom-1mb.json" router 1.0)
ID20=$(publish "$STATIC/sbom-20mb.json" router 2.0)
NGINX_PORT=$(free_port)
cat > "$OUT/nginx.conf" <<NGINX
worker_processes 2;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on;
  types { application/json json; }
  server { listen 127.0.0.1:$NGINX_PORT; root $STATIC; }
}
NGINX
nginx -c "$OUT/nginx.conf" -p "$OUT"
trap 'cleanup; nginx -c "$OUT/nginx.conf" -p "$OUT" -s stop 2>/dev/null || true' EXIT
for size in 1mb 20mb; do
  id=$ID1; [ $size = 20mb ] && id=$ID20
  wrk_run "nginx-$size" "http://127.0.0.1:$NGINX_PORT/sbom-$size.json"
  wrk_run "portal-$size" "$BASE/api/v1/portal/bench/artifacts/$id/download" "Authorization: Bearer $PTOKEN"
done
record "$(echo '{"bench":"upload"}' | python3 -c 'import json,sys;print(json.dumps({**json.load(sys.stdin),**json.loads(sys.argv[1])}))' "$("$BENCH" upload --base "$BASE" --key "$KEY" --sbom "$OUT/sbom-10mb.json" --runs 5)")"

echo "== 3. JSON API (SQLite)"
wrk_run "sqlite-products" "$BASE/api/v1/portal/bench/products" "Authorization: Bearer $PTOKEN"
wrk_run "sqlite-version" "$BASE/api/v1/portal/bench/products/router/versions/1.0" "Authorization: Bearer $PTOKEN"

echo "== 1b. downloads handed to nginx after the portal's check and audit (PORTAL_ACCEL_REDIRECT)"
stop_server
export PORTAL_ACCEL_REDIRECT=/_blobs/
start_server "sqlite://$DATA/portal.db" "$DATA"
unset PORTAL_ACCEL_REDIRECT
ACCEL_PORT=$(free_port)
cat > "$OUT/nginx-accel.conf" <<NGINX
worker_processes 2;
pid $OUT/nginx-accel.pid;
error_log $OUT/nginx-accel-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on;
  upstream portal { server 127.0.0.1:$PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$ACCEL_PORT;
    location / { proxy_pass http://portal; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_set_header Host \$http_host; }
    location /_blobs/ {
      internal; alias $DATA/blobs/; etag off;
      add_header ETag \$upstream_http_etag always;
      add_header Repr-Digest \$upstream_http_repr_digest always;
      add_header X-Request-Id \$upstream_http_x_request_id always;
    }
  }
}
NGINX
nginx -c "$OUT/nginx-accel.conf" -p "$OUT"
for size in 1mb 20mb; do
  id=$ID1; [ $size = 20mb ] && id=$ID20
  wrk_run "accel-$size" "http://127.0.0.1:$ACCEL_PORT/api/v1/portal/bench/artifacts/$id/download" "Authorization: Bearer $PTOKEN"
done
nginx -c "$OUT/nginx-accel.conf" -p "$OUT" -s stop
stop_server
start_server "sqlite://$DATA/portal.db" "$DATA"

echo "== 2. memory while downloading a 50 MB artifact concurrently"
"$BENCH" make-sbom --out "$OUT/sbom-50mb.json" --size-mb 50 >/dev/null
ID50=$(publish "$OUT/sbom-50mb.json" router 5.0)
stop_server
# measure_memory <clients> <artifact id> <store> <data dir>: a fresh server, then <clients> downloads at once
measure_memory() {
  start_server "sqlite://$4/portal.db" "$4"
  local before peak t0 t1 failed=0 anon_before sampler
  before=$(awk '/VmHWM/{print $2}' /proc/$SERVER_PID/status)
  anon_before=$(awk '/RssAnon/{print $2}' /proc/$SERVER_PID/status)
  # VmHWM counts file-backed pages too (SQLite maps its database: mmap_size); the process's own
  # memory is RssAnon, sampled every 20 ms while the downloads run.
  ( peak_anon=0; while kill -0 "$SERVER_PID" 2>/dev/null && [ ! -f "$OUT/sampler.stop" ]; do
      a=$(awk '/RssAnon/{print $2}' /proc/$SERVER_PID/status 2>/dev/null || echo 0); [ "${a:-0}" -gt "$peak_anon" ] && peak_anon=$a
      echo "$peak_anon" > "$OUT/sampler.peak"; sleep 0.02; done ) &
  sampler=$!
  t0=$(date +%s.%N)
  seq 1 "$1" | xargs -P "$1" -I{} curl -sf -o /dev/null -H "Authorization: Bearer $PTOKEN" "$BASE/api/v1/portal/bench/artifacts/$2/download" || failed=1
  t1=$(date +%s.%N)
  touch "$OUT/sampler.stop"; wait "$sampler" 2>/dev/null || true; rm -f "$OUT/sampler.stop"
  peak=$(awk '/VmHWM/{print $2}' /proc/$SERVER_PID/status)
  record "{\"bench\":\"memory\",\"store\":\"$3\",\"clients\":$1,\"artifact_mb\":50,\"rss_before_kib\":$before,\"peak_rss_kib\":$peak,\"anon_before_kib\":$anon_before,\"peak_anon_kib\":$(cat "$OUT/sampler.peak"),\"failed\":$failed,\"seconds\":$(python3 -c "print(round($t1-$t0,2))")}"
  stop_server
}
for clients in 20 64; do measure_memory $clients "$ID50" local "$DATA"; done
# The same on object storage: moto's S3 server (PyPI moto[server]), blobs streamed both ways.
if python3 -c 'import moto.server, flask' 2>/dev/null; then
  S3_PORT=$(free_port)
  python3 -m moto.server -H 127.0.0.1 -p "$S3_PORT" >"$OUT/moto.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/" && break; sleep 0.2; done
  curl -sf -X PUT "http://127.0.0.1:$S3_PORT/bench" >/dev/null
  export PORTAL_BLOB_URL="s3://bench/blobs?endpoint=http://127.0.0.1:$S3_PORT&allow_http=true" \
    PORTAL_S3_ACCESS_KEY_ID=bench PORTAL_S3_SECRET_ACCESS_KEY=bench
  S3DATA=$OUT/s3-data; mkdir -p "$S3DATA"
  start_server "sqlite://$S3DATA/portal.db" "$S3DATA"
  setup_org
  ID50S=$(publish "$OUT/sbom-50mb.json" router 5.0)
  stop_server
  measure_memory 64 "$ID50S" s3 "$S3DATA"
  unset PORTAL_BLOB_URL PORTAL_S3_ACCESS_KEY_ID PORTAL_S3_SECRET_ACCESS_KEY
else
  echo "moto's S3 server is not installed (python3 -m pip install 'moto[server]'): object-storage memory skipped"
fi

fi # BENCH_ONLY_EVENTS

# Section 3 on Postgres: the JSON reads and the audited 1 MB download, on a fresh database.
run_pg_json() {
  DB=sp_bench_$$
  psql -q "$PG_URL" -c "CREATE DATABASE $DB" >/dev/null
  PGDB_URL="${PG_URL%/*}/$DB"
  echo "== 3. JSON API (Postgres)"
  start_server "$PGDB_URL" "$OUT/pg-data"
  setup_org
  publish "$STATIC/sbom-1mb.json" router 1.0 >/dev/null
  wrk_run "postgres-products" "$BASE/api/v1/portal/bench/products" "Authorization: Bearer $PTOKEN"
  wrk_run "postgres-version" "$BASE/api/v1/portal/bench/products/router/versions/1.0" "Authorization: Bearer $PTOKEN"
  wrk_run "postgres-portal-1mb" "$BASE/api/v1/portal/bench/artifacts/$(curl -sf -H "Authorization: Bearer $PTOKEN" "$BASE/api/v1/portal/bench/products/router/versions/1.0" | json '["artifacts"]["sbom"][0]["id"]')/download" "Authorization: Bearer $PTOKEN"
  stop_server
  psql -q "$PG_URL" -c "DROP DATABASE $DB WITH (FORCE)" >/dev/null
}

if [ -n "${BENCH_ONLY_DOWNLOADS:-}" ]; then
  if psql "$PG_URL" -c 'select 1' >/dev/null 2>&1; then run_pg_json; fi
  splice_report '1\.' '2\.' '3\.' '4\.' 'Notes on this run'
  echo "updated sections 1-4 and the notes of bench/REPORT.md"
  exit 0
fi

run_events() { # run_events <backend> <database-url-prefix> <data-dir-prefix>: a fresh database per size
  local backend=$1 url_prefix=$2 dir_prefix=$3
  for n in $EVENTS; do
    local url=$url_prefix$n dir=$dir_prefix$n
    if [ "$backend" = sqlite ]; then url="$url_prefix$n/portal.db"; fi
    if [ "$backend" = postgres ]; then psql -q "$PG_URL" -c "CREATE DATABASE ${url##*/}" >/dev/null; fi
    start_server "$url" "$dir"
    setup_org
    stop_server
    gen=$("$BENCH" gen-events --database-url "$url" --org bench --events "$n")
    tok=$(echo "$gen" | json '["token"]')
    start_server "$url" "$dir"
    ADMIN=$(curl -sf -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' -d '{"email":"admin@bench.example","password":"bench password 1"}' | json '["access_token"]')
    for ep in "stats|/api/v1/orgs/bench/portal/stats" "stats-year|/api/v1/orgs/bench/portal/stats?from=$(date -u -d '-365 days' +%F)" \
              "audit-page|/api/v1/orgs/bench/audit?category=portal&limit=50" "audit-token|/api/v1/orgs/bench/audit?token=$tok&limit=50" \
              "audit-action|/api/v1/orgs/bench/audit?action=portal.advisory.download&limit=50"; do
      name=${ep%%|*}; path=${ep#*|}
      res=$("$BENCH" latency --url "$BASE$path" --bearer "$ADMIN" --requests 200 --concurrency 1)
      record "$(python3 -c 'import json,sys;print(json.dumps({"bench":"events","backend":sys.argv[1],"events":int(sys.argv[2]),"endpoint":sys.argv[3],**json.loads(sys.argv[4])}))' "$backend" "$n" "$name" "$res")"
    done
    stop_server
    if [ "$backend" = postgres ]; then psql -q "$PG_URL" -c "DROP DATABASE ${url##*/} WITH (FORCE)" >/dev/null; fi
  done
}

# run_catalogue <backend> <database-url-prefix> <data-dir-prefix>: section 6, a fresh database per size —
# 2,000 products × 10 versions (an SBOM and a VEX each) and N published CSAF advisories, written by
# `portal-bench gen-catalogue`; then one client reads every customer-facing list of a public portal.
run_catalogue() {
  local backend=$1 url_prefix=$2 dir_prefix=$3
  for n in $CATALOGUE; do
    local url=$url_prefix$n dir=$dir_prefix$n
    if [ "$backend" = sqlite ]; then mkdir -p "$dir"; url="$url_prefix$n/portal.db"; fi
    if [ "$backend" = postgres ]; then psql -q "$PG_URL" -c "CREATE DATABASE ${url##*/}" >/dev/null; fi
    start_server "$url" "$dir"
    setup_org
    curl -sf -X PUT "$BASE/api/v1/orgs/bench/portal" -H "authorization: Bearer $ADMIN" -H 'content-type: application/json' \
      -d '{"enabled":true,"slug":"bench","visibility":"public","display_name":"Bench"}' >/dev/null
    stop_server
    local t0=$SECONDS
    gen=$("$BENCH" gen-catalogue --database-url "$url" --data-dir "$dir" --org bench --advisories "$n" --fixtures "$ROOT/formats/tests/fixtures")
    echo "generated in $((SECONDS - t0)) s: $gen"
    start_server "$url" "$dir"
    local doc csaf=/api/v1/portal/bench/csaf
    doc=$(curl -sf "$BASE$csaf/white/index.txt" | head -1 || true)
    release=$(curl -sf "$BASE/api/v1/portal/bench/tea/v0.4.0/productReleases?pageSize=1" | json '["results"][0]["uuid"]')
    for ep in "portal products|/api/v1/portal/bench/products" "product|/api/v1/portal/bench/products/product-0001" \
              "version detail|/api/v1/portal/bench/products/product-0001/versions/1.1.0" \
              "advisories|/api/v1/portal/bench/advisories" "advisories (filtered)|/api/v1/portal/bench/advisories?cve=CVE-2020-10009" \
              "am I affected|/api/v1/portal/bench/vulnerabilities/CVE-2020-10009" \
              "VEX view|/api/v1/portal/bench/products/product-0001/versions/1.1.0/vex" \
              "CSAF provider metadata|$csaf/provider-metadata.json" "CSAF index.txt|$csaf/white/index.txt" \
              "CSAF changes.csv|$csaf/white/changes.csv" "ROLIE feed|$csaf/white/csaf-feed-tlp-white.json" \
              "CSAF document|$csaf/white/$doc" "TEA products|/api/v1/portal/bench/tea/v0.4.0/products?pageSize=20" \
              "TEA releases|/api/v1/portal/bench/tea/v0.4.0/productReleases?pageSize=20" \
              "TEA collections|/api/v1/portal/bench/tea/v0.4.0/productRelease/$release/collections" \
              "TEA discovery|/api/v1/portal/bench/tea/v0.4.0/discovery?tei=urn:tei:purl:example.com:pkg:generic/acme/not-released@9.9.9"; do
      name=${ep%%|*}; path=${ep#*|}
      res=$("$BENCH" latency --url "$BASE$path" --requests "${BENCH_CATALOGUE_REQUESTS:-60}" --concurrency 1)
      record "$(python3 -c 'import json,sys;print(json.dumps({"bench":"catalogue","backend":sys.argv[1],"advisories":int(sys.argv[2]),"endpoint":sys.argv[3],**json.loads(sys.argv[4])}))' "$backend" "$n" "$name" "$res")"
    done
    stop_server
    if [ "$backend" = postgres ]; then psql -q "$PG_URL" -c "DROP DATABASE ${url##*/} WITH (FORCE)" >/dev/null; fi
  done
}

if [ -n "${BENCH_ONLY_CATALOGUE:-}" ]; then
  echo "== 6. customer reads as the catalogue grows (SQLite)"
  run_catalogue sqlite "sqlite://$OUT/catalogue-sqlite-" "$OUT/catalogue-sqlite-"
  if psql "$PG_URL" -c 'select 1' >/dev/null 2>&1; then
    echo "== 6. customer reads as the catalogue grows (Postgres)"
    run_catalogue postgres "${PG_URL%/*}/sp_bench_cat_$$_" "$OUT/catalogue-pg-"
  fi
  # Only section 6 of the committed report is replaced; the other sections keep their last full run.
  splice_report '6\.'
  echo "updated section 6 of bench/REPORT.md"
  exit 0
fi

echo "== 5. audit/statistics at scale (SQLite)"
if [ -z "${BENCH_SKIP_SQLITE_EVENTS:-}${BENCH_SKIP_EVENTS:-}" ]; then run_events sqlite "sqlite://$OUT/events-sqlite-" "$OUT/events-sqlite-"; fi

echo "== 6. customer reads as the catalogue grows (SQLite)"
run_catalogue sqlite "sqlite://$OUT/catalogue-sqlite-" "$OUT/catalogue-sqlite-"

if psql "$PG_URL" -c 'select 1' >/dev/null 2>&1; then
  run_pg_json
  echo "== 5. audit/statistics at scale (Postgres)"
  if [ -z "${BENCH_SKIP_EVENTS:-}" ]; then run_events postgres "${PG_URL%/*}/sp_bench_events_$$_" "$OUT/events-pg-"; fi
  echo "== 6. customer reads as the catalogue grows (Postgres)"
  run_catalogue postgres "${PG_URL%/*}/sp_bench_cat_$$_" "$OUT/catalogue-pg-"
else
  echo "Postgres not reachable at $PG_URL: Postgres figures skipped"
fi

python3 "$ROOT/bench/report.py" "$RESULTS" > "$ROOT/bench/REPORT.md"
echo "wrote bench/REPORT.md"
