"""The signed-in account of a request, for page views and for API operations of any app."""

from __future__ import annotations

from django.http import HttpRequest

from xinyong.accounts.models import User


def signed_in(request: HttpRequest) -> User:
    """The signed-in user (views using this are behind ``login_required``)."""
    assert isinstance(request.user, User)
    return request.user


def session_user(request: HttpRequest) -> User:
    """The signed-in account an operation guarded by ninja's ``django_auth`` was let through with."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user
