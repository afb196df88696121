"""WSGI entry point: ``gunicorn -c survey_app/deploy/gunicorn.conf.py wsgi:app``."""

from survey_app.app import create_app, prepare_workers

app = create_app()
# Before gunicorn forks the workers (preload_app): templates compiled, locale data and
# matplotlib loaded, the heap frozen, so that a new worker's first page pays for none of it.
prepare_workers(app)
