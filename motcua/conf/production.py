"""Production: refuse to start without the variables that must be set."""

import os

from django.core.exceptions import ImproperlyConfigured

for _required in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"):
    if not os.environ.get(_required):
        raise ImproperlyConfigured(f"{_required} must be set in production.")

os.environ.setdefault("SESSION_COOKIE_SECURE", "true")
os.environ.setdefault("CSRF_COOKIE_SECURE", "true")

from .base import *  # noqa: E402, F403

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
