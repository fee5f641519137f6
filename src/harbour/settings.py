"""Harbour settings: one module, every environment variable read through core.env helpers.

HARBOUR_ENV=development (default) needs no services and no secrets: SQLite in the data directory and
keys generated on first run. HARBOUR_ENV=production refuses to start without real secrets.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONCE, NONE, SELF

from harbour.core.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_path,
    env_str,
)

# Django's generic classes take type parameters at run time too (mypy --strict needs them).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent

HARBOUR_ENV = env_choice("HARBOUR_ENV", "development", ("development", "production", "test"))
PRODUCTION = HARBOUR_ENV == "production"

DATA_DIR = env_path("HARBOUR_DATA_DIR", REPO_DIR / "data")
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _development_secret_key() -> str:
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env_str("HARBOUR_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ConfigError("HARBOUR_SECRET_KEY must be at least 50 characters")
else:
    SECRET_KEY = env_str("HARBOUR_SECRET_KEY", "") or _development_secret_key()

DEBUG = env_bool("HARBOUR_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ConfigError("HARBOUR_DEBUG cannot be true in production")

ALLOWED_HOSTS = env_list("HARBOUR_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("HARBOUR_CSRF_TRUSTED_ORIGINS", [])
#: The address staff sign in at (alert e-mails link to it; passkeys belong to its host).
HARBOUR_SITE_URL = env_str(
    "HARBOUR_SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000"
).rstrip("/")
if HARBOUR_SITE_URL and not HARBOUR_SITE_URL.startswith(("https://", "http://")):
    raise ConfigError(
        "HARBOUR_SITE_URL must start with https:// (e.g. https://harbour.example.org)"
    )

# Encryption keys for identifying fields. Development generates a key file on first run; production
# must be given HARBOUR_KEYS (JSON) or HARBOUR_KEY_FILE pointing at an existing file.
HARBOUR_KEY_FILE = env_path("HARBOUR_KEY_FILE", DATA_DIR / "keys" / "harbour-keys.json")
HARBOUR_KEYS_JSON = env_str("HARBOUR_KEYS", "")
HARBOUR_GENERATE_KEYS = not PRODUCTION

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "csp",
    "govuk_frontend_django",
    "django_tasks",
    "django_tasks_db",
    "harbour.core",
    "harbour.accounts",
    "harbour.audit",
    "harbour.cases",
    "harbour.risk",
    "harbour.evidence",
    "harbour.imports",
    "harbour.justice",
    "harbour.referrals",
    "harbour.coverage",
    "harbour.public",
    "harbour.api",
    "harbour.training",
    "harbour.programmes",
    "harbour.chat",
    "harbour.alerts",
    "harbour.operations",
    "harbour.reporting",
    "harbour.retention",
]

MIDDLEWARE = [
    "harbour.core.middleware.ActiveDefaultsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "harbour.operations.middleware.MetricsMiddleware",
    "harbour.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "harbour.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "harbour.accounts.middleware.OTPMiddleware",  # django-otp's, its usual device read compiled
    "harbour.accounts.middleware.SessionTimeoutMiddleware",
    "harbour.accounts.middleware.RequireMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "harbour.urls"
WSGI_APPLICATION = "harbour.wsgi.application"
ASGI_APPLICATION = "harbour.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "harbour.core.context_processors.harbour",
            ],
            "builtins": [
                "govuk_frontend_django.templatetags.govuk_frontend_django",
                # {% url %} and |date remembering their answers (issue #8); after Django's own,
                # so they win
                "harbour.core.templatetags.harbour_url",
                "harbour.core.templatetags.harbour_dates",
            ],
        },
    }
]

# Database: SQLite in the data directory unless DATABASE_URL says otherwise.
_database_url = env_str("DATABASE_URL", "")
_SQLITE_MMAP_BYTES = env_int("HARBOUR_SQLITE_MMAP_MB", 1024, minimum=0) * 1024 * 1024
_SQLITE_CACHE_KIB = env_int("HARBOUR_SQLITE_CACHE_MB", 16, minimum=1) * 1024
if _database_url:
    # Each server thread keeps its connection (and the statements it has prepared) for up to 10
    # minutes, checked before reuse, instead of reconnecting every minute (issue #8).
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url,
            conn_max_age=env_int("HARBOUR_PG_CONN_MAX_AGE", 600, minimum=0),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "HARBOUR_PG_PREPARED_STATEMENTS", default=True
    ):
        # Django's PostgreSQL backend with prepared statements (see the module); false behind a
        # connection pooler in transaction mode that does not track them.
        DATABASES["default"]["ENGINE"] = "harbour.core.dbbackends.postgresql"
        DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
else:
    DATABASES = {
        "default": {
            # Django's SQLite backend, creating the file 0600 and keeping planner statistics current.
            "ENGINE": "harbour.core.dbbackends.sqlite3",
            "NAME": str(DATA_DIR / "harbour.sqlite3"),
            # Each server thread keeps its connection for up to 10 minutes instead of opening one
            # per request (opening runs the PRAGMAs below; closing the last one checkpoints the
            # WAL). PRAGMA optimize still runs as each connection closes (issue #8).
            "CONN_MAX_AGE": env_int("HARBOUR_SQLITE_CONN_MAX_AGE", 600, minimum=0),
            # Tests: Django's shared in-memory database, as for its own SQLite backend.
            "TEST": {"NAME": ":memory:"},
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # IMMEDIATE: every transaction takes the write lock up front, so concurrent writers
                # queue instead of failing; the audit chain relies on writes being serialised.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # Prepared statements kept per connection (Python's default is 128). Harbour's
                # pages run a few hundred distinct queries between them and each server thread
                # has its own connection: with 128 most were compiled again on every request.
                "cached_statements": 512,
                # mmap_size: reads come straight from the operating system's page cache, shared
                # by every connection and process, instead of each connection copying pages into
                # its own small cache (2 MB by default) with a system call per page. With 100,000
                # cases the lists read pages across the database, and each server thread's
                # private cache was cold for most requests (issue #8).
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    f" PRAGMA mmap_size={_SQLITE_MMAP_BYTES};"
                    f" PRAGMA cache_size=-{_SQLITE_CACHE_KIB};"
                ),
            },
        }
    }
# A county service may run on SQLite in production, but must say so explicitly.
if (
    PRODUCTION
    and "sqlite" in DATABASES["default"]["ENGINE"]
    and not env_bool("HARBOUR_ALLOW_SQLITE", default=False)
):
    raise ConfigError("Set DATABASE_URL, or HARBOUR_ALLOW_SQLITE=true for a one-machine service")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "harbour.accounts.backends.StaffBackend",
]

# NCSC password guidance: length and a deny-list of common passwords; no composition rules (no
# "must contain a digit"), no forced periodic change.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

# Sessions: inactivity and absolute limits (minutes). Cookies never outlive the browser session.
HARBOUR_SESSION_IDLE_MINUTES = env_int("HARBOUR_SESSION_IDLE_MINUTES", 30, minimum=1)
HARBOUR_SESSION_ABSOLUTE_MINUTES = env_int("HARBOUR_SESSION_ABSOLUTE_MINUTES", 12 * 60, minimum=5)
HARBOUR_STEP_UP_MINUTES = env_int("HARBOUR_STEP_UP_MINUTES", 5, minimum=1)
SESSION_ENGINE = "harbour.core.sessions"
SESSION_COOKIE_AGE = HARBOUR_SESSION_ABSOLUTE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "harbour_session"
CSRF_COOKIE_HTTPONLY = True
# Public pages set the CSRF cookie too: it must not outlive the browser session (nothing lingers on
# a victim's device).
CSRF_COOKIE_AGE = None
CSRF_COOKIE_SAMESITE = "Lax"

# Lockout (django-axes): failures are counted per username *and* address together, so somebody
# guessing from elsewhere cannot lock an advocate out. A second tier in accounts.lockout throttles an
# address that sprays many usernames. The same message is shown whether or not an account exists.
AXES_FAILURE_LIMIT = env_int("HARBOUR_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HARBOUR_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "harbour.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The client address: one function (harbour.core.client_ip), configured by the number of trusted
# proxies in front of Harbour or their networks; the right-most untrusted X-Forwarded-For entry.
HARBOUR_TRUSTED_PROXIES = env_int("HARBOUR_TRUSTED_PROXIES", 0, minimum=0)
HARBOUR_TRUSTED_PROXY_NETWORKS = env_list("HARBOUR_TRUSTED_PROXY_NETWORKS", [])
if env_str("HARBOUR_CLIENT_IP_HEADERS", ""):
    raise ConfigError(
        "HARBOUR_CLIENT_IP_HEADERS is replaced by HARBOUR_TRUSTED_PROXIES or "
        "HARBOUR_TRUSTED_PROXY_NETWORKS (see the README's proxy set-up)"
    )
for _network in HARBOUR_TRUSTED_PROXY_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ConfigError(
            f"HARBOUR_TRUSTED_PROXY_NETWORKS: {_network!r} is not a network (e.g. 10.0.0.0/24)"
        ) from None
AXES_CLIENT_IP_CALLABLE = "harbour.core.client_ip.client_address"
# A browser that completed sign-in for a username before is not locked out by others' failures.
AXES_WHITELIST_CALLABLE = "harbour.accounts.devices.axes_whitelist"
HARBOUR_ADDRESS_FAILURE_LIMIT = env_int("HARBOUR_ADDRESS_FAILURE_LIMIT", 30, minimum=1)

OTP_TOTP_ISSUER = env_str("HARBOUR_TOTP_ISSUER", "Harbour")
# Passkeys (WebAuthn) as a second factor (harbour.accounts.passkeys, docs/operations.md).
HARBOUR_PASSKEY_RP_ID = env_str("HARBOUR_PASSKEY_RP_ID", "")
#: Roles that must sign in with a passkey (phishing-resistant) once they have one; until then
#: every page sends them to register one. E.g. "manager,admin".
HARBOUR_PASSKEYS_REQUIRED_FOR = env_list("HARBOUR_PASSKEYS_REQUIRED_FOR", [])
_KNOWN_ROLES = {
    "advocate",
    "manager",
    "police_coordinator",
    "commissioner",
    "trainer",
    "programme_practitioner",
    "admin",
}
for _role in HARBOUR_PASSKEYS_REQUIRED_FOR:
    if _role not in _KNOWN_ROLES:
        raise ConfigError(
            f"HARBOUR_PASSKEYS_REQUIRED_FOR: {_role!r} is not a role ({', '.join(sorted(_KNOWN_ROLES))})"
        )
OTP_WEBAUTHN_RP_NAME = "Harbour"
OTP_WEBAUTHN_RP_ID_CALLABLE = "harbour.accounts.passkeys.rp_id"
OTP_WEBAUTHN_HELPER_CLASS = "harbour.accounts.passkeys.Helper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
#: Origins a passkey ceremony may come from: the site's own address in production; development and
#: tests also accept the page's own origin (any port), see harbour.accounts.passkeys.Helper.
OTP_WEBAUTHN_ALLOWED_ORIGINS = [o.rstrip("/") for o in env_list("HARBOUR_PASSKEY_ORIGINS", [])]
if not OTP_WEBAUTHN_ALLOWED_ORIGINS:
    if PRODUCTION:
        OTP_WEBAUTHN_ALLOWED_ORIGINS = [HARBOUR_SITE_URL] if HARBOUR_SITE_URL else []
        OTP_WEBAUTHN_ALLOWED_ORIGINS += [f"https://{h}" for h in ALLOWED_HOSTS if h[:1] != "."]
        OTP_WEBAUTHN_ALLOWED_ORIGINS = OTP_WEBAUTHN_ALLOWED_ORIGINS[:1] or ["https://localhost"]
    else:
        OTP_WEBAUTHN_ALLOWED_ORIGINS = ["http://localhost:8000"]
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# Browser security. Production turns on the transport protections; development stays on http.
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: browsers send "Origin: null" on form posts under no-referrer,
# which Django's CSRF check rightly refuses. Nothing is sent to other sites.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and env_bool("HARBOUR_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 63072000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
HARBOUR_BEHIND_PROXY = env_bool("HARBOUR_BEHIND_PROXY", default=False)
#: Where `harbour serve` listens unless --bind says otherwise.
HARBOUR_BIND = env_str("HARBOUR_BIND", "127.0.0.1:8000")
# Server processes for `harbour serve`: two per core. Python runs one thread at a time per process,
# so a process busy with one request holds up its others (the live chat's p95 at 100 chats was
# 1.2 s with two processes on two cores and 84 ms with four).
HARBOUR_WORKERS = env_int("HARBOUR_WORKERS", 2 * (os.cpu_count() or 1), minimum=1)
# Evidence bundles with at least this many diary entries are drawn in two processes at once.
HARBOUR_BUNDLE_TWO_PROCESSES_FROM = env_int("HARBOUR_BUNDLE_TWO_PROCESSES_FROM", 1500, minimum=2)
if PRODUCTION and HARBOUR_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence files go through Django's storage API (local disk by default; object storage through
# django-storages when several servers share it). What is stored is already encrypted by Harbour.
HARBOUR_EVIDENCE_DIR = env_path("HARBOUR_EVIDENCE_DIR", DATA_DIR / "evidence")
HARBOUR_EVIDENCE_MAX_MB = env_int("HARBOUR_EVIDENCE_MAX_MB", 250, minimum=1)
HARBOUR_BUNDLE_VERIFY_MAX_MB = env_int("HARBOUR_BUNDLE_VERIFY_MAX_MB", 2048, minimum=1)

# Evidence imports (docs/evidence-import.md): background tasks in the database (django-tasks with
# django-tasks-db), so one machine needs no other server; `harbour serve` starts a worker.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
HARBOUR_IMPORT_CHECK_MB = env_int("HARBOUR_IMPORT_CHECK_MB", 32, minimum=0)
HARBOUR_IMPORT_STALE_SECONDS = env_int("HARBOUR_IMPORT_STALE_SECONDS", 120, minimum=0)
HARBOUR_FLAG_RULES_DIR = env_str("HARBOUR_FLAG_RULES_DIR", "")
# Retention rules (docs/retention.md): a TOML file; empty means Harbour's own defaults.
HARBOUR_RETENTION_RULES = env_str("HARBOUR_RETENTION_RULES", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(HARBOUR_EVIDENCE_DIR),
            "directory_permissions_mode": 0o700,
            "file_permissions_mode": 0o600,
        },
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Evidence on S3-compatible object storage (several app servers and workers share it), through
# django-storages; docs/deploy.md. What is stored is already encrypted by Harbour.
HARBOUR_EVIDENCE_S3_BUCKET = env_str("HARBOUR_EVIDENCE_S3_BUCKET", "")
if HARBOUR_EVIDENCE_S3_BUCKET:
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": HARBOUR_EVIDENCE_S3_BUCKET,
            "endpoint_url": env_str("HARBOUR_EVIDENCE_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("HARBOUR_EVIDENCE_S3_REGION", "") or None,
            "access_key": env_str("HARBOUR_EVIDENCE_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("HARBOUR_EVIDENCE_S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("HARBOUR_EVIDENCE_S3_PREFIX", ""),
            "file_overwrite": False,  # a clash draws a new name; Harbour refuses renamed names
            "default_acl": None,  # bucket policy decides; objects are never public
            "querystring_auth": True,
        },
    }
WHITENOISE_USE_FINDERS = not PRODUCTION

# Public forms: submissions allowed per address per rolling hour (honeypot and this limit instead
# of a third-party CAPTCHA).
HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR = env_int("HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR", 5, minimum=1)
# A public form sent sooner than this after it was shown is a script's, not a person's; 0 turns the
# signed form token off (the test settings do, except in the tests of the token itself).
HARBOUR_PUBLIC_FORM_MIN_SECONDS = env_int(
    "HARBOUR_PUBLIC_FORM_MIN_SECONDS", 0 if HARBOUR_ENV == "test" else 3, minimum=0
)
# Break-glass: how long an advocate's emergency access to a colleague's case lasts.
HARBOUR_BREAK_GLASS_HOURS = env_int("HARBOUR_BREAK_GLASS_HOURS", 4, minimum=1)
# A manager is alerted on their home page when one person claims emergency access to more cases
# than this in 24 hours.
HARBOUR_BREAK_GLASS_ALERT_CASES = env_int("HARBOUR_BREAK_GLASS_ALERT_CASES", 3, minimum=1)
# The service's own target for a first contact attempt on a referral, in working days (the Victims'
# Code's 2 working days measure the police's referral, not this).
HARBOUR_FIRST_CONTACT_WORKING_DAYS = env_int("HARBOUR_FIRST_CONTACT_WORKING_DAYS", 2, minimum=1)
# What the area calls its multi-agency meeting for stalking that is not domestic abuse.
HARBOUR_STALKING_PANEL_NAME = env_str(
    "HARBOUR_STALKING_PANEL_NAME", "the multi-agency stalking panel"
)
# Live chat (docs/live-chat.md). The bus between server processes: the database by default (no
# other server), or Redis when a URL is given (several machines).
HARBOUR_CHAT_REDIS_URL = env_str("HARBOUR_CHAT_REDIS_URL", "")
if HARBOUR_CHAT_REDIS_URL and not HARBOUR_CHAT_REDIS_URL.startswith(
    ("redis://", "rediss://", "unix://")
):
    raise ConfigError("HARBOUR_CHAT_REDIS_URL must be a redis://, rediss:// or unix:// URL")
HARBOUR_CHAT_POLL_MS = env_int("HARBOUR_CHAT_POLL_MS", 25, minimum=5)
HARBOUR_CHAT_MESSAGES_PER_MINUTE = env_int("HARBOUR_CHAT_MESSAGES_PER_MINUTE", 20, minimum=1)
HARBOUR_CHAT_STARTS_PER_HOUR = env_int("HARBOUR_CHAT_STARTS_PER_HOUR", 30, minimum=1)
HARBOUR_CHAT_WAITING_PER_ADDRESS = env_int("HARBOUR_CHAT_WAITING_PER_ADDRESS", 3, minimum=1)
HARBOUR_SMALL_COUNT_THRESHOLD = env_int("HARBOUR_SMALL_COUNT_THRESHOLD", 5, minimum=1)

# Staff alerts (docs/operations.md): e-mails that say only what kind of thing is waiting and how
# many, with a link to sign in. SMTP when HARBOUR_EMAIL_HOST is set; otherwise development and demo
# print them on the console and production sends nothing (`harbour check --deploy` says so).
EMAIL_HOST = env_str("HARBOUR_EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("HARBOUR_EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("HARBOUR_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("HARBOUR_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("HARBOUR_EMAIL_USE_TLS", default=True)
    EMAIL_USE_SSL = env_bool("HARBOUR_EMAIL_USE_SSL", default=False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ConfigError("HARBOUR_EMAIL_USE_TLS and HARBOUR_EMAIL_USE_SSL cannot both be true")
    EMAIL_TIMEOUT = env_int("HARBOUR_EMAIL_TIMEOUT", 20, minimum=1)
elif PRODUCTION:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("HARBOUR_EMAIL_FROM", "harbour@localhost")
HARBOUR_ALERT_ATTEMPTS = env_int("HARBOUR_ALERT_ATTEMPTS", 4, minimum=1)
HARBOUR_ALERT_RETRY_SECONDS = env_int("HARBOUR_ALERT_RETRY_SECONDS", 60, minimum=1)

# Operator visibility (docs/operations.md): readiness, metrics, error reports.
#: Readiness fails when no background worker has been seen for this long (0 turns the check off).
HARBOUR_WORKER_STALE_SECONDS = env_int("HARBOUR_WORKER_STALE_SECONDS", 120, minimum=0)
HARBOUR_READY_NEEDS_WORKER = HARBOUR_WORKER_STALE_SECONDS > 0
#: Who may read /metrics: these networks, or a bearer token; with neither, nobody.
HARBOUR_METRICS_ALLOWED_NETWORKS = env_list("HARBOUR_METRICS_ALLOWED_NETWORKS", [])
for _network in HARBOUR_METRICS_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ConfigError(
            f"HARBOUR_METRICS_ALLOWED_NETWORKS: {_network!r} is not a network (e.g. 10.0.0.0/24)"
        ) from None
HARBOUR_METRICS_TOKEN = env_str("HARBOUR_METRICS_TOKEN", "")
if HARBOUR_METRICS_TOKEN and len(HARBOUR_METRICS_TOKEN) < 32:
    raise ConfigError("HARBOUR_METRICS_TOKEN must be at least 32 characters")
#: Error reports to a Sentry-compatible service, scrubbed (harbour.operations.errors).
HARBOUR_SENTRY_DSN = env_str("HARBOUR_SENTRY_DSN", "")
if HARBOUR_SENTRY_DSN:
    from harbour.operations.errors import init as _init_error_reports

    _init_error_reports(HARBOUR_SENTRY_DSN, environment=HARBOUR_ENV)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "harbour.core.logging.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": env_str("HARBOUR_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger would print full URLs and tracebacks with local variables;
        # Harbour logs its own request line and error ids instead.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint reports every layout step at INFO; only its warnings matter.
        "weasyprint": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # The task worker says "starting" and "no more tasks" on every poll; failures still show.
        "django_tasks_db": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # pikepdf announces its logger bridge at INFO each time a process loads it.
        "pikepdf": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

if HARBOUR_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL_PATH = "/accounts/sign-in/"
FORM_RENDERER = "harbour.core.forms.GovUKRenderer"
CSRF_FAILURE_VIEW = "harbour.core.views.csrf_failure"
