"""A description subject with a name in apposition, or a role word before a name: the name is
the speaker, the description or role word its role ("Her rival, Felix Darrow, said"; "Baker
Tomasz Wrona said"), even where the recogniser tags only part of the name, or calls it an
organisation."""

from __future__ import annotations

from newstrace.model import Quote
from newstrace.nlp import load_nlp
from newstrace.quotes import extract_quotes


def quotes_of(text: str) -> list[Quote]:
    return extract_quotes("fixture", load_nlp()(text))


def test_the_name_in_apposition_speaks_and_the_description_is_its_role() -> None:
    (quote,) = quotes_of(
        "Her rival, Ottilie Brannock, said: “Her sums do not add up, and she knows it.”"
    )
    assert quote.speaker == "Ottilie Brannock"
    assert quote.speaker_role == "Her rival"
    assert quote.text.startswith("Her sums do not add up")


def test_a_name_the_recogniser_misses_beside_a_personal_noun_is_a_person() -> None:
    text = (
        "Ardmoor's new mayor, Imogen Stroud, has said she will have to raise council tax, "
        "three weeks after promising not to."
    )
    quotes = quotes_of(text)
    said = next(q for q in quotes if q.cue == "said")
    assert said.text.startswith("she will have to raise council tax")
    assert said.speaker == "Imogen Stroud"
    assert said.speaker_role == "Ardmoor's new mayor"


def test_a_description_without_a_name_stays_a_description() -> None:
    (quote,) = quotes_of("A senior official said the depot would close in the spring.")
    assert quote.speaker == "A senior official"


def test_a_capitalised_role_word_before_a_name_is_its_role_not_the_speaker() -> None:
    text = (
        "The lead inspector, Dr Amara Whitfield, said the bridge was safe for now.\n\n"
        "Baker Tomasz Wrona said half of his customers crossed the bridge by van. "
        "“If it is six months, I close. Simple as that,” he said."
    )
    quotes = quotes_of(text)
    crossed = next(q for q in quotes if "customers" in q.text)
    closing = next(q for q in quotes if "six months" in q.text)
    assert (crossed.speaker, crossed.speaker_role) == ("Tomasz Wrona", "baker")
    assert closing.speaker == "Tomasz Wrona"
