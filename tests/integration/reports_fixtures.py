"""Shared data builders for the report tests: a small county and aggregate rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from survey_app.services.aggregates import AggregateBuffer

AS_OF = date(2026, 11, 27)


def build_county(make_unit):
    """ROOT → A (A1, A2), B (B1), S (staff only)."""
    root = make_unit("ROOT")
    a = make_unit("A", parent=root)
    b = make_unit("B", parent=root)
    units = {"ROOT": root, "A": a, "B": b,
             "A1": make_unit("A1", parent=a), "A2": make_unit("A2", parent=a),
             "B1": make_unit("B1", parent=b), "S": make_unit("S", parent=root, kind="staff")}
    return units


def add_resident(session, survey, unit, day: date, scores, channel="sms", answers=None,
                 comments=0):
    """Resident answers as aggregate rows (one per score), the first ``comments`` with a comment."""
    buffer = AggregateBuffer()
    for i, score in enumerate(scores):
        buffer.add_resident(survey.id, unit.id, day, channel, score, answers or {}, i < comments)
    buffer.flush(session)
    session.commit()


def add_round(session, make_survey, root, code: str, closes_at: datetime, answers):
    """A closed pulse round; ``answers`` maps unit → list of (score, qwl, factors dict)."""
    survey = make_survey(root, kind="pulse", code=code,
                         opens_at=closes_at.replace(day=1, hour=0, tzinfo=UTC),
                         closes_at=closes_at)
    buffer = AggregateBuffer()
    for unit, people in answers.items():
        for score, qwl, factors in people:
            buffer.add_staff(survey.id, unit.id, score, {}, {"qwl": qwl, **(factors or {})}, False)
    buffer.flush(session)
    session.commit()
    return survey


#: Publishing up to here releases every month of 2026 up to November (the tests' AS_OF month).
RELEASE_UNTIL = date(2026, 12, 1)


def publish(session, until: date = RELEASE_UNTIL, thresholds=None):
    """Release everything complete before ``until``, as the nightly ``releases publish`` does.

    Reports read released cells only, so every report test publishes after adding its answers.
    """
    from survey_app.privacy import Thresholds
    from survey_app.services import releases

    return releases.publish(session, until, thresholds or Thresholds(), today=until)


def republish(session, until: date = RELEASE_UNTIL, thresholds=None):
    """Start the ledger again and publish, for tests that add answers to months already released.

    In production a released cell never changes (the ORM refuses it); a test that adds past
    answers after its fixture published stands for a database whose answers were all there
    before the first publish, so it empties the ledger with plain SQL and publishes afresh.
    """
    from sqlalchemy import text

    session.rollback()
    session.execute(text("DELETE FROM released_cell"))
    session.execute(text('DELETE FROM "release"'))
    session.commit()
    return publish(session, until, thresholds)
