#!/usr/bin/env python3
"""SMTP sink for end-to-end notification tests.

A real SMTP server (aiosmtpd) that records every received message as one
JSON line in --out. See tests/harness/README.md.

    smtp_sink.py --port P [--host 127.0.0.1] --out FILE [--reject-all] [--accept-any-auth]

Prints exactly one line "READY <port>" on stdout once connections are
accepted, then runs until SIGTERM/SIGINT. --port 0 picks a free port.
"""

import argparse
import base64
import email
import email.policy
import json
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def _decode_address(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def _part_text(part):
    """Decoded text of a text/* body part, tolerant of bad charsets.

    SMTP puts CRLF on the wire, so line endings are normalised to "\n"
    (body parts only; attachments are kept byte-exact).
    """
    try:
        text = part.get_content()
    except Exception:  # unknown charset, broken encoding, ...
        payload = part.get_payload(decode=True) or b""
        text = payload.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n")


def _attachment_content(part):
    payload = part.get_payload(decode=True)
    if payload is None:  # e.g. message/rfc822 attachment
        payload = part.as_bytes()
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return base64.b64encode(payload).decode("ascii")


def message_to_record(envelope):
    raw = envelope.original_content or envelope.content
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="surrogateescape")
    msg = email.message_from_bytes(raw, policy=email.policy.default)

    text = None
    html = None
    attachments = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()  # None/'inline'/'attachment'
        filename = part.get_filename()
        is_attachment = disposition == "attachment" or (
            filename is not None and disposition != "inline"
        ) or not ctype.startswith("text/")
        if not is_attachment and ctype == "text/plain" and text is None:
            text = _part_text(part)
        elif not is_attachment and ctype == "text/html" and html is None:
            html = _part_text(part)
        else:
            attachments.append(
                {
                    "filename": filename or "",
                    "content_type": ctype,
                    "content": _attachment_content(part),
                }
            )

    headers = {}
    for name, value in msg.items():
        value = str(value)
        # Repeated headers (e.g. Received) are joined so nothing is lost.
        headers[name] = headers[name] + "\n" + value if name in headers else value

    return {
        "mail_from": _decode_address(envelope.mail_from),
        "rcpt_tos": [_decode_address(r) for r in envelope.rcpt_tos],
        "subject": str(msg.get("Subject", "")),
        "from": str(msg.get("From", "")),
        "to": str(msg.get("To", "")),
        "text": text,
        "html": html,
        "attachments": attachments,
        "headers": headers,
    }


class SinkHandler:
    def __init__(self, out_path, reject_all):
        self.out_path = out_path
        self.reject_all = reject_all
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject_all:
            return "451 4.3.0 try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        try:
            record = message_to_record(envelope)
        except Exception as exc:  # never lose a message silently
            record = {
                "mail_from": _decode_address(envelope.mail_from),
                "rcpt_tos": [_decode_address(r) for r in envelope.rcpt_tos],
                "parse_error": repr(exc),
            }
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self.lock:
            with open(self.out_path, "a", encoding="utf-8") as fh:
                fh.write(line)
                fh.flush()
        return "250 Message accepted for delivery"


def _accept_any(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=True)


def _free_port(host):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def main(argv=None):
    ap = argparse.ArgumentParser(description="SMTP sink writing one JSON line per message")
    ap.add_argument("--port", type=int, required=True, help="port to listen on (0 = pick a free one)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--out", required=True, help="JSON-lines file messages are appended to")
    ap.add_argument("--reject-all", action="store_true",
                    help="answer every RCPT with '451 4.3.0 try later'")
    ap.add_argument("--accept-any-auth", action="store_true",
                    help="advertise AUTH PLAIN/LOGIN (without TLS) and accept any credentials")
    args = ap.parse_args(argv)

    # Create/touch the output file so readers can open it right away.
    open(args.out, "a", encoding="utf-8").close()

    port = args.port or _free_port(args.host)
    kwargs = {}
    if args.accept_any_auth:
        kwargs.update(authenticator=_accept_any, auth_require_tls=False)
    controller = Controller(
        SinkHandler(args.out, args.reject_all),
        hostname=args.host,
        port=port,
        decode_data=False,
        enable_SMTPUTF8=True,
        ready_timeout=10.0,
        **kwargs,
    )

    stop = threading.Event()

    def _on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    controller.start()  # returns once the server accepts connections
    sys.stdout.write("READY %d\n" % port)
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
