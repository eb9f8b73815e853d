#!/bin/sh
# Print the path of a Python >= 3.12, or explain what to install and fail.
# Order: python3.13, python3.12, pyenv's 3.13/3.12, then python3 when new enough.
is_new_enough() {
    "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}
candidates="python3.13 python3.12"
if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root 2>/dev/null)
    for v in "$root"/versions/3.13* "$root"/versions/3.12*; do
        [ -x "$v/bin/python3" ] && candidates="$candidates $v/bin/python3"
    done
fi
candidates="$candidates python3"
for c in $candidates; do
    if command -v "$c" >/dev/null 2>&1 && is_new_enough "$c"; then
        command -v "$c"
        exit 0
    fi
done
echo "motcua needs Python 3.12 or newer, and none was found." >&2
echo "Install one, e.g. 'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12'," >&2
echo "or run make with PYTHON=/path/to/python3.12." >&2
exit 1
