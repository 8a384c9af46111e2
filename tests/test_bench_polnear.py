"""The quote benchmark's scoring rules (bench/polnear.py), on small hand-made spans.

These assert how spans are trimmed, overlapped and matched; they say nothing about the
benchmark's figures. Only the last test reads ../shared/data and skips where it is absent.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import polnear
from newstrace.model import Quote
from polnear import (
    GoldArticle,
    GoldQuote,
    Unit,
    exact,
    figures,
    is_pronoun,
    match,
    normalize,
    overlap_gold,
    overlap_longer,
    pred_units,
    score_article,
    score_units,
    trim,
)


def seg(start: int, end: int) -> tuple[tuple[int, int], ...]:
    return ((start, end),)


# ------------------------------------------------------------ trimming and overlap


def test_trim_drops_whitespace_quote_marks_and_separators() -> None:
    text = " “We were there,” he said."
    assert trim(text, 0, 17) == (2, 15)
    assert text[2:15] == "We were there"
    assert trim(text, 0, 2) is None  # nothing but a space and a mark
    assert trim("Why?”", 0, 5) == (0, 4)  # question marks stay


def test_normalize_merges_touching_spans_and_sorts() -> None:
    text = "a" * 40
    assert normalize(text, [(20, 30), (0, 10), (10, 15)]) == ((0, 15), (20, 30))
    quoted = "“Taxes fall.” “Soon.” he said. “Later.”"
    first, second = (0, 13), (14, 21)
    third = (quoted.index("“Later"), len(quoted))
    assert normalize(quoted, [second, first]) == ((1, 19),)  # only marks and space between
    assert normalize(quoted, [first, third]) == ((1, 11), (third[0] + 1, third[1] - 2))


def test_overlap_longer_is_symmetric_and_divides_by_the_longer_span() -> None:
    gold, pred = seg(0, 100), seg(50, 250)
    assert overlap_longer(gold, pred) == pytest.approx(50 / 200)
    assert overlap_longer(pred, gold) == overlap_longer(gold, pred)
    assert overlap_longer(seg(0, 10), seg(20, 30)) == 0.0


def test_overlap_gold_is_ggt_asymmetric_score() -> None:
    gold, pred = seg(0, 100), seg(50, 250)
    assert overlap_gold(gold, pred) == pytest.approx(0.5)
    assert overlap_gold(pred, gold) == pytest.approx(0.25)


def test_discontinuous_gold_ignores_its_interior_gap() -> None:
    gold = ((0, 10), (30, 40))  # "“A,” he said, “B.”": the two halves
    hull_pred = seg(0, 40)  # one span over both halves and "he said"
    assert overlap_longer(gold, hull_pred) == 1.0
    assert overlap_longer(gold, ((0, 10), (30, 40))) == 1.0
    assert overlap_longer(gold, seg(0, 10)) == pytest.approx(10 / 20)  # one half only
    # characters outside the gold hull still count against the prediction
    assert overlap_longer(gold, seg(0, 60)) == pytest.approx(20 / 40)


# ------------------------------------------------------------ exact and thresholds


def test_exact_after_trimming_and_by_hull() -> None:
    text = "He said “Taxes will fall,” and left."
    gold = normalize(text, [(8, 26)])  # “Taxes will fall,”
    pred = normalize(text, [(9, 24)])  # Taxes will fall
    assert exact(gold, pred)
    assert not exact(gold, normalize(text, [(9, 20)]))
    split_gold = ((0, 10), (30, 40))
    assert exact(split_gold, seg(0, 40))  # over the gap: the gap is ignored
    assert exact(split_gold, ((0, 10), (30, 40)))
    assert exact(split_gold, ((0, 10), (12, 40)))  # a stray gap piece is ignored too
    assert not exact(split_gold, seg(0, 10))
    assert not exact(split_gold, seg(0, 41))
    assert not exact((), ())


def test_thresholds_30_and_80_percent() -> None:
    gold = [seg(0, 100)]
    pred_40 = [seg(60, 160)]  # 40 shared of 100: passes 30%, fails 80%
    pred_85 = [seg(15, 100)]  # 85 shared of 100
    assert match(gold, pred_40, overlap_longer, 0.3) == [(0, 0)]
    assert match(gold, pred_40, overlap_longer, 0.8) == []
    assert match(gold, pred_85, overlap_longer, 0.8) == [(0, 0)]
    # exactly at the threshold counts; no overlap never matches, even at threshold 0
    assert match(gold, [seg(70, 170)], overlap_longer, 0.3) == [(0, 0)]
    assert match(gold, [seg(200, 300)], overlap_longer, 0.0) == []


def test_long_prediction_fails_symmetric_but_passes_ggt_score() -> None:
    gold = [seg(100, 150)]
    whole_paragraph = [seg(0, 400)]
    assert match(gold, whole_paragraph, overlap_longer, 0.3) == []
    assert match(gold, whole_paragraph, overlap_gold, 0.8) == [(0, 0)]


def test_matching_is_one_to_one_and_best_overlap_first() -> None:
    gold = [seg(0, 100)]
    preds = [seg(0, 60), seg(0, 95)]  # both pass 30%; the better one wins, the other is a FP
    assert match(gold, preds, overlap_longer, 0.3) == [(0, 1)]
    # two gold quotes, one prediction: only one of them is matched
    assert match([seg(0, 50), seg(50, 100)], [seg(0, 100)], overlap_longer, 0.3) == [(0, 0)]
    # greedy by score: gold 1 takes its near-exact pred before gold 0 can claim it
    golds = [seg(0, 100), seg(40, 140)]
    preds = [seg(40, 140), seg(0, 70)]
    assert match(golds, preds, overlap_longer, 0.3) == [(0, 1), (1, 0)]


# ------------------------------------------------------------ units, speakers, cues


def test_pronoun_split() -> None:
    for word in ("he", "She", "they", "his", "who", "which", "I", "it"):
        assert is_pronoun(word), word
    for name in ("Mr. Obama", "The Post", "experts", "he and Clinton", "Trump", ""):
        assert not is_pronoun(name), name


def test_speaker_accuracy_split_by_named_and_pronoun_gold_source() -> None:
    gold = [
        Unit(content=seg(0, 50), source=seg(60, 62), pronoun=True, kind="direct"),
        Unit(content=seg(100, 150), source=seg(160, 170), kind="indirect"),
        Unit(content=seg(200, 250), source=(), kind="indirect"),  # no source annotated
    ]
    pred = [
        Unit(content=seg(0, 50), source=seg(60, 62), kind="direct"),  # right
        Unit(content=seg(100, 150), source=seg(175, 180), kind="indirect"),  # wrong
        Unit(content=seg(200, 250), source=seg(0, 3), kind="indirect"),
    ]
    result = figures(score_units(gold, pred))
    speaker = result["content"]["exact"]["speaker"]
    assert speaker["pronoun"] == {"right": 1, "total": 1, "accuracy": 1.0}
    assert speaker["named"] == {"right": 0, "total": 1, "accuracy": 0.0}
    assert speaker["all"]["total"] == 2
    assert speaker["matched_without_gold_source"] == 1


def test_prediction_without_speaker_is_wrong_and_partial_overlap_is_right() -> None:
    gold = [Unit(content=seg(0, 50), source=seg(60, 75))]
    assert (
        figures(score_units(gold, [Unit(content=seg(0, 50))]))["content"]["exact"]["speaker"][
            "named"
        ]["right"]
        == 0
    )
    partial = [Unit(content=seg(0, 50), source=seg(70, 90))]
    assert figures(score_units(gold, partial))["content"]["exact"]["speaker"]["named"]["right"] == 1


def test_by_kind_recall_uses_gold_type_precision_uses_predicted_kind() -> None:
    gold = [Unit(seg(0, 50), kind="mixed"), Unit(seg(100, 150), kind="indirect")]
    pred = [Unit(seg(0, 50), kind="direct"), Unit(seg(300, 350), kind="direct")]
    content = figures(score_units(gold, pred))["content"]["overlap30"]
    assert content["recall_by_gold_type"]["mixed"]["recall"] == 1.0
    assert content["recall_by_gold_type"]["indirect"]["recall"] == 0.0
    assert content["precision_by_pred_kind"]["direct"]["precision"] == 0.5
    assert content["precision"] == 0.5 and content["recall"] == 0.5


def test_predicted_quotes_sharing_a_cue_are_one_unit() -> None:
    text = "“Taxes will fall,” he said. “Soon.” Then “Other words here,” she added."
    said = text.index("said")
    added = text.index("added")
    first = Quote("a", 0, 18, text[0:18], "direct", cue_start=said, cue_end=said + 4)
    second = Quote("a", 28, 35, text[28:35], "direct", cue_start=said, cue_end=said + 4)
    third_start = text.index("“Other")
    third_end = text.index(" she")
    third = Quote(
        "a",
        third_start,
        third_end,
        text[third_start:third_end],
        "indirect",
        cue_start=added,
        cue_end=added + 5,
    )
    no_cue = Quote("a", 0, 18, text[0:18], "direct")
    units = pred_units(text, [first, second, third, no_cue])
    assert len(units) == 3
    merged = units[0]
    assert merged.content == ((1, 16), (29, 33))
    assert merged.cue == ((said, said + 4),)
    assert units[1].kind == "indirect"
    mixed = pred_units(text, [first, Quote(**{**second.to_dict(), "kind": "indirect"})])
    assert mixed[0].kind == "mixed"


def test_cue_exact_and_overlap() -> None:
    text = "Clinton has long argued that taxes fall. Trump said they rise."
    has_argued = (text.index("has"), text.index(" that"))
    argued = (text.index("argued"), text.index(" that"))
    said = (text.index("said"), text.index("said") + 4)
    gold = [
        Unit(content=seg(29, 39), cue=normalize(text, [has_argued])),
        Unit(content=seg(51, 61), cue=normalize(text, [said])),
    ]
    pred = [
        Unit(content=seg(29, 39), cue=normalize(text, [argued])),
        Unit(content=seg(51, 61), cue=normalize(text, [said])),
    ]
    cue = figures(score_units(gold, pred))["cue"]
    assert cue["exact"]["tp"] == 1
    assert cue["overlap"]["tp"] == 2
    assert cue["overlap"]["f1"] == 1.0


def test_score_article_skips_gold_without_content() -> None:
    text = "“Taxes will fall,” he said."
    article = GoldArticle(
        "a",
        text,
        (
            GoldQuote("E1", ((0, 18),), ((19, 21),), ((22, 26),), "direct", "he"),
            GoldQuote("E2", (), ((19, 21),), ((22, 26),), None, "he"),
        ),
    )
    quote = Quote(
        "a",
        0,
        18,
        text[0:18],
        "direct",
        speaker_start=19,
        speaker_end=21,
        cue_start=22,
        cue_end=26,
    )
    result = figures(score_article(article, [quote]))
    assert result["gold_quotes"] == 1
    assert result["gold_skipped_without_content"] == 1
    for setting in ("overlap30", "overlap80", "exact", "ggt30", "ggt80"):
        assert result["content"][setting]["f1"] == 1.0
        assert result["content"][setting]["speaker"]["pronoun"]["accuracy"] == 1.0
    assert result["cue"]["exact"]["f1"] == 1.0


# ------------------------------------------------------------ the data (skips without it)


def test_load_dev_split_offsets_match_text() -> None:
    path = polnear.split_path("dev")
    if not path.exists():
        pytest.skip(f"PolNeAR data not present at {path}")
    articles = polnear.load_split("dev")
    assert len(articles) == 84
    quotes = [q for a in articles for q in a.quotes]
    assert len(quotes) == 2193
    for article in articles:
        for quote in article.quotes:
            for start, end in quote.content + quote.source + quote.cue:
                assert 0 <= start < end <= len(article.text)
    with pytest.raises(ValueError):
        polnear.split_path("validation")
