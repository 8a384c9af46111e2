"""Organisation and place name rules of the pair judge: short forms and acronyms,
Ukrainian/Russian and Arabic place spellings, look-alike villages. Split from ``judge``,
which asks them and adds the context each needs."""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz

from newstrace.resolve.keys import consonants, fold, legal_forms, org_words, rules, translit_key
from newstrace.resolve.node import _ORG_FILLER, _STOP_WORDS, _Node
from newstrace.resolve.sound import loosely_equal

FUZZY_FIRST_WORD = 85.0  # ratio of an organisation's garbled first word (Nothern)
FUZZY_PLACE = 85.0  # ratio of place name keys (Niger/Nigeria, 83, stay apart)
FUZZY_PLACE_WORD = 75.0  # ratio of each word of a place name of several words (Luka/Lozka 67)
MIN_SHARED_NAMES = 2  # other names two articles must share to count as one story
MIN_TRUNCATED = 4  # letters of a word cut short ('Semi' of 'Semiconductor', 'Litho')
# Vowels Arabic transliterations write either way (see ``place_variant``).
_VOWEL_SHIFT = str.maketrans("aio", "eeu")


def place_variant(a: _Node, b: _Node) -> tuple[int, float, str, str] | None:
    """A garbled or transliterated place name (Ternivka/Ternovka) that no rule derives, or
    one whose vowels waver as Arabic transliterations do (Jabal/Jebel Sarim: a, e and i
    one vowel, o and u another; not Dallas/Dulles)."""
    best = max(fuzz.ratio(x, y) for x in a.name_keys for y in b.name_keys)
    if min(len(a.display), len(b.display)) < 6:
        return None
    if any(_extends(x, y) or _extends(y, x) for x in a.keys for y in b.keys):
        return None  # Zolotopil is a village beside Zolotopillia, not a spelling of it
    if not any(_words_close(x, y) for x in a.name_keys for y in b.name_keys):
        return None  # Bielaja Luka and Bielaja Lozka: two villages sharing a word
    if best >= FUZZY_PLACE:
        return 2, best, f"near-identical place name {a.display}~{b.display}", ""
    if any(_loose_place(x, y) for x in a.keys for y in b.keys):
        return 2, best, f"place name romanised otherwise {a.display}~{b.display}", ""
    if any(
        x.translate(_VOWEL_SHIFT) == y.translate(_VOWEL_SHIFT) for x in a.keys for y in b.keys
    ):  # as written: 'Jabal' keys as 'Iabal'
        return 2, best, f"place name vowel variant {a.display}~{b.display}", ""
    return None


def slavic_place(a: _Node, b: _Node) -> bool:
    """Ukrainian and Russian spellings of one place (Pidhirne / Podgornoye): same place key,
    at least five letters; or four, for a Greek chi written Ch or H (Chios / Hios: the
    keys one letter apart, at the start)."""
    if not a.place_keys & b.place_keys:
        return False
    if min(len(a.display), len(b.display)) >= 5:
        return True
    return any(
        min(len(x), len(y)) >= 4 and (x[1:] == y or y[1:] == x)
        for x in a.name_keys
        for y in b.name_keys
    )


def org_short(a: _Node, b: _Node) -> tuple[int, str, str, int, str] | None:
    """An organisation's acronym or short form used in another article, with the context it
    needs (other names the two articles share; which person named in both is enough, see
    ``PairJudge._context``): tier 1 for an acronym the other article defines ('Corvale Water
    Authority (CWA)'), one name; tier 3 (kept only when it fits one organisation, see
    ``EntityIndex._one_owner``) for initials of three letters or more ('GPC' for 'Gulf
    Petroleum Company'), two names or one person named in full in both, for a company's first
    word alone ('Haeon' for 'Haeon Heavy Industries'), two names, and for the name less one
    word or its last words ('Water Authority', 'Harrowgate council'), two names or one
    person. Returned as ``org_core`` returns (no distinctive word to check)."""
    for short, full in ((a, b), (b, a)):
        if short.acronym and short.acronym in full.defined:
            return 1, f"acronym {short.display} defined for {full.display}", "", 1, ""
        if len(short.acronym) >= 3 and short.acronym in full.initials and not full.acronym:
            return 3, f"acronym {short.display} of {full.display}", "", MIN_SHARED_NAMES, "full"
        if short.acronym or full.acronym:
            continue
        for x in short.name_keys:
            for y in full.name_keys:
                words, longer = x.split(), y.split()
                if short.head_only and words == longer[-1:] and len(longer) > 1:
                    reason = f"head word {short.display} of {full.display}"  # 'the Hospice'
                    return 3, reason, "", MIN_SHARED_NAMES, "named"
                if len(words) >= 2 and longer[: len(words)] == words:
                    continue  # a leading part: tier 2 (``_org_variant``)
                if _short_form(words, longer):
                    reason = f"short form {short.display} of {full.display}"
                    return 3, reason, "", MIN_SHARED_NAMES, "named" if len(words) >= 2 else ""
    return None


def _short_form(short: list[str], full: list[str]) -> bool:
    """Whether ``short`` is ``full`` with words left out, keeping its first or last word (one
    word alone only as the first), or its last words with what places it left out ('Water
    Authority' of 'Harrow Basin Water Authority'; not 'University of Athens' of 'National
    Technical University of Athens', nor what an 'X of Y' belongs to)."""
    if len(short) == 1:  # 'Haeon' of 'Haeon Heavy Industries', not 'Intel' of 'Intel HD'
        company = rules().company_words
        return short[0] == full[0] and full[-1] in company and short[0] not in company
    while len(full) > len(short) + 1 and full[-1] in legal_forms() and short[-1] != full[-1]:
        full = full[:-1]  # 'Sorkh Cement' of 'Qaleh Sorkh Cement Company'
    if full[-len(short) :] == short and "of" not in (*short, full[-len(short) - 1]):
        # 'University of Athens' names its own place, and 'Tehran University' is what the
        # 'Geophysics Institute of Tehran University' belongs to: names, not short forms
        return True
    if len(full) - len(short) != 1 or (short[0] != full[0] and short[-1] != full[-1]):
        return False  # 'Sudanese Army' is not 'Sudanese Peoples Liberation Army North'
    rest = iter(full)
    return all(word in rest for word in short)


def _extends(longer: str, shorter: str) -> bool:
    """Whether a name is another with three letters or more added to its last word
    (Zolotopillia / Zolotopil; not Europe / European, nor Gulf States / Gulf State)."""
    rest = longer[len(shorter) :]
    return longer.startswith(shorter) and len(rest) >= 3 and " " not in rest


def first_words_agree(x: str, y: str) -> bool:
    """Same first word, or one garbling apart in a word of letters ('Nothern' / 'Northern';
    not '79th' / '81st')."""
    left, right = x.split()[:1], y.split()[:1]
    if left == right:
        return True
    return (
        bool(left and right)
        and left[0].isalpha()
        and right[0].isalpha()
        and min(len(left[0]), len(right[0])) >= 5
        and fuzz.ratio(left[0], right[0]) >= FUZZY_FIRST_WORD
    )


@functools.lru_cache(maxsize=65536)  # the same place names meet in many article pairs
def _words_close(x: str, y: str) -> bool:
    """Whether two place names of several words differ word by word by a spelling at most
    (Debre Selam / Debre Salam, Jabal / Jebel Sarim), not by a word (Bielaja Luka / Bielaja
    Lozka); names of one word, or of different lengths, are left to the whole-name ratio."""
    left, right = x.split(), y.split()
    if len(left) < 2 or len(left) != len(right):
        return True
    return all(
        fuzz.ratio(p, q) >= FUZZY_PLACE_WORD or consonants(p) == consonants(q)  # Jabal/Jebel
        for p, q in zip(left, right, strict=True)
    )


@functools.lru_cache(maxsize=65536)
def _loose_place(x: str, y: str) -> bool:
    """Two folded place names whose words one loose phonetic key joins, whose first vowels
    agree and that end alike in a vowel or not (Hrodna / Grodno, Qizilbulaq / Gyzylbulag,
    Ghaleh / Qaleh Sorkh; not Dallas / Dulles, Zolotopil / Zolotopolye)."""
    left, right = x.split(), y.split()
    if len(left) != len(right) or len(x) < 5:
        return False
    return all(
        _open(p) == _open(q)  # Zolotopil is not Zolotopolye
        and _first_vowel(p) == _first_vowel(q)
        and loosely_equal(p, q)
        for p, q in zip(left, right, strict=True)
    )


def _open(word: str) -> bool:
    """Whether a word ends in a vowel, a silent h aside (Ghaleh)."""
    return word.rstrip("h")[-1:] in ("a", "e", "i", "o", "u", "y")


def _first_vowel(word: str) -> str:
    found = re.search("[aeiouy]", word.replace("y", "i"))
    return found.group(0) if found else ""


def nested_names(x: str, y: str) -> bool:
    """Whether two folded organisation names may name one organisation: one is the other
    with words left out (or the same), or their distinctive words agree and one's generic
    meanings hold the other's ('Yelken Denizcilik' / 'Yelken Shipping'; not 'Brackwater
    Logistics' / 'Brackwater Capital', see ``org_parts``)."""
    short, full = sorted((x.split(), y.split()), key=len)
    rest = iter(full)
    if all(word in rest for word in short):
        return True
    core_x, kinds_x = org_parts(" ".join(translit_key(w) for w in org_words(x.split())))
    core_y, kinds_y = org_parts(" ".join(translit_key(w) for w in org_words(y.split())))
    return _cores_agree(core_x, core_y) and (kinds_x <= kinds_y or kinds_y <= kinds_x)


@functools.cache
def _generic_meanings() -> tuple[dict[str, str], frozenset[str], frozenset[str]]:
    """Generic organisation word (as a name key, also made singular) -> its meaning: the
    multilingual table, then company and organisation words, each its own meaning; the
    meanings of a trade (the table's and company words', not 'university' or 'council',
    which a place or a person gives its name to); legal forms and function words."""
    compiled = rules()
    meanings = {translit_key(word): translit_key(word) for word in compiled.org_suffixes}
    meanings |= {word: word for word in compiled.company_words}
    meanings |= compiled.org_generic
    meanings |= {_singular_key(word): meaning for word, meaning in meanings.items()}
    trade = frozenset(compiled.company_words) | frozenset(compiled.org_generic.values())
    stop = frozenset(translit_key(word) for word in _ORG_FILLER) | legal_forms()
    return meanings, trade, stop


def _singular_key(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("s") and not word.endswith("ss") else word


@functools.lru_cache(maxsize=65536)
def org_parts(key: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """An organisation's name key as its distinctive words, in order, and the meanings of its
    generic words ('Minera El Roble' -> (roble,), {mining}; 'Yelken Denizcilik' and 'Yelken
    Shipping' -> (yelken,), {shipping}); function words, legal forms and company words left
    out: they tell no firm from another."""
    meanings, _, stop = _generic_meanings()
    core: list[str] = []
    found: set[str] = set()
    for word in key.split():
        meaning = meanings.get(word) or meanings.get(_singular_key(word))
        if word in stop or meaning == "company":
            continue
        if meaning is None:
            core.append(word)
        else:
            found.add(meaning)
    return tuple(core), frozenset(found)


def _cores_agree(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """Same distinctive words, the first alike, a later one possibly cut short ('Formosa
    Litho' / 'Formosa Lithography'; not 'Jinhai Securities' / 'Jinhai Semi')."""
    if not left or len(left) != len(right) or left[0] != right[0]:
        return False
    for x, y in zip(left[1:], right[1:], strict=True):
        short, full = sorted((x, y), key=len)
        cut = len(short) >= MIN_TRUNCATED and len(full) - len(short) >= 3
        if x != y and not (cut and full.startswith(short)):
            return False
    return True


def org_rivals(a: _Node, b: _Node) -> bool:
    """Two organisations with the same distinctive words in different trades ('Brackwater
    Logistics Group' / 'Brackwater Capital'): two firms, whatever else their names share."""
    for x in a.name_keys:
        core_x, kinds_x = org_parts(x)
        for y in b.name_keys:
            core_y, kinds_y = org_parts(y)
            if (
                kinds_x
                and kinds_y
                and not (kinds_x <= kinds_y or kinds_y <= kinds_x)
                and _cores_agree(core_x, core_y)
            ):
                return True
    return False


def org_core(a: _Node, b: _Node) -> tuple[int, str, str, int, str] | None:
    """Two names of one organisation by their distinctive words (see ``org_parts``): the
    same but for company words or legal forms ('Sarim Desalination [Company]'), tier 1, as
    names of the same words; the same with the same generic meanings, in another language
    or cut short ('Yelken Denizcilik' / 'Yelken Shipping', 'Formosa Litho'), tier 2; the
    same with fewer generic words, those of a trade ('Vorozhsk Aluminium' of 'Vorozhsk
    Aluminium Plant'; not 'Columbia University' of its institute, nor 'Justice' of a
    ministry), tier 2; one distinctive word alone, as written ('Orvane' of 'Orvane
    Resources', 'El Roble' of 'Minera El Roble'), tier 3 (one fitting organisation). Not
    acronyms ('GE' is not 'GE Capital'). Returns the tier, the reason, the distinctive word
    of a bare one (the judge checks it names no place of either article) or '', and the
    context it needs (other names shared; which person named in both is enough, see
    ``PairJudge._context``)."""
    if a.acronym or b.acronym:
        return None
    trade = _generic_meanings()[1]
    found: tuple[int, str, str, int, str] | None = None
    for x in a.name_keys:
        core_x, kinds_x = org_parts(x)
        for y in b.name_keys:
            core_y, kinds_y = org_parts(y)
            if x == y or not _cores_agree(core_x, core_y):
                continue
            if kinds_x == kinds_y and core_x == core_y and _legal(x) != _legal(y):
                return 1, f"same words but legal ones {a.display}~{b.display}", "", 1, ""
            if kinds_x == kinds_y and (kinds_x or core_x != core_y):
                reason = f"same distinctive words {a.display}~{b.display}"
                return 2, reason, "", MIN_SHARED_NAMES, "full"
            if not (kinds_x < kinds_y or kinds_y < kinds_x) or not (kinds_x ^ kinds_y) <= trade:
                continue  # 'Columbia University's Institute' is a part of the university
            if (kinds_x and kinds_y) or len(core_x) > 1:
                return 2, f"short form {a.display}~{b.display}", "", MIN_SHARED_NAMES, "full"
            if _written_alike(a, b, core_x[0]):
                short = x if not kinds_x else y  # 'El Roble', two words: as a short form
                person = "named" if len(short.split()) >= 2 else ""
                reason = f"distinctive word of {a.display}~{b.display}"
                found = 3, reason, core_x[0], MIN_SHARED_NAMES, person
    return found


def _legal(key: str) -> frozenset[str]:
    """The company words and legal forms of a name key ('company', 'ltd', 'societe')."""
    meanings, _, stop = _generic_meanings()
    function = {translit_key(word) for word in _STOP_WORDS}
    return frozenset(
        word
        for word in key.split()
        if (word in stop and word not in function) or meanings.get(word) == "company"
    )


def _written_alike(a: _Node, b: _Node, key: str) -> bool:
    """Whether the two nodes write the distinctive word (a name key) alike, accents and case
    aside ('Harmony' is not the 'Harmonie Club', one key though they share)."""
    written = [
        {
            fold(word)
            for _, parsed in node.names
            for word in parsed.tokens
            if translit_key(word) == key
        }
        for node in (a, b)
    ]
    return not written[0].isdisjoint(written[1])
