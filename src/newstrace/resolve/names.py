"""Name normalisation: what a mention's words say about who or what it names.

A mention such as "Mayor Helen Tolland's" or "Chief Holmguard" is turned into a parsed name:
titles and roles split off (from the mention and from the words around it in the article),
possessive dropped, accents folded, and keys computed that tolerate transliteration
(Hrebenko/Grebenko, Sergei/Sergey, Zelenskyy/Zelensky). The rules are data
(``data/name_rules.json``) so a desk can extend them without touching code.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from rapidfuzz import fuzz

KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "EVENT": "other",
}

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
}
_WORD = re.compile(r"[^\W\d_](?:[\w’'.-]*\w)?\.?", re.UNICODE)
_STOP = frozenset(
    {"a", "an", "the", "of", "for", "at", "in", "on", "to", "and", "with", "from", "by"}
    | {"who", "which", "that", "whose", "its", "his", "her", "their"}
)
_APPOSITIVE = re.compile(
    r",[ \t]+(?:who[ \t]+(?:is|was|serves[ \t]+as)[ \t]+)?(?:(?:a|an|the)[ \t]+)?"
    r"([^,.;:()\"“”\n]{3,90}?)(?=[ \t]+(?:who|which|that|whose)\b|[,.;:)\n]|$)"
)
# "a captain and no relation to the governor": what follows names someone else's role.
_NOT_RELATED = re.compile(
    r"(?:^|\s+(?:and|but)\s+)(?:(?:is|was)\s+)?(?:no relation|not related|unrelated)\b"
)
_BEFORE_APPOSITIVE = re.compile(r"\b[Tt]he\s+([a-z][a-z’' -]{1,60}),\s*$")


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


def given_gender(name: str) -> str:
    """'f' or 'm' for a given name borne almost only by women or by men, else ''."""
    return _given_genders().get(first_name_key(name), "")


FUZZY_GIVEN = 85.0  # ratio of two given names one garbling apart (from test2 errors; 80-92 fit)


@functools.lru_cache(maxsize=65536)  # compared for every pair of clusters under construction
def given_names_close(left: str, right: str) -> bool:
    """Whether two given names that no rule equates are one garbled or transliterated name
    (Andrzej/Andrej, Abdelkader/Abdelkadir, Fatima/Fatimah): near-identical as written or as
    keys, same initial, at least five letters, and not a woman's and a man's name
    (Aleksandr/Aleksandra, Daniel/Daniela)."""
    x, y = first_name_key(left), first_name_key(right)
    if x == y:
        return True
    folded = fold(left).replace(" ", ""), fold(right).replace(" ", "")
    if min(len(folded[0]), len(folded[1])) < 5 or folded[0][:1] != folded[1][:1]:
        return False
    genders = {_given_genders().get(x, ""), _given_genders().get(y, "")} - {""}
    if len(genders) > 1:
        return False
    return max(fuzz.ratio(*folded), fuzz.ratio(x, y)) >= FUZZY_GIVEN


def givens_agree(left: Iterable[str], right: Iterable[str]) -> bool:
    """Whether some given name of one side and some of the other name one person."""
    return any(given_names_close(x, y) for x in left for y in right)


def strip_possessive(text: str) -> str:
    """'Hrebenko’s' -> 'Hrebenko'; 'Reuters’' -> 'Reuters'."""
    text = re.sub(r"(?:’s|'s|ʼs)$", "", text)
    return re.sub(r"(?<=s)[’']$", "", text)


@dataclass
class ParsedName:
    """One mention's name after titles, roles and possessives are split off."""

    surface: str  # the name as written, without titles: "Helen Tolland"
    kind: str
    tokens: tuple[str, ...]  # name words as written
    titles: list[str] = field(default_factory=list)  # shown forms: "Mayor", "Dr"
    roles: list[str] = field(default_factory=list)  # phrases: "fire chief", "spokeswoman for X"
    gender: str = ""  # "f", "m" or "" from honorifics and gendered role words

    def add_given_gender(self) -> None:
        """A person named in full whose text gives no gender gets their given name's."""
        if self.kind == "person" and not self.gender and self.is_full:
            self.gender = given_gender(self.given)

    @property
    def key(self) -> str:
        """Exact identity key: accents, case, punctuation and possessives don't count."""
        return fold(" ".join(self.tokens))

    @property
    def is_full(self) -> bool:
        """A person named with given name and surname (not 'Hrebenko', not 'Mr Hale')."""
        return self.kind == "person" and len(self.tokens) >= 2

    @property
    def given(self) -> str:
        return self.tokens[0] if self.is_full else ""

    @property
    def surname(self) -> str:
        """The last name with its particles: 'van der Berg' for 'Anna van der Berg'."""
        if self.kind != "person" or not self.tokens:
            return ""
        return _surname(self.tokens)

    @property
    def surname_key(self) -> str:
        return translit_key(self.surname)

    @property
    def name_key(self) -> str:
        """Transliteration key of the whole name (places, organisations, full names)."""
        if self.kind == "place":
            group = rules().place_group.get(self.key)
            if group:
                return group
        return " ".join(translit_key(token) for token in self.tokens)


@functools.lru_cache(maxsize=65536)  # the hot path of bare-surname matching
def _surname(tokens: tuple[str, ...]) -> str:
    particles = rules().particles
    index = len(tokens) - 1
    while index > 1 and fold(tokens[index - 1]) in particles:
        index -= 1
    return " ".join(tokens[index:])


def parse_mention(text: str, start: int, end: int, label: str) -> ParsedName | None:
    """Parse the mention ``text[start:end]`` using the words around it for titles and roles.

    Returns None for a mention that is nothing but a title ("the Minister").
    """
    compiled = rules()
    surface = strip_possessive(text[start:end].strip())
    words = _WORD.findall(surface)
    kind = KINDS.get(label, "other")
    titles: list[str] = []
    gender = ""
    # Titles and honorifics inside the mention: "Gen. Sergei Surovikin", "Mr Hale".
    while words:
        taken, shown, hint = _leading_title(words)
        if not taken:
            break
        words = words[taken:]
        if shown:
            titles.append(shown)
        gender = gender or hint
    if not words:
        return None
    if titles and kind in ("organisation", "place", "other"):
        kind = "person"  # "Harbourmaster Inés Calvo" tagged ORG: a title names a person
    words = [w.rstrip(".") if not _is_initial(w) else w for w in words]
    if fold(words[-1]) in compiled.suffixes and len(words) > 1:
        words = words[:-1]
    if kind == "person" and len(words) > 1 and _is_org_name(words[-1]):
        kind = "organisation"  # "Fjordlink Ferries" tagged PERSON
    parsed = ParsedName(" ".join(words), kind, tuple(words), titles, [], gender)
    if kind == "person":
        _context_roles(parsed, text, start, end)
    elif kind in ("organisation", "other") and 2 <= len(words) <= 3:
        # "Celia Brand, speaker woman for Calloway Polymer": a role in apposition says the
        # tagger's ORG is a person.
        _context_roles(parsed, text, start, end)
        if parsed.roles and all(w[:1].isupper() for w in words):
            parsed.kind = "person"
        else:
            parsed.roles.clear()
            parsed.gender = ""
    parsed.add_given_gender()
    return parsed


def _is_initial(word: str) -> bool:
    return len(word) == 2 and word.endswith(".")


def _is_org_name(word: str) -> bool:
    lowered = fold(word)
    return any(lowered == s or (len(s) > 4 and lowered.endswith(s)) for s in rules().org_suffixes)


def _leading_title(words: list[str]) -> tuple[int, str, str]:
    """How many leading words form a title or honorific, its shown form, its gender hint."""
    compiled = rules()
    for size in range(min(compiled.max_title_words, len(words) - 1), 0, -1):
        key = _title_key(" ".join(words[:size]))
        if key in compiled.honorifics:
            return size, "", compiled.honorifics[key]
        if key in compiled.titles:
            return size, compiled.titles[key], compiled.gendered.get(key, "")
    return 0, "", ""


def _context_roles(parsed: ParsedName, text: str, start: int, end: int) -> None:
    """Roles from the words around a person mention, the way news introduces people.

    Before: a title ("Mayor Helen Tolland"), a premodifier ("Fire chief Tomas Holmgaard"),
    an apposition ("The mayor, Helen Tolland"). After: an apposition ("Celia Brandt, a
    spokeswoman for Calloway Polymers,").
    """
    line_start = max(text.rfind("\n", 0, start), start - 120, 0)
    before = text[line_start:start]
    words = before.split()
    # Title words directly before the mention: "Mayor " + "Helen Tolland".
    taken = 0
    for size in range(min(rules().max_title_words, len(words)), 0, -1):
        candidate = words[-size:]
        if candidate[0][:1].isupper() and _leading_title([*candidate, "x"])[0] == size:
            taken, shown, hint = _leading_title([*candidate, "x"])
            if shown:
                parsed.titles.insert(0, shown)
            parsed.gender = parsed.gender or hint
            break
    if not taken:
        premodifier = _premodifier(words)
        if premodifier:
            _add_role(parsed, premodifier)
        match = _BEFORE_APPOSITIVE.search(before)
        if match and _has_head(match.group(1)):
            _add_role(parsed, match.group(1))
    after = text[end : end + 160]
    after = re.sub(r"^(?:’s|'s)", "", after)
    match = _APPOSITIVE.match(after)
    phrase = _NOT_RELATED.split(match.group(1))[0].strip() if match else ""
    if phrase and _has_head(phrase):
        _add_role(parsed, phrase)
    elif phrase:  # "Owen Marsh, her brother and a builder,": not a role, but a gender
        for word in role_words(phrase)[:5]:
            parsed.gender = parsed.gender or rules().gendered.get(word, "")


def _premodifier(words: list[str]) -> str:
    """'Fire chief' in 'Fire chief Tomas Holmgaard': lower-case words ending in a role noun,
    plus a capitalised first word when it opens the sentence."""
    taken: list[str] = []
    for index in range(len(words) - 1, -1, -1):
        word = words[index]
        if not re.fullmatch(r"[A-Za-z’'-]+", word):
            break
        opens = index == 0 or words[index - 1].endswith((".", "!", "?", ":", "”", '"'))
        if word.islower() or (opens and word[:1].isupper() and word[1:].islower()):
            taken.insert(0, word)
            if not word.islower():
                break
            continue
        break
    while taken and fold(taken[0]) in _STOP:
        taken = taken[1:]
    if not taken or fold(taken[-1]) not in rules().role_heads:
        return ""
    return " ".join(taken).lower()


def _has_head(phrase: str) -> bool:
    heads = rules().role_heads
    return any(word in heads for word in role_words(phrase)[:5])


def _add_role(parsed: ParsedName, phrase: str) -> None:
    phrase = " ".join(phrase.split())
    if phrase and phrase not in parsed.roles:
        parsed.roles.append(phrase)
    for word in role_words(phrase):
        hint = rules().gendered.get(word)
        if hint:
            parsed.gender = parsed.gender or hint


def role_words(phrase: str) -> list[str]:
    """Content words of a role, folded: 'the district’s director of public health' ->
    ['district', 'director', 'public', 'health']."""
    cleaned = fold(re.sub(r"(?:’s|'s)\b", "", phrase))
    return [word for word in cleaned.split() if word not in _STOP]


def title_role_words(title: str) -> list[str]:
    """A shown title as comparable role words: 'Gen.' -> ['gen'], 'Prime Minister' -> [...]."""
    return fold(title).split()
