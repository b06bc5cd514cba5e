#!/usr/bin/env python3
"""Fault tests of issue 7 (`make faults`): the real binary under a kill -9 during uploads, a
Postgres outage under load, an unwritable or full blob store, two replicas on one database (also on
one S3-compatible object store with separate data directories), and a
download load whose audit trail must match the successful downloads exactly.

Every check prints PASS/FAIL with its figures; the exit status is 1 when any check failed.
Only processes and clusters this script starts are ever signalled. Everything Postgres runs on a
private throwaway cluster (initdb into a temp dir, its own port), never on a shared server.

Environment: PORTAL_BIN (the binary), FAULTS_PG_BIN (Postgres binaries, default the newest
/usr/lib/postgresql/*/bin), FAULTS_PG_PORT (default 55432, or a free port when taken),
FAULTS_ONLY (comma-separated subset of: crash,outage,blobs,replicas,audit,objects,notify), FAULTS_KEEP=1 (keep
the work dir with the server logs).
"""

import glob
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("PORTAL_BIN") or os.path.join(ROOT, "target", "debug", "supplier-portal")
FIXTURES = os.path.join(ROOT, "formats", "tests", "fixtures")
CDX = "application/vnd.cyclonedx+json"
ORG = "acme"
ADMIN_EMAIL = "admin@acme.example"
ADMIN_PASSWORD = "fault test password"
# Replicas share their keys, as the README says to configure them (each server alone generates its own).
REPLICA_KEYS = {"PORTAL_JWT_SECRET": "faults-jwt-" + uuid.uuid4().hex,
                "PORTAL_KEY_ENCRYPTION_KEY": "faults-keyring-" + uuid.uuid4().hex}
WORK = tempfile.mkdtemp(prefix="portal-faults-")
ONLY = {s.strip() for s in os.environ.get("FAULTS_ONLY", "").split(",") if s.strip()}

# ---------------------------------------------------------------------------------------------
# Reporting


class Report:
    def __init__(self):
        self.rows = []  # (scenario, check, ok, figures)

    def check(self, scenario, name, ok, figures=""):
        ok = bool(ok)
        self.rows.append((scenario, name, ok, figures))
        print(f"  {'PASS' if ok else 'FAIL'}  {name}" + (f" — {figures}" if figures else ""), flush=True)
        return ok

    def skip(self, scenario, name, why):
        self.rows.append((scenario, name, None, why))
        print(f"  SKIP  {name} — {why}", flush=True)

    def failed(self):
        return [r for r in self.rows if r[2] is False]

    def summary(self, seconds):
        print("\n=== fault tests: summary ===")
        for scenario, name, ok, figures in self.rows:
            mark = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
            print(f"{mark}  [{scenario}] {name}" + (f" — {figures}" if figures else ""))
        passed = sum(1 for r in self.rows if r[2])
        skipped = sum(1 for r in self.rows if r[2] is None)
        print(f"\n{passed} passed, {len(self.failed())} failed, {skipped} skipped in {seconds:.0f} s")


REPORT = Report()

# ---------------------------------------------------------------------------------------------
# Processes: only what we start, by pid


def free_port(preferred=None):
    if preferred:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `supplier-portal serve` process on its own port."""

    started = []

    def __init__(self, name, db_url, data_dir, env=None):
        self.name = name
        self.db_url = db_url
        self.data_dir = data_dir
        self.env = env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(WORK, f"{name}.log")
        self.proc = None

    def start(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
        env.update(
            PORTAL_DATABASE_URL=self.db_url,
            PORTAL_DATA_DIR=self.data_dir,
            PORTAL_BIND=f"127.0.0.1:{self.port}",
            PORTAL_TOKEN_FAILURES_PER_IP="1000000",
            PORTAL_LOGIN_ATTEMPTS_PER_IP="1000000",
            PORTAL_CUSTOMER_SESSIONS_PER_IP="1000000",
            PORTAL_CUSTOMER_READS_PER_TOKEN="100000000",
            PORTAL_CUSTOMER_READS_PER_IP="100000000",
            RUST_LOG="info",
        )
        env.update(self.env)
        self.log = open(self.log_path, "ab")
        self.started_at = time.monotonic()
        self.proc = subprocess.Popen([BIN, "serve"], env=env, stdout=self.log, stderr=subprocess.STDOUT)
        Server.started.append(self)
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self, timeout=60):
        """Seconds from start until /readyz answered 200."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.base + "/readyz", timeout=2).status_code == 200:
                    return time.monotonic() - self.started_at
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} not ready after {timeout} s:\n{self.log_tail()}")

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=35)
            except subprocess.TimeoutExpired:
                self.kill9()

    def log_text(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log_tail(self, n=30):
        return "\n".join(self.log_text().splitlines()[-n:])

    def panics(self):
        return [line for line in self.log_text().splitlines() if "panicked" in line]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


class PgCluster:
    """A private throwaway Postgres cluster: initdb into a temp dir, its own port and socket dir."""

    def __init__(self):
        self.bin = os.environ.get("FAULTS_PG_BIN") or (sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                                              key=lambda p: int(p.split("/")[-2]))[-1:] or [""])[0]
        if not os.path.exists(os.path.join(self.bin, "initdb")):
            raise RuntimeError("no initdb found (set FAULTS_PG_BIN)")
        self.dir = tempfile.mkdtemp(prefix="portal-faults-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port(int(os.environ.get("FAULTS_PG_PORT", "55432")))
        assert self.port != 5432, "never the shared cluster's port"
        self.as_user = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        run(self.as_user + [f"{self.bin}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                            "--no-sync"])
        with open(os.path.join(self.data, "postgresql.conf"), "a") as f:
            f.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                    # fsync off: only the portal is ever killed here, Postgres always stops cleanly.
                    "max_connections = 200\nfsync = off\n")
        self.running = False
        self.dbs = 0

    def pg_ctl(self, *args):
        return run(self.as_user + [f"{self.bin}/pg_ctl", "-D", self.data, *args])

    def start(self):
        self.pg_ctl("-l", os.path.join(self.dir, "postgres.log"), "-w", "-t", "60", "start")
        self.running = True

    def stop(self, mode="fast"):
        self.pg_ctl("-m", mode, "-w", "-t", "60", "stop")
        self.running = False

    def url(self, db):
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"

    def psql(self, db, sql):
        return run(["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", self.url(db), "-c", sql]).stdout.strip()

    def new_db(self, prefix):
        self.dbs += 1
        name = f"{prefix}_{self.dbs}_{uuid.uuid4().hex[:8]}"
        self.psql("postgres", f"CREATE DATABASE {name}")
        return self.url(name)

    def destroy(self):
        if self.running:
            try:
                self.stop("immediate")
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# HTTP helpers


def is_problem(r, status=None):
    if status is not None and r.status_code != status:
        return False
    if r.headers.get("content-type") != "application/problem+json":
        return False
    try:
        body = r.json()
    except ValueError:
        return False
    return body.get("status") == r.status_code and bool(body.get("detail"))


class Org:
    """First-run setup of `acme` on a server, with the admin session and a CI key."""

    def __init__(self, base):
        self.base = base
        r = requests.post(f"{base}/api/v1/setup", json={
            "org_name": "ACME Devices", "org_slug": ORG, "email": ADMIN_EMAIL, "password": ADMIN_PASSWORD,
            "display_name": "Ada"}, timeout=30)
        assert r.status_code == 201, r.text
        r = requests.post(f"{base}/api/v1/auth/login", json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
                          timeout=30)
        self.admin = r.json()["access_token"]
        self.h = {"authorization": f"Bearer {self.admin}"}
        r = self.post(f"/api/v1/orgs/{ORG}/api-keys", {"name": "CI", "scopes": [
            "artifacts:write", "artifacts:publish", "catalogue:read"], "expires_in": "30d"})
        self.key = r.json()["key"]

    def url(self, path):
        return self.base + path

    def post(self, path, body):
        r = requests.post(self.url(path), json=body, headers=self.h, timeout=30)
        assert r.status_code in (200, 201), f"{path}: {r.status_code} {r.text}"
        return r

    def get(self, path, **kw):
        return requests.get(self.url(path), headers=self.h, timeout=60, **kw)

    def product_version(self, product, version):
        requests.post(self.url(f"/api/v1/orgs/{ORG}/products"), json={"slug": product, "name": product},
                      headers=self.h, timeout=30)
        self.post(f"/api/v1/orgs/{ORG}/products/{product}/versions",
                  {"version": version, "release_date": "2025-01-01", "support_until": "2030-12-31"})

    def upload(self, product, version, body, content_type=CDX, query="?publish=true", timeout=120):
        return requests.post(self.url(f"/api/v1/orgs/{ORG}/products/{product}/versions/{version}/artifacts{query}"),
                             data=body, headers={**self.h, "content-type": content_type}, timeout=timeout)

    def artifacts(self):
        out, offset = [], 0
        while True:
            r = self.get(f"/api/v1/orgs/{ORG}/artifacts?limit=500&offset={offset}")
            assert r.status_code == 200, r.text
            page = r.json()
            out += page
            if len(page) < 500:
                return out
            offset += 500

    def audit_events(self, action):
        """Events of `action` (exact, or a prefix ending in `*`), from the NDJSON export."""
        r = self.get(f"/api/v1/orgs/{ORG}/audit", params={"action": action, "format": "ndjson"})
        assert r.status_code == 200, r.text
        return [json.loads(line) for line in r.text.splitlines() if line.strip()]

    def private_portal(self, token_name="Customer"):
        r = requests.put(self.url(f"/api/v1/orgs/{ORG}/portal"), headers=self.h, timeout=30, json={
            "enabled": True, "slug": ORG, "visibility": "private", "display_name": "ACME portal"})
        assert r.status_code == 200, r.text
        return self.token(token_name)

    def token(self, name):
        r = self.post(f"/api/v1/orgs/{ORG}/portal/tokens", {"name": name, "expires_in": "30d"})
        return r.json()["id"], r.json()["token"]


def sbom(n_components, tag):
    """A valid CycloneDX 1.6 SBOM with `n_components` components; `tag` makes its bytes unique."""
    comps = [{"type": "library", "name": f"lib-{tag}-{j}", "version": f"1.{j}", "bom-ref": f"c{j}",
              "purl": f"pkg:generic/lib-{tag}-{j}@1.{j}"} for j in range(n_components)]
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": f"urn:uuid:{uuid.uuid4()}",
           "version": 1,
           "metadata": {"timestamp": "2025-01-02T03:04:05Z", "component": {
               "type": "firmware", "name": "router-fw", "version": "4.2.0", "bom-ref": "fw"}},
           "components": comps,
           "dependencies": [{"ref": "fw", "dependsOn": [c["bom-ref"] for c in comps[:20]]}]}
    return json.dumps(doc).encode()


def sha256(b):
    return hashlib.sha256(b).hexdigest()


def fixture(name):
    with open(os.path.join(FIXTURES, name), "rb") as f:
        return f.read()


def sqlite_url(data_dir):
    return "sqlite://" + os.path.join(data_dir, "portal.db")


def scenario(name):
    def wrap(f):
        def run_it(*a):
            if ONLY and name not in ONLY:
                return
            label = f"{name}" + (f"/{a[0]}" if a and isinstance(a[0], str) else "")
            print(f"\n== [{label}] {f.__doc__.strip().splitlines()[0]}", flush=True)
            try:
                f(label, *a)
            except Exception as e:  # a scenario that cannot even run is a failure, with the reason
                REPORT.check(label, "scenario ran to completion", False, f"{type(e).__name__}: {e}")
        return run_it
    return wrap


# ---------------------------------------------------------------------------------------------
# 1. kill -9 during 100 concurrent uploads


@scenario("crash")
def crash_during_uploads(label, backend, cluster=None):
    """kill -9 while 100 uploads run concurrently, then restart on the same data"""
    data = os.path.join(WORK, f"crash-{backend}")
    db_url = sqlite_url(data) if backend == "sqlite" else cluster.new_db("crash")
    srv = Server(f"crash-{backend}", db_url, data).start()
    srv.wait_ready()
    org = Org(srv.base)
    versions = [f"1.{v}" for v in range(5)]
    for v in versions:
        org.product_version("router", v)
    # A mix: 50 small (~3 KB), 25 medium (~300 KB), 15 large (~1.2 MB), raw or (every third one)
    # multipart; and 10 medium ones streamed slowly (chunked), so the kill finds bytes mid-flight.
    kinds = ["small"] * 50 + ["medium"] * 25 + ["large"] * 15 + ["slow"] * 10
    random.Random(7).shuffle(kinds)
    components = {"small": 20, "medium": 2500, "large": 10000, "slow": 2500}
    bodies = [sbom(components[k], f"{i}-{k}") for i, k in enumerate(kinds)]
    results = [None] * len(bodies)
    answered = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(len(bodies) + 1)

    def dribble(body, seconds=25):
        chunks = [body[at:at + 8192] for at in range(0, len(body), 8192)]
        for chunk in chunks:
            yield chunk
            time.sleep(seconds / len(chunks))

    def upload(i):
        url = org.url(f"/api/v1/orgs/{ORG}/products/router/versions/{versions[i % 5]}/artifacts?publish=true")
        key = {"x-api-key": org.key}
        barrier.wait()
        try:
            if kinds[i] == "slow":
                r = requests.post(url, headers={**key, "content-type": CDX}, data=dribble(bodies[i]), timeout=300)
            elif i % 3 == 0:
                r = requests.post(url, headers=key, files={"file": (f"sbom-{i}.cdx.json", bodies[i], CDX)},
                                  timeout=300)
            else:
                r = requests.post(url, headers={**key, "content-type": CDX}, data=bodies[i], timeout=300)
            body = r.json() if r.headers.get("content-type", "").endswith("json") else {}
            results[i] = (r.status_code, body.get("id"), time.monotonic())
        except requests.RequestException as e:
            results[i] = (0, None, type(e).__name__)
        with lock:
            answered[0] += 1

    threads = [threading.Thread(target=upload, args=(i,), daemon=True) for i in range(len(bodies))]
    for t in threads:
        t.start()
    barrier.wait()
    t0 = time.monotonic()
    kill_at = 80  # answers before the kill: plenty on both sides of it
    while answered[0] < kill_at and time.monotonic() - t0 < 120:
        time.sleep(0.005)
    with lock:
        before_kill = [r for r in results if r is not None]
    srv.kill9()
    t_kill = time.monotonic()
    for t in threads:
        t.join(timeout=60)
    ok201 = {i: r[1] for i, r in enumerate(results) if r and r[0] == 201}
    statuses = {}
    for r in results:
        key = r[0] if r else "none"
        statuses[key] = statuses.get(key, 0) + 1
    mix = "/".join(str(sum(1 for i in ok201 if kinds[i] == k)) for k in ("small", "medium", "large", "slow"))
    last = max((r[2] for r in before_kill if r[0] == 201), default=t_kill)
    REPORT.check(label, "uploads answered before the kill were all 201", all(r[0] == 201 for r in before_kill),
                 f"{len(ok201)} × 201 (small/medium/large/slow {mix}), statuses {statuses}, kill -9 "
                 f"{t_kill - t0:.2f} s after the start, {1000 * (t_kill - last):.0f} ms after the last 201")

    srv2 = Server(f"crash-{backend}-restart", db_url, data).start()
    try:
        ready = srv2.wait_ready()
        REPORT.check(label, "restart on the same data is ready (/readyz 200)", True, f"{ready:.2f} s after exec")
    except RuntimeError as e:
        REPORT.check(label, "restart on the same data is ready (/readyz 200)", False, str(e)[:400])
        return
    org.base = srv2.base
    missing, differ = [], []
    for i, aid in ok201.items():
        d = org.get(f"/api/v1/orgs/{ORG}/artifacts/{aid}/download")
        if d.status_code != 200:
            missing.append((aid, d.status_code))
        elif sha256(d.content) != sha256(bodies[i]):
            differ.append(aid)
    REPORT.check(label, "every upload answered 201 is listed and byte-identical (SHA-256)",
                 not missing and not differ, f"{len(ok201)} checked, {len(missing)} missing, {len(differ)} differ")
    listed = org.artifacts()
    sent = {sha256(b): i for i, b in enumerate(bodies)}
    listed_ids = {a["id"] for a in listed}
    foreign = [a["id"] for a in listed if a["sha256"] not in sent]
    blobless = []
    for a in listed:
        d = org.get(f"/api/v1/orgs/{ORG}/artifacts/{a['id']}/download")
        if d.status_code != 200 or sha256(d.content) != a["sha256"] or len(d.content) != a["size"]:
            blobless.append((a["id"], d.status_code))
    unanswered_kept = sum(1 for a in listed if a["sha256"] in sent and (results[sent[a["sha256"]]] or (0,))[0] != 201)
    REPORT.check(label, "no artifact record without its complete blob, nothing half-written listed",
                 not foreign and not blobless and set(ok201.values()) <= listed_ids,
                 f"{len(listed)} listed ({unanswered_kept} committed whose answer the kill cut off), "
                 f"{len(blobless)} without blob, {len(foreign)} unknown content")
    uploads = org.audit_events("artifact.upload")
    REPORT.check(label, "one artifact.upload audit event per recorded artifact", len(uploads) == len(listed),
                 f"{len(uploads)} events, {len(listed)} artifacts")
    blob_root = os.path.join(data, "blobs")
    bad_blobs, stored = [], 0
    for path in glob.glob(os.path.join(blob_root, "sha256", "*", "*", "*")):
        stored += 1
        with open(path, "rb") as f:
            if sha256(f.read()) != os.path.basename(path):
                bad_blobs.append(path)
    leftovers = os.listdir(os.path.join(blob_root, "tmp"))
    REPORT.check(label, "every stored blob matches its content key", not bad_blobs,
                 f"{stored} blobs ({stored - len(listed)} unreferenced), {len(bad_blobs)} corrupt, "
                 f"{len(leftovers)} partial temp files left in blobs/tmp (never listed)")
    r = org.upload("router", "1.0", sbom(5, "after-restart"))
    panics = srv.panics() + srv2.panics()
    errors = [line for line in srv2.log_text().splitlines() if " ERROR " in line]
    REPORT.check(label, "the restarted server takes uploads; no panic, no error logged after the restart",
                 r.status_code == 201 and not panics and not errors,
                 f"upload {r.status_code}, {len(panics)} panics, {len(errors)} errors" + (f": {errors[0]}" if errors else ""))
    srv2.stop()


# ---------------------------------------------------------------------------------------------
# 2. Postgres outage under load


@scenario("outage")
def postgres_outage(label, cluster):
    """Postgres stopped under load, then started again"""
    data = os.path.join(WORK, "outage")
    srv = Server("outage", cluster.new_db("outage"), data, env={"PORTAL_DB_POOL_SIZE": "8"}).start()
    srv.wait_ready()
    org = Org(srv.base)
    org.product_version("router", "1.0")
    aid = org.upload("router", "1.0", fixture("sbom-min-1.6.json")).json()["id"]
    _, token = org.private_portal()
    th = {"authorization": f"Bearer {token}"}
    targets = [
        ("portal products", f"/api/v1/portal/{ORG}/products", th),
        ("portal download", f"/api/v1/portal/{ORG}/artifacts/{aid}/download", th),
        ("admin artifacts", f"/api/v1/orgs/{ORG}/artifacts", org.h),
        ("readyz", "/readyz", {}),
    ]
    records = []  # (start, end, target, status, problem+json)
    stop = threading.Event()

    def load(k):
        s = requests.Session()
        n = k
        while not stop.is_set():
            name, path, h = targets[n % len(targets)]
            n += 1
            t = time.monotonic()
            try:
                r = s.get(srv.base + path, headers=h, timeout=30)
                rec = (t, time.monotonic(), name, r.status_code, is_problem(r))
            except requests.RequestException:
                rec = (t, time.monotonic(), name, 0, False)
            records.append(rec)

    threads = [threading.Thread(target=load, args=(k,), daemon=True) for k in range(16)]
    for t in threads:
        t.start()
    time.sleep(3)
    try:
        t_stop = time.monotonic()
        cluster.stop("fast")
        t_down = time.monotonic()
        time.sleep(8)
    finally:
        t_start = time.monotonic()
        cluster.start()  # whatever happened: the scenarios after this one need it
        t_up = time.monotonic()
    # Recovery: the first /readyz 200 and the first 200 of each kind after Postgres accepts connections.
    deadline = t_up + 60
    while time.monotonic() < deadline:
        done = {name for (s, e, name, st, _) in list(records) if s >= t_up and st == 200}
        if len(done) == len(targets):
            break
        time.sleep(0.05)
    time.sleep(3)
    stop.set()
    for t in threads:
        t.join(timeout=40)
    recs = sorted(records)
    with open(os.path.join(WORK, "outage-requests.json"), "w") as f:
        json.dump({"t_stop": t_stop, "t_down": t_down, "t_start": t_start, "t_up": t_up, "requests": recs}, f)
    baseline = [r for r in recs if r[1] < t_stop]
    # Started while Postgres was down: a 503 problem, or a 200 when Postgres came back while it waited.
    during = [r for r in recs if t_down <= r[0] < t_start]
    edge = [r for r in recs if r[0] < t_down and r[1] >= t_stop]
    after = [r for r in recs if r[0] >= t_start]
    hist = lambda rs: dict(sorted({st: sum(1 for r in rs if r[3] == st) for st in {r[3] for r in rs}}.items()))
    REPORT.check(label, "baseline: every request 200 before the stop", baseline and all(r[3] == 200 for r in baseline),
                 f"{len(baseline)} requests {hist(baseline)}")
    bad = [r for r in during if not ((r[3] == 503 and r[4]) or (r[3] == 200 and r[1] > t_up))]
    REPORT.check(label, "while Postgres is down: every request 503 application/problem+json",
                 during and not bad, f"{len(during)} requests {hist(during)} "
                 f"({sum(1 for r in during if r[3] == 200)} × 200 answered after Postgres was back)")
    worst = max((r[1] - r[0] for r in recs), default=0)
    waits = sorted(r[1] - r[0] for r in during)
    median = waits[len(waits) // 2] if waits else 0
    REPORT.check(label, "no hang: no request took more than 6 s", worst <= 6.0,
                 f"during the outage median {median:.2f} s, slowest {worst:.2f} s (the pool's connection timeout is 5 s)")
    ready_out = [r for r in during if r[2] == "readyz"]
    REPORT.check(label, "/readyz 503 while Postgres is down", ready_out and all(r[3] == 503 for r in ready_out),
                 f"{len(ready_out)} probes started during the outage {hist(ready_out)}")
    bad_edge = [r for r in edge if not (r[3] == 200 or (r[3] == 503 and r[4]))]
    REPORT.check(label, "requests in flight when Postgres stopped: 200 or 503 problem, never 500 or a reset",
                 not bad_edge, f"{len(edge)} requests {hist(edge)}")
    firsts = {}
    for s, e, name, st, _ in after:
        if st == 200 and s >= t_up and name not in firsts:
            firsts[name] = e - t_up
    recovered = len(firsts) == len(targets)
    resumed_at = max(firsts.values()) if recovered else float("inf")
    late = [r for r in after if r[0] >= t_up + resumed_at + 1 and r[3] != 200]
    REPORT.check(label, "service resumes by itself once Postgres is back", recovered and not late,
                 (f"every request kind 200 within {resumed_at:.2f} s of Postgres accepting connections "
                  f"(readyz {firsts.get('readyz', float('nan')):.2f} s); outage {t_start - t_stop:.1f} s; "
                  f"{len(late)} errors after recovery") if recovered else f"not recovered: {firsts}")
    panics = srv.panics()
    REPORT.check(label, "server alive, no panic in its log", srv.alive() and not panics, f"{len(panics)} panics")
    srv.stop()


# ---------------------------------------------------------------------------------------------
# 3. Blob store not writable, or full


@scenario("blobs")
def blob_store_faults(label):
    """Blob store not writable, then full"""
    data = os.path.join(WORK, "blobs")
    srv = Server("blobs", sqlite_url(data), data).start()
    srv.wait_ready()
    org = Org(srv.base)
    org.product_version("router", "1.0")
    blobs = os.path.join(data, "blobs")
    tmp, keyed = os.path.join(blobs, "tmp"), os.path.join(blobs, "sha256")

    def attempt(what, body):
        before = len(org.artifacts()), len(org.audit_events("artifact.upload"))
        r = org.upload("router", "1.0", body)
        detail = r.json().get("detail", "") if is_problem(r) else r.text[:200]
        after = len(org.artifacts()), len(org.audit_events("artifact.upload"))
        parts = [p for p in os.listdir(tmp) if p.endswith(".part")] if os.path.isdir(tmp) else []
        ok = 500 <= r.status_code < 600 and is_problem(r) and before == after and not parts
        REPORT.check(label, f"{what}: clear 5xx problem+json, nothing recorded, no partial file", ok,
                     f"{r.status_code} “{detail}”; artifacts {before[0]}→{after[0]}, upload events "
                     f"{before[1]}→{after[1]}, {len(parts)} .part files")
        return ok

    def readyz():
        return requests.get(srv.base + "/readyz", timeout=10).status_code

    # a) Not writable. As root, permissions do not stop writes: an immutable directory does.
    as_root = os.geteuid() == 0
    how = "chattr +i" if as_root and shutil.which("chattr") else "chmod 0555"
    lock = (lambda d: run(["chattr", "+i", d])) if how == "chattr +i" else (lambda d: os.chmod(d, 0o555))
    unlock = (lambda d: run(["chattr", "-i", d])) if how == "chattr +i" else (lambda d: os.chmod(d, 0o755))
    try:
        lock(tmp)
        probe = readyz()
        attempt(f"temp dir read-only ({how} blobs/tmp)", sbom(30, "ro-tmp"))
        REPORT.check(label, "/readyz 503 while the blob store is not writable", probe == 503, f"readyz {probe}")
    except subprocess.CalledProcessError as e:
        REPORT.skip(label, "temp dir read-only", f"{how} failed: {e.stdout.strip()}")
    finally:
        try:
            unlock(tmp)
        except subprocess.CalledProcessError:
            pass
    try:
        # Temp file written, then the rename into the content-addressed tree fails.
        lock(keyed)
        attempt(f"content store read-only ({how} blobs/sha256)", sbom(30, "ro-keyed"))
    except subprocess.CalledProcessError as e:
        REPORT.skip(label, "content store read-only", f"{how} failed: {e.stdout.strip()}")
    finally:
        try:
            unlock(keyed)
        except subprocess.CalledProcessError:
            pass
    r = org.upload("router", "1.0", sbom(30, "writable-again"))
    REPORT.check(label, "writable again: uploads succeed, /readyz 200", r.status_code == 201 and readyz() == 200,
                 f"upload {r.status_code}")

    # b) Full: a 1 MB tmpfs mounted over the blob store while the server runs.
    mounted = False
    try:
        run(["mount", "-t", "tmpfs", "-o", "size=1m", "portal-faults", blobs])
        mounted = True
    except (subprocess.CalledProcessError, FileNotFoundError) as e:
        out = getattr(e, "stdout", str(e)) or str(e)
        REPORT.skip(label, "blob store full", f"cannot mount a small tmpfs here ({out.strip()}); needs CAP_SYS_ADMIN")
    if mounted:
        try:
            os.makedirs(tmp)
            os.makedirs(keyed)
            attempt("blob store full (1 MB tmpfs, 3 MB SBOM)", sbom(25000, "too-big"))
            r = org.upload("router", "1.0", sbom(30, "fits"))
            REPORT.check(label, "space freed after the failed write: a small upload fits", r.status_code == 201,
                         f"upload {r.status_code}")
        finally:
            subprocess.run(["umount", blobs], check=False)
    panics = srv.panics()
    REPORT.check(label, "no panic in the log", not panics, f"{len(panics)} panics")
    srv.stop()


# ---------------------------------------------------------------------------------------------
# 4. Two instances on one Postgres database


@scenario("replicas")
def two_replicas(label, backend, cluster=None, rounds=3):
    """Two instances on one database, started at the same moment"""
    starts = []
    for n in range(rounds):
        data = os.path.join(WORK, f"replicas-{backend}-{n}")  # one data dir (blobs), as on a shared volume
        db_url = sqlite_url(data) if backend == "sqlite" else cluster.new_db("replicas")
        a = Server(f"replica-{backend}-{n}-a", db_url, data, REPLICA_KEYS)
        b = Server(f"replica-{backend}-{n}-b", db_url, data, REPLICA_KEYS)
        a.start()
        b.start()
        try:
            ta, tb = a.wait_ready(), b.wait_ready()
            applied = [t.log_text().count("applied migration") for t in (a, b)]
            starts.append((ta, tb, applied))
        except RuntimeError as e:
            REPORT.check(label, "both start together on a fresh database", False, f"round {n}: {str(e)[:600]}")
            a.stop()
            b.stop()
            return
        if n < rounds - 1:
            a.stop()
            b.stop()
    REPORT.check(label, "both start together on a fresh database (no migration race)",
                 all(min(x[2]) == 0 and max(x[2]) > 0 for x in starts),
                 f"{rounds} rounds: " + "; ".join(f"ready {ta:.2f}/{tb:.2f} s, migrations applied {ap[0]}/{ap[1]}"
                                                  for ta, tb, ap in starts))
    org = Org(a.base)
    org.product_version("router", "1.0")
    aid = org.upload("router", "1.0", fixture("sbom-min-1.6.json")).json()["id"]
    tid, token = org.private_portal()
    th = {"authorization": f"Bearer {token}"}
    on_b = f"{b.base}/api/v1/portal/{ORG}/products"
    s = requests.post(f"{b.base}/api/v1/portal/{ORG}/session", json={"token": token}, timeout=10)
    session = {"authorization": f"Bearer {s.json()['access_token']}"}
    before = (requests.get(on_b, headers=th, timeout=10).status_code,
              requests.get(on_b, headers=session, timeout=10).status_code)
    r = requests.delete(f"{a.base}/api/v1/orgs/{ORG}/portal/tokens/{tid}", headers=org.h, timeout=10)
    t = time.monotonic()
    nxt = requests.get(f"{b.base}/api/v1/portal/{ORG}/artifacts/{aid}/download", headers=th, timeout=10)
    latency = time.monotonic() - t
    sess = requests.get(on_b, headers=session, timeout=10)
    REPORT.check(label, "revoked on A, refused by B on the very next request",
                 before == (200, 200) and r.status_code == 204 and is_problem(nxt, 401) and is_problem(sess, 401),
                 f"B before: token {before[0]}, session {before[1]}; revoke on A {r.status_code}; B next: token "
                 f"{nxt.status_code} ({latency * 1000:.0f} ms), its session {sess.status_code}")
    panics = a.panics() + b.panics()
    REPORT.check(label, "no panic in either log", not panics, f"{len(panics)} panics")
    a.stop()
    b.stop()


# ---------------------------------------------------------------------------------------------
# 5. Audit events = successful downloads, exactly, under load


@scenario("audit")
def audit_under_download_load(label, backend, cluster=None, clients=8, seconds=5):
    """Download load: audit events equal 200 responses exactly"""
    data = os.path.join(WORK, f"audit-{backend}")
    db_url = sqlite_url(data) if backend == "sqlite" else cluster.new_db("audit")
    srv = Server(f"audit-{backend}", db_url, data).start()
    srv.wait_ready()
    org = Org(srv.base)
    org.product_version("router", "1.0")
    files = {
        "sbom": sbom(3000, "download"),
        "advisory": fixture("csaf-advisory.json"),
        "document": fixture("doc.md"),
    }
    types = {"sbom": CDX, "advisory": "application/csaf+json", "document": "text/markdown"}
    ids = {}
    for kind, body in files.items():
        r = org.upload("router", "1.0", body, types[kind], "?publish=true" + ("&kind=document" if kind == "document"
                                                                               else ""))
        assert r.status_code == 201, r.text
        ids[kind] = r.json()["id"]
    _, token = org.private_portal()
    s = requests.post(f"{srv.base}/api/v1/portal/{ORG}/session", json={"token": token}, timeout=10)
    creds = [token, s.json()["access_token"]]
    records = []  # (status, kind, request id, sha ok)
    stop = threading.Event()

    def client(k):
        rnd = random.Random(k)
        sess = requests.Session()
        while not stop.is_set():
            roll = rnd.random()
            kind = rnd.choice(list(files))
            aid, cred = ids[kind], rnd.choice(creds)
            if roll < 0.05:
                aid = str(uuid.uuid4())  # unknown artifact: 404, not a delivery
            elif roll < 0.08:
                cred = "spt_" + "x" * 43  # wrong token: 401, not a delivery
            try:
                r = sess.get(f"{srv.base}/api/v1/portal/{ORG}/artifacts/{aid}/download",
                             headers={"authorization": f"Bearer {cred}"}, timeout=30)
                records.append((r.status_code, kind, r.headers.get("x-request-id"),
                                r.status_code != 200 or sha256(r.content) == sha256(files[kind])))
            except requests.RequestException:
                records.append((0, kind, None, False))

    threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    elapsed = time.monotonic() - t0
    ok = [r for r in records if r[0] == 200]
    hist = {st: sum(1 for r in records if r[0] == st) for st in sorted({r[0] for r in records})}
    REPORT.check(label, "every 200 served the exact bytes", all(r[3] for r in records),
                 f"{len(records)} requests in {elapsed:.1f} s from {clients} clients ({len(records) / elapsed:.0f}/s), "
                 f"statuses {hist}")
    events = [e for e in org.audit_events("portal.*") if e["action"].endswith(".download")]
    by_kind = {k: sum(1 for e in events if e["action"] == f"portal.{k}.download") for k in files}
    ok_kind = {k: sum(1 for r in ok if r[1] == k) for k in files}
    same_ids = {e.get("request_id") for e in events} == {r[2] for r in ok}
    if backend == "sqlite":
        with sqlite3.connect(f"file:{os.path.join(data, 'portal.db')}?mode=ro", uri=True) as c:
            in_db = c.execute("SELECT count(*) FROM audit_events WHERE action LIKE 'portal.%.download'").fetchone()[0]
    else:
        in_db = int(cluster.psql(db_url.rsplit("/", 1)[1],
                                 "SELECT count(*) FROM audit_events WHERE action LIKE 'portal.%.download'"))
    REPORT.check(label, "audit events portal.*.download == 200 responses, exactly",
                 len(events) == len(ok) == in_db and by_kind == ok_kind and same_ids,
                 f"{len(ok)} × 200, {len(events)} events via the audit API, {in_db} in the database, by kind "
                 f"{by_kind} vs {ok_kind}, request ids {'identical' if same_ids else 'DIFFER'}")
    panics = srv.panics()
    REPORT.check(label, "no panic in the log", not panics, f"{len(panics)} panics")
    srv.stop()


# ---------------------------------------------------------------------------------------------



# ---------------------------------------------------------------------------------------------
# 5b. Two replicas on one database and one S3-compatible object store, no shared directory


class S3:
    """moto's S3 server (PyPI `moto[server]`) on a free port."""

    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"http://127.0.0.1:{self.port}/", timeout=2)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError("moto's S3 server did not start")
                time.sleep(0.2)

    def bucket(self, name):
        r = requests.put(f"http://127.0.0.1:{self.port}/{name}", timeout=10)
        assert r.ok, r.text
        return {"PORTAL_BLOB_URL": f"s3://{name}/blobs?endpoint=http://127.0.0.1:{self.port}&allow_http=true",
                "PORTAL_S3_ACCESS_KEY_ID": "faults", "PORTAL_S3_SECRET_ACCESS_KEY": "faults"}

    def keys(self, name):
        r = requests.get(f"http://127.0.0.1:{self.port}/{name}", timeout=10)
        return r.text.count("<Key>")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


@scenario("objects")
def replicas_on_object_storage(label, backend, cluster=None, clients=6, seconds=5):
    """Two replicas, one database, one object store, separate data directories"""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        REPORT.skip(label, "replicas on object storage", "python3 -m pip install 'moto[server]'")
        return
    s3 = S3()
    try:
        env = {**REPLICA_KEYS, **s3.bucket(f"faults-{backend}")}
        data_a, data_b = (os.path.join(WORK, f"objects-{backend}-{x}") for x in "ab")
        db_url = sqlite_url(data_a) if backend == "sqlite" else cluster.new_db("objects")
        a = Server(f"objects-{backend}-a", db_url, data_a, env).start()
        a.wait_ready()
        b = Server(f"objects-{backend}-b", db_url, data_b, env).start()
        b.wait_ready()
        org = Org(a.base)
        org.product_version("router", "1.0")
        body = sbom(3000, "objects")
        r = org.upload("router", "1.0", body)
        assert r.status_code == 201, r.text
        aid = r.json()["id"]
        big = b"%PDF-1.7\n" + os.urandom(20 * 1024 * 1024) .hex().encode()[:20 * 1024 * 1024] + b"\n%%EOF\n"
        r = org.upload("router", "1.0", big, "application/pdf")
        assert r.status_code == 201, r.text
        big_id = r.json()["id"]
        local = [os.path.join(d, "blobs", "sha256") for d in (data_a, data_b)]
        no_local = not any(os.path.isdir(p) and os.listdir(p) for p in local)
        tid, token = org.private_portal()
        th = {"authorization": f"Bearer {token}"}
        on_b = requests.get(f"{b.base}/api/v1/portal/{ORG}/artifacts/{big_id}/download", headers=th, timeout=120)
        REPORT.check(label, "stored through A, served by B (no shared directory)",
                     on_b.status_code == 200 and sha256(on_b.content) == sha256(big) and no_local and s3.keys(
                         f"faults-{backend}") == 2,
                     f"B: {on_b.status_code}, {len(on_b.content)} bytes, digest "
                     f"{'equal' if sha256(on_b.content) == sha256(big) else 'DIFFERS'}; objects in the bucket "
                     f"{s3.keys(f'faults-{backend}')}; local blob files: {'none' if no_local else 'SOME'}")
        records, stop = [], threading.Event()

        def client(k):
            sess, base = requests.Session(), (a.base, b.base)[k % 2]
            while not stop.is_set():
                try:
                    r = sess.get(f"{base}/api/v1/portal/{ORG}/artifacts/{aid}/download", headers=th, timeout=30)
                    records.append((r.status_code, sha256(r.content) == sha256(body) if r.status_code == 200 else True))
                except requests.RequestException:
                    records.append((0, False))

        threads = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        ok = sum(1 for r in records if r[0] == 200)
        events = [e for e in org.audit_events("portal.sbom.download") if e["outcome"] == "success"]
        REPORT.check(label, "audit events == downloads served by both replicas",
                     ok == len(events) and all(r[1] for r in records) and ok == len(records),
                     f"{len(records)} requests over A and B in {seconds} s, {ok} × 200, {len(events)} events")
        r = requests.delete(f"{a.base}/api/v1/orgs/{ORG}/portal/tokens/{tid}", headers=org.h, timeout=10)
        nxt = requests.get(f"{b.base}/api/v1/portal/{ORG}/artifacts/{aid}/download", headers=th, timeout=10)
        REPORT.check(label, "revoked on A, refused by B at once", r.status_code == 204 and is_problem(nxt, 401),
                     f"revoke {r.status_code}, B next {nxt.status_code}")
        panics = a.panics() + b.panics()
        REPORT.check(label, "no panic in either log", not panics, f"{len(panics)} panics")
        a.stop()
        b.stop()
    finally:
        s3.stop()


# ---------------------------------------------------------------------------------------------
# 6. Notifications: the outbox survives receivers, mail servers and the server itself going away


HARNESS = os.path.join(ROOT, "tests", "harness")


class Receiver:
    """A harness program (tests/harness) on a fixed port, so it can be stopped and started again."""

    def __init__(self, script, port, *args):
        self.script, self.port, self.args, self.proc = script, port, list(args), None

    def start(self):
        self.proc = subprocess.Popen([sys.executable, os.path.join(HARNESS, self.script), "--port", str(self.port),
                                      *self.args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode()
        assert line.startswith("READY"), f"{self.script} did not start: {line!r}"
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class Hooks(Receiver):
    def __init__(self, port):
        super().__init__("webhook_receiver.py", port)
        self.secret = None

    def start(self):
        super().start()
        if self.secret:
            self.set_secret(self.secret)
        return self

    def set_secret(self, secret):
        self.secret = secret
        requests.put(f"http://127.0.0.1:{self.port}/_control/secret", json={"secret": secret}, timeout=5)

    def received(self):
        return requests.get(f"http://127.0.0.1:{self.port}/_control/received", timeout=5).json()


def mails(path, rcpt):
    try:
        with open(path) as f:
            return [m for m in map(json.loads, filter(str.strip, f)) if rcpt in m.get("rcpt_tos", [])]
    except FileNotFoundError:
        return []


def wait_until(pred, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.1)
    return pred()


def notify_env(smtp_port, poll_ms=100):
    return {**REPLICA_KEYS, "PORTAL_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}", "PORTAL_WEBHOOK_ALLOW_PRIVATE": "true",
            "PORTAL_NOTIFY_POLL_MS": str(poll_ms), "PORTAL_NOTIFY_RETRY_BASE_SECS": "1",
            "PORTAL_MAIL_FROM": "ACME PSIRT <psirt@acme.example>"}


@scenario("notify")
def notifications_survive_faults(label, backend, cluster=None):
    """Notifications: receiver down, kill -9 between queue and send, SMTP down, two replicas"""
    try:
        import aiosmtpd  # noqa: F401
        import standardwebhooks  # noqa: F401
    except ImportError:
        REPORT.skip(label, "notification faults", "pip install aiosmtpd standardwebhooks")
        return
    data = os.path.join(WORK, f"notify-{backend}")
    db_url = sqlite_url(data) if backend == "sqlite" else cluster.new_db("notify")
    smtp_port, hook_port = free_port(), free_port()
    mail_out = os.path.join(WORK, f"notify-{backend}-mail.jsonl")
    hooks = Hooks(hook_port).start()
    a = Server(f"notify-{backend}-a", db_url, data, notify_env(smtp_port)).start()
    a.wait_ready()
    org = Org(a.base)
    for v in ("1.0", "1.1", "1.2", "1.3"):
        org.product_version("router", v)
        org.upload("router", v, sbom(3, f"base-{v}"))
    r = requests.put(org.url(f"/api/v1/orgs/{ORG}/portal"), headers=org.h, timeout=30, json={
        "enabled": True, "slug": ORG, "visibility": "private", "display_name": "ACME portal"})
    assert r.status_code == 200, r.text
    tid = org.post(f"/api/v1/orgs/{ORG}/portal/tokens", {"name": "Customer", "expires_in": "90d",
                                                         "contact_email": "sec@customer.example"}).json()["id"]
    sub = org.post(f"/api/v1/orgs/{ORG}/portal/tokens/{tid}/subscriptions",
                   {"webhook_url": f"http://127.0.0.1:{hook_port}/hooks", "events": ["sbom.published"]}).json()
    hooks.set_secret(sub["webhook_secret"])

    def delivered_once(n_expected):
        got = [d for d in hooks.received() if d["answered"] == 204]
        ids = [d["headers"].get("webhook-id") for d in got]
        return got, ids, len(ids) == n_expected and len(set(ids)) == n_expected and all(d["verified"] for d in got)

    # (a) The receiver is down: attempts fail and are retried; once it is up, delivered once.
    hooks.stop()
    org.upload("router", "1.0", sbom(3, "a"))
    time.sleep(2.5)
    failed = [e for e in org.audit_events("notification.failed") if e["details"]["channel"] == "webhook"]
    hooks.start()
    ok = wait_until(lambda: delivered_once(1)[2], 30)
    got, ids, _ = delivered_once(1)
    REPORT.check(label, "receiver down, then up: delivered exactly once, signature verified", ok and len(failed) >= 1,
                 f"{len(failed)} failed attempts while down, then {len(got)} delivery, webhook-ids {ids}")

    # (b) kill -9 after the event is queued and before the worker sends it: delivered once after restart.
    a.stop()
    slow = Server(f"notify-{backend}-slow", db_url, data, notify_env(smtp_port, poll_ms=60000)).start()
    slow.wait_ready()
    time.sleep(0.5)  # its first pass is over; the next is a minute away
    org.base = slow.base
    r = org.upload("router", "1.1", sbom(3, "b"))
    queued = r.status_code == 201
    slow.kill9()
    before = len(hooks.received())
    a2 = Server(f"notify-{backend}-a2", db_url, data, notify_env(smtp_port)).start()
    a2.wait_ready()
    org.base = a2.base
    ok = wait_until(lambda: delivered_once(2)[2], 30)
    got, ids, _ = delivered_once(2)
    REPORT.check(label, "kill -9 between queue and send: delivered exactly once after the restart",
                 queued and before == 1 and ok, f"before restart {before} delivery; after {len(got)}, webhook-ids {ids}")

    # (c) The mail server is down: e-mails fail and are retried; once it is up, sent once.
    r = org.post(f"/api/v1/orgs/{ORG}/vulnerabilities", {"id": "CVE-2026-4242", "title": "Fault test",
                                                       "severity": "high"})
    requests.put(org.url(f"/api/v1/orgs/{ORG}/vulnerabilities/CVE-2026-4242/assessments"), headers=org.h, timeout=30,
                 json=[{"product": "router", "version": "1.2", "status": "under_investigation"}])
    r = org.post(f"/api/v1/orgs/{ORG}/vulnerabilities/CVE-2026-4242/publish", {})
    time.sleep(2.5)
    log = org.get(f"/api/v1/orgs/{ORG}/notifications?vulnerability=CVE-2026-4242").json()
    waiting = [n["status"] for n in log if n["channel"] == "email"]
    waiting_error = next((n["last_error"] for n in log if n["channel"] == "email"), None)
    smtp = Receiver("smtp_sink.py", smtp_port, "--out", mail_out).start()
    ok = wait_until(lambda: len(mails(mail_out, "sec@customer.example")) >= 1, 60)
    time.sleep(1.5)
    n_mails = len(mails(mail_out, "sec@customer.example"))
    log = org.get(f"/api/v1/orgs/{ORG}/notifications?vulnerability=CVE-2026-4242").json()
    REPORT.check(label, "mail server down, then up: the e-mail is held in the outbox, then sent once",
                 ok and n_mails == 1 and len(waiting) == 1 and waiting[0] in ("held", "failed", "sending", "queued") and [n["status"] for n in log if n["channel"] == "email"] == ["sent"],
                 f"while down: {waiting} ({(waiting_error or '')[:120]}); after: {n_mails} e-mail")

    # (d) Two replicas share the outbox: 20 events, each delivered exactly once.
    b = Server(f"notify-{backend}-b", db_url, data, notify_env(smtp_port)).start()
    b.wait_ready()
    for n in range(20):
        org.base = (a2.base, b.base)[n % 2]
        org.upload("router", "1.3", sbom(3, f"d{n}"))
    ok = wait_until(lambda: len(delivered_once(22)[1]) >= 22, 60)
    time.sleep(2)
    got, ids, exact = delivered_once(22)
    REPORT.check(label, "two replicas: every notification delivered exactly once", ok and exact,
                 f"{len(got)} deliveries, {len(set(ids))} distinct webhook-ids (expected 22)")
    panics = a.panics() + a2.panics() + b.panics()
    REPORT.check(label, "no panic in any log", not panics, f"{len(panics)} panics")
    for x in (a2, b):
        x.stop()
    hooks.stop()
    smtp.stop()


def main():
    t0 = time.monotonic()
    # SIGTERM unwinds like Ctrl-C, so the cleanup below (our servers, our cluster, mounts) runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not os.access(BIN, os.X_OK):
        sys.exit(f"no server binary at {BIN} (cargo build -p supplier-portal, or set PORTAL_BIN)")
    print(f"binary: {BIN}\nwork dir: {WORK}")
    cluster = None
    if not ONLY or ONLY & {"crash", "outage", "replicas", "audit", "notify", "objects"}:
        try:
            cluster = PgCluster()
            cluster.start()
            print(f"private Postgres cluster: {cluster.bin}, port {cluster.port}, {cluster.dir}")
        except Exception as e:  # noqa: BLE001 — reported, and the Postgres parts are skipped
            detail = getattr(e, "stdout", "") or str(e)
            print(f"no private Postgres cluster: {detail}")
            if cluster:
                cluster.destroy()
            cluster = None
    try:
        crash_during_uploads("sqlite")
        if cluster:
            crash_during_uploads("postgres", cluster)
            postgres_outage(cluster)
        blob_store_faults()
        two_replicas("sqlite")
        if cluster:
            two_replicas("postgres", cluster)
        audit_under_download_load("sqlite")
        if cluster:
            audit_under_download_load("postgres", cluster)
        replicas_on_object_storage("sqlite")
        if cluster:
            replicas_on_object_storage("postgres", cluster)
        notifications_survive_faults("sqlite")
        if cluster:
            notifications_survive_faults("postgres", cluster)
        if not cluster and (not ONLY or ONLY & {"crash", "outage", "replicas", "audit", "notify"}):
            REPORT.skip("postgres", "Postgres scenarios", "no private cluster could be created (initdb)")
    finally:
        for s in Server.started:
            if s.alive():
                s.kill9()
        if cluster:
            cluster.destroy()
    REPORT.summary(time.monotonic() - t0)
    if REPORT.failed() or os.environ.get("FAULTS_KEEP"):
        print(f"server logs kept in {WORK}")
    else:
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(1 if REPORT.failed() else 0)


if __name__ == "__main__":
    main()
