"""How the spun score's features combine: no one trace, and no one kind of trace, decides.

Ordinary text trips one trace now and then, heavily: a list of missing people with
look-alike names, a product page's jargon, a page of one-line asides. A spun text shows
several kinds at once (dropped articles, fragment sentences, odd word choice, a name spelt
two ways). So each standardised feature is squashed (``ZCAP`` standard deviations at most),
and the strongest kind of evidence (``EVIDENCE_KIND``: sentence structure, names, wording)
counts at most ``KIND_MARGIN`` more than the second strongest. ``newstrace.quality`` scores
with it and ``bench/train_quality.py`` fits and calibrates the model through it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from newstrace.quality_model import FEATURES, Model

__all__ = ["EVIDENCE_KIND", "KIND_MARGIN", "ZCAP", "spun_logits", "squash"]

# Standardised features are squashed to at most this many standard deviations: one trace,
# however often it recurs in a text, weighs as much as a clearly unusual amount of it.
ZCAP = 3.0
# Independent kinds of evidence. Dropped words and word choice are one kind: on clean news
# they go up together (jargon, product pages, short items); structure and names do not.
EVIDENCE_KIND = {
    "fragments": "structure", "lowercase_starts": "structure", "cut_offs": "structure",
    "verbless": "structure", "quote_problems": "structure", "name_variants": "names",
    "bare_nouns": "wording", "det_rate": "wording", "subjectless": "wording",
    "rare_words": "wording", "unseen_bigrams": "wording",
}  # fmt: skip
# The strongest kind counts at most this much (logit) beyond the second strongest.
KIND_MARGIN = 2.0


def squash(z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Standardised features bounded at ``ZCAP`` (smoothly; about linear within 1.5)."""
    return np.asarray(ZCAP * np.tanh(z / ZCAP), dtype=np.float64)


def spun_logits(
    values: NDArray[np.float64], model: Model
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Logits of rows of feature values, each feature's contribution, and each feature's
    logit per unit of its value (the reasons' weights). The strongest kind of evidence
    counts at most ``KIND_MARGIN`` beyond the second: evidence is what a feature adds over
    a clean article's (its floor; the fitted mean where it has none)."""
    raw = (np.maximum(values, model.floor) - model.mean) / model.std
    z = squash(raw)
    contrib = model.weights * z
    clean_z = squash(
        np.where(np.isfinite(model.floor), (model.floor - model.mean) / model.std, 0.0)
    )
    evidence = np.maximum(model.weights * (z - clean_z), 0.0)
    kinds = sorted(set(EVIDENCE_KIND.values()))
    of_kind = np.array([[EVIDENCE_KIND[f] == k for f in FEATURES] for k in kinds], dtype=float)
    per_kind = -np.sort(-(evidence @ of_kind.T), axis=1)
    excess = np.maximum(per_kind[:, 0] - per_kind[:, 1] - KIND_MARGIN, 0.0)
    logits = model.bias + contrib.sum(axis=1) - excess
    slopes = model.weights / model.std * (1.0 - np.tanh(raw / ZCAP) ** 2)
    return logits, contrib, slopes
