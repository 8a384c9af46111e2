"""How a person's name words divide into given name and surname, across naming cultures:
Arabic compound given names, East Asian and Vietnamese family names first, Hungarian and
Japanese names written either way, Spanish double surnames, East Slavic patronymics, Malay
names joined by bin/binti. Split from ``keys`` (which compares the words)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from newstrace.resolve.keys import fold, given_gender, is_initial, romanised, rules


@functools.lru_cache(maxsize=65536)  # the hot path of bare-surname matching
def _surname(tokens: tuple[str, ...]) -> str:
    particles = rules().particles
    index = len(tokens) - 1
    while index > 1 and fold(tokens[index - 1]) in particles and not is_initial(tokens[index - 1]):
        index -= 1
    return " ".join(tokens[index:])


@dataclass(frozen=True)
class NameParts:
    """How a person's name words divide (see ``name_parts``)."""

    given: str
    surname: str
    second: str = ""  # the second of a double surname
    middle: str = ""  # further given names of the table: 'María' of 'José María Ferrándiz'
    called: bool = False  # called by the given name alone (see ``called_by_given``)


# Letter groups of Korean and Chinese romanisation that English and Spanish given names
# hardly have: 'Park Jihoon', 'Zhang Lihua' are family name first, 'Lee Baca' is not.
_EAST_ASIAN = re.compile(r"eo|oo|ae|eu|ui|ng|zh|x|q|ao|ua|iu|uo|yu|ya|yo|ye")

_JAPANESE = re.compile(r"(?:(?:sh|ch|ts|[kgsztdnhbpmyrwjf])?(?:[aeiou]|ou|uu|oo|ei|ai)n?)+")
_HUNGARIAN = re.compile(r"cs|zs|gy|^sz|[őű]")  # Szalontai Gábor


def family_first(tokens: tuple[str, ...]) -> bool:
    """Whether a two-word name may be written family name first: its first word is no given
    name of the table and is a Hungarian or Japanese family name (of the list, or by its
    letters), its second a given name of the table or, after a Japanese family name of the
    list, romanised Japanese (Kovács Ildikó, Tanaka Yumiko, Sato Yuko)."""
    if len(tokens) != 2 or given_gender(tokens[0]):
        return False
    first, second = fold(tokens[0]), fold(tokens[1])
    listed = first in rules().family_first_surnames
    if not given_gender(tokens[1]):
        return listed and bool(_JAPANESE.fullmatch(first) and _JAPANESE.fullmatch(second))
    return (
        listed
        or bool(_HUNGARIAN.search(tokens[0].lower()))
        or (len(first) >= 3 and bool(_JAPANESE.fullmatch(first) and _JAPANESE.fullmatch(second)))
    )


# An East Slavic patronymic: Petrovich, Ilyich, Ivanovna, Mykolaiovych, Petrivna.
_PATRONYMIC = re.compile(r"(?:[oe]vi?ch|[oe]vych|[^aeiou]i?ch|[oe]vna|ivna|ichna|ychna)$")


@functools.lru_cache(maxsize=65536)
def name_parts(tokens: tuple[str, ...]) -> NameParts:
    """Given name and surname of a person's name words.

    Arabic compound names are one name ('Abd al-Rahman', 'Omar Abdel Aziz'); a name opening
    with an East Asian family name followed by romanised syllables is read family name first
    (Park Ji-hoon, Park Ji Hoon); after a given name and any further given names of the
    first-name table (José Luis), two plain words are a double surname whose first one is the
    surname used alone (Ramírez Ortega -> Ramírez); otherwise the surname is the last word
    with its particles.
    """
    compiled = rules()
    if len(tokens) > 2:  # Ivan Petrovich Sidorov: a middle patronymic is neither name
        tokens = (tokens[0], *(t for t in tokens[1:-1] if not _PATRONYMIC.search(t)), tokens[-1])
    units: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        # 'Abd al-Rahman al-Qasimi': join only when a surname is left after the pair.
        room = len(tokens) - (2 if not units else 1)
        if fold(token) in compiled.compound_given and index < room:
            units.append(f"{token} {tokens[index + 1]}")
            index += 2
            continue
        units.append(token)
        index += 1
    if len(units) < 2:
        return NameParts("", " ".join(units))
    rest = units[1:]
    if (
        fold(units[0]) in compiled.called_family_first
        and 2 <= len(rest) <= 3
        and all(re.fullmatch(r"[a-z]{1,5}", fold(word)) and word[:1].isupper() for word in rest)
        and not given_gender(units[0])
    ):
        return NameParts(rest[-1], units[0], called=True)  # Pham Minh Tuan: Mr Tuan
    if len(units) == 2 and all(fold(word) in compiled.called_patronymic for word in units):
        return NameParts(units[0], units[1], called=True)  # Almaz Tesfaye: Ms Almaz
    if any(fold(word) in compiled.called_links for word in units[1:-1]):
        return NameParts(units[0], _surname(tuple(units)), called=True)  # Azmir bin Hafiz
    if (
        fold(units[0]) in compiled.surname_first
        and all(romanised(word) for word in rest)
        and (
            (len(rest) == 1 and ("-" in rest[0] or _EAST_ASIAN.search(fold(rest[0]))))
            or (len(rest) == 1 and fold(units[0]) not in compiled.surname_first_given)
            or (len(rest) == 2 and all(len(fold(w)) <= 4 for w in rest))
        )
    ):
        return NameParts("-".join(rest), units[0])
    # Further given names may be of the other gender: María José is a woman, José María a
    # man (the first one says which), so only an unknown word ends the given names.
    count, gender = 1, given_gender(units[0])
    while len(units) - count >= 2:
        more = given_gender(units[count])
        if not more:
            break
        gender, count = gender or more, count + 1
    rest = units[count:]
    plain = [
        word
        for word in rest
        if word[:1].isupper()
        and len(word) > 1
        and not is_initial(word)
        and not re.fullmatch(r"[A-Z]{2,3}", word)  # 'George HW Bush': initials, no surname
        and fold(word).split()[0] not in compiled.particles | compiled.surname_articles
    ]
    # Only after a given name the table knows ('Referee Tony Weeks', 'GM Ed Stefanski' are
    # a role before a name), and never a given name as the first surname.
    middle = " ".join(units[1:count])
    if len(rest) == 2 and len(plain) == 2 and gender and not given_gender(rest[0]):
        return NameParts(units[0], rest[0], rest[1], middle=middle)
    return NameParts(units[0], _surname(tuple(units)), middle=middle)
