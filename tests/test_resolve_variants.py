"""General name equivalence: transliteration keys across romanisations, given-name short forms,
initials, titles of many cultures, names called by the given name. Fictional names only."""

from __future__ import annotations

import pytest

from newstrace.resolve.keys import translit_key


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
        ("Yitzchak", "Yitzhak"),  # ch spoken kh inside a word
        ("Zacharoula", "Zaharoula"),
        ("Ramanataraman", "Ramanatraman"),  # schwa before r
        ("Kanniyam", "Kanniyan"),  # Tamil -iam/-ian
    ],
)
def test_romanisations_share_a_key(left: str, right: str) -> None:
    assert translit_key(left) == translit_key(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [("Bohdan", "Bodan"), ("Marcus", "Mcus"), ("Chan", "Han"), ("Maria", "Mria")],
)
def test_keys_keep_other_names_apart(left: str, right: str) -> None:
    assert translit_key(left) != translit_key(right)
