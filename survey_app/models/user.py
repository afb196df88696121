"""Report users, their unit scopes, and API tokens."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from survey_app.db import Base, UtcDateTime
from survey_app.models.unit import OrgUnit


class Role(enum.StrEnum):
    """``admin`` manages everything, ``hr`` reads all units, ``manager`` reads their subtrees."""

    ADMIN = "admin"
    HR = "hr"
    MANAGER = "manager"
    #: API tokens only: may post visits (``POST /api/v1/visits``) and read nothing.
    VISITS = "visits"


def _role_enum() -> Enum:
    return Enum(Role, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])


class User(UserMixin, Base):
    """A person who reads reports or administers the service."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    #: Argon2id hash.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_role_enum())
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Consecutive failed logins and the moment until which the account is throttled.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Bumped on password change or disable; part of the session id so old sessions die.
    session_version: Mapped[int] = mapped_column(Integer, default=1)

    scopes: Mapped[list[UserScope]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:
        """Flask-Login: disabled users cannot log in or keep a session."""
        return self.active

    def get_id(self) -> str:
        """Session id: the user id and the session version."""
        return f"{self.id}:{self.session_version}"


class UserScope(Base):
    """A subtree a manager may see."""

    __tablename__ = "user_scope"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    unit: Mapped[OrgUnit] = relationship(lazy="joined")


class ApiToken(Base):
    """A bearer token for BI tools, scoped like a user; only its hash is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(_role_enum())
    created_by: Mapped[str] = mapped_column(String(80))
    created_on: Mapped[date] = mapped_column(Date)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Day of last use (a day, not a time).
    last_used_on: Mapped[date | None] = mapped_column(Date)

    scopes: Mapped[list[ApiTokenScope]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class ApiTokenScope(Base):
    """A subtree an API token may read."""

    __tablename__ = "api_token_scope"

    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), primary_key=True)
    unit: Mapped[OrgUnit] = relationship(lazy="joined")
