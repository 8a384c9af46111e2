"""Bare short names among several firms, blocks for place and name spellings that share no
key, and people's names across languages (session 13). Fictional names only."""

from __future__ import annotations

from newstrace.resolve import resolve_entities
from resolve_helpers import article, entity_of

PEOPLE = {"Ilse Varga": "PERSON", "Oskar Linde": "PERSON"}


def test_a_short_name_other_articles_use_for_one_firm_does_not_join_another() -> None:
    entities = resolve_entities(
        [
            article(
                "f1",
                "Tarnfield Logistics Group cut forty jobs, Ilse Varga said. Tarnfield's "
                "depots will close, Oskar Linde added.",
                {**PEOPLE, "Tarnfield Logistics Group": "ORG", "Tarnfield's": "ORG"},
            ),
            article(
                "f2",
                "Tarnfield Logistics lost a contract. Tarnfield's board said Ilse Varga and "
                "Oskar Linde would meet the union.",
                {**PEOPLE, "Tarnfield Logistics": "ORG", "Tarnfield's": "ORG"},
            ),
            article(
                "f3",
                "Tarnfield closed a depot, Ilse Varga and Oskar Linde said.",
                {**PEOPLE, "Tarnfield": "ORG"},
            ),
            article(
                "f4",
                "Tarnfield Capital, a fund, bought shares, Ilse Varga and Oskar Linde said.",
                {**PEOPLE, "Tarnfield Capital": "ORG"},
            ),
        ]
    )
    capital = entity_of(entities, "Tarnfield Capital")
    assert entity_of(entities, "Tarnfield", "f3") is not capital
    assert entity_of(entities, "Tarnfield Logistics") is not capital


def _one(entities: list, *aliases: str) -> bool:
    return len({entity_of(entities, alias).id for alias in aliases}) == 1


def test_an_island_is_one_place_whatever_language_says_island() -> None:
    names = {"Mirae Island": "GPE", "Miraedo": "GPE", "Mirae-do": "GPE", "Hwang Min-jae": "PERSON"}
    entities = resolve_entities(
        [
            article("i1", "Ferries to Mirae Island stopped, Hwang Min-jae said.", names),
            article("i2", "Ferries to Miraedo stopped, said Hwang Min-jae.", names),
            article("i3", "Hwang Min-jae runs the Mirae-do ferry.", names),
        ]
    )
    assert _one(entities, "Mirae Island", "Miraedo", "Mirae-do")


def test_a_place_written_in_two_words_or_one_with_b_for_v() -> None:
    names = {"Ramat Vedar": "GPE", "Ramatbedar": "GPE", "Orli Kadmon": "PERSON"}
    entities = resolve_entities(
        [
            article("g1", "Rain flooded Ramat Vedar, Orli Kadmon said.", names),
            article("g2", "In Ramatbedar, Orli Kadmon said the rain had stopped.", names),
        ]
    )
    assert _one(entities, "Ramat Vedar", "Ramatbedar")


def test_korean_family_names_with_a_silent_closing_h() -> None:
    names = {"Seo Ji-won": "PERSON", "Suh Ji-won": "PERSON", "Gangbuk Fisheries": "ORG"}
    entities = resolve_entities(
        [
            article("k1", "Seo Ji-won of Gangbuk Fisheries said the catch fell.", names),
            article("k2", "Suh Ji-won of Gangbuk Fisheries said the catch fell.", names),
        ]
    )
    assert _one(entities, "Seo Ji-won", "Suh Ji-won")


def test_a_tsadi_written_tz_ts_or_z() -> None:
    names = {
        "Eliad Ben-Tzofar": "PERSON",
        "Ben-Zofar": "PERSON",
        "Eliad Ben Tsofar": "PERSON",
        "Noa Kadmiel": "PERSON",
        "Harod Valley": "LOC",
    }
    entities = resolve_entities(
        [
            article("z1", "Eliad Ben-Tzofar and Noa Kadmiel toured the Harod Valley.", names),
            article("z2", "Ben-Zofar met Noa Kadmiel in the Harod Valley.", names),
            article("z3", "Eliad Ben Tsofar and Noa Kadmiel spoke in the Harod Valley.", names),
        ]
    )
    assert _one(entities, "Eliad Ben-Tzofar", "Ben-Zofar", "Eliad Ben Tsofar")


def test_an_honorific_before_the_given_name_may_be_left_out() -> None:
    honoured = {"Syed Farhan Ali Sukhari": "PERSON", "Mardan": "GPE"}
    plain = {"Farhan Ali Sukhari": "PERSON", "Mardan": "GPE"}
    entities = resolve_entities(
        [
            article("h1", "Syed Farhan Ali Sukhari visited Mardan on Monday.", honoured),
            article("h2", "In Mardan, Farhan Ali Sukhari promised relief.", plain),
        ]
    )
    assert _one(entities, "Syed Farhan Ali Sukhari", "Farhan Ali Sukhari")


def test_a_surname_whose_vowels_waver_with_the_same_given_name() -> None:
    names = {"Farhan Sukhari": "PERSON", "Farhan Sokhari": "PERSON", "Mardan": "GPE"}
    entities = resolve_entities(
        [
            article("v1", "Farhan Sukhari visited Mardan on Monday.", names),
            article("v2", "In Mardan, Farhan Sokhari promised relief.", names),
        ]
    )
    assert _one(entities, "Farhan Sukhari", "Farhan Sokhari")


def test_a_tsadi_opening_a_name_before_a_consonant() -> None:
    names = {"Tzvika Orenstal": "PERSON", "Zvika Orenstal": "PERSON", "Harod Valley": "LOC"}
    entities = resolve_entities(
        [
            article("y1", "Tzvika Orenstal toured the Harod Valley.", names),
            article("y2", "In the Harod Valley, Zvika Orenstal said the wells were dry.", names),
        ]
    )
    assert _one(entities, "Tzvika Orenstal", "Zvika Orenstal")


def test_a_hyphened_bare_surname_of_a_double_surname_written_apart() -> None:
    names = {
        "Marjorie Ashcombe-Tully": "PERSON",
        "Marjorie Ashcombe Tully": "PERSON",
        "Ashcombe-Tully": "PERSON",
        "Oskar Linde": "PERSON",
    }
    entities = resolve_entities(
        [
            article("h1", "Transport Secretary Marjorie Ashcombe-Tully met Oskar Linde.", names),
            article(
                "h2",
                "Marjorie Ashcombe Tully, the transport secretary, spoke. Oskar Linde said "
                "Ashcombe-Tully had his support.",
                names,
            ),
        ]
    )
    assert entity_of(entities, "Ashcombe-Tully", "h2") is entity_of(
        entities, "Marjorie Ashcombe Tully"
    )


def test_a_two_word_surname_alone_after_the_full_name() -> None:
    names = {"Tariq Abu Karim": "PERSON", "Abu Karim": "PERSON", "Oskar Linde": "PERSON"}
    text = "Mayor Tariq Abu Karim met farmers. Oskar Linde said that Abu Karim agreed."
    entities = resolve_entities([article("k1", text, names)])
    assert sorted(e.name for e in entities) == ["Oskar Linde", "Tariq Abu Karim"]
