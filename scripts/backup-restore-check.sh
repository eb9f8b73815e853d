#!/bin/bash
# Backup-and-restore drill (docs/deployment.md, "Backups"). Exits non-zero on
# any difference and drops every scratch database it created.
#
#   scripts/backup-restore-check.sh              build a scratch database (migrate,
#                                                administrative units, a small
#                                                province, nine dossiers, sealed
#                                                audit log), dump it with pg_dump -Fc,
#                                                restore it with pg_restore into a
#                                                second scratch database and compare
#                                                the row count of every table (the
#                                                applied migrations included), every
#                                                sequence and the audit chain head;
#                                                verify the audit hash chain on the
#                                                copy and that it accepts new writes.
#   scripts/backup-restore-check.sh --dump FILE  restore a real backup (pg_dump -Fc)
#                                                into a scratch database and check
#                                                it: no missing migration, the audit
#                                                chain, a write; prints the totals.
#   --skip-units   do not load the 3,321 + 10,035 administrative units (faster)
#   --keep         leave the scratch databases (names are printed)
#
# Connection: the libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD
# (default 127.0.0.1:5432, user postgres). The user must be allowed to create
# databases. Nothing is written to an existing database.
set -euo pipefail
cd "$(dirname "$0")/.."

dump_file=""
load_units=1
keep=0
while [ $# -gt 0 ]; do
    case "$1" in
        --dump) dump_file="${2:?--dump needs a file}"; shift 2 ;;
        --skip-units) load_units=0; shift ;;
        --keep) keep=1; shift ;;
        -h|--help) sed -n "2,25p" "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
PYTHON="${MOTCUA_PYTHON:-.venv/bin/python}"
MOTCUA="$(dirname "$PYTHON")/motcua"
tag="$(date +%Y%m%d%H%M%S)_$$"
SRC="motcua_drill_src_$tag"
DST="motcua_drill_dst_$tag"
work="$(mktemp -d)"
created=()

cleanup() {
    local db
    if [ "$keep" = 1 ]; then
        echo "kept: ${created[*]:-nothing} (dump and reports in $work)"
        return
    fi
    for db in "${created[@]}"; do dropdb --if-exists "$db" || true; done
    rm -rf "$work"
}
trap cleanup EXIT

step() { printf '== %s (%ss)\n' "$*" "$SECONDS"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# Run motcua (or Python with Django set up) against one database, with the
# production settings module and nothing from a local .env that could reach
# outside (object storage, media on the real disk).
with_db() {
    local db=$1; shift
    env DJANGO_SETTINGS_MODULE=motcua.conf.production \
        SECRET_KEY=backup-restore-drill-only \
        ALLOWED_HOSTS=localhost \
        DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$db" \
        S3_BUCKET= MEDIA_ROOT="$work/media" LOG_LEVEL=WARNING \
        "$@"
}

# Exact row count of every table of the public schema, one "table count" a line.
count_rows() {
    psql -X -q -At -F ' ' -d "$1" -v ON_ERROR_STOP=1 <<'SQL'
SELECT table_name,
       (xpath('/row/c/text()', query_to_xml(
           format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name),
           false, true, '')))[1]::text
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
ORDER BY table_name;
SQL
}

# Every sequence's last value: a copy with a stale sequence would reuse ids.
sequence_values() {
    psql -X -q -At -F ' ' -d "$1" -v ON_ERROR_STOP=1 -c \
        "SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences
         WHERE schemaname = 'public' ORDER BY sequencename"
}

chain_head() {  # sealed rows and the last row hash
    psql -X -q -At -F ' ' -d "$1" -v ON_ERROR_STOP=1 -c \
        "SELECT count(*), (SELECT row_hash FROM audit_auditlog WHERE row_hash <> ''
                           ORDER BY id DESC LIMIT 1)
         FROM audit_auditlog WHERE row_hash <> ''"
}

# On a restored copy: the sealed audit chain is intact, and a new audit row
# can be written and sealed onto the chain (the sequences were restored).
check_copy() {
    local db=$1
    step "verifying the audit hash chain on the copy"
    with_db "$db" "$PYTHON" - <<'PY' || fail "audit chain check on the copy"
import django

django.setup()
from motcua.audit.models import AuditLog
from motcua.audit.services import audit_record, audit_seal, audit_verify

intact, checked, reason = audit_verify()
print(f"audit chain: {'intact' if intact else 'BROKEN'}, {checked} sealed rows")
if not intact:
    raise SystemExit(f"audit chain broken: {reason}")
# The copy must take new writes (sequences restored) and extend the chain.
before = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
row = audit_record(event_type="settings", target_type="drill", target_id="restore")
if row.pk <= before:
    raise SystemExit(f"new audit row got id {row.pk} <= {before}: stale sequence")
if audit_seal(older_than_seconds=0) < 1:
    raise SystemExit("the new audit row could not be sealed")
intact, checked2, reason = audit_verify()
if not intact or checked2 != checked + 1:
    raise SystemExit(f"chain not extended on the copy: {reason or checked2}")
print("copy accepts writes; chain extended to", checked2)
PY
}

restore() {  # restore DUMP into a new database DB
    createdb "$2"
    created+=("$2")
    pg_restore --exit-on-error --no-owner --no-privileges --jobs 2 -d "$2" "$1" \
        || fail "pg_restore into $2"
}

command -v pg_dump >/dev/null || fail "pg_dump not found (install postgresql-client)"
pg_isready -q || fail "PostgreSQL does not answer on $PGHOST:$PGPORT"

if [ -n "$dump_file" ]; then
    [ -r "$dump_file" ] || fail "cannot read $dump_file"
    step "restoring $dump_file into $DST"
    restore "$dump_file" "$DST"
    count_rows "$DST" >"$work/restored.counts"
    step "checking migrations on the copy"
    with_db "$DST" "$MOTCUA" migrate --check --noinput >/dev/null \
        || fail "the copy lacks migrations this code base has (or has unknown ones)"
    echo "tables: $(wc -l <"$work/restored.counts"), rows: $(awk '{s += $2} END {print s}' "$work/restored.counts")"
    check_copy "$DST"
    step "restore check passed"
    exit 0
fi

step "creating $SRC: migrate, load, seal"
createdb "$SRC"
created+=("$SRC")
# One Python process for the whole build: each start of Django costs seconds.
with_db "$SRC" env DRILL_LOAD_UNITS="$load_units" "$PYTHON" - <<'PY'
import io
import os

import django

django.setup()
from django.core.management import call_command
from django.test import override_settings

from motcua.audit.services import audit_seal
from motcua.dossiers.constants import DossierAction as A
from motcua.testing.lifecycle import act, at, receive, returned_residence
from motcua.testing.province import build_small_province

call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
if os.environ["DRILL_LOAD_UNITS"] == "1":
    call_command("import_units", verbosity=0, stdout=io.StringIO())
    print("administrative units loaded")

# The drill has no signer: resolve without the signed-result check. Its
# throw-away staff accounts get a fast hasher instead of PBKDF2's many rounds.
with override_settings(
    MOTCUA_RESOLVE_CHECKS=[],
    MOTCUA_RECEPTION_HOOKS=[],
    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
):
    p = build_small_province()
    for day in range(2, 5):
        returned_residence(p, received=at(2026, 3, day, 9), resolved=at(2026, 3, 10, 10))
        d = receive(p, "birth", when=at(2026, 3, day, 14))
        act(p, d, A.COMPLETE_STEP, "reception_a", at(2026, 3, day, 15))
        receive(p, when=at(2026, 3, day, 10))
sealed = audit_seal(older_than_seconds=0)
if sealed < 1:
    raise SystemExit("no audit rows were written: the drill would prove nothing")
print(f"sealed {sealed} audit rows")
PY

step "pg_dump -Fc $SRC"
pg_dump -Fc -f "$work/motcua.dump" "$SRC"
pg_restore --list "$work/motcua.dump" >/dev/null || fail "the dump's table of contents is unreadable"
echo "dump: $(du -h "$work/motcua.dump" | cut -f1)"

step "pg_restore into $DST"
restore "$work/motcua.dump" "$DST"

step "comparing row counts, sequences and the audit chain head"
count_rows "$SRC" >"$work/source.counts"
count_rows "$DST" >"$work/restored.counts"
sequence_values "$SRC" >"$work/source.sequences"
sequence_values "$DST" >"$work/restored.sequences"
status=0
diff -u "$work/source.counts" "$work/restored.counts" || { echo "row counts differ" >&2; status=1; }
diff -u "$work/source.sequences" "$work/restored.sequences" || { echo "sequences differ" >&2; status=1; }
[ "$(chain_head "$SRC")" = "$(chain_head "$DST")" ] || { echo "audit chain head differs" >&2; status=1; }
[ "$status" = 0 ] || fail "the restored copy differs from the source"
for table in dossiers_dossier dossiers_dossierevent dossiers_handover audit_auditlog; do
    grep -q "^$table [1-9]" "$work/source.counts" || fail "$table is empty: the drill would prove nothing"
done
echo "tables: $(wc -l <"$work/source.counts"), rows: $(awk '{s += $2} END {print s}' "$work/source.counts"), all equal"

check_copy "$DST"
step "backup-and-restore drill passed"
