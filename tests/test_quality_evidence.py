"""How the spun score's evidence combines: one heavy trace, or one kind of trace, does not
flag an article; traces of different kinds together do. Fictional articles, real parses,
the shipped model."""

from __future__ import annotations

import numpy as np
import pytest

from newstrace.nlp import load_nlp
from newstrace.quality import SPUN_THRESHOLD, score_quality
from newstrace.quality_evidence import EVIDENCE_KIND, KIND_MARGIN, spun_logits
from newstrace.quality_model import FEATURES, load_model


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_nlp()


def _clean_row() -> np.ndarray:
    """A clean article's features: the clean level of one-sided features, else the mean."""
    model = load_model()
    return np.where(np.isfinite(model.floor), model.floor, model.mean)


def _pushed(kinds: set[str], sds: float = 12.0) -> np.ndarray:
    """The clean row with every feature of ``kinds`` far out on its spun side."""
    model = load_model()
    row = _clean_row()
    for i, name in enumerate(FEATURES):
        if EVIDENCE_KIND[name] in kinds and model.weights[i] != 0:
            row[i] = model.mean[i] + np.sign(model.weights[i]) * sds * model.std[i]
    return row


def test_one_kind_of_evidence_adds_at_most_the_margin() -> None:
    model = load_model()
    clean = spun_logits(_clean_row()[None, :], model)[0][0]
    threshold_logit = np.log(SPUN_THRESHOLD / (1 - SPUN_THRESHOLD))
    for kind in set(EVIDENCE_KIND.values()):
        logit = spun_logits(_pushed({kind})[None, :], model)[0][0]
        assert logit <= clean + KIND_MARGIN + 1e-9, kind
        assert logit < threshold_logit, kind


def test_two_kinds_of_evidence_together_flag() -> None:
    model = load_model()
    threshold_logit = np.log(SPUN_THRESHOLD / (1 - SPUN_THRESHOLD))
    both = spun_logits(_pushed({"structure", "wording"})[None, :], model)[0][0]
    assert both > threshold_logit


def test_a_heavy_trace_counts_as_a_clearly_unusual_amount() -> None:
    # Twelve standard deviations of one feature weigh hardly more than four (not three times).
    model = load_model()
    i = FEATURES.index("name_variants")
    rows = np.stack([_clean_row(), _clean_row()])
    rows[0, i] = model.mean[i] + 4 * model.std[i]
    rows[1, i] = model.mean[i] + 12 * model.std[i]
    contrib = spun_logits(rows, model)[1][:, i]
    assert 0 < contrib[0] < contrib[1] < 1.2 * contrib[0]


# A list of missing people whose names are spelt in two customary ways: five pairs of
# look-alike names, and nothing else odd in the text.
MISSING = """Families still wait for news of the Varna Bay ferry
Relatives of those still missing after the Varna Bay ferry sank on Thursday gathered at the harbour office in Tarsel on Saturday.
The harbour office published the names of the missing passengers and crew on its website.
They include Mohamed Idris, a cook from Tarsel, and Mohammed Karimi, a deckhand who had joined the crew in May.
Also missing are Abdullah Fenner, Abdallah Rivas, Hassan Qorri and Hasan Delmar, all from villages along the coast.
The list also names Mustafa Orhan, Moustafa Benali, Ibrahim Sattar and Ibraheem Noor.
Two sisters, Fatima Selim and Fatimah Arslan, were travelling to a wedding, their cousin said.
Divers searched the wreck again on Saturday but found no one, a coast guard spokesman said.
The operator said it was working with the families and would pay for their travel to Tarsel.
"""


def test_a_list_of_look_alike_names_alone_does_not_flag(nlp) -> None:  # type: ignore[no-untyped-def]
    report = score_quality(MISSING, nlp(MISSING))
    variants = [r for r in report.reasons if r["kind"] == "name-variant"]
    assert len(variants) >= 4  # still reported as reasons ...
    assert report.spun_score < SPUN_THRESHOLD  # ... but one kind of trace is no spinning
    assert "machine-spun" not in report.flags


def test_a_short_page_in_another_script_is_not_scored(nlp) -> None:  # type: ignore[no-untyped-def]
    # Under thirty words, so the function-word count cannot tell; its letters can.
    text = (
        "Мэр города Тарсель открыл новый паромный терминал во вторник. "
        "Первый рейс ушёл в полдень, на борту было двести пассажиров. Kindle."
    )
    report = score_quality(text, nlp(text))
    assert report.spun_score == 0.0
    assert report.reasons == []
