"""Django settings, read from the environment.

Defaults make ``migrate``, ``test`` and ``serve`` work right after cloning: SQLite under ``var/``,
a development secret key generated on first use and kept in ``var/`` (never in the repository).
Reading the settings writes nothing (``xinyong --help`` leaves no ``var/`` behind): ``prepare_var_dir``
makes the directories, called by ``xinyong.cli`` for every command but help and by ``xinyong.wsgi``,
and the secret key file is written the first time the key is used.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from contextlib import suppress
from functools import cache
from pathlib import Path

import dj_database_url
from django.utils.functional import lazy

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None


VAR_DIR = Path(env_str("XINYONG_VAR_DIR", str(REPO_DIR / "var")))
# The rulebook and reference data live at the repository root (docs/architecture.md); an installed
# deployment points these at its own copies.
RULEBOOK_DIR = Path(env_str("XINYONG_RULEBOOK_DIR", str(REPO_DIR / "rulebook")))
DATA_DIR = Path(env_str("XINYONG_DATA_DIR", str(REPO_DIR / "data")))
UPLOAD_DIR = VAR_DIR / "uploads"
#: Batch-check files and their outputs (result sheets, signed statistics sheets).
CHECKS_DIR = VAR_DIR / "checks"
REPORT_TEMPLATE = Path(env_str("XINYONG_REPORT_TEMPLATE", str(REPO_DIR / "data" / "report_template.yaml")))
# The TrueType CJK font embedded in report PDFs (ReportLab cannot embed the CFF-based Noto CJK); empty:
# the first of the usual Debian paths that exists (scripts/packages.sh installs fonts-wqy-microhei).
REPORT_FONT = env_str("XINYONG_REPORT_FONT", "")
# Where printed reports' QR codes and links point: the platform's public address, printed on reports
# that stay valid for years. Unset, ``xinyong serve`` / ``demo`` use the address they serve on and other
# commands the default; a check warns when it is unset with DEBUG off, ``check --deploy`` fails unless
# it is an https address.
PUBLIC_URL_CONFIGURED = bool(os.environ.get("XINYONG_PUBLIC_URL", "").strip())
PUBLIC_BASE_URL = (os.environ.get("XINYONG_PUBLIC_URL", "").strip() or "http://127.0.0.1:8000").rstrip("/")


def prepare_var_dir() -> None:
    """``var/`` (the SQLite file's directory) and ``var/static`` (STATIC_ROOT: whitenoise warns on every
    start without it)."""
    (VAR_DIR / "static").mkdir(parents=True, exist_ok=True)


@cache
def _secret_key() -> str:
    configured = os.environ.get("XINYONG_SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        # Written aside and linked into place: the web workers starting at once on a fresh install agree
        # on one key, and none reads a half-written file.
        draft = VAR_DIR / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        with suppress(FileExistsError):
            os.link(draft, key_file)
        draft.unlink()
    return key_file.read_text().strip()


# Lazy: made (and its file written) the first time something signs with it, not when settings are read.
SECRET_KEY = lazy(_secret_key, str)()
DEBUG = env_bool("XINYONG_DEBUG", False)
ALLOWED_HOSTS = [
    h for h in env_str("XINYONG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]

INSTALLED_APPS = [
    "xinyong.accounts.admin_apps.CentreAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    # Lets ninja serve Swagger UI from its own static files instead of a CDN with inline script, which
    # the content security policy (core.security) would block.
    "ninja",
    "xinyong.core",
    "xinyong.accounts",
    "xinyong.subjects",
    "xinyong.catalog",
    "xinyong.records",
    "xinyong.collection",
    "xinyong.audit",
    "xinyong.disclosure",
    "xinyong.supervision",
    "xinyong.evaluation",
    "xinyong.reports",
    "xinyong.disputes",
    "xinyong.repairs",
    "xinyong.commitments",
    "xinyong.quality",
    "xinyong.measures",
    "xinyong.checks",
    "xinyong.exchange",
    "xinyong.portal",
    "xinyong.demo",
]

MIDDLEWARE = [
    "xinyong.core.request_id.RequestIdMiddleware",
    # Every answer under /api/ passes through it: errors from outside our handlers get the envelope.
    "xinyong.core.api.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "xinyong.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: signed-in users are not limited.
    "xinyong.core.ratelimit.PublicRateLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "xinyong.urls"
WSGI_APPLICATION = "xinyong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "xinyong.accounts.context_processors.calendar_warning",
                "xinyong.accounts.context_processors.jobs_alarm",
                "xinyong.accounts.context_processors.queue_alarm",
            ],
        },
    },
]

_default_db = f"sqlite:///{VAR_DIR / 'xinyong.sqlite3'}"
# Persistent connections on both databases: opening one (and, on SQLite, its PRAGMAs) cost more than
# a whole public verification (bench/report.py: 490 → 1,000 requests/s on SQLite).
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while an import writes; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
else:
    # Server-side parameter binding lets psycopg prepare bulk statements once (imports use executemany).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:workspace"
LOGOUT_REDIRECT_URL = "portal:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Older hashes still verify and are upgraded to Argon2 at the next sign-in.
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Tests and `serve` without collectstatic still find app static files.
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A working day: staff sign in again (with their second factor) every morning.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_SECURE = env_bool("XINYONG_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # Only once the site is served over HTTPS: HSTS sent over a plain-HTTP deployment would lock
    # browsers out of it for a year.
    SECURE_HSTS_SECONDS = env_int("XINYONG_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("XINYONG_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

#: Sign-in throttling (accounts.throttle): failures allowed per user name *at one client address* before
#: that pair waits the window, doubling with each further failure up to the cap; and failures allowed per
#: client address across all names within the window. Wrong passwords from elsewhere never lock a user
#: out at their own address.
XINYONG_LOGIN_MAX_FAILURES_PER_USER = env_int("XINYONG_LOGIN_MAX_FAILURES_PER_USER", 5)
XINYONG_LOGIN_MAX_FAILURES_PER_IP = env_int("XINYONG_LOGIN_MAX_FAILURES_PER_IP", 20)
XINYONG_LOGIN_WINDOW_MINUTES = env_int("XINYONG_LOGIN_WINDOW_MINUTES", 15)
XINYONG_LOGIN_BACKOFF_CAP_MINUTES = env_int("XINYONG_LOGIN_BACKOFF_CAP_MINUTES", 24 * 60)
#: The request header in which the reverse proxy passes the client's address (e.g. ``X-Real-IP``).
#: Empty: the connection's own address. Behind a proxy, leaving it empty would make every user share
#: the proxy's address, and 20 failures by anyone would lock everyone out.
XINYONG_CLIENT_IP_HEADER = env_str("XINYONG_CLIENT_IP_HEADER", "")

#: Anti-crawling (core.ratelimit): requests per client address and calendar minute for anonymous pages
#: and API calls, and a stricter one for search, where each request yields most. 0 turns a limit off.
XINYONG_PUBLIC_REQUESTS_PER_MINUTE = env_int("XINYONG_PUBLIC_REQUESTS_PER_MINUTE", 120)
XINYONG_SEARCH_REQUESTS_PER_MINUTE = env_int("XINYONG_SEARCH_REQUESTS_PER_MINUTE", 30)
# The contact block of the public home page (联系我们): the centre that runs the platform.
XINYONG_CONTACT = {
    "name": env_str("XINYONG_CONTACT_NAME", "市公共信用信息中心"),
    "address": env_str("XINYONG_CONTACT_ADDRESS", ""),
    "phone": env_str("XINYONG_CONTACT_PHONE", ""),
    "email": env_str("XINYONG_CONTACT_EMAIL", ""),
    "hours": env_str("XINYONG_CONTACT_HOURS", "工作日 9:00–12:00，13:30–17:30"),
}
# XLSX/CSV exports of the public lists per minute, per visitor address or account (0 turns it off):
# one export (up to 5,000 rows) costs what dozens of list pages do.
XINYONG_EXPORTS_PER_MINUTE = env_int("XINYONG_EXPORTS_PER_MINUTE", 5)
#: Where those counts are kept: a SQLite file of their own, so that counting every anonymous request
#: never takes the main SQLite database's single write lock (which imports hold too). Empty: a table in
#: the main database, the default on PostgreSQL, where row writes do not block one another; a
#: deployment with several hosts must use PostgreSQL (a file counts per host).
XINYONG_RATE_COUNTER_DB = env_str(
    "XINYONG_RATE_COUNTER_DB",
    str(VAR_DIR / "ratelimit.sqlite3") if DATABASES["default"]["ENGINE"].endswith("sqlite3") else "",
)

# Uploaded import files stream to disk; the limit is per request.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("XINYONG_MAX_REQUEST_BYTES", 20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

#: Real-name verification of subject accounts; the default checks the local register (development only:
#: ``check --deploy`` fails with it). Production: ``xinyong.accounts.realname.GovernmentVerifier`` with
#: the government identity service's client class in XINYONG_IDENTITY_SERVICE (docs/security.md).
XINYONG_IDENTITY_VERIFIER = env_str(
    "XINYONG_IDENTITY_VERIFIER", "xinyong.accounts.realname.LocalRegisterVerifier"
)
XINYONG_IDENTITY_SERVICE = env_str("XINYONG_IDENTITY_SERVICE", "")

#: The longest authorisation a subject may give in one grant (platform policy, not a legal rule).
XINYONG_GRANT_MAX_DAYS = env_int("XINYONG_GRANT_MAX_DAYS", 366)

#: Records per ``POST /api/v1/records`` call (issue 2).
XINYONG_MAX_RECORDS_PER_CALL = env_int("XINYONG_MAX_RECORDS_PER_CALL", 1000)

#: Rows committed together in a file import: the unit of progress and of resuming after a crash.
XINYONG_IMPORT_CHUNK_ROWS = env_int("XINYONG_IMPORT_CHUNK_ROWS", 2000)

#: Intake limits (docs/security.md "Intake limits and safe exports"): technical bounds that keep one
#: call or file from exhausting memory or disk, not rules of the credit domain.
#: Bytes of one import file (any path: upload, CLI); DATA_UPLOAD_MAX_MEMORY_SIZE does not cover files.
XINYONG_MAX_UPLOAD_BYTES = env_int("XINYONG_MAX_UPLOAD_BYTES", 100 * 1024 * 1024)
#: Fields of one API record, columns of one file (the widest catalogue kind has under 40).
#: Subjects in one batch check (信用互查): the size the platform answers within seconds.
XINYONG_MAX_BATCH_CHECK_CODES = env_int("XINYONG_MAX_BATCH_CHECK_CODES", 10_000)
XINYONG_MAX_COLUMNS = env_int("XINYONG_MAX_COLUMNS", 200)
#: Reasons kept for one rejected row; the rest are counted in one row.too_many_errors.
XINYONG_MAX_ERRORS_PER_ROW = env_int("XINYONG_MAX_ERRORS_PER_ROW", 20)
#: Characters of one header or value kept of a submitted row (the longest catalogue field allows 5,000).
XINYONG_MAX_STORED_VALUE_CHARS = env_int("XINYONG_MAX_STORED_VALUE_CHARS", 5000)
#: An XLSX workbook is refused before parsing when its members unpack to more than this in total, or
#: one member unpacks to more than XINYONG_XLSX_MAX_RATIO times its compressed size (a zip bomb).
XINYONG_XLSX_MAX_UNPACKED_BYTES = env_int("XINYONG_XLSX_MAX_UNPACKED_BYTES", 512 * 1024 * 1024)
XINYONG_XLSX_MAX_RATIO = env_int("XINYONG_XLSX_MAX_RATIO", 100)

#: The report archive (reports.storage): "filesystem" keeps signed PDFs under REPORT_DIR as YYYY/MM/<number>.pdf.
REPORT_STORAGE = env_str("XINYONG_REPORT_STORAGE", "filesystem")
REPORT_DIR = Path(env_str("XINYONG_REPORT_DIR", str(VAR_DIR / "reports")))
#: Report signing (reports.signing). Production names PEM files: the platform's private key (optionally
#: encrypted with the passphrase), its certificate and the CA chain up to the root. Without a key, a
#: development CA and signing certificate are generated on first use into REPORT_KEY_DIR.
REPORT_SIGNING_KEY = env_str("XINYONG_REPORT_SIGNING_KEY", "")
REPORT_SIGNING_CERT = env_str("XINYONG_REPORT_SIGNING_CERT", "")
REPORT_SIGNING_CHAIN = env_str("XINYONG_REPORT_SIGNING_CHAIN", "")
REPORT_SIGNING_PASSPHRASE = env_str("XINYONG_REPORT_SIGNING_PASSPHRASE", "")
REPORT_KEY_DIR = Path(env_str("XINYONG_REPORT_KEY_DIR", str(VAR_DIR / "keys")))

#: The provincial public credit information platform (省公共信用信息平台) that receives every change
#: (exchange.upstream, docs/exchange.md). Empty URL: changes are queued but not sent. The key and the
#: client certificate come from the environment or files outside the repository, never from it.
XINYONG_UPSTREAM_URL = env_str("XINYONG_UPSTREAM_URL", "")
XINYONG_UPSTREAM_KEY = env_str("XINYONG_UPSTREAM_KEY", "")
XINYONG_UPSTREAM_CLIENT_CERT = env_str("XINYONG_UPSTREAM_CLIENT_CERT", "")  # PEM; key in it or below
XINYONG_UPSTREAM_CLIENT_KEY = env_str("XINYONG_UPSTREAM_CLIENT_KEY", "")
XINYONG_UPSTREAM_CA = env_str("XINYONG_UPSTREAM_CA", "")  # PEM bundle; empty: the system's trust store
#: This platform as the receiver knows it (the sender field of every batch): the centre's USCC.
XINYONG_UPSTREAM_SENDER = env_str("XINYONG_UPSTREAM_SENDER", "")
XINYONG_UPSTREAM_TIMEOUT_SECONDS = env_int("XINYONG_UPSTREAM_TIMEOUT_SECONDS", 20)
XINYONG_UPSTREAM_BATCH = env_int("XINYONG_UPSTREAM_BATCH", 200)
#: Retries: the n-th failure waits BACKOFF × 2^(n-1) seconds (at most 6 hours), and a change that has
#: failed MAX_ATTEMPTS times is a dead letter that staff retry from /centre/exchange/failed/.
XINYONG_UPSTREAM_BACKOFF_SECONDS = env_int("XINYONG_UPSTREAM_BACKOFF_SECONDS", 60)
XINYONG_UPSTREAM_MAX_ATTEMPTS = env_int("XINYONG_UPSTREAM_MAX_ATTEMPTS", 10)

#: Centre staff see an alarm on every page when a background task (an uploaded file) has waited in the
#: queue longer than this: a worker takes one within seconds, so a long wait means none is running.
XINYONG_QUEUE_ALARM_MINUTES = env_int("XINYONG_QUEUE_ALARM_MINUTES", 15)


def env_times(name: str) -> dict[str, str]:
    """``name=HH:MM`` pairs separated by commas (``XINYONG_JOB_TIMES="reports-purge=03:30"``); a pair
    that is not one fails the start. Unknown job names are a system check error (``core.E010``)."""
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in os.environ.get(name, "").split(","))):
        job, _, at = item.partition("=")
        try:
            dt.time.fromisoformat(at.strip())
        except ValueError:
            raise ValueError(f"{name}: {item!r} is not NAME=HH:MM") from None
        pairs[job.strip()] = at.strip()
    return pairs


#: The daily time (Asia/Shanghai) of each registered periodic job that should not run at its default
#: (``xinyong jobs list`` shows both; docs/operations.md "Periodic jobs").
XINYONG_JOB_TIMES = env_times("XINYONG_JOB_TIMES")
#: Centre staff see an alarm when a daily job has not succeeded for this many hours: a day's slot plus
#: two hours of slack, so a job that runs a little later than yesterday (a slow run, a restart, a
#: changed time) raises nothing, while one missed day does, before the second is missed too.
XINYONG_JOB_ALARM_HOURS = env_int("XINYONG_JOB_ALARM_HOURS", 26)
#: Seconds between two looks of the scheduler (in ``xinyong worker``) at what is due.
XINYONG_JOB_TICK_SECONDS = env_int("XINYONG_JOB_TICK_SECONDS", 30)

TASKS = {
    "default": {
        "BACKEND": env_str("XINYONG_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

EMAIL_BACKEND = env_str("XINYONG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("XINYONG_FROM_EMAIL", "xinyong@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("XINYONG_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
