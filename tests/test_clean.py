"""The clean stage: insert removal, normalisation and the offset contract, on fictional text."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.clean import (
    FLAG_EMPTY,
    FLAG_REMOVED,
    PatternSet,
    clean,
    load_patterns,
    normalize_text,
)
from newstrace.model import Article

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # ../shared/seeds, read in place


def run(raw: str) -> Article:
    """Clean ``raw`` and check the contract every cleaned article must keep."""
    cleaned = clean(Article(id="t", raw_text=raw))
    check_offsets(cleaned)
    return cleaned


def check_offsets(article: Article) -> None:
    previous = 0
    for removal in article.removed:
        assert article.raw_text[removal.start:removal.end] == removal.text
        assert 0 <= removal.at <= len(article.text)
        assert removal.at >= previous
        previous = removal.at


def assert_idempotent(article: Article) -> None:
    again = clean(Article(id="again", raw_text=article.text))
    assert again.text == article.text
    assert again.removed == []


# --- promotional inserts ---------------------------------------------------------------

def test_mid_paragraph_insert_with_tag() -> None:
    raw = (
        "Councillor Brenna Vosk said the ferry contract was signed in haste. "
        "READ MORE: Harbour town of Lindqvist braces for ‘storm of the decade’ [REVEAL]\n"
        "The council will meet again on Friday."
    )
    cleaned = run(raw)
    assert cleaned.text == (
        "Councillor Brenna Vosk said the ferry contract was signed in haste.\n"
        "The council will meet again on Friday."
    )
    (removal,) = cleaned.removed
    assert removal.text == (
        "READ MORE: Harbour town of Lindqvist braces for ‘storm of the decade’ [REVEAL]"
    )
    assert removal.kind == "promo"
    assert removal.at == cleaned.text.index("\n")
    assert cleaned.flags == [FLAG_REMOVED]


def test_insert_spliced_between_sentences_leaves_single_space() -> None:
    raw = "The pier closed at noon. WATCH: Gulls steal chips from tourists [VIDEO] It reopens today."
    cleaned = run(raw)
    assert cleaned.text == "The pier closed at noon. It reopens today."
    assert "  " not in cleaned.text
    assert cleaned.text[cleaned.removed[0].at - 1:cleaned.removed[0].at + 1] in {". ", " I"}


def test_end_of_paragraph_insert_without_tag() -> None:
    raw = (
        "“We will not back down,” said Orla Fenwick of the Tarn Valley Trust. "
        "READ NEXT: ‘Dam plan is madness’ warns retired engineer\n\n"
        "The trust has until March to respond."
    )
    cleaned = run(raw)
    assert cleaned.text == (
        "“We will not back down,” said Orla Fenwick of the Tarn Valley Trust.\n\n"
        "The trust has until March to respond."
    )
    assert cleaned.removed[0].text == "READ NEXT: ‘Dam plan is madness’ warns retired engineer"
    assert not re.search(r" \n", cleaned.text)


@pytest.mark.parametrize("label", ["DON'T MISS", "DON’T MISS", "DONʼT MISS"])
def test_straight_and_curly_apostrophe_labels(label: str) -> None:
    raw = f"Talks stalled again. {label}: Minister Ralf Odegaard’s secret garden [PICTURES]\nMore soon."
    cleaned = run(raw)
    assert cleaned.text == "Talks stalled again.\nMore soon."
    assert cleaned.removed[0].kind == "promo"


def test_several_inserts_in_one_text() -> None:
    raw = (
        "Line one ends here. READ MORE: First fictional link [REVEAL]\n"
        "DON’T MISS: Second fictional link [LATEST]\n"
        "Middle paragraph stays. SEE ALSO: Third link [INSIGHT] And it goes on.\n"
        "TRENDING: Fourth link [POLL] MORE: Fifth link [VIDEO]\n"
        "Last paragraph. LATEST: Sixth link without a tag"
    )
    cleaned = run(raw)
    assert cleaned.text == (
        "Line one ends here.\nMiddle paragraph stays. And it goes on.\nLast paragraph."
    )
    assert [r.text.split(":")[0] for r in cleaned.removed] == [
        "READ MORE", "DON’T MISS", "SEE ALSO", "TRENDING", "MORE", "LATEST",
    ]
    assert_idempotent(cleaned)


def test_inserts_chained_on_one_line_go_with_the_line() -> None:
    cleaned = run("First.\nREAD MORE: A [REVEAL] WATCH: B [VIDEO]\nSecond.")
    assert cleaned.text == "First.\nSecond."
    assert len(cleaned.removed) == 2


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "ADVERTISEMENT",
        "Sign up to our free Daily Grebe newsletter here",
        "Click here to read the full Quillfield Gazette report",
        "Follow us on Twitter and Facebook",
        "Subscribe to the Marsh Echo for £1 a week",
        "Share this article",
        "Download our app for the latest news",
        "Get the latest headlines delivered straight to your inbox",
        "Story continues below advertisement",
    ],
)
def test_whole_line_call_to_action(line: str) -> None:
    cleaned = run(f"The bridge in Harrowgate reopened.\n{line}\nTraffic is light.")
    assert cleaned.text == "The bridge in Harrowgate reopened.\nTraffic is light."
    (removal,) = cleaned.removed
    assert removal.text == line
    assert removal.kind == "boilerplate"
    assert removal.at == len("The bridge in Harrowgate reopened.\n")


@pytest.mark.parametrize(
    "text",
    [
        "He said more: the budget is gone.",
        "Read more about it in the report.",
        "Click here, she said, was where the fire started, according to the chief.",
        "MORE THAN 200 FLEE FLOODED VILLAGE OF ASHBY MOOR",
        "INSIDE THE FICTIONAL MINISTRY",
        "BREAKING: Storm hits the coast of Wend",
        "He shouted READ MORE: nobody listened [VIDEO]",
        "Sales rose 4% (MORE: see table 2).",
        "EXCLUSIVE: The mayor of Pellow will resign, aides said. She denies it.",
        "The word ANYMORE: appears here.",
        "Subscribers to the scheme say it works well and they plan to stay in it for years.",
    ],
)
def test_normal_text_is_not_removed(text: str) -> None:
    raw = f"Opening sentence.\n{text}\nClosing sentence."
    cleaned = run(raw)
    assert cleaned.text == raw
    assert cleaned.removed == []
    assert FLAG_REMOVED not in cleaned.flags


def test_untagged_label_only_takes_a_headline() -> None:
    cleaned = run("Quiet week.\nLATEST: Pellow council votes to close the lido. Residents were angry.")
    assert cleaned.removed == []


def test_all_inserts_leaves_empty_text_and_flag() -> None:
    raw = "READ MORE: Only a link [REVEAL]\n\nAdvertisement\r\nSign up to our newsletter now\n"
    cleaned = run(raw)
    assert cleaned.text == ""
    assert cleaned.flags == [FLAG_REMOVED, FLAG_EMPTY]
    assert all(removal.at == 0 for removal in cleaned.removed)


# --- normalisation ------------------------------------------------------------------------

def test_typographic_quotes_survive() -> None:
    raw = "“Never,” said Ines Harrow. ‘Quite,’ replied Tam. «Non», dit-il — ok…"
    assert run(raw).text == raw


def test_invisible_and_compatibility_characters() -> None:
    raw = "Mayor\u00a0Quill\u2009said\u202fthe co\u00adoperative\u200b is\u200c open\u200d\ufeff.\x07"
    assert run(raw).text == "Mayor Quill said the cooperative is open."


def test_nfc_not_nfkc() -> None:
    raw = "Cafe\u0301 ﬁnal ½ ™ “q”"
    text = run(raw).text
    assert text == "Café ﬁnal ½ ™ “q”"
    assert "\u0301" not in text


def test_crlf_and_newline_policy() -> None:
    raw = "  First para.\r\nSecond para.  \r\n\r\n\r\n\r\n\tThird   para.\rFourth.\r\n  "
    cleaned = run(raw)
    assert cleaned.text == "First para.\nSecond para.\n\nThird para.\nFourth."
    assert normalize_text(raw) == cleaned.text


def test_offsets_point_into_raw_text_across_normalisation() -> None:
    raw = (
        "\ufeffIntro\u00a0text.\r\n\r\n\r\nSome  thing. READ MORE: Link one [REVEAL]\r\n"
        "Advertisement\r\nTail\u200b text. DON’T MISS: Link two\r\nEnd."
    )
    cleaned = run(raw)
    assert cleaned.text == "Intro text.\n\nSome thing.\nTail text.\nEnd."
    assert [r.text for r in cleaned.removed] == [
        "READ MORE: Link one [REVEAL]", "Advertisement", "DON’T MISS: Link two",
    ]
    ats = [r.at for r in cleaned.removed]
    assert ats == [
        cleaned.text.index("\nTail"),
        cleaned.text.index("Tail"),
        cleaned.text.index("\nEnd"),
    ]


def test_idempotent_on_examples() -> None:
    raw = "A “quote”.\r\n\r\n\r\nB. READ MORE: x [REVEAL] C.\nAdvertisement\nD\u00a0E."
    assert_idempotent(run(raw))


def test_clean_is_pure_and_keeps_other_flags() -> None:
    article = Article(id="p", raw_text="Text. READ MORE: Link [REVEAL]", flags=["from-ingest"])
    cleaned = clean(article)
    assert article.text == "" and article.removed == [] and article.flags == ["from-ingest"]
    assert cleaned.flags == ["from-ingest", FLAG_REMOVED]
    assert clean(cleaned) == cleaned
    assert pickle.loads(pickle.dumps(cleaned)) == cleaned
    assert pickle.loads(pickle.dumps(load_patterns())).label_re.pattern == load_patterns().label_re.pattern


# --- the pattern file ---------------------------------------------------------------------

def test_bundled_patterns_load_and_cache() -> None:
    patterns = load_patterns()
    assert patterns is load_patterns()
    assert patterns.labels["DON'T MISS"] == "promo"
    assert {kind for _, kind in patterns.lines} == {"boilerplate"}


def test_custom_pattern_set(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({
        "entries": [{"kind": "sponsor", "labels": ["PROMOTED"], "lines": ["paid content"]}],
    }))
    patterns = load_patterns(path)
    cleaned = clean(Article(id="c", raw_text="Hi. PROMOTED: Buy [NOW]\nPaid content\nBye. READ MORE: x [REVEAL]"),
                    patterns)
    assert cleaned.text == "Hi.\nBye. READ MORE: x [REVEAL]"
    assert [r.kind for r in cleaned.removed] == ["sponsor", "sponsor"]


@pytest.mark.parametrize(
    "data",
    [{"entries": [{"labels": ["X"]}]}, {"entries": [{"kind": "promo", "label": ["X"]}]},
     {"tags": "x"}, {"entries": ["READ MORE"]},
     {"entries": [{"kind": "promo", "labels": "READ MORE"}]},
     {"entries": [{"kind": "boilerplate", "lines": ["(unclosed"]}]}],
)
def test_bad_pattern_set_fails_loudly(data: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        PatternSet.from_dict(data)


# --- properties ---------------------------------------------------------------------------

_LABELS = "|".join(re.escape(label).replace("'", "['’]") for label in load_patterns().labels)
_LEFT_OVER = re.compile(rf"(?:^|[.!?] )(?:{_LABELS}) ?:[^\n\[\]]{{0,60}}\[[A-Z]{{1,8}}\]", re.M)
_PIECES = st.sampled_from([
    "READ MORE: ", "DON’T MISS:", "DON'T MISS: ", "MORE:", "WATCH:", "READ NEXT: ", "[REVEAL]",
    "[VIDEO]", "[x]", "]", "[", ". ", "? ", "! ", "”", "“", "’", "\n", "\n\n\n", "\r\n", "\r", " ",
    "  ", "\t", "\u00a0", "\u200b", "\u00ad", "\x00", "e\u0301", "\u0301", "\u0327", "Word",
    "said", "Advertisement", "Sign up to our newsletter", "Click here", ".", "…",
])
_TEXTS = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=40).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(_TEXTS)
def test_property_contract(raw: str) -> None:
    cleaned = run(raw)
    assert _LEFT_OVER.search(cleaned.text) is None
    assert cleaned.text == cleaned.text.strip()
    assert "  " not in cleaned.text and " \n" not in cleaned.text and "\n\n\n" not in cleaned.text
    assert_idempotent(cleaned)


# --- the real seeds, read in place --------------------------------------------------------

def _seed(prefix: str) -> str:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not found:
        pytest.skip(f"seed {prefix} not found under {SEEDS}")
    return found[0].read_text(encoding="utf-8")


def test_seed_tabloid_inserts_removed() -> None:
    raw = _seed("002")
    cleaned = run(raw)
    for label in ("READ MORE:", "DON’T MISS:", "READ NEXT:"):
        assert label in raw
        assert label not in cleaned.text
    assert len(cleaned.removed) == 3
    assert {r.kind for r in cleaned.removed} == {"promo"}
    assert cleaned.removed[0].text.endswith("[REVEAL]")
    assert not cleaned.removed[-1].text.endswith("]")
    assert cleaned.text.count("“") == raw.count("“")
    assert cleaned.text.count("”") == raw.count("”")
    for quoted in re.findall(r"“[^“”\n]+”", raw):
        assert quoted in cleaned.text
    for removal in cleaned.removed:  # the sentences on either side are intact
        before = raw[:removal.start].rstrip().rsplit(". ", 1)[-1]
        assert before and before in cleaned.text
        after = raw[removal.end:].strip()[:60]
        assert after in cleaned.text
    assert_idempotent(cleaned)


def test_seed_content_farm_copy_untouched() -> None:
    raw = _seed("000")
    cleaned = run(raw)
    assert cleaned.removed == []
    assert FLAG_REMOVED not in cleaned.flags
    assert cleaned.text == normalize_text(raw)
    assert cleaned.text.count("“") == raw.count("“")
