"""Pair judging across articles: whether two local entities name the same thing, and why.

Tiered rules, each with its evidence (see ``newstrace.resolve.index``); context is the same
story key, a shared role, or two articles that share other names.
"""

from __future__ import annotations

from itertools import islice, product

from rapidfuzz import fuzz

from newstrace.resolve.local import FUZZY_SURNAME, Anchor, NodeId, _Article, _Node
from newstrace.resolve.names import FUZZY_GIVEN, fold, givens_agree, rules

FUZZY_ORG = 92.0  # token_sort_ratio of organisation names ("Calloway Polymer")
FUZZY_PLACE = 85.0  # ratio of place name keys (Niger/Nigeria, 83, stay apart)
MIN_SHARED_NAMES = 2  # other names two articles must share to count as one story
PEER_PAIRS = 64  # most article pairs looked at for the context of two same-name groups


class PairJudge:
    """Judges pairs against the index's article records, which it shares (not copies)."""

    def __init__(
        self,
        articles: dict[str, _Article],
        full_surnames: dict[tuple[str, str], set[NodeId]],
        peers: dict[NodeId, list[_Node]],
    ) -> None:
        self._articles = articles
        self._full_surnames = full_surnames
        # A group head -> the local entities spelling its full name alike (head first): the
        # head is judged for them all, so its context is any of theirs.
        self._peers = peers

    def judge(self, a: _Node, b: _Node) -> tuple[int, float, str] | None:
        """Whether two local entities of different articles name the same thing, and why."""
        if a.ambiguous or b.ambiguous:
            return None
        if a.person != b.person:
            shared = {k for k in a.keys & b.keys if " " in k}
            if shared:  # a tagger's slip: "Dermot Hale" tagged ORG in one article
                return 0, 100.0, f"same name '{_shown(a, b, shared)}' (tagged as different kinds)"
            return None
        if not a.person:
            shared = a.keys & b.keys
            if shared:
                return 0, 100.0, f"same name '{_shown(a, b, shared)}'"
            return self._judge_other(a, b)
        shared = a.full_keys & b.full_keys
        if shared:
            return 0, 100.0, f"same name '{_shown(a, b, shared)}'"
        return self._judge_person(a, b)

    def _judge_other(self, a: _Node, b: _Node) -> tuple[int, float, str] | None:
        places = rules().place_group
        for x in a.keys:
            for y in b.keys:
                if x in places and places.get(y) == places[x]:
                    return 0, 100.0, f"known variant {a.display}~{b.display}"
        # Every rule needs context; it is looked up last, for a pair that passes otherwise.
        if a.name_keys & b.name_keys:
            context = self._context(a, b, 1)
            if context is None:
                return None
            return 1, 100.0, f"transliteration {a.display}~{b.display}, {context}"
        if a.kind == "place":
            found = self._place_variant(a, b)
        elif a.kind == "organisation":
            found = self._org_variant(a, b)
        else:
            return None
        if found is None or (context := self._context(a, b, MIN_SHARED_NAMES)) is None:
            return None
        return found[0], found[1], f"{found[2]}, {context}"

    @staticmethod
    def _place_variant(a: _Node, b: _Node) -> tuple[int, float, str] | None:
        """A garbled or transliterated place name (Ternivka/Ternovka) that no rule derives."""
        best = max(fuzz.ratio(x, y) for x in a.name_keys for y in b.name_keys)
        if best >= FUZZY_PLACE and min(len(a.display), len(b.display)) >= 6:
            return 2, best, f"near-identical place name {a.display}~{b.display}"
        return None

    @staticmethod
    def _org_variant(a: _Node, b: _Node) -> tuple[int, float, str] | None:
        for x in a.name_keys:
            for y in b.name_keys:
                short, full = sorted((x.split(), y.split()), key=len)
                if len(short) >= 2 and full[: len(short)] == short:
                    return 2, 95.0, f"short form {a.display}~{b.display}"
        best = max(fuzz.token_sort_ratio(x, y) for x in a.name_keys for y in b.name_keys)
        if best >= FUZZY_ORG and min(len(a.display), len(b.display)) >= 8:
            return 2, best, f"near-identical name {a.display}~{b.display}"
        return None

    def _judge_person(self, a: _Node, b: _Node) -> tuple[int, float, str] | None:
        firsts = a.first_keys & b.first_keys
        if a.fulls and b.fulls and not firsts and not givens_agree(a.givens, b.givens):
            return None
        if a.gender and b.gender and a.gender != b.gender:
            return None
        # Every rule needs context; it is looked up last, for a pair that passes otherwise.
        shared = a.surname_keys & b.surname_keys
        if a.fulls and b.fulls:
            if _roles_conflict(a, b):
                return None  # a safety officer and a union organiser: two people
            if not firsts:
                return self._garbled_given(a, b, shared)
            if shared:
                context = self._context(a, b, 1)
                if context is None:
                    return None
                return 1, 100.0, f"transliteration {_pairs(a, b)}, {context}"
            best, x, y = max(
                (fuzz.ratio(x, y), x, y) for x in a.surname_keys for y in b.surname_keys
            )
            for first in firsts:
                seen_x = self._full_surnames.get((first, x), set())
                seen_y = self._full_surnames.get((first, y), set())
                if _told_apart(seen_x, seen_y):
                    return None  # one article names both: two people (Anna Berg, Anna Berger)
            if best < FUZZY_SURNAME or min(len(x), len(y)) < 4:
                return None
            context = self._context(a, b, MIN_SHARED_NAMES)
            if context is None:
                return None
            return 2, best, f"garbled surname {_pairs(a, b)} ({best:.0f}), {context}"
        if not shared:
            return None
        context = self._context(a, b, MIN_SHARED_NAMES)
        if context is None:
            return None
        tier = 3 if a.fulls or b.fulls else 4
        full, bare = (a, b) if a.fulls else (b, a)
        return tier, 100.0, (f"surname '{bare.display}' matches '{full.display}', {context}")

    def _garbled_given(self, a: _Node, b: _Node, shared: set[str]) -> tuple[int, float, str] | None:
        """Abdelkader Benali / Abdelkadir Benali: one garbled given name, the same surname, and
        context. An article naming both spellings (Andrea and Andreas Kolb) has put them in two
        clusters by tier 0 already, which the same-article guard keeps apart."""
        if not shared:
            return None  # one garbling at most: the surname must agree
        context = self._context(a, b, MIN_SHARED_NAMES)
        if context is None:
            return None
        return 2, FUZZY_GIVEN, f"garbled given name {_pairs(a, b)}, {context}"

    def _context(self, a: _Node, b: _Node, min_shared: int = MIN_SHARED_NAMES) -> str | None:
        """Why two local entities (or their peers, see ``__init__``) are about the same
        story, or None."""
        pairs = product(self._peers.get(a.id, [a]), self._peers.get(b.id, [b]))
        for x, y in islice(pairs, PEER_PAIRS):
            found = self._pair_context(x, y, min_shared)
            if found is not None:
                return found
        return None

    def _pair_context(self, a: _Node, b: _Node, min_shared: int) -> str | None:
        if a.story is not None and a.story == b.story:
            return f"same story '{a.story}'"
        heads_a, heads_b = a.role_stems, b.role_stems
        common = sorted(set(heads_a) & set(heads_b))
        if common:
            role_a, role_b = heads_a[common[0]], heads_b[common[0]]
            same = role_a if fold(role_a) == fold(role_b) else f"{role_a}~{role_b}"
            return f"same role '{same}'"
        anchors = self._articles[a.id[0]].anchors
        shared = _shared_anchors(
            set(anchors) - {a.anchor}, set(self._articles[b.id[0]].anchors) - {b.anchor}
        )
        if len(shared) >= min_shared:
            names = ", ".join(sorted(anchors[key] for key in shared)[:3])
            return f"articles share {len(shared)} other name(s) ({names})"
        return None


def _shared_anchors(left: set[Anchor], right: set[Anchor]) -> list[Anchor]:
    """The anchors of ``left`` that name someone (or something) ``right`` names too: same
    surname (or name) key, and first names that agree or one of them left out."""
    firsts: dict[str, set[str]] = {}
    for first, name in right:
        firsts.setdefault(name, set()).add(first)
    shared = []
    for first, name in left:
        seen = firsts.get(name)
        if seen and (not first or "" in seen or first in seen):
            shared.append((first, name))
    return shared


def _told_apart(left: set[NodeId], right: set[NodeId]) -> bool:
    """Whether one article has the two spellings in two different local entities (one
    local entity holding both is one person whose name that article garbled)."""
    if len(left) > len(right):
        left, right = right, left
    by_article: dict[str, set[NodeId]] = {}
    for node_id in right:
        by_article.setdefault(node_id[0], set()).add(node_id)
    return any(by_article.get(node_id[0], set()) - {node_id} for node_id in left)


def _roles_conflict(a: _Node, b: _Node) -> bool:
    """Both say what the person does, and nothing they say agrees."""
    left, right = set(a.phrase_stems), set(b.phrase_stems)
    return bool(left and right and not left & set(b.role_stems) and not right & set(a.role_stems))


def _shown(a: _Node, b: _Node, keys: set[str]) -> str:
    key = min(keys)
    for _, parsed in a.names + b.names:
        if parsed.key == key:
            return parsed.surface
    return key


def _pairs(a: _Node, b: _Node) -> str:
    """'Aleksandr~Alexander, Hrebenko~Grebenko': the spellings that differ."""
    left, right = a.fulls[0], b.fulls[0]
    parts = []
    for x, y in ((left.given, right.given), (left.surname, right.surname)):
        parts.append(x if x == y else f"{x}~{y}")
    return ", ".join(parts)
