"""Pair judging across articles: whether two local entities name the same thing, and why.

Tiered rules, each with its evidence (see ``newstrace.resolve.index``); context is the same
story key, a shared role, or two articles that share other names.
"""

from __future__ import annotations

from itertools import islice, product

from rapidfuzz import fuzz

from newstrace.resolve.keys import (
    FUZZY_GIVEN,
    fold,
    givens_agree,
    hypocoristic,
    place_token_key,
    rules,
    short_given,
    sound_key,
    vowel_variant,
)
from newstrace.resolve.node import FUZZY_SURNAME, Anchor, NodeId, _Article, _Node
from newstrace.resolve.orgs import (
    MIN_SHARED_NAMES,
    first_words_agree,
    org_core,
    org_rivals,
    org_short,
    place_variant,
    slavic_place,
)
from newstrace.resolve.persons import (
    initials_fit,
    loose_surnames,
    pair_names,
    roles_conflict,
    told_apart,
    u_written_o,
    vowels_only,
)
from newstrace.resolve.sound import loosely_equal

FUZZY_ORG = 92.0  # token_sort_ratio of organisation names ("Calloway Polymer")
TITLED_NAME = 80.0  # ratio of one titled name romanised otherwise (Ghevond / Ghevont 86)
# What a first clustering tells a second pass (see ``PairJudge.linked``).
Linked = tuple[dict[str, set[NodeId]], dict[NodeId, NodeId], dict[NodeId, set[str]]]
PEER_PAIRS = 64  # most article pairs looked at for the context of two same-name groups


class PairJudge:
    """Judges pairs against the index's article records, which it shares (not copies)."""

    def __init__(
        self,
        articles: dict[str, _Article],
        full_surnames: dict[str, dict[str, set[NodeId]]],
        peers: dict[NodeId, list[_Node]],
        nodes: dict[NodeId, _Node],
    ) -> None:
        self._articles = articles
        self._full_surnames = full_surnames
        # A group head -> the local entities spelling its full name alike (head first): the
        # head is judged for them all, so its context is any of theirs.
        self._peers = peers
        self._nodes = nodes
        # Set by the index for a second pass: each article's clusters that reach another
        # article, each of their nodes' cluster, and the articles naming each cluster as a
        # person in full (see ``EntityIndex._recluster``).
        self.linked: Linked = ({}, {}, {})
        # Pairs a name rule accepted but that lacked context, by article pair: collected in the
        # first pass, then (``support``) counted as names the two articles share however spelt.
        self._pending: dict[tuple[str, str], set[tuple[NodeId, NodeId]]] = {}
        self._support: dict[tuple[str, str], set[tuple[NodeId, NodeId]]] = {}

    def start_second_pass(self, linked: Linked) -> bool:
        """Hand the judge what the first clustering tells (see ``linked``); whether a second
        pass can find more (clusters two articles share, or pairs that lacked context)."""
        self.linked, self._support, self._pending = linked, self._pending, {}
        return bool(linked[0] or self._support)

    def end_passes(self) -> None:
        self.linked, self._support, self._pending = ({}, {}, {}), {}, {}

    def linked_articles(self, a: NodeId, b: NodeId) -> bool:
        """Whether the articles of two nodes (or of their peers) share a cluster."""
        if _article_pair(a, b) in self._support:
            return True
        by_article = self.linked[0]
        if a not in self._peers and b not in self._peers:  # the common case, cheaply
            return (
                a[0] in by_article
                and b[0] in by_article
                and not by_article[a[0]].isdisjoint(by_article[b[0]])
            )
        left = {n.id[0] for n in self._peers.get(a, [])} | {a[0]}
        right = {n.id[0] for n in self._peers.get(b, [])} | {b[0]}
        found = set().union(*(by_article.get(x, set()) for x in left))
        return any(not found.isdisjoint(by_article.get(y, set())) for y in right)

    def judge(self, a: _Node, b: _Node) -> tuple[int, float, str] | None:
        """Whether two local entities of different articles name the same thing, and why."""
        if a.ambiguous or b.ambiguous:
            return None
        if a.person != b.person:
            shared = {k for k in a.keys & b.keys if " " in k}
            if shared:  # a tagger's slip: "Dermot Hale" tagged ORG in one article
                return 0, 100.0, f"same name '{_shown(a, b, shared)}' (tagged as different kinds)"
            shared = a.keys & b.keys
            if shared and not a.fulls and not b.fulls and (_label_only(a) or _label_only(b)):
                # 'Kherson' tagged a person, or 'Palin' a place, where its article says
                # nothing of it: the kind is the labels' majority across the articles that
                # name it, evidence first (``majority_kind``). Only one word on both sides: a full
                # name is a person, and 'Jackson' may be a city of another story.
                context = self._context(a, b, MIN_SHARED_NAMES)
                if context is None:
                    return None
                shown = _shown(a, b, shared)
                return 1, 98.0, f"same name '{shown}' (its kind by the tag alone), {context}"
            return None
        if not a.person:
            shared = a.keys & b.keys
            if shared:
                return 0, 100.0, f"same name '{_shown(a, b, shared)}'"
            return self._judge_other(a, b)
        shared = a.full_keys & b.full_keys
        if shared:
            return 0, 100.0, f"same name '{_shown(a, b, shared)}'"
        if (a.swapped_keys & b.full_keys) or (b.swapped_keys & a.full_keys):
            context = self._context(a, b, 1)
            if context is None:
                return None
            return 1, 99.0, f"name order {a.display}~{b.display}, {context}"
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
        if a.east_place_keys & b.east_place_keys:  # Pusan / Busan
            context = self._context(a, b, 1)
            if context is None:
                return None
            return 1, 99.0, f"romanisation {a.display}~{b.display}, {context}"
        if a.kind == b.kind == "place" and slavic_place(a, b):
            context = self._context(a, b, 1)
            if context is None:
                return None
            return 1, 99.0, f"place spelling {a.display}~{b.display}, {context}"
        if a.kind == b.kind == "organisation" and org_rivals(a, b):
            return None  # 'Brackwater Logistics' and 'Brackwater Capital': two firms
        if a.kind == b.kind == "organisation" and a.org_keys & b.org_keys:
            context = self._context(a, b, 1)  # Ministry of Health / Health Ministry
            if context is None:
                return None
            return 1, 99.0, f"same words {a.display}~{b.display}, {context}"
        if a.kind == b.kind == "organisation" and (short := org_core(a, b) or org_short(a, b)):
            tier, reason, word, min_shared, person = short
            if word and self._names_place(a, b, word):
                return None  # 'Jinhai' beside the city of Jinhai
            context = self._context(a, b, min_shared, person)
            if context is None:
                return None
            return tier, 95.0, f"{reason}, {context}"
        if a.kind == "place":
            found = place_variant(a, b)
        elif a.kind == "organisation":
            found = self._org_variant(a, b)
        else:
            return None
        if found is None or (context := self._context(a, b, MIN_SHARED_NAMES, found[3])) is None:
            return None
        return found[0], found[1], f"{found[2]}, {context}"

    def _org_variant(self, a: _Node, b: _Node) -> tuple[int, float, str, str] | None:
        """An organisation's leading words ('Severolesk Timber' of 'Severolesk Timber
        Combine': two names, or one person named in full in both articles, as for initials,
        unless the words name a place of either article: 'Los Angeles' tagged a team is not
        the 'Los Angeles Superior Court'), or a near-identical name (two names)."""
        for x in a.name_keys:
            for y in b.name_keys:
                short, full = sorted((x.split(), y.split()), key=len)
                if len(short) >= 2 and full[: len(short)] == short:
                    if self._names_place(a, b, " ".join(short)):
                        return None
                    return 2, 95.0, f"short form {a.display}~{b.display}", "full"
        best = max(
            (
                fuzz.token_sort_ratio(x, y)
                for x in a.name_keys
                for y in b.name_keys
                if first_words_agree(x, y)
            ),  # '79th' and '81st Academy Awards' differ
            default=0.0,
        )
        if best >= FUZZY_ORG and min(len(a.display), len(b.display)) >= 8:
            return 2, best, f"near-identical name {a.display}~{b.display}", ""
        return None

    def _names_place(self, a: _Node, b: _Node, words: str) -> bool:
        """Whether folded words name a place of either node's article, or either node."""
        place = ("p", " ".join(place_token_key(word) for word in words.split()))
        return any(
            place in self._articles[n.id[0]].anchors
            or any(p.kind == "place" and p.place_key == place[1] for _, p in n.names)
            for n in (a, b)
        )

    def _judge_person(self, a: _Node, b: _Node) -> tuple[int, float, str] | None:
        firsts = a.first_keys & b.first_keys
        if a.gender and b.gender and a.gender != b.gender:
            return None
        same_surname = a.surname_keys & b.surname_keys
        # Mao Tse-tung / Mao Zedong, Seo / Suh Hyun-woo: one name as two romanisations write it
        if (not firsts or not same_surname) and a.east_keys & b.east_keys:
            context = self._context(a, b, 1)
            if context is None:
                return None
            return 1, 99.0, f"romanisation {pair_names(a, b)}, {context}"
        if a.fulls and b.fulls and not firsts and not givens_agree(a.givens, b.givens):
            return None
        # Every rule needs context; it is looked up last, for a pair that passes otherwise.
        shared = same_surname
        if a.fulls and b.fulls:
            shared = (a.surname_keys | a.second_keys) & (b.surname_keys | b.second_keys)
            if roles_conflict(a, b):
                return None  # a safety officer and a union organiser: two people
            if not firsts:
                return self._garbled_given(a, b, shared)
            if a.middles and b.middles and a.middles.isdisjoint(b.middles):
                return None  # José Luis and José María Ferrándiz: two people
            if shared or u_written_o(a, b):  # Bukhari / Bokhari
                context = self._context(a, b, 1)
                if context is None:
                    return None
                score = 100.0 if a.middles == b.middles else 99.0  # José María, then José
                return 1, score, f"transliteration {pair_names(a, b)}, {context}"
            best, x, y = max(
                (fuzz.ratio(x, y), x, y) for x in a.surname_keys for y in b.surname_keys
            )
            for first in firsts:
                seen_x = self._full_surnames.get(x, {}).get(first, set())
                seen_y = self._full_surnames.get(y, {}).get(first, set())
                if told_apart(seen_x, seen_y):
                    return None  # one article names both: two people (Anna Berg, Anna Berger)
            if min(len(x), len(y)) < 4 or (
                best < FUZZY_SURNAME and sound_key(x) != sound_key(y) and not loose_surnames(a, b)
            ):
                return None
            context = self._context(a, b, MIN_SHARED_NAMES)
            if context is None:
                return None
            return 2, best, f"garbled surname {pair_names(a, b)} ({best:.0f}), {context}"
        full, bare = (a, b) if a.fulls else (b, a)
        if full.fulls and not initials_fit(bare, full):
            return None  # 'J. Addleton' is not Owen Addleton
        if a.given_initials and b.given_initials and a.given_initials.isdisjoint(b.given_initials):
            return None  # nor is 'O. Addleton'
        # 'Ortega' alone names José Luis Ramírez Ortega only if no one is first-surnamed so.
        weak = not shared and bool(full.fulls and bare.surname_keys & full.second_keys)
        if not shared and not weak:
            return self._titled_single_names(a, b)
        # A surname that only one person named in full bears in all the articles needs less
        # context: one shared person ('Voskova' where Anton Brezik speaks in both articles).
        bearers = self._bearers(bare) if full.fulls and not weak else set()
        if full.fulls and not weak and not full.first_keys & bearers:
            return None  # a bare 'Veltman' is Anders Veltman, not also Ruth Veltmann
        if full.fulls and any(
            first in bare.surname_keys and (first, surname) not in full.anchors
            for first, surname in self._articles[full.id[0]].anchors
        ):
            return None  # 'Kamarulzaman' where Haziq Kamarulzaman's father Kamarulzaman speaks
        sole = bool(full.fulls) and not weak and len(bearers) == 1
        context = self._context(a, b, MIN_SHARED_NAMES, "named" if sole else "")
        if context is None:
            return None
        tier = 3 if a.fulls or b.fulls else 4
        how = "matches the second surname of" if weak else "matches"
        reason = f"surname '{bare.display}' {how} '{full.display}', {context}"
        return tier, 99.0 if weak else 100.0, reason

    def _titled_single_names(self, a: _Node, b: _Node) -> tuple[int, float, str] | None:
        """'Metropolitan Chrysanthos' / 'Metropolitan Hrysanthos', 'Archbishop Ghevond' /
        'Archbishop Ghevont': people known by one name, one title, that name romanised
        otherwise (the loose key, nearly alike as written)."""
        if a.fulls or b.fulls or a.given_initials or b.given_initials:
            return None
        titles = {fold(t) for _, p in a.names for t in p.titles}
        if not titles & {fold(t) for _, p in b.names for t in p.titles}:
            return None
        names = [{fold(p.surface) for _, p in n.names if len(p.tokens) == 1} for n in (a, b)]
        if not any(
            min(len(x), len(y)) >= 5 and loosely_equal(x, y, TITLED_NAME)
            for x in names[0]
            for y in names[1]
        ):
            return None
        context = self._context(a, b, 1)
        if context is None:
            return None
        return 4, TITLED_NAME, f"one name romanised otherwise {a.display}~{b.display}, {context}"

    def _bearers(self, bare: _Node) -> set[str]:
        """The first names of those named in full with a bare surname who could be its
        person. Who could not: one its own article keeps apart from it, one whose role or
        gender another says is not the bare name's ('Coach Wierzbicki' is not the striker
        Marek Wierzbicki), and, when some bear the surname as written, those who write it
        otherwise (Veltman, not Ruth Veltmann). Each first name stops at its first fit, so a
        widely reported name costs little."""
        spelt = {fold(parsed.surname) for _, parsed in bare.names if parsed.surname}

        def fits(node_id: NodeId) -> bool:
            node = self._nodes[node_id]
            return (
                node_id[0] != bare.id[0]
                and initials_fit(bare, node)
                and not roles_conflict(bare, node)
                and not (bare.gender and node.gender and bare.gender != node.gender)
            )

        def as_written(node_id: NodeId) -> bool:
            return any(fold(full.surname) in spelt for full in self._nodes[node_id].fulls)

        bearers: set[str] = set()
        exact: set[str] = set()
        for key in bare.surname_keys:
            for first, nodes in self._full_surnames.get(key, {}).items():
                if any(as_written(n) and fits(n) for n in nodes):
                    exact.add(first)
                    bearers.add(first)
                elif any(fits(n) for n in nodes):
                    bearers.add(first)
        return exact or bearers

    def _garbled_given(self, a: _Node, b: _Node, shared: set[str]) -> tuple[int, float, str] | None:
        """Abdelkader Benali / Abdelkadir Benali: one garbled given name, the same surname, and
        context. An article naming both spellings (Andrea and Andreas Kolb) has put them in two
        clusters by tier 0 already, which the same-article guard keeps apart."""
        if not shared and not any(
            vowel_variant(x, y) for x in a.surname_keys for y in b.surname_keys
        ):
            return None  # one garbling at most, or vowels only (Nabil Khatib/Nabeel Khateeb)
        if shared and vowels_only(a.givens, b.givens):
            # Tariq/Tarek el-Masri: how Arabic names are written, a transliteration (tier 1)
            context = self._context(a, b, 1)
            if context is None:
                return None
            return 1, 99.0, f"transliteration {pair_names(a, b)}, {context}"
        if shared and any(
            short_given(x, y) or hypocoristic(x, y) for x in a.givens for y in b.givens
        ):
            # Funmi/Funmilayo Adeyemi, Bill/William Quarrender: a name people go by, no garbling;
            # not with a surname spelt otherwise too (Mike Coffman / Michael Kofman: two people)
            if not {fold(p.surname) for p in a.fulls} & {fold(p.surname) for p in b.fulls}:
                return None
            context = self._context(a, b, 1)
            if context is None:
                return None
            return 1, 98.0, f"short given name {pair_names(a, b)}, {context}"
        context = self._context(a, b, MIN_SHARED_NAMES)
        if context is None:
            return None
        return 2, FUZZY_GIVEN, f"garbled given name {pair_names(a, b)}, {context}"

    def _context(
        self, a: _Node, b: _Node, min_shared: int = MIN_SHARED_NAMES, person: str = ""
    ) -> str | None:
        """Why two local entities (or their peers, see ``__init__``) are about the same
        story, or None. With ``person`` 'named', one person named in both articles, in full
        in one at least, is enough (a short organisation name: 'Port Authority' where Gideon
        Strang also speaks), as is one organisation both name as written (not one only the
        clusters link); with 'full', one person named in full in both, however each spells
        the name (an acronym: 'QPA' where Khalid al-Rashidi, Khaled Al Rashidi, chairs it;
        not where a bare 'Strang' is the only link)."""
        pairs = product(self._peers.get(a.id, [a]), self._peers.get(b.id, [b]))
        for x, y in islice(pairs, PEER_PAIRS):
            found = self._pair_context(x, y, min_shared, person)
            if found is not None:
                return found
        # a person named in full (or by initials) in both, or two organisations or places;
        # not a bare surname
        named = all(n.fulls or n.given_initials for n in (a, b))
        if not self.linked[0] and not self._support and (named or not a.person):
            self._pending.setdefault(_article_pair(a.id, b.id), set()).add(
                (a.id, b.id) if a.id[0] < b.id[0] else (b.id, a.id)
            )
        return None

    def _spelt_otherwise(self, a: _Node, b: _Node) -> list[str]:
        """Names two articles share in other spellings, each of which only lacked context
        itself (a spun copy spells every name otherwise: 'J. R. Addleton' and 'RHA' where the
        other article has Julian Addleton and the Road Haulage Association): the first pass's
        pairs between the two articles that the clusters did not join, one per name."""
        cluster_of = self.linked[1]
        left: set[NodeId] = set()
        right: set[NodeId] = set()
        for x, y in self._support.get(_article_pair(a.id, b.id), set()):
            if {x, y} & {a.id, b.id} or cluster_of.get(x, x) == cluster_of.get(y, y):
                continue
            left.add(x)
            right.add(y)
        return sorted(self._nodes[n].display for n in left)[: min(len(left), len(right))]

    def _pair_context(self, a: _Node, b: _Node, min_shared: int, person: str = "") -> str | None:
        if a.story is not None and a.story == b.story:
            return f"same story '{a.story}'"
        heads_a, heads_b = a.role_stems, b.role_stems
        common = sorted(set(heads_a) & set(heads_b))
        if common:
            role_a, role_b = heads_a[common[0]], heads_b[common[0]]
            same = role_a if fold(role_a) == fold(role_b) else f"{role_a}~{role_b}"
            return f"same role '{same}'"
        # Looked at from both articles, so the answer does not depend on the pair's order: a
        # bare 'Nour' matches two full Nours but is one name; 'Ms Venkat' is the person Priya
        # Venkat named in full in the other article.
        anchors = self._articles[a.id[0]].anchors, self._articles[b.id[0]].anchors
        left, right = set(anchors[0]) - a.anchors, set(anchors[1]) - b.anchors
        seen = [_shared_anchors(left, right), _shared_anchors(right, left)]
        names = [sorted({anchors[i][key] for key in seen[i]}) for i in (0, 1)]
        by_article, cluster_of, in_full = self.linked
        own = {cluster_of.get(a.id), cluster_of.get(b.id)}
        roots = by_article.get(a.id[0], set()) & by_article.get(b.id[0], set()) - own
        names.append(sorted({self._nodes[root].display for root in roots}))
        count = max(min(len(names[0]), len(names[1])), len(names[2]))
        if count >= min_shared:
            shown = names[2] if len(names[2]) == count else min(names[:2], key=len)
            return f"articles share {count} other name(s) ({', '.join(shown[:3])})"
        spelt = self._spelt_otherwise(a, b) if self._support else []
        if spelt and count + len(spelt) >= min_shared:
            return (
                f"articles share {count + len(spelt)} other name(s), "
                f"{len(spelt)} spelt otherwise ({', '.join(spelt[:3])})"
            )
        people = sorted(
            anchors[i][key]
            for i in (0, 1)
            for key in seen[i]
            if key[0] not in ("", "a", "p", "o")
            and (person != "full" or key in (right, left)[i])  # in full on both sides
        ) or sorted(  # however each spells the name: Khalid al-Rashidi / Khaled Al Rashidi
            self._nodes[root].display
            for root in roots
            if {a.id[0], b.id[0]} <= in_full.get(root, set())
        )
        if person and people:
            return f"articles share the person {people[0]}"
        # an organisation both name as written (a place is shared by many stories)
        named = sorted(anchors[i][key] for i in (0, 1) for key in seen[i] if key[0] == "o")
        if person == "named" and named:
            return f"articles share the organisation {named[0]}"
        return None


def _article_pair(a: NodeId, b: NodeId) -> tuple[str, str]:
    return (a[0], b[0]) if a[0] < b[0] else (b[0], a[0])


def _label_only(node: _Node) -> bool:
    """A one-word name whose article says nothing of its kind: no title, role, gender, full
    name it belongs to, nor a phrase of its kind (see ``kinds``); only the tagger's label."""
    return (
        not node.fulls
        and not node.evidence
        and not any(
            len(n.tokens) > 1 or n.titles or n.roles or n.gender or n.settled for _, n in node.names
        )
    )


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


def _shown(a: _Node, b: _Node, keys: set[str]) -> str:
    key = min(keys)
    for _, parsed in a.names + b.names:
        if parsed.key == key:
            return parsed.surface
    return key
