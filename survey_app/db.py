"""SQLAlchemy engine and one session per application context."""

from __future__ import annotations

import logging
import select
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask, current_app, g
from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator):
    """A moment stored as UTC and always read back aware, in UTC, on every backend.

    SQLite keeps no time zone: without this, SQLite would hand back naive datetimes and
    every caller would have to guess. A naive value given to it is taken as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names for Alembic."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def database_url(app: Flask) -> str:
    """The configured URL, or the SQLite file under the instance folder."""
    url = app.config.get("DATABASE_URL")
    if url:
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgres://")
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + str(Path(app.instance_path) / "survey.db")


def make_engine(url: str, *, echo: bool = False, pool_size: int = 5) -> Engine:
    """An engine tuned per backend: SQLite with foreign keys and WAL, PostgreSQL with a cheap
    liveness check at checkout."""
    # hide_parameters: bound values (answers, comments, password hashes) never appear in SQL
    # logs or in the text of database errors, which the error handler logs.
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30},
                               hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_recycle=1800,
        hide_parameters=True,
    )
    event.listen(engine, "checkout", _drop_if_closed_by_server)
    return engine


def _drop_if_closed_by_server(dbapi_connection, _record, _proxy) -> None:
    """Pessimistic disconnect handling without a round trip (instead of ``pool_pre_ping``).

    An idle PostgreSQL connection receives nothing unless the server is going away: a
    restart or a terminated backend sends its FATAL message and closes the socket, a cut
    network path closes it. So a socket that is already readable (or a connection psycopg
    knows is closed) is handed back as disconnected, and the pool connects afresh (up to
    three tries, then the usual OperationalError, a 503). A path that dies silently is not
    seen here, as a ping would not see it sooner than its own timeout either.
    """
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("connection closed")
    poller = select.poll()  # poll, not select(): no limit on the descriptor's number
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    if poller.poll(0):  # readable, or hung up / in error (reported whatever was asked)
        raise DisconnectionError("the server closed the connection or is shutting down")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """Foreign keys on; WAL so that readers do not block the one writer; deleted rows
    overwritten (retention, finalised staff rounds), not left in the file's free pages."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def init_app(app: Flask) -> None:
    """Create the engine and session factory and close the session at teardown."""
    url = database_url(app)
    app.config["DATABASE_URL"] = url
    if not app.config.get("DATABASE_ECHO"):
        # A root logger at DEBUG would otherwise make SQLAlchemy log every result row
        # (comments, answers); SQL logging is asked for with DATABASE_ECHO only.
        # (the pool's DEBUG lines name connections and hosts: kept quiet as well).
        for name in ("sqlalchemy.engine", "sqlalchemy.pool"):
            logging.getLogger(name).setLevel(logging.WARNING)
    engine = make_engine(
        url, echo=app.config.get("DATABASE_ECHO", False),
        pool_size=int(app.config.get("DATABASE_POOL_SIZE", 5)),
    )
    app.extensions["sqlalchemy_engine"] = engine
    app.extensions["sqlalchemy_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(close_session)


def get_engine() -> Engine:
    """The current app's engine."""
    return current_app.extensions["sqlalchemy_engine"]


def get_session() -> Session:
    """The session of the current application context, created on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["sqlalchemy_sessionmaker"]()
    return g.db_session


def close_session(exc: BaseException | None = None) -> None:
    """Roll back whatever was not committed and return the connection to the pool."""
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        if exc is not None:
            session.rollback()
        session.close()
    except DBAPIError as error:
        # A connection that died mid-request: the server has already discarded its
        # transaction, and the pool has dropped it. Anything else is a real error.
        if not error.connection_invalidated:
            raise
