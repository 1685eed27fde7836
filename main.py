"""Thin launcher for a source checkout: `python main.py` starts StudyApp."""

from studyapp.app import main

if __name__ == "__main__":
    raise SystemExit(main())
