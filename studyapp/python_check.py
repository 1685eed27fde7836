"""Refuse a Python older than 3.11 with a message, before anything that needs 3.11 is imported.

main.py and `python -m studyapp` run this first, so it must itself run on old Pythons (2.7 and
3.x): plain ASCII, no f-strings, no annotations (a type comment instead), no `from __future__`.
"""

import sys

REQUIRED = (3, 11)


def require_supported_python():
    # type: () -> None
    if sys.version_info >= REQUIRED:
        return
    found = ".".join(str(part) for part in sys.version_info[:3])
    sys.stderr.write(
        "studyapp: StudyApp needs Python 3.11 or newer, and this is Python "
        + found
        + " ("
        + str(sys.executable)
        + ").\nInstall Python 3.11 or newer (python.org, or your system's python3.11"
        " package), make the venv with it and start StudyApp again.\n"
    )
    sys.exit(2)
