"""WSGI entry point: ``gunicorn -c gunicorn.conf.py wsgi:app``."""

from survey_app.app import create_app

app = create_app()
