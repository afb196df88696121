"""Pending used marks kept in Redis: exactly once still holds, the database never holds a
pending mark, and batches and finalising write the marks as with database guards."""

from __future__ import annotations

import os
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import redis
from sqlalchemy import func, select
from werkzeug.serving import make_server

from survey_app.models import Invitation, PendingMark, Response, StaffRound
from survey_app.services import pulse
from tests.pulse_support import answer_form, issue_tokens

REDIS_URL = os.environ.get("SURVEY_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="needs SURVEY_TEST_REDIS_URL "
                                                      "(.ci/run sets it)")


@pytest.fixture
def redis_app(make_app):
    """The app with its pending guards in Redis, under a prefix of this test's own."""
    prefix = f"test:{uuid.uuid4().hex}:"
    yield make_app(PULSE_GUARD_URL=REDIS_URL, PULSE_GUARD_PREFIX=prefix)
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def _keys(app, kind: str) -> list[str]:
    store = app.extensions["pulse_guards"]
    return list(store.client.scan_iter(match=f"{store.prefix}{kind}:*"))


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def test_ten_simultaneous_posts_with_one_token_store_one_answer(redis_app, session,
                                                                make_unit, make_survey):
    team = make_unit("KAI-RRACE", kind="staff")
    survey = make_survey(team, kind="pulse", code="rrace",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    (token,) = issue_tokens(session, survey, team, 1)
    server = make_server("127.0.0.1", 0, redis_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    body = urllib.parse.urlencode(answer_form(score="9")).encode()
    barrier = threading.Barrier(10)
    statuses: list[int] = []

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def submit():
        opener = urllib.request.build_opener(NoRedirect)
        request = urllib.request.Request(
            f"http://127.0.0.1:{server.server_port}/fi/p/{token}", data=body, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"})
        barrier.wait(timeout=30)
        try:
            statuses.append(opener.open(request, timeout=60).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=submit) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    server.shutdown()
    thread.join(timeout=10)
    assert sorted(statuses) == [303] + [409] * 9
    session.expire_all()
    assert _count(session, Response) == 1 and session.scalars(select(StaffRound)).one().n == 1
    assert _count(session, PendingMark) == 0 and _count(session, Invitation, Invitation.used) == 0
    assert len(_keys(redis_app, "guard")) == 1
    with redis_app.app_context():
        assert pulse.list_rounds(session, datetime.now(UTC))[0].used == 1


def test_marks_leave_redis_in_random_batches_and_at_finalising(redis_app, session, make_unit,
                                                               make_survey):
    team = make_unit("KAI-RBATCH", kind="staff")
    survey = make_survey(team, kind="pulse", code="rbatch",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    tokens = issue_tokens(session, survey, team, 30)
    client = redis_app.test_client()
    for token in tokens[:25]:
        assert client.post(f"/fi/p/{token}", data=answer_form()).status_code == 303
    assert client.get(f"/fi/p/{tokens[0]}").status_code == 409
    assert client.post(f"/fi/p/{tokens[0]}", data=answer_form()).status_code == 409
    session.expire_all()
    # At 20 pending, ten chosen at random were written; 15 wait, none of them in the database.
    assert _count(session, Invitation, Invitation.used) == 10
    assert _count(session, PendingMark) == 0
    assert len(_keys(redis_app, "guard")) == 15
    with redis_app.app_context():
        assert pulse.list_rounds(session, datetime.now(UTC))[0].used == 25
        assert pulse.finalize_closed_rounds(session, survey.closes_at) == ["rbatch"]
        assert pulse.finalize_closed_rounds(session, survey.closes_at) == []
    session.expire_all()
    assert _count(session, Invitation, Invitation.used) == 25
    assert _count(session, Response) == 25
    assert _keys(redis_app, "guard") == [] and _keys(redis_app, "pending") == []
