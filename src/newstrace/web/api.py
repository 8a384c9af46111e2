"""The JSON API: each record in the CLI's JSONL shape (its ``to_dict``), listings paginated.

A listing answers ``{"items": [...], "total", "offset", "limit", "next"}``; ``next`` is the
relative URL of the following page, or null on the last one. ``limit`` above ``MAX_LIMIT``
is capped (the answer says the limit used); a negative one is a 400 like any bad parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Query, Request

from newstrace import __version__, export
from newstrace.store import Store, read
from newstrace.web import views

MAX_LIMIT = 500
DEFAULT_LIMIT = 50
MAX_SEARCH = 1000  # search ranks in the database; deeper pages than this are not offered

router = APIRouter(prefix="/api")
_T = TypeVar("_T")

Limit = Annotated[int, Query(ge=1, description=f"Records per page (at most {MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, description="Records to skip.")]
Kind = Literal["person", "organisation", "place", "group", "other"]
Relation = Literal["duplicate", "near-duplicate", "rewrite", "spun"]


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


@router.get("/")
def index(request: Request) -> dict[str, Any]:
    """Health and a map of the API: version, what the store holds, the listings."""
    return {
        "name": "newstrace",
        "version": __version__,
        "counts": read.counts(store_of(request)),
        "endpoints": [
            "/api/articles",
            "/api/quotes",
            "/api/quote-clusters",
            "/api/stories",
            "/api/entities",
            "/api/links",
            "/api/search?q=",
        ],
    }


@router.get("/articles")
def articles(
    request: Request,
    outlet: str | None = None,
    flagged: bool | None = None,
    flag: str | None = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Articles with ``spun_score`` and ``flags``; ``flagged=1`` keeps flagged ones only."""
    where = read.ArticleFilter(outlet=outlet, flagged=flagged, flag=flag)
    page = read.articles_page(store_of(request), where, offset, _cap(limit))
    return _page(request, page, export.article_record)


@router.get("/articles/{article_id:path}")
def article(request: Request, article_id: str) -> dict[str, Any]:
    """One article: its cleaned text, quotes with offsets, mentions, links touching it."""
    return views.article_view(store_of(request), article_id).to_dict()


@router.get("/quotes")
def quotes(
    request: Request,
    speaker: str | None = None,
    cluster: str | None = None,
    article: str | None = None,
    min_confidence: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    where = read.QuoteFilter(
        article=article, speaker=speaker, cluster=cluster, min_confidence=min_confidence
    )
    page = read.quotes_page(store_of(request), where, offset, _cap(limit))
    return _page(request, page, lambda quote: quote.to_dict())


@router.get("/quote-clusters")
def quote_clusters(
    request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    """The same quote across articles, most widely repeated first."""
    page = read.clusters_page(store_of(request), offset, _cap(limit))
    return _page(request, page, lambda group: group.to_dict())


@router.get("/quote-clusters/{cluster_id}")
def quote_cluster(request: Request, cluster_id: str) -> dict[str, Any]:
    found = read.cluster(store_of(request), cluster_id)
    if found is None:
        raise views.NotFound(f"no quote cluster {cluster_id!r}")
    return found.to_dict()


@router.get("/stories")
def stories(request: Request, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0) -> dict[str, Any]:
    """Stories, largest first, each with its article ids in time order."""
    page = read.stories_page(store_of(request), offset, _cap(limit))
    return _page(request, page, lambda story: story.to_dict())


@router.get("/stories/{story_id}")
def story(request: Request, story_id: str) -> dict[str, Any]:
    """One story: articles in time order, main entities, quotes, provenance per original."""
    return views.story_view(store_of(request), story_id).to_dict()


@router.get("/entities")
def entities(
    request: Request, kind: Kind | None = None, limit: Limit = DEFAULT_LIMIT, offset: Offset = 0
) -> dict[str, Any]:
    """People, organisations and places, most widely reported first."""
    page = read.entities_page(store_of(request), kind, offset, _cap(limit))
    return _page(request, page, lambda found: found.to_dict())


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: str) -> dict[str, Any]:
    """One entity: aliases, roles, articles, and the quotes it said."""
    return views.entity_view(store_of(request), entity_id).to_dict()


@router.get("/links")
def links(
    request: Request,
    relation: Relation | None = None,
    limit: Limit = DEFAULT_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Provenance edges (copy, original, relation, score, evidence), by original then copy."""
    page = read.links_page(store_of(request), relation, offset, _cap(limit))
    return _page(request, page, lambda link: link.to_dict())


@router.get("/search")
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find.")],
    limit: Limit = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_SEARCH)] = 0,
) -> dict[str, Any]:
    """Full-text search over titles and texts, best first (the store's ``search``)."""
    limit = _cap(limit)
    # One hit more than the page shows tells whether a next page exists; the full count
    # would cost a second ranking, so ``total`` is null here.
    hits = store_of(request).search(q, limit=min(offset + limit + 1, MAX_SEARCH + 1))
    page = read.Page(hits[offset : offset + limit], len(hits), offset, limit)
    return {"query": q, **_page(request, page, lambda hit: hit.to_dict()), "total": None}


def _cap(limit: int) -> int:
    return min(limit, MAX_LIMIT)


def _page(
    request: Request, page: read.Page[_T], serialize: Callable[[_T], dict[str, Any]]
) -> dict[str, Any]:
    following = page.next_offset
    next_url = None
    if following is not None:
        url = request.url.include_query_params(offset=following, limit=page.limit)
        next_url = f"{url.path}?{url.query}"
    return {
        "items": [serialize(item) for item in page.items],
        "total": page.total,
        "offset": page.offset,
        "limit": page.limit,
        "next": next_url,
    }
