"""Run the enrichment stage beside the writer: NER in worker processes.

``add`` reads and writes in one process; NER runs in a pool of worker
processes (spawned, each loading the model once), so that the writer never
waits for NER while another batch is being enriched, NER never waits for the
writer, and a pathological article's memory dies with its worker. With
``workers=0`` everything runs in-process (tests, tiny adds).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from index.models import Article, EnrichedArticle

__all__ = ["EnrichPool", "get_enricher"]

_worker_enricher = None
_ENRICHERS: dict[str, object] = {}


def get_enricher(model: str):
    """One :class:`~index.enrich.Enricher` per model name per process (the model loads once)."""
    from index.enrich import Enricher

    if model not in _ENRICHERS:
        _ENRICHERS[model] = Enricher(model)
    return _ENRICHERS[model]


def _init_worker(model: str) -> None:
    global _worker_enricher
    import signal

    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)  # the parent decides when to stop
    _worker_enricher = get_enricher(model)


def _enrich_in_worker(articles: Sequence[Article]) -> list[EnrichedArticle]:
    assert _worker_enricher is not None
    return _worker_enricher.enrich(articles)


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

    def submit(self, articles: Sequence[Article]) -> Future[list[EnrichedArticle]]:
        """Start enriching a batch; the future holds one enriched article per input."""
        if not articles:
            done: Future[list[EnrichedArticle]] = Future()
            done.set_result([])
            return done
        if self.workers == 0:
            self._local = get_enricher(self.model)
            done = Future()
            try:
                done.set_result(self._local.enrich(articles))
            except Exception as err:  # noqa: BLE001 - handed to the caller through the future
                done.set_exception(err)
            return done
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(self.model,),
            )
        try:
            return self._pool.submit(_enrich_in_worker, list(articles))
        except BrokenProcessPool:
            self._pool = None
            return self.submit(articles)
