"""Readers that turn input files into cleaned articles or one-line errors.

Use :func:`discover` to expand command-line paths into files, then
:func:`read_file` on each. Neither ever raises for bad input: every failure
is an :class:`~index.models.IngestError` naming the file (and the line or
entry), with a short reason; ``str(error)`` is one line.

Example:
    >>> notes: list[str] = []
    >>> for item in discover(["corpus/"]):
    ...     if isinstance(item, IngestError):
    ...         print(item)
    ...     else:
    ...         for result in read_file(item, notes):
    ...             ...
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from index.ingest.sources.base import (
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
    MAX_LINE_BYTES,
    Reader,
    describe_error,
    make_article,
    path_text,
)
from index.ingest.sources.feed import read_feed
from index.ingest.sources.files import discover as _discover
from index.ingest.sources.html import read_html
from index.ingest.sources.jsonl import read_json, read_jsonl
from index.ingest.sources.markdown import read_markdown
from index.ingest.sources.text import read_text
from index.models import Article, EnrichedArticle, IngestError

__all__ = [
    "MAX_ARTICLE_CHARS",
    "MAX_FILE_BYTES",
    "MAX_LINE_BYTES",
    "READERS",
    "SUPPORTED_SUFFIXES",
    "Reader",
    "discover",
    "make_article",
    "path_text",
    "read_file",
]

#: The reader for each supported (lower-case) suffix.
READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
}

#: Every suffix :func:`discover` yields and :func:`read_file` reads.
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(READERS)


def discover(paths: Iterable[str | os.PathLike[str] | bytes]) -> Iterator[Path | IngestError]:
    """Expand files and folders into the files to read, without following symlinks.

    Folders are walked recursively in sorted order; inside them hidden
    entries, symlinks, special files (FIFOs, sockets, devices) and files with
    unsupported suffixes are skipped silently. Nothing is ever opened.

    Args:
        paths: Files and folders, typically from the command line.

    Yields:
        Regular files with a supported suffix, and an error for each named
        path that is missing, a symlink, a special file, of an unsupported
        type, or a folder that cannot be listed.
    """
    yield from _discover(paths, SUPPORTED_SUFFIXES)


def read_file(
    path: str | os.PathLike[str], notes: list[str] | None = None
) -> Iterator[Article | EnrichedArticle | IngestError]:
    """Read one file into articles, never raising for bad input.

    Args:
        path: The file; its suffix (case-insensitive) selects the reader.
        notes: When given, warnings that are not failures (such as
            ``"<path>: decoded as cp1252 (not UTF-8)"``) are appended to it.

    Yields:
        Articles and one-line errors; one bad record (a JSONL line, a feed
        entry) is one error and the other records still come through. An
        enriched record (``"newsdesk": "enriched/1"`` in ``.json``/``.jsonl``)
        comes as an :class:`~index.models.EnrichedArticle` that needs no NER.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        suffix = f"'{path_text(path.suffix)}'" if path.suffix else "(no extension)"
        yield IngestError(path_text(path), f"unsupported file type {suffix}")
        return
    try:
        yield from reader(path, notes)
    except Exception as err:  # every failure becomes a one-line error
        cause: BaseException | None = err.__context__
        while cause is not None:  # a cleanup error must never swallow Ctrl-C or SIGHUP
            if isinstance(cause, KeyboardInterrupt):
                raise cause from None
            cause = cause.__context__
        line = getattr(err, "line", None)
        yield IngestError(
            path_text(path), describe_error(err), line if isinstance(line, int) else None
        )
