"""The records that flow through newstrace: one dataclass per concept.

Every output (JSONL, CSV, Parquet, database rows, API responses) is a serializer of these
records, so their ``to_dict`` shapes are the public contract. Offsets (``start``/``end``) are
character offsets into ``Article.text``, the cleaned text, unless a field says otherwise.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Removal:
    """A span taken out of the extracted text by the cleaner (a promo insert, boilerplate).

    ``start``/``end`` point into ``Article.raw_text`` (the text before cleaning), because the
    removed text no longer exists in the cleaned one; ``at`` is where the cut sits in the
    cleaned text, so a reader can show what was removed and where.
    """

    start: int
    end: int
    text: str
    kind: str
    at: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Removal:
        return cls(
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            kind=str(data["kind"]),
            at=int(data.get("at", 0)),
        )


@dataclass
class Article:
    """One news article, from the reader that found it to the store.

    ``raw_text`` is what the ingest reader extracted; ``text`` is the cleaned text that every
    later offset refers to (empty until the clean stage has run).
    """

    id: str
    raw_text: str
    text: str = ""
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 as given or as normalised by the reader
    source: str = ""  # where it came from: a path, a URL, "<stdin>"
    format: str = ""  # the reader that produced it: txt, html, jsonl, feed, warc, url
    removed: list[Removal] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    spun_score: float | None = None  # 0..1, how machine-spun or garbled the text reads

    @property
    def content_hash(self) -> str:
        """Key for idempotent storage: the same article read twice hashes the same."""
        digest = hashlib.sha256()
        for part in (
            self.id,
            self.raw_text,
            self.title,
            self.url,
            self.outlet,
            self.author,
            self.published,
        ):
            digest.update((part or "").encode("utf-8", "surrogatepass"))
            digest.update(b"\x1f")
        return digest.hexdigest()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["removed"] = [removal.to_dict() for removal in self.removed]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=str(data["id"]),
            raw_text=str(data.get("raw_text") or ""),
            text=str(data.get("text") or ""),
            title=data.get("title"),
            url=data.get("url"),
            outlet=data.get("outlet"),
            author=data.get("author"),
            published=data.get("published"),
            source=str(data.get("source") or ""),
            format=str(data.get("format") or ""),
            removed=[Removal.from_dict(item) for item in data.get("removed") or []],
            flags=list(data.get("flags") or []),
            spun_score=data.get("spun_score"),
        )


@dataclass(frozen=True)
class Mention:
    """A named-entity mention in one article's cleaned text."""

    article: str
    start: int
    end: int
    text: str
    label: str  # spaCy's entity label: PERSON, ORG, GPE, NORP, LOC, ...

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mention:
        return cls(
            article=str(data["article"]),
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            label=str(data["label"]),
        )


@dataclass(frozen=True)
class Quote:
    """One quotation: what was said (content span), by whom (speaker), how (cue).

    ``kind`` is ``direct`` (the words inside quote marks), ``indirect`` (reported speech:
    "X said that ...") or ``mixed`` (a paraphrase carrying a quoted fragment). ``speaker`` is
    the resolved person or description ("Dermot Hale", "one senior official");
    ``speaker_mention`` is the words at the attribution ("he", "Mr Hale"), with its own span.
    ``cluster`` groups the same quote across articles and ``speaker_entity`` is the entity
    the speaker resolved to across articles and spellings; the corpus stage fills both.
    """

    article: str
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_role: str | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    confidence: float = 0.0
    cluster: str | None = None
    speaker_entity: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        def optional_int(key: str) -> int | None:
            value = data.get(key)
            return None if value is None else int(value)

        return cls(
            article=str(data["article"]),
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data["text"]),
            kind=str(data["kind"]),
            speaker=data.get("speaker"),
            speaker_mention=data.get("speaker_mention"),
            speaker_start=optional_int("speaker_start"),
            speaker_end=optional_int("speaker_end"),
            speaker_role=data.get("speaker_role"),
            cue=data.get("cue"),
            cue_start=optional_int("cue_start"),
            cue_end=optional_int("cue_end"),
            confidence=float(data.get("confidence") or 0.0),
            cluster=data.get("cluster"),
            speaker_entity=data.get("speaker_entity"),
        )


def by_speaker(
    quotes: Iterable[Quote], names: Mapping[str, str]
) -> list[tuple[str, list[Quote]]]:
    """Quotes grouped by speaker, most quoted first, unattributed ones (named "") last.

    A speaker resolved to an entity is one group under every spelling, named by ``names``
    (entity id -> name); any other speaker ("one senior official") groups as resolved.
    """
    groups: dict[str, tuple[str, list[Quote]]] = {}
    for quote in quotes:
        entity = quote.speaker_entity
        if entity is not None and entity in names:
            key, name = "e:" + entity, names[entity]
        else:
            key, name = "s:" + (quote.speaker or ""), quote.speaker or ""
        groups.setdefault(key, (name, []))[1].append(quote)
    return sorted(groups.values(), key=lambda item: (not item[0], -len(item[1]), item[0]))


@dataclass
class Entity:
    """One person, organisation or place across articles, with the evidence for each merge."""

    id: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentions: list[tuple[str, int, int]] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    quotes: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The JSONL contract: entity, name, kind, aliases, roles, articles, quotes (+more)."""
        return {
            "entity": self.id,
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "roles": list(self.roles),
            "articles": list(self.articles),
            "quotes": self.quotes,
            "mentions": [list(mention) for mention in self.mentions],
            "evidence": list(self.evidence),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=str(data["entity"]),
            name=str(data["name"]),
            kind=str(data["kind"]),
            aliases=[str(item) for item in data.get("aliases") or []],
            roles=[str(item) for item in data.get("roles") or []],
            articles=[str(item) for item in data.get("articles") or []],
            mentions=[(str(a), int(s), int(e)) for a, s, e in data.get("mentions") or []],
            evidence=[str(item) for item in data.get("evidence") or []],
            quotes=int(data.get("quotes") or 0),
        )


@dataclass
class Story:
    """One story: a stable id, a representative title, its articles in time order.

    ``entities`` are its main people, organisations and places; ``quotes`` the ids of its
    most widely carried quote clusters; ``provenance`` each original's copies in the story.
    """

    id: str
    title: str | None
    articles: list[str]
    entities: list[str] = field(default_factory=list)
    first_published: str | None = None
    last_published: str | None = None
    quotes: list[str] = field(default_factory=list)
    provenance: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The `stories` JSONL contract: story, title, articles (+ entities, time span, main
        quote clusters, provenance groups)."""
        return {
            "story": self.id,
            "title": self.title,
            "articles": list(self.articles),
            "entities": list(self.entities),
            "first_published": self.first_published,
            "last_published": self.last_published,
            "quotes": list(self.quotes),
            "provenance": [
                {"original": original, "copies": list(copies)}
                for original, copies in self.provenance.items()
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Story:
        return cls(
            id=str(data["story"]),
            title=data.get("title"),
            articles=[str(item) for item in data.get("articles") or []],
            entities=[str(item) for item in data.get("entities") or []],
            first_published=data.get("first_published"),
            last_published=data.get("last_published"),
            quotes=[str(item) for item in data.get("quotes") or []],
            provenance={
                str(group["original"]): [str(copy) for copy in group["copies"]]
                for group in data.get("provenance") or []
            },
        )


@dataclass
class QuoteCluster:
    """One utterance as it appears across articles; ``members`` are in time order."""

    id: str
    speaker: str | None
    text: str  # the longest direct variant in the first article
    first_article: str
    first_published: str | None
    members: list[tuple[str, int, int]] = field(default_factory=list)  # (article, start, end)
    variants: list[str] = field(default_factory=list)  # distinct texts, first seen first

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "members": [list(member) for member in self.members]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuoteCluster:
        return cls(
            id=str(data["id"]),
            speaker=data.get("speaker"),
            text=str(data["text"]),
            first_article=str(data["first_article"]),
            first_published=data.get("first_published"),
            members=[(str(a), int(s), int(e)) for a, s, e in data.get("members") or []],
            variants=[str(v) for v in data.get("variants") or []],
        )


@dataclass(frozen=True)
class Link:
    """A provenance edge: ``copy`` derives from ``original`` (JSONL contract fields first)."""

    copy: str
    original: str
    relation: str  # duplicate | near-duplicate | rewrite | spun
    score: float  # share of the copy derived from the original, 0..1
    evidence: list[dict[str, Any]] = field(default_factory=list)
    decided_by: str = ""  # which evidence named the original

    def to_dict(self) -> dict[str, Any]:
        return {
            "copy": self.copy,
            "original": self.original,
            "relation": self.relation,
            "score": self.score,
            "evidence": [dict(e) for e in self.evidence],
            "decided_by": self.decided_by,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        return cls(
            copy=str(data["copy"]),
            original=str(data["original"]),
            relation=str(data["relation"]),
            score=float(data["score"]),
            evidence=[dict(e) for e in data.get("evidence") or []],
            decided_by=str(data.get("decided_by") or ""),
        )


@dataclass
class Analysis:
    """Everything the per-article stages found for one article: the unit the store writes.

    ``version`` names the analysis code that produced it: a stored article whose version
    differs from the running one is analysed again even if its text did not change.
    ``features`` holds per-article fingerprints for the corpus-level stage, by name (e.g.
    ``"story"``), as JSON-ready dicts: stored with the article so linking never re-parses.
    """

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    version: str = ""
    features: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "mentions": [mention.to_dict() for mention in self.mentions],
            "quotes": [quote.to_dict() for quote in self.quotes],
            "version": self.version,
            "features": dict(self.features),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Analysis:
        return cls(
            article=Article.from_dict(data["article"]),
            mentions=[Mention.from_dict(item) for item in data.get("mentions") or []],
            quotes=[Quote.from_dict(item) for item in data.get("quotes") or []],
            version=str(data.get("version") or ""),
            features=dict(data.get("features") or {}),
        )


@dataclass(frozen=True)
class InputFailure:
    """An input that could not be read: named, with a one-line reason, never fatal to a run."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
