"""The ``motcua`` console command: Django's manage.py under the project's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.dev")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    # Commands are spelled with hyphens on the command line (import-units) and
    # with underscores as Python modules (import_units.py).
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    if len(args) > 1 and args[0] == "help":
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(["motcua", *args])


if __name__ == "__main__":
    main()
