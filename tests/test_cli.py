"""The command line, in-process (CliRunner) and end to end (subprocess, stdin, kill)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.store import Store

runner = CliRunner()

TXT = """Title: Depot fire forces evacuation in Port Selwyn
Outlet: Selwyn Courier
Published: 2026-03-10T08:00:00Z

Fire crews fought a blaze at the Calder Chemicals depot in Port Selwyn overnight.

“We had it contained by midnight,” said Fire chief Tomas Lindqvist. DON’T MISS: Ten things to do in Selwyn this spring [LATEST]

Mayor Ines Hartwell said the council would review the depot licence.
"""

JSONL_LINES = [
    {
        "id": "ferry-1",
        "title": "Ferry runs aground off Keld",
        "outlet": "Northern Wire",
        "published": "2026-03-11T10:00:00Z",
        "text": "The ferry Marra Dawn ran aground off Keld Island on Wednesday. Captain Aldo "
        "Brennan said all 112 passengers were safe. The Keld Harbour Trust opened an inquiry.",
    },
    {
        "id": "ferry-2",
        "title": "Keld ferry refloated",
        "outlet": "Island Times",
        "published": "2026-03-12T09:00:00Z",
        "text": "Tugs refloated the Marra Dawn near Keld Island on Thursday, the Keld Harbour "
        "Trust said. Sign up to our newsletter for the latest island news.",
    },
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fire.txt").write_text(TXT, encoding="utf-8")
    (folder / "ferries.jsonl").write_text(
        "\n".join(json.dumps(line) for line in JSONL_LINES) + "\n", encoding="utf-8"
    )
    return folder


def invoke(*args: str, input: str | None = None) -> object:
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def test_cli_analyze_prints_briefing_and_stores(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    result = invoke("analyze", str(corpus), "--db", db, "--quiet")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "newstrace briefing" in out and "3 articles" in out
    assert "Selwyn Courier" in out and "Northern Wire" in out
    assert "Tomas Lindqvist" in out  # people section
    assert "DON’T MISS" in out  # the cleaning section shows what was removed
    rows = sqlite3.connect(db).execute("select count(*) from articles").fetchone()
    assert rows == (3,)


def test_cli_articles_jsonl_follows_the_contract(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    result = invoke("articles", str(corpus), "--db", db, "--jsonl", "--quiet")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["article"] for r in records} == {f"{corpus}/fire.txt", "ferry-1", "ferry-2"}
    for record in records:
        assert {"article", "title", "outlet", "published", "text", "spun_score", "flags"} <= set(
            record
        )
    fire = next(r for r in records if r["article"].endswith("fire.txt"))
    assert "DON’T MISS" not in fire["text"] and "inserts-removed" in fire["flags"]
    # with no inputs, the stored articles are listed
    stored = invoke("articles", "--db", db, "--jsonl")
    assert len(stored.stdout.splitlines()) == 3


def test_cli_bad_input_is_named_and_the_rest_is_stored(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.jsonl").write_text(
        '{"id": "ok-1", "text": "Keld council met."}\n{not json\n', encoding="utf-8"
    )
    (corpus / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    db = str(tmp_path / "n.db")
    result = invoke("ingest", str(corpus), "--db", db)
    assert result.exit_code == 1
    assert "blob.txt" in result.stderr and "broken.jsonl:2" in result.stderr
    assert sqlite3.connect(db).execute("select count(*) from articles").fetchone() == (4,)


def test_cli_search_and_export(corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "n.db")
    invoke("ingest", str(corpus), "--db", db, "--quiet")
    hits = invoke("search", "aground", "--db", db, "--jsonl")
    assert [json.loads(line)["article"] for line in hits.stdout.splitlines()] == ["ferry-1"]
    csv_out = invoke("export", "--format", "csv", "--db", db)
    assert csv_out.stdout.splitlines()[0].startswith("article,title,outlet")
    parquet = tmp_path / "mentions.parquet"
    invoke("export", "--format", "parquet", "--what", "mentions", "-o", str(parquet), "--db", db)
    table = pq.read_table(parquet)
    assert table.num_rows > 0 and table.column_names == ["article", "start", "end", "text", "label"]


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "xml"],
        ["export", "--format", "parquet"],
        ["analyze", "--db", "mysql://nobody/db"],
        ["analyze", "--no-such-flag"],
        ["ingest"],
    ],
)
def test_cli_usage_errors_exit_2(args: list[str]) -> None:
    # Each is refused before any database is opened.
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output


def newstrace(
    *args: str,
    cwd: Path,
    stdin: str | None = None,
    timeout: float = 240,
) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).with_name("newstrace")
    return subprocess.run(
        [str(executable), *args],
        cwd=cwd,
        input=stdin,
        text=True,
        capture_output=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.slow
def test_cli_stdin_end_to_end(tmp_path: Path) -> None:
    result = newstrace("analyze", "-", "--db", "s.db", cwd=tmp_path, stdin=TXT)
    assert result.returncode == 0, result.stderr
    assert "Selwyn" in result.stdout
    jsonl = "\n".join(json.dumps(line) for line in JSONL_LINES)
    result = newstrace("articles", "-", "--db", "s.db", "--jsonl", cwd=tmp_path, stdin=jsonl)
    assert [json.loads(line)["article"] for line in result.stdout.splitlines()] == [
        "ferry-1",
        "ferry-2",
    ]


@pytest.mark.slow
def test_cli_demo_runs_from_any_folder_and_reruns_cleanly(tmp_path: Path) -> None:
    first = newstrace("demo", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "newstrace briefing" in first.stdout
    assert (tmp_path / "newstrace-demo.db").exists()
    second = newstrace("demo", cwd=tmp_path)
    assert second.returncode == 0
    assert " 0 new" in second.stderr and " 0 updated" in second.stderr


def count_stored(db_url: str) -> int:
    with Store.open(db_url) as store:
        return store.count_articles()


@pytest.mark.slow
def test_cli_killed_run_resumes_without_duplicates(tmp_path: Path, db_url: str) -> None:
    corpus = tmp_path / "many.jsonl"
    with corpus.open("w", encoding="utf-8") as stream:
        for index in range(240):
            text = (
                f"Report {index}: the Keld Harbour Trust met on Monday. Captain Aldo Brennan "
                "said the ferry timetable would change. "
            ) * 3
            stream.write(json.dumps({"id": f"k-{index}", "text": text}) + "\n")
    executable = Path(sys.executable).with_name("newstrace")
    count_stored(db_url)  # migrate first, so polling below never races the schema
    process = subprocess.Popen(
        [str(executable), "ingest", str(corpus), "--db", db_url, "-b", "8"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
        if count_stored(db_url) >= 16:
            break
    assert process.poll() is None, "the run finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    before = count_stored(db_url)
    assert 0 < before < 240
    if db_url.startswith("sqlite"):
        path = db_url.removeprefix("sqlite:///")
        assert sqlite3.connect(path).execute("pragma integrity_check").fetchone() == ("ok",)
    resumed = newstrace("ingest", str(corpus), "--db", db_url, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{240 - before} new" in resumed.stderr and f"{before} unchanged" in resumed.stderr
    with Store.open(db_url) as store:
        ids = [article.id for article in store.articles()]
    assert len(ids) == len(set(ids)) == 240
