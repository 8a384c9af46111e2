"""Per-article story features: weighted lemmas, entities and date/number signatures.

``story_features`` is pure and cheap: it reads a spaCy Doc parsed once upstream and keeps
what story clustering needs, so the features can be cached, pickled or stored as JSON.

Two look-alike events (two ferry accidents, two earthquakes) share their vocabulary; what
tells them apart are names, places, dates and numbers. So besides content lemmas, the
features hold entity keys of the form ``kind:normalised name`` (``person:erik sandvold``,
``place:skarholm``) and signatures of dates and numbers (``year:2013``, ``md:07-02``,
``date:2013-07-02``, ``num:187``), each with a weight (its count; title mentions count
extra).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc

from newstrace.entities import MENTION_LABELS, extract_mentions
from newstrace.model import Mention

# Entity labels kept as names, mapped to a kind (places of all spaCy kinds share one kind so
# "Aceh" as GPE in one article and as LOC in another still match).
_NAME_KINDS = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "event",
    "NORP": "norp",
    "PRODUCT": "product",
    "WORK_OF_ART": "work",
}
_OTHER_NAMES = frozenset(_NAME_KINDS) - MENTION_LABELS  # named, but not tracked as mentions
_NUMBER_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}
TITLE_BOOST = 2.0  # a title mention counts this much more than one in the body
_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WORD_NUMBERS = {
    word: value
    for value, word in enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        )
    )
} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "dozen": 12,
    "dozens": 12,
    "hundreds": 100,
    "thousands": 1000,
}
_SCALES = {"million": 1_000_000, "billion": 1_000_000_000, "thousand": 1000}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_DAY = re.compile(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[a-z]+")
_LEADING = re.compile(r"^(?:the|a|an)\s+")
_POSSESSIVE = re.compile(r"['’]s?$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class StoryFeatures:
    """What story clustering knows about one article.

    ``terms`` are content lemmas with counts, ``entities`` the entity/date/number keys with
    counts (see the module docstring), ``names`` the most frequent surface form of each name
    key (for display), and ``vector`` an optional semantic fingerprint (any fixed-length
    embedding; compared by cosine when both sides have one).
    """

    article: str
    published: str | None
    title: str | None
    terms: dict[str, float]
    entities: dict[str, float]
    vector: tuple[float, ...] | None = None
    names: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "published": self.published,
            "title": self.title,
            "terms": dict(self.terms),
            "entities": dict(self.entities),
            "vector": list(self.vector) if self.vector is not None else None,
            "names": dict(self.names),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryFeatures:
        vector = data.get("vector")
        return cls(
            article=str(data["article"]),
            published=data.get("published"),
            title=data.get("title"),
            terms={str(k): float(v) for k, v in (data.get("terms") or {}).items()},
            entities={str(k): float(v) for k, v in (data.get("entities") or {}).items()},
            vector=tuple(float(x) for x in vector) if vector is not None else None,
            names={str(k): str(v) for k, v in (data.get("names") or {}).items()},
        )

    def with_vector(self, vector: tuple[float, ...] | None) -> StoryFeatures:
        """The same features with a semantic fingerprint attached (or removed)."""
        return StoryFeatures(
            self.article,
            self.published,
            self.title,
            self.terms,
            self.entities,
            vector,
            self.names,
        )


def normalise_name(text: str) -> str:
    """Lower-cased, accent-folded, without a leading article or a possessive ending."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = folded.replace("’", "'").replace("“", "").replace("”", "").replace('"', "")
    folded = _SPACES.sub(" ", folded).strip(" .,;:-–—'")
    folded = _LEADING.sub("", folded)
    return _POSSESSIVE.sub("", folded).strip()


def _number_value(text: str) -> str | None:
    """A canonical numeric value for a number phrase ("1,800", "fourteen", "6.1 million")."""
    lowered = text.lower()
    match = _NUMBER.search(lowered)
    value: float | None = None
    if match:
        raw = match.group(0)
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw):
            raw = raw.replace(",", "")
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            return None
    else:
        for word in _WORD.findall(lowered):
            if word in _WORD_NUMBERS:
                value = float(_WORD_NUMBERS[word])
                break
    if value is None:
        return None
    for word, scale in _SCALES.items():
        if word in lowered and value < scale:
            value *= scale
            break
    return f"{value:g}"


def date_keys(text: str) -> list[str]:
    """Signatures of one DATE phrase: year, month, month-day, full date and weekday."""
    lowered = text.lower()
    keys: list[str] = []
    years = _YEAR.findall(lowered)
    keys.extend(f"year:{year}" for year in years)
    month = next((_MONTHS[w] for w in _WORD.findall(lowered) if w in _MONTHS), None)
    if month is not None:
        day = None
        for candidate in _DAY.findall(_YEAR.sub(" ", lowered)):
            if 1 <= int(candidate) <= 31:
                day = int(candidate)
                break
        if years:
            keys.append(f"month:{years[0]}-{month:02d}")
        if day is not None:
            keys.append(f"md:{month:02d}-{day:02d}")
            if years:
                keys.append(f"date:{years[0]}-{month:02d}-{day:02d}")
    keys.extend(f"weekday:{w}" for w in _WORD.findall(lowered) if w in _WEEKDAYS)
    return keys


def story_features(
    article_id: str,
    title: str | None,
    published: str | None,
    doc: Doc,
    vector: tuple[float, ...] | None = None,
    mentions: list[Mention] | None = None,
) -> StoryFeatures:
    """The story features of one parsed article (title and body both count).

    Names come from the article's mentions (``newstrace.entities``, computed here when not
    given), so stories see the same corrected spans as entity resolution does.

    ``doc`` is the article's cleaned text parsed once upstream; the title is taken from
    ``title`` (its words are matched against the body lemmas, so it needs no parse of its
    own): a body term or entity that also occurs in the title weighs ``TITLE_BOOST`` more.
    """
    terms: dict[str, float] = {}
    for token in doc:
        if (
            token.pos_ in _CONTENT_POS
            and not token.is_stop
            and len(token.text) > 1
            and (token.is_alpha or token.like_num)
        ):
            lemma = token.lemma_.lower()
            terms[lemma] = terms.get(lemma, 0.0) + 1.0
    title_words = set(_WORD.findall(normalise_name(title))) if title else set()
    if title_words:
        for term in list(terms):
            if term in title_words:
                terms[term] += TITLE_BOOST
    entities: dict[str, float] = {}
    surfaces: dict[str, Counter[str]] = {}
    if mentions is None:
        mentions = extract_mentions(article_id, doc)
    named = [(m.label, m.text) for m in mentions if m.label in _NAME_KINDS]
    named += [(e.label_, e.text) for e in doc.ents if e.label_ in _OTHER_NAMES]
    for label, text in named:
        name = normalise_name(text)
        if not name or not any(ch.isalpha() for ch in name):
            continue
        key = f"{_NAME_KINDS[label]}:{name}"
        entities[key] = entities.get(key, 0.0) + 1.0
        surfaces.setdefault(key, Counter())[text.strip()] += 1
        if label == "PERSON" and " " in name:
            surname = f"surname:{name.rsplit(' ', 1)[1]}"
            entities[surname] = entities.get(surname, 0.0) + 1.0
    for ent in doc.ents:
        label = ent.label_
        keys: list[str] = []
        if label == "DATE":
            keys.extend(date_keys(ent.text))
        elif label == "TIME":
            time = normalise_name(ent.text)
            if any(ch.isdigit() for ch in time):
                keys.append(f"time:{time}")
        elif label in _NUMBER_LABELS:
            value = _number_value(ent.text)
            if value is not None:
                keys.append(f"num:{value}")
        for key in keys:
            entities[key] = entities.get(key, 0.0) + 1.0
    if title:
        lowered_title = normalise_name(title)
        for key in list(entities):
            kind, _, name = key.partition(":")
            if (
                kind in {"person", "org", "place", "event", "surname"}
                and len(name) > 2
                and re.search(rf"\b{re.escape(name)}\b", lowered_title)
            ):
                entities[key] += TITLE_BOOST
    names = {key: counter.most_common(1)[0][0] for key, counter in surfaces.items()}
    if not title:
        first = next(iter(doc.sents), None) if doc.has_annotation("SENT_START") else None
        title = _SPACES.sub(" ", first.text).strip()[:200] if first is not None else None
    return StoryFeatures(
        article=article_id,
        published=published,
        title=title or None,
        terms=terms,
        entities=entities,
        vector=vector,
        names=names,
    )
