"""The spun score's fitted parts, read once from package data.

``bench/train_quality.py`` writes both files: ``quality_model.json`` (the logistic model over
``FEATURES``) and ``quality_counts.npz`` (word and word-pair counts from clean news, which the
word-choice features read). Kept apart from the feature extractor in ``newstrace.quality`` so
the training script and the scorer share one definition of the features and the table keys.
"""

from __future__ import annotations

import functools
import io
import json
import logging
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from numpy.typing import NDArray

logger = logging.getLogger(__name__)

FEATURES = (
    "fragments",  # short verbless or stray sentences, per 10 sentences
    "lowercase_starts",  # sentences starting in lower case after a full stop, per 10
    "cut_offs",  # sentences stopping on a function word, per 10
    "verbless",  # longer sentences with no verb, per 10
    "quote_problems",  # orphan, glued or unclosed quote marks, log(1 + n)
    "name_variants",  # pairs of near-identical names, log(1 + n)
    "bare_nouns",  # share of singular count nouns in argument position without determiner
    "det_rate",  # determiners per word
    "subjectless",  # finite main verbs without subject, per sentence
    "rare_words",  # share of content words rare in clean news and used once in the article
    "unseen_bigrams",  # share of pairs of common words never seen together in clean news
)


@dataclass(frozen=True)
class Model:
    """The logistic model over ``FEATURES`` fitted by ``bench/train_quality.py``."""

    weights: NDArray[np.float64]
    mean: NDArray[np.float64]
    std: NDArray[np.float64]
    bias: float
    threshold: float
    floor: NDArray[np.float64]  # one-sided features: values below this count as this


@dataclass(frozen=True)
class Counts:
    """Word and word-pair counts from clean news, keyed by 32-bit folds of spaCy's hashes."""

    words: NDArray[np.uint32]  # sorted keys
    word_counts: NDArray[np.uint32]
    pairs: NDArray[np.uint32]  # sorted keys of the pairs seen
    # sorted keys of singular nouns clean news uses, as subject or object, mostly with a
    # determiner ("car", "minister"): only their bare use can be a dropped article, not that
    # of mass nouns ("revenue", "piracy") or of words the small corpus rarely has
    count_nouns: NDArray[np.uint32] = field(default_factory=lambda: np.zeros(0, np.uint32))

    def word_count(self, keys: NDArray[np.uint32]) -> NDArray[np.uint32]:
        if not len(self.words):
            return np.zeros(len(keys), dtype=np.uint32)
        pos = np.minimum(np.searchsorted(self.words, keys), len(self.words) - 1)
        found = self.words[pos] == keys
        return np.where(found, self.word_counts[pos], 0).astype(np.uint32)

    def count_noun(self, keys: NDArray[np.uint32]) -> NDArray[np.bool_]:
        if not len(self.count_nouns):  # an older table: every noun counts
            return np.ones(len(keys), dtype=np.bool_)
        pos = np.minimum(np.searchsorted(self.count_nouns, keys), len(self.count_nouns) - 1)
        return np.asarray(self.count_nouns[pos] == keys, dtype=np.bool_)

    def pair_seen(self, keys: NDArray[np.uint32]) -> NDArray[np.bool_]:
        if not len(self.pairs):
            return np.ones(len(keys), dtype=np.bool_)
        pos = np.minimum(np.searchsorted(self.pairs, keys), len(self.pairs) - 1)
        return np.asarray(self.pairs[pos] == keys, dtype=np.bool_)


def fold(hashes: NDArray[np.uint64]) -> NDArray[np.uint32]:
    """spaCy's 64-bit string hashes folded to 32 bits (the count table's keys)."""
    h = hashes.astype(np.uint64)
    return ((h ^ (h >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).astype(np.uint32)


def pair_keys(first: NDArray[np.uint64], second: NDArray[np.uint64]) -> NDArray[np.uint32]:
    """Keys of word pairs (first, second) from their 64-bit hashes."""
    with np.errstate(over="ignore"):
        mixed = first.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + second.astype(np.uint64)
        mixed ^= mixed >> np.uint64(29)
    return fold(mixed)


@functools.cache
def load_model() -> Model:
    try:
        raw = json.loads(_data("quality_model.json").decode("utf-8"))
    except (OSError, ValueError):  # pragma: no cover - before bench/train_quality.py has run
        logger.warning("quality_model.json missing or unreadable; every score is 0.5")
        zeros = dict.fromkeys(FEATURES, 0.0)
        raw = {"weights": zeros, "mean": zeros, "std": zeros, "bias": 0.0, "threshold": 0.5}
    weights = np.array([raw["weights"][name] for name in FEATURES], dtype=np.float64)
    mean = np.array([raw["mean"][name] for name in FEATURES], dtype=np.float64)
    std = np.array([raw["std"][name] for name in FEATURES], dtype=np.float64)
    floors = raw.get("floor", {})
    floor = np.array([floors.get(name, -np.inf) for name in FEATURES], dtype=np.float64)
    return Model(weights, mean, np.where(std > 0, std, 1.0), float(raw["bias"]),
                  float(raw["threshold"]), floor)  # fmt: skip


@functools.cache
def counts() -> Counts:
    try:
        with np.load(io.BytesIO(_data("quality_counts.npz"))) as data:
            nouns = data["count_nouns"] if "count_nouns" in data.files else np.zeros(0, np.uint32)
            return Counts(data["words"], data["word_counts"], data["pairs"], nouns)
    except (OSError, KeyError, ValueError):  # pragma: no cover - a broken install
        logger.warning("quality_counts.npz missing or unreadable; word-choice features off")
        empty = np.zeros(0, dtype=np.uint32)
        return Counts(empty, empty, empty)


def _data(name: str) -> bytes:
    return resources.files("newstrace").joinpath("data", name).read_bytes()
