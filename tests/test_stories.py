"""Story clustering: look-alike events apart, one event over days together, the time window,
batch == incremental, stable ids, knob validation, and the demo corpus's four stories.

Every article here is fictional (places, people, ships and dates are made up)."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest

from newstrace.clean import clean
from newstrace.ingest import read_inputs
from newstrace.model import Article
from newstrace.nlp import load_nlp
from newstrace.stories import (
    Story,
    StoryFeatures,
    StoryIndex,
    cluster_stories,
    story_features,
    story_id,
)

DEMO = Path(__file__).resolve().parents[1] / "src" / "newstrace" / "demo"

# Two ferry accidents (look-alikes: ferry, coastguard, injured passengers, inquiry) in two
# fictional ports on different dates, and one council budget story reported over three days.
ARTICLES: list[tuple[str, str, str, str, str]] = [
    (
        "veldra-1",
        "veldra",
        "2031-05-04T09:00:00Z",
        "Ferry Ostrava Star hits rocks off Port Veldra; 23 injured",
        "The ferry Ostrava Star struck rocks outside Port Veldra on Sunday 4 May 2031, injuring "
        "23 passengers, the Western Coastguard said. The vessel, run by Halden Line, was carrying "
        "310 passengers from Brisk Island when it hit the Maren reef in heavy rain. Coastguard "
        "officer Tomas Ekberg said all passengers were brought ashore at Port Veldra. "
        '"The crew kept everyone calm," Ekberg said. An inquiry by the Maritime Safety Office '
        "will examine why the ferry left Brisk Island in the storm.",
    ),
    (
        "veldra-2",
        "veldra",
        "2031-05-04T15:30:00Z",
        "Port Veldra ferry passengers describe moment Ostrava Star struck reef",
        "Passengers on the Ostrava Star described chaos as the ferry hit the Maren reef near Port "
        "Veldra on Sunday. Halden Line said 23 people were hurt, three of them seriously, and "
        "were taken to Veldra General Hospital. Tomas Ekberg of the Western Coastguard said the "
        "310 passengers had been evacuated within two hours. Halden Line chief Ingrid Falk said "
        "the company would cooperate with the Maritime Safety Office.",
    ),
    (
        "veldra-3",
        "veldra",
        "2031-05-06T08:00:00Z",
        "Inquiry opens into Ostrava Star grounding at Port Veldra",
        "The Maritime Safety Office opened an inquiry on Tuesday into the grounding of the "
        "Ostrava Star on the Maren reef off Port Veldra on 4 May. Halden Line chief Ingrid Falk "
        "said the ferry's captain had followed the route approved for Brisk Island crossings. "
        "Twenty-three passengers were injured. Tomas Ekberg of the Western Coastguard said the "
        "reef was clearly marked on charts.",
    ),
    (
        "kessik-1",
        "kessik",
        "2031-05-12T19:00:00Z",
        "Ferry Blue Heron slams into pier at Kessik Harbour; 11 hurt",
        "The ferry Blue Heron crashed into the north pier at Kessik Harbour on Monday 12 May "
        "2031, injuring 11 passengers, the Southern Coastguard said. The ship, operated by "
        "Corran Ferries, was arriving from Tallow Bay with 96 passengers in strong winds. "
        "Coastguard officer Nadia Okafor said the passengers were helped ashore at Kessik. "
        '"It was a frightening landing," Okafor said. The Maritime Safety Office said it would '
        "investigate the crash.",
    ),
    (
        "kessik-2",
        "kessik",
        "2031-05-13T07:45:00Z",
        "Kessik Harbour ferry crash: Corran Ferries suspends Tallow Bay route",
        "Corran Ferries suspended its Tallow Bay service on Tuesday after the Blue Heron hit the "
        "north pier at Kessik Harbour, injuring 11 passengers. Nadia Okafor of the Southern "
        "Coastguard said the 96 passengers were all safe. Corran Ferries director Paul Mbeki said "
        "the ship would stay in Kessik for repairs while the Maritime Safety Office investigates.",
    ),
    (
        "kessik-3",
        "kessik",
        "2031-05-14T12:00:00Z",
        "Blue Heron crash at Kessik pier blamed on gust, says Corran Ferries",
        "Corran Ferries said on Wednesday that a sudden gust pushed the Blue Heron into the north "
        "pier at Kessik Harbour on 12 May. Director Paul Mbeki said 11 passengers had been "
        "injured and that the ferry from Tallow Bay had slowed before the impact. Nadia Okafor "
        "of the Southern Coastguard said the harbour had issued a wind warning that evening.",
    ),
    (
        "budget-1",
        "budget",
        "2031-05-05T10:00:00Z",
        "Dunmere council approves 40 million crown budget",
        "Dunmere city council approved a budget of 40 million crowns on Monday after a long "
        "debate. Mayor Ilse Varga said the money would pay for new schools in the Lowgate "
        "district. Councillor Rafael Osei voted against the plan, saying taxes would rise.",
    ),
    (
        "budget-2",
        "budget",
        "2031-05-06T10:00:00Z",
        "Dunmere budget: mayor Varga defends school spending",
        "Mayor Ilse Varga defended the Dunmere budget on Tuesday, a day after the city council "
        "approved 40 million crowns of spending. Varga said the Lowgate schools could not wait. "
        "Rafael Osei said the council had ignored residents' concerns about taxes.",
    ),
    (
        "budget-3",
        "budget",
        "2031-05-08T10:00:00Z",
        "Lowgate parents welcome Dunmere council school budget",
        "Parents in the Lowgate district of Dunmere welcomed the council budget that will fund "
        "two new schools. The 40 million crown plan, backed by Mayor Ilse Varga, passed despite "
        "objections from councillor Rafael Osei.",
    ),
]
GOLD = {article_id: story for article_id, story, *_ in ARTICLES}


def features_of(items: list[tuple[str, str, str, str, str]]) -> list[StoryFeatures]:
    nlp = load_nlp()
    docs = nlp.pipe(item[4] for item in items)
    return [
        story_features(item[0], item[3], item[2], doc)
        for item, doc in zip(items, docs, strict=True)
    ]


@pytest.fixture(scope="module")
def corpus() -> list[StoryFeatures]:
    return features_of(ARTICLES)


def partition(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(story.articles) for story in stories}


def gold_partition(ids: set[str], gold: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for article in ids:
        groups.setdefault(gold[article], set()).add(article)
    return {frozenset(group) for group in groups.values()}


def test_lookalike_ferries_stay_apart_and_the_multiday_stories_stay_together(
    corpus: list[StoryFeatures],
) -> None:
    stories = cluster_stories(corpus)
    assert partition(stories) == gold_partition(set(GOLD), GOLD)


def test_each_article_joins_as_it_arrives(corpus: list[StoryFeatures]) -> None:
    index = StoryIndex()
    placed = {f.article: index.add(f) for f in sorted(corpus, key=lambda f: f.published or "")}
    by_story: dict[str, set[str]] = {}
    for article, sid in placed.items():
        by_story.setdefault(sid, set()).add(article)
    assert {frozenset(v) for v in by_story.values()} == gold_partition(set(GOLD), GOLD)


def test_story_records_time_order_title_entities_and_contract(
    corpus: list[StoryFeatures],
) -> None:
    stories = {story.articles[0]: story for story in cluster_stories(corpus)}
    veldra = stories["veldra-1"]
    assert veldra.articles == ["veldra-1", "veldra-2", "veldra-3"]
    assert veldra.id == story_id("veldra-1")
    assert veldra.title in {a[3] for a in ARTICLES if a[1] == "veldra"}
    assert any("Veldra" in name for name in veldra.entities)
    record = veldra.to_dict()
    assert {"story", "title", "articles"} <= set(record)
    assert record["story"] == veldra.id
    json.dumps(record)


def test_undated_articles_come_last_in_a_story(corpus: list[StoryFeatures]) -> None:
    undated = [
        f
        if f.article != "kessik-1"
        else StoryFeatures.from_dict({**f.to_dict(), "published": None})
        for f in corpus
    ]
    kessik = next(s for s in cluster_stories(undated) if "kessik-2" in s.articles)
    assert kessik.articles == ["kessik-2", "kessik-3", "kessik-1"]


def test_an_article_outside_the_window_opens_a_new_story() -> None:
    base = ARTICLES[0]
    later = ("veldra-late", "veldra", "2031-07-20T09:00:00Z", base[3], base[4])
    feats = features_of([base, ARTICLES[1], later])
    short = cluster_stories(feats, window_days=7)
    assert partition(short) == {frozenset({"veldra-1", "veldra-2"}), frozenset({"veldra-late"})}
    index = StoryIndex(window_days=7)
    first = index.add(feats[0])
    assert index.add(feats[1]) == first
    assert index.add(feats[2]) != first
    long = cluster_stories(feats, window_days=120)
    assert partition(long) == {frozenset({"veldra-1", "veldra-2", "veldra-late"})}


def test_batch_equals_incremental_and_ignores_input_order(corpus: list[StoryFeatures]) -> None:
    batch = cluster_stories(corpus)
    batch_dicts = [s.to_dict() for s in batch]
    for seed in range(3):
        shuffled = corpus[:]
        random.Random(seed).shuffle(shuffled)
        assert [s.to_dict() for s in cluster_stories(shuffled)] == batch_dicts
        index = StoryIndex()
        for item in shuffled:
            index.add(item)
        index.consolidate()
        assert partition(index.stories()) == partition(batch)
    index = StoryIndex()
    for item in sorted(corpus, key=lambda f: f.published or ""):
        index.add(item)
    index.consolidate()
    assert [s.to_dict() for s in index.stories()] == batch_dicts


def test_story_ids_stay_stable_as_stories_grow_and_merge(corpus: list[StoryFeatures]) -> None:
    veldra = [f for f in corpus if f.article.startswith("veldra")]
    index = StoryIndex()
    sid = index.add(veldra[0])
    assert sid == story_id("veldra-1")
    assert index.add(veldra[1]) == sid
    index.consolidate()
    assert index.story_of("veldra-2") == sid
    assert index.add(veldra[2]) == sid
    index.consolidate()
    assert [s.id for s in index.stories()] == [sid]
    # Two stories forced apart online (a strict threshold) and then merged: the older id wins.
    strict = StoryIndex(threshold=0.95, merge_threshold=0.05)
    ids = [strict.add(f) for f in veldra]
    assert len(set(ids)) == 3
    strict.consolidate()
    assert [s.id for s in strict.stories()] == [story_id("veldra-1")]
    assert strict.add(veldra[0]) == story_id("veldra-1")  # re-adding is a no-op


@pytest.mark.parametrize("value", [0, 1, 1.5, -0.2, math.nan, True, "0.3", None])
def test_threshold_is_validated(value: object) -> None:
    with pytest.raises(ValueError, match="threshold must be a number between 0 and 1"):
        StoryIndex(threshold=value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0, -3, math.inf, math.nan, "7", False])
def test_window_is_validated(value: object) -> None:
    with pytest.raises(ValueError, match="window_days must be a positive number of days"):
        StoryIndex(window_days=value)  # type: ignore[arg-type]


def test_other_knobs_are_validated() -> None:
    with pytest.raises(ValueError, match="merge_threshold"):
        StoryIndex(merge_threshold=2.0)
    with pytest.raises(ValueError, match="unknown weight 'title'"):
        StoryIndex(weights={"title": 1.0})
    with pytest.raises(ValueError, match=r"weights\['names'\] must be a number >= 0"):
        StoryIndex(weights={"names": -1.0})
    with pytest.raises(ValueError, match="sum to 0"):
        StoryIndex(weights={"terms": 0, "names": 0, "dates": 0, "numbers": 0})
    with pytest.raises(ValueError, match="split_threshold"):
        StoryIndex(split_threshold=-0.1)


def test_features_round_trip_and_carry_dates_numbers_and_names(
    corpus: list[StoryFeatures],
) -> None:
    first = corpus[0]
    assert StoryFeatures.from_dict(json.loads(json.dumps(first.to_dict()))) == first
    assert "year:2031" in first.entities
    assert "md:05-04" in first.entities
    assert "num:23" in first.entities
    assert any(key.startswith("place:") and "veldra" in key for key in first.entities)
    assert first.with_vector((1.0, 0.0)).vector == (1.0, 0.0)


def test_a_semantic_fingerprint_is_used_when_given(corpus: list[StoryFeatures]) -> None:
    # A fingerprint that agrees with the stories changes nothing; stories still come out.
    axis = {"veldra": (1.0, 0.0, 0.0), "kessik": (0.0, 1.0, 0.0), "budget": (0.0, 0.0, 1.0)}
    with_vectors = [f.with_vector(axis[GOLD[f.article]]) for f in corpus]
    assert partition(cluster_stories(with_vectors)) == gold_partition(set(GOLD), GOLD)


def test_empty_input_gives_no_stories() -> None:
    assert cluster_stories([]) == []
    index = StoryIndex()
    index.consolidate()
    assert index.stories() == []


def test_demo_corpus_clusters_into_its_four_stories() -> None:
    manifest = json.loads((DEMO / "MANIFEST.json").read_text(encoding="utf-8"))
    gold = {item["id"]: item["story"] for item in manifest["articles"]}
    articles = [clean(a) for a in read_inputs([str(DEMO)]) if isinstance(a, Article)]
    articles = [a for a in articles if a.id in gold or Path(a.id).name in gold]
    nlp = load_nlp()
    feats = [
        story_features(
            Path(a.id).name if Path(a.id).name in gold else a.id, a.title, a.published, doc
        )
        for a, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True)
    ]
    assert {f.article for f in feats} == set(gold)
    stories = cluster_stories(feats)
    assert partition(stories) == gold_partition(set(gold), gold)
    ferry = next(s for s in stories if "c01_wire_ferry_north.txt" in s.articles)
    assert ferry.articles == ["c01_wire_ferry_north.txt", "nbn-48790"]
    bank = next(s for s in stories if "b01_wire_bank.txt" in s.articles)
    assert bank.articles[-1] == "np24-88213"  # the undated copy comes last


def test_story_articles_in_time_order_with_a_known_time_before_a_bare_date() -> None:
    def report(article: str, published: str | None) -> StoryFeatures:
        return StoryFeatures(
            article=article,
            published=published,
            title="Ferry aground off Skarholm",
            terms={"ferry": 3.0, "aground": 2.0, "skarholm": 2.0, "shoal": 1.0, "fog": 1.0},
            entities={"place:skarholm": 2.0, "org:grey petrel": 1.0, "person:ines varga": 1.0},
        )

    (story,) = cluster_stories(
        [
            report("syndicated", "2026-03-10"),
            report("evening", "2026-03-10T18:20:00Z"),
            report("undated", None),
            report("next-day", "2026-03-11T07:30:00Z"),
            report("morning", "2026-03-10T06:05:00+00:00"),
        ]
    )
    assert story.articles == ["morning", "evening", "syndicated", "next-day", "undated"]


def test_cross_similarity_is_the_mean_of_the_detail_matrix_cross_block(
    corpus: list[StoryFeatures],
) -> None:
    from newstrace.stories.similarity import (
        DetailKeys,
        _Prepared,
        cross_similarity,
        local_similarity,
    )

    index = StoryIndex()
    for item in corpus:
        index.add(item)
    members = [index._member(_Prepared(item)) for item in corpus]
    details = DetailKeys(members)
    weights = index.weights
    for n in (1, 3, 4, len(members) - 1):
        sim = local_similarity(members, weights, details)
        expected = float(sim[:n, n:].mean())
        got = cross_similarity(members[:n], members[n:], weights, details)
        assert expected > 0
        assert got == pytest.approx(expected, rel=1e-12, abs=1e-15)
    assert 0 < cross_similarity(members[:3], members[3:6], weights) < 1
