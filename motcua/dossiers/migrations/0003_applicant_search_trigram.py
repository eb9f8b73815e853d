"""
A trigram index on the folded applicant name, on PostgreSQL only.

Name search is ``applicant_search LIKE '%word%'`` for every word typed
(``selectors._filtered``): a B-tree cannot serve a pattern that starts with a
wildcard, so at one million dossiers each search read the whole table
(docs/benchmarks.md). pg_trgm's GIN index serves it. SQLite has no such
index; its databases are small enough to scan, so the migration does nothing
there.
"""

from django.db import migrations


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS dossier_applicant_trgm ON dossiers_dossier "
        "USING gin (applicant_search gin_trgm_ops)"
    )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS dossier_applicant_trgm")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_action_record_payment_and_refund")]

    operations = [migrations.RunPython(_create, _drop, elidable=False)]
