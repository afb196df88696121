"""Per-unit counters of reach events (never per person): one upsert per (unit, day, event)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from survey_app.models import OrgUnit, ReachCount
from survey_app.periods import helsinki_day


def add_counts(session: Session, now: datetime, kind: str, events: Counter) -> None:
    """Add ``events`` (``{(unit_id, event): n}``) to today's counters (flushes, no commit)."""
    if not events:
        return
    rows = [{"unit_id": unit_id, "day": helsinki_day(now), "kind": kind, "event": event, "n": n}
            for (unit_id, event), n in sorted(events.items()) if n]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ReachCount)
    statement = statement.on_conflict_do_update(
        index_elements=["unit_id", "day", "kind", "event"],
        set_={"n": ReachCount.n + statement.excluded.n})
    session.execute(statement, rows)


def totals_by_unit(session: Session, kind: str | None = None,
                   since=None) -> dict[int, Counter]:
    """Event totals per unit id (optionally of one kind, from a day on)."""
    query = select(ReachCount.unit_id, ReachCount.event, func.sum(ReachCount.n)).group_by(
        ReachCount.unit_id, ReachCount.event)
    if kind:
        query = query.where(ReachCount.kind == kind)
    if since is not None:
        query = query.where(ReachCount.day >= since)
    totals: dict[int, Counter] = {}
    for unit_id, event, n in session.execute(query):
        totals.setdefault(unit_id, Counter())[event] = int(n)
    return totals


#: Kannel delivery-report types: 1 delivered, 2 failed, 16 rejected by the SMSC.
DLR_EVENTS = {1: "delivered", 2: "undelivered", 16: "undelivered"}


def count_delivery_report(session: Session, now: datetime, unit_id: int, kind: int) -> bool:
    """Count a delivery report for the unit (commits); False for types not counted."""
    event = DLR_EVENTS.get(kind)
    if event is None or session.get(OrgUnit, unit_id) is None:
        return False
    add_counts(session, now, "sms", Counter({(unit_id, event): 1}))
    session.commit()
    return True
