"""One exception hierarchy and one handler that answers HTML or JSON by path."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext, lazy_gettext
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class SurveyAppError(Exception):
    """Base for errors a user or client can cause; carries the HTTP status and a message."""

    status_code = 400
    code = "bad_request"
    default_message = lazy_gettext("The request could not be processed.")

    def __init__(self, message: str | None = None, **details) -> None:
        super().__init__(message or str(self.default_message))
        self.message = message or str(self.default_message)
        self.details = details


class InvalidInput(SurveyAppError):
    """Input failed validation."""

    status_code = 400
    code = "invalid_input"
    default_message = lazy_gettext("Some of the information given was not valid.")


class NotFound(SurveyAppError):
    """The thing asked for does not exist."""

    status_code = 404
    code = "not_found"
    default_message = lazy_gettext("The page or item was not found.")


class Forbidden(SurveyAppError):
    """The user may not see or do this."""

    status_code = 403
    code = "forbidden"
    default_message = lazy_gettext("You do not have access to this.")


class Conflict(SurveyAppError):
    """The request conflicts with the current state (e.g. an answer already given)."""

    status_code = 409
    code = "conflict"
    default_message = lazy_gettext("This has already been done.")


class Gone(SurveyAppError):
    """The thing existed but is no longer (or not yet) available."""

    status_code = 410
    code = "gone"
    default_message = lazy_gettext("This is not available right now.")


class ServiceUnavailable(SurveyAppError):
    """A backing service (the database) cannot be reached."""

    status_code = 503
    code = "unavailable"
    default_message = lazy_gettext(
        "The service is temporarily unavailable. Nothing was saved. Please try again in a moment."
    )


def _http_messages() -> dict[int, str]:
    """Translated messages for the HTTP errors Werkzeug raises itself."""
    return {
        400: gettext("The request could not be processed."),
        403: gettext("You do not have access to this."),
        404: gettext("The page or item was not found."),
        405: gettext("This address does not accept that kind of request."),
        413: gettext("What was sent is too large. Please shorten it and try again."),
        429: gettext("Too many attempts in a short time. Please wait a moment and try again."),
        500: gettext("Something went wrong on our side. Nothing was saved."),
    }


def wants_json() -> bool:
    """API paths and JSON clients get JSON errors; everyone else an HTML page."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def render_error(status: int, code: str, message: str):
    """The error as JSON under /api/, otherwise as the translated error page."""
    if wants_json():
        return jsonify({"error": code, "message": message}), status
    return render_template("error.html", status=status, message=message), status


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(SurveyAppError)
    def handle_app_error(error: SurveyAppError):
        return render_error(error.status_code, error.code, error.message)

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        message = _http_messages().get(status, error.description or "")
        code = (error.name or "error").lower().replace(" ", "_")
        response, status = render_error(status, code, message)
        if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            return response, status, {"Allow": ", ".join(error.valid_methods)}
        return response, status

    @app.errorhandler(DataError)
    def handle_data_the_database_refused(error: DataError):
        # Last line of defence: input the database cannot hold (a NUL, an out-of-range
        # number) is the client's error, not ours. Views validate first; this catches gaps.
        log.info("database refused a value: %s", type(error.orig).__name__ if error.orig else "")
        invalid = InvalidInput()
        return render_error(400, invalid.code, invalid.message)

    @app.errorhandler(OperationalError)
    def handle_database_down(error: OperationalError):
        log.warning("database unavailable: %s", type(error.orig).__name__ if error.orig else "")
        unavailable = ServiceUnavailable()
        return render_error(503, unavailable.code, unavailable.message)

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return handle_http_error(error)
        log.exception("unhandled error on %s %s", request.method, request.url_rule)
        return render_error(500, "internal_error", _http_messages()[500])
