"""The options shared by `newstrace` commands, declared once so every command spells and
documents them the same way, and the small checks of their values."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

import typer

InputsArg = Annotated[
    list[str] | None,
    typer.Argument(help="Files, directories, http(s) URLs, or - for stdin.", show_default=False),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL or SQLite path [env NEWSTRACE_DB; default newstrace.db]."
    ),
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summary on stderr.")]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", help="One JSON record per line on stdout.")]
WorkersOpt = Annotated[int, typer.Option("--workers", "-w", min=1, help="Worker processes.")]
BatchOpt = Annotated[int, typer.Option("--batch-size", "-b", min=1, help="Articles per batch.")]
SparkOpt = Annotated[
    str | None,
    typer.Option(
        "--spark",
        metavar="MASTER",
        help="Run the per-article stages on Spark ('local[4]', 'spark://host:7077').",
    ),
]
PrivateOpt = Annotated[
    bool, typer.Option("--allow-private", help="Allow URLs on private or loopback addresses.")
]
MaxBytesOpt = Annotated[
    int, typer.Option("--max-bytes", min=1, help="Size cap per input file or URL body.")
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds per URL fetch.")]
ExtractTimeoutOpt = Annotated[
    float,
    typer.Option("--extract-timeout", min=0.01, help="Seconds per HTML page's text extraction."),
]
HostOpt = Annotated[str, typer.Option("--host", help="Address to listen on.")]
PortOpt = Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")]
AllowRemoteOpt = Annotated[
    bool,
    typer.Option(
        "--allow-remote", help="Allow a non-loopback --host: anyone who reaches it reads all."
    ),
]


def absolute_sqlite(db: str) -> str:
    """A relative SQLite path must survive the demo's change of working folder."""
    if "://" in db:
        return db
    return str(Path(db).resolve())


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
