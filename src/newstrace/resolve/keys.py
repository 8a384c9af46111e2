"""Name keys: the rules file, folding and transliteration keys, given names, and how a
person's name words divide into given name and surname.

Everything here works on words, not on articles: ``names`` parses mentions with it, and
the resolver compares the keys it computes. The rules are data (``data/name_rules.json``)
so a desk can extend them without touching code.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from rapidfuzz import fuzz

from newstrace.resolve.sound import loosely_equal

_KNOWN_KEYS = {
    "honorifics",
    "titles",
    "role_heads",
    "gendered_words",
    "translit",
    "first_names",
    "places",
    "org_suffixes",
    "particles",
    "suffixes",
    "role_families",
    "surname_articles",
    "compound_given",
    "surname_first",
    "surname_first_given",
    "place_translit",
    "company_words",
    "feminine_surname_endings",
    "ranks",
    "title_modifiers",
    "title_heads",
    "called_by_given",
    "family_first_surnames",
    "east_asian_family_groups",
    "surname_suffix_words",
    "org_generic_words",
}


@dataclass(frozen=True)
class NameRules:
    """The compiled contents of ``name_rules.json``."""

    honorifics: dict[str, str]
    titles: dict[str, str]
    max_title_words: int
    role_heads: frozenset[str]
    gendered: dict[str, str]
    translit: tuple[tuple[re.Pattern[str], str], ...]
    first_name_group: dict[str, str]
    place_group: dict[str, str]
    org_suffixes: tuple[str, ...]
    particles: frozenset[str]
    suffixes: frozenset[str]
    role_family: dict[str, str]
    surname_articles: frozenset[str]
    compound_given: frozenset[str]
    surname_first: frozenset[str]
    surname_first_given: frozenset[str]  # also Western given names: Lee Baca
    place_translit: tuple[tuple[re.Pattern[str], str], ...]
    company_words: frozenset[str]  # as transliteration keys
    feminine_endings: tuple[str, ...]  # of surnames, as written in lower case
    ranks: frozenset[str]  # shown forms of titles that are ranks
    title_modifiers: frozenset[str]  # 'deputy', 'acting': a title of the title after them
    title_heads: frozenset[str]  # 'minister': a title of the capitalised words before them
    called_family_first: frozenset[str]  # Vietnamese family names: called by the given name
    called_middle_gender: dict[str, str]  # Vietnamese middle names that say a gender
    called_honorifics: frozenset[str]  # title keys said before a given name: Sir, Dame
    called_links: frozenset[str]  # bin, binti: the given name before them is what one is called
    called_patronymic: frozenset[str]  # Ethiopian given names: two of them, the first is called
    surname_suffixes: frozenset[str]  # 'nejad' of 'Kashefi Nejad': one surname with the word before
    family_first_surnames: frozenset[str]  # Hungarian, Japanese: written before the given name
    east_asian_family: dict[str, str]  # Lee / Yi / Rhee -> one of them
    org_generic: dict[str, str]  # generic word of organisations (as a key) -> its group's head


@functools.cache
def rules() -> NameRules:
    """Load and compile the bundled rules once per process."""
    text = resources.files("newstrace").joinpath("data", "name_rules.json").read_text("utf-8")
    return compile_rules(json.loads(text))


def compile_rules(data: dict[str, Any]) -> NameRules:
    """Validate and compile the JSON format documented in ``data/name_rules.json``."""
    unknown = {key for key in data if not key.startswith("_")} - _KNOWN_KEYS
    if unknown:
        raise ValueError(f"unknown keys in name rules: {sorted(unknown)}")
    translit = tuple((re.compile(pattern), repl) for pattern, repl in data["translit"])
    titles = {_title_key(key): value for key, value in data["titles"].items()}

    def groups(key: str, keyer: Any) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for group in data[key]:
            keys = [keyer(name) for name in group]
            for item in keys:
                mapping[item] = keys[0]
        return mapping

    def first_key(name: str) -> str:
        return _translit(fold(name), translit)

    return NameRules(
        honorifics={_title_key(k): v for k, v in data["honorifics"].items()},
        titles=titles,
        max_title_words=max(len(key.split()) for key in titles),
        role_heads=frozenset(data["role_heads"]),
        gendered=dict(data["gendered_words"]),
        translit=translit,
        first_name_group=groups("first_names", first_key),
        place_group=groups("places", fold),
        org_suffixes=tuple(data["org_suffixes"]),
        particles=frozenset(data["particles"]),
        suffixes=frozenset(data["suffixes"]),
        role_family={
            _role_stem(word): family[0] for family in data["role_families"] for word in family
        },
        surname_articles=frozenset(data["surname_articles"]),
        compound_given=frozenset(data["compound_given"]),
        surname_first=frozenset(data["surname_first"]),
        surname_first_given=frozenset(data["surname_first_given"]),
        place_translit=tuple((re.compile(p), repl) for p, repl in data["place_translit"]),
        company_words=frozenset(first_key(word) for word in data["company_words"]),
        feminine_endings=tuple(data["feminine_surname_endings"]),
        ranks=frozenset(data["ranks"]),
        title_modifiers=frozenset(data["title_modifiers"]),
        title_heads=frozenset(data["title_heads"]),
        called_family_first=frozenset(data["called_by_given"]["family_first"]),
        called_middle_gender=dict(data["called_by_given"]["middle_gender"]),
        called_honorifics=frozenset(map(_title_key, data["called_by_given"]["honorifics"])),
        called_links=frozenset(data["called_by_given"]["links"]),
        called_patronymic=frozenset(data["called_by_given"]["patronymic"]),
        surname_suffixes=frozenset(data["surname_suffix_words"]),
        family_first_surnames=frozenset(data["family_first_surnames"]),
        east_asian_family=groups("east_asian_family_groups", fold),
        org_generic={
            first_key(word): fold(group[0]) for group in data["org_generic_words"] for word in group
        },
    )


def _role_stem(word: str) -> str:
    return word[:6]


def role_key(word: str) -> str:
    """What a role word is compared on: its family ('boss' ~ 'executive'), else its stem."""
    stem = _role_stem(word)
    return rules().role_family.get(stem, stem)


_UNDECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "ı": "i",
        "ə": "a",  # Azerbaijani: Məmmədli / Mammadli
        "Ə": "A",
    }
)


@functools.lru_cache(maxsize=65536)  # names repeat across a corpus; folding is the hot path
def fold(text: str) -> str:
    """Accent-free, lower-case, apostrophe-free form: 'Inés O’Neill' -> 'ines oneill'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = re.sub(r"[’'ʼ`.]", "", stripped.casefold())
    return " ".join(re.sub(r"[^\w]+", " ", stripped).split())


def _title_key(word: str) -> str:
    return fold(word.replace("-", " "))


def _translit(token: str, compiled: tuple[tuple[re.Pattern[str], str], ...]) -> str:
    for pattern, repl in compiled:
        token = pattern.sub(repl, token)
    return re.sub(r"(.)\1+", r"\1", token)


@functools.lru_cache(maxsize=65536)
def translit_key(token: str) -> str:
    """Transliteration key of one folded token: spellings of one name share it."""
    return _translit(fold(token).replace(" ", ""), rules().translit)


def sound_key(key: str) -> str:
    """A surname key as it sounds, for one garbling that keeps the sound (Tate/Tait)."""
    return re.sub(r"(?<=[^aeiou])e$", "", key.replace("ai", "a"))


def first_name_key(token: str) -> str:
    """Key on which two given names agree: same transliteration or the same variant group."""
    key = translit_key(token)
    return rules().first_name_group.get(key, key)


@functools.cache
def _given_genders() -> dict[str, str]:
    """First-name key -> 'f' or 'm', from ``data/given_names.json``."""
    text = resources.files("newstrace").joinpath("data", "given_names.json").read_text("utf-8")
    data = json.loads(text)
    genders: dict[str, str] = {}
    for gender in ("f", "m"):
        for line in data[gender]:
            for name in line.split():
                key = first_name_key(name)
                if genders.setdefault(key, gender) != gender:
                    raise ValueError(f"given name {name!r} is listed as both 'f' and 'm'")
    return genders


def _form_key(name: str) -> str:
    """A given name as the short-form table knows it: its transliteration group when the
    first-name table has one (Dmytro ~ Dmitry), else as written, folded, double letters
    single (Motti ~ Moti; the transliteration key would equate English names: Harry ~ Gary)."""
    return rules().first_name_group.get(translit_key(name), re.sub(r"(.)\1+", r"\1", fold(name)))


@functools.cache
def _hypocorisms() -> dict[str, frozenset[str]]:
    """Given name (``_form_key``) -> the formal names it is a form of, from
    ``data/hypocorisms.json``; a form of a woman's and a man's name is left out."""
    text = resources.files("newstrace").joinpath("data", "hypocorisms.json").read_text("utf-8")
    forms: dict[str, set[str]] = {}
    for line in json.loads(text)["names"]:
        names = line.split()
        for name in names:
            forms.setdefault(_form_key(name), set()).add(_form_key(names[0]))
    heads = {head: given_gender(head) for found in forms.values() for head in found}
    return {
        key: frozenset(found)
        for key, found in forms.items()
        if len({heads[head] for head in found} - {""}) < 2
    }


def hypocoristic(left: str, right: str) -> bool:
    """Whether two given names are one name and its short form, or two short forms of one name
    (William / Bill / Liam, Francisco / Paco, Dmytro / Dima)."""
    x, y = _form_key(left), _form_key(right)
    table = _hypocorisms()
    return x != y and not table.get(x, frozenset({x})).isdisjoint(table.get(y, frozenset({y})))


def given_gender(name: str) -> str:
    """'f' or 'm' for a given name borne almost only by women or by men, else ''."""
    return _given_genders().get(first_name_key(name), "")


FUZZY_GIVEN = 85.0  # ratio of two given names one garbling apart (from test2 errors; 80-92 fit)
# Ratio of two given names with the same consonants, one vowel apart (Khalid/Khaled,
# Layla/Leila, Tariq/Tarek: 80 as keys; Hassan/Hussein, two names, stay under it).
FUZZY_GIVEN_VOWEL = 78.0
LOOSE_GIVEN = 70.0  # ratio of given names one loose key joins (Viachaslau 70; Marc / Margo 67)


@functools.lru_cache(maxsize=65536)  # compared for every pair of clusters under construction
def given_names_close(left: str, right: str) -> bool:
    """Whether two given names that no rule equates are one garbled or transliterated name
    (Andrzej/Andrej, Abdelkader/Abdelkadir, Fatima/Fatimah): near-identical as written or as
    keys, same initial, at least five letters, and not a woman's and a man's name
    (Aleksandr/Aleksandra, Daniel/Daniela)."""
    x, y = first_name_key(left), first_name_key(right)
    if x == y or hypocoristic(left, right):
        return True
    if romanised(left) and romanised(right) and east_asian_key(left) == east_asian_key(right):
        return True  # Hsiao-lung / Xiaolong, Chi-hun / Ji-hoon
    if "-" in left or "-" in right:
        return False  # romanised syllables: one letter apart is another name (Min-jun/Min-ju)
    folded = fold(left).replace(" ", ""), fold(right).replace(" ", "")
    known = [_given_genders().get(x, ""), _given_genders().get(y, "")]
    if len(set(known) - {""}) > 1:
        return False
    shortest = min(map(len, folded))  # four letters only nearly alike (Syed / Sayed)
    if (
        shortest >= 4
        and not all(known)
        and loosely_equal(*folded, LOOSE_GIVEN + 10 * (shortest < 5))
    ):
        return True  # Vyacheslav / Viachaslau, Ovanes / Hovhannes; not Gary / Cory, Dana / Dina
    if min(len(folded[0]), len(folded[1])) < 5 or folded[0][:1] != folded[1][:1]:
        return False
    if short_given(left, right):
        return True
    score = max(fuzz.ratio(*folded), fuzz.ratio(x, y))
    if score >= FUZZY_GIVEN:
        return True
    return score >= FUZZY_GIVEN_VOWEL and consonants(x) == consonants(y)


def short_given(left: str, right: str) -> bool:
    """Whether one given name is the other's short form by its opening letters (Funmi /
    Funmilayo, Christoph / Christopher): five letters at least and two or more left out, so a
    woman's name one letter longer than a man's (Aleksandr/Aleksandra) is no short form."""
    shorter, longer = sorted((fold(left), fold(right)), key=len)
    if " " in longer or "-" in longer or len(shorter) < 5:
        return False
    return len(longer) - len(shorter) >= 2 and longer.startswith(shorter)


def consonants(key: str) -> str:
    """A key without its vowels: what Arabic transliterations agree on."""
    return re.sub("[aeiouy]", "", key)


def vowel_variant(left: str, right: str) -> bool:
    """Two surname keys that differ only where transliterations of Arabic names waver, i
    against e and u against o (Khatib/Khateeb, Hashimi/Hashemi), at least four letters;
    Khatib and Khattab (i against a) are two names."""

    def shift(key: str) -> str:
        return key.replace("e", "i").replace("o", "u")

    return min(len(left), len(right)) >= 4 and left != right and shift(left) == shift(right)


def givens_agree(left: Iterable[str], right: Iterable[str]) -> bool:
    """Whether some given name of one side and some of the other name one person."""
    return any(given_names_close(x, y) for x in left for y in right)


_INITIALS = re.compile(r"[^\W\d_]\.(?:-?[^\W\d_]\.)*")  # J., J.-P., D.N.


def is_initial(word: str) -> bool:
    """'J.', a hyphenated given name's initials: 'J.-P.' (Jean-Pierre), and two given names'
    initials written together: 'D.N.' (Devendra Nath)."""
    return bool(_INITIALS.fullmatch(word))


_SYLLABLES = re.compile(
    r"(?:(?:ch|sh|zh|ts|hs|kk|tt|pp|ss|jj|[bcdfghjklmnpqrstwxyz])?"
    r"(?:yeo|yae|wae|iao|uai|eo|ae|ya|ye|yo|yu|wa|wo|we|wi|eu|ui|oe|oo|ee|ou|ao|ai|ei|ia|ie"
    r"|iu|ua|uo|[aeiou])(?:ng|[nklmp])?)+h?"  # Korean 'Soo-ah', 'Hye-oh'
)


def romanised(word: str) -> bool:
    """Whether a word is made of romanised Korean or Chinese syllables ('Ji-hoon', 'Lihua')
    and is not a given name of the first-name table."""
    parts = fold(word).split()
    return bool(parts) and not given_gender(word) and all(_SYLLABLES.fullmatch(p) for p in parts)


# Letters on which romanisations of Chinese and Korean disagree (Wade-Giles / pinyin,
# McCune-Reischauer / Revised): Tse-tung / Zedong, Hsiao-p'ing / Xiaoping, Chi-hun / Ji-hoon;
# Korean eo is also written o or u (Seok / Sok / Suk, Jeong / Jung), Cantonese o as u (Hong /
# Hung).
_EAST_ASIAN_FOLD = (
    ("hs", "s"), ("sh", "s"), ("x", "s"), ("zh", "c"), ("ch", "c"), ("q", "c"), ("ts", "c"),
    ("tz", "c"), ("z", "c"), ("j", "c"), ("k", "g"), ("p", "b"), ("t", "d"), ("eo", "u"),
    ("eu", "u"), ("oo", "u"), ("ieh", "ie"), ("ih", "i"), ("o", "u"),
)  # fmt: skip


@functools.lru_cache(maxsize=65536)
def east_asian_key(word: str) -> str:
    """A romanised Chinese or Korean name word as all its romanisations write it alike."""
    key = fold(word).replace(" ", "")
    for written, same in _EAST_ASIAN_FOLD:
        key = key.replace(written, same)
    key = re.sub(r"(?<=.[aeiou])h$", "", key)  # Suh / Seo, Yeh / Ye: a closing h is silent
    return re.sub(r"r(?=[^aeiou]|$)", "", key)  # Park / Pak


@functools.lru_cache(maxsize=65536)
def surname_key(surname: str) -> str:
    """Transliteration key of a surname without its Arabic article (al-Qasimi ~ Qasimi) or
    the silent h that ends many Arabic surnames after a vowel (Saadeh ~ Saade)."""
    words = fold(surname).split()
    articles = rules().surname_articles
    while len(words) > 1 and words[0] in articles:
        words = words[1:]
    return translit_key(re.sub(r"(?<=[a-z][aeiou])h$", "", " ".join(words)))


def glued_keys(surname: str) -> set[str]:
    """Keys of a surname written with its Arabic article apart ('el-Sayyad', 'Al Harbi') as
    it is also written, glued to it ('Elsayyad', 'Alharbi')."""
    words = fold(surname).split()
    if len(words) < 2 or words[0] not in rules().surname_articles:
        return set()
    rest = "".join(words[1:])
    return {translit_key(article + rest) for article in rules().surname_articles}


@functools.lru_cache(maxsize=65536)
def place_token_key(token: str) -> str:
    """One place word's key under the place rules (see ``ParsedName.place_key``)."""
    key = translit_key(token)
    for pattern, repl in rules().place_translit:
        key = pattern.sub(repl, key)
    return re.sub(r"(.)\1+", r"\1", key)


# Abbreviations of organisation words, as folded words ('Dept.' -> 'dept'); legal forms (Co.,
# Corp., Inc.) are left out: ``org_keys`` drops them whole.
_ORG_ABBREVIATIONS = {
    "dept": "department", "assn": "association", "assoc": "association", "univ": "university",
    "intl": "international", "natl": "national", "govt": "government", "bros": "brothers",
    "mfg": "manufacturing", "inst": "institute", "cttee": "committee", "coop": "cooperative",
}  # fmt: skip


def org_words(tokens: Iterable[str], singular: bool = False) -> list[str]:
    """An organisation's name words as its other spellings write them: abbreviations spelt
    out ('Dept.', 'co-op'), and with ``singular``, in names of two words or more (one word
    alone, 'Times', 'Time', is a name), the plural of a company or organisation word made
    singular ('Dolsan Ferries' / 'Dolsan Ferry Co.'; not 'United States') and a generic word
    of any language as its group's head ('Minera El Roble' / 'El Roble Mining', 'Yelken
    Denizcilik' / 'Yelken Shipping'; see ``org_generic_words``), and romanised Chinese or
    Korean words as all romanisations write them (``_romanised_word``)."""
    words = [fold(re.sub(r"(?i)^co-op$", "coop", token)).replace(" ", "") for token in tokens]
    words = [_ORG_ABBREVIATIONS.get(word, word) for word in words]
    if len(words) < 2 or not singular:
        return words
    compiled = rules()
    return [
        compiled.org_generic.get(translit_key(word))
        or compiled.org_generic.get(translit_key(_singular(word)))
        or (
            _singular(word)
            if word in compiled.org_suffixes or translit_key(word) in compiled.company_words
            else _romanised_word(word)
        )
        for word in words
    ]


def _romanised_word(word: str) -> str:
    """A word of romanised Chinese or Korean syllables, six letters at least (mostly two
    syllables), as every romanisation writes it ('Chialin' / 'Jialin Optronics'); other
    words as they are."""
    if len(word) >= 6 and romanised(word):
        return east_asian_key(word)
    return word


def _singular(word: str) -> str:
    """'ferries' -> 'ferry', 'lines' -> 'line', 'services' -> 'service'; 'news', 'bus',
    'press' and 'analysis' stay as written."""
    if len(word) < 5 or not word.endswith("s") or word.endswith(("ss", "us", "is", "ews")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


@functools.cache
def legal_forms() -> frozenset[str]:
    """Legal forms that end a company's name, as name keys: 'Company', 'Ltd'."""
    words = ("company", "co", "corp", "corporation", "ltd", "limited", "inc", "plc", "llc")
    return frozenset(translit_key(word) for word in words)
