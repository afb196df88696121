"""Finalising closed rounds: write the last used marks, re-store the rows in random order.

While a round is open its answers lie in the order they came in (heap order on
PostgreSQL, rowids on SQLite, and so the order of a dump), and its used marks were written
in batches. Once the round has closed, by hand or because its closing time passed, this
module writes the remaining marks and then deletes and re-inserts every invitation and
every answer of the round, shuffled, in one transaction: afterwards all of them carry one
transaction id, their storage (and dump) order is a fresh random permutation, and no
row's position or ``xmin`` says anything about when it was written.

``finalize_closed_rounds(session, now)`` is idempotent: a round is done once (a
``round_finalized`` row), unless something arrived after that (a pending mark of an answer
sent just as the round closed), in which case it is done again. ``rounds close``, the CLI
``rounds finalize`` and the nightly publishing job call it.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session

from survey_app.models import FinalizedRound, Invitation, Response, Survey, SurveyKind
from survey_app.services.audit import record
from survey_app.services.pulse.marks import flush_round, pending_by_survey, pending_count
from survey_app.services.pulse.tokens import token_key


def rounds_to_finalize(session: Session, now: datetime) -> list[Survey]:
    """Closed pulse rounds not yet finalised, or with marks pending since they were."""
    finalized = exists().where(FinalizedRound.survey_id == Survey.id)
    pending = list(pending_by_survey(session))
    return list(session.scalars(
        select(Survey).where(Survey.kind == SurveyKind.PULSE, Survey.closes_at.is_not(None),
                             Survey.closes_at <= now, ~finalized | Survey.id.in_(pending))
        .order_by(Survey.id)))


def finalize_closed_rounds(session: Session, now: datetime, actor: str = "cli",
                           key: bytes | None = None) -> list[str]:
    """Finalise every round closed at ``now`` that needs it; commits each; their codes.

    Safe to call at any time and from several places (the nightly job, the CLI, ``rounds
    close``): rounds already done are skipped, and two concurrent runs serialise on the
    round's rows (the second one finds nothing left to do, or re-does it harmlessly).
    """
    key = key if key is not None else token_key()
    done = []
    for survey_id, code in [(s.id, s.code) for s in rounds_to_finalize(session, now)]:
        finalize_round(session, survey_id, key, actor)
        done.append(code)
    return done


def finalize_round(session: Session, survey_id: int, key: bytes, actor: str = "cli") -> None:
    """Write the round's pending marks, then re-store its rows shuffled; commits.

    The round's row is locked first, so concurrent callers take turns; one that finds the
    work already done (finalised, nothing pending) does nothing.
    """
    code = session.scalar(select(Survey.code).where(Survey.id == survey_id).with_for_update())
    if (session.get(FinalizedRound, survey_id) is not None
            and not pending_count(session, survey_id)):
        session.rollback()
        return
    flush_round(session, survey_id, key)
    session.scalar(select(Survey.id).where(Survey.id == survey_id).with_for_update())
    invitations = _restore_shuffled(session, Invitation, Invitation.survey_id == survey_id)
    answers = _restore_shuffled(session, Response, Response.survey_id == survey_id)
    if session.get(FinalizedRound, survey_id) is None:
        session.add(FinalizedRound(survey_id=survey_id))
    record(session, actor, "round.finalize",
           f"round {code}: {invitations} invitations and {answers} answers re-stored in "
           "random order")
    session.commit()


def _restore_shuffled(session: Session, model, condition) -> int:
    """Delete the matching rows and insert them again, same values, in random order."""
    table = model.__table__
    rows = [dict(row._mapping) for row in session.execute(
        select(table).where(condition).with_for_update())]
    if not rows:
        return 0
    secrets.SystemRandom().shuffle(rows)
    session.execute(delete(table).where(condition))
    session.execute(insert(table), rows)
    return len(rows)


def unfinalize(session: Session, survey_id: int) -> None:
    """The round takes answers again (reopened): finalise it anew when it closes (no commit)."""
    session.execute(delete(FinalizedRound).where(FinalizedRound.survey_id == survey_id))
