"""Pulse invitations and reminders by e-mail through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from survey_app.models import MailRecipient, OutboxMessage, ReachCount
from survey_app.services import pulse
from survey_app.services.reach import mail as reach_mail
from survey_app.services.reach import outbox, staff_mail
from survey_app.services.reach.gateways import LogGateway
from tests.pulse_support import answer_form
from tests.reach.smtp import SmtpServer

LINK = re.compile(r"https://kysely\.example\.fi/(\w\w)/p/([A-Za-z0-9_-]{43})")
FILE = (b"email,unit_code,lang\n"
        b"aino@example.fi,A,fi\n"
        b"bengt@example.fi,B,sv\n"
        b"amal@example.fi,A,ar\n")


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mail_app(make_app, smtp):
    return make_app(PUBLIC_BASE_URL="https://kysely.example.fi", **smtp.settings())


@pytest.fixture
def round_(mail_app, session, make_unit, make_survey):
    root = make_unit("ROOT", kind="staff")
    make_unit("A", parent=root, kind="staff")
    make_unit("B", parent=root, kind="staff")
    return make_survey(root, kind="pulse", code="R1",
                       opens_at=datetime.now(UTC) - timedelta(days=1),
                       closes_at=datetime.now(UTC) + timedelta(days=10))


def _send(app, session, now=None):
    with app.app_context():
        senders = outbox.Senders(LogGateway(), reach_mail.connection_factory())
        try:
            return outbox.run_until_idle(session, senders,
                                         (lambda: now) if now else outbox._utcnow)
        finally:
            senders.close()


def _invite(app, session, data=FILE):
    with app.app_context():
        return staff_mail.send_invitations(session, "R1", data, "https://kysely.example.fi",
                                           datetime.now(UTC))


def test_each_person_gets_one_link_in_their_language_that_works_once(mail_app, session,
                                                                     round_, smtp):
    assert _invite(mail_app, session).queued == 3
    assert _send(mail_app, session).sent == 3
    by_address = {m.to: m for m in smtp.messages}
    assert sorted(by_address) == ["aino@example.fi", "amal@example.fi", "bengt@example.fi"]
    assert by_address["aino@example.fi"].subject.startswith("Henkilöstön pulssikysely")
    assert by_address["bengt@example.fi"].subject.startswith("Personalens pulsenkät")
    assert by_address["amal@example.fi"].subject.startswith("استطلاع نبض الموظفين")
    links = {to: LINK.search(m.body).groups() for to, m in by_address.items()}
    assert {to: lang for to, (lang, _token) in links.items()} == {
        "aino@example.fi": "fi", "bengt@example.fi": "sv", "amal@example.fi": "ar"}
    assert len({token for _lang, token in links.values()}) == 3
    client = mail_app.test_client()
    lang, token = links["bengt@example.fi"]
    assert client.get(f"/{lang}/p/{token}").status_code == 200
    assert client.post(f"/{lang}/p/{token}", data=answer_form()).status_code == 303
    assert client.post(f"/{lang}/p/{token}", data=answer_form()).status_code == 409
    session.expire_all()
    assert {(r.state, r.sealed) for r in session.scalars(select(OutboxMessage))} == {
        ("sent", None)}


def test_the_closing_day_is_shown_as_its_last_minute_in_helsinki(mail_app, session, round_,
                                                                 smtp):
    round_.closes_at = pulse.parse_moment("2099-12-14", end_of_day=True)
    session.commit()
    _invite(mail_app, session)
    _send(mail_app, session)
    by_address = {m.to: m for m in smtp.messages}
    assert "14.12.2099 23.59" in by_address["aino@example.fi"].body
    assert "2099-12-14 23:59" in by_address["bengt@example.fi"].body
    assert "11:59 م" in by_address["amal@example.fi"].body


def test_uploading_the_same_people_again_sends_nothing_twice(mail_app, session, round_, smtp):
    _invite(mail_app, session)
    again = _invite(mail_app, session)
    assert (again.queued, again.already_invited) == (0, 3)
    _send(mail_app, session)
    assert len(smtp.messages) == 3


def test_a_bad_recipients_file_lists_every_line_and_sends_nothing(mail_app, session, round_,
                                                                  smtp):
    bad = (b"email,unit_code,lang\naino@example.fi,A,fi\nnot-an-address,A,fi\n"
           b"x@example.fi,ELSEWHERE,fi\ny@example.fi,B,de\nAINO@example.fi,B,sv\n")
    with pytest.raises(staff_mail.RecipientFileError) as refused:
        _invite(mail_app, session, bad)
    assert [line for line, _reason in refused.value.problems] == [3, 4, 5, 6]
    _send(mail_app, session)
    assert smtp.messages == []
    assert list(session.scalars(select(MailRecipient))) == []


def test_reminders_go_to_everyone_by_default_and_to_non_respondents_only_on_request(
        mail_app, session, round_, smtp):
    _invite(mail_app, session)
    _send(mail_app, session)
    lang, token = LINK.search(next(m.body for m in smtp.messages
                                   if m.to == "aino@example.fi")).groups()
    assert mail_app.test_client().post(f"/{lang}/p/{token}",
                                       data=answer_form()).status_code == 303
    with mail_app.app_context():
        assert staff_mail.send_reminders(session, "R1", datetime.now(UTC)).queued == 3
    _send(mail_app, session)
    reminders = [m for m in smtp.messages if m.subject.startswith(("Muistutus", "Påminnelse",
                                                                   "تذكير"))]
    assert sorted(m.to for m in reminders) == ["aino@example.fi", "amal@example.fi",
                                               "bengt@example.fi"]
    assert "Jos olet jo vastannut, kiitos!" in next(m.body for m in reminders
                                                     if m.to == "aino@example.fi")
    with mail_app.app_context():
        only = staff_mail.send_reminders(session, "R1", datetime.now(UTC),
                                         only_non_respondents=True)
    assert only.queued == 2


def test_smtp_4xx_is_retried_5xx_fails_and_failures_are_counted_per_unit(mail_app, session,
                                                                          round_, smtp):
    data = (b"email,unit_code,lang\nbusy@example.fi,A,fi\ngone@example.fi,B,fi\n"
            b"ok@example.fi,B,fi\n")
    _invite(mail_app, session, data)
    report = _send(mail_app, session)
    assert (report.sent, report.retried, report.dead) == (1, 1, 1)
    session.expire_all()
    states = sorted((r.state, r.last_error) for r in session.scalars(select(OutboxMessage)))
    assert states == [("dead", "smtp 550"), ("queued", "smtp 451"), ("sent", None)]
    counts = {(c.unit_id, c.event): c.n for c in session.scalars(
        select(ReachCount).where(ReachCount.kind == "email"))}
    a, b = round_.unit.children
    assert counts == {(a.id, "retried"): 1, (b.id, "dead"): 1, (b.id, "sent"): 1}
    assert [m.to for m in smtp.messages] == ["ok@example.fi"]


def test_the_sealed_recipients_are_deleted_when_the_round_closes(mail_app, session, round_,
                                                                 smtp):
    _invite(mail_app, session)
    _send(mail_app, session)
    rows = list(session.scalars(select(MailRecipient)))
    assert len(rows) == 3 and all("example.fi" not in r.sealed for r in rows)
    with mail_app.app_context():
        pulse.close_round(session, "R1", datetime.now(UTC))
    _send(mail_app, session)
    session.expire_all()
    assert list(session.scalars(select(MailRecipient))) == []


def test_cli_sends_invitations_from_a_file(mail_app, session, round_, smtp, tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes(FILE)
    runner = mail_app.test_cli_runner()
    result = runner.invoke(args=["invitations", "send", "--round", "R1", "--recipients",
                                 str(path)])
    assert result.exit_code == 0, result.output
    assert "Queued 3 invitations" in result.output
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 3


def test_a_visit_without_a_number_is_asked_once_by_e_mail_with_a_working_link(
        mail_app, session, make_unit, make_survey, smtp):
    from survey_app.models import Response
    from survey_app.services.reach import visits as visit_service
    from tests.reach.conftest import visit

    unit = make_unit("KAJ-TK", kind="resident")
    unit.sms = True
    session.commit()
    make_survey(unit)
    with mail_app.app_context():
        report = visit_service.queue_visits(session, [
            visit(phone="", email="Resident@Example.fi", language="uk")])
    assert report.queued == 1
    (row,) = session.scalars(select(OutboxMessage))
    assert row.recipient is None and "example.fi" not in row.sealed.lower()
    assert _send(mail_app, session).sent == 1
    (mail,) = smtp.messages
    assert mail.to == "Resident@Example.fi" and "Дякуємо за візит" in mail.body
    code = re.search(r"/r/([a-z2-7]{16})", mail.body).group(1)
    client = mail_app.test_client()
    assert client.post(f"/r/{code}", data={"recommend": "10"}).status_code == 303
    assert client.post(f"/r/{code}", data={"recommend": "10"}).status_code == 410
    session.expire_all()
    assert [(r.channel, r.language) for r in session.scalars(select(Response))] == [
        ("invited", "uk")]
    assert session.scalar(select(OutboxMessage.sealed)) is None
