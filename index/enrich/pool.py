"""Run the enrichment stage beside the writer: NER in worker processes.

``add`` reads and writes in one process; NER runs in a pool of worker
processes (spawned, each loading the model once), so that the writer never
waits for NER while another batch is being enriched, NER never waits for the
writer, and a pathological article's memory dies with its worker. With
``workers=0`` everything runs in-process (tests, tiny adds).

:func:`enrich_paths` is the enrichment stage on its own (``newsdesk enrich``):
files in, enriched records out, in input order, with NER in the same pool or
on a Dask cluster (:mod:`index.enrich.cluster`).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, Protocol

from index.models import Article, EnrichedArticle, IngestError

__all__ = [
    "ENRICH_BATCH",
    "EnrichPool",
    "EnrichReport",
    "enrich_labelled",
    "enrich_paths",
    "get_enricher",
]

#: Articles per NER task of ``newsdesk enrich``. The batches are the same
#: whatever runs them (in-process, worker processes, Dask), so the output is too.
ENRICH_BATCH = 64

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
    early still loaded it only with its first batch, after the file was read.
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


class _Runner(Protocol):
    """What runs NER batches for :func:`enrich_paths`: an EnrichPool or a Dask pool."""

    @property
    def window(self) -> int:
        """How many batches to keep in flight."""
        ...

    def submit_labelled(self, articles: Sequence[Article]) -> Any:
        """Start a batch; ``.result()`` gives ``(model label, enriched articles)``."""
        ...

    def close(self) -> None:
        """Stop."""
        ...


@dataclass(slots=True)
class EnrichReport:
    """What ``newsdesk enrich`` did."""

    files: int = 0
    articles: int = 0
    errors: list[IngestError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def enrich_paths(
    inputs: Sequence[str | os.PathLike[str]],
    *,
    model: str | None = None,
    workers: int = 0,
    dask_address: str | None = None,
    report: EnrichReport | None = None,
    on_error: Callable[[IngestError], None] | None = None,
    on_note: Callable[[str], None] | None = None,
    batch_articles: int = ENRICH_BATCH,
) -> Iterator[str]:
    """The enrichment stage over files: one enriched record per article, in input order.

    Files are found and read exactly as ``add`` does (bad input is one error,
    the rest goes on); an input that is already an enriched record is enriched
    again with this model. Reading overlaps NER: batches of ``batch_articles``
    run in worker processes (or in-process with ``workers=0``), or on the Dask
    cluster at ``dask_address``; the output is the same bytes either way.

    Args:
        inputs: Files and folders.
        model: The spaCy model (None for the default).
        workers: NER worker processes (0: in this process); ignored with Dask.
        dask_address: A Dask scheduler address (``tcp://host:8786``), or None.
        report: Filled with counts, errors and notes as the run goes.
        on_error: Called with each input error as it happens.
        on_note: Called with each note as it happens.
        batch_articles: Articles per NER task.

    Yields:
        Record lines (see :mod:`index.ingest.sources.enriched`), each ending in a newline.

    Raises:
        ValueError: The model cannot be loaded.
        index.enrich.cluster.DistributedError: Dask is missing, the scheduler
            cannot be reached, or a task failed on the cluster.
    """
    from index.enrich.ner import default_model_name
    from index.ingest.sources.enriched import dump_record

    report = report if report is not None else EnrichReport()
    model_name = model or default_model_name()
    runner: _Runner
    if dask_address:
        from index.enrich.cluster import DaskPool

        runner = DaskPool(dask_address, model_name)
    else:
        runner = EnrichPool(model_name, workers)
    try:
        in_flight: deque[Any] = deque()
        articles = _read_articles(inputs, report, on_error, on_note)
        for batch in _batches(articles, max(1, batch_articles)):
            in_flight.append(runner.submit_labelled(batch))
            while len(in_flight) >= runner.window:
                label, items = in_flight.popleft().result()
                report.articles += len(items)
                yield from (dump_record(item, label) + "\n" for item in items)
        while in_flight:
            label, items = in_flight.popleft().result()
            report.articles += len(items)
            yield from (dump_record(item, label) + "\n" for item in items)
    finally:
        runner.close()


def _read_articles(
    inputs: Sequence[str | os.PathLike[str]],
    report: EnrichReport,
    on_error: Callable[[IngestError], None] | None,
    on_note: Callable[[str], None] | None,
) -> Iterator[Article]:
    """The articles of the inputs in order, reporting errors and notes as they come."""
    from index.ingest.sources import discover, read_file

    def fail(err: IngestError) -> None:
        report.errors.append(err)
        if on_error is not None:
            on_error(err)

    for found in discover(inputs):
        if isinstance(found, IngestError):
            fail(found)
            continue
        report.files += 1
        notes: list[str] = []
        for item in read_file(found, notes):
            if isinstance(item, IngestError):
                fail(item)
            else:
                yield item.article if isinstance(item, EnrichedArticle) else item
        for note in notes:
            report.notes.append(note)
            if on_note is not None:
                on_note(note)


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
