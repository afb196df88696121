"""Moments are stored as UTC and read back aware on both databases."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from survey_app.models import Survey


def test_a_helsinki_moment_comes_back_as_the_same_instant_in_utc(session, make_unit,
                                                                   make_survey):
    opens = datetime(2026, 6, 1, 8, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
    make_survey(make_unit("U"), opens_at=opens)
    session.expire_all()
    stored = session.scalar(select(Survey.opens_at))
    assert stored.tzinfo is not None and stored.utcoffset().total_seconds() == 0
    assert stored == opens
    assert stored == datetime(2026, 6, 1, 5, 0, tzinfo=UTC)
