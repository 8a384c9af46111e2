"""Within one article: mentions grouped into *local entities*.

Full names group by their transliteration key; a bare surname ("Hrebenko", "Mr Hale") joins
the one full name in the same article that carries it (told apart by title, gender, then the
nearest full name before it); a short organisation form joins the one longer name it starts.
Bare surnames that no full name owns are told apart by gender ("Mr Hollis" and "Senator
Hollis ... Her rival").
"""

from __future__ import annotations

import re
from dataclasses import replace

from rapidfuzz import fuzz

from newstrace.model import Mention
from newstrace.resolve.gender import add_pronoun_genders, split_by_gender
from newstrace.resolve.keys import first_name_key, fold, given_gender, rules, surname_key
from newstrace.resolve.kinds import _NO_NOUN_AFTER, headline_end, majority_kind, settle_kinds
from newstrace.resolve.names import ParsedName, parse_mention
from newstrace.resolve.node import FUZZY_SURNAME, _Node
from newstrace.resolve.owner import _group_roles, _owner, _surname_key
from newstrace.resolve.parts import family_first, name_parts

_ACRONYM = re.compile(r"\s*\(([A-Z](?:[A-Z&]|[a-z](?=[A-Z])){1,7})\)")
_THE = re.compile(r"\b[Tt]he\s+$")
# 'Marek Wierzbicki, no relation to the coach': a namesake of someone else in the story.
_MIDDLE_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,3}")  # W., H.W., HW
_NO_RELATION = re.compile(r"\s*[,(]\s*(?:who is\s+)?no relation\b")


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
            groups.setdefault((*key, _middle_initials(name)), []).append((mention, name))
    _join_unmarked_middles(groups)
    evidence: dict[tuple[str, ...], list[str]] = {}
    _merge_garbled_fulls(groups, evidence)
    _merge_surname_tails(groups, evidence)
    # What the article has said of each full group so far, for the next bare surname: its
    # members, and the bare surnames nearness gave it that wait for the clusters (a 'Mr
    # X' among them says X is a man for the mentions after it, as before they waited).
    fulls = [(key, list(group)) for key, group in groups.items()]
    seen = dict(fulls)
    # Each full group's distinct surname keys, kept up to date as bare surnames join it.
    surnames = {key: {n.surname_key for _, n in group if not n.patronymic} for key, group in fulls}
    for key, group in fulls:  # 'Mr Tuan' of Pham Minh Tuan, 'Sir Peregrine' of Peregrine Vane
        surnames[key] |= {n.call_key for _, n in group} - {""}
        # 'Ōnishi' of 'Ōnishi Kazuhiro', written family name first
        surnames[key] |= {surname_key(n.tokens[0]) for _, n in group if family_first(n.tokens)}
    # The second of a double surname, a surname without its particles ('Beethoven' of
    # Ludwig van Beethoven) and the last two words hyphenated ('Ravenscroft-Lowe' of Philippa
    # Ravenscroft Lowe) name the person only where no one bears them outright.
    seconds = {
        key: {
            k
            for _, n in group
            for k in (n.second_surname_key, _without_particles(n), _hyphened_tail(n))
        }
        - {""}
        for key, group in fulls
    }
    namesakes = {
        key for key, group in fulls if any(_NO_RELATION.match(text, m.end) for m, _ in group)
    }
    headline = headline_end(text)
    ambiguous: set[tuple[str, ...]] = set()
    choices: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
    sure: set[int] = set()  # bare surnames whose owner no nearness decided
    surname_like = {
        key for _, n in parsed if n.is_full for key in (n.surname_key, n.second_surname_key)
    }
    for mention, name in parsed:
        if name.is_full:
            continue
        bare = (len(name.tokens) == 1 or name.particle_led) and name.kind in (
            "person",
            "organisation",
        )
        if bare and (name.kind == "person" or _surname_key(name) in surname_like):
            owner, reason, unsure, rivals = _owner(
                mention, name, fulls, surnames, seconds, sure, namesakes, headline
            )
            if owner is not None:
                name.kind = "person"
                seen[owner].append((mention, name))
            if owner is not None and rivals:  # nearness chose: a node of its own (see _Node)
                groups[("d", str(mention.start))] = [(mention, name)]
                choices[("d", str(mention.start))] = (owner, *rivals)
                evidence[("d", str(mention.start))] = [reason]
                continue
            if owner is not None:
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
    _split_by_rank(groups)
    head_only: set[tuple[str, ...]] = set()
    defined = _attach_org_short_forms(text, groups, evidence, head_only)
    ordered = sorted(groups.items(), key=lambda item: min(m.start for m, _ in item[1]))
    ids = {key: (article_id, ordinal) for ordinal, (key, _) in enumerate(ordered)}
    nodes: list[_Node] = []
    for key, members in ordered:
        members.sort(key=lambda pair: pair[0].start)
        acronyms = defined.get(key, frozenset())
        unsure = key in ambiguous or key in choices
        node = _Node(ids[key], members, story, [], unsure, acronyms)
        node.choices = tuple(ids[choice] for choice in choices.get(key, ()))
        node.head_only = key in head_only
        node.evidence = list(dict.fromkeys(evidence.get(key, [])))
        nodes.append(node)
    return nodes


def _middle_initials(name: ParsedName) -> str:
    """The middle initials of a full name, letters sorted ('hw' of 'George H.W. Bush')."""
    letters = [fold(w) for w in name.tokens[1:-1] if _MIDDLE_INITIALS.fullmatch(w)]
    return "".join(sorted("".join(letters)))


def _join_unmarked_middles(groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]]) -> None:
    """George W. Bush and George H.W. Bush in one article are two people; 'George Bush' there
    is the one of them when only one middle is written, else a namesake of both."""
    marked: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for key in groups:
        if key[0] == "p" and key[3]:
            marked.setdefault(key[:3], []).append(key)
    for plain, keys in marked.items():
        if len(keys) == 1 and (*plain, "") in groups:
            joined = groups.pop((*plain, "")) + groups[keys[0]]
            groups[keys[0]] = sorted(joined, key=lambda pair: pair[0].start)


def _hyphened_tail(name: ParsedName) -> str:
    """The key of a 3+-word full name's last two words as one surname: a double surname
    written apart is read as middle name and surname, but its bare use keeps the hyphen."""
    if len(name.tokens) < 3 or name.patronymic:
        return ""
    return surname_key("-".join(name.tokens[-2:]))


def _without_particles(name: ParsedName) -> str:
    """The key of a full name's surname without the particles that open it ('Elmshagen' of
    'von Elmshagen'); "" for a surname that has none. Arabic articles are dropped by every
    surname key already."""
    words = name.surname.split()
    particles = rules().particles
    if name.patronymic:
        return ""  # 'Humaid' of 'Sultan bin Humaid' is his father
    while len(words) > 1 and fold(words[0]) in particles:
        words = words[1:]
    if len(words) == len(name.surname.split()):
        return ""
    return surname_key(" ".join(words))


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
            if first[3] and second[3] and first[3] != second[3]:
                continue  # George W. and George H.W. Bush: two presidents
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
    Rompuy', 'Abu Salim' after 'Raed Abu Salim' in one article: a two-word name that opens
    with no given name of the first-name table and is the double surname (or the surname with
    its particle, or the whole two-word surname) of one longer full name of the article is
    that person. Its words are read as the full name's, so 'Soto' of
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
            and (
                name_parts(n.tokens).second
                or tail[0] in rules().particles
                or [fold(w) for w in n.surname.split()] == tail
            )
        }
        if len(owners) == 1:
            ((owner, tokens),) = owners.items()
            shown = max((n.surface for _, n in groups[owner]), key=len)
            groups[owner].extend((m, replace(n, tokens=tokens)) for m, n in groups.pop(key))
            evidence.setdefault(owner, []).append(
                f"'{members[0][1].surface}' is the double surname of '{shown}' in the same article"
            )


def _split_by_rank(groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]]) -> None:
    """'General Wrenfield' and 'Captain Wrenfield' in an article naming no Wrenfield in full:
    two people (a father and his daughter), as two genders are. A rank's grade is its last
    word ('Brig. Gen.' and 'Gen.' agree); a mention with no rank goes with the nearest ranked
    one before it, else after it."""
    ranks = rules().ranks
    for key in [k for k in groups if k[0] == "n"]:
        members = groups[key]
        grades = [
            (mention.start, [t for t in name.titles if t in ranks][-1].split()[-1])
            for mention, name in members
            if name.kind == "person" and any(t in ranks for t in name.titles)
        ]
        if len({grade for _, grade in grades}) < 2:
            continue
        del groups[key]
        for mention, name in members:
            before = [g for s, g in grades if s <= mention.start]
            grade = before[-1] if before else grades[0][1]
            groups.setdefault((*key, grade), []).append((mention, name))


def _attach_org_short_forms(
    text: str,
    groups: dict[tuple[str, ...], list[tuple[Mention, ParsedName]]],
    evidence: dict[tuple[str, ...], list[str]],
    head_only: set[tuple[str, ...]],
) -> dict[tuple[str, ...], frozenset[str]]:
    """'Calloway' -> 'Calloway Polymers', 'MAB' -> 'Marine Accident Board (MAB)', a head word
    after 'the' ('the Infirmary' of 'Royal Tevern Infirmary') within one article, when exactly one
    longer organisation name fits; a head word after 'the' goes in ``head_only``. Returns
    the acronyms the article defines, by group, for other articles that use them alone."""
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
        the = any(  # 'the Infirmary said', not 'the SeaMicro product'
            _THE.search(text[max(0, m.start - 6) : m.start])
            and _NO_NOUN_AFTER.match(text[m.end : m.end + 12])
            for m, _ in members
        )
        if len(tokens) == 1 and the and _head_noun(tokens[0]):
            head_only.add(key)  # alone in its article, other articles may name it in full
        if not longer and len(tokens) == 1 and the:
            # its head word as a common noun: 'the Infirmary' of 'Royal Tevern Infirmary'
            longer = [o for o in orgs if len(o[1].split()) > 1 and o[1].split()[-1] == tokens[0]]
        short = members[0][1].surface
        target = acronyms.get(key[1]) if len(tokens) == 1 else None
        if target is None and len(longer) == 1 and not short.isupper():
            target = longer[0]
        if target is None or target == key or target not in groups:
            continue  # (not in groups: itself the short form of a longer name, taken)
        full = groups[target][0][1].surface
        groups[target].extend(groups.pop(key))
        evidence.setdefault(target, []).append(
            f"'{short}' is the short form of '{full}' in the same article"
        )
    defined: dict[tuple[str, ...], set[str]] = {}
    for acronym, key in acronyms.items():
        defined.setdefault(key, set()).add(acronym)
    return {key: frozenset(found) for key, found in defined.items()}


def _head_noun(key: str) -> bool:
    """Whether a one-word name key is a word that ends organisations' names ('Hospice',
    'Federation', 'Co-operative'), not a name of its own ('the Fed', 'the Cavaliers')."""
    compiled = rules()
    return key in compiled.org_suffixes or key in compiled.company_words
