"""The outbox through a real Kannel and its fake SMSC: one message per visit, a link that
works once, no number kept after the gateway accepted, retries, dead letters, quiet hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from survey_app.models import OutboxMessage, ReachCount, Response, SmsCode
from survey_app.services.reach import visits as visit_service
from tests.faults.support import wait_until
from tests.reach.conftest import visit
from tests.reach.helpers import code_of, every_text_cell, run_worker, unique_number

ANSWER = {"recommend": "9"}


@pytest.fixture
def sms_app(make_app, kannel):
    """The app sending through the test Kannel, without quiet hours (real clock)."""
    return make_app(SMS_QUIET_HOURS="none", PUBLIC_BASE_URL="https://kysely.example.fi",
                    **kannel.settings())


@pytest.fixture
def opted_in(sms_app, session, make_unit, make_survey):
    unit = make_unit("KAJ-TK", kind="resident")
    unit.sms = True
    session.commit()
    make_survey(unit)
    return unit


def _queue(app, session, visits):
    with app.app_context():
        return visit_service.queue_visits(session, visits)


def _mine(kannel, numbers, at_least=0):
    """The messages to ``numbers``; with ``at_least``, None until that many arrived."""
    mine = [m for m in kannel.received() if m.to in numbers]
    return mine if len(mine) >= at_least else None


def test_each_visit_gets_one_sms_in_its_language_and_nothing_identifying_stays(
        sms_app, session, opted_in, kannel):
    people = {lang: unique_number() for lang in ("fi", "ar", "ru")}
    _queue(sms_app, session, [visit(phone=local, language=lang)
                              for lang, (local, _e164) in people.items()])
    report = run_worker(sms_app, session)
    assert report.sent == 3
    numbers = {e164 for _lang, (_local, e164) in people.items()}
    messages = {m.to: m for m in wait_until(lambda: _mine(kannel, numbers, 3))}
    assert len(_mine(kannel, numbers)) == 3
    assert messages[people["fi"][1]].kind == "text"
    assert messages[people["ar"][1]].kind == "ucs-2"
    assert messages[people["ru"][1]].kind == "ucs-2"
    for message in messages.values():
        assert "https://kysely.example.fi/r/" in message.text
    session.expire_all()
    rows = list(session.scalars(select(OutboxMessage)))
    assert {(r.state, r.recipient, r.sealed) for r in rows} == {("sent", None, None)}
    cells = " ".join(every_text_cell(session))
    for _lang, (local, e164) in people.items():
        assert e164 not in cells and local[1:] not in cells
    for message in messages.values():
        assert code_of(message.text) not in cells
    counts = {(c.event, c.n) for c in session.scalars(select(ReachCount))}
    assert ("sent", 3) in counts


def test_the_link_opens_the_questionnaire_in_the_visit_language_and_works_once(
        sms_app, session, opted_in, kannel):
    local, e164 = unique_number()
    _queue(sms_app, session, [visit(phone=local, language="sv")])
    run_worker(sms_app, session)
    (message,) = wait_until(lambda: _mine(kannel, {e164}, 1))
    code = code_of(message.text)
    client = sms_app.test_client()
    page = client.get(f"/r/{code}")
    assert page.status_code == 200
    assert 'lang="sv"' in page.get_data(as_text=True)
    stored = client.post(f"/r/{code}", data=ANSWER)
    assert stored.status_code == 303
    assert stored.headers["Location"] == "/sv/s/KAJ-TK/thanks"
    again = client.post(f"/r/{code}", data=ANSWER)
    assert again.status_code == 410
    assert "redan" in again.get_data(as_text=True) or "already" in again.get_data(as_text=True)
    assert client.get(f"/r/{code}").status_code == 410
    session.expire_all()
    responses = list(session.scalars(select(Response)))
    assert [(r.channel, r.language, r.score) for r in responses] == [("invited", "sv", 9)]
    assert session.scalar(select(SmsCode.spent)) is True


def test_an_unknown_or_malformed_code_gets_404_and_an_answer_is_not_stored(
        sms_app, session, opted_in):
    client = sms_app.test_client()
    assert client.get("/r/aaaaaaaaaaaaaaaa").status_code == 404
    assert client.post("/r/aaaaaaaaaaaaaaaa", data=ANSWER).status_code == 404
    assert client.get("/r/<script>").status_code == 404
    session.expire_all()
    assert list(session.scalars(select(Response))) == []


def test_an_open_link_saying_sms_is_not_an_invited_answer(sms_app, session, opted_in):
    client = sms_app.test_client()
    assert client.post("/fi/s/KAJ-TK?ch=invited", data=ANSWER).status_code == 303
    session.expire_all()
    assert [r.channel for r in session.scalars(select(Response))] == ["web"]


def test_a_refused_number_becomes_a_dead_letter_and_is_forgotten(sms_app, session, opted_in,
                                                                 kannel):
    now = datetime.now(UTC)
    session.add(OutboxMessage(kind="sms", unit_id=opted_in.id, language="fi",
                              recipient="+9991234567", state="queued", due_at=now,
                              expires_at=now + timedelta(hours=2), attempts=0))
    session.commit()
    report = run_worker(sms_app, session)
    assert (report.sent, report.dead) == (0, 1)
    session.expire_all()
    row = session.scalar(select(OutboxMessage))
    assert (row.state, row.recipient, row.attempts) == ("dead", None, 1)
    assert row.last_error.startswith("http 403")
    assert session.scalar(select(SmsCode.spent)) is True  # its unsent code is void


def test_an_unreachable_gateway_is_retried_with_doubling_back_off_then_dead(
        make_app, session, make_unit, make_survey):
    from tests.reach.kannel import free_ports

    (port,) = free_ports(1)
    app = make_app(SMS_BACKEND="kannel", SMS_QUIET_HOURS="none", OUTBOX_MAX_ATTEMPTS=3,
                   SMS_KANNEL_URL=f"http://127.0.0.1:{port}/cgi-bin/sendsms",
                   OUTBOX_BACKOFF_SECONDS=30)
    unit = make_unit("KAJ-TK", kind="resident")
    start = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    session.add(OutboxMessage(kind="sms", unit_id=unit.id, language="fi",
                              recipient="+358501112223", state="queued", due_at=start,
                              expires_at=start + timedelta(hours=2), attempts=0))
    session.commit()
    moments = [start, start + timedelta(seconds=30), start + timedelta(seconds=90)]
    expected = [("queued", 1, start + timedelta(seconds=30)),
                ("queued", 2, start + timedelta(seconds=90)),
                ("dead", 3, None)]
    for moment, (state, attempts, due) in zip(moments, expected, strict=True):
        assert run_worker(app, session, now=lambda m=moment: m).sent == 0
        session.expire_all()
        row = session.scalar(select(OutboxMessage))
        assert (row.state, row.attempts) == (state, attempts)
        if due is not None:
            assert row.due_at == due
            assert run_worker(app, session, now=lambda d=due: d - timedelta(seconds=1)).retried \
                == 0  # not due yet: not tried
    assert row.recipient is None


def test_no_sms_goes_during_quiet_hours_and_a_late_one_is_never_sent(
        make_app, session, make_unit, kannel):
    app = make_app(SMS_QUIET_HOURS="21-08", **kannel.settings())
    unit = make_unit("KAJ-TK", kind="resident")
    local, e164 = unique_number()
    night = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)  # 22:30 Helsinki
    session.add(OutboxMessage(kind="sms", unit_id=unit.id, language="fi", recipient=e164,
                              state="queued", due_at=night - timedelta(minutes=40),
                              expires_at=night + timedelta(hours=12), attempts=0))
    session.add(OutboxMessage(kind="sms", unit_id=unit.id, language="fi",
                              recipient="+358501234000", state="queued",
                              due_at=night - timedelta(hours=3),
                              expires_at=night - timedelta(hours=1), attempts=0))
    session.commit()
    report = run_worker(app, session, now=lambda: night)
    assert (report.sent, report.expired) == (0, 1)
    morning = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)  # 08:00 Helsinki
    assert run_worker(app, session, now=lambda: morning).sent == 1
    session.expire_all()
    states = sorted((r.state, r.recipient) for r in session.scalars(select(OutboxMessage)))
    assert states == [("expired", None), ("sent", None)]
    assert [m.to for m in wait_until(lambda: _mine(kannel, {e164}, 1))] == [e164]


@pytest.fixture
def served(make_app, kannel):
    """An app served over HTTP, so that Kannel can call its delivery-report URL."""
    import threading

    from werkzeug.serving import make_server

    holder = {}
    server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start),
                         threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    holder["app"] = make_app(SMS_QUIET_HOURS="none", SMS_DLR_BASE_URL=base,
                             **kannel.settings())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder["app"]
    server.shutdown()


def test_delivery_reports_are_counted_per_unit_and_forged_ones_ignored(served, session,
                                                                       make_unit, kannel):
    unit = make_unit("KAJ-TK", kind="resident")
    unit.sms = True
    session.commit()
    local, e164 = unique_number()
    _queue(served, session, [visit(phone=local)])
    now = datetime.now(UTC)
    session.add(OutboxMessage(kind="sms", unit_id=unit.id, language="fi",
                              recipient="+9991234567", state="queued", due_at=now,
                              expires_at=now + timedelta(hours=2), attempts=0))
    session.commit()
    run_worker(served, session)

    def counted():
        session.expire_all()
        found = {c.event: c.n for c in session.scalars(
            select(ReachCount).where(ReachCount.unit_id == unit.id))}
        return found if {"delivered", "undelivered"} <= set(found) else None

    counts = wait_until(counted)
    assert (counts["delivered"], counts["undelivered"]) == (1, 1)
    client = served.test_client()
    assert client.get(f"/r/dlr?u={unit.id}&s=forged&type=1").status_code == 404
    assert client.get("/r/dlr?u=x&s=&type=1").status_code == 404
    session.expire_all()
    assert {c.event: c.n for c in session.scalars(select(ReachCount))}["delivered"] == 1
    cells = " ".join(every_text_cell(session))
    assert e164 not in cells and "9991234567" not in cells


def test_an_expired_code_gets_the_translated_expired_page_and_stores_nothing(
        sms_app, session, opted_in):
    from survey_app.services.reach import codes

    code = codes.new_code()
    with sms_app.app_context():
        codes.add_code(session, code, opted_in.id, "fi",
                       datetime.now(UTC) - timedelta(minutes=1))
    session.commit()
    client = sms_app.test_client()
    page = client.get(f"/r/{code}")
    assert page.status_code == 410
    assert 'lang="fi"' in page.text and "vanhentunut" in page.text
    assert client.post(f"/r/{code}", data=ANSWER).status_code == 410
    session.expire_all()
    assert list(session.scalars(select(Response))) == []


def test_codes_have_at_least_64_random_bits_and_are_stored_only_hashed(sms_app):
    from survey_app.services.reach import codes

    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000 and all(codes.CODE_PATTERN.match(c) for c in made)
    assert codes.CODE_BYTES * 8 >= 64 and 32 ** 16 >= 2 ** 80
    with sms_app.app_context():
        hashed = codes.code_hash(next(iter(made)))
    assert len(hashed) == 64 and next(iter(made)) not in hashed
