"""The stages wired together: ingest -> clean -> analyze -> store.

Per-article work (clean, parse, mentions) is a pure function of one Article, so the same
code runs inline, in worker processes, or in a Spark partition. The store is written from
this process only (one writer), in batches, each batch one transaction: a killed run
leaves whole batches and resumes by skipping what is already stored.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any

from newstrace.clean import clean
from newstrace.entities import extract_mentions
from newstrace.ingest import IngestOptions, read_inputs
from newstrace.link import LinkReport, link_if_changed
from newstrace.model import Analysis, Article, InputFailure
from newstrace.nlp import MAX_CHARS, load_nlp
from newstrace.provenance import provenance_features
from newstrace.quality import SPUN_THRESHOLD, score_quality
from newstrace.quotes import extract_quotes
from newstrace.store import Store, WriteResult
from newstrace.stories import story_features

logger = logging.getLogger(__name__)

# Bump when a per-article stage changes what it finds: stored articles analysed by another
# version are analysed again on the next run, even if their text did not change.
ANALYSIS_VERSION = "19"


@dataclass(frozen=True)
class PipelineOptions:
    """How the per-article stages run; none of these change results, only speed.

    ``spark`` is a Spark master URL ("local[8]", "spark://host:7077"): the stages then run
    on Spark's executors instead of local worker processes (see ``newstrace.spark``).
    """

    batch_size: int = 64
    workers: int = 1
    spark: str | None = None

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {self.batch_size}")
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        if self.spark is not None and not self.spark.strip():
            raise ValueError("spark must name a master, e.g. 'local[4]' or 'spark://host:7077'")
        if self.spark is not None and self.workers > 1:
            raise ValueError(
                "workers and spark exclude each other: Spark's executors do the work "
                "(set their number with the master, e.g. 'local[4]')"
            )


@dataclass
class RunReport:
    """What a run did, for the summary line, the exit code and the briefing."""

    read: int = 0
    analyzed: int = 0
    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0
    failures: list[InputFailure] = field(default_factory=list)
    article_ids: list[str] = field(default_factory=list)
    linked: LinkReport | None = None

    @property
    def failed(self) -> int:
        return len(self.failures)

    def to_dict(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "analyzed": self.analyzed,
            "inserted": self.inserted,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "failed": self.failed,
            "failures": [failure.to_dict() for failure in self.failures],
            "linked": self.linked.to_dict() if self.linked else None,
        }


def analyze_articles(articles: Iterable[Article], batch_size: int = 64) -> Iterator[Analysis]:
    """Clean, parse once, and run every per-article stage over the same Doc."""
    nlp = load_nlp()
    cleaned = (_clean_for_analysis(article) for article in articles)
    pairs = ((article.text[:MAX_CHARS], article) for article in cleaned)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        # The text the Doc was made from: spaCy keeps it verbatim, and ``doc.text`` rebuilds
        # it from the tokens on every access.
        text = article.text[:MAX_CHARS]
        sentences = [(sent.start_char, sent.end_char) for sent in doc.sents]
        mentions = extract_mentions(article.id, doc)
        story = story_features(article.id, article.title, article.published, doc, None, mentions)
        quality = score_quality(text, doc)
        # Below the threshold the quality reasons are kept (features) but not flagged: a
        # clean article with one odd sentence is not a finding.
        spun = quality.spun_score >= SPUN_THRESHOLD
        flags = list(dict.fromkeys([*article.flags, *(quality.flags if spun else [])]))
        yield Analysis(
            article=replace(article, spun_score=quality.spun_score, flags=flags),
            mentions=mentions,
            quotes=extract_quotes(article.id, doc),
            version=ANALYSIS_VERSION,
            features={
                "story": story.to_dict(),
                "provenance": provenance_features(text, sentences),
                "quality": quality.to_dict(),
            },
        )


def analyze_batch(articles: list[Article]) -> list[Analysis | InputFailure]:
    """One worker task: a whole batch, so inter-process traffic is records, not Docs.

    If the batch fails, each article is retried alone so one bad article costs only itself.
    """
    try:
        return list(analyze_articles(articles, batch_size=len(articles) or 1))
    except Exception:
        logger.debug("batch failed; retrying its articles one by one", exc_info=True)
    results: list[Analysis | InputFailure] = []
    for article in articles:
        try:
            results.extend(analyze_articles([article], batch_size=1))
        except Exception as error:
            logger.debug("analysis of %s failed", article.id, exc_info=True)
            results.append(InputFailure(article.source or article.id, f"analysis failed: {error}"))
    return results


def _clean_for_analysis(article: Article) -> Article:
    cleaned = clean(article)
    if len(cleaned.text) > MAX_CHARS:
        cleaned = replace(cleaned, flags=[*cleaned.flags, "truncated-for-analysis"])
    return cleaned


def run(
    inputs: Iterable[str],
    store: Store,
    ingest_options: IngestOptions | None = None,
    options: PipelineOptions | None = None,
    on_failure: Callable[[InputFailure], None] | None = None,
    on_progress: Callable[[RunReport], None] | None = None,
) -> RunReport:
    """Read every input, analyse what is new or changed, and store it batch by batch."""
    options = options or PipelineOptions()
    report = RunReport()

    def note_failure(failure: InputFailure) -> None:
        report.failures.append(failure)
        logger.info("%s", failure)  # callers report failures themselves (on_failure, report)
        if on_failure:
            on_failure(failure)

    def articles() -> Iterator[Article]:
        for item in read_inputs(inputs, ingest_options):
            if isinstance(item, InputFailure):
                note_failure(item)
            else:
                report.read += 1
                report.article_ids.append(item.id)
                yield item

    pending = (_needing_work(batch, store, report) for batch in _batches(articles(), options))
    for results in _analyze_batches(pending, options):
        analyses = [item for item in results if isinstance(item, Analysis)]
        for item in results:
            if isinstance(item, InputFailure):
                note_failure(item)
        for result in _write(store, analyses, note_failure):
            report.inserted += result.inserted
            report.replaced += result.replaced
            report.unchanged += result.unchanged
        report.analyzed += len(analyses)
        if on_progress:
            on_progress(report)
    report.article_ids = list(dict.fromkeys(report.article_ids))
    report.linked = link_if_changed(store)
    return report


def _write(
    store: Store, analyses: list[Analysis], note_failure: Callable[[InputFailure], None]
) -> Iterator[WriteResult]:
    """Write the batch in one transaction; if the store refuses it, write article by article
    so one unstorable article is reported and the rest are kept."""
    try:
        yield store.write(analyses)
        return
    except Exception as error:
        if len(analyses) == 1:
            article = analyses[0].article
            note_failure(InputFailure(article.source or article.id, f"not stored: {error}"))
            return
    for analysis in analyses:
        yield from _write(store, [analysis], note_failure)


def _batches(articles: Iterator[Article], options: PipelineOptions) -> Iterator[list[Article]]:
    while batch := list(islice(articles, options.batch_size)):
        yield batch


def _needing_work(batch: list[Article], store: Store, report: RunReport) -> list[Article]:
    """Drop articles already stored with the same content; keep the last of repeated ids."""
    latest: dict[str, Article] = {}
    for article in batch:
        if article.id in latest:
            logger.warning("article id %r appears twice; the later one is kept", article.id)
        latest[article.id] = article
    stored = store.stored_hashes(list(latest), version=ANALYSIS_VERSION)
    todo = [a for a in latest.values() if stored.get(a.id) != a.content_hash]
    report.unchanged += len(latest) - len(todo)
    return todo


def _analyze_batches(
    batches: Iterator[list[Article]], options: PipelineOptions
) -> Iterator[list[Analysis | InputFailure]]:
    if options.spark is not None:
        from newstrace.spark import analyze_on_spark  # PySpark is optional

        yield from analyze_on_spark(batches, options.spark)
        return
    if options.workers == 1:
        for batch in batches:
            if batch:
                yield analyze_batch(batch)
        return
    # Spawned workers (not forked) so a progress-bar thread in this process can't deadlock
    # them; each loads the model once. At most 2 batches per worker are in flight, so
    # memory stays flat however long the input stream is.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(options.workers, mp_context=context) as pool:
        in_flight: list[Future[list[Analysis | InputFailure]]] = []
        for batch in batches:
            if batch:
                in_flight.append(pool.submit(analyze_batch, batch))
            if len(in_flight) >= 2 * options.workers:
                yield in_flight.pop(0).result()
        for future in in_flight:
            yield future.result()
