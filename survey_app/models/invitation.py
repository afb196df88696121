"""Single-use staff invitations, stored only as keyed hashes, and their pending used marks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.db import Base, UtcDateTime


class Invitation(Base):
    """One invitation to a pulse round.

    Only a keyed hash of the token is kept (``services/pulse/tokens.py``); the key lives
    outside the database. ``used`` is not written when the answer is stored: the answer is
    committed alone, and the mark follows later in a shuffled batch of several marks of
    the same round and unit, or when the round is finalised (``services/pulse/marks.py``).
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    #: Hex HMAC-SHA256 (token key) of the token's SHA-256; never the token or a plain hash.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PendingMark(Base):
    """A used mark not yet written: the guard that stops a second use meanwhile.

    The guard is another keyed hash (``guard_of``), so without the token key a row matches
    no invitation. On PostgreSQL the table is UNLOGGED (migration 0003): its rows never
    reach the write-ahead log, WAL archives, replicas or base backups, and a crash of the
    database server empties it (a pending invitation may then be used a second time; no
    answer is lost). No time is stored.
    """

    __tablename__ = "invitation_pending"

    #: Hex HMAC-SHA256 (token key) of the invitation's hash.
    guard: Mapped[str] = mapped_column(String(64), primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))


class FinalizedRound(Base):
    """A closed round whose marks are written and whose rows were re-stored in random order.

    ``finalize_closed_rounds`` skips these; reopening a round removes its row.
    """

    __tablename__ = "round_finalized"

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), primary_key=True)
