"""
Every setting of motcua, read from the environment with safe defaults.

Environments differ only by their variables (see .env.example); dev.py, test.py
and production.py set or check a few of them before importing this module.
"""

import hashlib
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
PACKAGE_DIR = BASE_DIR / "motcua"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    # The API docs page: with ninja installed, Swagger UI is served from
    # ninja's own static files ('self') instead of a CDN the CSP would block.
    "ninja",
    "motcua.core",
    "motcua.audit",
    "motcua.units",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.dossiers",
    "motcua.demo",
    "motcua.notifications",
    "motcua.integrations",
    "motcua.forms",
    "motcua.payments",
    "motcua.integrations.population",
    "motcua.documents",
    "motcua.feedback",
    "motcua.supervision",
    "motcua.review",
    # Interface apps: templates and views over the domain apps, no models.
    "motcua.staff",
    "motcua.public",
    "motcua.api_v1",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.LocaleMiddleware",  # Vietnamese unless chosen
    "motcua.api_v1.middleware.ApiMiddleware",  # API: Accept-Language, 405
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"
ASGI_APPLICATION = "motcua.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.public.context_processors.site",
                "motcua.staff.context_processors.staff",
            ],
        },
    },
]

DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
    ),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE makes a write
    # transaction take the lock at BEGIN, so two writers queue instead of one
    # failing halfway with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # JIT compilation pays off for long analytic queries, not for ours: on the
    # officer inbox at one million dossiers it spent 6 s compiling a plan that
    # ran in 0.3 s (docs/benchmarks.md). PG_JIT=on brings it back.
    if not env.bool("PG_JIT", default=False):
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "options", "-c jit=off"
        )

# Each checkout gets its own test database name, so that two working copies on
# one machine can run their PostgreSQL suites at the same time.
_checkout_tag = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]
DATABASES["default"].setdefault("TEST", {})["NAME"] = f"test_motcua_{_checkout_tag}"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first, English available (Decree 118 forms are in Vietnamese).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Shared front-end files (CSS, JS, vendored htmx); apps may add their own.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"  # never served directly: files go through access checks
DATA_DIR = BASE_DIR / "data"

# Files: local disk by default; S3-compatible object storage when a bucket is set.
_s3_bucket = env.str("S3_BUCKET", default="")
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage"
        if _s3_bucket
        else "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "bucket_name": _s3_bucket,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("S3_SECRET_KEY", default="") or None,
            "default_acl": None,
            "querystring_auth": True,
        }
        if _s3_bucket
        else {},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache"
        if env.bool("CACHE_IN_DATABASE", default=False)
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "motcua_cache",
    }
}

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

# E-mail (Django 6.1 MAILERS): console in development, SMTP when EMAIL_HOST is set.
_smtp_host = env.str("EMAIL_HOST", default="")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend"
        if _smtp_host
        else "django.core.mail.backends.console.EmailBackend",
        "OPTIONS": {
            "host": _smtp_host,
            "port": env.int("EMAIL_PORT", default=25),
            "username": env.str("EMAIL_HOST_USER", default=""),
            "password": env.str("EMAIL_HOST_PASSWORD", default=""),
            "use_tls": env.bool("EMAIL_USE_TLS", default=False),
            "timeout": 20,
        }
        if _smtp_host
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="motcua@localhost")

# Security. Django's own CSP: no inline scripts anywhere, scripts from 'self'.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

# --- payments (motcua.payments; see docs/payments.md) ------------------------
# Provider plugin used for new payments.
PAYMENT_PROVIDER = env.str("PAYMENT_PROVIDER", default="hmac-gateway")
# The hmac-gateway provider: gateway base URL, our merchant id and shared secret.
PAYMENT_GATEWAY_URL = env.str("PAYMENT_GATEWAY_URL", default="http://127.0.0.1:8766")
PAYMENT_MERCHANT_ID = env.str("PAYMENT_MERCHANT_ID", default="MOTCUA")
PAYMENT_SECRET = env.str("PAYMENT_SECRET", default="")
# Base URL the gateway calls back (IPN); SITE_URL when empty.
PAYMENT_CALLBACK_BASE_URL = env.str("PAYMENT_CALLBACK_BASE_URL", default="")
# Minutes a payer has to pay once sent to the gateway.
PAYMENT_INTENT_TTL_MINUTES = env.int("PAYMENT_INTENT_TTL_MINUTES", default=15)
# Days the signed payment link of the payment-due notification stays valid.
PAYMENT_LINK_DAYS = env.int("PAYMENT_LINK_DAYS", default=30)
# Seconds to wait for the gateway's server-to-server answers.
PAYMENT_TIMEOUT = env.float("PAYMENT_TIMEOUT", default=10.0)

# --- population database (motcua.integrations.population; docs/population.md)
POPULATION_SOURCE = env.str("POPULATION_SOURCE", default="http")
POPULATION_API_URL = env.str("POPULATION_API_URL", default="http://127.0.0.1:8767")
POPULATION_API_KEY = env.str("POPULATION_API_KEY", default="")
POPULATION_TIMEOUT = env.float("POPULATION_TIMEOUT", default=5.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- motcua ---------------------------------------------------------------
# The province this deployment serves (two-level structure code, QĐ 19/2025).
MOTCUA_PROVINCE_CODE = env.str("MOTCUA_PROVINCE_CODE", default="99")
# Deadline convention of DESIGN.md §4: "hours" (working time consumed period by
# period) or "days" (Civil Code art.147–148, close of office on the N-th day).
MOTCUA_DEADLINE_CONVENTION = env.str("MOTCUA_DEADLINE_CONVENTION", default="hours")
# Plugins marked as demo (simulators, demo signer) are only offered when true.
MOTCUA_DEMO_PLUGINS = env.bool("MOTCUA_DEMO_PLUGINS", default=False)
# Login attempts allowed per username and per address in the lock window.
MOTCUA_LOGIN_MAX_ATTEMPTS = env.int("MOTCUA_LOGIN_MAX_ATTEMPTS", default=5)
MOTCUA_LOGIN_LOCK_MINUTES = env.int("MOTCUA_LOGIN_LOCK_MINUTES", default=15)
# Called with every new DossierEvent inside its transaction (outbox pattern):
# the portal sync and the notifications write their outbox rows here, so that
# an accepted change is never lost. Dotted paths to callables(event).
MOTCUA_DOSSIER_EVENT_CONSUMERS: list[str] = [
    "motcua.integrations.portal.consumers.portal_sync_on_event",
    "motcua.notifications.consumers.notify_on_event",
]
# Checks run before a dossier is resolved: each raises a DomainError when it
# may not be yet. Decree 118 Art.22(1): the result is a signed e-result.
MOTCUA_RESOLVE_CHECKS: list[str] = ["motcua.documents.services.result_require_signed"]
# Run after a dossier is created by staff: fill in components the applicant's
# personal data store already holds (Decree 118 Art.5(1)(i)).
MOTCUA_RECEPTION_HOOKS: list[str] = [
    "motcua.documents.lifecycle.reception_reuse_from_store"
]
# Reverse proxies in front of the application that append to X-Forwarded-For;
# the client address (login limits, audit) is read that many entries from the
# right. 0: use the address of the connection.
MOTCUA_PROXY_COUNT = env.int("MOTCUA_PROXY_COUNT", default=0)

# --- documents and signatures --------------------------------------------
# Uploads are refused above these limits (Circular 01/2023 scans stay far below).
MOTCUA_UPLOAD_MAX_BYTES = env.int("MOTCUA_UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
MOTCUA_UPLOAD_MAX_PAGES = env.int("MOTCUA_UPLOAD_MAX_PAGES", default=200)
# Who signs: "demo" (the demo CA, only with demo plugins), "pkcs12" or "pkcs11".
MOTCUA_SIGNER = env.str(
    "MOTCUA_SIGNER", default="demo" if MOTCUA_DEMO_PLUGINS else "pkcs12"
)
# PKCS#12 key files: agency-<electronic id>.p12 and user-<username>.p12.
MOTCUA_KEYS_DIR = env.path("MOTCUA_KEYS_DIR", default=BASE_DIR / "var" / "keys")
# Reports that commands leave for the administrator (e.g. catalog import drafts).
MOTCUA_REPORTS_DIR = env.path(
    "MOTCUA_REPORTS_DIR", default=BASE_DIR / "var" / "reports"
)
# The demo certificate authority (motcua demo-ca); never trusted in production.
MOTCUA_DEMO_CA_DIR = env.path(
    "MOTCUA_DEMO_CA_DIR", default=BASE_DIR / "var" / "demo-ca"
)
# Root certificates (PEM or DER files) trusted when verifying signatures; the
# demo root is added when demo plugins are on.
MOTCUA_TRUST_ROOTS = env.list("MOTCUA_TRUST_ROOTS", default=[])
# RFC 3161 time-stamping authority; empty: signatures carry the signer's clock.
TSA_URL = env.str("TSA_URL", default="")
# --- background work (motcua sweep; docs/deployment-integrations.md) -------
# Jobs of the periodic sweep, in order: callables job(*, now) -> dict.
MOTCUA_SWEEP_JOBS: list[str] = [
    "motcua.integrations.sweep.close_unsupplemented",
    "motcua.integrations.sweep.send_reminders",
    "motcua.integrations.sweep.retry_portal_sync",
    "motcua.integrations.sweep.retry_notifications",
    "motcua.integrations.sweep.expire_payments",
    "motcua.integrations.sweep.prune_idempotency_keys",
    "motcua.integrations.sweep.seal_audit_log",
]
# Staff are reminded of a dossier due soon when the early warning forecasts
# less than a working day of slack, and at the latest this many working hours
# before its due time.
MOTCUA_DUE_SOON_WORKING_HOURS = env.float("MOTCUA_DUE_SOON_WORKING_HOURS", default=8)

# --- national public service portal (motcua/integrations/portal) ----------
PORTAL_CLIENT = env.str("PORTAL_CLIENT", default="http")
# Empty: updates wait in the outbox and are sent once the portal is configured.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="")
PORTAL_CLIENT_ID = env.str("PORTAL_CLIENT_ID", default="")
PORTAL_SECRET = env.str("PORTAL_SECRET", default="")
PORTAL_TIMEOUT = env.float("PORTAL_TIMEOUT", default=10.0)
PORTAL_SYNC_MAX_ATTEMPTS = env.int("PORTAL_SYNC_MAX_ATTEMPTS", default=12)
PORTAL_SYNC_RETRY_BASE_SECONDS = env.float(
    "PORTAL_SYNC_RETRY_BASE_SECONDS", default=30.0
)
PORTAL_SYNC_RETRY_MAX_SECONDS = env.float(
    "PORTAL_SYNC_RETRY_MAX_SECONDS", default=3600.0
)
# Used by the portal simulator to file online dossiers with our REST API.
MOTCUA_API_URL = env.str("MOTCUA_API_URL", default="http://127.0.0.1:8000/api/v1")
MOTCUA_PORTAL_TOKEN = env.str("MOTCUA_PORTAL_TOKEN", default="")

# --- notifications (motcua/notifications) ---------------------------------
MOTCUA_NOTIFICATION_MAILER = env.str("MOTCUA_NOTIFICATION_MAILER", default="default")
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
# "http" when a gateway URL is set; "console" (log only, development) otherwise.
SMS_GATEWAY = env.str("SMS_GATEWAY", default="http" if SMS_GATEWAY_URL else "console")
SMS_API_KEY = env.str("SMS_API_KEY", default="")
SMS_SENDER = env.str("SMS_SENDER", default="MOTCUA")
SMS_TIMEOUT = env.float("SMS_TIMEOUT", default=10.0)
# Unicode SMS hold 70 characters a segment instead of 160: off by default.
SMS_UNICODE = env.bool("SMS_UNICODE", default=False)
SMS_MAX_LENGTH = env.int("SMS_MAX_LENGTH", default=459)
NOTIFY_MAX_ATTEMPTS = env.int("NOTIFY_MAX_ATTEMPTS", default=6)
NOTIFY_RETRY_BASE_SECONDS = env.float("NOTIFY_RETRY_BASE_SECONDS", default=60.0)
NOTIFY_RETRY_MAX_SECONDS = env.float("NOTIFY_RETRY_MAX_SECONDS", default=3600.0)
# Citizen ratings (docs/adr/0004-ratings.md): how long the signed rating link
# in the result notification stays valid, and how many counted ratings an
# officer or agency needs before it is ranked on satisfaction.
MOTCUA_RATING_LINK_DAYS = env.int("MOTCUA_RATING_LINK_DAYS", default=90)
MOTCUA_RATING_MIN_SAMPLE = env.int("MOTCUA_RATING_MIN_SAMPLE", default=5)
# Rankings (docs/supervision.md): finished dossiers (or steps, for an officer)
# a unit needs before it is ranked on its on-time rate and lateness.
MOTCUA_RANKING_MIN_DOSSIERS = env.int("MOTCUA_RANKING_MIN_DOSSIERS", default=5)
# Public PAKN form: submissions allowed per address and hour.
MOTCUA_FEEDBACK_RATE_LIMIT = env.int("MOTCUA_FEEDBACK_RATE_LIMIT", default=5)

# --- public lookup (motcua/public/throttle.py) -----------------------------
# Wrong secrets allowed per dossier code and per address within the window
# before further tries are refused. Use a shared cache (CACHE_IN_DATABASE)
# when several processes serve the site.
MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE = env.int(
    "MOTCUA_LOOKUP_MAX_FAILURES_PER_CODE", default=5
)
MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS = env.int(
    "MOTCUA_LOOKUP_MAX_FAILURES_PER_ADDRESS", default=20
)
MOTCUA_LOOKUP_WINDOW_MINUTES = env.int("MOTCUA_LOOKUP_WINDOW_MINUTES", default=15)
