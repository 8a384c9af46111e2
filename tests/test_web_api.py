"""The web app in process (Starlette's TestClient) over a store analysed once per session:
every API endpoint, its filters and pages, the one error shape, the pages, and escaping of
hostile article text. The CLI's JSONL is the reference for every record shape."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newstrace.cli import app as cli
from newstrace.store import Store, resolve_db_url
from newstrace.store.engine import create_store_engine
from newstrace.store.read import open_existing
from newstrace.web import create_app

HOSTILE = "quayside-0412"
ODD_ID = "brennick/levy follow-up?#2"  # a slash, a space, ? and # in one id
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def store(web_db: Path) -> Iterator[Store]:
    opened = open_existing(f"sqlite:///{web_db}")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def client(store: Store) -> TestClient:
    return TestClient(create_app(store))


def cli_records(db: Path, *args: str) -> list[dict[str, Any]]:
    result = CliRunner().invoke(cli, [*args, "--db", str(db), "--jsonl"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def walk(client: TestClient, url: str) -> list[dict[str, Any]]:
    """Every item of a listing, following ``next`` page by page."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url is not None:
        page = get(client, next_url)
        items += page["items"]
        next_url = page["next"]
    return items


def article_url(article_id: str) -> str:
    return "/api/articles/" + quote(article_id, safe="")


def assert_error(response: Any, status: int) -> str:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    message: str = body["error"]["message"]
    assert message and "Traceback" not in response.text
    return message


# --- the API ------------------------------------------------------------------------------


def test_index_reports_version_and_counts(client: TestClient, web_db: Path) -> None:
    index = get(client, "/api/")
    assert index["version"] and index["name"] == "newstrace"
    assert index["counts"]["articles"] == len(cli_records(web_db, "articles"))
    assert index["counts"]["quotes"] == len(cli_records(web_db, "quotes"))
    assert index["counts"]["stories"] == len(cli_records(web_db, "stories")) >= 4
    for endpoint in index["endpoints"]:
        if "?" not in endpoint:
            get(client, endpoint)
    assert "/api/articles/{article_id}" in get(client, "/api/openapi.json")["paths"]


def test_articles_are_the_cli_records_page_by_page(client: TestClient, web_db: Path) -> None:
    expected = cli_records(web_db, "articles")
    first = get(client, "/api/articles?limit=5")
    assert first["total"] == len(expected) and first["limit"] == 5 and first["offset"] == 0
    assert first["next"] == "/api/articles?offset=5&limit=5"
    assert walk(client, "/api/articles?limit=5") == expected
    assert get(client, "/api/articles?limit=100000")["limit"] == 500


def test_article_filters(client: TestClient) -> None:
    flagged = walk(client, "/api/articles?flagged=1&limit=3")
    clean = walk(client, "/api/articles?flagged=false")
    assert flagged and all(record["flags"] for record in flagged)
    assert clean and not any(record["flags"] for record in clean)
    assert len(flagged) + len(clean) == get(client, "/api/articles")["total"]
    spun = get(client, "/api/articles?flag=machine-spun")["items"]
    assert [record["article"] for record in spun] == ["a05_spun_fire.txt"]
    assert spun[0]["spun_score"] > 0.5
    assert get(client, "/api/articles?flag=machine")["total"] == 0  # whole flags only
    wire = get(client, "/api/articles?outlet=meridian%20WIRE")["items"]
    assert len(wire) >= 3 and {record["outlet"] for record in wire} == {"Meridian Wire"}


def test_one_article_has_text_quotes_mentions_and_links(client: TestClient) -> None:
    view = get(client, article_url("a05_spun_fire.txt"))
    text = view["article"]["text"]
    assert (
        view["article"]["article"] == "a05_spun_fire.txt"
        and "machine-spun" in view["article"]["flags"]
    )
    assert view["quotes"] and all(text[q["start"] : q["end"]] == q["text"] for q in view["quotes"])
    assert view["mentions"] and all(
        text[m["start"] : m["end"]] == m["text"] for m in view["mentions"]
    )
    spun = [link for link in view["links"] if link["relation"] == "spun"]
    assert spun and spun[0]["copy"] == "a05_spun_fire.txt" and spun[0]["evidence"]
    assert len(view["stories"]) == 1
    odd = get(client, article_url(ODD_ID))
    assert odd["article"]["article"] == ODD_ID


def test_quotes_filter_and_page_like_the_cli(client: TestClient, web_db: Path) -> None:
    assert walk(client, "/api/quotes?limit=40") == cli_records(web_db, "quotes")
    sure = walk(client, "/api/quotes?min_confidence=0.8&limit=500")
    assert sure and sure == cli_records(web_db, "quotes", "--min-confidence", "0.8")
    mayor = get(client, "/api/quotes?speaker=helen%20tolland")["items"]
    # The mayor's entity, under both spellings (the spun copy misspells her).
    assert mayor and {q["speaker"] for q in mayor} == {"Helen Tolland", "Helen Toland"}
    assert len({q["speaker_entity"] for q in mayor}) == 1 and mayor[0]["speaker_entity"]
    own = get(client, f"/api/quotes?article={quote(HOSTILE)}")["items"]
    assert own and {q["article"] for q in own} == {HOSTILE}


def test_quote_clusters(client: TestClient, web_db: Path) -> None:
    clusters = walk(client, "/api/quote-clusters?limit=25")
    assert clusters == cli_records(web_db, "quotes", "--clusters")
    widest = clusters[0]
    assert get(client, f"/api/quote-clusters/{widest['id']}") == widest
    members = walk(client, f"/api/quotes?cluster={widest['id']}")
    assert len(members) == len(widest["members"])


def test_stories_and_one_story(client: TestClient, web_db: Path) -> None:
    stories = walk(client, "/api/stories?limit=2")
    assert stories == cli_records(web_db, "stories")
    fire = next(s for s in stories if "a01_wire_fire.txt" in s["articles"])
    view = get(client, f"/api/stories/{fire['story']}")
    assert view["story"] == fire and view["story"]["entities"]
    assert [a["article"] for a in view["articles"]] == fire["articles"]
    dates = [a["published"][:10] for a in view["articles"]]
    assert dates == sorted(dates)
    assert view["quotes"] and {q["article"] for q in view["quotes"]} <= set(fire["articles"])
    originals = {group["original"] for group in view["provenance"]}
    assert "a01_wire_fire.txt" in originals
    relations = {c["relation"] for g in view["provenance"] for c in g["copies"]}
    assert {"duplicate", "spun"} <= relations


def test_entities_and_one_entity(client: TestClient, web_db: Path) -> None:
    assert walk(client, "/api/entities?limit=30") == cli_records(web_db, "entities")
    people = walk(client, "/api/entities?kind=person&limit=500")
    assert people and {e["kind"] for e in people} == {"person"}
    tolland = next(e for e in people if e["name"] == "Helen Tolland")
    view = get(client, f"/api/entities/{tolland['entity']}")
    assert view["entity"] == tolland and "Mayor" in view["entity"]["roles"]
    assert view["quotes"] and {q["article"] for q in view["quotes"]} <= set(tolland["articles"])
    assert len(view["quotes"]) >= tolland["quotes"]


def test_links_filter_by_relation(client: TestClient, web_db: Path) -> None:
    assert walk(client, "/api/links?limit=2") == cli_records(web_db, "links")
    spun = get(client, "/api/links?relation=spun")["items"]
    assert [(link["copy"], link["original"]) for link in spun] == [
        ("a05_spun_fire.txt", "a01_wire_fire.txt")
    ]


def test_search_uses_the_store_search(client: TestClient, store: Store) -> None:
    found = get(client, "/api/search?q=ferry%20aground&limit=3")
    assert found["query"] == "ferry aground"
    assert found["items"] == [hit.to_dict() for hit in store.search("ferry aground", 3)]
    everything = walk(client, "/api/search?q=fire&limit=2")
    assert [hit["article"] for hit in everything] == [h.article for h in store.search("fire", 100)]
    assert get(client, '/api/search?q=NEAR("%20OR%20*')["items"] == []


@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        ("/api/quotes?min_confidence=1.5", 400, "min_confidence"),
        ("/api/quotes?min_confidence=abc", 400, "min_confidence"),
        ("/api/articles?limit=-1", 400, "limit"),
        ("/api/articles?offset=-3", 400, "offset"),
        ("/api/articles?flagged=maybe", 400, "flagged"),
        ("/api/entities?kind=robot", 400, "kind"),
        ("/api/links?relation=copied", 400, "relation"),
        ("/api/search", 400, "q"),
        ("/api/articles/no-such-article", 404, "no-such-article"),
        ("/api/stories/no-such-story", 404, "no-such-story"),
        ("/api/entities/no-such-entity", 404, "no-such-entity"),
        ("/api/quote-clusters/no-such-cluster", 404, "no-such-cluster"),
        ("/api/no-such-endpoint", 404, "/api/no-such-endpoint"),
        ("/no/such/page", 404, "/no/such/page"),
    ],
)
def test_every_error_has_one_shape(client: TestClient, url: str, status: int, says: str) -> None:
    assert says in assert_error(client.get(url), status)


def test_writes_are_refused_in_the_same_shape(client: TestClient) -> None:
    assert "read" in assert_error(client.post("/api/articles", json={}), 405)
    assert_error(client.delete(article_url(HOSTILE)), 405)


def test_a_crash_is_a_500_without_a_traceback(tmp_path: Path) -> None:
    """A database without tables makes every query fail inside the app."""
    path = tmp_path / "broken.db"
    sqlite3.connect(path).close()
    with Store(create_store_engine(f"sqlite:///{path}")) as broken:
        client = TestClient(create_app(broken), raise_server_exceptions=False)
        message = assert_error(client.get("/api/articles"), 500)
    assert "internal error" in message and "sqlite" not in message.lower()


def test_unknown_host_headers_are_refused(store: Store) -> None:
    """DNS rebinding: a page on another name must not read a loopback server."""
    guarded = TestClient(
        create_app(store, allowed_hosts={"127.0.0.1"}), base_url="http://127.0.0.1:8000"
    )
    assert guarded.get("/api/").status_code == 200
    assert "Host" in assert_error(guarded.get("/api/", headers={"host": "evil.example"}), 400)


# --- the pages --------------------------------------------------------------------------


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url, headers=HTML)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert "script-src" not in response.headers["content-security-policy"]  # no scripts at all
    assert "default-src 'none'" in response.headers["content-security-policy"]
    return response.text


def test_home_is_the_briefing(client: TestClient) -> None:
    html = page(client, "/")
    assert "Chemical plant blaze" in html or "Port Ardell" in html
    assert 'href="/stories/story-' in html
    assert 'href="/articles/a05_spun_fire.txt"' in html  # flagged
    assert 'href="/speakers?name=Helen%20Tolland"' in html


def test_story_page_orders_articles_and_labels_provenance(client: TestClient) -> None:
    stories = get(client, "/api/stories")["items"]
    fire = next(s for s in stories if "a01_wire_fire.txt" in s["articles"])
    html = page(client, f"/stories/{fire['story']}")
    positions = [html.index(f'href="/articles/{quote(a, safe="")}"') for a in fire["articles"]]
    assert positions == sorted(positions)
    assert "relation-spun" in html and "relation-duplicate" in html
    assert "Helen Tolland" in html


def test_article_page_highlights_quotes_at_their_offsets(client: TestClient) -> None:
    view = get(client, article_url("a01_wire_fire.txt"))
    html = page(client, "/articles/a01_wire_fire.txt")
    first = view["quotes"][0]
    assert f'<mark id="q0" class="quote quote-{first["kind"]}"' in html
    assert "spun score" in html.lower()
    duplicate = page(client, "/articles/a02_syndicated_fire.html")
    assert 'class="evidence"' in duplicate and "relation-duplicate" in duplicate


def test_speaker_and_entity_pages(client: TestClient) -> None:
    response = client.get("/speakers?name=helen%20tolland", headers=HTML, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/entities/e")
    html = page(client, response.headers["location"])
    assert "Helen Toland" in html and "Mayor" in html and "a01_wire_fire.txt" in html
    anonymous = page(client, "/speakers?name=a%20spokesman")
    assert "revised proposal" in anonymous


def test_cluster_page_traces_a_quote_across_outlets(client: TestClient) -> None:
    widest = get(client, "/api/quote-clusters?limit=1")["items"][0]
    html = page(client, f"/clusters/{widest['id']}")
    assert html.count("<blockquote>") == len(widest["members"])
    first = html.index(f'href="/articles/{quote(widest["first_article"], safe="")}"')
    assert first < html.index("<blockquote>")  # named as the first appearance
    assert "Error 404" in page(client, "/clusters/no-such-cluster", 404)


def test_search_page_marks_matches(client: TestClient) -> None:
    html = page(client, "/search?q=aground")
    assert "<mark>aground</mark>" in html.lower() or "<mark>Aground</mark>" in html


def test_html_errors_are_pages(client: TestClient) -> None:
    html = page(client, "/articles/no-such-article", 404)
    assert "Error 404" in html and "no-such-article" in html


# --- untrusted text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/",
        f"/articles/{HOSTILE}",
        "/articles/" + quote(ODD_ID, safe=""),
        "/search?q=levy",
        "/search?q=%3Cscript%3Ealert(9)%3C/script%3E",
        "/speakers?name=%3Cimg%20src=x%20onerror=alert(8)%3E",
        "/articles/%3Cscript%3Ealert(7)%3C%2Fscript%3E",
    ],
)
def test_hostile_text_renders_as_text(client: TestClient, url: str) -> None:
    html = client.get(url, headers=HTML).text
    assert "<script" not in html and "<img" not in html and 'href="javascript:' not in html


def test_hostile_article_shows_its_markup_as_text(client: TestClient) -> None:
    html = page(client, f"/articles/{HOSTILE}")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html  # its URL is not http(s): shown, never linked
    odd = page(client, "/articles/" + quote(ODD_ID, safe=""))
    assert 'href="https://harbourcoast.example/brennick/levy-delay?ref=&lt;x&gt;"' in odd
    assert "Harbour &amp; Coast &#34;Weekly&#34;" in odd


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.mark.postgres
def test_the_api_on_postgresql(web_pg_url: str) -> None:
    with open_existing(resolve_db_url(web_pg_url)) as pg:
        client = TestClient(create_app(pg))
        articles = walk(client, "/api/articles?limit=1")
        assert [a["article"] for a in articles] == [
            "a01_wire_fire.txt",
            "a05_spun_fire.txt",
            HOSTILE,
            ODD_ID,
        ]
        assert get(client, "/api/articles?flag=machine-spun")["total"] == 1
        assert get(client, "/api/links?relation=spun")["items"][0]["copy"] == "a05_spun_fire.txt"
        view = get(client, article_url(ODD_ID))
        text = view["article"]["text"]
        assert all(text[q["start"] : q["end"]] == q["text"] for q in view["quotes"])
        assert get(client, "/api/search?q=levy")["items"]
        assert get(client, "/api/quotes?speaker=odile%20farrant")["total"] >= 2
        assert "&lt;script&gt;" in page(client, f"/articles/{HOSTILE}")


# --- the command ------------------------------------------------------------------------------


def test_serve_refuses_a_missing_or_empty_database(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = tmp_path / "missing.db"
    result = runner.invoke(cli, ["serve", "--db", str(missing)])
    assert result.exit_code == 2 and "no database" in result.output
    assert not missing.exists()  # nothing was created
    empty = tmp_path / "empty.db"
    empty.touch()
    assert runner.invoke(cli, ["serve", "--db", str(empty)]).exit_code == 2
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE notes (x)").connection.close()
    result = runner.invoke(cli, ["serve", "--db", str(other)])
    assert result.exit_code == 2 and "no newstrace tables" in result.output


def test_serve_binds_loopback_unless_told(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "--allow-remote" in result.output
    result = runner.invoke(
        cli, ["serve", "--host", "0.0.0.0", "--allow-remote", "--db", str(tmp_path / "x.db")]
    )
    assert result.exit_code == 2 and "warning" in result.output and "no database" in result.output
