"""The article as escaped HTML for the article pane's QTextBrowser.

Every dataset string goes through html.escape, so markup in the content shows as text. Links use
our own schemes (see the *_LINK names) and carry indexes, never ids, so nothing needs URL quoting.
Sentences get a named anchor at their start; the pane finds them there to highlight them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyapp.content.text import FOOTNOTE_MARKER, SOURCE_GAP, SOURCE_GAP_NOTE, split_sentences

if TYPE_CHECKING:
    from studyapp.content.model import Reference
    from studyapp.storage.pane_values import ArticleView

FOOTNOTE_LINK = "footnote"  # footnote:<reference number>
BACK_LINK = "back"  # back:<reference number>
CARDS_LINK = "cards"  # cards:<passage index>
EVENT_LINK = "event"  # event:<passage index>.<sentence index>
# Links that are the pane's own controls, not article text (find skips them).
CONTROL_LINKS = frozenset({BACK_LINK, CARDS_LINK, EVENT_LINK})

REFERENCES_ANCHOR = "references"
SOURCE_ANCHOR = "source"
EDITORIAL_HEADING_TIP = "Heading added by StudyApp; the source has none"
# The source's own gap (words missing in it), told apart from a cloze gap where it is shown.
SOURCE_GAP_TIP = "Words are missing here in the source"
NO_REFERENCE_TEXT = "(the source gives no text for this reference)"
EVENT_MARK = "◆"
EVENT_TIP = "Show on the timeline"
BACK_TEXT = "↩ back"

# Raw passage text renders with white-space: pre-wrap, one character per character, so a
# sentence's offsets into the raw text are its offsets in the document too. Only these three
# would not keep their width, so they become spaces.
_FLATTEN_WHITESPACE = str.maketrans("\n\r\t", "   ")
_H2_STYLE = "font-size:large; margin-top:1.3em; margin-bottom:0.6em"


@dataclass(frozen=True)
class ArticleColours:
    """Colours taken from the widget palette, as CSS colour names."""

    link: str
    quiet: str  # secondary text: badges, notes, the Lithuanian title, attribution


def section_anchor(section_index: int) -> str:
    return f"section-{section_index}"


def sentence_anchor(passage_index: int, sentence_index: int) -> str:
    return f"sentence-{passage_index}-{sentence_index}"


def reference_anchor(number: int) -> str:
    return f"reference-{number}"


def card_count_text(count: int) -> str:
    return f"{count} card" if count == 1 else f"{count} cards"


def reference_tip(reference: Reference | None, number: int) -> str:
    if reference is None:
        return f"Reference {number} is not in the list of references"
    return f"Reference {number}: {reference.text or NO_REFERENCE_TEXT}"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _link(href: str, text: str, tip: str, style: str = "") -> str:
    return (
        f'<a href="{_escape(href)}" title="{_escape(tip)}" '
        f'style="text-decoration:none;{style}">{text}</a>'
    )


class _Renderer:
    def __init__(self, view: ArticleView, colours: ArticleColours) -> None:
        self.view = view
        self.colours = colours
        self.references = {ref.number: ref for ref in view.article.references}
        self.parts: list[str] = []

    def render(self) -> str:
        article = self.view.article
        self.parts.append(
            f'<h1 style="font-size:x-large; margin-bottom:0.1em">{_escape(article.title)}</h1>'
        )
        if article.title_lt:
            self.parts.append(
                f'<p style="margin-top:0; font-size:large; font-style:italic; '
                f'color:{self.colours.quiet}">{_escape(article.title_lt)}</p>'
            )
        passage_index = 0
        for section_index, section in enumerate(article.sections):
            heading = _escape(section.heading)
            if section.editorial_heading:
                heading = f'<span title="{_escape(EDITORIAL_HEADING_TIP)}">{heading}</span>'
            anchor = f'<a name="{section_anchor(section_index)}"></a>'
            self.parts.append(f'<h2 style="{_H2_STYLE}">{anchor}{heading}</h2>')
            for passage in section.passages:
                self.passage(passage_index, passage.id, passage.text)
                passage_index += 1
        self.reference_list()
        self.source()
        return "".join(self.parts)

    def passage(self, passage_index: int, passage_id: str, raw_text: str) -> None:
        text = raw_text.translate(_FLATTEN_WHITESPACE)
        pieces: list[str] = []
        previous_end: int | None = None
        for sentence_index, sentence in enumerate(split_sentences(text)):
            if previous_end is not None:
                pieces.append(_escape(text[previous_end : sentence.start]))
            pieces.append(f'<a name="{sentence_anchor(passage_index, sentence_index)}"></a>')
            pieces.append(self.with_markers(text[sentence.start : sentence.end]))
            if self.view.events_by_sentence.get((passage_id, sentence_index)):
                href = f"{EVENT_LINK}:{passage_index}.{sentence_index}"
                mark = _link(href, EVENT_MARK, EVENT_TIP, f"color:{self.colours.quiet}")
                pieces.append(f"<sup>\N{NARROW NO-BREAK SPACE}{mark}</sup>")
            previous_end = sentence.end
        note = ""
        if SOURCE_GAP in text:
            note = (
                f'<p style="font-size:small; margin:0; margin-top:0.3em; '
                f'color:{self.colours.quiet}">{_escape(SOURCE_GAP_NOTE)}</p>'
            )
        card_count = self.view.card_count(passage_id)
        badge = ""
        if card_count:
            count = _escape(card_count_text(card_count)).replace(" ", "&nbsp;")
            tip = "Show the cards made from this paragraph"
            badge = _link(
                f"{CARDS_LINK}:{passage_index}", count, tip, f"color:{self.colours.quiet}"
            )
        # A borderless two-column table: the paragraph, and its card badge in the margin.
        self.parts.append(
            '<table width="100%" cellspacing="0" cellpadding="0" '
            'style="margin-bottom:0.8em"><tr>'
            '<td><p style="white-space:pre-wrap; line-height:140%; margin:0">'
            f"{''.join(pieces)}</p>{note}</td>"
            '<td width="1%" valign="top" align="right" '
            'style="padding-left:1em; white-space:nowrap">'
            f'<p style="font-size:small; margin:0; margin-top:0.3em; white-space:nowrap">'
            f"{badge}</p></td>"
            "</tr></table>"
        )

    def with_markers(self, text: str) -> str:
        """Escaped text with each footnote marker as a superscript link to its reference, and
        the source's gap quiet, with a tooltip (one character per character: offsets hold)."""
        out: list[str] = []
        position = 0
        for match in FOOTNOTE_MARKER.finditer(text):
            out.append(self.with_gaps(text[position : match.start()]))
            number = int(match.group(1))
            tip = reference_tip(self.references.get(number), number)
            out.append(f"<sup>{_link(f'{FOOTNOTE_LINK}:{number}', _escape(match[0]), tip)}</sup>")
            position = match.end()
        out.append(self.with_gaps(text[position:]))
        return "".join(out)

    def with_gaps(self, text: str) -> str:
        gap = (
            f'<span title="{_escape(SOURCE_GAP_TIP)}" style="color:{self.colours.quiet}">'
            f"{_escape(SOURCE_GAP)}</span>"
        )
        return gap.join(_escape(piece) for piece in text.split(SOURCE_GAP))

    def reference_list(self) -> None:
        references = self.view.article.references
        if not references:
            return
        self.parts.append(
            f'<h2 style="{_H2_STYLE}"><a name="{REFERENCES_ANCHOR}"></a>References</h2>'
            '<table cellspacing="0" cellpadding="1">'
        )
        for ref in references:
            if ref.text is None:
                body = (
                    f'<span style="font-style:italic; color:{self.colours.quiet}">'
                    f"{_escape(NO_REFERENCE_TEXT)}</span>"
                )
            else:
                body = _escape(ref.text)
            back_text = _escape(BACK_TEXT).replace(" ", "&nbsp;")
            back = _link(f"{BACK_LINK}:{ref.number}", back_text, "Back to where you were reading")
            self.parts.append(
                f'<tr><td align="right" style="padding-right:0.5em">'
                f'<a name="{reference_anchor(ref.number)}"></a>{ref.number}.</td>'
                f'<td>{body}&nbsp;&nbsp;<span style="font-size:small">{back}</span></td></tr>'
            )
        self.parts.append("</table>")

    def source(self) -> None:
        article = self.view.article
        quiet = self.colours.quiet
        self.parts.append(
            f'<h2 style="{_H2_STYLE}"><a name="{SOURCE_ANCHOR}"></a>Source and licence</h2>'
        )
        self.parts.append(
            f'<p style="margin-top:0.2em; margin-bottom:0.2em"><b>Source:</b> '
            f"{_escape(article.source)}</p>"
            f'<p style="margin-top:0.2em; margin-bottom:0.2em"><b>Licence:</b> '
            f"{_escape(article.licence)}</p>"
            f'<p style="margin-top:0.6em; color:{quiet}; font-size:small">'
            f"{_escape(article.attribution)}</p>"
        )


def render_article(view: ArticleView, colours: ArticleColours) -> str:
    """The whole article, its references and its source as one HTML string."""
    return _Renderer(view, colours).render()
