"""Used marks kept apart from the answers they stand for.

Storing an answer never touches the invitation. The order of events for one submission:

1. **Guard** (transaction A, its own connection): insert the invitation's pending guard
   (``guard_of``: a keyed hash that matches no invitation without the token key) and check
   that the invitation is not marked used. On PostgreSQL A stays open, holding a
   transaction-level advisory lock, so a simultaneous submission with the same link is
   refused at once instead of waiting; on SQLite (one writer at a time) A commits at once.
2. **Answer** (transaction B, the request's session): the response row and its aggregates,
   committed alone. B has no column, transaction id or statement in common with A.
3. A commits, and only then does the page say "thank you". If the process dies between B
   and A, the answer is kept and the guard is lost: that person could answer a second time.
   An acknowledged answer is never lost.
4. **Marks**: when ``2 × batch`` guards of one round and unit are pending, one transaction
   takes ``batch`` of them chosen at random, deletes them and flips their invitations to
   used. At least ``batch`` stay pending, so no batch is "the last few who answered", and
   the last group, written when the round is finalised, is never smaller than ``batch``
   either (unless the unit had fewer answers in all).

The guard table is UNLOGGED on PostgreSQL: it never reaches the WAL, archives, replicas or
base backups, and a database crash empties it (see ``PendingMark``). When Redis is
configured (``PULSE_GUARD_URL``, else a ``redis://`` ``RATELIMIT_STORAGE_URI``) the guards
live there instead (``redis_guards.py``) and the database holds nothing about a pending
mark at all; the steps are the same, with a Redis ``SET NX`` in place of transaction A.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, has_app_context
from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from survey_app.models import Invitation, PendingMark
from survey_app.services.pulse.redis_guards import RedisGuards
from survey_app.services.pulse.tokens import guard_of

log = logging.getLogger(__name__)
#: First key of the PostgreSQL advisory locks taken for pending guards ("PUL1").
LOCK_CLASS = 0x50554C31
_CHUNK = 1000


class GuardTaken(Exception):
    """The invitation is used, pending, or being answered by another request right now."""


def mark_batch(config) -> int:
    """Smallest batch of used marks written while a round is open (0: only at finalising).

    Never below the staff reporting threshold, so a batch is never smaller than a group
    whose results may be shown.
    """
    batch = int(config.get("PULSE_MARK_BATCH", 10))
    return 0 if batch <= 0 else max(batch, int(config.get("PRIVACY_MIN_STAFF", 5)))


def redis_guards() -> RedisGuards | None:
    """The current app's Redis guard store, or None when guards live in the database."""
    if not has_app_context():
        return None
    extensions = current_app.extensions
    if "pulse_guards" not in extensions:
        config = current_app.config
        url = str(config.get("PULSE_GUARD_URL") or config.get("RATELIMIT_STORAGE_URI") or "")
        extensions["pulse_guards"] = (
            RedisGuards(url, str(config.get("PULSE_GUARD_PREFIX", "survey:pulse:")))
            if url.startswith(("redis://", "rediss://")) else None)
    return extensions["pulse_guards"]


def guards_in_database() -> bool:
    """True when pending guards live in the database (no Redis configured)."""
    return redis_guards() is None


def is_pending(session: Session, invitation_hash: str, key: bytes) -> bool:
    """True while the invitation's used mark is pending."""
    guard = guard_of(invitation_hash, key)
    if (store := redis_guards()) is not None:
        return store.is_pending(guard)
    return session.scalar(select(PendingMark.guard).where(PendingMark.guard == guard)) is not None


@contextmanager
def claim(session: Session, invitation_hash: str, survey_id: int, unit_id: int,
          key: bytes) -> Iterator[None]:
    """Hold the invitation's guard while the body stores the answer; keep it afterwards.

    Raises ``GuardTaken`` before the body runs if the invitation cannot be used now. If the
    body raises, the guard is released (the invitation stays usable).
    """
    guard = guard_of(invitation_hash, key)
    if (store := redis_guards()) is not None:
        def is_used() -> bool:
            used = session.scalar(select(Invitation.used)
                                  .where(Invitation.token_hash == invitation_hash))
            session.rollback()
            return used is not False

        with store.claim(guard, survey_id, unit_id, is_used, GuardTaken):
            yield
        return
    engine = session.get_bind()
    holding = engine.dialect.name == "postgresql"
    with Session(engine) as claimer:
        _take(claimer, guard, invitation_hash, survey_id, unit_id, holding)
        try:
            yield
        except BaseException:
            _release(claimer, guard, holding)
            raise
        if holding:
            _keep(claimer)


def _take(claimer: Session, guard: str, invitation_hash: str, survey_id: int, unit_id: int,
          holding: bool) -> None:
    """Insert the guard and re-check the invitation in transaction A (GuardTaken if not)."""
    if holding and not claimer.scalar(select(func.pg_try_advisory_xact_lock(
            LOCK_CLASS, int(guard[:8], 16) - 2**31))):
        raise GuardTaken()
    dialect = postgresql if holding else sqlite
    inserted = claimer.scalar(dialect.insert(PendingMark).values(
        guard=guard, survey_id=survey_id, unit_id=unit_id).on_conflict_do_nothing()
        .returning(PendingMark.guard))
    used = claimer.scalar(select(Invitation.used).where(Invitation.token_hash == invitation_hash))
    if inserted is None or used is not False:
        claimer.rollback()
        raise GuardTaken()
    if not holding:
        claimer.commit()


def _release(claimer: Session, guard: str, holding: bool) -> None:
    """The answer was not stored: drop the guard so that the link still works."""
    if holding:
        claimer.rollback()
        return
    claimer.execute(delete(PendingMark).where(PendingMark.guard == guard))
    claimer.commit()


def _keep(claimer: Session) -> None:
    """Commit the guard; if that fails the stored answer stands (a second use becomes
    possible for this one link), so it is logged and not raised."""
    try:
        claimer.commit()
    except Exception:  # noqa: BLE001 - the answer is stored; only the guard is lost
        log.warning("a pending used mark could not be stored; its link may be used again")


def pending_count(session: Session, survey_id: int, unit_id: int | None = None) -> int:
    """Pending marks of a round (and unit)."""
    if (store := redis_guards()) is not None:
        return store.count(survey_id, unit_id)
    query = select(func.count()).select_from(PendingMark).where(
        PendingMark.survey_id == survey_id)
    if unit_id is not None:
        query = query.where(PendingMark.unit_id == unit_id)
    return int(session.scalar(query) or 0)


def flush_marks(session: Session, survey_id: int, unit_id: int, key: bytes,
                batch: int = 0) -> int:
    """Write pending marks of one round and unit; commits; returns how many were written.

    ``batch = 0`` writes them all (finalising). ``batch = k`` writes nothing unless at
    least 2k are pending, and then k of them chosen at random, so at least k stay pending.
    The guards are deleted and the invitations marked in one transaction; the UPDATE
    touches rows in storage order, which the shuffled creation order made random. Another
    flush that took some of the same guards meanwhile makes this one write nothing.
    """
    if (store := redis_guards()) is not None:
        return _flush_redis(store, session, survey_id, unit_id, key, batch)
    guards = list(session.scalars(select(PendingMark.guard).where(
        PendingMark.survey_id == survey_id, PendingMark.unit_id == unit_id)))
    if not guards or (batch and len(guards) < 2 * batch):
        session.rollback()
        return 0
    secrets.SystemRandom().shuffle(guards)
    if batch:
        guards = guards[:batch]
    deleted = sum(session.execute(delete(PendingMark).where(PendingMark.guard.in_(chunk)))
                  .rowcount for chunk in _chunks(guards))
    if deleted != len(guards):
        session.rollback()
        return 0
    marked = _mark_used(session, survey_id, unit_id, guards, key)
    session.commit()
    return marked


def _mark_used(session: Session, survey_id: int, unit_id: int, guards: list[str],
               key: bytes) -> int:
    """Flip the invitations of these guards to used (no commit); how many."""
    unused = session.scalars(select(Invitation.token_hash).where(
        Invitation.survey_id == survey_id, Invitation.unit_id == unit_id,
        Invitation.used.is_(False)))
    by_guard = {guard_of(value, key): value for value in unused}
    marked = [by_guard[guard] for guard in guards if guard in by_guard]
    for chunk in _chunks(marked):
        session.execute(update(Invitation).where(Invitation.token_hash.in_(chunk))
                        .values(used=True).execution_options(synchronize_session=False))
    return len(marked)


def _flush_redis(store: RedisGuards, session: Session, survey_id: int, unit_id: int,
                 key: bytes, batch: int) -> int:
    """``flush_marks`` with the guards in Redis: pop, mark, commit, then drop the guards."""
    guards = store.pop(survey_id, unit_id, batch)
    if not guards:
        return 0
    try:
        marked = _mark_used(session, survey_id, unit_id, guards, key)
        session.commit()
    except BaseException:
        session.rollback()
        store.put_back(survey_id, unit_id, guards)
        raise
    store.done(guards)
    return marked


def pending_by_survey(session: Session) -> dict[int, int]:
    """Pending marks per round id (for the used counts of listings)."""
    if (store := redis_guards()) is not None:
        return store.by_survey()
    return {survey: int(n) for survey, n in session.execute(
        select(PendingMark.survey_id, func.count()).group_by(PendingMark.survey_id))}


def flush_round(session: Session, survey_id: int, key: bytes) -> int:
    """Write every pending mark of a round, unit by unit, whatever their number; commits."""
    if (store := redis_guards()) is not None:
        units = store.units(survey_id)
    else:
        units = list(session.scalars(select(PendingMark.unit_id).where(
            PendingMark.survey_id == survey_id).distinct()))
    session.rollback()
    return sum(flush_marks(session, survey_id, unit, key) for unit in units)


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]
