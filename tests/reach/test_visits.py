"""Visits in: the whole batch checked, every bad line listed, nothing queued from a bad one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from survey_app.models import AskedRecently, OutboxMessage, ReachCount
from survey_app.services.reach import visits as service
from tests.reach.conftest import visit

HEADER = "unit_code,phone,email,language,visit_time\n"


def _queue(app, session, items, now):
    with app.app_context():
        return service.queue_visits(session, items, now=now)


def _outbox(session):
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_good_batch_queues_one_sms_per_visit_in_e164(app, session, sms_unit, noon):
    sms_unit()
    report = _queue(app, session, [visit(phone="040 123 4567", now=noon),
                                   visit(phone="+358 50 765 4321", language="ar", now=noon)],
                    noon)
    assert (report.queued, report.skipped_unit, report.skipped_recent) == (2, 0, 0)
    rows = _outbox(session)
    assert [(r.kind, r.recipient, r.language, r.state) for r in rows] == [
        ("sms", "+358401234567", "fi", "queued"), ("sms", "+358507654321", "ar", "queued")]


def test_every_bad_line_of_a_file_is_listed_and_nothing_is_queued(app, session, sms_unit, noon):
    sms_unit()
    lines = [
        "KAJ-TK,040 123 4567,,fi,2026-12-01T11:50",          # 2 good (Helsinki 11:50)
        "KAJ-TK,12345,,fi,2026-12-01T11:50",                  # 3 bad number
        "NOPE,040 765 4321,,fi,2026-12-01T11:50",             # 4 unknown unit
        "KAJ-TK,040 111 2222,,fi,2026-12-02T11:50",           # 5 future
        "KAJ-TK,040 333 4444,,fi,2026-11-20T11:50",           # 6 ancient
        "KAJ-TK,040 123 4567,,fi,2026-12-01T11:50+02:00",     # 7 duplicate of line 2
        "KAJ-TK,,,fi,2026-12-01T11:50",                       # 8 no contact
        "KAJ-TK,040 555 6666,,xx,yesterday",                  # 9 language and time
    ]
    data = (HEADER + "\n".join(lines) + "\n").encode()
    with app.app_context(), pytest.raises(service.VisitBatchError) as refused:
        service.import_visits_file(session, data, now=noon)
    problems = refused.value.problems
    assert sorted({line for line, _field, _reason in problems}) == [3, 4, 5, 6, 7, 8, 9]
    fields = {(line, field) for line, field, _reason in problems}
    assert {(3, "phone"), (4, "unit_code"), (5, "visit_time"), (6, "visit_time"),
            (8, "phone"), (9, "language"), (9, "visit_time")} <= fields
    assert "line 7: the same visit as on line 2" in refused.value.message
    assert _outbox(session) == []
    assert session.scalar(select(func.count()).select_from(AskedRecently)) == 0


def test_a_visit_time_without_offset_is_helsinki_time(app, session, sms_unit, noon):
    sms_unit()
    # 11:50 Helsinki is 09:50 UTC in December: the SMS is due then, and at most 2 h later.
    _queue(app, session, [visit(time="2026-12-01T11:50", now=noon)], noon)
    (row,) = _outbox(session)
    assert row.due_at == datetime(2026, 12, 1, 9, 50, tzinfo=UTC)
    assert row.expires_at == datetime(2026, 12, 1, 11, 50, tzinfo=UTC)


def test_a_night_visit_waits_for_the_end_of_quiet_hours(app, session, sms_unit):
    sms_unit()
    night = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)  # 23:30 Helsinki
    _queue(app, session, [visit(time="2026-12-01T23:20", now=night)], night)
    (row,) = _outbox(session)
    assert row.due_at == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)  # 08:00 Helsinki


def test_units_that_have_not_opted_in_are_not_asked(app, session, sms_unit, noon):
    sms_unit("KAJ-PSY", sms=False)
    report = _queue(app, session, [visit("KAJ-PSY", now=noon)], noon)
    assert (report.queued, report.skipped_unit) == (0, 1)
    assert _outbox(session) == []


def test_a_number_is_asked_once_per_interval_and_again_after_it(app, session, sms_unit, noon):
    sms_unit()
    first = _queue(app, session, [visit(now=noon), visit(time=noon - timedelta(minutes=5))],
                   noon)
    assert (first.queued, first.skipped_recent) == (1, 1)
    later = noon + timedelta(days=29)
    assert _queue(app, session, [visit(now=later)], later).skipped_recent == 1
    after = noon + timedelta(days=30, minutes=1)
    assert _queue(app, session, [visit(now=after)], after).queued == 1
    assert len(_outbox(session)) == 2


def test_the_ask_memory_holds_a_keyed_hash_never_the_number(app, session, sms_unit, noon):
    sms_unit()
    _queue(app, session, [visit(phone="0401234567", now=noon)], noon)
    (memory,) = session.scalars(select(AskedRecently))
    assert "401234567" not in memory.number_hash
    import hashlib
    assert memory.number_hash != hashlib.sha256(b"+358401234567").hexdigest()
    other = app.config["SECRET_KEY"]
    with app.app_context():
        app.config["REACH_KEY"] = "another key"
        from survey_app.services.reach.keys import keyed_hash
        assert keyed_hash("contact", "+358401234567") != memory.number_hash
    assert other


def test_counts_per_unit_record_queued_and_skipped(app, session, sms_unit, noon):
    sms_unit()
    sms_unit("KAJ-PSY", sms=False)
    _queue(app, session, [visit(now=noon), visit("KAJ-PSY", phone="0407654321", now=noon)],
           noon)
    counts = {(c.event, c.n) for c in session.scalars(select(ReachCount))}
    assert counts == {("queued", 1), ("skipped_unit", 1)}


def test_cli_import_refuses_a_bad_file_with_line_numbers(runner, app, session, sms_unit,
                                                         tmp_path):
    sms_unit()
    path = tmp_path / "visits.csv"
    now = datetime.now(UTC)
    good = (now - timedelta(minutes=5)).isoformat()
    path.write_text(HEADER + f"KAJ-TK,0401234567,,fi,{good}\nKAJ-TK,999,,fi,{good}\n")
    result = runner.invoke(args=["visits", "import", str(path)])
    assert result.exit_code == 1
    assert "line 3: '999' is not a valid phone number" in result.output
    assert _outbox(session) == []
    path.write_text(HEADER + f"KAJ-TK,0401234567,,fi,{good}\n")
    result = runner.invoke(args=["visits", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Queued 1" in result.output
