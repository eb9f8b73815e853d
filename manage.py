#!/usr/bin/env python
"""Django's command-line utility; the installed ``motcua`` command is the same."""

from motcua.__main__ import main

if __name__ == "__main__":
    main()
