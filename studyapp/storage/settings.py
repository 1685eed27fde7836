"""Settings stored in the collection as JSON values under string keys."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from studyapp.storage.models import Setting


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(Setting, key)
    return default if row is None else json.loads(row.value)


def set_setting(session: Session, key: str, value: Any) -> None:
    encoded = json.dumps(value)
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=encoded))
    else:
        row.value = encoded
