"""Keys kept outside the database: keyed hashes of numbers and codes, sealed e-mail data.

``REACH_KEY`` (or, when empty, a key derived from ``SECRET_KEY``) never enters the database,
so an operator holding the database cannot test a phone number against ``reach_asked`` or
a guessed code against ``reach_code``, nor open the sealed staff addresses.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _master() -> bytes:
    key = current_app.config.get("REACH_KEY") or ""
    if not key:
        key = "reach:" + str(current_app.config["SECRET_KEY"])
    return hashlib.sha256(key.encode("utf-8")).digest()


def keyed_hash(purpose: str, value: str) -> str:
    """Hex HMAC-SHA256 of ``value`` under a key of its own per ``purpose``."""
    key = hmac.new(_master(), purpose.encode("ascii"), hashlib.sha256).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def _fernet() -> Fernet:
    key = hmac.new(_master(), b"fernet", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(data: dict) -> str:
    """``data`` as JSON encrypted and authenticated (Fernet)."""
    return _fernet().encrypt(json.dumps(data, ensure_ascii=False).encode("utf-8")).decode("ascii")


def unseal(sealed: str) -> dict | None:
    """The data sealed by :func:`seal`, or None if the key changed or it was tampered with."""
    try:
        return json.loads(_fernet().decrypt(sealed.encode("ascii")))
    except (InvalidToken, ValueError):
        return None
