"""Development: the demo province on SQLite with console e-mail and demo plugins."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
os.environ.setdefault("MOTCUA_DEMO_PLUGINS", "true")
# The local simulators (motcua payment-simulator, population-simulator) share these.
os.environ.setdefault("PAYMENT_SECRET", "dev-only-payment-secret")
os.environ.setdefault("POPULATION_API_KEY", "dev-only-population-key")

from .base import *  # noqa: F403
from .base import BASE_DIR

(BASE_DIR / "var").mkdir(exist_ok=True)
