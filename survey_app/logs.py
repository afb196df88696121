"""Log hygiene: no IP addresses, tokens or query strings ever reach a log line.

Access logs are a classic leak: invitation tokens travel in URL paths (``/fi/p/<token>``)
and client addresses identify people. A filter on the loggers that write request lines
(Werkzeug's development server, gunicorn's access and error logs) rewrites them.
"""

from __future__ import annotations

import logging
import re

_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
# Three or more colons, or a "::" — so clock times such as 23:01:02 stay readable.
_IPV6 = re.compile(r"(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}|[0-9a-fA-F:]*::[0-9a-fA-F:]+")
_TOKEN_PATH = re.compile(r"(/p/)[A-Za-z0-9_\-]{8,}")
_QUERY = re.compile(r"(\?)[^\s\"']*")
_BEARER = re.compile(r"(Bearer\s+)\S+", re.IGNORECASE)


def scrub(text: str) -> str:
    """The text with addresses, invitation tokens, query strings and bearer tokens removed."""
    text = _TOKEN_PATH.sub(r"\1[token]", text)
    text = _QUERY.sub(r"\1[query]", text)
    text = _BEARER.sub(r"\1[token]", text)
    text = _IPV4.sub("[address]", text)
    return _IPV6.sub("[address]", text)


class ScrubFilter(logging.Filter):
    """Rewrites each record's formatted message through ``scrub``."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = scrub(record.getMessage())
        record.msg, record.args = message, None
        return True


#: Loggers that write request lines.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error")


def install() -> None:
    """Attach the filter to the request loggers (idempotent)."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, ScrubFilter) for f in logger.filters):
            logger.addFilter(ScrubFilter())
