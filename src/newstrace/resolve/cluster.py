"""Clustering of local entities: single-link under cannot-link guards, and what a first
clustering tells the second pass (the clusters two articles share, their genders, the
story's subject among namesakes).

Split from ``newstrace.resolve.index``, which builds the candidate edges and the guards.
"""

from __future__ import annotations

from newstrace.resolve.keys import givens_agree
from newstrace.resolve.node import NodeId, _Node

# What the cannot-link guards look at, per cluster (see ``EntityIndex._guard``).
Guard = tuple[set[str], set[str], set[str], set[str]]
# A candidate merge: tier, score, the two local entities, the evidence.
Edge = tuple[int, float, NodeId, NodeId, str]


def single_link(
    singletons: dict[NodeId, Guard], edges: list[tuple[int, float, NodeId, NodeId, str]]
) -> tuple[dict[NodeId, list[NodeId]], dict[NodeId, list[str]]]:
    """Single-link clustering of the edges, strongest first, under the guards (each
    node's own given; what they look at is kept per cluster under construction)."""
    parent = {node_id: node_id for node_id in singletons}
    members = {node_id: [node_id] for node_id in singletons}
    evidence: dict[NodeId, list[str]] = {node_id: [] for node_id in singletons}
    guards = {n: (set(a), set(b), set(c), set(d)) for n, (a, b, c, d) in singletons.items()}
    for _tier, _score, left, right, reason in edges:
        a, b = find(parent, left), find(parent, right)
        if a == b or not compatible(guards[a], guards[b]):
            continue
        root, child = min(a, b), max(a, b)
        parent[child] = root
        members[root] += members.pop(child)
        evidence[root] += [*evidence.pop(child), reason]
        for mine, theirs in zip(guards[root], guards.pop(child), strict=True):
            mine.update(theirs)
    return members, evidence


def shared_entities(
    members: dict[NodeId, list[NodeId]], nodes: dict[NodeId, _Node]
) -> tuple[dict[str, set[NodeId]], dict[NodeId, NodeId], dict[NodeId, set[str]]]:
    """Each article's clusters that reach another article, each such node's cluster, and
    each such cluster's articles that name it as a person in full, or by a title it bears
    named in full ('Councillor Ormsby' where another article names Councillor Harriet
    Ormsby: as sure a sign of one person as her full name)."""
    by_article: dict[str, set[NodeId]] = {}
    cluster_of: dict[NodeId, NodeId] = {}
    in_full: dict[NodeId, set[str]] = {}
    for root, group in members.items():
        if len({node_id[0] for node_id in group}) < 2:
            continue
        titles = {t for n in group for p in nodes[n].fulls for t in p.titles if nodes[n].person}
        for node_id in group:
            node = nodes[node_id]
            by_article.setdefault(node_id[0], set()).add(root)
            cluster_of[node_id] = root
            named = {title for _, parsed in node.names for title in parsed.titles}
            if node.person and (node.fulls or titles & named):
                in_full.setdefault(root, set()).add(node_id[0])
    return by_article, cluster_of, in_full


def cluster_genders(
    members: dict[NodeId, list[NodeId]], nodes: dict[NodeId, _Node]
) -> dict[NodeId, str]:
    """Each node of a person cluster whose nodes give one gender, and that gender."""
    found: dict[NodeId, str] = {}
    for group in members.values():
        genders = {nodes[node_id].gender for node_id in group} - {""}
        if len(genders) == 1 and nodes[group[0]].person:
            found.update(dict.fromkeys(group, genders.pop()))
    return found


def story_subject(
    others: list[_Node],
    candidates: list[Edge],
    by_article: dict[str, set[NodeId]],
    cluster_of: dict[NodeId, NodeId],
) -> tuple[list[_Node], list[Edge]]:
    """Of a bare surname's namesakes (``others``, one per candidate edge), the story's subject
    when there is one: the only one the first clustering reports across articles, each other
    one named only in an article that names the subject too ('Mr Hollis': Daniel, reported
    twice, not Peter Hollis, 'no relation', named once beside him). A namesake of another
    story (no article naming both) leaves the choice open. Known only in the second pass
    (``shared_entities``)."""
    roots = {cluster_of[o.id] for o in others if o.id in cluster_of}
    if len(roots) != 1:
        return others, candidates
    root = roots.pop()
    rest = [o for o in others if o.id not in cluster_of]
    if not rest or any(root not in by_article.get(o.id[0], set()) for o in rest):
        return others, candidates
    kept = {o.id for o in others if o.id in cluster_of}
    return [o for o in others if o.id in kept], [c for c in candidates if {c[2], c[3]} & kept]


def compatible(left: Guard, right: Guard) -> bool:
    """Cannot-link guards between two clusters under construction (see ``EntityIndex._guard``)."""
    if {"p", "n"} <= left[3] | right[3]:
        return False  # the place Drevna is not Ruth Drevna, whatever a tag said between
    middles = [{s for s in side[3] if s.startswith("i:")} for side in (left, right)]
    if middles[0] and middles[1] and middles[0].isdisjoint(middles[1]):
        return False  # George W. Bush is not George H.W. Bush, whoever 'George Bush' is
    if left[0] & right[0]:
        return False  # one article already told them apart
    if left[1] and right[1] and not givens_agree(left[1], right[1]):
        return False  # Celia Brandt is not Owen Brandt
    return len(left[2] | right[2]) < 2


def find(parent: dict[NodeId, NodeId], node: NodeId) -> NodeId:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node
