"""JSON API v1 for BI tools: bearer tokens, scoped like users, rate limited per token.

Every answer is JSON, errors included (the core handler answers JSON under ``/api/``); no
request a client can send gives a 500. The OpenAPI document at ``/api/v1/openapi.json``
describes everything here.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, current_app, g, request
from flask_babel import gettext, lazy_gettext

from survey_app.db import get_session
from survey_app.errors import Forbidden, SurveyAppError, render_error
from survey_app.extensions import csrf, hashed_client_key, limiter
from survey_app.models import Role
from survey_app.services.api import tokens as token_service

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

#: Endpoints readable without a token (the API's own description).
PUBLIC_ENDPOINTS = frozenset({"api.openapi_document"})
#: Endpoints for ``visits`` tokens (and only for them).
VISITS_ENDPOINTS = frozenset({"api.post_visits"})


class Unauthorized(SurveyAppError):
    """No valid bearer token (missing, unknown or revoked)."""

    status_code = 401
    code = "unauthorized"
    default_message = lazy_gettext("A valid API token is needed: send the header "
                                   "'Authorization: Bearer <token>'.")


def bearer_secret() -> str | None:
    """The token from ``Authorization: Bearer …``, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


def rate_limit_key() -> str:
    """Per token (by its hash, never the token itself); requests without one per client."""
    secret = bearer_secret()
    if secret:
        return "token:" + hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return "client:" + hashed_client_key()


def _api_limit() -> str:
    return current_app.config.get("RATELIMIT_API", "120 per minute;2000 per hour")


@bp.before_request
def authenticate_token():
    """Every endpoint but the OpenAPI document needs an active token."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    token = token_service.authenticate(get_session(), bearer_secret())
    if token is None:
        raise Unauthorized()
    g.api_token = token
    if (token.role == Role.VISITS) != (request.endpoint in VISITS_ENDPOINTS):
        raise Forbidden(gettext("This token may not use this endpoint: a visits token "
                                "only posts visits, and only a visits token may."))
    g.api_scope = token_service.token_scope(token) if token.role != Role.VISITS else None
    return None


@bp.errorhandler(Unauthorized)
def unauthorized(error: Unauthorized):
    """401 with the challenge header RFC 6750 asks for."""
    response, status = render_error(error.status_code, error.code, error.message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response, status


@bp.after_request
def no_store(response):
    """Scores are per token and may change daily: never cache them in shared caches."""
    if request.endpoint not in PUBLIC_ENDPOINTS:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


limiter.limit(_api_limit, key_func=rate_limit_key)(bp)

from survey_app.api import views, visits  # noqa: E402,F401  (routes register on bp)
