"""Running the pipeline for a command: the store it opens, the progress it shows on stderr,
and the exit codes every command shares (0 all inputs done, 1 some failed, 2 usage error)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from newstrace.ingest import IngestOptions
from newstrace.model import InputFailure
from newstrace.pipeline import PipelineOptions, RunReport, run
from newstrace.spark import SparkUnavailable
from newstrace.store import Store, resolve_db_url

stderr = Console(stderr=True, highlight=False)


def run_inputs(
    store: Store,
    inputs: list[str] | None,
    ingest_options: IngestOptions,
    options: PipelineOptions,
    quiet: bool,
) -> RunReport:
    if not inputs:
        return RunReport()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=quiet,
    )

    def show_failure(failure: InputFailure) -> None:
        progress.console.print(f"[red]error[/]: {escape(str(failure))}")

    with progress:
        task = progress.add_task("reading inputs")

        def show(report: RunReport) -> None:
            progress.update(task, description=summary(report))

        try:
            report = run(
                inputs, store, ingest_options, options, on_failure=show_failure, on_progress=show
            )
        except SparkUnavailable as error:
            usage_error(str(error))
    if not quiet:
        stderr.print(summary(report))
    return report


def summary(report: RunReport) -> str:
    return (
        f"{report.read} read, {report.inserted} new, {report.replaced} updated, "
        f"{report.unchanged} unchanged, {report.failed} failed"
    )


def pipeline_options(batch_size: int, workers: int, spark: str | None) -> PipelineOptions:
    try:
        return PipelineOptions(batch_size, workers, spark)
    except ValueError as error:
        usage_error(str(error))


@contextlib.contextmanager
def analysed(
    db: str | None, inputs: list[str] | None, quiet: bool, workers: int, allow_private: bool
) -> Iterator[tuple[Store, RunReport, list[str] | None]]:
    """The store after analysing ``inputs``, and the ids a listing should show: the inputs'
    articles, or everything stored (None) when no inputs were given."""
    with open_store(db) as store:
        options = IngestOptions(allow_private=allow_private)
        report = run_inputs(store, inputs, options, PipelineOptions(workers=workers), quiet)
        yield store, report, (report.article_ids if inputs else None)


@contextlib.contextmanager
def open_store(db: str | None) -> Iterator[Store]:
    try:
        url = resolve_db_url(db)
    except ValueError as error:
        usage_error(str(error))
    store = Store.open(url)
    try:
        yield store
    finally:
        store.close()


def usage_error(message: str) -> NoReturn:
    stderr.print(f"[red]usage error[/]: {escape(message)}")
    raise typer.Exit(2)


def exit_for(report: RunReport) -> None:
    if report.failures:
        raise typer.Exit(1)
