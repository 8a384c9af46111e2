"""Who a name or description in an article is: gender hints, person spans, roles.

The data (``newstrace/data/speaker_names.json``: titles, first names, gendered and person
nouns) and the resolver's given names (``newstrace.resolve.keys``) meet here, so speaker
resolution (``speakers.py``) reads one place for what a mention says about a person.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.tokens import Span, Token

from newstrace.resolve.keys import given_gender

_ROLE_DEPS = frozenset({"compound", "amod", "nmod", "poss", "npadvmod", "punct", "case", "det"})
_EDGE = " \t\n,;:.—–-\"“”‘’'()"
_HONORIFICS = frozenset({"dr", "dr.", "prof", "prof.", "rev", "rev."})


@dataclass(frozen=True)
class Hints:
    """Gender hints from the names data file."""

    male_titles: frozenset[str]
    female_titles: frozenset[str]
    titles: frozenset[str]
    male: frozenset[str]
    female: frozenset[str]
    male_nouns: frozenset[str]
    female_nouns: frozenset[str]
    person_nouns: frozenset[str] = frozenset()


@functools.cache
def load_hints() -> Hints:
    raw: dict[str, Any] = json.loads(
        resources.files("newstrace").joinpath("data/speaker_names.json").read_text("utf-8")
    )
    male_titles = frozenset(raw["titles"]["male"])
    female_titles = frozenset(raw["titles"]["female"])
    return Hints(
        male_titles=male_titles,
        female_titles=female_titles,
        titles=male_titles | female_titles | frozenset(raw["titles_neutral"]),
        male=frozenset(raw["male"]),
        female=frozenset(raw["female"]),
        male_nouns=frozenset(raw["nominal"]["male"]),
        female_nouns=frozenset(raw["nominal"]["female"]),
        person_nouns=frozenset(raw["nominal"]["person"]),
    )


def looks_personal(ent: Span, hints: Hints) -> bool:
    """A span the recogniser labelled otherwise that a title or first name marks as a person."""
    if not len(ent):
        return False
    doc = ent.doc
    before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    first = ent[0].lower_
    return (
        before in hints.titles
        or first in hints.titles
        or (len(ent) > 1 and (first in hints.male or first in hints.female))
        or (ent.label_ == "ORG" and _given_and_surname(ent))
    )


def _given_and_surname(ent: Span) -> bool:
    """ "Nadia Orlov", "Harbourmaster Inés Calvo" tagged an organisation: capitalised proper
    nouns with a given name the resolver's list knows first or after one role word, and a
    surname after it."""
    words = [t for t in ent if not t.is_punct]
    return (
        2 <= len(words) <= 4
        and all(t.pos_ == "PROPN" and t.text.istitle() for t in words)
        and any(given_gender(t.text) != "" for t in words[: min(2, len(words) - 1)])
    )


_GIVEN = {"f": "female", "m": "male"}


def name_gender(ent: Span, words: list[Token], hints: Hints) -> str | None:
    before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    for title in (before, ent[0].lower_):
        if title in hints.male_titles:
            return "male"
        if title in hints.female_titles:
            return "female"
    first = words[0].lower_
    if first in hints.male:
        return "male"
    if first in hints.female:
        return "female"
    return _GIVEN.get(given_gender(words[0].text)) if len(words) > 1 else None


def noun_gender(lemma: str, hints: Hints) -> str | None:
    if lemma in hints.male_nouns:
        return "male"
    if lemma in hints.female_nouns:
        return "female"
    return None


# "Owen Brandt, no relation to the mayor": a negated appositive says what he is not.
_NEGATIONS = frozenset({"no", "not", "never"})


def role_of(ent: Span, text: str) -> tuple[str | None, str | None]:
    """The role an appositive or premodifier gives a named person, with its head noun."""
    root = ent.root
    for child in root.rights:
        if (
            child.dep_ == "appos"
            and child.ent_type_ != "PERSON"
            and child.pos_ in {"NOUN", "PROPN"}
            and not any(t.lower_ in _NEGATIONS for t in child.lefts)
        ):
            end = _end(_appositive_last(child))
            return _phrase(child.left_edge.idx, end, text), child.lemma_.lower()
    if root.dep_ == "appos" and root.head.pos_ == "NOUN" and root.head.i < ent.start:
        head = root.head
        return _phrase(head.left_edge.idx, _end(head), text), head.lemma_.lower()
    modifiers = [t for t in ent.doc[root.left_edge.i : ent.start] if t.dep_ in _ROLE_DEPS]
    hints = load_hints()
    while modifiers and (
        modifiers[0].pos_ in {"DET", "PUNCT"}
        or (modifiers[0].dep_ == "poss" and modifiers[0].pos_ == "PRON")
    ):
        modifiers = modifiers[1:]
    honorifics = hints.male_titles | hints.female_titles | _HONORIFICS
    modifiers = [t for t in modifiers if t.lower_ not in honorifics]
    if not modifiers:
        return None, None
    nouns = [t for t in modifiers if t.pos_ in {"NOUN", "PROPN"}]
    if not nouns or (nouns[-1].pos_ != "NOUN" and len(modifiers) < 2):
        return None, None
    role = _phrase(modifiers[0].idx, _end(modifiers[-1]), text)
    if role and modifiers[0].pos_ != "PROPN":
        role = role[0].lower() + role[1:]
    return role, nouns[-1].lemma_.lower()


def _appositive_last(noun: Token) -> Token:
    """The appositive's last token before a relative clause: in "the finance minister who
    spent two years telling investors ...", the role is "finance minister"."""
    last = noun
    for child in noun.rights:
        if child.dep_ in {"relcl", "advcl"}:
            break
        last = child.right_edge
    return last


def _phrase(start: int, end: int, text: str) -> str | None:
    start, end = strip_edges(text, start, end)
    for article in ("a ", "an ", "the ", "A ", "An ", "The "):
        if text.startswith(article, start):
            start += len(article)
            break
    return text[start:end] or None


def _end(token: Token) -> int:
    return token.idx + len(token.text)


def strip_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end
