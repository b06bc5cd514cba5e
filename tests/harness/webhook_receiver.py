#!/usr/bin/env python3
"""Standard Webhooks receiver for end-to-end notification tests.

    webhook_receiver.py --port P [--host 127.0.0.1]

Prints exactly one line "READY <port>" on stdout once listening, then runs
until SIGTERM/SIGINT. --port 0 picks a free port.

Control endpoints (JSON):
  PUT    /_control/secret    {"secret": "whsec_..."}      set verification secret
  PUT    /_control/fail      {"remaining": N, "status": S} answer next N deliveries with S
  GET    /_control/received  -> list of recorded deliveries
  DELETE /_control/received  clear the list
Any other POST is a delivery: recorded, answered 204 (or the failure status),
empty body. Verification uses standardwebhooks.Webhook(secret).verify().
"""

import argparse
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook

CONTROL_PREFIX = "/_control/"


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.secret = None
        self.fail_remaining = 0
        self.fail_status = 503
        self.received = []


STATE = State()


def verify(secret, body_bytes, headers):
    """Return (verified, error) using the reference implementation only."""
    if not secret:
        return False, "no secret"
    try:
        Webhook(secret).verify(body_bytes, headers, json_parse=False)
        return True, None
    except Exception as exc:  # WebhookVerificationError, bad secret, bad b64, ...
        return False, "%s: %s" % (type(exc).__name__, exc)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "webhook-receiver/1"

    def log_message(self, fmt, *args):  # keep stdout clean (READY line only)
        sys.stderr.write("webhook_receiver: " + (fmt % args) + "\n")

    # -- helpers -----------------------------------------------------------
    def _read_body(self):
        length = self.headers.get("Content-Length")
        if length is not None:
            n = int(length)
            return self.rfile.read(n) if n > 0 else b""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size_line = self.rfile.readline().strip().split(b";", 1)[0]
                size = int(size_line or b"0", 16)
                if size == 0:
                    # consume trailers until the blank line
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()  # CRLF after chunk
            return b"".join(chunks)
        return b""

    def _send(self, status, obj=None):
        data = b"" if obj is None else json.dumps(obj).encode("utf-8")
        self.send_response(status)
        if obj is not None:
            self.send_header("Content-Type", "application/json")
        if status != 204:  # RFC 9110: no Content-Length on 204
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def _json_body(self):
        raw = self._read_body()
        try:
            return json.loads(raw.decode("utf-8") or "{}")
        except Exception:
            return None

    def _path(self):
        return self.path.split("?", 1)[0]

    # -- methods -----------------------------------------------------------
    def do_PUT(self):
        path = self._path()
        body = self._json_body()
        if not isinstance(body, dict):
            self._send(400, {"error": "body must be a JSON object"})
            return
        if path == CONTROL_PREFIX + "secret":
            secret = body.get("secret")
            if not isinstance(secret, str) or not secret:
                self._send(400, {"error": "secret must be a non-empty string"})
                return
            with STATE.lock:
                STATE.secret = secret
            self._send(200, {"ok": True})
        elif path == CONTROL_PREFIX + "fail":
            try:
                remaining = int(body.get("remaining", 0))
                status = int(body.get("status", 503))
            except (TypeError, ValueError):
                self._send(400, {"error": "remaining and status must be integers"})
                return
            if remaining < 0 or not 100 <= status <= 599:
                self._send(400, {"error": "remaining >= 0 and 100 <= status <= 599 required"})
                return
            with STATE.lock:
                STATE.fail_remaining = remaining
                STATE.fail_status = status
            self._send(200, {"ok": True})
        else:
            self._send(404, {"error": "unknown control endpoint"})

    def do_GET(self):
        if self._path() == CONTROL_PREFIX + "received":
            with STATE.lock:
                snapshot = list(STATE.received)
            self._send(200, snapshot)
        else:
            self._send(404, {"error": "not found"})

    def do_DELETE(self):
        self._read_body()
        if self._path() == CONTROL_PREFIX + "received":
            with STATE.lock:
                STATE.received.clear()
            self._send(200, {"ok": True})
        else:
            self._send(404, {"error": "not found"})

    def do_POST(self):
        path = self._path()
        if path.startswith(CONTROL_PREFIX):
            self._read_body()
            self._send(405, {"error": "use PUT/GET/DELETE on control endpoints"})
            return
        body_bytes = self._read_body()
        headers = {k.lower(): v for k, v in self.headers.items()}
        body_text = body_bytes.decode("utf-8", errors="replace")
        try:
            payload = json.loads(body_bytes.decode("utf-8"))
        except Exception:
            payload = None
        with STATE.lock:
            secret = STATE.secret
            if STATE.fail_remaining > 0:
                STATE.fail_remaining -= 1
                answered = STATE.fail_status
            else:
                answered = 204
        verified, error = verify(secret, body_bytes, headers)
        record = {
            "path": self.path,
            "headers": headers,
            "body": body_text,
            "payload": payload,
            "verified": verified,
            "error": error,
            "answered": answered,
        }
        with STATE.lock:
            STATE.received.append(record)
        self._send(answered)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv=None):
    ap = argparse.ArgumentParser(description="Standard Webhooks receiver with control endpoints")
    ap.add_argument("--port", type=int, required=True, help="port to listen on (0 = pick a free one)")
    ap.add_argument("--host", default="127.0.0.1")
    args = ap.parse_args(argv)

    server = Server((args.host, args.port), Handler)
    port = server.server_address[1]

    def _on_signal(signum, frame):
        # shutdown() blocks until serve_forever returns, so call it off-thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    sys.stdout.write("READY %d\n" % port)
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
