"""gunicorn settings for production: ``gunicorn -c survey_app/deploy/gunicorn.conf.py wsgi:app``.

No access log: request lines would carry invitation tokens and client addresses. Errors go
to stderr through the scrubbing filter that the app installs.
"""

import multiprocessing
import os

bind = os.environ.get("SURVEY_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("SURVEY_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
accesslog = None
errorlog = "-"
loglevel = os.environ.get("SURVEY_LOG_LEVEL", "info")
#: Behind a reverse proxy on the same host.
forwarded_allow_ips = "127.0.0.1"
#: Import the app once in the master and fork the workers from it: a worker recycled after
#: ``max_requests`` (or killed) is replaced in milliseconds instead of re-importing numpy,
#: scipy and the app for a second or more while the other workers carry its load, and the
#: workers share the imported code's memory. New code needs a restart, not a HUP.
preload_app = True


def post_fork(server, worker):
    """Connections are never shared between processes: drop any the master's pool holds."""
    engine = getattr(server.app.wsgi(), "extensions", {}).get("sqlalchemy_engine")
    if engine is not None:
        engine.dispose(close=False)
