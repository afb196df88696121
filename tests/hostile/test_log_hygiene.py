"""A session of real traffic through a real HTTP server with every logger at DEBUG: nothing in
the log output names an address, a token, a password, an answer or a comment."""

from __future__ import annotations

import http.client
import logging
import threading
import urllib.parse
from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.serving import make_server

from survey_app.services.users import create_user
from tests.pulse_support import answer_form, issue_tokens

COMMENT = "Hoitaja Zyxwvu oli ystävällinen"
PULSE_COMMENT = "Esihenkilö Qwertyx kuuntelee"
PASSWORD = "Salasana-Plokij-2026"
API_TOKEN = "apitoken_Mnbvcxz1234567890abcdef"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def debug_logs():
    """Every logger at DEBUG into one list; levels restored afterwards."""
    root = logging.getLogger()
    handler = _Collect()
    saved = {name: logging.getLogger(name).level
             for name in ("", "survey_app", "werkzeug", "sqlalchemy", "sqlalchemy.engine",
                                "sqlalchemy.pool")}
    root.addHandler(handler)
    for name in saved:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield handler.lines
    root.removeHandler(handler)
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def _request(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_a_session_of_traffic_leaves_no_personal_data_in_the_logs(
        make_app, session, make_unit, make_survey, debug_logs):
    app = make_app(LOG_LEVEL="DEBUG")
    make_survey(make_unit("KAI-LOG"))
    team = make_unit("KAI-PLOG", kind="staff")
    survey = make_survey(team, kind="pulse", code="plog",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    (token,) = issue_tokens(session, survey, team, 1)
    with app.app_context():
        create_user(session, "hr.logtest", PASSWORD, "hr")
    session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_port
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    try:
        assert _request(port, "GET", "/fi/s/KAI-LOG?ch=qr")[0] == 200
        body = urllib.parse.urlencode({"recommend": "3", "timely_access": "2",
                                       "comment": COMMENT})
        assert _request(port, "POST", "/fi/s/KAI-LOG?ch=qr", body, form)[0] == 303
        bad = urllib.parse.urlencode({"recommend": "eleven", "comment": COMMENT})
        assert _request(port, "POST", "/fi/k/KAI-LOG", bad, form)[0] == 400
        assert _request(port, "GET", f"/fi/p/{token}")[0] == 200
        pulse = urllib.parse.urlencode(answer_form(score="2", comment=PULSE_COMMENT))
        assert _request(port, "POST", f"/fi/p/{token}", pulse, form)[0] == 303
        assert _request(port, "POST", f"/fi/p/{token}", pulse, form)[0] == 409
        login = urllib.parse.urlencode({"username": "hr.logtest", "password": PASSWORD})
        assert _request(port, "POST", "/login", login, form)[0] in (302, 303)
        wrong = urllib.parse.urlencode({"username": "hr.logtest", "password": PASSWORD + "x"})
        assert _request(port, "POST", "/login", wrong, form)[0] in (200, 400, 401)
        status, _ = _request(port, "GET", "/api/v1/units?token=" + API_TOKEN,
                             headers={"Authorization": f"Bearer {API_TOKEN}"})
        assert status < 500
    finally:
        server.shutdown()
        thread.join(timeout=10)

    log = "\n".join(debug_logs)
    assert "POST" in log, "the request lines should have been captured"
    forbidden = {"client address": "127.0.0.1", "invitation token": token,
                 "token fragment": token[:12], "comment": "Zyxwvu", "pulse comment": "Qwertyx",
                 "password": PASSWORD, "password fragment": "Plokij", "API token": "Mnbvcxz",
                 "form body": "recommend=", "answer field": "timely_access=",
                 "query string": "ch=qr"}
    leaks = {what: [line for line in debug_logs if text in line][:3]
             for what, text in forbidden.items() if text in log}
    assert not leaks, leaks
