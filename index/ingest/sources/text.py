"""Plain-text articles (``.txt``): leading metadata, a title line, and paragraphs.

Recognised metadata is removed from the body and never indexed:

* ``key: value`` lines at the very top, each on its own line, for the keys
  title, date, published, source, url and author. Values are checked so that
  prose is not eaten: dates must parse, urls must look like urls, sources and
  authors must be short and not end like a sentence.
* a ``date <ISO date>`` (or ``published``) prefix, which may share its line
  with the start of the body, as in ``date 2023-05-18 Amid the ...``.

Then a short first line without end punctuation, followed by more text,
becomes the title. Blank-line separated blocks stay paragraphs; inside a
block, hard-wrapped lines are joined, while short lines without end
punctuation (inline subheadings) stay paragraphs of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from index.ingest.sources.base import load_text, make_article, normalize_date
from index.models import Article, IngestError

__all__ = ["parse_text", "read_text"]

_META_LINE = re.compile(r"(title|date|published|source|url|author)[ \t]*:[ \t]*(.*)", re.I)
_ISO_DATE = (
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[ ]?(?:Z|UTC|[+-]\d{2}:?\d{2}))?)?"
)
_DATE_PREFIX = re.compile(rf"(date|published)[ \t]*:?[ \t]+({_ISO_DATE})(?=\s|$)", re.I)
_END_PUNCT = re.compile(r"[.!?:;,…][\"'”’)\]»]*$")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]»]*$")
_URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.I)
_BULLET = re.compile(r"(?:[-*•–]|\d{1,3}[.)])\s")
_WRAP_WIDTH = 100
_TITLE_CHARS = 150


def _meta_value_ok(key: str, value: str) -> bool:
    """Tell whether a ``key: value`` line is metadata rather than prose."""
    if not value:
        return False
    if key in ("date", "published"):
        return normalize_date(value) is not None
    if key == "url":
        return _URL.fullmatch(value) is not None
    if key == "title":
        return len(value) <= 300
    return len(value) <= 120 and not _SENTENCE_END.search(value)


def _split_metadata(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Remove leading metadata lines (and a date prefix) from the lines."""
    meta: dict[str, str] = {}
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped:
            i += 1
            continue
        match = _META_LINE.fullmatch(stripped)
        if match:
            key = match.group(1).lower()
            key = "date" if key == "published" else key
            value = match.group(2).strip()
            if _meta_value_ok(key, value):
                meta.setdefault(key, value)  # a repeated key (date, then published): first wins
                i += 1
                continue
        prefix = _DATE_PREFIX.match(stripped)
        if prefix and "date" not in meta:
            meta["date"] = prefix.group(2)
            rest = stripped[prefix.end() :].strip()
            if rest:
                return meta, [rest, *lines[i + 1 :]]
            i += 1
            continue
        break
    return meta, lines[i:]


def _blocks(lines: list[str]) -> list[list[str]]:
    """Split lines into blank-line separated blocks of stripped, non-empty lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped:
            current.append(stripped)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_heading(block: list[str], index: int) -> bool:
    """Tell whether a line of a block is a subheading rather than wrapped prose."""
    line = block[index]
    if len(line) > _TITLE_CHARS or _END_PUNCT.search(line) or _BULLET.match(line):
        return False
    if index + 1 < len(block) and block[index + 1][:1].islower():
        return False  # the next line continues this one
    width = max(len(item) for item in block)
    return width > _WRAP_WIDTH or len(line) < 0.8 * width


def _paragraphs(block: list[str]) -> list[str]:
    """Turn one block into paragraphs, joining hard-wrapped lines."""
    width = max(len(item) for item in block)
    wrapped = width <= _WRAP_WIDTH
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for index, line in enumerate(block):
        if len(block) > 1 and _is_heading(block, index):
            flush()
            paragraphs.append(line)
            continue
        if _BULLET.match(line):
            flush()
        current.append(line)
        ends = _SENTENCE_END.search(line) is not None
        if not wrapped or (ends and len(line) < 0.6 * width):
            flush()
    flush()
    return paragraphs


def parse_text(text: str) -> tuple[dict[str, str], list[str]]:
    """Split raw text into metadata and paragraphs.

    Args:
        text: The decoded, not yet cleaned, file text.

    Returns:
        The metadata (keys among title, date, source, url, author; the title
        line, when found, is stored under "title") and the body paragraphs.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta, lines = _split_metadata(lines)
    blocks = _blocks(lines)
    if "title" not in meta and blocks:
        first = blocks[0]
        candidate = first[0]
        has_more = len(first) > 1 or len(blocks) > 1
        if (
            has_more
            and len(candidate) <= _TITLE_CHARS
            and not _END_PUNCT.search(candidate)
            and (len(first) == 1 or _is_heading(first, 0))
        ):
            meta["title"] = candidate
            if len(first) == 1:
                blocks = blocks[1:]
            else:
                blocks = [first[1:], *blocks[1:]]
    paragraphs = [para for block in blocks for para in _paragraphs(block)]
    return meta, paragraphs


def read_text(path: Path, notes: list[str] | None = None) -> Iterator[Article | IngestError]:
    """Read one plain-text article.

    Args:
        path: The ``.txt`` file.
        notes: Where a decoding note is appended, or None.

    Yields:
        One article, or one error.
    """
    meta, paragraphs = parse_text(load_text(path, notes))
    yield make_article(
        path=path,
        body="\n\n".join(paragraphs),
        title=meta.get("title"),
        date=meta.get("date"),
        source=meta.get("source"),
        url=meta.get("url"),
        author=meta.get("author"),
    )
