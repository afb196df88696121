"""Builders for the comment tests: raw comments on response rows, and a published county."""

from __future__ import annotations

from datetime import date

from survey_app.models import Response


def add_comments(session, survey, unit, day: date | None, count: int, *, language="fi",
                 score: int | None = 8, prefix: str | None = None, start: int = 0):
    """``count`` answers with comments ``<prefix> #<i>`` (prefix: the unit code)."""
    prefix = prefix or unit.code
    texts = [f"{prefix} #{i}" for i in range(start, start + count)]
    session.add_all([Response(survey_id=survey.id, unit_id=unit.id, day=day, language=language,
                              channel="web" if day else None, score=score, answers={},
                              comment=text) for text in texts])
    session.commit()
    return texts
