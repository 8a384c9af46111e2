"""A local entity (the mentions of one article that name one thing) and what it offers the
cross-article judge: its keys, anchors for the 'same story' test, roles, blocking keys, and
the display name and aliases an entity is given from its mentions.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import product

from newstrace.model import Mention
from newstrace.resolve.keys import (
    east_asian_key,
    first_name_key,
    fold,
    glued_keys,
    is_initial,
    legal_forms,
    org_words,
    role_key,
    romanised,
    translit_key,
)
from newstrace.resolve.kinds import majority_kind
from newstrace.resolve.names import ParsedName, role_words, title_role_words
from newstrace.resolve.parts import family_first, name_parts
from newstrace.resolve.sound import loose_keys

NodeId = tuple[str, int]  # (article id, ordinal of the local entity in that article)
Anchor = tuple[str, str]  # (first name key or "", surname or name key)

FUZZY_SURNAME = 80.0  # rapidfuzz ratio of surname transliteration keys (tuned on the dev half)
# Words that qualify a role without saying which one: sharing them is no evidence.
GENERIC_ROLE_WORDS = frozenset({"former", "senior", "local", "regional", "acting", "new", "now"})
_SCHOOLS = frozenset({"university", "college", "school", "academy", "institute"})
_MIDDLE_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,3}$")  # W., H.W., HW
_ACRONYM_WORD = re.compile(r"[A-Z](?:[A-Z&]|[a-z](?=[A-Z])){1,6}")  # also MoD, DfE
# Function words an organisation's initials skip, in English and in the languages whose
# names put them between the initialled words (Companhia Mineira do Norte -> CMN).
_STOP_WORDS = frozenset(
    {"of", "the", "and", "for", "in", "on", "at", "al", "el"}
    | {"de", "do", "da", "dos", "das", "del", "della", "delle", "dei", "di", "du", "des"}
    | {"la", "le", "les", "los", "y", "e", "et", "van", "von", "der", "den", "und", "fur"}
)
_GIVEN_HONORIFICS = frozenset(
    {"syed", "sayyid", "sayed", "syeda", "sheikh", "shaikh", "mian", "khawaja", "khwaja"}
    | {"pir", "makhdoom", "sardar", "haji", "hajji", "hafiz"}
)
# 'Island' in English and as Korean, Chinese and Japanese romanisations end a name with it.
_ISLAND_WORDS = frozenset({"island", "isle"})
_ISLAND_SUFFIX = re.compile(r"([a-z]{3,}?)(?:do|dao|shima|jima)")
# Words an organisation's name may have or lack and stay the same name (see ``org_keys``).
_ORG_FILLER = _STOP_WORDS | frozenset(
    {"ltd", "limited", "inc", "incorporated", "plc", "llc", "corp", "co", "gmbh", "ag", "sa"}
)


@dataclass
class _Node:
    """A local entity: the mentions of one article that name the same thing."""

    id: NodeId
    names: list[tuple[Mention, ParsedName]]
    story: str | None
    evidence: list[str] = field(default_factory=list)
    ambiguous: bool = False  # a bare surname that two people in its article could own
    defined: frozenset[str] = frozenset()  # acronyms its article defines for it: "(CWA)"
    # A bare surname that only nearness gave one of its article's namesakes: those local
    # entities, the nearest first; it joins the one the story names by surname alone, once
    # the clusters are known (``EntityIndex._settle_choices``).
    choices: tuple[NodeId, ...] = ()
    head_only: bool = False  # one organisation word used as a common noun: 'the Hospice said'

    @functools.cached_property  # a node never changes once built
    def kind(self) -> str:
        return majority_kind(self.names)

    @property
    def person(self) -> bool:
        return self.kind == "person"

    @functools.cached_property  # a node never changes once built
    def fulls(self) -> list[ParsedName]:
        """Its names with a given name; one with initials only is a surname across articles."""
        return [parsed for _, parsed in self.names if parsed.is_full and not parsed.initialled]

    @functools.cached_property  # a node never changes once built
    def given_initials(self) -> set[str]:
        """Initials its names give for a given name ('j' of 'J. R. Addleton')."""
        return {fold(parsed.tokens[0])[:1] for _, parsed in self.names if parsed.initialled}

    @functools.cached_property  # a node never changes once built
    def display(self) -> str:
        fulls = self.fulls
        pool = fulls or [parsed for _, parsed in self.names]
        return max(
            pool, key=lambda p: (len(p.tokens), not p.surface.isupper(), len(p.surface))
        ).surface

    @functools.cached_property  # a node never changes once built
    def first_keys(self) -> set[str]:
        return {first_name_key(given) for given in self.givens - self.swapped_givens}

    @functools.cached_property  # a node never changes once built
    def swapped_givens(self) -> set[str]:
        return {parsed.tokens[1] for parsed in self.fulls if _swappable(parsed)}

    @functools.cached_property  # a node never changes once built
    def givens(self) -> set[str]:
        """Given names as written, for the garbled-given-name rule and the guards; a name
        that may be written family name first ('Kovacs Ildiko') gives both readings, a given
        name and the next word also the hyphenated name they may be ('Pieter-Jan')."""
        return (
            {parsed.given for parsed in self.fulls}
            | {p.tokens[1] for p in self.fulls if _honoured(p)}  # Syed Ahsan Raza: Ahsan
            | self.swapped_givens
            | {
                f"{p.tokens[0]}-{p.tokens[1]}"  # 'Pieter Jan van der Wiel' is Pieter-Jan
                for p in self.fulls
                if len(p.tokens) > 2
                and p.given == p.tokens[0]
                and not p.surname.startswith(p.tokens[1])
                and re.fullmatch(r"[A-Z][a-z]+", p.tokens[1])
            }
        )

    @functools.cached_property  # a node never changes once built
    def surname_keys(self) -> set[str]:
        """Keys a bare name is matched on: surnames, and given names people are called by."""
        keys = {parsed.surname_key for _, parsed in self.names if parsed.surname}
        glued = {key for parsed in self.fulls for key in glued_keys(parsed.surname)}
        return keys | glued | {parsed.call_key for _, parsed in self.names} - {""}

    @functools.cached_property  # a node never changes once built
    def middles(self) -> set[str]:
        """Its second given names ('maria' of 'José María Ferrándiz', 'christopher' of 'J.
        Christopher Stevens') and middle initials ('w' of 'George W. Bush')."""
        found = {fold(name_parts(parsed.tokens).middle) for parsed in self.fulls}
        found |= {fold(name_parts(p.tokens[1:]).middle) for p in self.fulls if _honoured(p)}
        for _, parsed in self.names:
            if parsed.initialled:
                found |= {fold(w) for w in parsed.tokens[1:-1] if not is_initial(w)}
            elif parsed.is_full:  # George W. Bush is not George H.W. Bush
                middle = [fold(w) for w in parsed.tokens[1:-1] if _MIDDLE_INITIALS.match(w)]
                found.add("".join(sorted("".join(middle))))  # H.W. / W.H., one typo
        return found - {""}

    @functools.cached_property  # a node never changes once built
    def second_keys(self) -> set[str]:
        """Second halves of double surnames ('Ortega' of 'Ramírez Ortega'), weaker keys."""
        return {parsed.second_surname_key for parsed in self.fulls} - {""}

    @functools.cached_property  # a node never changes once built
    def place_keys(self) -> set[str]:
        """Place keys, and those of two-word names as one word (Be'er Sheva / Beersheba:
        transliterations glue the words and write a Hebrew bet, a Greek beta, b or v)."""
        keys = {parsed.place_key for _, parsed in self.names if parsed.kind == "place"}
        glued = {key.replace(" ", "") for key in keys if " " in key}
        return keys | glued | {key.replace("v", "b") for key in glued}

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
            every = fold(parsed.surface).split()
            words = [w for w in every if w not in _STOP_WORDS]
            if len(words) >= 2:  # also with its 'of': 'MoD' of 'Ministry of Defence'
                found |= {"".join(word[0] for word in words), "".join(w[0] for w in every)}
        return found

    @functools.cached_property  # a node never changes once built
    def org_keys(self) -> set[str]:
        """Its organisation names as the words they are made of, whatever their order, 'and'
        or '&', article and legal form ('Ministry of Health' / 'Health Ministry', 'Marks and
        Spencer Ltd' / 'Marks & Spencer Limited'); names of two such words or more, not of
        schools ('Washington University' is not the 'University of Washington')."""
        if self.kind != "organisation":
            return set()
        found = set()
        for _, parsed in self.names:
            words = [w for w in org_words(parsed.tokens, singular=True) if w not in _ORG_FILLER]
            if len(words) >= 2 and _SCHOOLS.isdisjoint(words):
                found.add(" ".join(sorted(translit_key(word) for word in words)))
        return found

    @functools.cached_property  # a node never changes once built
    def east_keys(self) -> set[str]:
        return {parsed.east_key for parsed in self.fulls} - {""}

    @functools.cached_property  # a node never changes once built
    def east_place_keys(self) -> set[str]:
        """Its Chinese or Korean place names as every romanisation writes them (Pusan /
        Busan, Kwangju / Gwangju), and an island's name as every language writes 'island'
        (Sangjo Island / Sangjodo / Sangcho-do: Korean -do, Chinese dao, Japanese -shima)."""
        if self.kind != "place":
            return set()
        found = set()
        for _, parsed in self.names:
            if all(romanised(token) for token in parsed.tokens):
                found.add(" ".join(east_asian_key(token) for token in parsed.tokens))
            words = fold(" ".join(parsed.tokens)).split()
            if len(words) > 1 and words[-1] in _ISLAND_WORDS:
                base = "".join(words[:-1])
            elif island := _ISLAND_SUFFIX.fullmatch("".join(words)):
                base = island.group(1)
            else:
                continue
            if romanised(base):
                found.add(f"{east_asian_key(base)} island")
        return found

    @functools.cached_property  # a node never changes once built
    def swapped_keys(self) -> set[str]:
        """Its two-word full names read the other way round ('Orbán Viktor', 'Abe Shinzo':
        family name first, as Hungarian and Japanese write them; see ``family_first``)."""
        return {fold(f"{p.tokens[1]} {p.tokens[0]}") for p in self.fulls if _swappable(p)}

    @functools.cached_property  # a node never changes once built
    def keys(self) -> set[str]:
        return {parsed.key for _, parsed in self.names}

    @functools.cached_property  # a node never changes once built
    def full_keys(self) -> set[str]:
        return {parsed.key for _, parsed in self.names if parsed.is_full}

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
            if word not in GENERIC_ROLE_WORDS
        }

    @functools.cached_property  # a node never changes once built
    def phrase_stems(self) -> dict[str, str]:
        """Role keys of role phrases only: titles change over time (Col. -> Gen.), so only
        phrases can say that two people do different jobs."""
        found: dict[str, str] = {}
        for _, parsed in self.names:
            for role in parsed.roles:
                for word in role_words(role):
                    if word not in GENERIC_ROLE_WORDS:
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
        found = {("", k) for k in self.name_keys} | {("a", a) for a in acronyms}
        if self.kind == "organisation":  # marked, for a context that counts organisations
            found |= {("o", k) for k in self.name_keys}
        return frozenset(found)

    @functools.cached_property  # a node never changes once built
    def blocks(self) -> set[str]:
        """Blocking keys: only local entities sharing one are ever compared."""
        keys = {f"k:{key}" for key in self.keys | self.swapped_keys}
        if self.person:
            keys |= {f"e:{key}" for key in self.east_keys}
            keys |= {f"s:{key}" for key in self.surname_keys | self.second_keys}
            for first in self.first_keys:
                keys |= {f"f:{first}:{key[:1]}" for key in self.surname_keys}
            for first in self.first_keys:  # Sidorenko / Sidarenka (see ``sound``)
                for full in self.fulls:
                    keys |= {f"l:{first}:{key}" for key in loose_keys(fold(full.surname))}
            if not self.fulls:  # 'Metropolitan Hrysanthos': one titled name (``judge``)
                for _, parsed in self.names:
                    if parsed.titles and len(parsed.tokens) == 1:
                        keys |= {f"lb:{key}" for key in loose_keys(fold(parsed.surface))}
            if self.fulls:  # Khatib/Khateeb: vowels are what Arabic transliterations change
                skeletons = {re.sub("[aeiouy]", "", key) for key in self.surname_keys}
                keys |= {f"sk:{skeleton}" for skeleton in skeletons if len(skeleton) >= 3}
        else:
            keys |= {f"n:{key}" for key in self.name_keys}
            keys |= {f"o:{key.split()[0]}" for key in self.name_keys if key}
        keys |= {f"e:{key}" for key in self.east_place_keys}
        if self.kind == "place":  # Ternivka/Ternovka: vowels are what transliterations change
            skeletons = {re.sub("[aeiouy ]", "", key) for key in self.name_keys}
            keys |= {f"c:{skeleton}" for skeleton in skeletons if len(skeleton) >= 3}
            keys |= {f"v:{key}" for key in self.place_keys}
            for key in self.keys:  # Hrodna / Grodno, Ghaleh Sorkh / Qaleh Sorkh (``sound``)
                per_word = [sorted(loose_keys(word)) for word in key.split()]
                if per_word and all(per_word):
                    keys |= {f"lp:{' '.join(found)}" for found in product(*per_word)}
        keys |= {f"w:{key}" for key in self.org_keys}
        if self.kind == "organisation":  # 'CWA', 'Water Authority' ~ 'Corvale Water Authority'
            keys |= {f"a:{key}" for key in self.defined | self.initials | {self.acronym} if key}
            keys |= {f"t:{' '.join(k.split()[-2:])}" for k in self.name_keys if " " in k}
            keys |= {f"hd:{k.split()[-1]}" for k in self.name_keys if " " in k or self.head_only}
            for key in self.name_keys:  # 'Sorkh Cement' of 'Qaleh Sorkh Cement Company'
                words = key.split()
                if len(words) > 2 and words[-1] in legal_forms():
                    keys.add(f"t:{' '.join(words[-3:-1])}")
        return keys


@dataclass
class _Article:
    seq: int
    story: str | None
    anchors: dict[Anchor, str]  # anchor (see ``_Node.anchors``) -> name, for the "same story" test


def _honoured(parsed: ParsedName) -> bool:
    """A full name of three words or more opening with a word of lineage or religious
    standing that South Asian and Arabic names put before the given name and often leave
    out ('Syed Ahsan Raza Bukhari' is also 'Ahsan Raza Bukhari', 'S. A. R. Bukhari')."""
    return len(parsed.tokens) > 2 and fold(parsed.tokens[0]) in _GIVEN_HONORIFICS


def _swappable(parsed: ParsedName) -> bool:
    return family_first(parsed.tokens)


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


def short_side(a: _Node, b: _Node) -> NodeId:
    """Of a tier-3 pair, the node that is the bare or short name."""
    if a.person:
        return a.id if not a.fulls else b.id
    return min((a, b), key=lambda n: (max(len(p.tokens) for _, p in n.names), n.id)).id
