"""Development: the demo province on SQLite with console e-mail and demo plugins."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("MOTCUA_DEMO_PLUGINS", "true")
# The local gateway simulator (motcua payment-simulator) shares this secret.
os.environ.setdefault("PAYMENT_SECRET", "dev-only-payment-secret")

from .base import *  # noqa: F403
from .base import BASE_DIR

(BASE_DIR / "var").mkdir(exist_ok=True)
