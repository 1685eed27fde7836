"""The collection: the one Qt-free API through which the UI, the command line and the
benchmarks read and change study data."""

from studyapp.collection.authoring import (
    CardOperationError,
    CardSource,
    CardText,
    NewCard,
)
from studyapp.collection.browser_rows import BrowserRow
from studyapp.collection.changes import AddedCard, AnswerChanges, Changes, Repositioned
from studyapp.collection.collection import Collection
from studyapp.collection.opening import StartupError
from studyapp.collection.packs import PackAction, PackInfo, PackPlan, PackRefusedError, PackSync
from studyapp.collection.reading import CardInfo
from studyapp.collection.search_parser import SearchError

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
