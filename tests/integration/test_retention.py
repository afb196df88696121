"""Retention deletes old raw answers and comments, keeps aggregates, and can dry-run."""

from datetime import date

from sqlalchemy import func, select

from survey_app.models import ResidentDaily, Response, StaffRound
from survey_app.services import demo, retention

UNTIL = date(2026, 6, 30)


def counts(session):
    answers = session.scalar(select(func.count()).select_from(Response))
    daily = session.scalar(select(func.sum(ResidentDaily.n)))
    staff = session.scalar(select(func.sum(StaffRound.n)))
    return answers, daily, staff


def test_dry_run_counts_without_deleting(session):
    demo.load(session, seed=1, months=2, until=UNTIL, users=False)
    before = counts(session)
    planned = retention.plan(session, days=20, today=UNTIL)
    assert planned.resident_answers > 0
    assert counts(session) == before


def test_apply_deletes_old_answers_but_keeps_aggregates(session):
    demo.load(session, seed=1, months=2, until=UNTIL, users=False)
    answers, daily, staff = counts(session)
    planned = retention.plan(session, days=20, today=UNTIL)
    done = retention.apply(session, days=20, today=UNTIL)
    assert done == planned
    session.expire_all()
    left = session.scalar(select(func.count()).select_from(Response))
    assert left == answers - done.total
    assert session.scalar(select(func.min(Response.day))) >= done.cutoff
    assert counts(session)[1:] == (daily, staff)


def test_retention_command_dry_run_and_apply(runner):
    dry = runner.invoke(args=["retention", "apply", "--days", "3650", "--dry-run"])
    assert dry.exit_code == 0 and dry.output.startswith("Would delete 0 resident")
    done = runner.invoke(args=["retention", "apply", "--days", "3650"])
    assert done.exit_code == 0 and done.output.startswith("Deleted 0 resident")
