"""The `newstrace` command line: a thin layer over `pipeline`, `store` and `export`.

Results go to stdout (a briefing for people, `--jsonl` for scripts); progress, logs and
per-input errors go to stderr. Exit codes: 0 every input done, 1 some inputs failed (each
named on stderr, the rest done and stored), 2 usage error.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from newstrace import __version__, export
from newstrace.briefing import (
    Briefing,
    links_touching,
    render_briefing,
    render_links,
    render_quote_clusters,
    render_quotes,
    touching,
)
from newstrace.cli_options import (
    AllowRemoteOpt,
    BatchOpt,
    DbOpt,
    ExtractTimeoutOpt,
    HostOpt,
    InputsArg,
    JsonlOpt,
    MaxBytesOpt,
    PortOpt,
    PrivateOpt,
    QuietOpt,
    SparkOpt,
    TimeoutOpt,
    WorkersOpt,
    absolute_sqlite,
    is_loopback,
    url_host,
)
from newstrace.cli_run import (
    analysed,
    exit_for,
    open_store,
    pipeline_options,
    run_inputs,
    stderr,
    usage_error,
)
from newstrace.ingest import IngestOptions
from newstrace.pipeline import PipelineOptions
from newstrace.store import read, resolve_db_url

app = typer.Typer(
    help="Who said what, about which story, and who copied whom.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
# Piped briefings are read in files and pagers: don't fold them to a guessed 80 columns.
stdout = Console(highlight=False, width=None if sys.stdout.isatty() else 160)

DEMO_DB = "newstrace-demo.db"


def main() -> None:
    app()


@app.callback()
def _setup(
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="-v info, -vv debug.")
    ] = 0,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        stdout.print(f"newstrace {__version__} (Python {sys.version.split()[0]})")
        raise typer.Exit()
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    logging.basicConfig(
        stream=sys.stderr, level=level, format="%(levelname)s %(name)s: %(message)s"
    )
    if verbose < 2:
        # The HTML extractors log every page they can't use; our one-line error says it.
        for noisy in ("trafilatura", "htmldate", "courlan", "justext"):
            logging.getLogger(noisy).setLevel(logging.CRITICAL)


@app.command()
def analyze(
    inputs: InputsArg = None,
    db: DbOpt = None,
    quiet: QuietOpt = False,
    jsonl: JsonlOpt = False,
    workers: WorkersOpt = 1,
    batch_size: BatchOpt = 64,
    spark: SparkOpt = None,
    allow_private: PrivateOpt = False,
    max_bytes: MaxBytesOpt = IngestOptions.max_bytes,
    timeout: TimeoutOpt = IngestOptions.timeout,
    extract_timeout: ExtractTimeoutOpt = IngestOptions.extract_timeout,
) -> None:
    """Ingest, analyse and store INPUTS, then print the briefing (or the stored articles)."""
    ingest = IngestOptions(
        max_bytes=max_bytes,
        allow_private=allow_private,
        timeout=timeout,
        extract_timeout=extract_timeout,
    )
    with open_store(db) as store:
        report = run_inputs(
            store, inputs, ingest, pipeline_options(batch_size, workers, spark), quiet
        )
        ids = report.article_ids if inputs else None
        if jsonl:
            export.write_jsonl((export.article_record(a) for a in store.articles(ids)), sys.stdout)
        else:
            render_briefing(stdout, Briefing.from_store(store, ids, report.failures))
    exit_for(report)


@app.command()
def ingest(
    inputs: InputsArg = None,
    db: DbOpt = None,
    quiet: QuietOpt = False,
    workers: WorkersOpt = 1,
    batch_size: BatchOpt = 64,
    spark: SparkOpt = None,
    allow_private: PrivateOpt = False,
    max_bytes: MaxBytesOpt = IngestOptions.max_bytes,
    timeout: TimeoutOpt = IngestOptions.timeout,
    extract_timeout: ExtractTimeoutOpt = IngestOptions.extract_timeout,
) -> None:
    """Ingest, analyse and store INPUTS; print only the run summary."""
    if not inputs:
        usage_error("ingest needs at least one input (a file, directory, URL or -)")
    ingest_options = IngestOptions(
        max_bytes=max_bytes,
        allow_private=allow_private,
        timeout=timeout,
        extract_timeout=extract_timeout,
    )
    with open_store(db) as store:
        options = pipeline_options(batch_size, workers, spark)
        report = run_inputs(store, inputs, ingest_options, options, quiet)
    exit_for(report)


@app.command()
def articles(
    inputs: InputsArg = None,
    db: DbOpt = None,
    quiet: QuietOpt = False,
    jsonl: JsonlOpt = False,
    workers: WorkersOpt = 1,
    allow_private: PrivateOpt = False,
) -> None:
    """List articles (those in INPUTS, after analysing them, or all stored) with their flags."""
    with analysed(db, inputs, quiet, workers, allow_private) as (store, report, ids):
        records = (export.article_record(a) for a in store.articles(ids))
        if jsonl:
            export.write_jsonl(records, sys.stdout)
        else:
            table = Table("published", "outlet", "title", "article", "flags")
            for record in records:
                table.add_row(
                    *(
                        Text(_cell(record[key]))
                        for key in ("published", "outlet", "title", "article", "flags")
                    )
                )
            stdout.print(table)
    exit_for(report)


@app.command()
def quotes(
    inputs: InputsArg = None,
    db: DbOpt = None,
    quiet: QuietOpt = False,
    jsonl: JsonlOpt = False,
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Only quotes by this resolved speaker.")
    ] = None,
    cluster: Annotated[
        str | None, typer.Option("--cluster", help="Only quotes of this cross-outlet cluster.")
    ] = None,
    min_confidence: Annotated[
        float, typer.Option("--min-confidence", min=0.0, max=1.0, help="Drop less sure quotes.")
    ] = 0.0,
    clusters: Annotated[
        bool, typer.Option("--clusters", help="List cross-outlet quote clusters instead.")
    ] = False,
    workers: WorkersOpt = 1,
    allow_private: PrivateOpt = False,
) -> None:
    """Quotes (those in INPUTS, after analysing them, or all stored), grouped by speaker."""
    with analysed(db, inputs, quiet, workers, allow_private) as (store, report, ids):
        found = store.quotes(ids, speaker=speaker, cluster=cluster, min_confidence=min_confidence)
        if clusters:
            wanted = {quote.cluster for quote in found if quote.cluster}
            groups = [group for group in store.quote_clusters() if group.id in wanted]
            if jsonl:
                export.write_jsonl((group.to_dict() for group in groups), sys.stdout)
            else:
                render_quote_clusters(stdout, groups)
        elif jsonl:
            export.write_jsonl((quote.to_dict() for quote in found), sys.stdout)
        else:
            said = list(found)
            names = store.entity_names(q.speaker_entity for q in said if q.speaker_entity)
            render_quotes(stdout, said, names=names)
    exit_for(report)


@app.command()
def stories(
    inputs: InputsArg = None,
    db: DbOpt = None,
    quiet: QuietOpt = False,
    jsonl: JsonlOpt = False,
    workers: WorkersOpt = 1,
    allow_private: PrivateOpt = False,
) -> None:
    """Stories (those touching INPUTS, after analysing them, or all stored)."""
    with analysed(db, inputs, quiet, workers, allow_private) as (store, report, ids):
        found = touching(store.stories(), ids)
        if jsonl:
            export.write_jsonl((story.to_dict() for story in found), sys.stdout)
        else:
            for story in found:
                stdout.print(Text(f"{story.title or '(untitled)'}  [{story.id}]", style="bold"))
                for article in store.articles(story.articles):
                    when = (article.published or "undated")[:16]
                    stdout.print(Text(f"  {when:16} {article.outlet or '?':20} {article.id}"))
    exit_for(report)


@app.command()
def entities(
    inputs: InputsArg = None,
    db: DbOpt = None,
    quiet: QuietOpt = False,
    jsonl: JsonlOpt = False,
    kind: Annotated[
        str | None, typer.Option("--kind", help="person, organisation, place, group or other.")
    ] = None,
    workers: WorkersOpt = 1,
    allow_private: PrivateOpt = False,
) -> None:
    """People, organisations and places, one entry each across spellings and articles."""
    with analysed(db, inputs, quiet, workers, allow_private) as (store, report, ids):
        found = touching(store.entities(kind), ids)
        if jsonl:
            export.write_jsonl((entity.to_dict() for entity in found), sys.stdout)
        else:
            table = Table("entity", "kind", "name", "aliases", "roles", "articles", "quotes")
            for entity in found:
                table.add_row(
                    *(
                        Text(cell)
                        for cell in (
                            entity.id,
                            entity.kind,
                            entity.name,
                            ", ".join(entity.aliases),
                            ", ".join(entity.roles),
                            str(len(entity.articles)),
                            str(entity.quotes),
                        )
                    )
                )
            stdout.print(table)
    exit_for(report)


@app.command()
def links(
    inputs: InputsArg = None,
    db: DbOpt = None,
    quiet: QuietOpt = False,
    jsonl: JsonlOpt = False,
    workers: WorkersOpt = 1,
    allow_private: PrivateOpt = False,
) -> None:
    """Provenance edges: which article copies, rewrites or spins which original."""
    with analysed(db, inputs, quiet, workers, allow_private) as (store, report, ids):
        found = links_touching(store.links(), ids)
        if jsonl:
            export.write_jsonl((link.to_dict() for link in found), sys.stdout)
        else:
            ids = sorted({article for link in found for article in (link.copy, link.original)})
            render_links(stdout, found, {a.id: a for a in store.articles(ids)})
    exit_for(report)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in titles and texts.")],
    db: DbOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Most hits to show.")] = 20,
    jsonl: JsonlOpt = False,
) -> None:
    """Full-text search over stored articles, best match first."""
    with open_store(db) as store:
        hits = store.search(query, limit=limit)
    if jsonl:
        export.write_jsonl((hit.to_dict() for hit in hits), sys.stdout)
        return
    if not hits:
        stderr.print("no matches")
    for hit in hits:
        stdout.print(Text.assemble((hit.article, "bold"), "  ", hit.title or ""))
        stdout.print(Text("    " + " ".join(hit.snippet.split())))


@app.command("export")
def export_command(
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl, csv or parquet.")] = "jsonl",
    what: Annotated[str, typer.Option("--what", help="articles or mentions.")] = "articles",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (stdout for jsonl/csv).")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Export stored records, streamed, in one of the machine formats."""
    if format not in export.FORMATS:
        usage_error(f"--format must be one of {', '.join(export.FORMATS)}, not {format!r}")
    if what not in ("articles", "mentions"):
        usage_error(f"--what must be articles or mentions, not {what!r}")
    if format == "parquet" and output is None:
        usage_error("parquet is binary: give --output FILE")
    with open_store(db) as store:
        if what == "articles":
            records = (export.article_record(a) for a in store.articles())
            fields = export.ARTICLE_FIELDS
        else:
            records = (export.mention_record(m) for m in store.mentions())
            fields = export.MENTION_FIELDS
        if format == "parquet":
            assert output is not None
            count = export.write_parquet(records, output, fields)
        else:
            with _text_output(output) as stream:
                count = (
                    export.write_jsonl(records, stream)
                    if format == "jsonl"
                    else export.write_csv(records, stream, fields)
                )
    stderr.print(f"exported {count} {what}")


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Database for the demo run.")] = DEMO_DB,
    quiet: QuietOpt = False,
    workers: WorkersOpt = 1,
) -> None:
    """Run the main job on the bundled fictional demo corpus and print the briefing."""
    url = resolve_db_url(absolute_sqlite(db))
    corpus = resources.files("newstrace") / "demo"
    with resources.as_file(corpus) as folder, contextlib.chdir(folder):
        # Ids are paths as given: run from inside the corpus so they read "a01_wire.txt".
        names = sorted(p.name for p in folder.iterdir() if p.suffix in _DEMO_SUFFIXES)
        with open_store(url) as store:
            report = run_inputs(
                store, names, IngestOptions(), PipelineOptions(workers=workers), quiet
            )
            render_briefing(stdout, Briefing.from_store(store, report.article_ids, report.failures))
    if not quiet:
        stderr.print(f"stored in {url}")
    exit_for(report)


@app.command()
def serve(
    db: DbOpt = None,
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8000,
    allow_remote: AllowRemoteOpt = False,
) -> None:
    """Web pages and a JSON API (/api/) over the stored records, read-only, on 127.0.0.1."""
    if not is_loopback(host):
        if not allow_remote:
            usage_error(f"--host {host} is not a loopback address: add --allow-remote to serve it")
        stderr.print(
            f"[yellow]warning[/]: serving on {escape(host)}: anyone who can reach it can read "
            "the whole database (no authentication)"
        )
    try:
        store = read.open_existing(resolve_db_url(db))
    except ValueError as error:
        usage_error(str(error))
    # Imported here: the web stack is needed by this command only.
    from newstrace.web import serve as serve_web

    try:
        stderr.print(f"serving http://{url_host(host)}:{port}/ (Ctrl-C to stop)")
        serve_web(store, host, port)
    finally:
        store.close()


_DEMO_SUFFIXES = frozenset({".txt", ".html", ".jsonl", ".rss"})


@contextlib.contextmanager
def _text_output(path: Path | None) -> Iterator[Any]:
    if path is None:
        yield sys.stdout
        return
    with path.open("w", encoding="utf-8", newline="") as stream:
        yield stream


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)
