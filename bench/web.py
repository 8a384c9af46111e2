"""Web app latency: each page and API route, in-process, over a stored corpus.

Builds the store once (PolNeAR train articles read in place, analysed and linked by the real
pipeline) unless ``--db`` names one, then requests every route ``--repeat`` times through
FastAPI's TestClient (no network: this measures the app and its queries) and prints p50 /
p95 / max milliseconds per route, with the store's size. The ids asked for are real ones
taken from the store (the most-quoted speaker's entity, the largest story, ...).

    .venv/bin/python bench/web.py [--articles 300] [--db sqlite:///path.db] [--repeat 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient

from newstrace.ingest import IngestOptions
from newstrace.pipeline import PipelineOptions, run
from newstrace.store import Store, read
from newstrace.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "data" / "quotes" / "polnear" / "common" / "train.jsonl"


def build_store(url: str, n: int) -> None:
    rows = [json.loads(line) for line in POLNEAR.open(encoding="utf-8") if line.strip()][:n]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps({"id": str(row["doc_id"]), "text": row["text"]}) + "\n")
        with Store.open(url) as store:
            run([str(path)], store, IngestOptions(), PipelineOptions())


def routes(store: Store) -> list[tuple[str, str]]:
    """(name, path) for every route, with ids of real records."""
    story = max(store.stories(), key=lambda s: len(s.articles))
    entity = max(store.entities(), key=lambda e: e.quotes)
    cluster = max(store.quote_clusters(), key=lambda c: len(c.members))
    article = story.articles[0]
    term = entity.name.split()[-1]
    return [
        ("page home", "/"),
        ("page story (largest)", f"/stories/{story.id}"),
        ("page article", f"/articles/{quote(article, safe='')}"),
        ("page entity (most quoted)", f"/entities/{entity.id}"),
        ("page quote cluster", f"/clusters/{cluster.id}"),
        ("page search", f"/search?q={quote(term)}"),
        ("api index", "/api/"),
        ("api articles", "/api/articles?limit=50"),
        ("api articles deep page", "/api/articles?limit=50&offset=250"),
        ("api article", f"/api/articles/{quote(article, safe='')}"),
        ("api quotes by speaker", f"/api/quotes?speaker={quote(entity.name)}"),
        ("api quotes min_confidence", "/api/quotes?min_confidence=0.8&limit=100"),
        ("api quote clusters", "/api/quote-clusters?limit=50"),
        ("api stories", "/api/stories?limit=50"),
        ("api story", f"/api/stories/{story.id}"),
        ("api entities", "/api/entities?kind=person&limit=100"),
        ("api entity", f"/api/entities/{entity.id}"),
        ("api links", "/api/links"),
        ("api search", f"/api/search?q={quote(term)}"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--db", help="an analysed store to use instead of building one")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    print("$ .venv/bin/python bench/web.py " + " ".join(sys.argv[1:]))
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'web.db'}"
        if not args.db:
            started = time.perf_counter()
            build_store(url, args.articles)
            print(f"store built in {time.perf_counter() - started:.0f} s")
        store = read.open_existing(url)
        try:
            print(f"store: {json.dumps(read.counts(store))}")
            client = TestClient(create_app(store))
            print("\n| route | p50 ms | p95 ms | max ms | bytes |\n|---|---:|---:|---:|---:|")
            for name, path in routes(store):
                client.get(path)  # warm caches once
                times = []
                size = 0
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    response = client.get(path, headers={"accept": "text/html"})
                    times.append((time.perf_counter() - t0) * 1000)
                    if response.status_code != 200:
                        raise SystemExit(
                            f"{path}: HTTP {response.status_code} {response.text[:200]}"
                        )
                    size = len(response.content)
                times.sort()
                p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
                print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} | "
                      f"{times[-1]:.1f} | {size:,} |")  # fmt: skip
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
