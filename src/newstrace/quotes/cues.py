"""The reporting clauses a parse holds: each cue verb with its source and content.

A cue here is a verb together with what the dependency parse says it governs: its source
(subject) and its content (clausal complement, object or framing). Cues on other words
(nouns, "according to") are in ``nominal.py``; the lexicon in ``lexicon.py``.
"""

from __future__ import annotations

import logging

from spacy.tokens import Doc, Token

from newstrace.quotes.clause import (
    CLAUSE_DEPS,
    SUBJECT_DEPS,
    after_quote,
    content_end,
    noun_phrase,
    right_char,
    subject,
    trim,
)
from newstrace.quotes.lexicon import Cue, Lexicon, load_lexicon
from newstrace.quotes.nominal import (
    according_cue,
    headline_cue,
    noun_cue,
    seem_cue,
)

logger = logging.getLogger(__name__)

_OBJECT_DEPS = frozenset({"dobj"})


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
            cue = according_cue(token, text)
        elif lemma in lexicon.seem and token.pos_ in {"VERB", "AUX"}:
            cue = seem_cue(token, lemma, text)
        elif token.pos_ == "NOUN" and lemma in lexicon.nouns:
            cue = noun_cue(token, lemma, text)
        else:
            continue
        if cue is not None:
            cues.append(cue)
    headline = headline_cue(doc, text)
    if headline is not None:
        cues.insert(0, headline)
    return cues


def learned_cue(token: Token, text: str, probability: float) -> Cue | None:
    """The reporting clause on a word the cue model picked: one the lexicon lacks, or a
    lexicon word the rules left without content ("supported Donald Trump")."""
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        return _verb_cue(token, lemma, load_lexicon(), text, probability)
    return noun_cue(token, lemma, text, probability)


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
    clauses = [c for c in children if c.dep_ in CLAUSE_DEPS]
    if prep is not None and objects:
        framing = [
            c
            for c in children
            if c.dep_ in {"prep", "oprd", "ccomp", "xcomp"}
            and (c.dep_ != "prep" or c.lower_ == prep)
        ]
        framing = [c for c in framing if c.i > objects[0].i]
        if framing:
            content = (objects[0].left_edge.idx, right_char(framing[-1]))
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
        content = (start, content_end(clause))
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
                    content = (target.left_edge.idx, content_end(target))
                    break
    if content is None and objects and (learned is not None or lemma in lexicon.object_verbs):
        content = (objects[0].left_edge.idx, content_end(objects[0]))
        content = (content[0], _object_rest(token, objects[0], content[1]))
    if content is None and learned is not None:
        passive = next((c for c in children if c.dep_ == "nsubjpass"), None)
        if passive is not None:  # "the merits were debated": the patient is the content
            content = (passive.left_edge.idx, content_end(passive))
    source_head = subject(token)
    if source_head is None and objects and lemma in lexicon.strong and after_quote(token):
        # "“...,” added the businessman": the parser reads the inverted subject as object.
        source_head = objects[0]
        if content is not None and content[0] <= source_head.idx < content[1]:
            content = None
    source = None
    if source_head is not None:
        source = noun_phrase(source_head)
        content = _parenthetical(token, source, content, text)
        content = _over_stray_subject(children, source_head, content, text)
    return Cue(
        token=token.i,
        start=token.idx,
        end=cue_end,
        lemma=lemma,
        weight=lexicon.verbs[lemma] if learned is None else learned,
        source=source,
        source_head=source_head.i if source_head is not None else None,
        content=trim(text, content),
        frame=frame,
        learned=learned is not None,
    )


# "asked not to be named": a request for anonymity is about the source, not a claim.
_ANONYMITY_LEMMAS = frozenset({"name", "identify", "quote"})


def _anonymity(clause: Token) -> bool:
    """Is the clause "not to be named" (or identified, quoted)?"""
    return (
        clause.lemma_ in _ANONYMITY_LEMMAS
        and any(child.dep_ == "neg" for child in clause.children)
        and any(child.dep_ == "auxpass" for child in clause.children)
    )


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
        end = content_end(child)
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


def _paratactic_content(token: Token) -> tuple[int, int]:
    """ "Sales were great, he said": the head clause without the attribution."""
    head = token.head
    left = head.left_edge.idx
    if token.left_edge.i > head.i:
        return left, token.left_edge.idx
    right = head.right_edge
    return token.right_edge.idx + len(token.right_edge.text), right.idx + len(right.text)


def _over_stray_subject(
    children: list[Token], source_head: Token, content: tuple[int, int] | None, text: str
) -> tuple[int, int] | None:
    """ "Nine were injured, none of them seriously, when ..., the coastguard said": the
    parser makes "none ..." a second subject; it is the end of the content."""
    if content is None:
        return None
    for child in children:
        stray = child.dep_ in SUBJECT_DEPS and child.i < source_head.i
        if stray and child.idx >= content[1] and not text[content[1] : child.idx].strip(" ,"):
            content = (content[0], content_end(child))
    return content


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
