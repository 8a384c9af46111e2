"""The per-article stages on a real local Spark (``--spark local[2]``): the same records as a
local run, the same per-input errors, the same idempotent re-run.

Needs Java 17+ and PySpark (requirements/dev.txt); without Java the tests skip with the
reason, unless ``NEWSTRACE_REQUIRE_SPARK=1`` (CI), where that is a failure."""

from __future__ import annotations

import json
import os
import shutil
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newstrace.cli import app
from newstrace.pipeline import PipelineOptions

runner = CliRunner()
DEMO = str(resources.files("newstrace") / "demo")
MASTER = "local[2]"
VIEWS = ("articles", "quotes", "links", "stories", "entities")


@pytest.fixture(scope="module", autouse=True)
def java() -> None:
    if shutil.which("java") is None:
        reason = "Java is not installed (Spark needs Java 17+)"
        if os.environ.get("NEWSTRACE_REQUIRE_SPARK") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def records(view: str, db: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, [view, "--db", str(db), "--jsonl"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_spark_run_stores_what_a_local_run_stores(tmp_path: Path) -> None:
    local, spark = tmp_path / "local.db", tmp_path / "spark.db"
    assert runner.invoke(app, ["ingest", DEMO, "--db", str(local), "-q"]).exit_code == 0
    # Small batches, so the demo is spread over several Spark tasks.
    result = runner.invoke(
        app, ["ingest", DEMO, "--db", str(spark), "-q", "--spark", MASTER, "--batch-size", "3"]
    )
    assert result.exit_code == 0, result.output
    for view in VIEWS:
        assert records(view, spark) == records(view, local), view
    assert len(records("articles", spark)) == 16


def test_spark_run_names_bad_inputs_keeps_the_rest_and_reruns_idempotently(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    good = {"id": "sk-1", "title": "Quay wall repaired", "published": "2026-04-02",
            "text": "Engineers finished the quay wall on Tuesday. “It will hold for fifty "
                    "years,” said Marta Lindqvist, the harbour engineer."}  # fmt: skip
    lines = [json.dumps(good), "{not json", json.dumps({"id": "sk-2", "text": ""})]
    (corpus / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (corpus / "noise.txt").write_bytes(bytes(range(256)) * 8)
    db = tmp_path / "s.db"
    args = ["ingest", str(corpus), "--db", str(db), "--spark", MASTER]
    first = runner.invoke(app, args)
    assert first.exit_code == 1
    assert "feed.jsonl:2" in first.stderr and "feed.jsonl:3" in first.stderr
    assert "noise.txt" in first.stderr
    assert "1 read, 1 new" in first.stderr
    (stored,) = records("quotes", db)
    assert stored["speaker"] == "Marta Lindqvist"
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "0 new, 0 updated, 1 unchanged" in again.stderr


def test_spark_and_local_workers_are_one_choice() -> None:
    result = runner.invoke(app, ["ingest", DEMO, "--spark", MASTER, "--workers", "2"])
    assert result.exit_code == 2 and "exclude each other" in result.stderr
    with pytest.raises(ValueError, match="must name a master"):
        PipelineOptions(spark=" ")
