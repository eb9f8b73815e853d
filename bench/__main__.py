"""
``python -m bench [--dossiers N] [--scale 5m] [--skip-http]``: run every
benchmark against a dedicated PostgreSQL database and write docs/benchmarks.md.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432"


def _prepare_environment(database: str) -> None:
    base = os.environ.get("BENCH_DATABASE_SERVER", DEFAULT_URL)
    os.environ["DATABASE_URL"] = f"{base}/{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    # Plain HTTP on loopback: no HTTPS redirect nor secure-only cookies.
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
    os.environ.setdefault("CSRF_COOKIE_SECURE", "false")


def _ensure_database(database: str) -> None:
    import psycopg

    base = os.environ.get("BENCH_DATABASE_SERVER", DEFAULT_URL)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not found:
            print(f"creating database {database}")
            conn.execute(f'CREATE DATABASE "{database}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument(
        "--scale",
        choices=("1m", "5m"),
        default=None,
        help="5m: also measure lookup, inbox and search at 5 million dossiers",
    )
    parser.add_argument("--database", default="motcua_bench")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument(
        "--only",
        choices=("deadline", "queries", "reports", "http"),
        default="",
        help="run one benchmark (the report then holds only its figures)",
    )
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args(argv)
    if args.scale == "5m":
        args.dossiers = max(args.dossiers, 5_000_000)
    _prepare_environment(args.database)
    _ensure_database(args.database)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from bench.suite import Suite

    started = time.monotonic()
    suite = Suite(dossiers=args.dossiers, skip_http=args.skip_http, only=args.only)
    suite.run()
    Path(args.output).write_text(suite.markdown(), encoding="utf-8")
    print(f"\nwrote {args.output} ({time.monotonic() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
