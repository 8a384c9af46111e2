"""A wall-clock limit on one document's extraction.

A hostile or pathological page (deeply nested markup, megabytes of one table) can keep the
HTML extractor busy for minutes; one such page must cost its own failure, not the run. The
limit uses the process's interval timer, so it applies in the main thread of a process (the
CLI, each spawned worker); elsewhere (a web server's worker threads) it is not enforced and
the size cap is the only bound.
"""

from __future__ import annotations

import math
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from newstrace.ingest.decode import BadInput

DEFAULT_EXTRACT_TIMEOUT = 30.0  # seconds per document


class ExtractionTimeout(BadInput):
    """The document's extraction ran past its time limit."""


def check_timeout(seconds: float | None) -> None:
    """Refuse a limit that is not a positive number of seconds (None means no limit)."""
    if seconds is None:
        return
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise ValueError(f"extract_timeout must be a number of seconds (got {seconds!r})")
    if not (math.isfinite(seconds) and seconds > 0):
        raise ValueError(
            f"extract_timeout must be a positive number of seconds (got {seconds!r}); "
            f"the default is {DEFAULT_EXTRACT_TIMEOUT:g}"
        )


def _enforceable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


_REPEAT_S = 0.05  # after expiry the alarm repeats: extractors that swallow exceptions give up


@contextmanager
def time_limit(seconds: float | None, what: str = "extraction") -> Iterator[None]:
    """Raise ``ExtractionTimeout`` once ``seconds`` have passed in the block.

    Libraries such as trafilatura catch broad exceptions and carry on or return nothing, so
    the alarm keeps firing after expiry and the block's outcome is replaced by the timeout
    whatever it returned. A timer already running (an outer limit) is restored afterwards,
    less the time spent.
    """
    if seconds is None or not _enforceable():
        yield
        return
    message = f"{what} took longer than {seconds:g} s (the extraction time limit)"
    expired = False

    def expire(signum: int, frame: FrameType | None) -> None:
        nonlocal expired
        expired = True
        raise ExtractionTimeout(message)

    previous_handler = signal.signal(signal.SIGALRM, expire)
    previous_delay, previous_interval = signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_S)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            spent = time.monotonic() - started
            signal.setitimer(
                signal.ITIMER_REAL, max(previous_delay - spent, 1e-3), previous_interval
            )
    if expired:
        raise ExtractionTimeout(message)
