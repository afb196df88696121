"""Publishing comments: whole months of one unit's comments become a frozen batch.

For every unit and survey kind, the comments of complete months that are not yet in a batch
form a new batch as soon as there are at least ``PRIVACY_MIN_COMMENTS`` of them, earliest
months first. A batch takes whole months, so batches of a unit never overlap in time and a
comment is in exactly one batch: no two published lists can be subtracted (issue 12, §4).

Publishing *moves* each comment: the redacted text is copied into the batch in an order drawn
at random, with only the labels :func:`survey_app.privacy.batch_labels.batch_labels` allows,
and blanked on its response row. The released copy carries no day, channel, answers or link
to its response. A comment of a month that an earlier batch of the unit already covers (only
possible for rows written into the past, e.g. an import) is never published; retention
deletes it with its response.

Resident comments belong to the month of their day; staff comments to the month in which
their round closed. Idempotent, and safe to run twice at once: the second run's claim on the
same comments finds them gone, rolls back and starts again on the new state.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from survey_app.models import CommentBatch, ReleasedComment, Response, Survey, SurveyKind
from survey_app.periods import helsinki_day, helsinki_now
from survey_app.privacy import Thresholds
from survey_app.privacy.batch_labels import batch_labels, score_group
from survey_app.services.audit import record

_shuffle = random.SystemRandom().shuffle
#: Response ids per claiming UPDATE (SQLite limits the bound parameters of one statement).
_CLAIM_SIZE = 500


@dataclass(frozen=True, slots=True)
class _Pending:
    """A comment waiting for its batch (never leaves this module)."""

    response_id: str
    month: date
    text: str
    language: str | None
    score: int | None


class ConcurrentPublish(Exception):
    """Another publish claimed some of the same comments first."""


def publish_comment_batches(session: Session, until: date, thresholds: Thresholds | None = None,
                            *, today: date | None = None, actor: str = "cli") -> int:
    """Batch the comments of complete months before ``until``; the number of new batches.

    ``until`` is capped at ``today`` (Helsinki), so a month is never batched before it ends.
    Commits. Running it again with the same ``until`` creates nothing.
    """
    thresholds = thresholds or Thresholds()
    today = today or helsinki_now().date()
    before = min(until, today).replace(day=1)
    for _attempt in range(3):
        try:
            created = _publish(session, before, thresholds, today)
        except ConcurrentPublish:
            session.rollback()
            continue
        record(session, actor, "comments.publish",
               f"until {before}: {created} comment batches released")
        session.commit()
        return created
    raise ConcurrentPublish("comment publication kept colliding with another run")


def _publish(session: Session, before: date, thresholds: Thresholds, today: date) -> int:
    pending = _pending(session, before)
    covered = _covered_until(session)
    created = 0
    for (unit_id, kind), comments in sorted(pending.items()):
        last = covered.get((unit_id, kind))
        comments = [c for c in comments if last is None or c.month > last]
        for chunk in _whole_month_chunks(comments, thresholds.comments):
            _store_batch(session, unit_id, kind, chunk, thresholds.for_kind(kind), today)
            created += 1
    return created


def _whole_month_chunks(comments: list[_Pending], size: int) -> list[list[_Pending]]:
    """Earliest months first: each chunk is whole months holding at least ``size`` comments."""
    by_month: dict[date, list[_Pending]] = defaultdict(list)
    for comment in comments:
        by_month[comment.month].append(comment)
    chunks, current = [], []
    for month in sorted(by_month):
        current.extend(by_month[month])
        if len(current) >= size:
            chunks.append(current)
            current = []
    return chunks


def _store_batch(session: Session, unit_id: int, kind: str, chunk: list[_Pending], k: int,
                 today: date) -> None:
    """One batch: claim the comments on their rows, then write the shuffled copies."""
    ids = sorted(c.response_id for c in chunk)
    for start in range(0, len(ids), _CLAIM_SIZE):
        part = ids[start:start + _CLAIM_SIZE]
        claimed = session.execute(update(Response).where(Response.id.in_(part),
                                                         Response.comment.is_not(None))
                                  .values(comment=None)
                                  .execution_options(synchronize_session=False))
        if claimed.rowcount != len(part):
            raise ConcurrentPublish()
    order = list(chunk)
    _shuffle(order)
    languages, groups = batch_labels([c.language for c in order],
                                     [score_group(c.score) for c in order], k)
    batch = CommentBatch(unit_id=unit_id, kind=kind, first_month=min(c.month for c in chunk),
                         last_month=max(c.month for c in chunk), released_on=today,
                         size=len(chunk),
                         languages=" ".join(sorted({code for code in languages if code})))
    session.add(batch)
    session.flush()
    session.add_all([ReleasedComment(batch_id=batch.id, position=i, text=c.text,
                                     language=languages[i], score_group=groups[i])
                     for i, c in enumerate(order)])
    session.flush()


def _pending(session: Session, before: date) -> dict[tuple[int, str], list[_Pending]]:
    """Unbatched comments of complete months, by (unit, kind)."""
    result: dict[tuple[int, str], list[_Pending]] = defaultdict(list)
    resident = (select(Response.id, Response.unit_id, Response.day, Response.comment,
                       Response.language, Response.score)
                .join(Survey, Survey.id == Response.survey_id)
                .where(Survey.kind == SurveyKind.RESIDENT, Response.comment.is_not(None),
                       Response.comment != "", Response.day.is_not(None),
                       Response.day < before))
    for rid, unit_id, day, text, language, score in session.execute(resident):
        result[(unit_id, "resident")].append(
            _Pending(rid, day.replace(day=1), text, language, score))
    rounds = {survey_id: helsinki_day(closes).replace(day=1) for survey_id, closes in
              session.execute(select(Survey.id, Survey.closes_at).where(
                  Survey.kind == SurveyKind.PULSE, Survey.closes_at.is_not(None)))
              if helsinki_day(closes) < before}
    if rounds:
        staff = (select(Response.id, Response.unit_id, Response.survey_id, Response.comment,
                        Response.score)
                 .where(Response.survey_id.in_(rounds), Response.comment.is_not(None),
                        Response.comment != ""))
        for rid, unit_id, survey_id, text, score in session.execute(staff):
            result[(unit_id, "pulse")].append(_Pending(rid, rounds[survey_id], text, None, score))
    return result


def _covered_until(session: Session) -> dict[tuple[int, str], date]:
    """The last month already batched per (unit, kind)."""
    rows = session.execute(select(CommentBatch.unit_id, CommentBatch.kind,
                                  func.max(CommentBatch.last_month))
                           .group_by(CommentBatch.unit_id, CommentBatch.kind))
    return {(unit_id, kind): last for unit_id, kind, last in rows}
