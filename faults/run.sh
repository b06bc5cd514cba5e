#!/usr/bin/env bash
# make faults: the fault tests of issue 7 against the real binary — kill -9 during 100 concurrent
# uploads (SQLite, Postgres), a Postgres outage under load, an unwritable or full blob store, two
# instances on one database, and the audit trail under a download load. Prints PASS/FAIL with
# figures; exits 1 when a check fails. The fast ones also run in `make test` (tests/tests/faults.rs).
#
# Postgres runs as a private throwaway cluster (initdb into a temp dir, own port, started and
# stopped here); no shared server is touched. Knobs: PORTAL_BIN, FAULTS_PG_BIN, FAULTS_PG_PORT,
# FAULTS_ONLY=crash,outage,blobs,replicas,audit, FAULTS_KEEP=1 (keep logs) — see faults/faults.py.
set -euo pipefail
cd "$(dirname "$0")/.."
export PORTAL_BIN=${PORTAL_BIN:-$(pwd)/target/debug/supplier-portal}
[ -x "$PORTAL_BIN" ] || cargo build -q -p supplier-portal
for tool in python3 psql; do command -v $tool >/dev/null || { echo "faults needs $tool"; exit 1; }; done
python3 -c 'import requests' 2>/dev/null || python3 -m pip install -q requests
exec python3 faults/faults.py
