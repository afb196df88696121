"""SMTP through Flask-Mailman (``MAIL_*`` settings, also ``SURVEY_MAIL_*``)."""

from __future__ import annotations

from flask import Flask, current_app
from flask_mailman import Mail

mail = Mail()


def init_app(app: Flask) -> None:
    """Wire Flask-Mailman to the app's MAIL_* settings."""
    mail.init_app(app)


def connection_factory():
    """A function that opens a new SMTP connection for the current app."""
    app = current_app._get_current_object()

    def connect():
        with app.app_context():
            return mail.get_connection(fail_silently=False)

    return connect
