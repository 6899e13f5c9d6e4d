"""Adding to a library: the ingest, enrich and write pipeline.

Files are read and cut into batches; plain articles go to NER in worker
processes (:mod:`index.enrich.pool`) while the writer streams the oldest batch
into Whoosh as its articles come back, then commits it
(:func:`index.ingest.commit.commit_batch`, which holds the ordering that makes a
kill followed by a rerun converge).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Protocol

from index.enrich.pool import EnrichPool
from index.errors import LibraryError
from index.ingest.commit import commit_batch
from index.ingest.intake import (
    check_file,
    fail,
    ledger_key,
    ledger_path,
    note_other_models,
    total_bytes,
)
from index.ingest.parts import (
    FilePart,
    article_of,
    file_parts,
    fresh_articles,
    restore_missing,
    streamed,
)
from index.layout import (
    LibraryPaths,
    Manifest,
    WriteLock,
    check_safe,
    finish_swap,
    read_manifest,
    write_manifest,
)
from index.models import Article, EnrichedArticle, IngestError
from index.search.writing import WritableIndex
from index.store.db import Store

__all__ = [
    "AddObserver",
    "AddReport",
    "add_paths",
    "create_library",
]

#: Articles per commit (a batch). Each commit makes a Whoosh segment, and
#: Whoosh merges segments by rewriting every posting (as much CPU as writing
#: it the first time), so fewer, larger segments mean fewer merges; the
#: articles stream into the writer as NER returns them, so only the last
#: batch's commit is left once NER ends. Smaller batches make a raw add merge
#: most of its articles once more; 500 is about 50 MB of Whoosh's posting
#: pool, well under its 128 MB spill limit.
BATCH_ARTICLES = 500

#: Articles per NER task at most: a batch is split into several tasks per
#: worker, so that the last ones end together (with one task per worker, the
#: worker given the shorter articles idled while the other finished).
NER_TASK = 40
#: With ``workers=None``, adds of more files than this use worker processes.
AUTO_WORKERS_FILES = 40
#: ... or of more bytes than this (a few hundred articles in one JSONL file).
AUTO_WORKERS_BYTES = 1_000_000


class AddObserver(Protocol):
    """What the pipeline tells its caller (a progress bar, a log, a test)."""

    def files_found(self, count: int) -> None:
        """The number of files to look at is known."""

    def file_done(self, path: str, articles: int, skipped: bool) -> None:
        """A file was handled (``skipped`` when unchanged)."""

    def error(self, error: IngestError) -> None:
        """An input failed."""

    def note(self, message: str) -> None:
        """Something worth saying that is not a failure."""

    def batch_written(self, articles: int, mentions: int) -> None:
        """A batch committed with that many new articles and entity mentions."""


@dataclass(slots=True)
class AddReport:
    """What an ``add`` did."""

    files_seen: int = 0
    files_unchanged: int = 0
    files_written: int = 0
    files_pruned: int = 0
    articles_added: int = 0
    articles_removed: int = 0
    mentions_added: int = 0
    errors: list[IngestError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _NullObserver:
    def files_found(self, count: int) -> None:
        pass

    def file_done(self, path: str, articles: int, skipped: bool) -> None:
        pass

    def error(self, error: IngestError) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def batch_written(self, articles: int, mentions: int) -> None:
        pass


def _model_version(name: str) -> str:
    """A model package's version, read from its metadata without loading it."""
    from importlib import metadata

    for dist in (name, name.replace("_", "-")):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return ""


def create_library(paths: LibraryPaths, model: str) -> None:
    """Create an empty library: directory 0700, index, store, manifest."""
    paths.root.parent.mkdir(parents=True, exist_ok=True)
    paths.root.mkdir(mode=0o700, exist_ok=True)
    os.chmod(paths.root, 0o700)
    WritableIndex.create(paths.index)
    Store(paths.store).close()
    created = datetime.now(UTC).isoformat(timespec="seconds")
    write_manifest(paths, Manifest(model=model, created=created))


def add_paths(
    root: Path,
    inputs: Sequence[str | os.PathLike],
    *,
    model: str | None = None,
    prune: bool = False,
    observer: AddObserver | None = None,
    wait: bool = True,
    batch_articles: int = BATCH_ARTICLES,
    workers: int | None = 0,
) -> AddReport:
    """Add files and folders to a library, creating it on first use.

    Plain articles are enriched (NER) beside the writer; enriched records
    (``newsdesk enrich`` output, see :mod:`index.ingest.sources.enriched`) carry their
    spans and go to the writer without NER.

    Args:
        root: The library directory.
        inputs: Files and folders to add (folders recursively).
        model: The spaCy model; None uses the library's (or the default).
        prune: Also drop the articles of recorded files that no longer exist.
        observer: Progress callbacks.
        wait: Wait for another writer instead of failing with LibraryBusy.
        batch_articles: Articles per commit.
        workers: NER worker processes; 0 runs NER in this process, None chooses
            (all cores for a large add, in-process for a few files).

    Returns:
        What was done, with every input error.

    Raises:
        LibraryError: The library cannot be opened or written.
    """
    from index.enrich.ner import check_model, default_model_name
    from index.ingest.sources import discover, read_file

    obs = observer or _NullObserver()
    paths = LibraryPaths(Path(root))
    report = AddReport()
    finish_swap(paths.root)  # a rebuild stopped mid-swap: its library, not a new one
    if not paths.exists():
        if model:
            check_model(model)  # not a library that names a model no add can load
        create_library(paths, model or default_model_name())
    check_safe(paths.root)
    manifest = read_manifest(paths)
    if model and manifest.model and model != manifest.model:
        raise LibraryError(
            f"library at {paths.root} was built with model {manifest.model!r}; use that model or"
            f" 'newsdesk rebuild --model {model}'"
        )
    model_name = manifest.model or model or default_model_name()
    model_version = manifest.model_version or _model_version(model_name)

    def on_wait() -> None:
        obs.note(f"waiting for another 'newsdesk add' to finish writing {paths.root}")

    with WriteLock(paths, wait=wait, on_wait=on_wait):
        store = Store(paths.store)
        ix = WritableIndex(paths.index)
        try:
            _sync_aliases(store, paths, report, obs)
            found: list[Path] = []
            for item in discover(inputs):
                if isinstance(item, IngestError):
                    report.errors.append(item)
                    obs.error(item)
                else:
                    found.append(item)
            pending = {r.path for r in store.file_records() if r.state == "pending"}
            known = {ledger_key(p) for p in found}
            found.extend(
                ledger_path(k) for k in sorted(pending - known) if ledger_path(k).is_file()
            )
            obs.files_found(len(found))
            if workers is None:
                large = len(found) > AUTO_WORKERS_FILES or total_bytes(found) > AUTO_WORKERS_BYTES
                workers = (os.cpu_count() or 1) if large else 0
            with EnrichPool(model_name, workers) as pool:
                in_flight: deque = deque()
                # Ids taken by a queued batch: a later copy is skipped (the first wins);
                # once the batch is written, the store answers for them.
                claimed: set[str] = set()

                def drain(keep: int, *, ending: bool = False) -> None:
                    # The oldest batch streams into Whoosh as its NER tasks finish.
                    while len(in_flight) > keep:
                        done_batch, fresh, futures = in_flight.popleft()
                        _write_batch(
                            store,
                            ix,
                            done_batch,
                            streamed(fresh, futures),
                            report,
                            obs,
                            more=partial(restore_missing, store, pool, done_batch),
                            to_come=len(in_flight) if ending else None,
                        )
                        for part in done_batch:
                            claimed.difference_update(article_of(a).id for a in part.articles)

                def submit(batch: list[FilePart]) -> None:
                    # Plain articles go to NER; enriched records skip it, in order.
                    fresh = fresh_articles(store, batch, claimed)
                    plain = [item for item in fresh if isinstance(item, Article)]
                    step = min(NER_TASK, max(1, -(-len(plain) // max(1, workers))))
                    futures = [pool.submit(plain[i : i + step]) for i in range(0, len(plain), step)]
                    in_flight.append((batch, fresh, futures))
                    drain(keep=max(1, workers))

                batch: list[FilePart] = []
                batch_size = 0
                for path in found:
                    report.files_seen += 1
                    todo = check_file(store, path, pending, report, obs, read_file, pool.warm)
                    if todo is None:
                        continue
                    note_other_models(path, todo[1], model_name, model_version, obs, report)
                    for part in file_parts(*todo, size=batch_articles):
                        batch.append(part)
                        batch_size += len(part.articles)
                        if batch_size >= batch_articles:
                            submit(batch)
                            batch, batch_size = [], 0
                if batch:
                    submit(batch)
                drain(keep=0, ending=True)
                version = pool.model_version or _model_version(model_name)
            if prune:
                _prune(store, ix, report)
            if version and manifest.model_version != version:
                write_manifest(paths, replace(manifest, model_version=version))
            _write_hot(ix, report, obs)
        finally:
            store.close()
    return report


def _write_hot(ix: WritableIndex, report: AddReport, obs: AddObserver) -> None:
    """Copy the largest posting lists of segments that have no copy yet (see ``accel.hot``)."""

    def failed(message: str) -> None:
        report.notes.append(message)
        obs.note(message)

    ix.write_hot(failed)


def _sync_aliases(store: Store, paths: LibraryPaths, report: AddReport, obs: AddObserver) -> None:
    """Apply a changed ``aliases.toml`` before writing (a broken one is an error, not fatal)."""
    from index.store.curation import sync_curation

    _changed, error = sync_curation(store, paths.aliases)
    if error:
        fail(report, obs, IngestError(str(paths.aliases), error.split(": ", 1)[-1]))


def _write_batch(
    store: Store,
    ix: WritableIndex,
    batch,
    items: Iterable[EnrichedArticle],
    report: AddReport,
    obs: AddObserver,
    **stream: object,
) -> None:
    """Write one batch of file parts (a file's ledger entry is final on its last).

    ``items`` may be a stream that waits for NER; ``stream`` holds
    :func:`~index.ingest.commit.commit_batch`'s ``more`` and ``to_come``.
    """
    last = [part for part in batch if part.last]
    paths = [part.rec.path for part in last]
    links = {part.rec.path: part.ids for part in last}
    more_links = {part.rec.path: part.ids for part in batch if not part.last}
    current = {article_id for part in batch for article_id in part.ids}
    removed = store.orphans(store.file_articles(paths) - current, leaving=paths) if paths else set()
    files = [part.rec for part in last]
    pending = list({part.rec.path: part.rec for part in batch}.values())
    written = commit_batch(
        store,
        ix,
        pending=pending,
        removed=removed,
        items=items,
        files=files,
        links=links,
        more_links=more_links,
        **stream,
    )
    report.files_written += len(files)
    report.articles_added += len(written)
    report.articles_removed += len(removed)
    mentions = sum(len(item.entities) for item in written)
    report.mentions_added += mentions
    obs.batch_written(len(written), mentions)


def _prune(store: Store, ix: WritableIndex, report: AddReport) -> None:
    """Drop the articles of recorded files that no longer exist."""
    gone = [r for r in store.file_records() if not os.path.lexists(ledger_path(r.path))]
    if not gone:
        return
    paths = [r.path for r in gone]
    removed = store.orphans(store.file_articles(paths), leaving=paths)
    commit_batch(
        store, ix, pending=gone, removed=removed, items=[], files=[], links={}, dropped_files=paths
    )
    report.files_pruned += len(gone)
    report.articles_removed += len(removed)
