"""Find the spans between quotation marks in an article's cleaned text.

News text mixes straight and typographic marks, leaves marks unclosed, reopens a mark at
each paragraph of a long quote and closes only the last, and uses ’ as an apostrophe. This
module turns all of that into plain spans in one left-to-right pass, so the rest of the
quote stage never looks at raw characters.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_STRAIGHT = '"'
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"
# Old newswire typesetting writes double quotes as two apostrophes or two backticks.
_MARKS = re.compile(r"''|``|[“”„«»\"‘’\n]")
# What may sit right before an opening single mark: an apostrophe never follows these.
_BEFORE_SINGLE_OPEN = " \t\n([{—–-:;,/"
# Characters trimmed from the inside of a span: the comma before "she said" belongs to the
# attribution, not to the words quoted.
_INNER_TRIM = " \t\n,"


@dataclass(frozen=True)
class MarkSpan:
    """Text inside one pair of quote marks (or up to where a lost closing mark would be).

    ``start``/``end`` bound the quoted words (marks excluded); ``open_at`` is the opening
    mark; ``outer_end`` is just past the closing mark, or the end of the words when the span
    was recovered at a paragraph end (``closed`` false). ``reopened`` says the span began
    at a mark that opened while another span was still open, so it continues that one.
    """

    start: int
    end: int
    open_at: int
    outer_end: int
    closed: bool
    paragraphs: int = 1
    reopened: bool = False


def find_mark_spans(text: str) -> list[MarkSpan]:
    """All top-level quoted spans, in text order; single-quoted spans only outside double ones."""
    spans: list[MarkSpan] = []
    open_at: int | None = None  # the opening double mark of the current span
    single_at: int | None = None
    paragraphs = 1
    reopened = False
    width = 1  # width of the current opening mark
    for match in _MARKS.finditer(text):
        pos = match.start()
        char = match.group()
        if char == "``":
            char = "“"
        elif char == "''":
            char = _STRAIGHT
        if char == "\n":
            if single_at is not None:
                single_at = None  # an unclosed single mark is almost always an apostrophe
            if open_at is None:
                continue
            next_pos = _next_paragraph_start(text, pos)
            if next_pos < len(text) and text[next_pos] in _DOUBLE_OPEN + _STRAIGHT:
                # A multi-paragraph quote: the next paragraph reopens the mark.
                if pos > 0 and text[pos - 1] == "\n":
                    continue
                paragraphs += 1
                continue
            if pos > 0 and text[pos - 1] == "\n":
                continue
            _add(spans, text, (open_at, width), pos, None, paragraphs, reopened)
            open_at, paragraphs, reopened = None, 1, False
            continue
        if open_at is not None:
            if char in _DOUBLE_CLOSE or (char == _STRAIGHT and not _is_paragraph_reopen(text, pos)):
                if char == _STRAIGHT and _looks_like_opener(text, pos) and pos > open_at + 1:
                    # An unclosed span followed by a new quote in the same paragraph.
                    _add(spans, text, (open_at, width), pos, None, paragraphs, reopened)
                    open_at, width, paragraphs, reopened = pos, match.end() - pos, 1, True
                    continue
                _add(spans, text, (open_at, width), pos, match.end(), paragraphs, reopened)
                open_at, paragraphs, reopened = None, 1, False
            elif char in _DOUBLE_OPEN and not _is_paragraph_reopen(text, pos):
                # A new opening mark while one is open: the writer lost a closing mark.
                _add(spans, text, (open_at, width), pos, None, paragraphs, reopened)
                open_at, width, paragraphs, reopened = pos, match.end() - pos, 1, True
            continue
        if char in _DOUBLE_OPEN or char == _STRAIGHT:
            single_at = None
            open_at, width, paragraphs, reopened = pos, match.end() - pos, 1, False
        elif char == _SINGLE_OPEN and (pos == 0 or text[pos - 1] in _BEFORE_SINGLE_OPEN):
            single_at = pos
        elif char == _SINGLE_CLOSE and single_at is not None:
            after = text[pos + 1 : pos + 2]
            if not after.isalpha():
                _add(spans, text, (single_at, 1), pos, pos + 1, 1, False)
                single_at = None
    if open_at is not None:
        _add(spans, text, (open_at, width), len(text), None, paragraphs, reopened)
    return spans


def _next_paragraph_start(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r":
        pos += 1
    return pos


def _is_paragraph_reopen(text: str, pos: int) -> bool:
    """A mark at the very start of a paragraph while a quote is open reopens that quote."""
    back = pos - 1
    while back >= 0 and text[back] in " \t\r":
        back -= 1
    return back >= 0 and text[back] == "\n"


def _looks_like_opener(text: str, pos: int) -> bool:
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + 1] if pos + 1 < len(text) else " "
    return before.isspace() and not after.isspace() and after not in ".,;:!?"


def _add(
    spans: list[MarkSpan],
    text: str,
    opening: tuple[int, int],
    end: int,
    outer_end: int | None,
    paragraphs: int,
    reopened: bool,
) -> None:
    """Record the span between an opening mark (position, width) and ``end``.

    ``outer_end`` is just past the closing mark, ``None`` when there is no closing mark.
    """
    open_at, width = opening
    start = open_at + width
    while start < end and text[start] in " \t\n":
        start += 1
    while end > start and text[end - 1] in _INNER_TRIM:
        end -= 1
    if end > start:
        closed = outer_end is not None
        spans.append(
            MarkSpan(
                start, end, open_at, outer_end if outer_end else end, closed, paragraphs, reopened
            )
        )
