"""Time-based one-time passwords (动态口令, RFC 6238) for centre staff, computed by ``pyotp``.

HMAC-SHA1, 30-second steps, 6 digits: what every authenticator app uses by default, and what the
secrets enrolled before ``pyotp`` was adopted were made for (the same base32 secrets keep working). A
code is accepted one step either side of now (phone clocks drift), and only once: the step it matched
is claimed with a conditional update, so a code seen over someone's shoulder, or sent twice by two
workers, fails. The library computes codes; the drift window and the claim stay here, because
``pyotp.TOTP.verify`` says neither which step matched nor whether it was used before.
"""

from __future__ import annotations

import pyotp
from pyotp.utils import strings_equal

from xinyong.accounts.models import TotpDevice, User
from xinyong.core import clock

STEP_SECONDS = 30
DIGITS = 6
TOLERANCE_STEPS = 1
ISSUER = "xinyong"
SECRET_CHARS = 32  # base32 characters: 160 bits, the HMAC-SHA1 block the RFC recommends


def new_secret() -> str:
    """A random base32 secret without padding, as authenticator apps expect it."""
    return pyotp.random_base32(SECRET_CHARS)


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret.replace(" ", "").upper(), digits=DIGITS, interval=STEP_SECONDS)


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def current_step() -> int:
    return step_at(clock.now().timestamp())


def code_at(secret: str, step: int) -> str:
    return _totp(secret).generate_otp(step)


def matching_step(secret: str, code: str, *, step: int) -> int | None:
    """The step within the tolerance around ``step`` whose code is ``code``, or None."""
    code = code.strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    generator = _totp(secret)
    found = None
    # Compare against every candidate, without stopping early, so timing tells nothing.
    for candidate in range(step - TOLERANCE_STEPS, step + TOLERANCE_STEPS + 1):
        if strings_equal(generator.generate_otp(candidate), code):
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
    """The ``otpauth://`` URI an authenticator app imports (Key Uri Format; SHA1, 6 digits and 30 s
    are its defaults, so the library leaves them out)."""
    return _totp(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


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
