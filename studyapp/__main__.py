"""`python -m studyapp` starts the app."""

from studyapp.app import main

raise SystemExit(main())
