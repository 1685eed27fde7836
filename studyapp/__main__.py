"""`python -m studyapp` starts the app."""

# The version check comes before any import that needs Python 3.11 (see python_check.py).
from studyapp.python_check import require_supported_python

require_supported_python()

from studyapp.app import main  # noqa: E402

raise SystemExit(main())
