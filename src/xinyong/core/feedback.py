"""Telling a person on a page why a step was refused (docs/ui.md, "Messages").

The message is the Chinese sentence of the error; its stable code (``objection.deadline_passed``) rides
along as the message's ``extra_tags``, which the messages component writes into ``data-code`` and
shows to staff in a details element: people read the sentence, staff and tests can still tell which
refusal it was. The API answers the same code in its envelope.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from xinyong.core.errors import PlatformError


def refused(request: HttpRequest, exc: PlatformError) -> None:
    messages.error(request, exc.message, extra_tags=exc.error.code)
