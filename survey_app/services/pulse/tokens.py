"""Invitation tokens and the keyed values derived from them.

A token is 256 random bits handed out once in a link. The database never holds the token,
nor anything that can be computed from it without the **token key**, a secret that lives
in the application's configuration and never in the database:

* ``token_hash(token)`` = HMAC-SHA256(key, "invitation\\0" + SHA-256 hex of the token), the
  invitation row's lookup value. The inner SHA-256 is what revision 0002 stored, so the
  migration to 0003 re-keys old rows without knowing their tokens.
* ``guard_of(invitation_hash)`` = HMAC-SHA256(key, "pending\\0" + the invitation hash), the
  value of the short-lived guard while a used mark is pending. Without the key it cannot be
  matched to the invitation row (nor to the links file).

The key is ``TOKEN_KEY`` (``SURVEY_TOKEN_KEY``) when set, else derived from ``SECRET_KEY``.
Production refuses the development key either way (``app.check_config``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from flask import current_app

#: Bytes of randomness per token: 256 bits, far above the 128 required.
TOKEN_BYTES = 32
#: token_urlsafe(32) is 43 characters of the URL-safe base64 alphabet.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
#: Domain separation: the derived key is used for nothing but invitation tokens.
_DERIVATION_LABEL = b"survey-app pulse token key v1"


def new_token() -> str:
    """A fresh URL-safe token with 256 random bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(token: str) -> bool:
    """True for strings shaped like our tokens (cheap check before any lookup)."""
    return bool(TOKEN_PATTERN.match(token or ""))


def derive_token_key(secret_key: str | bytes | None, token_key: str | bytes | None) -> bytes:
    """The token key from the two settings: ``TOKEN_KEY`` if given, else derived from
    ``SECRET_KEY`` (so that it is never the session-signing key itself)."""
    source = token_key or secret_key
    if not source:
        raise RuntimeError("Neither TOKEN_KEY nor SECRET_KEY is set; no token key.")
    raw = source.encode() if isinstance(source, str) else bytes(source)
    label = b"given" if token_key else b"derived from SECRET_KEY"
    return hmac.new(raw, _DERIVATION_LABEL + b"\0" + label, hashlib.sha256).digest()


def token_key(config=None) -> bytes:
    """The token key of ``config`` (default: the current app's)."""
    config = current_app.config if config is None else config
    return derive_token_key(config.get("SECRET_KEY"), config.get("TOKEN_KEY"))


def legacy_digest(token: str) -> str:
    """Hex SHA-256 of a token: what revision 0002 stored, now only an inner step."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def rekey(digest: str, key: bytes) -> str:
    """The keyed invitation hash of an inner SHA-256 digest."""
    return hmac.new(key, b"invitation\0" + digest.encode("ascii"), hashlib.sha256).hexdigest()


def token_hash(token: str, key: bytes | None = None) -> str:
    """The only form in which a token is stored: a keyed hash (see the module docstring)."""
    return rekey(legacy_digest(token), key if key is not None else token_key())


def guard_of(invitation_hash: str, key: bytes | None = None) -> str:
    """The pending guard's value for an invitation; unlinkable to it without the key."""
    key = key if key is not None else token_key()
    return hmac.new(key, b"pending\0" + invitation_hash.encode("ascii"),
                    hashlib.sha256).hexdigest()
