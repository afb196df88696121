"""API tokens: the service (hash only, scopes, revoke, last-used day) and the CLI."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from survey_app.errors import InvalidInput, NotFound
from survey_app.models import ApiToken, AuditEvent
from survey_app.services.api import tokens as token_service


@pytest.fixture
def units(make_unit):
    root = make_unit("ROOT")
    return {"ROOT": root, "A": make_unit("A", parent=root)}


def test_create_stores_only_the_sha256_of_the_secret(session, units):
    created = token_service.create_token(session, "powerbi", "hr")
    stored = session.scalar(select(ApiToken))
    assert stored.token_hash == hashlib.sha256(created.secret.encode()).hexdigest()
    assert created.secret not in repr(stored.__dict__)
    assert created.secret.startswith(token_service.TOKEN_PREFIX) and len(created.secret) > 40
    events = session.scalars(select(AuditEvent)).all()
    assert [(e.action, e.detail) for e in events] == [("token.create", "powerbi (hr)")]
    assert created.secret not in events[0].detail


def test_manager_token_is_scoped_to_its_subtrees(session, units):
    created = token_service.create_token(session, "team-a", "manager", ["A"])
    scope = token_service.token_scope(created.token)
    assert scope.allows(units["A"]) and not scope.allows(units["ROOT"])


@pytest.mark.parametrize("name, role, codes", [
    ("x", "admin", []), ("x", "boss", []), ("x", "manager", []), ("x", "manager", ["NOPE"]),
    ("x", "hr", ["A"]), ("", "hr", []), ("12", "hr", []), ("y" * 121, "hr", []),
])
def test_create_refuses_bad_input_and_stores_nothing(session, units, name, role, codes):
    with pytest.raises(InvalidInput):
        token_service.create_token(session, name, role, codes)
    session.rollback()
    assert session.scalar(select(ApiToken)) is None


def test_names_are_unique_ignoring_case(session, units):
    token_service.create_token(session, "PowerBI", "hr")
    with pytest.raises(InvalidInput):
        token_service.create_token(session, "powerbi", "hr")


def test_authenticate_accepts_active_and_refuses_revoked_or_unknown(session, units):
    created = token_service.create_token(session, "bi", "hr")
    assert token_service.authenticate(session, created.secret).id == created.token.id
    assert token_service.authenticate(session, created.secret + "x") is None
    assert token_service.authenticate(session, None) is None
    token_service.revoke_token(session, str(created.token.id))
    assert token_service.authenticate(session, created.secret) is None


def test_revoke_by_name_or_id_and_unknown_is_not_found(session, units):
    created = token_service.create_token(session, "bi", "hr")
    assert token_service.revoke_token(session, "BI").revoked
    with pytest.raises(NotFound):
        token_service.revoke_token(session, "nothing")
    with pytest.raises(NotFound):
        token_service.revoke_token(session, "99999999999999999999")
    assert token_service.get_token(session, created.token.id).revoked


def test_cli_create_prints_the_secret_once_and_list_never_shows_it(runner, units, session):
    result = runner.invoke(args=["tokens", "create", "bi-a", "--role", "manager",
                                 "--unit", "A"])
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip().splitlines()[-1]
    assert token_service.authenticate(session, secret) is not None
    listing = runner.invoke(args=["tokens", "list"])
    assert "bi-a\tmanager\tA\tactive" in listing.output and secret not in listing.output
    revoked = runner.invoke(args=["tokens", "revoke", "bi-a"])
    assert revoked.exit_code == 0 and "revoked" in runner.invoke(args=["tokens", "list"]).output


def test_cli_refuses_a_manager_token_without_units(runner, units):
    result = runner.invoke(args=["tokens", "create", "bi", "--role", "manager"])
    assert result.exit_code != 0 and "at least one unit" in result.output
    assert runner.invoke(args=["tokens", "revoke", "nope"]).exit_code != 0
