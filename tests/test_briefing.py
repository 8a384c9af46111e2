"""The briefing's quotes: one line per statement however many outlets carry it."""

from __future__ import annotations

import io

from rich.console import Console

from newstrace.briefing import render_quotes
from newstrace.model import Quote


def quote(article: str, text: str, cluster: str | None) -> Quote:
    return Quote(article=article, start=0, end=len(text), text=text, kind="direct",
                 speaker="Agnes Telford", cluster=cluster, confidence=0.9)  # fmt: skip


def rendered(quotes: list[Quote], **options: object) -> str:
    out = io.StringIO()
    render_quotes(Console(file=out, width=200), quotes, **options)  # type: ignore[arg-type]
    return out.getvalue()


QUOTES = [
    quote("syndicated", "We will not reopen the line until it is safe", "q1"),
    quote("wire", "We will not reopen the line until it is safe", "q1"),
    quote("edited", "We will not reopen the line until it is safe", "q1"),
    quote("wire", "Nobody was hurt, and for that we are grateful", "q2"),
    quote("wire", "The buses will run every twenty minutes", None),
]


def test_each_quote_listed_without_grouping() -> None:
    text = rendered(QUOTES)
    assert text.count("We will not reopen the line") == 3
    assert "Agnes Telford (5)" in text


def test_a_statement_in_several_articles_is_one_line_at_a_non_copy() -> None:
    text = rendered(QUOTES, once_per_cluster=True, copies=frozenset({"syndicated"}))
    assert text.count("We will not reopen the line") == 1
    assert "(wire +2 more, 0.90)" in text
    assert "Nobody was hurt" in text and "The buses will run" in text
    assert "Agnes Telford (5)" in text  # the count is of quotes, not lines


def test_the_limit_counts_statements() -> None:
    text = rendered(QUOTES, per_speaker=2, once_per_cluster=True)
    assert "... and 1 more" in text


def test_one_speaker_under_two_spellings_is_one_group() -> None:
    spelled = [
        Quote(article="wire", start=0, end=4, text="We stay", kind="direct",
              speaker="Agnes Telford", speaker_entity="e1", confidence=0.9),
        Quote(article="spun", start=0, end=4, text="We remain", kind="direct",
              speaker="Agnes Telfurd", speaker_entity="e1", confidence=0.9),
        Quote(article="wire", start=9, end=20, text="Calm down", kind="direct",
              speaker="one official", confidence=0.9),
    ]  # fmt: skip
    text = rendered(spelled, names={"e1": "Agnes Telford"})
    assert "Agnes Telford (2)" in text and "Telfurd" not in text
    assert "one official (1)" in text and "from 2 speakers" in text
    apart = rendered(spelled)  # without entity names, each spelling stands alone
    assert "Agnes Telford (1)" in apart and "Agnes Telfurd (1)" in apart
