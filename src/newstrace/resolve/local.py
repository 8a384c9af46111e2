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
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from newstrace.model import Mention
from newstrace.resolve.gender import add_pronoun_genders, split_by_gender
from newstrace.resolve.keys import (
    first_name_key,
    fold,
    given_gender,
    name_parts,
    role_key,
    rules,
)
from newstrace.resolve.kinds import majority_kind, settle_kinds
from newstrace.resolve.names import (
    ParsedName,
    parse_mention,
    role_words,
    title_role_words,
)

NodeId = tuple[str, int]  # (article id, ordinal of the local entity in that article)
Anchor = tuple[str, str]  # (first name key or "", surname or name key)

FUZZY_LOCAL = 85.0  # rapidfuzz ratio of surname keys for a bare surname ("Chief Holmguard")
FUZZY_SURNAME = 80.0  # rapidfuzz ratio of surname transliteration keys (tuned on the dev half)
# Words that qualify a role without saying which one: sharing them is no evidence.
_GENERIC_ROLE_WORDS = frozenset({"former", "senior", "local", "regional", "acting", "new", "now"})
_ACRONYM = re.compile(r"\s*\(([A-Z][A-Z&]{1,7})\)")
_ACRONYM_WORD = re.compile(r"[A-Z][A-Z&]{1,6}")
_STOP_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "de", "al", "el"})


@dataclass
class _Node:
    """A local entity: the mentions of one article that name the same thing."""

    id: NodeId
    names: list[tuple[Mention, ParsedName]]
    story: str | None
    evidence: list[str] = field(default_factory=list)
    ambiguous: bool = False  # a bare surname that two people in its article could own
    defined: frozenset[str] = frozenset()  # acronyms its article defines for it: "(CWA)"

    @functools.cached_property  # a node never changes once built
    def kind(self) -> str:
        return majority_kind(self.names)

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
    def second_keys(self) -> set[str]:
        """Second halves of double surnames ('Ortega' of 'Ramírez Ortega'), weaker keys."""
        return {parsed.second_surname_key for parsed in self.fulls} - {""}

    @functools.cached_property  # a node never changes once built
    def place_keys(self) -> set[str]:
        return {parsed.place_key for _, parsed in self.names if parsed.kind == "place"}

    @functools.cached_property  # a node never changes once built
    def acronym(self) -> str:
        """The folded acronym when the node is nothing but one ('CWA'), else ''."""
        if self.kind != "organisation":
            return ""
        surfaces = {parsed.surface for _, parsed in self.names}
        if len(surfaces) == 1 and _ACRONYM_WORD.fullmatch(next(iter(surfaces))):
            return fold(next(iter(surfaces)))
        return ""

    @functools.cached_property  # a node never changes once built
    def initials(self) -> set[str]:
        """Initials of its multi-word organisation names: 'Gulf Petroleum Company' -> 'gpc'."""
        if self.kind != "organisation":
            return set()
        found = set()
        for _, parsed in self.names:
            words = [w for w in fold(parsed.surface).split() if w not in _STOP_WORDS]
            if len(words) >= 2:
                found.add("".join(word[0] for word in words))
        return found

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
    def role_words(self) -> set[str]:
        """Stems of the words of its titles and roles, each word itself, not its family."""
        return {
            word[:6]
            for _, parsed in self.names
            for role in [*parsed.titles, *parsed.roles]
            for word in role_words(role)
            if word not in _GENERIC_ROLE_WORDS
        }

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
    def anchors(self) -> frozenset[Anchor]:
        """The keys this local entity contributes to its article's 'same story' test: a
        person's (first name key, surname key), the first name empty for a bare surname, so
        Ngozi and Chidi Okafor count as two names and Sergei and Ilya Markov do not match;
        a double surname gives one key per surname, a place its place key too. Every name
        of the entity gives its keys ('Coastline Trains' and its short form 'Coastline'):
        the test counts names, not keys, so one entity still counts once."""
        if self.person and self.fulls:
            found: set[Anchor] = set()
            for full in self.fulls:
                first = first_name_key(full.given)
                found |= {(first, s) for s in {full.surname_key, full.second_surname_key} - {""}}
            return frozenset(found)
        if self.person and self.surname_keys:
            return frozenset({("", key) for key in self.surname_keys})
        if self.kind == "place":
            places = {("p", key) for key in self.place_keys}
            return frozenset({("", key) for key in self.name_keys} | places)
        acronyms = {a for a in self.defined | self.initials if len(a) >= 3}
        return frozenset({("", k) for k in self.name_keys} | {("a", a) for a in acronyms})

    @functools.cached_property  # a node never changes once built
    def blocks(self) -> set[str]:
        """Blocking keys: only local entities sharing one are ever compared."""
        keys = {f"k:{key}" for key in self.keys}
        if self.person:
            keys |= {f"s:{key}" for key in self.surname_keys | self.second_keys}
            for first in self.first_keys:
                keys |= {f"f:{first}:{key[:1]}" for key in self.surname_keys}
            if self.fulls:  # Khatib/Khateeb: vowels are what Arabic transliterations change
                skeletons = {re.sub("[aeiouy]", "", key) for key in self.surname_keys}
                keys |= {f"sk:{skeleton}" for skeleton in skeletons if len(skeleton) >= 3}
        else:
            keys |= {f"n:{key}" for key in self.name_keys}
            keys |= {f"o:{key.split()[0]}" for key in self.name_keys if key}
        if self.kind == "place":  # Ternivka/Ternovka: vowels are what transliterations change
            skeletons = {re.sub("[aeiouy ]", "", key) for key in self.name_keys}
            keys |= {f"c:{skeleton}" for skeleton in skeletons if len(skeleton) >= 3}
            keys |= {f"v:{key}" for key in self.place_keys}
        if self.kind == "organisation":  # 'CWA', 'Water Authority' ~ 'Corvale Water Authority'
            keys |= {f"a:{key}" for key in self.defined | self.initials | {self.acronym} if key}
            keys |= {f"t:{' '.join(k.split()[-2:])}" for k in self.name_keys if " " in k}
        return keys


@dataclass
class _Article:
    seq: int
    story: str | None
    anchors: dict[Anchor, str]  # anchor (see ``_Node.anchors``) -> name, for the "same story" test


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
    settle_kinds(text, parsed)
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
    _merge_surname_tails(groups, evidence)
    fulls = list(groups.items())
    # Each full group's distinct surname keys, kept up to date as bare surnames join it.
    surnames = {key: {n.surname_key for _, n in group} for key, group in fulls}
    seconds = {key: {n.second_surname_key for _, n in group} - {""} for key, group in fulls}
    ambiguous: set[tuple[str, ...]] = set()
    sure: set[int] = set()  # bare surnames whose owner no nearness decided
    surname_like = {
        key for _, n in parsed if n.is_full for key in (n.surname_key, n.second_surname_key)
    }
    for mention, name in parsed:
        if name.is_full:
            continue
        bare = len(name.tokens) == 1 and name.kind in ("person", "organisation")
        if bare and (name.kind == "person" or _surname_key(name) in surname_like):
            owner, reason, unsure = _owner(mention, name, fulls, surnames, seconds, sure)
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
    add_pronoun_genders(text, parsed, groups)
    split_by_gender(groups)
    defined = _attach_org_short_forms(text, groups, evidence)
    ordered = sorted(groups.items(), key=lambda item: min(m.start for m, _ in item[1]))
    nodes: list[_Node] = []
    for ordinal, (key, members) in enumerate(ordered):
        members.sort(key=lambda pair: pair[0].start)
        acronyms = defined.get(key, frozenset())
        node = _Node((article_id, ordinal), members, story, [], key in ambiguous, acronyms)
        node.evidence = list(dict.fromkeys(evidence.get(key, [])))
        nodes.append(node)
    return nodes


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


def _merge_surname_tails(
    groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]],
    evidence: dict[tuple[str, ...], list[str]],
) -> None:
    """'Ramos Quintero' after 'María Fernanda Ramos Quintero', 'Van Rompuy' after 'Herman Van
    Rompuy' in one article: a two-word name that opens with no given name of the first-name
    table and is the double surname (or the surname with its particle) of one longer full
    name of the article is that person. Its words are read as the full name's, so 'Soto' of
    'Paredes Soto' stays a second surname."""
    for key in [k for k in groups if k[0] == "p"]:
        members = groups[key]
        if any(len(n.tokens) != 2 or given_gender(n.tokens[0]) for _, n in members):
            continue
        tail = [fold(word) for word in members[0][1].tokens]
        owners = {
            other: n.tokens
            for other, group in groups.items()
            if other != key
            for _, n in group
            if len(n.tokens) > 2
            and [fold(w) for w in n.tokens[-2:]] == tail
            and (name_parts(n.tokens).second or tail[0] in rules().particles)
        }
        if len(owners) == 1:
            (owner, tokens), = owners.items()
            shown = max((n.surface for _, n in groups[owner]), key=len)
            groups[owner].extend((m, replace(n, tokens=tokens)) for m, n in groups.pop(key))
            evidence.setdefault(owner, []).append(
                f"'{members[0][1].surface}' is the double surname of '{shown}' in the same article"
            )


def _surname_key(name: ParsedName) -> str:
    """A single word's surname key whatever the tagger called it ('Holmgaard' as ORG)."""
    return name.surname_key or name.name_key


def _owner(
    mention: Mention,
    name: ParsedName,
    fulls: list[tuple[tuple[str, ...], list[tuple[Mention, ParsedName]]]],
    surnames: dict[tuple[str, ...], set[str]],
    seconds: dict[tuple[str, ...], set[str]],
    sure: set[int],
) -> tuple[tuple[str, ...] | None, str, bool]:
    """The full name in this article that a bare surname refers to.

    Returns (the group's key, evidence, ambiguous). A first surname goes before the second
    of a double surname ('Ortega': Luis Ortega, not José Luis Ramírez Ortega). Several
    people sharing the surname are told apart by whether they were named before the mention
    (how news introduces people: 'Mr Masry' is Tarek, not his brother Samir named after him),
    then by a shared title ("Dr Brandt" -> "Dr Owen Brandt"), by gender ("Ms" against a
    spokesman), then by the one an earlier bare surname named (``sure``: those no nearness
    decided), then by the nearest full name before the mention; if none comes before, the
    mention is left ambiguous. A gendered bare name ('Ms Tate') before the only full name
    that carries it, whose gender nothing says ('Idris Tate'), is someone named in another
    article.
    """
    key = _surname_key(name)
    candidates: list[tuple[tuple[str, ...], list[tuple[Mention, ParsedName]], float]] = []
    for group_key, group in fulls:
        best = max(100.0 if k == key else fuzz.ratio(k, key) for k in surnames[group_key])
        if best < 100.0 and key in seconds.get(group_key, set()):
            best = 99.0
        if best >= 99.0 or (best >= FUZZY_LOCAL and len(key) >= 5):
            candidates.append((group_key, group, best))
    if not candidates:
        return None, "", False
    exact = [c for c in candidates if c[2] == 100.0] or [c for c in candidates if c[2] == 99.0]
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
    how, near = "the only one", False
    if len(pool) > 1:  # news names someone before referring back: 'Mr Masry' is not the
        # brother named after him, whatever the first-name table says of either
        named = [c for c in pool if c[1][0][0].start < mention.start]
        if named and len(named) < len(pool):
            pool, how = named, "of several, the one named before it"
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
        # The one the surname alone surely named already keeps it (the story's subject:
        # 'Brenner said ... his brother Jonas Brenner ... Brenner promised').
        pool = [c for c in before if any(m.start in sure for m, _ in c[1])]
        how, near = "of several, the one the surname alone already named", len(pool) != 1
        if near:
            last = {c[0]: max(m.start for m, _ in c[1] if m.start < mention.start) for c in before}
            pool, how = [max(before, key=lambda c: last[c[0]])], "of several, the nearest before it"
    group_key, group, score = pool[0]
    if name.gender and not _gender(group) and all(m.start > mention.start for m, _ in group):
        return None, "", False
    if not near:
        sure.add(mention.start)
    full = max((n for _, n in group), key=lambda n: len(n.surface)).surface
    match = "matches" if score >= 99.0 else f"resembles ({score:.0f})"
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
) -> dict[tuple[str, ...], frozenset[str]]:
    """'Calloway' -> 'Calloway Polymers', 'MAB' -> 'Marine Accident Board (MAB)' within one
    article, when exactly one longer organisation name fits. Returns the acronyms the
    article defines, by group, for other articles that use them alone."""
    orgs = {k: v for k, v in groups.items() if k[0] == "n" and majority_kind(v) == "organisation"}
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
    defined: dict[tuple[str, ...], set[str]] = {}
    for acronym, key in acronyms.items():
        defined.setdefault(key, set()).add(acronym)
    return {key: frozenset(found) for key, found in defined.items()}


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
