"""Speaker resolution without a coreference model, and speaker roles.

Each article gets one ``SpeakerIndex``: the people named in it (one entry per person across
"Sergei Markov", "Markov", "Mr Markov"), their gender hints and roles, and a list of
referents (named mentions and descriptions) in text order. A speaker mention is then
resolved by kind: names to the person, pronouns to the most recent compatible subject,
definite descriptions ("the spokeswoman") to the most recent referent with that head noun,
indefinite ones ("a second resident") to themselves, so distinct sources stay distinct.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from newstrace.quotes.persons import (
    load_hints,
    looks_personal,
    name_gender,
    noun_gender,
    role_of,
    strip_edges,
)
from newstrace.resolve.keys import given_gender

logger = logging.getLogger(__name__)

_PRONOUNS = {
    "he": "male",
    "him": "male",
    "she": "female",
    "her": "female",
    "they": "plural",
    "them": "plural",
    "it": "neuter",
}
_INDEFINITE = frozenset({"a", "an", "one", "another", "some", "several", "two", "three", "many"})
_FRESH = frozenset({"another", "second", "third", "other", "fourth", "different"})
# How far back (in referents) a pronoun or description may reach.
_WINDOW = 40


@dataclass
class Person:
    """One named person of the article, across the spellings used for them."""

    name: str
    gender: str | None = None
    role: str | None = None
    role_head: str | None = None


@dataclass
class Referent:
    """Something a later pronoun or description may point back to."""

    pos: int
    name: str
    gender: str | None
    subject: bool
    heads: frozenset[str] = frozenset()
    person: Person | None = None


@dataclass(frozen=True)
class Speaker:
    """A resolved speaker: the name or description, the mention, and how it was found."""

    name: str
    mention: str
    start: int
    end: int
    role: str | None
    how: str  # name | pronoun | definite | indefinite | other
    distance: int = 0  # referents skipped to resolve a pronoun or description

    @property
    def resolved(self) -> bool:
        """False for a pronoun that points back to no one ("it said", "they said"): the
        mention names no speaker, so the quote has none."""
        return not (self.how == "pronoun" and self.name == self.mention)


@dataclass
class SpeakerIndex:
    """People, roles and referents of one article, built once from its parse."""

    doc: Doc
    text: str
    people: list[Person] = field(default_factory=list)
    by_token: dict[int, Person] = field(default_factory=dict)
    referents: list[Referent] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    # Content spans of the quotes resolved so far, each with its speaker's referent.
    speech: list[tuple[int, int, Referent]] = field(default_factory=list)
    _skip: tuple[int, int] = (0, 0)

    @classmethod
    def build(cls, doc: Doc, text: str) -> SpeakerIndex:
        index = cls(doc, text)
        hints = load_hints()
        for ent in doc.ents:
            if ent.label_ == "PERSON" or looks_personal(ent, hints):
                index._add_person(ent)
        index._add_bare_names()
        return index

    def _add_bare_names(self) -> None:
        """A known person's surname the recogniser missed ("Grebenko, 58, was a deputy
        governor"): a mention of that person, so a later "he" can point back to it."""
        for token in self.doc:
            if token.i in self.by_token or token.pos_ != "PROPN" or not token.text.istitle():
                continue
            person = self._match_person(token.text)
            if person is None:
                continue
            self.by_token[token.i] = person
            subject = token.dep_ in {"nsubj", "nsubjpass"}
            heads = frozenset({person.role_head}) if person.role_head else frozenset()
            self._remember(Referent(token.idx, person.name, person.gender, subject, heads, person))

    def _add_person(self, ent: Span) -> None:
        hints = load_hints()
        words = [t for t in ent if t.lower_ not in hints.titles and not (t.is_punct or t.is_space)]
        if words and words[-1].lower_ in {"'s", "’s"}:
            words = words[:-1]
        if not words:
            return
        lead_role = None
        if len(words) > 2 and not given_gender(words[0].text) and given_gender(words[1].text):
            # "Harbourmaster Inés Calvo": a capitalised role word the titles list lacks.
            lead_role, words = words[0].text.lower(), words[1:]
        name = " ".join(t.text for t in words)
        person = self._match_person(name)
        if person is None:
            person = Person(name, role=lead_role, role_head=lead_role)
            self.people.append(person)
        gender = name_gender(ent, words, hints)
        if person.gender is None and gender is not None:
            person.gender = gender
        if person.role is None:
            person.role, person.role_head = role_of(ent, self.text)
            if person.gender is None and person.role_head is not None:
                person.gender = noun_gender(person.role_head, hints)
        for token in ent:
            self.by_token[token.i] = person
        root = ent.root
        if root.dep_ == "appos":  # "The mayor, Helen Tolland, struck a note": she is subject
            root = root.head
        subject = root.dep_ in {"nsubj", "nsubjpass"}
        heads = frozenset({person.role_head}) if person.role_head else frozenset()
        self._remember(Referent(ent.start_char, person.name, person.gender, subject, heads, person))

    def _match_person(self, name: str) -> Person | None:
        parts = name.split()
        if not parts:
            return None
        for person in reversed(self.people):
            known = person.name.split()
            if parts == known:
                return person
            if len(parts) == 1 and parts[0] in (known[-1], known[0]):
                return person
            if (
                len(parts) > 1
                and parts[-1] == known[-1]
                and (len(known) == 1 or parts[0][0] == known[0][0])
            ):
                if len(parts) > len(known):
                    person.name = name  # the fuller spelling names the person best
                return person
        return None

    def _remember(self, referent: Referent) -> None:
        at = bisect.bisect_right(self.positions, referent.pos)
        self.positions.insert(at, referent.pos)
        self.referents.insert(at, referent)

    def resolve(self, head: Token, span: tuple[int, int], quote: tuple[int, int]) -> Speaker:
        """Resolve the speaker whose mention is tokens ``span`` with head ``head``.

        Referents inside the ``quote`` characters are skipped: people a speaker talks about
        are not the speaker.
        """
        self._skip = quote
        doc = self.doc
        start_char = doc[span[0]].idx
        last = doc[span[1] - 1]
        start_char, end_char = strip_edges(self.text, start_char, last.idx + len(last.text))
        mention = self.text[start_char:end_char]
        antecedent = _antecedent(head)
        if antecedent is not None:
            # "Ines Darrow, who said ...": the mention stays "who", the speaker is its noun.
            noun = self.resolve(antecedent, _head_phrase(antecedent), quote)
            return Speaker(
                noun.name, mention, start_char, end_char, noun.role, noun.how, noun.distance
            )
        person = self.by_token.get(head.i)
        if person is None and head.pos_ == "PROPN":
            person = self._role_led_name(head)
        if person is None:
            person = next(
                (self.by_token[t.i] for t in doc[span[0] : span[1]] if t.i in self.by_token), None
            )
        if person is None and head.pos_ == "PROPN" and head.ent_type_ in {"", "PERSON", "ORG"}:
            person = self._match_person(head.text) if head.text[:1].isupper() else None
        if person is None and head.pos_ == "NOUN":
            person = self._appositive_person(head)
        if person is not None:
            return Speaker(person.name, mention, start_char, end_char, person.role, "name")
        lower = head.lower_
        if head.pos_ == "PRON" and lower in _PRONOUNS:
            return self._pronoun(head, lower, mention, start_char, end_char)
        determiner = doc[span[0]].lower_
        words = {t.lower_ for t in doc[span[0] : span[1]]}
        lemma = head.lemma_.lower()
        if head.pos_ == "NOUN" and determiner in {"the", "this", "that"} and not words & _FRESH:
            found = self._lookup(start_char, lambda r: lemma in r.heads)
            if found is not None:
                referent, distance = found
                role = referent.person.role if referent.person is not None else None
                return Speaker(
                    referent.name, mention, start_char, end_char, role, "definite", distance
                )
        if head.pos_ == "PROPN" and (
            head.ent_type_ in {"", "PERSON"} or looks_personal(doc[span[0] : span[1]], load_hints())
        ):
            # A name the entity recogniser missed: drop its titles ("Mayor Ines Darrow").
            hints = load_hints()
            names = doc[span[0] : span[1]]
            first = next((t.idx for t in names if t.lower_ not in hints.titles), start_char)
            if names[-1].pos_ == "PROPN" and start_char <= first < end_char:
                person = Person(self.text[first:end_char])
                self.people.append(person)
                self._remember(Referent(start_char, person.name, None, True, frozenset(), person))
                return Speaker(person.name, mention, start_char, end_char, None, "name")
        how = "indefinite" if determiner in _INDEFINITE or words & _FRESH else "other"
        gender = noun_gender(lemma, load_hints())
        subject = head.dep_ in {"nsubj", "nsubjpass"}
        self._remember(Referent(start_char, mention, gender, subject, frozenset({lemma})))
        return Speaker(mention, mention, start_char, end_char, None, how)

    def _role_led_name(self, head: Token) -> Person | None:
        """A name the recogniser split after a capitalised role word ("Baker Tomasz Wrona
        said", with only "Baker" tagged): the role word, then a known given name, then the
        head, taken as one person mention, whose lead role word ``_add_person`` sets apart."""
        names = [t for t in head.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [head]
        if len(names) < 3 or names[-1].i - names[0].i != len(names) - 1:
            return None
        if given_gender(names[0].text) or not given_gender(names[1].text):
            return None
        if not all(t.text[:1].isupper() for t in names):
            return None
        self._add_person(self.doc[names[0].i : head.i + 1])
        return self.by_token.get(head.i)

    def _appositive_person(self, head: Token) -> Person | None:
        """The person a description names in apposition ("Her rival, Felix Darrow, said";
        "Ardmoor's new mayor, Imogen Stroud, has said"), even one the recogniser called an
        organisation: a name set beside a personal noun is that person."""
        for child in head.children:
            if child.dep_ != "appos" or child.pos_ != "PROPN":
                continue
            person = self.by_token.get(child.i)
            if person is not None:
                return person
            hints, lemma = load_hints(), head.lemma_.lower()
            if lemma not in hints.person_nouns and noun_gender(lemma, hints) is None:
                return None
            start, end = child.left_edge.i, child.i + 1
            words = self.doc[start:end]
            if not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words):
                return None
            person = self._match_person(words.text) or Person(words.text)
            if person not in self.people:
                self.people.append(person)
            return person
        return None

    def _pronoun(self, head: Token, lower: str, mention: str, start: int, end: int) -> Speaker:
        wanted = _PRONOUNS[lower]
        if wanted in {"plural", "neuter"}:
            return Speaker(mention, mention, start, end, None, "pronoun")
        # "Sir Alex Younger said he believed ..., though he warned ...": a pronoun inside a
        # speaker's reported speech is that speaker, whoever else the speech names.
        for first, last, said in reversed(self.speech):
            if first <= start < last and said.gender in (wanted, None):
                return self._pronoun_to(said, head, wanted, mention, start, end, 0)

        def fits(referent: Referent) -> bool:
            # Who a speaker talks about is not who speaks next: "Markov said Putin would
            # hold on ... It was not clear, he said" is Markov.
            return (
                _gender(referent) in (wanted, None)
                and _personal(referent)
                and not self._talked_about(referent, wanted)
            )

        found = self._lookup(start, lambda r: fits(r) and r.subject)
        if found is None:
            found = self._lookup(start, lambda r: fits(r) and r.person is not None)
        if found is None:
            return Speaker(mention, mention, start, end, None, "pronoun", _WINDOW)
        return self._pronoun_to(found[0], head, wanted, mention, start, end, found[1])

    def _pronoun_to(
        self,
        referent: Referent,
        head: Token,
        wanted: str,
        mention: str,
        start: int,
        end: int,
        distance: int,
    ) -> Speaker:
        if referent.person is not None and referent.person.gender is None:
            referent.person.gender = wanted  # the article's own pronoun is the best hint
        role = referent.person.role if referent.person is not None else None
        subject = head.dep_.startswith("nsubj")
        self._remember(
            Referent(start, referent.name, wanted, subject, referent.heads, referent.person)
        )
        return Speaker(referent.name, mention, start, end, role, "pronoun", distance)

    def said(self, start: int, end: int, speaker: Speaker) -> None:
        """Remember characters [start, end) as what ``speaker`` said, so later pronouns
        neither skip nor stop at the people the speech names (see ``_pronoun``)."""
        if speaker.name.lower() in _PRONOUNS:
            return  # an unresolved "he" is nobody to point back to
        said = next((r for r in reversed(self.referents) if r.name == speaker.name), None)
        if said is not None:
            self.speech.append((start, end, said))

    def _talked_about(self, referent: Referent, gender: str) -> bool:
        """The referent lies in the reported speech of another speaker a pronoun of this
        gender could name."""
        return any(
            first <= referent.pos < last
            and said.name != referent.name
            and said.gender in (gender, None)
            for first, last, said in self.speech
        )

    def _lookup(self, before: int, accept: Any) -> tuple[Referent, int] | None:
        at = bisect.bisect_left(self.positions, before)
        for distance in range(min(at, _WINDOW)):
            referent = self.referents[at - 1 - distance]
            if self._skip[0] <= referent.pos < self._skip[1]:
                continue
            if accept(referent):
                return referent, distance
        return None

    def person_at(self, start: int, end: int) -> Person | None:
        """The person named by a PERSON entity inside characters [start, end)."""
        for ent in self.doc.char_span(start, end, alignment_mode="expand") or ():
            if ent.i in self.by_token:
                return self.by_token[ent.i]
        return None


_PERSON_ENDINGS = ("man", "woman", "person")


def _personal(referent: Referent) -> bool:
    """Can "he" or "she" point back to this? A named person or a noun naming one ("the
    official"), not "the weather" nor "the ministry"."""
    if referent.person is not None or referent.gender is not None:
        return True
    hints = load_hints()
    return any(
        head in hints.person_nouns or head.endswith(_PERSON_ENDINGS) for head in referent.heads
    )


def _gender(referent: Referent) -> str | None:
    """A referent's gender as now known: a pronoun since its mention ("Irena Solvik ...
    she said") tells the person's, which the mention's own record lacks."""
    person = referent.person
    return person.gender if person is not None and person.gender else referent.gender


_RELATIVE = frozenset({"who", "that", "which"})


def _antecedent(head: Token) -> Token | None:
    """The noun a relative pronoun subject stands for: the head its clause attaches to."""
    if head.lower_ not in _RELATIVE or head.dep_ not in {"nsubj", "nsubjpass"}:
        return None
    verb = head.head
    for _ in range(3):  # "who later said", "who laughed and said"
        if verb.dep_ in {"relcl", "acl"}:
            noun = verb.head
            if noun.dep_ == "appos" and noun.head.i != noun.i:
                noun = noun.head  # "Ines Darrow, a shopkeeper who said": the person
            return noun if noun.pos_ in {"NOUN", "PROPN", "PRON"} and noun.i != verb.i else None
        if verb.dep_ not in {"conj", "xcomp"} or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _head_phrase(head: Token) -> tuple[int, int]:
    """Token range of a noun's phrase up to the noun itself (no relative clause)."""
    start = head.left_edge.i
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in {"relcl", "appos", "acl", "punct", "cc", "conj", "advcl", "prep"}:
            break
        end = child.right_edge.i + 1
    return start, end
