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
