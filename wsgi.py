"""WSGI entry point: ``gunicorn -c survey_app/deploy/gunicorn.conf.py wsgi:app``."""

from survey_app.app import compile_templates, create_app

app = create_app()
# Before gunicorn forks the workers (preload_app): a new worker's first page is not slowed by
# compiling templates.
compile_templates(app)
