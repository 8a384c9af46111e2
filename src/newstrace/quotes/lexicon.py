"""The cue lexicon, and the cue record every finder returns.

The lexicon is data (``newstrace/data/cues.json``) so that adding a reporting verb is an
edit, not a code change. Each verb has a ``weight`` in (0, 1]: how reliably a clause built
on it is an attribution (measured on PolNeAR train), which feeds the confidence score.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Lexicon:
    """The cue data: verb lemmas with weight and kind hint, and multiword patterns."""

    verbs: dict[str, float]
    object_verbs: frozenset[str]  # verbs whose direct object alone can be the content
    frame_preps: dict[str, str]  # "describe" -> "as": "described X as Y"
    prep_content: dict[str, frozenset[str]]  # "call" -> {"for"}: "called for a ban"
    audience: frozenset[str]  # "told reporters": objects that belong to the cue
    according: frozenset[str]  # "according to": the preposition's head words
    strong: frozenset[str]  # speech verbs: a quote next to one is a confident quote
    seem: frozenset[str] = frozenset()  # "X seems to Y": an impression, X + Y is the content
    nouns: frozenset[str] = frozenset()  # "his claim that ...": nominal cues with a clause


@functools.cache
def load_lexicon() -> Lexicon:
    """Read the lexicon once per process."""
    raw: dict[str, Any] = json.loads(
        resources.files("newstrace").joinpath("data/cues.json").read_text("utf-8")
    )
    verbs: dict[str, float] = {}
    strong: set[str] = set()
    objects: set[str] = set()
    for group in raw["verbs"]:
        for lemma in group["lemmas"]:
            if lemma in verbs:
                continue  # the first group that lists a verb sets its weight
            verbs[lemma] = float(group["weight"])
            if group.get("speech"):
                strong.add(lemma)
            if group.get("object_content"):
                objects.add(lemma)
    return Lexicon(
        verbs=verbs,
        object_verbs=frozenset(objects),
        frame_preps={str(k): str(v) for k, v in raw["frames"].items()},
        prep_content={str(k): frozenset(v) for k, v in raw["prep_content"].items()},
        audience=frozenset(raw["audience"]),
        according=frozenset(raw["according"]),
        strong=frozenset(strong),
        seem=frozenset(raw.get("seem", ())),
        nouns=frozenset(raw.get("nouns", ())),
    )


@dataclass
class Cue:
    """One reporting clause: cue words, source tokens and content span (characters)."""

    token: int  # index of the cue's head token
    start: int  # cue characters
    end: int
    lemma: str
    weight: float
    source: tuple[int, int] | None  # token range [start, end) of the source phrase head NP
    source_head: int | None
    content: tuple[int, int] | None  # character range of the content
    frame: bool = False  # "described X as Y", "called it a ...": content is a framing
    learned: bool = False  # built on the cue model's word or reading, not the lexicon's

    @property
    def speech(self) -> bool:
        return self.lemma in load_lexicon().strong
