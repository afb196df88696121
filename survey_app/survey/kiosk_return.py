"""A kiosk's way back from the pages its footer links to.

A waiting-room tablet shows the footer of every page: the anonymity page and the accessibility
statement. Opened from a kiosk, those pages must return to the kiosk's blank form after the same
idle time as the kiosk's own pages, or the tablet would stay there for the next visitor. The
footer passes the kiosk's address as ``?back=``; only an address of a kiosk form of this site
is accepted (never another site, never anything but the kiosk's language and variant).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from flask import current_app, request

_PATH = re.compile(r"/[a-z]{2}(?:-x-selko)?/k/[A-Za-z0-9._-]{1,40}")
_QUERY_KEYS = {"lang", "variant"}
_QUERY_VALUE = re.compile(r"[a-z]{2}(?:-x-selko)?|selko")
#: Endpoints that take a kiosk's ``back`` address (the footer's links).
RETURNING = frozenset({"pulse.anonymity", "public.accessibility"})


def kiosk_address(raw: str | None) -> str | None:
    """The kiosk form address ``raw`` names, rebuilt from its checked parts, or None."""
    if not raw or len(raw) > 200:
        return None
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc or parts.fragment or not _PATH.fullmatch(parts.path):
        return None
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key not in _QUERY_KEYS or not _QUERY_VALUE.fullmatch(value) for key, value in query):
        return None
    return f"{parts.path}?{urlencode(query)}" if query else parts.path


def kiosk_return(kiosk: bool = False, home_url: str | None = None) -> dict | None:
    """For the page being rendered: the kiosk address its footer links carry (on a kiosk
    page), and whether this page itself returns there (a footer page opened from a kiosk)."""
    seconds = int(current_app.config.get("KIOSK_IDLE_SECONDS", 60))
    if kiosk and home_url:
        return {"back": home_url, "returns": False, "seconds": seconds}
    if request.endpoint in RETURNING:
        back = kiosk_address(request.args.get("back"))
        if back:
            return {"back": back, "returns": True, "seconds": seconds}
    return None
