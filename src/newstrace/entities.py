"""Named-entity mentions per article.

Only the per-article half lives here: which spans of the cleaned text name a person,
organisation or place. Cross-article resolution (``newstrace.resolve``) builds on these.
The small statistical NER model makes two mistakes often enough in news to fix here:
it splits coordinated organisation names ("the Chemical and Allied Workers' Union" becomes
"Chemical" + "Allied Workers' Union"), and it reads the upper-case place of a dateline
("PORT ARDELL, March 14 —") as part of an organisation or as nothing.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from newstrace.model import Mention

# Labels worth tracking for "who and where"; numbers, dates and money are left out because
# they say nothing about identity.
MENTION_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})

# Characters spaCy's NER often drags into an entity span at its edges.
_EDGE_JUNK = " \t\n'\"“”‘’«»()[],.;:"

# Head nouns that end an organisation's name; a name ending in one is complete on its own.
_ORG_HEADS = frozenset({
    "union", "unions", "association", "federation", "society", "council", "party", "institute",
    "institution", "company", "corporation", "group", "board", "commission", "committee",
    "foundation", "league", "trust", "bank", "agency", "authority", "service", "services",
    "ministry", "department", "alliance", "coalition", "guild", "chamber", "congress",
    "organisation", "organization", "network", "partnership",
})  # fmt: skip
_COORDINATION = frozenset({" and ", " & "})

# A dateline opens an article: an upper-case place, then before a dash only a comma, a
# date or a bracketed agency ("PORT ARDELL, March 14 (Meridian Wire) —", "LONDON (Reuters) -").
_DATELINE = re.compile(
    r"\s*([A-Z][A-Z.'’]*(?:[ \t]+[A-Z][A-Z.'’]*){0,3})[ \t]*[,(][^\n]{0,60}?\s[—–-]\s"
)


def extract_mentions(article_id: str, doc: Doc) -> list[Mention]:
    """Mentions for the tracked labels, trimmed of stray punctuation at their edges."""
    text = doc.text  # built from the tokens on every access: read it once
    spans: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if ent.label_ not in MENTION_LABELS:
            continue
        start, end = _trim(text, ent.start_char, ent.end_char)
        if end - start >= 2:
            spans.append((start, end, ent.label_))
    spans = _with_datelines(text, _joined_coordinations(text, spans))
    return [Mention(article_id, s, e, text[s:e], label) for s, e, label in spans]


def _joined_coordinations(
    text: str, spans: list[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """ "Chemical" + " and " + "Allied Workers' Union" -> one organisation: the first part has
    no head noun of its own, so it cannot be a name by itself."""
    out: list[tuple[int, int, str]] = []
    for start, end, label in spans:
        if out:
            p_start, p_end, p_label = out[-1]
            joiner = text[p_end:start]
            if (
                joiner in _COORDINATION
                and label == "ORG"
                and p_label in ("ORG", "NORP")
                and _last_word(text[start:end]) in _ORG_HEADS
                and _last_word(text[p_start:p_end]) not in _ORG_HEADS
            ):
                out[-1] = (p_start, end, "ORG")
                continue
        out.append((start, end, label))
    return out


def _with_datelines(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The dateline's place replaces any mention inside it and is a place (GPE)."""
    match = _DATELINE.match(text)
    if match is None:
        return spans
    start, end = match.span(1)
    if end - start < 3:
        return spans
    if any(s[0] < end and start < s[1] and not (start <= s[0] and s[1] <= end) for s in spans):
        return spans  # the NER saw a longer name running past the capitals: leave it
    kept = [s for s in spans if not (start <= s[0] and s[1] <= end)]
    return sorted([*kept, (start, end, "GPE")])


def _last_word(span_text: str) -> str:
    words = re.findall(r"[^\W\d_]+", span_text)
    return words[-1].lower() if words else ""


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    # A leading article is grammar, not part of the name: "the Harbor Authority".
    for article in ("the ", "The "):
        if text.startswith(article, start) and end - start > len(article):
            start += len(article)
    while start < end and text[start] in _EDGE_JUNK:
        start += 1
    while end > start and text[end - 1] in _EDGE_JUNK:
        end -= 1
    # A possessive belongs to the sentence, not the name: "Putin’s" -> "Putin".
    for suffix in ("’s", "'s"):
        if text[start:end].endswith(suffix):
            end -= len(suffix)
    return start, end
