#!/bin/sh
# Start the local PostgreSQL cluster if it is installed but not answering.
# Used by .ci/run: under CI a missing PostgreSQL is a failure, not a skip.
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for version in $(ls /etc/postgresql); do
        pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
    done
    sleep 2
fi
pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null
