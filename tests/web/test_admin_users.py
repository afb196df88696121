"""Users managed from the admin pages."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.models import User
from tests.web.admin_support import (  # noqa: F401
    ENGLISH,
    PASSWORD,
    admin_client_fixture,
    audit_actions,
    login,
)


def new_user(**overrides):
    data = {"username": "maija", "password": PASSWORD, "role": "manager", "units": ["KAI-SOS"]}
    data.update(overrides)
    return data


def test_an_admin_creates_a_manager_with_units(admin_client, make_unit, session, app):
    county = make_unit("KAI")
    make_unit("KAI-SOS", parent=county)
    response = admin_client.post("/admin/users/new", data=new_user(), headers=ENGLISH)
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/users/maija"
    user = session.scalars(select(User).where(User.username == "maija")).one()
    assert user.role.value == "manager" and [s.unit.code for s in user.scopes] == ["KAI-SOS"]
    listing = admin_client.get("/admin/users", headers=ENGLISH)
    assert "maija" in listing.text and "KAI-SOS" in listing.text
    login(app.test_client(), "maija")
    assert audit_actions(session)[-1] == "user.create"


def test_user_creation_refuses_duplicates_short_passwords_and_managers_without_units(
        admin_client, make_unit, session):
    make_unit("KAI")
    cases = {"A user named ADA already exists.": new_user(username="ADA", role="hr", units=[]),
             "Use 12 to 200 characters.": new_user(password="short"),
             "A manager needs at least one unit.": new_user(units=[]),
             "Choose one of the options.": new_user(units=["NOPE"]),
             "This field is required.": new_user(username=""),
             "Remove the control characters": new_user(username="a\x00b", role="hr", units=[])}
    for message, data in cases.items():
        response = admin_client.post("/admin/users/new", data=data, headers=ENGLISH)
        assert response.status_code == 400, message
        assert message in response.text, message
    assert list(session.scalars(select(User.username))) == ["ada"]
    assert audit_actions(session)[-1] == "user.create.refused"


def test_disabling_a_user_ends_their_session_and_enabling_restores_login(
        admin_client, app, make_unit, session):
    make_unit("KAI")
    admin_client.post("/admin/users/new", data=new_user(role="hr", units=[]))
    hr_client = app.test_client()
    login(hr_client, "maija")
    assert hr_client.get("/admin/").status_code == 403
    disabled = admin_client.post("/admin/users/maija/active", data={"active": "0"},
                                 headers=ENGLISH, follow_redirects=True)
    assert "User maija is disabled." in disabled.text
    assert hr_client.get("/admin/").status_code == 302  # the session ended
    refused = hr_client.post("/login", data={"username": "maija", "password": PASSWORD})
    assert refused.status_code == 401
    enabled = admin_client.post("/admin/users/maija/active", data={"active": "1"},
                                headers=ENGLISH, follow_redirects=True)
    assert "User maija is enabled." in enabled.text
    login(app.test_client(), "maija")
    assert audit_actions(session)[-2:] == ["user.disable", "user.enable"]


def test_an_admin_cannot_disable_their_own_account(admin_client, session):
    response = admin_client.post("/admin/users/ada/active", data={"active": "0"},
                                 headers=ENGLISH, follow_redirects=True)
    assert "You cannot disable your own account." in response.text
    session.expire_all()
    assert session.scalars(select(User.active)).one() is True
    assert audit_actions(session)[-1] == "user.disable.refused"


def test_setting_a_password_works_and_is_checked(admin_client, app, make_unit, session):
    admin_client.post("/admin/users/new", data=new_user(role="hr", units=[]))
    short = admin_client.post("/admin/users/maija/password", data={"password": "short"},
                              headers=ENGLISH)
    assert short.status_code == 400 and "Use 12 to 200 characters." in short.text
    changed = admin_client.post("/admin/users/maija/password",
                                data={"password": "a brand new passphrase"}, headers=ENGLISH,
                                follow_redirects=True)
    assert "The password of maija was changed." in changed.text
    login(app.test_client(), "maija", "a brand new passphrase")
    assert audit_actions(session)[-1] == "user.set_password"
    unknown = admin_client.post("/admin/users/nobody/password", data={"password": PASSWORD * 2},
                                headers=ENGLISH)
    assert unknown.status_code == 404
