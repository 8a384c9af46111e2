"""Name normalisation: what a mention's words say about who or what it names.

A mention such as "Mayor Helen Tolland's" or "Chief Holmguard" is turned into a parsed name:
titles and roles split off (from the mention and from the words around it in the article),
possessive dropped, accents folded, and keys computed that tolerate transliteration
(Hrebenko/Grebenko, Sergei/Sergey, Zelenskyy/Zelensky), computed in ``keys``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newstrace.resolve.keys import (
    _title_key,
    east_asian_key,
    fold,
    given_gender,
    is_initial,
    org_words,
    place_token_key,
    romanised,
    rules,
    surname_key,
    translit_key,
)
from newstrace.resolve.parts import name_parts

KINDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "EVENT": "other",
}

# Surname particles that are also given names or their short forms.
_GIVEN_PARTICLES = frozenset({"al", "el", "van", "ben", "st", "do", "ter"})
# A word of a name; 'a/l' and 'a/p' (anak lelaki / perempuan: son / daughter of, in Malaysian
# Indian names) are one word, the link 'bin' is.
_WORD = re.compile(r"(?i:a/[lp])(?!\w)|[^\W\d_](?:[\w’'.-]*\w)?\.?", re.UNICODE)
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
# A nickname in quotes or brackets inside a name: Vincent "The Chin" Gigante, Charles
# (Lucky) Luciano.
_NICKNAME = re.compile(r"(?<=\w)\s+[\"“‘'(][^\"“”‘’'()]{1,30}[\"”’')]\s+(?=\w)")
_BEFORE_APPOSITIVE = re.compile(r"\b[Tt]he\s+([a-z][a-z’' -]{1,60}),\s*$")


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
    settled: bool = False  # its article's words, not only the tagger, say what kind it is
    where: bool = False  # one word after 'in', 'from' ...: a place's vote (see ``kinds``)
    called: bool = False  # after an honorific of the given name: 'Sir Peregrine', 'Dame Hilary'
    kin_of: list[str] = field(default_factory=list)  # 'governor' of "the governor's nephew"

    def add_given_gender(self) -> None:
        """A person named in full whose text gives no gender gets their given name's; one
        whose surname has a woman's ending (Polish 'Wróblewska', Czech 'Nováková') is a
        woman, so a bare 'Judge Wróblewska' is not the man Marek Wróblewski beside her."""
        if self.kind != "person" or self.gender:
            return
        if self.is_full:
            self.gender = given_gender(self.given)
            parts = name_parts(self.tokens)
            if parts.called and len(self.tokens) > 2:  # Pham Thi Hoa, Le Van Minh
                self.gender = rules().called_middle_gender.get(fold(self.tokens[1]), self.gender)
        surname = self.surname.lower()
        if not self.gender and len(surname) > 5 and surname.endswith(rules().feminine_endings):
            self.gender = "f"

    @property
    def key(self) -> str:
        """Exact identity key: accents, case, punctuation and possessives don't count."""
        return fold(" ".join(self.tokens))

    @property
    def is_full(self) -> bool:
        """A person named with given name and surname (not 'Hrebenko', not 'Mr Hale', not
        'Van der Velde')."""
        return self.kind == "person" and len(self.tokens) >= 2 and not self.particle_led

    @property
    def particle_led(self) -> bool:
        """A surname that opens with its particle ('Van der Velde', 'De Jong', 'Le Pen'): no
        given name before it. A particle that is also a given name (Al Gore, Van Jones, Ben
        Carson) counts only before another particle."""
        if len(self.tokens) < 2:
            return False
        first, second = fold(self.tokens[0]), fold(self.tokens[1])
        particles = rules().particles
        if first not in particles or is_initial(self.tokens[0]):
            return False  # 'O. Brackwell' is an initial, 'O Brackwell' the Irish particle
        parts = name_parts(self.tokens)
        if parts.called or parts.surname == self.tokens[0]:
            return False  # Le Van Minh, Du Wei: a family name first
        return first not in _GIVEN_PARTICLES or second in particles

    @property
    def initialled(self) -> bool:
        """A person whose given name is written as initials ('J. R. Addleton', 'S. Venkatraman'):
        across articles a surname that only bearers of a given name with that initial own."""
        return self.is_full and is_initial(self.tokens[0])

    @property
    def given(self) -> str:
        return name_parts(self.tokens).given if self.is_full else ""

    @property
    def surname(self) -> str:
        """The surname with its particles: 'van der Berg' for 'Anna van der Berg', 'Park'
        for 'Park Ji-hoon', 'Ramírez' for 'José Luis Ramírez Ortega'."""
        if self.kind != "person" or not self.tokens:
            return ""
        if self.particle_led:
            return " ".join(self.tokens)
        return name_parts(self.tokens).surname

    @property
    def surname_key(self) -> str:
        return surname_key(self.surname)

    @property
    def east_key(self) -> str:
        """A Chinese or Korean name as every romanisation writes it, family name first in
        either order ('Mao Tse-tung' / 'Mao Zedong', 'Chi-hun Pak' / 'Park Ji-hoon')."""
        if not self.is_full or self.initialled:
            return ""
        parts = name_parts(self.tokens)
        if fold(parts.surname) not in rules().surname_first or not romanised(parts.given):
            return ""
        family = rules().east_asian_family.get(fold(parts.surname), parts.surname)
        return f"{east_asian_key(family)} {east_asian_key(parts.given)}"

    @property
    def call_key(self) -> str:
        """Key of the given name a person is called by alone, as a surname would be: 'Tuan' of
        'Pham Minh Tuan', 'Peregrine' of 'Sir Peregrine Vane' (see ``called_by_given``)."""
        if not self.is_full or self.initialled:
            return ""
        if self.called or name_parts(self.tokens).called:
            return surname_key(self.given)
        return ""

    @property
    def patronymic(self) -> bool:
        """A surname that is the father's given name ('Sultan bin Humaid', 'Kamarulzaman bin
        Ismail'): no one is called by it alone, so no bare name is matched on it."""
        words = self.surname.split()
        return self.is_full and len(words) > 1 and fold(words[0]) in rules().called_links

    @property
    def bare_keys(self) -> set[str]:
        """Keys a bare name may match this full name on across articles: its surname (not a
        father's name after 'bin'), and the given name it is called by."""
        return {"" if self.patronymic else self.surname_key, self.call_key} - {""}

    @property
    def second_surname_key(self) -> str:
        """The second of a double surname ('Ortega' of 'Ramírez Ortega'): alone it names the
        person only where no one else bears it as a first surname."""
        if self.kind != "person" or not self.is_full:
            return ""
        second = name_parts(self.tokens).second
        return surname_key(second) if second else ""

    @property
    def place_key(self) -> str:
        """Key on which Ukrainian and Russian spellings of one place agree (Pidhirne /
        Podgornoye, Rivne / Rovno): see ``place_translit`` in the rules."""
        return " ".join(place_token_key(token) for token in self.tokens)

    @property
    def name_key(self) -> str:
        """Transliteration key of the whole name (places, organisations, full names)."""
        if self.kind == "place":
            group = rules().place_group.get(self.key)
            if group:
                return group
        if self.kind == "organisation":
            return " ".join(translit_key(word) for word in org_words(self.tokens))
        return " ".join(translit_key(token) for token in self.tokens)


def parse_mention(text: str, start: int, end: int, label: str) -> ParsedName | None:
    """Parse the mention ``text[start:end]`` using the words around it for titles and roles.

    Returns None for a mention that is nothing but a title ("the Minister").
    """
    compiled = rules()
    surface = strip_possessive(text[start:end].strip())
    words = _WORD.findall(_NICKNAME.sub(" ", surface))
    kind = KINDS.get(label, "other")
    titles: list[str] = []
    gender, called = "", False
    # Titles and honorifics inside the mention: "Gen. Sergei Surovikin", "Mr Hale"; in a
    # mention tagged otherwise, only before a name that no organisation word ends, and not
    # in a place's name ("Harbourmaster Inés Calvo", "General Petraeus"; not "General
    # Hospital", "Sri Pada").
    while words:
        taken, shown, hint = _leading_title(words)
        rest = words[taken:]
        if kind != "person" and rest and not given_gender(rest[0]):
            company = translit_key(rest[-1]) in compiled.company_words
            if _is_org_name(rest[-1]) or company or kind == "place":
                break
        if not taken or (len(rest) > 1 and fold(rest[0]) in compiled.called_links):
            break  # 'Sultan bin Humaid': a title word before 'bin' is the given name
        called = called or _title_key(" ".join(words[:taken])) in compiled.called_honorifics
        words = words[taken:]
        if shown:
            titles.append(shown)
        gender = gender or hint
    if not words:
        return None
    if titles and kind in ("organisation", "place", "other"):
        kind = "person"  # "Harbourmaster Inés Calvo" tagged ORG: a title names a person
    if kind == "person" and "of" in words[1:-1]:
        words = words[: words.index("of", 1)]  # 'Chrysanthos of Palaiokastro': a see, no surname
    words = [w.rstrip(".") if not is_initial(w) else w for w in words]
    for index in range(len(words) - 1, 0, -1):  # 'Kashefi Nejad': one Persian surname
        if fold(words[index]) in compiled.surname_suffixes:
            words[index - 1 : index + 1] = [f"{words[index - 1]} {words[index]}"]
    # A noble rank between the given name and the particle: 'Hubertus Graf von Elmshagen'.
    for index in range(len(words) - 2, 0, -1):
        rank = _title_key(words[index])
        if rank in compiled.honorifics and fold(words[index + 1]) in compiled.particles:
            gender = gender or compiled.honorifics[rank]
            del words[index]
    if fold(words[-1]) in compiled.suffixes and len(words) > 1:
        words = words[:-1]
    if kind == "person" and len(words) > 1 and _is_org_name(words[-1]):
        kind = "organisation"  # "Fjordlink Ferries" tagged PERSON
    parsed = ParsedName(" ".join(words), kind, tuple(words), titles, [], gender, called=called)
    if kind == "person":
        _context_roles(parsed, text, start, end)
    elif kind in ("organisation", "other") and 2 <= len(words) <= 3:
        # "Celia Brand, speaker woman for Calloway Polymer": a role in apposition says the
        # tagger's ORG is a person, unless an organisation word ends it ("UN Security
        # Council, chaired by the French foreign minister").
        _context_roles(parsed, text, start, end)
        if parsed.roles and all(w[:1].isupper() for w in words) and not _org_word(words[-1]):
            parsed.kind = "person"
        else:
            parsed.roles.clear()
            parsed.gender = ""
    parsed.add_given_gender()
    return parsed


def _org_word(word: str) -> bool:
    """An organisation word of any table: 'Vorozhsk Aluminium Plant, controlled by ...' and
    'The operator, Rheinische Güterbahn AG' are no one's names."""
    key = translit_key(word)
    compiled = rules()
    return _is_org_name(word) or key in compiled.company_words or key in compiled.org_generic


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
    return _built_title(words)


def _built_title(words: list[str]) -> tuple[int, str, str]:
    """A title no list holds, built from its parts: a modifier before a title ('Deputy
    Minister', 'Acting Governor'), or one to three capitalised words that are no given name
    before a role noun ('Agriculture Minister', 'Trade Secretary')."""
    compiled = rules()
    if len(words) > 2 and fold(words[0]) in compiled.title_modifiers:
        taken, shown, hint = _leading_title(words[1:])
        if taken and shown:
            return taken + 1, f"{words[0].capitalize()} {shown}", hint
    for size in range(1, min(3, len(words) - 2) + 1):
        head = fold(words[size])
        if head in compiled.title_heads and all(
            re.fullmatch(r"[A-Z][a-z]+", word) and not given_gender(word) for word in words[:size]
        ):
            return size + 1, " ".join(word.lower() for word in words[: size + 1]), ""
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
    # Title words directly before the mention: "Mayor " + "Helen Tolland"; not across a
    # comma ("the Twelfth Doctor, Moffat said": no Dr Moffat).
    taken = 0
    adjacent = len(words) if words and words[-1][-1:] not in ",;:" else 0
    for size in range(min(rules().max_title_words, adjacent), 0, -1):
        candidate = words[-size:]
        if candidate[0][:1].isupper() and _leading_title([*candidate, "x"])[0] == size:
            taken, shown, hint = _leading_title([*candidate, "x"])
            if shown:
                parsed.titles.insert(0, shown)
            if _title_key(" ".join(candidate)) in rules().called_honorifics:
                parsed.called = True
            parsed.gender = parsed.gender or hint
            break
    if not taken:
        premodifier = _premodifier(words)
        if premodifier:
            _add_role(parsed, premodifier)
        match = _BEFORE_APPOSITIVE.search(before)
        if match and _has_head(match.group(1)):
            _add_role(parsed, match.group(1))
        elif match:
            _add_kin(parsed, match.group(1))
    after = text[end : end + 160]
    after = re.sub(r"^(?:’s|'s)", "", after)
    match = _APPOSITIVE.match(after)
    phrase = _NOT_RELATED.split(match.group(1))[0].strip() if match else ""
    _add_kin(parsed, phrase)
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


_KIN = re.compile(
    r"\b([a-z]+)(?:’s|'s)\s+(?:[a-z]+\s+)?(?:nephew|niece|son|daughter|brother|sister|wife"
    r"|husband|father|mother|cousin|uncle|aunt|widow|grandson|granddaughter)\b"
)


def _add_kin(parsed: ParsedName, phrase: str) -> None:
    """'the governor's nephew': whose kin the person is, by role (the governor is someone
    else, so a bare 'Governor Afrasiabi' is not this Afrasiabi)."""
    for found in _KIN.finditer(phrase):
        if found.group(1) in rules().role_heads and found.group(1) not in parsed.kin_of:
            parsed.kin_of.append(found.group(1))


def role_words(phrase: str) -> list[str]:
    """Content words of a role, folded, without its possessors: 'the district’s director of
    public health' -> ['director', 'public', 'health']; 'the judge's niece' is no judge."""
    cleaned = fold(re.sub(r"\S+(?:’s|'s)\b", "", phrase))
    return [word for word in cleaned.split() if word not in _STOP]


def title_role_words(title: str) -> list[str]:
    """A shown title as comparable role words: 'Gen.' -> ['gen'], 'Prime Minister' -> [...]."""
    return fold(title).split()
