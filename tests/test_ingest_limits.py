"""The per-document extraction time limit: a slow page fails alone, the run goes on."""

from __future__ import annotations

import json
import signal
import threading
import time
from pathlib import Path

import pytest

from newstrace.ingest import IngestOptions, read_inputs
from newstrace.ingest.limits import ExtractionTimeout, time_limit
from newstrace.model import Article, InputFailure

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
GOOD = str(FIXTURES / "no_header.txt")


def _spin(limit_s: float) -> None:
    """Busy work until interrupted; returns only if no interruption came in ``limit_s``."""
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        sum(range(1000))


def _heavy_page() -> str:
    """A real but large page: thousands of paragraphs inside deep nesting, which the
    extractor walks node by node (far more than a millisecond of work)."""
    body = "".join(
        f"<div><section><p>Paragraph {i} of the Harbour Board minutes records that the "
        f"dredging contract for berth {i % 40} was signed by the treasurer.</p></section></div>"
        for i in range(4000)
    )
    return f"<html><head><title>Harbour Board minutes</title></head><body><article>{body}</article></body></html>"


def test_time_limit_interrupts_a_busy_block() -> None:
    with pytest.raises(ExtractionTimeout, match=r"took longer than 0\.05 s"), time_limit(0.05):
        _spin(30.0)


def test_time_limit_restores_the_previous_handler_and_timer() -> None:
    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.3)
        with time_limit(5.0):
            pass
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0  # the outer timer still runs
        _spin(0.6)
        assert fired == [signal.SIGALRM]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_time_limit_is_not_enforced_off_the_main_thread() -> None:
    outcome: list[str] = []

    def work() -> None:
        with time_limit(0.01):
            time.sleep(0.05)
        outcome.append("finished")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert outcome == ["finished"]


def test_slow_html_page_fails_alone(tmp_path: Path) -> None:
    slow = tmp_path / "minutes.html"
    slow.write_text(_heavy_page(), encoding="utf-8")
    options = IngestOptions(extract_timeout=0.001)
    results = list(read_inputs([GOOD, str(slow), str(FIXTURES / "with_header.txt")], options))
    failures = [item for item in results if isinstance(item, InputFailure)]
    assert failures == [
        InputFailure(
            str(slow), "HTML extraction took longer than 0.001 s (the extraction time limit)"
        )
    ]
    assert [item.id for item in results if isinstance(item, Article)] == [
        GOOD,
        str(FIXTURES / "with_header.txt"),
    ]
    # The same page within the default limit is read.
    (article,) = list(read_inputs([str(slow)]))
    assert isinstance(article, Article)
    assert "dredging contract for berth 7" in article.raw_text


def test_slow_jsonl_html_line_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        {"id": "a", "text": "The Ostbrook ferry timetable changes on Monday."},
        {"id": "b", "html": _heavy_page()},
        {"id": "c", "text": "The Ostbrook library reopens after repairs."},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    results = list(read_inputs([str(path)], IngestOptions(extract_timeout=0.001)))
    assert [item.id for item in results if isinstance(item, Article)] == ["a", "c"]
    (failure,) = [item for item in results if isinstance(item, InputFailure)]
    assert failure.source == f"{path}:2"
    assert "took longer than" in failure.reason


@pytest.mark.parametrize("bad", [0, -1.0, float("nan"), float("inf"), "30", True])
def test_bad_extract_timeout_is_refused_with_the_default_named(bad: object) -> None:
    with pytest.raises(ValueError, match="extract_timeout must be"):
        IngestOptions(extract_timeout=bad)  # type: ignore[arg-type]
