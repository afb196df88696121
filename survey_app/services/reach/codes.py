"""Single-use SMS link codes: 80 random bits, only a keyed hash kept with unit and expiry.

The code is spent in the transaction that stores the answer (the hook handed to
:func:`survey_app.services.survey.store.submit_response`), so two answers can never be
stored with one code, and a reader cannot pad a unit's SMS answers: a response has channel
``invited`` only when a code was spent for it (``survey_app.reach.views``). An answer
through an open unit link keeps the channel its ``?ch=`` names and is never ``invited``.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from survey_app.errors import Gone, NotFound
from survey_app.models import OrgUnit, SmsCode
from survey_app.services.reach.keys import keyed_hash

#: 10 bytes = 80 random bits (at least 64 asked), 16 characters of base32 in the link.
CODE_BYTES = 10
CODE_PATTERN = re.compile(r"^[a-z2-7]{16}$")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"


def new_code() -> str:
    """A fresh code: 16 lower-case base32 characters (80 random bits), easy to type."""
    number = int.from_bytes(secrets.token_bytes(CODE_BYTES), "big")
    return "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in range(16))


def code_hash(code: str) -> str:
    """The keyed hash under which a code is stored."""
    return keyed_hash("sms-code", code)


class CodeUnusable(Gone):
    """The code was used already, has expired, or never existed."""

    code = "code_unusable"


@dataclass(frozen=True, slots=True)
class CodeTarget:
    """What a valid code opens: the unit's questionnaire in the visit's language."""

    unit: OrgUnit
    language: str


def add_code(session: Session, code: str, unit_id: int, language: str,
             expires_at: datetime) -> None:
    """Store a new code's hash (flushes with the caller's transaction, no commit)."""
    session.add(SmsCode(code_hash=code_hash(code), unit_id=unit_id, language=language,
                        expires_at=expires_at, spent=False))


def language_of(session: Session, code: str) -> str | None:
    """The language of a stored code (usable or not), for pages about it; None if unknown."""
    if not CODE_PATTERN.match(code or ""):
        return None
    return session.scalar(select(SmsCode.language).where(SmsCode.code_hash == code_hash(code)))


def resolve(session: Session, code: str, now: datetime) -> CodeTarget:
    """The unit and language of a usable code; NotFound or CodeUnusable (410) otherwise."""
    row = None
    if CODE_PATTERN.match(code or ""):
        row = session.scalar(select(SmsCode).where(SmsCode.code_hash == code_hash(code)))
    if row is None:
        raise NotFound(_("This link is not valid. Check that the whole link was copied."))
    if row.spent:
        raise CodeUnusable(_("This link has already been used to answer. Thank you!"))
    if row.expires_at <= now:
        raise CodeUnusable(_("This link has expired. Thank you for your interest."))
    return CodeTarget(session.get(OrgUnit, row.unit_id), row.language)


def spender(code: str, now: datetime):
    """A hook for ``submit_response``: spends the code inside the answer's transaction.

    Raises CodeUnusable (and the answer is rolled back) if the code was spent meanwhile or
    has expired; on PostgreSQL the row lock makes a second concurrent spend see it spent.
    """
    hashed = code_hash(code)

    def spend(session: Session) -> None:
        result = session.execute(update(SmsCode).where(
            SmsCode.code_hash == hashed, SmsCode.spent.is_(False), SmsCode.expires_at > now)
            .values(spent=True).execution_options(synchronize_session=False))
        if result.rowcount != 1:
            raise CodeUnusable(_("This link has already been used to answer. Thank you!"))

    return spend
