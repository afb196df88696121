"""Admin pages of reach and pulse operations: SMS opt-in, e-mail invitations, bulk links,
overlap warning, close confirmation, live response rates, the closing minute, landing page."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from survey_app.models import Invitation, OrgUnit, StaffRound, Survey
from survey_app.services.users import create_user
from tests.web.admin_support import (  # noqa: F401
    ENGLISH,
    PASSWORD,
    admin_client_fixture,
    audit_actions,
    login,
)

FINNISH = {"Accept-Language": "fi"}


def _spaces(text: str) -> str:
    """CLDR puts narrow and no-break spaces in times ("11:59\u202fPM"); make them plain."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_an_admin_turns_sms_asks_on_and_off_per_unit(admin_client, make_unit, session):
    make_unit("KAJ-TK", kind="resident")
    page = admin_client.get("/admin/reach", headers=ENGLISH)
    assert page.status_code == 200 and "KAJ-TK" in page.text and ">off<" in page.text
    on = admin_client.post("/admin/reach/units/KAJ-TK/sms", data={"sms": "on"}, headers=ENGLISH)
    assert on.status_code == 303 and on.headers["Location"] == "/admin/reach"
    session.expire_all()
    assert session.scalar(select(OrgUnit.sms)) is True
    admin_client.post("/admin/reach/units/KAJ-TK/sms", data={"sms": "off"})
    session.expire_all()
    assert session.scalar(select(OrgUnit.sms)) is False
    assert audit_actions(session)[-2:] == ["units.sms", "units.sms"]
    refused = admin_client.post("/admin/reach/units/NOPE/sms", data={"sms": "on"},
                                headers=ENGLISH, follow_redirects=True)
    assert "No unit with the code NOPE." in refused.text
    assert audit_actions(session)[-1] == "units.sms.refused"


def test_the_opt_in_switch_needs_a_csrf_token(make_app, make_unit, session):
    app = make_app(WTF_CSRF_ENABLED=True)
    create_user(session, "ada", PASSWORD, "admin")
    make_unit("KAJ-TK", kind="resident")
    client = app.test_client()
    page = client.get("/login")
    token = page.text.split('name="csrf_token" type="hidden" value="')[-1].split('"')[0] \
        if 'name="csrf_token" type="hidden"' in page.text else \
        page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "ada", "password": PASSWORD, "csrf_token": token})
    assert client.post("/admin/reach/units/KAJ-TK/sms", data={"sms": "on"}).status_code == 400
    session.expire_all()
    assert session.scalar(select(OrgUnit.sms)) is False


def _round(make_unit, make_survey, code="R1", closes_in=10):
    root = make_unit("ROOT", kind="staff")
    a = make_unit("A", parent=root, kind="staff")
    b = make_unit("B", parent=root, kind="staff")
    survey = make_survey(root, kind="pulse", code=code,
                         opens_at=datetime.now(UTC) - timedelta(days=1),
                         closes_at=datetime.now(UTC) + timedelta(days=closes_in))
    return survey, a, b


def test_bulk_invitations_for_many_units_from_one_upload(admin_client, make_unit, make_survey,
                                                         session):
    _round(make_unit, make_survey)
    sizes = io.BytesIO(b"unit_code,count\nA,3\nB,2\n")
    response = admin_client.post("/admin/invitations/bulk", data={
        "round": "R1", "file": (sizes, "sizes.csv"), "lang": "sv"},
        content_type="multipart/form-data", headers=ENGLISH)
    assert response.status_code == 200, response.text
    lines = response.text.strip().splitlines()
    assert lines[0] == "unit_code,link" and len(lines) == 6
    assert all("/sv/p/" in line for line in lines[1:])
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["A", "A", "A", "B", "B"]
    assert len(list(session.scalars(select(Invitation)))) == 5
    bad = admin_client.post("/admin/invitations/bulk", data={
        "round": "R1", "file": (io.BytesIO(b"A,x\nNOPE,2\n"), "s.csv"), "lang": "fi"},
        content_type="multipart/form-data", headers=ENGLISH)
    assert bad.status_code == 400 and "line 1" in bad.text
    assert len(list(session.scalars(select(Invitation)))) == 5


def test_a_new_round_overlapping_an_open_one_needs_a_confirmation(admin_client, make_unit,
                                                                  make_survey, session):
    _round(make_unit, make_survey)
    form = {"code": "R2", "title": "", "unit": "A", "instrument": "staff-pulse:1",
            "opens": datetime.now(UTC).date().isoformat(),
            "closes": (datetime.now(UTC) + timedelta(days=5)).date().isoformat()}
    warned = admin_client.post("/admin/rounds", data=form, headers=ENGLISH)
    assert warned.status_code == 409
    assert "overlaps R1" in warned.text and 'name="confirm_overlap"' in warned.text
    assert session.scalar(select(Survey).where(Survey.code == "R2")) is None
    created = admin_client.post("/admin/rounds", data={**form, "confirm_overlap": "y"},
                                headers=ENGLISH)
    assert created.status_code == 303
    assert session.scalar(select(Survey).where(Survey.code == "R2")) is not None
    later = {**form, "code": "R3", "opens": "2090-01-01", "closes": "2090-02-01"}
    assert admin_client.post("/admin/rounds", data=later, headers=ENGLISH).status_code == 303


def test_closing_a_round_asks_for_confirmation_first(admin_client, make_unit, make_survey,
                                                    session):
    _round(make_unit, make_survey)
    unconfirmed = admin_client.post("/admin/rounds/R1/close", headers=ENGLISH)
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["Location"] == "/admin/rounds/R1/close"
    page = admin_client.get("/admin/rounds/R1/close", headers=ENGLISH)
    assert "Close the round R1?" in page.text and 'name="confirm" value="yes"' in page.text
    session.expire_all()
    assert session.scalar(select(Survey.closes_at)) > datetime.now(UTC)
    done = admin_client.post("/admin/rounds/R1/close", data={"confirm": "yes"}, headers=ENGLISH,
                             follow_redirects=True)
    assert "Pulse round R1 is closed." in done.text


def test_the_closing_day_is_shown_as_its_last_minute_to_admins_and_staff(admin_client,
                                                                        make_unit, session):
    make_unit("KAI", kind="staff")
    form = {"code": "R9", "title": "", "unit": "KAI", "instrument": "staff-pulse:1",
            "opens": "2026-01-01", "closes": "2099-12-14"}
    assert admin_client.post("/admin/rounds", data=form).status_code == 303
    fi = _spaces(admin_client.get("/admin/rounds", headers=FINNISH).text)
    assert "14.12.2099 klo 23.59" in fi or "14.12.2099 23.59" in fi
    assert "15.12.2099" not in fi
    from survey_app.services.pulse import new_token
    from tests.pulse_support import stored_hash
    survey = session.scalar(select(Survey).where(Survey.code == "R9"))
    tokens = {}
    for lang in ("fi", "ar", "en"):
        tokens[lang] = new_token()
        session.add(Invitation(survey_id=survey.id, unit_id=survey.unit_id,
                               token_hash=stored_hash(tokens[lang]), used=False))
    session.commit()
    staff = admin_client.application.test_client()
    assert "23.59" in staff.get(f"/fi/p/{tokens['fi']}").text
    english = _spaces(staff.get(f"/en/p/{tokens['en']}").text)
    assert "11:59 PM" in english and "December 14, 2099" in english
    assert "11:59 م" in _spaces(staff.get(f"/ar/p/{tokens['ar']}").text)


def test_the_live_response_rate_hides_units_below_k(admin_client, make_unit, make_survey,
                                                    session):
    survey, a, b = _round(make_unit, make_survey)
    for unit, invited, answered in ((a, 10, 6), (b, 8, 2)):
        for _ in range(invited):
            session.add(Invitation(survey_id=survey.id, unit_id=unit.id,
                                   token_hash=f"{unit.code}{_}{'x' * 60}"[:64], used=False))
        session.add(StaffRound(survey_id=survey.id, unit_id=unit.id, n=answered, comments=0,
                               **{f"c{v}": 0 for v in range(11)}))
    session.commit()
    page = admin_client.get("/admin/rounds/R1", headers=ENGLISH).text
    assert "60%" in page
    assert "fewer than 5" in page
    assert ">2<" not in page and "25%" not in page


def test_an_admin_lands_on_admin_and_others_on_reports(app, session):
    create_user(session, "ada", PASSWORD, "admin")
    create_user(session, "hanna", PASSWORD, "hr")
    assert login(app.test_client(), "ada").headers["Location"] == "/admin/"
    assert login(app.test_client(), "hanna").headers["Location"].startswith("/reports")


def test_admin_and_reports_link_to_each_other(admin_client, make_unit):
    make_unit("ROOT")
    assert 'href="/reports/"' in admin_client.get("/admin/", headers=ENGLISH).text
    assert 'href="/admin/"' in admin_client.get("/reports/", headers=ENGLISH).text


def test_the_mail_page_explains_what_reminding_non_respondents_reveals(admin_client, make_unit,
                                                                       make_survey):
    _round(make_unit, make_survey)
    page = admin_client.get("/admin/reach/mail", headers=ENGLISH).text
    assert "see who has answered (never what they answered)" in page
    assert '<option selected value="everyone">' in page or \
        'value="everyone" selected' in page or '<option selected value="everyone"' in page


def test_the_audit_log_names_actions_in_the_page_language(admin_client, make_unit):
    make_unit("KAJ-TK", kind="resident")
    admin_client.post("/admin/reach/units/KAJ-TK/sms", data={"sms": "on"})
    admin_client.post("/admin/reach/units/NOPE/sms", data={"sms": "on"})
    finnish = admin_client.get("/admin/audit", headers=FINNISH).text
    swedish = admin_client.get("/admin/audit", headers={"Accept-Language": "sv"}).text
    assert "Tekstiviestikyselyt muutettu <code>units.sms</code>" in finnish
    assert "Hylätty: Tekstiviestikyselyt muutettu" in finnish
    assert "Sms-frågor ändrade <code>units.sms</code>" in swedish
