"""Ten simultaneous submissions with one invitation against a real threaded HTTP server:
exactly one answer is stored and the invitation is used once."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from survey_app.models import Invitation, Response, StaffRound
from tests.pulse_support import answer_form, issue_tokens, stored_hash, used_count

pytestmark = pytest.mark.postgres

SUBMITTERS = 10


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def served(app):
    """The test app on a real threaded server on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


def _post_all_at_once(url: str, body: bytes) -> list[int]:
    """POST ``body`` to ``url`` from SUBMITTERS threads released together; their statuses."""
    opener = urllib.request.build_opener(_NoRedirect)
    barrier = threading.Barrier(SUBMITTERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def submit():
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        barrier.wait(timeout=30)
        try:
            status = opener.open(request, timeout=60).status
        except urllib.error.HTTPError as error:
            status = error.code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=submit) for _ in range(SUBMITTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return statuses


def test_simultaneous_submissions_with_one_token_store_exactly_one_answer(
        served, session, make_unit, make_survey):
    team = make_unit("KAI-RACE", kind="staff")
    survey = make_survey(team, kind="pulse", code="race",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    token, other = issue_tokens(session, survey, team, 2)
    body = urllib.parse.urlencode(answer_form(score="9")).encode()
    statuses = _post_all_at_once(f"{served}/fi/p/{token}", body)
    assert sorted(statuses) == [303] + [409] * (SUBMITTERS - 1)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Response)) == 1
    assert used_count(session) == 1
    assert session.scalars(select(StaffRound)).one().n == 1
    assert session.scalar(select(Invitation.used)
                          .where(Invitation.token_hash == stored_hash(other))) is False


def test_no_answer_shares_a_transaction_id_with_an_invitation_before_or_after_closing(
        app, client, session, make_unit, make_survey):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("transaction ids (xmin) are a PostgreSQL matter")
    from sqlalchemy import text

    from survey_app.services.pulse import close_round

    team = make_unit("KAI-XMIN", kind="staff")
    survey = make_survey(team, kind="pulse", code="xmin",
                         closes_at=datetime.now(UTC) + timedelta(days=1))
    for token in issue_tokens(session, survey, team, 25):
        assert client.post(f"/fi/p/{token}", data=answer_form()).status_code == 303

    def xmins(table: str, where: str = "") -> set[str]:
        return set(session.scalars(text(f"SELECT xmin::text FROM {table} {where}")))

    session.commit()
    # While the round is open: answers are committed alone; at 20 pending, ten random marks
    # were written in one transaction.
    assert len(xmins("response")) == 25
    assert not xmins("response") & (xmins("invitation") | xmins("invitation_pending"))
    assert len(xmins("invitation", "WHERE used")) == 1
    with app.app_context():
        close_round(session, "xmin", datetime.now(UTC))
    session.commit()
    assert used_count(session) == 25
    assert xmins("response") == xmins("invitation")
    assert len(xmins("response")) == 1
