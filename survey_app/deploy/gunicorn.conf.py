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
preload_app = False
