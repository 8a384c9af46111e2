"""General name equivalence: transliteration keys across romanisations, given-name short forms,
initials, titles of many cultures, names called by the given name. Fictional names only."""

from __future__ import annotations

import pytest

from newstrace.resolve import resolve_entities
from newstrace.resolve.keys import (
    given_gender,
    given_names_close,
    hypocoristic,
    translit_key,
)
from newstrace.resolve.names import parse_mention
from newstrace.resolve.parts import name_parts
from resolve_helpers import article, entity_of


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Satoh", "Sato"),  # Japanese long o written oh
        ("Kondou", "Kondo"),  # ... or ou
        ("Ohnaka", "Onaka"),
        ("Beridse", "Beridze"),  # German transcription of Georgian -dze
        ("Tsereschwili", "Tsereshvili"),  # ... sch for sh
        ("Dzhvarieli", "Jvarieli"),  # Russian-style dzh for j
        ("Djamilou", "Jamilou"),  # French-style dj
        ("MacAndrew", "McAndrew"),
        ("Ramanataraman", "Ramanatraman"),  # schwa before r
        ("Kanniyam", "Kanniyan"),  # Tamil -iam/-ian
    ],
)
def test_romanisations_share_a_key(left: str, right: str) -> None:
    assert translit_key(left) == translit_key(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Bohdan", "Bodan"),
        ("Marcus", "Mcus"),
        ("Chan", "Han"),
        ("Maria", "Mria"),
        ("Johnny", "Joni"),
        ("Schmidt", "Smidt"),
    ],
)
def test_keys_keep_other_names_apart(left: str, right: str) -> None:
    assert translit_key(left) != translit_key(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [("William", "Bill"), ("Bill", "Liam"), ("Dmytro", "Dima"), ("Francisco", "Paco")],
)
def test_short_forms_of_one_given_name_agree(left: str, right: str) -> None:
    assert hypocoristic(left, right)
    assert given_names_close(left, right)


def test_a_short_form_of_a_womans_and_a_mans_name_says_nothing() -> None:
    assert not hypocoristic("Alex", "Alexandra")
    assert not hypocoristic("Alex", "Alexander")
    assert not hypocoristic("Alexander", "Alexandra")


def test_a_hypocorism_names_the_person_named_in_full_elsewhere() -> None:
    entities = resolve_entities(
        [
            article(
                "h1",
                "Haulier William Quarrender warned of closures at Dunmore Yard. The Fenwick "
                "Freight Guild backed him.",
                {
                    "William Quarrender": "PERSON",
                    "Dunmore Yard": "FAC",
                    "Fenwick Freight Guild": "ORG",
                },
            ),
            article(
                "h2",
                "Bill Quarrender said Dunmore Yard would close. His son Owen Quarrender, a "
                "driver, disagreed.",
                {"Bill Quarrender": "PERSON", "Dunmore Yard": "FAC", "Owen Quarrender": "PERSON"},
            ),
        ]
    )
    assert entity_of(entities, "Bill Quarrender") is entity_of(entities, "William Quarrender")
    assert entity_of(entities, "Owen Quarrender") is not entity_of(entities, "Bill Quarrender")


@pytest.mark.parametrize(
    ("mention", "title", "name"),
    [
        ("Deputy Minister Lam Quoc Vinh", "Deputy Minister", "Lam Quoc Vinh"),
        ("Acting Governor Ferenc Odry", "Acting Governor", "Ferenc Odry"),
        ("Fisheries Minister Halvard Stene", "fisheries minister", "Halvard Stene"),
        ("Rural Affairs Secretary Mona Quist", "rural affairs secretary", "Mona Quist"),
        ("Wing Commander Ossian Blay", "Wing Cmdr", "Ossian Blay"),
        ("Grand Mufti Idris Kanawi", "Grand Mufti", "Idris Kanawi"),
        ("Datuk Seri Azmir Hafiz", "", "Azmir Hafiz"),
        ("Alhaji Musa Danjuma", "", "Musa Danjuma"),
    ],
)
def test_titles_of_many_cultures_split_off(mention: str, title: str, name: str) -> None:
    parsed = parse_mention(mention, 0, len(mention), "PERSON")
    assert parsed is not None
    assert parsed.surface == name
    assert parsed.titles == ([title] if title else [])


@pytest.mark.parametrize(
    ("mention", "label"),
    [("General Hospital", "ORG"), ("Canon Ridge Works", "ORG"), ("Sri Pada", "GPE")],
)
def test_a_title_word_opening_an_organisation_or_a_place_stays(mention: str, label: str) -> None:
    parsed = parse_mention(mention, 0, len(mention), label)
    assert parsed is not None
    assert parsed.surface == mention
    assert parsed.kind != "person"


def test_a_titled_name_tagged_an_organisation_is_still_a_person() -> None:
    parsed = parse_mention("Harbourmaster Inés Calvo", 0, 24, "ORG")
    assert parsed is not None
    assert (parsed.kind, parsed.surface) == ("person", "Inés Calvo")


def test_initials_name_the_one_person_whose_given_name_they_open() -> None:
    entities = resolve_entities(
        [
            article(
                "i1",
                "Engineer Julian Brackwell inspected the Harnmoor Viaduct for Corlay Rail. "
                "His brother Owen Brackwell, a farmer, watched.",
                {
                    "Julian Brackwell": "PERSON",
                    "Harnmoor Viaduct": "FAC",
                    "Corlay Rail": "ORG",
                    "Owen Brackwell": "PERSON",
                },
            ),
            article(
                "i2",
                "J. R. Brackwell said the Harnmoor Viaduct needed work. Corlay Rail agreed.",
                {"J. R. Brackwell": "PERSON", "Harnmoor Viaduct": "FAC", "Corlay Rail": "ORG"},
            ),
            article(
                "i3",
                "O. Brackwell, who farms near the Harnmoor Viaduct, wrote to Corlay Rail.",
                {"O. Brackwell": "PERSON", "Harnmoor Viaduct": "FAC", "Corlay Rail": "ORG"},
            ),
        ]
    )
    julian = entity_of(entities, "Julian Brackwell")
    assert entity_of(entities, "J. R. Brackwell") is julian
    assert entity_of(entities, "O. Brackwell") is entity_of(entities, "Owen Brackwell")
    assert entity_of(entities, "Owen Brackwell") is not julian


@pytest.mark.parametrize(
    ("name", "gender"),
    [("Venkatesh", "m"), ("Zeynep", "f"), ("Eleftherios", "m"), ("Fatemeh", "f"), ("Wanjiku", "f")],
)
def test_given_names_of_many_cultures_have_genders(name: str, gender: str) -> None:
    assert given_gender(name) == gender


def test_people_called_by_their_given_name() -> None:
    entities = resolve_entities(
        [
            article(
                "c1",
                "Dong Khe Ceramics hired Tran Quoc Bao as director. Mr Bao said Dong Khe "
                "Ceramics would grow. Sir Aldous Penhallow-Strand opened the kiln at Marrowby; "
                "Sir Aldous praised the plant.",
                {
                    "Dong Khe Ceramics": "ORG",
                    "Tran Quoc Bao": "PERSON",
                    "Mr Bao": "PERSON",
                    "Sir Aldous Penhallow-Strand": "PERSON",
                    "Marrowby": "GPE",
                    "Sir Aldous": "PERSON",
                },
            ),
            article(
                "c2",
                "Mr Bao of Dong Khe Ceramics met Tran Thi Lien at Marrowby. Ms Lien, a buyer, "
                "was impressed. Sir Aldous cut a ribbon.",
                {
                    "Mr Bao": "PERSON",
                    "Dong Khe Ceramics": "ORG",
                    "Tran Thi Lien": "PERSON",
                    "Marrowby": "GPE",
                    "Ms Lien": "PERSON",
                    "Sir Aldous": "PERSON",
                },
            ),
        ]
    )
    bao = entity_of(entities, "Tran Quoc Bao")
    assert entity_of(entities, "Mr Bao", "c1") is bao
    assert entity_of(entities, "Mr Bao", "c2") is bao
    assert entity_of(entities, "Ms Lien") is entity_of(entities, "Tran Thi Lien")
    assert entity_of(entities, "Tran Thi Lien") is not bao
    sir = entity_of(entities, "Sir Aldous Penhallow-Strand")
    assert entity_of(entities, "Sir Aldous", "c1") is sir
    assert entity_of(entities, "Sir Aldous", "c2") is sir


@pytest.mark.parametrize(
    ("tokens", "given", "surname", "gender"),
    [
        (("Tran", "Thi", "Lien"), "Lien", "Tran", "f"),
        (("Azmir", "bin", "Hafiz"), "Azmir", "bin Hafiz", ""),
    ],
)
def test_names_called_by_the_given_name_divide(
    tokens: tuple[str, ...], given: str, surname: str, gender: str
) -> None:
    parts = name_parts(tokens)
    assert (parts.given, parts.surname, parts.called) == (given, surname, True)
    text = " ".join(tokens)
    parsed = parse_mention(text, 0, len(text), "PERSON")
    assert parsed is not None
    assert parsed.gender == gender


def test_names_spelt_otherwise_in_both_articles_are_context_for_each_other() -> None:
    """A spun copy respells every name: each variant pair lacks context alone (the other
    names are spelt otherwise too), and each is the other's."""
    entities = resolve_entities(
        [
            article(
                "s1",
                "William Quarrender hired Ilse Marhenke as his deputy. Quarrender said tolls "
                "would rise.",
                {"William Quarrender": "PERSON", "Ilse Marhenke": "PERSON"},
            ),
            article(
                "s2",
                "Bill Quarrender, whose deputy is Ilse Marhemke, said tolls would rise.",
                {"Bill Quarrender": "PERSON", "Ilse Marhemke": "PERSON"},
            ),
        ]
    )
    assert entity_of(entities, "Bill Quarrender") is entity_of(entities, "William Quarrender")


def test_romanisations_of_chinese_and_korean_names_and_family_name_first() -> None:
    names = {
        "Teng Hsiao-lung": "PERSON",
        "Deng Xiaolong": "PERSON",
        "Pak Chi-hun": "PERSON",
        "Ji-hoon Park": "PERSON",
        "Park Ji-ho": "PERSON",
        "Rhee Chae-won": "PERSON",
        "Lee Jae-won": "PERSON",
        "Kovacs Ildiko": "PERSON",
        "Ildiko Kovacs": "PERSON",
        "Ivan Petrovich Sidorkin": "PERSON",
        "Ivan Sidorkin": "PERSON",
        "Hallow Bay": "GPE",
    }
    entities = resolve_entities(
        [
            article(
                "r1",
                "Teng Hsiao-lung met Pak Chi-hun, Rhee Chae-won and Kovacs Ildiko in Hallow Bay, "
                "where Ivan Petrovich Sidorkin spoke.",
                names,
            ),
            article(
                "r2",
                "In Hallow Bay, Deng Xiaolong, Ji-hoon Park, Lee Jae-won and Ildiko Kovacs met "
                "Ivan Sidorkin. Park Ji-ho, an aide, took notes.",
                names,
            ),
        ]
    )
    assert entity_of(entities, "Deng Xiaolong") is entity_of(entities, "Teng Hsiao-lung")
    assert entity_of(entities, "Ji-hoon Park") is entity_of(entities, "Pak Chi-hun")
    assert entity_of(entities, "Park Ji-ho") is not entity_of(entities, "Pak Chi-hun")
    assert entity_of(entities, "Lee Jae-won") is entity_of(entities, "Rhee Chae-won")
    assert entity_of(entities, "Ildiko Kovacs") is entity_of(entities, "Kovacs Ildiko")
    assert entity_of(entities, "Ivan Sidorkin") is entity_of(entities, "Ivan Petrovich Sidorkin")


def test_arabic_article_glued_second_given_names_villages_and_theatres() -> None:
    names = {
        "Hamid el-Qassar": "PERSON",
        "Hamid Elqassar": "PERSON",
        "José Luis Bernárdez": "PERSON",
        "Jose Luis Bernardez": "PERSON",
        "José Antonio Bernárdez": "PERSON",
        "Verkhopillia": "GPE",
        "Verkhopil": "GPE",
        "Orrin Theatre": "ORG",
        "Orrin": "ORG",
        "Tova Lindqvist": "PERSON",
    }
    entities = resolve_entities(
        [
            article(
                "g1",
                "Hamid el-Qassar and José Luis Bernárdez toured Verkhopillia with Tova Lindqvist "
                "of the Orrin Theatre.",
                {k: v for k, v in names.items() if k != "Orrin"},
            ),
            article(
                "g2",
                "Hamid Elqassar and Jose Luis Bernardez visited Verkhopillia. Tova Lindqvist "
                "said so.",
                names,
            ),
            article(
                "g3",
                "José Antonio Bernárdez, a cousin, met Tova Lindqvist and Hamid el-Qassar in "
                "Verkhopil. Tova Lindqvist said the Orrin would tour.",
                names,
            ),
        ]
    )
    assert entity_of(entities, "Hamid Elqassar") is entity_of(entities, "Hamid el-Qassar")
    luis = entity_of(entities, "José Luis Bernárdez")
    assert entity_of(entities, "Jose Luis Bernardez") is luis
    assert entity_of(entities, "José Antonio Bernárdez") is not luis
    assert entity_of(entities, "Verkhopil") is not entity_of(entities, "Verkhopillia")
    assert entity_of(entities, "Orrin") is entity_of(entities, "Orrin Theatre")


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Chaim", "Haim"),
        ("Hristos", "Christos"),
        ("Ebrahim", "Ibrahim"),
        ("Omer", "Umar"),
        ("Kateryna", "Yekaterina"),
        ("Pavlo", "Pavel"),
        ("Aicha", "Aisha"),
        ("Hatice", "Khadija"),
    ],
)
def test_spellings_of_one_given_name_across_scripts_agree(left: str, right: str) -> None:
    assert given_names_close(left, right)


def test_maghrebi_particles_acronyms_with_their_of_and_korean_places() -> None:
    assert name_parts(("Hedi", "Ben", "Salah")).surname == "Ben Salah"
    assert name_parts(("Sidi", "Ould", "Cheikh")).surname == "Ould Cheikh"
    names = {
        "Ministry of Harbours": "ORG",
        "MoH": "ORG",
        "Pusong": "GPE",
        "Busong": "GPE",
        "Ilse Varnholt": "PERSON",
    }
    entities = resolve_entities(
        [
            article(
                "k1",
                "Ilse Varnholt of the Ministry of Harbours toured Pusong.",
                {k: v for k, v in names.items() if k not in ("MoH", "Busong")},
            ),
            article(
                "k2",
                "The MoH sent Ilse Varnholt to Busong.",
                {k: v for k, v in names.items() if k in ("MoH", "Busong", "Ilse Varnholt")},
            ),
        ]
    )
    assert entity_of(entities, "Busong") is entity_of(entities, "Pusong")
    assert entity_of(entities, "MoH") is entity_of(entities, "Ministry of Harbours")


@pytest.mark.parametrize(
    "name", ["Zoryana Sokolova", "Auste Kazlauskiene", "Lilja Jonsdottir", "Evdokia Papadopoulou"]
)
def test_a_womans_surname_form_gives_the_gender(name: str) -> None:
    parsed = parse_mention(name, 0, len(name), "PERSON")
    assert parsed is not None
    assert parsed.gender == "f"


def test_sun_letter_articles_initials_in_one_word_yoruba_short_forms_japanese_order() -> None:
    names = {
        "Nabil as-Suwaidi": "PERSON",
        "Nabil al-Suwaidi": "PERSON",
        "J.-P. Dorval": "PERSON",
        "Jean-Pierre Dorval": "PERSON",
        "Oluwaseun Adekunbi": "PERSON",
        "Seun Adekunbi": "PERSON",
        "Takahashi Emiko": "PERSON",
        "Emiko Takahashi": "PERSON",
        "Port Taravai": "GPE",
    }
    first = ("Nabil as-Suwaidi", "J.-P. Dorval", "Oluwaseun Adekunbi", "Takahashi Emiko")
    entities = resolve_entities(
        [
            article(
                "u1",
                "Nabil as-Suwaidi, J.-P. Dorval, Oluwaseun Adekunbi and Takahashi Emiko met in "
                "Port Taravai.",
                {k: v for k, v in names.items() if k in (*first, "Port Taravai")},
            ),
            article(
                "u2",
                "In Port Taravai, Nabil al-Suwaidi, Jean-Pierre Dorval, Seun Adekunbi and "
                "Emiko Takahashi signed.",
                {k: v for k, v in names.items() if k not in first},
            ),
        ]
    )
    for left, right in [
        ("Nabil al-Suwaidi", "Nabil as-Suwaidi"),
        ("Jean-Pierre Dorval", "J.-P. Dorval"),
        ("Seun Adekunbi", "Oluwaseun Adekunbi"),
        ("Emiko Takahashi", "Takahashi Emiko"),
    ]:
        assert entity_of(entities, left) is entity_of(entities, right), (left, right)


def test_middle_initials_tell_a_father_from_his_son() -> None:
    names = {
        "Harold W. Tamsin": "PERSON",
        "Harold R.W. Tamsin": "PERSON",
        "Harold P. Tamsin": "PERSON",
        "Harold W.R. Tamsin": "PERSON",
        "Port Elvey": "GPE",
        "Ruth Ansel": "PERSON",
    }
    entities = resolve_entities(
        [
            article(
                "w1",
                "Harold W. Tamsin and his father Harold R.W. Tamsin met Ruth Ansel in Port Elvey.",
                names,
            ),
            article(
                "w2",
                "Ruth Ansel thanked Harold P. Tamsin and Harold W.R. Tamsin in Port Elvey.",
                names,
            ),
        ]
    )
    assert entity_of(entities, "Harold W.R. Tamsin") is entity_of(entities, "Harold R.W. Tamsin")
    assert entity_of(entities, "Harold P. Tamsin") is not entity_of(entities, "Harold W. Tamsin")


def test_a_surname_opening_with_its_particle_is_no_full_name() -> None:
    for text, surname in [("Van der Velde", "Van der Velde"), ("De Jong", "De Jong")]:
        parsed = parse_mention(text, 0, len(text), "PERSON")
        assert parsed is not None
        assert (parsed.is_full, parsed.surname) == (False, surname)
    for text in ("Van Morrow", "Le Van Minh"):  # a given name Van; a Vietnamese family name
        parsed = parse_mention(text, 0, len(text), "PERSON")
        assert parsed is not None
        assert parsed.is_full
    entities = resolve_entities(
        [
            article(
                "v1",
                "Hans-Peter van der Velde of Rijnmond Havens met Anouk de Jong.",
                {
                    "Hans-Peter van der Velde": "PERSON",
                    "Rijnmond Havens": "ORG",
                    "Anouk de Jong": "PERSON",
                },
            ),
            article(
                "v2",
                "Van der Velde said Rijnmond Havens would hire; Ms De Jong agreed.",
                {"Van der Velde": "PERSON", "Rijnmond Havens": "ORG", "Ms De Jong": "PERSON"},
            ),
        ]
    )
    assert entity_of(entities, "Van der Velde") is entity_of(entities, "Hans-Peter van der Velde")
    assert entity_of(entities, "Ms De Jong") is entity_of(entities, "Anouk de Jong")


@pytest.mark.parametrize(("left", "right"), [("München", "Munich"), ("Göteborg", "Gothenburg")])
def test_exonyms_of_real_places_join(left: str, right: str) -> None:
    entities = resolve_entities(
        [
            article("x1", f"Flights to {left} resumed.", {left: "GPE"}),
            article("x2", f"Flights to {right} resumed.", {right: "GPE"}),
        ]
    )
    assert entity_of(entities, left) is entity_of(entities, right)


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        ("Health Ministry", "Ministry of Health", True),
        ("Tarrow Marks and Spencer Ltd", "Tarrow Marks & Spencer Limited", True),
        ("Northern Tarn Water Authority", "Nothern Tarn Water Authority", True),
        ("Corrin University", "University of Corrin", False),  # often two schools
    ],
)
def test_organisation_names_in_other_words_orders_and_forms(
    left: str, right: str, same: bool
) -> None:
    entities = resolve_entities(
        [
            article(
                "o1",
                f"The {left} hired Ilse Varnholt in Marrow Bay.",
                {left: "ORG", "Ilse Varnholt": "PERSON", "Marrow Bay": "GPE"},
            ),
            article(
                "o2",
                f"Ilse Varnholt left the {right} in Marrow Bay.",
                {right: "ORG", "Ilse Varnholt": "PERSON", "Marrow Bay": "GPE"},
            ),
        ]
    )
    assert (entity_of(entities, left) is entity_of(entities, right)) == same


def test_a_malay_patronymic_link_is_the_surnames_article() -> None:
    names = {"Datuk Azmir bin Hafiz": "PERSON", "Azmir Hafiz": "PERSON", "Ipoh": "GPE"}
    entities = resolve_entities(
        [
            article("m1", "Datuk Azmir bin Hafiz spoke in Ipoh.", names),
            article("m2", "Azmir Hafiz spoke in Ipoh.", names),
        ]
    )
    assert entity_of(entities, "Azmir Hafiz") is entity_of(entities, "Datuk Azmir bin Hafiz")


def test_a_surname_without_its_particle_names_the_one_bearing_it() -> None:
    text = (
        "Composer Ludovic van Brakel opened the festival in Ostermeer. "
        "Brakel said the hall was his late father's dream."
    )
    entities = resolve_entities(
        [article("a1", text, {"Ludovic van Brakel": "PERSON", "Brakel": "PERSON"})]
    )
    assert entity_of(entities, "Brakel") is entity_of(entities, "Ludovic van Brakel")


def test_one_bearing_the_surname_outright_goes_before_one_with_a_particle() -> None:
    text = (
        "Ludovic van Brakel chaired the board; its treasurer, Greta Brakel, no kin, "
        "resigned. Brakel said she had been misled."
    )
    names = {"Ludovic van Brakel": "PERSON", "Greta Brakel": "PERSON"}
    names["Brakel"] = "PERSON"
    entities = resolve_entities([article("a1", text, names)])
    assert entity_of(entities, "Brakel") is entity_of(entities, "Greta Brakel")


def test_irish_surname_particles() -> None:
    text = "Skipper Pádraig Ó Lorcáin landed the catch. Mr Ó Lorcáin said prices had halved."
    entities = resolve_entities(
        [article("a1", text, {"Pádraig Ó Lorcáin": "PERSON", "Mr Ó Lorcáin": "PERSON"})]
    )
    assert entity_of(entities, "Mr Ó Lorcáin") is entity_of(entities, "Pádraig Ó Lorcáin")
