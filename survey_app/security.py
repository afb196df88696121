"""Security headers on every response and a per-request CSP nonce."""

from __future__ import annotations

import secrets

from flask import Flask, g


def csp_nonce() -> str:
    """A fresh nonce per request for the rare inline script or style."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def init_app(app: Flask) -> None:
    """Add the headers; HSTS only where configured (production)."""

    @app.context_processor
    def nonce_context():
        return {"csp_nonce": csp_nonce}

    @app.after_request
    def set_security_headers(response):
        nonce = g.get("csp_nonce")
        script_src = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            f"script-src {script_src}; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config.get("HSTS_ENABLED"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
