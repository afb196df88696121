"""Storing a resident answer: a failing statement is a SQLAlchemy error and leaves nothing
half-stored; many answers in a row keep answers and aggregates in step."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError

from survey_app.models import ResidentDaily, Response, Survey
from survey_app.services import survey as service
from tests.web.resident_helpers import nothing_stored


def test_a_failing_statement_is_a_sqlalchemy_error_and_stores_nothing(
        session, make_unit, make_survey):
    unit = make_unit("U-PIPE")
    survey = make_survey(unit)
    ghost = Survey(id=987654, code="ghost", kind=survey.kind, unit_id=unit.id,
                   instrument_key=survey.instrument_key, instrument_version=1,
                   opens_at=survey.opens_at, closes_at=None, title="")
    with pytest.raises(DatabaseError):
        # The survey does not exist in the database: the foreign key refuses the row.
        service.submit_response(session, ghost, unit, "fi", "web", service.Answers(score=5))
    assert nothing_stored(session)
    stored = service.submit_response(session, survey, unit, "fi", "web",
                                     service.Answers(score=9, items={"useful": 4}))
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Response)) == 1
    assert session.scalar(select(ResidentDaily.c9)) == 1 and stored.score == 9


def test_many_submissions_in_a_row_keep_answers_and_aggregates_in_step(
        session, make_unit, make_survey):
    unit = make_unit("U-PIPE2")
    survey = make_survey(unit)
    for score in range(11):
        service.submit_response(session, survey, unit, "fi", "qr",
                                service.Answers(score=score, items={"safety": None}))
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Response)) == 11
    daily = session.scalars(select(ResidentDaily)).one()
    assert daily.n == 11 and all(getattr(daily, f"c{v}") == 1 for v in range(11))
