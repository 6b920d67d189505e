"""Every error under /api/v1/ answers in the documented envelope, whoever refused the request: our own
handlers, ninja, Django (an unknown address, a wrong method, an oversized or malformed body) or a
server error; and the OpenAPI document lists those refusals (429 with Retry-After on every operation)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.test import Client, RequestFactory

from xinyong.conftest import ProviderPersona
from xinyong.core.api import ApiErrorMiddleware, api
from xinyong.core.errors import REGISTRY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit(settings: Any) -> None:
    settings.XINYONG_PUBLIC_REQUESTS_PER_MINUTE = 0
    settings.XINYONG_SEARCH_REQUESTS_PER_MINUTE = 0


def enveloped(answer: Any, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.content
    assert answer["Content-Type"].startswith("application/json")
    body: dict[str, Any] = json.loads(answer.content)
    assert set(body) == {"code", "field", "row", "message"}
    assert body["code"] == code
    assert REGISTRY[code].status == status
    return body


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/records/", "/api/v2/subjects", "/api/"])
def test_an_unknown_address_is_not_found(client: Client, path: str) -> None:
    enveloped(client.get(path), 404, "request.not_found")


def test_a_wrong_method_is_refused_naming_the_allowed_ones(
    client: Client, market_bureau: ProviderPersona
) -> None:
    answer = client.delete("/api/v1/records", headers={"Authorization": f"Bearer {market_bureau.key}"})
    body = enveloped(answer, 405, "request.method_not_allowed")
    assert answer["Allow"] == "POST"
    assert "DELETE" in body["message"] and "POST" in body["message"]


def test_a_body_over_the_upload_limit_is_too_large(
    client: Client, market_bureau: ProviderPersona, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"kind": "penalty", "records": [{"违法事实": "x" * 2000}]})
    answer = client.post(
        "/api/v1/records",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {market_bureau.key}"},
    )
    assert "1000" in enveloped(answer, 413, "request.too_large")["message"]


def test_a_body_that_is_not_json_is_invalid(client: Client, market_bureau: ProviderPersona) -> None:
    answer = client.post(
        "/api/v1/records",
        "{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {market_bureau.key}"},
    )
    body = enveloped(answer, 400, "request.invalid")
    assert body["field"] == "body"
    assert "JSON" in body["message"]


@pytest.mark.parametrize(
    ("content_type", "payload"),
    [
        ("multipart/form-data", b"no boundary at all"),
        ("multipart/form-data; boundary=", b"--\r\n"),
    ],
)
def test_a_malformed_multipart_upload_is_invalid(client: Client, content_type: str, payload: bytes) -> None:
    answer = client.generic("POST", "/api/v1/reports/verify", payload, content_type=content_type)
    assert "multipart" in enveloped(answer, 400, "request.invalid")["message"]


def test_a_validation_error_names_its_field(client: Client) -> None:
    body = enveloped(client.get("/api/v1/subjects?q=厦门&limit=abc"), 400, "request.invalid")
    assert body["field"] == "query.limit"


def test_a_server_error_answers_the_envelope_with_the_request_id(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("xinyong.subjects.search.search", crash)
    answer = Client(raise_request_exception=False).get("/api/v1/subjects?q=厦门")
    body = enveloped(answer, 500, "request.server_error")
    assert answer["X-Request-ID"] in body["message"]


def test_pages_outside_the_api_keep_their_own_error_pages() -> None:
    def refuse(request: HttpRequest) -> HttpResponse:
        return HttpResponseNotAllowed(["GET"], content=b"Method not allowed")

    answer = ApiErrorMiddleware(refuse)(RequestFactory().delete("/search/"))
    assert answer.status_code == 405
    assert answer["Content-Type"].startswith("text/html")


def test_the_openapi_document_lists_the_common_refusals_of_every_operation() -> None:
    schema = api.get_openapi_schema()
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            where = f"{method.upper()} {path}"
            for status in (400, 429):
                assert responses[status]["content"]["application/json"]["schema"] == envelope, where
            assert "Retry-After" in responses[429]["headers"], where
            if "security" in operation:
                assert {401, 403} <= set(responses), where
            if "requestBody" in operation:
                assert 413 in responses, where
            assert "content" not in responses[414], where  # gunicorn's refusal, not ours
            for status, response in responses.items():
                if 400 <= status < 500 and status != 414:
                    assert response["content"]["application/json"]["schema"] == envelope, where
