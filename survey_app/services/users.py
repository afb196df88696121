"""Report users: create, list, disable, passwords, and login with throttling."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from survey_app.errors import InvalidInput, NotFound
from survey_app.models import OrgUnit, Role, User, UserScope
from survey_app.services.audit import record

_hasher = PasswordHasher()
#: A hash to verify against when the user does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not a real password")
#: Failed logins allowed before the account is throttled, and the first pause.
FREE_ATTEMPTS = 5
FIRST_PAUSE = timedelta(seconds=30)
MIN_PASSWORD_LENGTH = 12


@dataclass(frozen=True, slots=True)
class LoginResult:
    """The user on success; otherwise why not (``invalid`` or ``throttled``)."""

    user: User | None
    reason: str | None = None
    retry_after: int = 0


def hash_password(password: str) -> str:
    """Argon2id hash of a password that meets the length rule."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(_("The password must be at least %(count)d characters.",
                             count=MIN_PASSWORD_LENGTH))
    return _hasher.hash(password)


def create_user(session: Session, username: str, password: str, role: str,
                unit_codes: list[str] = (), actor: str = "cli") -> User:
    """Create a user; managers need at least one scope unit."""
    role = _parse_role(role)
    username = username.strip()
    if not username or len(username) > 80 or _has_control_characters(username):
        raise InvalidInput(_("The username must be 1–80 characters."))
    if session.scalar(select(User).where(func.lower(User.username) == username.lower())):
        raise InvalidInput(_("A user named %(name)s already exists.", name=username))
    units = _scope_units(session, unit_codes)
    if role == Role.MANAGER and not units:
        raise InvalidInput(_("A manager needs at least one unit."))
    user = User(username=username, password_hash=hash_password(password), role=role,
                scopes=[UserScope(unit_id=unit.id) for unit in units])
    session.add(user)
    record(session, actor, "user.create", f"{username} ({role.value})")
    session.commit()
    return user


def list_users(session: Session) -> list[User]:
    """All users by name."""
    return list(session.scalars(select(User).order_by(User.username)))


def get_user(session: Session, username: str) -> User:
    """The user or NotFound."""
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise NotFound(_("No user named %(name)s.", name=username))
    return user


def set_active(session: Session, username: str, active: bool, actor: str = "cli") -> User:
    """Disable (or re-enable) a user; disabling ends their sessions."""
    user = get_user(session, username)
    user.active = active
    user.session_version += 1
    record(session, actor, "user.enable" if active else "user.disable", username)
    session.commit()
    return user


def set_password(session: Session, username: str, password: str, actor: str = "cli") -> User:
    """Set a new password; old sessions end and throttling resets."""
    user = get_user(session, username)
    user.password_hash = hash_password(password)
    user.session_version += 1
    user.failed_logins = 0
    user.locked_until = None
    record(session, actor, "user.set_password", username)
    session.commit()
    return user


def authenticate(session: Session, username: str, password: str,
                 now: datetime | None = None) -> LoginResult:
    """Check a password; after FREE_ATTEMPTS failures pause the account, doubling each time."""
    now = now or datetime.now(UTC)
    username = username.strip()
    # Control characters (a NUL, say) can be in no username; PostgreSQL would refuse them.
    user = None if _has_control_characters(username) else session.scalar(
        select(User).where(func.lower(User.username) == username.lower()))
    if user is None or not user.active:
        _verify(_DUMMY_HASH, password)
        return LoginResult(None, "invalid")
    locked_until = user.locked_until
    if locked_until and locked_until > now:
        return LoginResult(None, "throttled", int((locked_until - now).total_seconds()) + 1)
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        extra = user.failed_logins - FREE_ATTEMPTS
        if extra >= 0:
            user.locked_until = now + FIRST_PAUSE * (2 ** min(extra, 10))
        session.commit()
        return LoginResult(None, "invalid")
    user.failed_logins = 0
    user.locked_until = None
    session.commit()
    return LoginResult(user)


def load_session_user(session: Session, session_id: str) -> User | None:
    """Flask-Login loader: ``id:version``; a stale version or disabled user gives None."""
    try:
        user_id, version = (int(part) for part in session_id.split(":"))
    except ValueError:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def _has_control_characters(text: str) -> bool:
    return any(ord(character) < 32 or ord(character) == 127 for character in text)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _parse_role(role: str) -> Role:
    try:
        parsed = Role(role)
    except ValueError:
        parsed = None
    if parsed is None or parsed == Role.VISITS:  # ``visits`` is a token role: nobody logs in
        message = _("Unknown role %(role)s; use admin, hr or manager.", role=role)
        raise InvalidInput(message)
    return parsed


def _scope_units(session: Session, codes) -> list[OrgUnit]:
    units = []
    for code in codes:
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        if unit is None:
            raise InvalidInput(_("Unknown unit %(code)s.", code=code))
        units.append(unit)
    return units

