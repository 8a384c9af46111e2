"""Conversions between records and database rows, one pair per table.

JSON-valued columns (flags, aliases, roles, evidence, variants) are written as JSON text so
both backends hold identical data.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Row

from newstrace.model import Analysis, Article, Entity, Link, Quote, QuoteCluster, Removal, Story


def quote_row(quote: Quote, seq: int) -> dict[str, Any]:
    row = quote.to_dict()
    row["article_id"] = row.pop("article")
    row["id"] = f"{quote.article}#{seq}"
    row["seq"] = seq
    return row


def article_row(analysis: Analysis, content_hash: str, ingested_at: str) -> dict[str, Any]:
    article = analysis.article
    return {
        "id": article.id,
        "content_hash": content_hash,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "author": article.author,
        "published": article.published,
        "source": article.source,
        "format": article.format,
        "raw_text": article.raw_text,
        "text": article.text,
        "flags": json.dumps(article.flags, ensure_ascii=False),
        "spun_score": article.spun_score,
        "ingested_at": ingested_at,
        "analysis_version": analysis.version,
    }


def article(row: Row[Any], removed: list[Removal]) -> Article:
    return Article(
        id=row.id,
        raw_text=row.raw_text,
        text=row.text,
        title=row.title,
        url=row.url,
        outlet=row.outlet,
        author=row.author,
        published=row.published,
        source=row.source,
        format=row.format,
        removed=removed,
        flags=list(json.loads(row.flags)),
        spun_score=row.spun_score,
    )


def cluster_row(cluster: QuoteCluster) -> dict[str, Any]:
    return {
        "id": cluster.id,
        "speaker": cluster.speaker,
        "text": cluster.text,
        "first_article": cluster.first_article,
        "first_published": cluster.first_published,
        "size": len(cluster.members),
        "variants": json.dumps(cluster.variants, ensure_ascii=False),
    }


def story_row(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "entities": json.dumps(story.entities, ensure_ascii=False),
        "first_published": story.first_published,
        "last_published": story.last_published,
        "quotes": json.dumps(story.quotes),
        "provenance": json.dumps(story.provenance, ensure_ascii=False),
    }


def entity_row(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "aliases": json.dumps(entity.aliases, ensure_ascii=False),
        "roles": json.dumps(entity.roles, ensure_ascii=False),
        "evidence": json.dumps(entity.evidence, ensure_ascii=False),
        "quotes": entity.quotes,
    }


def entity(row: Row[Any], mentions: list[tuple[str, int, int]]) -> Entity:
    return Entity(
        id=row.id,
        name=row.name,
        kind=row.kind,
        aliases=list(json.loads(row.aliases)),
        roles=list(json.loads(row.roles)),
        articles=list(dict.fromkeys(article for article, _, _ in mentions)),
        mentions=mentions,
        evidence=list(json.loads(row.evidence)),
        quotes=row.quotes,
    )


def quote(row: Row[Any]) -> Quote:
    fields = {name: getattr(row, name) for name in Quote.__dataclass_fields__ if name != "article"}
    return Quote(article=row.article_id, **fields)


def story(row: Row[Any], articles: list[str]) -> Story:
    return Story(
        id=row.id,
        title=row.title,
        articles=articles,
        entities=list(json.loads(row.entities)),
        first_published=row.first_published,
        last_published=row.last_published,
        quotes=list(json.loads(row.quotes)),
        provenance=dict(json.loads(row.provenance)),
    )


def cluster(row: Row[Any], members: list[tuple[str, int, int]]) -> QuoteCluster:
    return QuoteCluster(
        id=row.id,
        speaker=row.speaker,
        text=row.text,
        first_article=row.first_article,
        first_published=row.first_published,
        members=members,
        variants=list(json.loads(row.variants)),
    )


def link(row: Row[Any]) -> Link:
    return Link(
        copy=row.copy_id,
        original=row.original_id,
        relation=row.relation,
        score=row.score,
        evidence=list(json.loads(row.evidence)),
        decided_by=row.decided_by,
    )
