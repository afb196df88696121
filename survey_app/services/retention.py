"""Retention: delete raw answers and comments past their time; aggregates stay.

Resident answers are dated by their day; staff answers by the closing day of their round
(a staff answer has no day of its own). Reports keep working after retention because they
read only the aggregates.

Released comments live in frozen batches (:mod:`survey_app.services.comments`), apart from
their answers. Retention never shrinks a batch: a batch goes whole on the night its last month
lies wholly before the cutoff, or stays whole. So a list never shows 3, then 2, then 1
comments, and no comment is dated by the night it disappeared (issue 12, attack 7). Comments
never released go unseen with their answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from survey_app.models import CommentBatch, ReleasedComment, Response, Survey, SurveyKind
from survey_app.periods import helsinki_day, helsinki_now
from survey_app.services.audit import record


@dataclass(frozen=True, slots=True)
class RetentionPlan:
    """What retention removes: answers older than ``cutoff`` (resident and staff), and the
    comment batches whose last month ended by then."""

    cutoff: date
    resident_answers: int
    staff_answers: int
    comment_batches: int = 0

    @property
    def total(self) -> int:
        """All answers to delete."""
        return self.resident_answers + self.staff_answers


def _expired_rounds(session: Session, cutoff: date) -> list[int]:
    rounds = session.scalars(select(Survey).where(Survey.kind == SurveyKind.PULSE,
                                                  Survey.closes_at.is_not(None)))
    return [r.id for r in rounds if helsinki_day(r.closes_at) < cutoff]


def plan(session: Session, days: int, today: date | None = None) -> RetentionPlan:
    """Count what would be deleted, without deleting anything."""
    cutoff = (today or helsinki_now().date()) - timedelta(days=days)
    resident = session.scalar(select(func.count()).select_from(Response)
                              .where(Response.day.is_not(None), Response.day < cutoff))
    rounds = _expired_rounds(session, cutoff)
    staff = session.scalar(select(func.count()).select_from(Response)
                           .where(Response.survey_id.in_(rounds))) if rounds else 0
    batches = session.scalar(select(func.count()).select_from(CommentBatch)
                             .where(_expired_batch(cutoff)))
    return RetentionPlan(cutoff, resident or 0, staff or 0, batches or 0)


def _expired_batch(cutoff: date):
    """A batch whose last month ended on or before ``cutoff`` (its first day < cutoff's)."""
    return CommentBatch.last_month < cutoff.replace(day=1)


def apply(session: Session, days: int, today: date | None = None,
          actor: str = "cli") -> RetentionPlan:
    """Delete the answers (with their comments) that ``plan`` counts, in one transaction."""
    result = plan(session, days, today)
    session.execute(delete(Response).where(Response.day.is_not(None),
                                           Response.day < result.cutoff))
    rounds = _expired_rounds(session, result.cutoff)
    if rounds:
        session.execute(delete(Response).where(Response.survey_id.in_(rounds)))
    expired = select(CommentBatch.id).where(_expired_batch(result.cutoff))
    session.execute(delete(ReleasedComment).where(ReleasedComment.batch_id.in_(expired)))
    session.execute(delete(CommentBatch).where(_expired_batch(result.cutoff)))
    record(session, actor, "retention.apply",
           f"cutoff {result.cutoff}: {result.resident_answers} resident, "
           f"{result.staff_answers} staff answers, {result.comment_batches} comment batches "
           "deleted")
    session.commit()
    return result
