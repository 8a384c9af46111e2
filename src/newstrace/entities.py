"""Named-entity mentions per article.

Only the per-article half lives here for now: which spans of the cleaned text name a
person, organisation or place. Cross-article resolution builds on these mentions.
"""

from __future__ import annotations

from spacy.tokens import Doc

from newstrace.model import Mention

# Labels worth tracking for "who and where"; numbers, dates and money are left out because
# they say nothing about identity.
MENTION_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"})

# Characters spaCy's NER often drags into an entity span at its edges.
_EDGE_JUNK = " \t\n'\"“”‘’«»()[],.;:"


def extract_mentions(article_id: str, doc: Doc) -> list[Mention]:
    """Mentions for the tracked labels, trimmed of stray punctuation at their edges."""
    mentions: list[Mention] = []
    text = doc.text  # built from the tokens on every access: read it once
    for ent in doc.ents:
        if ent.label_ not in MENTION_LABELS:
            continue
        start, end = _trim(text, ent.start_char, ent.end_char)
        if end - start < 2:
            continue
        mentions.append(Mention(article_id, start, end, text[start:end], ent.label_))
    return mentions


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
