"""Which full name of its article a bare surname ('Brenner', 'Mr Masry') refers to."""

from __future__ import annotations

from rapidfuzz import fuzz

from newstrace.model import Mention
from newstrace.resolve.keys import fold, role_key
from newstrace.resolve.names import ParsedName, role_words
from newstrace.resolve.node import GENERIC_ROLE_WORDS

FUZZY_LOCAL = 85.0  # rapidfuzz ratio of surname keys for a bare surname ("Chief Holmguard")


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
    namesakes: set[tuple[str, ...]],
    headline: int,
) -> tuple[tuple[str, ...] | None, str, bool, tuple[tuple[str, ...], ...]]:
    """The full name in this article that a bare surname refers to.

    Returns (the group's key, evidence, ambiguous, the namesakes it was chosen from when only
    nearness chose: the cross-article step may give it to the story's subject). A first surname
    goes before the second of a double surname ('Ortega': Luis Ortega, not José Luis Ramírez
    Ortega). Several people sharing the surname are told apart by whether they were named before
    the mention (how news introduces people: 'Mr Masry' is Tarek, not his brother Samir named
    after him), then by a shared title ("Dr Brandt" -> "Dr Owen Brandt"), by gender ("Ms"
    against a spokesman), then by the one an earlier bare surname named (``sure``: those no
    nearness decided), then by the nearest full name before the mention; if none comes before,
    the mention is left ambiguous. A gendered bare name ('Ms Tate') before the only full name
    that carries it, whose gender nothing says ('Idris Tate'), is someone named in another
    article; so is a titled one before the only full name, given no such role ('Sen. Costa
    questioned Rui Costa': the senator of the other articles), and a word tagged as an
    organisation before the only person it could name ('the strike at Oderin ... Per Oderin,
    the founder's grandson'): a surname is used after its person is introduced, and the title
    or the tag says it is no one's. Those two rules skip a headline (``headline`` its end),
    which names people by surname first ('Dr. Benjamin nominated' before 'Regina M.
    Benjamin'). A full name said to be 'no relation' (``namesakes``) owns no bare surname
    before it: that named the other one. A surname that only resembles the full names of its
    article, all named after it, is someone named elsewhere ('Åkerlind said ... Søren
    Aakerlund said'), not a garbling of theirs.
    """
    key = _surname_key(name)
    candidates: list[tuple[tuple[str, ...], list[tuple[Mention, ParsedName]], float]] = []
    for group_key, group in fulls:
        if group_key in namesakes and group[0][0].start > mention.start:
            continue  # the surname named someone else before this namesake came in
        best = max(
            (100.0 if k == key else fuzz.ratio(k, key) for k in surnames[group_key]), default=0.0
        )
        if best < 100.0 and key in seconds.get(group_key, set()):
            best = 99.0
        if not (best >= 99.0 or (best >= FUZZY_LOCAL and len(key) >= 5)):
            continue
        if not _spaced_otherwise(name, group):  # 'Mr van der Wiel' is not Jan Vanderwiel
            candidates.append((group_key, group, best))
    if not candidates:
        return _called_by_given(mention, name, fulls)
    exact = [c for c in candidates if c[2] == 100.0] or [c for c in candidates if c[2] == 99.0]
    pool = exact or candidates
    mine = {role_key(w) for r in [*name.titles, *name.roles] for w in role_words(r)}
    if mine:  # "Chief Lopez" is not "Rancher Mario Lopez", nor "the chief's son"
        pool = [c for c in pool if not _group_roles(c[1]) or mine & _group_roles(c[1])]
        pool = [c for c in pool if not mine & {role_key(w) for _, n in c[1] for w in n.kin_of}]
        if not pool:
            return None, "", False, ()
    if name.gender:  # "Mr Okafor" is not the only Okafor in the article if she is a woman
        pool = [c for c in pool if _gender(c[1]) in ("", name.gender)]
        if not pool:
            return None, "", False, ()
    if all(c[2] < 99.0 and c[1][0][0].start > mention.start for c in pool):
        return None, "", False, ()  # 'Åkerlind' before Søren Aakerlund: someone else
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
            return None, "", True, ()
        # The one the surname alone surely named already keeps it (the story's subject:
        # 'Brenner said ... his brother Jonas Brenner ... Brenner promised').
        pool = [c for c in before if any(m.start in sure for m, _ in c[1])]
        how, near = "of several, the one the surname alone already named", len(pool) != 1
        if near:
            last = {c[0]: max(m.start for m, _ in c[1] if m.start < mention.start) for c in before}
            before.sort(key=lambda c: -last[c[0]])
            pool, how = before, "of several, the nearest before it"
    group_key, group, score = pool[0]
    later = all(m.start > mention.start for m, _ in group)
    tagged = mention.label != "PERSON" and mention.start >= headline  # a headline is terse
    unsaid = bool(mine) and not mine & _group_roles(group) and mention.start >= headline
    if later and (tagged or unsaid or (name.gender and not _gender(group))):
        return None, "", False, ()
    if not near:
        sure.add(mention.start)
    full = max((n for _, n in group), key=lambda n: len(n.surface)).surface
    match = "matches" if score >= 99.0 else f"resembles ({score:.0f})"
    reason = f"surname '{mention.text}' {match} full name '{full}' in the same article ({how})"
    return group_key, reason, False, tuple(c[0] for c in pool[1:])


def _group_roles(group: list[tuple[Mention, ParsedName]]) -> set[str]:
    return {
        role_key(word)
        for _, n in group
        for role in [*n.titles, *n.roles]
        for word in role_words(role)
        if word not in GENERIC_ROLE_WORDS
    }


def _gender(group: list[tuple[Mention, ParsedName]]) -> str:
    return next((n.gender for _, n in group if n.gender), "")


def _called_by_given(
    mention: Mention,
    name: ParsedName,
    fulls: list[tuple[tuple[str, ...], list[tuple[Mention, ParsedName]]]],
) -> tuple[tuple[str, ...] | None, str, bool, tuple[tuple[str, ...], ...]]:
    """A one-word name that no one of the article bears as a surname but one person named
    before it bears as a given name ('Barack Obama ... Barack'): that person, not a namesake
    whose surname other articles spell alike (Tom Barrack)."""
    word = fold(name.surface)
    found = [
        (key, group)
        for key, group in fulls
        if group[0][0].start < mention.start
        and any(fold(n.given) == word for _, n in group if not n.initialled)
    ]
    if name.gender:  # 'Dr Mekonnen', 'Ms Almaz': called by the given name, as Ethiopians are
        found = [(k, g) for k, g in found if _gender(g) in ("", name.gender)]
    if len(name.tokens) != 1 or len(found) != 1:
        return None, "", False, ()
    full = max((n for _, n in found[0][1]), key=lambda n: len(n.surface)).surface
    reason = f"'{mention.text}' is the given name of '{full}' in the same article"
    return found[0][0], reason, False, ()


def _spaced_otherwise(name: ParsedName, group: list[tuple[Mention, ParsedName]]) -> bool:
    """Whether a bare surname writes its particles apart where the full names of a group
    glue them, or the other way round ('van der Wiel' / 'Vanderwiel'): one article spells
    one person's name one way, so these are two people."""
    bare = fold(name.surface if name.particle_led else name.tokens[-1])
    fulls = {fold(n.surname) for _, n in group if n.is_full}
    glued = {full.replace(" ", "") for full in fulls}
    return bool(fulls) and bare not in fulls and bare.replace(" ", "") in glued
