"""Per-article mentions: the two fixes over the NER model's output, and where they stop."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.entities import extract_mentions
from newstrace.nlp import load_nlp


def mentions(text: str) -> set[tuple[str, str]]:
    return {(m.label, m.text) for m in extract_mentions("a1", load_nlp()(text))}


def test_coordinated_organisation_name_is_one_mention() -> None:
    found = mentions(
        "Dermot Hale, the regional secretary of the Chemical and Allied Workers’ Union, "
        "said members had warned the company."
    )
    assert ("ORG", "Chemical and Allied Workers’ Union") in found
    assert not any(text == "Chemical" for _, text in found)


def test_two_complete_organisations_stay_two() -> None:
    found = mentions(
        "The Halvern Rail Company and the Ostbrook Transit Authority signed the contract on "
        "Tuesday, officials said."
    )
    orgs = {text for label, text in found if label == "ORG"}
    assert not any(" and " in text for text in orgs), orgs


@pytest.mark.parametrize(
    ("opening", "place"),
    [
        ("PORT ARDELL, March 14 (Meridian Wire) — ", "PORT ARDELL"),
        ("SKARHOLM (Meridian Wire) - ", "SKARHOLM"),
        ("NEW TORVIK, Lovrenia — ", "NEW TORVIK"),
    ],
)
def test_dateline_place_is_a_place(opening: str, place: str) -> None:
    found = mentions(opening + "About 1,800 people left their homes after the fire.")
    assert ("GPE", place) in found
    assert not any(label == "ORG" and text in place for label, text in found)


def test_upper_case_opening_without_a_dateline_shape_is_left_to_the_ner() -> None:
    found = mentions("NATO, the alliance said on Monday, will meet in Brussels next week.")
    assert not any(label == "GPE" and text == "NATO" for label, text in found)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("ABCD ,.—-()\nand Union Chemical Allied"), max_size=120))
def test_mentions_always_point_into_the_text(text: str) -> None:
    for mention in extract_mentions("a1", load_nlp()(text)):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
