"""Spun/garbled text score: fictional articles parsed with the real pipeline.

The clean article and its garbled copy are made up for these tests; the seed test reads
../shared/seeds in place and skips where it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newstrace.nlp import load_nlp
from newstrace.quality import SPUN_THRESHOLD, QualityReport, score_quality

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

CLEAN = """Harbour town opens new ferry terminal after two years of delays
The new ferry terminal in Port Aldwin opened on Tuesday, two years later than planned and well over its original budget.
Mayor Margarethe Lindqvist cut the ribbon in front of a crowd of several hundred residents and local business owners.
“This terminal will connect our town to the mainland in a way we have not seen for a generation,” Lindqvist said.
The project was delayed by a dispute between the council and the construction firm over the design of the main pier.
Officials said the final cost was about 48 million euros, nearly a third more than the council had approved in 2019.
Critics on the council argued that the money would have been better spent on the town's ageing water system.
“We are not against the ferry, but we asked for an honest budget,” said councillor Tomas Brandt, who voted against the plan.
The first scheduled crossing left the harbour at noon with 212 passengers on board.
The operator expects the route to carry about half a million passengers a year once the summer timetable begins.
"""

GARBLED = """Harbour town opens new ferry terminal after two years of delays
The new ferry terminal in Port Aldwin opened on Tuesday, two years later than planned and well over its original budget. rice field.
Mayor Margarethe Lindqvist cut ribbon in front of crowd of several hundred residents and local business owners.
“This terminal will connect our town to the mainland in a way we have not seen for a generation,” Lindkvist said. I prepared.
The project was delayed by dispute between council and construction firm over design of the main pier. Finished.
Officials said final cost was about 48 million euros, nearly third more than council had approved in 2019.” did not attend because it was formalized.
Critics on council argued that the money would have been better spent on the town's ageing water system, who want to
“We are not against the ferry, but we asked for an honest budget,” said councillor Tomas Brandt, who voted against the plan. Surrender.
The first scheduled crossing left harbour at noon with 212 passengers on board. his condition.
The operator expects route to carry about half million passengers a year once summer timetable begins.
"""


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_nlp()


def score(nlp, text: str) -> QualityReport:  # type: ignore[no-untyped-def]
    return score_quality(text, nlp(text))


def assert_offsets(report: QualityReport, text: str) -> None:
    for reason in report.reasons:
        assert set(reason) >= {"kind", "start", "end", "text", "weight"}
        assert 0 <= reason["start"] <= reason["end"] <= len(text)
        assert text[reason["start"] : reason["end"]] == reason["text"]


def test_clean_article_scores_low(nlp) -> None:  # type: ignore[no-untyped-def]
    report = score(nlp, CLEAN)
    assert 0.0 <= report.spun_score < SPUN_THRESHOLD
    assert "machine-spun" not in report.flags
    assert not [r for r in report.reasons if r["kind"] == "fragment"]
    assert_offsets(report, CLEAN)


def test_garbled_article_scores_high_with_reasons_on_the_right_spans(nlp) -> None:  # type: ignore[no-untyped-def]
    report = score(nlp, GARBLED)
    assert report.spun_score >= SPUN_THRESHOLD
    assert report.spun_score > score(nlp, CLEAN).spun_score
    assert "machine-spun" in report.flags
    assert "fragment-artefacts" in report.flags
    fragments = {r["text"] for r in report.reasons if r["kind"] == "fragment"}
    assert {"rice field.", "I prepared.", "Surrender."} <= fragments
    rice = next(r for r in report.reasons if r["text"] == "rice field.")
    assert GARBLED[rice["start"] : rice["end"]] == "rice field."
    assert rice["weight"] > 0
    kinds = {r["kind"] for r in report.reasons}
    assert "lowercase-start" in kinds  # "did not attend ..."
    assert "cut-off" in kinds  # "... who want to"
    assert_offsets(report, GARBLED)
    assert report.to_dict()["spun_score"] == report.spun_score


def test_unbalanced_quotes_flagged(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The council met on Monday to discuss the budget.\n"
        "The mayor called the plan a stunning blow”forever” for the town.\n"
        "Councillors voted eight to three in favour of the proposal.\n"
    )
    report = score(nlp, text)
    assert "unbalanced-quotes" in report.flags
    quote_reasons = [r for r in report.reasons if r["kind"].endswith("-quote")]
    assert quote_reasons
    assert all("”" in r["text"] for r in quote_reasons)
    assert_offsets(report, text)


def test_balanced_quotes_not_flagged(nlp) -> None:  # type: ignore[no-untyped-def]
    report = score(nlp, CLEAN)
    assert "unbalanced-quotes" not in report.flags


def test_inconsistent_names_flagged(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "General Dmitri Varenikov ordered the retreat from the eastern bank on Wednesday.\n"
        "Analysts said Varenikov had little choice after weeks of heavy losses.\n"
        "The decision was announced on state television by Varinekov himself.\n"
    )
    report = score(nlp, text)
    assert "inconsistent-names" in report.flags
    names = [r for r in report.reasons if r["kind"] == "name-variant"]
    assert names and names[0]["text"] in {"Varenikov", "Varinekov"}
    assert_offsets(report, text)


def test_distinct_names_not_flagged(nlp) -> None:  # type: ignore[no-untyped-def]
    report = score(nlp, CLEAN)
    assert "inconsistent-names" not in report.flags


def test_empty_and_tiny_texts(nlp) -> None:  # type: ignore[no-untyped-def]
    for text in ("", " ", "\n\n", "Hello.", "“", "”", "a"):
        report = score(nlp, text)
        assert 0.0 <= report.spun_score <= 1.0
        assert_offsets(report, text)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=400))
def test_never_raises_on_arbitrary_text(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    report = score(nlp, text)
    assert 0.0 <= report.spun_score <= 1.0
    assert_offsets(report, text)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                "The minister said.",
                "rice field.",
                "“Yes,” he said.",
                "”",
                "“",
                "Sergei",
                "Sergey",
                "did not go",
                "who want to\n",
                "\n",
                " ",
                "Putin's war.",
                "I prepared.",
                '"',
                "Kyiv",
            ]
        ),
        max_size=40,
    )
)
def test_never_raises_on_news_like_pieces(nlp, pieces: list[str]) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(pieces)
    report = score(nlp, text)
    assert 0.0 <= report.spun_score <= 1.0
    assert_offsets(report, text)


def test_seed_articles(nlp) -> None:  # type: ignore[no-untyped-def]
    spun = sorted(SEEDS.glob("000_*.txt"))
    tabloid = sorted(SEEDS.glob("002_*.txt"))
    if not spun or not tabloid:
        pytest.skip(f"seed articles not found under {SEEDS}")
    spun_text = spun[0].read_text(encoding="utf-8")
    tabloid_text = tabloid[0].read_text(encoding="utf-8")
    spun_report = score(nlp, spun_text)
    tabloid_report = score(nlp, tabloid_text)
    assert spun_report.spun_score >= SPUN_THRESHOLD
    assert "machine-spun" in spun_report.flags
    assert tabloid_report.spun_score < SPUN_THRESHOLD
    fragments = {r["text"] for r in spun_report.reasons if r["kind"] == "fragment"}
    assert {"rice field.", "I prepared."} <= fragments
    assert_offsets(spun_report, spun_text)
    assert_offsets(tabloid_report, tabloid_text)


# Flattened text as detokenised corpora carry it: a spaced web address, clock times, an
# abbreviation's full stop, a caption line, a section label, a source line, an attribution
# split off after a question.
FLATTENED = """Lakeside Council Votes Down Marina Plan
Harbour Board Meeting Runs Late Into The
Published March 4, 2026 9: 15 am
ABSTRACT.
The Ostvale Gazette.
The Lakeside council rejected the marina expansion on Tuesday night, the Ostvale Gazette. com reports.
The vote came after a four-hour meeting at the town hall on 12 Quay St. on the north shore.
Residents queued outside from 6: 30 p. m. to speak against the plan, according to Sgt. Hanna Rilke.
“Who asked us?” Rilke asked.
Details of the plan are at ostvale. gov / marina / plan. html. The council will meet again in May.
"""


def test_flattened_text_artefacts_are_not_spinning(nlp) -> None:  # type: ignore[no-untyped-def]
    report = score(nlp, FLATTENED)
    structural = {"fragment", "lowercase-start", "cut-off", "verbless"}
    assert [r for r in report.reasons if r["kind"] in structural] == []
    assert report.spun_score < SPUN_THRESHOLD
    assert_offsets(report, FLATTENED)


# A blog's style: one-line asides as paragraphs of their own, an attribution by pronoun,
# and a title whose full stop the parser takes for a sentence end.
ASIDES = """Mira Tallis moved her bakery from Ostvale to the harbour last spring.

Best decision ever.

The new shop sells out of rye loaves before noon on most days, she said.
"We bake through the night now," she said.
The move was approved by Harbour Police Sgt.
Olen Varga, who chairs the traders' group, after a short hearing in March.

Trust me.
"""


def test_one_line_asides_and_split_titles_are_not_fragments(nlp) -> None:  # type: ignore[no-untyped-def]
    report = score(nlp, ASIDES)
    assert [r for r in report.reasons if r["kind"] == "fragment"] == []
    assert report.spun_score < SPUN_THRESHOLD
    assert_offsets(report, ASIDES)


def test_names_of_different_entity_kinds_are_not_variants(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Officials in France said on Monday that the talks would continue next week.\n"
        "The envoy, Marco Franco, arrived in Paris late on Sunday evening.\n"
        "France has hosted three rounds of the talks since the spring.\n"
    )
    report = score(nlp, text)
    assert not [r for r in report.reasons if r["kind"] == "name-variant"]


# A headline block (headline, then a sub-headline without a full stop) and a police title
# longer than four letters whose full stop the parser takes for a sentence end.
TITLE_BLOCK = """Old Corvel mill burns
Fire crews mop up
Smoke still rose from the old Corvel mill on Tuesday morning in Ostvale.
Police Const. Dara Quill said the fire was reported around 4 a.m. by a Coast Guard crew.
The mill had stood empty since the last owner, Petra Holm, closed it in 1998.
"""


def test_title_block_and_long_titles_are_no_artefacts(nlp) -> None:  # type: ignore[no-untyped-def]
    report = score(nlp, TITLE_BLOCK)
    kinds = {"fragment", "cut-off", "name-variant", "lowercase-start"}
    assert [r for r in report.reasons if r["kind"] in kinds] == []
    assert report.spun_score < SPUN_THRESHOLD
    assert_offsets(report, TITLE_BLOCK)


def test_a_cut_off_line_in_the_body_still_counts(nlp) -> None:  # type: ignore[no-untyped-def]
    text = TITLE_BLOCK + "Neighbours said the owners had long wanted to\nThe council will meet.\n"
    report = score(nlp, text)
    assert [r for r in report.reasons if r["kind"] == "cut-off"]


def test_short_texts_word_choice_is_shrunk_towards_clean_news(nlp) -> None:  # type: ignore[no-untyped-def]
    # One sentence: a handful of word pairs, a few never seen in the count table, must not
    # read as a spinner's wording.
    from newstrace.quality import extract_features
    from newstrace.quality_model import FEATURES

    text = "A Tarvish climber who survived two nights stuck on Mount Orrel narrowly escaped."
    values, _ = extract_features(text, nlp(text))
    assert values[FEATURES.index("unseen_bigrams")] < 0.45
    assert values[FEATURES.index("rare_words")] < 0.12


def test_bare_mass_nouns_are_no_dropped_articles(nlp) -> None:  # type: ignore[no-untyped-def]
    # Mass nouns go without an article in clean news too ("revenue fell", "asked for
    # evidence"); only nouns clean news mostly gives a determiner count as dropped articles.
    from newstrace.quality import extract_features
    from newstrace.quality_model import FEATURES

    text = (
        "Ostvale council weighs new harbour tax\n"
        "The harbour board said revenue from the ferry fell sharply in the spring.\n"
        "Councillors asked for evidence before they would approve any new tax.\n"
        "Residents want information about how money from the fund is spent.\n"
        "The mayor said support for the plan had grown since the winter.\n"
        "Traders said traffic on the quay had dropped since the bridge closed.\n"
    )
    values, reasons = extract_features(text, nlp(text))
    assert values[FEATURES.index("bare_nouns")] < 0.15
    dropped = {r["text"] for r in reasons if r["kind"] == "dropped-word"}
    assert not dropped & {"revenue", "evidence", "information", "money", "support"}


def test_a_repeated_word_pair_is_a_topic_phrase(nlp) -> None:  # type: ignore[no-untyped-def]
    # A pair the article keeps using is its topic ("library card"), even when the small
    # count table never saw it; the same pair once is still odd wording.
    from newstrace.quality import extract_features

    once = (
        "Ostvale library lends seed packets\n"
        "The Ostvale library now lends seed packets to anyone with a library card.\n"
        "Gardeners return seeds from their harvest in the autumn, the librarian said.\n"
    )
    repeated = once + (
        "A library card is free for residents, and a library card from a neighbouring town "
        "also counts.\n"
    )
    wording = [
        {r["text"] for r in extract_features(t, nlp(t))[1] if r["kind"] == "unnatural-wording"}
        for t in (once, repeated)
    ]
    assert "library card" in wording[0]
    assert "library card" not in wording[1]


def test_different_peoples_names_and_allowed_spellings_are_not_variants(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The campaign named its volunteers in Harwell County on Monday.\n"
        "They include Sylvia Larsen, Tomas Larson, Dave Caris and Ruth Okafor.\n"
        "The team will meet at the Riverside Amphitheater before the rally.\n"
        "Tickets for the Riverside Amphitheatre event sold out within an hour.\n"
    )
    report = score(nlp, text)
    assert not [r for r in report.reasons if r["kind"] == "name-variant"]
    # one person's surname spelt two ways still counts
    garbled = text + "Larson said the volunteers would knock on doors. Tomas Larsen agreed.\n"
    details = {r.get("detail") for r in score(nlp, garbled).reasons}
    assert "Larsen / Larson" in details


def test_text_not_in_english_is_not_scored_as_spun(nlp) -> None:  # type: ignore[no-untyped-def]
    # The English word counts make every word of another language look odd: that is no
    # trace of spinning.
    text = (
        "Der Stadtrat von Ostvale hat am Dienstag den neuen Hafenplan beschlossen. "
        "Nach einer langen Sitzung stimmten elf Mitglieder dafür und vier dagegen. "
        "Die Bürgermeisterin sagte, die Arbeiten sollen im Frühjahr beginnen. "
        "Viele Händler am Kai hoffen auf mehr Besucher im Sommer, doch einige Anwohner "
        "fürchten Lärm und Verkehr in den engen Gassen der Altstadt.\n"
    )
    report = score(nlp, text)
    assert report.spun_score == 0.0
    assert report.flags == []


def test_an_attribution_after_the_quote_has_its_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Harwell County voters go to the polls in the primary on 9 February.\n"
        "“We will win this county by ten points,” added a Harwell County Democrat.\n"
        "“Nobody else has the money for television,” added another Harwell Republican.\n"
        "Turnout four years ago was just under 40 per cent.\n"
    )
    report = score(nlp, text)
    assert not [r for r in report.reasons if r["kind"] == "dropped-word" and r["text"] == "added"]
