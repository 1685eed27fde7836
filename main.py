"""Thin launcher for a source checkout: `python main.py` starts StudyApp."""

# The version check comes before any import that needs Python 3.11 (see python_check.py).
from studyapp.python_check import require_supported_python

require_supported_python()

from studyapp.app import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
