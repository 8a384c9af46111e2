"""The seeded derivative generator (bench/derivatives.py) on a fictional article.

Word-level variants need WordNet (Debian's wordnet-base, /usr/share/wordnet); those tests
skip with the reason where it is absent. The ECB+ loader test skips without ../shared/data.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import derivatives
from derivatives import LEVELS, VARIANTS, Derivative, generate, load_ecbplus

ARTICLE = """Harbour town opens new ferry terminal after two years of delays
The new ferry terminal in Port Aldwin opened on Tuesday, two years later than planned and well over its original budget.
Mayor Margarethe Lindqvist cut the ribbon in front of a crowd of several hundred residents and local business owners.
“This terminal will connect our town to the mainland in a way we have not seen for a generation,” Lindqvist said.
After a long dispute over the design of the main pier, the council and the construction firm settled the case in March.
Officials said the final cost was about 48 million euros, and the council had approved a much smaller sum in 2019.
Critics on the council argued that the money would have been better spent on the town's ageing water system.
"We are not against the ferry, but we asked for an honest budget," said councillor Tomas Brandt.
However, the first scheduled crossing left the harbour at noon with 212 passengers on board.
The operator expects the route to carry about half a million passengers a year once the summer timetable begins.
"""
QUOTES = re.findall(r"“([^”]+)”|\"([^\"]+)\"", ARTICLE)
# The words of each quote; its closing comma may become a full stop when the attribution moves.
QUOTE_TEXTS = [(a or b).rstrip(",.") for a, b in QUOTES]
WORD_LEVEL = ("reword", "synonym-spin", "garble")

needs_wordnet = pytest.mark.skipif(
    not (derivatives.WORDNET_DIR / "index.noun").exists(),
    reason=f"WordNet not installed under {derivatives.WORDNET_DIR} (apt-get install wordnet-base)",
)


def sentences(text: str) -> list[str]:
    return [s.text for s in derivatives._split_sentences(text)]


@needs_wordnet
def test_deterministic_for_a_seed() -> None:
    originals = [("a1", ARTICLE), ("a2", ARTICLE.replace("Port Aldwin", "Kessel Bay"))]
    first = generate(originals, seed=5)
    assert first == generate(originals, seed=5)
    # Each derivative depends only on (seed, original, variant), not on what else is asked.
    alone = generate(originals[1:], seed=5, variants=["garble"])
    assert alone[0] == next(d for d in first if d.id == "a2~garble")
    other = generate(originals, seed=6)
    assert any(a.text != b.text for a, b in zip(first, other, strict=True))


@needs_wordnet
def test_every_variant_has_its_level_and_changes_what_it_should() -> None:
    out = {d.variant: d for d in generate([("a1", ARTICLE)], seed=3)}
    assert set(out) == set(VARIANTS)
    for variant, d in out.items():
        assert isinstance(d, Derivative)
        assert d.level == LEVELS[variant]
        assert d.original_id == "a1"
        assert d.id == f"a1~{variant}"
        assert d.text.strip()
    assert {d.level for d in out.values()} == {"duplicate", "near-duplicate", "rewrite", "spun"}
    assert ARTICLE.strip() in out["boilerplate"].text
    assert out["boilerplate"].text.strip() != ARTICLE.strip()
    original_sentences = sentences(ARTICLE)
    lead = sentences(out["lead-only"].text)
    assert 1 <= len(lead) < len(original_sentences)
    assert lead == original_sentences[: len(lead)]
    shuffled = sentences(out["reorder-drop"].text)
    assert len(shuffled) < len(original_sentences)
    assert set(shuffled) <= set(original_sentences)
    for variant in WORD_LEVEL:
        assert out[variant].text != ARTICLE


@needs_wordnet
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_rewordings_keep_quoted_text(seed: int) -> None:
    out = {d.variant: d for d in generate([("a1", ARTICLE)], seed=seed)}
    for variant in ("reword", "synonym-spin"):
        for quote in QUOTE_TEXTS:
            assert quote in out[variant].text, (variant, quote)
    garbled = out["garble"].text
    assert sum(quote in garbled for quote in QUOTE_TEXTS) >= len(QUOTE_TEXTS) - 1


@needs_wordnet
def test_garble_leaves_machine_spin_traces() -> None:
    texts = [d.text for d in generate([(f"a{i}", ARTICLE) for i in range(8)], seed=9,
                                      variants=["garble"])]  # fmt: skip
    joined = "\n".join(texts)
    # Articles dropped somewhere, and fragments appended after full stops.
    assert joined.count(" the ") < ARTICLE.count(" the ") * len(texts)
    assert re.search(r"\. [A-Za-z][a-z]+(?: [a-z]+)?\.(?:\n| )", joined)


def test_structural_variants_need_no_wordnet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derivatives, "WORDNET_DIR", Path("/nonexistent/wordnet"))
    derivatives.wordnet.cache_clear()
    try:
        out = generate([("a1", ARTICLE)], seed=1,
                       variants=["boilerplate", "lead-only", "reorder-drop"])  # fmt: skip
        assert [d.level for d in out] == ["duplicate", "near-duplicate", "near-duplicate"]
    finally:
        derivatives.wordnet.cache_clear()


@needs_wordnet
def test_too_short_for_a_variant_yields_none_rather_than_a_verbatim_copy() -> None:
    short = "Ferry resumes service\nThe Port Aldwin ferry sailed again on Friday after repairs.\n"
    out = {d.variant for d in generate([("s1", short)], seed=2)}
    assert {"boilerplate", "garble"} <= out
    assert not out & {"lead-only", "reorder-drop", "reword"}
    for d in generate([("s1", short), ("a1", ARTICLE)], seed=2):
        assert d.text.strip() != (short if d.original_id == "s1" else ARTICLE).strip()


@needs_wordnet
def test_reword_rewords_most_of_the_text() -> None:
    for seed in range(4):
        reword = next(d for d in generate([("a1", ARTICLE)], seed, ["reword"]))
        kept = set(sentences(reword.text)) & set(sentences(ARTICLE))
        assert len(kept) <= len(sentences(ARTICLE)) // 2, reword.text


@needs_wordnet
def test_reword_of_a_text_mostly_quoted_yields_none() -> None:
    # All but one body sentence is quotation (left as it is), so the rewrite could only add
    # a connective to that one: a light edit, not a rewrite.
    quoted = (
        "Mayor opens ferry terminal\n"
        "“This terminal will connect our town to the mainland at last,” the mayor said.\n"
        "“We waited two years for this day and it was worth every one of them,” she said.\n"
        "The terminal cost 48 million euros.\n"
    )
    for seed in range(4):
        assert generate([("q1", quoted)], seed, ["reword"]) == []


def test_sentences_not_split_inside_dates_times_or_spaced_numbers() -> None:
    # Detokenised text: "Jan. 2", "7 p. m. Friday", "£1. 7m", "Mt. Kessel": a reorder that
    # moved half of such a sentence would make a broken text, not a near-duplicate.
    text = (
        "The ferry ran aground on Jan. 2 near Mt. Kessel, stranding 40 people.\n"
        "Rescuers reached it around 7 p. m. Friday after the fog lifted.\n"
        "Repairs will cost £1. 7m, the operator said. It gave no date.\n"
    )
    assert sentences(text) == [
        "The ferry ran aground on Jan. 2 near Mt. Kessel, stranding 40 people.",
        "Rescuers reached it around 7 p. m. Friday after the fog lifted.",
        "Repairs will cost £1. 7m, the operator said.",
        "It gave no date.",
    ]


def test_unknown_variant_rejected() -> None:
    with pytest.raises(ValueError, match="unknown variants"):
        generate([("a1", ARTICLE)], seed=1, variants=["paraphrase"])


def test_load_ecbplus_split() -> None:
    if not derivatives.DOCUMENTS.exists():
        pytest.skip(f"ECB+ not found at {derivatives.DOCUMENTS}")
    dev = load_ecbplus("dev")
    assert len(dev) == 197
    assert {"doc_id", "subtopic", "title", "text"} <= set(dev[0])
    assert {r["split"] for r in dev} == {"dev"}
    with pytest.raises(ValueError):
        load_ecbplus("validation")
