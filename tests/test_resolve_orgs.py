"""Organisation names across articles: distinctive words against generic ones in several
languages, words cut short, one distinctive word alone, look-alike firms. Fictional names."""

from __future__ import annotations

import pytest

from newstrace.resolve import resolve_entities
from newstrace.resolve.names import parse_mention
from resolve_helpers import article, entity_of


def _pair(left: str, right: str, left_label: str = "ORG", right_label: str = "ORG") -> bool:
    """Whether two names in two articles about one story (two people named in both) join."""
    people = {"Ilse Varnholt": "PERSON", "Tomas Quill": "PERSON"}
    entities = resolve_entities(
        [
            article(
                "o1",
                f"Ilse Varnholt said {left} would appeal. Tomas Quill declined to comment.",
                {left: left_label, **people},
            ),
            article(
                "o2",
                f"Tomas Quill met Ilse Varnholt after {right} lost the case.",
                {right: right_label, **people},
            ),
        ]
    )
    return entity_of(entities, left, "o1") is entity_of(entities, right, "o2")


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("Tesvik Denizcilik", "Tesvik Shipping", True),  # Turkish
        ("Minera El Cardal", "El Cardal Mining", True),  # Spanish, generic word first
        ("Société Minière du Korvel", "Korvel Mining Company", True),  # French
        ("Stichting Erfgoed Hallum", "Hallum Heritage Foundation", True),  # Dutch
        ("Tesvik Denizcilik", "Tesvik Insurance", False),  # another trade
    ],
)
def test_generic_words_in_another_language(left: str, right: str, same: bool) -> None:
    assert _pair(left, right) == same


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("Tsinglan Photonics", "Qinglan Photonics", True),  # Wade-Giles / pinyin
        ("Dorvel Photonics", "Torvel Photonics", False),  # no romanised syllables
    ],
)
def test_a_romanised_chinese_word_of_a_firm_in_another_romanisation(
    left: str, right: str, same: bool
) -> None:
    assert _pair(left, right) == same


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("Velora Lithography", "Velora Litho", True),
        ("Quanhe Semiconductor", "Quanhe Semi", True),
        ("Quanhe Securities", "Quanhe Semi", False),  # not a cut of 'Securities'
        ("Quanhe Semiconductor", "Quanhe Sem", False),  # too short a cut to tell
    ],
)
def test_a_word_cut_short(left: str, right: str, same: bool) -> None:
    assert _pair(left, right) == same


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("Ostrel Resources", "Ostrel", True),
        ("Harnvik Marine Transport", "Harnvik", True),
        ("Tarvesk Aluminium Plant", "Tarvesk Aluminium", True),  # fewer generic words
    ],
)
def test_the_distinctive_words_alone(left: str, right: str, same: bool) -> None:
    assert _pair(left, right) == same


def test_a_distinctive_word_that_names_a_place_of_the_article_is_not_the_firm() -> None:
    names = {"Ilse Varnholt": "PERSON", "Tomas Quill": "PERSON", "Ostrel": "ORG"}
    entities = resolve_entities(
        [
            article(
                "o1",
                "Ilse Varnholt said Ostrel Resources would appeal. Tomas Quill declined.",
                {"Ostrel Resources": "ORG", "Ilse Varnholt": "PERSON", "Tomas Quill": "PERSON"},
            ),
            article(
                "o2",
                "Tomas Quill met Ilse Varnholt in the town of Ostrel. Ostrel said it would vote.",
                names,
            ),
        ]
    )
    assert entity_of(entities, "Ostrel Resources") is not entity_of(entities, "Ostrel")


def test_firms_sharing_their_first_word_in_other_trades_stay_apart() -> None:
    people = {"Ilse Varnholt": "PERSON", "Tomas Quill": "PERSON"}
    entities = resolve_entities(
        [
            article(
                "o1",
                "Dravik Logistics Group sacked Ilse Varnholt. Dravik's trucks stopped. Tomas Quill.",
                {"Dravik Logistics Group": "ORG", "Dravik": "ORG", **people},
            ),
            article(
                "o2",
                "Dravik Capital, a fund, hired Ilse Varnholt. Tomas Quill approved.",
                {"Dravik Capital": "ORG", **people},
            ),
        ]
    )
    assert entity_of(entities, "Dravik Logistics Group") is not entity_of(
        entities, "Dravik Capital"
    )


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The operator, Westfeld Güterbahn AG, said no gas leaked.", "Westfeld Güterbahn AG"),
        (
            "The smelter belongs to the Tarvesk Aluminium Plant, controlled by businessman Oleg Minsky.",
            "Tarvesk Aluminium Plant",
        ),
        ("The owner, Harnvik Maritime, said the ship was safe.", "Harnvik Maritime"),
    ],
)
def test_a_name_ending_in_an_organisation_word_is_no_person_for_its_apposition(
    text: str, name: str
) -> None:
    start = text.index(name)
    parsed = parse_mention(text, start, start + len(name), "ORG")
    assert parsed is not None and parsed.kind == "organisation"


def test_a_distinctive_name_of_two_words_needs_one_person_named_in_both() -> None:
    people = {"Ilse Varnholt": "PERSON", "Arvo Lindqvist": "PERSON"}
    entities = resolve_entities(
        [
            article(
                "o1",
                "Minera El Cardal hired Ilse Varnholt in Soreth.",
                {"Minera El Cardal": "ORG", "Soreth": "GPE", **people},
            ),
            article(
                "o2",
                "Ilse Varnholt said El Cardal would appeal. Arvo Lindqvist agreed.",
                {"El Cardal": "ORG", **people},
            ),
        ]
    )
    assert entity_of(entities, "Minera El Cardal") is entity_of(entities, "El Cardal")


@pytest.mark.parametrize(
    ("left", "right"), [("Tennessee", "Tenn."), ("California", "Calif."), ("Wisconsin", "Wis.")]
)
def test_a_us_state_and_its_newspaper_abbreviation_join(left: str, right: str) -> None:
    entities = resolve_entities(
        [
            article("x1", f"The plant in Orrin Falls, {left}, closed.", {left: "GPE"}),
            article("x2", f"The plant in Orrin Falls, {right} closed.", {right: "GPE"}),
        ]
    )
    assert entity_of(entities, left) is entity_of(entities, right)


def test_a_greek_chi_written_ch_or_h_in_a_short_place_name() -> None:
    people = {"Stavros Merakis": "PERSON"}
    entities = resolve_entities(
        [
            article("g1", "Stavros Merakis sailed from Chivo.", {"Chivo": "GPE", **people}),
            article("g2", "The ferry to Hivo, Stavros Merakis said.", {"Hivo": "GPE", **people}),
            article("g3", "Rivo voted, Stavros Merakis said.", {"Rivo": "GPE", **people}),
        ]
    )
    assert entity_of(entities, "Chivo") is entity_of(entities, "Hivo")
    assert entity_of(entities, "Rivo") is not entity_of(entities, "Hivo")


def test_a_name_without_its_company_word_needs_what_the_same_words_need() -> None:
    entities = resolve_entities(
        [
            article(
                "o1",
                "Tarvel Desalination Company hired Ilse Varnholt.",
                {"Tarvel Desalination Company": "ORG", "Ilse Varnholt": "PERSON"},
            ),
            article(
                "o2",
                "Ms Varnholt said Tarvel Desalination would appeal.",
                {"Tarvel Desalination": "ORG", "Ms Varnholt": "PERSON"},
            ),
        ]
    )
    company = entity_of(entities, "Tarvel Desalination Company")
    assert company is entity_of(entities, "Tarvel Desalination")
