"""RSS and Atom feeds (``.xml``, ``.rss``, ``.atom``): one article per entry.

The bytes are screened with defusedxml first: entity declarations (billion
laughs) and external references are refused with one line, never expanded.
Only then does feedparser read the feed, from an in-memory stream (feedparser
treats a bare ``bytes`` or ``str`` argument as a file name or URL). A feed
that is not well-formed still goes through feedparser's loose parser when it
is small enough (that parser is slow on huge tokens); if it yields no
entries the file is one ``broken feed (...)`` error.

Entry bodies come from ``content`` or ``summary``; HTML is rendered with lxml
(:func:`index.ingest.sources.html.html_to_text`), never with regular expressions.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml import ElementTree as SafeElementTree

from index.ingest.sources.base import (
    REASON_CHARS,
    SourceError,
    binary_reason,
    describe_error,
    make_article,
    path_text,
    read_limited,
)
from index.ingest.sources.html import html_to_text
from index.models import Article, IngestError
from index.safe_text import one_line

__all__ = ["read_feed"]

#: Feeds that are not well-formed XML go to feedparser's (slow) loose parser only below this size.
MAX_LOOSE_FEED_BYTES = 4 * 1024 * 1024
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_TIME = re.compile(r"\d{1,2}:\d\d")
_LOCATION = re.compile(r":\s*line \d+, column \d+$")


def _has_entity_declaration(data: bytes) -> bool:
    """Tell whether the bytes declare entities (in UTF-8 or UTF-16 text)."""
    return any("<!ENTITY".encode(codec) in data for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _screen(data: bytes) -> tuple[str | None, str | None]:
    """Parse the bytes with defusedxml.

    Returns:
        The root element's local name (lower case) when the XML is
        well-formed, else None; and the parse problem, else None.

    Raises:
        SourceError: The feed declares entities or references external resources.
    """
    try:
        root = SafeElementTree.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except EntitiesForbidden:
        raise SourceError("feed refused: entity declarations are not allowed") from None
    except ExternalReferenceForbidden:
        raise SourceError("feed refused: external references are not allowed") from None
    except DTDForbidden:  # pragma: no cover - forbid_dtd is False
        raise SourceError("feed refused: document type declarations are not allowed") from None
    except ParseError as err:
        message = _LOCATION.sub("", str(err)) or "not well-formed"
        line = err.position[0] if getattr(err, "position", None) else None
        return None, f"{message} at line {line}" if line else message
    tag = root.tag if isinstance(root.tag, str) else ""
    return tag.rsplit("}", 1)[-1].lower(), None


def _detail_text(value: str | None, detail: Any) -> str | None:
    """Render a feed text construct: HTML through lxml, plain text as is."""
    if not value:
        return None
    kind = (detail or {}).get("type", "") if isinstance(detail, dict) else ""
    return html_to_text(value) if kind in _HTML_TYPES else value


def _entry_body(entry: Any) -> str | None:
    """The richest text of an entry: its first non-empty content, else its summary."""
    for content in entry.get("content") or ():
        text = _detail_text(content.get("value"), content)
        if text and text.strip():
            return text
    return _detail_text(entry.get("summary"), entry.get("summary_detail"))


def _entry_date(entry: Any) -> str | None:
    """The entry's publication (or update) date: ISO text, with the time when the feed gives one."""
    for parsed_key, raw_key in (("published_parsed", "published"), ("updated_parsed", "updated")):
        parsed = entry.get(parsed_key)
        raw = entry.get(raw_key) or ""
        if parsed:
            moment = datetime(*parsed[:6])  # feedparser gives UTC
            pattern = "%Y-%m-%dT%H:%M:%S" if _TIME.search(raw) else "%Y-%m-%d"
            return moment.strftime(pattern)
        if raw:
            return raw
    return None


def _entry_article(
    entry: Any, path: Path, number: int, source: str | None
) -> Article | IngestError:
    """Build the article of one feed entry."""
    body = _entry_body(entry)
    if not body or not body.strip():
        return IngestError(path_text(path), "entry has no text", number)
    return make_article(
        path=path,
        body=body,
        title=_detail_text(entry.get("title"), entry.get("title_detail")),
        date=_entry_date(entry),
        source=source,
        url=entry.get("link"),
        author=entry.get("author"),
        line=number,
    )


def read_feed(path: Path, notes: list[str] | None = None) -> Iterator[Article | IngestError]:
    """Read an RSS or Atom feed: one article (or error) per entry.

    Args:
        path: The ``.xml``, ``.rss`` or ``.atom`` file.
        notes: Unused (feeds declare their encoding); kept for the reader signature.

    Yields:
        One article or error per entry, ``line`` being the 1-based entry number.

    Raises:
        SourceError: The file is empty, binary, refused, broken or not a feed.
    """
    del notes
    data = read_limited(path)
    if not data.strip():
        raise SourceError("empty file")
    binary = binary_reason(data)
    if binary:
        raise SourceError(binary)
    root, problem = _screen(data)
    if root is not None and root not in _FEED_ROOTS:
        raise SourceError("not an RSS or Atom feed")
    if problem is not None:
        if _has_entity_declaration(data):
            raise SourceError("feed refused: entity declarations are not allowed")
        if len(data) > MAX_LOOSE_FEED_BYTES:
            raise SourceError(f"broken feed ({problem})")
    parsed = feedparser.parse(io.BytesIO(data))
    entries = parsed.get("entries") or []
    if not entries:
        if problem is None and root is not None:
            raise SourceError("feed has no entries")
        if not parsed.get("version") and problem is not None:
            raise SourceError(f"not an RSS or Atom feed (not XML: {problem})")
        detail = problem or one_line(parsed.get("bozo_exception") or "no entries", REASON_CHARS)
        raise SourceError(f"broken feed ({detail})")
    feed_info = parsed.get("feed") or {}
    source = _detail_text(feed_info.get("title"), feed_info.get("title_detail"))
    for number, entry in enumerate(entries, start=1):
        try:
            yield _entry_article(entry, path, number, source)
        except Exception as err:  # one bad entry must not stop the others
            yield IngestError(path_text(path), describe_error(err), number)
