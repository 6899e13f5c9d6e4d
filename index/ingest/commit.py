"""The one commit sequence of ``add``: ledger pending, Whoosh commit, SQLite transaction.

Order of a batch, so that a kill at any point followed by a rerun converges to
the library an uninterrupted run builds:

1. the ledger marks the batch's files ``pending`` (SQLite commit);
2. Whoosh deletes every id the batch replaces or drops, by term, and adds the
   batch's new articles (one durable commit);
3. SQLite writes articles, mentions, entity counts, links and the final ledger
   state in one transaction.

A rerun redoes every file still ``pending``; steps 2 and 3 are idempotent.

The batch's articles are streamed into the open Whoosh writer as NER hands
them over (:func:`commit_batch` takes an iterable that may block on the NER
workers), so analysing and resolving a batch overlaps the NER of its last
articles, and what is left once NER ends is the commit itself. Signals are
held only across the Whoosh commit and its SQLite twin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace

from index.entities.resolve import Resolved, resolve_article
from index.layout import boundary
from index.models import EnrichedArticle
from index.search.writing import WritableIndex
from index.store.db import FileRecord, Store

__all__ = ["commit_batch", "signals_deferred"]


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGHUP and SIGTERM across a Whoosh commit and its SQLite twin.

    A signal that arrives meanwhile is delivered as soon as both have committed,
    so an interrupted ``add`` never leaves Whoosh ahead of the store.

    Blocking the signals in the main thread is not enough: a thread that does
    not block them (one the NER pool started earlier) may take the signal, and
    Python then runs the handler in the main thread at once. So the Python
    handlers are also swapped for recorders, and what they recorded is raised
    again once the old handlers are back: every recorded signal is delivered,
    the first exception a handler raises is raised after them, and an
    exception of the held block itself wins over it.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = (signal.SIGINT, signal.SIGHUP, signal.SIGTERM)
    caught: list[int] = []

    def record(signum: int, frame: object) -> None:
        caught.append(signum)

    previous_mask = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    previous: dict[int, object] = {}
    body_failed = False
    try:
        for sig in held:
            if signal.getsignal(sig) is not None:  # None: a handler not set from Python
                previous[sig] = signal.signal(sig, record)
        yield
    except BaseException:
        body_failed = True
        raise
    finally:
        first: BaseException | None = None
        for sig, handler in previous.items():
            while True:  # a restored handler may run (and raise) before the next call
                try:
                    signal.signal(sig, handler)
                    break
                except BaseException as err:  # noqa: BLE001 - restore every handler first
                    first = first or err
        signal.pthread_sigmask(signal.SIG_SETMASK, previous_mask)
        for sig in dict.fromkeys(caught):  # every one, even after a handler raised
            try:
                signal.raise_signal(sig)
            except BaseException as err:  # noqa: BLE001 - raised once all are delivered
                first = first or err
        if first is not None and not body_failed:  # the body's own error wins
            raise first


def commit_batch(
    store: Store,
    ix: WritableIndex,
    *,
    pending: list[FileRecord],
    removed: set[str],
    items: Iterable[EnrichedArticle],
    more: Callable[[list[EnrichedArticle]], list[EnrichedArticle]] | None = None,
    to_come: int | None = None,
    **apply: object,
) -> list[EnrichedArticle]:
    """Write one batch: ledger pending, Whoosh commit, SQLite transaction.

    Args:
        store: The SQLite store.
        ix: The search index.
        pending: Ledger entries to mark ``pending`` first.
        removed: Ids of articles to delete.
        items: The batch's enriched articles, in order; iterating may wait for NER.
        more: Called with the articles written so far once ``items`` is
            exhausted; returns articles to write as well (see
            :func:`~index.ingest.parts.restore_missing`).
        to_come: How many more commits this run will make, when known
            (the merge policy looks one commit ahead, see
            :func:`~index.search.storage.merge_tiered`).
        **apply: The rest of :meth:`~index.store.db.Store.apply_batch`'s arguments.

    Returns:
        The articles written.
    """
    store.mark_files([replace(rec, state="pending") for rec in pending])
    boundary()
    written: list[EnrichedArticle] = []
    resolved: dict[str, list[Resolved]] = {}
    with ExitStack() as held:
        with ExitStack() as whoosh:
            writer = None

            def open_writer():
                nonlocal writer
                if writer is None:
                    writer = whoosh.enter_context(ix.batch(to_come=to_come))
                    for article_id in sorted(removed):
                        writer.remove(article_id)
                return writer

            def put(item: EnrichedArticle) -> None:
                out = open_writer()
                mentions = resolved[item.article.id] = resolve_article(item)
                out.put(item, mentions, replace=item.article.id not in removed)
                written.append(item)

            if removed:
                open_writer()
            for item in items:
                put(item)
            for item in more(written) if more else ():
                put(item)
            held.enter_context(signals_deferred())
        if writer is not None:
            boundary()
        forms = writer.forms if writer is not None else None
        store.apply_batch(items=written, removed=removed, resolved=resolved, forms=forms, **apply)
    boundary()
    return written
