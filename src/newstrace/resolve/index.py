"""Cross-article entity resolution: one entry per person, organisation or place.

Two steps. Within one article, mentions are grouped into *local entities*: full names by
their transliteration key, a bare surname ("Hrebenko", "Mr Hale") attached to the one full
name in the same article that carries it. Across articles, local entities are linked by
tiered rules, each with its evidence, and clustered under cannot-link guards:

tier 0  the same name (accents, case, possessive, titles aside), or a known place variant
tier 1  a transliteration variant (Aleksandr Hrebenko / Alexander Grebenko, Park Ji-hoon /
        Ji-hoon Park, al-Qasimi / Qasimi, Tariq / Tarek el-Masri, Pidhirne / Podgornoye),
        or an acronym another article defines ('CWA' for 'Corvale Water Authority (CWA)'),
        or one word tagged as two kinds where one article says nothing of its kind + context
tier 2  a garbled surname (Holmgaard / Holmgard, Tate / Tait) with the same first name, or
        a garbled given name (Andrzej / Andrej) with the same or a vowel-variant surname
        (Nabil Khatib / Nabeel Khateeb) + context
tier 3  a bare surname to the one full name that carries it (a second surname only when
        no one bears it first), an organisation's initials ('GPC') or short form ('Water
        Authority', 'Haeon') to the one organisation it fits + context
tier 4  two bare surnames + context

Context is the same story key, a shared role ("finance minister"), or two articles that
share at least two other names (for initials and leading words, one person named in full in
both is enough); a full name spelt alike in several articles has the context of any of them.
Pairs that lack it are judged again once the first clustering is known, counting the
entities two articles share however each spells them (NRR / Norland Rail Regulator).
Guards: two local entities of one article stay apart (the article already told them apart);
people whose first names disagree (not one name, nor one garbling apart) never merge (Celia
Brandt / Owen Brandt, Erik Sandvold / Erik Lindahl); nor do 'Mr' and 'Ms'; nor a person named
in full and a one-word place or organisation (Ruth Drevna / Drevna).

Incremental: a new article re-clusters only the block-connected part of the index it
touches, from scratch and in a canonical order, so the result does not depend on the order
articles arrive in, and a batch run is the incremental run over all articles.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from newstrace.model import Entity, Mention
from newstrace.resolve.cluster import (
    Guard,
    cluster_genders,
    shared_entities,
    single_link,
    story_subject,
)
from newstrace.resolve.judge import PairJudge
from newstrace.resolve.keys import first_name_key, fold, givens_agree
from newstrace.resolve.kinds import majority_kind
from newstrace.resolve.local import _local_entities
from newstrace.resolve.node import NodeId, _alias, _Article, _canonical, _Node, short_side
from newstrace.resolve.orgs import nested_names


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
        # surname key -> first name key -> local entities naming someone so in full
        self._full_surnames: dict[str, dict[str, set[NodeId]]] = {}
        self._peers: dict[NodeId, list[_Node]] = {}  # see PairJudge; rebuilt per component
        self._gender_of: dict[NodeId, str] = {}  # node -> its first-pass cluster's gender
        self._rank: dict[NodeId, int] = {}  # node -> its place in the component's order
        self._judge = PairJudge(self._articles, self._full_surnames, self._peers, self._nodes)

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
            {anchor: node.display for node in nodes for anchor in node.anchors},
        )
        self._by_article[article_id] = [node.id for node in nodes]
        for node in nodes:
            self._nodes[node.id] = node
            self._cluster[node.id] = node.id
            self._members[node.id] = [node.id]
            self._remember_name(node.id)
            for key in node.blocks:
                self._blocks.setdefault(key, set()).add(node.id)
            for full in node.fulls:  # by surname and by a given name one is called by
                for key in full.bare_keys:
                    firsts = self._full_surnames.setdefault(key, {})
                    firsts.setdefault(first_name_key(full.given), set()).add(node.id)
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
        for key in node.blocks:
            self._blocks[key].discard(node_id)
        for full in node.fulls:
            for key in full.bare_keys:
                self._full_surnames[key][first_name_key(full.given)].discard(node_id)
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
            for key in self._nodes[node_id].blocks:
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
        judged: dict[tuple[NodeId, NodeId], tuple[int, float, str] | None] = {}
        same_name, pairs = self._candidates(component)
        guards = {node_id: self._guard(node_id) for node_id in component}
        members, evidence = single_link(guards, self._edges(same_name, pairs, judged))
        # Two articles that name the same people and organisations, however spelt, are about
        # one story: pairs that lacked context are judged again knowing the first clusters
        # ('Ms Venkat' where NRR and Track Agency are the other article's Norland Rail
        # Regulator and Norland Track Agency).
        shared = shared_entities(members, self._nodes)
        if self._judge.start_second_pass(shared):
            self._gender_of = cluster_genders(members, self._nodes)
            members, evidence = single_link(guards, self._edges(same_name, pairs, judged))
            self._gender_of = {}
        self._judge.end_passes()
        members = self._settle_choices(members, evidence)
        for group in members.values():
            group.sort()
        for root, group in members.items():
            self._members[root] = group
            self._merge_evidence[root] = evidence[root]
            for member in group:
                self._cluster[member] = root
            self._remember_name(root)
        return set(members)

    def _settle_choices(
        self, members: dict[NodeId, list[NodeId]], evidence: dict[NodeId, list[str]]
    ) -> dict[NodeId, list[NodeId]]:
        """Each bare surname that only nearness gave a namesake (``_Node.choices``) joins the
        namesake other articles name most (the story's subject: 'Mill owner Dami Ostrander
        ... Robert Ostrander, a carpenter, said ... Ostrander said forty jobs would go',
        where the other articles speak of Dami), else the nearest, as its article alone
        says. Mentions, not bare surnames: those may have gone to a namesake by the same
        nearness ('Laci Peterson's husband ... Peterson')."""
        cluster_of = {member: root for root, group in members.items() for member in group}
        for node_id in sorted(cluster_of):
            node = self._nodes[node_id]
            choices = [c for c in node.choices if c in cluster_of]
            if not choices or len(members.get(node_id, [])) != 1:
                continue
            counts = {  # by cluster: two choices may be one person ('Fred'/'Frederick')
                cluster_of[choice]: sum(
                    len(self._nodes[member].names)
                    for member in members[cluster_of[choice]]
                    if member[0] != node_id[0]
                )
                for choice in choices
            }
            best = max(counts.values())
            top = [root for root, count in counts.items() if count == best]
            pick = choices[0]
            if len(top) == 1 and cluster_of[pick] != top[0]:
                pick = next(choice for choice in choices if cluster_of[choice] == top[0])
            if pick != choices[0]:
                full = self._nodes[pick].display
                node.evidence = [
                    f"surname '{node.display}' matches full name '{full}' in the same article "
                    f"(of several, the one other articles name most, {best} times)"
                ]
            root = cluster_of[pick]
            group = members.pop(root) + members.pop(node_id)
            new_root = min(group)
            members[new_root] = group
            evidence[new_root] = evidence.pop(root) + evidence.pop(node_id)
            for member in group:
                cluster_of[member] = new_root
        return members

    def _remember_name(self, root: NodeId) -> None:
        nodes = [self._nodes[m] for m in self._members[root]]
        names = [(mention, parsed) for node in nodes for mention, parsed in node.names]
        kind = majority_kind(names)
        base = entity_id(kind, _canonical(names, kind))  # as ``_entity`` names it
        self._base_id[root] = base
        self._id_users[base] = self._id_users.get(base, 0) + 1

    def _forget_name(self, root: NodeId) -> None:
        base = self._base_id.pop(root)
        self._id_users[base] -= 1

    def _guard(self, node_id: NodeId) -> Guard:
        """A singleton cluster's articles, first-name keys, genders and whether it is a
        person named in full and said to be one (a title, role or gender: 'p') or a one-word
        place or organisation ('n'), and its middle names' initials ('i:hw'). A bare acronym
        claims no article: 'CWA boss ... Corvale Water said' does not tell two apart."""
        node = self._nodes[node_id]
        articles = set() if node.acronym else {node_id[0]}
        one_word = all(len(parsed.tokens) == 1 for _, parsed in node.names)
        said = any(parsed.titles or parsed.roles for _, parsed in node.names) or node.gender
        shape = {"p"} if node.person and node.fulls and said else set()  # not a tag's slip
        if one_word and not node.person:
            shape = {"n"}
        shape |= {f"i:{m if len(m) < 4 else m[0]}" for m in node.middles}  # George W. / H.W.
        return articles, set(node.givens), {node.gender} - {""}, shape

    def _candidates(
        self, component: set[NodeId]
    ) -> tuple[list[tuple[int, float, NodeId, NodeId, str]], list[tuple[NodeId, NodeId]]]:
        """The tier-0 edges of full names spelt alike, and the pairs left to judge."""
        # Nodes that spell one full name alike would merge at tier 0 whatever their context:
        # tie each to its group's first node and judge pairs only between group heads, so a
        # name reported in thousands of articles costs linear, not quadratic, work.
        edges: list[tuple[int, float, NodeId, NodeId, str]] = []
        head: dict[NodeId, NodeId] = {}
        groups: dict[tuple[str, str], list[NodeId]] = {}
        order = sorted(component)
        for node_id in order:
            node = self._nodes[node_id]
            if node.fulls and not node.ambiguous:
                groups.setdefault((node.kind, fold(node.display)), []).append(node_id)
        self._peers.clear()
        for (_group_kind, name), members in groups.items():
            for member in members:
                head[member] = members[0]
            self._peers[members[0]] = [self._nodes[m] for m in members]
            edges.extend((0, -1.0, members[0], m, f"same full name '{name}'") for m in members[1:])
        # Pairs as numbers (rank of the smaller node x size + rank of the other): a million
        # pairs sort as integers, in the order the node tuples would (the closure holds every
        # node sharing a block with one of its own, so each has a rank).
        rank = self._rank = {node_id: i for i, node_id in enumerate(order)}
        size = len(order)
        heads = [node_id for node_id in order if head.get(node_id, node_id) == node_id]
        is_head = set(heads)
        pairs: set[int] = set()
        for node_id in heads:
            mine, article = rank[node_id], node_id[0]
            node = self._nodes[node_id]
            for key in node.blocks:  # each pair once, from its smaller node
                if key.startswith("hd:"):  # a head word alone meets every name it ends, and
                    if node.head_only:  # those names meet each other only by other keys
                        pairs.update(
                            min(mine, rank[o]) * size + max(mine, rank[o])
                            for o in self._blocks[key]
                            if o[0] != article and o in is_head
                        )
                    continue
                pairs.update(
                    mine * size + rank[other]
                    for other in self._blocks[key]
                    if rank[other] > mine and other[0] != article and other in is_head
                )
        return edges, [(order[pair // size], order[pair % size]) for pair in sorted(pairs)]

    def _edges(
        self,
        same_name: list[tuple[int, float, NodeId, NodeId, str]],
        pairs: list[tuple[NodeId, NodeId]],
        judged: dict[tuple[NodeId, NodeId], tuple[int, float, str] | None],
    ) -> list[tuple[int, float, NodeId, NodeId, str]]:
        """Candidate merges inside a component, strongest first, in a canonical order.
        ``judged`` keeps each pair's verdict: more context turns no verdict into one, never
        the other way, so a second pass judges again only the pairs that had none."""
        edges = list(same_name)
        bare: dict[NodeId, list[tuple[int, float, NodeId, NodeId, str]]] = {}
        late: set[tuple[NodeId, NodeId]] = set()  # found only knowing the first clusters
        namesakes: dict[NodeId, list[_Node]] = {}  # node -> the nodes that carry its very name
        nodes, judge, linked = self._nodes, self._judge.judge, self._judge.linked_articles
        for pair in pairs:
            left, right = pair
            if pair not in judged:
                verdict = judged[pair] = judge(nodes[left], nodes[right])
            else:
                verdict = judged[pair]
                if verdict is None and linked(left, right):
                    verdict = judged[pair] = judge(nodes[left], nodes[right])
                    if verdict is not None:
                        late.add(pair)
            if verdict is None:
                continue
            tier, score, reason = verdict
            edge = (tier, -score, left, right, reason)
            if tier == 0:
                namesakes.setdefault(left, []).append(nodes[right])
                namesakes.setdefault(right, []).append(nodes[left])
            if tier == 3:
                bare.setdefault(short_side(self._nodes[left], self._nodes[right]), []).append(edge)
            else:
                edges.append(edge)
        for owner, candidates in bare.items():
            direct = [c for c in candidates if (c[2], c[3]) not in late]
            # What the articles share by name outweighs what only the clusters say: 'EFB'
            # stays the Fisheries Board's, not also a bank's that shares fewer names.
            edges.extend(self._one_owner(owner, direct or candidates, namesakes.get(owner, [])))
        rank = self._rank  # node order as numbers (see ``_candidates``): faster to compare
        edges.sort(key=lambda e: (e[0], e[1], rank[e[2]], rank[e[3]]))
        return [(tier, -neg, left, right, reason) for tier, neg, left, right, reason in edges]

    def _one_owner(
        self,
        owner: NodeId,
        candidates: list[tuple[int, float, NodeId, NodeId, str]],
        namesakes: list[_Node],
    ) -> list[tuple[int, float, NodeId, NodeId, str]]:
        """The tier-3 edges of a bare surname or a short organisation name, kept only when
        they all lead to one person or organisation: the candidates' given names agree, or
        their names nest ('Haeon Heavy' in 'Haeon Heavy Industries'). For an organisation,
        ``namesakes`` (the nodes that use its very name, tier 0) count as owners too: 'Brackwater',
        which two other articles use for Brackwater Logistics, is not Brackwater Capital;
        those named no longer than it (an acronym's other uses) say nothing."""
        strong = [c for c in candidates if c[1] == -100.0]
        if strong:  # a first surname before a second one ('Ortega': Luis Ortega)
            candidates = strong
        roles = set(self._nodes[owner].role_stems)
        fitting = [
            c
            for c in candidates
            if roles & set(self._nodes[c[2] if c[3] == owner else c[3]].role_stems)
        ]
        if fitting:  # "President Ozols": the Ozols who is president
            candidates = fitting
            words = self._nodes[owner].role_words
            same = [
                c
                for c in candidates
                if words & self._nodes[c[2] if c[3] == owner else c[3]].role_words
            ]
            if same:  # the port director, not the dockers' leader (one role family)
                candidates = same
        gender = self._nodes[owner].gender
        if gender:  # 'Ms Huang' is not Huang Zhiqiang, whom another article calls 'Mr Huang'
            candidates = [
                c
                for c in candidates
                if self._gender_of.get(c[2] if c[3] == owner else c[3], gender) == gender
            ]
        others = [self._nodes[c[2] if c[3] == owner else c[3]] for c in candidates]
        if not others:
            return []
        if self._nodes[owner].person:
            others, candidates = story_subject(others, candidates, *self._judge.linked[:2])
            if all(givens_agree(o.givens, others[0].givens) for o in others):
                return candidates  # one person has that surname
            return []
        short = len(fold(self._nodes[owner].display).split())
        longer = [o for o in namesakes if len(fold(o.display).split()) > short]  # not 'CIA' again
        names = {fold(o.display) for o in [*others, *longer]}
        if all(nested_names(x, y) for x in names for y in names):
            return candidates
        return []

    def _entity(self, root: NodeId, with_id: bool = True) -> Entity:
        members = sorted(self._members[root], key=self._order)
        nodes = [self._nodes[m] for m in members]
        names = [(mention, parsed) for node in nodes for mention, parsed in node.names]
        kind = majority_kind(names)
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


def entity_id(kind: str, name: str) -> str:
    """Stable id: the same kind and canonical name always hash to the same id."""
    digest = hashlib.sha1(f"{kind}\x1f{fold(name)}".encode()).hexdigest()
    return f"e{digest[:12]}"
