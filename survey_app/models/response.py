"""One anonymous answer to a questionnaire.

By construction the row can hold nothing identifying (DESIGN §4): a random id, the unit,
the **day** for residents (no time), the round alone for staff (no day at all), the
language and channel, the answers and a comment that was redacted before it got here.
There is no IP, user agent, cookie, token, invitation or visit reference, and no timestamp.
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.db import Base


def random_id() -> str:
    """128 random bits as hex: ids carry no order that could be joined on."""
    return secrets.token_hex(16)


class Response(Base):
    """A submitted questionnaire."""

    __tablename__ = "response"
    __table_args__ = (
        Index("ix_response_survey_unit_day", "survey_id", "unit_id", "day"),
        # Comments not yet released (publishing moves them into batches and clears them
        # here): the nightly publish finds them without scanning every answer.
        Index("ix_response_pending_comment", "survey_id",
              postgresql_where=text("comment IS NOT NULL"),
              sqlite_where=text("comment IS NOT NULL")),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    #: Calendar day in Europe/Helsinki for residents; None for staff (the round is the period).
    day: Mapped[date | None] = mapped_column(Date)
    #: Questionnaire language code (``fi``, ``ar``, ``fi-x-selko`` …); None when not kept.
    language: Mapped[str | None] = mapped_column(String(12))
    #: ``sms``, ``qr``, ``kiosk``, ``web``, ``email``, ``paper``; None for staff.
    channel: Mapped[str | None] = mapped_column(String(8))
    #: The 0–10 recommendation (NPS for residents, eNPS for staff); None if not answered.
    score: Mapped[int | None] = mapped_column(SmallInteger)
    #: Other items by instrument item id; value None means "cannot say".
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    #: Per-person QWL index 0–100 (staff), from the active per-person rule.
    qwl_index: Mapped[float | None] = mapped_column(Float)
    #: Already redacted free text.
    comment: Mapped[str | None] = mapped_column(Text)
