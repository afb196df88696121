"""What the admin sees of reach: opt-ins, counts per unit, outbox states; and the opt-in switch."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.models import OrgUnit, OutboxMessage, UnitKind
from survey_app.services.audit import record
from survey_app.services.reach.counts import totals_by_unit
from survey_app.services.units import get_unit, list_units

#: Counters shown per unit.
EVENTS = ("queued", "skipped_recent", "skipped_unit", "sent", "retried", "dead", "expired",
          "unsure", "delivered", "undelivered")


@dataclass(frozen=True, slots=True)
class UnitReach:
    """A resident unit's opt-in and its SMS and e-mail counters."""

    unit: OrgUnit
    sms: Counter
    email: Counter


def unit_overview(session: Session, today: date, days: int = 30) -> list[UnitReach]:
    """Resident units in tree order with their counters since ``days`` ago."""
    since = today - timedelta(days=days - 1)
    sms = totals_by_unit(session, "sms", since)
    email = totals_by_unit(session, "email", since)
    return [UnitReach(unit, sms.get(unit.id, Counter()), email.get(unit.id, Counter()))
            for unit in list_units(session) if unit.kind != UnitKind.STAFF or unit.id in email]


def outbox_states(session: Session) -> dict[tuple[str, str], int]:
    """Messages per (kind, state) now in the outbox."""
    rows = session.execute(select(OutboxMessage.kind, OutboxMessage.state, func.count())
                           .group_by(OutboxMessage.kind, OutboxMessage.state))
    return {(kind, state): count for kind, state, count in rows}


def set_sms(session: Session, code: str, enabled: bool, actor: str) -> OrgUnit:
    """Turn the unit's SMS asks on or off (audited, also when it was already so)."""
    unit = get_unit(session, code)
    unchanged = "" if unit.sms != enabled else " (unchanged)"
    unit.sms = enabled
    record(session, actor, "units.sms", f"{unit.code} {'on' if enabled else 'off'}{unchanged}")
    session.commit()
    return unit
