"""Time-based one-time passwords (动态口令, RFC 6238) for centre staff, with the standard library only.

HMAC-SHA1, 30-second steps, 6 digits: what every authenticator app uses by default. A code is accepted
one step either side of now (phone clocks drift), and only once: the step it matched is claimed with a
conditional update, so a code seen over someone's shoulder, or sent twice by two workers, fails.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

from xinyong.accounts.models import TotpDevice, User
from xinyong.core import clock

STEP_SECONDS = 30
DIGITS = 6
TOLERANCE_STEPS = 1
ISSUER = "xinyong"
SECRET_BYTES = 20  # 160 bits, the HMAC-SHA1 block the RFC recommends


def new_secret() -> str:
    """A random base32 secret without padding, as authenticator apps expect it."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    cleaned = secret.replace(" ", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS) -> str:
    """RFC 4226: HMAC of the counter, dynamically truncated to ``digits`` decimal digits."""
    digest = hmac.digest(key, struct.pack(">Q", counter), "sha1")
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def current_step() -> int:
    return step_at(clock.now().timestamp())


def code_at(secret: str, step: int, *, digits: int = DIGITS) -> str:
    return hotp(_key(secret), step, digits=digits)


def matching_step(secret: str, code: str, *, step: int) -> int | None:
    """The step within the tolerance around ``step`` whose code is ``code``, or None."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret)
    found = None
    # Compare against every candidate, without stopping early, so timing tells nothing.
    for candidate in range(step - TOLERANCE_STEPS, step + TOLERANCE_STEPS + 1):
        if hmac.compare_digest(hotp(key, candidate), code):
            found = candidate
    return found


def verify(device: TotpDevice, code: str) -> bool:
    """Whether ``code`` is valid now and was not used before; claims its step if so.

    The update only matches while the stored step is older than the code's, so of two requests with
    the same code only one wins, and a code older than one already used is refused too.
    """
    step = matching_step(device.secret, code, step=current_step())
    if step is None:
        return False
    claimed = TotpDevice.objects.filter(pk=device.pk, last_used_step__lt=step).update(last_used_step=step)
    if claimed:
        device.last_used_step = step
    return claimed == 1


def provisioning_uri(device: TotpDevice) -> str:
    """The ``otpauth://`` URI an authenticator app imports (Key Uri Format)."""
    label = quote(f"{ISSUER}:{device.user.get_username()}", safe="")
    query = urlencode(
        {
            "secret": device.secret,
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


def device_for_setup(user: User) -> TotpDevice:
    """The user's unconfirmed device, made on first need; reloading the set-up page keeps its secret."""
    device, _ = TotpDevice.objects.get_or_create(user=user, defaults={"secret": new_secret()})
    return device


def confirm(device: TotpDevice, code: str) -> bool:
    """Confirms a new device with its first code (which is then used up, like any other)."""
    if device.confirmed_at is not None or not verify(device, code):
        return False
    confirmed = TotpDevice.objects.filter(pk=device.pk, confirmed_at__isnull=True).update(
        confirmed_at=clock.now()
    )
    return confirmed == 1
