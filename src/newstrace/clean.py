"""Clean stage: promotional inserts and boilerplate out, unicode and whitespace normalised.

Every later offset refers to the cleaned text and every ``Removal`` points back into
``raw_text``, so the text is never edited in place: each step rebuilds it from kept segments
and carries, for every output character, the raw span it came from (``_Mapped``).

Normalisation, in order, all idempotent:
- line breaks (CRLF, CR, VT, FF, NEL, U+2028/9) become ``\\n``; tabs and compatibility spaces
  (NBSP, thin, narrow no-break, ...) become a space; zero-width characters, word joiner, BOM,
  soft hyphen and other control characters are dropped;
- NFC, not NFKC (which would rewrite ligatures, fractions, superscripts and symbols);
  typographic quotes and dashes are never folded to ASCII;
- runs of spaces become one, lines are stripped, a single ``\\n`` stays (many extractors
  write one paragraph per line), two or more (blank lines) become exactly ``\\n\\n``, and
  the text is stripped. So a paragraph break in the input stays one in the output.

Inserts are found on the normalised text by the pattern set in ``data/inserts.json`` (its
``_doc`` describes the format). Detection repeats on its own output until nothing is found,
so cleaning cleaned text changes nothing; a removal that swallows an earlier one replaces it.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import json
import re
import unicodedata
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

from newstrace.model import Article, Removal

__all__ = ["FLAG_EMPTY", "FLAG_REMOVED", "PatternSet", "clean", "load_patterns", "normalize_text"]

FLAG_REMOVED = "inserts-removed"
FLAG_EMPTY = "empty-after-clean"

_BREAKS = "\r\x0b\x0c\x85\u2028\u2029"
_SPACES = "\t\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_SPECIAL = re.compile(
    "\r\n?|[\x00-\x09\x0b-\x1f\x7f-\x9f\u00a0\u00ad\u1680\u2000-\u200d\u2028\u2029"
    "\u202f\u205f\u2060\u3000\ufeff]"
)
# NFC never composes across an ASCII character, so each non-ASCII run with the ASCII
# character before it can be normalised on its own, keeping the offset map fine-grained.
_NON_ASCII = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
_WHITESPACE = re.compile(r"\A[ \n]+|[ \n]+\Z|[ ]*\n[ \n]*|[ ]{2,}")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’'»)]* [A-Z“‘\"]")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})
_Span = tuple[int, int, str]  # start, end, kind (or replacement text, for _splice)
_TOP_KEYS = {"tag", "max_insert_chars", "max_line_chars", "entries"}
_ENTRY_KEYS = {"kind", "labels", "lines"}


class _Mapped(NamedTuple):
    """Text plus, per character, the raw offsets it came from (``starts[i]:ends[i]``)."""

    text: str
    starts: array[int]
    ends: array[int]

    @classmethod
    def of(cls, raw: str) -> _Mapped:
        return cls(raw, array("q", range(len(raw))), array("q", range(1, len(raw) + 1)))


def _splice(m: _Mapped, edits: Sequence[_Span]) -> _Mapped:
    """Replace sorted, disjoint, non-empty spans; new characters map to the span replaced."""
    if not edits:
        return m
    parts: list[str] = []
    starts, ends = array("q"), array("q")
    pos = 0
    for start, end, new in edits:
        parts += (m.text[pos:start], new)
        starts += m.starts[pos:start] + array("q", [m.starts[start]]) * len(new)
        ends += m.ends[pos:start] + array("q", [m.ends[end - 1]]) * len(new)
        pos = end
    parts.append(m.text[pos:])
    starts += m.starts[pos:]
    ends += m.ends[pos:]
    return _Mapped("".join(parts), starts, ends)


def _rewrite(m: _Mapped, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> _Mapped:
    edits = [
        (x.start(), x.end(), new) for x in pattern.finditer(m.text) if (new := repl(x)) != x.group()
    ]
    return _splice(m, edits)


def _special(match: re.Match[str]) -> str:
    char = match.group()[0]
    return "\n" if char in _BREAKS else " " if char in _SPACES else ""


def _whitespace(match: re.Match[str]) -> str:
    run = match.group()
    if match.start() == 0 or match.end() == len(match.string):
        return ""
    newlines = run.count("\n")
    return " " if not newlines else "\n" if newlines == 1 else "\n\n"


def _normalize(m: _Mapped) -> _Mapped:
    m = _rewrite(m, _SPECIAL, _special)
    if not unicodedata.is_normalized("NFC", m.text):
        m = _rewrite(m, _NON_ASCII, lambda x: unicodedata.normalize("NFC", x.group()))
    return _rewrite(m, _WHITESPACE, _whitespace)


def normalize_text(raw: str) -> str:
    """The normalisation ``clean`` applies, without insert removal (for titles, queries)."""
    return _normalize(_Mapped.of(raw)).text


def _headline(rest: str) -> bool:
    """An untagged insert is a link headline: one sentence that does not end in a period."""
    if rest.endswith(".") and not rest.endswith("..."):
        return False
    return _SENTENCE_BREAK.search(rest) is None


@dataclass(frozen=True)
class PatternSet:
    """Compiled insert patterns; build with ``load_patterns`` or ``PatternSet.from_dict``."""

    labels: Mapping[str, str]  # label with apostrophes folded to ' -> kind
    label_re: re.Pattern[str]
    tag_re: re.Pattern[str]
    boundary_re: re.Pattern[str]
    lines: tuple[tuple[re.Pattern[str], str], ...]
    max_insert_chars: int
    max_line_chars: int

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PatternSet:
        """Validate and compile the JSON format documented in ``data/inserts.json``."""
        _check_keys(data, _TOP_KEYS, "pattern set")
        labels: dict[str, str] = {}
        lines: list[tuple[re.Pattern[str], str]] = []
        for entry in data.get("entries", []):
            _check_keys(entry, _ENTRY_KEYS, "entry")
            kind = entry.get("kind")
            entry_labels, entry_lines = entry.get("labels", []), entry.get("lines", [])
            if not isinstance(kind, str) or not kind:
                raise ValueError(f"insert pattern entry without a kind: {entry!r}")
            if not all(_strings(v) for v in (entry_labels, entry_lines)):
                raise ValueError(f"labels and lines must be lists of strings: {entry!r}")
            labels.update((label.translate(_APOSTROPHES), kind) for label in entry_labels)
            try:
                lines += ((re.compile(p, re.IGNORECASE), kind) for p in entry_lines)
            except re.error as exc:
                raise ValueError(f"bad line pattern in insert entry {kind!r}: {exc}") from exc
        alternatives = sorted(labels, key=len, reverse=True)
        label_alt = "|".join(re.escape(label).replace("'", "['’ʼ]") for label in alternatives)
        tag = str(data.get("tag", r"\[[A-Z0-9][A-Z0-9 ]{0,40}\]"))
        return cls(
            labels=labels,
            label_re=re.compile(f"(?P<label>{label_alt or '(?!)'}) ?:"),
            tag_re=re.compile(tag),
            boundary_re=re.compile(f"(?:{tag}) ?$|[.!?…][\"”’'»)]* $"),
            lines=tuple(lines),
            max_insert_chars=int(data.get("max_insert_chars", 250)),
            max_line_chars=int(data.get("max_line_chars", 250)),
        )

    def line_inserts(self, line: str) -> list[_Span]:
        """Spans ``(start, end, kind)`` of the inserts in one normalised line, in order."""
        if len(line) <= self.max_line_chars:
            for pattern, kind in self.lines:
                if pattern.fullmatch(line):
                    return [(0, len(line), kind)]
        found: list[_Span] = []
        pos = 0
        for match in self.label_re.finditer(line):
            start = match.start()
            if start < pos or not self._at_boundary(line, start):
                continue
            end = self._insert_end(line, match.end())
            if end is not None:
                label = match.group("label").translate(_APOSTROPHES)
                found.append((start, end, self.labels[label]))
                pos = end
        return found

    def _at_boundary(self, line: str, start: int) -> bool:
        """Labels count at a line start, after a sentence end and a space, or after a tag."""
        return start == 0 or self.boundary_re.search(line, max(0, start - 80), start) is not None

    def _insert_end(self, line: str, body: int) -> int | None:
        tag = self.tag_re.search(line, body, min(len(line), body + self.max_insert_chars))
        if tag:
            return tag.end()
        rest = line[body:].strip()
        if rest and len(rest) <= self.max_insert_chars and _headline(rest):
            return len(line)
        return None


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _check_keys(data: Any, allowed: set[str], what: str) -> None:
    if not isinstance(data, Mapping):
        raise ValueError(f"insert {what} must be a JSON object, got {type(data).__name__}")
    unknown = sorted(k for k in data if k not in allowed and not str(k).startswith("_"))
    if unknown:
        raise ValueError(f"unknown key(s) in insert {what}: {', '.join(unknown)}")


@functools.cache
def load_patterns(path: str | Path | None = None) -> PatternSet:
    """Load a pattern set (default: the bundled ``data/inserts.json``); cached per path."""
    if path is None:
        text = resources.files("newstrace").joinpath("data", "inserts.json").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return PatternSet.from_dict(json.loads(text))


def _find(text: str, patterns: PatternSet) -> tuple[list[_Span], list[_Span]]:
    """Inserts in normalised text: (reported spans, deletions); a line left blank goes whole."""
    reports: list[_Span] = []
    deletions: list[_Span] = []
    offset = 0
    for line in text.split("\n"):
        found = patterns.line_inserts(line)
        if found:
            reports += ((offset + s, offset + e, kind) for s, e, kind in found)
            bounds = [0, *(i for s, e, _ in found for i in (s, e)), len(line)]
            if any(line[a:b].strip() for a, b in zip(bounds[::2], bounds[1::2], strict=True)):
                # take the space before a spliced insert too, so the cut sits after the sentence
                deletions += (
                    (offset + s - (line[s - 1 : s] == " "), offset + e, "") for s, e, _ in found
                )
            else:
                deletions.append((offset, min(offset + len(line) + 1, len(text)), ""))
        offset += len(line) + 1
    return reports, deletions


def clean(article: Article, patterns: PatternSet | None = None) -> Article:
    """A copy of ``article`` with ``text``, ``removed`` and flags derived from ``raw_text``.

    Pure (the input is not touched) and derived from ``raw_text`` alone, so re-cleaning an
    already cleaned article gives the same record.
    """
    patterns = patterns or load_patterns()
    raw = article.raw_text
    m = _normalize(_Mapped.of(raw))
    cuts: list[_Span] = []  # raw offsets
    while True:
        reports, deletions = _find(m.text, patterns)
        if not reports:
            break
        new = [(m.starts[s], m.ends[e - 1], kind) for s, e, kind in reports]
        cuts = [c for c in cuts if not any(s <= c[0] and c[1] <= e for s, e, _ in new)] + new
        m = _rewrite(_splice(m, deletions), _WHITESPACE, _whitespace)
    removed = [
        Removal(s, e, raw[s:e], kind, bisect.bisect_left(m.starts, s))
        for s, e, kind in sorted(cuts)
    ]
    flags = [f for f in article.flags if f not in (FLAG_REMOVED, FLAG_EMPTY)]
    if removed:
        flags.append(FLAG_REMOVED)
    if raw and not m.text:
        flags.append(FLAG_EMPTY)
    return dataclasses.replace(article, text=m.text, removed=removed, flags=flags)
