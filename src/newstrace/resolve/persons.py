"""Name tests of the pair judge for two people: given names and surnames romanised
otherwise, initials, roles, two spellings one article tells apart, and how a pair is shown
in evidence. Split from ``judge``, which adds the context each rule needs."""

from __future__ import annotations

from newstrace.resolve.keys import (
    consonants,
    first_name_key,
    fold,
    given_names_close,
    rules,
    vowel_variant,
)
from newstrace.resolve.node import NodeId, _Node
from newstrace.resolve.sound import loosely_equal

LOOSE_SURNAME = 70.0  # ratio of surnames one loose key joins (Johnson / Jensen 67, Qadhafi 71)


def loose_surnames(a: _Node, b: _Node) -> bool:
    """Two surnames of six letters or more that one loose phonetic key joins (Sidorenko /
    Sidarenka, Karagiannis / Karayannis, Mammadli / Mamedli), for people whose given names
    agree: a romanisation the transliteration key does not derive."""
    return any(
        min(len(x), len(y)) >= 6 and loosely_equal(x, y, LOOSE_SURNAME)
        for x in {_bare_surname(p.surname) for p in a.fulls}
        for y in {_bare_surname(p.surname) for p in b.fulls}
    )


def _bare_surname(surname: str) -> str:
    """A surname folded, without its Arabic article ('qaddafi' of 'el-Qaddafi')."""
    words = fold(surname).split()
    while len(words) > 1 and words[0] in rules().surname_articles:
        words = words[1:]
    return "".join(words)


def initials_fit(bare: _Node, full: _Node) -> bool:
    """Whether a surname given initials ('S. Venkatraman') may name a person named in full:
    one of the full name's given names opens with one of them (or the surname has none)."""
    initials = bare.given_initials
    if not initials:
        return True
    if not any(fold(given)[:1] in initials for given in full.givens):
        return False
    # 'J. Christopher Stevens' is not John Paul Stevens: written middle names must agree
    return not (bare.middles and full.middles and bare.middles.isdisjoint(full.middles))


def vowels_only(left: set[str], right: set[str]) -> bool:
    """Two given names that agree and differ only in their vowels (Tariq/Tarek)."""
    return any(
        given_names_close(x, y) and consonants(first_name_key(x)) == consonants(first_name_key(y))
        for x in left
        for y in right
    )


def u_written_o(a: _Node, b: _Node) -> bool:
    """Surnames apart only by a u written o, as Arabic-script names are romanised (Bukhari /
    Bokhari); not an e against an i (Saadeh / Saadi: two names)."""
    return any(
        vowel_variant(x, y) and x.replace("o", "u") == y.replace("o", "u")
        for x in a.surname_keys
        for y in b.surname_keys
    )


def roles_conflict(a: _Node, b: _Node) -> bool:
    """Both say what the person does, and nothing they say agrees."""
    left, right = set(a.phrase_stems), set(b.phrase_stems)
    return bool(left and right and not left & set(b.role_stems) and not right & set(a.role_stems))


def told_apart(left: set[NodeId], right: set[NodeId]) -> bool:
    """Whether one article has the two spellings in two different local entities (one
    local entity holding both is one person whose name that article garbled)."""
    if len(left) > len(right):
        left, right = right, left
    by_article: dict[str, set[NodeId]] = {}
    for node_id in right:
        by_article.setdefault(node_id[0], set()).add(node_id)
    return any(by_article.get(node_id[0], set()) - {node_id} for node_id in left)


def pair_names(a: _Node, b: _Node) -> str:
    """'Aleksandr~Alexander, Hrebenko~Grebenko': the spellings that differ."""
    left, right = a.fulls[0], b.fulls[0]
    parts = []
    for x, y in ((left.given, right.given), (left.surname, right.surname)):
        parts.append(x if x == y else f"{x}~{y}")
    return ", ".join(parts)
