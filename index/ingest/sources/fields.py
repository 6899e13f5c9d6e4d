"""Field helpers for :func:`~index.ingest.sources.base.make_article`: dates and derived titles."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

from dateutil import parser as date_parser

__all__ = ["DERIVED_TITLE_CHARS", "cut", "derive_title", "lead_sentence", "normalize_date"]

#: A title derived from the lead sentence is at most this long.
DERIVED_TITLE_CHARS = 90

_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[01])\d\d(?!\d)")
_TIME = re.compile(r"\d{1,2}:\d\d")
_EPOCH = re.compile(r"\d{9,10}(?:\.\d+)?")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(\[]*[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:[A-Z]\.)+[A-Z]"
    r"|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof|Gen|Gov|Sen|Rep|No|Vs|vs|Inc|Co|Corp|Ltd))\.$"
)


def _epoch(value: str) -> datetime | None:
    """Read a Unix timestamp (9-10 digits) as a UTC datetime."""
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def normalize_date(value: str | datetime | None) -> str | None:
    """Normalise a date to ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS``.

    Aware datetimes are converted to UTC. A value without a four-digit year
    between 1800 and 2199 (and not a Unix timestamp), or a bare year, is
    treated as unknown.

    Args:
        value: A cleaned date string, a datetime, or None.

    Returns:
        The ISO 8601 date (with the time when one is known), or None.
    """
    if value is None:
        return None
    has_time = True
    if isinstance(value, datetime):
        moment: datetime | None = value
    else:
        text = value.strip()[:100]
        if _EPOCH.fullmatch(text):
            moment = _epoch(text)
        elif not _YEAR.search(text) or _YEAR.fullmatch(text):
            return None  # no year, or a year alone: no day to give
        else:
            has_time = bool(_TIME.search(text))
            try:
                moment = date_parser.parse(text, default=datetime(2000, 1, 1))
            except (ValueError, OverflowError, TypeError, LookupError):
                return None
    if moment is None or not 1800 <= moment.year <= 2199:
        return None
    if moment.tzinfo is not None and moment.utcoffset() is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    if not has_time or moment.time() == time():
        # Midnight is how many feeds write "no time": the day, as a search shows it.
        return moment.date().isoformat()
    return moment.replace(microsecond=0, tzinfo=None).isoformat(timespec="seconds")


def cut(text: str, limit: int) -> str:
    """Cut a one-line text to ``limit`` characters at a word boundary, adding "…".

    Args:
        text: A one-line text.
        limit: The longest result, "…" included.

    Returns:
        The text itself when it fits; else its longest head that ends at a word
        boundary (or a hard cut when the first third holds no space) plus "…".
    """
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    if text[limit - 1] != " ":  # the cut falls inside a word: back to the last space
        space = head.rfind(" ")
        if space >= limit // 3:
            head = head[:space]
    return head.rstrip(" ,;:-–—") + "…"


def lead_sentence(body: str) -> str:
    """Return the first sentence of a cleaned body's first paragraph.

    Args:
        body: A cleaned body.

    Returns:
        The lead sentence with whitespace folded, or "" for an empty body.
    """
    paragraph = body.strip().split("\n\n", 1)[0]
    paragraph = " ".join(paragraph.split())
    for match in _SENTENCE_END.finditer(paragraph):
        candidate = paragraph[: match.end()]
        if not _ABBREVIATION.search(candidate.rstrip("\"'”’)]")):
            return candidate
    return paragraph


def derive_title(body: str) -> str:
    """Derive a title from the lead sentence, cut at a word boundary to 90 characters.

    Args:
        body: A cleaned, non-empty body.

    Returns:
        The lead sentence, or its head plus "…" when it is longer than 90 characters.
    """
    return cut(lead_sentence(body), DERIVED_TITLE_CHARS)
