"""The OpenAPI 3.1 document of API v1, written as data (validated in the tests)."""

from __future__ import annotations

from survey_app.services.api.catalog import MAX_PAGE, MAX_PER_PAGE

_NUMBER_OR_NULL = {"type": ["number", "null"]}
_PERIOD_PATTERN = r"^(20[0-9]{2}|2100)(-(0[1-9]|1[0-2]|[Qq][1-4]|[Tt][1-3]))?$"


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _query(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema}


_PAGE_PARAMETERS = [
    _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
           "Page number, from 1."),
    _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 50},
           f"Items per page, at most {MAX_PER_PAGE}."),
]

_CHANGE = {
    "type": ["object", "null"],
    "description": "Difference against another period (this − other) in points, with its "
                   "FDR-adjusted interval (Benjamini–Yekutieli: every change of the response at "
                   "one level, 1 − max(R, 1)·0.05/m, R = Benjamini–Hochberg rejections among m "
                   "changes), p-value and Benjamini–Hochberg adjusted p-value. `significant` is "
                   "true exactly when the interval excludes 0. Null when either cell is hidden "
                   "or empty.",
    "required": ["against", "delta", "low", "high", "p", "adjusted_p", "significant"],
    "properties": {
        "against": {"type": "string", "description": "Label of the other period."},
        "delta": _NUMBER_OR_NULL, "low": _NUMBER_OR_NULL, "high": _NUMBER_OR_NULL,
        "p": _NUMBER_OR_NULL, "adjusted_p": _NUMBER_OR_NULL, "significant": {"type": "boolean"},
        "confidence": {**_NUMBER_OR_NULL,
                       "description": "Confidence level of low/high (the adjusted level)."},
    },
}

_SCORE = {
    "type": "object",
    "required": ["unit", "name", "role", "period", "n", "value", "low", "high", "method",
                 "confidence", "threshold", "suppressed", "suppression_reason",
                 "suppression_text", "distribution", "change_previous", "change_year"],
    "properties": {
        "unit": {"type": "string"},
        "name": {"type": "string"},
        "role": {"type": "string", "enum": ["unit", "child"],
                 "description": "The unit asked for, or one of its children."},
        "period": {"type": "string"},
        "n": {"type": ["integer", "null"], "minimum": 0,
              "description": "Answers; null when suppressed."},
        "value": {**_NUMBER_OR_NULL, "description": "Score in points (NPS/eNPS −100…100, "
                                                    "QWL 0–100); null when suppressed or n = 0."},
        "low": {**_NUMBER_OR_NULL, "description": "Lower limit of the interval."},
        "high": {**_NUMBER_OR_NULL, "description": "Upper limit of the interval."},
        "method": {"type": "string", "enum": ["score-cc", "t"],
                   "description": "score-cc: Tango's score interval with a half-step continuity "
                                  "correction (its coverage stays at or above 94.5 % for a 95 % "
                                  "interval, also for small units with nearly everyone in one "
                                  "category); t: t-interval of a mean."},
        "confidence": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        "threshold": {"type": "integer", "minimum": 3,
                      "description": "Smallest group whose numbers are shown (k)."},
        "suppressed": {"type": "boolean"},
        "suppression_reason": {"type": ["string", "null"],
                               "enum": ["hidden", "not_released", "below_threshold",
                                        "complementary", "not_displayed", None],
                               "description": "hidden: hidden at publishing (the same label "
                                              "whatever the reason); not_released: the period "
                                              "is not released yet."},
        "suppression_text": {"type": ["string", "null"]},
        "distribution": {
            "type": ["object", "null"],
            "description": "NPS/eNPS answers per category (the same counts as the report "
                           "pages); null for QWL and when suppressed.",
            "required": ["detractors", "passives", "promoters"],
            "properties": {name: {"type": "integer", "minimum": 0}
                           for name in ("detractors", "passives", "promoters")},
        },
        "change_previous": _CHANGE,
        "change_year": _CHANGE,
    },
}

_UNIT = {
    "type": "object",
    "required": ["code", "parent", "kind", "active", "depth", "names"],
    "properties": {
        "code": {"type": "string"},
        "parent": {"type": ["string", "null"]},
        "kind": {"type": "string", "enum": ["resident", "staff", "both"]},
        "active": {"type": "boolean"},
        "depth": {"type": "integer", "minimum": 0},
        "names": {"type": "object", "required": ["fi", "sv", "en"],
                  "properties": {lang: {"type": "string"} for lang in ("fi", "sv", "en")}},
    },
}

_ROUND = {
    "type": "object",
    "required": ["code", "title", "unit", "opens_on", "closes_on", "state"],
    "properties": {
        "code": {"type": "string"},
        "title": {"type": "string"},
        "unit": {"type": "string", "description": "Root of the covered subtree."},
        "opens_on": {"type": "string", "format": "date"},
        "closes_on": {"type": ["string", "null"], "format": "date"},
        "state": {"type": "string", "enum": ["scheduled", "open", "closed"]},
    },
}


def _page_of(item_ref: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "next"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": item_ref}},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"], "description": "URL of the next page."},
        },
    }


_COMMON_ERRORS = {
    "400": _error("A parameter is missing or not valid."),
    "401": _error("No valid token: missing, unknown or revoked."),
    "429": _error("Too many requests for this token; wait and retry."),
}


def _listing(summary: str, ref: str, operation_id: str) -> dict:
    return {"get": {
        "operationId": operation_id, "summary": summary, "parameters": _PAGE_PARAMETERS,
        "responses": {"200": {"description": "One page.", "content": {"application/json": {
            "schema": _page_of(ref)}}}, **_COMMON_ERRORS}}}


def document(server_url: str = "") -> dict:
    """The whole OpenAPI document; ``server_url`` is the site's base (scheme and host)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Kyselypalvelu API",
            "version": "1.0.0",
            "description": "Read-only JSON for BI tools: units, pulse rounds and scores (NPS, "
                           "eNPS, QWL) with 95 % intervals and changes, suppressed exactly as "
                           "in the report pages. Authenticate with an API token "
                           "(`Authorization: Bearer …`).",
        },
        "servers": [{"url": f"{server_url}/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/units": _listing("Units the token may read", "#/components/schemas/Unit",
                               "listUnits"),
            "/rounds": _listing("Pulse rounds covering units the token may read",
                                "#/components/schemas/Round", "listRounds"),
            "/scores": {"get": _scores_operation()},
            "/visits": {"post": _visits_operation()},
            "/openapi.json": {"get": {
                "operationId": "openapi", "summary": "This document", "security": [],
                "responses": {"200": {"description": "The OpenAPI document.",
                                      "content": {"application/json": {
                                          "schema": {"type": "object"}}}}}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "An API token from "
                                                          "`survey-app tokens create`."}},
            "schemas": {
                "Error": {"type": "object", "required": ["error", "message"],
                          "properties": {"error": {"type": "string"},
                                         "message": {"type": "string"}}},
                "Unit": _UNIT,
                "Round": _ROUND,
                "Score": _SCORE,
                "Visit": _VISIT,
                "VisitProblems": _VISIT_PROBLEMS,
            },
        },
    }


def _scores_operation() -> dict:
    return {
        "operationId": "getScores",
        "summary": "A metric of a unit (optionally with its children) in a period",
        "parameters": [
            _query("metric", {"type": "string", "enum": ["nps", "enps", "qwl"]},
                   "nps (residents), enps or qwl (staff).", required=True),
            _query("period", {"type": "string", "pattern": _PERIOD_PATTERN},
                   "2026-03 (month), 2026-Q1, 2026-T1 (Jan–Apr) or 2026, in Europe/Helsinki.",
                   required=True),
            _query("unit", {"type": "string", "minLength": 1, "maxLength": 40},
                   "Unit code; default: the first top unit the token may read."),
            _query("granularity", {"type": "string",
                                   "enum": ["month", "quarter", "tertial", "year"]},
                   "Split the period into parts of this length (a year into quarters …)."),
            _query("children", {"type": "boolean", "default": False},
                   "Also give the unit's children."),
            _query("lang", {"type": "string", "enum": ["fi", "sv", "en"], "default": "fi"},
                   "Language of the unit names."),
        ],
        "responses": {
            "200": {"description": "The cells, the unit first, then its children per period.",
                    "content": {"application/json": {"schema": {
                        "type": "object",
                        "required": ["metric", "period", "granularity", "unit", "results"],
                        "properties": {
                            "metric": {"type": "string"},
                            "period": {"type": "string"},
                            "granularity": {"type": "string"},
                            "unit": {"type": "string"},
                            "results": {"type": "array",
                                        "items": {"$ref": "#/components/schemas/Score"}},
                        }}}}},
            **_COMMON_ERRORS,
            "403": _error("The unit is outside the token's scope."),
            "404": _error("No unit with that code."),
        },
    }


_VISIT = {
    "type": "object",
    "required": ["unit_code", "visit_time"],
    "properties": {
        "unit_code": {"type": "string", "maxLength": 40},
        "phone": {"type": ["string", "null"],
                  "description": "Any common notation; without a country code Finnish. Stored "
                                 "in E.164 only until the SMS gateway accepts the message."},
        "email": {"type": ["string", "null"],
                  "description": "Used when there is no phone number."},
        "language": {"type": "string", "enum": ["fi", "sv", "en", "ru", "uk", "et", "ar", "so"],
                     "default": "fi"},
        "visit_time": {"type": "string",
                       "description": "ISO 8601; without an offset Europe/Helsinki. Not in the "
                                      "future, and recent enough that the message can still "
                                      "go within SMS_DELAY."},
    },
}

_VISIT_PROBLEMS = {
    "type": "object",
    "required": ["error", "message", "problems"],
    "properties": {
        "error": {"type": "string"},
        "message": {"type": "string"},
        "problems": {"type": "array", "items": {
            "type": "object", "required": ["visit", "field", "message"],
            "properties": {"visit": {"type": "integer", "minimum": 0,
                                     "description": "Position in the list, from 1."},
                           "field": {"type": ["string", "null"]},
                           "message": {"type": "string"}}}},
    },
}


def _visits_operation() -> dict:
    return {
        "operationId": "postVisits",
        "summary": "Queue asks (SMS, or e-mail without a number) for a batch of visits",
        "description": "Needs a token with the role `visits` (`survey-app tokens create NAME "
                       "--role visits`), which can do nothing else. The batch is checked whole: "
                       "one bad visit refuses all of them, listing every problem. A visit is "
                       "asked only if its unit opted in and the person was not asked within "
                       "SMS_ASK_INTERVAL_DAYS.",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["visits"],
            "properties": {"visits": {"type": "array",
                                      "items": {"$ref": "#/components/schemas/Visit"}}}}}}},
        "responses": {
            "202": {"description": "Queued; counts only.",
                    "content": {"application/json": {"schema": {
                        "type": "object",
                        "required": ["queued", "skipped_not_opted_in", "skipped_asked_recently"],
                        "properties": {
                            "queued": {"type": "integer", "minimum": 0},
                            "skipped_not_opted_in": {"type": "integer", "minimum": 0},
                            "skipped_asked_recently": {"type": "integer", "minimum": 0}}}}}},
            "400": {"description": "Not queued: every bad visit listed, or a body that is not "
                                   "the JSON described.",
                    "content": {"application/json": {"schema": {"oneOf": [
                        {"$ref": "#/components/schemas/VisitProblems"},
                        {"$ref": "#/components/schemas/Error"}]}}}},
            "401": _error("No valid token: missing, unknown or revoked."),
            "403": _error("The token is not a visits token."),
            "413": _error("The body is too large; send smaller batches."),
            "429": _error("Too many requests for this token; wait and retry."),
        },
    }
