"""Every response carries the security headers; the pages and the API docs work within the policy."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.test import Client, RequestFactory

from xinyong.conftest import ProviderPersona
from xinyong.core.security import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY, SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db

EXPECTED = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def assert_secure_headers(response: HttpResponseBase) -> None:
    for name, value in EXPECTED.items():
        assert response[name] == value, name
    assert "camera=()" in response["Permissions-Policy"]


def test_the_policy_allows_only_this_site() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
        "base-uri": "'none'",
        "object-src": "'none'",
    }


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/workspace/"])
def test_pages_carry_the_security_headers(client: Client, path: str) -> None:
    assert_secure_headers(client.get(path))


def test_api_answers_and_api_errors_carry_the_security_headers(
    client: Client, market_bureau: ProviderPersona
) -> None:
    assert_secure_headers(client.get("/api/v1/openapi.json"))
    assert_secure_headers(client.get("/api/v1/code-conflicts"))
    answer = client.get("/api/v1/code-conflicts", headers={"Authorization": f"Bearer {market_bureau.key}"})
    assert answer.status_code == 200
    assert_secure_headers(answer)


def test_pages_have_no_inline_script_or_style(client: Client) -> None:
    for path in ["/", "/accounts/login/"]:
        page = client.get(path).content.decode()
        assert "<style" not in page and " style=" not in page, path
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", page)), path


def test_the_api_docs_load_swagger_ui_from_this_site_without_inline_script(client: Client) -> None:
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert_secure_headers(response)
    page = response.content.decode()

    # Scripts are files from /static/ninja/, or a JSON data block (never executed, so not blocked).
    for tag in re.findall(r"<script[^>]*>", page):
        assert re.search(r'src="/static/ninja/[\w.-]+\.js"', tag) or 'type="application/json"' in tag, tag
    assert "http://" not in page and "https://" not in page  # no CDN
    for asset in re.findall(r'(?:src|href)="(/static/ninja/[^"]+)"', page):
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert served["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_a_view_may_set_its_own_policy() -> None:
    own = HttpResponse()
    own["Content-Security-Policy"] = "default-src 'none'"
    response = SecurityHeadersMiddleware(lambda request: own)(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
