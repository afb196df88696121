"""The short path: a resident sends the 0–10 answer alone, then may complete the same answer.

How one answer is stored once, whichever way it is sent, and completed without being linked
to anything else:

- Every questionnaire page carries a fresh **form handle** in a hidden field: 24 random bytes,
  signed with the app's secret key and the moment the page was made (so a kiosk can refuse
  forms it never served). The browser holds it in the page and nowhere else: no cookie, no
  session, never in a URL (URLs end up in access logs).
- The stored response's id is ``HMAC(key, random part)``, cut to 32 hex digits: as random as
  any other id to whoever reads the database, and the same for the same form, so a form sent
  twice (a double tap, a reload) stores one answer.
- When only the 0–10 answer came (the short path), the page that thanks for it offers the
  statements and the comment, with a **completion token**: the random part signed again with
  the moment of that first answer. It is accepted for ``FOLLOWUP_SECONDS`` (default 30
  minutes); the database holds no time at all, only the day, as before.
- Completing writes the statements and the comment into that same row, once: the update only
  matches a row whose statements and comment are still empty. The aggregates get the
  statements' counts and the comment count; the 0–10 counts were added with the first answer
  and are never touched again.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Date, Integer, String, bindparam, text
from sqlalchemy.orm import Session

from survey_app.models import Response
from survey_app.privacy import redact_comment
from survey_app.services.aggregates import add_resident_details
from survey_app.services.survey.responses import Answers

#: Seconds a completion token is accepted after the first answer (config ``FOLLOWUP_SECONDS``).
FOLLOWUP_SECONDS = 30 * 60
#: Seconds a form handle is accepted as the kiosk's proof that it served the form.
FORM_SECONDS = 24 * 3600
_FORM_SALT = "resident-form-handle"
_COMPLETION_SALT = "resident-completion"


def new_form_handle() -> str:
    """A fresh signed handle for a questionnaire page."""
    return _serializer(_FORM_SALT).dumps(secrets.token_urlsafe(24))


def form_secret(handle: str | None, max_age: int | None = None) -> str | None:
    """The random part of a form handle, or None when it is missing, forged or too old."""
    return _loads(_FORM_SALT, handle, max_age)


def completion_token(secret: str) -> str:
    """The token of the follow-up page, signed now."""
    return _serializer(_COMPLETION_SALT).dumps(secret)


def completion_secret(token: str | None) -> tuple[str | None, bool]:
    """(random part, expired): the part is None when the token is missing, forged or old."""
    try:
        return _serializer(_COMPLETION_SALT).loads(token or "", max_age=_followup_seconds()), \
            False
    except SignatureExpired:
        return None, True
    except BadSignature:
        return None, False


def response_id_for(secret: str) -> str:
    """The response id of a form's random part: a keyed hash, 32 hex digits."""
    key = hmac.new(_secret_key(), b"resident-response-id", hashlib.sha256).digest()
    return hmac.new(key, secret.encode(), hashlib.sha256).hexdigest()[:32]


def complete_response(session: Session, secret: str, answers: Answers) -> bool:
    """Add statements and a comment to the short answer of ``secret`` (commits).

    False, with nothing changed, when there is no such answer or it was completed already
    (its statements or comment are no longer empty). Empty details change nothing.
    """
    comment = redact_comment(answers.comment) if answers.comment.strip() else ""
    if not answers.items and not comment:
        return True
    statement = _complete_statement()
    try:
        row = session.execute(statement, {"id": response_id_for(secret),
                                          "answers": dict(answers.items),
                                          "comment": comment or None}).first()
        if row is None:
            session.rollback()
            return False
        add_resident_details(session, row.survey_id, row.unit_id, row.day, row.channel,
                             answers.items, bool(comment))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return True


def _complete_statement():
    # Only a row still without statements and comment: a second completion matches nothing.
    # CAST(… AS TEXT) reads the JSON the same way on PostgreSQL and SQLite.
    return text(
        "UPDATE response SET answers = :answers, comment = :comment "
        "WHERE id = :id AND comment IS NULL AND CAST(answers AS TEXT) = '{}' "
        "RETURNING survey_id, unit_id, day, channel"
    ).bindparams(bindparam("answers", type_=Response.__table__.c.answers.type)).columns(
        survey_id=Integer, unit_id=Integer, day=Date, channel=String)


def _loads(salt: str, value: str | None, max_age: int | None) -> str | None:
    if not value or len(value) > 200:
        return None
    try:
        return _serializer(salt).loads(value, max_age=max_age)
    except BadSignature:
        return None


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret_key(), salt=salt)


def _secret_key() -> bytes:
    key = current_app.config["SECRET_KEY"]
    return key.encode() if isinstance(key, str) else key


def _followup_seconds() -> int:
    return int(current_app.config.get("FOLLOWUP_SECONDS", FOLLOWUP_SECONDS))
