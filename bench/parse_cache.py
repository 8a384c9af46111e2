"""Parses for the benchmarks and training scripts, kept on disk between runs.

Parsing a split takes minutes on this machine, so each script keeps its parses as a spaCy
DocBin. The key is the model, its version, the pipeline's components and the texts: a parse
made before a component was added (a new sentence rule, say) is never reused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from spacy.tokens import Doc, DocBin

from newstrace.nlp import load_nlp


def parse_cached(texts: Sequence[str], folder: Path | None, name: str) -> list[Doc]:
    """``texts`` parsed as ``newstrace.nlp.load_nlp()`` parses them, from
    ``folder/NAME-KEY.spacy`` when it is there (no folder: parse, keep nothing)."""
    nlp = load_nlp()
    digest = hashlib.sha256(
        "\x1e".join([nlp.meta["name"], nlp.meta["version"], "+".join(nlp.pipe_names), *texts])
        .encode("utf-8")
    ).hexdigest()[:16]
    path = folder / f"{name}-{digest}.spacy" if folder is not None else None
    if path is not None and path.exists():
        return list(DocBin().from_disk(path).get_docs(nlp.vocab))
    docs = list(nlp.pipe(texts, batch_size=32))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs, store_user_data=False).to_disk(path)
    return docs
