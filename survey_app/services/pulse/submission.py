"""Answering a pulse round: find the invitation, validate the answer, store it once.

The answer row gets the round and the unit, the answers, the per-person QWL index and the
redacted comment; never a day, time, language, channel, token or invitation reference.
The answer is committed in a transaction of its own; a guard held beside it (``marks.py``)
makes sure that of simultaneous submissions with one link exactly one stores an answer,
and the invitation's used mark is written later, in a batch with others.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.errors import Conflict, Gone, InvalidInput, NotFound
from survey_app.instruments import Instrument, load_instrument
from survey_app.models import Invitation, OrgUnit, Response, Survey, SurveyKind
from survey_app.privacy import redact_comment
from survey_app.services.aggregates import add_staff
from survey_app.services.pulse import marks
from survey_app.services.pulse.rounds import OPEN, SCHEDULED, round_state
from survey_app.services.pulse.tokens import looks_like_token, token_hash, token_key
from survey_app.services.qwl import person_measures

log = logging.getLogger(__name__)
#: Form value of the "cannot say" option.
CANNOT_SAY = "x"
RECOMMEND_FIELD = "recommend"
COMMENT_FIELD = "comment"


class UnknownInvitation(NotFound):
    """No invitation has this token."""

    default_message = _l("This invitation link is not valid. Check that the whole link was "
                         "copied, or ask for a new one from whoever sent it.")


class InvitationUsed(Conflict):
    """The invitation was already used to answer."""

    default_message = _l("This invitation has already been used to answer. Each invitation "
                         "can be used once, so your answer cannot be changed or sent again.")


class RoundNotOpen(Gone):
    """The round has not opened yet, or has closed; carries the round's moments."""

    def __init__(self, survey: Survey, state: str) -> None:
        self.state = state
        self.opens_at = survey.opens_at
        self.closes_at = survey.closes_at
        super().__init__(_("This survey round has not opened yet.") if state == SCHEDULED
                         else _("This survey round has closed."))


class InvitationExpired(Gone):
    """The invitation's own expiry has passed."""

    default_message = _l("This invitation has expired and can no longer be used.")


class AnswerErrors(InvalidInput):
    """The answer failed validation; ``errors`` lists (field id, message) for the summary."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__()


@dataclass(frozen=True, slots=True)
class OpenInvitation:
    """A usable invitation with its round, unit and instrument."""

    invitation: Invitation
    survey: Survey
    unit: OrgUnit
    instrument: Instrument


@dataclass(frozen=True, slots=True)
class PulseAnswer:
    """A validated answer: eNPS 0–10, item values (None = cannot say), redacted comment."""

    score: int
    answers: dict[str, int | None] = field(default_factory=dict)
    comment: str | None = None


def open_invitation(session: Session, token: str, now: datetime) -> OpenInvitation:
    """The invitation if it can be answered now; else UnknownInvitation, InvitationUsed,
    RoundNotOpen or InvitationExpired."""
    if not looks_like_token(token):
        raise UnknownInvitation()
    key = token_key()
    row = session.execute(
        select(Invitation, Survey, OrgUnit).join(Survey, Survey.id == Invitation.survey_id)
        .join(OrgUnit, OrgUnit.id == Invitation.unit_id)
        .where(Invitation.token_hash == token_hash(token, key), Survey.kind == SurveyKind.PULSE)
    ).first()
    if row is None:
        raise UnknownInvitation()
    invitation, survey, unit = row
    if invitation.used or marks.is_pending(session, invitation.token_hash, key):
        raise InvitationUsed()
    state = round_state(survey, now)
    if state != OPEN:
        raise RoundNotOpen(survey, state)
    if invitation.expires_at is not None and invitation.expires_at <= now:
        raise InvitationExpired()
    return OpenInvitation(invitation, survey, unit,
                          load_instrument(survey.instrument_key, survey.instrument_version))


def link_used(session: Session, token: str) -> bool | None:
    """Whether the invitation of ``token`` has been used (its mark written or still pending);
    None for a token that names no invitation. For reminders: ``Invitation.used`` alone lags
    behind, since marks are written in batches."""
    if not looks_like_token(token):
        return None
    key = token_key()
    invitation_hash = token_hash(token, key)
    used = session.scalar(select(Invitation.used).where(Invitation.token_hash == invitation_hash))
    if used is None:
        return None
    return bool(used) or marks.is_pending(session, invitation_hash, key)


def parse_answer(instrument: Instrument, form: Mapping[str, str]) -> PulseAnswer:
    """Validate submitted form values; AnswerErrors lists every problem in page order."""
    errors = []
    score = _integer(form.get(RECOMMEND_FIELD), 0, 10)
    if score is None:
        errors.append((f"{RECOMMEND_FIELD}-0",
                       _("Choose a number from 0 to 10 for the first question.")))
    answers = {}
    for number, item in enumerate(instrument.items, start=1):
        raw = form.get(item.id)
        value = _integer(raw, instrument.scale_min, instrument.scale_max)
        if raw == CANNOT_SAY or value is not None:
            answers[item.id] = value
        else:
            errors.append((f"{item.id}-{instrument.scale_min}",
                           _("Choose an answer to statement %(number)d.", number=number)))
    comment, problem = _comment(instrument, form.get(COMMENT_FIELD) or "")
    if problem:
        errors.append((COMMENT_FIELD, problem))
    if errors:
        raise AnswerErrors(errors)
    return PulseAnswer(score, answers, comment)


def submit(session: Session, token: str, answer: PulseAnswer, now: datetime) -> None:
    """Store the answer once: guard the invitation, commit the answer alone, keep the guard.

    The used mark is not written here; ``marks.flush_marks`` writes it later in a random
    batch of ``PULSE_MARK_BATCH`` of the same round and unit, or finalising the round does.
    """
    opened = open_invitation(session, token, now)
    measures = person_measures(opened.instrument, answer.answers)
    invitation_hash = opened.invitation.token_hash
    survey_id, unit_id = opened.survey.id, opened.invitation.unit_id
    session.rollback()  # the guard's transaction is the next to write
    key = token_key()
    try:
        with marks.claim(session, invitation_hash, survey_id, unit_id, key):
            _store(session, survey_id, unit_id, answer, measures)
    except marks.GuardTaken:
        raise InvitationUsed() from None
    batch = marks.mark_batch(current_app.config)
    try:
        if batch and marks.pending_count(session, survey_id, unit_id) >= 2 * batch:
            marks.flush_marks(session, survey_id, unit_id, key, batch)
    except Exception:  # noqa: BLE001 - the answer is stored and acknowledged regardless
        # The marks wait for the next batch, or for finalising.
        session.rollback()
        log.warning("writing a batch of used marks failed; it is retried later")


def _store(session: Session, survey_id: int, unit_id: int, answer: PulseAnswer,
           measures) -> None:
    """The response row and its aggregates, in one transaction of their own."""
    response = Response(survey_id=survey_id, unit_id=unit_id, day=None, language=None,
                        channel=None, score=answer.score, answers=dict(answer.answers),
                        qwl_index=measures["qwl"], comment=answer.comment)
    try:
        session.add(response)
        session.flush()
        add_staff(session, response, measures)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def comment_limit(instrument: Instrument) -> int:
    """Longest comment accepted, in characters."""
    return int(instrument.data.get("comment", {}).get("max_length", 2000))


def _integer(raw: str | None, low: int, high: int) -> int | None:
    """``raw`` as an integer within [low, high], else None."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 3:
        return None
    value = int(raw)
    return value if low <= value <= high else None


def _comment(instrument: Instrument, raw: str) -> tuple[str | None, str | None]:
    """(redacted comment or None, error message or None)."""
    if "comment" not in instrument.data:
        return None, None
    text = raw.replace("\r\n", "\n")
    limit = comment_limit(instrument)
    if len(text) > limit:
        return None, _("The comment is too long: at most %(max)d characters, now %(length)d.",
                       max=limit, length=len(text))
    redacted = redact_comment(text, max_length=limit)
    return redacted or None, None
