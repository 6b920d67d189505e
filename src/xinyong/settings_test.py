"""Settings for the test suite: the real settings, with a fast password hasher and tasks run inline."""

from __future__ import annotations

import os

from xinyong.settings import *  # noqa: F403
from xinyong.settings import VAR_DIR, prepare_var_dir

prepare_var_dir()  # the suite's uploads and reports go under var/ unless a test points them elsewhere

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Reports in tests point at the default address on purpose (core.W001 is for deployments; the deploy
# checks' own tests override this).
PUBLIC_URL_CONFIGURED = True
# Rate counts in the main database, so each test's transaction rolls them back (a counter file would
# carry one test's counts into the next); core/tests/test_rate_limit.py tests the file on its own.
XINYONG_RATE_COUNTER_DB = ""

# Under pytest-xdist (``-n 2``) each worker has its own test database (pytest-django suffixes its name
# with the worker id) and must have its own files too: two workers storing the same upload, or both
# generating the development signing key, would read each other's half-written files.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER:
    UPLOAD_DIR = VAR_DIR / "test-workers" / _WORKER / "uploads"
    REPORT_DIR = VAR_DIR / "test-workers" / _WORKER / "reports"
    REPORT_KEY_DIR = VAR_DIR / "test-workers" / _WORKER / "keys"
