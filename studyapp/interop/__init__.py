"""Interoperability with Anki and spreadsheets: .apkg and .csv export, CSV import (no Qt).

Everything reads and changes study data through Collection; files are written under a
temporary name and renamed, so a failed export never leaves a half file.
"""
