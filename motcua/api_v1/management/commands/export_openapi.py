"""
motcua export-openapi [PATH] [--check]

Write the API's OpenAPI document (sorted keys, indent 2) to PATH, or to
stdout without one. ``make openapi`` writes docs/openapi.json, which is
committed; with ``--check`` nothing is written and the command fails when
PATH differs from what the code generates (for CI).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.api_v1.openapi import openapi_text


class Command(BaseCommand):
    help = "Write the API's OpenAPI document (sorted keys, indent 2)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="output file (default: stdout)")
        parser.add_argument(
            "--check",
            action="store_true",
            help="fail if PATH differs from the generated document; write nothing",
        )

    def handle(self, *args, path=None, check=False, **options):
        text = openapi_text()
        if check:
            if path is None:
                raise CommandError("--check needs the PATH to compare with.")
            target = Path(path)
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                raise CommandError(
                    f"{path} is out of date: run `motcua export-openapi {path}` "
                    "(make openapi) and commit it."
                )
            self.stderr.write(f"{path} is up to date.")
            return
        if path is None:
            self.stdout.write(text, ending="")
            return
        Path(path).write_text(text, encoding="utf-8")
        self.stderr.write(f"Wrote {path}.")
