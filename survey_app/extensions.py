"""Unbound extension singletons; `create_app` binds them with ``init_app``."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app, request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect


def hashed_client_key() -> str:
    """The client address keyed with the secret, so not even the limiter store keeps raw IPs."""
    address = (request.remote_addr or "unknown").encode()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, address, hashlib.sha256).hexdigest()[:32]


csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=hashed_client_key, default_limits=[])
