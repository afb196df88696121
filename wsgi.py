"""WSGI entry point: ``gunicorn -c survey_app/deploy/gunicorn.conf.py wsgi:app``."""

import gc

from survey_app.app import compile_templates, create_app, preload_locales

app = create_app()
# Before gunicorn forks the workers (preload_app), so that a new worker's first page (the page
# after login) pays for none of this: templates compiled, locale data loaded, and everything
# loaded so far moved out of the garbage collector's sight (``gc.freeze``), so the first
# collections in a worker do not walk the whole app, and its memory stays shared.
compile_templates(app)
preload_locales()
gc.freeze()
