"""Staff invitations and reminders by e-mail: one single-use link per person, in their language.

``email,unit_code,lang`` in; the invitations are made with the pulse service's own
:func:`~survey_app.services.pulse.create_invitation_links` (its hashing, its checks). Each
person's (address, link) is kept sealed with a key outside the database (``REACH_KEY``) in
``reach_mail_recipient`` for the reminders, and deleted when the round closes.

Reminders go to **everyone** by default ("if you have already answered, thank you"). Only on
an explicit request do they go to non-respondents alone; that lets whoever holds the key see
who has answered (never what), which is why it is off by default and the admin page says so.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from babel.dates import format_datetime
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from survey_app.errors import InvalidInput, SurveyAppError
from survey_app.i18n import LANGUAGES
from survey_app.models import MailRecipient, OutboxMessage, Survey
from survey_app.models.reach import QUEUED
from survey_app.periods import HELSINKI
from survey_app.services import pulse
from survey_app.services.audit import record
from survey_app.services.reach.keys import keyed_hash, seal, unseal
from survey_app.services.reach.visits import EMAIL_PATTERN
from survey_app.services.units import subtree

COLUMNS = ("email", "unit_code", "lang")
MAX_RECIPIENTS = 20_000


class RecipientFileError(InvalidInput):
    """The recipients file was refused whole; every bad line is listed."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = sorted(problems)
        lines = "\n".join(_("line %(line)d: %(reason)s", line=line, reason=reason)
                          for line, reason in self.problems)
        super().__init__(_("No invitations were sent; nothing was stored.") + "\n" + lines)


@dataclass(slots=True)
class MailReport:
    """What an upload or a reminder queued (counts only)."""

    queued: int = 0
    already_invited: int = 0
    per_unit: Counter = field(default_factory=Counter)


def closing_text(closes_at: datetime | None, lang: str) -> str:
    """The last moment answers are accepted, in Helsinki time and the reader's language.

    A round "closing 14.12." closes at the midnight after it, so the last minute shown is
    14.12. 23:59, never 15.12. 0:00.
    """
    if closes_at is None:
        return "–"
    last = (closes_at - timedelta(minutes=1)).astimezone(HELSINKI)
    return format_datetime(last, "short", tzinfo=HELSINKI, locale=lang)


def parse_recipients(data: bytes, covered: set[str]) -> tuple[list[tuple[int, str, str, str]],
                                                              list[tuple[int, str]]]:
    """(line, address, unit code, language) per good line, and every (line, problem)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [(1, _("the file is not UTF-8 text; save it as CSV UTF-8"))]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [(1, _("missing columns: %(columns)s", columns=", ".join(missing)))]
    rows, problems, first = [], [], {}
    for raw in reader:
        line = reader.line_num
        if None in raw:
            problems.append((line, _("too many fields on the line")))
            continue
        email, unit, lang = ((raw.get(key) or "").strip() for key in COLUMNS)
        if not (email or unit or lang):
            continue
        found = []
        if not EMAIL_PATTERN.match(email):
            found.append(_("%(email)s is not a valid e-mail address", email=repr(email[:80])))
        if unit not in covered:
            found.append(_("unit %(code)s is not in this round", code=repr(unit[:40])))
        if lang not in LANGUAGES:
            found.append(_("unknown language %(lang)s; use one of %(languages)s",
                           lang=repr(lang[:12]), languages=", ".join(LANGUAGES)))
        if not found and email.lower() in first:
            found.append(_("%(email)s is already on line %(first)d", email=email,
                           first=first[email.lower()]))
        problems += [(line, reason) for reason in found]
        if not found:
            first[email.lower()] = line
            rows.append((line, email, unit, lang))
    if len(rows) > MAX_RECIPIENTS:
        problems.append((1, _("more than %(max)d recipients in one file", max=MAX_RECIPIENTS)))
    if not rows and not problems:
        problems.append((1, _("the file lists no recipients")))
    return rows, problems


def send_invitations(session: Session, round_code: str, data: bytes, base_url: str,
                     now: datetime, actor: str = "cli") -> MailReport:
    """Invite everyone in the file not yet invited to the round, each in their language."""
    survey = pulse.get_round(session, round_code)
    if pulse.round_state(survey, now) == pulse.CLOSED:
        raise InvalidInput(_("The round %(code)s has closed.", code=survey.code))
    covered = {unit.code: unit for unit in subtree(session, survey.unit)}
    rows, problems = parse_recipients(data, set(covered))
    if problems:
        raise RecipientFileError(problems)
    invited = set(session.scalars(select(MailRecipient.address_hash).where(
        MailRecipient.survey_id == survey.id)))
    report = MailReport()
    groups: dict[tuple[str, str], list[str]] = {}
    for _line, email, unit, lang in rows:
        if _address_hash(survey, email) in invited:
            report.already_invited += 1
            continue
        groups.setdefault((unit, lang), []).append(email)
    for (unit, lang), emails in sorted(groups.items()):
        links = pulse.create_invitation_links(session, round_code, {unit: len(emails)},
                                              base_url, lang, None, now=now, actor=actor)
        for email, (_code, link) in zip(emails, links, strict=True):
            session.add(MailRecipient(survey_id=survey.id, unit_id=covered[unit].id,
                                      language=lang, sealed=seal({"email": email, "link": link}),
                                      address_hash=_address_hash(survey, email)))
            session.add(_outbox_row(survey, covered[unit].id, lang, email, link, now, False))
            report.queued += 1
            report.per_unit[unit] += 1
        session.commit()
    record(session, actor, "mail.invite", f"round {round_code}: queued {report.queued}, "
           f"already invited {report.already_invited}")
    session.commit()
    return report


def send_reminders(session: Session, round_code: str, now: datetime,
                   only_non_respondents: bool = False, actor: str = "cli") -> MailReport:
    """Queue a reminder to everyone invited by e-mail (or, opted in, to non-respondents)."""
    survey = pulse.get_round(session, round_code)
    if pulse.round_state(survey, now) != pulse.OPEN:
        raise InvalidInput(_("Reminders go only while the round is open."))
    report = MailReport()
    for recipient in session.scalars(select(MailRecipient).where(
            MailRecipient.survey_id == survey.id).order_by(MailRecipient.id)):
        data = unseal(recipient.sealed)
        if data is None:
            continue
        if only_non_respondents and not _unanswered(session, data["link"], now):
            continue
        session.add(_outbox_row(survey, recipient.unit_id, recipient.language, data["email"],
                                data["link"], now, True))
        report.queued += 1
    record(session, actor, "mail.remind", f"round {round_code}: queued {report.queued}, "
           f"{'non-respondents only' if only_non_respondents else 'everyone'}")
    session.commit()
    return report


def forget_closed_rounds(session: Session, now: datetime) -> int:
    """Delete the sealed recipients of every closed round (and their unsent e-mails)."""
    closed = [s.id for s in session.scalars(select(Survey).where(
        Survey.closes_at.is_not(None), Survey.closes_at <= now))]
    if not closed:
        return 0
    removed = session.execute(delete(MailRecipient).where(
        MailRecipient.survey_id.in_(closed))).rowcount
    session.commit()
    return removed


def _unanswered(session: Session, link: str, now: datetime) -> bool:
    token = link.rstrip("/").rsplit("/", 1)[-1]
    try:
        pulse.open_invitation(session, token, now)
    except SurveyAppError:  # used, unknown, expired, round not open: no reminder
        return False
    return True


def _address_hash(survey: Survey, email: str) -> str:
    return keyed_hash("staff-mail", f"{survey.id}:{email.strip().lower()}")


def _outbox_row(survey: Survey, unit_id: int, lang: str, email: str, link: str,
                now: datetime, reminder: bool) -> OutboxMessage:
    sealed = seal({"email": email, "link": link, "title": survey.title or survey.code,
                   "closes": closing_text(survey.closes_at, lang), "reminder": reminder})
    return OutboxMessage(kind="email", unit_id=unit_id, language=lang, sealed=sealed,
                         survey_id=survey.id, state=QUEUED, due_at=now,
                         expires_at=survey.closes_at, attempts=0)
