"""Titles inside names, fathers' names after 'bin', kin and look-alike places: the rules of
session 12 that keep relatives and neighbours apart while joining one person's forms.
Fictional names only."""

from __future__ import annotations

import pytest

from newstrace.resolve import resolve_entities
from newstrace.resolve.keys import fold, given_names_close, hypocoristic, translit_key
from newstrace.resolve.names import parse_mention
from newstrace.resolve.parts import family_first
from newstrace.resolve.sound import loosely_equal
from resolve_helpers import article, entity_of


def test_noble_ranks_are_titles_before_and_inside_a_name() -> None:
    for name, tokens in (
        ("Ottokar Graf von Brelitz", ("Ottokar", "von", "Brelitz")),
        ("Count Ottokar von Brelitz", ("Ottokar", "von", "Brelitz")),
        ("Graf von Brelitz", ("von", "Brelitz")),
    ):
        parsed = parse_mention(f"{name} said", 0, len(name), "PERSON")
        assert parsed is not None and parsed.tokens == tokens
        assert parsed.gender == "m" and parsed.is_full == (len(tokens) == 3)


def test_two_counts_of_one_family_stay_two() -> None:
    names = {
        "Count Ottokar von Brelitz": "PERSON",
        "Count Anselm von Brelitz": "PERSON",
        "Ottokar Graf von Brelitz": "PERSON",
    }
    entities = resolve_entities(
        [
            article(
                "n1",
                "Count Ottokar von Brelitz sold the clock his father, Count Anselm von Brelitz, "
                "had bought.",
                names,
            ),
            article(
                "n2", "Ottokar Graf von Brelitz sold the clock, the Velmor Museum said.", names
            ),
        ]
    )
    ottokar = entity_of(entities, "Count Ottokar von Brelitz")
    assert entity_of(entities, "Count Anselm von Brelitz") is not ottokar


def test_a_title_word_before_bin_is_the_given_name_and_the_fathers_name_no_surname() -> None:
    parsed = parse_mention("Sultan bin Rashed said", 0, 17, "PERSON")
    assert parsed is not None and parsed.given == "Sultan" and parsed.patronymic
    names = {
        "Sultan bin Rashed": "PERSON",
        "Sheikh Rashed": "PERSON",
        "Sheikh Rashed bin Faisal al-Mazroui": "PERSON",
    }
    entities = resolve_entities(
        [
            article(
                "b1",
                "Sultan bin Rashed opened the Corvale berth. Sheikh Rashed has ruled the port "
                "since 1990.",
                names,
            ),
            article("b2", "Sheikh Rashed bin Faisal al-Mazroui visited the berth.", names),
        ]
    )
    # 'Sheikh Rashed' is the father, whose son is named 'bin Rashed'
    assert entity_of(entities, "Sheikh Rashed") is not entity_of(entities, "Sultan bin Rashed")


def test_a_see_after_of_is_no_surname() -> None:
    parsed = parse_mention("Metropolitan Ilarion of Vathykampos", 0, 35, "PERSON")
    assert parsed is not None and parsed.tokens == ("Ilarion",)
    assert parsed.titles == ["Metropolitan"]
    names = {"Metropolitan Ilarion of Vathykampos": "PERSON", "Vathykampos": "GPE"}
    entities = resolve_entities(
        [
            article(
                "s1",
                "Metropolitan Ilarion of Vathykampos blessed the ship before it sailed to "
                "Vathykampos.",
                names,
            )
        ]
    )
    ilarion = entity_of(entities, "Metropolitan Ilarion of Vathykampos")
    assert entity_of(entities, "Vathykampos") is not ilarion


def test_the_kin_of_a_role_is_not_its_holder() -> None:
    names = {
        "Darius Velmani": "PERSON",
        "Governor Velmani": "PERSON",
        "Kourosh Velmani": "PERSON",
    }
    entities = resolve_entities(
        [
            article(
                "k1",
                "Governor Kourosh Velmani ordered an inquiry into the Tabar mine. The mine's "
                "owner, Tabar Mining, said it would help.",
                {**names, "Tabar Mining": "ORG"},
            ),
            article(
                "k2",
                "The governor's nephew, Darius Velmani, signed the report for Tabar Mining. "
                "Governor Velmani said the inquiry would go on.",
                {**names, "Tabar Mining": "ORG"},
            ),
        ]
    )
    assert entity_of(entities, "Governor Velmani") is not entity_of(entities, "Darius Velmani")


def test_look_alike_villages_sharing_a_word_stay_apart() -> None:
    names = {"Staraja Luka": "GPE", "Staraja Lozka": "GPE", "Staraya Luka": "GPE"}
    names |= {"Maksim Lutsevich": "PERSON", "Dorn Dairy": "ORG"}
    entities = resolve_entities(
        [
            article("v1", "Maksim Lutsevich of Dorn Dairy said Staraja Luka had milk.", names),
            article("v2", "Maksim Lutsevich of Dorn Dairy said Staraya Luka had milk.", names),
            article("v3", "Maksim Lutsevich of Dorn Dairy said Staraja Lozka had milk.", names),
        ]
    )
    luka = entity_of(entities, "Staraja Luka")
    assert entity_of(entities, "Staraya Luka") is luka
    assert entity_of(entities, "Staraja Lozka") is not luka


def test_organisation_plurals_and_abbreviations() -> None:
    names = {
        "Tarnholm Ferries": "ORG",
        "Tarnholm Ferry Co.": "ORG",
        "Vesk Fishermen's Cooperative": "ORG",
        "Vesk co-op": "ORG",
        "Oskar Lindvall": "PERSON",
    }
    entities = resolve_entities(
        [
            article(
                "o1",
                "Oskar Lindvall of Tarnholm Ferries met the Vesk Fishermen's Cooperative.",
                names,
            ),
            article("o2", "Oskar Lindvall of Tarnholm Ferry Co. met the Vesk co-op.", names),
        ]
    )
    assert entity_of(entities, "Tarnholm Ferry Co.") is entity_of(entities, "Tarnholm Ferries")
    assert entity_of(entities, "Vesk co-op") is entity_of(entities, "Vesk Fishermen's Cooperative")


def test_two_presidents_with_other_middle_initials_in_one_article_stay_two() -> None:
    names = {"Harlan Q. Dobbs": "PERSON", "Harlan T.Q. Dobbs": "PERSON", "Harlan Dobbs": "PERSON"}
    entities = resolve_entities(
        [
            article(
                "m1",
                "Harlan T.Q. Dobbs, the former governor, praised his son Harlan Q. Dobbs. "
                "Harlan Q. Dobbs thanked him.",
                names,
            ),
            article("m2", "Harlan Dobbs spoke in Verrin. Harlan Q. Dobbs spoke later.", names),
        ]
    )
    assert entity_of(entities, "Harlan T.Q. Dobbs") is not entity_of(entities, "Harlan Q. Dobbs")
    assert entity_of(entities, "Harlan Dobbs") is entity_of(entities, "Harlan Q. Dobbs")


def test_initials_written_together_and_a_japanese_wife() -> None:
    parsed = parse_mention("D.K. Varadharajan said", 0, 17, "PERSON")
    assert parsed is not None and parsed.initialled
    names = {"Emiko Tsuruoka": "PERSON", "Mr Tsuruoka": "PERSON"}
    entities = resolve_entities(
        [article("j1", "Emiko Tsuruoka sold the boat. Mr Tsuruoka said nothing.", names)]
    )
    assert entity_of(entities, "Mr Tsuruoka") is not entity_of(entities, "Emiko Tsuruoka")


def test_a_bare_given_name_is_the_person_of_its_article_who_bears_it() -> None:
    names = {"Orlan Pettibone": "PERSON", "Orlan": "PERSON", "Walt Orlann": "PERSON"}
    first, text, mentions = article(
        "g1",
        "Orlan Pettibone spoke in Carvey for the Dune Party. Orlan said he would run.",
        {**names, "Dune Party": "ORG", "Carvey": "GPE"},
    )
    mentions = [m for m in mentions if not (m.text == "Orlan" and m.start == 0)]
    entities = resolve_entities(
        [
            (first, text, mentions),
            article(
                "g2",
                "Walt Orlann spoke in Carvey for the Dune Party.",
                {**names, "Dune Party": "ORG", "Carvey": "GPE"},
            ),
        ]
    )
    assert entity_of(entities, "Orlan") is entity_of(entities, "Orlan Pettibone")


def test_a_short_given_name_and_a_surname_spelt_otherwise_are_two_people() -> None:
    names = {"Mike Hoffler": "PERSON", "Michael Hofler": "PERSON"}
    shared = {"Brenna Dutt": "PERSON", "Corvale": "GPE", "Dune Party": "ORG"}
    entities = resolve_entities(
        [
            article(
                "h1",
                "Mike Hoffler and Brenna Dutt of the Dune Party spoke in Corvale.",
                names | shared,
            ),
            article(
                "h2",
                "Michael Hofler, an analyst, and Brenna Dutt of the Dune Party spoke in Corvale.",
                names | shared,
            ),
        ]
    )
    assert entity_of(entities, "Mike Hoffler") is not entity_of(entities, "Michael Hofler")


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("Vyacheslav", "Viachaslau", True),  # Russian / Belarusian romanisation
        ("Ovanes", "Hovhannes", True),  # an initial h dropped
        ("Kudryashov", "Kudriashoff", True),
        ("Petrenko", "Petranka", True),  # Belarusian akanye
        ("Tony", "Diane", False),  # d and t do not open one name
        ("Biundo", "Bennet", False),  # one skeleton, nothing else alike
    ],
)
def test_loose_keys_join_romanisations_not_other_names(left: str, right: str, same: bool) -> None:
    assert loosely_equal(fold(left), fold(right)) is same


def test_an_initial_shr_is_sr() -> None:
    assert translit_key("Shrikanthan") == translit_key("Srikanthan")
    assert translit_key("Shrek") != translit_key("Serek")


def test_romanisations_the_transliteration_key_misses_join_with_a_story() -> None:
    names = {
        "Vyacheslav Hrabovsky": "PERSON",
        "Viachaslau Hrabouski": "PERSON",
        "Oleg Petrenko": "PERSON",
        "Oleg Petranka": "PERSON",
        "Dorn Dairy": "ORG",
        "Lida": "GPE",
    }
    entities = resolve_entities(
        [
            article(
                "r1",
                "Vyacheslav Hrabovsky and Oleg Petrenko of Dorn Dairy spoke in Lida.",
                names,
            ),
            article(
                "r2",
                "Viachaslau Hrabouski and Oleg Petranka of Dorn Dairy spoke in Lida.",
                names,
            ),
        ]
    )
    assert entity_of(entities, "Oleg Petranka") is entity_of(entities, "Oleg Petrenko")
    assert given_names_close("Vyacheslav", "Viachaslau")
    assert not given_names_close("Gary", "Cory")  # two names of the table


def test_family_name_first_bare_surnames_and_titled_given_names() -> None:
    assert family_first(("Szelestei", "Gábor"))
    names = {
        "Kōmura Kazuhiro": "PERSON",
        "Kōmura": "PERSON",
        "Dr Tewodros Haileyesus": "PERSON",
        "Dr Tewodros": "PERSON",
    }
    first, text, mentions = article(
        "f1",
        "The skipper, Kōmura Kazuhiro, was unhurt. Kōmura said the ferry turned. "
        "Dr Tewodros Haileyesus runs the port. Dr Tewodros said it would reopen.",
        names,
    )
    inside = {text.index("Kōmura"), text.index("Dr Tewodros")}  # the full names' own words
    mentions = [m for m in mentions if m.start not in inside or " " in m.text.split("Dr ")[-1]]
    entities = resolve_entities([(first, text, mentions)])
    assert entity_of(entities, "Kōmura") is entity_of(entities, "Kōmura Kazuhiro")
    assert entity_of(entities, "Dr Tewodros") is entity_of(entities, "Dr Tewodros Haileyesus")


def test_places_romanised_otherwise_join_look_alikes_do_not() -> None:
    names = {"Hrusk": "GPE", "Grusk": "GPE", "Kyzyltau": "GPE", "Qizildau": "GPE"}
    names |= {
        "Zolotopil": "GPE",
        "Zolotopolye": "GPE",
        "Anatol Bresh": "PERSON",
        "Dorn Dairy": "ORG",
    }
    entities = resolve_entities(
        [
            article("p1", "Anatol Bresh of Dorn Dairy toured Hrusk, Kyzyltau, Zolotopil.", names),
            article("p2", "Anatol Bresh of Dorn Dairy toured Grusk and Qizildau.", names),
            article("p3", "Anatol Bresh of Dorn Dairy toured Zolotopolye.", names),
        ]
    )
    assert entity_of(entities, "Grusk") is entity_of(entities, "Hrusk")
    assert entity_of(entities, "Qizildau") is entity_of(entities, "Kyzyltau")
    assert entity_of(entities, "Zolotopolye") is not entity_of(entities, "Zolotopil")


def test_korean_eo_written_u_and_hwang_whang() -> None:
    names = {"Hwang Min-seok": "PERSON", "Whang Min-suk": "PERSON", "Dorn Ferries": "ORG"}
    names |= {"Captain Whang Min-suk": "PERSON"}
    entities = resolve_entities(
        [
            article("k1", "Hwang Min-seok of Dorn Ferries was questioned.", names),
            article("k2", "Whang Min-suk of Dorn Ferries was questioned.", names),
        ]
    )
    assert entity_of(entities, "Whang Min-suk") is entity_of(entities, "Hwang Min-seok")


def test_particles_glued_or_apart_and_a_two_word_given_name() -> None:
    names = {
        "Anne-Marie van der Brug": "PERSON",
        "Anne Marie van der Brug": "PERSON",
        "Mr van der Brug": "PERSON",
        "Tijs Vanderbrug": "PERSON",
        "Noordmeer Trust": "ORG",
    }
    entities = resolve_entities(
        [
            article(
                "v1", "Anne-Marie van der Brug of the Noordmeer Trust bought the panel.", names
            ),
            article(
                "v2",
                "Mr van der Brug of the Noordmeer Trust spoke; the historian Tijs Vanderbrug "
                "doubted it.",
                names,
            ),
            article("v3", "Anne Marie van der Brug of the Noordmeer Trust spoke.", names),
        ]
    )
    anne = entity_of(entities, "Anne-Marie van der Brug")
    assert entity_of(entities, "Anne Marie van der Brug") is anne
    assert entity_of(entities, "Mr van der Brug") is not entity_of(entities, "Tijs Vanderbrug")


def test_malaysian_indian_son_of_and_double_letters_in_short_forms() -> None:
    parsed = parse_mention("Sivaneswaran a/l Kandasamy said", 0, 26, "PERSON")
    assert parsed is not None and parsed.tokens == ("Sivaneswaran", "a/l", "Kandasamy")
    assert parsed.given == "Sivaneswaran" and parsed.patronymic
    assert parsed.call_key  # 'Mr Sivaneswaran', 'S. Sivaneswaran': called by the given name
    assert hypocoristic("Motti", "Mordechai") and hypocoristic("Moti", "Mordechai")


def test_persian_compound_surnames_and_ethiopian_names() -> None:
    parsed = parse_mention("Ayatollah Rahimi Nejad said", 0, 23, "PERSON")
    assert parsed is not None and parsed.tokens == ("Rahimi Nejad",) and not parsed.is_full
    ethiopian = parse_mention("Tigist Alemu said", 0, 12, "PERSON")
    assert ethiopian is not None and ethiopian.given == "Tigist" and ethiopian.call_key
    names = {"Tigist Alemu": "PERSON", "Ms Tigist": "PERSON", "Abera Power Board": "ORG"}
    entities = resolve_entities(
        [
            article("e1", "Tigist Alemu of the Abera Power Board opened the dam.", names),
            article("e2", "Ms Tigist of the Abera Power Board said it would run.", names),
        ]
    )
    assert entity_of(entities, "Ms Tigist") is entity_of(entities, "Tigist Alemu")


def test_a_company_named_without_its_first_word_and_legal_form() -> None:
    names = {"Dasht Abi Cement Company": "ORG", "Abi Cement": "ORG", "Reza Tavakoli": "PERSON"}
    names |= {"Dasht": "GPE", "Hamid Sarraf": "PERSON"}
    entities = resolve_entities(
        [
            article(
                "c1",
                "Reza Tavakoli and Hamid Sarraf said the Dasht Abi Cement Company kiln fell.",
                {k: v for k, v in names.items() if k != "Abi Cement"},
            ),
            article("c2", "Reza Tavakoli and Hamid Sarraf said Abi Cement would pay.", names),
        ]
    )
    assert entity_of(entities, "Abi Cement") is entity_of(entities, "Dasht Abi Cement Company")


@pytest.mark.parametrize(
    ("left", "right", "close"),
    [("Sayed", "Syed", True), ("Orlea", "Orlia", True), ("Dana", "Dina", False)],
)
def test_short_given_names_need_a_near_spelling_for_the_loose_key(
    left: str, right: str, close: bool
) -> None:
    assert given_names_close(left, right) is close


def test_surnames_the_loose_key_joins_still_need_a_near_spelling() -> None:
    names = {"Tomas Johnson": "PERSON", "Tomas Jensen": "PERSON", "Dorn Dairy": "ORG"}
    names |= {"Lida": "GPE", "Brenna Dutt": "PERSON"}
    entities = resolve_entities(
        [
            article("j1", "Tomas Johnson and Brenna Dutt of Dorn Dairy met in Lida.", names),
            article("j2", "Tomas Jensen and Brenna Dutt of Dorn Dairy met in Lida.", names),
        ]
    )
    assert entity_of(entities, "Tomas Jensen") is not entity_of(entities, "Tomas Johnson")


def test_one_titled_name_romanised_otherwise() -> None:
    names = {"Archbishop Ghevorik": "PERSON", "Archbishop Ghevorig": "PERSON"}
    names |= {"Archbishop Gerasim": "PERSON"}
    entities = resolve_entities(
        [
            article("t1", "Archbishop Ghevorik blessed the boats.", names),
            article("t2", "Archbishop Ghevorig blessed the boats.", names),
            article("t3", "Archbishop Gerasim led the prayers.", names),
        ]
    )
    ghevorik = entity_of(entities, "Archbishop Ghevorik")
    assert entity_of(entities, "Archbishop Ghevorig") is ghevorik
    assert entity_of(entities, "Archbishop Gerasim") is not ghevorik


def test_a_bare_name_is_not_the_son_where_the_father_bears_it_as_given_name() -> None:
    names = {
        "Datuk Rosli bin Hamzah": "PERSON",
        "Datuk Seri Rosli Hamzah": "PERSON",
        "Faiz Rosli": "PERSON",
        "Rosli": "PERSON",
        "Kinta Water Board": "ORG",
        "Tan Sri Lim Boon Huat": "PERSON",
    }
    full = {k: v for k, v in names.items() if k != "Rosli"}  # its own mentions only
    entities = resolve_entities(
        [
            article(
                "m1",
                "Datuk Rosli bin Hamzah said the Kinta Water Board would pay. Tan Sri Lim Boon "
                "Huat agreed.",
                full,
            ),
            article(
                "m2",
                "Rosli said tankers would come; the Kinta Water Board and Tan Sri Lim Boon Huat "
                "agreed.",
                names,
            ),
            article(
                "m3",
                "Datuk Seri Rosli Hamzah and his son, Faiz Rosli, met the Kinta Water Board and "
                "Tan Sri Lim Boon Huat.",
                full,
            ),
        ]
    )
    assert entity_of(entities, "Rosli", "m2") is not entity_of(entities, "Faiz Rosli")


def test_a_head_word_alone_names_the_one_organisation_it_ends() -> None:
    names = {"Marsh Vale Hospice": "ORG", "Hospice": "ORG", "Orla Penhallow": "PERSON"}
    names |= {"Ada Quenby": "PERSON", "Saltmere": "GPE"}
    first = {k: v for k, v in names.items() if k != "Hospice"}
    entities = resolve_entities(
        [
            article(
                "h1",
                "Orla Penhallow and Ada Quenby of Saltmere opened the Marsh Vale Hospice.",
                first,
            ),
            article(
                "h2", "Orla Penhallow and Ada Quenby of Saltmere said the Hospice was full.", names
            ),
            article("h3", "Orla Penhallow said the Fed would wait.", {"Fed": "ORG"} | names),
        ]
    )
    assert entity_of(entities, "Hospice") is entity_of(entities, "Marsh Vale Hospice")


def test_a_possessive_surname_opening_its_sentence_takes_no_gender_from_a_later_pronoun() -> None:
    names = {
        "Mirela Dovgan": "PERSON",
        "Oleg Korchak": "PERSON",
        "Dovgan": "PERSON",
        "Korchak": "PERSON",
    }
    entities = resolve_entities(
        [
            article(
                "p1",
                "Prosecutor Oleg Korchak charged reporter Mirela Dovgan on Friday. Her editor "
                "called the charge absurd.",
                names,
            ),
            article(
                "p2",
                "Dovgan was held overnight in Belsk. Korchak's office said she faced up to five "
                "years in prison.",
                names,
            ),
        ]
    )
    assert entity_of(entities, "Korchak") is entity_of(entities, "Oleg Korchak")
