"""Behind a reverse proxy (PROXY_COUNT = 1) the rate limit keys on the forwarded address."""

from __future__ import annotations

from survey_app.extensions import hashed_client_key


def _key(app, headers):
    with app.test_request_context("/", headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.1"}):
        return hashed_client_key()


def test_without_proxy_count_forwarded_headers_are_ignored(make_app):
    app = make_app()
    assert _key(app, {"X-Forwarded-For": "192.0.2.1"}) == _key(app, {"X-Forwarded-For": "x"})


def test_with_one_proxy_each_resident_has_a_key_of_their_own(make_app):
    app = make_app(PROXY_COUNT=1)
    seen = []

    @app.get("/_probe")
    def probe():
        seen.append(hashed_client_key())
        return "ok"

    client = app.test_client()
    one = {"X-Forwarded-For": "192.0.2.1", "X-Forwarded-Proto": "https"}
    two = {"X-Forwarded-For": "192.0.2.2", "X-Forwarded-Proto": "https"}
    for headers in (one, two, one):
        client.get("/_probe", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen[0] == seen[2] != seen[1]
    assert "192.0.2.1" not in seen[0]
    response = client.get("/s/KAI-X", headers=one, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.status_code == 302
