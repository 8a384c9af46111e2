"""Gender within one article: what a pronoun says about a bare surname, and two bare
namesakes told apart by it ('Mr Hollis' and 'Senator Hollis ... Her rival')."""

from __future__ import annotations

import re

from newstrace.model import Mention
from newstrace.resolve.names import ParsedName

_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m"} | {
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
_OBJECT_PRONOUNS = frozenset({"him", "her", "hers"})
_PRONOUN_WORD = re.compile(r"[A-Za-z]+")
_CLAUSE = re.compile(r"[^,;:()\"“”.!?\n]*")
_POSSESSIVE = re.compile(r"['’]s\b")
_NEXT_SENTENCE = re.compile(r"[.!?][”\"]?[ \t]+([A-Z][a-z]*)\b")


def add_pronoun_genders(
    text: str,
    parsed: list[tuple[Mention, ParsedName]],
    groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]],
) -> None:
    """A bare surname that no full name of its article owns, opening its sentence with no
    gender of its own, takes the gender of the pronoun that refers back to it ("Senator
    Hollis spoke in Brackenford. Her rival, ..."): 'he', 'she' or 'his' in the rest of its
    clause, else the word opening the next sentence, with no other person named before it.
    A first pronoun 'her' or 'him' inside the clause is mostly someone else ("LaSalle struck
    her"), and so is what follows it."""
    starts = [m.start for m, n in parsed if n.kind == "person"]
    bare = [pair for key, members in groups.items() if key[0] == "n" for pair in members]
    for mention, name in bare:
        if name.kind != "person" or name.gender or not _opens_sentence(text, mention, name):
            continue
        if _POSSESSIVE.match(text, max(0, mention.end - 2)) or _POSSESSIVE.match(text, mention.end):
            continue  # "Lyakhov's office said she ...": the office speaks, she is someone else
        limit = min((s for s in starts if s >= mention.end), default=len(text))
        window = text[mention.end : min(limit, mention.end + 200)]
        clause = _CLAUSE.match(window)
        if clause is None:
            continue
        words = [w for w in _PRONOUN_WORD.findall(clause.group(0).lower()) if w in _PRONOUNS]
        if words and words[0] in _OBJECT_PRONOUNS:
            continue
        opener = _NEXT_SENTENCE.match(window, clause.end())
        if not words and opener:  # nobody else was referred to before the next sentence
            words = [w for w in [opener.group(1).lower()] if w in _PRONOUNS]
        if words:
            name.gender = _PRONOUNS[words[0]]


def _opens_sentence(text: str, mention: Mention, name: ParsedName) -> bool:
    """Whether only its own title comes before the mention in its sentence: the subject."""
    before = text[max(0, mention.start - 80) : mention.start]
    prefix = re.split(r"(?:[.!?][”\"]?\s+|\n)", before)[-1].split()
    return not prefix or (
        bool(name.titles) and len(prefix) <= 3 and all(w[:1].isupper() for w in prefix)
    )


def split_by_gender(groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]]) -> None:
    """'Mr Hollis' and 'Senator Hollis ... Her' in an article naming no Hollis in full: two
    people. A bare mention that gives no gender goes with the nearest gendered one before it
    (how news refers back), else after it."""
    for key in [k for k in groups if k[0] == "n"]:
        members = groups[key]
        if {n.gender for _, n in members if n.kind == "person"} - {""} != {"f", "m"}:
            continue
        del groups[key]
        gendered = [(m.start, n.gender) for m, n in members if n.kind == "person" and n.gender]
        for mention, name in members:
            gender = name.gender if name.kind == "person" else ""
            if not gender:
                before = [g for s, g in gendered if s < mention.start]
                gender = before[-1] if before else gendered[0][1]
            groups.setdefault((*key, gender), []).append((mention, name))
