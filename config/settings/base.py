"""Corridor settings: one env-driven base. Every variable is documented in .env.example."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from config.env import BASE_DIR, as_bool, csv, database_from_env, env, fail, required

DEBUG = as_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = required(
    "DJANGO_SECRET_KEY", when=not DEBUG, default="dev-only-insecure-key-do-not-use-in-production"
)
ALLOWED_HOSTS = csv("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    fail("DJANGO_ALLOWED_HOSTS", "must be set when DJANGO_DEBUG is off")
CSRF_TRUSTED_ORIGINS = csv("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = required("SITE_URL", when=False, default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "config.apps.CorridorAdminConfig",  # the admin, logged into through allauth only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "ninja",  # serves Swagger UI's bundled assets from our static files (no CDN) at /api/docs
    "events",
    "ticketing",
    "registration",
    "tourism",
    "tourism.exchange",  # the exchange programme (label "exchange"), inside tourism
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "events.middleware.OrganiserMFAMiddleware",
    "config.errors.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASE_POOL_SIZE = env.int("DATABASE_POOL_SIZE", default=0) if not DEBUG else 0
if DATABASE_POOL_SIZE and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # psycopg's pool (Django 5.1+): a connection handed out is known good, so no request pays a
    # health-check round trip; Django refuses persistent connections alongside it.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": DATABASE_POOL_SIZE}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
else:
    DATABASES["default"]["CONN_MAX_AGE"] = 60 if not DEBUG else 0
    # A persistent connection is checked with a `SELECT 1` at each request's first query; off
    # (DATABASE_HEALTH_CHECKS=false), a sync worker's connection costs no more per request than the
    # pool's checkout and return (less, measured on the scan), and is as safe as the pool above, which
    # hands out connections unchecked too: one dropped by a database restart fails one request, and
    # Django replaces it after that request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("DATABASE_HEALTH_CHECKS", default=True)
if env.bool("DATABASE_PREPARED", default=True) and DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Values sent apart from the SQL (server-side binding), and a statement run PREPARE_THRESHOLD times
    # on a connection prepared: PostgreSQL then plans it once per connection instead of on every run.
    # Planning was a third to a half of PostgreSQL's CPU per order and per redemption (wide joins);
    # measured in-process, an order's CPU went from 22.8 to 16.9 ms (BENCHMARKS.md). Django leaves this
    # off for transaction-mode poolers: behind PgBouncer use 1.21+ with max_prepared_statements, or
    # set DATABASE_PREPARED=false.
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = env.int("DATABASE_PREPARE_THRESHOLD", default=2)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = required("REDIS_URL", when=False)
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    fail("REDIS_URL", f"must look like redis://host:6379/0 (got {REDIS_URL!r})")
if not DEBUG and not REDIS_URL:
    # Login lockouts, rate limits and import previews live in the cache: a per-process cache gives each
    # worker its own (4 workers, 4 times the guesses; a confirm on another worker finds no preview).
    fail("REDIS_URL", "must be set when DJANGO_DEBUG is off: every worker process must share one cache")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis is the broker when configured; without it tasks run in-process, eagerly.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE: dict = {}  # apps add their periodic jobs in config/celery.py

AUTH_USER_MODEL = "registration.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "events:home"

# django-allauth: email is the login; verification is mandatory; its rate limits stay on (defaults).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Corridor] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Account emails link to SITE_URL (registration/adapter.py); organisers land on the organiser home
# after logging in, merchant staff on the merchant home (tourism's adapter extends registration's).
ACCOUNT_ADAPTER = "tourism.views.merchant_home.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Corridor"

EMAIL_URL = required("EMAIL_URL", when=False)
if EMAIL_URL:
    import environ

    vars().update(environ.Env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = required("DEFAULT_FROM_EMAIL", when=False, default="Corridor <noreply@corridor.example>")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Every app's catalogue here, not only config's: catalogues of INSTALLED_APPS listed earlier (admin,
# auth, sessions, allauth) would otherwise win for shared words ("session" 会话, "Filter" 过滤器,
# "Note" 注意) over the house wording (场次, 筛选, 备注); LOCALE_PATHS come before every app.
LOCALE_PATHS = [
    BASE_DIR / app / "locale"
    for app in ("config", "events", "ticketing", "registration", "tourism", "tourism/exchange")
]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# English dates read "Sat 10 Apr 2027, 08:30" everywhere; Chinese keeps Django's 2027年4月10日 08:30.
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Personal data (badge sheets, athletes' photos): never under MEDIA_ROOT, served by views that
    # check the role. For object storage, point this alias at a private S3-compatible bucket.
    "private": {"BACKEND": "events.storage.PrivateFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private")))

# Security: strict whenever DEBUG is off; `manage.py check --deploy` is clean with production variables.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = as_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 0 if DEBUG else 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS: list[str] = []

# Logs: one JSON object per line in production, readable lines in development.
LOG_FORMAT = required("LOG_FORMAT", when=False, default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    fail("LOG_FORMAT", f"must be json or text (got {LOG_FORMAT!r})")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    # Link tokens (referee, guardian, invitation links) never reach a log: see config/log_redaction.py.
    "filters": {"redact_link_tokens": {"()": "config.log_redaction.RedactLinkTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["redact_link_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": required("LOG_LEVEL", when=False, default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # On the logger too, so Django's own handlers (mail_admins, the DEBUG console) get it redacted.
        "django.request": {"filters": ["redact_link_tokens"]},
    },
}


def _dev_key(purpose: str, length: int = 32) -> bytes:
    """A key derived from SECRET_KEY, only ever used when DEBUG is on (demo and tests)."""
    return hashlib.sha256(f"{purpose}:{SECRET_KEY}".encode()).digest()[:length]


# Payments. Stripe is used when its secret key is set; STRIPE_API_BASE points at localstripe in tests.
STRIPE_SECRET_KEY = required("STRIPE_SECRET_KEY", when=False)
STRIPE_PUBLISHABLE_KEY = required("STRIPE_PUBLISHABLE_KEY", when=False)
STRIPE_WEBHOOK_SECRET = required("STRIPE_WEBHOOK_SECRET", when=bool(STRIPE_SECRET_KEY) and not DEBUG)
STRIPE_API_BASE = required("STRIPE_API_BASE", when=False)
# The demo provider pays without money: only ever in development.
PAYMENT_DEMO_ENABLED = as_bool("PAYMENT_DEMO_ENABLED", default=DEBUG)
if PAYMENT_DEMO_ENABLED and not DEBUG:
    fail("PAYMENT_DEMO_ENABLED", "cannot be on when DJANGO_DEBUG is off (the demo provider takes no money)")
CURRENCY = "CNY"
# How long a cart hold (and an unpaid card/demo order) keeps its places before they return to sale.
TICKET_HOLD_MINUTES = int(required("TICKET_HOLD_MINUTES", when=False, default="15"))
# Ticketing's periodic jobs: lapse holds, expire unpaid orders, pass unpaid ballot places down the list.
CELERY_BEAT_SCHEDULE["ticketing-expire-holds-and-orders"] = {
    "task": "ticketing.tasks.sales_expire_due",
    "schedule": 60.0,
}

# Signed credentials (tickets, badges, stubs): "kid:base64url-ed25519-private-key", newest first.
CREDENTIAL_SIGNING_KEYS = csv("CREDENTIAL_SIGNING_KEYS")
if not CREDENTIAL_SIGNING_KEYS:
    if not DEBUG:
        fail("CREDENTIAL_SIGNING_KEYS", "must be set when DJANGO_DEBUG is off")
    CREDENTIAL_SIGNING_KEYS = ["dev1:" + base64.urlsafe_b64encode(_dev_key("credential-signing")).decode()]

# Gate check-in: how long a gate may annul its own scan (a wrong person or direction), in seconds.
GATE_ANNUL_WINDOW_SECONDS = int(required("GATE_ANNUL_WINDOW_SECONDS", when=False, default="120"))
# Offline scans uploaded later than this are stored refused and flagged: a back-dated upload could
# otherwise admit a ticket from before its refund, or overturn genuine entries (first scan wins).
GATE_OFFLINE_MAX_AGE_HOURS = int(required("GATE_OFFLINE_MAX_AGE_HOURS", when=False, default="12"))

# Children's document numbers: Fernet keys (newest first, rotation) and an HMAC key for look-ups.
FIELD_ENCRYPTION_KEYS = csv("FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    if not DEBUG:
        fail("FIELD_ENCRYPTION_KEYS", "must be set when DJANGO_DEBUG is off")
    FIELD_ENCRYPTION_KEYS = [base64.urlsafe_b64encode(_dev_key("field-encryption")).decode()]
DOCUMENT_HASH_KEY = required("DOCUMENT_HASH_KEY", when=not DEBUG) or _dev_key("document-hash").hex()

CORRIDOR_DEMO_ORGANISER_EMAIL = "organiser@corridor.example"

# Registration retention (PIPL: shortest retention that serves the purpose), in days after the athlete's last event.
REGISTRATION_CLAIM_WINDOW_DAYS = int(required("REGISTRATION_CLAIM_WINDOW_DAYS", when=False, default="180"))
REGISTRATION_PHOTO_RETENTION_DAYS = int(
    required("REGISTRATION_PHOTO_RETENTION_DAYS", when=False, default="30")
)
# Registration's periodic jobs: lock rosters at their deadline, expire waitlist offers, apply retention.
CELERY_BEAT_SCHEDULE["registration-rosters-lock-due"] = {
    "task": "registration.tasks.rosters_lock_due",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["registration-waitlist-expire-due"] = {
    "task": "registration.tasks.waitlist_expire_due",
    "schedule": 300.0,
}
CELERY_BEAT_SCHEDULE["registration-retention-run"] = {
    "task": "registration.tasks.retention_run",
    "schedule": 86400.0,
}
# The exchange programme: roll-calls past their time with a child missing raise their alert.
CELERY_BEAT_SCHEDULE["exchange-rollcalls-alert-due"] = {
    "task": "tourism.exchange.tasks.rollcalls_alert_due",
    "schedule": 60.0,
}
