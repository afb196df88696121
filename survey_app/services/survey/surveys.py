"""Resident feedback collections: open, close and list them; find the one covering a unit.

A resident survey covers the subtree of its unit. A unit may sit under several open surveys
(say one for the whole hospital and one for its emergency department); the deepest one, the
survey closest to the unit, is the one that collects its answers.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.errors import Conflict, Gone, InvalidInput, NotFound
from survey_app.instruments import InstrumentError, load_instrument
from survey_app.models import OrgUnit, Survey, SurveyKind, UnitKind
from survey_app.services.audit import record
from survey_app.services.units import CODE_PATTERN


def public_unit(session: Session, code: str) -> OrgUnit:
    """An active unit that residents can give feedback about, or a translated NotFound."""
    # Anything that cannot be a unit code (NUL bytes, 5 kB of text) never reaches the database.
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code)) \
        if CODE_PATTERN.match(code) else None
    if unit is None or not unit.active or unit.kind == UnitKind.STAFF:
        raise NotFound(_("There is no feedback questionnaire at this address. "
                         "Please check the link or the code on the poster."))
    return unit


def open_survey_for_unit(session: Session, unit: OrgUnit, now: datetime | None = None) -> Survey:
    """The open resident survey whose subtree holds ``unit`` (the deepest one), or Gone."""
    now = now or datetime.now(UTC)
    ancestor_ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    candidates = session.scalars(
        select(Survey).join(Survey.unit)
        .where(Survey.kind == SurveyKind.RESIDENT, Survey.unit_id.in_(ancestor_ids))
    )
    open_now = [s for s in candidates if s.is_open(now)]
    if not open_now:
        raise survey_closed()
    if len(open_now) == 1:
        return open_now[0]
    # The unit's path lists its ancestors from the root down: a later position is deeper.
    # (Ordering by position needs no extra query to load each survey's unit.)
    return max(open_now, key=lambda survey: (ancestor_ids.index(survey.unit_id), survey.id))


def survey_closed() -> Gone:
    """The translated 410 of a unit whose feedback is not being collected now."""
    return Gone(_("Feedback on this unit is not being collected right now. Thank you for "
                  "wanting to answer."))


def open_resident_survey(session: Session, unit_code: str, instrument_key: str, version: int,
                         opens_at: datetime | None = None, closes_at: datetime | None = None,
                         actor: str = "cli") -> Survey:
    """Start resident feedback for a unit subtree with an instrument version; audited, commits."""
    unit = session.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
    if unit is None:
        raise NotFound(_("No unit with the code %(code)s.", code=unit_code))
    try:
        instrument = load_instrument(instrument_key, version)
    except InstrumentError:
        raise NotFound(_("No instrument %(key)s version %(version)s.", key=instrument_key,
                         version=version)) from None
    if instrument.kind != SurveyKind.RESIDENT.value:
        raise InvalidInput(_("The instrument %(key)s is not a resident questionnaire.",
                             key=instrument_key))
    opens_at = opens_at or datetime.now(UTC)
    if closes_at is not None and closes_at <= opens_at:
        raise InvalidInput(_("The closing moment must come after the opening moment."))
    if any(_overlaps(s, opens_at, closes_at) for s in _resident_surveys_of(session, unit)):
        raise Conflict(_("Resident feedback for %(code)s is already open in that time.",
                         code=unit_code))
    survey = Survey(code=_new_code(session, unit), kind=SurveyKind.RESIDENT, unit_id=unit.id,
                    instrument_key=instrument.key, instrument_version=instrument.version,
                    opens_at=opens_at, closes_at=closes_at, title="")
    session.add(survey)
    session.flush()
    record(session, actor, "surveys.open",
           f"{survey.code} unit {unit.code} {instrument.key} v{instrument.version} "
           f"from {opens_at.isoformat()} until {closes_at.isoformat() if closes_at else 'closed'}")
    session.commit()
    return survey


def close_survey(session: Session, code: str, at: datetime | None = None,
                 actor: str = "cli") -> Survey:
    """Close a resident survey now (or at ``at``); audited, commits."""
    survey = session.scalar(select(Survey).where(Survey.code == code,
                                                 Survey.kind == SurveyKind.RESIDENT))
    if survey is None:
        raise NotFound(_("No resident survey with the code %(code)s.", code=code))
    at = at or datetime.now(UTC)
    if survey.closes_at is not None and survey.closes_at <= at:
        raise Conflict(_("The survey %(code)s is already closed.", code=code))
    survey.closes_at = max(at, survey.opens_at)
    record(session, actor, "surveys.close", f"{survey.code} at {survey.closes_at.isoformat()}")
    session.commit()
    return survey


def list_resident_surveys(session: Session, unit_code: str | None = None) -> list[Survey]:
    """Resident surveys (of one unit's subtree root, or all), newest first."""
    query = select(Survey).join(Survey.unit).where(Survey.kind == SurveyKind.RESIDENT)
    if unit_code:
        query = query.where(OrgUnit.code == unit_code)
    return list(session.scalars(query.order_by(Survey.opens_at.desc(), Survey.id.desc())))


def _resident_surveys_of(session: Session, unit: OrgUnit) -> list[Survey]:
    return list(session.scalars(select(Survey).where(Survey.kind == SurveyKind.RESIDENT,
                                                     Survey.unit_id == unit.id)))


def _overlaps(survey: Survey, opens_at: datetime, closes_at: datetime | None) -> bool:
    """Two [opens, closes) intervals meet; None means open-ended."""
    other_close = survey.closes_at if survey.closes_at else None
    starts_before_other_ends = other_close is None or opens_at < other_close
    other_starts_before_end = closes_at is None or survey.opens_at < closes_at
    return starts_before_other_ends and other_starts_before_end


def _new_code(session: Session, unit: OrgUnit) -> str:
    """``resident-<unit>-<n>``, the first n not taken (codes are at most 60 characters)."""
    taken = set(session.scalars(select(Survey.code)))
    number = 1
    while f"resident-{unit.code}-{number}" in taken:
        number += 1
    return f"resident-{unit.code}-{number}"

