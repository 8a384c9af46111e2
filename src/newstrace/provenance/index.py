"""Incremental candidate indexes for both fingerprints, compact enough for a million articles.

- ``BandIndex``: MinHash LSH. The threshold is the knob; the number of bands and rows per
  band come from datasketch's own optimiser (``MinHashLSH(threshold, num_perm).b/.r``). Each
  band is hashed to one 64-bit key; keys live in one sorted numpy array (plus a small
  unsorted tail of recent additions, merged in when it grows), so memory is 12 bytes per
  article and band instead of datasketch's per-key Python objects.
- ``VectorIndex``: nearest articles by embedding cosine. Exact (brute force over float16
  rows, in chunks) up to ``train_at`` articles; past that an inverted-file index: k-means
  centroids, each article filed under its nearest one, a query scans the ``nprobe`` nearest
  lists. Centroids are retrained whenever the collection has doubled.

Both support ``add`` (new articles as they arrive), ``query`` and ``to_bytes``/``from_bytes``;
both can also be rebuilt from the stored fingerprints by adding them again.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence

import numpy as np
from datasketch import MinHashLSH  # type: ignore[import-untyped]

__all__ = ["BandIndex", "VectorIndex", "lsh_params"]

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows per band that datasketch picks for this threshold."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


def _savez(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


class BandIndex:
    """MinHash LSH over band keys held in numpy arrays."""

    def __init__(self, threshold: float = 0.3, num_perm: int = 128, merge_at: int = 4096) -> None:
        self.threshold = float(threshold)
        self.num_perm = int(num_perm)
        self.bands, self.rows = lsh_params(self.threshold, self.num_perm)
        rng = np.random.default_rng(20260314)
        self._mult = rng.integers(1, 2**63, size=self.rows, dtype=np.uint64) | np.uint64(1)
        self._salt = rng.integers(1, 2**63, size=self.bands, dtype=np.uint64)
        self._keys = np.zeros(0, np.uint64)  # sorted
        self._docs = np.zeros(0, np.int64)
        self._tail: dict[int, list[int]] = {}
        self._tail_n = 0
        self._merge_at = merge_at
        self.size = 0

    def band_keys(self, signature: np.ndarray) -> np.ndarray:
        """One 64-bit key per band of a MinHash signature."""
        sig = np.asarray(signature, dtype=np.uint64)[: self.bands * self.rows]
        with np.errstate(over="ignore"):
            mixed = (sig.reshape(self.bands, self.rows) * self._mult[None, :]).sum(
                axis=1, dtype=np.uint64
            )
            keys: np.ndarray = (mixed ^ self._salt) * np.uint64(0x9E3779B97F4A7C15)
        return keys

    def add(self, doc: int, signature: np.ndarray) -> None:
        for key in self.band_keys(signature).tolist():
            self._tail.setdefault(key, []).append(doc)
        self._tail_n += self.bands
        self.size += 1
        if self._tail_n >= max(self._merge_at * self.bands, len(self._keys) // 8):
            self._merge()

    def add_many(self, docs: Sequence[int], signatures: np.ndarray) -> None:
        """Bulk add (a rebuild): keys computed for all rows at once, one merge."""
        if not len(docs):
            return
        sig = np.asarray(signatures, dtype=np.uint64)[:, : self.bands * self.rows]
        with np.errstate(over="ignore"):
            mixed = (sig.reshape(len(docs), self.bands, self.rows) * self._mult).sum(
                axis=2, dtype=np.uint64
            )
            keys = ((mixed ^ self._salt) * np.uint64(0x9E3779B97F4A7C15)).ravel()
        ids = np.repeat(np.asarray(docs, np.int64), self.bands)
        self._merge(keys, ids)
        self.size += len(docs)

    def _merge(
        self, extra_keys: np.ndarray | None = None, extra_ids: np.ndarray | None = None
    ) -> None:
        parts_k, parts_d = [self._keys], [self._docs]
        if self._tail:
            tk = np.fromiter(
                (k for k, ds in self._tail.items() for _ in ds), np.uint64, self._tail_n
            )
            td = np.fromiter((d for ds in self._tail.values() for d in ds), np.int64, self._tail_n)
            parts_k.append(tk)
            parts_d.append(td)
        if extra_keys is not None and extra_ids is not None:
            parts_k.append(extra_keys)
            parts_d.append(extra_ids)
        keys = np.concatenate(parts_k)
        docs = np.concatenate(parts_d)
        order = np.argsort(keys, kind="stable")
        self._keys, self._docs = keys[order], docs[order]
        self._tail.clear()
        self._tail_n = 0

    def query(self, signature: np.ndarray) -> set[int]:
        keys = self.band_keys(signature)
        found: set[int] = set()
        if len(self._keys):
            lo = np.searchsorted(self._keys, keys, side="left")
            hi = np.searchsorted(self._keys, keys, side="right")
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                if b > a:
                    found.update(self._docs[a:b].tolist())
        for key in keys.tolist():
            found.update(self._tail.get(key, ()))
        return found

    def to_bytes(self) -> bytes:
        self._merge()
        meta = {"threshold": self.threshold, "num_perm": self.num_perm, "size": self.size}
        return _savez(
            meta=np.frombuffer(json.dumps(meta).encode(), np.uint8),
            keys=self._keys,
            docs=self._docs,
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> BandIndex:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes())
            index = cls(meta["threshold"], meta["num_perm"])
            index._keys = z["keys"].astype(np.uint64)
            index._docs = z["docs"].astype(np.int64)
        index.size = int(meta["size"])
        return index


class VectorIndex:
    """Cosine nearest neighbours over unit vectors: exact when small, IVF when large."""

    def __init__(self, dim: int, train_at: int = 50_000, nprobe: int = 12) -> None:
        self.dim = int(dim)
        self.train_at = int(train_at)
        self.nprobe = int(nprobe)
        self._vecs = np.zeros((1024, self.dim), np.float16)
        self.size = 0
        self._centroids: np.ndarray | None = None
        self._lists: list[list[int]] = []
        self._arrays: list[np.ndarray | None] = []
        self._trained_size = 0

    def _grow(self, extra: int) -> None:
        need = self.size + extra
        if need > len(self._vecs):
            cap = max(need, 2 * len(self._vecs))
            grown = np.zeros((cap, self.dim), np.float16)
            grown[: self.size] = self._vecs[: self.size]
            self._vecs = grown

    def add(self, doc: int, vector: np.ndarray) -> None:
        if doc != self.size:
            raise ValueError(f"documents are numbered in order: expected {self.size}, got {doc}")
        self.add_many(np.asarray(vector, np.float16).reshape(1, self.dim))

    def add_many(self, vectors: np.ndarray) -> None:
        vecs = np.asarray(vectors, np.float16).reshape(-1, self.dim)
        self._grow(len(vecs))
        start = self.size
        self._vecs[start : start + len(vecs)] = vecs
        self.size += len(vecs)
        if self._centroids is None:
            if self.size >= self.train_at:
                self._train()
        elif self.size >= 2 * self._trained_size:
            self._train()
        else:
            self._file(np.arange(start, self.size))

    def _train(self, iterations: int = 8) -> None:
        n = self.size
        nlist = max(16, int(2 * np.sqrt(n)))
        rng = np.random.default_rng(7)
        sample = self._vecs[rng.choice(n, size=min(n, 64 * nlist), replace=False)].astype(
            np.float32
        )
        cents = sample[rng.choice(len(sample), size=nlist, replace=False)].copy()
        for _ in range(iterations):
            assign = (sample @ cents.T).argmax(axis=1)
            sums = np.zeros_like(cents)
            np.add.at(sums, assign, sample)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            empty = norms[:, 0] == 0
            cents = np.where(empty[:, None], cents, sums / np.maximum(norms, 1e-9))
        self._centroids = cents.astype(np.float32)
        self._lists = [[] for _ in range(nlist)]
        self._arrays = [None] * nlist
        self._trained_size = n
        self._file(np.arange(n))

    def _file(self, docs: np.ndarray) -> None:
        assert self._centroids is not None
        for lo in range(0, len(docs), 65536):
            chunk = docs[lo : lo + 65536]
            near = (self._vecs[chunk].astype(np.float32) @ self._centroids.T).argmax(axis=1)
            for doc, c in zip(chunk.tolist(), near.tolist(), strict=True):
                self._lists[c].append(doc)
                self._arrays[c] = None

    def query(
        self, vector: np.ndarray, k: int = 10, min_cos: float = 0.0
    ) -> list[tuple[int, float]]:
        """Up to ``k`` (doc, cosine) pairs, best first, cosine at least ``min_cos``."""
        if self.size == 0:
            return []
        q = np.asarray(vector, np.float32).reshape(self.dim)
        if self._centroids is None:
            idx = np.arange(self.size)
            sims = np.concatenate(
                [
                    self._vecs[lo : min(lo + 65536, self.size)].astype(np.float32) @ q
                    for lo in range(0, self.size, 65536)
                ]
            )
        else:
            near = np.argsort(-(self._centroids @ q))[: self.nprobe]
            arrays = []
            for c in near.tolist():
                arr = self._arrays[c]
                if arr is None:
                    arr = np.asarray(self._lists[c], np.int64)
                    self._arrays[c] = arr
                arrays.append(arr)
            idx = np.concatenate(arrays) if arrays else np.zeros(0, np.int64)
            sims = self._vecs[idx].astype(np.float32) @ q
        top = np.argpartition(-sims, k)[:k] if len(sims) > k else np.arange(len(sims))
        top = top[np.argsort(-sims[top])]
        return [(int(idx[t]), float(sims[t])) for t in top if sims[t] >= min_cos]

    def to_bytes(self) -> bytes:
        meta = {"dim": self.dim, "train_at": self.train_at, "nprobe": self.nprobe}
        return _savez(
            meta=np.frombuffer(json.dumps(meta).encode(), np.uint8),
            vecs=self._vecs[: self.size],
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> VectorIndex:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes())
            index = cls(meta["dim"], meta["train_at"], meta["nprobe"])
            index.add_many(z["vecs"])
        return index
