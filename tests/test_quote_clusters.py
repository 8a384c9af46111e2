"""Quote clusters: the same utterance across outlets, however it was copied, and nothing more.

All quotes, people and places here are fictional. The end-to-end check builds quotes from the
demo corpus manifest (offsets found in each article's cleaned text) and clusters them.
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.clean import clean
from newstrace.ingest import read_inputs
from newstrace.model import Article, Quote
from newstrace.quote_clusters import (
    QuoteCluster,
    QuoteClusterIndex,
    cluster_quotes,
    normalize_published,
)
from newstrace.quote_match import speaker_key

DEMO = Path(__file__).resolve().parents[1] / "src" / "newstrace" / "demo"

Item = tuple[list[Quote], str | None]


def quote(article: str, text: str, speaker: str | None = None, kind: str = "direct",
          start: int = 0) -> Quote:
    return Quote(article=article, start=start, end=start + len(text), text=text, kind=kind,
                 speaker=speaker)


def clusters_of(quotes: Sequence[Quote]) -> dict[tuple[str, int], str | None]:
    return {(q.article, q.start): q.cluster for q in quotes}


def partition(quotes: Sequence[Quote]) -> set[frozenset[tuple[str, int]]]:
    groups: defaultdict[str | None, set[tuple[str, int]]] = defaultdict(set)
    for q in quotes:
        groups[q.cluster].add((q.article, q.start))
    return {frozenset(group) for group in groups.values()}


def run(items: Sequence[Item], threshold: float = 0.6) -> dict[tuple[str, int], str | None]:
    quotes, _ = cluster_quotes(items, threshold)
    return clusters_of(quotes)


HALE = "They told us the pumps had been checked. Nobody checked the pumps, and now look at the quay"
VIDAL_EN_1 = "We will not abandon the people of the harbour district"
VIDAL_EN_2 = "We are not going to abandon the harbour district's people"

CORPUS: list[Item] = [
    ([quote("wire", HALE, "Dermot Vance"),
      quote("wire", "Not one more tanker in our harbour", "Rosa Lind", start=200),
      quote("wire", VIDAL_EN_1, "Mayor Ines Vidal", start=400)], "2026-03-14T07:15:00Z"),
    ([quote("courier", HALE, "Dermot Vance"),
      quote("courier", "a betrayal", None, "mixed", start=300)], "2026-03-14T09:00:00Z"),
    ([quote("gazette", HALE.replace("'", "’"), "Mr Vance"),
      quote("gazette", "Not one more tanker in our harbour", "Tomas Berg", start=250),
      quote("gazette", VIDAL_EN_2, "Ines Vidal", start=500)], "2026-03-14T11:30:00+01:00"),
    ([quote("lantern", "Nobody checked the pumps, and now look at the quay", "Vance"),
      quote("lantern", "Call it what it is: a betrayal", "Keira Moss", start=120)],
     "2026-03-15"),
    ([quote("farm", "nobody checked the pumps", None, "mixed"),
      quote("farm", "the harbour district", "Ines Vidal", "mixed", start=80),
      quote("farm", "Not one more tanker in our harbour", None, start=160)], None),
]


def test_verbatim_quote_in_three_outlets_is_one_cluster_with_its_first_appearance() -> None:
    items: list[Item] = [
        ([quote("courier", HALE, "Dermot Vance", start=40)], "2026-03-14T09:00:00Z"),
        ([quote("wire", HALE, "Dermot Vance", start=10)], "2026-03-14T07:15:00Z"),
        ([quote("tabloid", HALE, "Vance", start=90)], "2026-03-14T16:30:00Z"),
    ]
    quotes, clusters = cluster_quotes(items)
    assert len({q.cluster for q in quotes}) == 1
    (cluster,) = clusters
    assert cluster.id == quotes[0].cluster and cluster.id.startswith("q")
    assert cluster.first_article == "wire" and cluster.first_published == "2026-03-14T07:15:00Z"
    assert cluster.members == [("wire", 10, 10 + len(HALE)), ("courier", 40, 40 + len(HALE)),
                               ("tabloid", 90, 90 + len(HALE))]
    assert cluster.variants == [HALE] and cluster.speaker == "Dermot Vance"
    assert cluster.text == HALE


def test_trimmed_and_partial_quotes_join_the_full_one() -> None:
    trimmed = "Nobody checked the pumps, and now look at the quay"
    partial = "nobody checked the pumps, and now"
    quotes, clusters = cluster_quotes([
        ([quote("wire", HALE, "Dermot Vance"), quote("wire", trimmed, "Dermot Vance", start=500)],
         "2026-03-14T07:15:00Z"),
        ([quote("lantern", trimmed, None)], "2026-03-14T13:00:00Z"),
        ([quote("tabloid", partial, "Vance", "mixed")], "2026-03-14T16:00:00Z"),
    ])
    assert len({q.cluster for q in quotes}) == 1
    (cluster,) = clusters
    assert cluster.text == HALE, "the longest direct variant of the first appearance"
    assert cluster.variants == [HALE, trimmed, partial]


def test_repunctuated_quote_with_curly_or_straight_marks_and_dashes_is_verbatim() -> None:
    curly = "We won’t leave — not now, not ever. Not while the “experts” say it’s safe!"
    straight = "We won't leave - not now, not ever... not while the \"experts\" say it's safe"
    result = run([([quote("a", curly, "Ines Vidal")], "2026-03-01"),
                  ([quote("b", straight, "Vidal")], "2026-03-02")])
    assert result[("a", 0)] == result[("b", 0)]


def test_two_translations_of_one_statement_join_but_other_statements_do_not() -> None:
    items: list[Item] = [
        ([quote("wire", VIDAL_EN_1, "Mayor Ines Vidal")], "2026-03-14T07:00:00Z"),
        ([quote("lantern", VIDAL_EN_2, "Ines Vidal")], "2026-03-14T08:00:00Z"),
        ([quote("radio", "The government has betrayed the fishermen of this coast", None)],
         "2026-03-14T09:00:00Z"),
        ([quote("paper", "The government betrayed this coast's fishermen", "Ines Vidal")],
         "2026-03-14T10:00:00Z"),
        ([quote("weekly", "The harbour district will get its people back by spring, we promise",
                "Ines Vidal")], "2026-03-14T11:00:00Z"),
    ]
    result = run(items)
    assert result[("wire", 0)] == result[("lantern", 0)]
    assert result[("radio", 0)] == result[("paper", 0)]
    assert result[("weekly", 0)] not in {result[("wire", 0)], result[("radio", 0)]}
    assert result[("wire", 0)] != result[("radio", 0)]
    strict = run(items, threshold=0.9)
    assert strict[("wire", 0)] != strict[("lantern", 0)], "a high threshold wants near-verbatim"


def test_a_reversal_is_another_statement_however_alike_the_words() -> None:
    result = run([
        ([quote("gazette", "We will not close the Tarrow depot this winter, whatever happens",
                "Nadia Brisk")], "2026-02-02T09:00:00Z"),
        ([quote("courier", "We will have to close the Tarrow depot this winter", "Nadia Brisk")],
         "2026-02-20T09:00:00Z"),
        ([quote("herald", "she would not close the Tarrow depot this winter", "Ms Brisk",
                kind="indirect")], "2026-02-03T09:00:00Z"),
        ([quote("post", "will close the Tarrow depot this winter", "Nadia Brisk")],
         "2026-02-21T09:00:00Z"),
    ])
    assert result[("gazette", 0)] == result[("herald", 0)]
    assert result[("courier", 0)] == result[("post", 0)]
    assert result[("gazette", 0)] != result[("courier", 0)]
    trailing = run([
        ([quote("gazette", "I will not raise the council tax. Full stop", "Nadia Brisk")],
         "2026-02-02T09:00:00Z"),
        ([quote("courier", "she will have to raise the council tax, weeks after promising not to",
                "Nadia Brisk", kind="indirect")], "2026-02-20T09:00:00Z"),
        ([quote("post", "I will have to raise the council tax", "Nadia Brisk")],
         "2026-02-20T10:00:00Z"),
    ])
    assert trailing[("courier", 0)] == trailing[("post", 0)] != trailing[("gazette", 0)]


def test_the_same_meaning_in_other_words_joins_only_for_one_speaker() -> None:
    said = "The depot will stay open right through the winter"
    reported = "the depot would remain open all winter"
    result = run([
        ([quote("gazette", said, "Nadia Brisk")], "2026-02-02T09:00:00Z"),
        ([quote("courier", reported, "Ms Brisk", kind="indirect")], "2026-02-02T12:00:00Z"),
        ([quote("herald", reported, "Owen Tarrant", kind="indirect")], "2026-02-02T13:00:00Z"),
    ])
    assert result[("gazette", 0)] == result[("courier", 0)]
    assert result[("herald", 0)] != result[("gazette", 0)]
    strict = run([
        ([quote("gazette", said, "Nadia Brisk")], "2026-02-02T09:00:00Z"),
        ([quote("courier", reported, "Ms Brisk", kind="indirect")], "2026-02-02T12:00:00Z"),
    ], threshold=0.8)
    assert strict[("gazette", 0)] != strict[("courier", 0)], "from 0.8 up only wording joins"


def test_reworded_match_needs_the_same_speaker_not_just_any_description() -> None:
    result = run([([quote("a", VIDAL_EN_1, "a resident")], "2026-03-01"),
                  ([quote("b", VIDAL_EN_2, "one official")], "2026-03-02"),
                  ([quote("c", VIDAL_EN_1, "a shopkeeper")], "2026-03-03")])
    assert result[("a", 0)] == result[("c", 0)], "verbatim: descriptions may differ"
    assert result[("b", 0)] != result[("c", 0)], "reworded: two descriptions are two people"


def test_same_words_by_two_named_speakers_stay_apart_even_through_an_unattributed_copy() -> None:
    chant = "Not one more tanker in our harbour, not one more spill on our beach"
    items: list[Item] = [([quote("a", chant, "Rosa Lind")], "2026-03-01"),
                         ([quote("b", chant, "Tomas Berg")], "2026-03-02"),
                         ([quote("c", chant, None)], "2026-03-03"),
                         ([quote("d", chant, "Ms Lind")], "2026-03-04")]
    result = run(items)
    assert result[("a", 0)] != result[("b", 0)]
    assert result[("a", 0)] == result[("d", 0)]
    assert result[("c", 0)] in {result[("a", 0)], result[("b", 0)]}
    assert run(list(reversed(items))) == result


def test_two_people_sharing_a_surname_are_two_speakers() -> None:
    words = "Keep your windows closed today as a precaution"
    result = run([([quote("a", words, "Celia Brandt")], "2026-03-01"),
                  ([quote("b", words, "Owen Brandt")], "2026-03-02"),
                  ([quote("c", words, "Dr Brandt")], "2026-03-03")])
    assert result[("a", 0)] != result[("b", 0)]
    assert result[("c", 0)] in {result[("a", 0)], result[("b", 0)]}


def test_short_scare_quote_fragments_do_not_join_anything() -> None:
    result = run([
        ([quote("a", "a betrayal", None, "mixed")], "2026-03-01"),
        ([quote("b", "a betrayal", None, "mixed")], "2026-03-02"),
        ([quote("c", "This is a betrayal of every worker on the quay", "Keira Moss")],
         "2026-03-03"),
        ([quote("d", "toxic cloud", "a resident", "mixed")], "2026-03-04"),
        ([quote("e", "toxic cloud", "a shopkeeper", "mixed")], "2026-03-05"),
    ])
    assert len(set(result.values())) == 5


def test_a_quoted_fragment_or_a_short_quote_joins_the_full_quote_of_its_speaker() -> None:
    full = "This is the right owner at the right time, and I leave with a clear conscience"
    result = run([
        ([quote("gazette", full, "Maren Holt")], "2026-04-01T09:00:00Z"),
        ([quote("courier", "the sale as “the right owner at the right time”", "Ms Holt",
                "mixed")], "2026-04-01T12:00:00Z"),
        ([quote("herald", "the right owner at the right time", "Ms Holt")],
         "2026-04-02T09:00:00Z"),
        ([quote("post", "the deal as “the right owner at the right time”", "Ivo Brandt",
                "mixed")], "2026-04-02T10:00:00Z"),
    ])
    assert result[("gazette", 0)] == result[("courier", 0)] == result[("herald", 0)]
    assert result[("post", 0)] != result[("gazette", 0)], "another speaker's words"


def test_a_slogan_does_not_join_every_speech_that_repeats_it_nor_figures_that_differ() -> None:
    speech = ("We built the bridge, we reopened the depot, we kept the buses running all "
              "winter, and next year we will do more, because this town deserves it: put "
              "Tarrow first again")
    result = run([
        ([quote("gazette", speech, "Nadia Brisk")], "2026-05-01T09:00:00Z"),
        ([quote("courier", "her pledge to “put Tarrow first again”", "Ms Brisk", "mixed")],
         "2026-05-01T12:00:00Z"),
        ([quote("herald", "the bus fare would rise by 5 per cent in May", "Nadia Brisk",
                "indirect")], "2026-05-02T09:00:00Z"),
        ([quote("post", "The bus fare will rise by 12 per cent in May", "Nadia Brisk")],
         "2026-05-02T10:00:00Z"),
    ])
    assert result[("courier", 0)] != result[("gazette", 0)]
    assert result[("herald", 0)] != result[("post", 0)]


def test_short_fragment_joins_its_verbatim_twin_by_the_same_speaker() -> None:
    result = run([([quote("a", "modernise, not weaken", "Bogdan Ferenc", "mixed")], "2026-03-01"),
                  ([quote("b", "“modernise – not weaken”", "Ferenc", "mixed")], "2026-03-02")])
    assert result[("a", 0)] == result[("b", 0)]


def test_bracketed_insertions_and_ellipses_are_editorial() -> None:
    result = run([
        ([quote("a", "The council has broken every promise it made to this town", "Ada Quill")],
         "2026-03-01"),
        ([quote("b", "[The council has] broken every promise it made to this town", "Quill")],
         "2026-03-02"),
        ([quote("c", "[Mr Dunne] has broken every promise it made to this town", None)],
         "2026-03-03"),
        ([quote("d", "We will rebuild this town, street by street, and we will be back", "Ada Quill",
                start=50)], "2026-03-01"),
        ([quote("e", "We will rebuild this town … and we will be back", "Ada Quill")],
         "2026-03-02"),
    ])
    assert result[("a", 0)] == result[("b", 0)] == result[("c", 0)]
    assert result[("d", 50)] == result[("e", 0)] != result[("a", 0)]


def test_a_quote_that_bridges_two_clusters_merges_them_keeping_the_first_appearance() -> None:
    first = "The harbour wall was never designed for ships of that size"
    second = "and everyone on the council has known it for a decade"
    index = QuoteClusterIndex()
    (a,) = index.add([quote("late", second, "Ada Quill")], "2026-03-05")
    (b,) = index.add([quote("early", first, "Ada Quill")], "2026-03-01")
    assert a.cluster != b.cluster
    assert index.take_changes() == []
    (c,) = index.add([quote("full", f"{first}, {second}.", None)], "2026-03-03")
    assert c.cluster == b.cluster, "the merged cluster keeps the earliest member's id"
    changed = index.take_changes()
    assert [(q.article, q.cluster) for q in changed] == [("late", b.cluster)]
    assert index.take_changes() == []
    (cluster,) = index.clusters()
    assert cluster.first_article == "early"
    assert [m[0] for m in cluster.members] == ["early", "full", "late"]


def test_first_appearance_by_date_with_an_undated_article_and_ties_by_id() -> None:
    items: list[Item] = [
        ([quote("undated", HALE)], None),
        ([quote("zeta", HALE)], "2026-03-14T10:00:00+02:00"),  # 08:00 UTC
        ([quote("beta", HALE)], "2026-03-14T08:30:00Z"),
        ([quote("alpha", HALE)], "2026-03-14T08:00:00Z"),
        ([quote("bad-date", HALE)], "last Tuesday"),
    ]
    _, (cluster,) = cluster_quotes(items)
    assert [m[0] for m in cluster.members] == ["alpha", "zeta", "beta", "bad-date", "undated"]
    assert cluster.first_published == "2026-03-14T08:00:00Z"
    _, (undated_only,) = cluster_quotes([([quote("u2", HALE)], None), ([quote("u1", HALE)], None)])
    assert undated_only.first_article == "u1" and undated_only.first_published is None


def test_same_day_first_appearance_prefers_a_known_time_then_a_non_copy() -> None:
    items: list[Item] = [
        ([quote("paper", HALE)], "2026-03-14"),
        ([quote("syndicated", HALE)], "2026-03-14"),
        ([quote("wire", HALE)], "2026-03-14T07:15:00Z"),
        ([quote("next-day", HALE)], "2026-03-15T00:05:00Z"),
    ]
    _, (cluster,) = cluster_quotes(items)
    assert [m[0] for m in cluster.members] == ["wire", "paper", "syndicated", "next-day"]
    date_only: list[Item] = [([quote("a-copy", HALE)], "2026-03-14"),
                             ([quote("b-source", HALE)], "2026-03-14")]  # fmt: skip
    _, (unknown,) = cluster_quotes(date_only)
    assert unknown.first_article == "a-copy"  # nothing to go on but the id
    _, (known,) = cluster_quotes(date_only, copies={"a-copy"})
    assert known.first_article == "b-source"
    assert known.id != unknown.id  # the id follows the first appearance


def test_normalize_published() -> None:
    assert normalize_published("2026-03-14T10:00:00+02:00") == "2026-03-14T08:00:00"
    assert normalize_published("2026-03-14T08:00:00Z") == "2026-03-14T08:00:00"
    assert normalize_published("2026-03-14") == "2026-03-14"
    assert normalize_published("  ") is None and normalize_published("soon") is None


@pytest.mark.parametrize("bad", [0, 0.0, -0.2, 1.5, float("nan"), "0.6", True, None])
def test_threshold_is_validated_with_a_usable_message(bad: object) -> None:
    with pytest.raises(ValueError, match=r"threshold must be a number in \(0, 1\].*0\.6"):
        QuoteClusterIndex(bad)  # type: ignore[arg-type]


def test_re_adding_an_article_changes_nothing() -> None:
    index = QuoteClusterIndex()
    first = index.add([quote("a", HALE), quote("a", VIDAL_EN_1, start=300)], "2026-03-01")
    again = index.add([quote("a", HALE), quote("a", VIDAL_EN_1, start=300)], "2026-03-01")
    assert first == again and len(index.clusters()) == 2 and index.take_changes() == []


def test_cluster_round_trips_through_a_dict() -> None:
    _, clusters = cluster_quotes(CORPUS)
    for cluster in clusters:
        data = json.loads(json.dumps(cluster.to_dict()))
        assert QuoteCluster.from_dict(data) == cluster


def test_corpus_clusters_as_expected() -> None:
    result = run(CORPUS)
    hale = result[("wire", 0)]
    assert result[("courier", 0)] == result[("gazette", 0)] == result[("lantern", 0)] == hale
    assert result[("farm", 0)] != hale, "four words: too short to be evidence"
    assert result[("wire", 200)] != result[("gazette", 250)], "Lind and Berg"
    assert result[("farm", 160)] == result[("wire", 200)], "an unattributed copy joins the first"
    assert result[("wire", 400)] == result[("gazette", 500)] != result[("farm", 80)]
    assert result[("courier", 300)] != result[("lantern", 120)]


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(len(CORPUS))), st.randoms(use_true_random=False))
def test_order_of_arrival_does_not_change_the_partition_or_the_ids(
    order: list[int], rng: random.Random
) -> None:
    expected = run(CORPUS)
    shuffled = [(rng.sample(CORPUS[i][0], len(CORPUS[i][0])), CORPUS[i][1]) for i in order]
    assert run(shuffled) == expected


def test_incremental_adds_end_where_the_batch_does() -> None:
    index = QuoteClusterIndex()
    returned: dict[tuple[str, int], str | None] = {}
    for quotes, published in reversed(CORPUS):
        returned.update(clusters_of(index.add(quotes, published)))
    returned.update(clusters_of(index.take_changes()))
    assert returned == run(CORPUS)
    assert [c.to_dict() for c in index.clusters()] == [c.to_dict() for c in cluster_quotes(CORPUS)[1]]


def test_candidate_search_is_not_all_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(5000)]
    items: list[Item] = []
    for n in range(600):
        words = " ".join(rng.sample(vocabulary, 12))
        # One speaker each: made-up words carry no meaning, so meaning vectors would join
        # one speaker's quotes; this test is about the wording candidates.
        items.append(([quote(f"art{n}", words, f"Speaker {n}"),
                       quote(f"art{n}", words.upper(), None, start=500)], None))
    calls = 0
    original = QuoteClusterIndex._match

    def counting(self: QuoteClusterIndex, a: int, b: int, *meaning: float) -> object:
        nonlocal calls
        calls += 1
        return original(self, a, b, *meaning)

    monkeypatch.setattr(QuoteClusterIndex, "_match", counting)
    quotes, clusters = cluster_quotes(items)
    assert len(clusters) == 600
    assert calls < 20 * len(quotes), f"{calls} comparisons for {len(quotes)} quotes"


def _demo_articles() -> dict[str, Article]:
    articles = {}
    for item in read_inputs([str(DEMO)]):
        if isinstance(item, Article):
            articles[Path(item.id).name if item.id.startswith(str(DEMO)) else item.id] = clean(item)
    return articles


def _manifest_items(speakers: bool = True) -> tuple[list[Item], list[dict[str, object]]]:
    manifest = json.loads((DEMO / "MANIFEST.json").read_text(encoding="utf-8"))
    articles = _demo_articles()
    published = {a["id"]: a["published"] for a in manifest["articles"]}
    by_article: defaultdict[str, list[Quote]] = defaultdict(list)
    for entry in manifest["quotes"]:
        for article_id in entry["articles"]:
            text = articles[article_id].text
            start = text.index(entry["text"])
            speaker = entry["speaker"] if speakers or article_id != "a05_spun_fire.txt" else None
            by_article[article_id].append(Quote(
                article=article_id, start=start, end=start + len(entry["text"]),
                text=entry["text"], kind=entry["kind"], speaker=speaker))
    return [(quotes, published[a]) for a, quotes in by_article.items()], manifest["quotes"]


@pytest.mark.parametrize("speakers", [True, False], ids=["attributed", "spun-unattributed"])
def test_demo_manifest_quotes_each_form_one_cluster(speakers: bool) -> None:
    items, entries = _manifest_items(speakers)
    quotes, clusters = cluster_quotes(items)
    cluster_of = {(q.article, q.text): q.cluster for q in quotes}
    seen: dict[str | None, str] = {}
    for entry in entries:
        ids = {cluster_of[(a, entry["text"])] for a in entry["articles"]}  # type: ignore[attr-defined]
        assert len(ids) == 1, entry["text"]
        (cid,) = ids
        assert cid not in seen, f"{entry['text']!r} merged with {seen.get(cid)!r}"
        seen[cid] = str(entry["text"])
    by_id = {c.id: c for c in clusters}
    tolland = by_id[cluster_of[("a01_wire_fire.txt",
                                "Nobody has been killed, and for that I am deeply grateful")]]
    assert tolland.first_article == "a01_wire_fire.txt" and tolland.speaker == "Helen Tolland"
    assert tolland.first_published == "2026-03-14T07:15:00Z"
    assert tolland.members[-1][0] == "a05_spun_fire.txt"


def _tangled_corpus(seed: int) -> list[Item]:
    """Many overlapping variants, clashing speakers and undated articles: a dense graph."""
    rng = random.Random(seed)
    words = ["harbour", "tanker", "spill", "council", "promise", "pumps", "quay", "wall", "ferry", "district", "people", "fog", "crew", "board", "storm", "license", "inquiry", "beach", "town", "fire"]
    statements = [" ".join(rng.choices(words, k=rng.randint(4, 11))) for _ in range(12)]
    speakers = [None, None, "Rosa Lind", "Ms Lind", "Tomas Berg", "a resident", "one official"]
    items: list[Item] = []
    for n in range(40):
        quotes = []
        for k in range(rng.randint(1, 4)):
            tokens = rng.choice(statements).split()
            style = rng.randrange(4)
            if style == 1:
                tokens = tokens[rng.randint(0, 2):]
            elif style == 2:
                tokens = [f"[{tokens[0]}]", *tokens[1:]]
            elif style == 3:
                tokens = [t.capitalize() + "," for t in tokens]
            quotes.append(quote(f"art{n:02d}", " ".join(tokens), rng.choice(speakers),
                                start=100 * k))
        published = None if n % 7 == 0 else f"2026-03-{1 + n % 5:02d}T{n % 24:02d}:00:00Z"
        items.append((quotes, published))
    return items


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_order_independence_on_a_dense_tangled_corpus(seed: int) -> None:
    items = _tangled_corpus(seed)
    expected, clusters = cluster_quotes(items)
    assert 1 < len(clusters) < len(expected), "the corpus exercises merges and splits"
    for shuffle_seed in range(5):
        rng = random.Random(shuffle_seed)
        shuffled = [(rng.sample(quotes, len(quotes)), published)
                    for quotes, published in rng.sample(items, len(items))]
        again, again_clusters = cluster_quotes(shuffled)
        assert clusters_of(again) == clusters_of(expected)
        assert again_clusters == clusters
    for cluster in clusters:
        named = {q.speaker for q in expected if q.cluster == cluster.id and q.speaker
                 and q.speaker[0].isupper()}
        assert not {"Rosa Lind", "Tomas Berg"} <= named


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_candidate_search_misses_no_pair_that_matches(seed: int) -> None:
    """The prefix filter, the candidate gate and the per-speaker meaning search only skip
    pairs ``_match`` would refuse (meaning is searched among quotes by speakers of one last
    name)."""
    index = QuoteClusterIndex()
    for quotes, published in _tangled_corpus(seed):
        index.add(quotes, published)
    units = index._units
    vectors = index._embed(range(len(units)))

    def meaning(a: int, b: int) -> float:
        same_name = speaker_key(units[a].speaker) == speaker_key(units[b].speaker)
        if a in vectors and b in vectors and same_name:
            return float(vectors[a] @ vectors[b])
        return 0.0

    found = {(e.a, e.b) for unit in units for e in unit.edges}
    brute = {
        (a, b)
        for b in range(len(units))
        for a in range(b)
        if index._match(b, a, meaning(a, b)) is not None
    }
    assert brute and found == brute
    assert any(e.rank == 3 for unit in units for e in unit.edges), "meaning edges exercised"
