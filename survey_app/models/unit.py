"""Organisation units: a tree of service units and staff teams."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, String
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
    #: Names in further languages (``{"ru": …, "ar": …}``) from the units file's optional
    #: ``name_<lang>`` columns; fi, sv and en have their own columns.
    names: Mapped[dict | None] = mapped_column(JSON)
    #: The instrument's alternative recommendation wording this unit uses (``experience``
    #: for services people don't choose), or None for the recommendation question.
    wording: Mapped[str | None] = mapped_column(String(20))
    #: The language a kiosk of this unit returns to for the next visitor (None: the default).
    kiosk_lang: Mapped[str | None] = mapped_column(String(12))
    #: Residents of this unit are asked by SMS after a visit (opt-in, off by default).
    sms: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent", order_by="OrgUnit.code")

    def name(self, lang: str) -> str:
        """The unit's name in ``lang``; Finnish for languages without their own name."""
        return self._own_names().get(lang) or self.name_fi

    def name_and_language(self, lang: str) -> tuple[str, str]:
        """The name a resident sees for ``lang`` and the language it is written in.

        Fallback order: the language asked for, English, Finnish (residents who read
        neither Finnish nor Swedish more often read English).
        """
        own = self._own_names()
        for code in (lang, "en", "fi"):
            if own.get(code):
                return own[code], code
        return self.name_fi, "fi"

    def _own_names(self) -> dict[str, str]:
        return {"fi": self.name_fi, "sv": self.name_sv, "en": self.name_en, **(self.names or {})}

    @property
    def depth(self) -> int:
        """0 for a root."""
        return self.path.count("/") - 2

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code}>"
