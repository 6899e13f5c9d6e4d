"""Whoosh on disk, made durable and safe.

* :class:`DurableStorage` fsyncs every file it writes when the file is closed,
  fsyncs the temporary TOC before Whoosh renames it into place, and fsyncs the
  directory after the rename, so a commit survives a power cut. It never memory
  maps (``supports_mmap=False``: with maps, opening a large index takes far
  more time and memory), and creates files ``0600``.
* :func:`safe_writer` wraps ``ix.writer()``: on any failure, including inside
  ``commit()`` itself (disk full), it cancels, releases the write lock and
  removes the orphaned files, so the next writer works without a restart. Its
  codec keeps the term table in a temporary file while a segment is written
  (:mod:`index.search.accel.compact_codec`) instead of about 130 bytes of memory a term, so
  merging a large segment does not grow ``add``'s memory with the corpus.
* :func:`merge_tiered` is the merge policy of every commit: segments are
  merged a size class at a time (Lucene's tiered scheme), so each article is
  rewritten about once per tenfold growth of the index, where Whoosh's default
  re-merges recent segments at nearly every commit (most of a large add's time).
* :func:`open_index` opens an index without trusting it: it compares the
  stored schema with ours instead of passing ours in, retries only while the
  generation moves under it (a reader racing a commit), and maps every kind
  of damage to :class:`~index.errors.LibraryDamaged`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC, EmptyIndexError, FileIndex, clean_files

from index.errors import LibraryDamaged, SchemaMismatch, WriteFailed, is_disk_error
from index.search.accel.compact_codec import CompactW3Codec
from index.search.accel.read_codec import ReadingIndex
from index.search.schema import make_schema, schema_signature

#: A field that older libraries hold and that is neither filled nor read:
#: adjacent word pairs (body phrases are checked against the text, see
#: :mod:`index.search.phrases`). Its terms stay until ``newsdesk rebuild``.
RETIRED_FIELD = "pairs"

__all__ = [
    "INDEX_NAME",
    "DurableStorage",
    "create_index",
    "latest_generation",
    "merge_tiered",
    "open_index",
    "safe_writer",
    "sync_events",
]

INDEX_NAME = "MAIN"

#: Segments of one size class (a power of this factor, in documents) that
#: trigger their merge: MERGE_FACTOR - 1 of them, so at most that many per class.
MERGE_FACTOR = 10
_TOC_RE = re.compile(r"^_MAIN_(\d+)\.toc$")
_TOC_TEMP_RE = re.compile(r"^_MAIN_\d+\.toc\..+$")

#: Observers of the durability protocol, for tests: each is called with
#: ``(event, name)``, event one of ``fsync``, ``rename``, ``fsync-dir``.
sync_events: list[Callable[[str, str], None]] = []


def _emit(event: str, name: str) -> None:
    for observer in list(sync_events):
        observer(event, name)


class _SyncedFile:
    """A raw file whose ``close`` flushes and fsyncs before closing."""

    def __init__(self, raw, name: str) -> None:
        self._raw = raw
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(self._raw, attr)

    def close(self) -> None:
        if not self._raw.closed:
            self._raw.flush()
            os.fsync(self._raw.fileno())
            _emit("fsync", self._name)
        self._raw.close()


class DurableStorage(FileStorage):
    """A ``FileStorage`` that fsyncs what it writes and never memory maps.

    Args:
        path: The index directory.
        readonly: Refuse writes.
    """

    supports_mmap = False

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        super().__init__(str(path), supports_mmap=False, readonly=readonly)

    def create_file(self, name: str, excl: bool = False, mode: str = "wb", **kwargs) -> StructFile:
        """Create a file (mode 0600) whose close is durable."""
        if self.readonly:
            from whoosh.filedb.filestore import ReadOnlyError

            raise ReadOnlyError
        flags = os.O_CREAT | os.O_RDWR | os.O_TRUNC | (os.O_EXCL if excl else 0)
        fd = os.open(self._path(name), flags, 0o600)
        raw = os.fdopen(fd, "w+b")
        return StructFile(_SyncedFile(raw, name), name=name, **kwargs)

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        """Rename into place, then fsync the directory so the rename is durable."""
        super().rename_file(oldname, newname, safe=safe)
        _emit("rename", newname)
        self.sync_dir()

    def lock(self, name: str):
        """Whoosh's file lock, its file created 0600 (Whoosh would make it 0755)."""
        path = self._path(name)
        if not os.path.exists(path) and not self.readonly:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        return super().lock(name)

    def _path(self, name: str) -> str:
        return os.path.abspath(os.path.join(self.folder, name))

    def sync_dir(self) -> None:
        """Fsync the index directory itself."""
        fd = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _emit("fsync-dir", self.folder)


def latest_generation(path: str | Path) -> int:
    """The newest TOC generation present in an index directory (-1 when none)."""
    gens = [int(m.group(1)) for n in os.listdir(path) if (m := _TOC_RE.match(n))]
    return max(gens, default=-1)


def create_index(path: Path) -> FileIndex:
    """Create a new, empty index with our schema in ``path`` (mode 0700)."""
    path.mkdir(mode=0o700, parents=False, exist_ok=True)
    storage = DurableStorage(path)
    return FileIndex.create(storage, make_schema(), indexname=INDEX_NAME)


def open_index(
    path: Path, *, readonly: bool = True, attempts: int = 20, verify: bool = True
) -> FileIndex:
    """Open an existing index, checking its schema and mapping damage to one error.

    Args:
        path: The index directory.
        readonly: Open a read-only storage (readers) or a writable one (the writer).
        attempts: How often to retry while a concurrent commit moves the generation.
        verify: Also open every segment (a caller about to open a searcher can
            leave that to it, rather than open them twice).

    Returns:
        The open index, its schema verified against ours.

    Raises:
        SchemaMismatch: The index was written with another schema.
        LibraryDamaged: The index is missing, truncated or otherwise unreadable.
    """
    last_error: BaseException | None = None
    for _ in range(attempts):
        try:
            gen_before = latest_generation(path)
        except OSError as err:
            raise LibraryDamaged(str(path), f"index directory unreadable: {err.strerror}") from err
        try:
            kind = ReadingIndex if readonly else FileIndex
            ix = kind(DurableStorage(path, readonly=readonly), indexname=INDEX_NAME)
            stored = schema_signature(ix.schema)
            if verify:
                ix.doc_count_all()
        except (FileNotFoundError, EmptyIndexError) as err:
            last_error = err
            if latest_generation(path) != gen_before:
                continue  # a commit replaced the TOC under us: try the new one
            raise LibraryDamaged(str(path), "index files missing") from err
        except (MemoryError, RecursionError) as err:
            raise LibraryDamaged(str(path), type(err).__name__) from err
        except Exception as err:  # noqa: BLE001 - damage raises many types
            raise LibraryDamaged(str(path), f"{type(err).__name__}: {err}"[:200]) from err
        ours = schema_signature(make_schema())
        stored.pop(RETIRED_FIELD, None)
        ours.pop(RETIRED_FIELD, None)
        if stored != ours:
            raise SchemaMismatch(
                f"index at {path} has another schema; run 'newsdesk rebuild' to recreate it"
            )
        return ix
    raise LibraryDamaged(str(path), f"index kept changing while opening ({last_error})")


@contextmanager
def safe_writer(ix: FileIndex, *, to_come: int | None = None, **kwargs) -> Iterator:
    """A Whoosh writer that commits on success and fully cleans up on any failure.

    Unlike ``with ix.writer() as w:``, a failure inside ``commit()`` itself
    (for example a full disk) also cancels the writer, releases the lock and
    removes the partial segment files, so the next writer can work.

    Args:
        ix: The index.
        to_come: How many more commits the caller will make right after this
            one, when known (see :func:`merge_tiered`).
        **kwargs: Passed to ``ix.writer`` (``codec`` defaults to
            :class:`~index.search.accel.compact_codec.CompactW3Codec`).

    Yields:
        The writer.
    """
    kwargs.setdefault("codec", CompactW3Codec())
    writer = ix.writer(**kwargs)
    try:
        yield writer
        writer.commit(mergetype=partial(merge_tiered, to_come=to_come))
    except BaseException as err:
        _abandon(ix, writer)
        if is_disk_error(err):
            raise WriteFailed("the index", ix.storage.folder, err) from err
        raise


def _size_class(docs: int) -> int:
    """The size class of a segment of ``docs`` documents (0 for fewer than 10)."""
    size_class = 0
    while docs >= MERGE_FACTOR:
        docs //= MERGE_FACTOR
        size_class += 1
    return size_class


def merge_tiered(writer, segments: list, *, to_come: int | None = None) -> list:
    """Whoosh merge policy: merge a size class once MERGE_FACTOR - 1 segments share it.

    The merged documents go into the segment being committed, which lands in
    the next size class up. A segment that is more than half deleted
    documents is merged whatever its size, and one with none left is dropped,
    so deletions do not pile up (a segment of the largest class keeps up to
    half its documents deleted until something merges it).

    When exactly one more commit is known to follow (the last batch of an
    ``add`` is still in NER), the class of the segment being committed merges
    one segment short of the limit: the next commit would add a segment of
    that class and merge it, after NER, when the last commit is all that is
    left to wait for; merged one commit early, it runs while NER keeps the
    other cores busy.

    Args:
        writer: The committing ``SegmentWriter``.
        segments: The index's current segments.
        to_come: How many more commits follow right after this one, if known.

    Returns:
        The segments left as they are.
    """
    from whoosh.reading import SegmentReader

    classes: dict[int, list] = {}
    doomed = []
    for seg in segments:
        if seg.doc_count() == 0:
            continue  # every document deleted: the segment is dropped
        if seg.doc_count() * 2 < seg.doc_count_all():
            doomed.append(seg)
        else:
            classes.setdefault(_size_class(seg.doc_count_all()), []).append(seg)
    # One commit to come: it adds a segment of about this one's size, so this
    # one's class merges one segment early; the other classes keep the limit.
    early = _size_class(writer.docnum) if to_come == 1 else None
    keep = []
    for size_class, group in classes.items():
        limit = MERGE_FACTOR - 2 if size_class == early else MERGE_FACTOR - 1
        if len(group) >= limit:
            doomed.extend(group)
        else:
            keep.extend(group)
    for seg in doomed:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return keep


def _abandon(ix: FileIndex, writer) -> None:
    """Cancel a failed writer, release its lock and delete its orphaned files."""
    try:
        if not writer.is_closed:
            writer.cancel()
    except Exception:  # noqa: BLE001 - the writer may be half-committed
        pass
    lock = getattr(writer, "writelock", None)
    if lock is not None:
        try:
            lock.release()
        except Exception:  # noqa: BLE001 - already released
            pass
    try:
        toc = TOC.read(DurableStorage(ix.storage.folder), INDEX_NAME)
        clean_files(ix.storage, INDEX_NAME, toc.generation, toc.segments)
        for name in os.listdir(ix.storage.folder):
            if _TOC_TEMP_RE.match(name):
                os.remove(os.path.join(ix.storage.folder, name))
    except Exception:  # noqa: BLE001 - best effort; the next commit cleans too
        pass
