"""Where a reporting clause's parts lie in the dependency parse: subject, phrase, edges.

Shared by the verb cues (``cues.py``) and the other cues (``nominal.py``).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp"})
# Verbs whose subject is their head's subject: "he laughed and said", "adding that ...".
INHERIT_DEPS = frozenset({"conj", "xcomp", "advcl"})


# Verbs whose object is the one a question is put to: "Asked about ...", "Pressed on ...".
_PUT_TO = frozenset({"ask", "press", "question", "quiz", "query", "challenge", "push"})


_NAMING = frozenset({"PROPN", "PRON"})
_NONE = frozenset({"no", "none", "neither", "nobody"})


def _subject_rank(noun: Token, verb: Token) -> tuple[bool, bool, int]:
    negated = noun.lower_ in _NONE or any(c.lower_ in _NONE for c in noun.lefts)
    return negated, noun.pos_ not in _NAMING, abs(noun.i - verb.i)


def subject(token: Token) -> Token | None:
    """The cue's subject, or its head verb's when the cue is coordinated or subordinate."""
    current = token
    for _ in range(3):
        # Two subjects are a misparse: "Nine were injured, none of them seriously, ... the
        # coastguard said", "Owen Brandt — no relation to the mayor — said". A name or a
        # pronoun beats a common noun, anything beats a negated one, then the nearer wins.
        subjects = [c for c in current.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            return min(subjects, key=lambda c: _subject_rank(c, current))
        for child in current.children:
            if child.dep_ == "agent":  # "was told by X"
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
        if current.dep_ == "advcl" and current.tag_ == "VBN" and current.lemma_ in _PUT_TO:
            return None  # "Asked whether ..., he said": he was asked; the asker is unsaid
        if current.dep_ in INHERIT_DEPS and current.head.i != current.i:
            current = current.head
        elif current.dep_ == "acl" and current.tag_ == "VBG" and current.head.pos_ == "NOUN":
            return current.head  # "a statement saying ...", "a letter urging ..."
        elif current.dep_ == "pcomp" and current.head.dep_ == "prep":
            current = current.head.head  # "he ended by saying", "after noting"
        else:
            return None
    return None


def after_quote(token: Token) -> bool:
    """The cue follows a closing quote mark (and maybe a comma): an inverted attribution."""
    i = token.i - 1
    while i >= 0 and token.doc[i].is_punct and token.doc[i].text in ",":
        i -= 1
    return i >= 0 and token.doc[i].text in {"”", '"', "’", "''"}


_TRAILING_DEPS = frozenset({"relcl", "appos"})


def content_end(head: Token) -> int:
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


def right_char(token: Token) -> int:
    right = token.right_edge
    return right.idx + len(right.text)


def noun_phrase(head: Token) -> tuple[int, int]:
    """The head's noun phrase without relative clauses and appositives after the head."""
    start = head.left_edge.i
    end = head.i + 1
    for child in head.rights:
        if child.dep_ in {"relcl", "appos", "acl", "punct", "cc", "conj", "advcl"}:
            break
        end = child.right_edge.i + 1
    return start, end


_TRAILING_CONJUNCTION = re.compile(r"[\s,;]+(?:and|but|or)$")


def trim(text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
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
