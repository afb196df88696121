"""Audit log of administrative actions and exports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.db import Base, UtcDateTime


class AuditEvent(Base):
    """Who did what, when. Never holds answers, comments or tokens."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    #: Username, ``cli`` or ``api:<token name>``.
    actor: Mapped[str] = mapped_column(String(120))
    #: Dotted action name, e.g. ``units.import``, ``export.csv``, ``round.open``.
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(Text, default="")
