"""Only admins reach /admin/: others get 403, anonymous users go to the login page."""

from __future__ import annotations

import re

import pytest

from survey_app.services.users import create_user
from tests.web.admin_support import PASSWORD, admin_client_fixture, login  # noqa: F401


def admin_requests(app) -> list[tuple[str, str]]:
    """(method, path) for every admin route in the URL map, with placeholder arguments."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", "someone", rule.rule)
        found += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def test_the_url_map_has_every_admin_page(app):
    paths = {path for _method, path in admin_requests(app)}
    assert {"/admin/", "/admin/units", "/admin/units/upload", "/admin/surveys", "/admin/posters",
            "/admin/rounds", "/admin/invitations", "/admin/users", "/admin/tokens",
            "/admin/audit"} <= paths
    assert len(admin_requests(app)) >= 15


@pytest.mark.parametrize("role", ["hr", "manager"])
def test_hr_and_managers_get_403_on_every_admin_route(app, session, make_unit, role):
    unit = make_unit("KAI")
    create_user(session, "olli", PASSWORD, role, [unit.code] if role == "manager" else [])
    client = app.test_client()
    login(client, "olli")
    for method, path in admin_requests(app):
        response = client.open(path, method=method, headers={"Accept-Language": "en"})
        assert response.status_code == 403, (method, path, response.status_code)
        assert "You do not have access to this." in response.text


def test_anonymous_users_are_sent_to_the_login_page_from_every_admin_route(app, session):
    client = app.test_client()
    for method, path in admin_requests(app):
        response = client.open(path, method=method)
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/login?next="), (method, path)


def test_every_admin_page_answers_an_admin(app, admin_client, make_unit):
    make_unit("KAI")
    for method, path in admin_requests(app):
        if method == "GET" and "someone" not in path:
            response = admin_client.get(path, headers={"Accept-Language": "en"})
            assert response.status_code == 200, path
            assert 'lang="en"' in response.text
    assert admin_client.get("/admin/users/ada").status_code == 200
    assert admin_client.get("/admin/users/someone").status_code == 404


def test_disabled_admins_lose_access_at_once(app, admin_client, session):
    from survey_app.services.users import set_active

    set_active(session, "ada", False)
    response = admin_client.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_every_admin_post_leaves_exactly_one_audit_event_and_never_a_500(app, admin_client,
                                                                        session, make_unit):
    from sqlalchemy import func, select

    from survey_app.models import AuditEvent

    make_unit("KAI")

    def events() -> int:
        session.expire_all()
        return session.scalar(select(func.count()).select_from(AuditEvent))

    for method, path in admin_requests(app):
        if method != "POST":
            continue
        for data in ({}, {"unit": "\x00" * 3, "count": "-1", "opens": "2026-02-30",
                          "password": "x", "active": "0", "until": "eilen",
                          "username": "a\x00b", "code": "\x00", "title": "\x00"}):
            before = events()
            response = admin_client.post(path, data=data, headers={"Accept-Language": "en"})
            assert response.status_code < 500, (path, data)
            assert events() == before + 1, (path, data)


def test_odd_names_in_admin_paths_are_404_not_errors(admin_client):
    for name in ("%00", "a%00b", "x" * 500, "%C3%A4%F0%9F%98%80"):
        for path in (f"/admin/users/{name}", f"/admin/users/{name}/active",
                     f"/admin/users/{name}/password", f"/admin/rounds/{name}/close",
                     f"/admin/rounds/{name}/open", f"/admin/surveys/{name}/close"):
            method = admin_client.get if path.startswith("/admin/users/") and \
                path.count("/") == 3 else admin_client.post
            response = method(path, data={"password": "a long enough password"},
                              follow_redirects=True)
            assert response.status_code in (200, 404), (path, response.status_code)
