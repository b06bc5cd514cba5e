#!/usr/bin/env python3
"""Self-test for smtp_sink.py and webhook_receiver.py.

Starts both programs as subprocesses on free ports, exercises them with
smtplib / http.client and exits non-zero on the first failed check.
"""

import json
import os
import select
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from email.message import EmailMessage
from http.client import HTTPConnection

from standardwebhooks import Webhook

HERE = os.path.dirname(os.path.abspath(__file__))
FAILURES = []


def check(cond, what):
    print(("PASS " if cond else "FAIL ") + what, flush=True)
    if not cond:
        FAILURES.append(what)
    return cond


def start(args, timeout=15.0):
    proc = subprocess.Popen(
        [sys.executable] + args,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    line = proc.stdout.readline().strip() if ready else ""
    if not line.startswith("READY "):
        proc.kill()
        raise SystemExit("FAIL %s did not print READY (got %r)" % (args[0], line))
    return proc, int(line.split()[1])


def stop(proc, name):
    proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = None
    check(rc == 0, "%s exits 0 on SIGTERM (rc=%r)" % (name, rc))


def read_lines(path, n, timeout=5.0):
    deadline = time.time() + timeout
    while True:
        with open(path, encoding="utf-8") as fh:
            lines = [l for l in fh.read().splitlines() if l.strip()]
        if len(lines) >= n or time.time() > deadline:
            return [json.loads(l) for l in lines]
        time.sleep(0.05)


# --------------------------------------------------------------------- SMTP
def test_smtp(tmp):
    out = os.path.join(tmp, "mail.jsonl")
    proc, port = start([os.path.join(HERE, "smtp_sink.py"), "--port", "0", "--out", out])
    try:
        check(port > 0, "smtp_sink READY %d" % port)
        msg = EmailMessage()
        msg["Subject"] = "Vulnerability notice: CVE-2024-0001 – ünïcode"
        msg["From"] = "Supplier Portal <noreply@portal.test>"
        msg["To"] = "Alice <alice@customer.test>"
        msg["X-Portal-Event"] = "disclosure.published"
        msg.set_content("Plain body ✓\n")
        msg.add_alternative("<p>HTML body ✓</p>\n", subtype="html")
        attachment = json.dumps({"cve": "CVE-2024-0001", "score": 9.8})
        msg.add_attachment(attachment.encode(), maintype="application", subtype="json",
                           filename="advisory.json")
        msg.add_attachment(b"\x00\xff\x10binary", maintype="application",
                           subtype="octet-stream", filename="blob.bin")
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            refused = s.send_message(msg, from_addr="bounce@portal.test",
                                     to_addrs=["alice@customer.test", "bob@customer.test"])
        check(refused == {}, "smtp: message accepted for both recipients")

        recs = read_lines(out, 1)
        check(len(recs) == 1, "smtp: exactly one JSON line written")
        r = recs[0] if recs else {}
        check(r.get("mail_from") == "bounce@portal.test", "smtp: mail_from")
        check(r.get("rcpt_tos") == ["alice@customer.test", "bob@customer.test"], "smtp: rcpt_tos")
        check(r.get("subject") == "Vulnerability notice: CVE-2024-0001 – ünïcode", "smtp: subject decoded")
        check(r.get("from") == "Supplier Portal <noreply@portal.test>", "smtp: from")
        check(r.get("to") == "Alice <alice@customer.test>", "smtp: to")
        check(r.get("text") == "Plain body ✓\n", "smtp: text body")
        check(r.get("html") == "<p>HTML body ✓</p>\n", "smtp: html body")
        atts = r.get("attachments") or []
        check(len(atts) == 2, "smtp: two attachments")
        if atts:
            a = atts[0]
            check(a.get("filename") == "advisory.json"
                  and a.get("content_type") == "application/json"
                  and json.loads(a.get("content", "null")) == {"cve": "CVE-2024-0001", "score": 9.8},
                  "smtp: JSON attachment decoded as text")
        if len(atts) > 1:
            import base64
            check(base64.b64decode(atts[1]["content"]) == b"\x00\xff\x10binary",
                  "smtp: binary attachment base64-encoded")
        check(r.get("headers", {}).get("X-Portal-Event") == "disclosure.published",
              "smtp: custom header kept")

        # single-part plain text message
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            s.sendmail("a@x.test", ["b@y.test"],
                       "Subject: plain\r\nFrom: a@x.test\r\nTo: b@y.test\r\n\r\nhello\r\n")
        recs = read_lines(out, 2)
        check(len(recs) == 2 and recs[1]["text"] == "hello\n" and recs[1]["html"] is None
              and recs[1]["attachments"] == [], "smtp: single-part text message")
    finally:
        stop(proc, "smtp_sink")

    # --reject-all
    out2 = os.path.join(tmp, "mail-rejected.jsonl")
    proc, port = start([os.path.join(HERE, "smtp_sink.py"), "--port", "0", "--out", out2,
                        "--reject-all"])
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
            s.ehlo()
            s.mail("bounce@portal.test")
            code, resp = s.rcpt("alice@customer.test")
        check(code == 451 and resp.startswith(b"4.3.0 try later"),
              "smtp --reject-all: RCPT answered %d %r" % (code, resp))
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=10) as s:
                s.sendmail("a@x.test", ["b@y.test"], "Subject: x\r\n\r\nx\r\n")
            check(False, "smtp --reject-all: sendmail raises")
        except smtplib.SMTPRecipientsRefused as exc:
            code = list(exc.recipients.values())[0][0]
            check(code == 451, "smtp --reject-all: sendmail refused with 451")
        check(read_lines(out2, 1, timeout=0.5) == [], "smtp --reject-all: nothing recorded")
    finally:
        stop(proc, "smtp_sink --reject-all")


# ------------------------------------------------------------------ webhook
def http(port, method, path, body=None, headers=None):
    conn = HTTPConnection("127.0.0.1", port, timeout=10)
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
    conn.request(method, path, body=data, headers=headers or {})
    resp = conn.getresponse()
    raw = resp.read()
    conn.close()
    return resp.status, (json.loads(raw) if raw else None)


def signed_headers(secret, body, msg_id=None):
    msg_id = msg_id or "msg_" + uuid.uuid4().hex
    now = datetime.now(timezone.utc)
    sig = Webhook(secret).sign(msg_id, now, body)
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": sig,
        "Content-Type": "application/json",
    }


def test_webhook():
    proc, port = start([os.path.join(HERE, "webhook_receiver.py"), "--port", "0"])
    try:
        check(port > 0, "webhook_receiver READY %d" % port)
        body = json.dumps({"type": "disclosure.published", "data": {"id": "d-1", "note": "ünï"}})

        # no secret yet
        st, _ = http(port, "POST", "/hooks/a", body.encode(), signed_headers("whsec_" + "A" * 32, body))
        check(st == 204, "webhook: delivery without secret answered 204")
        st, rec = http(port, "GET", "/_control/received")
        check(st == 200 and len(rec) == 1 and rec[0]["verified"] is False
              and rec[0]["error"] == "no secret", "webhook: no secret -> verified=false, error 'no secret'")

        st, _ = http(port, "DELETE", "/_control/received")
        st2, rec = http(port, "GET", "/_control/received")
        check(st == 200 and rec == [], "webhook: DELETE clears list")

        secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        st, _ = http(port, "PUT", "/_control/secret", {"secret": secret})
        check(st == 200, "webhook: PUT secret")

        hdrs = signed_headers(secret, body)
        st, _ = http(port, "POST", "/hooks/a", body.encode(), hdrs)
        check(st == 204, "webhook: signed delivery answered 204")
        st, rec = http(port, "GET", "/_control/received")
        r = rec[-1]
        check(r["verified"] is True and r["error"] is None, "webhook: valid signature verified=true (%r)" % r["error"])
        check(r["path"] == "/hooks/a" and r["body"] == body
              and r["payload"] == json.loads(body) and r["answered"] == 204,
              "webhook: path/body/payload/answered recorded")
        check(r["headers"].get("webhook-id") == hdrs["webhook-id"]
              and "webhook-signature" in r["headers"], "webhook: headers lowercased")

        tampered = body.replace("d-1", "d-2")
        st, _ = http(port, "POST", "/hooks/a", tampered.encode(), hdrs)
        st, rec = http(port, "GET", "/_control/received")
        check(rec[-1]["verified"] is False and rec[-1]["error"], "webhook: tampered body verified=false (%r)" % rec[-1]["error"])

        old = dict(hdrs, **{"webhook-timestamp": str(int(time.time()) - 3600)})
        http(port, "POST", "/hooks/a", body.encode(), old)
        st, rec = http(port, "GET", "/_control/received")
        check(rec[-1]["verified"] is False, "webhook: stale timestamp verified=false (%r)" % rec[-1]["error"])

        st, _ = http(port, "POST", "/hooks/a", b"\xff\xfe not utf8", {"webhook-id": "x"})
        st2, rec = http(port, "GET", "/_control/received")
        check(st == 204 and rec[-1]["verified"] is False and rec[-1]["payload"] is None,
              "webhook: garbage body recorded, not verified")

        # failure injection
        http(port, "DELETE", "/_control/received")
        st, _ = http(port, "PUT", "/_control/fail", {"remaining": 2, "status": 503})
        check(st == 200, "webhook: PUT fail")
        codes = []
        for _ in range(3):
            h = signed_headers(secret, body)
            c, _ = http(port, "POST", "/hooks/b", body.encode(), h)
            codes.append(c)
        check(codes == [503, 503, 204], "webhook: fail control answers %r" % codes)
        st, rec = http(port, "GET", "/_control/received")
        check([x["answered"] for x in rec] == [503, 503, 204] and all(x["verified"] for x in rec),
              "webhook: failed deliveries still recorded with answered=503")

        # secret can be replaced
        secret2 = "whsec_" + "B" * 32
        http(port, "PUT", "/_control/secret", {"secret": secret2})
        http(port, "POST", "/hooks/c", body.encode(), signed_headers(secret, body))
        http(port, "POST", "/hooks/c", body.encode(), signed_headers(secret2, body))
        st, rec = http(port, "GET", "/_control/received")
        check(rec[-2]["verified"] is False and rec[-1]["verified"] is True,
              "webhook: secret replaced by second PUT")

        st, _ = http(port, "PUT", "/_control/nope", {})
        check(st == 404, "webhook: unknown control endpoint 404")
    finally:
        stop(proc, "webhook_receiver")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        test_smtp(tmp)
    test_webhook()
    if FAILURES:
        print("SELFTEST FAILED: %d check(s)" % len(FAILURES))
        return 1
    print("SELFTEST OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
