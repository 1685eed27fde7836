"""Card text between StudyApp and Anki: HTML fields, cloze markup and tags.

Our text is plain; Anki's fields are HTML. Our cloze has one {{gap}}; Anki's says {{c1::gap}}.
"""

from __future__ import annotations

import html
import re

from studyapp.content.cloze import CLOZE_PATTERN
from studyapp.storage.cards import FLAGS

TAG_PREFIX = "StudyApp::"
SECTION_TAG = f"{TAG_PREFIX}Section::"
FLAG_TAG = f"{TAG_PREFIX}Flag::"
ORIGIN_PACK_TAG = f"{TAG_PREFIX}Origin::Pack"
ORIGIN_MINE_TAG = f"{TAG_PREFIX}Origin::Mine"
EDITED_TAG = f"{TAG_PREFIX}Edited"
CHRONOLOGY_TAG = f"{TAG_PREFIX}Chronology"
FLAG_NAMES = {number: name.title() for number, name in FLAGS.items() if number}

ANKI_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)
_LINE_BREAK = re.compile(r"<br\s*/?>|</?(?:div|p)(?:\s[^>]*)?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def to_html(text: str) -> str:
    """Plain text as an Anki field: escaped, line breaks as <br>."""
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def to_text(field: str) -> str:
    """An Anki field as plain text: <br> and blocks become line breaks, other markup goes,
    entities are decoded (&nbsp; to a space)."""
    text = _LINE_BREAK.sub("\n", field)
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def anki_cloze(cloze: str) -> str:
    """Our cloze text ({{gap}}) as Anki's (escaped, {{c1::gap}})."""

    def gap(match: re.Match[str]) -> str:
        # "::" inside a gap would start an Anki hint; an entity keeps it text.
        return "{{c1::" + match.group(1).replace("::", ":&#58;") + "}}"

    return CLOZE_PATTERN.sub(gap, to_html(cloze))


def anki_cloze_text(cloze: str) -> str:
    """Our cloze ({{gap}}) as Anki's cloze in plain text ({{c1::gap}})."""
    return CLOZE_PATTERN.sub(lambda match: "{{c1::" + match.group(1) + "}}", cloze)


def our_cloze(text: str) -> str:
    """Anki's cloze text (plain text by now) in our form; ValueError says why it cannot be:
    we have one gap per card and no hints."""
    gaps = ANKI_CLOZE.findall(text)
    if not gaps:
        raise ValueError("the cloze text has no gap ({{c1::…}})")
    numbers = {number for number, _, _ in gaps}
    if len(gaps) > 1:
        raise ValueError(
            f"the cloze text has {len(gaps)} gaps ({', '.join(sorted(numbers))}); "
            "a StudyApp card has one"
        )
    if gaps[0][2]:
        raise ValueError("cloze hints ({{c1::answer::hint}}) are not kept by StudyApp")
    return ANKI_CLOZE.sub(lambda match: "{{" + match.group(2) + "}}", text)


def is_anki_cloze(text: str) -> bool:
    return ANKI_CLOZE.search(text) is not None


def tag_name(text: str) -> str:
    """Text as an Anki tag: no spaces (they separate tags) and no double quotes."""
    return _SPACE.sub("_", text.strip()).replace('"', "")


def section_tag(heading: str) -> str:
    return SECTION_TAG + tag_name(heading.replace("::", ":"))


def flag_tag(flag: int) -> str:
    return FLAG_TAG + FLAG_NAMES[flag]


_FLAGS_BY_TAG = {(FLAG_TAG + name).lower(): number for number, name in FLAG_NAMES.items()}


def flag_of_tags(tags: list[str] | tuple[str, ...]) -> int:
    """The flag a StudyApp::Flag:: tag names (0 if none)."""
    for tag in tags:
        flag = _FLAGS_BY_TAG.get(tag.lower())
        if flag is not None:
            return flag
    return 0


def is_derived_tag(tag: str) -> bool:
    """Tags our export writes from the card itself (section, origin, flag, kind)."""
    return tag.lower().startswith(TAG_PREFIX.lower())
