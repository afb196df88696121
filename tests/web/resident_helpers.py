"""Shared helpers of the resident questionnaire tests."""

from __future__ import annotations

from sqlalchemy import func, select

from survey_app.models import ResidentDaily, ResidentItemDaily, Response

#: A complete, valid answer.
VALID = {"recommend": "9", "timely_access": "4", "listened_to": "5", "safety": "cannot-say",
         "clear_information": "3", "useful": "5", "comment": ""}


def count_rows(session, model=Response) -> int:
    """Rows in a table, read fresh."""
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def nothing_stored(session) -> bool:
    """No response and no aggregate row exists."""
    return all(count_rows(session, model) == 0
               for model in (Response, ResidentDaily, ResidentItemDaily))
