"""Throughput of `newstrace analyze` against a bare spaCy `nlp.pipe` over the same texts.

Each measurement runs in its own subprocess so peak memory (max RSS) is per mode:
  bare        spaCy's nlp.pipe over the article texts, nothing else
  pipeline    newstrace's run(): ingest the JSONL in place, clean, parse, mentions, store
              into a fresh SQLite file; with --workers 1 and 2
  memory      the pipeline over the first --small articles, then over the same texts four
              times under new ids: memory must not grow with corpus size
  spark       with --spark MASTER, the pipeline with its per-article stages on Spark
              (``PipelineOptions(spark=MASTER)``), beside the local workers; its peak MiB is
              the driver's only (Spark's Python workers are children of the JVM)

Usage:  .venv/bin/python bench/throughput.py [--data PATH] [--small 200] [--spark local[2]]
Prints a table and the command line; paste both into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "quotes" / "polnear" / "common" / "train.jsonl"


def measure(mode: str, data: Path, workers: int, spark: str | None = None) -> dict[str, float]:
    """Runs inside the child process."""
    texts = [json.loads(line)["text"] for line in data.open(encoding="utf-8") if line.strip()]
    words = sum(len(text.split()) for text in texts)
    if mode == "bare":
        from newstrace.nlp import load_nlp

        nlp = load_nlp()
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        elapsed = time.perf_counter() - started
    else:
        from newstrace.nlp import load_nlp
        from newstrace.pipeline import PipelineOptions, run
        from newstrace.store import Store

        load_nlp()  # both sides start with the model loaded
        with tempfile.TemporaryDirectory() as folder:
            store = Store.open(f"sqlite:///{folder}/bench.db")
            started = time.perf_counter()
            options = PipelineOptions(workers=workers, spark=spark)
            report = run([str(data)], store, options=options)
            elapsed = time.perf_counter() - started
            store.close()
        if report.failed or report.inserted != len(texts):
            raise SystemExit(
                f"pipeline stored {report.inserted}/{len(texts)}: {report.failures[:3]}"
            )
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "articles": len(texts),
        "words": words,
        "seconds": elapsed,
        "articles_per_s": len(texts) / elapsed,
        "peak_rss_mib": max(peak_kib, children_kib) / 1024,
    }


def child(mode: str, data: Path, workers: int = 1, spark: str | None = None) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--child",
        mode,
        "--data",
        str(data),
        "--workers",
        str(workers),
        *(["--spark", spark] if spark else []),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode:
        raise SystemExit(f"{mode} failed:\n{completed.stderr[-2000:]}")
    result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--small", type=int, default=200, help="articles in the memory check")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--child", choices=["bare", "pipeline"])
    parser.add_argument("--memory-only", action="store_true", help="only the memory check")
    parser.add_argument("--spark", metavar="MASTER", help="also time the stages on Spark")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.data, args.workers, args.spark)))
        return
    if not args.data.exists():
        raise SystemExit(f"{args.data} not found: the benchmark reads ../shared/data in place")

    with tempfile.TemporaryDirectory() as folder:
        subset, repeated = memory_inputs(args.data, args.small, Path(folder))
        small = child("pipeline", subset, 1)
        scaled = child("pipeline", repeated, 1)
    print(
        f"command: .venv/bin/python bench/throughput.py --data {args.data} --small {args.small}"
        + (" --memory-only" if args.memory_only else "")
        + (f" --spark '{args.spark}'" if args.spark else "")
    )
    if not args.memory_only:
        bare = child("bare", args.data)
        one = child("pipeline", args.data, 1)
        two = child("pipeline", args.data, 2)
        print(f"corpus: {bare['articles']:.0f} articles, {bare['words']:.0f} words")
        rows = [
            ("bare nlp.pipe", bare),
            ("newstrace, 1 worker", one),
            ("newstrace, 2 workers", two),
        ]
        on_spark = child("pipeline", args.data, 1, args.spark) if args.spark else None
        if on_spark is not None:
            rows.append((f"newstrace, spark {args.spark}", on_spark))
    else:
        rows = []
    rows += [
        (f"newstrace, first {args.small}", small),
        (f"newstrace, first {args.small} x{REPEATS} (new ids)", scaled),
    ]
    print(f"{'mode':38} {'articles':>8} {'seconds':>8} {'art/s':>8} {'peak MiB':>9}")
    for name, row in rows:
        print(
            f"{name:38} {row['articles']:8.0f} {row['seconds']:8.1f} "
            f"{row['articles_per_s']:8.2f} {row['peak_rss_mib']:9.0f}"
        )
    if not args.memory_only:
        print(
            f"ratio newstrace/bare (1 worker): {one['articles_per_s'] / bare['articles_per_s']:.3f}"
        )
        print(f"2-worker speed-up: {two['articles_per_s'] / one['articles_per_s']:.2f}x")
        if on_spark is not None:
            speed_up = on_spark["articles_per_s"] / one["articles_per_s"]
            print(f"spark {args.spark} speed-up over 1 worker: {speed_up:.2f}x")
    print(
        f"peak memory, {small['articles']:.0f} vs {scaled['articles']:.0f} articles "
        f"(same texts): {small['peak_rss_mib']:.0f} vs {scaled['peak_rss_mib']:.0f} MiB"
    )


REPEATS = 4


def memory_inputs(data: Path, count: int, folder: Path) -> tuple[Path, Path]:
    """The first ``count`` articles, and the same texts REPEATS times under new ids: peak
    memory that rises from one to the other is memory that grows with corpus size, not with
    the longest article seen."""
    with data.open(encoding="utf-8") as source:
        rows = [json.loads(line) for line in islice(source, count)]
    subset, repeated = folder / "subset.jsonl", folder / "repeated.jsonl"
    subset.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    with repeated.open("w", encoding="utf-8") as out:
        for copy in range(REPEATS):
            for index, row in enumerate(rows):
                out.write(json.dumps({"id": f"copy{copy}-{index}", "text": row["text"]}) + "\n")
    return subset, repeated


if __name__ == "__main__":
    main()
