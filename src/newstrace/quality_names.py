"""One name spelt two ways: a trace of spinning and of machine translation ("Sergei" and
"Sergey" in one article), kept apart from the spellings and namesakes real news has.

Part of the spun score (``newstrace.quality``), which turns the pairs found here into its
``name_variants`` feature and reasons.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from spacy.tokens import Doc

__all__ = ["TITLES", "name_variants", "spelling_variant"]

# Abbreviated titles longer than four letters ("Police Const. Tim Fanning"): a full stop
# that ends no sentence, and no name spelt another way.
TITLES = frozenset({"Const", "Lieut", "Comdr", "Commr", "Sergt", "Assoc", "Supt", "Insp"})

# Endings English spells two ways (American and British): one name written either way is
# the writer's choice or the venue's own ("Amphitheater" / "Amphitheatre"), not garbling.
_SPELLINGS = (("er", "re"), ("or", "our"), ("ize", "ise"), ("yze", "yse"), ("og", "ogue"))


def spelling_variant(a: str, b: str) -> bool:
    for x, y in _SPELLINGS:
        for p, q in ((a, b), (b, a)):
            if p.endswith(x) and q.endswith(y) and p[: -len(x)] == q[: -len(y)]:
                return True
    return False


def name_variants(
    doc: Doc, names: NDArray[np.bool_], freq: NDArray[np.uint32]
) -> list[tuple[int, str]]:
    """Pairs of proper-noun spellings one or two edits apart ("Sergei"/"Sergey"), neither a
    prefix of the other, not both common words in clean news, not names the entity
    recogniser keeps apart ("France" a place, "Franco" a person; "Somalia" / "Somalis"), not
    two spellings English allows ("Theater" / "Theatre"), and not the surnames of different
    people ("Sylvia Larsen" and "Tom Larson" in a list of staff: each always after a first
    name, never the same one). Each as (token of the later spelling's first use, "A / B")."""
    first_at: dict[str, int] = {}
    common: dict[str, bool] = {}
    kinds: dict[str, set[str]] = {}
    given: dict[str, set[str]] = {}  # first names before the form ("" when there is none)
    for i in np.flatnonzero(names).tolist():
        form = doc[i].text
        if len(form) < 5 or not form[:1].isupper() or form.isupper() or form in TITLES:
            continue
        if form not in first_at:
            first_at[form] = i
            common[form] = int(freq[i]) >= 5
        if doc[i].ent_type_:
            kinds.setdefault(form, set()).add(doc[i].ent_type_)
        after_name = doc[i].ent_iob_ == "I" and doc[i].ent_type_ == "PERSON" and names[i - 1]
        given.setdefault(form, set()).add(doc[i - 1].text if after_name else "")
    forms = sorted(first_at)
    if len(forms) < 2 or len(forms) > 400:
        return []
    dist = process.cdist(forms, forms, scorer=Levenshtein.distance, score_cutoff=2, workers=1)
    out: list[tuple[int, str]] = []
    for i, j in zip(*np.nonzero((dist > 0) & (dist <= 2)), strict=True):
        a, b = forms[int(i)], forms[int(j)]
        if a >= b or a.lower() == b.lower() or a[0] != b[0]:
            continue
        if b.startswith(a) or a.startswith(b) or (common[a] and common[b]):
            continue
        if a in kinds and b in kinds and not kinds[a] & kinds[b]:
            continue
        if spelling_variant(a, b):
            continue
        if "" not in given[a] | given[b] and not given[a] & given[b]:
            continue  # two people's surnames
        shorter = min(len(a), len(b))
        if int(dist[i, j]) > 1 and shorter < 7:
            continue
        out.append((max(first_at[a], first_at[b]), f"{a} / {b}"))
    return out
