"""The generic HTTPS JSON gateway against a small real HTTP server (no mock client)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from survey_app.models import OutboxMessage
from tests.reach.helpers import run_worker

ACCEPTED = "+358501110001"
THROTTLED = "+358501110429"
REFUSED = "+358501110400"


class Provider(BaseHTTPRequestHandler):
    """Accepts JSON with the right bearer token; 429 and 400 for two special numbers."""

    received: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.headers.get("Authorization") != "Bearer s3cret":
            status = 401
        elif body["msisdn"] == THROTTLED:
            status = 429
        elif body["msisdn"] == REFUSED:
            status = 400
        else:
            status = 200
            self.received.append((self.path, body))
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        """Quiet."""


@pytest.fixture
def provider():
    Provider.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_json_gateway_posts_the_template_and_classifies_answers(make_app, session,
                                                                     make_unit, provider):
    template = ('{"msisdn": "{to}", "message": {"body": "{text}", "encoding": "{coding}"}, '
                '"originator": "{sender}"}')
    app = make_app(SMS_BACKEND="http", SMS_HTTP_URL=f"{provider}/v1/sms?x=1",
                   SMS_HTTP_AUTH_HEADER="Authorization: Bearer s3cret", SMS_SENDER="Kainuu",
                   SMS_HTTP_BODY_TEMPLATE=template, SMS_QUIET_HOURS="none")
    unit = make_unit("KAJ-TK", kind="resident")
    now = datetime.now(UTC)
    for number, lang in ((ACCEPTED, "ar"), (THROTTLED, "fi"), (REFUSED, "fi")):
        session.add(OutboxMessage(kind="sms", unit_id=unit.id, language=lang, recipient=number,
                                  state="queued", due_at=now,
                                  expires_at=now + timedelta(hours=2), attempts=0))
    session.commit()
    report = run_worker(app, session)
    assert (report.sent, report.retried, report.dead) == (1, 1, 1)
    ((path, body),) = Provider.received
    assert path == "/v1/sms?x=1"
    assert body["msisdn"] == ACCEPTED and body["originator"] == "Kainuu"
    assert body["message"]["encoding"] == "ucs2" and "شكرًا" in body["message"]["body"]
    session.expire_all()
    states = {r.last_error or "": (r.state, r.recipient)
              for r in session.scalars(select(OutboxMessage))}
    assert states["http 429"] == ("queued", THROTTLED)
    assert states[""] == ("sent", None)
    assert next(v for k, v in states.items() if k.startswith("http 400")) == ("dead", None)
