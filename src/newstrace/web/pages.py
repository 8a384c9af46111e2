"""Server-rendered pages: the briefing, stories, articles, entities and speakers, search.

All article-derived strings (text, titles, outlets, URLs, names) are untrusted: Jinja's
autoescape is on for every template, nothing is marked safe, and a URL becomes a link only
when it is http(s).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from newstrace import __version__
from newstrace.model import by_speaker
from newstrace.store import read
from newstrace.web.api import store_of
from newstrace.web.views import (
    NotFound,
    article_view,
    entity_view,
    marked,
    repeats,
    story_view,
)

HOME_STORIES = 12
HOME_FLAGGED = 20
HOME_SPEAKERS = 12
SEARCH_HITS = 30

router = APIRouter(default_response_class=HTMLResponse)


def _http_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) URL, else None: no javascript:, data:, etc."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _when(published: str | None) -> str:
    return published[:16].replace("T", " ") if published else "undated"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        version=__version__,
        article_url=lambda article_id: "/articles/" + url_quote(article_id, safe=""),
        story_url=lambda story_id: "/stories/" + url_quote(story_id, safe=""),
        entity_url=lambda entity_id: "/entities/" + url_quote(entity_id, safe=""),
        speaker_url=lambda name: "/speakers?name=" + url_quote(name, safe=""),
        cluster_url=lambda cluster_id: "/clusters/" + url_quote(cluster_id, safe=""),
        http_url=_http_url,
        marked=marked,
        when=_when,
    )
    return env


templates = Jinja2Templates(env=_environment())


def _render(request: Request, template: str, code: int = 200, /, **context: Any) -> Response:
    return templates.TemplateResponse(request, template, context, status_code=code)


def error_page(request: Request, status: int, message: str) -> Response:
    return _render(request, "error.html", status, status=status, message=message)


@router.get("/")
def home(request: Request) -> Response:
    """The briefing: stories, flagged articles, most quoted speakers."""
    store = store_of(request)
    stories = list(store.stories())
    flagged = read.articles_page(store, read.ArticleFilter(flagged=True), 0, HOME_FLAGGED)
    return _render(
        request,
        "home.html",
        counts=read.counts(store),
        stories=stories[:HOME_STORIES],
        more_stories=max(0, len(stories) - HOME_STORIES),
        flagged=flagged,
        speakers=read.top_speakers(store, HOME_SPEAKERS),
    )


@router.get("/stories/{story_id}")
def story(request: Request, story_id: str) -> Response:
    store = store_of(request)
    view = story_view(store, story_id)
    known = {article.id: article for article in view.articles}
    names = store.entity_names(q.speaker_entity for q in view.quotes if q.speaker_entity)
    speakers = [(name, repeats(said)) for name, said in by_speaker(view.quotes, names)]
    return _render(request, "story.html", view=view, known=known, speakers=speakers)


@router.get("/articles/{article_id:path}")
def article(request: Request, article_id: str) -> Response:
    view = article_view(store_of(request), article_id)
    spans = [(quote.start, quote.end) for quote in view.quotes]
    return _render(request, "article.html", view=view, pieces=marked(view.article.text, spans))


@router.get("/entities/{entity_id}")
def entity(request: Request, entity_id: str) -> Response:
    view = entity_view(store_of(request), entity_id)
    titles = {article.id: article for article in view.articles}
    return _render(request, "entity.html", view=view, known=titles)


@router.get("/clusters/{cluster_id}")
def cluster(request: Request, cluster_id: str) -> Response:
    """One quote across outlets: first appearance, every article carrying it, variants."""
    store = store_of(request)
    found = read.cluster(store, cluster_id)
    if found is None:
        raise NotFound(f"no quote cluster {cluster_id!r}")
    known = {a.id: a for a in store.articles([article for article, _, _ in found.members])}
    return _render(request, "cluster.html", cluster=found, known=known)


@router.get("/speakers")
def speaker(request: Request, name: Annotated[str, Query(min_length=1)]) -> Response:
    """A resolved speaker: their entity page when one entity has that name, else their
    quotes (speakers such as "one senior official" are not entities)."""
    store = store_of(request)
    matches = read.speakers_named(store, name)
    if len(matches) == 1:
        target = "/entities/" + url_quote(matches[0].id, safe="")
        return RedirectResponse(target, status_code=303)
    where = read.QuoteFilter(speaker=name)
    quotes = read.quotes_page(store, where, 0, 500)
    known = {article.id: article for article in store.articles([q.article for q in quotes.items])}
    return _render(request, "speaker.html", name=name, quotes=quotes, entities=matches, known=known)


@router.get("/search")
def search(request: Request, q: Annotated[str, Query(max_length=500)] = "") -> Response:
    hits = store_of(request).search(q, limit=SEARCH_HITS) if q.strip() else []
    return _render(request, "search.html", query=q, hits=hits)
