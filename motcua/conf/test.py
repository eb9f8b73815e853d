"""Tests: speed and determinism only. Each line says why it differs."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key")
os.environ.setdefault(
    "MOTCUA_DEMO_PLUGINS", "true"
)  # simulators stand in for outside systems
# The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
os.environ["DATABASE_URL"] = os.environ.get("TEST_DATABASE_URL") or "sqlite://:memory:"

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES

# The checkout-specific test database name from base.py survives the override
# above on PostgreSQL; SQLite tests stay in memory (a named SQLite test database
# would be a file in the working directory).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"]["NAME"] = ":memory:"

# A fast hasher: password hashing is not what the tests measure.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run inline so that side effects happen before the test asserts them.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# E-mail lands in django.core.mail.outbox.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Files written by tests stay out of the working copy.
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The demo CA is kept between runs: issuing keys again on every run costs time.
MOTCUA_DEMO_CA_DIR = BASE_DIR / "var" / "test-demo-ca"
# Signing never calls out to a time-stamping authority in tests.
TSA_URL = ""
# No outside system unless a test starts its simulator: updates stay in the outbox.
PORTAL_BASE_URL = ""
# SMS are logged, not sent, unless a test points SMS_GATEWAY at the simulator.
SMS_GATEWAY = "console"
# The lifecycle's own tests resolve without documents; the documents tests
# turn the signed-result check and the store reuse on where they test them.
MOTCUA_RESOLVE_CHECKS = []
MOTCUA_RECEPTION_HOOKS = []
