"""The stages wired together, on a real SQLite file and the real PostgreSQL server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newstrace.model import Analysis, Article
from newstrace.pipeline import PipelineOptions, analyze_articles, analyze_batch, run
from newstrace.store import Store, WriteResult

WIRE = (
    "Fire crews from three districts fought a blaze at the Calder Chemicals depot in "
    "Port Selwyn on Tuesday night, and about 400 residents were moved to a sports hall.\n\n"
    "“We had the fire contained by midnight,” said Fire chief Tomas Lindqvist. "
    "READ MORE: Port Selwyn mayor under fire over flood plan [REVEAL]\n\n"
    "Mayor Ines Hartwell said the town would review the depot's licence."
)


def write_corpus(folder: Path, count: int) -> Path:
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for index in range(count):
            text = f"Story number {index} from the Harrow Valley Gazette. " + WIRE
            stream.write(
                json.dumps({"id": f"hv-{index}", "text": text, "outlet": "Gazette"}) + "\n"
            )
    return path


def test_pipeline_analysis_cleans_first_and_offsets_refer_to_cleaned_text() -> None:
    (analysis,) = analyze_articles([Article(id="a1", raw_text=WIRE)])
    text = analysis.article.text
    assert "READ MORE" not in text
    assert analysis.article.removed and analysis.article.removed[0].kind == "promo"
    assert analysis.mentions, "the wire text names people and places"
    for mention in analysis.mentions:
        assert text[mention.start : mention.end] == mention.text


def test_pipeline_analyze_batch_isolates_an_article_that_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import newstrace.pipeline as pipeline

    real = pipeline.extract_mentions

    def fragile(article_id: str, doc: object) -> list[object]:
        if article_id == "bad":
            raise RuntimeError("boom")
        return real(article_id, doc)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "extract_mentions", fragile)
    results = analyze_batch([Article(id="good", raw_text=WIRE), Article(id="bad", raw_text=WIRE)])
    kinds = sorted(type(item).__name__ for item in results)
    assert kinds == ["Analysis", "InputFailure"]
    failure = next(item for item in results if not hasattr(item, "article"))
    assert "boom" in str(failure)


def test_pipeline_run_is_idempotent_and_stores_everything(tmp_path: Path, db_url: str) -> None:
    corpus = write_corpus(tmp_path, 10)
    with Store.open(db_url) as store:
        first = run([str(corpus)], store, options=PipelineOptions(batch_size=4))
        assert (first.read, first.inserted, first.failed) == (10, 10, 0)
        second = run([str(corpus)], store, options=PipelineOptions(batch_size=4))
        assert (second.inserted, second.replaced, second.unchanged) == (0, 0, 10)
        assert store.count_articles() == 10
        mentions_before = len(list(store.mentions()))
        run([str(corpus)], store)
        assert len(list(store.mentions())) == mentions_before


def test_pipeline_run_replaces_a_changed_article(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path, 3)
    with Store.open(f"sqlite:///{tmp_path}/t.db") as store:
        run([str(corpus)], store)
        lines = corpus.read_text(encoding="utf-8").splitlines()
        changed = json.loads(lines[1])
        changed["text"] += " A correction was appended later."
        lines[1] = json.dumps(changed)
        corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = run([str(corpus)], store)
        assert (report.replaced, report.unchanged) == (1, 2)
        (article,) = store.articles(["hv-1"])
        assert article.text.endswith("A correction was appended later.")


def test_pipeline_run_with_two_workers_matches_one(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path, 12)
    stored = []
    for workers in (1, 2):
        with Store.open(f"sqlite:///{tmp_path}/w{workers}.db") as store:
            report = run(
                [str(corpus)], store, options=PipelineOptions(batch_size=3, workers=workers)
            )
            assert report.inserted == 12
            stored.append(
                ([a.to_dict() for a in store.articles()], [m.to_dict() for m in store.mentions()])
            )
    assert stored[0] == stored[1]


def test_pipeline_options_reject_nonsense() -> None:
    with pytest.raises(ValueError, match="batch_size"):
        PipelineOptions(batch_size=0)
    with pytest.raises(ValueError, match="workers"):
        PipelineOptions(workers=0)


def test_pipeline_run_drops_nul_characters_that_no_database_accepts(tmp_path: Path) -> None:
    corpus = tmp_path / "nul.jsonl"
    line = {"id": "nul-1", "title": "Keld\u0000 council", "text": "The Keld\u0000 council met."}
    corpus.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with Store.open(f"sqlite:///{tmp_path}/n.db") as store:
        report = run([str(corpus)], store)
        (article,) = store.articles()
    assert report.failed == 0
    assert (article.title, article.text) == ("Keld council", "The Keld council met.")


def test_pipeline_run_keeps_the_batch_when_one_article_cannot_be_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path, 5)
    real_write = Store.write

    def refuse_hv_3(self: Store, analyses: list[Analysis]) -> WriteResult:
        if any(analysis.article.id == "hv-3" for analysis in analyses):
            raise RuntimeError("disk says no")
        return real_write(self, analyses)

    monkeypatch.setattr(Store, "write", refuse_hv_3)
    with Store.open(f"sqlite:///{tmp_path}/n.db") as store:
        report = run([str(corpus)], store, options=PipelineOptions(batch_size=5))
        stored = sorted(article.id for article in store.articles())
    assert stored == ["hv-0", "hv-1", "hv-2", "hv-4"]
    assert [(f.source, f.reason) for f in report.failures] == [
        (str(corpus), "not stored: disk says no")
    ]


def test_pipeline_reanalyses_articles_stored_by_another_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newstrace.pipeline as pipeline

    corpus = write_corpus(tmp_path, 3)
    with Store.open(f"sqlite:///{tmp_path}/v.db") as store:
        run([str(corpus)], store)
        monkeypatch.setattr(pipeline, "ANALYSIS_VERSION", "next")
        report = run([str(corpus)], store)
        assert (report.replaced, report.unchanged) == (3, 0)
        again = run([str(corpus)], store)
        assert (again.replaced, again.unchanged) == (0, 3)


def test_a_new_link_version_links_an_unchanged_store_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A release that resolves entities or stories differently must not leave a store with
    # the old release's links just because its articles did not change.
    from newstrace import link

    corpus = write_corpus(tmp_path, 3)
    with Store.open(f"sqlite:///{tmp_path}/lv.db") as store:
        run([str(corpus)], store)
        assert run([str(corpus)], store).linked is None
        monkeypatch.setattr(link, "LINK_VERSION", "next")
        relinked = run([str(corpus)], store)
        assert relinked.unchanged == 3 and relinked.linked is not None
        assert run([str(corpus)], store).linked is None


def test_pipeline_links_only_when_the_store_changed(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path, 4)
    with Store.open(f"sqlite:///{tmp_path}/l.db") as store:
        first = run([str(corpus)], store)
        assert first.linked is not None and first.linked.stories >= 1
        assert run([str(corpus)], store).linked is None  # nothing changed: no re-linking
        # An article stored without a link pass (a run killed after its last write) is
        # caught up by the next run, even though that run itself adds nothing.
        (extra,) = analyze_articles([Article(id="late", raw_text=WIRE)])
        store.write([extra])
        caught_up = run([str(corpus)], store)
        assert caught_up.inserted == 0 and caught_up.linked is not None
        assert "late" in {a for story in store.stories() for a in story.articles}
