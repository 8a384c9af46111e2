"""Spun and garbled text: a 0..1 score per article, with reasons that point at text spans.

Machine-spun copies (an article run through a synonym spinner, or round-tripped through
another language) leave traces that clean news rarely has: stray fragments closing a
sentence ("... in September. rice field.", "I prepared."), sentences that start in lower
case or stop mid-clause ("... who want to"), quote marks that close nothing, one name spelt
two ways ("Sergei" and "Sergey"), dropped articles and subjects, and words no news writer
would put together. Each trace is a feature; a logistic model fitted on generated data
(``bench/train_quality.py``: clean ECB+ articles against seeded spun and garbled
derivatives of them) turns the features into the score. Word-choice features read a small
word and word-pair count table built from clean news text by the same script; both are
loaded by ``newstrace.quality_model``.

Ordinary text trips one trace now and then, heavily: a list of missing people with
look-alike names, a product page's jargon, a page of one-line asides. A spun text shows
several kinds at once, so ``newstrace.quality_evidence`` bounds what one feature and one
kind of evidence can add to the score.

Everything reads the one spaCy parse of the article (``doc.text == text``) through
``Doc.to_array`` and a single pass over its sentences: no pairwise sentence work, so the
cost is a small fraction of the parse.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from spacy.tokens import Doc

from newstrace.quality_evidence import spun_logits
from newstrace.quality_model import FEATURES, counts, fold, load_model, pair_keys
from newstrace.quality_names import TITLES, name_variants

logger = logging.getLogger(__name__)

# Reason kind -> flag.
FLAG_OF_KIND = {
    "fragment": "fragment-artefacts",
    "lowercase-start": "broken-structure",
    "cut-off": "broken-structure",
    "verbless": "broken-structure",
    "orphan-quote": "unbalanced-quotes",
    "glued-quote": "unbalanced-quotes",
    "unclosed-quote": "unbalanced-quotes",
    "name-variant": "inconsistent-names",
    "dropped-word": "dropped-words",
    "unnatural-wording": "unnatural-wording",
}
SPUN_FLAG = "machine-spun"
# Dense features list their instances only when they push the score up at least this much.
_DENSE_MIN_LOGIT = 0.5
_MAX_DENSE_REASONS = 8
_PRIOR_N = 5  # pseudo-counts (sentences) behind every rate of sentences
# ... and (words, word pairs) behind the word rates: a short clean text's few pairs of common
# words, some of them never seen in the small count table, would otherwise read as odd
# word choice ("nights stuck", "escaped being").
_WORD_PRIOR_N = 20
_FUNCTION_END = frozenset({"DET", "ADP", "AUX", "CCONJ", "SCONJ", "PART", "PRON"})
_FUNCTION_END_WORDS = frozenset(
    {"to", "would", "will", "could", "should", "that", "the", "a", "an", "of", "and", "like"}
)
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "expl", "csubj", "csubjpass")
_DET_DEPS = ("det", "poss", "nummod", "predet")
_ARG_DEPS = ("nsubj", "nsubjpass", "dobj", "pobj")
_NO_FRAGMENT_CHARS = frozenset('0123456789:()@/|#“”"‘’[]')
_QUOTE_OPEN, _QUOTE_CLOSE, _QUOTE_STRAIGHT = "“", "”", '"'
_QUOTE_MARKS = re.compile('[“”"]')
# Text a detokeniser spaced out reads as sentence breaks: web addresses ("MyFoxHouston. com
# reports.", "nlm. nih. gov / about / ...") and clock times ("8: 55 am", "3: 33 a. m.").
# Structural features skip what these cover: they are no trace of spinning.
_ARTEFACT = re.compile(
    r"(?:https?\s?:\s?/\s?/\s?)?(?:[A-Za-z0-9][\w-]*\.\s?){1,4}"
    r"(?:com|org|net|gov|edu|mil|info|biz|uk|html?|php|aspx?)\b"
    r"(?:\s?/\s?[\w#?=&%~-]+(?:\.[\w#?=&%~-]+)*(?:\s_\s[\w-]+)*)*(?:\.\s?(?:html?|php|aspx?)\b)?"
    r"|\b\d{1,2}\s?[:.]\s?\d{2}(?:\s?(?:[ap]\.?\s?m\b\.?|[AP]\.?\s?M\b\.?))?"
)
_SPEECH_VERBS = frozenset({"say", "ask", "add", "tell", "write", "explain", "reply", "note"})
_CONTINUATION = frozenset({"…", "...", "—", "–"})  # "… ok, so": a sentence carried on
_ENGLISH_WORDS = frozenset(
    """
    the of and to a in is that for on was with he it as at by said from his be have are has
    but not they this an who had were their been will which would we or after she her
    """.split()  # noqa: SIM905
)
# English news: a tenth of its words and more are these; other languages under 0.04
_ENGLISH_SHARE = 0.06
_ENGLISH_MIN_WORDS = 30  # a shorter text is scored whatever its words
_HEADING_CAPS = 0.6  # a line without final punctuation, this share of words capitalised
# A page whose letters are mostly not Latin (Japanese, Russian, Greek) is no English text,
# however few words the tokenizer finds in it.
_LATIN_SHARE = 0.5
_SCRIPT_MIN_LETTERS = 20


@dataclass(frozen=True)
class QualityReport:
    spun_score: float
    flags: list[str] = field(default_factory=list)
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "spun_score": self.spun_score,
            "flags": list(self.flags),
            "reasons": [dict(r) for r in self.reasons],
        }


SPUN_THRESHOLD: float = load_model().threshold


def score_quality(text: str, doc: Doc) -> QualityReport:
    """Score one article's text (0 clean .. 1 spun) from its parse; never raises."""
    try:
        if not is_english(doc):
            return QualityReport(0.0, [], [])
        values, reasons = extract_features(text, doc)
        model = load_model()
        logits, contribs, slopes = spun_logits(values[None, :], model)
        logit, contrib = float(logits[0]), contribs[0]
        score = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, logit))))
        per_unit = slopes[0]
        kept = []
        flags = [SPUN_FLAG] if score >= model.threshold else []
        for reason in sorted(reasons, key=lambda r: (r["start"], r["end"])):
            index = reason.pop("feature")
            unit = reason.pop("unit")
            if reason.pop("dense") and contrib[index] < _DENSE_MIN_LOGIT:
                continue
            reason["weight"] = round(float(per_unit[index] * unit), 3)
            kept.append(reason)
            flag = FLAG_OF_KIND[reason["kind"]]
            if flag not in flags:
                flags.append(flag)
        return QualityReport(round(score, 4), flags, kept)
    except Exception:  # a quality score must never stop an article from being stored
        logger.exception("quality scoring failed; article scored 0")
        return QualityReport(0.0, [], [])


def is_english(doc: Doc) -> bool:
    """The text reads as English: its letters are mostly Latin, and its commonest function
    words make a good share of its words (about two in five in news; a round-trip
    translation that drops articles and pronouns keeps far more than a page in German,
    Portuguese or Japanese, where the English count table makes every word look odd)."""
    letters = [c for c in doc.text if c.isalpha()]
    latin = sum(c < "\u0250" for c in letters)
    if len(letters) >= _SCRIPT_MIN_LETTERS and latin < _LATIN_SHARE * len(letters):
        return False
    words = [t.lower_ for t in doc if t.is_alpha]
    if len(words) < _ENGLISH_MIN_WORDS:
        return True
    return sum(w in _ENGLISH_WORDS for w in words) >= _ENGLISH_SHARE * len(words)


def extract_features(text: str, doc: Doc) -> tuple[NDArray[np.float64], list[dict[str, Any]]]:
    """The feature vector (in ``FEATURES`` order) and the candidate reasons of one article."""
    values = np.zeros(len(FEATURES), dtype=np.float64)
    reasons: list[dict[str, Any]] = []
    n = len(doc)
    if n == 0:
        return values, reasons
    strings = doc.vocab.strings
    arr = doc.to_array(["IDX", "POS", "TAG", "DEP", "HEAD", "SENT_START", "LOWER", "IS_ALPHA"])
    idx = arr[:, 0].astype(np.int64)
    pos = arr[:, 1]
    tag = arr[:, 2]
    dep = arr[:, 3]
    head = np.arange(n, dtype=np.int64) + arr[:, 4].astype(np.int64)
    sent_start = arr[:, 5].astype(np.int64) == 1
    sent_start[0] = True
    lower: NDArray[np.uint64] = arr[:, 6].astype(np.uint64)
    alpha = arr[:, 7].astype(bool)
    is_space = pos == strings["SPACE"]
    is_punct = (pos == strings["PUNCT"]) | (pos == strings["SYM"]) | is_space
    word = ~is_punct
    verbal = (pos == strings["VERB"]) | (pos == strings["AUX"])
    propn = pos == strings["PROPN"]

    def children_with(deps: tuple[str, ...]) -> NDArray[np.bool_]:
        mask = np.isin(dep, [strings[d] for d in deps])
        has = np.zeros(n, dtype=np.bool_)
        has[head[mask]] = True
        return has

    artefact = np.zeros(n, dtype=np.bool_)
    for m in _ARTEFACT.finditer(text):
        artefact |= (idx >= m.start()) & (idx < m.end())
    heading_of: dict[int, bool] = {}

    # The title block: the lines before the first that ends like a sentence (a headline,
    # a sub-headline, a dateline).
    body = re.search(r"[.!?\"”’'][ \t]*(?:\n|$)", text)
    title_end = body.start() if body else 0

    def heading(line_start: int) -> bool:
        """A line with no final punctuation that is in the title block or mostly capitalised
        (a headline or a caption flattened into the text) is no broken sentence."""
        if line_start not in heading_of:
            line_end = text.find("\n", line_start)
            line = text[line_start : len(text) if line_end < 0 else line_end].strip()
            tokens = [w for w in line.split() if w[:1].isalpha()]
            caps = sum(1 for w in tokens if w[:1].isupper())
            heading_of[line_start] = (
                bool(line)
                and line[-1] not in ".!?\"”’'"
                and (line_start <= title_end or caps >= _HEADING_CAPS * max(len(tokens), 1))
            )
        return heading_of[line_start]

    quote_spans = _check_quotes(text, reasons)
    quote_starts = [a for a, _ in quote_spans]
    if reasons:
        values[FEATURES.index("quote_problems")] = math.log1p(len(reasons))
        for reason in reasons:
            reason["unit"] = math.log1p(len(reasons)) / len(reasons)

    def in_quote(char: int) -> bool:
        i = bisect.bisect_right(quote_starts, char) - 1
        return i >= 0 and quote_spans[i][0] <= char < quote_spans[i][1]

    # Sentences: one pass, each looked at through its token range.
    starts = np.flatnonzero(sent_start).tolist()
    bounds = list(zip(starts, [*starts[1:], n], strict=True))
    n_sents = 0
    counts_of = {"fragments": 0, "lowercase_starts": 0, "cut_offs": 0, "verbless": 0}
    prev_end_tok = -1
    cut_ends: set[int] = set()
    for a, b in bounds:
        words = np.flatnonzero(word[a:b])
        if not len(words):
            continue
        n_sents += 1
        first, last = a + int(words[0]), a + int(words[-1])
        end_tok = b - 1
        while end_tok > a and is_space[end_tok]:
            end_tok -= 1
        s_char, e_char = int(idx[a]), int(idx[end_tok]) + len(doc[end_tok].text)
        n_words = len(words)
        quoted = in_quote(s_char) or in_quote(int(idx[last]))
        line_start = text.rfind("\n", 0, s_char) + 1
        line_end = text.find("\n", e_char)
        line_end = len(text) if line_end < 0 else line_end
        alone = not text[line_start:s_char].strip() and not text[e_char:line_end].strip()
        last_text = doc[end_tok].text
        has_verb = bool(verbal[a:b].any())
        carried = _after_abbreviation(doc, prev_end_tok)
        flattened = carried or heading(line_start) or bool(artefact[a + words].any())
        # Fragments: "rice field." "I prepared." "Surrender."
        span_text = text[s_char:e_char]
        if (
            n_words <= 3
            and last_text == "."
            and not quoted
            and not (_NO_FRAGMENT_CHARS & set(span_text))
            and bool(alpha[a + words].all())
            and (n_words <= 2 or not has_verb)
            and not alone  # a line of its own: a label, a source, an aside ("Trust me.")
            and not flattened
            and not _after_abbreviation(doc, end_tok)  # "Troy police Sgt." (and a name)
            and not (
                (propn[first] or doc[first].pos_ == "PRON") and doc[last].lemma_ in _SPEECH_VERBS
            )  # "Graham asked.", "she said."
        ):
            counts_of["fragments"] += 1
            reasons.append(_reason("fragment", s_char, e_char, span_text, "fragments", False))
        elif (
            n_words >= 4 and last_text == "." and not has_verb and not quoted and not alone
            and not flattened
        ):  # fmt: skip
            counts_of["verbless"] += 1
            reasons.append(_reason("verbless", s_char, e_char, span_text, "verbless", False))
        # Lower-case start right after a full stop: "... lives.” did not attend because ..."
        first_text = doc[first].text
        if (
            prev_end_tok >= 0
            and first_text[:1].islower()
            and first_text.isalpha()
            and first_text.islower()
            and _after_full_stop(doc, prev_end_tok)
            and not quoted
            and not artefact[first]
            and not carried
            and doc[a].text not in _CONTINUATION
        ):
            counts_of["lowercase_starts"] += 1
            clause_end = min(e_char, int(idx[first]) + 40)
            reasons.append(
                _reason("lowercase-start", int(idx[first]), clause_end,
                        text[int(idx[first]) : clause_end], "lowercase_starts", False)
            )  # fmt: skip
        # Cut-offs: "... bureaucrats who want to" (no full stop, ends on a function word).
        if n_words >= 4 and last == end_tok and not flattened:
            cut_ends.add(last)
        prev_end_tok = end_tok
    # ... and the same at every line end, which spaCy often runs a sentence across.
    for i in np.flatnonzero(is_space).tolist():
        if i > 0 and "\n" in doc[i].text and word[i - 1]:
            line_start = text.rfind("\n", 0, int(idx[i - 1])) + 1
            if (
                line_start > 0
                and len(text[line_start : int(idx[i])].split()) >= 4
                and not heading(line_start)
                and not artefact[i - 1]
            ):
                cut_ends.add(i - 1)
    for i in sorted(cut_ends):
        if (
            alpha[i]
            and (doc[i].pos_ in _FUNCTION_END or doc[i].lower_ in _FUNCTION_END_WORDS)
            and not in_quote(int(idx[i]))
        ):
            counts_of["cut_offs"] += 1
            s, e = int(idx[max(0, i - 3)]), int(idx[i]) + len(doc[i].text)
            reasons.append(_reason("cut-off", s, e, text[s:e], "cut_offs", False))
    per10 = 10.0 / (n_sents + _PRIOR_N)
    for name, count in counts_of.items():
        values[FEATURES.index(name)] = min(count * per10, 10.0)
    for reason in reasons:
        if reason["unit"] is None:
            reason["unit"] = per10

    # Dropped determiners and subjects.
    n_words_all = int(word.sum())
    det_tag = np.isin(dep, [strings["det"]])
    values[FEATURES.index("det_rate")] = _shrunk(
        float(det_tag.sum()), n_words_all, 0.1, _WORD_PRIOR_N
    )
    table = counts()
    keys = fold(lower)
    arg_nouns, determined = argument_nouns(doc, arr)
    arg_nouns &= table.count_noun(keys)  # not mass nouns, bare in clean news too
    bare = arg_nouns & ~determined & ~children_with(("amod", "compound"))
    n_args = int(arg_nouns.sum())
    values[FEATURES.index("bare_nouns")] = _shrunk(float(bare.sum()), n_args, 0.12, _WORD_PRIOR_N)
    finite = np.isin(tag, [strings[t] for t in ("VBD", "VBZ", "VBP")]) | (
        (tag == strings["VB"]) & children_with(("aux",))
    )
    roots = (dep == strings["ROOT"]) & verbal & finite & ~children_with(_SUBJECT_DEPS)
    root_idx = [
        i
        for i in np.flatnonzero(roots).tolist()
        if not in_quote(int(idx[i])) and not _inverted_attribution(doc, i)
    ]
    values[FEATURES.index("subjectless")] = _shrunk(len(root_idx), n_sents, 0.01)
    for i in root_idx[:_MAX_DENSE_REASONS]:
        s, e = int(idx[i]), int(idx[i]) + len(doc[i].text)
        reasons.append(_reason("dropped-word", s, e, text[s:e], "subjectless", True,
                               1.0 / max(n_sents, 1)))  # fmt: skip
    for i in np.flatnonzero(bare).tolist()[:_MAX_DENSE_REASONS]:
        s, e = int(idx[i]), int(idx[i]) + len(doc[i].text)
        reasons.append(_reason("dropped-word", s, e, text[s:e], "bare_nouns", True,
                               1.0 / max(n_args, 1)))  # fmt: skip

    # Word choice against clean news counts.
    freq = table.word_count(keys)
    content = alpha & np.isin(pos, [strings[p] for p in ("NOUN", "VERB", "ADJ", "ADV")])
    n_content = int(content.sum())
    # Topic words recur and are rare anywhere but in their topic; a spinner's odd synonyms
    # come one at a time. So: content words rare in clean news and used once here.
    _, inverse, in_doc = np.unique(keys, return_inverse=True, return_counts=True)
    rare = content & (freq < 2) & (in_doc[inverse.reshape(-1)] == 1)
    values[FEATURES.index("rare_words")] = _shrunk(
        float(rare.sum()), n_content, 0.06, _WORD_PRIOR_N
    )
    for i in np.flatnonzero(rare).tolist()[:_MAX_DENSE_REASONS]:
        s, e = int(idx[i]), int(idx[i]) + len(doc[i].text)
        reasons.append(_reason("unnatural-wording", s, e, text[s:e], "rare_words", True,
                               1.0 / max(n_content, 1)))  # fmt: skip
    common = alpha & ~propn & (freq >= 5)
    pair_ok = common[:-1] & common[1:]
    n_pairs = int(pair_ok.sum())
    values[FEATURES.index("unseen_bigrams")] = _shrunk(0.0, 0, 0.26, _WORD_PRIOR_N)
    if n_pairs:
        pairs = pair_keys(lower[:-1], lower[1:])
        # A pair the article repeats is a topic phrase ("native ad", "recommendation
        # widgets") the small count table may lack; a spinner's odd pairs come one at a time.
        _, pair_inverse, pair_n = np.unique(pairs, return_inverse=True, return_counts=True)
        once = pair_n[pair_inverse.reshape(-1)] == 1
        unseen = pair_ok & ~table.pair_seen(pairs) & once
        values[FEATURES.index("unseen_bigrams")] = _shrunk(
            float(unseen.sum()), n_pairs, 0.26, _WORD_PRIOR_N
        )
        for i in np.flatnonzero(unseen).tolist()[:_MAX_DENSE_REASONS]:
            s, e = int(idx[i]), int(idx[i + 1]) + len(doc[i + 1].text)
            reasons.append(_reason("unnatural-wording", s, e, text[s:e], "unseen_bigrams", True,
                                   1.0 / n_pairs))  # fmt: skip

    # One name spelt two ways.
    variants = name_variants(doc, propn & alpha, freq)
    values[FEATURES.index("name_variants")] = math.log1p(len(variants))
    for tok, detail in variants:
        s, e = int(idx[tok]), int(idx[tok]) + len(doc[tok].text)
        reason = _reason("name-variant", s, e, text[s:e], "name_variants", False,
                         math.log1p(len(variants)) / len(variants))  # fmt: skip
        reason["detail"] = detail
        reasons.append(reason)
    return values, reasons


def argument_nouns(
    doc: Doc, arr: NDArray[Any] | None = None
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Singular common nouns that are a subject or object, and which of them have a
    determiner (article, possessive, number): the dropped-article feature, and the count-noun
    list ``bench/train_quality.py`` builds from clean news, read the same tokens."""
    n = len(doc)
    strings = doc.vocab.strings
    cols = doc.to_array(["IDX", "POS", "TAG", "DEP", "HEAD"]) if arr is None else arr
    tag, dep = cols[:, 2], cols[:, 3]
    head = np.arange(n, dtype=np.int64) + cols[:, 4].astype(np.int64)
    nouns = (tag == strings["NN"]) & np.isin(dep, [strings[d] for d in _ARG_DEPS])
    determined = np.zeros(n, dtype=np.bool_)
    determined[head[np.isin(dep, [strings[d] for d in _DET_DEPS])]] = True
    return nouns, determined


def _shrunk(count: float, n: int, prior: float, pseudo: int = _PRIOR_N) -> float:
    """A rate pulled towards the clean-news rate ``prior`` by ``pseudo`` pseudo-counts, so
    that a short text's few words do not make an extreme rate."""
    return (count + prior * pseudo) / (n + pseudo)


def _reason(
    kind: str, start: int, end: int, text: str, feature: str, dense: bool,
    unit: float | None = None,
) -> dict[str, Any]:  # fmt: skip
    return {"kind": kind, "start": start, "end": end, "text": text,
            "feature": FEATURES.index(feature), "unit": unit, "dense": dense}  # fmt: skip


def _after_abbreviation(doc: Doc, tok: int) -> bool:
    """The sentence before ends on an abbreviation's full stop ("Blvd.", "Sgt."), which the
    parser took for a sentence end: what follows carries the sentence on."""
    if tok < 1 or doc[tok].text != "." or doc[tok - 1].whitespace_:
        return False
    before = doc[tok - 1].text
    return before.isalpha() and before[:1].isupper() and (len(before) <= 4 or before in TITLES)


def _inverted_attribution(doc: Doc, i: int) -> bool:
    """A speech verb right after a closing quote ("“...,” added a Democrat."): its speaker
    follows it, which the parser often takes for an object; no subject is missing."""
    return doc[i].lemma_ in _SPEECH_VERBS and i > 0 and doc[i - 1].text in {"”", '"', "’"}


def _after_full_stop(doc: Doc, tok: int) -> bool:
    text = doc[tok].text
    if text in {"”", "’", '"', "'"} and tok > 0:
        text = doc[tok - 1].text
    return text in {".", "!", "?"}


def _check_quotes(text: str, reasons: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Quoted stretches of the text, adding a reason for each quote mark that closes
    nothing, sticks to words on both sides, or opens a quote never closed."""
    spans: list[tuple[int, int]] = []
    open_at = -1
    feature = "quote_problems"
    unit = 0.0  # set by the caller once all are counted
    for mark in _QUOTE_MARKS.finditer(text):
        i, ch = mark.start(), mark.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if before.isalpha() and after.isalpha():
            s, e = max(0, i - 12), min(len(text), i + 13)
            reasons.append(_reason("glued-quote", s, e, text[s:e], feature, False, unit))
        opening = ch == _QUOTE_OPEN or (
            ch == _QUOTE_STRAIGHT and (open_at < 0) and not (after.isspace() and i + 1 < len(text))
        )
        if ch == _QUOTE_STRAIGHT and open_at >= 0:
            opening = False
        if opening:
            if open_at >= 0:
                line_start = text.rfind("\n", 0, i) + 1
                reopen_mid_line = bool(text[line_start:i].strip())
                if reopen_mid_line and open_at < line_start:
                    s, e = open_at, min(text.find("\n", open_at) % (len(text) + 1), open_at + 60)
                    e = e if e > s else min(len(text), s + 60)
                    reasons.append(_reason("unclosed-quote", s, e, text[s:e], feature, False, unit))
                spans.append((open_at, i))
            open_at = i
        elif open_at >= 0:
            spans.append((open_at, i + 1))
            open_at = -1
        elif ch == _QUOTE_CLOSE:
            s = max(0, text.rfind(" ", 0, max(0, i - 1)) + 1)
            e = min(len(text), i + 1)
            reasons.append(_reason("orphan-quote", s, e, text[s:e], feature, False, unit))
    if open_at >= 0:
        spans.append((open_at, len(text)))
        if len(text) - open_at > 300:
            e = min(len(text), open_at + 60)
            reasons.append(
                _reason("unclosed-quote", open_at, e, text[open_at:e], feature, False, unit)
            )
    spans.sort()
    return spans
