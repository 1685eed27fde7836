"""The browser's search language, parsed into a tree (search.py turns the tree into SQL).

Anki's words where they apply: words and "quoted phrases" (all must match), `-` negates,
`or` between two searches, parentheses group, and `key:value` searches such as `is:due`,
`flag:1`, `tag:marked`, `rated:7`, `prop:ivl>=10`, `introduced:30`, `source:negotiations`.
Implicit "and" binds tighter than `or`, as in Anki. Every mistake is a SearchError whose
message says what is wrong, never an exception from deeper down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

KEYS = ("is", "flag", "tag", "rated", "prop", "introduced", "source", "kind")
IS_VALUES = (
    "new",
    "learn",
    "review",
    "due",
    "suspended",
    "buried",
    "mine",
    "pack",
    "edited",
    "flagged",
)
PROPS = ("ivl", "reps", "lapses", "due", "s", "d")
KINDS = ("basic", "cloze", "chronology")
OPERATORS = ("<=", ">=", "!=", "<", ">", "=")
_PROP = re.compile(r"^([a-z]+)(<=|>=|!=|<|>|=)(-?\d+(?:\.\d+)?)$")
_KEY = re.compile(r"^([A-Za-z]+):(.*)$", re.DOTALL)


class SearchError(ValueError):
    """A search that cannot be run; str() says why, for the message under the search box."""


# -- the tree ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Words to find in the question, answer or source sentence. A bare word matches words
    starting with it (klaip finds Klaipėda); a quoted phrase matches those words in order."""

    text: str
    phrase: bool = False


@dataclass(frozen=True)
class Keyword:
    key: str  # one of KEYS
    value: str


@dataclass(frozen=True)
class Prop:
    name: str  # one of PROPS
    operator: str  # one of OPERATORS
    number: float


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class And:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class Everything:
    """The empty search: every card."""


Node = Text | Keyword | Prop | Not | And | Or | Everything


# -- tokens ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "-", "or", "and", "term"
    text: str = ""
    quoted: bool = False  # the whole term was in quotes: text only, never a key:value


def _read_quoted(query: str, start: int) -> tuple[str, int]:
    """The text of the quotes opening at `start` (\\" inside is a quote) and the index after."""
    out = []
    index = start + 1
    while index < len(query):
        char = query[index]
        if char == "\\" and index + 1 < len(query) and query[index + 1] in '"\\':
            out.append(query[index + 1])
            index += 2
            continue
        if char == '"':
            return "".join(out), index + 1
        out.append(char)
        index += 1
    raise SearchError('A quote is not closed: add the closing " (or search without quotes).')


def tokenize(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    while index < len(query):
        char = query[index]
        if char.isspace():
            index += 1
        elif char in "()":
            tokens.append(_Token(char))
            index += 1
        elif char == "-" and (index + 1 < len(query)) and not query[index + 1].isspace():
            tokens.append(_Token("-"))
            index += 1
        elif char == "-":
            raise SearchError("Nothing follows “-”: write what to leave out right after it.")
        elif char == '"':
            text, index = _read_quoted(query, index)
            tokens.append(_Token("term", text, quoted=True))
        else:
            out = []
            while index < len(query) and not query[index].isspace() and query[index] not in "()":
                if query[index] == '"':  # key:"a quoted value"
                    text, index = _read_quoted(query, index)
                    out.append(text)
                else:
                    out.append(query[index])
                    index += 1
            word = "".join(out)
            lowered = word.lower()
            tokens.append(_Token(lowered) if lowered in ("or", "and") else _Token("term", word))
    return tokens


# -- parsing -----------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._index = 0

    def _peek(self) -> _Token | None:
        return self._tokens[self._index] if self._index < len(self._tokens) else None

    def _take(self) -> _Token:
        token = self._tokens[self._index]
        self._index += 1
        return token

    def parse(self) -> Node:
        if not self._tokens:
            return Everything()
        node = self._or()
        token = self._peek()
        if token is not None:
            assert token.kind == ")"
            raise SearchError("A “)” has no “(” before it.")
        return node

    def _or(self) -> Node:
        nodes = [self._and()]
        while (token := self._peek()) is not None and token.kind == "or":
            self._take()
            nodes.append(self._and("“or” needs a search after it, as in: klaipeda or vilnius."))
        return nodes[0] if len(nodes) == 1 else Or(tuple(nodes))

    def _and(self, missing: str | None = None) -> Node:
        nodes: list[Node] = []
        while (token := self._peek()) is not None and token.kind not in ("or", ")"):
            if token.kind == "and":
                self._take()
                if not nodes:
                    raise SearchError("“and” needs a search before it.")
                if self._peek() is None or self._peek_kind() in ("or", ")", "and"):
                    raise SearchError("“and” needs a search after it.")
                continue
            nodes.append(self._unary())
        if not nodes:
            if missing is not None:
                raise SearchError(missing)
            token = self._peek()
            if token is not None and token.kind == "or":
                raise SearchError("“or” needs a search before it, as in: klaipeda or vilnius.")
            raise SearchError("Empty parentheses: put a search between “(” and “)”.")
        return nodes[0] if len(nodes) == 1 else And(tuple(nodes))

    def _peek_kind(self) -> str | None:
        token = self._peek()
        return None if token is None else token.kind

    def _unary(self) -> Node:
        token = self._take()
        if token.kind == "-":
            if self._peek() is None or self._peek_kind() in ("or", "and", ")"):
                raise SearchError("Nothing follows “-”: write what to leave out right after it.")
            return Not(self._unary())
        if token.kind == "(":
            if self._peek_kind() == ")":
                raise SearchError("Empty parentheses: put a search between “(” and “)”.")
            node = self._or()
            if self._peek_kind() != ")":
                raise SearchError("A “(” is not closed: add the “)”.")
            self._take()
            return node
        return term(token.text, token.quoted)


def term(text: str, quoted: bool) -> Node:
    """One search word: text, or key:value."""
    if quoted:
        if not text.strip():
            raise SearchError("Empty quotes: put the words to find between them.")
        return Text(text, phrase=True)
    match = _KEY.match(text)
    if match is None:
        return Text(text)
    key, value = match.group(1).lower(), match.group(2)
    if key not in KEYS:
        known = ", ".join(f"{name}:" for name in KEYS)
        raise SearchError(
            f"“{match.group(1)}:” is not a search word StudyApp knows ({known}); to find the "
            f'text itself, put it in quotes: "{text}".'
        )
    return _keyword(key, value)


def _keyword(key: str, value: str) -> Node:
    if not value:
        raise SearchError(f"“{key}:” needs a value, as in {EXAMPLES[key]}.")
    lowered = value.lower()
    if key == "is":
        if lowered not in IS_VALUES:
            raise SearchError(
                f"“is:{value}” is not known; use one of "
                f"{', '.join('is:' + name for name in IS_VALUES)}."
            )
        return Keyword("is", lowered)
    if key == "flag":
        if lowered not in ("0", "1", "2", "3", "4"):
            raise SearchError(
                "A flag is flag:1 (red), flag:2 (orange), flag:3 (green), flag:4 (blue) "
                "or flag:0 (none)."
            )
        return Keyword("flag", lowered)
    if key in ("rated", "introduced"):
        return _days(key, value)
    if key == "prop":
        return _prop(value)
    if key == "kind":
        if lowered not in KINDS:
            raise SearchError(
                f"“kind:{value}” is not known; use kind:basic, kind:cloze or kind:chronology."
            )
        return Keyword("kind", lowered)
    return Keyword(key, value)  # tag:, source:


def _days(key: str, value: str) -> Node:
    days, _, rating = value.partition(":")
    if not days.isdigit() or int(days) < 1 or (key == "introduced" and rating):
        raise SearchError(f"“{key}:” takes a number of days from 1, as in {EXAMPLES[key]}.")
    if rating and rating not in ("1", "2", "3", "4"):
        raise SearchError("rated:N:R takes a rating R from 1 (Again) to 4 (Easy), as in rated:7:1.")
    return Keyword(key, f"{int(days)}:{rating}" if rating else str(int(days)))


def _prop(value: str) -> Node:
    match = _PROP.match(value.lower().replace(" ", ""))
    if match is None:
        raise SearchError(
            f"“prop:{value}” is not a property search; write a name, a comparison and a "
            "number, as in prop:ivl>=10 or prop:reps>5."
        )
    name, operator, number = match.groups()
    if name not in PROPS:
        raise SearchError(
            f"“{name}” is not a property StudyApp knows; use prop:ivl (interval in days), "
            "prop:reps (reviews), prop:lapses, prop:due (days from today), prop:s (stability) "
            "or prop:d (difficulty)."
        )
    return Prop(name, operator, float(number))


EXAMPLES = {
    "is": "is:due",
    "flag": "flag:1",
    "tag": "tag:marked",
    "rated": "rated:7",
    "prop": "prop:ivl>=10",
    "introduced": "introduced:30",
    "source": "source:negotiations",
    "kind": "kind:cloze",
}


def parse(query: str) -> Node:
    """The search as a tree; SearchError says what is wrong with it."""
    return _Parser(tokenize(query)).parse()
