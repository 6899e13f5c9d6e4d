"""What an ``add`` reads: ledger keys, file hashes, the unchanged check, model notes.

A source file is known to the ledger by its absolute path; it is read again
only when its size or modification time changed and its content hash did
too. :func:`check_file` makes that decision and reads the file when needed.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from index.models import Article, EnrichedArticle, IngestError
from index.store.db import FileRecord

if TYPE_CHECKING:
    from index.ingest.writer import AddObserver, AddReport

__all__ = [
    "check_file",
    "fail",
    "hash_file",
    "ledger_key",
    "ledger_path",
    "note_other_models",
    "total_bytes",
]


def total_bytes(paths: Sequence[Path]) -> int:
    """The size of some files together (unreadable ones count as empty)."""
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


def hash_file(path: Path) -> str:
    """A file's content hash (BLAKE2b, 16 bytes, hex)."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def ledger_key(path: str | os.PathLike) -> str:
    """The ledger's name for a source file: its absolute path (base64 if not valid UTF-8)."""
    text = os.path.abspath(os.fspath(path))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "b64:" + base64.b64encode(os.fsencode(text)).decode("ascii")
    return text


def ledger_path(key: str) -> Path:
    """The file a ledger key names (the inverse of :func:`ledger_key`)."""
    if key.startswith("b64:"):
        return Path(os.fsdecode(base64.b64decode(key[4:])))
    return Path(key)


def check_file(store, path, pending, report, obs, read_file, on_plain=None):
    """Decide whether a file needs (re)writing; read it if so.

    ``on_plain`` is called when the file's first plain article that the
    library does not hold (one that will need NER) is read, so the NER
    workers can start loading the model meanwhile.
    """
    from index.ingest.sources import path_text

    name = ledger_key(path)
    try:
        st = path.stat()
    except OSError as err:
        fail(report, obs, IngestError(path_text(path), f"cannot read: {err.strerror or err}"))
        return None
    record = store.file_record(name)
    if (
        record
        and name not in pending
        and record.size == st.st_size
        and (record.mtime_ns == st.st_mtime_ns)
    ):
        report.files_unchanged += 1
        obs.file_done(name, 0, True)
        return None
    try:
        digest = hash_file(path)
    except OSError as err:
        fail(report, obs, IngestError(path_text(path), f"cannot read: {err.strerror or err}"))
        return None
    if record and name not in pending and record.hash == digest and record.state == "done":
        store.mark_files([replace(record, size=st.st_size, mtime_ns=st.st_mtime_ns)])
        report.files_unchanged += 1
        obs.file_done(name, 0, True)
        return None
    notes: list[str] = []
    articles: list[Article | EnrichedArticle] = []
    errors = 0
    for item in read_file(path, notes=notes):
        if isinstance(item, IngestError):
            errors += 1
            fail(report, obs, item)
        else:
            if on_plain and isinstance(item, Article) and not store.article_exists(item.id):
                on_plain()
                on_plain = None
            articles.append(item)
    for note in notes:
        report.notes.append(note)
        obs.note(note)
    if not articles and errors:
        return None  # the whole file failed: keep what the library had from it
    rec = FileRecord(name, st.st_size, st.st_mtime_ns, digest, "done", errors)
    obs.file_done(name, len(articles), False)
    return rec, articles


def fail(report: AddReport, obs: AddObserver, error: IngestError) -> None:
    """Record an input error in the report and tell the observer."""
    report.errors.append(error)
    obs.error(error)


def _model_matches(label: str, name: str, version: str) -> bool:
    """Whether an enriched record's ``"<name> <version>"`` is the library's model."""
    if version:
        return label == f"{name} {version}"
    return label == name or label.rsplit(" ", 1)[0] == name


def note_other_models(path: Path, articles, name: str, version: str, obs, report) -> None:
    """One note per file whose enriched records came from another model (kept as they are)."""
    others = sorted(
        {
            label
            for item in articles
            if isinstance(item, EnrichedArticle)
            and not _model_matches(label := getattr(item, "model", ""), name, version)
        }
    )
    if others:
        from index.ingest.sources import path_text

        shown = ", ".join(repr(label[:80]) for label in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        note = (
            f"{path_text(path)}: enriched records made with {shown}{more}, not the library's"
            f" model {f'{name} {version}'.strip()!r}; their entities are kept as they are"
        )
        report.notes.append(note)
        obs.note(note)
