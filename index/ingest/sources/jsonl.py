"""JSON (``.json``) and JSON Lines (``.jsonl``) articles.

A ``.json`` file holds one article object, a list of them, or an object with
an ``"articles"`` list. A ``.jsonl`` file holds one object per line and is
read line by line, so one bad line (malformed, too long, too deep, not an
object, no body) is one error and the other lines still come through.

Fields: ``title`` (or ``headline``), ``body`` | ``text`` | ``content``,
``date`` | ``published``, ``url`` (or ``link``), ``source``, ``author`` (a
list of names is joined). Numbers become strings, ``null`` means missing; a
body that is not a string is an error for that record. ``NaN`` and
``Infinity`` are refused.

A record with ``"newsdesk": "enriched/1"`` is an enriched record (see
:mod:`index.ingest.sources.enriched`): the article is built exactly as for a plain
record, and its entity and sentence spans come along, so ``add`` runs no NER
for it.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.ingest.sources.base import (
    MAX_LINE_BYTES,
    REASON_CHARS,
    SourceError,
    add_note,
    binary_reason,
    decode,
    describe_error,
    load_text,
    make_article,
    open_source,
    path_text,
)
from index.ingest.sources.enriched import attach_spans, record_format
from index.models import Article, EnrichedArticle, IngestError
from index.safe_text import one_line

__all__ = ["read_json", "read_jsonl"]

_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "body": ("body", "text", "content"),
    "date": ("date", "published"),
    "url": ("url", "link"),
    "source": ("source",),
    "author": ("author", "authors"),
}
_SKIP_CHUNK = 1024 * 1024
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _type_name(value: Any) -> str:
    """Name a JSON value's type the way JSON does."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    return "object" if isinstance(value, dict) else type(value).__name__


def _refuse_constant(name: str) -> Any:
    """``parse_constant`` hook: NaN and Infinity are not JSON."""
    raise ValueError(f"{name} is not allowed")


def _loads(text: str) -> Any:
    """Parse JSON text, turning every failure into a short SourceError."""
    try:
        return json.loads(text, parse_constant=_refuse_constant, strict=False)
    except json.JSONDecodeError as err:
        where = f"line {err.lineno} column {err.colno}" if err.lineno > 1 else f"column {err.colno}"
        raise SourceError(f"malformed JSON ({err.msg} at {where})") from None
    except RecursionError:
        raise SourceError("JSON nested too deeply") from None
    except MemoryError:
        raise SourceError("JSON too large to parse (out of memory)") from None
    except ValueError as err:
        detail = str(err)
        if "integer string conversion" in detail:
            detail = "a number with too many digits"
        raise SourceError(f"malformed JSON ({one_line(detail, REASON_CHARS)})") from None


def _string(value: Any) -> str | None:
    """A metadata value as a string: numbers become strings, lists of strings are joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    return None


def _article(record: Any, path: Path, line: int | None) -> Article | EnrichedArticle | IngestError:
    """Build an article (or, from an enriched record, an enriched article) from one JSON record."""
    shown = path_text(path)
    if not isinstance(record, dict):
        return IngestError(shown, f"expected a JSON object, got {_type_name(record)}", line)
    enriched = record_format(record) is not None
    values: dict[str, Any] = {}
    for field, keys in _FIELDS.items():
        values[field] = next((record[key] for key in keys if record.get(key) is not None), None)
    body = values.pop("body")
    if body is None:
        return IngestError(shown, "no body text", line)
    if not isinstance(body, str):
        return IngestError(shown, f"body is not a string (got {_type_name(body)})", line)
    article = make_article(
        path=path,
        body=body,
        title=_string(values["title"]),
        date=_string(values["date"]),
        source=_string(values["source"]),
        url=_string(values["url"]),
        author=_string(values["author"]),
        line=line,
    )
    if not enriched or isinstance(article, IngestError):
        return article
    try:
        return attach_spans(record, body, article)
    except SourceError as err:
        return IngestError(shown, err.reason, line)


def _records(text: str) -> Iterator[tuple[Any, int | None]]:
    """Yield the records of a whole JSON document with their 1-based entry numbers."""
    document = _loads(text)
    if isinstance(document, dict) and isinstance(document.get("articles"), list):
        document = document["articles"]
    if isinstance(document, list):
        if not document:
            raise SourceError("no articles (empty list)")
        yield from ((record, number) for number, record in enumerate(document, start=1))
    elif isinstance(document, dict):
        yield document, None
    else:
        raise SourceError(f"expected a JSON object or list, got {_type_name(document)}")


def read_json(
    path: Path, notes: list[str] | None = None
) -> Iterator[Article | EnrichedArticle | IngestError]:
    """Read a ``.json`` file: one article, a list, or ``{"articles": [...]}``.

    Args:
        path: The ``.json`` file.
        notes: Where a decoding note is appended, or None.

    Yields:
        One article or error per record; ``line`` is the entry number in a list.
    """
    for record, number in _records(load_text(path, notes)):
        try:
            yield _article(record, path, number)
        except Exception as err:  # one bad entry must not stop the others
            yield IngestError(path_text(path), describe_error(err), number)


def _decode_line(data: bytes, number: int, encodings: dict[str, int]) -> str:
    """Decode one JSONL line (UTF-8, else detected), counting non-UTF-8 lines."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text, note = decode(data)
    except SourceError as err:
        raise SourceError(err.reason, number) from None
    if note:
        encodings[note] = encodings.get(note, 0) + 1
    return text


def _parse_line(
    data: bytes | str, number: int, encodings: dict[str, int], path: Path
) -> Article | EnrichedArticle | IngestError:
    """Decode and parse one line into an article or an error; never raises."""
    try:
        text = data if isinstance(data, str) else _decode_line(data, number, encodings)
        return _article(_loads(text), path, number)
    except Exception as err:  # one bad line must not stop the others
        return IngestError(path_text(path), describe_error(err), number)


def _whole_file_lines(
    path: Path, notes: list[str] | None
) -> Iterator[Article | EnrichedArticle | IngestError]:
    """Read a UTF-16/32 JSONL file (which has a BOM) whole, then line by line."""
    text = load_text(path, notes)
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield _parse_line(line, number, {}, path)


def read_jsonl(
    path: Path, notes: list[str] | None = None
) -> Iterator[Article | EnrichedArticle | IngestError]:
    """Read a ``.jsonl`` file line by line, with no limit on the file size.

    Each line is read with ``readline(MAX_LINE_BYTES + 1)``: a longer line is
    one error, its rest is skipped, and reading goes on with the next line.

    Args:
        path: The ``.jsonl`` file.
        notes: Where one decoding note for the file is appended, or None.

    Yields:
        One article or error per non-blank line; ``line`` is the 1-based line number.

    Raises:
        SourceError: The file is empty or binary.
    """
    encodings: dict[str, int] = {}
    with open_source(path) as handle:
        head = handle.read(64 * 1024)
        if not head:
            raise SourceError("empty file")
        if head.startswith(_WIDE_BOMS):
            handle.close()
            yield from _whole_file_lines(path, notes)
            return
        binary = binary_reason(head)
        if binary:
            raise SourceError(binary)
        handle.seek(0)
        number = 0
        seen = False
        while True:
            data = handle.readline(MAX_LINE_BYTES + 1)
            if not data:
                break
            number += 1
            if number == 1 and data.startswith(codecs.BOM_UTF8):
                data = data[len(codecs.BOM_UTF8) :]
            if len(data) > MAX_LINE_BYTES and not data.endswith(b"\n"):
                while data and not data.endswith(b"\n"):
                    data = handle.readline(_SKIP_CHUNK)
                seen = True
                limit = MAX_LINE_BYTES // (1024 * 1024)
                yield IngestError(path_text(path), f"line too long (over {limit} MB)", number)
                continue
            if not data.strip():
                continue
            seen = True
            yield _parse_line(data, number, encodings, path)
    if not seen:
        raise SourceError("empty file (only whitespace)")
    for note, count in encodings.items():
        add_note(notes, path, f"{note} on {count} line{'s' if count > 1 else ''}")
