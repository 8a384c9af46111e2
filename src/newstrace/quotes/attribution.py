"""Link quoted spans and reporting clauses: what was said, and which cue introduced it.

Two sources of evidence meet here. Reporting clauses from the parse (``cues.find_cues``)
give indirect quotes and, where their content covers quote marks, direct or mixed ones.
Quoted spans the parse did not tie to a cue are attributed by position: a cue right after
the span in its sentence ("“...,” she said"), a cue ending in a colon or comma right before
it ("Mr Kahl said: “...”"), a dash and a name after it ("“...” — Celia Brandt"), or the
previous quote when the span merely continues it. Short quoted spans with none of these
are scare quotes, titles or names, and are dropped.
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newstrace.quotes.lexicon import Cue
from newstrace.quotes.marks import MarkSpan

logger = logging.getLogger(__name__)

# A quoted span of at most this many words with no cue is a scare quote, title or name.
SHORT_WORDS = 4
# Share of a clause's content that quote marks must cover for the quote to be direct.
DIRECT_COVER = 0.95
_DASH = re.compile(r"[^\S\n]*[―—–-]{1,2}[^\S\n]*")  # no-break spaces too
_SHORT_GAP = 30  # a short quote's cue must follow at once: "“Yes,” she said"
_BEFORE_WINDOW = 90  # characters between a cue and the colon/comma that opens a quote


@dataclass
class Found:
    """A quote before speaker resolution: its content span, kind, cue and how it was found."""

    start: int
    end: int
    kind: str
    cue: Cue | None
    how: str  # clause | after | before | dash | continuation | unattributed
    closed: bool = True
    dash_name: tuple[int, int] | None = None  # characters of a name after a dash
    follows: Found | None = None  # the quote this one continues
    score: float | None = None  # the learned quote scorer's probability, where it rated one


def attribute(doc: Doc, text: str, spans: list[MarkSpan], cues: list[Cue]) -> list[Found]:
    """All quotes of the article in text order, each with its evidence."""
    starts = [span.start for span in spans]
    long_spans = [s for s in spans if _words(text, s) > SHORT_WORDS]
    # A cue only the model found makes no quote of a short marked span: a name or title
    # ("sailed on the ship “Northern Star”") is likelier there than speech.
    long_ids = {i for i, s in enumerate(spans) if _words(text, s) > SHORT_WORDS}
    long_starts = [s.open_at for s in long_spans]
    used: set[int] = set()  # indexes into spans
    found: list[Found] = []
    live_cues = [c for c in cues if not _inside(c.start, long_spans, long_starts)]
    for cue in live_cues:
        if cue.content is None:
            continue
        c_start, c_end = cue.content
        first = max(bisect.bisect_right(starts, c_start) - 1, 0)
        hits = []
        for i in range(first, len(spans)):
            span = spans[i]
            if span.start >= c_end:
                break
            if span.end > c_start and i not in used and (not cue.learned or i in long_ids):
                hits.append(i)
        covered = sum(min(spans[i].end, c_end) - max(spans[i].start, c_start) for i in hits)
        lead = text[c_start : spans[hits[0]].open_at] if hits else ""
        if (
            hits
            and not cue.frame
            and covered >= DIRECT_COVER * (c_end - c_start)
            and not any(ch.isalnum() for ch in lead)  # "said that “...”" keeps its "that"
        ):
            for i in hits:
                used.add(i)
                span = spans[i]
                found.append(Found(span.start, span.end, "direct", cue, "clause", span.closed))
        elif hits:
            used.update(hits)
            end = max(c_end, max(spans[i].outer_end for i in hits))
            found.append(Found(c_start, end, "mixed", cue, "clause"))
        else:
            found.append(Found(c_start, c_end, "indirect", cue, "clause"))
    cue_starts = [c.start for c in live_cues]
    sentence_of = _sentence_starts(doc)
    found.sort(key=lambda f: f.start)
    for i, span in enumerate(spans):
        if i in used:
            continue
        quote = _by_position(text, span, spans, i, live_cues, cue_starts, sentence_of, doc)
        if quote is None:
            quote = _continuation(text, span, found)
        if quote is None and _words(text, span) > SHORT_WORDS:
            quote = Found(span.start, span.end, "direct", None, "unattributed", span.closed)
        if quote is not None:
            bisect.insort(found, quote, key=lambda f: f.start)
    return _join_interrupted(text, found)


# Share of the longer content two quotes must share for the nested one to be a duplicate:
# low, as PolNeAR rarely attributes a clause again inside a quote's content ("she said the
# plan, which critics called a gamble, would pass": one attribution). Chosen on dev (0.3 ->
# 0.1: content F1@30 0.777 -> 0.782, exact 0.592 -> 0.595).
NESTED_OVERLAP = 0.1


def drop_nested(found: list[Found]) -> list[Found]:
    """Drop an indirect quote whose cue sits inside another quote that says much the same.

    "She said he backed the idea" yields "he backed the idea" (said) and "the idea"
    (backed): PolNeAR keeps one attribution per stretch of content, and it is the outer,
    unless only the inner cue is a speech verb ("issued a statement saying ...").
    """
    followed = {id(q.follows) for q in found if q.follows is not None}
    dropped: set[int] = set()
    for quote in found:
        if quote.kind != "indirect" or quote.cue is None or id(quote) in followed:
            continue
        cue = quote.cue.start
        for outer in found:
            if outer is quote or id(outer) in dropped or not outer.start <= cue < outer.end:
                continue
            shared = min(quote.end, outer.end) - max(quote.start, outer.start)
            longer = max(quote.end - quote.start, outer.end - outer.start)
            if shared < NESTED_OVERLAP * longer:
                continue
            if (
                quote.cue.speech
                and outer.kind == "indirect"
                and outer.cue is not None
                and not outer.cue.speech
                and id(outer) not in followed
            ):
                dropped.add(id(outer))
            else:
                dropped.add(id(quote))
            break
    return [q for q in found if id(q) not in dropped]


def _join_interrupted(text: str, found: list[Found]) -> list[Found]:
    """ "“X,” she said. “Y.”" is one quote with its attribution inside: join the parts."""
    joined: list[Found] = []
    absorbed: dict[int, Found] = {}  # a part joined into the quote before it -> that quote
    for quote in found:
        if quote.follows is not None and id(quote.follows) in absorbed:
            quote.follows = absorbed[id(quote.follows)]  # a later paragraph continues the whole
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind == "direct"
            and quote.kind == "direct"
            and quote.cue is not None
            and quote.cue is previous.cue
            and (quote.follows is previous or quote.how == "before")
            and previous.end <= quote.cue.start < quote.start
            and "\n" not in text[previous.end : quote.start]
        ):
            previous.end = quote.end
            previous.closed = previous.closed and quote.closed
            absorbed[id(quote)] = previous
            continue
        joined.append(quote)
    return joined


def _by_position(
    text: str,
    span: MarkSpan,
    spans: list[MarkSpan],
    index: int,
    cues: list[Cue],
    cue_starts: list[int],
    sentence_of: list[int],
    doc: Doc,
) -> Found | None:
    """A cue or dash-name next to the span, in the same paragraph, with no quote between."""
    limit = spans[index + 1].open_at if index + 1 < len(spans) else len(text)
    paragraph_end = text.find("\n", span.outer_end)
    if paragraph_end == -1:
        paragraph_end = len(text)
    # Dash: "“...” — Celia Brandt, union secretary" (before the cues: the model rates the
    # dash itself a cue, and the parse gives it no subject worth the name).
    dash = _DASH.match(text, span.outer_end)
    if dash is not None and dash.end() > span.outer_end:
        for ent in doc.char_span(dash.end(), paragraph_end, alignment_mode="expand") or ():
            if ent.is_space:
                continue
            end = _signature_end(ent)
            if end is None:
                break
            last = doc[end - 1]
            name = (ent.idx, last.idx + len(last.text))
            return Found(span.start, span.end, "direct", None, "dash", span.closed, name)
    # After: the cue sits in the sentence the span ends in, or starts the next one.
    after = span.outer_end
    while after < len(text) and text[after] in " \t":
        after += 1
    end_sentence = _sentence_end(sentence_of, after, len(text))
    at = bisect.bisect_left(cue_starts, span.outer_end)
    if at < len(cues):
        cue = cues[at]
        # "“A,” X said, “B.”": the cue's own clause is the next span, and this one its start.
        own = cue.content is None or not span.outer_end <= cue.content[0] < limit
        near = _words(text, span) > SHORT_WORDS or cue.start - span.outer_end <= _SHORT_GAP
        if (
            cue.start < min(limit, paragraph_end, end_sentence)
            and cue.source is not None
            and own
            and near
        ):
            return Found(span.start, span.end, "direct", cue, "after", span.closed)
    # Before: "X said: “...”" or "X said, “...”".
    lead = text[max(0, span.open_at - 3) : span.open_at].rstrip()
    if lead.endswith((":", ",")):
        at = bisect.bisect_left(cue_starts, span.open_at) - 1
        previous_close = spans[index - 1].outer_end if index > 0 else 0
        if at >= 0:
            cue = cues[at]
            between = text[cue.end : span.open_at]
            # "She said:" ending a paragraph introduces the quote that opens the next one.
            if (
                span.open_at - cue.end <= _BEFORE_WINDOW
                and cue.start >= previous_close
                and ("\n" not in between or between.strip() == ":")
                and cue.source is not None
            ):
                return Found(span.start, span.end, "direct", cue, "before", span.closed)
    return None


def _signature_end(first: Token) -> int | None:
    """End (token index) of the name signing a quote after a dash: a name the tagger
    knows, or else a run of capitalised proper nouns (None: no name there)."""
    doc = first.doc
    if first.ent_type_ == "PERSON" and first.ent_iob_ == "B":
        end = first.i + 1
        while end < len(doc) and doc[end].ent_type_ == "PERSON" and doc[end].ent_iob_ == "I":
            end += 1
        return end
    if first.pos_ != "PROPN" or not first.text.istitle():
        return None
    end = first.i + 1
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text.istitle():
        end += 1
    return end


def _continuation(text: str, span: MarkSpan, found: list[Found]) -> Found | None:
    """A quote with no cue right after another quote continues it (same speaker)."""
    at = bisect.bisect_left([f.start for f in found], span.start) - 1
    if at < 0:
        return None
    previous = found[at]
    # "“A,” X said after Y failed to appear. “B.”": the clause inside the attribution is
    # no voice of its own; the quote before it is the one continued.
    back = at
    while (
        back > 0 and _voiceless(found[back]) and "\n" not in text[found[back].start : span.open_at]
    ):
        back -= 1
    if found[back].kind == "direct" and back < at:
        previous = found[back]
    if _voiceless(previous):
        return None  # "the ministry published its report" is nobody's voice
    gap = text[previous.end : span.open_at]
    if gap.count("\n") > 2 and not span.reopened:
        return None
    if len(gap) > 400:
        return None
    if _words(text, span) <= SHORT_WORDS and "\n" in gap:
        return None
    head = previous.follows or previous
    return Found(
        span.start, span.end, "direct", head.cue, "continuation", span.closed, head.dash_name, head
    )


def _voiceless(quote: Found) -> bool:
    return quote.kind == "indirect" and (quote.cue is None or not quote.cue.speech)


def _words(text: str, span: MarkSpan) -> int:
    return len(text[span.start : span.end].split())


def _inside(pos: int, spans: list[MarkSpan], starts: list[int]) -> bool:
    at = bisect.bisect_right(starts, pos) - 1
    return at >= 0 and spans[at].open_at < pos < spans[at].outer_end


def _sentence_starts(doc: Doc) -> list[int]:
    return [sent.start_char for sent in doc.sents]


def _sentence_end(sentence_starts: list[int], pos: int, length: int) -> int:
    """End of the sentence holding ``pos`` (or, at a sentence boundary, of the next one)."""
    at = bisect.bisect_right(sentence_starts, pos)
    return sentence_starts[at] if at < len(sentence_starts) else length
