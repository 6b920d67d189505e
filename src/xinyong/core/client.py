"""Who is asking: the client's address, behind the proxy the deployment names (``XINYONG_CLIENT_IP_HEADER``).

Both the sign-in throttle (``accounts.throttle``) and the public rate limit (``core.ratelimit``) count
per address, so they must agree on it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: from the proxy's header if one is configured, else the connection's."""
    header = settings.XINYONG_CLIENT_IP_HEADER
    candidates = [request.headers.get(header, "") if header else "", request.META.get("REMOTE_ADDR", "")]
    for value in candidates:
        # A proxy may append a chain ("client, proxy1"); the first is the client.
        first = value.split(",")[0].strip()
        try:
            return str(ipaddress.ip_address(first))
        except ValueError:
            continue
    return None
