"""Per-article fingerprints: MinHash of word shingles and a semantic embedding.

Both are pure functions of the cleaned text, so they run in worker processes and are stored
with the article (``Fingerprint.to_bytes``).

- MinHash (datasketch, ``NUM_PERM`` permutations) over word ``SHINGLE``-grams of the
  normalised word sequence (casefolded letters and digits): finds near-duplicates.
- Semantic: a static (model2vec-style) embedding distilled offline from all-MiniLM-L6-v2
  (``scripts/distill_static.py``), shipped as ``data/static_minilm.npz``: token embeddings
  looked up through the model's WordPiece vocabulary and averaged, unit length. No torch,
  no network at run time. Finds rewrites and spun copies, whose wording shingles miss.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
from datasketch import MinHash  # type: ignore[import-untyped]

__all__ = [
    "NUM_PERM",
    "SHINGLE",
    "Fingerprint",
    "StaticEmbedder",
    "embed",
    "fingerprint",
    "load_embedder",
    "minhash",
    "shingles",
    "words",
]

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing here may reach a model hub

NUM_PERM = 128
SHINGLE = 5
SEED = 1
SCHEME = "affine32"  # datasketch 2.0's default hashing scheme, named for stored values
MODEL_FILE = "static_minilm.npz"
_WORD = re.compile(r"[^\W_]+")
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def words(text: str) -> list[str]:
    """The normalised word sequence: casefolded, accents stripped, letters and digits only."""
    folded = text.translate(_FOLD).casefold()
    if not folded.isascii():  # ASCII has nothing to decompose
        folded = _without_combining(unicodedata.normalize("NFKD", folded))
    return _WORD.findall(folded)


@functools.cache
def _combining_marks() -> re.Pattern[str]:
    """Every code point ``unicodedata.combining`` calls combining, as one character class:
    one regex pass instead of a Python test per character."""
    marks = [c for c in range(sys.maxunicode + 1) if unicodedata.combining(chr(c))]
    ranges: list[tuple[int, int]] = []
    for code in marks:
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )
    return re.compile(f"[{body}]+")


def _without_combining(text: str) -> str:
    return _combining_marks().sub("", text)


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Word ``size``-grams of the normalised text (the whole text if it is shorter)."""
    toks = words(text)
    if not toks:
        return set()
    if len(toks) < size:
        return {" ".join(toks).encode()}
    return {" ".join(toks[i : i + size]).encode() for i in range(len(toks) - size + 1)}


def minhash(text: str, num_perm: int = NUM_PERM, size: int = SHINGLE) -> MinHash:
    """datasketch MinHash of the text's word shingles."""
    mh = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    grams = shingles(text, size)
    if grams:
        mh.update_batch(list(grams))
    return mh


class StaticEmbedder:
    """A static sentence embedder: WordPiece tokens -> rows of a matrix -> mean -> unit length.

    The vocabulary and matrix come from a model2vec distillation of all-MiniLM-L6-v2; the
    tokenizer is a greedy longest-match WordPiece over that vocabulary (BERT uncased rules),
    so only numpy is needed.
    """

    def __init__(self, vocab: Sequence[str], matrix: np.ndarray, unk: str = "[UNK]") -> None:
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self.dim = int(self.matrix.shape[1])
        self._index = {tok: i for i, tok in enumerate(vocab)}
        self._unk = self._index.get(unk)
        self._max_piece = max((len(t) for t in vocab), default=1)

    @functools.lru_cache(maxsize=200_000)  # noqa: B019  (one embedder per process)
    def _word_ids(self, word: str) -> tuple[int, ...]:
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = min(len(word), start + self._max_piece)
            found = None
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self._index.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return () if self._unk is None else (self._unk,)
            ids.append(found)
            start = end
        return tuple(ids)

    def token_ids(self, text: str) -> list[int]:
        ids: list[int] = []
        for word in _BERT_WORD.findall(_strip_accents(text.casefold())):
            ids.extend(self._word_ids(word))
        return ids

    def encode(self, texts: Iterable[str]) -> np.ndarray:
        """One unit-length float32 row per text (a zero row for a text with no tokens)."""
        rows = []
        for text in texts:
            ids = self.token_ids(text)
            if ids:
                vec = self.matrix[ids].mean(axis=0)
                norm = float(np.linalg.norm(vec))
                rows.append(vec / norm if norm > 0 else vec)
            else:
                rows.append(np.zeros(self.dim, dtype=np.float32))
        if not rows:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack(rows).astype(np.float32, copy=False)


_BERT_WORD = re.compile(r"[^\W_]+|[^\w\s]|_", re.UNICODE)


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    return _without_combining(unicodedata.normalize("NFD", text))


@functools.cache
def load_embedder() -> StaticEmbedder:
    """The shipped static model, loaded once per process."""
    ref = resources.files("newstrace.data").joinpath(MODEL_FILE)
    with resources.as_file(ref) as path, np.load(path, allow_pickle=False) as data:
        vocab = bytes(data["vocab"]).decode("utf-8").split("\n")
        matrix = data["embeddings"].astype(np.float32) * data["scale"][:, None]
        return StaticEmbedder(vocab, matrix)


def embed(texts: Iterable[str]) -> np.ndarray:
    """Unit-length semantic embeddings of the texts (float32, one row each)."""
    return load_embedder().encode(texts)


@dataclass(frozen=True)
class Fingerprint:
    """What is stored with an article for candidate search."""

    minhash: np.ndarray  # uint64[NUM_PERM]
    embedding: np.ndarray  # float16[dim], unit length (zero for an empty text)
    n_words: int

    def to_bytes(self) -> bytes:
        head = np.array([len(self.minhash), len(self.embedding), self.n_words], dtype="<u4")
        return (
            head.tobytes()
            + self.minhash.astype("<u8").tobytes()
            + self.embedding.astype("<f2").tobytes()
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> Fingerprint:
        n_perm, dim, n_words = (int(x) for x in np.frombuffer(data[:12], dtype="<u4"))
        mh = np.frombuffer(data, dtype="<u8", count=n_perm, offset=12).astype(np.uint64)
        emb = np.frombuffer(data, dtype="<f2", count=dim, offset=12 + 8 * n_perm)
        return cls(minhash=mh, embedding=emb.astype(np.float16), n_words=n_words)

    def to_minhash(self) -> MinHash:
        return MinHash(
            num_perm=len(self.minhash), seed=SEED, hashvalues=self.minhash, scheme=SCHEME
        )

    def __eq__(self, other: Any) -> bool:
        return (
            isinstance(other, Fingerprint)
            and self.n_words == other.n_words
            and np.array_equal(self.minhash, other.minhash)
            and np.array_equal(self.embedding, other.embedding)
        )

    def __hash__(self) -> int:
        return hash((self.n_words, self.minhash.tobytes()))


def fingerprint(text: str, sentences: Sequence[tuple[int, int]] = ()) -> Fingerprint:
    """Fingerprint one article's cleaned text (``sentences`` are its sentence spans).

    The embedding is the mean of the sentence embeddings (each sentence weighs the same,
    so a long list of names does not dominate), normalised; the whole text when no
    sentence spans are given.
    """
    mh = minhash(text)
    parts = [text[s:e] for s, e in sentences if text[s:e].strip()] or [text]
    vecs = embed(parts)
    vec = vecs.mean(axis=0) if len(vecs) else np.zeros(load_embedder().dim, np.float32)
    norm = float(np.linalg.norm(vec))
    if norm > 0:
        vec = vec / norm
    return Fingerprint(
        minhash=np.asarray(mh.hashvalues, dtype=np.uint64),
        embedding=vec.astype(np.float16),
        n_words=len(words(text)),
    )
