"""docs/workflow.md is the transition table itself, rendered."""

import os

from django.conf import settings

from motcua.dossiers.workflow import table_markdown


def test_workflow_doc_matches_the_table():
    path = settings.BASE_DIR / "docs" / "workflow.md"
    expected = table_markdown()
    if os.environ.get("MOTCUA_REGENERATE_DOCS"):
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected, (
        "docs/workflow.md is out of date: MOTCUA_REGENERATE_DOCS=1 pytest motcua/dossiers/tests/test_docs.py"
    )
