"""Pulse rounds: ``Survey(kind=pulse)`` rows with fixed opening and closing moments.

Moments are given in Europe/Helsinki (a round opens at 8:00 local time whatever the season)
and stored as aware UTC. A round's state follows from the clock alone: scheduled before it
opens, open until it closes, closed afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from survey_app.errors import Conflict, InvalidInput, NotFound
from survey_app.instruments import InstrumentError, latest, load_instrument
from survey_app.models import Invitation, Survey, SurveyKind
from survey_app.services.audit import record
from survey_app.services.pulse.finalize import finalize_round, unfinalize
from survey_app.services.pulse.marks import pending_by_survey
from survey_app.services.pulse.tokens import token_key
from survey_app.services.units import get_unit

HELSINKI = ZoneInfo("Europe/Helsinki")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$")
SCHEDULED, OPEN, CLOSED = "scheduled", "open", "closed"


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """A round as plain data for listings."""

    code: str
    unit_code: str
    instrument: str
    opens_at: datetime
    closes_at: datetime | None
    state: str
    invitations: int
    used: int


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime:
    """``YYYY-MM-DD[ HH:MM]`` in Europe/Helsinki → aware UTC.

    A bare date means its start (00:00), or with ``end_of_day`` the start of the next day,
    so "closes 2026-03-15" keeps the round open through the 15th.
    """
    text = (text or "").strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text) + timedelta(days=1 if end_of_day else 0)
            local = datetime.combine(day, time(0, 0))
        else:
            local = datetime.fromisoformat(text.replace("T", " "))
            if local.tzinfo is not None:
                return local.astimezone(UTC)
    except ValueError:
        raise InvalidInput(_("Not a date or time: %(text)s (use YYYY-MM-DD or YYYY-MM-DD HH:MM).",
                             text=text)) from None
    return local.replace(tzinfo=HELSINKI).astimezone(UTC)


def round_state(survey: Survey, now: datetime) -> str:
    """``scheduled``, ``open`` or ``closed`` at ``now``."""
    if now < survey.opens_at:
        return SCHEDULED
    closes = survey.closes_at
    return OPEN if closes is None or now < closes else CLOSED


def get_round(session: Session, code: str) -> Survey:
    """The pulse round with this code, or NotFound."""
    survey = session.scalar(select(Survey).where(Survey.code == code,
                                                 Survey.kind == SurveyKind.PULSE))
    if survey is None:
        raise NotFound(_("No pulse round with the code %(code)s.", code=code))
    return survey


def create_round(session: Session, code: str, unit_code: str, opens_at: datetime,
                 closes_at: datetime, instrument: tuple[str, int] | None = None,
                 title: str = "", actor: str = "cli") -> Survey:
    """Create a round over a unit subtree; closing must come after opening."""
    if not CODE_PATTERN.match(code or ""):
        raise InvalidInput(_("Bad round code %(code)s: use 1–60 letters, digits, '-', '_' or '.'.",
                             code=repr(code)))
    if closes_at <= opens_at:
        raise InvalidInput(_("A round must close after it opens."))
    if session.scalar(select(Survey.id).where(Survey.code == code)) is not None:
        raise Conflict(_("The code %(code)s is already in use.", code=code))
    unit = get_unit(session, unit_code)
    try:
        spec = load_instrument(*instrument) if instrument else latest(SurveyKind.PULSE.value)
    except InstrumentError as error:
        raise InvalidInput(str(error)) from None
    if spec.kind != SurveyKind.PULSE.value:
        raise InvalidInput(_("The instrument %(key)s is not a pulse instrument.", key=spec.key))
    survey = Survey(code=code, kind=SurveyKind.PULSE, unit_id=unit.id, instrument_key=spec.key,
                    instrument_version=spec.version, opens_at=opens_at, closes_at=closes_at,
                    title=title[:200])
    session.add(survey)
    record(session, actor, "round.create",
           f"round {code} unit {unit.code} instrument {spec.key} v{spec.version} "
           f"opens {opens_at.isoformat()} closes {closes_at.isoformat()}")
    session.commit()
    return survey


def open_round(session: Session, code: str, now: datetime, until: datetime | None = None,
               actor: str = "cli") -> Survey:
    """Open a round now (a scheduled one early, a closed one again with a new ``until``)."""
    survey = get_round(session, code)
    closes = until or survey.closes_at
    if closes is not None and closes <= now:
        raise InvalidInput(_("The round %(code)s has closed; give a new closing time to reopen it.",
                             code=code))
    if now < survey.opens_at:
        survey.opens_at = now
    survey.closes_at = closes
    unfinalize(session, survey.id)
    record(session, actor, "round.open",
           f"round {code} closes {closes.isoformat() if closes else 'never'}")
    session.commit()
    return survey


def close_round(session: Session, code: str, now: datetime, actor: str = "cli") -> Survey:
    """Close a round now and finalise it (``finalize.py``): its last used marks are written
    and its invitations and answers re-stored in random order, so that neither storage
    order nor transaction ids pair an answer with an invitation."""
    survey = get_round(session, code)
    if round_state(survey, now) == CLOSED:
        raise Conflict(_("The round %(code)s is already closed.", code=code))
    if now < survey.opens_at:
        survey.opens_at = now
    survey.closes_at = now
    record(session, actor, "round.close", f"round {code}")
    session.commit()
    finalize_round(session, survey.id, token_key(), actor)
    return survey


def list_rounds(session: Session, now: datetime) -> list[RoundSummary]:
    """Every pulse round, newest opening first, with invitation counts (created and used;
    used counts the marks still pending too)."""
    counts = (select(Invitation.survey_id, func.count().label("total"),
                     func.sum(case((Invitation.used.is_(True), 1), else_=0)).label("used"))
              .group_by(Invitation.survey_id).subquery())
    pending = pending_by_survey(session)
    rows = session.execute(
        select(Survey, counts.c.total, counts.c.used)
        .outerjoin(counts, counts.c.survey_id == Survey.id)
        .where(Survey.kind == SurveyKind.PULSE)
        .order_by(Survey.opens_at.desc(), Survey.code))
    return [RoundSummary(s.code, s.unit.code, f"{s.instrument_key} v{s.instrument_version}",
                         s.opens_at, s.closes_at, round_state(s, now),
                         int(total or 0), int(used or 0) + pending.get(s.id, 0))
            for s, total, used in rows]
