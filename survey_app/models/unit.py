"""Organisation units: a tree of service units and staff teams."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, Enum, ForeignKey, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.db import Base


class UnitKind(enum.StrEnum):
    """Who answers about a unit: residents, staff, or both."""

    RESIDENT = "resident"
    STAFF = "staff"
    BOTH = "both"


class OrgUnit(Base):
    """One node of the county's organisation tree."""

    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable public code used in URLs, CSV files and the API (e.g. ``KAJ-TK-VO``).
    code: Mapped[str] = mapped_column(String(40), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    #: Materialised path of ids, ``/1/4/17/``, so a subtree is one indexed LIKE.
    path: Mapped[str] = mapped_column(String(400), index=True, default="/")
    name_fi: Mapped[str] = mapped_column(String(200))
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(
        Enum(UnitKind, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Residents of this unit are asked by SMS after a visit (opt-in, off by default).
    sms: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent", order_by="OrgUnit.code")

    def name(self, lang: str) -> str:
        """The unit's name in ``lang``; Finnish for languages without their own name."""
        return {"sv": self.name_sv, "en": self.name_en}.get(lang) or self.name_fi

    @property
    def depth(self) -> int:
        """0 for a root."""
        return self.path.count("/") - 2

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code}>"
