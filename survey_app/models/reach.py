"""Reaching people: the outbox of SMS and e-mail, single-use SMS codes, ask memory, counts.

What is kept, and why it cannot name anyone (DESIGN §4, README "Reaching people"):

- :class:`OutboxMessage` holds a phone number (SMS) or a sealed address (e-mail) only until the
  gateway accepts the message; then the recipient columns are emptied. An SMS outbox row never
  holds the message text or the code: the worker makes the code and the text in memory.
- :class:`SmsCode` holds the keyed hash of a code with its unit, language and expiry, never a
  number; nothing (no id, no time) links it to an outbox row.
- :class:`AskedRecently` holds the keyed hash of a number until the ask interval ends.
- :class:`ReachCount` counts queued, sent, failed and delivered messages per unit and day.
- :class:`MailRecipient` keeps (address, token) sealed with a key outside the database for the
  round's reminders, and is deleted when the round closes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.db import Base, UtcDateTime

#: Outbox states: waiting, taken by a worker (committed before sending), accepted by the
#: gateway, given up for good (dead letter), or too late to be worth sending.
QUEUED, CLAIMED, SENT, DEAD, EXPIRED = "queued", "claimed", "sent", "dead", "expired"


class OutboxMessage(Base):
    """One message to send: an SMS after a visit or an e-mail invitation or reminder."""

    __tablename__ = "reach_outbox"
    __table_args__ = (Index("ix_reach_outbox_state_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``sms`` or ``email``.
    kind: Mapped[str] = mapped_column(String(8))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    language: Mapped[str] = mapped_column(String(12))
    #: E.164 number of an SMS; emptied when the gateway accepts (or the message is given up).
    recipient: Mapped[str | None] = mapped_column(String(32))
    #: E-mail only: Fernet-sealed JSON (address, link, subject kind); emptied like ``recipient``.
    sealed: Mapped[str | None] = mapped_column(Text)
    #: The pulse round of an e-mail; None for an SMS.
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id"), index=True)
    state: Mapped[str] = mapped_column(String(8), default=QUEUED)
    #: Not before this moment (the visit, moved out of quiet hours; a retry's back-off).
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Not after this moment (visit + SMS_DELAY): a later SMS is not sent at all.
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Short error class of the last attempt (``http 503``, ``smtp 451``), never an address.
    last_error: Mapped[str | None] = mapped_column(String(60))


class SmsCode(Base):
    """A single-use code of an SMS link, by its keyed hash only."""

    __tablename__ = "reach_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    language: Mapped[str] = mapped_column(String(12))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    #: Set in the transaction that stores the answer.
    spent: Mapped[bool] = mapped_column(Boolean, default=False)


class AskedRecently(Base):
    """A number (keyed hash) that was asked and may not be asked again before ``expires_at``."""

    __tablename__ = "reach_asked"

    number_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class ReachCount(Base):
    """How many messages of a kind had an event, per unit and Helsinki day."""

    __tablename__ = "reach_count"

    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: ``queued``, ``skipped_recent``, ``skipped_unit``, ``sent``, ``retried``, ``dead``,
    #: ``expired``, ``delivered``, ``undelivered``.
    event: Mapped[str] = mapped_column(String(16), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class MailRecipient(Base):
    """A staff member invited by e-mail: (address, token) sealed, kept until the round closes."""

    __tablename__ = "reach_mail_recipient"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    language: Mapped[str] = mapped_column(String(12))
    #: Fernet token of ``{"email": …, "token": …}``.
    sealed: Mapped[str] = mapped_column(Text)
    #: Keyed hash of the address within the round, so one upload cannot invite a person twice.
    address_hash: Mapped[str] = mapped_column(String(64))
