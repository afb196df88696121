"""The release ledger: every number any output shows is a released cell (DESIGN §4).

Publishing stores, per release, one :class:`ReleasedCell` per unit subtree and period with every
additive measure of that cell and whether it is hidden. Outputs read released cells only, and a
released cell never changes: late answers, a reorganised tree or a changed threshold only go
into later releases, which are checked against every earlier one before they are stored.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column

from survey_app.db import Base

#: Release kinds: one calendar month of resident answers, or one closed staff round.
RESIDENT_MONTH = "resident-month"
STAFF_ROUND = "staff-round"


class Release(Base):
    """One publication: a resident month or a staff round, with the rules it was decided by."""

    __tablename__ = "release"
    __table_args__ = (UniqueConstraint("kind", "covers", name="uq_release_kind_covers"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``resident-month`` or ``staff-round``.
    kind: Mapped[str] = mapped_column(String(20))
    #: What it covers: the month label (``2026-03``) or ``round:<survey id>``.
    covers: Mapped[str] = mapped_column(String(40))
    #: First day of the resident month, or of the month in which the round closed.
    month: Mapped[date] = mapped_column(Date, index=True)
    #: The staff round (pulse survey) a ``staff-round`` release covers.
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id"))
    #: Helsinki day on which it was published.
    created_on: Mapped[date] = mapped_column(Date)
    #: Respondent threshold k in force when it was decided.
    threshold: Mapped[int] = mapped_column(Integer)
    #: The rest of the decision's configuration (method, prime, …), for the record.
    config: Mapped[dict] = mapped_column(JSON, default=dict)


class ReleasedCell(Base):
    """A unit subtree's numbers in one period of one release: shown or hidden, never changed.

    ``values`` holds every additive measure (``n``, ``c0``…``c10``, ``comments``,
    ``item:<id>:<value>``, ``channel:<name>``, ``m:<measure>:n|sum|sq``); ``members`` the unit
    ids of the subtree at release time, so that a later release is checked against the atoms
    this cell really summed (a unit's own answers in a month, or in a round).
    """

    __tablename__ = "released_cell"
    __table_args__ = (
        UniqueConstraint("release_id", "unit_id", "scope", "period",
                         name="uq_released_cell_release_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("release.id"), index=True)
    #: ``resident`` or ``staff``: which system of atoms the cell belongs to.
    survey_kind: Mapped[str] = mapped_column(String(10))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    #: ``subtree`` (the unit and everything below it) or ``own`` (the unit's own answers).
    scope: Mapped[str] = mapped_column(String(8), default="subtree")
    #: Period label (``2026-03``, ``2026-Q1``, ``2026-T1``, ``2026``); for a staff round the
    #: month in which it closed.
    period: Mapped[str] = mapped_column(String(10), index=True)
    #: The staff round, for staff cells.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("survey.id"))
    #: Respondents (answers of any kind) in the cell.
    n: Mapped[int] = mapped_column(Integer)
    hidden: Mapped[bool] = mapped_column(Boolean)
    #: Why hidden, for the record only (outputs say just "hidden"): ``primary`` or ``secondary``.
    reason: Mapped[str | None] = mapped_column(String(10))
    values: Mapped[dict] = mapped_column(JSON, default=dict)
    members: Mapped[list] = mapped_column(JSON, default=list)


class LedgerError(RuntimeError):
    """An attempt to change or delete a released cell or a release."""


@event.listens_for(Release, "before_update")
@event.listens_for(ReleasedCell, "before_update")
@event.listens_for(Release, "before_delete")
@event.listens_for(ReleasedCell, "before_delete")
def _refuse_change(mapper, connection, target) -> None:
    """The ledger is append-only: a released cell never changes afterwards."""
    raise LedgerError("released cells and releases never change; publish a new release instead")
