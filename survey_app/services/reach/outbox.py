"""The outbox worker: claim, send, forget the number; retry with back-off; dead letters.

Exactly-once is impossible across a crash between "the gateway accepted" and "we recorded
it", so the worker prefers **never sending twice** (at most once):

1. *Claim*: a batch of due rows goes from ``queued`` to ``claimed`` (``due_at`` becomes the
   claim time) in one committed transaction, together with the hashes of the new link codes.
2. *Send*: each message is built in memory (number + code never meet in a table) and handed
   to the gateway.
3. *Settle*: accepted rows become ``sent`` and lose their number (group-committed, every few
   dozen messages); refused ones go back to ``queued`` with a doubled back-off, or to ``dead``
   after ``OUTBOX_MAX_ATTEMPTS`` or on a permanent refusal, and lose their number too.

A worker killed between 1 and 3 leaves rows ``claimed``. Nothing ever sends a claimed row
again: after ``OUTBOX_CLAIM_TIMEOUT`` the next run marks them ``unsure`` and deletes the
number. Those visits got one message or none, never two; every row still ``queued`` at the
kill is sent by the next run.
"""

from __future__ import annotations

import logging
import smtplib
import time as clock
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from survey_app.models import OutboxMessage, SmsCode
from survey_app.models.reach import CLAIMED, DEAD, EXPIRED, QUEUED, SENT
from survey_app.services.reach import codes, staff_mail, texts
from survey_app.services.reach.counts import add_counts
from survey_app.services.reach.gateways import (
    GatewayFailure,
    PermanentFailure,
    TemporaryFailure,
)
from survey_app.services.reach.keys import keyed_hash, unseal
from survey_app.services.reach.settings import SmsSettings, sms_settings

log = logging.getLogger(__name__)

#: A claimed row older than this belonged to a worker that died; it is never sent again.
UNSURE = "unsure"
DEFAULT_CLAIM_TIMEOUT = timedelta(minutes=10)
#: How long an expired code is kept so that a late click gets the "expired" page.
EXPIRED_CODES_KEPT = timedelta(days=30)
#: Accepted messages are recorded (and their numbers deleted) at least this often.
SETTLE_EVERY = 50


@dataclass(slots=True)
class RunReport:
    """What one pass did (counts only)."""

    sent: int = 0
    retried: int = 0
    dead: int = 0
    expired: int = 0
    unsure: int = 0
    by_kind: Counter = field(default_factory=Counter)

    def add(self, other: RunReport) -> None:
        """Sum another pass into this one."""
        for name in ("sent", "retried", "dead", "expired", "unsure"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(slots=True)
class _Claimed:
    id: int
    kind: str
    unit_id: int
    language: str
    attempts: int
    recipient: str | None
    sealed: str | None
    survey_id: int | None
    code: str | None = None


class Senders:
    """The gateways a pass uses: SMS (``sms_gateway()``) and e-mail (an SMTP connection)."""

    def __init__(self, sms, mail_connection_factory: Callable | None = None) -> None:
        self.sms = sms
        self._mail_factory = mail_connection_factory
        self._mail = None

    def mail(self):
        """The open SMTP connection (opened on first use)."""
        if self._mail is None:
            if self._mail_factory is None:
                raise TemporaryFailure("no mail connection")
            self._mail = self._mail_factory()
            self._mail.open()
        return self._mail

    def drop_mail(self) -> None:
        """Close the SMTP connection after an error (the next message opens a new one)."""
        if self._mail is not None:
            try:
                self._mail.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                pass
            self._mail = None

    def close(self) -> None:
        """Close everything."""
        self.drop_mail()
        self.sms.close()


def _utcnow() -> datetime:
    return datetime.now(UTC)


def run_until_idle(session: Session, senders: Senders, now: Callable[[], datetime] = _utcnow,
                   batch: int | None = None) -> RunReport:
    """``outbox run --once``: passes until nothing is due (or nothing could be sent)."""
    total = RunReport()
    while True:
        report, claimed = run_pass(session, senders, now, batch)
        total.add(report)
        if claimed == 0 or report.sent == 0:
            return total


def run_pass(session: Session, senders: Senders, now: Callable[[], datetime] = _utcnow,
             batch: int | None = None) -> tuple[RunReport, int]:
    """Recover, expire, claim one batch, send it, settle it; (report, rows claimed)."""
    settings = sms_settings()
    report = RunReport()
    moment = now()
    staff_mail.forget_closed_rounds(session, moment)
    forget_expired(session, moment)
    report.unsure = _recover_stale_claims(session, moment)
    report.expired = _expire(session, moment)
    claimed = _claim(session, moment, settings,
                     batch or int(current_app.config.get("OUTBOX_BATCH", 200)))
    pending: list[tuple[_Claimed, GatewayFailure | None]] = []
    for message in claimed:
        pending.append((message, _send(message, senders)))
        if len(pending) >= SETTLE_EVERY:
            _settle(session, pending, now(), settings, report)
            pending = []
    _settle(session, pending, now(), settings, report)
    return report, len(claimed)


def _recover_stale_claims(session: Session, moment: datetime) -> int:
    timeout = timedelta(seconds=float(current_app.config.get(
        "OUTBOX_CLAIM_TIMEOUT", DEFAULT_CLAIM_TIMEOUT.total_seconds())))
    count = _close(session, moment, CLAIMED, OutboxMessage.due_at <= moment - timeout,
                   UNSURE, "unsure")
    if count:
        log.warning("outbox: %d messages were claimed by a worker that stopped; not resent",
                    count)
    return count


def _expire(session: Session, moment: datetime) -> int:
    return _close(session, moment, QUEUED, OutboxMessage.expires_at <= moment, EXPIRED,
                  "expired")


def _close(session: Session, moment: datetime, state: str, due, new_state: str,
           counted_as: str) -> int:
    """Move the ``state`` messages matching ``due`` to ``new_state``, wipe their recipient,
    count them per unit and day as ``counted_as`` (commits); returns how many."""
    rows = list(session.execute(select(OutboxMessage.id, OutboxMessage.unit_id,
                                       OutboxMessage.kind)
                                .where(OutboxMessage.state == state, due)))
    if not rows:
        return 0
    session.execute(update(OutboxMessage).where(OutboxMessage.id.in_([r.id for r in rows]),
                                                OutboxMessage.state == state)
                    .values(state=new_state, recipient=None, sealed=None)
                    .execution_options(synchronize_session=False))
    _count(session, moment, [(r.kind, r.unit_id) for r in rows], counted_as)
    session.commit()
    return len(rows)


def _claim(session: Session, moment: datetime, settings: SmsSettings,
           limit: int) -> list[_Claimed]:
    """Take up to ``limit`` due rows and commit the claim (and the new codes) first."""
    query = select(OutboxMessage.id).where(OutboxMessage.state == QUEUED,
                                           OutboxMessage.due_at <= moment)
    if settings.quiet is not None and settings.quiet.is_quiet(moment):
        query = query.where(OutboxMessage.kind != "sms")
    ids = list(session.scalars(query.order_by(OutboxMessage.due_at, OutboxMessage.id)
                               .limit(limit)))
    if not ids:
        session.rollback()
        return []
    taken = session.execute(
        update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.state == QUEUED)
        .values(state=CLAIMED, due_at=moment)
        .returning(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.unit_id,
                   OutboxMessage.language, OutboxMessage.attempts, OutboxMessage.recipient,
                   OutboxMessage.sealed, OutboxMessage.survey_id)
        .execution_options(synchronize_session=False)).all()
    claimed = [_Claimed(*row) for row in taken]
    expires = _code_expiry(moment, settings)
    for message in claimed:
        if message.survey_id is None:  # an ask after a visit: its link gets a fresh code
            message.code = codes.new_code()
            codes.add_code(session, message.code, message.unit_id, message.language, expires)
    session.commit()
    return sorted(claimed, key=lambda m: m.id)


def _code_expiry(moment: datetime, settings: SmsSettings) -> datetime:
    """Whole hours, so a code's expiry does not pin the second it was made."""
    end = moment + settings.code_lifetime
    return end.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def dlr_url(unit_id: int) -> str:
    """Kannel's delivery-report URL for a unit's SMS: the unit and a keyed signature only."""
    base = str(current_app.config.get("SMS_DLR_BASE_URL") or "").rstrip("/")
    if not base:
        return ""
    return f"{base}/r/dlr?u={unit_id}&s={dlr_signature(unit_id)}&type=%d"


def dlr_signature(unit_id: int) -> str:
    """Proof that a delivery report's unit came from us (forged reports are ignored)."""
    return keyed_hash("dlr", str(unit_id))[:24]


def _link(code: str) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/r/{code}"


def _send(message: _Claimed, senders: Senders) -> GatewayFailure | None:
    """Hand one message to its gateway; None when accepted, else the failure."""
    try:
        if message.kind == "sms":
            senders.sms.send(message.recipient, texts.sms_text(message.language,
                                                               _link(message.code)),
                             dlr_url(message.unit_id))
        else:
            _send_mail(message, senders)
    except GatewayFailure as failure:
        return failure
    return None


def _send_mail(message: _Claimed, senders: Senders) -> None:
    from flask_mailman import EmailMessage

    data = unseal(message.sealed or "")
    if not data or not data.get("email"):
        raise PermanentFailure("sealed data unreadable (key changed?)")
    if message.survey_id is None:
        subject, body = texts.resident_mail(message.language, _link(message.code))
    else:
        subject, body = texts.staff_mail(message.language, data["link"], data.get("title", ""),
                                         data.get("closes", ""), bool(data.get("reminder")))
    mail = EmailMessage(subject, body, current_app.config.get("MAIL_DEFAULT_SENDER"),
                        [data["email"]], connection=None)
    try:
        connection = senders.mail()
        mail.connection = connection
        if connection.send_messages([mail]) != 1:
            raise TemporaryFailure("smtp not sent")
    except smtplib.SMTPRecipientsRefused as error:
        codes_ = [code for code, _text in error.recipients.values()]
        raise _smtp_failure(codes_[0] if codes_ else 550) from None
    except smtplib.SMTPResponseException as error:
        senders.drop_mail()
        raise _smtp_failure(error.smtp_code) from None
    except (smtplib.SMTPException, OSError) as error:
        senders.drop_mail()
        raise TemporaryFailure(f"smtp {type(error).__name__}") from None


def _smtp_failure(code: int) -> GatewayFailure:
    """SMTP 4xx: try again later; 5xx: never."""
    if 400 <= code < 500:
        return TemporaryFailure(f"smtp {code}")
    return PermanentFailure(f"smtp {code}")


def _settle(session: Session, results: list[tuple[_Claimed, GatewayFailure | None]],
            moment: datetime, settings: SmsSettings, report: RunReport) -> None:
    """Record outcomes: forget numbers of accepted and given-up messages; schedule retries."""
    if not results:
        return
    accepted = [m for m, failure in results if failure is None]
    if accepted:
        session.execute(update(OutboxMessage).where(
            OutboxMessage.id.in_([m.id for m in accepted]), OutboxMessage.state == CLAIMED)
            .values(state=SENT, recipient=None, sealed=None, attempts=OutboxMessage.attempts + 1,
                    last_error=None).execution_options(synchronize_session=False))
        _count(session, moment, [(m.kind, m.unit_id) for m in accepted], "sent")
        report.sent += len(accepted)
    for message, failure in results:
        if failure is not None:
            _failed(session, message, failure, moment, settings, report)
    session.commit()


def _failed(session: Session, message: _Claimed, failure: GatewayFailure, moment: datetime,
            settings: SmsSettings, report: RunReport) -> None:
    attempts = message.attempts + 1
    if message.code is not None:  # the link was never sent: its code must not linger
        session.execute(update(SmsCode).where(SmsCode.code_hash == codes.code_hash(message.code))
                        .values(spent=True).execution_options(synchronize_session=False))
    give_up = isinstance(failure, PermanentFailure) or attempts >= settings.max_attempts
    values = {"attempts": attempts, "last_error": failure.reason}
    if give_up:
        values.update(state=DEAD, recipient=None, sealed=None)
        report.dead += 1
        event = "dead"
    else:
        due = moment + settings.backoff * (2 ** (attempts - 1))
        if message.kind == "sms" and settings.quiet is not None:
            due = settings.quiet.next_allowed(due)
        values.update(state=QUEUED, due_at=due)
        report.retried += 1
        event = "retried"
    session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id,
                                                OutboxMessage.state == CLAIMED)
                    .values(**values).execution_options(synchronize_session=False))
    _count(session, moment, [(message.kind, message.unit_id)], event)
    log.info("outbox: message %d %s (%s)", message.id, event, failure.reason)


def _count(session: Session, moment: datetime, rows: list[tuple[str, int]], event: str) -> None:
    by_kind: dict[str, Counter] = {}
    for kind, unit_id in rows:
        by_kind.setdefault(kind, Counter())[(unit_id, event)] += 1
    for kind, events in by_kind.items():
        add_counts(session, moment, kind, events)


def run_forever(session_factory, senders: Senders, poll_seconds: float = 5.0,
                now: Callable[[], datetime] = _utcnow, should_stop=lambda: False) -> None:
    """The long-running worker: a pass, then a pause when nothing was due."""
    while not should_stop():
        session = session_factory()
        try:
            report, claimed = run_pass(session, senders, now)
        finally:
            session.close()
        if claimed == 0:
            clock.sleep(poll_seconds)


def forget_expired(session: Session, moment: datetime) -> int:
    """Delete lapsed ask memory, and codes a month after they expired (every pass: cheap).

    Expired codes stay a month so that a late click gets "this link has expired", not
    "not valid"; a code row holds no number, so keeping it reveals nothing about anyone.
    """
    from sqlalchemy import delete

    from survey_app.models import AskedRecently

    removed = session.execute(delete(AskedRecently).where(
        AskedRecently.expires_at <= moment)).rowcount
    removed += session.execute(delete(SmsCode).where(
        SmsCode.expires_at <= moment - EXPIRED_CODES_KEPT)).rowcount
    session.commit()
    return removed


def purge(session: Session, moment: datetime, keep_days: int = 30) -> int:
    """Delete settled outbox rows, spent or expired codes and lapsed ask memory."""
    from sqlalchemy import delete

    from survey_app.models import AskedRecently

    cutoff = moment - timedelta(days=keep_days)
    removed = session.execute(delete(OutboxMessage).where(
        OutboxMessage.state.in_([SENT, DEAD, EXPIRED, UNSURE]),
        OutboxMessage.due_at < cutoff)).rowcount
    removed += session.execute(delete(SmsCode).where(
        SmsCode.expires_at <= moment - EXPIRED_CODES_KEPT)).rowcount
    removed += session.execute(delete(AskedRecently).where(
        AskedRecently.expires_at <= moment)).rowcount
    session.commit()
    return removed

