"""One shape for ``Article.published`` across readers, so articles sort in time order.

A date alone stays ``YYYY-MM-DD``; a date with a time becomes ``datetime.isoformat()``
(``YYYY-MM-DDTHH:MM:SS[.ffffff][+HH:MM]``, ``Z`` written as ``+00:00``, no offset if none given).
"""

from __future__ import annotations

import logging
import re
import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

logger = logging.getLogger(__name__)

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def normalize_date(value: str | None) -> str | None:
    """Normalise an ISO 8601 or RFC 2822 date; anything else is dropped with a warning."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        if _DATE_ONLY.fullmatch(text):
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        logger.warning("unrecognised date %r ignored (expected ISO 8601)", text)
        return None


def from_struct_time(value: time.struct_time) -> str | None:
    """feedparser's parsed dates are UTC ``struct_time``s."""
    try:
        return datetime(*value[:6], tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return None
