"""Visits in (API and CSV): validate the whole batch, then queue one ask per person.

A batch is checked whole, like the unit import: every bad item is listed and nothing is
queued from a batch with any bad item. A good batch then queues, per visit, at most one
message: not when the unit has not opted in, not when the number (or address) was asked
within ``SMS_ASK_INTERVAL_DAYS`` (a keyed hash remembers that, and forgets it after the
interval). The outbox row holds the number only until the gateway accepts the message.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import phonenumbers
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from survey_app.errors import InvalidInput
from survey_app.i18n import LANGUAGES
from survey_app.models import AskedRecently, OrgUnit, OutboxMessage, UnitKind
from survey_app.models.reach import QUEUED
from survey_app.periods import HELSINKI
from survey_app.services.audit import record
from survey_app.services.reach.counts import add_counts
from survey_app.services.reach.keys import keyed_hash, seal
from survey_app.services.reach.settings import SmsSettings, sms_settings

COLUMNS = ("unit_code", "phone", "email", "language", "visit_time")
#: Clock skew tolerated between the patient system and us.
FUTURE_SLACK = timedelta(minutes=5)
MAX_VISITS = 50_000
EMAIL_PATTERN = re.compile(r"^[^@\s,;<>\"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
#: Default region for numbers written without a country code.
REGION = "FI"


class VisitBatchError(InvalidInput):
    """A batch of visits was refused whole; ``problems`` lists every (item, field, reason)."""

    def __init__(self, problems: list[tuple[int, str, str]], unit: str = "line") -> None:
        self.problems = sorted(problems, key=lambda p: (p[0], p[1]))
        label = (lambda n: _("line %(line)d", line=n)) if unit == "line" else \
            (lambda n: _("visit %(index)d", index=n))
        lines = "\n".join(f"{label(n)}: {reason}" if n else reason
                          for n, _field, reason in self.problems)
        super().__init__(_("The visits were not queued; nothing was stored.") + "\n" + lines)


@dataclass(frozen=True, slots=True)
class Visit:
    """One checked visit: unit, E.164 number or address, language, aware visit time."""

    item: int
    unit: OrgUnit
    phone: str | None
    email: str | None
    language: str
    visit_time: datetime

    @property
    def contact(self) -> str:
        """The number, or the address in lower case when there is no number."""
        return self.phone or (self.email or "").lower()


@dataclass(slots=True)
class QueueReport:
    """What a batch queued and skipped (counts only)."""

    queued: int = 0
    skipped_unit: int = 0
    skipped_recent: int = 0
    per_unit: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict:
        """Plain data for the API."""
        return {"queued": self.queued, "skipped_not_opted_in": self.skipped_unit,
                "skipped_asked_recently": self.skipped_recent}


def parse_csv(data: bytes) -> tuple[list[tuple[int, dict]], list[tuple[int, str, str]]]:
    """Decode a visits CSV into (line, raw dict) items, or problems with the file itself."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return [], [(line, "", _("the file is not UTF-8 text; save it as CSV UTF-8"))]
    if "\x00" in text:
        return [], [(1, "", _("the file contains NUL characters; it is not a CSV file"))]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        return [], [(1, "", _("missing columns: %(columns)s", columns=", ".join(missing)))]
    items, problems = [], []
    for raw in reader:
        if None in raw:
            problems.append((reader.line_num, "", _("too many fields on the line")))
            continue
        if not any((value or "").strip() for value in raw.values()):
            continue
        items.append((reader.line_num, raw))
        if len(items) > MAX_VISITS:
            return [], [(reader.line_num, "", _("more than %(max)d visits in one batch",
                                                max=MAX_VISITS))]
    return items, problems


def check_visits(session: Session, items: list[tuple[int, dict]], now: datetime,
                 settings: SmsSettings, unit: str = "line"
                 ) -> tuple[list[Visit], list[tuple[int, str, str]]]:
    """Check every (number, item) against itself, the batch and the database."""
    units = {unit.code: unit for unit in session.scalars(select(OrgUnit))}
    visits, problems, first = [], [], {}
    for item, raw in items:
        visit, found = _check_one(item, raw, units, now, settings)
        problems += found
        if visit is None:
            continue
        key = (visit.unit.code, visit.contact, visit.visit_time)
        if key in first:
            problems.append((item, "", _("the same visit as on %(where)s",
                                         where=_where(first[key], unit))))
            continue
        first[key] = item
        visits.append(visit)
    if not items and not problems:
        problems.append((0, "", _("there are no visits")))
    return visits, problems


def _where(item: int, unit: str) -> str:
    return _("line %(line)d", line=item) if unit == "line" else _("visit %(index)d", index=item)


def _check_one(item: int, raw: dict, units: dict[str, OrgUnit], now: datetime,
               settings: SmsSettings) -> tuple[Visit | None, list[tuple[int, str, str]]]:
    if not isinstance(raw, dict):
        return None, [(item, "", _("a visit must be an object with the fields %(fields)s",
                                   fields=", ".join(COLUMNS)))]
    values = {key: raw.get(key) for key in COLUMNS}
    if any(value is not None and not isinstance(value, str) for value in values.values()):
        return None, [(item, "", _("every field of a visit is a string"))]
    values = {key: (value or "").strip() for key, value in values.items()}
    problems = []
    unit = units.get(values["unit_code"])
    if unit is None or not unit.active or unit.kind == UnitKind.STAFF:
        problems.append((item, "unit_code", _("unknown unit %(code)s",
                                              code=repr(values["unit_code"][:40]))))
    phone, email = None, None
    if values["phone"]:
        phone = normalise_phone(values["phone"])
        if phone is None:
            problems.append((item, "phone", _("%(phone)s is not a valid phone number",
                                              phone=repr(values["phone"][:40]))))
    if values["email"]:
        email = values["email"] if EMAIL_PATTERN.match(values["email"]) else None
        if email is None:
            problems.append((item, "email", _("%(email)s is not a valid e-mail address",
                                              email=repr(values["email"][:80]))))
    if not values["phone"] and not values["email"]:
        problems.append((item, "phone", _("give a phone number or an e-mail address")))
    language = values["language"] or "fi"
    if language not in LANGUAGES:
        problems.append((item, "language", _("unknown language %(lang)s; use one of "
                                             "%(languages)s", lang=repr(language[:12]),
                                             languages=", ".join(LANGUAGES))))
    moment, problem = _visit_time(values["visit_time"], now, settings)
    if problem:
        problems.append((item, "visit_time", problem))
    if problems:
        return None, problems
    return Visit(item, unit, phone, email, language, moment), []


def normalise_phone(text: str) -> str | None:
    """The number in E.164 (``+358401234567``), or None when it is not a valid number."""
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _visit_time(text: str, now: datetime, settings: SmsSettings):
    """The aware visit time (naive = Helsinki), or a reason it is refused."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None, _("%(time)s is not an ISO 8601 time such as 2026-03-02T14:30",
                       time=repr(text[:40]))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=HELSINKI)
    if moment > now + FUTURE_SLACK:
        return None, _("the visit time %(time)s is in the future", time=text[:40])
    if send_window(moment, settings)[1] <= now:
        return None, _("the visit at %(time)s is too old: its message had to be sent by "
                       "%(deadline)s", time=text[:40],
                       deadline=send_window(moment, settings)[1].astimezone(HELSINKI)
                       .strftime("%Y-%m-%d %H:%M"))
    return moment, None


def send_window(visit_time: datetime, settings: SmsSettings) -> tuple[datetime, datetime]:
    """(due, expires): from the visit (or the end of quiet hours) until ``SMS_DELAY`` later."""
    due = settings.quiet.next_allowed(visit_time) if settings.quiet else visit_time
    return due.astimezone(UTC), (due + settings.delay).astimezone(UTC)


def queue_visits(session: Session, items: list, now: datetime | None = None,
                 actor: str = "cli", unit: str = "visit") -> QueueReport:
    """Validate ``items`` whole (VisitBatchError) and queue the asks in one commit.

    ``items`` are visit dicts (numbered from 1, ``unit="visit"``) or (line, dict) pairs of a
    file (``unit="line"``).
    """
    now = now or datetime.now(UTC)
    settings = sms_settings()
    if unit == "visit":
        items = list(enumerate(items, start=1))
    visits, problems = check_visits(session, items, now, settings, unit)
    if problems:
        raise VisitBatchError(problems, unit)
    report = QueueReport()
    hashes = {v.contact: keyed_hash("contact", v.contact) for v in visits}
    asked = {row.number_hash: row for row in session.scalars(
        select(AskedRecently).where(AskedRecently.number_hash.in_(set(hashes.values()))))}
    events = Counter()
    for visit in sorted(visits, key=lambda v: v.visit_time):
        if not visit.unit.sms:
            report.skipped_unit += 1
            events[(visit.unit.id, "skipped_unit")] += 1
            continue
        number_hash = hashes[visit.contact]
        memory = asked.get(number_hash)
        if memory is not None and memory.expires_at > now:
            report.skipped_recent += 1
            events[(visit.unit.id, "skipped_recent")] += 1
            continue
        if memory is None:
            memory = asked[number_hash] = AskedRecently(number_hash=number_hash)
            session.add(memory)
        memory.expires_at = now + settings.ask_interval
        session.add(_message(visit, settings))
        report.queued += 1
        report.per_unit[visit.unit.code] += 1
        events[(visit.unit.id, "queued")] += 1
    session.flush()
    add_counts(session, now, "sms", events)
    record(session, actor, "visits.queue", f"queued {report.queued}, not opted in "
           f"{report.skipped_unit}, asked recently {report.skipped_recent}")
    session.commit()
    return report


def _message(visit: Visit, settings: SmsSettings) -> OutboxMessage:
    due, expires = send_window(visit.visit_time, settings)
    if visit.phone:
        return OutboxMessage(kind="sms", unit_id=visit.unit.id, language=visit.language,
                             recipient=visit.phone, state=QUEUED, due_at=due,
                             expires_at=expires, attempts=0)
    return OutboxMessage(kind="email", unit_id=visit.unit.id, language=visit.language,
                         sealed=seal({"email": visit.email}), state=QUEUED, due_at=due,
                         expires_at=expires, attempts=0)


def import_visits_file(session: Session, data: bytes, now: datetime | None = None,
                       actor: str = "cli") -> QueueReport:
    """``survey-app visits import``: the CSV checked whole, then queued."""
    items, problems = parse_csv(data)
    if problems:
        raise VisitBatchError(problems)
    return queue_visits(session, items, now, actor, unit="line")
