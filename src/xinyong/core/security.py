"""Security headers on every response: a content security policy and browser feature limits.

Django's ``SecurityMiddleware`` already sends ``X-Content-Type-Options``, ``Referrer-Policy`` and
``Cross-Origin-Opener-Policy`` (and HSTS behind HTTPS); this adds what Django 5.2 lacks. Headers a view
set itself are kept, so one page can loosen or tighten its own policy.

The policy allows no inline script or style anywhere: the portal's templates use only files under
``static/``, and the API docs page (``/api/v1/docs``) is ninja's Swagger UI served from ninja's own
static files (``ninja`` is in ``INSTALLED_APPS``; otherwise it would load Swagger UI from a CDN with an
inline script). Its settings travel in a ``<script type="application/json">`` data block, which a
policy does not block because it is never executed.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Swagger UI's stylesheet draws its icons as data: SVG images.
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

# The platform uses none of these; denying them means injected content cannot either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "Referrer-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """Adds ``HEADERS`` to every response that does not already carry them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in HEADERS.items():
            response.setdefault(name, value)
        return response
