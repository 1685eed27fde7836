"""The collection: the one Qt-free API through which the UI, the command line and the
benchmarks read and change study data.

Each name is imported from its module when first asked for (PEP 562), so that a module
importing only values (Changes, NewCard, CardOperationError...) does not load SQLAlchemy: the
window is painted before SQLAlchemy is imported (collection/first_screen.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyapp.collection.authoring_values import (
        CardOperationError,
        CardSource,
        CardText,
        NewCard,
    )
    from studyapp.collection.browser_rows import BrowserRow
    from studyapp.collection.changes import AddedCard, AnswerChanges, Changes, Repositioned
    from studyapp.collection.collection import Collection
    from studyapp.collection.opening import StartupError
    from studyapp.collection.packs import (
        PackAction,
        PackInfo,
        PackPlan,
        PackRefusedError,
        PackSync,
    )
    from studyapp.collection.reading import CardInfo
    from studyapp.collection.search_parser import SearchError

_MODULES = {
    "studyapp.collection.authoring_values": (
        "CardOperationError",
        "CardSource",
        "CardText",
        "NewCard",
    ),
    "studyapp.collection.browser_rows": ("BrowserRow",),
    "studyapp.collection.changes": ("AddedCard", "AnswerChanges", "Changes", "Repositioned"),
    "studyapp.collection.collection": ("Collection",),
    "studyapp.collection.opening": ("StartupError",),
    "studyapp.collection.packs": (
        "PackAction",
        "PackInfo",
        "PackPlan",
        "PackRefusedError",
        "PackSync",
    ),
    "studyapp.collection.reading": ("CardInfo",),
    "studyapp.collection.search_parser": ("SearchError",),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

__all__ = [
    "AddedCard",
    "AnswerChanges",
    "BrowserRow",
    "CardInfo",
    "CardOperationError",
    "CardSource",
    "CardText",
    "Changes",
    "Collection",
    "NewCard",
    "PackAction",
    "PackInfo",
    "PackPlan",
    "PackRefusedError",
    "PackSync",
    "Repositioned",
    "SearchError",
    "StartupError",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # asked for once
    return value
