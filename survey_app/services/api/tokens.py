"""API tokens for BI tools: created once, stored as a SHA-256 hash, scoped like users."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.errors import InvalidInput, NotFound
from survey_app.models import ApiToken, ApiTokenScope, OrgUnit, Role
from survey_app.periods import helsinki_now
from survey_app.services.access import Scope, scope_for
from survey_app.services.audit import record

#: Prefix that makes a leaked token recognisable to secret scanners.
TOKEN_PREFIX = "sapi_"
#: Roles a token may have: never ``admin``; ``visits`` only posts visits and reads nothing.
TOKEN_ROLES = (Role.HR, Role.MANAGER, Role.VISITS)
MAX_NAME_LENGTH = 120


@dataclass(frozen=True, slots=True)
class CreatedToken:
    """A new token and its secret, which is shown this once and never stored."""

    token: ApiToken
    secret: str


def hash_token(secret: str) -> str:
    """Hex SHA-256 of the secret: what the database keeps and looks up."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(session: Session, name: str, role: str, unit_codes=(), actor: str = "cli",
                 today: date | None = None) -> CreatedToken:
    """Create a token (``hr`` or ``manager`` with unit subtrees); return it with its secret."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH or name.isdigit():
        raise InvalidInput(_("A token name must be 1–120 characters and not only digits."))
    if session.scalar(select(ApiToken).where(func.lower(ApiToken.name) == name.lower())):
        raise InvalidInput(_("A token named %(name)s already exists.", name=name))
    role = _parse_role(role)
    units = _scope_units(session, unit_codes)
    if role == Role.MANAGER and not units:
        raise InvalidInput(_("A manager token needs at least one unit."))
    if role in (Role.HR, Role.VISITS) and units:
        raise InvalidInput(_("An HR token reads every unit; give units only to a manager token."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=hash_token(secret), role=role, created_by=actor,
                     created_on=today or helsinki_now().date(), revoked=False,
                     scopes=[ApiTokenScope(unit_id=unit.id) for unit in units])
    session.add(token)
    record(session, actor, "token.create", f"{name} ({role.value})")
    session.commit()
    return CreatedToken(token, secret)


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token, active and revoked, by name."""
    return list(session.scalars(select(ApiToken).order_by(func.lower(ApiToken.name),
                                                          ApiToken.id)))


def get_token(session: Session, name_or_id: str | int) -> ApiToken:
    """A token by id (digits) or by name (case-insensitive), or NotFound."""
    key = str(name_or_id).strip()
    if key.isdigit():
        token = session.get(ApiToken, int(key)) if len(key) < 10 else None
    else:
        token = session.scalar(select(ApiToken).where(func.lower(ApiToken.name) == key.lower()))
    if token is None:
        raise NotFound(_("No API token %(name)s.", name=key[:MAX_NAME_LENGTH]))
    return token


def revoke_token(session: Session, name_or_id: str | int, actor: str = "cli") -> ApiToken:
    """Revoke a token for good; revoking twice is harmless."""
    token = get_token(session, name_or_id)
    if not token.revoked:
        token.revoked = True
        record(session, actor, "token.revoke", token.name)
        session.commit()
    return token


def authenticate(session: Session, secret: str | None, today: date | None = None
                 ) -> ApiToken | None:
    """The active token with this secret, its last-used day brought up to today; else None."""
    if not secret or len(secret) > 200:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.revoked:
        return None
    today = today or helsinki_now().date()
    if token.last_used_on != today:
        token.last_used_on = today
        session.commit()
    return token


def token_scope(token: ApiToken) -> Scope:
    """The units the token may read: everything for ``hr``, subtrees for ``manager``."""
    return scope_for(token.role, [scope.unit for scope in token.scopes])


def _parse_role(role) -> Role:
    try:
        parsed = Role(str(role))
    except ValueError:
        parsed = None
    if parsed not in TOKEN_ROLES:
        raise InvalidInput(_("A token's role is hr, manager or visits, not %(role)s.",
                             role=str(role)[:20]))
    return parsed


def _scope_units(session: Session, codes) -> list[OrgUnit]:
    units = []
    for code in dict.fromkeys(codes):
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        if unit is None:
            raise InvalidInput(_("Unknown unit %(code)s.", code=str(code)[:40]))
        units.append(unit)
    return units
