"""Resident survey services against SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from survey_app.errors import Conflict, Gone, InvalidInput, NotFound
from survey_app.instruments import load_instrument
from survey_app.models import AuditEvent, ResidentDaily, Response
from survey_app.services import survey as service
from tests.web.resident_helpers import nothing_stored

INSTRUMENT = load_instrument("resident-feedback", 1)


@pytest.fixture
def in_request(app):
    """A request context, so that service messages are translated (English)."""
    with app.test_request_context("/en/"):
        yield


def test_validation_collects_every_problem_with_field_ids(in_request):
    with pytest.raises(service.AnswerValidationError) as caught:
        service.validate_answers(INSTRUMENT, {"recommend": "12", "safety": "7",
                                              "comment": "x" * 2001, "junk": "1"})
    assert [field for field, _ in caught.value.errors] == ["recommend", "safety", "comment"]
    assert caught.value.values == {"recommend": "12", "safety": "7", "comment": "x" * 2001}
    assert caught.value.status_code == 400


def test_validation_turns_cannot_say_into_none_and_ignores_unknown_fields(in_request):
    answers = service.validate_answers(INSTRUMENT, {"recommend": " 0 ", "useful": "cannot-say",
                                                    "safety": "1", "other": "x"})
    assert answers == service.Answers(score=0, items={"useful": None, "safety": 1}, comment="")


def test_body_that_is_not_utf8_is_refused(in_request):
    service.check_urlencoded_body(b"recommend=5&comment=hyv%C3%A4+palvelu")
    with pytest.raises(service.AnswerValidationError):
        service.check_urlencoded_body(b"recommend=5&comment=hyv%E4")


def test_response_day_is_the_helsinki_day(session, make_unit, make_survey):
    unit = make_unit("U")
    survey = make_survey(unit, opens_at=datetime(2026, 1, 1, tzinfo=UTC))
    late_evening_utc = datetime(2026, 3, 31, 21, 30, tzinfo=UTC)
    stored = service.submit_response(session, service.Target.of(unit, survey), "fi", "sms",
                                     service.Answers(score=9), now=late_evening_utc)
    assert stored.day == date(2026, 4, 1)
    assert session.scalar(select(ResidentDaily.day)) == date(2026, 4, 1)


def test_answer_and_aggregate_are_stored_together_or_not_at_all(session, make_unit, make_survey):
    unit = make_unit("U")
    survey = make_survey(unit)
    # The item-count table refuses a statement id over 40 characters on PostgreSQL (one
    # statement: the answer and the score counts written before it go too). SQLite does not
    # check lengths, so there the item upsert is made to fail instead.
    answers = service.Answers(score=5, items={"x" * 41: 3})
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        session.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON resident_item_daily "
                             "BEGIN SELECT RAISE(ABORT, 'refused'); END"))
        session.commit()
    try:
        with pytest.raises(DatabaseError):
            service.submit_response(session, service.Target.of(unit, survey), "fi", "web",
                                    answers)
        assert nothing_stored(session)
    finally:
        if sqlite:  # the database is shared by the whole session's tests
            session.execute(text("DROP TRIGGER refuse"))
            session.commit()


def test_unknown_channel_is_stored_as_web(session, make_unit, make_survey):
    unit = make_unit("U")
    survey = make_survey(unit)
    service.submit_response(session, service.Target.of(unit, survey), "fi", "fax",
                            service.Answers(score=5))
    assert session.scalar(select(Response.channel)) == "web"


def test_open_survey_for_unit_prefers_the_deepest_open_one(session, make_unit, make_survey,
                                                            in_request):
    root = make_unit("ROOT")
    child = make_unit("CHILD", parent=root)
    leaf = make_unit("LEAF", parent=child)
    now = datetime.now(UTC)
    whole = make_survey(root, code="whole")
    make_survey(child, code="old", opens_at=now - timedelta(days=9),
                closes_at=now - timedelta(days=2))
    assert service.open_survey_for_unit(session, leaf).id == whole.id
    own = make_survey(child, code="own")
    assert service.open_survey_for_unit(session, leaf).id == own.id
    with pytest.raises(Gone):
        service.open_survey_for_unit(session, leaf, now=now - timedelta(days=30))


def test_open_close_and_list_write_audit_events(session, make_unit, in_request):
    make_unit("HOSP")
    survey = service.open_resident_survey(session, "HOSP", "resident-feedback", 1, actor="hr")
    assert survey.code == "resident-HOSP-1"
    assert [s.code for s in service.list_resident_surveys(session, "HOSP")] == [survey.code]
    assert service.list_resident_surveys(session, "OTHER") == []
    service.close_survey(session, survey.code, actor="hr")
    with pytest.raises(Conflict):
        service.close_survey(session, survey.code)
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["surveys.open", "surveys.close"]
    again = service.open_resident_survey(session, "HOSP", "resident-feedback", 1)
    assert again.code == "resident-HOSP-2"


@pytest.mark.parametrize(("args", "error"), [
    (("NOPE", "resident-feedback", 1), NotFound),
    (("HOSP", "resident-feedback", 99), NotFound),
    (("HOSP", "staff-pulse", 1), InvalidInput),
])
def test_open_refuses_bad_units_and_instruments(session, make_unit, in_request, args, error):
    make_unit("HOSP")
    with pytest.raises(error):
        service.open_resident_survey(session, *args)
    assert service.list_resident_surveys(session) == []


def test_open_refuses_an_overlapping_survey_but_allows_a_later_one(session, make_unit,
                                                                   in_request):
    make_unit("HOSP")
    start = datetime(2030, 1, 1, tzinfo=UTC)
    service.open_resident_survey(session, "HOSP", "resident-feedback", 1, opens_at=start,
                                 closes_at=start + timedelta(days=30))
    with pytest.raises(Conflict):
        service.open_resident_survey(session, "HOSP", "resident-feedback", 1,
                                     opens_at=start + timedelta(days=10))
    with pytest.raises(InvalidInput):
        service.open_resident_survey(session, "HOSP", "resident-feedback", 1,
                                     opens_at=start + timedelta(days=40),
                                     closes_at=start + timedelta(days=39))
    later = service.open_resident_survey(session, "HOSP", "resident-feedback", 1,
                                         opens_at=start + timedelta(days=30))
    assert later.closes_at is None
