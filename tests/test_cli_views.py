"""The record views of the CLI (quotes, entities, stories, links) on the demo corpus, whose
MANIFEST.json is the ground truth. One analysed database is shared by the module."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newstrace.cli import app

runner = CliRunner()
DEMO = Path(str(resources.files("newstrace") / "demo"))
MANIFEST = json.loads((DEMO / "MANIFEST.json").read_text(encoding="utf-8"))


def short(article_id: str) -> str:
    """Manifest ids are file names; the CLI was given the folder, so ids carry its path."""
    return Path(article_id).name if "/" in article_id else article_id


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("views") / "demo.db")
    result = runner.invoke(app, ["ingest", str(DEMO), "--db", path, "--quiet"])
    assert result.exit_code == 0, result.output
    return path


def records(*args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, [*args, "--jsonl"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_cli_quotes_follow_the_contract_and_filter(db: str) -> None:
    quotes = records("quotes", "--db", db)
    fields = {
        "article",
        "text",
        "kind",
        "speaker",
        "speaker_mention",
        "speaker_role",
        "cue",
        "start",
        "end",
        "confidence",
        "cluster",
    }
    assert quotes and all(fields <= set(quote) for quote in quotes)
    assert {quote["kind"] for quote in quotes} == {"direct", "indirect", "mixed"}
    sure = records("quotes", "--db", db, "--min-confidence", "0.8")
    assert sure and len(sure) < len(quotes) and all(q["confidence"] >= 0.8 for q in sure)
    mayor = records("quotes", "--db", db, "--speaker", "helen tolland")
    # The mayor's entity, under both spellings (the spun copy misspells her).
    assert mayor and {q["speaker"] for q in mayor} == {"Helen Tolland", "Helen Toland"}
    assert len({q["speaker_entity"] for q in mayor}) == 1 and mayor[0]["speaker_entity"]


def test_cli_quote_clusters_span_outlets(db: str) -> None:
    clusters = records("quotes", "--db", db, "--clusters")
    widest = max(clusters, key=lambda cluster: len(cluster["members"]))
    outlets = {short(article) for article, _, _ in widest["members"]}
    assert len(outlets) >= 3
    members = records("quotes", "--db", db, "--cluster", widest["id"])
    assert len(members) == len(widest["members"])


def test_cli_stories_match_the_manifest(db: str) -> None:
    stories = records("stories", "--db", db)
    found = sorted(sorted(short(a) for a in story["articles"]) for story in stories)
    gold: dict[str, list[str]] = {}
    for article in MANIFEST["articles"]:
        gold.setdefault(article["story"], []).append(article["id"])
    assert found == sorted(sorted(ids) for ids in gold.values())


def test_cli_stories_carry_resolved_entities_quotes_and_copies(db: str) -> None:
    stories = records("stories", "--db", db)
    links = records("links", "--db", db)
    quotes = records("quotes", "--db", db)
    people = records("entities", "--db", db, "--kind", "person")
    names = {e["name"] for e in records("entities", "--db", db)}
    bank = next(s for s in stories if any("b01_wire_bank" in a for a in s["articles"]))
    minister = next(p for p in people if "Alexander Grebenko" in p["aliases"])
    # One name per person, however each outlet spelt it; the minister is in all four.
    assert minister["name"] in bank["entities"] and "Alexander Grebenko" not in bank["entities"]
    for story in stories:
        assert set(story["entities"]) <= names and len(story["entities"]) <= 8
        members = set(story["articles"])
        carried = {q["cluster"]: set() for q in quotes}
        for q in quotes:
            carried[q["cluster"]].add(q["article"])
        assert story["quotes"] and all(carried[c] & members for c in story["quotes"])
        reach = [len(carried[c] & members) for c in story["quotes"]]
        assert reach == sorted(reach, reverse=True)  # most widely carried first
        own = sorted((link["copy"], link["original"]) for link in links if link["copy"] in members)
        grouped = sorted(
            (copy, group["original"]) for group in story["provenance"] for copy in group["copies"]
        )
        assert grouped == own
    fire = next(s for s in stories if any("a01_wire_fire" in a for a in s["articles"]))
    assert [short(g["original"]) for g in fire["provenance"]] == ["a01_wire_fire.txt"]


def test_cli_entities_merge_spellings_and_keep_namesakes_apart(db: str) -> None:
    people = records("entities", "--db", db, "--kind", "person")
    by_alias = {
        alias: person for person in people for alias in [person["name"], *person["aliases"]]
    }
    assert by_alias["Aleksandr Hrebenko"]["entity"] == by_alias["Alexander Grebenko"]["entity"]
    assert by_alias["Celia Brandt"]["entity"] != by_alias["Owen Brandt"]["entity"]
    assert all(person["kind"] == "person" for person in people)


def test_cli_links_name_the_originals_of_the_manifest_copies(db: str) -> None:
    links = {
        (short(link["copy"]), short(link["original"])): link
        for link in records("links", "--db", db)
    }
    copies = [a for a in MANIFEST["articles"] if a["relation"] not in ("original", "independent")]
    for article in copies:
        link = links[(article["id"], article["original"])]
        assert link["relation"] == article["relation"]
        assert link["evidence"], "a link carries its aligned passages"
    assert len(links) == len(copies)  # independent reports are never linked


def test_cli_quotes_carry_their_speakers_entity(db: str) -> None:
    quotes = records("quotes", "--db", db)
    entities = {e["entity"]: e for e in records("entities", "--db", db)}
    tied = [q for q in quotes if q["speaker_entity"]]
    assert tied and all(q["speaker_entity"] in entities for q in tied)
    for entity_id, entity in entities.items():  # the entity's count is of these quotes
        assert entity["quotes"] == sum(q["speaker_entity"] == entity_id for q in quotes)
    # Any spelling of the minister's name finds his quotes in both papers' spellings.
    minister = records("quotes", "--db", db, "--speaker", "Grebenko")
    assert {q["speaker"] for q in minister} >= {"Aleksandr Hrebenko", "Alexander Grebenko"}
    assert {short(q["article"]) for q in minister} >= {"b01_wire_bank.txt", "b02_lantern_bank.txt"}
    assert minister == records("quotes", "--db", db, "--speaker", "aleksandr hrebenko")
    # Anonymous sources are no entity: found by their description, tied to nobody.
    resident = records("quotes", "--db", db, "--speaker", "one resident")
    assert resident and all(q["speaker_entity"] is None for q in resident)
