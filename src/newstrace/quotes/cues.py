"""The cue lexicon and the reporting clauses it finds in a parse.

The lexicon is data (``newstrace/data/cues.json``) so that adding a reporting verb is an
edit, not a code change. Each verb has a ``weight`` in (0, 1]: how reliably a clause built
on it is an attribution (measured on PolNeAR train), which feeds the confidence score.
A cue here is a verb (or "according to") together with what the dependency parse says it
governs: its source (subject) and its content (clausal complement, object or framing).
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Token

logger = logging.getLogger(__name__)

_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
_CLAUSE_DEPS = frozenset({"ccomp", "xcomp"})
_OBJECT_DEPS = frozenset({"dobj"})
# Verbs whose subject is their head's subject: "he laughed and said", "adding that ...".
_INHERIT_DEPS = frozenset({"conj", "xcomp", "advcl"})


@dataclass(frozen=True)
class Lexicon:
    """The cue data: verb lemmas with weight and kind hint, and multiword patterns."""

    verbs: dict[str, float]
    object_verbs: frozenset[str]  # verbs whose direct object alone can be the content
    frame_preps: dict[str, str]  # "describe" -> "as": "described X as Y"
    prep_content: dict[str, frozenset[str]]  # "call" -> {"for"}: "called for a ban"
    audience: frozenset[str]  # "told reporters": objects that belong to the cue
    according: frozenset[str]  # "according to": the preposition's head words
    strong: frozenset[str]  # speech verbs: a quote next to one is a confident quote
    seem: frozenset[str] = frozenset()  # "X seems to Y": an impression, X + Y is the content
    nouns: frozenset[str] = frozenset()  # "his claim that ...": nominal cues with a clause


@functools.cache
def load_lexicon() -> Lexicon:
    """Read the lexicon once per process."""
    raw: dict[str, Any] = json.loads(
        resources.files("newstrace").joinpath("data/cues.json").read_text("utf-8")
    )
    verbs: dict[str, float] = {}
    strong: set[str] = set()
    objects: set[str] = set()
    for group in raw["verbs"]:
        for lemma in group["lemmas"]:
            if lemma in verbs:
                continue  # the first group that lists a verb sets its weight
            verbs[lemma] = float(group["weight"])
            if group.get("speech"):
                strong.add(lemma)
            if group.get("object_content"):
                objects.add(lemma)
    return Lexicon(
        verbs=verbs,
        object_verbs=frozenset(objects),
        frame_preps={str(k): str(v) for k, v in raw["frames"].items()},
        prep_content={str(k): frozenset(v) for k, v in raw["prep_content"].items()},
        audience=frozenset(raw["audience"]),
        according=frozenset(raw["according"]),
        strong=frozenset(strong),
        seem=frozenset(raw.get("seem", ())),
        nouns=frozenset(raw.get("nouns", ())),
    )


@dataclass
class Cue:
    """One reporting clause: cue words, source tokens and content span (characters)."""

    token: int  # index of the cue's head token
    start: int  # cue characters
    end: int
    lemma: str
    weight: float
    source: tuple[int, int] | None  # token range [start, end) of the source phrase head NP
    source_head: int | None
    content: tuple[int, int] | None  # character range of the content
    frame: bool = False  # "described X as Y", "called it a ...": content is a framing
    learned: bool = False  # built on the cue model's word or reading, not the lexicon's

    @property
    def speech(self) -> bool:
        return self.lemma in load_lexicon().strong


def find_cues(doc: Doc, text: str) -> list[Cue]:
    """Every reporting clause the lexicon recognises, in text order."""
    lexicon = load_lexicon()
    cues: list[Cue] = []
    for token in doc:
        lemma = token.lemma_.lower()
        cue: Cue | None
        if token.pos_ == "VERB" and lemma in lexicon.verbs:
            cue = _verb_cue(token, lemma, lexicon, text)
        elif token.lower_ in lexicon.according and token.dep_ == "prep":
            cue = _according_cue(token, text)
        elif lemma in lexicon.seem and token.pos_ in {"VERB", "AUX"}:
            cue = _seem_cue(token, lemma, text)
        elif token.pos_ == "NOUN" and lemma in lexicon.nouns:
            cue = _noun_cue(token, lemma, text)
        else:
            continue
        if cue is not None:
            cues.append(cue)
    headline = _headline_cue(doc, text)
    if headline is not None:
        cues.insert(0, headline)
    return cues


_HEADLINE_SOURCE_WORDS = 5


def _headline_cue(doc: Doc, text: str) -> Cue | None:
    """ "Ines Darrow: Ferry Will Pay for Itself": a headline's colon attributes what follows."""
    line_end = text.find("\n")
    if line_end == -1:
        line_end = len(text)
    colon = text.find(": ", 0, line_end)
    if colon <= 0:
        return None
    before = text[:colon].strip()
    if not before[:1].isupper() or len(before.split()) > _HEADLINE_SOURCE_WORDS:
        return None
    source = doc.char_span(text.index(before), colon, alignment_mode="contract")
    mark = doc.char_span(colon, colon + 1)
    if source is None or mark is None or any(t.pos_ in {"VERB", "AUX"} for t in source):
        return None
    content = _trim(text, (colon + 1, line_end))
    if content is None:
        return None
    return Cue(
        token=mark.start,
        start=colon,
        end=colon + 1,
        lemma=":",
        weight=0.6,
        source=(source.start, source.end),
        source_head=source.root.i,
        content=content,
    )


def learned_cue(token: Token, text: str, probability: float) -> Cue | None:
    """The reporting clause on a word the cue model picked: one the lexicon lacks, or a
    lexicon word the rules left without content ("supported Donald Trump")."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        return _verb_cue(token, lemma, load_lexicon(), text, probability)
    return _noun_cue(token, lemma, text, probability)


def _verb_cue(
    token: Token, lemma: str, lexicon: Lexicon, text: str, learned: float | None = None
) -> Cue:
    """``learned``: the model's probability for a verb outside the lexicon (its weight; its
    object may be the content, as the model has no object_content list)."""
    cue_end = token.idx + len(token.text)
    content: tuple[int, int] | None = None
    frame = False
    children = list(token.children)
    for child in children:
        # A particle or an audience right after the verb belongs to the cue: "told reporters".
        joins = child.dep_ == "prt" or (
            child.dep_ in {"dobj", "dative"} and child.lower_ in lexicon.audience
        )
        if joins and child.i == token.i + 1:
            cue_end = child.idx + len(child.text)
    prep = lexicon.frame_preps.get(lemma, "as" if learned is not None else None)
    objects = [c for c in children if c.dep_ in _OBJECT_DEPS and c.lower_ not in lexicon.audience]
    clauses = [c for c in children if c.dep_ in _CLAUSE_DEPS]
    if prep is not None and objects:
        framing = [
            c
            for c in children
            if c.dep_ in {"prep", "oprd", "ccomp", "xcomp"}
            and (c.dep_ != "prep" or c.lower_ == prep)
        ]
        framing = [c for c in framing if c.i > objects[0].i]
        if framing:
            content = (objects[0].left_edge.idx, _right_char(framing[-1]))
            frame = True
    if content is None and clauses and not _anonymity(clauses[-1]):
        clause = clauses[-1]
        start = clause.left_edge.idx
        if clause.dep_ == "xcomp":
            # "told his advisers to act", "called on Congress to act": the addressee is
            # part of what is attributed (PolNeAR's content starts at the object).
            addressee = _addressee(children, token, clause)
            if addressee is not None:
                start = min(start, addressee.left_edge.idx)
        content = (start, _content_end(clause))
    if content is None and token.dep_ == "parataxis" and token.head.i != token.i:
        content = _paratactic_content(token)
    preps = lexicon.prep_content.get(lemma, frozenset())
    if content is None and (preps or (learned is not None and not objects)):
        # A learned verb's first preposition carries its content: "balked at the plan".
        for child in children:
            if (
                child.dep_ in {"prep", "prt"}
                and (child.lower_ in preps or learned is not None)
                and child.i > token.i
            ):
                target = next((c for c in child.children if c.dep_ in {"pobj", "pcomp"}), None)
                if target is None and child.dep_ == "prt":
                    target = objects[0] if objects else None
                if target is not None:
                    cue_end = child.idx + len(child.text)
                    content = (target.left_edge.idx, _content_end(target))
                    break
    if content is None and objects and (learned is not None or lemma in lexicon.object_verbs):
        content = (objects[0].left_edge.idx, _content_end(objects[0]))
        content = (content[0], _object_rest(token, objects[0], content[1]))
    if content is None and learned is not None:
        passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
        if passive is not None:  # "the merits were debated": the patient is the content
            content = (passive.left_edge.idx, _content_end(passive))
    source_head = _subject(token)
    if source_head is None and objects and lemma in lexicon.strong and _after_quote(token):
        # "“...,” added the businessman": the parser reads the inverted subject as object.
        source_head = objects[0]
        if content is not None and content[0] <= source_head.idx < content[1]:
            content = None
    source = None
    if source_head is not None:
        source = _noun_phrase(source_head)
        content = _parenthetical(token, source, content, text)
    return Cue(
        token=token.i,
        start=token.idx,
        end=cue_end,
        lemma=lemma,
        weight=lexicon.verbs[lemma] if learned is None else learned,
        source=source,
        source_head=source_head.i if source_head is not None else None,
        content=_trim(text, content),
        frame=frame,
        learned=learned is not None,
    )


# "asked not to be named": a request for anonymity is about the source, not a claim.
_ANONYMITY_LEMMAS = frozenset({"name", "identify", "quote"})


def _anonymity(clause: Token) -> bool:
    """Is the clause "not to be named" (or identified, quoted)?"""
    return clause.lemma_ in _ANONYMITY_LEMMAS and any(
        child.dep_ == "neg" for child in clause.children
    ) and any(child.dep_ == "auxpass" for child in clause.children)


# Verb arguments after an object that PolNeAR's content keeps: "criticized Kaine for his
# work", "cited the remarks as examples of ...", "linked the leak to the server".
_REST_PREPS = frozenset({"as", "to", "for", "of", "with", "into", "against"})


def _object_rest(token: Token, obj: Token, end: int) -> int:
    """End of an object content stretched over the verb's later arguments, up to a comma,
    a conjunction or anything else."""
    doc = token.doc
    for child in token.rights:
        if child.i <= obj.i:
            continue
        if child.lower_ not in _REST_PREPS or doc[child.left_edge.i - 1].text == ",":
            break
        end = _content_end(child)
    return end


def _addressee(children: list[Token], token: Token, clause: Token) -> Token | None:
    """The object between a cue and its infinitive clause: "urged voters to ..."."""
    for child in children:
        if not token.i < child.i < clause.i:
            continue
        if child.dep_ in {"dobj", "dative"} and child.lower_ not in load_lexicon().audience:
            return child
        if child.dep_ == "prep" and child.i == token.i + 1:
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def _seem_cue(token: Token, lemma: str, text: str) -> Cue | None:
    """ "Both objections seemed to carry little weight": no source, subject + complement."""
    subject = next((c for c in token.children if c.dep_ in _SUBJECT_DEPS), None)
    complement = next(
        (
            c
            for c in token.children
            if c.i > token.i
            and (
                c.dep_ in {"xcomp", "acomp", "ccomp", "oprd"}
                or (c.dep_ == "prep" and c.lower_ == "like")
            )
        ),
        None,
    )
    if subject is None or complement is None or subject.lower_ == "it":
        return None
    if complement.lemma_.lower() in load_lexicon().verbs:
        return None  # "he seemed to blame the network": the inner verb is the cue
    return Cue(
        token=token.i,
        start=token.idx,
        end=token.idx + len(token.text),
        lemma=lemma,
        weight=0.5,
        source=None,
        source_head=None,
        content=_trim(text, (subject.left_edge.idx, _right_char(complement))),
    )


def _noun_cue(token: Token, lemma: str, text: str, learned: float | None = None) -> Cue | None:
    """ "Trump's claim that the race was rigged": the that-clause, the possessor as source.

    A noun the model picked also takes an infinitive or a prepositional object: "her plan to
    cut taxes", "his support for the bill".
    """
    rights = list(token.rights)
    clause = next(
        (
            c
            for c in rights
            if c.dep_ in {"acl", "ccomp"}
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ),
        None,
    )
    if clause is None and learned is not None:
        clause = next((c for c in rights if c.dep_ in {"acl", "ccomp"}), None)
        prep = next((c for c in rights if c.dep_ == "prep"), None)
        if clause is None and prep is not None:
            clause = next((c for c in prep.children if c.dep_ in {"pobj", "pcomp"}), None)
    if clause is None:
        return None
    owner = next((c for c in token.children if c.dep_ == "poss"), None)
    if owner is not None and owner.pos_ not in {"PROPN", "NOUN", "PRON"}:
        owner = None
    if owner is None and token.dep_ == "dobj":
        owner = _subject(token.head)  # "Trump repeated the claim that ..."
    return Cue(
        token=token.i,
        start=token.idx,
        end=token.idx + len(token.text),
        lemma=lemma,
        weight=0.5 if learned is None else learned,
        learned=learned is not None,
        source=_noun_phrase(owner) if owner is not None else None,
        source_head=owner.i if owner is not None else None,
        content=_trim(text, (clause.left_edge.idx, _right_char(clause))),
    )


def _according_cue(token: Token, text: str) -> Cue | None:
    """ "according to X, Y": X is the source, the clause the phrase modifies is the content."""
    to = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "to"), None)
    if to is None:
        return None
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    head = token.head
    sentence = token.sent
    if token.i > head.i:
        content = (sentence.start_char, token.left_edge.idx)
    else:
        content = (to.right_edge.idx + len(to.right_edge.text), _right_char(sentence.root))
        content = (content[0], max(content[1], sentence.end_char))
    return Cue(
        token=token.i,
        start=token.idx,
        end=to.idx + len(to.text),
        lemma="according to",
        weight=0.9,
        source=_noun_phrase(obj),
        source_head=obj.i,
        content=_trim(text, content),
    )


# Verbs whose object is the one a question is put to: "Asked about ...", "Pressed on ...".
_PUT_TO = frozenset({"ask", "press", "question", "quiz", "query", "challenge", "push"})


def _subject(token: Token) -> Token | None:
    """The cue's subject, or its head verb's when the cue is coordinated or subordinate."""
    current = token
    for _ in range(3):
        for child in current.children:
            if child.dep_ in _SUBJECT_DEPS:
                return child
            if child.dep_ == "agent":  # "was told by X"
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
        if current.dep_ == "advcl" and current.tag_ == "VBN" and current.lemma_ in _PUT_TO:
            return None  # "Asked whether ..., he said": he was asked; the asker is unsaid
        if current.dep_ in _INHERIT_DEPS and current.head.i != current.i:
            current = current.head
        elif current.dep_ == "acl" and current.tag_ == "VBG" and current.head.pos_ == "NOUN":
            return current.head  # "a statement saying ...", "a letter urging ..."
        elif current.dep_ == "pcomp" and current.head.dep_ == "prep":
            current = current.head.head  # "he ended by saying", "after noting"
        else:
            return None
    return None


def _after_quote(token: Token) -> bool:
    """The cue follows a closing quote mark (and maybe a comma): an inverted attribution."""
    i = token.i - 1
    while i >= 0 and token.doc[i].is_punct and token.doc[i].text in ",":
        i -= 1
    return i >= 0 and token.doc[i].text in {"”", '"', "’", "''"}


def _paratactic_content(token: Token) -> tuple[int, int]:
    """ "Sales were great, he said": the head clause without the attribution."""
    head = token.head
    left = head.left_edge.idx
    if token.left_edge.i > head.i:
        return left, token.left_edge.idx
    right = head.right_edge
    return token.right_edge.idx + len(token.right_edge.text), right.idx + len(right.text)


def _parenthetical(
    token: Token, source: tuple[int, int], content: tuple[int, int] | None, text: str
) -> tuple[int, int] | None:
    """ "Acts of protest, Mr. Obama said, are acts of patriotism": the content starts with
    the sentence, before the interrupting attribution (scorers skip the gap)."""
    doc = token.doc
    if content is None or content[0] <= token.idx or source[0] >= token.i or source[0] == 0:
        return content
    comma = doc[source[0] - 1]
    sentence = token.sent
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if comma.text != "," or comma.i <= sentence.start or after is None or after.text != ",":
        return content
    lead = text[sentence.start_char : comma.idx]
    if any(ch in lead for ch in '"“”') or not lead.strip():
        return content
    return sentence.start_char, content[1]


_TRAILING_DEPS = frozenset({"relcl", "appos"})


def _content_end(head: Token) -> int:
    """End of the content under ``head``, without a trailing aside after a comma.

    "..., who is 70", "..., the presumed favourite", "..., forcing them to ...": PolNeAR's
    content stops before a non-restrictive relative clause, appositive or participle that
    closes the clause.
    """
    right = head.right_edge
    doc = head.doc
    for token in head.subtree:
        if token.i <= head.i and token.dep_ not in _TRAILING_DEPS:
            continue
        trailing = token.dep_ in _TRAILING_DEPS or (
            token.dep_ in {"advcl", "acl"} and token.tag_ == "VBG"
        )
        edge = token.left_edge.i
        if (
            trailing
            and token.right_edge.i == right.i
            and edge > head.left_edge.i
            and doc[edge - 1].text == ","
        ):
            comma = doc[edge - 1]
            return comma.idx
    return right.idx + len(right.text)


def _right_char(token: Token) -> int:
    right = token.right_edge
    return right.idx + len(right.text)


def _noun_phrase(head: Token) -> tuple[int, int]:
    """The head's noun phrase without relative clauses and appositives after the head."""
    start = head.left_edge.i
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in {"relcl", "appos", "acl", "punct", "cc", "conj", "advcl"}:
            break
        end = child.right_edge.i + 1
    return start, end


_TRAILING_CONJUNCTION = re.compile(r"[\s,;]+(?:and|but|or)$")


def _trim(text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """The span without edge punctuation, a dangling "and" or "but", or a later paragraph:
    a clause's subtree can run past a paragraph break when the parse joins two of them."""
    if span is None:
        return None
    start, end = span
    while start < end and text[start] in " \t\n,;:—–-":
        start += 1
    paragraph = text.find("\n", start, end)
    if paragraph != -1:
        end = paragraph
    while end > start and text[end - 1] in " \t\n,;:—–-":
        end -= 1
    dangling = _TRAILING_CONJUNCTION.search(text, start, end)
    if dangling is not None:
        end = dangling.start()
    return (start, end) if end > start else None
