"""Cues that are no reporting verb: nouns, "according to", "seem", headlines.

"Trump's claim that ...", "her support for the bill", "according to X, ...", "the plan
seemed unlikely to pass", "Ines Darrow: Ferry Will Pay": each finder returns the same
``Cue`` as a verb's, its source and content read off the parse.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newstrace.quotes.clause import (
    SUBJECT_DEPS,
    noun_phrase,
    right_char,
    subject,
    trim,
)
from newstrace.quotes.lexicon import Cue, load_lexicon

_HEADLINE_SOURCE_WORDS = 5


def headline_cue(doc: Doc, text: str) -> Cue | None:
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
    content = trim(text, (colon + 1, line_end))
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


def seem_cue(token: Token, lemma: str, text: str) -> Cue | None:
    """ "Both objections seemed to carry little weight": no source, subject + complement."""
    subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
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
        content=trim(text, (subject.left_edge.idx, right_char(complement))),
    )


def noun_cue(token: Token, lemma: str, text: str, learned: float | None = None) -> Cue | None:
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
    if owner is None and token.dep_ in {"dobj", "attr"}:
        # "Trump repeated the claim that ...", "she is a staunch opponent of ..."
        owner = subject(token.head)
    return Cue(
        token=token.i,
        start=token.idx,
        end=token.idx + len(token.text),
        lemma=lemma,
        weight=0.5 if learned is None else learned,
        learned=learned is not None,
        source=noun_phrase(owner) if owner is not None else None,
        source_head=owner.i if owner is not None else None,
        content=trim(text, (clause.left_edge.idx, right_char(clause))),
    )


def according_cue(token: Token, text: str) -> Cue | None:
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
        content = (to.right_edge.idx + len(to.right_edge.text), right_char(sentence.root))
        content = (content[0], max(content[1], sentence.end_char))
    return Cue(
        token=token.i,
        start=token.idx,
        end=to.idx + len(to.text),
        lemma="according to",
        weight=0.9,
        source=noun_phrase(obj),
        source_head=obj.i,
        content=trim(text, content),
    )
