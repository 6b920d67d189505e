"""``{% unread_notifications %}``: the signed-in account's unread message count, for the nav bar."""

from __future__ import annotations

from typing import Any

from django import template

from xinyong.accounts.models import User
from xinyong.accounts.notify import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: dict[str, Any]) -> int:
    user = context.get("user")
    return unread_count(user) if isinstance(user, User) and user.is_authenticated else 0
