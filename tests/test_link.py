"""The link stage over a growing store: a later run aligns only the new articles and ends
where one run over everything ends (links, entities, quote clusters, speakers, stories), in
whichever order the articles came; a changed or unreadable saved index is rebuilt."""

from __future__ import annotations

import contextlib
import json
import logging
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from newstrace.ingest import IngestOptions
from newstrace.link import PROVENANCE_STATE, link_corpus
from newstrace.pipeline import PipelineOptions, run
from newstrace.store import Store

DEMO = ["a02_syndicated_fire.html", "a03_edited_fire.txt", "a04_rewrite_fire.txt",
        "a06_tabloid_fire.html", "b02_lantern_bank.txt", "c01_wire_ferry_north.txt",
        "feed_monitor.jsonl", "nbn_news.rss"]  # fmt: skip
# Arriving later: the two wire originals (their copies are stored first), a spun copy and
# an unrelated report.
LATER = ["a01_wire_fire.txt", "a05_spun_fire.txt", "b01_wire_bank.txt", "c02_gazette_ferry_south.txt"]  # fmt: skip

Row = tuple[str, str, str, float, str]


def analyse(url: str, names: list[str]) -> None:
    demo = resources.files("newstrace") / "demo"
    with resources.as_file(demo) as folder, contextlib.chdir(folder), Store.open(url) as store:
        report = run(names, store, IngestOptions(), PipelineOptions())
    assert not report.failures


def links_of(url: str) -> list[Row]:
    with Store.open(url) as store:
        return sorted(
            (x.copy, x.original, x.relation, round(x.score, 6), x.decided_by) for x in store.links()
        )


def everything(url: str) -> dict[str, Any]:
    """Every fact the link pass stores, as plain data (the store's own orders)."""
    with Store.open(url) as store:
        return {
            "links": links_of(url),
            "entities": [e.to_dict() for e in store.entities()],
            "clusters": [c.to_dict() for c in store.quote_clusters()],
            "quotes": [(q.article, q.start, q.cluster, q.speaker_entity) for q in store.quotes()],
            "stories": [s.to_dict() for s in store.stories()],
        }


def aligned(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("provenance:")]


@pytest.fixture(scope="module")
def once_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('once') / 'once.db'}"
    analyse(url, DEMO + LATER)
    return url


@pytest.fixture(scope="module")
def all_at_once(once_url: str) -> list[Row]:
    return links_of(once_url)


@pytest.mark.parametrize("runs", [[DEMO, LATER], [LATER, DEMO[:4], DEMO[4:]]])
def test_runs_over_a_growing_store_end_as_one_run_over_everything(
    tmp_path: Path, once_url: str, runs: list[list[str]]
) -> None:
    url = f"sqlite:///{tmp_path / 'grown.db'}"
    for names in runs:
        analyse(url, names)
    grown, once = everything(url), everything(once_url)
    assert len(once["entities"]) >= 20 and len(once["stories"]) >= 4
    assert any(q[2] for q in once["quotes"]) and any(q[3] for q in once["quotes"])
    assert grown == once


def test_later_run_aligns_only_new_articles_and_ends_where_one_run_does(
    tmp_path: Path, all_at_once: list[Row], caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'grown.db'}"
    analyse(url, DEMO)
    caplog.set_level(logging.INFO, logger="newstrace.link")
    analyse(url, LATER)
    assert len(all_at_once) >= 6  # the demo's copies, re-pointed to the late originals
    assert links_of(url) == all_at_once
    (message,) = aligned(caplog)
    assert message.startswith("provenance: 4 articles aligned")


def test_changed_article_or_unreadable_state_rebuilds_with_the_same_links(
    tmp_path: Path, all_at_once: list[Row], caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    analyse(url, DEMO + LATER)
    caplog.set_level(logging.INFO, logger="newstrace.link")
    with Store.open(url) as store:
        state = json.loads(store.get_meta(PROVENANCE_STATE) or "{}")
        state["digest"] = "0" * 64  # as if an indexed article had changed since
        store.set_meta(PROVENANCE_STATE, json.dumps(state))
        link_corpus(store)
        store.set_meta(PROVENANCE_STATE, "not json")
        link_corpus(store)
        link_corpus(store)  # the state the rebuild saved is used
    with Store.open(url) as store:
        stored = store.count_articles()
    assert [m.split(",")[0] for m in aligned(caplog)] == [
        f"provenance: {stored} articles aligned",  # rebuilt: the state no longer matched
        f"provenance: {stored} articles aligned",  # rebuilt: the state could not be read
        "provenance: 0 articles aligned",  # the rebuilt state, reused
    ]
    assert "unreadable" in caplog.text
    assert links_of(url) == all_at_once
