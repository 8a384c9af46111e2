"""A loose phonetic key: the consonants of a name as every common romanisation writes them.

Transliterations of one name disagree in ways no per-language table lists in full
(Sidorenko / Sidarenka, Karagiannis / Karayannis, Qurbanov / Gurbanov, Kahanov / Kahanoff,
Hovhannes / Ovanes, Ghevond / Ghevont, Tzvi / Zvi, Kyzylbulak / Gyzylbulag): vowels waver,
voiced and voiceless consonants swap, digraphs (kh, gh, ph, th, sh, ts) stand for one sound,
an initial h is dropped or written g. The key keeps only what they agree on, so it is too
loose to join names alone: the resolver uses it to block candidates and asks more of them
(both given name and surname, and a shared story).
"""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz

_RULES = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"^yi", "i"),  # Yitzhak / Itzhak
        (r"^ch(?=[^aeiouy])", "h"),  # Chrysanthos / Hrysanthos
        (r"gi(?=[aeiou])", "y"),  # Karagiannis / Karayannis
        (r"ck", "k"),
        (r"c(?![hei])", "k"),  # Caragiannis / Karagiannis
        (r"x", "ks"),
        (r"q", "k"),
        (r"t[sz]", "s"),  # Tzanetakos / Tsanetakos, Tzvi / Zvi
        (r"[sz]c?h", "s"),  # Shrivastava / Srivastava, Zhenya / Jenya
        (r"ch", "c"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"dh", "d"),
        (r"(?<=[aeiou])u$", "v"),  # Belarusian Viachaslau / Vyacheslav
        (r"(?<=[aeiou])h(?=[aeiou])", "g"),  # Ihar / Igor, Kahanov
        (r"h", ""),  # Hovhannes / Ovanes, Hrodna (see ``loose_keys``)
        (r"w", "v"),
        (r"j", "y"),
        (r"z", "s"),
        (r"g", "k"),
        (r"d", "t"),
        (r"b", "p"),
        (r"v", "f"),
    )
)


def _skeleton(word: str) -> str:
    for pattern, repl in _RULES:
        word = pattern.sub(repl, word)
    word = re.sub(r"(.)\1+", r"\1", word)
    opening = "a" if word[:1] in "aeiouy" else ""
    return opening + re.sub("[aeiouy]", "", word)


@functools.lru_cache(maxsize=65536)
def loose_keys(folded: str) -> frozenset[str]:
    """The loose keys of one folded name word (spaces and hyphens ignored): its skeleton,
    and for an initial h also the skeleton that reads it g (Hrodna / Grodno, Ihar / Igor)."""
    word = folded.replace(" ", "").replace("-", "")
    if not word:
        return frozenset()
    keys = {_skeleton(word)}
    if word.startswith("h") and not word.startswith(("hs", "hw")):
        keys.add(_skeleton("g" + word[1:]))
    return frozenset(key for key in keys if len(key.lstrip("a")) >= 2)


# First letters that romanisations of one name write otherwise (Hovhannes / Ovanes, Hrodna /
# Grodno, Qurbanov / Gurbanov, Caragiannis / Karagiannis, Tzvi / Zvi, Yuri / Iouri); Tony and
# Diane, Michael Bennet and Michael Biundo are other names.
_ONSETS = frozenset(
    frozenset(pair)
    for pair in ("hg", "ha", "he", "hi", "ho", "hu", "ck", "cq", "kq", "gk", "gq", "tz", "yi",
                 "jy", "ji", "wv", "fp", "cs", "sz")
)  # fmt: skip
MIN_LOOSE_RATIO = 50.0  # rapidfuzz ratio two loosely equal words still need (Igor / Ihar 50)


def loosely_equal(left: str, right: str, min_ratio: float = MIN_LOOSE_RATIO) -> bool:
    """Whether two folded name words share a loose key, open alike (the same letter, or two
    that romanisations swap) and are at least ``min_ratio`` alike as written."""
    if not left or not right or loose_keys(left).isdisjoint(loose_keys(right)):
        return False
    if left[0] != right[0] and frozenset((left[0], right[0])) not in _ONSETS:
        return False
    return fuzz.ratio(left, right) >= min_ratio
