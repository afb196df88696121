"""Surveys: open resident feedback collection, or a staff pulse round."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.db import Base, UtcDateTime
from survey_app.models.unit import OrgUnit


class SurveyKind(enum.StrEnum):
    """Resident feedback after a visit, or a staff pulse round."""

    RESIDENT = "resident"
    PULSE = "pulse"


class Survey(Base):
    """A collection over a unit subtree with one instrument version.

    For residents it stays open from ``opens_at`` until closed; a pulse round has fixed
    opening and closing moments and belongs to the period in which it closes.
    """

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Short public code (e.g. ``2026-03-pulse`` for a round), unique.
    code: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[SurveyKind] = mapped_column(
        Enum(SurveyKind, native_enum=False, length=10,
             values_callable=lambda e: [m.value for m in e]),
        index=True,
    )
    #: Root of the covered subtree.
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    instrument_key: Mapped[str] = mapped_column(String(60))
    instrument_version: Mapped[int] = mapped_column(Integer)
    #: Aware UTC moments. ``closes_at`` None means open until closed.
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    title: Mapped[str] = mapped_column(String(200), default="")

    unit: Mapped[OrgUnit] = relationship()

    def is_open(self, now: datetime) -> bool:
        """True between the opening and the closing moment."""
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)

    def __repr__(self) -> str:
        return f"<Survey {self.code} {self.kind}>"

