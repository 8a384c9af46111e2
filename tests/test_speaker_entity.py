"""A quote's speaker tied to a cross-article entity: the person at the speaker's words, not
a place or organisation that happens to sit inside them."""

from __future__ import annotations

from newstrace.model import Entity, Quote
from newstrace.resolve import attach_quotes

TEXT = (
    "Former Varsk Council adviser Ines Darrow said the vote was lost. "
    "One Varsk businessman said the port would close. "
    "The Varsk Council said it would appeal."
)


def span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def entity(entity_id: str, name: str, kind: str, *at: str) -> Entity:
    mentions = [("a1", *span(words)) for words in at]
    return Entity(entity_id, name, kind, articles=["a1"], mentions=mentions)


def said(speaker: str, mention: str, content: str) -> Quote:
    start, end = span(mention)
    first, last = span(content)
    return Quote("a1", first, last, content, "indirect", speaker=speaker,
                 speaker_mention=mention, speaker_start=start, speaker_end=end)  # fmt: skip


def test_the_person_speaks_not_the_organisation_or_place_in_their_description() -> None:
    council = entity("e-council", "Varsk Council", "organisation", "Varsk Council")
    darrow = entity("e-darrow", "Ines Darrow", "person", "Ines Darrow")
    varsk = entity("e-varsk", "Varsk", "place", "Varsk businessman")
    quotes = [
        said("Ines Darrow", "Former Varsk Council adviser Ines Darrow", "the vote was lost"),
        said("One Varsk businessman", "One Varsk businessman", "the port would close"),
        said("Varsk Council", "The Varsk Council", "it would appeal"),
    ]
    # The council's first mention sits inside Darrow's description, before her name.
    council.mentions.append(("a1", *span("Varsk Council said")))
    attached = attach_quotes([council, darrow, varsk], quotes)
    assert [q.speaker_entity for q in attached] == ["e-darrow", None, "e-council"]
    assert (darrow.quotes, council.quotes, varsk.quotes) == (1, 1, 0)
    assert all(q.speaker_entity is None for q in quotes)  # the inputs are left as they were
