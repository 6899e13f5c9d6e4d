"""The write side of the search index: documents in, segments and hot files out.

``add`` and ``rebuild`` write through :class:`WritableIndex` and never see a
Whoosh object: a commit is a :meth:`WritableIndex.batch` of
:class:`DocumentBatch` calls (remove an article, put an enriched one), made
durable by :func:`~index.search.storage.safe_writer`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from index.entities.resolve import Resolved
from index.models import EnrichedArticle
from index.search.schema import article_fields
from index.search.storage import create_index, open_index, safe_writer

__all__ = ["DocumentBatch", "WritableIndex"]


class DocumentBatch:
    """The documents of one commit (see :meth:`WritableIndex.batch`)."""

    def __init__(self, writer) -> None:
        self._writer = writer
        #: The batch's words whose stem differs from them (for the store's lexicon).
        self.forms: dict[str, str] = {}

    def remove(self, article_id: str) -> None:
        """Delete an article's document."""
        self._writer.delete_by_term("id", article_id)

    def put(self, item: EnrichedArticle, mentions: list[Resolved], *, replace: bool = True) -> None:
        """Add an article's document, replacing an older one unless ``replace`` is False."""
        if replace:
            self._writer.delete_by_term("id", item.article.id)
        self._writer.add_document(**article_fields(item, mentions, self.forms))


class WritableIndex:
    """A library's Whoosh index opened for writing (under the library's write lock)."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._ix = open_index(index_dir, readonly=False)

    @staticmethod
    def create(index_dir: Path) -> None:
        """Create an empty index in ``index_dir``."""
        create_index(index_dir)

    @contextmanager
    def batch(self, *, to_come: int | None = None) -> Iterator[DocumentBatch]:
        """One durable commit: what is put inside lands at exit, or nothing does on an error.

        Args:
            to_come: How many more commits this run will make, when known (the
                merge policy looks one commit ahead, see
                :func:`~index.search.storage.merge_tiered`).
        """
        with safe_writer(self._ix, to_come=to_come) as writer:
            yield DocumentBatch(writer)

    def write_hot(self, on_error: Callable[[str], None]) -> None:
        """Copy the largest posting lists of segments that have none yet (:mod:`.accel.hot`)."""
        from index.search.accel import hot
        from index.search.accel.postings import decode

        reader = self._ix.reader()
        try:
            hot.build_missing(self.index_dir, reader, decode, on_error=on_error)
        finally:
            reader.close()
