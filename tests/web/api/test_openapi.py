"""The OpenAPI 3.1 document: valid, public, and it describes what the API answers."""

from __future__ import annotations

from openapi_spec_validator import validate

from survey_app.api.openapi import document
from tests.web.api.helpers import bearer


def test_the_document_is_valid_openapi_3_1():
    spec = document("http://127.0.0.1:5000")
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_the_document_is_served_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert set(spec["paths"]) == {"/units", "/rounds", "/scores", "/visits", "/openapi.json"}
    assert spec["servers"][0]["url"] == "http://localhost/api/v1"


def test_every_documented_parameter_exists_in_the_scores_operation(client, hr_token):
    spec = document()
    names = {p["name"] for p in spec["paths"]["/scores"]["get"]["parameters"]}
    assert names == {"metric", "period", "unit", "granularity", "children", "lang"}
    query = "metric=nps&period=2026&unit=ROOT&granularity=quarter&children=true&lang=sv"
    assert client.get(f"/api/v1/scores?{query}", headers=bearer(hr_token)).status_code == 200


def test_responses_match_the_documented_schemas(client, hr_token):
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    spec = document()
    registry = Registry().with_resource("urn:spec", Resource.from_contents(
        {**spec, "$schema": "https://json-schema.org/draft/2020-12/schema"}))

    def check(path: str, status: str, body) -> None:
        content = spec["paths"][path]["get"]["responses"][status]["content"]
        schema = {"$ref": "urn:spec#/paths/" + path.replace("/", "~1")
                  + f"/get/responses/{status}/content/application~1json/schema"}
        assert content
        Draft202012Validator(schema, registry=registry).validate(body)

    for url, path in [("/api/v1/units?per_page=2", "/units"), ("/api/v1/rounds", "/rounds"),
                      ("/api/v1/scores?metric=nps&period=2026-Q1&children=true", "/scores"),
                      ("/api/v1/scores?metric=qwl&period=2026&granularity=tertial", "/scores")]:
        check(path, "200", client.get(url, headers=bearer(hr_token)).get_json())
    check("/scores", "400", client.get("/api/v1/scores", headers=bearer(hr_token)).get_json())
    check("/scores", "401", client.get("/api/v1/scores").get_json())
