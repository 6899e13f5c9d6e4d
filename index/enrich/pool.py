"""Run the enrichment stage beside the writer: NER in worker processes.

``add`` reads and writes in one process; NER runs in a pool of worker
processes (spawned, each loading the model once), so that the writer never
waits for NER while another batch is being enriched, NER never waits for the
writer, and a pathological article's memory dies with its worker. With
``workers=0`` everything runs in-process (tests, tiny adds).

The pool knows only articles: reading files and writing records is ingest's
(``newsdesk enrich`` is :func:`index.ingest.stage.enrich_paths`, which runs
its NER here or on a Dask cluster, :mod:`index.enrich.cluster`).
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from index.models import Article, EnrichedArticle

__all__ = ["EnrichPool", "enrich_labelled", "get_enricher"]

_worker_enricher = None
_ENRICHERS: dict[str, Any] = {}
_ENRICHERS_LOCK = threading.Lock()


def get_enricher(model: str):
    """One :class:`~index.enrich.ner.Enricher` per model name per process (the model loads once)."""
    from index.enrich.ner import Enricher

    with _ENRICHERS_LOCK:  # Dask runs tasks in threads: still one enricher per process
        if model not in _ENRICHERS:
            _ENRICHERS[model] = Enricher(model)
        return _ENRICHERS[model]


def enrich_labelled(model: str, articles: Sequence[Article]) -> tuple[str, list[EnrichedArticle]]:
    """Enrich a batch in this process with the (cached) model.

    Returns:
        The model's ``"<name> <version>"`` and one enriched article per input, in order.
    """
    enricher = get_enricher(model)
    return enricher.model_label, enricher.enrich(articles)


def _init_worker(model: str) -> None:
    global _worker_enricher
    import signal

    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)  # the parent decides when to stop
    _worker_enricher = get_enricher(model)


def _ready() -> None:
    """Submitted once per worker by :meth:`EnrichPool.warm`: load the model now.

    The enricher loads its model on first use; without this, a worker started
    early would still load it only with its first batch, after the file is read.
    A model that fails to load fails here unseen, and again, reported, on the
    first batch.
    """
    assert _worker_enricher is not None
    _worker_enricher.nlp  # noqa: B018 - the property loads the model


def _enrich_in_worker(articles: Sequence[Article]) -> list[EnrichedArticle]:
    assert _worker_enricher is not None
    return _worker_enricher.enrich(articles)


def _enrich_labelled_in_worker(articles: Sequence[Article]) -> tuple[str, list[EnrichedArticle]]:
    assert _worker_enricher is not None
    return _worker_enricher.model_label, _worker_enricher.enrich(articles)


class EnrichPool:
    """Enrich batches of articles in worker processes (or in-process with ``workers=0``).

    Args:
        model: The spaCy model name.
        workers: Worker processes; 0 runs NER in this process.
    """

    def __init__(self, model: str, workers: int = 0) -> None:
        self.model = model
        self.workers = max(0, workers)
        self._pool: ProcessPoolExecutor | None = None
        self._local = None

    def __enter__(self) -> EnrichPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    @property
    def model_version(self) -> str:
        """The model's version (loads it in this process only when running in-process)."""
        if self._local is not None:
            return self._local.model_version
        return ""

    @property
    def window(self) -> int:
        """How many batches to keep in flight so that no worker idles."""
        return self.workers + 1 if self.workers else 1

    def warm(self) -> None:
        """Start the worker processes now, so they load the model while the caller reads."""
        if self.workers and self._pool is None:
            for _ in range(self.workers):
                self._start().submit(_ready)

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self.model,),
            )
        return self._pool

    def submit(self, articles: Sequence[Article]) -> Future[list[EnrichedArticle]]:
        """Start enriching a batch; the future holds one enriched article per input."""
        return self._submit(articles, labelled=False)

    def submit_labelled(
        self, articles: Sequence[Article]
    ) -> Future[tuple[str, list[EnrichedArticle]]]:
        """Like :meth:`submit`, the result paired with the ``"<name> <version>"`` of the model."""
        return self._submit(articles, labelled=True)

    def _submit(self, articles: Sequence[Article], *, labelled: bool) -> Future[Any]:
        if self.workers == 0 or not articles:
            done: Future[Any] = Future()
            try:
                label, items = "", []
                if articles:
                    self._local = get_enricher(self.model)
                    label, items = self._local.model_label, self._local.enrich(articles)
                done.set_result((label, items) if labelled else items)
            except Exception as err:  # noqa: BLE001 - handed to the caller through the future
                done.set_exception(err)
            return done
        task = _enrich_labelled_in_worker if labelled else _enrich_in_worker
        try:
            return self._start().submit(task, list(articles))
        except BrokenProcessPool:
            self._pool = None
            return self._submit(articles, labelled=labelled)
