"""Storing a resident answer: a target that no longer holds (closed survey, inactive or
recoded unit) stores nothing; many answers in a row keep answers and aggregates in step."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from survey_app.models import ResidentDaily, ResidentItemDaily, ResidentMonthly, Response
from survey_app.services import survey as service
from tests.web.resident_helpers import nothing_stored


def test_a_target_that_no_longer_holds_stores_nothing(session, make_unit, make_survey):
    unit = make_unit("U-PIPE")
    survey = make_survey(unit)
    target = service.Target.of(unit, survey)
    answer = service.Answers(score=5, items={"useful": 4})
    stale = [replace(target, survey_id=987654),            # no such survey
             replace(target, unit_id=987654),              # no such unit
             replace(target, unit_code="U-OTHER")]         # the code now names another unit
    for wrong in stale:
        assert service.submit_response(session, wrong, "fi", "web", answer) is None
    unit.active = False
    session.commit()
    assert service.submit_response(session, target, "fi", "web", answer) is None
    unit.active, survey.closes_at = True, datetime.now(UTC) - timedelta(seconds=1)
    session.commit()
    assert service.submit_response(session, target, "fi", "web", answer) is None
    assert nothing_stored(session)
    survey.closes_at = None
    session.commit()
    stored = service.submit_response(session, target, "fi", "web",
                                     service.Answers(score=9, items={"useful": 4}))
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Response)) == 1
    assert session.scalar(select(ResidentDaily.c9)) == 1 and stored.score == 9


def test_many_submissions_in_a_row_keep_answers_and_aggregates_in_step(
        session, make_unit, make_survey):
    unit = make_unit("U-PIPE2")
    survey = make_survey(unit)
    for score in range(11):
        service.submit_response(session, service.Target.of(unit, survey), "fi", "qr",
                                service.Answers(score=score, items={"safety": None}))
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Response)) == 11
    daily = session.scalars(select(ResidentDaily)).one()
    assert daily.n == 11 and all(getattr(daily, f"c{v}") == 1 for v in range(11))


def test_every_aggregate_row_follows_the_answer(session, make_unit, make_survey):
    unit = make_unit("U-ROWS")
    survey = make_survey(unit, opens_at=datetime(2026, 1, 1, tzinfo=UTC))
    target = service.Target.of(unit, survey)
    now = datetime(2026, 5, 31, 22, 0, tzinfo=UTC)   # already 1 June in Helsinki
    service.submit_response(session, target, "sv", "sms", service.Answers(
        score=0, items={"useful": 4, "safety": None}, comment="Soita 040 123 4567"), now=now)
    service.submit_response(session, target, "fi", "sms", service.Answers(score=10,
                            items={"useful": 4}), now=now)
    session.expire_all()
    daily = session.scalars(select(ResidentDaily)).one()
    assert (daily.day.isoformat(), daily.channel, daily.n, daily.c0, daily.c10, daily.comments) \
        == ("2026-06-01", "sms", 2, 1, 1, 1)
    monthly = session.scalars(select(ResidentMonthly)).one()
    assert (monthly.month.isoformat(), monthly.n, monthly.comments) == ("2026-06-01", 2, 1)
    items = {(row.item, row.value): row.count for row in session.scalars(select(ResidentItemDaily))}
    assert items == {("useful", 4): 2, ("safety", 0): 1}
    comments = session.scalars(select(Response.comment).where(Response.comment.is_not(None)))
    assert "040 123 4567" not in comments.one()
