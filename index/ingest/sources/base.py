"""Helpers shared by every reader: safe file access, decoding, limits and article building.

Readers never build :class:`~index.models.Article` objects themselves: they
hand raw strings to :func:`make_article`, which cleans every field exactly
once, derives a missing title, normalises the date and computes the stable id.
Failures inside a reader are raised as :class:`SourceError` (or any other
exception) and turned into one-line :class:`~index.models.IngestError` values
by :func:`index.ingest.sources.read_file`.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from index.ingest.clean import clean_line, clean_text
from index.ingest.sources.decoding import binary_reason, decode, is_binary
from index.ingest.sources.fields import cut, derive_title, normalize_date
from index.ingest.sources.reasons import REASON_CHARS, SourceError, describe_error, path_text
from index.models import Article, EnrichedArticle, IngestError

__all__ = [
    "HIDE_CONTROLS",
    "MAX_ARTICLE_CHARS",
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "MAX_TITLE_CHARS",
    "REASON_CHARS",
    "SHOW_CONTROLS",
    "Reader",
    "SourceError",
    "add_note",
    "binary_reason",
    "decode",
    "derive_title",
    "describe_error",
    "is_binary",
    "load_text",
    "make_article",
    "normalize_date",
    "open_source",
    "path_text",
    "read_limited",
]

#: Whole-file formats (txt, md, html, json, feeds) larger than this are refused.
MAX_FILE_BYTES = 32 * 1024 * 1024
#: A JSONL line longer than this is one error; the rest of the file goes on.
MAX_LINE_BYTES = 8 * 1024 * 1024
#: A cleaned body longer than this is refused.
MAX_ARTICLE_CHARS = 1_000_000
# Bodies longer than this are refused before cleaning (cleaning never shrinks real text 4x).
_NO_CLEAN_ABOVE = 4 * MAX_ARTICLE_CHARS
#: Cleaned titles are cut (at a word boundary, with "…") to this length.
MAX_TITLE_CHARS = 300
#: Cleaned sources, authors and urls are cut to this length.
MAX_FIELD_CHARS = 1_000

# C0 controls and DEL travel through parsers that reject or replace them (libxml2,
# trafilatura, markdown-it) as their Unicode Control Pictures, and come back after,
# so that clean_text sees, and removes, whole escape sequences rather than debris.
_C0 = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]
#: ``str.translate`` table: controls to Control Pictures (U+2400...).
HIDE_CONTROLS: dict[int, int] = {code: 0x2400 + code for code in _C0} | {0x7F: 0x2421}
#: ``str.translate`` table: Control Pictures back to controls.
SHOW_CONTROLS: dict[int, int] = {picture: code for code, picture in HIDE_CONTROLS.items()}

#: A reader: takes a path and the optional notes list, yields articles or errors
#: (and, from enriched records, articles that come with their entity spans).
Reader = Callable[[Path, list[str] | None], Iterator[Article | EnrichedArticle | IngestError]]


def _size(n: int) -> str:
    """Format a byte count in MB (binary megabytes, as the limits are)."""
    return f"{n / (1024 * 1024):.1f} MB"


def open_source(path: Path) -> BinaryIO:
    """Open a regular file for binary reading without following symlinks or blocking.

    ``O_NOFOLLOW`` refuses a file swapped for a symlink after discovery and
    ``O_NONBLOCK`` keeps a FIFO swapped in from blocking; anything that is not
    a regular file is refused after ``fstat``.

    Args:
        path: The file to open.

    Returns:
        An open binary file object positioned at the start.

    Raises:
        SourceError: The path is not a regular file.
        OSError: The file could not be opened.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise SourceError("is a directory" if stat.S_ISDIR(mode) else "not a regular file")
        return open(fd, "rb", closefd=True)  # the caller closes it
    except BaseException:
        # An interrupt can land after open() took the descriptor: closing it again
        # must not replace the original exception (a Ctrl-C would become EBADF).
        try:
            os.close(fd)
        except OSError:
            pass
        raise


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a whole file, refusing files over ``limit`` before reading them.

    Args:
        path: The file to read.
        limit: The largest accepted size in bytes.

    Returns:
        The file's bytes.

    Raises:
        SourceError: The file is too large, or changed while it was read.
        OSError: The file could not be opened or read.
    """
    with open_source(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            raise SourceError(f"file too large ({_size(size)} > {limit // (1024 * 1024)} MB limit)")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SourceError(f"file too large (grew past the {limit // (1024 * 1024)} MB limit)")
    if len(data) != size:
        raise SourceError("file changed while it was being read")
    return data


def add_note(notes: list[str] | None, path: Path | str, note: str | None) -> None:
    """Append ``"<path>: <note>"`` to ``notes`` when both are given.

    Args:
        notes: The caller's notes list, or None.
        path: The file the note is about.
        note: The note, or None for nothing to say.
    """
    if notes is not None and note:
        notes.append(f"{path_text(path)}: {note}")


def load_text(path: Path, notes: list[str] | None) -> str:
    """Read and decode a whole-file format, with the size limit and empty checks.

    Args:
        path: The file to read.
        notes: Where a decoding note is appended, or None.

    Returns:
        The decoded text (not yet cleaned).

    Raises:
        SourceError: The file is too large, empty, binary or undecodable.
        OSError: The file could not be read.
    """
    data = read_limited(path)
    if not data:
        raise SourceError("empty file")
    text, note = decode(data, path)
    if not text.strip():
        raise SourceError("empty file (only whitespace)")
    add_note(notes, path, note)
    return text


def _field(value: str | None, limit: int = MAX_FIELD_CHARS) -> str:
    """Clean a one-line field (exactly once) and cap its length."""
    return cut(clean_line(value), limit) if value else ""


def make_article(
    *,
    path: str | os.PathLike[str],
    body: str,
    title: str | None = None,
    date: str | datetime | None = None,
    source: str | None = None,
    url: str | None = None,
    author: str | None = None,
    line: int | None = None,
) -> Article | IngestError:
    """Build a cleaned article, or the one-line error that explains why not.

    Args:
        path: The file the article comes from.
        body: The raw body text; cleaned with :func:`~index.ingest.clean.clean_text`.
        title: The raw title, or None to derive one from the lead sentence.
        date: The raw date (string or datetime), or None.
        source: The raw publication name, or None.
        url: The raw URL, or None.
        author: The raw author, or None.
        line: The line or entry number inside the file, or None.

    Returns:
        The :class:`~index.models.Article`, or an :class:`~index.models.IngestError`
        for an empty body or a body over :data:`MAX_ARTICLE_CHARS` characters.
    """
    shown = path_text(path)
    if len(body) > _NO_CLEAN_ABOVE:  # far too large: skip seconds of cleaning
        size = f"{len(body):,} characters > {MAX_ARTICLE_CHARS:,}"
        return IngestError(shown, f"article too large ({size})", line)
    clean_body = clean_text(body) if body else ""
    if not clean_body.strip():
        return IngestError(shown, "no body text", line)
    if len(clean_body) > MAX_ARTICLE_CHARS:
        size = f"{len(clean_body):,} characters > {MAX_ARTICLE_CHARS:,}"
        return IngestError(shown, f"article too large ({size})", line)
    clean_source = _field(source)
    clean_title = _field(title, MAX_TITLE_CHARS) or derive_title(clean_body)
    clean_date = date if isinstance(date, datetime) else (clean_line(date) if date else None)
    digest = hashlib.blake2b(
        (clean_source + "\x1f" + clean_body).encode("utf-8", "surrogatepass"), digest_size=8
    ).hexdigest()
    return Article(
        id=digest,
        title=clean_title,
        body=clean_body,
        date=normalize_date(clean_date),
        source=clean_source,
        url=_field(url),
        author=_field(author),
        path=shown,
        line=line,
    )
