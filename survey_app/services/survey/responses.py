"""Resident answers: validate them against the instrument (``store`` writes them).

Form fields: ``recommend`` (``0``–``10``, required), one field per statement named by its
item id (``1``–``5`` on the instrument's scale or ``cannot-say``; optional), and ``comment``
(optional, at most the instrument's ``comment.max_length`` characters). Any other field is
ignored. The stored row holds the Helsinki **day**, never a time, and only the redacted comment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from flask_babel import gettext as _

from survey_app.errors import InvalidInput
from survey_app.instruments import Instrument

#: Channels a response can arrive through (``?ch=``); anything else counts as ``web``.
CHANNELS = ("sms", "qr", "kiosk", "web", "email", "paper")
#: Language code of the plain-Finnish (selkosuomi) variant in instruments and stored rows.
SELKO = "fi-x-selko"
#: The statement value meaning "cannot say"; stored as None and left out of n.
CANNOT_SAY = "cannot-say"
RECOMMEND = "recommend"
COMMENT = "comment"


@dataclass(frozen=True, slots=True)
class Answers:
    """Validated answers: the 0–10 score, statements (None = cannot say), the raw comment."""

    score: int
    items: dict[str, int | None] = field(default_factory=dict)
    comment: str = ""

    @property
    def short(self) -> bool:
        """Only the 0–10 answer: the statements and comment may still follow."""
        return not self.items and not self.comment.strip()


class AnswerValidationError(InvalidInput):
    """The answers were refused; ``errors`` lists (field id, translated message) pairs."""

    def __init__(self, errors: list[tuple[str, str]], values: Mapping[str, str]) -> None:
        super().__init__(_("Some answers need checking."))
        self.errors = errors
        self.values = dict(values)


def validate_answers(instrument: Instrument, form: Mapping[str, str]) -> Answers:
    """Answers from submitted form values, or AnswerValidationError listing every problem."""
    return _validate(instrument, form, with_score=True)


def validate_details(instrument: Instrument, form: Mapping[str, str]) -> Answers:
    """The statements and comment completing a short answer (score -1: not part of them)."""
    return _validate(instrument, form, with_score=False)


def _validate(instrument: Instrument, form: Mapping[str, str], with_score: bool) -> Answers:
    errors: list[tuple[str, str]] = []
    score = _score(form.get(RECOMMEND), errors) if with_score else -1
    items = {}
    allowed = {str(v) for v in range(instrument.scale_min, instrument.scale_max + 1)}
    for item in instrument.items:
        raw = (form.get(item.id) or "").strip()
        if not raw:
            continue
        if raw == CANNOT_SAY:
            items[item.id] = None
        elif raw in allowed:
            items[item.id] = int(raw)
        else:
            errors.append((item.id, _("Choose one of the options for question %(number)d.",
                                      number=instrument.items.index(item) + 2)))
    comment = _comment(instrument, form.get(COMMENT) or "", errors)
    if errors:
        kept = {k: v for k, v in form.items()
                if k in {RECOMMEND, COMMENT, *(i.id for i in instrument.items)}}
        raise AnswerValidationError(errors, kept)
    return Answers(score=score, items=items, comment=comment)


def check_urlencoded_body(body: bytes) -> None:
    """Refuse a form body whose decoded bytes are not UTF-8 (AnswerValidationError).

    Werkzeug drops such a body silently or keeps the bad bytes percent-encoded in the value,
    so the check runs on the raw bytes before the form is parsed.
    """
    try:
        unquote_to_bytes(body.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        raise AnswerValidationError([(COMMENT, _unreadable())], {}) from None


def _unreadable() -> str:
    return _("The comment contains characters that could not be read. Please write it again.")


def _score(raw: str | None, errors: list[tuple[str, str]]) -> int:
    raw = (raw or "").strip()
    if not raw:
        errors.append((RECOMMEND, _("Choose how likely you would recommend the service, "
                                    "from 0 to 10.")))
        return -1
    if not (raw.isascii() and raw.isdigit()) or not 0 <= int(raw) <= 10:
        errors.append((RECOMMEND, _("The recommendation must be a number from 0 to 10.")))
        return -1
    return int(raw)


def _comment(instrument: Instrument, raw: str, errors: list[tuple[str, str]]) -> str:
    limit = int(instrument.data.get("comment", {}).get("max_length", 2000))
    if "\ufffd" in raw:
        # Werkzeug decodes bytes that are not UTF-8 as U+FFFD: the text did not arrive intact.
        errors.append((COMMENT, _unreadable()))
    elif len(raw) > limit:
        errors.append((COMMENT, _("The comment is %(length)d characters long; the limit is "
                                  "%(limit)d.", length=len(raw), limit=limit)))
    return raw
