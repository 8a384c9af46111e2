"""Candidate-index scale: build time, memory and query latency at a million articles.

Synthetic fingerprints (no text: fingerprinting cost per article is measured separately by
``bench/provenance.py``): random MinHash signatures with planted near-duplicates (a copy
shares all but a few of its source's hash values) and unit embeddings drawn around
``n / 50`` topic centres (stories), float16 at the shipped model's dimension. Both indexes
are built the way a rebuild from the store does it (bulk ``add_many``), then ``--queries``
planted copies are looked up one at a time (LSH band lookup + IVF neighbour search), and
the planted source must come back. Memory is the process's peak RSS.

Usage:  .venv/bin/python bench/index_scale.py [--n 1000000] [--queries 2000]
"""

from __future__ import annotations

import os

# Query latency is one article at a time: BLAS threads only add synchronisation (5x slower
# per small matrix-vector product on this 2-core machine). Set before numpy loads.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newstrace.provenance.fingerprint import NUM_PERM, load_embedder
from newstrace.provenance.index import BandIndex, VectorIndex


def rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--threshold", type=float, default=0.3)
    ap.add_argument("--chunk", type=int, default=100_000)
    args = ap.parse_args()
    print(f"`.venv/bin/python bench/index_scale.py {' '.join(sys.argv[1:])}`\n")
    dim = load_embedder().dim
    rng = np.random.default_rng(11)
    n, chunk = args.n, args.chunk
    n_topics = max(1, n // 50)
    centres = rng.normal(size=(n_topics, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)

    bands = BandIndex(args.threshold, NUM_PERM)
    vectors = VectorIndex(dim, train_at=min(n, 50_000))
    planted_src = rng.choice(n // 2, size=args.queries, replace=False)
    src_sig = np.zeros((args.queries, NUM_PERM), np.uint64)
    src_vec = np.zeros((args.queries, dim), np.float32)
    lookup = {int(s): k for k, s in enumerate(planted_src)}

    t0 = time.perf_counter()
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        sig = rng.integers(0, 2**32, size=(hi - lo, NUM_PERM), dtype=np.uint64)
        topic = rng.integers(0, n_topics, size=hi - lo)
        noise = rng.normal(size=(hi - lo, dim)).astype(np.float32)
        vec = centres[topic] + 0.9 * noise / np.sqrt(dim)
        vec /= np.linalg.norm(vec, axis=1, keepdims=True)
        for doc in range(lo, hi):
            k = lookup.get(doc)
            if k is not None:
                src_sig[k] = sig[doc - lo]
                src_vec[k] = vec[doc - lo]
        bands.add_many(list(range(lo, hi)), sig)
        vectors.add_many(vec)
    build = time.perf_counter() - t0
    print(f"- articles: {n:,}; LSH threshold {args.threshold} -> {bands.bands} bands x "
          f"{bands.rows} rows; embeddings {dim} dims float16, IVF "
          f"{0 if vectors._centroids is None else len(vectors._centroids)} lists, "
          f"nprobe {vectors.nprobe}")
    print(f"- build (bulk, from stored fingerprints): {build:.1f} s; peak RSS {rss_gb():.2f} GB")

    # Queries: a planted copy of each source: 8 of 128 hash values changed (Jaccard ~0.88),
    # embedding nudged.
    lat_lsh, lat_vec, hit_lsh, hit_vec = [], [], 0, 0
    for k, src in enumerate(planted_src.tolist()):
        sig = src_sig[k].copy()
        sig[rng.choice(NUM_PERM, 8, replace=False)] = rng.integers(0, 2**32, 8, dtype=np.uint64)
        vec = src_vec[k] + 0.02 * rng.normal(size=dim).astype(np.float32)
        vec /= np.linalg.norm(vec)
        t = time.perf_counter()
        found = bands.query(sig)
        lat_lsh.append(time.perf_counter() - t)
        t = time.perf_counter()
        near = vectors.query(vec, k=10)
        lat_vec.append(time.perf_counter() - t)
        hit_lsh += src in found
        hit_vec += any(d == src for d, _ in near)
    total = np.array(lat_lsh) + np.array(lat_vec)
    ms = lambda a, q: 1000 * float(np.percentile(a, q))  # noqa: E731
    print(f"- queries: {args.queries}; LSH p50 {ms(lat_lsh, 50):.2f} ms "
          f"p99 {ms(lat_lsh, 99):.2f} ms; "
          f"IVF p50 {ms(lat_vec, 50):.2f} ms p99 {ms(lat_vec, 99):.2f} ms; both p50 "
          f"{ms(total, 50):.2f} ms p99 {ms(total, 99):.2f} ms")
    print(f"- planted source found: LSH {hit_lsh}/{args.queries}, IVF top-10 "
          f"{hit_vec}/{args.queries}; peak RSS {rss_gb():.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
