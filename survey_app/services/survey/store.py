"""Store one resident answer with its aggregates: the hot path of the questionnaire.

A submission goes to a :class:`Target`, the unit and the open survey that collects its
answers. The view may keep targets for a few seconds (:class:`TargetCache`); the write never
trusts them: in the same statement (PostgreSQL) or transaction (SQLite) it checks again that
the survey is still open at ``now`` and the unit still takes resident feedback under that
code. When the check fails nothing is stored, :func:`submit_response` returns None and the
caller looks the unit up afresh (which answers 404 or 410 as usual). So a cached target can
delay by at most the cache's lifetime the switch to a *newer, deeper* survey opened for the
unit, and can never put an answer into a closed survey or an inactive unit.

PostgreSQL: one statement in autocommit mode, a data-modifying ``WITH``::

    WITH target AS (SELECT survey.id … still open, unit still public),
         stored AS (INSERT INTO response … SELECT … FROM target RETURNING …),
         daily  AS (INSERT INTO resident_daily … SELECT … FROM stored ON CONFLICT DO UPDATE …),
         monthly AS (… resident_monthly …), items AS (… resident_item_daily … unnest(…))
    SELECT count(*) FROM target

A form sent twice carries the same response id (see :mod:`.followup`): the second insert
does nothing (``ON CONFLICT (id) DO NOTHING``), so no aggregate moves, and the answer counts
as stored because the target still holds.

A single statement is a single transaction: answer and aggregates commit together or not at
all, in one round trip to the server (the pool checks a connection without one; see
:func:`survey_app.db.make_engine`). SQLite has no data-modifying ``WITH``: there the same
rows are written with the same rules (:func:`survey_app.services.aggregates.add_resident`)
in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from threading import Lock

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from survey_app.db import UtcDateTime
from survey_app.models import (
    OrgUnit,
    ResidentDaily,
    ResidentItemDaily,
    ResidentMonthly,
    Response,
    Survey,
    SurveyKind,
    UnitKind,
)
from survey_app.models.response import random_id
from survey_app.periods import helsinki_day
from survey_app.privacy import redact_comment
from survey_app.services.aggregates import add_resident, item_values, score_increments
from survey_app.services.survey.responses import CHANNELS, Answers
from survey_app.services.survey.surveys import open_survey_for_unit, public_unit


@dataclass(frozen=True, slots=True)
class Target:
    """The unit an answer is about and the open survey that collects it."""

    unit_id: int
    unit_code: str
    survey_id: int
    instrument_key: str
    instrument_version: int

    @classmethod
    def of(cls, unit: OrgUnit, survey: Survey) -> Target:
        """The target of a unit and its open survey (as found by ``open_survey_for_unit``)."""
        return cls(unit.id, unit.code, survey.id, survey.instrument_key,
                   survey.instrument_version)


class TargetCache:
    """Targets by unit code for ``seconds`` (0 turns the cache off); one per application.

    Only a hint: :func:`submit_response` re-checks every target it writes to. ``clock`` is
    the monotonic clock the entries expire by (a test moves it relative to the real one).
    """

    def __init__(self, seconds: float, max_entries: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[str, tuple[float, Target]] = {}
        self._lock = Lock()

    def get(self, code: str) -> Target | None:
        """The target kept for ``code``, or None when absent or expired."""
        entry = self._entries.get(code)
        if entry is None or entry[0] < self.clock():
            return None
        return entry[1]

    def put(self, target: Target) -> None:
        """Keep ``target`` for ``seconds`` (the oldest half goes when the cache is full)."""
        if self.seconds <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.max_entries:
                for code in list(self._entries)[: self.max_entries // 2]:
                    del self._entries[code]
            self._entries[target.unit_code] = (self.clock() + self.seconds, target)

    def forget(self, code: str) -> None:
        """Drop what is kept for ``code`` (its target no longer held)."""
        with self._lock:
            self._entries.pop(code, None)


#: Channel of answers given through a single-use link that was spent with them (an SMS or
#: e-mail the service sent); no ``?ch=`` can produce it.
INVITED = "invited"


def submit_response(session: Session, target: Target, language: str, channel: str,
                    answers: Answers, now: datetime | None = None,
                    response_id: str | None = None,
                    spend: Callable[[Session], None] | None = None) -> Response | None:
    """Store the redacted answer and its aggregates atomically (commits).

    Returns the stored row (detached), or None, with nothing stored, when the target no
    longer holds: the survey closed or the unit was deactivated, recoded or made staff-only.
    ``response_id`` (from the form's handle, see :mod:`.followup`) makes a resent form
    idempotent: when a response with that id exists, nothing more is stored and the answer
    counts as stored. ``spend`` (reach links) runs inside the same transaction before the
    answer is written and raises to refuse it; the answer is then stored with channel
    ``invited``.
    """
    now = now or datetime.now(UTC)
    comment = redact_comment(answers.comment) if answers.comment.strip() else ""
    if spend is not None:
        channel = INVITED
    values = {"id": response_id or random_id(), "survey_id": target.survey_id,
              "unit_id": target.unit_id,
              "day": helsinki_day(now), "language": language,
              "channel": channel if channel in CHANNELS or spend else "web",
              "score": answers.score,
              "answers": dict(answers.items), "qwl_index": None, "comment": comment or None}
    response = Response(**values)
    check = {"unit_code": target.unit_code, "now": now}
    if session.get_bind().dialect.name == "postgresql" and spend is None:
        stored = _store_postgresql(session, response, check)
    else:
        stored = _store_in_transaction(session, response, values, check, spend)
    return response if stored else None


def _store_postgresql(session: Session, response: Response, check: dict) -> bool:
    items = item_values(response.answers)
    params = {**check, "id": response.id, "survey_id": response.survey_id,
              "unit_id": response.unit_id, "day": response.day,
              "month": response.day.replace(day=1), "language": response.language,
              "channel": response.channel, "score": response.score,
              "answers": response.answers, "comment": response.comment,
              "items": [item for item, _ in items], "values": [value for _, value in items],
              **_all_increments(response)}
    # A connection of its own in autocommit mode: the one statement is the transaction.
    with session.get_bind().connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        return connection.execute(_postgresql_statement(), params).scalar_one() == 1


def _store_in_transaction(session: Session, response: Response, values: dict,
                          check: dict, spend: Callable[[Session], None] | None = None) -> bool:
    try:
        if session.execute(_still_open(), {**check, "survey_id": response.survey_id,
                                           "unit_id": response.unit_id}).first() is None:
            session.rollback()
            return False
        if spend is not None:
            spend(session)
        insert_for = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        inserted = session.execute(
            insert_for(Response.__table__).values(values).on_conflict_do_nothing(
                index_elements=["id"]))
        if inserted.rowcount == 0:
            session.rollback()     # the same form sent again: stored once already
            return True
        add_resident(session, response)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return True


def _all_increments(response: Response) -> dict[str, int]:
    """Every count column's increment for this answer (absent ones are 0)."""
    increments = score_increments(response.score, bool(response.comment))
    return {name: increments.get(name, 0) for name in _count_columns(ResidentDaily)}


@cache
def _count_columns(model) -> tuple[str, ...]:
    keys = {column.name for column in model.__table__.primary_key.columns}
    return tuple(c.name for c in model.__table__.columns if c.name not in keys)


#: The survey's id while it is open at ``:now`` and the unit, under ``:unit_code``, still takes
#: resident feedback: the re-check of a target, the same SQL on both backends.
_STILL_OPEN = f"""SELECT s.id FROM survey s JOIN org_unit u ON u.id = :unit_id
  WHERE s.id = :survey_id AND s.kind = '{SurveyKind.RESIDENT.value}' AND s.opens_at <= :now
    AND (s.closes_at IS NULL OR s.closes_at > :now) AND u.code = :unit_code AND u.active
    AND u.kind <> '{UnitKind.STAFF.value}'"""


@cache
def _still_open() -> TextClause:
    return text(_STILL_OPEN).bindparams(bindparam("now", type_=UtcDateTime()))


@cache
def _postgresql_statement() -> TextClause:
    """The one-statement write described in the module docstring (built once).

    Plain SQL from the models' column lists, short enough (under 4 KB) for psycopg to cache
    its conversion; the server prepares it after a few runs.
    """
    increments = ", ".join(f":{name}" for name in _count_columns(ResidentDaily))
    sql = f"""WITH target AS ({_STILL_OPEN}),
stored AS (
  INSERT INTO response (id, survey_id, unit_id, day, language, channel, score, answers, comment)
  SELECT :id, target.id, :unit_id, :day, :language, :channel, CAST(:score AS smallint),
         :answers, :comment FROM target
  ON CONFLICT (id) DO NOTHING
  RETURNING survey_id, unit_id, day, channel),
daily AS ({_upsert(ResidentDaily,
                   f"SELECT survey_id, unit_id, day, channel, {increments} FROM stored")}),
monthly AS ({_upsert(ResidentMonthly,
                     f"SELECT survey_id, unit_id, :month, {increments} FROM stored")}),
items AS ({_upsert(ResidentItemDaily,
                   "SELECT survey_id, unit_id, day, p.item, p.value, 1 FROM stored, "
                   "unnest(CAST(:items AS varchar[]), CAST(:values AS smallint[])) "
                   "AS p(item, value)")})
SELECT count(*) FROM target"""
    return text(sql).bindparams(bindparam("answers", type_=Response.__table__.c.answers.type),
                                bindparam("now", type_=UtcDateTime()))


def _upsert(model, source: str) -> str:
    """INSERT … ``source`` … ON CONFLICT (primary key) DO UPDATE adding the counts."""
    keys = [column.name for column in model.__table__.primary_key.columns]
    counts = _count_columns(model)
    added = ", ".join(f"{name} = t.{name} + excluded.{name}" for name in counts)
    return (f"INSERT INTO {model.__tablename__} AS t ({', '.join([*keys, *counts])}) {source} "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}")

def find_target(session: Session, code: str, cache: TargetCache | None = None) -> Target:
    """The target for a unit code: kept in ``cache`` or looked up (NotFound, Gone as usual)."""
    target = cache.get(code) if cache is not None else None
    if target is None:
        unit = public_unit(session, code)
        target = Target.of(unit, open_survey_for_unit(session, unit))
        if cache is not None:
            cache.put(target)
    return target
