"""Within one article: mentions grouped into *local entities*.

Full names group by their transliteration key; a bare surname ("Hrebenko", "Mr Hale") joins
the one full name in the same article that carries it (told apart by title, gender, then the
nearest full name before it); a short organisation form joins the one longer name it starts.
Bare surnames that no full name owns are told apart by gender ("Mr Hollis" and "Senator
Hollis ... Her rival").
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from newstrace.model import Mention
from newstrace.resolve.names import (
    ParsedName,
    first_name_key,
    fold,
    parse_mention,
    role_key,
    role_words,
    title_role_words,
)

NodeId = tuple[str, int]  # (article id, ordinal of the local entity in that article)
Anchor = tuple[str, str]  # (first name key or "", surname or name key)

FUZZY_LOCAL = 85.0  # rapidfuzz ratio of surname keys for a bare surname ("Chief Holmguard")
FUZZY_SURNAME = 80.0  # rapidfuzz ratio of surname transliteration keys (tuned on the dev half)
# Words that qualify a role without saying which one: sharing them is no evidence.
_GENERIC_ROLE_WORDS = frozenset({"former", "senior", "local", "regional", "acting", "new", "now"})
_KIND_ORDER = ("person", "organisation", "place", "group", "other")
_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z&]{1,7})\)")
_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m"} | {
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
_OBJECT_PRONOUNS = frozenset({"him", "her", "hers"})
_PRONOUN_WORD = re.compile(r"[A-Za-z]+")
_CLAUSE = re.compile(r"[^,;:()\"“”.!?\n]*")
_NEXT_SENTENCE = re.compile(r"[.!?][”\"]?[ \t]+([A-Z][a-z]*)\b")


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
        return _kind(self.names)

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
    def givens(self) -> set[str]:
        """Given names as written, for the garbled-given-name rule."""
        return {parsed.given for parsed in self.fulls}

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
    def anchor(self) -> Anchor:
        """The key this local entity contributes to its article's 'same story' test: a
        person's (first name key, surname key), the first name empty for a bare surname, so
        Ngozi and Chidi Okafor count as two names and Sergei and Ilya Markov do not match."""
        if self.person and self.fulls:
            full = min(self.fulls, key=lambda p: (first_name_key(p.given), p.surname_key))
            return first_name_key(full.given), full.surname_key
        if self.person and self.surname_keys:
            return "", min(self.surname_keys)
        return "", min(self.name_keys)

    @functools.cached_property  # a node never changes once built
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
        if self.kind == "place":  # Ternivka/Ternovka: vowels are what transliterations change
            skeletons = {re.sub("[aeiouy ]", "", key) for key in self.name_keys}
            keys |= {f"c:{skeleton}" for skeleton in skeletons if len(skeleton) >= 3}
        return keys


@dataclass
class _Article:
    seq: int
    story: str | None
    anchors: dict[Anchor, str]  # anchor (see ``_Node.anchor``) -> name, for the "same story" test


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
            name.add_given_gender()
    groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]] = {}
    for mention, name in parsed:
        if name.is_full:
            key: tuple[str, ...] = ("p", first_name_key(name.given), name.surname_key)
            groups.setdefault(key, []).append((mention, name))
    evidence: dict[tuple[str, ...], list[str]] = {}
    _merge_garbled_fulls(groups, evidence)
    fulls = list(groups.items())
    # Each full group's distinct surname keys, kept up to date as bare surnames join it.
    surnames = {key: {n.surname_key for _, n in group} for key, group in fulls}
    ambiguous: set[tuple[str, ...]] = set()
    surname_like = {n.surname_key for _, n in parsed if n.is_full}
    for mention, name in parsed:
        if name.is_full:
            continue
        bare = len(name.tokens) == 1 and name.kind in ("person", "organisation")
        if bare and (name.kind == "person" or _surname_key(name) in surname_like):
            owner, reason, unsure = _owner(mention, name, fulls, surnames)
            if owner is not None:
                name.kind = "person"
                groups[owner].append((mention, name))
                surnames[owner].add(name.surname_key)
                evidence.setdefault(owner, []).append(reason)
                continue
            if unsure:
                name.kind = "person"
                ambiguous.add(("a", name.surname_key))
                groups.setdefault(("a", name.surname_key), []).append((mention, name))
                continue
        groups.setdefault(("n", name.key), []).append((mention, name))
    _add_pronoun_genders(text, parsed, groups)
    _split_by_gender(groups)
    _attach_org_short_forms(text, groups, evidence)
    ordered = sorted(groups.items(), key=lambda item: min(m.start for m, _ in item[1]))
    nodes: list[_Node] = []
    for ordinal, (key, members) in enumerate(ordered):
        members.sort(key=lambda pair: pair[0].start)
        node = _Node((article_id, ordinal), members, story, [], key in ambiguous)
        node.evidence = list(dict.fromkeys(evidence.get(key, [])))
        nodes.append(node)
    return nodes


def _add_pronoun_genders(
    text: str,
    parsed: list[tuple[Mention, ParsedName]],
    groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]],
) -> None:
    """A bare surname that no full name of its article owns, opening its sentence with no
    gender of its own, takes the gender of the pronoun that refers back to it ("Senator
    Hollis spoke in Brackenford. Her rival, ..."): 'he', 'she' or 'his' in the rest of its
    clause, else the word opening the next sentence, with no other person named before it.
    A first pronoun 'her' or 'him' inside the clause is mostly someone else ("LaSalle struck
    her"), and so is what follows it."""
    starts = [m.start for m, n in parsed if n.kind == "person"]
    bare = [pair for key, members in groups.items() if key[0] == "n" for pair in members]
    for mention, name in bare:
        if name.kind != "person" or name.gender or not _opens_sentence(text, mention, name):
            continue
        limit = min((s for s in starts if s >= mention.end), default=len(text))
        window = text[mention.end : min(limit, mention.end + 200)]
        clause = _CLAUSE.match(window)
        if clause is None:
            continue
        words = [w for w in _PRONOUN_WORD.findall(clause.group(0).lower()) if w in _PRONOUNS]
        if words and words[0] in _OBJECT_PRONOUNS:
            continue
        opener = _NEXT_SENTENCE.match(window, clause.end())
        if not words and opener:  # nobody else was referred to before the next sentence
            words = [w for w in [opener.group(1).lower()] if w in _PRONOUNS]
        if words:
            name.gender = _PRONOUNS[words[0]]


def _opens_sentence(text: str, mention: Mention, name: ParsedName) -> bool:
    """Whether only its own title comes before the mention in its sentence: the subject."""
    before = text[max(0, mention.start - 80) : mention.start]
    prefix = re.split(r"(?:[.!?][”\"]?\s+|\n)", before)[-1].split()
    return not prefix or (
        bool(name.titles) and len(prefix) <= 3 and all(w[:1].isupper() for w in prefix)
    )


def _split_by_gender(groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]]) -> None:
    """'Mr Hollis' and 'Senator Hollis ... Her' in an article naming no Hollis in full: two
    people. A bare mention that gives no gender goes with the nearest gendered one before it
    (how news refers back), else after it."""
    for key in [k for k in groups if k[0] == "n"]:
        members = groups[key]
        if {n.gender for _, n in members if n.kind == "person"} - {""} != {"f", "m"}:
            continue
        del groups[key]
        gendered = [(m.start, n.gender) for m, n in members if n.kind == "person" and n.gender]
        for mention, name in members:
            gender = name.gender if name.kind == "person" else ""
            if not gender:
                before = [g for s, g in gendered if s < mention.start]
                gender = before[-1] if before else gendered[0][1]
            groups.setdefault((*key, gender), []).append((mention, name))


def _merge_garbled_fulls(
    groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]],
    evidence: dict[tuple[str, ...], list[str]],
) -> None:
    """'Oil minister Chidi Okafor' and 'Chidi Okafur, the oil minister' in one (spun) article:
    one person, when the given names agree, the surnames are near-identical and both are
    given a common role; Anna Berg the safety officer and Anna Berger the union organiser,
    or two namesakes of whom the article says nothing, stay two."""
    keys = list(groups)
    for index, first in enumerate(keys):
        for second in keys[index + 1 :]:
            if first not in groups or second not in groups or first[1] != second[1]:
                continue
            x, y = first[2], second[2]
            score = fuzz.ratio(x, y)
            if min(len(x), len(y)) < 4 or score < FUZZY_SURNAME:
                continue
            common = _group_roles(groups[first]) & _group_roles(groups[second])
            if not common:
                continue
            shown = [max((n.surface for _, n in groups[k]), key=len) for k in (first, second)]
            groups[first].extend(groups.pop(second))
            evidence.setdefault(first, []).append(
                f"'{shown[1]}' resembles '{shown[0]}' ({score:.0f}) in the same article, "
                f"with a common role"
            )


def _surname_key(name: ParsedName) -> str:
    """A single word's surname key whatever the tagger called it ('Holmgaard' as ORG)."""
    return name.surname_key or name.name_key


def _owner(
    mention: Mention,
    name: ParsedName,
    fulls: list[tuple[tuple[str, ...], list[tuple[Mention, ParsedName]]]],
    surnames: dict[tuple[str, ...], set[str]],
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
        best = max(100.0 if k == key else fuzz.ratio(k, key) for k in surnames[group_key])
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
    if name.gender:  # "Mr Okafor" is not the only Okafor in the article if she is a woman
        pool = [c for c in pool if _gender(c[1]) in ("", name.gender)]
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
    """The kind most members have (ties: person, organisation, place, group, other)."""
    counts: dict[str, int] = {}
    for _, parsed in members:
        counts[parsed.kind] = counts.get(parsed.kind, 0) + 1
    return max(_KIND_ORDER, key=lambda kind: (counts.get(kind, 0), -_KIND_ORDER.index(kind)))


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
