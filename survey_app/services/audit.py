"""Audit log writes and reads."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.models import AuditEvent


def record(session: Session, actor: str, action: str, detail: str = "") -> AuditEvent:
    """Add an audit event to the session; the caller's commit stores it with the action."""
    event = AuditEvent(at=datetime.now(UTC), actor=actor, action=action, detail=detail[:2000])
    session.add(event)
    return event


def recent(session: Session, limit: int = 200, offset: int = 0) -> list[AuditEvent]:
    """Newest events first."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    return list(session.scalars(query.limit(limit).offset(offset)))


def record_now(session: Session, actor: str, action: str, detail: str = "") -> AuditEvent:
    """Store an event in a commit of its own (for actions that change nothing else)."""
    event = record(session, actor, action, detail)
    session.commit()
    return event


def record_refusal(session: Session, actor: str, action: str, reason: str) -> AuditEvent:
    """Store, in a transaction of its own, that an action was asked for and refused."""
    session.rollback()
    return record_now(session, actor, f"{action}.refused"[:60], reason)
