"""Helpers shared by the pulse tests: invitations with known tokens, complete answers."""

from __future__ import annotations

from survey_app.instruments import load_instrument
from survey_app.models import Invitation
from survey_app.services.pulse import new_token, token_hash

INSTRUMENT = load_instrument("staff-pulse", 1)


def issue_tokens(session, survey, unit, count=1, expires_at=None) -> list[str]:
    """Store ``count`` invitations (hashes only) and return their tokens."""
    tokens = [new_token() for _ in range(count)]
    session.add_all(Invitation(survey_id=survey.id, unit_id=unit.id, token_hash=token_hash(t),
                               used=False, expires_at=expires_at) for t in tokens)
    session.commit()
    return tokens


def answer_form(score="8", value="4", comment="", **overrides) -> dict[str, str]:
    """Form data answering every question: ``value`` for every statement."""
    form = {"recommend": score, "comment": comment}
    form.update({item.id: value for item in INSTRUMENT.items})
    form.update(overrides)
    return form
