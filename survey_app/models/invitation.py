"""Single-use staff invitations, stored only as hashes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.db import Base, UtcDateTime


class Invitation(Base):
    """One invitation to a pulse round.

    Only the SHA-256 of the token is kept. Using it flips ``used`` in the same transaction
    that stores the answer; nothing (no id, time or order) links the two rows.
    """

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    #: Hex SHA-256 of the URL-safe token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
