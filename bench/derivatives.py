"""Seeded derivatives of news articles at labelled levels of derivation.

No public labelled set of spun news exists, so the provenance and quality benchmarks make
their own from ECB+ articles (``../shared/data/story_clustering/ecbplus/derived/``; originals
from ``dev`` for tuning, ``test`` for reporting). Each original yields one derivative per
variant:

=================  ================  ===================================================
level              variant           what changes
=================  ================  ===================================================
duplicate          boilerplate       the text verbatim, a new header and footer around it
near-duplicate     lead-only         the first 35-70% of the sentences (truncation)
near-duplicate     reorder-drop      15-30% of the sentences dropped, a few moved
rewrite            reword            common synonyms (half the content words), closing
                                     adverbials fronted, clauses moved, sentences split
                                     and merged, 20% of the body left out, connectives
                                     dropped and added
spun               synonym-spin      many words swapped for a random WordNet sense's lemma
spun               garble            machine-spin artefacts: articles and pronouns dropped,
                                     wrong word senses, fragment sentences ("rice field.",
                                     "I prepared."), garbled names, inverted negations,
                                     cut-off sentences
=================  ================  ===================================================

Variants other than boilerplate need at least three sentences (garble two); an original
too short for one yields no derivative of that variant, so no level holds verbatim copies
under another label. Likewise a reword that leaves as many of its unquoted body sentences
as it is (a connective aside) as it rewords yields nothing: mostly quotation, it would be a
light edit labelled a rewrite.

Quoted text (“...” and "...") is never changed, so derivatives share quotes with their
original as real copies do. Everything is deterministic for a seed: each derivative draws
from its own generator seeded by (seed, original id, variant), so the output does not
depend on which other originals or variants are asked for.

``python bench/derivatives.py --split dev`` prints per-variant statistics (5-gram Jaccard
with the original, sentences kept verbatim) to check that each level is what it says.

WordNet comes from Debian's ``wordnet-base`` (``/usr/share/wordnet``, or
``$NEWSTRACE_WORDNET``); its ``index.*`` and ``data.*`` files are read directly. Only the
word-level variants (reword, synonym-spin, garble) need it, and only when called.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

ECBPLUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "story_clustering" / "ecbplus"
DOCUMENTS = ECBPLUS / "derived" / "documents.jsonl"
NATURAL_PAIRS = ECBPLUS / "derived" / "natural_near_duplicates_5gram.tsv"
WORDNET_DIR = Path(os.environ.get("NEWSTRACE_WORDNET", "/usr/share/wordnet"))

LEVELS = {
    "boilerplate": "duplicate",
    "lead-only": "near-duplicate",
    "reorder-drop": "near-duplicate",
    "reword": "rewrite",
    "synonym-spin": "spun",
    "garble": "spun",
}
VARIANTS = tuple(LEVELS)
MIN_SENTENCES = 3  # sentence-level and word-level variants need a body to work on
DROP_REWORD = 0.2  # share of unquoted body sentences a rewrite leaves out


@dataclass(frozen=True)
class Derivative:
    id: str
    text: str
    original_id: str
    level: str  # duplicate | near-duplicate | rewrite | spun
    variant: str  # boilerplate | lead-only | reorder-drop | reword | synonym-spin | garble


def load_ecbplus(split: str, path: Path = DOCUMENTS) -> list[dict[str, object]]:
    """The ``documents.jsonl`` rows of one split (train, dev, test), in file order."""
    if split not in {"train", "dev", "test"}:
        raise ValueError(f"unknown ECB+ split {split!r}")
    with path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return [row for row in rows if row["split"] == split]


def load_natural_pairs(path: Path = NATURAL_PAIRS) -> list[tuple[str, str]]:
    """The natural near-copy pairs inside ECB+ (doc_a, doc_b), the real-world check."""
    pairs = []
    with path.open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2:
                pairs.append((cols[0], cols[1]))
    return pairs


def generate(
    originals: Sequence[tuple[str, str]], seed: int, variants: Sequence[str] | None = None
) -> list[Derivative]:
    """One derivative per (original, variant), in that order; deterministic for a seed.

    A variant that cannot make what its level says from this original (a lead-only copy
    of a two-sentence article, a garble of a headline alone) yields no derivative rather
    than a verbatim copy under another label.
    """
    chosen = tuple(variants) if variants is not None else VARIANTS
    unknown = [v for v in chosen if v not in LEVELS]
    if unknown:
        raise ValueError(f"unknown variants {unknown}; known: {list(VARIANTS)}")
    out = []
    for original_id, text in originals:
        for variant in chosen:
            rng = random.Random(f"{seed}\x1f{original_id}\x1f{variant}")
            new_text = _MAKERS[variant](text, rng)
            if new_text is None or new_text.strip() == text.strip():
                continue  # the variant cannot apply to so short an article
            out.append(
                Derivative(
                    id=f"{original_id}~{variant}",
                    text=new_text,
                    original_id=original_id,
                    level=LEVELS[variant],
                    variant=variant,
                )
            )
    return out


# ---------------------------------------------------------------------------------------
# Sentences and quotes

_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|Jr|Sr|Inc|Co|Corp|No|vs|Mt|Ft|Ave"
    r"|Blvd|(?i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|[A-Z]|[ap]\. ?m|[AP]\. ?M)\.)$"
)
# "£1. 7m", "2. 5 percent": a number the detokenised text spaced after its point.
_SPACED_NUMBER = re.compile(r"\d\.$")
_BOUNDARY = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
# ECB+'s detokenized text sometimes closes a quote with “ again: accept that as a close.
_QUOTED = re.compile(r"“[^“”]{0,2000}[”“]|\"[^\"]{0,1500}\"|‘[^’\n]{3,300}’(?![a-z])")


@dataclass
class _Sentence:
    text: str
    sep: str  # what followed it in the original: "\n", "\n\n" or " "
    start: int = 0  # offsets in the original text
    end: int = 0
    quoted: bool = False  # touches a quotation
    open_end: bool = False  # ends inside a quotation that goes on after it
    contained: bool = True  # every quotation it touches lies wholly inside it


def _split_sentences(text: str) -> list[_Sentence]:
    sentences: list[_Sentence] = []
    for match in re.finditer(r"([^\n]*)(\n*)", text):
        line, breaks = match.group(1), match.group(2)
        if not line.strip():
            if breaks and sentences:
                sentences[-1].sep += breaks
            continue
        start = 0
        for boundary in _BOUNDARY.finditer(line):
            head = line[start : boundary.start() + 1]
            spaced_number = (
                _SPACED_NUMBER.search(head) and line[boundary.end() : boundary.end() + 1].isdigit()
            )
            if _ABBREV.search(head) or spaced_number or _inside_quote(line, boundary.start()):
                continue
            piece = line[start : boundary.end()].rstrip()
            base = match.start() + start
            sentences.append(_Sentence(piece, " ", base, base + len(piece)))
            start = boundary.end()
        rest = line[start:]
        base = match.start() + start + len(rest) - len(rest.lstrip())
        rest = rest.strip()
        sentences.append(_Sentence(rest, breaks or "\n", base, base + len(rest)))
    for sentence in sentences:
        sentence.sep = "\n\n" if sentence.sep.count("\n") >= 2 else sentence.sep[:1] or " "
    return [s for s in sentences if s.text]


def _inside_quote(line: str, pos: int) -> bool:
    opens = line.count("“", 0, pos)
    closes = line.count("”", 0, pos)
    return opens > closes or line.count('"', 0, pos) % 2 == 1


def _join(sentences: Sequence[_Sentence]) -> str:
    return "".join(s.text + s.sep for s in sentences).strip() + "\n"


def _outside_quotes(text: str, fn: Callable[[str], str]) -> str:
    """Apply ``fn`` to the stretches of ``text`` outside quotation marks."""
    return _outside_spans(text, [m.span() for m in _QUOTED.finditer(text)], fn)


def _outside_spans(text: str, spans: Sequence[tuple[int, int]], fn: Callable[[str], str]) -> str:
    out, last = [], 0
    for start, end in spans:
        if start < last:
            continue
        out.append(fn(text[last:start]))
        out.append(text[start:end])
        last = end
    out.append(fn(text[last:]))
    return "".join(out)


def _map_words(text: str, sentences: list[_Sentence], fn: Callable[[str], str]) -> list[_Sentence]:
    """Apply ``fn`` to each sentence outside the quotes of the whole text (quotes may span
    sentences and lines); marks the sentences that touch a quote."""
    quotes = [m.span() for m in _QUOTED.finditer(text)]
    out = []
    for s in sentences:
        inner = [
            (max(a, s.start) - s.start, min(b, s.end) - s.start)
            for a, b in quotes
            if a < s.end and b > s.start
        ]
        new = _outside_spans(s.text, inner, fn)
        open_end = any(a < s.end < b for a, b in quotes)
        contained = all(a >= s.start and b <= s.end for a, b in quotes if a < s.end and b > s.start)
        out.append(_Sentence(new, s.sep, s.start, s.end, bool(inner), open_end, contained))
    return out


def _has_quote(text: str) -> bool:
    return any(mark in text for mark in '“”"')


# ---------------------------------------------------------------------------------------
# Duplicate and near-duplicate

_OUTLETS = (
    "Daily Ledger", "Metro Wire", "The Courier Online", "NewsNow 24", "Harbor Post",
    "Valley Tribune", "World Report Hub", "Capital Dispatch",
)  # fmt: skip


def _boilerplate(text: str, rng: random.Random) -> str:
    outlet = rng.choice(_OUTLETS)
    headers = (
        f"{outlet} | Staff report\n\n",
        f"By {outlet} staff\n\n",
        f"Posted by {outlet} editors\nShare on Facebook · Share on Twitter\n\n",
    )
    footers = (
        f"\n\nCopyright {rng.randint(2005, 2014)} {outlet}. All rights reserved.",
        f"\n\nThis story was first published by {outlet}. Follow us on Twitter for updates.",
        f"\n\nRelated: More news from {outlet}\nSign up for our daily newsletter.",
    )
    return rng.choice(headers) + text.strip() + rng.choice(footers) + "\n"


def _lead_only(text: str, rng: random.Random) -> str | None:
    sentences = _split_sentences(text)
    if len(sentences) < MIN_SENTENCES:
        return None
    keep = min(len(sentences) - 1, max(1, round(len(sentences) * rng.uniform(0.35, 0.7))))
    return _join(sentences[:keep])


def _reorder_drop(text: str, rng: random.Random) -> str | None:
    sentences = _split_sentences(text)
    if len(sentences) < MIN_SENTENCES:
        return None
    body = sentences[1:]
    # Dropped sentences carry news (a dateline or "he said." dropped changes nothing).
    droppable = [i for i, s in enumerate(body) if len(s.text.split()) >= 6]
    n_drop = min(len(droppable), len(body) - 1, max(1, round(len(body) * rng.uniform(0.15, 0.3))))
    if n_drop < 1:
        return None
    dropped = set(rng.sample(droppable, n_drop))
    body = [s for i, s in enumerate(body) if i not in dropped]
    for _ in range(rng.randint(1, 3)):
        if len(body) < 2:
            break
        i = rng.randrange(len(body))
        j = rng.randrange(len(body))
        body.insert(j, body.pop(i))
    return _join([sentences[0], *body])


# ---------------------------------------------------------------------------------------
# WordNet


class WordNet:
    """Lemmas and synsets read from the WordNet 3.0 database files (index.*, data.*)."""

    POS: ClassVar[dict[str, str]] = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

    def __init__(self, root: Path = WORDNET_DIR) -> None:
        if not (root / "index.noun").exists():
            raise FileNotFoundError(
                f"WordNet not found under {root}: install Debian's wordnet-base "
                "(make bench-deps) or set NEWSTRACE_WORDNET"
            )
        self.root = root
        self.index: dict[str, dict[str, tuple[int, list[int]]]] = {}
        self.exceptions: dict[str, dict[str, str]] = {}
        self._data: dict[str, bytes] = {}
        for pos, name in self.POS.items():
            entries: dict[str, tuple[int, list[int]]] = {}
            with (root / f"index.{name}").open(encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith(" "):
                        continue
                    cols = line.split()
                    n_synsets, n_ptrs = int(cols[2]), int(cols[3])
                    tagged = int(cols[5 + n_ptrs])
                    offsets = [int(c) for c in cols[6 + n_ptrs : 6 + n_ptrs + n_synsets]]
                    entries[cols[0]] = (tagged, offsets)
            self.index[pos] = entries
            exc: dict[str, str] = {}
            with (root / f"{name}.exc").open(encoding="utf-8") as handle:
                for line in handle:
                    cols = line.split()
                    if len(cols) >= 2:
                        exc.setdefault(cols[0], cols[1])
            self.exceptions[pos] = exc
        self.irregular: dict[str, list[str]] = {}
        for inflected, base in self.exceptions["v"].items():
            self.irregular.setdefault(base, []).append(inflected)

    def synset_words(self, pos: str, offset: int) -> list[str]:
        data = self._data.get(pos)
        if data is None:
            data = (self.root / f"data.{self.POS[pos]}").read_bytes()
            self._data[pos] = data
        end = data.index(b"\n", offset)
        cols = data[offset:end].decode("utf-8").split()
        n_words = int(cols[3], 16)
        words = [re.sub(r"\(.*\)$", "", cols[4 + 2 * i]) for i in range(n_words)]
        return [w.replace("_", " ") for w in words]

    def tagged(self, lemma: str, pos: str) -> int:
        entry = self.index[pos].get(lemma.replace(" ", "_").lower())
        return entry[0] if entry else 0

    def analyse(self, word: str) -> list[tuple[str, str, str]]:
        """(pos, base form, inflection) readings of a lowercase word form."""
        readings = []
        for pos, rules in _MORPHY.items():
            exc = self.exceptions[pos].get(word)
            if exc and exc in self.index[pos]:
                readings.append((pos, exc, _irregular_kind(pos, word)))
                continue
            if word in self.index[pos]:
                readings.append((pos, word, ""))
                continue
            for suffix, ending, kind in rules:
                if word.endswith(suffix) and len(word) > len(suffix) + 2:
                    base = word[: len(word) - len(suffix)] + ending
                    if base in self.index[pos]:
                        readings.append((pos, base, kind))
                        break
        return readings


_MORPHY: dict[str, list[tuple[str, str, str]]] = {
    "n": [("ies", "y", "pl"), ("ches", "ch", "pl"), ("shes", "sh", "pl"), ("xes", "x", "pl"),
          ("ses", "s", "pl"), ("men", "man", "pl"), ("s", "", "pl")],
    "v": [("ies", "y", "s"), ("es", "e", "s"), ("es", "", "s"), ("s", "", "s"),
          ("ied", "y", "ed"), ("ed", "e", "ed"), ("ed", "", "ed"),
          ("ing", "e", "ing"), ("ing", "", "ing")],
    "a": [("er", "", ""), ("est", "", "")],
    "r": [],
}  # fmt: skip


def _irregular_kind(pos: str, word: str) -> str:
    if pos == "n":
        return "pl"
    if pos == "v":
        return "ing" if word.endswith("ing") else "ed"
    return ""


@functools.cache
def wordnet() -> WordNet:
    return WordNet()


def _inflect(wn: WordNet, lemma: str, pos: str, kind: str) -> str:
    if not kind:
        return lemma
    head, _, last = lemma.rpartition(" ")
    prefix = head + " " if head else ""
    if pos == "v" and " " in lemma:  # phrasal verb: inflect the first word
        first, _, rest = lemma.partition(" ")
        return _inflect(wn, first, pos, kind) + " " + rest
    if kind == "pl":
        return prefix + _plural(last)
    if kind == "s":
        return prefix + _plural(last)
    if kind == "ed":
        forms = [f for f in wn.irregular.get(last, []) if not f.endswith("ing")]
        if forms:
            return prefix + forms[0]
        if last.endswith("e"):
            return prefix + last + "d"
        if last.endswith("y") and last[-2:-1] not in "aeiou":
            return prefix + last[:-1] + "ied"
        return prefix + last + "ed"
    if kind == "ing":
        if last.endswith("ie"):
            return prefix + last[:-2] + "ying"
        if last.endswith("e") and not last.endswith("ee"):
            return prefix + last[:-1] + "ing"
        return prefix + last + "ing"
    return lemma


def _plural(word: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


_STOP_WORDS = """a about above after again against all also am an and any are as at be been
    before being below between both but by can could did do does doing down during each few
    for from further
    had has have having he her here hers him his how i if in into is it its itself just me more
    most my no nor not now of off on once only or other our out over own same she should so
    some such than that the their them then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you your
    said says say told according year years percent people new one two three four five first
    last time week day monday tuesday wednesday thursday friday saturday sunday yesterday today
    get got make made take took go went come came see seen know known think well back even
    still many much may might must shall like including since another"""
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"\b[a-z][a-z]+(?:-[a-z]+)*\b")


def _substitute(
    rng: random.Random, rate: float, pick: Callable[[str, random.Random], str | None]
) -> Callable[[str], str]:
    """A chunk function replacing lowercase content words, each with probability ``rate``."""

    def replace(match: re.Match[str]) -> str:
        word = match.group()
        if word in _STOP or len(word) < 3 or rng.random() >= rate:
            return word
        return pick(word, rng) or word

    return lambda chunk: _WORD.sub(replace, chunk)


def _conservative_synonym(word: str, rng: random.Random) -> str | None:
    """A common single-word synonym from the word's first sense, when its part of speech is
    unambiguous (a writer's choice, fluent); None when there is none."""
    wn = wordnet()
    readings = wn.analyse(word)
    if len(readings) != 1:
        return None
    pos, base, kind = readings[0]
    _, offsets = wn.index[pos][base]
    candidates = []
    for offset in offsets[:1]:
        for lemma in wn.synset_words(pos, offset):
            if " " in lemma or "-" in lemma or lemma.lower() == base or not lemma.islower():
                continue
            if wn.tagged(lemma, pos) >= 3 and lemma not in candidates:
                candidates.append(lemma)
    if not candidates:
        return None
    return _inflect(wn, rng.choice(candidates), pos, kind)


def _random_sense(word: str, rng: random.Random, skip_first: bool = False) -> str | None:
    """A lemma from a random sense of the word, any part of speech it can be: the
    spinner's choice, often the wrong sense."""
    wn = wordnet()
    readings = wn.analyse(word)
    if not readings:
        return None
    pos, base, kind = rng.choice(readings)
    _, offsets = wn.index[pos][base]
    if skip_first and len(offsets) > 1:
        offsets = offsets[1:]
    lemmas = [
        lemma
        for offset in rng.sample(offsets, min(3, len(offsets)))
        for lemma in wn.synset_words(pos, offset)
        if lemma.lower() != base and lemma.islower()
    ]
    if not lemmas:
        return None
    return _inflect(wn, rng.choice(lemmas), pos, kind)


# ---------------------------------------------------------------------------------------
# Rewrite


_CONNECTIVES_OUT = re.compile(r"^(However|Meanwhile|Also|In addition|Moreover|But|And),?\s+")
_CONNECTIVES_IN = ("Meanwhile, ", "In addition, ", "Separately, ", "At the same time, ",
                   "Moreover, ", "Also, ")  # fmt: skip
_ANY_CONNECTIVE = re.compile(
    r"^(?:However|Meanwhile|Also|In addition|Moreover|But|And|Separately|At the same time),?\s+"
)
_SHIFTABLE = "The A An He She It They This That These Those His Her Its Their There We I"
_SHIFTABLE_START = frozenset(_SHIFTABLE.split())
_FRONTED = re.compile(
    r"^(After|When|While|Although|Though|Because|As|Since|Despite|Before|Following)\s+"
    r"([^,\"“”]{8,120}),\s+(.+?)([.!?])$"
)
# A closing adverbial ("... on Tuesday.", "... near the border.") a writer moves to the front.
_TRAILING = re.compile(
    r"^([A-Z][^“”\"]{20,}[a-z])\s+((?:on|in|at|after|before|during|since|near)\s+"
    r"(?:(?!\band\b)[^,;:“”\"]){3,30})([.!?])$"
)
_ATTRIB_AFTER = re.compile(
    r"^(“[^”]+”|\"[^\"]+\"),?\s+(said|says|added|told)\s+([^,.“”\"]{2,60})\.$"
)
_ATTRIB_BEFORE = re.compile(r"^(“[^”]+”|\"[^\"]+\"),?\s+([^,.“”\"]{2,60}?)\s+(said|says|added)\.$")


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first in _SHIFTABLE_START else text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _reword_sentence(text: str, rng: random.Random, quoted: bool) -> list[str]:
    match = _ATTRIB_AFTER.match(text) or _ATTRIB_BEFORE.match(text)
    if match and rng.random() < 0.7:
        quote = match.group(1)
        verb, who = (
            (match.group(2), match.group(3))
            if match.re is _ATTRIB_AFTER
            else (match.group(3), match.group(2))
        )
        quote = quote[:-2] + "." + quote[-1] if quote[-2:-1] == "," else quote
        verb = "said" if verb == "told" else verb
        return [f"{_upper_first(who)} {verb}: {quote}"]
    match = _FRONTED.match(text)
    if match and rng.random() < 0.7:
        conj, clause, main, end = match.groups()
        return [f"{_upper_first(main)} {conj.lower()} {clause}{end}"]
    if not quoted and len(text.split()) >= 14 and rng.random() < 0.8:
        for joint, opener in ((", and ", ""), (", but ", "But "), ("; ", ""), (", which ", "It ")):
            head, found, tail = text.partition(joint)
            if found and len(head.split()) >= 5 and len(tail.split()) >= 5:
                return [head + ".", _upper_first(opener + tail)]
    match = _TRAILING.match(_CONNECTIVES_OUT.sub("", text))
    if not quoted and match and rng.random() < 0.7:
        main, phrase, end = match.groups()
        return [f"{_upper_first(phrase)}, {_lower_first(main)}{end}"]
    out = _CONNECTIVES_OUT.sub("", text) if rng.random() < 0.6 else text
    if out != text:
        return [_upper_first(out)]
    if rng.random() < 0.3 and text.split(" ", 1)[0] in _SHIFTABLE_START:
        return [rng.choice(_CONNECTIVES_IN) + _lower_first(text)]
    return [text]


def _reword(text: str, rng: random.Random) -> str | None:
    sentences = _map_words(
        text, _split_sentences(text), _substitute(rng, 0.6, _conservative_synonym)
    )
    if len(sentences) < MIN_SENTENCES:
        return None
    source = {s.start: s.text for s in _split_sentences(text)}
    # A rewrite condenses: some sentences of the body are left out.
    sentences = [
        s for i, s in enumerate(sentences) if i == 0 or s.quoted or rng.random() >= DROP_REWORD
    ]
    every_word = _substitute(rng, 1.0, _conservative_synonym)
    out: list[_Sentence] = []
    reworked = light = 0  # unquoted body sentences kept: reworded, or a word or less changed
    i = 0
    while i < len(sentences):
        current = sentences[i]
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        if (
            i > 0
            and nxt is not None
            and current.sep != "\n\n"
            and not current.quoted
            and not nxt.quoted
            and len(current.text.split()) + len(nxt.text.split()) <= 30
            and current.text.endswith(".")
            and rng.random() < 0.5
        ):
            merged = current.text[:-1] + ", and " + _lower_first(nxt.text)
            out.append(_Sentence(merged, nxt.sep))
            reworked += 2
            i += 2
            continue
        if i > 0 and current.contained:
            pieces = _reword_sentence(current.text, rng, current.quoted)
        else:
            pieces = [current.text]
        if i > 0 and not current.quoted and pieces == [source.get(current.start)]:
            # Nothing reworded this sentence yet: a writer would not keep it word for word.
            pieces = [every_word(current.text)]
            if pieces == [current.text] and current.text.split(" ", 1)[0] in _SHIFTABLE_START:
                pieces = [rng.choice(_CONNECTIVES_IN) + _lower_first(current.text)]
            elif pieces == [current.text]:
                i += 1
                continue  # left out
        if i > 0 and not current.quoted:
            original = source.get(current.start, current.text)
            if len(pieces) == 1 and _word_edits(pieces[0], original) == 0:
                light += 1
            else:
                reworked += 1
        for piece in pieces[:-1]:
            out.append(_Sentence(piece, " "))
        out.append(_Sentence(pieces[-1], current.sep))
        i += 1
    if reworked <= light:
        return None  # too little of its own text to reword: a light edit, not a rewrite
    return _join(out)


def _word_edits(new: str, old: str) -> int:
    """Words of ``new`` not matched in ``old``, an added or dropped connective aside."""
    a = _ANY_CONNECTIVE.sub("", new).lower().split()
    b = _ANY_CONNECTIVE.sub("", old).lower().split()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return len(a) - sum(block.size for block in matcher.get_matching_blocks())


# ---------------------------------------------------------------------------------------
# Spun


def _synonym_spin(text: str, rng: random.Random) -> str:
    return _join(_map_words(text, _split_sentences(text), _substitute(rng, 0.45, _random_sense)))


_ARTICLE = re.compile(r"\b(?:the|a|an) (?=[a-z])")
_PRONOUN = re.compile(r"\b(?:he|she|they|we|it) (?=[a-z])")
_NAME = re.compile(r"(?<=[a-z,] )[A-Z][a-z]{4,}\b")
_NEGATION = (
    (re.compile(r"\b(is|was|are|were|has|have|had|will|would|could|did|does|do) not\b"), r"\1"),
    (re.compile(r"\b(is|was|are|were|will|would|could)\b(?! not)"), r"\1 not"),
    (re.compile(r"\bno longer\b"), "still"),
    (re.compile(r"\bnever\b"), "always"),
)


def _fragment(rng: random.Random) -> str:
    """A stray fragment of the kind round-trip translation leaves behind."""
    wn = wordnet()
    kind = rng.random()
    if kind < 0.3:
        nouns = list(wn.index["n"])
        noun = rng.choice(nouns).replace("_", " ")
        return noun + "." if rng.random() < 0.6 else _upper_first(noun) + "."
    if kind < 0.55:
        verbs = [v for v in wn.irregular if wn.tagged(v, "v") > 5] or ["do"]
        verb = _inflect(wn, rng.choice(verbs), "v", "ed")
        subject = rng.choice(("I", "It", "We", "He", "They", "It was"))
        return f"{subject} {verb}."
    if kind < 0.8:
        verb = rng.choice(("finish", "mention", "prepare", "surrender", "complete", "decide",
                           "confirm", "report", "end", "close", "announce", "do"))  # fmt: skip
        return _upper_first(_inflect(wn, verb, "v", "ed")) + "."
    return rng.choice(("did.", "said.", "It was done.", "Surrender.", "his condition.",
                       "rice field.", "I prepared.", "Mentioned.", "That's right."))  # fmt: skip


def _garble_name(name: str, rng: random.Random) -> str:
    chars = list(name)
    for _ in range(rng.randint(1, 2)):
        i = rng.randrange(1, len(chars) - 1)
        op = rng.random()
        if op < 0.4:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif op < 0.7:
            chars[i] = rng.choice("aeiloruvy")
        elif len(chars) > 5:
            del chars[i]
    return "".join(chars)


def _garble_words(rng: random.Random, names: dict[str, str]) -> Callable[[str], str]:
    wrong_sense = _substitute(rng, 0.12, lambda w, r: _random_sense(w, r, skip_first=True))

    def chunk_fn(chunk: str) -> str:
        chunk = _ARTICLE.sub(lambda m: "" if rng.random() < 0.5 else m.group(), chunk)
        chunk = _PRONOUN.sub(lambda m: "" if rng.random() < 0.35 else m.group(), chunk)
        chunk = _NAME.sub(
            lambda m: names.get(m.group(), m.group()) if rng.random() < 0.6 else m.group(), chunk
        )
        chunk = wrong_sense(chunk)
        if rng.random() < 0.1:
            pattern, repl = rng.choice(_NEGATION)
            chunk = pattern.sub(repl, chunk, count=1)
        return chunk

    return chunk_fn


def _garble(text: str, rng: random.Random) -> str | None:
    sentences = _split_sentences(text)
    if len(sentences) < 2:
        return None  # the headline is kept: nothing left to garble
    found = sorted({m.group() for s in sentences for m in _NAME.finditer(s.text)})
    picked = rng.sample(found, min(len(found), rng.randint(1, 3))) if found else []
    names = {name: _garble_name(name, rng) for name in picked}
    title, body = sentences[:1], _map_words(text, sentences[1:], _garble_words(rng, names))
    out: list[_Sentence] = list(title)
    for sentence in body:
        garbled = sentence.text
        if not sentence.quoted:
            cut = garbled.split()
            if rng.random() < 0.15 and len(cut) > 10:
                garbled = " ".join(cut[: rng.randint(len(cut) // 2, len(cut) - 3)])
            first, _, rest = garbled.partition(" ")
            if rng.random() < 0.4 and first in {"He", "She", "They", "It", "We"} and rest:
                garbled = rest
        elif sentence.contained and rng.random() < 0.25:  # a quote mark lost or glued on
            if rng.random() < 0.5:
                garbled = garbled.replace("”", "", 1)
            else:
                garbled = garbled.replace(" “", "”", 1)
        if not sentence.open_end and rng.random() < 0.18:
            garbled = garbled + " " + _fragment(rng)
        out.append(_Sentence(garbled, sentence.sep))
    return _join(out)


_MAKERS: dict[str, Callable[[str, random.Random], str | None]] = {
    "boilerplate": _boilerplate,
    "lead-only": _lead_only,
    "reorder-drop": _reorder_drop,
    "reword": _reword,
    "synonym-spin": _synonym_spin,
    "garble": _garble,
}


# ---------------------------------------------------------------------------------------
# Level statistics: does each variant do what its level says?


def _grams(text: str, n: int = 5) -> set[tuple[str, ...]]:
    toks = re.findall(r"\w+", text.lower())
    return {tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1))}


def level_stats(originals: Sequence[tuple[str, str]], seed: int) -> dict[str, dict[str, float]]:
    """Per variant: mean 5-gram Jaccard with the original, the share of the original's
    sentences found verbatim in the derivative, the share of the derivative's sentences
    that are verbatim sentences of the original, and the share of exact copies of the body."""
    texts = dict(originals)
    rows: dict[str, list[tuple[float, float, float, float]]] = {}
    for d in generate(originals, seed):
        source = texts[d.original_id]
        a, b = _grams(d.text), _grams(source)
        mine = {s.text for s in _split_sentences(d.text)}
        theirs = {s.text for s in _split_sentences(source)}
        rows.setdefault(d.variant, []).append(
            (
                len(a & b) / max(1, len(a | b)),
                len(mine & theirs) / max(1, len(theirs)),
                len(mine & theirs) / max(1, len(mine)),
                float(d.text.strip() == source.strip() or source.strip() in d.text),
            )
        )
    return {
        v: {
            name: sum(r[k] for r in vals) / len(vals)
            for k, name in enumerate(
                ("jaccard5", "source_sents_kept", "copy_sents_verbatim", "whole")
            )
        }
        for v, vals in rows.items()
    }


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser(description="per-variant statistics of the derivatives")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rows_ = load_ecbplus(args.split)
    stats = level_stats([(str(r["doc_id"]), str(r["text"])) for r in rows_], args.seed)
    print(
        "| variant | level | 5-gram Jaccard | source sentences kept | copy sentences verbatim "
        "| whole source inside |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for variant, s in stats.items():
        print(
            f"| {variant} | {LEVELS[variant]} | {s['jaccard5']:.3f} | {s['source_sents_kept']:.3f}"
            f" | {s['copy_sents_verbatim']:.3f} | {s['whole']:.3f} |"
        )
