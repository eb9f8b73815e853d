#!/bin/bash
# Run the test suite again on PostgreSQL when one answers. Under CI a missing
# PostgreSQL is a failure, not a skip.
#   usage: scripts/test-postgres.sh PYTEST [ARGS...]
url="${TEST_DATABASE_URL:-}"
if [ -z "$url" ] && .venv/bin/python - <<'PY' 2>/dev/null
import psycopg
psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=3).close()
PY
then
    url="postgres://postgres@127.0.0.1:5432/postgres"
fi
if [ -z "$url" ]; then
    if [ "${CI:-}" = "true" ]; then
        echo "PostgreSQL is required under CI: none answers on 127.0.0.1:5432 and TEST_DATABASE_URL is unset." >&2
        exit 1
    fi
    echo "== PostgreSQL not found (set TEST_DATABASE_URL or start it on 127.0.0.1:5432): skipping the PostgreSQL run"
    exit 0
fi
echo "== tests on PostgreSQL ($url)"
TEST_DATABASE_URL="$url" exec "$@"
