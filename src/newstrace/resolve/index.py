"""Cross-article entity resolution: one entry per person, organisation or place.

Two steps. Within one article, mentions are grouped into *local entities*: full names by
their transliteration key, a bare surname ("Hrebenko", "Mr Hale") attached to the one full
name in the same article that carries it. Across articles, local entities are linked by
tiered rules, each with its evidence, and clustered under cannot-link guards:

tier 0  the same name (accents, case, possessive, titles aside), or a known place variant
tier 1  a transliteration variant (Aleksandr Hrebenko / Alexander Grebenko) + context
tier 2  a garbled surname (Holmgaard / Holmgard) with the same first name + context
tier 3  a bare surname to the one full name that carries it + context
tier 4  two bare surnames + context

Context is the same story key, a shared role ("finance minister"), or two articles that
share at least two other names. Guards: two local entities of one article stay apart (the
article already told them apart); people whose first names disagree never merge (Celia
Brandt / Owen Brandt, Erik Sandvold / Erik Lindahl); nor do 'Mr' and 'Ms'.

Incremental: a new article re-clusters only the block-connected part of the index it
touches, from scratch and in a canonical order, so the result does not depend on the order
articles arrive in, and a batch run is the incremental run over all articles.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from newstrace.model import Entity, Mention, Quote
from newstrace.resolve.names import (
    ParsedName,
    first_name_key,
    fold,
    parse_mention,
    role_key,
    role_words,
    rules,
    title_role_words,
)

NodeId = tuple[str, int]  # (article id, ordinal of the local entity in that article)

FUZZY_SURNAME = 80.0  # rapidfuzz ratio of surname transliteration keys (tuned on the dev half)
FUZZY_LOCAL = 85.0  # same, for a bare surname inside one article ("Chief Holmguard")
FUZZY_ORG = 92.0  # token_sort_ratio of organisation names ("Calloway Polymer")
MIN_SHARED_NAMES = 2  # other names two articles must share to count as one story
# Words that qualify a role without saying which one: sharing them is no evidence.
_GENERIC_ROLE_WORDS = frozenset({"former", "senior", "local", "regional", "acting", "new", "now"})
_KIND_ORDER = ("person", "organisation", "place", "group", "other")
_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z&]{1,7})\)")


@dataclass
class _Node:
    """A local entity: the mentions of one article that name the same thing."""

    id: NodeId
    names: list[tuple[Mention, ParsedName]]
    story: str | None
    evidence: list[str] = field(default_factory=list)
    ambiguous: bool = False  # a bare surname that two people in its article could own

    @functools.cached_property  # a node never changes once built
    def kind(self) -> str:
        return _vote(Counter(parsed.kind for _, parsed in self.names))

    @property
    def person(self) -> bool:
        return self.kind == "person"

    @functools.cached_property  # a node never changes once built
    def fulls(self) -> list[ParsedName]:
        return [parsed for _, parsed in self.names if parsed.is_full]

    @functools.cached_property  # a node never changes once built
    def display(self) -> str:
        fulls = self.fulls
        pool = fulls or [parsed for _, parsed in self.names]
        return max(
            pool, key=lambda p: (len(p.tokens), not p.surface.isupper(), len(p.surface))
        ).surface

    @functools.cached_property  # a node never changes once built
    def first_keys(self) -> set[str]:
        return {first_name_key(parsed.given) for parsed in self.fulls}

    @functools.cached_property  # a node never changes once built
    def surname_keys(self) -> set[str]:
        return {parsed.surname_key for _, parsed in self.names if parsed.surname}

    @functools.cached_property  # a node never changes once built
    def keys(self) -> set[str]:
        return {parsed.key for _, parsed in self.names}

    @functools.cached_property  # a node never changes once built
    def full_keys(self) -> set[str]:
        return {parsed.key for parsed in self.fulls}

    @functools.cached_property  # a node never changes once built
    def name_keys(self) -> set[str]:
        return {parsed.name_key for _, parsed in self.names}

    @functools.cached_property  # a node never changes once built
    def gender(self) -> str:
        return next((parsed.gender for _, parsed in self.names if parsed.gender), "")

    @functools.cached_property  # a node never changes once built
    def role_stems(self) -> dict[str, str]:
        """Role keys (titles and role words) -> the role they came from, for evidence."""
        found: dict[str, str] = {}
        for _, parsed in self.names:
            for title in parsed.titles:
                for word in title_role_words(title):
                    found.setdefault(role_key(word), title)
        return found | self.phrase_stems

    @functools.cached_property  # a node never changes once built
    def phrase_stems(self) -> dict[str, str]:
        """Role keys of role phrases only: titles change over time (Col. -> Gen.), so only
        phrases can say that two people do different jobs."""
        found: dict[str, str] = {}
        for _, parsed in self.names:
            for role in parsed.roles:
                for word in role_words(role):
                    if word not in _GENERIC_ROLE_WORDS:
                        found.setdefault(role_key(word), role)
        return found

    @functools.cached_property  # a node never changes once built
    def anchor(self) -> str:
        """The key this local entity contributes to its article's 'same story' test."""
        if self.person and self.surname_keys:
            return min(self.surname_keys)
        return min(self.name_keys)

    def blocks(self) -> set[str]:
        """Blocking keys: only local entities sharing one are ever compared."""
        keys = {f"k:{key}" for key in self.keys}
        if self.person:
            keys |= {f"s:{key}" for key in self.surname_keys}
            for first in self.first_keys:
                keys |= {f"f:{first}:{key[:1]}" for key in self.surname_keys}
        else:
            keys |= {f"n:{key}" for key in self.name_keys}
            keys |= {f"o:{key.split()[0]}" for key in self.name_keys if key}
        return keys


@dataclass
class _Article:
    seq: int
    story: str | None
    anchors: dict[str, str]  # transliteration key -> name, for the "same story" test


class EntityIndex:
    """Entities over a growing set of articles; ``add_article`` is the incremental step."""

    def __init__(self) -> None:
        self._articles: dict[str, _Article] = {}
        self._by_article: dict[str, list[NodeId]] = {}
        self._nodes: dict[NodeId, _Node] = {}
        self._blocks: dict[str, set[NodeId]] = {}
        self._cluster: dict[NodeId, NodeId] = {}  # node -> its cluster's smallest node
        self._members: dict[NodeId, list[NodeId]] = {}
        self._merge_evidence: dict[NodeId, list[str]] = {}
        self._base_id: dict[NodeId, str] = {}  # cluster root -> id from kind and name
        self._id_users: dict[str, int] = {}  # how many clusters share that id
        # (first name key, surname key) -> articles naming someone so in full
        self._full_surnames: dict[tuple[str, str], set[str]] = {}

    def add_article(
        self, article_id: str, text: str, mentions: Iterable[Mention], story: str | None = None
    ) -> list[Entity]:
        """Add (or replace) one article; returns the entities that changed."""
        return self.add_articles([(article_id, text, mentions, story)])

    def add_articles(
        self, articles: Iterable[tuple[str, str, Iterable[Mention], str | None]]
    ) -> list[Entity]:
        """Add (or replace) many articles, then re-cluster what they reach once.

        Same result as adding them one by one (clustering is order-independent), without
        re-clustering a widely reported name's component after every article.
        """
        seed: set[NodeId] = set()
        for article_id, text, mentions, story in articles:
            seed |= self._insert(article_id, text, mentions, story)
        seed = {node_id for node_id in seed if node_id in self._nodes}
        touched = self._recluster(self._closure(seed))
        return [self._entity(root) for root in sorted(touched)]

    def _insert(
        self, article_id: str, text: str, mentions: Iterable[Mention], story: str | None
    ) -> set[NodeId]:
        """Index one article's local entities; returns the nodes to re-cluster."""
        seed: set[NodeId] = set()
        for node_id in self._by_article.pop(article_id, []):
            seed.update(self._members[self._cluster[node_id]])
            self._drop(node_id)
        nodes = _local_entities(article_id, text, list(mentions), story)
        previous = self._articles.get(article_id)
        self._articles[article_id] = _Article(
            previous.seq if previous else len(self._articles),
            story,
            {node.anchor: node.display for node in nodes},
        )
        self._by_article[article_id] = [node.id for node in nodes]
        for node in nodes:
            self._nodes[node.id] = node
            self._cluster[node.id] = node.id
            self._members[node.id] = [node.id]
            self._remember_name(node.id)
            for key in node.blocks():
                self._blocks.setdefault(key, set()).add(node.id)
            for full in node.fulls:
                pair = (first_name_key(full.given), full.surname_key)
                self._full_surnames.setdefault(pair, set()).add(article_id)
            seed.add(node.id)
        return seed

    def entities(self) -> list[Entity]:
        """Every entity, in a deterministic order (first article seen, then position)."""
        return [self._entity(root) for root in sorted(self._members, key=self._order)]

    def entity_at(self, article_id: str, start: int, end: int) -> str | None:
        """The entity id of the mention overlapping ``[start, end)`` in an article, if any."""
        for node_id in self._by_article.get(article_id, []):
            for mention, _ in self._nodes[node_id].names:
                if mention.start < end and start < mention.end:
                    return self._entity(self._cluster[node_id]).id
        return None

    def _order(self, node_id: NodeId) -> tuple[int, int]:
        node = self._nodes[node_id]
        return self._articles[node_id[0]].seq, node.names[0][0].start

    def _drop(self, node_id: NodeId) -> None:
        node = self._nodes.pop(node_id)
        for key in node.blocks():
            self._blocks[key].discard(node_id)
        for full in node.fulls:
            pair = (first_name_key(full.given), full.surname_key)
            self._full_surnames[pair].discard(node_id[0])
        root = self._cluster.pop(node_id)
        members = [m for m in self._members.pop(root) if m != node_id]
        self._forget_name(root)
        self._merge_evidence.pop(root, None)
        for member in members:  # the rest become singletons until re-clustered
            self._cluster[member] = member
            self._members[member] = [member]
            self._remember_name(member)

    def _closure(self, seed: set[NodeId]) -> set[NodeId]:
        """Everything a change can reach: nodes sharing a block, and their clusters."""
        component = set(seed)
        queue = list(seed)
        while queue:
            node_id = queue.pop()
            reach = set(self._members[self._cluster[node_id]])
            for key in self._nodes[node_id].blocks():
                reach |= self._blocks[key]
            for other in reach - component:
                component.add(other)
                queue.append(other)
        return component

    def _recluster(self, component: set[NodeId]) -> set[NodeId]:
        """Cluster a closed component from scratch; returns the roots of its clusters."""
        for node_id in component:
            root = self._cluster[node_id]
            if self._members.pop(root, None) is not None:
                self._forget_name(root)
            self._merge_evidence.pop(root, None)
        parent = {node_id: node_id for node_id in component}
        members = {node_id: [node_id] for node_id in component}
        evidence: dict[NodeId, list[str]] = {node_id: [] for node_id in component}
        for _tier, _score, left, right, reason in self._edges(component):
            a, b = _find(parent, left), _find(parent, right)
            if a == b or not self._compatible(members[a], members[b]):
                continue
            root, child = min(a, b), max(a, b)
            parent[child] = root
            members[root] = sorted(members[root] + members.pop(child))
            evidence[root] += [*evidence.pop(child), reason]
        for root, group in members.items():
            self._members[root] = group
            self._merge_evidence[root] = evidence[root]
            for member in group:
                self._cluster[member] = root
            self._remember_name(root)
        return set(members)

    def _remember_name(self, root: NodeId) -> None:
        base = self._entity(root, with_id=False).id
        self._base_id[root] = base
        self._id_users[base] = self._id_users.get(base, 0) + 1

    def _forget_name(self, root: NodeId) -> None:
        base = self._base_id.pop(root)
        self._id_users[base] -= 1

    def _compatible(self, left: list[NodeId], right: list[NodeId]) -> bool:
        """Cannot-link guards between two clusters under construction."""
        if {n[0] for n in left} & {n[0] for n in right}:
            return False  # one article already told them apart
        nodes_l = [self._nodes[n] for n in left]
        nodes_r = [self._nodes[n] for n in right]
        firsts_l = set().union(*(node.first_keys for node in nodes_l))
        firsts_r = set().union(*(node.first_keys for node in nodes_r))
        if firsts_l and firsts_r and not firsts_l & firsts_r:
            return False  # Celia Brandt is not Owen Brandt
        genders = {node.gender for node in nodes_l + nodes_r} - {""}
        return len(genders) < 2

    def _edges(self, component: set[NodeId]) -> list[tuple[int, float, NodeId, NodeId, str]]:
        """Candidate merges inside a component, strongest first, in a canonical order."""
        # Nodes that spell one full name alike would merge at tier 0 whatever their context:
        # tie each to its group's first node and judge pairs only between group heads, so a
        # name reported in thousands of articles costs linear, not quadratic, work.
        edges: list[tuple[int, float, NodeId, NodeId, str]] = []
        head: dict[NodeId, NodeId] = {}
        groups: dict[tuple[str, str], list[NodeId]] = {}
        for node_id in sorted(component):
            node = self._nodes[node_id]
            if node.fulls and not node.ambiguous:
                groups.setdefault((node.kind, fold(node.display)), []).append(node_id)
        for (_kind, name), members in groups.items():
            for member in members:
                head[member] = members[0]
            edges.extend((0, -1.0, members[0], m, f"same full name '{name}'") for m in members[1:])
        pairs: set[tuple[NodeId, NodeId]] = set()
        for node_id in component:
            if head.get(node_id, node_id) != node_id:
                continue
            for key in self._nodes[node_id].blocks():
                for other in self._blocks[key]:
                    if other[0] != node_id[0] and head.get(other, other) == other:
                        pairs.add((min(node_id, other), max(node_id, other)))
        bare: dict[NodeId, list[tuple[int, float, NodeId, NodeId, str]]] = {}
        for left, right in sorted(pairs):
            judged = self._judge(self._nodes[left], self._nodes[right])
            if judged is None:
                continue
            tier, score, reason = judged
            edge = (tier, -score, left, right, reason)
            if tier == 3:
                owner = left if not self._nodes[left].fulls else right
                bare.setdefault(owner, []).append(edge)
            else:
                edges.append(edge)
        for owner, candidates in bare.items():
            roles = set(self._nodes[owner].role_stems)
            fitting = [
                c
                for c in candidates
                if roles & set(self._nodes[c[2] if c[3] == owner else c[3]].role_stems)
            ]
            if fitting:  # "President Ozols": the Ozols who is president
                candidates = fitting
            others = [c[2] if c[3] == owner else c[3] for c in candidates]
            firsts = [self._nodes[other].first_keys for other in others]
            if all(f & firsts[0] for f in firsts):  # one person carries that surname
                edges.extend(candidates)
        edges.sort(key=lambda e: (e[0], e[1], e[2], e[3]))
        return [(tier, -neg, left, right, reason) for tier, neg, left, right, reason in edges]

    def _judge(self, a: _Node, b: _Node) -> tuple[int, float, str] | None:
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
        strong = bool(a.name_keys & b.name_keys)
        context = self._context(a, b, 1 if strong else MIN_SHARED_NAMES)
        if context is None:
            return None
        if strong:
            return 1, 100.0, f"transliteration {a.display}~{b.display}, {context}"
        if a.kind == "organisation":
            for x in a.name_keys:
                for y in b.name_keys:
                    short, full = sorted((x.split(), y.split()), key=len)
                    if len(short) >= 2 and full[: len(short)] == short:
                        return 2, 95.0, f"short form {a.display}~{b.display}, {context}"
            best = max(fuzz.token_sort_ratio(x, y) for x in a.name_keys for y in b.name_keys)
            if best >= FUZZY_ORG and min(len(a.display), len(b.display)) >= 8:
                return 2, best, f"near-identical name {a.display}~{b.display}, {context}"
        return None

    def _judge_person(self, a: _Node, b: _Node) -> tuple[int, float, str] | None:
        firsts = a.first_keys & b.first_keys
        if a.fulls and b.fulls and not firsts:
            return None
        if a.gender and b.gender and a.gender != b.gender:
            return None
        strong = bool(a.fulls and b.fulls and a.surname_keys & b.surname_keys)
        context = self._context(a, b, 1 if strong else MIN_SHARED_NAMES)
        if context is None:
            return None
        if a.fulls and b.fulls:
            if _roles_conflict(a, b):
                return None  # a safety officer and a union organiser: two people
            if a.surname_keys & b.surname_keys:
                return 1, 100.0, f"transliteration {_pairs(a, b)}, {context}"
            best, x, y = max(
                (fuzz.ratio(x, y), x, y) for x in a.surname_keys for y in b.surname_keys
            )
            for first in firsts:
                seen_x = self._full_surnames.get((first, x), set())
                if seen_x & self._full_surnames.get((first, y), set()):
                    return None  # one article names both: two people (Anna Berg, Anna Berger)
            if best >= FUZZY_SURNAME and min(len(x), len(y)) >= 4:
                return 2, best, f"garbled surname {_pairs(a, b)} ({best:.0f}), {context}"
            return None
        if a.surname_keys & b.surname_keys:
            tier = 3 if a.fulls or b.fulls else 4
            full, bare = (a, b) if a.fulls else (b, a)
            return tier, 100.0, (f"surname '{bare.display}' matches '{full.display}', {context}")
        return None

    def _context(self, a: _Node, b: _Node, min_shared: int = MIN_SHARED_NAMES) -> str | None:
        """Why two local entities are about the same story, or None."""
        if a.story is not None and a.story == b.story:
            return f"same story '{a.story}'"
        heads_a, heads_b = a.role_stems, b.role_stems
        common = sorted(set(heads_a) & set(heads_b))
        if common:
            role_a, role_b = heads_a[common[0]], heads_b[common[0]]
            same = role_a if fold(role_a) == fold(role_b) else f"{role_a}~{role_b}"
            return f"same role '{same}'"
        anchors = self._articles[a.id[0]].anchors
        shared = set(anchors) & set(self._articles[b.id[0]].anchors) - {a.anchor, b.anchor}
        if len(shared) >= min_shared:
            names = ", ".join(sorted(anchors[key] for key in shared)[:3])
            return f"articles share {len(shared)} other name(s) ({names})"
        return None

    def _entity(self, root: NodeId, with_id: bool = True) -> Entity:
        members = sorted(self._members[root], key=self._order)
        nodes = [self._nodes[m] for m in members]
        names = [(mention, parsed) for node in nodes for mention, parsed in node.names]
        kind = _vote(Counter(parsed.kind for _, parsed in names))
        name = _canonical(names, kind)
        roles: dict[str, set[str]] = {}  # first-seen order; one spelling per role, chosen
        for _, parsed in names:  # alphabetically so it does not depend on arrival order
            for role in [*parsed.titles, *parsed.roles]:
                roles.setdefault(fold(role), set()).add(role)
        articles = list(dict.fromkeys(node.id[0] for node in nodes))
        evidence = [e for node in nodes for e in node.evidence]
        evidence += self._merge_evidence.get(root, [])
        identity = entity_id(kind, name)
        if with_id and self._id_users.get(identity, 0) > 1:
            # Two entities kept apart by a guard share kind and name: tell them apart by
            # their first local entity, which does not depend on arrival order.
            identity = entity_id(kind, f"{name}\x1f{root[0]}\x1f{root[1]}")
        return Entity(
            id=identity,
            name=name,
            kind=kind,
            aliases=sorted({_alias(mention.text) for mention, _ in names}),
            roles=[min(forms) for forms in roles.values()],
            articles=articles,
            mentions=sorted((m.article, m.start, m.end) for m, _ in names),
            evidence=list(dict.fromkeys(evidence)),
        )


def resolve_entities(
    articles: Iterable[tuple[str, str, list[Mention]]],
    stories: dict[str, str | None] | None = None,
) -> list[Entity]:
    """Entities for a batch of (article id, cleaned text, mentions); same input, same ids."""
    index = EntityIndex()
    index.add_articles(
        (article_id, text, mentions, (stories or {}).get(article_id))
        for article_id, text, mentions in articles
    )
    return index.entities()


def attach_quotes(entities: list[Entity], quotes: Iterable[Quote]) -> list[Entity]:
    """Count each entity's quotes: by the speaker mention's span, else by the speaker's name
    among the entities present in the quote's article (only when exactly one fits)."""
    by_span: dict[str, list[tuple[int, int, Entity]]] = {}
    by_name: dict[tuple[str, str], set[str]] = {}
    lookup = {entity.id: entity for entity in entities}
    for entity in entities:
        entity.quotes = 0
        for article, start, end in entity.mentions:
            by_span.setdefault(article, []).append((start, end, entity))
        for alias in [entity.name, *entity.aliases]:
            for article in entity.articles:
                by_name.setdefault((article, fold(alias)), set()).add(entity.id)
    for quote in quotes:
        found: Entity | None = None
        if quote.speaker_start is not None and quote.speaker_end is not None:
            for start, end, entity in by_span.get(quote.article, []):
                if start < quote.speaker_end and quote.speaker_start < end:
                    found = entity
                    break
        if found is None and quote.speaker:
            ids = by_name.get((quote.article, fold(_alias(quote.speaker))), set())
            if len(ids) == 1:
                found = lookup[next(iter(ids))]
        if found is not None:
            found.quotes += 1
    return entities


def entity_id(kind: str, name: str) -> str:
    """Stable id: the same kind and canonical name always hash to the same id."""
    digest = hashlib.sha1(f"{kind}\x1f{fold(name)}".encode()).hexdigest()
    return f"e{digest[:12]}"


def _local_entities(
    article_id: str, text: str, mentions: list[Mention], story: str | None
) -> list[_Node]:
    """Group one article's mentions into local entities (see the module docstring)."""
    parsed: list[tuple[Mention, ParsedName]] = []
    for mention in sorted(mentions, key=lambda m: (m.start, m.end)):
        if mention.article != article_id:
            raise ValueError(f"mention of {mention.article!r} given with article {article_id!r}")
        name = parse_mention(text, mention.start, mention.end, mention.label)
        if name is not None:
            parsed.append((mention, name))
    person_keys = {name.key for _, name in parsed if name.is_full}
    for _, name in parsed:
        if name.kind != "person" and name.key in person_keys:
            name.kind = "person"  # the article names this person elsewhere
    groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]] = {}
    for mention, name in parsed:
        if name.is_full:
            key: tuple[str, ...] = ("p", first_name_key(name.given), name.surname_key)
            groups.setdefault(key, []).append((mention, name))
    fulls = list(groups.items())
    evidence: dict[tuple[str, ...], list[str]] = {}
    ambiguous: set[tuple[str, ...]] = set()
    surname_like = {n.surname_key for _, n in parsed if n.is_full}
    for mention, name in parsed:
        if name.is_full:
            continue
        bare = len(name.tokens) == 1 and name.kind in ("person", "organisation")
        if bare and (name.kind == "person" or _surname_key(name) in surname_like):
            owner, reason, unsure = _owner(mention, name, fulls)
            if owner is not None:
                name.kind = "person"
                groups[owner].append((mention, name))
                evidence.setdefault(owner, []).append(reason)
                continue
            if unsure:
                name.kind = "person"
                ambiguous.add(("a", name.surname_key))
                groups.setdefault(("a", name.surname_key), []).append((mention, name))
                continue
        groups.setdefault(("n", name.key), []).append((mention, name))
    _attach_org_short_forms(text, groups, evidence)
    ordered = sorted(groups.items(), key=lambda item: min(m.start for m, _ in item[1]))
    nodes: list[_Node] = []
    for ordinal, (key, members) in enumerate(ordered):
        members.sort(key=lambda pair: pair[0].start)
        node = _Node((article_id, ordinal), members, story, [], key in ambiguous)
        node.evidence = list(dict.fromkeys(evidence.get(key, [])))
        nodes.append(node)
    return nodes


def _surname_key(name: ParsedName) -> str:
    """A single word's surname key whatever the tagger called it ('Holmgaard' as ORG)."""
    return name.surname_key or name.name_key


def _owner(
    mention: Mention,
    name: ParsedName,
    fulls: list[tuple[tuple[str, ...], list[tuple[Mention, ParsedName]]]],
) -> tuple[tuple[str, ...] | None, str, bool]:
    """The full name in this article that a bare surname refers to.

    Returns (the group's key, evidence, ambiguous). Several people sharing the surname are
    told apart by a shared title ("Dr Brandt" -> "Dr Owen Brandt"), then by gender ("Ms" against a
    spokesman), then by the nearest full name before the mention (how news introduces
    people); if none comes before, the mention is left ambiguous.
    """
    key = _surname_key(name)
    candidates: list[tuple[tuple[str, ...], list[tuple[Mention, ParsedName]], float]] = []
    for group_key, group in fulls:
        best = max(
            100.0 if n.surname_key == key else fuzz.ratio(n.surname_key, key) for _, n in group
        )
        if best == 100.0 or (best >= FUZZY_LOCAL and len(key) >= 5):
            candidates.append((group_key, group, best))
    if not candidates:
        return None, "", False
    exact = [c for c in candidates if c[2] == 100.0]
    pool = exact or candidates
    if name.titles or name.roles:  # "Chief Lopez" is not "Rancher Mario Lopez"
        mine = {role_key(w) for r in [*name.titles, *name.roles] for w in role_words(r)}
        pool = [c for c in pool if not _group_roles(c[1]) or mine & _group_roles(c[1])]
        if not pool:
            return None, "", False
    how = "the only one"
    if len(pool) > 1 and name.titles:
        titled = [c for c in pool if any(set(name.titles) & set(n.titles) for _, n in c[1])]
        if titled and len(titled) < len(pool):
            pool, how = titled, f"of several, the one titled '{name.titles[0]}'"
    if len(pool) > 1 and name.gender:
        matching = [c for c in pool if _gender(c[1]) == name.gender] or [
            c for c in pool if _gender(c[1]) in ("", name.gender)
        ]
        if matching and len(matching) < len(pool):
            pool, how = matching, "of several, the one whose gender fits"
    if len(pool) > 1:
        before = [c for c in pool if c[1][0][0].start < mention.start]
        if not before:
            return None, "", True
        pool = [max(before, key=lambda c: max(m.start for m, _ in c[1] if m.start < mention.start))]
        how = "of several, the nearest before it"
    group_key, group, score = pool[0]
    full = max((n for _, n in group), key=lambda n: len(n.surface)).surface
    match = "matches" if score == 100.0 else f"resembles ({score:.0f})"
    reason = f"surname '{mention.text}' {match} full name '{full}' in the same article ({how})"
    return group_key, reason, False


def _group_roles(group: list[tuple[Mention, ParsedName]]) -> set[str]:
    return {
        role_key(word)
        for _, n in group
        for role in [*n.titles, *n.roles]
        for word in role_words(role)
        if word not in _GENERIC_ROLE_WORDS
    }


def _gender(group: list[tuple[Mention, ParsedName]]) -> str:
    return next((n.gender for _, n in group if n.gender), "")


def _attach_org_short_forms(
    text: str,
    groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]],
    evidence: dict[tuple[str, ...], list[str]],
) -> None:
    """'Calloway' -> 'Calloway Polymers', 'MAB' -> 'Marine Accident Board (MAB)' within one
    article, when exactly one longer organisation name fits."""
    orgs = {k: v for k, v in groups.items() if k[0] == "n" and _kind(v) == "organisation"}
    acronyms: dict[str, tuple[str, ...]] = {}
    for key, members in orgs.items():
        for mention, _ in members:
            found = _ACRONYM.match(text, mention.end)
            if found:
                acronyms[fold(found.group(1))] = key
    for key, members in list(orgs.items()):
        tokens = key[1].split()
        longer = [
            other
            for other in orgs
            if other != key
            and other[1].split()[: len(tokens)] == tokens
            and len(other[1].split()) > len(tokens)
        ]
        short = members[0][1].surface
        target = acronyms.get(key[1]) if len(tokens) == 1 else None
        if target is None and len(longer) == 1 and not short.isupper():
            target = longer[0]
        if target is None or target == key:
            continue
        full = groups[target][0][1].surface
        groups[target].extend(groups.pop(key))
        evidence.setdefault(target, []).append(
            f"'{short}' is the short form of '{full}' in the same article"
        )


def _kind(members: list[tuple[Mention, ParsedName]]) -> str:
    return _vote(Counter(parsed.kind for _, parsed in members))


def _vote(kinds: Counter[str]) -> str:
    return max(_KIND_ORDER, key=lambda kind: (kinds[kind], -_KIND_ORDER.index(kind)))


def _canonical(names: list[tuple[Mention, ParsedName]], kind: str) -> str:
    """The longest full form, then the most frequent; ties go alphabetically, not by
    arrival, so the name (and the id made from it) does not depend on article order."""
    pool = [p for _, p in names if p.kind == kind] or [p for _, p in names]
    counts = Counter(p.surface for p in pool)
    return min(
        counts,
        key=lambda s: (
            -len(s.split()) if kind == "person" else 0,
            s.isupper(),
            -counts[s],
            -len(s),
            s,
        ),
    )


def _alias(text: str) -> str:
    return " ".join(re.sub(r"(?:’s|'s|ʼs)$", "", text.strip()).split())


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


def _find(parent: dict[NodeId, NodeId], node: NodeId) -> NodeId:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node
