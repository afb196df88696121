"""Helpers shared by the pulse tests: invitations with known tokens, complete answers."""

from __future__ import annotations

from config import TestConfig
from survey_app.instruments import load_instrument
from survey_app.models import Invitation
from survey_app.services.pulse import new_token, token_hash
from survey_app.services.pulse.tokens import derive_token_key

INSTRUMENT = load_instrument("staff-pulse", 1)
#: The token key of the test configuration (derived from its SECRET_KEY, as in production
#: when SURVEY_TOKEN_KEY is not set).
TEST_KEY = derive_token_key(TestConfig.SECRET_KEY, TestConfig.TOKEN_KEY)


def stored_hash(token: str) -> str:
    """The value the test app stores for ``token``."""
    return token_hash(token, TEST_KEY)


def issue_tokens(session, survey, unit, count=1, expires_at=None) -> list[str]:
    """Store ``count`` invitations (hashes only) and return their tokens."""
    tokens = [new_token() for _ in range(count)]
    session.add_all(Invitation(survey_id=survey.id, unit_id=unit.id, token_hash=stored_hash(t),
                               used=False, expires_at=expires_at) for t in tokens)
    session.commit()
    return tokens


def answer_form(score="8", value="4", comment="", **overrides) -> dict[str, str]:
    """Form data answering every question: ``value`` for every statement."""
    form = {"recommend": score, "comment": comment}
    form.update({item.id: value for item in INSTRUMENT.items})
    form.update(overrides)
    return form


def used_count(session) -> int:
    """Invitations used: marked used, or with their used mark still pending."""
    from sqlalchemy import func, select

    from survey_app.models import PendingMark

    marked = session.scalar(select(func.count()).select_from(Invitation).where(Invitation.used))
    return int(marked) + int(session.scalar(select(func.count()).select_from(PendingMark)))
