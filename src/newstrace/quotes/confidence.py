"""A quote's confidence: the probability that it is a quote AND that its speaker mention is
the right one, so ``--min-confidence 0.8`` keeps quotes that are right about 8 times in 10.

The evidence is what extraction already knows of each quote (its kind, whether its marks
close, the cue and how sure the cue and quote scorers are, how it was attributed, how the
speaker was resolved). A logistic model weighs it; ``scripts/train_quote_confidence.py``
fits the weights on PolNeAR dev, quotes as the extractor finds them, labelled by the
benchmark's matching (content overlap >= 30%, speaker mention over the gold source), and
writes ``data/quote_confidence.json``. ``bench/quote_calibration.py`` measures it.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from importlib import resources

from newstrace.quotes.attribution import Found
from newstrace.quotes.speakers import Speaker

CALIBRATION_FILE = "data/quote_confidence.json"
FEATURES = (
    "direct",
    "mixed",
    "closed",
    "cue",
    "cue_strength",
    "learned_cue",
    "continuation",
    "dash",
    "speaker_name",
    "speaker_description",
    "speaker_pronoun",
    "speaker_pronoun_unresolved",
    "speaker_pronoun_distance",
    "speaker_other",
)
_DESCRIPTIONS = frozenset({"definite", "indefinite", "cataphora"})


def confidence_features(quote: Found, speaker: Speaker | None) -> list[float]:
    """The evidence for one quote, in ``FEATURES`` order (0/1 flags and [0, 1] strengths)."""
    cue = quote.cue
    how = speaker.how if speaker is not None else ""
    pronoun = how == "pronoun"
    resolved = pronoun and speaker is not None and speaker.name != speaker.mention
    distance = min(speaker.distance, 10) / 10 if speaker is not None and resolved else 0.0
    values = {
        "direct": quote.kind == "direct",
        "mixed": quote.kind == "mixed",
        "closed": quote.kind != "indirect" and quote.closed,
        "cue": cue is not None,
        "cue_strength": (cue.weight if quote.score is None else quote.score) if cue else 0.0,
        "learned_cue": cue is not None and cue.learned,
        "continuation": quote.how == "continuation",
        "dash": quote.dash_name is not None,
        "speaker_name": how == "name",
        "speaker_description": how in _DESCRIPTIONS,
        "speaker_pronoun": resolved,
        "speaker_pronoun_unresolved": pronoun and not resolved,
        "speaker_pronoun_distance": distance,
        "speaker_other": how == "other",
    }
    return [float(values[name]) for name in FEATURES]


@dataclass(frozen=True)
class Calibration:
    """Logistic weights over ``FEATURES``."""

    weights: tuple[float, ...]
    bias: float

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES):
            raise ValueError(
                f"{CALIBRATION_FILE} has {len(self.weights)} weights for {len(FEATURES)} "
                "features: retrain it with scripts/train_quote_confidence.py"
            )

    def __call__(self, features: list[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return round(1.0 / (1.0 + math.exp(-z)), 3)

    def to_dict(self) -> dict[str, object]:
        return {"bias": self.bias, "weights": dict(zip(FEATURES, self.weights, strict=True))}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Calibration:
        weights = data["weights"]
        if not isinstance(weights, dict) or set(weights) != set(FEATURES):
            raise ValueError(
                f"{CALIBRATION_FILE} names other features than this code's: retrain it with "
                "scripts/train_quote_confidence.py"
            )
        bias = data["bias"]
        if not isinstance(bias, int | float):
            raise ValueError(f"{CALIBRATION_FILE}: bias must be a number")
        return cls(tuple(float(weights[name]) for name in FEATURES), float(bias))


@functools.cache
def load_calibration() -> Calibration:
    text = resources.files("newstrace").joinpath(CALIBRATION_FILE).read_text("utf-8")
    data = json.loads(text)
    return Calibration.from_dict(data)
