"""Released comments: frozen, non-overlapping batches of one unit's own comments.

Publishing (:mod:`survey_app.services.comments`) moves each comment's redacted text out of
its response row into exactly one batch and blanks it on the row, so a released comment is
stored apart from the day, channel and answers it came with. A batch is written once and
never changed: retention deletes it whole or keeps it whole (issue 12, section 4).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.db import Base

#: Indexes that only the migrations create (PostgreSQL full-text search: an expression index
#: SQLite cannot hold); schema comparison leaves them out.
MIGRATION_ONLY_INDEXES = frozenset({"ix_released_comment_text_fts"})


def include_in_autogenerate(_object, name, type_, _reflected, _compare_to) -> bool:
    """Alembic ``include_object``: everything except :data:`MIGRATION_ONLY_INDEXES`."""
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


class CommentBatch(Base):
    """At least ``PRIVACY_MIN_COMMENTS`` comments of one unit over a span of whole months."""

    __tablename__ = "comment_batch"
    __table_args__ = (Index("ix_comment_batch_unit_kind_month", "unit_id", "kind",
                            "last_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The unit whose *own* comments these are (never a subtree).
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    #: ``resident`` or ``pulse`` (the survey kind the comments answered).
    kind: Mapped[str] = mapped_column(String(10))
    #: First day of the first and of the last month the comments were written in: the only
    #: date a batch carries.
    first_month: Mapped[date] = mapped_column(Date)
    last_month: Mapped[date] = mapped_column(Date)
    #: The day the batch was published (kept for the operator; never shown in reports).
    released_on: Mapped[date] = mapped_column(Date)
    size: Mapped[int] = mapped_column(Integer)
    #: The language codes its comments are shown with (those with at least k comments in the
    #: batch), space-separated and sorted; empty when none is shown.
    languages: Mapped[str] = mapped_column(String(200), default="", server_default="")

    comments: Mapped[list[ReleasedComment]] = relationship(
        back_populates="batch", order_by="ReleasedComment.position",
        cascade="all, delete-orphan", passive_deletes=True)


class ReleasedComment(Base):
    """One redacted comment in its batch, with only the labels the batch rules allow."""

    __tablename__ = "released_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("comment_batch.id", ondelete="CASCADE"), index=True)
    #: Place in the batch, drawn at random once at publication (not submission order).
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    #: Language code, kept only when at least k comments of the batch share it; else None.
    language: Mapped[str | None] = mapped_column(String(12))
    #: ``detractor``, ``passive`` or ``promoter`` of the 0–10 answer, kept only when the
    #: batch's label classes all hold 0 or at least k comments; else None.
    score_group: Mapped[str | None] = mapped_column(String(10))

    batch: Mapped[CommentBatch] = relationship(back_populates="comments")
