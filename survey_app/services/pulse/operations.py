"""Pulse operations for the admin pages: overlapping rounds, the closing minute, live rates.

A round "closing 14.12." is stored as closing at the Helsinki midnight after the 14th; what
people are shown is the last minute answers are accepted, 14.12. 23:59, never 15.12. 0:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from survey_app.models import Invitation, OrgUnit, StaffRound, Survey, SurveyKind
from survey_app.periods import HELSINKI
from survey_app.services.units import get_unit, subtree


def closing_minute(moment: datetime | None) -> datetime | None:
    """The last minute a round accepts answers: a minute before a Helsinki midnight close."""
    if moment is None:
        return None
    if moment.astimezone(HELSINKI).time() == time(0, 0):
        return moment - timedelta(minutes=1)
    return moment


def overlapping_rounds(session: Session, unit_code: str, opens_at: datetime,
                       closes_at: datetime, now: datetime) -> list[Survey]:
    """Rounds not yet closed whose time and units overlap a new round's (any unit shared)."""
    unit = get_unit(session, unit_code)
    candidates = session.scalars(select(Survey).join(OrgUnit, OrgUnit.id == Survey.unit_id).where(
        Survey.kind == SurveyKind.PULSE,
        or_(Survey.closes_at.is_(None), Survey.closes_at > now),
        or_(Survey.closes_at.is_(None), Survey.closes_at > opens_at),
        Survey.opens_at < closes_at).order_by(Survey.code))
    return [survey for survey in candidates
            if survey.unit.path.startswith(unit.path) or unit.path.startswith(survey.unit.path)]


@dataclass(frozen=True, slots=True)
class UnitRate:
    """Invitations and answers of one unit of a running round; answers None below k."""

    unit: OrgUnit
    invitations: int
    answers: int | None

    @property
    def rate(self) -> float | None:
        """Answers ÷ invitations, or None when hidden or nothing was sent."""
        if self.answers is None or not self.invitations:
            return None
        return self.answers / self.invitations


def response_rates(session: Session, survey: Survey, threshold: int) -> list[UnitRate]:
    """Per unit of the round with invitations: invitations made, answers (hidden below k)."""
    invitations = dict(session.execute(
        select(Invitation.unit_id, func.count()).where(Invitation.survey_id == survey.id)
        .group_by(Invitation.unit_id)).all())
    answers = dict(session.execute(
        select(StaffRound.unit_id, StaffRound.n).where(StaffRound.survey_id == survey.id)).all())
    rates = []
    for unit in subtree(session, survey.unit, active_only=False):
        if unit.id not in invitations and unit.id not in answers:
            continue
        n = int(answers.get(unit.id, 0))
        rates.append(UnitRate(unit, int(invitations.get(unit.id, 0)),
                              n if n >= threshold else None))
    return rates
