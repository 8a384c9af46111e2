"""The quote confidence calibration: the shipped weights fit this code's evidence, a file
for other evidence is refused with the command that rebuilds it, and scores are
probabilities that rise with the evidence."""

from __future__ import annotations

import pytest

from newstrace.nlp import load_nlp
from newstrace.quotes.confidence import FEATURES, Calibration, load_calibration
from newstrace.quotes.extract import extract_quotes


def test_shipped_calibration_round_trips_and_scores_probabilities() -> None:
    calibration = load_calibration()
    assert Calibration.from_dict(calibration.to_dict()) == calibration
    for features in ([0.0] * len(FEATURES), [1.0] * len(FEATURES)):
        assert 0.0 <= calibration(features) <= 1.0


@pytest.mark.parametrize(
    "data",
    [
        {"bias": 0.0, "weights": {"direct": 1.0}},
        {"bias": "high", "weights": dict.fromkeys(FEATURES, 0.0)},
    ],
)
def test_a_calibration_for_other_evidence_is_refused_with_the_fix(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"quote_confidence\.json"):
        Calibration.from_dict(data)


def test_more_evidence_means_more_confidence() -> None:
    text = (
        "“The ferry will sail at dawn,” said Captain Ilse Marrow, the harbour master. "
        "Some residents believe the crossing is unsafe. "
        "“Nobody told us anything.”"
    )
    quotes = {q.text: q for q in extract_quotes("t", load_nlp()(text))}
    named = quotes["The ferry will sail at dawn"].confidence
    unattributed = quotes["Nobody told us anything."].confidence
    assert named > unattributed
