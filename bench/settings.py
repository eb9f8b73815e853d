"""The web server's settings under benchmark: production, plus the floor endpoint."""

from motcua.conf.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
